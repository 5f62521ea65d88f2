//! Hearth's own client engine (hearth-sender over hearth-transport and
//! hearth-mtproto) against localdc: auth key creation and encrypted calls over
//! every transport, plain and obfuscated, then the sign-in flow.

use crate::common::engine::*;
use crate::common::tl::{Reader, Writer};
use crate::common::*;
use hearth_sender::Sender;
use hearth_transport::FramingKind;
use localdc::LocalDc;

fn get_config() -> Vec<u8> {
    0xc4f9186bu32.to_le_bytes().to_vec()
}

/// Reads `config#cc1a241e` up to `dc_options`: (test_mode, this_dc, [(flags, id, ip, port)]).
/// (flags, id, ip, port) of one `dcOption`.
type DcOptionRow = (i32, i32, String, i32);

fn parse_config(body: &[u8]) -> (bool, i32, Vec<DcOptionRow>) {
    let mut r = Reader::new(body);
    r.expect(0xcc1a241e, "config").unwrap();
    let _flags = r.int().unwrap();
    let _date = r.int().unwrap();
    let _expires = r.int().unwrap();
    let test_mode = r.bool().unwrap();
    let this_dc = r.int().unwrap();
    r.expect(0x1cb5c415, "Vector").unwrap();
    let n = r.int().unwrap();
    let mut options = Vec::new();
    for _ in 0..n {
        r.expect(0x18b7a10d, "dcOption").unwrap();
        let flags = r.int().unwrap();
        let id = r.int().unwrap();
        let ip = r.string().unwrap();
        let port = r.int().unwrap();
        options.push((flags, id, ip, port));
    }
    (test_mode, this_dc, options)
}

#[tokio::test]
async fn key_creation_and_get_config_over_every_transport() {
    let dc = start_demo().await;
    let framings = [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
        FramingKind::Full,
    ];
    for framing in framings {
        for obfuscate in [false, true] {
            if obfuscate && framing == FramingKind::Full {
                continue; // obfuscated2 has no tag for the full transport
            }
            let sender = connect(&dc, 2, framing, obfuscate).await;
            let answer = sender
                .invoke_raw(get_config())
                .await
                .unwrap_or_else(|e| panic!("{framing:?} obfuscated={obfuscate}: {e}"));
            let (test_mode, this_dc, options) = parse_config(&answer);
            assert!(test_mode);
            assert_eq!(this_dc, 2);
            assert_eq!(options.len(), 7);
            for e in dc.endpoints() {
                let media_flag = if e.media_only { 2 } else { 0 };
                assert!(
                    options.contains(&(
                        media_flag,
                        e.id,
                        "127.0.0.1".into(),
                        i32::from(e.addr.port())
                    )),
                    "{e:?} missing from {options:?}"
                );
            }
            sender.shutdown();
            sender.closed().await;
        }
    }
    dc.shutdown().await;
}

#[tokio::test]
async fn sign_in_with_test_number_rules() {
    let dc = start_demo().await;
    // alice is 9996621234: she lives on DC 2 and her code is 22222.
    let dc4 = connect(&dc, 4, FramingKind::Intermediate, false).await;
    let (code, message) = rpc_err(dc4.invoke_raw(send_code("9996621234")).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "PHONE_MIGRATE_2"));

    let s = connect(&dc, 2, FramingKind::Abridged, true).await;
    let get_self = {
        let mut w = Writer::new();
        w.id(0x0d91a548).id(0x1cb5c415).int(1).id(0xf7c1b13f);
        w.finish()
    };
    let (code, message) = rpc_err(s.invoke_raw(get_self.clone()).await.unwrap_err());
    assert_eq!((code, message.as_str()), (401, "AUTH_KEY_UNREGISTERED"));

    let hash = sent_code_hash(&s.invoke_raw(send_code("+999 66 21234")).await.unwrap());
    let (_, message) = rpc_err(
        s.invoke_raw(sign_in("9996621234", &hash, "12345"))
            .await
            .unwrap_err(),
    );
    assert_eq!(message, "PHONE_CODE_INVALID");
    let auth = s
        .invoke_raw(sign_in("9996621234", &hash, "22222"))
        .await
        .unwrap();
    let mut r = Reader::new(&auth);
    r.expect(0x2ea2c0d4, "auth.authorization").unwrap();
    r.int().unwrap();
    r.expect(0xb1b8cc83, "user").unwrap();
    let flags = r.int().unwrap();
    assert_ne!(flags & (1 << 10), 0, "signed-in user is flagged self");
    r.int().unwrap();
    let alice_id = r.long().unwrap();
    assert_eq!(alice_id, 1_000_001);

    let users = s.invoke_raw(get_self).await.unwrap();
    let mut r = Reader::new(&users);
    r.expect(0x1cb5c415, "Vector").unwrap();
    assert_eq!(r.int().unwrap(), 1);
    r.expect(0xb1b8cc83, "user").unwrap();
    r.int().unwrap();
    r.int().unwrap();
    assert_eq!(r.long().unwrap(), alice_id);

    let state = s
        .invoke_raw(0xedd4882au32.to_le_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(&state[..4], &0xa56c2a3eu32.to_le_bytes());

    // carol (9996625555) has a 2FA password.
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996625555")).await.unwrap());
    let (code, message) = rpc_err(
        s.invoke_raw(sign_in("9996625555", &hash, "22222"))
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (401, "SESSION_PASSWORD_NEEDED"));

    // An unregistered test number must sign up.
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996620001")).await.unwrap());
    let answer = s
        .invoke_raw(sign_in("9996620001", &hash, "22222"))
        .await
        .unwrap();
    assert_eq!(
        &answer[..4],
        &0x44747e9au32.to_le_bytes(),
        "auth.authorizationSignUpRequired"
    );

    let (code, message) = rpc_err(
        s.invoke_raw(vec![0x78, 0x56, 0x34, 0x12])
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (400, "INPUT_METHOD_INVALID"));

    let logged_out = s
        .invoke_raw(0x3e72ba19u32.to_le_bytes().to_vec())
        .await
        .unwrap();
    assert_eq!(&logged_out[..4], &0xc3a2835fu32.to_le_bytes());
    let (code, _) = rpc_err(
        s.invoke_raw(0xedd4882au32.to_le_bytes().to_vec())
            .await
            .unwrap_err(),
    );
    assert_eq!(code, 401);
    dc.shutdown().await;
}

#[tokio::test]
async fn layer_and_init_connection_wrappers_are_unwrapped() {
    let dc = start_demo().await;
    let s = connect(&dc, 1, FramingKind::PaddedIntermediate, false).await;
    let mut w = Writer::new();
    w.id(0xda9b0d0d).int(229);
    w.id(0xc1cd5ea9).int(0).int(12345);
    for v in ["Hearth test", "Linux", "0.1", "en", "", "en"] {
        w.string(v);
    }
    w.raw(&get_config());
    let answer = s.invoke_raw(w.finish()).await.unwrap();
    let (_, this_dc, _) = parse_config(&answer);
    assert_eq!(this_dc, 1);
    dc.shutdown().await;
}

#[tokio::test]
async fn keys_and_sign_in_survive_a_restart_with_a_state_dir() {
    let state = tempfile::tempdir().unwrap();
    let start = || async {
        let world = localdc::world::World::parse(DEMO_WORLD, "demo.toml").unwrap();
        LocalDc::start(localdc::Config {
            world,
            rsa_key: Some(test_key()),
            state_dir: Some(state.path().to_path_buf()),
            ..localdc::Config::default()
        })
        .await
        .unwrap()
    };
    let dc = start().await;
    let (s, key) = connect_keyed(&dc, 2, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996621234")).await.unwrap());
    s.invoke_raw(sign_in("9996621234", &hash, "22222"))
        .await
        .unwrap();
    s.shutdown();
    s.closed().await;
    dc.shutdown().await;

    let dc = start().await;
    let s = Sender::connect(
        sender_config(&dc, 2),
        protocol(2, FramingKind::Abridged, false),
        &key,
    )
    .await
    .expect("the stored key is accepted after a restart");
    let state_answer = s.invoke_raw(0xedd4882au32.to_le_bytes().to_vec()).await;
    assert!(state_answer.is_ok(), "still signed in: {state_answer:?}");
    s.shutdown();
    s.closed().await;
    dc.shutdown().await;
}

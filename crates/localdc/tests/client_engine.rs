//! Hearth's own client engine (hearth-sender over hearth-transport and
//! hearth-mtproto) against localdc: auth key creation and encrypted calls over
//! every transport, plain and obfuscated, then the sign-in flow.

mod common;

use std::time::Duration;

use common::tl::{Reader, Writer};
use common::*;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Config as SenderConfig, Mtproto};
use hearth_sender::{InvocationError, Sender};
use hearth_transport::{DcId, FramingKind};
use localdc::LocalDc;

async fn connect(dc: &LocalDc, id: i32, framing: FramingKind, obfuscate: bool) -> Sender {
    connect_keyed(dc, id, framing, obfuscate).await.0
}

fn protocol(id: i32, framing: FramingKind, obfuscate: bool) -> Mtproto {
    Mtproto {
        dc: DcId {
            id: id as u16,
            media: false,
            test: true,
        },
        framing,
        obfuscate,
        session: SessionConfig::default(),
    }
}

fn sender_config(dc: &LocalDc, id: i32) -> SenderConfig {
    let addr = dc.dc_addr(id).unwrap();
    let mut config = SenderConfig::new(
        Peer::Dc {
            id: Some(id),
            addr: Endpoint::new(addr.ip().to_string(), addr.port()),
        },
        Route::Direct,
    );
    config.request_timeout = Some(Duration::from_secs(10));
    config
}

async fn connect_keyed(
    dc: &LocalDc,
    id: i32,
    framing: FramingKind,
    obfuscate: bool,
) -> (Sender, hearth_sender::sender::SessionKey) {
    let config = sender_config(dc, id);
    let protocol = protocol(id, framing, obfuscate);
    let mut keys = KeyTable::empty();
    keys.add_pem(dc.key().public_pem())
        .expect("localdc's PEM parses");
    let params = KeyParams {
        test: true,
        ..KeyParams::permanent(id)
    };
    Sender::connect_creating_key(config, protocol, AuthKeyExchange::new(params, keys))
        .await
        .expect("auth key created against localdc")
}

fn get_config() -> Vec<u8> {
    0xc4f9186bu32.to_le_bytes().to_vec()
}

/// Reads `config#cc1a241e` up to `dc_options`: (test_mode, this_dc, [(flags, id, ip, port)]).
fn parse_config(body: &[u8]) -> (bool, i32, Vec<(i32, i32, String, i32)>) {
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

fn send_code(phone: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xa677244f)
        .string(phone)
        .int(12345)
        .string("0123456789abcdef");
    w.id(0xad253d78).int(0); // codeSettings, no flags
    w.finish()
}

fn sign_in(phone: &str, hash: &str, code: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x8d52a951)
        .int(1)
        .string(phone)
        .string(hash)
        .string(code);
    w.finish()
}

fn rpc_err(e: InvocationError) -> (i32, String) {
    match e {
        InvocationError::Rpc { code, message } => (code, message),
        other => panic!("expected rpc_error, got {other}"),
    }
}

/// Returns phone_code_hash from `auth.sentCode`.
fn sent_code_hash(body: &[u8]) -> String {
    let mut r = Reader::new(body);
    r.expect(0x5e002502, "auth.sentCode").unwrap();
    r.int().unwrap();
    r.expect(0x3dbb5986, "auth.sentCodeTypeApp").unwrap();
    assert_eq!(r.int().unwrap(), 5);
    r.string().unwrap()
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

/// `account.getPassword` for the key that got SESSION_PASSWORD_NEEDED.
async fn get_password(s: &Sender) -> hearth_tl::types::account::Password {
    use hearth_tl::{Deserializable, Identifiable};
    let id = hearth_tl::functions::account::GetPassword::CONSTRUCTOR_ID;
    let body = s.invoke_raw(id.to_le_bytes().to_vec()).await.unwrap();
    let hearth_tl::enums::account::Password::Password(p) =
        hearth_tl::enums::account::Password::from_bytes(&body).expect("account.password");
    p
}

fn check_password(p: &hearth_tl::types::account::Password, password: &str) -> Vec<u8> {
    use hearth_tl::{enums, functions, types, Serializable};
    let Some(
        enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(
            a,
        ),
    ) = &p.current_algo
    else {
        panic!("2FA account announces the SRP algorithm")
    };
    let algo = hearth_crypto::srp::PasswordAlgo {
        salt1: a.salt1.clone(),
        salt2: a.salt2.clone(),
        g: a.g as u32,
        p: a.p.clone(),
    };
    let answer = hearth_crypto::srp::compute_check(
        &algo,
        p.srp_id.expect("srp_id"),
        p.srp_b.as_deref().expect("srp_B"),
        password.as_bytes(),
        &mut rand::rng(),
    )
    .expect("server parameters are safe");
    functions::auth::CheckPassword {
        password: enums::InputCheckPasswordSrp::InputCheckPasswordSrp(
            types::InputCheckPasswordSrp {
                srp_id: answer.srp_id,
                a: answer.a.to_vec(),
                m1: answer.m1.to_vec(),
            },
        ),
    }
    .to_bytes()
}

fn authorized_user(body: &[u8]) -> hearth_tl::types::User {
    use hearth_tl::{enums, Deserializable};
    let enums::auth::Authorization::Authorization(a) =
        enums::auth::Authorization::from_bytes(body).expect("auth.authorization")
    else {
        panic!("signed in, not sign-up required")
    };
    let enums::User::User(u) = *a.user else {
        panic!("a full user")
    };
    u
}

#[tokio::test]
async fn two_step_password_is_checked_with_srp() {
    let dc = start_demo().await;
    let s = connect(&dc, 2, FramingKind::Intermediate, true).await;
    // carol (9996625555) has the password "correct horse battery staple".
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996625555")).await.unwrap());
    let (code, message) = rpc_err(
        s.invoke_raw(sign_in("9996625555", &hash, "22222"))
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (401, "SESSION_PASSWORD_NEEDED"));

    let p = get_password(&s).await;
    assert!(p.has_password);
    assert_eq!(p.hint.as_deref(), Some("xkcd 936"));
    let Some(hearth_tl::enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(a)) =
        &p.current_algo
    else {
        panic!("SRP algorithm")
    };
    assert_eq!(a.g, 3);
    assert_eq!(a.p, hearth_crypto::dh::TELEGRAM_DH_PRIME.to_vec());
    assert_eq!(p.srp_b.as_ref().map(Vec::len), Some(256));

    let (code, message) = rpc_err(
        s.invoke_raw(check_password(&p, "wrong password"))
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (400, "PASSWORD_HASH_INVALID"));

    let p2 = get_password(&s).await;
    assert_ne!(p2.srp_id, p.srp_id, "every round has its own srp_id");
    assert_eq!(
        p2.current_algo, p.current_algo,
        "salts are per account, stable"
    );
    // The previous round is gone.
    let (_, message) = rpc_err(
        s.invoke_raw(check_password(&p, "correct horse battery staple"))
            .await
            .unwrap_err(),
    );
    assert_eq!(message, "SRP_ID_INVALID");
    let user = authorized_user(
        &s.invoke_raw(check_password(&p2, "correct horse battery staple"))
            .await
            .unwrap(),
    );
    assert!(user.self_);
    assert_eq!(user.phone.as_deref(), Some("9996625555"));
    dc.shutdown().await;
}

fn import_bot(token: &str) -> Vec<u8> {
    use hearth_tl::Serializable;
    hearth_tl::functions::auth::ImportBotAuthorization {
        flags: 0,
        api_id: 12345,
        api_hash: "0123456789abcdef".into(),
        bot_auth_token: token.into(),
    }
    .to_bytes()
}

#[tokio::test]
async fn world_bots_import_their_authorization_on_their_dc() {
    let dc = start_demo().await;
    let token = "7000001:AAHearthDemoBotSecretToken";
    let dc4 = connect(&dc, 4, FramingKind::Abridged, false).await;
    let (code, message) = rpc_err(dc4.invoke_raw(import_bot(token)).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "USER_MIGRATE_2"));

    let s = connect(&dc, 2, FramingKind::Abridged, false).await;
    let (code, message) = rpc_err(s.invoke_raw(import_bot("7000001:wrong")).await.unwrap_err());
    assert_eq!((code, message.as_str()), (400, "ACCESS_TOKEN_INVALID"));
    let bot = authorized_user(&s.invoke_raw(import_bot(token)).await.unwrap());
    assert!(bot.bot && bot.self_);
    assert_eq!(bot.id, 7000001);
    assert_eq!(bot.username.as_deref(), Some("hearth_helper_bot"));
    dc.shutdown().await;
}

async fn signed_in_alice(dc: &LocalDc) -> Sender {
    let s = connect(dc, 2, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996621234")).await.unwrap());
    s.invoke_raw(sign_in("9996621234", &hash, "22222"))
        .await
        .unwrap();
    s
}

fn send_text(peer: hearth_tl::enums::InputPeer, text: &str, random_id: i64) -> Vec<u8> {
    use hearth_tl::Serializable;
    hearth_tl::functions::messages::SendMessage {
        no_webpage: false,
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer,
        reply_to: None,
        message: text.into(),
        random_id,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        allow_paid_stars: None,
        suggested_post: None,
        rich_message: None,
    }
    .to_bytes()
}

fn pts_of_state(body: &[u8]) -> i32 {
    use hearth_tl::Deserializable;
    let hearth_tl::enums::updates::State::State(s) =
        hearth_tl::enums::updates::State::from_bytes(body).expect("updates.state");
    s.pts
}

#[tokio::test]
async fn messages_follow_peer_rules_and_advance_pts() {
    use hearth_tl::{enums, types, Deserializable};
    let dc = start_demo().await;
    let s = signed_in_alice(&dc).await;
    let get_state = 0xedd4882au32.to_le_bytes().to_vec();
    assert_eq!(
        pts_of_state(&s.invoke_raw(get_state.clone()).await.unwrap()),
        1
    );

    // carol (1_000_003) shares no private chat with alice: unmet, even with
    // her real access hash the peer is invalid.
    let carol = users_for(&dc, 1_000_003);
    let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 1_000_003,
        access_hash: carol,
    });
    let (code, message) = rpc_err(s.invoke_raw(send_text(peer, "hi", 1)).await.unwrap_err());
    assert_eq!((code, message.as_str()), (400, "PEER_ID_INVALID"));

    let sent = s
        .invoke_raw(send_text(enums::InputPeer::InputPeerSelf, "note", 2))
        .await
        .unwrap();
    let enums::Updates::UpdateShortSentMessage(sent) = enums::Updates::from_bytes(&sent).unwrap()
    else {
        panic!("updateShortSentMessage")
    };
    // Two world messages with bob are history: the note is message 3, pts 2.
    assert_eq!(
        (sent.id, sent.pts, sent.pts_count, sent.out),
        (3, 2, 1, true)
    );
    assert_eq!(pts_of_state(&s.invoke_raw(get_state).await.unwrap()), 2);
    dc.shutdown().await;
}

/// The access hash localdc gives `user_id` (from a direct lookup).
fn users_for(dc: &LocalDc, user_id: i64) -> i64 {
    dc.state()
        .users()
        .get(user_id)
        .expect("world user")
        .access_hash
}

#[tokio::test]
async fn documents_upload_in_parts_and_download_in_aligned_ranges() {
    use hearth_tl::{enums, functions, types, Deserializable, Serializable};
    let dc = start_demo().await;
    let s = signed_in_alice(&dc).await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let parts: Vec<&[u8]> = data.chunks(128 * 1024).collect();
    for (i, part) in parts.iter().enumerate() {
        let ok = s
            .invoke_raw(
                functions::upload::SaveFilePart {
                    file_id: 77,
                    file_part: i as i32,
                    bytes: part.to_vec(),
                }
                .to_bytes(),
            )
            .await
            .unwrap();
        assert_eq!(ok, true.to_bytes());
    }
    let too_big = functions::upload::SaveFilePart {
        file_id: 78,
        file_part: 0,
        bytes: vec![0; 512 * 1024 + 1024],
    };
    let (_, message) = rpc_err(s.invoke_raw(too_big.to_bytes()).await.unwrap_err());
    assert_eq!(message, "FILE_PART_TOO_BIG");
    let media = |parts: i32| functions::messages::SendMedia {
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer: enums::InputPeer::InputPeerSelf,
        reply_to: None,
        media: enums::InputMedia::InputMediaUploadedDocument(types::InputMediaUploadedDocument {
            nosound_video: false,
            force_file: true,
            spoiler: false,
            file: enums::InputFile::InputFile(types::InputFile {
                id: 77,
                parts,
                name: "data.bin".into(),
                md5_checksum: String::new(),
            }),
            thumb: None,
            mime_type: "application/octet-stream".into(),
            attributes: Vec::new(),
            stickers: None,
            video_cover: None,
            video_timestamp: None,
            ttl_seconds: None,
        }),
        message: String::new(),
        random_id: 5,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        allow_paid_stars: None,
        suggested_post: None,
    };
    let (_, message) = rpc_err(s.invoke_raw(media(4).to_bytes()).await.unwrap_err());
    assert_eq!(message, "FILE_PARTS_INVALID");
    let sent = s.invoke_raw(media(3).to_bytes()).await.unwrap();
    let enums::Updates::Updates(sent) = enums::Updates::from_bytes(&sent).unwrap() else {
        panic!("updates")
    };
    let [enums::Update::UpdateMessageId(id), enums::Update::UpdateNewMessage(new)] =
        &sent.updates[..]
    else {
        panic!("updateMessageID and updateNewMessage")
    };
    assert_eq!(id.random_id, 5);
    let enums::Message::Message(message) = &*new.message else {
        panic!("a message")
    };
    assert_eq!((message.id, new.pts), (id.id, 2));
    let Some(enums::MessageMedia::MessageMediaDocument(m)) = message.media.clone().map(|m| *m)
    else {
        panic!("a document")
    };
    let Some(enums::Document::Document(doc)) = m.document else {
        panic!("a full document")
    };
    assert_eq!((doc.size, doc.dc_id), (300_000, 2));
    let get = |offset: i64, limit: i32| {
        functions::upload::GetFile {
            precise: false,
            cdn_supported: false,
            location: enums::InputFileLocation::InputDocumentFileLocation(
                types::InputDocumentFileLocation {
                    id: doc.id,
                    access_hash: doc.access_hash,
                    file_reference: doc.file_reference.clone(),
                    thumb_size: String::new(),
                },
            ),
            offset,
            limit,
        }
        .to_bytes()
    };
    let mut back = Vec::new();
    while back.len() < data.len() {
        let body = s
            .invoke_raw(get(back.len() as i64, 64 * 1024))
            .await
            .unwrap();
        let enums::upload::File::File(f) = enums::upload::File::from_bytes(&body).unwrap() else {
            panic!("upload.file")
        };
        assert!(!f.bytes.is_empty());
        back.extend_from_slice(&f.bytes);
    }
    assert_eq!(back, data);
    for (offset, limit, error) in [
        (512, 1024, "OFFSET_INVALID"),
        (0, 1000, "LIMIT_INVALID"),
        (1024 * 1024 - 1024, 4096, "LIMIT_INVALID"),
    ] {
        let (_, message) = rpc_err(s.invoke_raw(get(offset, limit)).await.unwrap_err());
        assert_eq!(message, error);
    }
    // The document lives on DC 2: bob, signed in on DC 4, is sent there.
    let bob = connect(&dc, 4, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&bob.invoke_raw(send_code("9996641111")).await.unwrap());
    bob.invoke_raw(sign_in("9996641111", &hash, "44444"))
        .await
        .unwrap();
    let (code, message) = rpc_err(bob.invoke_raw(get(0, 4096)).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "FILE_MIGRATE_2"));
    dc.shutdown().await;
}

#[tokio::test]
async fn world_fault_tables_flood_wait_deterministically_per_seed() {
    let fault = "\n[[fault]]\nmethod = \"messages.sendMessage\"\nlimit = 1\nwait_secs = 5\njitter_secs = 20\n";
    let waits = |seed: u64| async move {
        let world = localdc::world::World::parse(&format!("{DEMO_WORLD}{fault}"), "flood.toml")
            .expect("a world with a fault table");
        let dc = LocalDc::start(localdc::Config {
            world,
            rsa_key: Some(test_key()),
            seed: Some(seed),
            ..localdc::Config::default()
        })
        .await
        .unwrap();
        let s = signed_in_alice(&dc).await;
        let me = || send_text(hearth_tl::enums::InputPeer::InputPeerSelf, "x", 1);
        s.invoke_raw(me())
            .await
            .expect("first call within the limit");
        let (code, message) = rpc_err(s.invoke_raw(me()).await.unwrap_err());
        dc.shutdown().await;
        assert_eq!(code, 420);
        message
            .strip_prefix("FLOOD_WAIT_")
            .and_then(|x| x.parse::<u32>().ok())
            .expect("FLOOD_WAIT_X")
    };
    let a = waits(7).await;
    assert!((5..=25).contains(&a), "{a}");
    assert_eq!(waits(7).await, a, "same seed, same wait");
    let bad =
        format!("{DEMO_WORLD}\n[[fault]]\nmethod = \"messages.noSuchThing\"\nwait_secs = 1\n");
    let err = localdc::world::World::parse(&bad, "bad.toml").unwrap_err();
    assert!(err.to_string().contains("messages.noSuchThing"), "{err}");
}

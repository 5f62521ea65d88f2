//! A hearth-sender client against an in-process localdc, and request builders
//! shared by the integration tests.

use std::time::Duration;

use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Config as SenderConfig, Mtproto};
use hearth_sender::Sender;
use hearth_transport::{DcId, FramingKind};
use localdc::LocalDc;

use super::tl::{Reader, Writer};

pub async fn connect(dc: &LocalDc, id: i32, framing: FramingKind, obfuscate: bool) -> Sender {
    connect_keyed(dc, id, framing, obfuscate).await.0
}

pub fn protocol(id: i32, framing: FramingKind, obfuscate: bool) -> Mtproto {
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

pub fn sender_config(dc: &LocalDc, id: i32) -> SenderConfig {
    sender_config_at(dc.dc_addr(id).expect("localdc serves the DC"), id)
}

/// A sender's settings for DC `id` at `addr` (10 s per request).
pub fn sender_config_at(addr: std::net::SocketAddr, id: i32) -> SenderConfig {
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

pub async fn connect_keyed(
    dc: &LocalDc,
    id: i32,
    framing: FramingKind,
    obfuscate: bool,
) -> (Sender, hearth_sender::sender::SessionKey) {
    connect_with(dc, id, framing, obfuscate, sender_config(dc, id)).await
}

/// A signed-out sender on DC `id` whose pushed updates go to the returned channel.
pub async fn connect_listening(
    dc: &LocalDc,
    id: i32,
) -> (
    Sender,
    tokio::sync::mpsc::Receiver<hearth_sender::sender::UpdateEvent>,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let mut config = sender_config(dc, id);
    config.updates = hearth_sender::sender::UpdateSink::Channel(tx);
    let (s, _) = connect_with(dc, id, FramingKind::Intermediate, false, config).await;
    (s, rx)
}

async fn connect_with(
    dc: &LocalDc,
    id: i32,
    framing: FramingKind,
    obfuscate: bool,
    config: SenderConfig,
) -> (Sender, hearth_sender::sender::SessionKey) {
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

pub fn send_code(phone: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0xa677244f)
        .string(phone)
        .int(12345)
        .string("0123456789abcdef");
    w.id(0xad253d78).int(0); // codeSettings, no flags
    w.finish()
}

pub fn sign_in(phone: &str, hash: &str, code: &str) -> Vec<u8> {
    let mut w = Writer::new();
    w.id(0x8d52a951)
        .int(1)
        .string(phone)
        .string(hash)
        .string(code);
    w.finish()
}

/// A failed call's RPC error as (code, message); panics on other failures.
pub fn rpc_err(e: impl super::conn::RpcFailure) -> (i32, String) {
    e.rpc()
}

/// Returns phone_code_hash from `auth.sentCode`.
pub fn sent_code_hash(body: &[u8]) -> String {
    let mut r = Reader::new(body);
    r.expect(0x5e002502, "auth.sentCode").unwrap();
    r.int().unwrap();
    r.expect(0x3dbb5986, "auth.sentCodeTypeApp").unwrap();
    assert_eq!(r.int().unwrap(), 5);
    r.string().unwrap()
}

/// `messages.sendMessage` of `text` to `peer`, serialized.
pub fn send_text(peer: hearth_tl::enums::InputPeer, text: &str, random_id: i64) -> Vec<u8> {
    use hearth_tl::Serializable;
    send_text_request(peer, text, random_id).to_bytes()
}

/// `messages.sendMessage` of `text` to `peer`.
pub fn send_text_request(
    peer: hearth_tl::enums::InputPeer,
    text: &str,
    random_id: i64,
) -> hearth_tl::functions::messages::SendMessage {
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
}

pub fn pts_of_state(body: &[u8]) -> i32 {
    use hearth_tl::Deserializable;
    let hearth_tl::enums::updates::State::State(s) =
        hearth_tl::enums::updates::State::from_bytes(body).expect("updates.state");
    s.pts
}

/// An uploaded file of `parts` parts named `name` (`inputFile`).
pub fn input_file(id: i64, parts: i32, name: &str) -> hearth_tl::enums::InputFile {
    hearth_tl::enums::InputFile::InputFile(hearth_tl::types::InputFile {
        id,
        parts,
        name: name.into(),
        md5_checksum: String::new(),
    })
}

/// `inputMediaUploadedDocument`, sent as a file.
pub fn uploaded_document(
    file: hearth_tl::enums::InputFile,
    thumb: Option<hearth_tl::enums::InputFile>,
    mime: &str,
) -> hearth_tl::enums::InputMedia {
    hearth_tl::enums::InputMedia::InputMediaUploadedDocument(
        hearth_tl::types::InputMediaUploadedDocument {
            nosound_video: false,
            force_file: true,
            spoiler: false,
            file,
            thumb,
            mime_type: mime.into(),
            attributes: Vec::new(),
            stickers: None,
            video_cover: None,
            video_timestamp: None,
            ttl_seconds: None,
        },
    )
}

/// `messages.sendMedia` of `media` to `peer` with a caption.
pub fn send_media_request(
    peer: hearth_tl::enums::InputPeer,
    media: hearth_tl::enums::InputMedia,
    caption: &str,
    random_id: i64,
) -> hearth_tl::functions::messages::SendMedia {
    hearth_tl::functions::messages::SendMedia {
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer,
        reply_to: None,
        media,
        message: caption.into(),
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
    }
}

/// `auth.checkPassword` proving `password` against the SRP parameters of
/// `account.getPassword`'s answer `p`.
pub fn check_password_request(
    p: &hearth_tl::types::account::Password,
    password: &str,
) -> hearth_tl::functions::auth::CheckPassword {
    use hearth_tl::{enums, functions, types};
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
}

/// `messages.getDialogs` from the top (no offset), at most `limit` dialogs.
pub fn dialogs_request(limit: i32) -> hearth_tl::functions::messages::GetDialogs {
    hearth_tl::functions::messages::GetDialogs {
        exclude_pinned: false,
        folder_id: None,
        offset_date: 0,
        offset_id: 0,
        offset_peer: hearth_tl::enums::InputPeer::InputPeerEmpty,
        limit,
        hash: 0,
    }
}

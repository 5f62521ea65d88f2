//! An in-process localdc with the demo world and clients connected to it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use hearth_client::{
    Client, ClientConfig, InitParams, MemoryStorage, Network, SessionStorage, SignIn,
};
use localdc::keys::ServerKey;
use localdc::world::World;
use localdc::{Config, LocalDc};

pub const TEST_KEY_PEM: &str =
    include_str!("../../../localdc/tests/fixtures/test_rsa_private_key.pem");
pub const DEMO_WORLD: &str = include_str!("../../../../tests/world/demo.toml");

pub const ALICE: &str = "9996621234";
pub const BOB: &str = "9996641111";
pub const CAROL: &str = "9996625555";
pub const CAROL_PASSWORD: &str = "correct horse battery staple";
pub const BOT_TOKEN: &str = "7000001:AAHearthDemoBotSecretToken";

/// The login code of a test number: its DC digit five times.
pub fn code_of(phone: &str) -> String {
    phone[5..6].repeat(5)
}

pub async fn start_demo() -> LocalDc {
    start_world(DEMO_WORLD).await
}

/// The demo world plus `extra` tables; `[server]` lines in `extra` join the
/// demo's `[server]` table.
pub async fn start_with(extra: &str) -> LocalDc {
    let text = match extra.trim_start().strip_prefix("[server]\n") {
        Some(server) => DEMO_WORLD.replacen("[server]\n", &format!("[server]\n{server}"), 1),
        None => format!("{DEMO_WORLD}{extra}"),
    };
    start_world(&text).await
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn trace() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

pub async fn start_world(text: &str) -> LocalDc {
    trace();
    let world = World::parse(text, "test.toml").expect("the world is valid");
    LocalDc::start(Config {
        world,
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").expect("fixture key")),
        seed: Some(7),
        ..Config::default()
    })
    .await
    .expect("localdc starts")
}

pub fn network(dc: &LocalDc) -> Network {
    let line = serde_json::to_string(&dc.announcement()).unwrap();
    Network::local(&line).expect("the announcement is valid")
}

pub fn config(dc: &LocalDc, storage: Arc<dyn SessionStorage>) -> ClientConfig {
    let mut c = ClientConfig::new(network(dc), storage, InitParams::local());
    c.retry_delay = Duration::from_millis(50);
    c.request_timeout = Some(Duration::from_secs(20));
    c
}

pub async fn connect(dc: &LocalDc, storage: Arc<dyn SessionStorage>) -> Client {
    Client::connect(config(dc, storage))
        .await
        .expect("client connects")
}

pub fn memory() -> Arc<MemoryStorage> {
    Arc::new(MemoryStorage::new())
}

/// A client signed in as `phone` (a demo account without 2FA) and its storage.
pub async fn signed_in(dc: &LocalDc, phone: &str) -> (Client, Arc<MemoryStorage>) {
    let storage = memory();
    let client = connect(dc, storage.clone()).await;
    let token = client.request_login_code(phone).await.expect("code sent");
    match client
        .sign_in(&token, &code_of(phone))
        .await
        .expect("sign in")
    {
        SignIn::Done(_) => {}
        other => panic!("{phone} should sign in with the code alone: {other:?}"),
    }
    (client, storage)
}

/// Waits up to 10 s for `cond`.
pub async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// `messages.sendMessage` of `text` to `peer`.
pub fn send_message(
    peer: hearth_tl::enums::InputPeer,
    text: &str,
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
        random_id: rand_id(),
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

fn rand_id() -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static NEXT: AtomicI64 = AtomicI64::new(1);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    t ^ NEXT.fetch_add(1, Ordering::Relaxed) << 40
}

/// Sends `text` from `from` to the user with `username`.
pub async fn send_text(from: &Client, username: &str, text: &str) {
    let peer = from.resolve_username(username).await.expect("resolved");
    let input = from.peers().input_peer(peer.id).expect("met by resolving");
    from.invoke(&send_message(input, text)).await.expect("sent");
}

/// The text of a new-message update, if it is one.
pub fn new_message_text(u: &hearth_client::Update) -> Option<String> {
    use hearth_tl::enums;
    let message = match &u.update {
        enums::Update::UpdateNewMessage(m) => &m.message,
        enums::Update::UpdateNewChannelMessage(m) => &m.message,
        _ => return None,
    };
    match &**message {
        enums::Message::Message(m) => Some(m.message.clone()),
        _ => None,
    }
}

/// Adds a fault rule given as JSON (the control port's format).
pub fn fault(dc: &LocalDc, rule: serde_json::Value) {
    let rule = localdc::faults::FaultRule::from_value(rule).expect("valid rule");
    dc.state().faults().add(rule).expect("rule installed");
}

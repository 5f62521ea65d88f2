//! Demo accounts signed in through `hearth-client`, as Hearth itself signs
//! in: one [`Client`] per account on a [`MemoryStorage`], the login code
//! (core.telegram.org/api/auth), and access hashes only from what the
//! account has met, read from the client's peer cache
//! (core.telegram.org/api/peers#access-hash): dialogs, a resolved
//! @username, contacts, a message or a participants list.
//!
//! Requests go through [`Client::invoke`] ([`Account::call`]), so the
//! server's answers and errors reach the test as the app sees them. Two
//! things the client rightly hides from an app are needed by tests of the
//! server itself: the exact shape of what the server pushes (the client
//! orders and unpacks it) and the errors the client acts on (`303`
//! migrations, `420` flood waits). For those a test opens a [`Wire`]: a
//! raw `hearth-sender` session on the account's signed-in auth key.
//!
//! Invariants: the clients run no update loop (`catch_up` off), so the
//! only requests the server sees are the test's own; flood waits and 500s
//! are not slept or repeated.
#![allow(dead_code)]

use std::any::Any;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hearth_client::{
    Client, ClientConfig, ClientError, InitParams, MemoryStorage, Network, PeerId, SessionStorage,
    SignIn,
};
use hearth_sender::sender::{SessionKey, UpdateEvent, UpdateSink};
use hearth_sender::{InvocationError, Sender};
use hearth_tl::{enums, functions, RemoteCall};
use hearth_transport::FramingKind;
use localdc::LocalDc;
use tokio::sync::mpsc::Receiver;

pub use super::conn::Conn;
use super::conn::RpcFailure;
use super::engine::{dialogs_request, protocol, sender_config_at};

/// Demo world phone numbers: the login code is the DC digit five times.
pub const ALICE_PHONE: &str = "9996621234"; // DC 2
pub const BOB_PHONE: &str = "9996641111"; // DC 4
pub const CAROL_PHONE: &str = "9996625555"; // DC 2, two-step verification
pub const CAROL_PASSWORD: &str = "correct horse battery staple";
pub const BOT_TOKEN: &str = "7000001:AAHearthDemoBotSecretToken";

/// The login code localdc accepts for a test number: its DC digit five times.
pub fn login_code(phone: &str) -> String {
    phone[5..6].repeat(5)
}

/// The client settings of a test account (see the module invariants).
pub fn client_config(dc: &LocalDc, storage: Arc<dyn SessionStorage>) -> ClientConfig {
    let line = serde_json::to_string(&dc.announcement()).expect("announcement serializes");
    let network = Network::local(&line).expect("localdc's announcement is valid");
    let mut config = ClientConfig::new(network, storage, InitParams::local());
    config.catch_up = false;
    config.flood_sleep_threshold = Duration::ZERO;
    config.max_retries = 0;
    config.retry_delay = Duration::from_millis(50);
    config.request_timeout = Some(Duration::from_secs(10));
    config
}

/// The TL name of a request, for failure messages.
fn request_name<R: RemoteCall>(req: &R) -> &'static str {
    let bytes = req.to_bytes();
    let id = u32::from_le_bytes(bytes[..4].try_into().expect("a constructor id"));
    hearth_tl::name_for_id(id).unwrap_or("a request")
}

/// An account signed in through `hearth-client`.
#[derive(Clone)]
pub struct Account {
    pub client: Client,
    pub storage: Arc<MemoryStorage>,
    /// The signed-in user's id.
    pub id: i64,
    /// The signed-in user as the sign-in answer described it.
    pub user: hearth_client::User,
    /// localdc's DC endpoints, for [`Wire`] sessions.
    dcs: Arc<Vec<(i32, SocketAddr)>>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account").field("id", &self.id).finish()
    }
}

/// A connected, signed-out client on a fresh memory storage.
async fn connected(dc: &LocalDc) -> (Client, Arc<MemoryStorage>) {
    let storage = Arc::new(MemoryStorage::new());
    let client = Client::connect(client_config(dc, storage.clone()))
        .await
        .expect("a client connects to localdc");
    (client, storage)
}

fn endpoints(dc: &LocalDc) -> Arc<Vec<(i32, SocketAddr)>> {
    Arc::new(
        (1..=5)
            .filter_map(|id| dc.dc_addr(id).map(|a| (id, a)))
            .collect(),
    )
}

impl Account {
    fn new(
        dc: &LocalDc,
        client: Client,
        storage: Arc<MemoryStorage>,
        user: hearth_client::User,
    ) -> Account {
        Account {
            client,
            storage,
            id: user.id,
            user,
            dcs: endpoints(dc),
        }
    }

    /// Signs in as the test number `phone` (an account without 2FA) with
    /// its login code; the client finds the number's DC itself.
    pub async fn sign_in(dc: &LocalDc, phone: &str) -> Account {
        let (client, storage) = connected(dc).await;
        let token = client.request_login_code(phone).await.expect("code sent");
        let user = match client.sign_in(&token, &login_code(phone)).await {
            Ok(SignIn::Done(user)) => user,
            other => panic!("{phone} signs in with its code alone, got {other:?}"),
        };
        Account::new(dc, client, storage, user)
    }

    /// Signs in as `phone`, whose account has two-step verification: the
    /// code is answered with `SESSION_PASSWORD_NEEDED`, then `password`.
    pub async fn sign_in_with_password(dc: &LocalDc, phone: &str, password: &str) -> Account {
        let (client, storage) = connected(dc).await;
        let token = client.request_login_code(phone).await.expect("code sent");
        let Ok(SignIn::PasswordRequired(p)) = client.sign_in(&token, &login_code(phone)).await
        else {
            panic!("{phone} asks for its password after the code")
        };
        let user = client
            .check_password(p, password)
            .await
            .expect("the password is accepted");
        Account::new(dc, client, storage, user)
    }

    /// Signs up the unused test number `phone` as `first_name`.
    pub async fn sign_up(dc: &LocalDc, phone: &str, first_name: &str) -> Account {
        let (client, storage) = connected(dc).await;
        let token = client.request_login_code(phone).await.expect("code sent");
        let Ok(SignIn::SignUpRequired { .. }) = client.sign_in(&token, &login_code(phone)).await
        else {
            panic!("{phone} is not registered yet")
        };
        let user = client
            .sign_up(&token, first_name, "")
            .await
            .expect("signed up");
        Account::new(dc, client, storage, user)
    }

    /// Signs a world bot in with its token.
    pub async fn bot(dc: &LocalDc, token: &str) -> Account {
        let (client, storage) = connected(dc).await;
        let user = client.bot_sign_in(token).await.expect("bot signed in");
        Account::new(dc, client, storage, user)
    }

    /// The same account after an app restart: a new client on this
    /// account's storage (auth keys, home DC, peers), connected to `dc`,
    /// which may be a restarted localdc on other ports. [`Account::close`]
    /// this one first: one process never runs two connections on one key.
    pub async fn reopen(&self, dc: &LocalDc) -> Account {
        let client = Client::connect(client_config(dc, self.storage.clone()))
            .await
            .expect("the stored session connects");
        Account {
            client,
            storage: self.storage.clone(),
            id: self.id,
            user: self.user.clone(),
            dcs: endpoints(dc),
        }
    }

    /// Shuts the client down and waits until its connections are closed.
    pub async fn close(&self) {
        self.client.shutdown();
        self.client.closed().await;
    }

    /// The account's home DC (where its sign-in lives).
    pub fn home_dc(&self) -> i32 {
        self.client.home_dc()
    }

    /// Sends `req` through the client; panics with the error.
    pub async fn call<R>(&self, req: &R) -> R::Return
    where
        R: RemoteCall,
        R::Return: Any,
    {
        match self.client.invoke(req).await {
            Ok(answer) => answer,
            Err(e) => panic!("{} failed: {e}", request_name(req)),
        }
    }

    /// Sends `req`, which must fail with an RPC error: (code, message).
    pub async fn fails<R>(&self, req: &R) -> (i32, String)
    where
        R: RemoteCall,
        R::Return: Any,
    {
        match self.client.invoke(req).await {
            Ok(_) => panic!("expected an rpc_error"),
            Err(e) => e.rpc(),
        }
    }

    // Meeting peers, the ways a client meets them.

    /// `messages.getDialogs`: the peers of the first 100 dialogs and their
    /// top messages' senders.
    pub async fn meet_dialogs(&self) {
        let _: enums::messages::Dialogs = self.call(&dialogs_request(100)).await;
    }

    /// `contacts.getContacts`: the saved contacts.
    pub async fn meet_contacts(&self) {
        let _: enums::contacts::Contacts = self
            .call(&functions::contacts::GetContacts { hash: 0 })
            .await;
    }

    /// The peer with this @username (`contacts.resolveUsername` unless the
    /// cache has it).
    pub async fn resolve(&self, username: &str) -> PeerId {
        match self.client.resolve_username(username).await {
            Ok(p) => p.id,
            Err(e) => panic!("@{username} resolves: {e}"),
        }
    }

    // Access hashes from the peer cache.

    /// The access hash this account was given for `id`; panics with how to
    /// meet the peer when it was not met.
    pub fn hash(&self, id: PeerId) -> i64 {
        match self.client.peers().get(id).and_then(|p| p.access_hash) {
            Some(hash) => hash,
            None => panic!("user {} has not met {id}", self.id),
        }
    }

    pub fn input_peer(&self, id: PeerId) -> enums::InputPeer {
        self.client
            .peers()
            .input_peer(id)
            .unwrap_or_else(|e| panic!("user {}: {e}", self.id))
    }

    pub fn user(&self, id: i64) -> enums::InputUser {
        self.client
            .peers()
            .input_user(id)
            .unwrap_or_else(|e| panic!("user {}: {e}", self.id))
    }

    pub fn user_peer(&self, id: i64) -> enums::InputPeer {
        self.input_peer(PeerId::User(id))
    }

    pub fn channel(&self, id: i64) -> enums::InputChannel {
        self.client
            .peers()
            .input_channel(id)
            .unwrap_or_else(|e| panic!("user {}: {e}", self.id))
    }

    pub fn channel_peer(&self, id: i64) -> enums::InputPeer {
        self.input_peer(PeerId::Channel(id))
    }

    // The wire.

    /// A raw session on this account's signed-in key and home DC; what the
    /// server pushes to it is dropped.
    pub async fn wire(&self) -> Wire {
        self.open_wire(UpdateSink::None).await
    }

    /// A raw session on this account's signed-in key whose pushes go to
    /// the returned channel. It has asked `updates.getState`, so the server
    /// counts it as an online session from here on.
    pub async fn listen(&self) -> (Wire, Receiver<UpdateEvent>) {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let wire = self.open_wire(UpdateSink::Channel(tx)).await;
        wire.sender
            .invoke(&functions::updates::GetState {})
            .await
            .expect("the wire session is signed in");
        (wire, rx)
    }

    async fn open_wire(&self, updates: UpdateSink) -> Wire {
        let home = self.home_dc();
        let bytes = self
            .storage
            .auth_key(home)
            .expect("memory storage")
            .expect("the client saved its auth key");
        let key = SessionKey {
            auth_key: hearth_crypto::AuthKey::from_bytes(*bytes),
            salt: 0,
            time_offset: 0,
        };
        let addr = self
            .dcs
            .iter()
            .find_map(|(id, a)| (*id == home).then_some(*a))
            .expect("localdc serves the home DC");
        let mut config = sender_config_at(addr, home);
        config.updates = updates;
        let sender = Sender::connect(
            config,
            protocol(home, FramingKind::Intermediate, false),
            &key,
        )
        .await
        .expect("the account's key is accepted");
        Wire {
            sender,
            account: self.clone(),
        }
    }
}

/// A raw `hearth-sender` session on an account's signed-in key: requests
/// and pushes exactly as the server sends them. Derefs to the [`Sender`];
/// access hashes come from the account's client.
pub struct Wire {
    pub sender: Sender,
    pub account: Account,
}

impl std::ops::Deref for Wire {
    type Target = Sender;
    fn deref(&self) -> &Sender {
        &self.sender
    }
}

impl Wire {
    pub fn user(&self, id: i64) -> enums::InputUser {
        self.account.user(id)
    }
    pub fn user_peer(&self, id: i64) -> enums::InputPeer {
        self.account.user_peer(id)
    }
    pub fn channel(&self, id: i64) -> enums::InputChannel {
        self.account.channel(id)
    }
    pub fn channel_peer(&self, id: i64) -> enums::InputPeer {
        self.account.channel_peer(id)
    }
}

impl Conn for Wire {
    type Error = InvocationError;
    async fn invoke<R>(&self, req: &R) -> Result<R::Return, InvocationError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        self.sender.invoke(req).await
    }
}

impl Conn for Account {
    type Error = ClientError;
    async fn invoke<R>(&self, req: &R) -> Result<R::Return, ClientError>
    where
        R: RemoteCall,
        R::Return: Any,
    {
        self.client.invoke(req).await
    }
}

/// The access hash localdc derives for `viewer` and user `user`, read from
/// the server. A client could never know it before meeting the user: only
/// for tests that the server refuses a hash that is right but not yet
/// given, or given to someone else.
pub fn server_user_hash(dc: &LocalDc, viewer: i64, user: i64) -> i64 {
    dc.state()
        .users()
        .get(user)
        .expect("a world user")
        .access_hash_for(viewer)
}

/// [`server_user_hash`] for a channel.
pub fn server_channel_hash(dc: &LocalDc, viewer: i64, channel: i64) -> i64 {
    dc.state()
        .channels()
        .get(channel)
        .expect("a world channel")
        .access_hash_for(viewer)
}

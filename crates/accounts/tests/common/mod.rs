//! An in-process localdc with the demo world, its announcement in a file, and an account
//! service on a temporary data directory with auth keys in memory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_accounts::{Accounts, AccountsOptions, LoginStep, MemoryKeys, NetworkSpec};
use hearth_client::{Client, ClientConfig, InitParams, MemoryStorage, Network, SignIn};
use hearth_store::Database;
use localdc::keys::ServerKey;
use localdc::world::World;
use localdc::{Config, LocalDc};
use zeroize::Zeroizing;

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

pub async fn start_demo(state_dir: Option<PathBuf>) -> LocalDc {
    let world = World::parse(DEMO_WORLD, "demo.toml").expect("the demo world is valid");
    LocalDc::start(Config {
        world,
        rsa_key: Some(ServerKey::from_pem(TEST_KEY_PEM, "fixture").expect("fixture key")),
        seed: Some(7),
        state_dir,
        ..Config::default()
    })
    .await
    .expect("localdc starts")
}

pub fn announcement_of(dc: &LocalDc) -> String {
    serde_json::to_string(&dc.announcement()).expect("announcement")
}

/// Proxy secrets in memory.
#[derive(Default)]
pub struct MemoryProxySecrets(Mutex<std::collections::HashMap<i64, Vec<u8>>>);

impl hearth_diagnose::proxies_db::ProxySecrets for MemoryProxySecrets {
    fn put(&self, id: i64, s: &[u8]) -> Result<(), String> {
        self.0.lock().unwrap().insert(id, s.to_vec());
        Ok(())
    }
    fn get(&self, id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        Ok(self.0.lock().unwrap().get(&id).cloned().map(Zeroizing::new))
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.0.lock().unwrap().remove(&id);
        Ok(())
    }
}

/// A data directory with its service, a localdc and its announcement file.
pub struct TestWorld {
    pub dir: tempfile::TempDir,
    pub db: Arc<Mutex<Database>>,
    pub keys: Arc<MemoryKeys>,
    pub proxies: Arc<MemoryProxySecrets>,
    pub accounts: Accounts,
    pub dc: LocalDc,
    pub announcement: PathBuf,
}

pub fn options() -> AccountsOptions {
    AccountsOptions {
        request_timeout: Some(Duration::from_secs(20)),
        ..AccountsOptions::default()
    }
}

pub fn service(
    dir: &Path,
    db: &Arc<Mutex<Database>>,
    keys: &Arc<MemoryKeys>,
    proxies: &Arc<MemoryProxySecrets>,
) -> Accounts {
    let accounts = Accounts::with_backends(dir, db.clone(), keys.clone(), proxies.clone());
    accounts.set_options(options());
    accounts
}

pub async fn world() -> TestWorld {
    let dc = start_demo(None).await;
    let dir = tempfile::tempdir().unwrap();
    let announcement = dir.path().join("localdc.json");
    std::fs::write(&announcement, format!("{}\n", announcement_of(&dc))).unwrap();
    let db = Arc::new(Mutex::new(Database::open(dir.path()).unwrap()));
    let keys = Arc::new(MemoryKeys::new());
    let proxies = Arc::new(MemoryProxySecrets::default());
    let accounts = service(dir.path(), &db, &keys, &proxies);
    TestWorld {
        dir,
        db,
        keys,
        proxies,
        accounts,
        dc,
        announcement,
    }
}

impl TestWorld {
    pub fn spec(&self) -> NetworkSpec {
        NetworkSpec::Local {
            announcement: self.announcement.clone(),
        }
    }

    /// Adds the demo account `phone` (no 2FA) through the service.
    pub async fn add(&self, phone: &str) -> hearth_accounts::AccountView {
        let mut flow = self
            .accounts
            .begin_login(self.spec(), None)
            .await
            .expect("login starts");
        flow.request_code(phone).await.expect("code sent");
        match flow.submit_code(&code_of(phone)).await.expect("signed in") {
            LoginStep::Done(v) => v,
            other => panic!("{phone} should sign in with the code alone: {other:?}"),
        }
    }

    /// A client outside the service (another device of the same person), signed in as
    /// `phone`.
    pub async fn other_device(&self, phone: &str) -> Client {
        let line = announcement_of(&self.dc);
        let mut init = InitParams::local();
        init.device_model = "Other device".into();
        let mut config = ClientConfig::new(
            Network::local(&line).unwrap(),
            Arc::new(MemoryStorage::new()),
            init,
        );
        config.catch_up = false;
        config.request_timeout = Some(Duration::from_secs(20));
        let client = Client::connect(config).await.expect("connects");
        let token = client.request_login_code(phone).await.expect("code sent");
        match client
            .sign_in(&token, &code_of(phone))
            .await
            .expect("signed in")
        {
            SignIn::Done(_) => client,
            other => panic!("{phone}: {other:?}"),
        }
    }
}

//! The client on hearth-store's real session storage (SQLite rows; auth keys
//! through the key backend, here an in-memory stand-in for the keyring):
//! sign-in, migration, updates caught up after a restart with a reopened
//! database, and no auth key bytes in the data directory.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use hearth_client::{Client, SessionStorage};
use hearth_store::secrets::{Secret, SecretError};
use hearth_store::session::{AuthKeyBackend, SqliteSessionStorage};
use hearth_store::{AccountId, Database, NewAccount};

/// Secrets by (account, kind).
type KeyMap = HashMap<(i64, String), Vec<u8>>;

/// The keyring's stand-in.
#[derive(Clone, Default)]
struct Keys(Arc<Mutex<KeyMap>>);

impl AuthKeyBackend for Keys {
    fn get(&self, account: AccountId, kind: &str) -> Result<Option<Secret>, SecretError> {
        let map = self.0.lock().unwrap();
        Ok(map
            .get(&(account.0, kind.to_owned()))
            .cloned()
            .map(Secret::from))
    }
    fn put(&self, account: AccountId, kind: &str, secret: &[u8]) -> Result<(), SecretError> {
        let mut map = self.0.lock().unwrap();
        map.insert((account.0, kind.to_owned()), secret.to_vec());
        Ok(())
    }
    fn delete(&self, account: AccountId, kind: &str) -> Result<(), SecretError> {
        self.0.lock().unwrap().remove(&(account.0, kind.to_owned()));
        Ok(())
    }
}

fn storage(dir: &Path, keys: &Keys, account: AccountId) -> Arc<SqliteSessionStorage> {
    let db = Database::open(dir).expect("database opens");
    Arc::new(SqliteSessionStorage::with_key_backend(
        Arc::new(Mutex::new(db)),
        Box::new(keys.clone()),
        account,
    ))
}

/// Every file under `dir`, read whole.
fn files(dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if let Ok(bytes) = std::fs::read(&p) {
            out.push(bytes);
        }
    }
    out
}

#[tokio::test]
async fn a_session_in_sqlite_survives_a_restart_and_catches_up() {
    let dc = start_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let account = Database::open(dir.path())
        .unwrap()
        .insert_account(&NewAccount {
            label: "bob".into(),
            user_id: None,
            phone: None,
            is_bot: false,
            dc_id: 2,
            network: hearth_store::Network::Local,
        })
        .unwrap()
        .id;
    let keys = Keys::default();
    let first = storage(dir.path(), &keys, account);
    let bob = connect(&dc, first.clone()).await;
    let token = bob.request_login_code(BOB).await.unwrap();
    bob.sign_in(&token, "44444").await.unwrap();
    eventually("state saved", || {
        first.load().unwrap().update_state.is_some()
    })
    .await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    send_text(&alice, "bob_builder", "before").await;
    loop {
        let u = tokio::time::timeout(Duration::from_secs(10), bob.next_update())
            .await
            .unwrap()
            .unwrap();
        if new_message_text(&u).as_deref() == Some("before") {
            break;
        }
    }
    bob.shutdown();
    bob.closed().await;
    drop(first);

    send_text(&alice, "bob_builder", "while away").await;
    let second = storage(dir.path(), &keys, account);
    let saved = second.load().unwrap();
    assert_eq!(saved.home_dc, Some(4));
    assert!(saved.self_user.is_some() && !saved.peers.is_empty() && !saved.dc_options.is_empty());
    let again: Client = connect(&dc, second.clone()).await;
    assert!(again.is_authorized().await.unwrap());
    let mut texts = Vec::new();
    while let Ok(u) = tokio::time::timeout(Duration::from_secs(2), again.next_update()).await {
        texts.extend(new_message_text(&u.unwrap()));
    }
    assert_eq!(texts, ["while away"]);

    // Auth keys went to the key backend only.
    let key_bytes: Vec<Vec<u8>> = keys.0.lock().unwrap().values().cloned().collect();
    assert!(!key_bytes.is_empty());
    for file in files(dir.path()) {
        for key in &key_bytes {
            assert!(
                !file.windows(key.len()).any(|w| w == key.as_slice()),
                "an auth key was written to the data directory"
            );
        }
    }
    for c in [again, alice] {
        c.shutdown();
    }
    dc.shutdown().await;
}

//! The account service without a network: listing, order, removal, leftovers of
//! interrupted logins, saved api credentials, and the events announcing each change.

use std::sync::{Arc, Mutex};

use hearth_accounts::{
    AccountEvent, Accounts, AccountsError, ApiCredentials, ConnectionState, LastChat, MemoryKeys,
    Network,
};
use hearth_session::SessionStorage;
use hearth_store::session::SqliteSessionStorage;
use hearth_store::{AccountId, AccountProfile, Database, NewAccount};

struct Fixture {
    _dir: tempfile::TempDir,
    db: Arc<Mutex<Database>>,
    keys: Arc<MemoryKeys>,
    accounts: Accounts,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(Mutex::new(Database::open(dir.path()).unwrap()));
    let keys = Arc::new(MemoryKeys::new());
    let accounts = Accounts::with_backends(
        dir.path(),
        db.clone(),
        keys.clone(),
        Arc::new(NoProxySecrets),
    );
    Fixture {
        _dir: dir,
        db,
        keys,
        accounts,
    }
}

struct NoProxySecrets;
impl hearth_diagnose::proxies_db::ProxySecrets for NoProxySecrets {
    fn put(&self, _: i64, _: &[u8]) -> Result<(), String> {
        Err("no proxy secrets in this test".into())
    }
    fn get(&self, _: i64) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, String> {
        Ok(None)
    }
    fn delete(&self, _: i64) -> Result<(), String> {
        Ok(())
    }
}

fn add(f: &Fixture, label: &str, user_id: i64) -> AccountId {
    let db = f.db.lock().unwrap();
    let a = db
        .insert_pending_account(
            &NewAccount {
                label: label.into(),
                user_id: None,
                phone: None,
                is_bot: false,
                dc_id: 2,
                network: Network::Local,
            },
            Some("builtin"),
        )
        .unwrap();
    db.complete_pending_account(
        a.id,
        &AccountProfile {
            user_id,
            dc_id: 2,
            display_name: Some(format!("{label} Person")),
            ..Default::default()
        },
    )
    .unwrap();
    a.id
}

fn storage(f: &Fixture, id: AccountId) -> SqliteSessionStorage {
    SqliteSessionStorage::with_key_backend(
        f.db.clone(),
        Box::new(hearth_accounts::SharedKeys(f.keys.clone())),
        id,
    )
}

#[tokio::test]
async fn list_reorder_and_remove_announce_each_change() {
    let f = fixture();
    let mut events = f.accounts.subscribe();
    let a = add(&f, "A", 1);
    let b = add(&f, "B", 2);
    let c = add(&f, "C", 3);
    let list = f.accounts.list().unwrap();
    assert_eq!(list.iter().map(|v| v.id).collect::<Vec<_>>(), [a, b, c]);
    assert_eq!(list[0].display_name(), "A Person");
    assert!(list.iter().all(|v| v.state == ConnectionState::Offline));
    assert_eq!(list[1].local_source.as_deref(), Some("builtin"));

    f.accounts.reorder(&[c, a]).unwrap();
    assert_eq!(events.try_recv().unwrap(), AccountEvent::ListChanged);
    let order: Vec<_> = f.accounts.list().unwrap().iter().map(|v| v.id).collect();
    assert_eq!(order, [c, a, b]);
    f.accounts.move_to(b, 0).unwrap();
    assert_eq!(events.try_recv().unwrap(), AccountEvent::ListChanged);
    assert_eq!(f.accounts.list().unwrap()[0].id, b);

    let err = f.accounts.reorder(&[AccountId(404)]).unwrap_err();
    assert_eq!(err.code(), "NO_SUCH_ACCOUNT");
    assert!(err.to_string().contains("account list"), "{err}");

    // Removal deletes the keys first, then every row of the account.
    let s = storage(&f, a);
    s.save_auth_key(2, &[7u8; 256]).unwrap();
    s.save_auth_key(4, &[8u8; 256]).unwrap();
    s.set_home_dc(4).unwrap();
    assert_eq!(f.keys.count_for(a), 2);
    f.accounts.remove(a).await.unwrap();
    assert_eq!(f.keys.count_for(a), 0);
    assert!(f.db.lock().unwrap().get_account(a).unwrap().is_none());
    assert_eq!(s.load().unwrap().home_dc, None);
    let mut seen_list_change = false;
    while let Ok(e) = events.try_recv() {
        seen_list_change |= e == AccountEvent::ListChanged;
    }
    assert!(seen_list_change);
    assert_eq!(
        f.accounts.remove(a).await.unwrap_err().code(),
        "NO_SUCH_ACCOUNT"
    );
    assert_eq!(f.accounts.list().unwrap().len(), 2);
}

#[tokio::test]
async fn an_interrupted_login_is_cleared_at_the_next_start() {
    let f = fixture();
    let pending =
        f.db.lock()
            .unwrap()
            .insert_pending_account(
                &NewAccount {
                    label: String::new(),
                    user_id: None,
                    phone: None,
                    is_bot: false,
                    dc_id: 2,
                    network: Network::Local,
                },
                Some("builtin"),
            )
            .unwrap();
    storage(&f, pending.id)
        .save_auth_key(2, &[9u8; 256])
        .unwrap();
    assert!(
        f.accounts.list().unwrap().is_empty(),
        "pending rows are not listed"
    );
    assert_eq!(
        f.accounts.get(pending.id).unwrap_err().code(),
        "NO_SUCH_ACCOUNT"
    );

    // A new service on the same directory (the next start) clears it, key included.
    let again = Accounts::with_backends(
        f.accounts.data_dir(),
        f.db.clone(),
        f.keys.clone(),
        Arc::new(NoProxySecrets),
    );
    assert!(again.list().unwrap().is_empty());
    assert!(f.db.lock().unwrap().pending_accounts().unwrap().is_empty());
    assert_eq!(f.keys.count_for(pending.id), 0);
}

#[test]
fn api_credentials_are_checked_and_kept_per_network() {
    let f = fixture();
    assert_eq!(
        f.accounts.api_credentials(Network::Production).unwrap(),
        None
    );
    let bad = ApiCredentials::new(0, "0123456789abcdef0123456789abcdef").unwrap_err();
    assert_eq!((bad.code(), bad.field()), ("INVALID_INPUT", Some("api_id")));
    let bad = ApiCredentials::new(12345, "not a hash").unwrap_err();
    assert_eq!(bad.field(), Some("api_hash"));
    assert!(bad.to_string().contains("my.telegram.org"));

    let creds = ApiCredentials::new(12345, " 0123456789ABCDEF0123456789abcdef ").unwrap();
    assert!(
        !format!("{creds:?}").contains("0123456789"),
        "the hash is not shown"
    );
    f.accounts
        .set_api_credentials(Network::Production, &creds)
        .unwrap();
    let saved = f
        .accounts
        .api_credentials(Network::Production)
        .unwrap()
        .unwrap();
    assert_eq!(saved.api_id, 12345);
    assert_eq!(saved.api_hash, "0123456789abcdef0123456789abcdef");
    assert_eq!(f.accounts.api_credentials(Network::Test).unwrap(), None);
}

#[test]
fn rename_checks_the_label() {
    let f = fixture();
    let a = add(&f, "A", 1);
    f.accounts.rename(a, "  Work  ").unwrap();
    assert_eq!(f.accounts.get(a).unwrap().label, "Work");
    let e = f.accounts.rename(a, "   ").unwrap_err();
    assert_eq!((e.code(), e.field()), ("INVALID_INPUT", Some("label")));
    assert!(matches!(
        f.accounts.rename(AccountId(99), "x"),
        Err(AccountsError::NoSuchAccount(_))
    ));
}

/// The chat open at quit is kept across a restart of the service, is refused for an
/// unknown account, reads as nothing once damaged, and goes with its account.
#[tokio::test]
async fn the_last_open_chat_survives_a_restart_and_goes_with_its_account() {
    let f = fixture();
    let alice = add(&f, "Alice", 1001);
    let bob = add(&f, "Bob", 1002);
    assert_eq!(f.accounts.last_chat().unwrap(), None);

    let open = LastChat {
        account: alice,
        chat: -1_001_234_567_890,
    };
    f.accounts.set_last_chat(Some(open)).unwrap();
    let again = Accounts::with_backends(
        f.accounts.data_dir(),
        f.db.clone(),
        f.keys.clone(),
        Arc::new(NoProxySecrets),
    );
    assert_eq!(again.last_chat().unwrap(), Some(open));

    let unknown = LastChat {
        account: AccountId(999),
        chat: 5,
    };
    assert!(matches!(
        f.accounts.set_last_chat(Some(unknown)),
        Err(AccountsError::NoSuchAccount(_))
    ));
    assert_eq!(f.accounts.last_chat().unwrap(), Some(open));

    f.db.lock()
        .unwrap()
        .set_setting("last_chat", "Alice:Bob")
        .unwrap();
    assert_eq!(f.accounts.last_chat().unwrap(), None);

    f.accounts.set_last_chat(Some(open)).unwrap();
    f.accounts.remove(bob).await.unwrap();
    assert_eq!(f.accounts.last_chat().unwrap(), Some(open));
    f.accounts.remove(alice).await.unwrap();
    assert_eq!(f.accounts.last_chat().unwrap(), None);
    assert_eq!(f.db.lock().unwrap().get_setting("last_chat").unwrap(), None);

    f.accounts.set_last_chat(None).unwrap();
    assert_eq!(f.accounts.last_chat().unwrap(), None);
}

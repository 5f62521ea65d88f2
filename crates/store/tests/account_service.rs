//! The account service's part of the `accounts` table: pending logins, profiles, sidebar order
//! and the migration that added them.

use hearth_store::{AccountId, AccountProfile, Database, Network, NewAccount, StoreError};
use rusqlite::Connection;

fn new_account(label: &str) -> NewAccount {
    NewAccount {
        label: label.to_owned(),
        user_id: None,
        phone: None,
        is_bot: false,
        dc_id: 2,
        network: Network::Local,
    }
}

fn profile(user_id: i64, dc_id: i32) -> AccountProfile {
    AccountProfile {
        user_id,
        phone: Some("9996621234".into()),
        is_bot: false,
        dc_id,
        display_name: Some("Alice Liddell".into()),
        username: Some("alice".into()),
    }
}

fn ids(accounts: &[hearth_store::Account]) -> Vec<AccountId> {
    accounts.iter().map(|a| a.id).collect()
}

#[test]
fn a_pending_login_is_not_listed_until_completed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let first = db.insert_account(&new_account("first")).unwrap();
    let pending = db
        .insert_pending_account(&new_account("alice"), Some("/tmp/localdc.json"))
        .unwrap();
    assert!(pending.pending);
    assert_eq!(pending.local_source.as_deref(), Some("/tmp/localdc.json"));
    assert_eq!(ids(&db.list_accounts().unwrap()), [first.id]);
    assert_eq!(ids(&db.accounts_in_order().unwrap()), [first.id]);
    assert_eq!(ids(&db.pending_accounts().unwrap()), [pending.id]);

    let done = db
        .complete_pending_account(pending.id, &profile(1001, 2))
        .unwrap();
    assert!(!done.pending);
    assert_eq!(done.position, 1, "completed accounts go last");
    assert_eq!(done.user_id, Some(1001));
    assert_eq!(done.display_name.as_deref(), Some("Alice Liddell"));
    assert_eq!(done.username.as_deref(), Some("alice"));
    assert_eq!(
        ids(&db.accounts_in_order().unwrap()),
        [first.id, pending.id]
    );
    assert!(db.pending_accounts().unwrap().is_empty());
    assert_eq!(
        db.account_of_user(Network::Local, 1001)
            .unwrap()
            .unwrap()
            .id,
        done.id
    );
    assert!(db.account_of_user(Network::Test, 1001).unwrap().is_none());
}

#[test]
fn the_same_user_twice_on_one_network_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let a = db.insert_pending_account(&new_account("A"), None).unwrap();
    db.complete_pending_account(a.id, &profile(7, 2)).unwrap();
    let b = db.insert_pending_account(&new_account("B"), None).unwrap();
    let err = db
        .complete_pending_account(b.id, &profile(7, 4))
        .unwrap_err();
    match &err {
        StoreError::DuplicateAccount {
            existing, user_id, ..
        } => assert_eq!((*existing, *user_id), (a.id, 7)),
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("already signed in") && text.contains("\"A\""),
        "{text}"
    );
    // Nothing changed: B is still pending, A untouched.
    assert!(db.get_account(b.id).unwrap().unwrap().pending);
    assert_eq!(db.get_account(a.id).unwrap().unwrap().dc_id, 2);
    // On another network the same user id is a different account.
    let c = db
        .insert_pending_account(
            &NewAccount {
                network: Network::Test,
                ..new_account("C")
            },
            None,
        )
        .unwrap();
    assert!(db.complete_pending_account(c.id, &profile(7, 2)).is_ok());
    assert!(matches!(
        db.complete_pending_account(AccountId(999), &profile(8, 2)),
        Err(StoreError::NoSuchAccount(AccountId(999)))
    ));
}

#[test]
fn reorder_and_move_keep_positions_dense() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let [a, b, c, d] = ["a", "b", "c", "d"].map(|l| db.insert_account(&new_account(l)).unwrap());
    assert_eq!(
        db.accounts_in_order()
            .unwrap()
            .iter()
            .map(|x| x.position)
            .collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    db.reorder_accounts(&[c.id, a.id]).unwrap();
    assert_eq!(
        ids(&db.accounts_in_order().unwrap()),
        [c.id, a.id, b.id, d.id]
    );
    db.set_account_position(d.id, 0).unwrap();
    assert_eq!(
        ids(&db.accounts_in_order().unwrap()),
        [d.id, c.id, a.id, b.id]
    );
    db.set_account_position(d.id, 99).unwrap();
    let order = db.accounts_in_order().unwrap();
    assert_eq!(ids(&order), [c.id, a.id, b.id, d.id]);
    assert_eq!(
        order.iter().map(|x| x.position).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );

    // Bad input changes nothing.
    assert!(matches!(
        db.reorder_accounts(&[a.id, AccountId(77)]),
        Err(StoreError::NoSuchAccount(AccountId(77)))
    ));
    assert!(matches!(
        db.reorder_accounts(&[a.id, a.id]),
        Err(StoreError::InvalidValue { .. })
    ));
    assert!(db.set_account_position(AccountId(77), 0).is_err());
    assert_eq!(
        ids(&db.accounts_in_order().unwrap()),
        [c.id, a.id, b.id, d.id]
    );

    // Removing one leaves a gap that the next reorder closes; new accounts go last.
    db.delete_account(a.id).unwrap();
    let e = db.insert_account(&new_account("e")).unwrap();
    assert_eq!(
        ids(&db.accounts_in_order().unwrap()),
        [c.id, b.id, d.id, e.id]
    );
    db.reorder_accounts(&[]).unwrap();
    assert_eq!(
        db.accounts_in_order()
            .unwrap()
            .iter()
            .map(|x| x.position)
            .collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
}

#[test]
fn profile_and_local_source_updates() {
    let tmp = tempfile::tempdir().unwrap();
    let db = Database::open(tmp.path()).unwrap();
    let a = db.insert_account(&new_account("a")).unwrap();
    assert!(db.update_account_profile(a.id, &profile(5, 4)).unwrap());
    assert!(db.set_account_local_source(a.id, Some("builtin")).unwrap());
    let a = db.get_account(a.id).unwrap().unwrap();
    assert_eq!((a.user_id, a.dc_id), (Some(5), 4));
    assert_eq!(a.local_source.as_deref(), Some("builtin"));
    assert!(!db
        .update_account_profile(AccountId(99), &profile(6, 2))
        .unwrap());
    // An empty source is not a place.
    assert!(db.set_account_local_source(a.id, Some("")).is_err());
}

#[test]
fn version_4_accounts_keep_their_creation_order() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(hearth_store::DATABASE_FILE_NAME);
    {
        // A version-4 database as the previous Hearth left it.
        let db = Database::open(tmp.path()).unwrap();
        for l in ["x", "y", "z"] {
            db.insert_account(&new_account(l)).unwrap();
        }
    }
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(
        "ALTER TABLE proxies DROP COLUMN saving;
         DROP TABLE proxy_secrets_to_delete;
         ALTER TABLE accounts DROP COLUMN position;
         ALTER TABLE accounts DROP COLUMN local_source;
         ALTER TABLE accounts DROP COLUMN display_name;
         ALTER TABLE accounts DROP COLUMN username;
         ALTER TABLE accounts DROP COLUMN pending;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(raw);
    let db = Database::open(tmp.path()).unwrap();
    let order = db.accounts_in_order().unwrap();
    assert_eq!(
        order
            .iter()
            .map(|a| (a.label.as_str(), a.position))
            .collect::<Vec<_>>(),
        [("x", 0), ("y", 1), ("z", 2)]
    );
    assert!(order.iter().all(|a| !a.pending && a.local_source.is_none()));
}

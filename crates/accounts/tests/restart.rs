//! An account made on an external localdc keeps working after that localdc restarts on new
//! ports with the same state directory: the announcement file is read again at each start.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use hearth_accounts::{MemoryKeys, NetworkSpec};
use hearth_store::Database;

#[tokio::test(flavor = "multi_thread")]
async fn a_local_account_survives_a_restart_of_its_localdc() {
    let state = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("localdc.json");
    let dc = start_demo(Some(state.path().to_path_buf())).await;
    std::fs::write(&file, announcement_of(&dc)).unwrap();
    let first_port = dc.dc_addr(2).unwrap().port();

    let db = Arc::new(Mutex::new(Database::open(data.path()).unwrap()));
    let keys = Arc::new(MemoryKeys::new());
    let proxies = Arc::new(MemoryProxySecrets::default());
    let accounts = service(data.path(), &db, &keys, &proxies);
    let mut flow = accounts
        .begin_login(
            NetworkSpec::Local {
                announcement: file.clone(),
            },
            None,
        )
        .await
        .unwrap();
    flow.request_code(BOB).await.unwrap();
    let hearth_accounts::LoginStep::Done(bob) = flow.submit_code(&code_of(BOB)).await.unwrap()
    else {
        panic!("bob has no password")
    };
    accounts.shutdown().await;
    dc.shutdown().await;

    // The same state directory, new ports; the file gets the new line.
    let dc = start_demo(Some(state.path().to_path_buf())).await;
    assert_ne!(dc.dc_addr(2).unwrap().port(), first_port, "localdc moved");
    std::fs::write(&file, announcement_of(&dc)).unwrap();

    let accounts = service(data.path(), &db, &keys, &proxies);
    let client = accounts.client(bob.id).await.unwrap();
    assert!(client.is_authorized().await.unwrap(), "still signed in");
    let sessions = accounts.sessions(bob.id).await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].dc, Some(4));
    accounts.shutdown().await;
    dc.shutdown().await;
}

//! An account's saved proxy is the route the engine really connects over: a
//! key is created and an encrypted call answered by localdc through a SOCKS5
//! proxy on loopback, and wrong stored credentials make that same connection fail.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use hearth_diagnose::proxies_db::{self, ProxySecrets};
use hearth_diagnose::ProxySpec;
use hearth_mtproto::auth::{KeyParams, KeyTable};
use hearth_mtproto::SessionConfig;
use hearth_sender::connect::{ConnectError, Endpoint, Peer, Route};
use hearth_sender::sender::{AuthKeyExchange, Config, Mtproto};
use hearth_sender::test_support::socks5_server;
use hearth_sender::Sender;
use hearth_store::{AccountId, Database, Network, NewAccount};
use hearth_transport::{DcId, FramingKind};
use zeroize::Zeroizing;

#[derive(Default)]
struct Memory(RefCell<HashMap<i64, Vec<u8>>>);

impl ProxySecrets for Memory {
    fn put(&self, id: i64, s: &[u8]) -> Result<(), String> {
        self.0.borrow_mut().insert(id, s.to_vec());
        Ok(())
    }
    fn get(&self, id: i64) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        Ok(self.0.borrow().get(&id).cloned().map(Zeroizing::new))
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.0.borrow_mut().remove(&id);
        Ok(())
    }
}

/// Connects to `dc`'s DC 2 over `route`, creating a key, and calls `help.getConfig`.
async fn get_config_over(dc: &localdc::LocalDc, route: Route) -> Result<Vec<u8>, ConnectError> {
    let addr = dc.dc_addr(2).expect("DC 2 is served");
    let mut config = Config::new(
        Peer::Dc {
            id: Some(2),
            addr: Endpoint::new(addr.ip().to_string(), addr.port()),
        },
        route,
    );
    config.request_timeout = Some(Duration::from_secs(10));
    let protocol = Mtproto {
        dc: DcId {
            id: 2,
            media: false,
            test: true,
        },
        framing: FramingKind::Intermediate,
        obfuscate: true,
        session: SessionConfig::default(),
    };
    let mut keys = KeyTable::empty();
    keys.add_pem(dc.key().public_pem())
        .expect("localdc's PEM parses");
    let params = KeyParams {
        test: true,
        ..KeyParams::permanent(2)
    };
    let (sender, _key) =
        Sender::connect_creating_key(config, protocol, AuthKeyExchange::new(params, keys)).await?;
    let answer = sender
        .invoke_raw(0xc4f9186bu32.to_le_bytes().to_vec()) // help.getConfig
        .await
        .expect("help.getConfig is answered");
    sender.shutdown();
    Ok(answer)
}

#[tokio::test]
async fn the_engine_connects_an_account_through_its_saved_proxy() {
    let dc = localdc::LocalDc::start(localdc::Config::default())
        .await
        .expect("localdc starts");
    let socks = socks5_server(Some(("alice", "s3cret"))).await;
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path()).unwrap();
    let keyring = Memory::default();
    let account = db
        .insert_account(&NewAccount {
            label: "work".into(),
            user_id: None,
            phone: Some("9996621234".into()),
            is_bot: false,
            dc_id: 2,
            network: Network::Local,
        })
        .unwrap();
    assert_eq!(
        proxies_db::account_route(&db, &keyring, account.id).unwrap(),
        Route::Direct
    );

    let good = ProxySpec::parse(&format!("socks5://alice:s3cret@{socks}")).unwrap();
    let good_id = proxies_db::save(&db, &keyring, &good).unwrap();
    db.set_account_proxy(account.id, Some(good_id)).unwrap();
    let route = proxies_db::account_route(&db, &keyring, account.id).unwrap();
    assert_eq!(route, good.route());
    let answer = get_config_over(&dc, route)
        .await
        .expect("connects via SOCKS5");
    assert_eq!(
        &answer[..4],
        &0xcc1a241eu32.to_le_bytes(),
        "a config object"
    );

    // The same account with a wrong stored password: the proxy refuses it.
    let bad = ProxySpec::parse(&format!("socks5://alice:wrong@{socks}")).unwrap();
    let bad_id = proxies_db::save(&db, &keyring, &bad).unwrap();
    db.set_account_proxy(account.id, Some(bad_id)).unwrap();
    let route = proxies_db::account_route(&db, &keyring, account.id).unwrap();
    match get_config_over(&dc, route).await {
        Err(ConnectError::ProxyAuthRejected { .. }) => {}
        other => panic!("expected the proxy to reject the credentials, got {other:?}"),
    }

    // Removing the proxy sends the account back to direct connections.
    proxies_db::delete(&db, &keyring, bad_id).unwrap();
    assert_eq!(
        proxies_db::account_route(&db, &keyring, account.id).unwrap(),
        Route::Direct
    );
    assert!(matches!(
        proxies_db::account_route(&db, &keyring, AccountId(account.id.0 + 1)),
        Err(proxies_db::ProxyStoreError::NoSuchAccount(_))
    ));
    dc.shutdown().await;
}

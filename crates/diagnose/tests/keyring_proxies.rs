//! Saved proxies against a real Secret Service (gnome-keyring). Ignored by
//! default: `tests/keyring/run.sh` starts a private D-Bus session with an
//! unlocked gnome-keyring and runs them. Each test uses its own keyring
//! service name, so a run on a developer's desktop never touches the real
//! "Hearth" entries.

mod support;

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use hearth_diagnose::proxies_db::{self, keyring_kind, Damage};
use hearth_diagnose::{build_plan, run_sweep, PlanOptions, ProbeConfig, ProxySpec};
use hearth_store::secrets::SecretStore;
use hearth_store::{AccountId, Database};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a Secret Service (gnome-keyring); run by tests/keyring/run.sh"]
async fn a_proxy_whose_keyring_entry_vanished_is_damaged_and_the_rest_still_probe() {
    let (_dc, net) = support::localdc().await;
    let socks = support::socks5_server(Some(("alice", "s3cret"))).await;
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let service = format!("Hearth-test-{}-proxies", std::process::id());
    let keyring = SecretStore::with_service(&service);
    keyring.probe().expect("the test keyring answers");

    let good_spec = ProxySpec::parse(&format!("socks5://alice:s3cret@{socks}")).unwrap();
    let good = proxies_db::save(&db, &keyring, &good_spec).unwrap();
    let lost = proxies_db::save(
        &db,
        &keyring,
        &ProxySpec::parse("http://bob:hunter2@127.0.0.1:9").unwrap(),
    )
    .unwrap();
    let mt = proxies_db::save(
        &db,
        &keyring,
        &ProxySpec::parse("mtproxy://dd00112233445566778899aabbccddeeff@127.0.0.1:9").unwrap(),
    )
    .unwrap();

    // Behind Hearth's back: the entry of `lost` is removed with secret-tool.
    let entry = format!("0/{}", keyring_kind(lost));
    let status = Command::new("secret-tool")
        .args(["clear", "service", &service, "username", &entry])
        .status()
        .expect("secret-tool runs");
    assert!(status.success());
    assert!(keyring
        .get(AccountId(0), &keyring_kind(lost))
        .unwrap()
        .is_none());

    let all = proxies_db::load_all(&db, &keyring).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!((all[0].id, all[0].spec()), (good, Some(&good_spec)));
    assert_eq!(
        (all[1].id, all[1].label.as_str(), &all[1].state),
        (lost, "http 127.0.0.1:9", &Err(Damage::SecretMissing))
    );
    assert_eq!(all[2].id, mt);
    assert!(all[2].spec().is_some());

    // Direct probes and the healthy SOCKS5 proxy (its password read back
    // from the keyring) reach localdc.
    let usable: Vec<ProxySpec> = all
        .iter()
        .filter_map(|p| p.spec().cloned())
        .filter(|s| s.addr().port != 9)
        .collect();
    let plan = build_plan(&net, &usable, &PlanOptions::default());
    assert_eq!(plan.len(), 40, "20 direct + 20 through SOCKS5");
    let config = ProbeConfig {
        timeout: Duration::from_secs(10),
        fingerprints: net.fingerprints.clone(),
        test_network: false,
        ping: None,
    };
    let results = run_sweep(plan, config, 8).await;
    for r in &results {
        assert!(r.ok(), "{:?}: {}", r.spec, r.verdict.explanation());
    }

    // The damaged proxy and the others are deleted; no entry is left behind.
    for id in [lost, good, mt] {
        proxies_db::delete(&db, &keyring, id).unwrap();
        assert!(keyring
            .get(AccountId(0), &keyring_kind(id))
            .unwrap()
            .is_none());
    }
    assert!(proxies_db::load_all(&db, &keyring).unwrap().is_empty());
    assert_eq!(proxies_db::sweep_orphans(&db, &keyring), 0);
}

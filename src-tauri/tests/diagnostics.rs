//! The Diagnostics commands' backend against the built-in local test
//! network (localdc in-process, loopback only) and an in-memory keyring.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use hearth_app::diagnostics::types::{ProxyInput, SweepEvent, SweepRequest};
use hearth_app::diagnostics::Diagnostics;
use hearth_diagnose::proxies_db::ProxySecrets;
use hearth_store::Database;
use tokio::sync::mpsc;

/// A keyring in memory; `locked` refuses every write like an unavailable one.
#[derive(Default)]
struct Memory {
    entries: Mutex<HashMap<i64, Vec<u8>>>,
    locked: bool,
}

impl ProxySecrets for Memory {
    fn put(&self, id: i64, secret: &[u8]) -> Result<(), String> {
        if self.locked {
            return Err("no Secret Service on D-Bus".into());
        }
        self.entries.lock().unwrap().insert(id, secret.to_vec());
        Ok(())
    }
    fn get(&self, id: i64) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, String> {
        Ok(self
            .entries
            .lock()
            .unwrap()
            .get(&id)
            .cloned()
            .map(zeroize::Zeroizing::new))
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.entries.lock().unwrap().remove(&id);
        Ok(())
    }
}

fn link(text: &str) -> ProxyInput {
    ProxyInput {
        link: Some(text.into()),
        kind: String::new(),
        host: String::new(),
        port: 0,
        username: None,
        password: None,
        secret: None,
    }
}

fn manual(kind: &str, port: u16, user: Option<&str>, secret: Option<&str>) -> ProxyInput {
    ProxyInput {
        link: None,
        kind: kind.into(),
        host: "127.0.0.1".into(),
        port,
        username: user.map(Into::into),
        password: user.map(|_| "hunter2".into()),
        secret: secret.map(Into::into),
    }
}

/// Runs a sweep to its end and returns every event.
async fn sweep(
    diagnostics: &Diagnostics,
    db: &Mutex<Database>,
    cells: Option<Vec<String>>,
) -> Vec<SweepEvent> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let request = SweepRequest {
        network: "local".into(),
        cells,
    };
    diagnostics
        .run(db, &request, move |e| {
            let _ = tx.send(e);
        })
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(e) = tokio::time::timeout(Duration::from_secs(60), rx.recv())
        .await
        .expect("the sweep ended within a minute")
    {
        let done = matches!(e, SweepEvent::Finished { .. });
        events.push(e);
        if done {
            break;
        }
    }
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_network_sweep_streams_every_cell_and_saves_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let diagnostics = Diagnostics::with_secrets(dir.path(), Box::new(Memory::default()));

    assert!(
        diagnostics.save_report().is_err(),
        "nothing to save before a run"
    );
    let info = diagnostics.start_local().await.unwrap();
    let regular: Vec<i32> = info
        .dcs
        .iter()
        .filter(|d| !d.media_only)
        .map(|d| d.id)
        .collect();
    assert_eq!(regular, [1, 2, 3, 4, 5]);
    assert!(info.dcs.iter().all(|d| d.address.starts_with("127.0.0.1:")));
    assert!(dir.path().join("localdc").is_dir());
    // Other clients join the same network through the announcement file.
    let announced: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("localdc/announcement.json")).unwrap(),
    )
    .unwrap();
    let announced_ports: Vec<String> = announced["dcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{}", d["host"].as_str().unwrap(), d["port"]))
        .collect();
    let shown_ports: Vec<String> = info.dcs.iter().map(|d| d.address.clone()).collect();
    assert_eq!(announced_ports, shown_ports);
    assert!(announced["rsa_public_key_pem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PUBLIC KEY-----"));
    assert_eq!(
        diagnostics.start_local().await.unwrap(),
        info,
        "started once"
    );

    let events = sweep(&diagnostics, &db, None).await;
    let SweepEvent::Planned { run, cells, .. } = &events[0] else {
        panic!("first event is not the plan: {:?}", events[0]);
    };
    assert_eq!(cells.len(), 20, "5 DCs × 4 transports");
    let probes: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            SweepEvent::Probe { run: r, outcome } if r == run => Some(outcome),
            _ => None,
        })
        .collect();
    assert_eq!(probes.len(), 20);
    for p in &probes {
        assert!(p.ok, "{} failed: {} {}", p.cell.key, p.title, p.explanation);
        assert!(p.rtt_ms.is_some_and(|ms| ms > 0.0));
        let names: Vec<&str> = p.steps.iter().map(|s| s.name.as_str()).collect();
        assert!(
            names.contains(&"connect") && names.contains(&"answer"),
            "{names:?}"
        );
        assert!(p.raw.contains("\"verdict\": \"ok\""));
    }
    assert!(matches!(
        events.last(),
        Some(SweepEvent::Finished {
            ok: 20,
            failed: 0,
            ..
        })
    ));

    // One cell again: only it is planned and probed.
    let key = cells[3].key.clone();
    let again = sweep(&diagnostics, &db, Some(vec![key.clone()])).await;
    assert!(
        matches!(&again[0], SweepEvent::Planned { cells, .. } if cells.len() == 1 && cells[0].key == key)
    );
    assert_eq!(again.len(), 3);

    let saved = diagnostics.save_report().unwrap();
    assert_eq!(saved.probes, 20);
    assert!(saved
        .path
        .starts_with(&dir.path().join("reports").display().to_string()));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved.path).unwrap()).unwrap();
    assert_eq!(report["network"], "local");
    assert_eq!(report["probes"].as_array().unwrap().len(), 20);
    assert_eq!(
        report["summary"]["reachable_dcs"],
        serde_json::json!([1, 2, 3, 4, 5])
    );
    diagnostics.shutdown().await;
    assert!(
        !dir.path().join("localdc/announcement.json").exists(),
        "a stopped network's announcement is removed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_are_saved_listed_removed_and_probed_as_routes() {
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let diagnostics = Diagnostics::with_secrets(dir.path(), Box::new(Memory::default()));

    let socks = diagnostics
        .add_proxy(
            &db,
            &link("tg://socks?server=127.0.0.1&port=9&user=u&pass=p"),
        )
        .unwrap();
    assert_eq!(
        (socks.label.as_str(), socks.saved),
        ("socks5 127.0.0.1:9", true)
    );
    let mt = diagnostics
        .add_proxy(
            &db,
            &manual(
                "mtproxy",
                9,
                None,
                Some("dd0123456789abcdef0123456789abcdef"),
            ),
        )
        .unwrap();
    assert_eq!(mt.label, "mtproxy(dd) 127.0.0.1:9");
    for (input, message) in [
        (
            manual("mtproxy", 9, None, None),
            "an MTProxy needs its secret",
        ),
        (
            manual("http", 0, None, None),
            "enter the proxy's port (1–65535)",
        ),
        (
            manual("ftp", 9, None, None),
            "proxy type \"ftp\" is not supported",
        ),
        (link("tg://socks?server=127.0.0.1"), "port"),
    ] {
        let e = diagnostics.add_proxy(&db, &input).unwrap_err();
        assert!(e.message.contains(message), "{}", e.message);
    }
    let listed = diagnostics.proxies(&db).unwrap();
    assert_eq!(listed, [socks.clone(), mt.clone()]);

    // Nothing listens on port 9 (discard): every proxied cell fails with a verdict.
    let events = sweep(&diagnostics, &db, None).await;
    let SweepEvent::Planned { cells, .. } = &events[0] else {
        panic!("no plan");
    };
    // 20 direct, 20 through SOCKS5, 5 through the MTProxy (one per DC id).
    assert_eq!(cells.len(), 45);
    let proxied_failed = events
        .iter()
        .filter(|e| matches!(e, SweepEvent::Probe { outcome, .. } if outcome.route != "direct" && !outcome.ok))
        .count();
    assert_eq!(proxied_failed, 25);

    assert_eq!(diagnostics.save_report().unwrap().probes, 45);
    diagnostics.remove_proxy(&db, socks.id).unwrap();
    assert_eq!(diagnostics.proxies(&db).unwrap(), [mt]);
    // The next full run no longer probes (or reports) the removed proxy.
    let events = sweep(&diagnostics, &db, None).await;
    assert!(matches!(&events[0], SweepEvent::Planned { cells, .. } if cells.len() == 25));
    assert_eq!(diagnostics.save_report().unwrap().probes, 25);
    diagnostics.shutdown().await;
}

#[test]
fn a_refused_secret_keeps_the_proxy_for_this_run_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let locked = Memory {
        locked: true,
        ..Memory::default()
    };
    let diagnostics = Diagnostics::with_secrets(dir.path(), Box::new(locked));
    let entry = diagnostics
        .add_proxy(&db, &manual("socks5", 1080, Some("alice"), None))
        .unwrap();
    assert!(!entry.saved && entry.id < 0);
    let note = entry.note.clone().unwrap();
    assert!(
        note.contains("no Secret Service on D-Bus") && note.contains("this run only"),
        "{note}"
    );
    // Without a secret the keyring is not needed: it is saved.
    let open = diagnostics
        .add_proxy(&db, &manual("http", 8080, None, None))
        .unwrap();
    assert!(open.saved);
    assert_eq!(diagnostics.proxies(&db).unwrap(), [open, entry.clone()]);
    let rows: i64 = db
        .lock()
        .unwrap()
        .connection()
        .query_row("SELECT count(*) FROM proxies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1, "the refused proxy left no row");
    diagnostics.remove_proxy(&db, entry.id).unwrap();
    assert_eq!(diagnostics.proxies(&db).unwrap().len(), 1);
}

/// A [`Memory`] the test keeps a handle on, to change it behind Hearth's back.
struct Shared(std::sync::Arc<Memory>);

impl ProxySecrets for Shared {
    fn put(&self, id: i64, secret: &[u8]) -> Result<(), String> {
        self.0.put(id, secret)
    }
    fn get(&self, id: i64) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, String> {
        self.0.get(id)
    }
    fn delete(&self, id: i64) -> Result<(), String> {
        self.0.delete(id)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_whose_secret_vanished_is_listed_damaged_and_the_rest_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let keyring = std::sync::Arc::new(Memory::default());
    let diagnostics = Diagnostics::with_secrets(dir.path(), Box::new(Shared(keyring.clone())));
    let socks = diagnostics
        .add_proxy(&db, &manual("socks5", 9, Some("alice"), None))
        .unwrap();
    let http = diagnostics
        .add_proxy(&db, &manual("http", 9, None, None))
        .unwrap();
    // The keyring entry disappears behind Hearth's back.
    keyring.entries.lock().unwrap().remove(&socks.id);

    let listed = diagnostics.proxies(&db).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1], http);
    let damaged = &listed[0];
    assert_eq!(
        (
            damaged.id,
            damaged.label.as_str(),
            damaged.saved,
            damaged.damaged
        ),
        (socks.id, "socks5 127.0.0.1:9", true, true)
    );
    let note = damaged.note.as_deref().unwrap();
    assert!(note.contains("no longer in the keyring"), "{note}");
    assert!(note.contains("add the proxy again"), "{note}");
    assert!(note.contains("or delete it"), "{note}");

    // Direct probes and the healthy proxy still run; the damaged one is left out.
    diagnostics.start_local().await.unwrap();
    let events = sweep(&diagnostics, &db, None).await;
    let SweepEvent::Planned { cells, .. } = &events[0] else {
        panic!("no plan: {:?}", events[0]);
    };
    assert_eq!(cells.len(), 40, "20 direct + 20 through the HTTP proxy");
    let direct_ok = events
        .iter()
        .filter(|e| matches!(e, SweepEvent::Probe { outcome, .. } if outcome.route == "direct" && outcome.ok))
        .count();
    assert_eq!(direct_ok, 20);

    // Adding it again re-enters its password under the same id.
    let repaired = diagnostics
        .add_proxy(&db, &manual("socks5", 9, Some("alice"), None))
        .unwrap();
    assert_eq!(repaired, socks);
    assert_eq!(
        diagnostics.proxies(&db).unwrap(),
        [socks.clone(), http.clone()]
    );

    // A damaged proxy can be removed too; nothing of it is left.
    keyring.entries.lock().unwrap().remove(&socks.id);
    assert!(diagnostics.proxies(&db).unwrap()[0].damaged);
    diagnostics.remove_proxy(&db, socks.id).unwrap();
    assert!(keyring.entries.lock().unwrap().is_empty());
    assert_eq!(diagnostics.proxies(&db).unwrap(), [http]);
    diagnostics.shutdown().await;
}

#[test]
fn a_bad_proxy_link_is_refused_without_echoing_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = Mutex::new(Database::open(dir.path()).unwrap());
    let diagnostics = Diagnostics::with_secrets(dir.path(), Box::new(Memory::default()));
    for text in [
        "socks5://alice:hunter2@127.0.0.1:99999",
        "http://alice:hunter2@bad host:80",
        "tg://proxy?server=127.0.0.1&port=99999&secret=hunter2",
    ] {
        let e = diagnostics.add_proxy(&db, &link(text)).unwrap_err();
        let shown = format!("{e:?} {}", e.message);
        assert!(!shown.contains("hunter2"), "{text}: {shown}");
    }
    let mut input = manual("socks5", 1080, Some("alice"), None);
    input.password = Some("hunter2".into());
    input.secret = Some("ee00112233445566778899aabbccddeeff".into());
    input.link = Some("socks5://alice:hunter2@127.0.0.1:1080".into());
    let shown = format!("{input:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!shown.contains("00112233"), "{shown}");
    assert!(shown.contains("alice") && shown.contains("1080"), "{shown}");
}

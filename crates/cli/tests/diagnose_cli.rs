//! `hearth-cli diagnose` as a user runs it, against localdc on loopback.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

mod support;

use support::{assert_probe_fields, lines, BIN};

async fn localdc_line() -> (localdc::LocalDc, String) {
    let dc = localdc::LocalDc::start(localdc::Config::default())
        .await
        .expect("localdc starts");
    let line = serde_json::to_string(&dc.announcement()).expect("announcement");
    (dc, line)
}

fn write_temp(line: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "hearth-cli-test-{}-{}.json",
        std::process::id(),
        line.len()
    ));
    std::fs::write(&path, format!("{line}\n")).expect("write announcement");
    path
}

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test(flavor = "multi_thread")]
async fn json_lines_for_every_probe_then_a_summary() {
    let (_dc, line) = localdc_line().await;
    let file = write_temp(&line);
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(["diagnose", "--network", "local"])
            .arg(&file)
            .args(["--json", "--timeout", "3000", "--concurrency", "4"])
            .output()
            .expect("run hearth-cli")
    })
    .await
    .expect("join");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objs = lines(&out.stdout);
    let (summary, probes) = objs.split_last().expect("output");
    assert_eq!(probes.len(), 5 * 4);
    for p in probes {
        assert_probe_fields(p);
        assert_eq!(p["ok"], Value::Bool(true), "{p}");
        assert_eq!(p["verdict"], "ok");
        assert_eq!(p["family"], "ipv4");
        assert_eq!(p["route"], "direct");
        assert!(p["connect_ms"].as_f64().is_some_and(|v| v >= 0.0));
        assert!(p["rtt_ms"].as_f64().is_some_and(|v| v > 0.0));
        assert!(p["address"]
            .as_str()
            .is_some_and(|a| a.starts_with("127.0.0.1:")));
        assert_eq!(p["steps"].as_array().map(Vec::len), Some(4));
    }
    let transports: std::collections::BTreeSet<_> = probes
        .iter()
        .filter_map(|p| p["transport"].as_str())
        .collect();
    assert_eq!(
        transports.into_iter().collect::<Vec<_>>(),
        ["abridged", "intermediate", "obfuscated", "padded"]
    );
    assert_eq!(summary["summary"], true);
    assert_eq!(summary["probes"], 20);
    assert_eq!(summary["ok"], 20);
    assert_eq!(summary["reachable_dcs"], serde_json::json!([1, 2, 3, 4, 5]));
}

#[tokio::test(flavor = "multi_thread")]
async fn stdin_announcement_dc_override_and_failure_exit_code() {
    let (_dc, line) = localdc_line().await;
    let port = closed_port();
    let out = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(BIN)
            .args([
                "diagnose",
                "--network",
                "local",
                "-",
                "--json",
                "--timeout",
                "1000",
            ])
            .args(["--dc", &format!("3=127.0.0.1:{port}")])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run hearth-cli");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(line.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait")
    })
    .await
    .expect("join");
    assert_eq!(out.status.code(), Some(1), "no DC reachable must fail");
    let objs = lines(&out.stdout);
    let (summary, probes) = objs.split_last().expect("output");
    assert_eq!(probes.len(), 4);
    for p in probes {
        assert_eq!(p["dc"], 3);
        assert_eq!(p["ok"], false);
        assert_eq!(p["verdict"], "connection_refused");
        assert!(p["detail"]
            .as_str()
            .is_some_and(|d| d.contains(&format!("127.0.0.1:{port}"))));
        assert_eq!(p["rtt_ms"], Value::Null);
    }
    assert_eq!(summary["unreachable_dcs"], serde_json::json!([3]));
    assert!(!summary["next_steps"].as_array().expect("steps").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn human_table_and_next_steps() {
    let (_dc, line) = localdc_line().await;
    let file = write_temp(&line);
    let port = closed_port();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(["diagnose", "--network", "local"])
            .arg(&file)
            .args([
                "--timeout",
                "2000",
                "--proxy",
                &format!("socks5://127.0.0.1:{port}"),
            ])
            .output()
            .expect("run hearth-cli")
    })
    .await
    .expect("join");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let header = text.lines().nth(1).expect("header");
    for col in ["DC", "ROUTE", "STATUS", "CONNECT", "RTT", "VERDICT"] {
        assert!(header.contains(col), "{header}");
    }
    let socks = format!("socks5 127.0.0.1:{port}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(&socks)).collect();
    assert!(rows.len() >= 20);
    assert!(rows.iter().filter(|l| l.contains("FAIL")).count() >= 20);
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(" direct ") && l.contains(" OK "))
            .count(),
        20
    );
    assert!(text.contains("Next steps:"));
    assert!(text.contains(&format!("Check the host and port of {socks}")));
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    for args in [
        vec!["diagnose", "--network", "mars"],
        vec!["diagnose", "--network", "local"],
        vec!["diagnose", "--network", "local", "/nonexistent/hearth.json"],
        vec!["diagnose", "--dc", "two=127.0.0.1:1"],
        vec!["diagnose", "--proxy", "gopher://127.0.0.1:70"],
        vec!["diagnose", "--concurrency", "0"],
    ] {
        let out = Command::new(BIN).args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn a_bad_proxy_url_is_reported_without_its_password() {
    for url in [
        "socks5://alice:hunter2@127.0.0.1:99999",
        "socks5://alice:hun@ter2@[::1",
        "mtproxy://hunter2@127.0.0.1:443",
        "tg://proxy?server=127.0.0.1&port=99999&secret=hunter2",
    ] {
        let out = Command::new(BIN)
            .args(["diagnose", "--proxy", url])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{url}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("--proxy"), "{url}: {stderr}");
        assert!(
            !stderr.contains("hunter2") && !stderr.contains("ter2"),
            "{url}: {stderr}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));
    }
}

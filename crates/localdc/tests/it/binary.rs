//! The `localdc` binary: one JSON line on stdout, a persisted key, clean exit
//! on SIGTERM, clear errors for bad world files.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use localdc::keys::fingerprint_of_public_pem;
use localdc::Announcement;

const BIN: &str = env!("CARGO_BIN_EXE_localdc");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/world/demo.toml");

fn spawn(state: &std::path::Path) -> (Child, Announcement) {
    let mut child = Command::new(BIN)
        .args(["--world", DEMO, "--seed", "1", "--state-dir"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn localdc");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("read the announcement");
    let parsed: Announcement =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}"));
    assert!(
        line.starts_with("{\"dcs\":["),
        "field order as documented: {line}"
    );
    (child, parsed)
}

fn terminate(mut child: Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "localdc did not exit within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn announces_endpoints_and_key_then_exits_cleanly_on_sigterm() {
    let state = tempfile::tempdir().unwrap();
    let (child, a) = spawn(state.path());

    let mut regular: Vec<i32> = a
        .dcs
        .iter()
        .filter(|d| !d.media_only)
        .map(|d| d.id)
        .collect();
    regular.sort();
    assert_eq!(regular, vec![1, 2, 3, 4, 5]);
    let mut media: Vec<i32> = a
        .dcs
        .iter()
        .filter(|d| d.media_only)
        .map(|d| d.id)
        .collect();
    media.sort();
    assert_eq!(media, vec![2, 4]);
    let mut ports: Vec<u16> = a.dcs.iter().map(|d| d.port).collect();
    ports.sort();
    ports.dedup();
    assert_eq!(ports.len(), 7, "every endpoint has its own port");
    assert!(a.dcs.iter().all(|d| d.host == "127.0.0.1" && d.port != 0));
    assert!(a
        .rsa_public_key_pem
        .starts_with("-----BEGIN RSA PUBLIC KEY-----"));
    let fp = fingerprint_of_public_pem(&a.rsa_public_key_pem).expect("PEM parses");
    assert_eq!(a.rsa_fingerprint, fp.to_string());

    // Every DC port accepts connections; the control port answers.
    for d in &a.dcs {
        TcpStream::connect((d.host.as_str(), d.port)).expect("DC port accepts");
    }
    let mut control = TcpStream::connect(&a.control).unwrap();
    control.write_all(b"{\"cmd\":\"ping\"}\n").unwrap();
    let mut reply = String::new();
    BufReader::new(control.try_clone().unwrap())
        .read_line(&mut reply)
        .unwrap();
    assert_eq!(reply.trim(), "{\"ok\":true}");

    let status = terminate(child);
    assert!(status.success(), "exit status {status:?}");

    // The key is kept in the state dir: a second run announces the same one.
    assert!(state.path().join("rsa_private_key.pem").exists());
    let (child, again) = spawn(state.path());
    assert_eq!(again.rsa_fingerprint, a.rsa_fingerprint);
    assert!(terminate(child).success());
}

#[test]
fn invalid_world_file_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("bad.toml");
    std::fs::write(
        &world,
        "[[account]]\nname = 'x'\nphone = '+1 555'\nfirst_name = 'X'\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("--world")
        .arg(&world)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    let mut stdout = String::new();
    let mut out = out;
    out.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    out.stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = out.wait().unwrap();
    assert!(!status.success());
    assert!(stdout.is_empty(), "nothing announced on failure");
    assert!(stderr.contains("digits only"), "stderr: {stderr}");
}

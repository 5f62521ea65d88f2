//! Telethon, a third-party client from PyPI, runs its conformance steps
//! (tests/telethon/conformance.py) against the localdc binary.

use std::process::Command;

#[test]
#[ignore = "needs Python with Telethon from PyPI; run by crates/localdc/tests/telethon/run.sh"]
fn telethon_conformance_against_localdc() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/telethon/conformance.py");
    let world = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/world/demo.toml");
    let out = Command::new("python3")
        .args([script, env!("CARGO_BIN_EXE_localdc"), world])
        .output()
        .expect("run python3");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "Telethon scenario failed:\n{stdout}\n{stderr}"
    );
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("telethon: ") && last.ends_with(" passed, 0 failed"),
        "{stdout}"
    );
}

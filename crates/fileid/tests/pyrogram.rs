//! Interoperability with Pyrogram (the `kurigram` package from PyPI), both ways:
//!
//! 1. `pyrogram/pyrogram_ids.py generate` writes seeded random ids of every file type,
//!    photo-size source and version with the fields Pyrogram decodes from them; each must
//!    decode here to the same fields, encode from those fields to the same string byte for
//!    byte, and derive the same file_unique_id;
//! 2. ids encoded here from seeded random values go to `pyrogram_ids.py check`, which
//!    decodes them with Pyrogram and compares the fields.
//!
//! Ignored by default (it needs Python with Pyrogram): `tests/pyrogram/run.sh` makes a
//! virtualenv and runs it. `HEARTH_FILEID_SEED` repeats a run; `HEARTH_FILEID_COUNT` sets
//! the number of ids each way (2000).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use hearth_fileid::fields::{Fields, FileIdFields, UniqueFields};
use hearth_fileid::{FileId, FileUniqueId};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};

fn python() -> String {
    std::env::var("HEARTH_PYROGRAM_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyrogram/pyrogram_ids.py")
}

fn run(args: &[&str]) -> std::process::Output {
    let out = Command::new(python())
        .arg(script())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; run tests/pyrogram/run.sh", python()));
    out
}

/// Compares one Pyrogram case; returns what differs.
fn check_case(case: &Value, seen: &mut BTreeSet<String>) -> Result<(), String> {
    let id = case["id"].as_str().ok_or("no id")?;
    let fields: Fields =
        serde_json::from_value(case["fields"].clone()).map_err(|e| format!("fields: {e}"))?;
    match fields {
        Fields::FileId(want) => {
            let decoded = FileId::decode(id).map_err(|e| format!("decode: {e}"))?;
            let got = FileIdFields::from(&decoded);
            if got != want {
                return Err(format!(
                    "fields differ\n  pyrogram: {want:?}\n  hearth:   {got:?}"
                ));
            }
            let built = FileId::try_from(&want).map_err(|e| format!("from fields: {e}"))?;
            let encoded = built.encode().map_err(|e| format!("encode: {e}"))?;
            if encoded != id {
                return Err(format!("encodes to {encoded}"));
            }
            if let Some(unique) = case.get("unique_id").and_then(Value::as_str) {
                let ours = decoded
                    .unique_id()
                    .encode()
                    .map_err(|e| format!("unique: {e}"))?;
                if ours != unique {
                    return Err(format!("unique id {ours}, Pyrogram's {unique}"));
                }
            }
            seen.insert(format!("type {}", want.file_type));
            seen.insert(format!("version {}", want.major));
            seen.insert(format!("web {}", want.url.is_some()));
            seen.insert(format!("padding {}", want.pyrogram_padding));
            seen.insert(format!("volume {}", want.volume_id.is_some()));
            if let Some(s) = want.thumbnail_source {
                seen.insert(format!("source {s}"));
            }
        }
        Fields::FileUniqueId(want) => {
            let decoded = FileUniqueId::decode(id).map_err(|e| format!("decode: {e}"))?;
            let got = UniqueFields::from(&decoded);
            if got != want {
                return Err(format!(
                    "fields differ\n  pyrogram: {want:?}\n  hearth:   {got:?}"
                ));
            }
            let encoded = FileUniqueId::try_from(&want)
                .map_err(|e| format!("from fields: {e}"))?
                .encode()
                .map_err(|e| format!("encode: {e}"))?;
            if encoded != id {
                return Err(format!("encodes to {encoded}"));
            }
            seen.insert(format!("unique {}", want.unique_type));
        }
    }
    Ok(())
}

#[test]
#[ignore = "needs Pyrogram from PyPI: run crates/fileid/tests/pyrogram/run.sh"]
fn pyrogram_interop() {
    let seed: u64 = std::env::var("HEARTH_FILEID_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map(|d| d.as_secs()).unwrap_or(1)
        });
    let count: usize = std::env::var("HEARTH_FILEID_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    println!("seed {seed} (HEARTH_FILEID_SEED={seed} repeats this run), {count} ids each way");
    let dir = tempfile::tempdir().unwrap();

    // 1. Pyrogram's ids here.
    let theirs = dir.path().join("pyrogram.json");
    let out = run(&[
        "generate",
        &seed.to_string(),
        &count.to_string(),
        theirs.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&theirs).unwrap()).unwrap();
    assert_eq!(cases.len(), count);
    let mut seen = BTreeSet::new();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            check_case(c, &mut seen)
                .err()
                .map(|e| format!("{}: {e}", c["id"]))
        })
        .collect();
    for f in failures.iter().take(20) {
        eprintln!("MISMATCH {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {count} Pyrogram ids differ (seed {seed})",
        failures.len()
    );
    // Every type, source, version and shape must have come up, or the run proved less
    // than it claims.
    let mut want: BTreeSet<String> = hearth_fileid::FileType::ALL
        .iter()
        .map(|t| format!("type {}", t.name()))
        .chain(
            hearth_fileid::file_id::SOURCE_NAMES
                .iter()
                .map(|s| format!("source {s}")),
        )
        .chain(["version 2", "version 3", "version 4"].map(String::from))
        .chain(["web true", "web false", "padding true", "padding false"].map(String::from))
        .chain(["volume true", "volume false"].map(String::from))
        .chain(["unique web", "unique photo", "unique document"].map(String::from))
        .collect();
    want.retain(|k| !seen.contains(k));
    assert!(count < 500 || want.is_empty(), "never generated: {want:?}");
    println!("{count} Pyrogram ids decoded and re-encoded byte for byte");

    // 2. Our ids to Pyrogram.
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(
            RngAlgorithm::ChaCha,
            &[seed.to_le_bytes(), [7; 8], [0; 8], [1; 8]].concat(),
        ),
    );
    let ids = common::file_ids(true);
    let uniques = common::unique_ids();
    let ours: Vec<Value> = (0..count)
        .map(|n| {
            if n % 4 == 3 {
                let u = uniques.new_tree(&mut runner).unwrap().current();
                json!({"id": u.encode().unwrap(), "fields": Fields::FileUniqueId(UniqueFields::from(&u))})
            } else {
                let id = ids.new_tree(&mut runner).unwrap().current();
                json!({"id": id.encode().unwrap(), "fields": Fields::FileId(FileIdFields::from(&id))})
            }
        })
        .collect();
    let path = dir.path().join("hearth.json");
    std::fs::write(&path, serde_json::to_vec(&ours).unwrap()).unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    print!("{report}");
    assert!(
        out.status.success(),
        "Pyrogram read hearth's ids differently (seed {seed}):\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

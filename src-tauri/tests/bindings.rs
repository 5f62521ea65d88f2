//! The TypeScript bindings in `ui/src/lib/bindings/` must equal what ts-rs
//! generates from the Rust types. Rewrite them with
//! `HEARTH_UPDATE_BINDINGS=1 cargo test -p hearth-app --test bindings`.

use hearth_app::bindings::{bindings_dir, generated};

#[test]
fn committed_bindings_match_rust_types() {
    let update = std::env::var_os("HEARTH_UPDATE_BINDINGS").is_some_and(|v| v == "1");
    let dir = bindings_dir();
    let mut stale = Vec::new();
    for (name, contents) in generated().expect("ts-rs renders every IPC type") {
        let path = dir.join(&name);
        if update {
            std::fs::create_dir_all(&dir).expect("create ui/src/lib/bindings");
            std::fs::write(&path, &contents).expect("write binding");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(on_disk) if on_disk == contents => {}
            _ => stale.push(name),
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings in {}: {stale:?}; run \
         `HEARTH_UPDATE_BINDINGS=1 cargo test -p hearth-app --test bindings` and commit the result",
        dir.display()
    );
}

#[test]
fn every_binding_file_on_disk_is_generated() {
    let names: Vec<String> = generated()
        .expect("ts-rs renders every IPC type")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for entry in std::fs::read_dir(bindings_dir()).expect("bindings directory exists") {
        let name = entry.expect("readable entry").file_name();
        let name = name.to_string_lossy().into_owned();
        assert!(
            names.contains(&name),
            "{name} in ui/src/lib/bindings/ is not generated from a Rust type; remove it"
        );
    }
}

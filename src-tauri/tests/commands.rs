//! The command layer's contract with the UI: `app_info` serializes to exactly
//! the fields the generated TypeScript type declares, with the values
//! startup collected.

use hearth_app::startup::prepare_in;

/// Field names declared in the committed `AppInfo.ts` (`name: type,` lines).
fn binding_fields() -> Vec<String> {
    let path = hearth_app::bindings::bindings_dir().join("AppInfo.ts");
    let text = std::fs::read_to_string(&path).expect("AppInfo.ts is committed");
    text.lines()
        .filter_map(|line| {
            let (name, _) = line.split_once(": ")?;
            let name = name.trim();
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_')
                .then(|| name.to_owned())
        })
        .collect()
}

#[test]
fn app_info_json_matches_the_typescript_binding() {
    let tmp = tempfile::tempdir().unwrap();
    let state = prepare_in(tmp.path()).unwrap();
    let json = serde_json::to_value(state.info()).unwrap();
    let object = json.as_object().expect("AppInfo serializes to an object");
    let mut keys: Vec<String> = object.keys().cloned().collect();
    let mut fields = binding_fields();
    keys.sort();
    fields.sort();
    assert_eq!(keys, fields);
    assert_eq!(object["tl_layer"], 229);
    assert_eq!(object["data_dir"], tmp.path().display().to_string());
    assert_eq!(object["app_version"], env!("CARGO_PKG_VERSION"));
}

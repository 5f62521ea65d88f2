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

#[test]
fn list_accounts_returns_views_most_recent_first() {
    use hearth_app::commands::account_views;
    use hearth_store::{Network, NewAccount};
    let tmp = tempfile::tempdir().unwrap();
    let state = prepare_in(tmp.path()).unwrap();
    let database = state.database().lock().unwrap();
    assert_eq!(account_views(&database).unwrap(), vec![]);
    let new = |label: &str, is_bot| NewAccount {
        label: label.into(),
        user_id: None,
        phone: None,
        is_bot,
        dc_id: 2,
        network: Network::Local,
    };
    let work = database.insert_account(&new("Work", false)).unwrap();
    database.insert_account(&new("Alerts bot", true)).unwrap();
    database.touch_account(work.id).unwrap();
    let list = account_views(&database).unwrap();
    let labels: Vec<&str> = list.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Work", "Alerts bot"]);
    assert_eq!(list[0].id, work.id.0);
    assert_eq!(list[0].position, 0);
    assert_eq!(list[1].position, 1);
    assert!(list[1].is_bot);
    let json = serde_json::to_value(&list[1]).unwrap();
    assert_eq!(json["label"], "Alerts bot");
    assert_eq!(json["network"], "local");
    assert_eq!(json["state"], "offline");
    assert_eq!(json["initials"], "AB");
}

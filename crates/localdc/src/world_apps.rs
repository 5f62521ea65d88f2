//! Registered apps in a world file: the titles `account.getAuthorizations`
//! shows as each authorization's `app_name`.
//!
//! ```toml
//! [[app]]
//! api_id = 1           # the api_id a client sends in initConnection
//! title = "Hearth"     # what session lists call the app
//! ```
//!
//! On Telegram an `api_id` belongs to an app registered at my.telegram.org,
//! and `authorization.app_name` is that app's registered title
//! (core.telegram.org/api/obtaining_api_id,
//! core.telegram.org/constructor/authorization). localdc accepts any
//! positive `api_id`; one the world does not register is named
//! "Unknown app (api_id N)" so a session list never shows an empty app.
//! Invariants: every registered `api_id` is positive and listed once, every
//! title is non-empty.

use std::collections::HashSet;

use serde::Deserialize;

/// Longest title accepted, as my.telegram.org's app title field.
pub const MAX_TITLE_CHARS: usize = 64;

/// One `[[app]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub api_id: i32,
    pub title: String,
}

/// Checks the `[[app]]` tables; the error names the offending entry.
pub fn validate(apps: &[App]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for a in apps {
        if a.api_id < 1 {
            return Err(format!(
                "[[app]] {:?}: api_id {} must be a positive number",
                a.title, a.api_id
            ));
        }
        if !seen.insert(a.api_id) {
            return Err(format!("[[app]]: api_id {} is listed twice", a.api_id));
        }
        let chars = a.title.trim().chars().count();
        if chars == 0 || chars > MAX_TITLE_CHARS {
            return Err(format!(
                "[[app]] api_id {}: title must be 1 to {MAX_TITLE_CHARS} characters",
                a.api_id
            ));
        }
    }
    Ok(())
}

/// The `app_name` of an authorization made with `api_id`: the registered
/// title, or a neutral name saying which `api_id` it was.
pub fn app_name(apps: &[App], api_id: i32) -> String {
    apps.iter()
        .find(|a| a.api_id == api_id)
        .map(|a| a.title.trim().to_owned())
        .unwrap_or_else(|| format!("Unknown app (api_id {api_id})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    #[test]
    fn registered_titles_name_apps_and_others_get_a_neutral_name() {
        let w = World::parse(
            "[[app]]\napi_id = 7\ntitle = \"Seven\"\n[[app]]\napi_id = 8\ntitle = \" Eight \"",
            "t",
        )
        .unwrap();
        assert_eq!(w.apps.len(), 2);
        assert_eq!(app_name(&w.apps, 7), "Seven");
        assert_eq!(app_name(&w.apps, 8), "Eight");
        assert_eq!(app_name(&w.apps, 9), "Unknown app (api_id 9)");
        assert_eq!(app_name(&[], 0), "Unknown app (api_id 0)");
    }

    #[test]
    fn the_demo_world_registers_hearth_and_telethon() {
        let w = World::parse(include_str!("../../../tests/world/demo.toml"), "demo").unwrap();
        assert_eq!(app_name(&w.apps, 1), "Hearth");
        assert_eq!(app_name(&w.apps, 12345), "Telethon");
    }

    #[test]
    fn bad_app_tables_say_what_to_fix() {
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        let cases = [
            (
                "[[app]]\napi_id = 0\ntitle = \"A\"",
                "must be a positive number",
            ),
            (
                "[[app]]\napi_id = 3\ntitle = \"A\"\n[[app]]\napi_id = 3\ntitle = \"B\"",
                "api_id 3 is listed twice",
            ),
            (
                "[[app]]\napi_id = 3\ntitle = \"  \"",
                "title must be 1 to 64",
            ),
            (
                &format!("[[app]]\napi_id = 3\ntitle = \"{long}\"") as &str,
                "title must be 1 to 64",
            ),
            ("[[app]]\napi_id = 3", "missing field `title`"),
            (
                "[[app]]\napi_id = 3\ntitle = \"A\"\nhash = \"x\"",
                "unknown field",
            ),
        ];
        for (text, needle) in cases {
            let err = World::parse(text, "t").unwrap_err().to_string();
            assert!(err.contains(needle), "{err:?} should mention {needle:?}");
        }
    }
}

//! The control port: one JSON request per line, one JSON answer per line.
//!
//! Every answer has `"ok"`; failures add `"error"` saying what to fix.
//!
//! * `{"cmd":"ping"}` → `{"ok":true}`.
//! * `{"cmd":"code","phone":"…"}` → the login code last sent to that phone
//!   (what a person would read in the app).
//! * `{"cmd":"flood","method":"messages.sendMessage","limit":1,"window_secs":60,
//!   "wait_secs":3,"jitter_secs":0}` installs a flood rule ([`crate::faults`]),
//!   `{"cmd":"flood","method":"…","clear":true}` removes it.
//! * `{"cmd":"fault","kind":"drop","probability":0.2,"stage":"before_answer"}`
//!   installs any fault rule, with the fields of a world `[[fault]]` table
//!   (`drop`, `latency`, `error`, `migrate`, `flood`).
//! * `{"cmd":"clear_faults"}` removes every rule; `"kind":"drop"` only those
//!   of one kind. Answers `{"ok":true,"removed":N}`.
//! * `{"cmd":"faults"}` → `{"ok":true,"rules":[…],"clock_skew_secs":0,
//!   "auth_key_duplicated":true,"connections_dropped":0}`.
//! * `{"cmd":"salt","change":true}` retires the current server salt now;
//!   `"rotation_secs":N` rotates every N seconds from now on. Answers with the
//!   salt now current: `{"ok":true,"salt":…,"rotation_secs":N}`.
//! * `{"cmd":"skew","secs":-120}` sets the server clock's offset.
//! * `{"cmd":"auth_key_duplicated","enabled":false}` turns Telegram's
//!   two-IP rule off (or on).
//! * `{"cmd":"expire_file_references"}` expires every file reference handed
//!   out so far (core.telegram.org/api/file_reference), as if their lifetime
//!   had passed.
//! * `{"cmd":"age_authorizations","secs":90000}` moves the creation, sign-in
//!   and last activity of every authorization `secs` seconds into the past,
//!   as if that much time had passed (`"phone":"+9996621234"`: only that
//!   user's). For rules that depend on a session's age, such as
//!   `auth.resetAuthorizations` refusing sessions under a day old. Answers
//!   `{"ok":true,"aged":N}` (N authorizations).

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::state::ServerState;

/// A client for the control port: sends `request` as one line and reads the
/// one answer line. An answer that is not JSON is an `InvalidData` error.
pub async fn request(
    addr: std::net::SocketAddr,
    request: &serde_json::Value,
) -> std::io::Result<serde_json::Value> {
    let (read, mut write) = TcpStream::connect(addr).await?.into_split();
    write.write_all(format!("{request}\n").as_bytes()).await?;
    let line = BufReader::new(read)
        .lines()
        .next_line()
        .await?
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the control port closed without an answer",
            )
        })?;
    serde_json::from_str(&line).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

pub async fn accept_loop(
    listener: TcpListener,
    state: Arc<ServerState>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => if let Ok((stream, _)) = accepted {
                let state = state.clone();
                let stop = stop.clone();
                tokio::spawn(async move { serve(stream, state, stop).await });
            },
        }
    }
}

fn answer(state: &ServerState, line: &str) -> serde_json::Value {
    let req: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return serde_json::json!({"ok": false, "error": format!("not JSON: {e}")}),
    };
    match req.get("cmd").and_then(|c| c.as_str()) {
        Some("ping") => serde_json::json!({"ok": true}),
        Some("code") => {
            let phone = req
                .get("phone")
                .and_then(|p| p.as_str())
                .unwrap_or_default();
            match state.codes().get(phone) {
                Some(p) => serde_json::json!({"ok": true, "code": p.code}),
                None => serde_json::json!({"ok": false, "error": "no code was sent to this phone"}),
            }
        }
        Some("flood") => flood(state, req),
        Some("age_authorizations") => age_authorizations(state, &req),
        Some("expire_file_references") => {
            state.files().expire_references(crate::file_ref::now_ms());
            serde_json::json!({"ok": true})
        }
        Some(cmd) => {
            let cmd = cmd.to_owned();
            fault_command(state, &cmd, req)
        }
        None => serde_json::json!({"ok": false, "error": "missing \"cmd\""}),
    }
}

fn failed(error: impl std::fmt::Display) -> serde_json::Value {
    serde_json::json!({"ok": false, "error": error.to_string()})
}

/// The fault commands other than `flood`.
fn fault_command(state: &ServerState, cmd: &str, mut req: serde_json::Value) -> serde_json::Value {
    let faults = state.faults();
    match cmd {
        "fault" => {
            if let Some(obj) = req.as_object_mut() {
                obj.remove("cmd");
            }
            match crate::faults::FaultRule::from_value(req).and_then(|r| faults.add(r)) {
                Ok(()) => serde_json::json!({"ok": true}),
                Err(e) => failed(e),
            }
        }
        "clear_faults" => match faults.clear(req.get("kind").and_then(|k| k.as_str())) {
            Ok(n) => serde_json::json!({"ok": true, "removed": n}),
            Err(e) => failed(e),
        },
        "faults" => match serde_json::to_value(faults.config()) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.insert("ok".into(), true.into());
                m.insert(
                    "connections_dropped".into(),
                    faults.connections_dropped().into(),
                );
                serde_json::Value::Object(m)
            }
            Ok(_) | Err(_) => failed("cannot list the faults"),
        },
        "salt" => {
            if let Some(secs) = req.get("rotation_secs") {
                match secs.as_u64().and_then(|s| u32::try_from(s).ok()).filter(|s| *s > 0) {
                    Some(s) => state.salts.set_rotation_secs(s),
                    None => return failed("rotation_secs must be a whole number of seconds ≥ 1"),
                }
            }
            if req.get("change").and_then(|c| c.as_bool()) == Some(true) {
                state.force_salt_change();
            }
            serde_json::json!({
                "ok": true,
                "salt": state.salts.current(faults.now_secs()),
                "rotation_secs": state.salts.rotation_secs(),
            })
        }
        "skew" => match req.get("secs").and_then(|s| s.as_i64()) {
            Some(s) if s.abs() <= 86_400 * 365 => {
                faults.set_skew_secs(s);
                serde_json::json!({"ok": true})
            }
            _ => failed("skew needs \"secs\": whole seconds, at most a year either way"),
        },
        "auth_key_duplicated" => match req.get("enabled").and_then(|e| e.as_bool()) {
            Some(on) => {
                faults.set_auth_key_duplicated(on);
                serde_json::json!({"ok": true})
            }
            None => failed("auth_key_duplicated needs \"enabled\": true or false"),
        },
        _ => failed(
            "unknown cmd; use ping, code, flood, age_authorizations, expire_file_references, fault, clear_faults, faults, salt, skew or auth_key_duplicated",
        ),
    }
}

fn flood(state: &ServerState, mut req: serde_json::Value) -> serde_json::Value {
    if req.get("clear").and_then(|c| c.as_bool()) == Some(true) {
        let method = req
            .get("method")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        let existed = state.faults().clear_flood(method);
        return serde_json::json!({"ok": true, "removed": existed});
    }
    if let Some(obj) = req.as_object_mut() {
        obj.remove("cmd");
    }
    match serde_json::from_value::<crate::faults::FloodRule>(req) {
        Ok(rule) => match state.faults().add(crate::faults::FaultRule::Flood(rule)) {
            Ok(()) => serde_json::json!({"ok": true}),
            Err(e) => serde_json::json!({"ok": false, "error": e}),
        },
        Err(e) => {
            serde_json::json!({"ok": false, "error": format!("bad flood rule: {e}; fields: method, limit, window_secs, wait_secs, jitter_secs")})
        }
    }
}

/// Longest backdating `age_authorizations` accepts: ten years.
const MAX_AGE_SECS: i64 = 10 * 365 * 86_400;

fn age_authorizations(state: &ServerState, req: &serde_json::Value) -> serde_json::Value {
    let Some(secs) = req
        .get("secs")
        .and_then(|s| s.as_i64())
        .filter(|s| (1..=MAX_AGE_SECS).contains(s))
    else {
        return failed("age_authorizations needs \"secs\": whole seconds, 1 to ten years");
    };
    let user = match req.get("phone") {
        None => None,
        Some(p) => {
            let digits: String = p
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            match state.users().by_phone(&digits) {
                Some(u) => Some(u.id),
                None => {
                    return failed(format!(
                        "no user has the phone {p}; leave \"phone\" out to age every authorization"
                    ))
                }
            }
        }
    };
    match state.store().age_authorizations(secs, user) {
        Ok(n) => {
            tracing::info!(secs, ?user, aged = n, "authorizations aged");
            serde_json::json!({"ok": true, "aged": n})
        }
        Err(e) => failed(e),
    }
}

async fn serve(stream: TcpStream, state: Arc<ServerState>, mut stop: watch::Receiver<bool>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    loop {
        let line = tokio::select! {
            _ = stop.changed() => return,
            l = lines.next_line() => l,
        };
        let Ok(Some(line)) = line else { return };
        let mut out = answer(&state, &line).to_string();
        out.push('\n');
        if write.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_crypto::AuthKey;

    const ALICE: i64 = 1_000_001;
    const BOB: i64 = 1_000_002;

    fn state() -> ServerState {
        crate::test_support::demo_state([2])
    }

    fn signed_in(state: &ServerState, fill: u8, user: i64, at: i64) {
        let key = AuthKey::from_bytes([fill; 256]);
        let store = state.store();
        store.insert_key(&key, 2, None).expect("insert");
        store
            .sign_in(key.key_id(), user, fill.into(), at)
            .expect("sign in");
    }

    fn created(state: &ServerState, user: i64) -> Vec<i64> {
        let rows = state.store().authorizations(user).expect("rows");
        rows.iter().map(|r| r.date_created).collect()
    }

    #[test]
    fn age_authorizations_backdates_everyone_or_one_phone() {
        let state = state();
        signed_in(&state, 1, ALICE, 100_000);
        signed_in(&state, 2, ALICE, 100_010);
        signed_in(&state, 3, BOB, 100_020);
        let all = answer(&state, r#"{"cmd":"age_authorizations","secs":90000}"#);
        assert_eq!(all, serde_json::json!({"ok": true, "aged": 3}));
        assert_eq!(created(&state, ALICE), [10_000, 10_010]);
        assert_eq!(created(&state, BOB), [10_020]);
        let one = answer(
            &state,
            r#"{"cmd":"age_authorizations","secs":10,"phone":"+999 662 1234"}"#,
        );
        assert_eq!(one, serde_json::json!({"ok": true, "aged": 2}));
        assert_eq!(created(&state, ALICE), [9_990, 10_000]);
        assert_eq!(created(&state, BOB), [10_020], "only alice's were aged");
    }

    #[test]
    fn age_authorizations_says_what_is_wrong() {
        let state = state();
        for (line, needle) in [
            (r#"{"cmd":"age_authorizations"}"#, "needs \"secs\""),
            (
                r#"{"cmd":"age_authorizations","secs":-5}"#,
                "1 to ten years",
            ),
            (
                r#"{"cmd":"age_authorizations","secs":"a day"}"#,
                "whole seconds",
            ),
            (
                r#"{"cmd":"age_authorizations","secs":5,"phone":"+1555"}"#,
                "no user has the phone",
            ),
        ] {
            let a = answer(&state, line);
            assert_eq!(a["ok"], false, "{line}");
            let error = a["error"].as_str().unwrap_or_default();
            assert!(error.contains(needle), "{line}: {error}");
        }
        let unknown = answer(&state, r#"{"cmd":"nope"}"#);
        assert!(unknown["error"]
            .as_str()
            .unwrap_or_default()
            .contains("age_authorizations"));
    }
}

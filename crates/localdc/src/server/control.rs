//! The control port: one JSON request per line, one JSON answer per line.
//!
//! Requests: `{"cmd":"ping"}` → `{"ok":true}`; `{"cmd":"code","phone":"…"}` →
//! the login code last sent to that phone (what a person would read in the app);
//! `{"cmd":"flood","method":"messages.sendMessage","limit":1,"window_secs":60,
//! "wait_secs":3,"jitter_secs":0}` installs a flood rule ([`crate::faults`]),
//! `{"cmd":"flood","method":"…","clear":true}` removes it;
//! `{"cmd":"expire_file_references"}` expires every file reference handed
//! out so far (core.telegram.org/api/file_reference), as if their lifetime
//! had passed.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::state::ServerState;

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
        Some("expire_file_references") => {
            state.files().expire_references(crate::file_ref::now_ms());
            serde_json::json!({"ok": true})
        }
        _ => {
            serde_json::json!({"ok": false, "error": "unknown cmd; use ping, code, flood or expire_file_references"})
        }
    }
}

fn flood(state: &ServerState, mut req: serde_json::Value) -> serde_json::Value {
    if req.get("clear").and_then(|c| c.as_bool()) == Some(true) {
        let method = req
            .get("method")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        let existed = state.faults().clear(method);
        return serde_json::json!({"ok": true, "removed": existed});
    }
    if let Some(obj) = req.as_object_mut() {
        obj.remove("cmd");
    }
    match serde_json::from_value::<crate::faults::FloodRule>(req) {
        Ok(rule) => match state.faults().set(rule) {
            Ok(()) => serde_json::json!({"ok": true}),
            Err(e) => serde_json::json!({"ok": false, "error": e}),
        },
        Err(e) => {
            serde_json::json!({"ok": false, "error": format!("bad flood rule: {e}; fields: method, limit, window_secs, wait_secs, jitter_secs")})
        }
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

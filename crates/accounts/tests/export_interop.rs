//! Fresh sessions used by the real libraries from PyPI while Hearth keeps its own session
//! busy (run by `tests/interop/run.sh`, which makes the virtualenvs and lists each library's
//! Python in `HEARTH_EXPORT_TOOLS` as `KIND=PYTHON`, KIND being `telethon-file`,
//! `telethon-string`, `pyrogram-file` or `pyrogram-string`; one kind may be listed for
//! several Pythons, e.g. the Pyrogram kinds for Pyrogram 2.0.106, pyrofork and kurigram).
//! The tool reads localdc's DC table from `HEARTH_LOCALDC_ANNOUNCEMENT` and points the
//! libraries' built-in tables at it, so nothing dials Telegram.
//!
//! For each entry Hearth exports a new session of the account, the library loads it
//! (`tests/interop/tool.py`), asks whom it is, sends to Saved Messages and reads the chat
//! back, while Hearth sends to the same chat in a loop. Neither side may fail (in particular
//! no `AUTH_KEY_DUPLICATED`, Telegram's 406 for one key used twice), each must see the
//! other's messages, and the new session is listed under its name (until the library's own
//! `initConnection` describes it: Telegram shows a session as its latest connection did).

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use hearth_accounts::{ApiCredentials, ExportRequest, FreshOptions, HistoryAnchor, SessionFormat};

const API_ID: i32 = 12345;
const API_HASH: &str = "0123456789abcdef0123456789abcdef";
const ROUNDS: usize = 5;
/// How long one library may take (connect, 5 sends, a history read).
const TOOL_TIMEOUT: Duration = Duration::from_secs(90);

fn tools() -> Vec<(String, PathBuf)> {
    let list = std::env::var("HEARTH_EXPORT_TOOLS")
        .expect("HEARTH_EXPORT_TOOLS: run crates/accounts/tests/interop/run.sh");
    list.split_whitespace()
        .map(|entry| {
            let (kind, python) = entry.split_once('=').expect("KIND=PYTHON");
            (kind.to_owned(), PathBuf::from(python))
        })
        .collect()
}

fn tool_py() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/tool.py")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the libraries from PyPI: crates/accounts/tests/interop/run.sh"]
async fn fresh_sessions_work_in_the_real_libraries_beside_hearth() {
    let w = world().await;
    let bob = w.add(BOB).await;
    let me = bob.user_id.unwrap();
    let mut failures = Vec::new();
    for (n, (kind, python)) in tools().into_iter().enumerate() {
        let label = format!("Interop {n} {kind}");
        let format = match kind.as_str() {
            "telethon-file" => SessionFormat::TelethonFile,
            "telethon-string" => SessionFormat::TelethonString,
            "pyrogram-file" => SessionFormat::PyrogramFile,
            "pyrogram-string" => SessionFormat::PyrogramString,
            other => panic!("unknown tool kind {other}"),
        };
        let path = w.dir.path().join(format!("tool{n}.session"));
        let is_file = kind.ends_with("-file");
        let request = ExportRequest {
            format,
            out: is_file.then(|| path.clone()),
        };
        let options = FreshOptions {
            label: label.clone(),
            api: Some(ApiCredentials::new(API_ID, API_HASH).unwrap()),
            ..FreshOptions::default()
        };
        let exported = w
            .accounts
            .export_fresh_session(bob.id, &request, options)
            .await
            .expect("exported");
        // Listed under the chosen name until the tool's own initConnection describes it.
        let sessions = w
            .accounts
            .sessions(bob.id)
            .await
            .expect("Hearth's session works");
        if !sessions.iter().any(|s| s.device == label) {
            failures.push(format!("{kind}: no session named {label:?} is listed"));
        }
        let session_arg = match &exported.string {
            Some(s) => s.to_string(),
            None => path.display().to_string(),
        };

        // Hearth keeps its own session busy while the library runs.
        let done = Arc::new(AtomicBool::new(false));
        let busy = {
            let (accounts, done) = (w.accounts.clone(), done.clone());
            tokio::spawn(async move {
                let (mut sent, mut errors) = (0, Vec::new());
                while !done.load(Ordering::Acquire) {
                    match accounts
                        .send_message(bob.id, me, &format!("hearth {sent}"), None)
                        .await
                    {
                        Ok(_) => sent += 1,
                        Err(e) => errors.push(format!("{}: {e}", e.code())),
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                (sent, errors)
            })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        // The tool's steps go to a file, so a hang still shows where it stopped.
        let log = w.dir.path().join(format!("tool{n}.log"));
        let child = tokio::process::Command::new(&python)
            .arg(tool_py())
            .args([&kind, &session_arg, &API_ID.to_string(), API_HASH])
            .arg(ROUNDS.to_string())
            .env("HEARTH_LOCALDC_ANNOUNCEMENT", &w.announcement)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .kill_on_drop(true)
            .spawn()
            .expect("python runs");
        let output = tokio::time::timeout(TOOL_TIMEOUT, child.wait_with_output()).await;
        done.store(true, Ordering::Release);
        let (hearth_sent, hearth_errors) = busy.await.unwrap();
        let Ok(output) = output else {
            let steps = std::fs::read_to_string(&log).unwrap_or_default();
            let last: Vec<&str> = steps.lines().rev().take(3).collect();
            failures.push(format!(
                "{kind} ({}): no answer within {TOOL_TIMEOUT:?}; last lines: {last:?}",
                python.display()
            ));
            continue;
        };
        let output = output.expect("python ran");
        let line = String::from_utf8_lossy(&output.stdout);
        let result: serde_json::Value =
            serde_json::from_str(line.lines().last().unwrap_or("{}")).unwrap_or_default();
        println!("{kind} ({}): {result}", python.display());
        println!("  hearth sent {hearth_sent} meanwhile, errors: {hearth_errors:?}");
        if result["ok"] != true {
            let stderr = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            failures.push(format!("{kind}: {result} {tail:?}"));
            continue;
        }
        let mut problems = Vec::new();
        if result["user_id"] != me {
            problems.push("signed in as someone else".to_owned());
        }
        if result["seen_own"].as_u64() < Some(ROUNDS as u64) {
            problems.push("its messages are not in its history".into());
        }
        if result["seen_hearth"].as_u64() == Some(0) {
            problems.push("Hearth's messages are not in its history".into());
        }
        if !hearth_errors.is_empty() || hearth_sent == 0 {
            problems.push(format!(
                "Hearth failed meanwhile ({hearth_sent} sent): {hearth_errors:?}"
            ));
        }
        let history = w
            .accounts
            .history(bob.id, me, HistoryAnchor::Latest, 100)
            .await
            .expect("Hearth still reads the chat");
        if !history.iter().any(|m| m.text.starts_with("tool ")) {
            problems.push("Hearth does not see the library's messages".into());
        }
        let sessions = w
            .accounts
            .sessions(bob.id)
            .await
            .expect("Hearth's session works");
        if !sessions.iter().any(|s| s.api_id == API_ID) {
            problems.push(format!("no session of api_id {API_ID} is listed"));
        }
        if !problems.is_empty() {
            failures.push(format!("{kind} ({}): {problems:?}", python.display()));
        }
    }
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A bot's new session (its token on a new key) loaded by Telethon from a string, while
/// Hearth's own session of the bot stays signed in.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the libraries from PyPI: crates/accounts/tests/interop/run.sh"]
async fn a_bots_fresh_session_works_in_telethon() {
    let Some((_, python)) = tools().into_iter().find(|(k, _)| k == "telethon-string") else {
        panic!("HEARTH_EXPORT_TOOLS lists no telethon-string");
    };
    let w = world().await;
    let mut flow = w.accounts.begin_login(w.spec(), None).await.unwrap();
    let bot = flow.bot_token(BOT_TOKEN).await.unwrap();
    let request = ExportRequest {
        format: SessionFormat::TelethonString,
        out: None,
    };
    let options = FreshOptions {
        label: "Interop bot".into(),
        api: Some(ApiCredentials::new(API_ID, API_HASH).unwrap()),
        bot_token: Some(BOT_TOKEN.to_owned().into()),
        ..FreshOptions::default()
    };
    let exported = w
        .accounts
        .export_fresh_session(bot.id, &request, options)
        .await
        .expect("a bot's new session");
    let output = tokio::process::Command::new(&python)
        .arg(tool_py())
        .args([
            "telethon-string",
            exported.string.as_ref().unwrap().as_str(),
        ])
        .args([&API_ID.to_string(), API_HASH, "0"])
        .env("HEARTH_LOCALDC_ANNOUNCEMENT", &w.announcement)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(TOOL_TIMEOUT, output)
        .await
        .expect("Telethon answers in time")
        .expect("python runs");
    let line = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value =
        serde_json::from_str(line.lines().last().unwrap_or("{}")).unwrap_or_default();
    println!("bot telethon-string ({}): {result}", python.display());
    assert_eq!(
        result["ok"],
        true,
        "{result} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        result["user_id"],
        bot.user_id.unwrap(),
        "signed in as the bot"
    );
    assert_eq!(result["bot"], true, "Telethon sees a bot");
    let hearth = w.accounts.client(bot.id).await.unwrap();
    let me = hearth
        .resume_authorization()
        .await
        .expect("Hearth's session still works");
    assert_eq!(Some(me.id), bot.user_id);
    w.accounts.shutdown().await;
    w.dc.shutdown().await;
}

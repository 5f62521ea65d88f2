//! `hearth-cli sessions list ACCOUNT` and `sessions terminate ACCOUNT HASH | --all-others`.

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Subcommand;
use hearth_accounts::{AccountId, AuthorizationInfo};
use serde_json::json;

use crate::context::Context;
use crate::exit::Failure;
use crate::output::Output;

#[derive(Debug, Clone, Subcommand)]
pub enum SessionsCommand {
    /// Lists the account's sessions (the current one first): hash, device, app, IP, last
    /// active, DC.
    List {
        /// The account's id (from `account list`).
        account: i64,
    },
    /// Ends one session (HASH from `sessions list`), or every session but Hearth's.
    #[command(allow_negative_numbers = true)]
    Terminate {
        /// The account's id (from `account list`).
        account: i64,
        /// The session's hash.
        #[arg(required_unless_present = "all_others", conflicts_with = "all_others")]
        hash: Option<i64>,
        /// End every other session (Telegram allows it from a session at least a day old).
        #[arg(long)]
        all_others: bool,
    },
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn session_json(s: &AuthorizationInfo) -> serde_json::Value {
    json!({
        // A string: hashes exceed the integers JSON readers keep exact.
        "hash": s.hash.to_string(),
        "current": s.current,
        "device": s.device,
        "platform": s.platform,
        "system_version": s.system_version,
        "app_name": s.app_name,
        "app_version": s.app_version,
        "api_id": s.api_id,
        "official_app": s.official_app,
        "ip": s.ip,
        "country": s.country,
        "region": s.region,
        "created": unix(s.date_created),
        "active": unix(s.date_active),
        "dc": s.dc,
        "password_pending": s.password_pending,
    })
}

fn session_line(s: &AuthorizationInfo) -> String {
    let ago = SystemTime::now()
        .duration_since(s.date_active)
        .map_or(0, |d| d.as_secs());
    let active = match ago {
        0..=59 => "active now".to_owned(),
        60..=3599 => format!("active {} min ago", ago / 60),
        3600..=86_399 => format!("active {} h ago", ago / 3600),
        _ => format!("active {} days ago", ago / 86_400),
    };
    format!(
        "{:>20}  {}{} — {} {}, {}, {}{}",
        s.hash,
        if s.current { "* " } else { "" },
        s.device,
        s.app_name,
        s.app_version,
        if s.ip.is_empty() { "IP unknown" } else { &s.ip },
        active,
        s.dc.map(|d| format!(", DC {d}")).unwrap_or_default()
    )
}

pub async fn run(ctx: &Context, out: Output, cmd: SessionsCommand) -> Result<(), Failure> {
    let accounts = &ctx.accounts;
    match cmd {
        SessionsCommand::List { account } => {
            let list = accounts.sessions(AccountId(account)).await?;
            out.note("The current session (Hearth's) is marked *.");
            for s in &list {
                out.result(session_json(s), || session_line(s));
            }
        }
        SessionsCommand::Terminate {
            account,
            hash: Some(hash),
            ..
        } => {
            accounts.terminate(AccountId(account), hash).await?;
            out.result(json!({"terminated": hash.to_string()}), || {
                format!("Session {hash} ended.")
            });
        }
        SessionsCommand::Terminate { account, .. } => {
            accounts.terminate_others(AccountId(account)).await?;
            out.result(json!({"terminated": "all_others"}), || {
                "Every other session ended.".to_owned()
            });
        }
    }
    Ok(())
}

//! `hearth-cli session export ACCOUNT --fresh|--move --format F [--out PATH] [--name LABEL]
//! [--method qr|code] [--bot-token-env VAR]`: a session of the account for Pyrogram or
//! Telethon, through `hearth-accounts`. A user's new session is approved by Hearth's
//! (`qr`, the default) or signs in with a login code Telegram sends to Hearth's session
//! as a message from 777000, which Hearth reads (`code`). A bot's fresh session signs in with the bot's token (bots cannot
//! approve a login token), read from the environment variable `--bot-token-env` names.
//!
//! `--fresh` makes a new authorization for the other program (listed on the account's
//! Sessions page under `--name`); Hearth keeps its own, and both work at once. `--move`
//! writes Hearth's own key and removes the account from Hearth (the session is not ended:
//! the other program continues it). One of the two must be given: a copy of a key that
//! both programs use is one session used twice, which Telegram ends (AUTH_KEY_DUPLICATED).
//!
//! A session string is a secret: it is written only to a new file (`--out`, mode 0600) or,
//! with `--print`, to stdout (with a warning when stdout is a terminal). Files are never
//! overwritten.
//!
//! Exit codes (`exit::HELP`): 0 written; 1 Telegram or the network refused (a missing 2FA
//! password, a bot token Telegram does not accept or of another bot); 2 usage (a bot without
//! `--bot-token-env`, a token for a user, neither `--fresh`
//! nor `--move`, a string without `--out`/`--print`, an existing file, an empty name);
//! 6 keyring; 7 no such account; 8 the account is signed out.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use hearth_accounts::{
    AccountId, ApiCredentials, ExportRequest, ExportedSession, FreshLogin, FreshOptions,
    SessionFormat,
};
use serde_json::json;
use zeroize::Zeroizing;

use crate::context::Context;
use crate::exit::{self, Failure};
use crate::output::Output;
use crate::prompt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    PyrogramString,
    PyrogramFile,
    TelethonString,
    TelethonFile,
}

impl ExportFormat {
    fn session_format(self) -> SessionFormat {
        match self {
            ExportFormat::PyrogramString => SessionFormat::PyrogramString,
            ExportFormat::PyrogramFile => SessionFormat::PyrogramFile,
            ExportFormat::TelethonString => SessionFormat::TelethonString,
            ExportFormat::TelethonFile => SessionFormat::TelethonFile,
        }
    }

    fn is_string(self) -> bool {
        matches!(
            self,
            ExportFormat::PyrogramString | ExportFormat::TelethonString
        )
    }
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// Make a new session for the other program; Hearth keeps its own.
    #[arg(long, conflicts_with = "move_session")]
    pub fresh: bool,
    /// Hand over Hearth's own session: the account is removed from Hearth (not logged out).
    #[arg(long = "move")]
    pub move_session: bool,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The new file to write (required for file formats; for strings, instead of --print).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print a session string on stdout (it is a secret).
    #[arg(long, conflicts_with = "out")]
    pub print: bool,
    /// The new session's name on the account's Sessions page (--fresh).
    #[arg(long, value_name = "LABEL")]
    pub name: Option<String>,
    /// The other program's api_id (--fresh; default: the network's, as Hearth uses it).
    #[arg(long, requires = "api_hash_source")]
    pub api_id: Option<i32>,
    /// The other program's api_hash.
    #[arg(long, group = "api_hash_source", conflicts_with = "api_hash_env")]
    pub api_hash: Option<String>,
    /// Read the other program's api_hash from this environment variable.
    #[arg(long, value_name = "VAR", group = "api_hash_source")]
    pub api_hash_env: Option<String>,
    /// The account's two-step verification password, from this environment variable
    /// (--fresh, accounts with a password).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// A bot account's token from @BotFather, from this environment variable (--fresh, bots:
    /// a bot's new session signs in with its token; Hearth keeps none).
    #[arg(long, value_name = "VAR")]
    pub bot_token_env: Option<String>,
    /// How a user's new session signs in (--fresh): `qr`, approved by Hearth's session, or
    /// `code`, a login code Telegram sends to Hearth's session, which Hearth reads.
    #[arg(long, value_enum, default_value_t = ExportMethod::Qr, conflicts_with = "bot_token_env")]
    pub method: ExportMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportMethod {
    Qr,
    Code,
}

pub async fn run(ctx: &Context, out: Output, args: ExportArgs) -> Result<(), Failure> {
    if !args.fresh && !args.move_session {
        return Err(Failure::usage(
            "give --fresh to make a new session for the other program (Hearth keeps its own), \
             or --move to hand over Hearth's own session (the account leaves Hearth); a copy \
             used by both would be ended by Telegram (AUTH_KEY_DUPLICATED)",
        )
        .on_field("fresh"));
    }
    if args.format.is_string() && args.out.is_none() && !args.print {
        return Err(Failure::usage(
            "a session string is a secret: give --out PATH to save it to a new file, or --print \
             to write it on stdout",
        )
        .on_field("out"));
    }
    if let Some(path) = args.out.as_deref().filter(|p| p.exists()) {
        return Err(Failure::usage(format!(
            "{} exists already and is never overwritten: choose a new file name",
            path.display()
        ))
        .on_field("out"));
    }
    let request = ExportRequest {
        format: args.format.session_format(),
        out: (!args.format.is_string())
            .then(|| args.out.clone())
            .flatten(),
    };
    let id = AccountId(args.account);
    let exported = if args.fresh {
        let options = fresh_options(&args)?;
        ctx.accounts
            .export_fresh_session(id, &request, options)
            .await?
    } else {
        ctx.accounts.move_session(id, &request, true).await?
    };
    let string_file = match (&exported.string, &args.out) {
        (Some(text), Some(path)) => {
            write_secret(path, text)?;
            Some(path.clone())
        }
        _ => None,
    };
    report(out, &args, &exported, string_file.as_deref());
    Ok(())
}

fn fresh_options(args: &ExportArgs) -> Result<FreshOptions, Failure> {
    let api = match (args.api_id, &args.api_hash, &args.api_hash_env) {
        (Some(id), Some(hash), _) => Some(ApiCredentials::new(id, hash)?),
        (Some(id), None, Some(var)) => Some(ApiCredentials::new(
            id,
            &prompt::env_secret("--api-hash-env", var)?,
        )?),
        _ => None,
    };
    let password = match &args.password_env {
        Some(var) => Some(Zeroizing::new(prompt::env_secret("--password-env", var)?)),
        None => None,
    };
    let bot_token = match &args.bot_token_env {
        Some(var) => Some(Zeroizing::new(prompt::env_secret("--bot-token-env", var)?)),
        None => None,
    };
    let label = args
        .name
        .clone()
        .unwrap_or_else(|| format!("{} (from Hearth)", args.format.session_format()));
    Ok(FreshOptions {
        label,
        api,
        password,
        bot_token,
        login: match args.method {
            ExportMethod::Qr => FreshLogin::Qr,
            ExportMethod::Code => FreshLogin::Code,
        },
    })
}

/// Saves a session string to a new file only its owner can read.
fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(path)
        .and_then(|mut f| f.write_all(format!("{text}\n").as_bytes()));
    written.map_err(|e| {
        Failure::new(
            exit::FAILED,
            "IO",
            format!(
                "the session was made but {} cannot be written ({e}); end the new session on the \
                 account's Sessions page and try again with another path",
                path.display()
            ),
        )
        .on_field("out")
    })
}

fn report(out: Output, args: &ExportArgs, e: &ExportedSession, string_file: Option<&Path>) {
    let printed = args.print.then_some(e.string.as_deref()).flatten();
    if printed.is_some() && std::io::stdout().is_terminal() {
        eprintln!(
            "warning: the session string below signs in as this account; keep it secret and \
             clear it from the terminal's scrollback when done."
        );
    }
    let path = e.path.as_deref().or(string_file);
    out.result(
        json!({
            "format": e.format.describe(),
            "moved": args.move_session,
            "path": path.map(|p| p.display().to_string()),
            "string": printed.map(|s| s.as_str()),
            "dc": e.dc_id,
            "user_id": e.user_id,
            "key_id": format!("{:016x}", e.key_id),
            "name": args.fresh.then(|| args.name.clone()).flatten(),
        }),
        || {
            let what = match args.move_session {
                true => "Moved Hearth's session (the account was removed from Hearth)",
                false => "Made a new session",
            };
            let place = match (path, printed) {
                (Some(p), _) => format!(" to {}", p.display()),
                (None, Some(s)) => format!(":\n{}", s.as_str()),
                (None, None) => String::new(),
            };
            format!(
                "{what} as a {} for user {} on DC {}{place}",
                e.format, e.user_id, e.dc_id
            )
        },
    );
}

//! `hearth-cli session import` and `session export` ([`export`]).
//!
//! `import` brings in a session another client made — a Pyrogram or
//! Telethon session file or string (`hearth-portable` reads every layout they have written),
//! or every signed-in account of a Telegram Desktop tdata folder (a folder given with
//! `--format auto` is taken as one; its local passcode comes from `--passcode-env VAR`)
//! — as an account, through `hearth-accounts`' import, which checks the key with the server
//! first and refuses a key Hearth already holds. The source is only read.
//!
//! The string comes from `--string-env VAR` (or `--string`, which other local users can see
//! in the process list). Before anything connects, a note says that the other program must
//! stop using the session: one session in two places gets terminated (AUTH_KEY_DUPLICATED).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use hearth_accounts::{PortableSession, SessionFormat};
use serde_json::json;

use crate::context::Context;
use crate::exit::{self, Failure};
use crate::login::network_spec;
use crate::output::Output;
use crate::prompt;

mod export;
pub use export::ExportArgs;

#[derive(Debug, Clone, Subcommand)]
pub enum SessionCommand {
    /// Adds the account of a Pyrogram or Telethon session file or string, or every account
    /// of a Telegram Desktop tdata folder.
    Import(ImportArgs),
    /// Writes a session of the account for another program: a new one (--fresh) or
    /// Hearth's own, which leaves Hearth (--move).
    Export(ExportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Tell by the content.
    Auto,
    Pyrogram,
    Telethon,
    /// Telegram Desktop's tdata folder.
    Tdata,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A session file (Pyrogram's or Telethon's `.session`) or a Telegram Desktop tdata folder.
    #[arg(required_unless_present_any = ["string", "string_env"], conflicts_with_all = ["string", "string_env"])]
    pub file: Option<PathBuf>,
    /// A session string (visible to other local users in the process list: prefer --string-env).
    #[arg(long, conflicts_with = "string_env")]
    pub string: Option<String>,
    /// Read the session string from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub string_env: Option<String>,
    /// What the session is.
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// Telegram Desktop's local passcode, from this environment variable (tdata only).
    #[arg(long, value_name = "VAR")]
    pub passcode_env: Option<String>,
    /// `local FILE` (a localdc's announcement), `production` or `test`; by default the
    /// session's own (its test-server flag; production otherwise).
    #[arg(long, num_args = 1..=2, value_names = ["NETWORK", "FILE"])]
    pub network: Vec<String>,
    /// The account's name in Hearth (default: its Telegram name).
    #[arg(long)]
    pub label: Option<String>,
    /// Production/test: the api_id from my.telegram.org (saved for the next logins).
    #[arg(long, requires = "api_hash_env")]
    pub api_id: Option<i32>,
    /// Production/test: read the api_hash from this environment variable.
    #[arg(long, value_name = "VAR", requires = "api_id")]
    pub api_hash_env: Option<String>,
}

pub async fn run(ctx: &Context, out: Output, cmd: SessionCommand) -> Result<(), Failure> {
    match cmd {
        SessionCommand::Import(args) => import(ctx, out, args).await,
        SessionCommand::Export(args) => export::run(ctx, out, args).await,
    }
}

fn bad_session(e: hearth_portable::Error) -> Failure {
    Failure::new(exit::USAGE, "SESSION_INVALID", e.to_string()).on_field("session")
}

/// Whether the arguments name a Telegram Desktop tdata folder.
fn is_tdata(args: &ImportArgs) -> bool {
    match (args.format, &args.file) {
        (FormatArg::Tdata, _) => true,
        (FormatArg::Auto, Some(path)) => path.is_dir(),
        _ => false,
    }
}

/// Every signed-in account of the tdata folder `path`.
fn read_tdata(path: &std::path::Path, args: &ImportArgs) -> Result<Vec<PortableSession>, Failure> {
    let passcode = match &args.passcode_env {
        Some(var) => Some(prompt::env_secret("--passcode-env", var)?),
        None => None,
    };
    let passcode = passcode.as_ref().map(|p| p.as_bytes());
    hearth_portable::tdata::read_folder(path, passcode).map_err(|e| {
        let (field, message) = match &e {
            hearth_portable::Error::TdataPasscodeNeeded { path } => (
                "passcode",
                format!(
                    "{} has a local passcode: pass it with --passcode-env VAR (the passcode \
                     Telegram Desktop asks for when it starts)",
                    path.display()
                ),
            ),
            hearth_portable::Error::TdataWrongPasscode { .. } => ("passcode", e.to_string()),
            _ => ("session", e.to_string()),
        };
        Failure::new(exit::USAGE, "SESSION_INVALID", message).on_field(field)
    })
}

/// The sessions the arguments point at.
fn read(args: &ImportArgs) -> Result<Vec<PortableSession>, Failure> {
    if is_tdata(args) {
        let Some(path) = &args.file else {
            return Err(Failure::usage(
                "a Telegram Desktop tdata is a folder: give its path, not a string",
            )
            .on_field("format"));
        };
        return read_tdata(path, args);
    }
    if args.passcode_env.is_some() {
        return Err(Failure::usage(
            "--passcode-env is for Telegram Desktop tdata folders only; this is a session file or string",
        )
        .on_field("passcode"));
    }
    let want = |s: &PortableSession| match args.format {
        FormatArg::Pyrogram => matches!(
            s.format,
            SessionFormat::PyrogramFile | SessionFormat::PyrogramString
        ),
        FormatArg::Telethon => matches!(
            s.format,
            SessionFormat::TelethonFile | SessionFormat::TelethonString
        ),
        _ => true,
    };
    let sessions = match (&args.file, &args.string, &args.string_env) {
        (Some(path), _, _) => hearth_portable::read_file(path).map_err(bad_session)?,
        (_, Some(text), _) => vec![hearth_portable::read_string(text).map_err(bad_session)?],
        (_, _, Some(var)) => {
            let text = prompt::env_secret("--string-env", var)?;
            vec![hearth_portable::read_string(&text).map_err(bad_session)?]
        }
        _ => {
            return Err(Failure::usage(
                "give a session file, --string-env VAR or --string S",
            ))
        }
    };
    if let Some(other) = sessions.iter().find(|s| !want(s)) {
        return Err(Failure::usage(format!(
            "this is a {}, not the format --format names",
            other.format
        ))
        .on_field("format"));
    }
    Ok(sessions)
}

/// `--network` when given; else what the session says of itself.
fn default_network(session: &PortableSession) -> Result<Vec<String>, Failure> {
    if let Some(server) = session.loopback_server() {
        return Err(Failure::usage(format!(
            "this session's DC is on this machine ({}:{}), a local test network: \
             give --network local FILE with that network's announcement file",
            server.host, server.port
        ))
        .on_field("network"));
    }
    Ok(vec![if session.test_mode == Some(true) {
        "test"
    } else {
        "production"
    }
    .to_owned()])
}

async fn import(ctx: &Context, out: Output, args: ImportArgs) -> Result<(), Failure> {
    let sessions = read(&args)?;
    // On stderr even with --json: a warning the user must see, not progress.
    eprintln!(
        "warning: Hearth will use this session's key itself. Stop every other program using \
         this session first: one session used in two places at once gets terminated by \
         Telegram (AUTH_KEY_DUPLICATED). To keep that program running, sign in to Hearth \
         separately (hearth-cli login) instead."
    );
    let interactive = prompt::interactive();
    // A tdata holds up to six accounts: each is imported on its own, and one refused does
    // not stop the others.
    let several = sessions.len() > 1;
    let mut failed = 0;
    for (n, session) in sessions.iter().enumerate() {
        let label = match (&args.label, n) {
            (Some(label), 0) => Some(label.clone()),
            (Some(label), n) => Some(format!("{label} {}", n + 1)),
            (None, _) => None,
        };
        match import_one(ctx, out, &args, session, label, interactive).await {
            Ok(()) => {}
            Err(f) if several => {
                let who = session.user_id.map_or("?".into(), |u| u.to_string());
                out.failure(
                    "session import",
                    &Failure {
                        message: format!(
                            "account {} (user {who}, DC {}): {}",
                            n + 1,
                            session.dc_id,
                            f.message
                        ),
                        ..f
                    },
                );
                failed += 1;
            }
            Err(f) => return Err(f),
        }
    }
    if failed > 0 {
        return Err(Failure::new(
            exit::FAILED,
            "SESSION_IMPORT_INCOMPLETE",
            format!(
                "{failed} of the {} accounts in this {} were not imported (the reasons are above); \
                 the others were",
                sessions.len(),
                sessions[0].format
            ),
        ));
    }
    Ok(())
}

async fn import_one(
    ctx: &Context,
    out: Output,
    args: &ImportArgs,
    session: &PortableSession,
    label: Option<String>,
    interactive: bool,
) -> Result<(), Failure> {
    let network = match args.network.is_empty() {
        true => default_network(session)?,
        false => args.network.clone(),
    };
    let api = (args.api_id, args.api_hash_env.as_deref());
    let spec = network_spec(ctx, &network, api, interactive).await?;
    let view = ctx.accounts.import_session(spec, session, label).await?;
    out.result(
        json!({ "account": view, "imported_from": session.format.describe(), "key_id": format!("{:016x}", session.key_id()) }),
        || {
            format!(
                "Imported {} as account {} \"{}\" (user {}, DC {}, {} network)",
                session.format,
                view.id,
                view.label,
                view.user_id.map_or("?".into(), |u| u.to_string()),
                view.dc,
                view.network,
            )
        },
    );
    Ok(())
}

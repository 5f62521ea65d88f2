//! `hearth-cli`: see `hearth-cli --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth_cli::account::{self, AccountCommand};
use hearth_cli::chats::{self, DialogsArgs, HistoryArgs, SendArgs, UpdatesArgs};
use hearth_cli::context;
use hearth_cli::diagnose::{self, DiagnoseArgs};
use hearth_cli::exit::{self, Failure};
use hearth_cli::file_id::{self, FileIdCommand};
use hearth_cli::login::{self, LoginArgs};
use hearth_cli::output::Output;
use hearth_cli::session::{self, SessionCommand};
use hearth_cli::sessions::{self, SessionsCommand};
use hearth_cli::transfer::{self, DownloadArgs, UploadArgs};

#[derive(Debug, Parser)]
#[command(
    name = "hearth-cli",
    version,
    about = "Hearth command-line tools: sign in, manage accounts and sessions, read and send messages, move files, diagnose connectivity",
    after_help = exit::HELP
)]
struct Cli {
    /// The data directory (default: $HEARTH_DATA_DIR, else the platform's); shared with the
    /// app, and locked while a command uses it.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// One JSON object per line on stdout (results and errors) for scripts.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks which Telegram DCs this machine reaches, over which transports
    /// and proxies, and explains every failure.
    #[command(after_help = exit::HELP)]
    Diagnose(DiagnoseArgs),
    /// Adds an account: by phone and code (with the 2FA password), by QR code, or as a bot;
    /// asks on a terminal for whatever the options do not give.
    #[command(after_help = exit::HELP)]
    Login(LoginArgs),
    /// Lists, logs out or removes accounts.
    #[command(subcommand, after_help = exit::HELP)]
    Account(AccountCommand),
    /// Lists or ends an account's sessions (its authorizations on Telegram).
    #[command(subcommand, after_help = exit::HELP)]
    Sessions(SessionsCommand),
    /// Brings in a Pyrogram or Telethon session (file or string) as an account.
    #[command(subcommand, after_help = exit::HELP)]
    Session(SessionCommand),
    /// Lists an account's dialogs, pinned first, with unread counts.
    #[command(after_help = exit::HELP)]
    Dialogs(DialogsArgs),
    /// Prints messages of a chat, newest first.
    #[command(after_help = exit::HELP)]
    History(HistoryArgs),
    /// Sends a text message (with Hearth's markup for bold, italic, links, …), or with
    /// --file-id a photo or document by its Bot API file id.
    #[command(after_help = exit::HELP)]
    Send(SendArgs),
    /// Streams the account's message events (new, edited, deleted, read) until Ctrl-C.
    #[command(after_help = exit::HELP)]
    Updates(UpdatesArgs),
    /// Decodes a Bot API / Pyrogram file_id or file_unique_id into its fields, or encodes
    /// them back.
    #[command(subcommand, after_help = exit::HELP)]
    FileId(FileIdCommand),
    /// Sends a file to a chat (a JPEG or PNG up to 10 MB as a photo, else as a document),
    /// with a progress bar on a terminal.
    #[command(after_help = transfer::HELP)]
    Upload(UploadArgs),
    /// Saves the photo or document of a message, with a progress bar on a terminal.
    #[command(after_help = transfer::HELP)]
    Download(DownloadArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match cli.command {
        Command::Diagnose(mut args) => {
            args.json = cli.json;
            diagnose::main(args)
        }
        Command::Login(args) => with_accounts(out, "login", cli.data_dir, |ctx| {
            Box::pin(login::run(ctx, out, args))
        }),
        Command::Account(cmd) => with_accounts(out, "account", cli.data_dir, |ctx| {
            Box::pin(account::run(ctx, out, cmd))
        }),
        Command::Sessions(cmd) => with_accounts(out, "sessions", cli.data_dir, |ctx| {
            Box::pin(sessions::run(ctx, out, cmd))
        }),
        Command::Session(cmd) => with_accounts(out, "session", cli.data_dir, |ctx| {
            Box::pin(session::run(ctx, out, cmd))
        }),
        Command::Dialogs(args) => with_accounts(out, "dialogs", cli.data_dir, |ctx| {
            Box::pin(chats::dialogs(ctx, out, args))
        }),
        Command::History(args) => with_accounts(out, "history", cli.data_dir, |ctx| {
            Box::pin(chats::history(ctx, out, args))
        }),
        Command::Send(args) => with_accounts(out, "send", cli.data_dir, |ctx| {
            Box::pin(chats::send(ctx, out, args))
        }),
        Command::Upload(args) => with_accounts(out, "upload", cli.data_dir, |ctx| {
            Box::pin(transfer::upload(ctx, out, args))
        }),
        Command::Download(args) => with_accounts(out, "download", cli.data_dir, |ctx| {
            Box::pin(transfer::download(ctx, out, args))
        }),
        Command::Updates(args) => {
            let (dir, updates) = (cli.data_dir, true);
            with_accounts_updating(out, "updates", dir, updates, |ctx| {
                Box::pin(chats::updates(ctx, out, args))
            })
        }
        Command::FileId(cmd) => ExitCode::from(file_id::main(out, cmd)),
    }
}

type CommandFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Failure>> + 'a>>;

/// Runs an account command: runtime, data directory, lock, service; then the command; then
/// the service's clients are shut down.
fn with_accounts(
    out: Output,
    name: &str,
    data_dir: Option<PathBuf>,
    command: impl for<'a> FnOnce(&'a context::Context) -> CommandFuture<'a>,
) -> ExitCode {
    with_accounts_updating(out, name, data_dir, false, command)
}

/// [`with_accounts`], with the clients' update loops on when `updates` is set.
fn with_accounts_updating(
    out: Output,
    name: &str,
    data_dir: Option<PathBuf>,
    updates: bool,
    command: impl for<'a> FnOnce(&'a context::Context) -> CommandFuture<'a>,
) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let f = Failure::new(
                exit::FAILED,
                "RUNTIME",
                format!("cannot start the async runtime: {e}"),
            );
            return ExitCode::from(out.failure(name, &f));
        }
    };
    let result = rt.block_on(async {
        let ctx = context::open_with(data_dir.as_deref(), updates)?;
        let result = command(&ctx).await;
        ctx.accounts.shutdown().await;
        result
    });
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(f) => ExitCode::from(out.failure(name, &f)),
    }
}

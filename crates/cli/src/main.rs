//! `hearth-cli`: see `hearth-cli --help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth_cli::account::{self, AccountCommand};
use hearth_cli::context;
use hearth_cli::diagnose::{self, DiagnoseArgs};
use hearth_cli::exit::{self, Failure};
use hearth_cli::output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "hearth-cli",
    version,
    about = "Hearth command-line tools: sign in, manage accounts and sessions, diagnose connectivity",
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
    /// Lists, logs out or removes accounts.
    #[command(subcommand, after_help = exit::HELP)]
    Account(AccountCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    match cli.command {
        Command::Diagnose(mut args) => {
            args.json = cli.json;
            diagnose::main(args)
        }
        Command::Account(cmd) => with_accounts(out, "account", cli.data_dir, |ctx| {
            Box::pin(account::run(ctx, out, cmd))
        }),
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
        let ctx = context::open(data_dir.as_deref())?;
        let result = command(&ctx).await;
        ctx.accounts.shutdown().await;
        result
    });
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(f) => ExitCode::from(out.failure(name, &f)),
    }
}

//! `hearth-cli`: see `hearth-cli --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth_cli::diagnose::{self, DiagnoseArgs};

#[derive(Debug, Parser)]
#[command(name = "hearth-cli", version, about = "Hearth command-line tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks which Telegram DCs this machine reaches, over which transports
    /// and proxies, and explains every failure.
    Diagnose(DiagnoseArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagnose(args) => diagnose::main(args),
    }
}

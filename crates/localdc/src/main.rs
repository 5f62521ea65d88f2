//! `localdc`: runs the DC emulator until SIGINT or SIGTERM.
//!
//! Prints exactly one JSON line to stdout once every listener is bound
//! (the DC endpoints, the RSA public key and its fingerprint, the control
//! address); logs go to stderr (`RUST_LOG` filters them).

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use localdc::world::World;
use localdc::{Config, LocalDc};

#[derive(Debug, Parser)]
#[command(
    name = "localdc",
    about = "A Telegram data-centre emulator speaking MTProto 2.0 on loopback"
)]
struct Args {
    /// World file (TOML) describing accounts, bots and chats.
    #[arg(long)]
    world: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Directory for the RSA key and the SQLite state; in memory when omitted.
    #[arg(long)]
    state_dir: Option<PathBuf>,
    /// Seed for reproducible ids, hashes and salts.
    #[arg(long)]
    seed: Option<u64>,
}

async fn run(args: Args) -> Result<(), String> {
    let world = match &args.world {
        Some(p) => World::load(p).map_err(|e| e.to_string())?,
        None => World::default(),
    };
    let dc = LocalDc::start(Config {
        host: args.host,
        state_dir: args.state_dir,
        world,
        seed: args.seed,
        rsa_key: None,
    })
    .await
    .map_err(|e| e.to_string())?;
    // Signal handlers go in before the announcement: a supervisor may send
    // SIGTERM as soon as it has read the line, and must get a clean exit.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot install SIGTERM handler: {e}"))?;
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| format!("cannot install SIGINT handler: {e}"))?;
    let line = serde_json::to_string(&dc.announcement()).map_err(|e| e.to_string())?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")
            .and_then(|_| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    tokio::select! {
        _ = int.recv() => tracing::info!("SIGINT"),
        _ = term.recv() => tracing::info!("SIGTERM"),
    }
    dc.shutdown().await;
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "localdc=info".into()),
        )
        .init();
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("localdc: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("localdc: {e}");
            ExitCode::FAILURE
        }
    }
}

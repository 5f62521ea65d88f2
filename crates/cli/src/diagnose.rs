//! `hearth-cli diagnose`.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use hearth_diagnose::networks::{DcEndpoint, NetworkError};
use hearth_diagnose::proxy::ProxyParseError;
use hearth_diagnose::report::{probe_json, summary_json};
use hearth_diagnose::{
    build_plan, start_sweep, Network, NetworkKind, PlanOptions, ProbeConfig, ProbeResult,
    ProxySpec, Summary,
};

use crate::table;

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// Which DCs to probe: `production`, `test`, or `local FILE` where FILE
    /// holds the JSON line localdc printed (`-` reads it from stdin).
    #[arg(long, num_args = 1..=2, value_names = ["NETWORK", "FILE"], default_values_t = ["production".to_string()])]
    pub network: Vec<String>,
    /// Probe DC ID at HOST:PORT instead of the network's address book
    /// (repeatable); the network's server key is still required.
    #[arg(long = "dc", value_name = "ID=HOST:PORT")]
    pub dcs: Vec<String>,
    /// Also probe through this proxy (repeatable):
    /// socks5://[user:pass@]host:port, http://[user:pass@]host:port,
    /// mtproxy://secret@host:port, or a tg://proxy / tg://socks / t.me link.
    #[arg(long = "proxy", value_name = "URL")]
    pub proxies: Vec<String>,
    /// Include the network's IPv6 addresses.
    #[arg(long)]
    pub ipv6: bool,
    /// Timeout of each probe, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub timeout: u64,
    /// How many probes run at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// One JSON object per probe and a summary object, one per line (the global `--json`).
    #[arg(skip)]
    pub json: bool,
}

/// Why the command could not start probing.
#[derive(Debug, thiserror::Error)]
pub enum ArgsError {
    #[error("--network takes production, test, or local FILE; got \"{0}\"")]
    Network(String),
    #[error("--network local needs the file with the line localdc printed (or - for stdin)")]
    LocalNeedsFile,
    #[error("cannot read {path}: {source}; {}", advice(path))]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}; {}", advice(path))]
    Announcement { path: String, source: NetworkError },
    #[error("--dc \"{0}\" is not ID=HOST:PORT with an IP address, e.g. 2=127.0.0.1:4430 or 2=[::1]:4430")]
    Dc(String),
    #[error("--proxy \"{url}\": {source}")]
    Proxy {
        /// The argument without its password or secret
        /// (`hearth_diagnose::redact`).
        url: String,
        source: ProxyParseError,
    },
    #[error("--concurrency must be at least 1")]
    Concurrency,
    #[error("--timeout must be at least 1 ms")]
    Timeout,
}

/// Parses `ID=HOST:PORT`.
pub fn parse_dc(text: &str) -> Result<DcEndpoint, ArgsError> {
    let bad = || ArgsError::Dc(text.to_owned());
    let (id, addr) = text.split_once('=').ok_or_else(bad)?;
    let dc_id: i32 = id.trim().parse().map_err(|_| bad())?;
    let addr: SocketAddr = addr.trim().parse().map_err(|_| bad())?;
    if dc_id <= 0 {
        return Err(bad());
    }
    Ok(DcEndpoint {
        dc_id,
        ip: addr.ip(),
        port: addr.port(),
        media_only: false,
    })
}

fn read_source(path: &str) -> Result<String, ArgsError> {
    let err = |source| ArgsError::Read {
        path: path.to_owned(),
        source,
    };
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(err)?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(err)
    }
}

/// What to do about a missing, truncated or invalid announcement (the same words
/// `hearth-cli login` gives).
fn advice(path: &str) -> String {
    if path == "-" {
        "pipe the first line a running localdc prints (`localdc | hearth-cli diagnose --network local -`)".into()
    } else {
        hearth_accounts::announcement_file_advice(path)
    }
}

/// The network the arguments describe.
pub fn network(args: &DiagnoseArgs) -> Result<Network, ArgsError> {
    let kind = args
        .network
        .first()
        .map(String::as_str)
        .unwrap_or("production");
    let mut net = match (kind, args.network.get(1)) {
        ("production", None) => Network::production(),
        ("test", None) => Network::test(),
        ("local", Some(path)) => {
            let text = read_source(path)?;
            // localdc prints one line; take the first that is not blank.
            let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            Network::from_localdc_line(line).map_err(|source| ArgsError::Announcement {
                path: path.clone(),
                source,
            })?
        }
        ("local", None) => return Err(ArgsError::LocalNeedsFile),
        _ => return Err(ArgsError::Network(args.network.join(" "))),
    };
    if !args.dcs.is_empty() {
        net.endpoints = args
            .dcs
            .iter()
            .map(|d| parse_dc(d))
            .collect::<Result<_, _>>()?;
    }
    Ok(net)
}

/// Parses every `--proxy`.
pub fn proxies(args: &DiagnoseArgs) -> Result<Vec<ProxySpec>, ArgsError> {
    args.proxies
        .iter()
        .map(|u| {
            ProxySpec::parse(u).map_err(|source| ArgsError::Proxy {
                url: hearth_diagnose::redact::redact(u),
                source,
            })
        })
        .collect()
}

/// Runs the command; the exit code is 0 when at least one DC answered,
/// 1 when none did, 2 on bad arguments.
pub fn main(args: DiagnoseArgs) -> ExitCode {
    let prepared = (|| {
        if args.concurrency == 0 {
            return Err(ArgsError::Concurrency);
        }
        if args.timeout == 0 {
            return Err(ArgsError::Timeout);
        }
        Ok((network(&args)?, proxies(&args)?))
    })();
    let (net, proxies) = match prepared {
        Ok(p) => p,
        Err(e) => {
            eprintln!("hearth-cli diagnose: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hearth-cli diagnose: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let summary = rt.block_on(run(&args, &net, &proxies));
    if summary.any_reachable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Probes and prints; returns the summary.
pub async fn run(args: &DiagnoseArgs, net: &Network, proxies: &[ProxySpec]) -> Summary {
    let opts = PlanOptions {
        ipv4: true,
        ipv6: args.ipv6 || !args.dcs.is_empty(),
        ..PlanOptions::default()
    };
    let plan = build_plan(net, proxies, &opts);
    let config = ProbeConfig {
        timeout: Duration::from_millis(args.timeout),
        fingerprints: net.fingerprints.clone(),
        test_network: net.kind == NetworkKind::Test,
        ping: None,
    };
    let order: Vec<_> = plan.clone();
    if !args.json {
        println!(
            "Probing {} DC addresses over {} routes ({} probes, timeout {} ms)…",
            net.endpoints.len(),
            proxies.len() + 1,
            plan.len(),
            args.timeout
        );
    }
    let mut rx = start_sweep(plan, config, args.concurrency);
    let mut results: Vec<ProbeResult> = Vec::with_capacity(order.len());
    let stdout = std::io::stdout();
    while let Some(r) = rx.recv().await {
        if args.json {
            let mut out = stdout.lock();
            let _ = writeln!(out, "{}", probe_json(&r));
            let _ = out.flush();
        }
        results.push(r);
    }
    let summary = Summary::of(&results);
    if args.json {
        println!("{}", summary_json(&summary));
    } else {
        // Back into plan order for a stable table.
        let key = |r: &ProbeResult| {
            order
                .iter()
                .position(|p| {
                    p.dc_id == r.spec.dc_id
                        && p.address == r.spec.address
                        && p.transport == r.spec.transport
                        && p.route_label() == r.spec.route_label()
                })
                .unwrap_or(usize::MAX)
        };
        results.sort_by_key(key);
        print!("{}", table::render(&results, &summary));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_announcement_file_names_the_parse_error_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("localdc.json");
        std::fs::write(&path, "{\"dcs\": [{\"id\": 2, \"ho").unwrap();
        let path = path.display().to_string();
        let args = DiagnoseArgs {
            network: vec!["local".into(), path.clone()],
            dcs: vec![],
            proxies: vec![],
            ipv6: false,
            timeout: 1000,
            concurrency: 1,
            json: false,
        };
        let text = network(&args).unwrap_err().to_string();
        assert!(text.starts_with(&path), "{text}");
        assert!(text.contains("EOF"), "names the parse error: {text}");
        assert!(
            text.contains("save the first line it prints to that file again"),
            "{text}"
        );
        let missing = DiagnoseArgs {
            network: vec!["local".into(), format!("{path}.gone")],
            ..args
        };
        let text = network(&missing).unwrap_err().to_string();
        assert!(
            text.contains("cannot read") && text.contains("save the first line it prints"),
            "{text}"
        );
    }

    #[test]
    fn dc_arguments() {
        let d = parse_dc("2=127.0.0.1:4430").unwrap();
        assert_eq!((d.dc_id, d.port), (2, 4430));
        assert!(parse_dc("4=[::1]:443").unwrap().ip.is_ipv6());
        for bad in [
            "2",
            "x=127.0.0.1:1",
            "2=localhost:1",
            "0=127.0.0.1:1",
            "2=127.0.0.1",
        ] {
            assert!(matches!(parse_dc(bad), Err(ArgsError::Dc(_))), "{bad}");
        }
    }
}

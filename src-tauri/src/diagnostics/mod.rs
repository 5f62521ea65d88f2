//! The Diagnostics page's backend: the built-in local test network, sweeps
//! over `hearth-diagnose` streaming each finished probe, proxies, and the
//! report file. Commands in [`crate::commands`] are one call into here.

pub mod local;
pub mod proxies;
pub mod sweep;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use hearth_diagnose::proxies_db::ProxySecrets;
use hearth_diagnose::{build_plan, start_sweep, Network, PlanOptions, ProbeResult};
use hearth_store::secrets::SecretStore;
use hearth_store::Database;

use crate::error::{codes, CommandError};
use local::LocalNetwork;
use proxies::SessionProxies;
use types::{LocalNetworkInfo, ProxyEntry, ProxyInput, SavedReport, SweepEvent, SweepRequest};

/// The latest result of every cell of the network probed last.
#[derive(Default)]
struct Latest {
    network: String,
    by_cell: BTreeMap<String, ProbeResult>,
}

/// State behind the Diagnostics commands.
pub struct Diagnostics {
    data_dir: PathBuf,
    secrets: Box<dyn ProxySecrets + Send + Sync>,
    local: tokio::sync::Mutex<Option<LocalNetwork>>,
    session: Mutex<SessionProxies>,
    latest: Arc<Mutex<Latest>>,
    runs: AtomicU32,
}

fn poisoned() -> CommandError {
    CommandError::internal("the diagnostics state")
}

fn io_error(message: String) -> CommandError {
    CommandError::new(
        codes::IO,
        format!("{message}; check that the data directory is writable"),
    )
}

impl Diagnostics {
    /// Diagnostics for the data directory `data_dir`, with proxy secrets in the OS keyring.
    pub fn new(data_dir: &Path) -> Self {
        Self::with_secrets(data_dir, Box::new(SecretStore::for_data_dir(data_dir)))
    }

    /// As [`Diagnostics::new`] with another secret store (tests use one in memory).
    pub fn with_secrets(data_dir: &Path, secrets: Box<dyn ProxySecrets + Send + Sync>) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            secrets,
            local: tokio::sync::Mutex::new(None),
            session: Mutex::new(SessionProxies::default()),
            latest: Arc::new(Mutex::new(Latest::default())),
            runs: AtomicU32::new(0),
        }
    }

    /// Starts the local test network unless it already runs; its DCs.
    pub async fn start_local(&self) -> Result<LocalNetworkInfo, CommandError> {
        Ok(self.local_network().await?.1)
    }

    async fn local_network(&self) -> Result<(Network, LocalNetworkInfo), CommandError> {
        let mut guard = self.local.lock().await;
        if guard.is_none() {
            *guard = Some(LocalNetwork::start(&self.data_dir).await?);
        }
        let local = guard.as_ref().ok_or_else(poisoned)?;
        Ok((local.network().clone(), local.info().clone()))
    }

    /// The local test network's announcement line, starting it first if
    /// needed (accounts on it connect with this).
    pub async fn local_announcement(&self) -> Result<String, CommandError> {
        self.local_network().await?;
        let guard = self.local.lock().await;
        let local = guard.as_ref().ok_or_else(poisoned)?;
        Ok(local.announcement().to_owned())
    }

    /// Stops the local test network if it runs (the app calls this on exit).
    pub async fn shutdown(&self) {
        if let Some(local) = self.local.lock().await.take() {
            local.shutdown().await;
        }
    }

    /// Proxies: saved ones (damaged ones with what to do), then those kept
    /// for this run.
    pub fn proxies(&self, db: &Mutex<Database>) -> Result<Vec<ProxyEntry>, CommandError> {
        Ok(proxies::all(db, self.secrets.as_ref(), &self.session)?.0)
    }

    /// Adds a proxy from a link or a form.
    pub fn add_proxy(
        &self,
        db: &Mutex<Database>,
        input: &ProxyInput,
    ) -> Result<ProxyEntry, CommandError> {
        let spec = proxies::spec_of(input)?;
        proxies::add(db, self.secrets.as_ref(), &self.session, spec).map_err(CommandError::from)
    }

    /// Removes a proxy (and its keyring entry).
    pub fn remove_proxy(&self, db: &Mutex<Database>, id: i64) -> Result<(), CommandError> {
        proxies::remove(db, self.secrets.as_ref(), &self.session, id).map_err(CommandError::from)
    }

    /// Starts a sweep; `sink` receives `planned` now, then each probe as it
    /// finishes and `finished` from a background task. Returns the run number.
    pub async fn run(
        &self,
        db: &Mutex<Database>,
        request: &SweepRequest,
        sink: impl Fn(SweepEvent) + Send + 'static,
    ) -> Result<u32, CommandError> {
        let network = match sweep::builtin_network(&request.network) {
            Some(n) => n,
            None if request.network == "local" => self.local_network().await?.0,
            None => {
                return Err(CommandError::new(
                    codes::INVALID_INPUT,
                    format!(
                        "unknown network \"{}\"; choose local, production or test",
                        request.network
                    ),
                )
                .on_field("network"))
            }
        };
        // Damaged proxies are left out (the list shows why); if the list
        // cannot be read at all, the direct routes are still probed.
        let specs = match proxies::all(db, self.secrets.as_ref(), &self.session) {
            Ok((_, specs)) => specs,
            Err(e) => {
                eprintln!("hearth: saved proxies unreadable ({e}); probing without them");
                Vec::new()
            }
        };
        let plan = sweep::select(
            build_plan(&network, &specs, &PlanOptions::default()),
            request.cells.as_deref(),
        );
        let run = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        sink(SweepEvent::Planned {
            run,
            network: request.network.clone(),
            cells: plan.iter().map(sweep::cell_of).collect(),
        });
        {
            let mut latest = self.latest.lock().map_err(|_| poisoned())?;
            // A full run replaces the grid (a removed proxy's cells go); a
            // run of some cells updates only those.
            if latest.network != request.network || request.cells.is_none() {
                latest.network = request.network.clone();
                latest.by_cell.clear();
            }
        }
        let config = sweep::probe_config(&network);
        let latest = self.latest.clone();
        let mut rx = start_sweep(plan, config, sweep::CONCURRENCY);
        tokio::spawn(async move {
            let (mut ok, mut failed) = (0, 0);
            while let Some(result) = rx.recv().await {
                if result.ok() {
                    ok += 1;
                } else {
                    failed += 1;
                }
                let outcome = Box::new(sweep::outcome(&result));
                if let Ok(mut l) = latest.lock() {
                    l.by_cell.insert(outcome.cell.key.clone(), result);
                }
                sink(SweepEvent::Probe { run, outcome });
            }
            sink(SweepEvent::Finished { run, ok, failed });
        });
        Ok(run)
    }

    /// Writes the latest result of every cell as JSON into
    /// `<data dir>/reports/` and returns where.
    pub fn save_report(&self) -> Result<SavedReport, CommandError> {
        let latest = self.latest.lock().map_err(|_| poisoned())?;
        if latest.by_cell.is_empty() {
            return Err(CommandError::new(
                codes::NOTHING_YET,
                "nothing to save yet: run the diagnosis first",
            ));
        }
        let results: Vec<ProbeResult> = latest.by_cell.values().cloned().collect();
        let report = sweep::report_json(&latest.network, &results);
        let dir = self.data_dir.join("reports");
        std::fs::create_dir_all(&dir)
            .map_err(|e| io_error(format!("cannot create {}: {e}", dir.display())))?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let path = dir.join(format!("diagnostics-{}-{stamp}.json", latest.network));
        let text = serde_json::to_string_pretty(&report).map_err(|e| {
            CommandError::new(codes::INTERNAL, format!("cannot format the report: {e}"))
        })?;
        std::fs::write(&path, text)
            .map_err(|e| io_error(format!("cannot write {}: {e}", path.display())))?;
        Ok(SavedReport {
            path: path.display().to_string(),
            probes: u32::try_from(results.len()).unwrap_or(u32::MAX),
        })
    }
}

//! Runs a plan: probes concurrently under a bound (a semaphore), each with
//! its own timeout, streaming results as they finish.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, Semaphore};

use crate::plan::ProbeSpec;
use crate::probe::{run_probe, ProbeConfig, ProbeResult};
use crate::verdict::Verdict;

/// Starts every probe of `plan` (at most `concurrency` at once) and returns
/// the receiver their results arrive on, in finishing order. The channel
/// closes after the last result. Must be called within a tokio runtime;
/// dropping the receiver lets running probes finish and starts no more.
pub fn start_sweep(
    plan: Vec<ProbeSpec>,
    config: ProbeConfig,
    concurrency: usize,
) -> mpsc::Receiver<ProbeResult> {
    let (tx, rx) = mpsc::channel(plan.len().max(1));
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let config = Arc::new(config);
    let foreign = Arc::new(Mutex::new(Foreign::default()));
    tokio::spawn(async move {
        for spec in plan {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                return;
            };
            if tx.is_closed() {
                return;
            }
            let tx = tx.clone();
            let config = config.clone();
            let foreign = foreign.clone();
            tokio::spawn(async move {
                let mut result = run_probe(spec, &config).await;
                drop(permit);
                if let Ok(mut f) = foreign.lock() {
                    f.refine(&mut result);
                }
                let _ = tx.send(result).await;
            });
        }
    });
    rx
}

/// Addresses (per route) where some transport got a non-MTProto answer.
///
/// A web server reads a request line up to a newline: the abridged probe
/// (whose length byte is `\n` for `req_pq_multi`) gets an HTTP error back,
/// while intermediate framing gets no answer at all. Such a silence at an
/// address that already answered in a foreign protocol is that same
/// verdict, not a blocked network.
#[derive(Default)]
struct Foreign(HashMap<(SocketAddr, String), Verdict>);

impl Foreign {
    fn refine(&mut self, r: &mut ProbeResult) {
        let key = (r.spec.address, r.spec.route_label());
        match &r.verdict {
            Verdict::NotMtproto { .. } => {
                self.0.entry(key).or_insert_with(|| r.verdict.clone());
            }
            Verdict::TimedOut {
                stage: "answer", ..
            } => {
                if let Some(Verdict::NotMtproto { peer, detail }) = self.0.get(&key) {
                    r.verdict = Verdict::NotMtproto {
                        peer: peer.clone(),
                        detail: format!(
                            "no answer over {}, while another transport got {detail}",
                            r.spec.transport.as_str()
                        ),
                    };
                }
            }
            _ => {}
        }
    }
}

/// Runs the whole sweep and collects every result (finishing order).
pub async fn run_sweep(
    plan: Vec<ProbeSpec>,
    config: ProbeConfig,
    concurrency: usize,
) -> Vec<ProbeResult> {
    let mut rx = start_sweep(plan, config, concurrency);
    let mut out = Vec::new();
    while let Some(r) = rx.recv().await {
        out.push(r);
    }
    out
}

/// What a whole sweep found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub probes: usize,
    pub ok: usize,
    pub failed: usize,
    /// DC ids that answered over at least one route.
    pub reachable_dcs: Vec<i32>,
    /// DC ids that answered over none.
    pub unreachable_dcs: Vec<i32>,
    /// Routes (`direct` or a proxy label) with at least one good probe.
    pub working_routes: Vec<String>,
    /// Distinct next steps of the failures, most frequent first.
    pub next_steps: Vec<String>,
}

impl Summary {
    pub fn of(results: &[ProbeResult]) -> Self {
        let all: BTreeSet<i32> = results.iter().map(|r| r.spec.dc_id).collect();
        let reachable: BTreeSet<i32> = results
            .iter()
            .filter(|r| r.ok())
            .map(|r| r.spec.dc_id)
            .collect();
        let mut routes: Vec<String> = Vec::new();
        for r in results.iter().filter(|r| r.ok()) {
            let label = r.spec.route_label();
            if !routes.contains(&label) {
                routes.push(label);
            }
        }
        let mut steps: Vec<(String, usize)> = Vec::new();
        for r in results.iter().filter(|r| !r.ok()) {
            let s = r.verdict.next_step();
            match steps.iter_mut().find(|(t, _)| *t == s) {
                Some((_, n)) => *n += 1,
                None => steps.push((s, 1)),
            }
        }
        steps.sort_by_key(|s| std::cmp::Reverse(s.1));
        let ok = results.iter().filter(|r| r.ok()).count();
        Summary {
            probes: results.len(),
            ok,
            failed: results.len() - ok,
            reachable_dcs: reachable.iter().copied().collect(),
            unreachable_dcs: all.difference(&reachable).copied().collect(),
            working_routes: routes,
            next_steps: steps.into_iter().map(|(s, _)| s).collect(),
        }
    }

    /// Whether any DC answered at all.
    pub fn any_reachable(&self) -> bool {
        !self.reachable_dcs.is_empty()
    }
}

/// Verdicts of a result set that are failures, for a quick look.
pub fn failures(results: &[ProbeResult]) -> impl Iterator<Item = &Verdict> {
    results.iter().map(|r| &r.verdict).filter(|v| !v.is_ok())
}

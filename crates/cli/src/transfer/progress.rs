//! How a transfer shows while it runs: an `indicatif` bar when stdout is a terminal (and not
//! `--json`), progress JSON lines at most every [`JSON_EVERY`] with `--json`, nothing otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use hearth_accounts::{TransferKind, TransferView};
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};

use crate::output::Output;

/// The shortest time between two `--json` progress lines.
pub const JSON_EVERY: Duration = Duration::from_millis(200);

pub struct Reporter {
    out: Output,
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
}

impl Reporter {
    pub fn new(out: Output, view: &TransferView) -> Self {
        let bar = (!out.json && std::io::stdout().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(view.total, ProgressDrawTarget::stdout());
            let style =
                ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(view.file_name.clone());
            bar
        });
        Reporter {
            out,
            bar,
            last_line: None,
        }
    }

    pub fn update(&mut self, v: &TransferView) {
        if let Some(bar) = &self.bar {
            if let Some(total) = v.total {
                bar.set_length(total);
            }
            bar.set_position(v.done);
            bar.set_message(speed_and_eta(v));
        } else if self.out.json {
            let now = Instant::now();
            if self.last_line.is_some_and(|t| now - t < JSON_EVERY) {
                return;
            }
            self.last_line = Some(now);
            self.out.result(view_json(v), String::new);
        }
    }

    pub fn finish(&mut self, v: &TransferView) {
        if let Some(bar) = self.bar.take() {
            bar.set_position(v.done);
            bar.finish_and_clear();
        }
    }
}

fn speed_and_eta(v: &TransferView) -> String {
    let speed = format!("{}/s", HumanBytes(v.bytes_per_sec as u64));
    match v.eta {
        Some(eta) => format!("{speed}, {}s left", eta.as_secs()),
        None => speed,
    }
}

/// A transfer as one JSON object.
pub fn view_json(v: &TransferView) -> Value {
    json!({
        "transfer": v.id,
        "kind": v.kind.as_str(),
        "file_name": v.file_name,
        "path": v.path.display().to_string(),
        "state": v.state.as_str(),
        "done": v.done,
        "total": v.total,
        "bytes_per_sec": v.bytes_per_sec.round(),
        "eta_secs": v.eta.map(|d| d.as_secs()),
        "message_id": v.message_id,
    })
}

/// The final line of a finished transfer, with `--json`.
pub fn final_json(v: &TransferView) -> Value {
    view_json(v)
}

/// The final line of a finished transfer, in words.
pub fn final_line(v: &TransferView) -> String {
    let size = HumanBytes(v.done);
    match v.kind {
        TransferKind::Download => {
            format!("Saved {} ({size}) to {}.", v.file_name, v.path.display())
        }
        TransferKind::Upload => match v.message_id {
            Some(id) => format!("Sent {} ({size}) as message {id}.", v.file_name),
            None => format!("Sent {} ({size}).", v.file_name),
        },
    }
}

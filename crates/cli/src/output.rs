//! How results reach the user: lines of text, or with `--json` one JSON object per line on
//! stdout (errors too, as `{"error": {...}}`), flushed at once so scripts can follow along.

use std::io::Write;

use serde_json::{json, Value};

use crate::exit::Failure;

/// The output mode of one run.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// One JSON object (with `--json`) or the text `human` (without).
    pub fn result(&self, value: Value, human: impl FnOnce() -> String) {
        let mut out = std::io::stdout().lock();
        let _ = if self.json {
            writeln!(out, "{value}")
        } else {
            writeln!(out, "{}", human())
        };
        let _ = out.flush();
    }

    /// A progress or guidance line: stderr without `--json`, nothing with it.
    pub fn note(&self, text: &str) {
        if !self.json {
            eprintln!("{text}");
        }
    }

    /// Reports a failure and returns its exit code.
    pub fn failure(&self, command: &str, f: &Failure) -> u8 {
        if self.json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{}",
                json!({"error": {"code": f.code, "field": f.field, "message": f.message, "exit": f.exit}})
            );
            let _ = out.flush();
        } else {
            eprintln!("hearth-cli {command}: {}", f.message);
        }
        f.exit
    }
}

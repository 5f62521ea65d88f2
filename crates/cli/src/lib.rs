//! hearth-cli: command-line tools on Hearth's engine crates.
//!
//! `hearth-cli diagnose` sweeps a network's DCs over every transport and
//! route with `hearth-diagnose` and prints a table (or JSON lines) and the
//! next steps. It exits non-zero when no DC answered.

pub mod diagnose;
mod table;

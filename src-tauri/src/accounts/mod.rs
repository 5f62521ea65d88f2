//! Accounts in the app: the IPC types the Add account wizard, the sidebar,
//! the Sessions page and the per-account proxy picker exchange with Rust.
//! The logic behind them lives in the shared account service so the app and
//! `hearth-cli` behave alike; this module only translates.

pub mod demo;
pub mod types;

//! Accounts in the app: the IPC types the Add account wizard, the sidebar,
//! the Sessions page and the per-account proxy picker exchange with Rust,
//! and the thin layer that answers them from the shared account service
//! (`hearth-accounts`, which `hearth-cli` uses too), so the logic lives in
//! one place and this module only translates.

pub mod autoconnect;
pub mod builtin;
pub mod convert;
pub mod demo;
pub mod export;
pub mod flows;
pub mod import;
pub mod service;
pub mod types;

pub use service::AppAccounts;

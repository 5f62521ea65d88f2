//! The built-in "Local test network": `localdc` running inside the app on
//! free loopback ports with the demo world, so a new user can try every
//! feature offline. Started on first use, once per app run; stopped when
//! the app exits.
//!
//! Each start writes the announcement (the JSON line the `localdc` binary
//! prints: DC ports, RSA public key, control port) to
//! `<data dir>/localdc/announcement.json`, so other clients (Telethon, a
//! second `hearth-cli`) can join the same network while the app runs. The
//! ports change on every start.

use std::path::{Path, PathBuf};

use hearth_diagnose::Network;
use localdc::{Config, LocalDc};

use super::types::{LocalDcEntry, LocalNetworkInfo};
use crate::error::{codes, CommandError};

/// The demo world (who exists on the local network).
pub const DEMO_WORLD: &str = include_str!("../../../tests/world/demo.toml");

/// The announcement's file name inside `<data dir>/localdc`.
pub const ANNOUNCEMENT_FILE: &str = "announcement.json";

/// Writes `line` (plus a newline) to `path` through a temporary file and a
/// rename, so a reader never sees half of it.
fn write_announcement(path: &Path, line: &str) -> std::io::Result<()> {
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, format!("{line}\n"))?;
    std::fs::rename(&partial, path)
}

/// Why the local test network could not start.
#[derive(Debug, thiserror::Error)]
pub enum LocalNetworkError {
    #[error("the built-in demo world is invalid: {0}")]
    World(String),
    #[error("the local test network could not start: {0}; check that {1} is writable")]
    Start(String, String),
    #[error("the local test network announced itself in an unexpected form: {0}")]
    Announcement(String),
    #[error(
        "the local test network could not write {0}: {1}; check that the directory is writable"
    )]
    WriteAnnouncement(String, String),
}

impl From<LocalNetworkError> for CommandError {
    fn from(error: LocalNetworkError) -> Self {
        CommandError::new(codes::LOCAL_NETWORK, error.to_string())
    }
}

/// A running local test network.
pub struct LocalNetwork {
    dc: LocalDc,
    announcement_path: PathBuf,
    network: Network,
    info: LocalNetworkInfo,
    /// The JSON line localdc announces itself with (ports, server key).
    line: String,
}

impl LocalNetwork {
    /// Starts localdc with its state in `<data_dir>/localdc`. Must run inside
    /// a tokio runtime.
    pub async fn start(data_dir: &Path) -> Result<Self, LocalNetworkError> {
        let state_dir: PathBuf = data_dir.join("localdc");
        let world = localdc::world::World::parse(DEMO_WORLD, "built-in demo world")
            .map_err(|e| LocalNetworkError::World(e.to_string()))?;
        let config = Config {
            state_dir: Some(state_dir.clone()),
            world,
            ..Config::default()
        };
        let dc = LocalDc::start(config).await.map_err(|e| {
            LocalNetworkError::Start(e.to_string(), state_dir.display().to_string())
        })?;
        let announcement = dc.announcement();
        let line = serde_json::to_string(&announcement)
            .map_err(|e| LocalNetworkError::Announcement(e.to_string()))?;
        let network = Network::from_localdc_line(&line)
            .map_err(|e| LocalNetworkError::Announcement(e.to_string()))?;
        let announcement_path = state_dir.join(ANNOUNCEMENT_FILE);
        write_announcement(&announcement_path, &line).map_err(|e| {
            LocalNetworkError::WriteAnnouncement(
                announcement_path.display().to_string(),
                e.to_string(),
            )
        })?;
        let info = LocalNetworkInfo {
            dcs: announcement
                .dcs
                .iter()
                .map(|d| LocalDcEntry {
                    id: d.id,
                    address: format!("{}:{}", d.host, d.port),
                    media_only: d.media_only,
                })
                .collect(),
            state_dir: state_dir.display().to_string(),
        };
        Ok(Self {
            dc,
            announcement_path,
            network,
            info,
            line,
        })
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn info(&self) -> &LocalNetworkInfo {
        &self.info
    }

    /// The announcement line, as `localdc` prints it on start.
    pub fn announcement(&self) -> &str {
        &self.line
    }

    /// Stops every listener and connection and removes the announcement,
    /// whose ports are then dead.
    pub async fn shutdown(self) {
        self.dc.shutdown().await;
        if let Err(error) = std::fs::remove_file(&self.announcement_path) {
            // The app is exiting: stderr is the only place left to say it.
            eprintln!(
                "hearth: could not remove {}: {error}; its ports are no longer served",
                self.announcement_path.display()
            );
        }
    }
}

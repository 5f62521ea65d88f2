//! Telegram Desktop's `tdata` folder: every signed-in account in it, with the
//! key of its main DC. Layout learnt from TDesktop's storage code
//! (Telegram/SourceFiles/storage/, main/main_account.cpp) and checked against
//! opentele's writer in the interop suite:
//!
//! - [`file`]: the `TDF$` container every file is in (MD5-checked);
//! - [`local_key`]: the passcode key (PBKDF2-HMAC-SHA512) and the local
//!   encryption (AES-256-IGE with MTProto 1.0's `msg_key` KDF);
//! - [`key_data`]: `key_datas`, the local key and the account list;
//! - [`account`]: each account's file names (MD5 of `data`, `data#2`, ...),
//!   its `map` and its MTP authorization (user id, main DC, keys per DC).
//!
//! Invariants:
//! - The folder is only read, never written or locked: a tdata of a running
//!   Telegram Desktop reads the same (and the caller warns that one key used
//!   in two places at once gets terminated, AUTH_KEY_DUPLICATED).
//! - Every damaged or cut-short file is an [`Error::TdataDamaged`] naming the
//!   file; a locked tdata without its passcode is
//!   [`Error::TdataPasscodeNeeded`], a wrong passcode
//!   [`Error::TdataWrongPasscode`]; a folder with no signed-in account is
//!   [`Error::TdataNoAccounts`]. Nothing panics on input.
//! - Keys are held zeroed-on-drop; errors never quote key bytes.
//!
//! TDesktop keeps no test-server flag or DC address with the keys: the caller
//! picks the network.

mod account;
mod file;
mod key_data;
mod local_key;
mod stream;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "test-util"))]
pub mod writer;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::session::{Format, PortableSession};

/// Whether `path` looks like a tdata folder (or a Telegram Desktop working
/// folder holding one), for telling formats apart.
pub fn looks_like(path: &Path) -> bool {
    path.is_dir() && tdata_dir(path).is_some()
}

/// The folder holding `key_datas`: `path` itself or its `tdata`.
fn tdata_dir(path: &Path) -> Option<PathBuf> {
    let has_keys = |dir: &Path| {
        ["s", "1", "0"]
            .iter()
            .any(|s| dir.join(format!("{}{s}", key_data::NAME)).is_file())
    };
    [path.to_owned(), path.join("tdata")]
        .into_iter()
        .find(|dir| has_keys(dir))
}

/// Every signed-in account of the tdata folder at `path` (the `tdata` folder
/// or the Telegram Desktop folder holding it), unlocked with `passcode` when
/// it has a local passcode.
pub fn read_folder(path: &Path, passcode: Option<&[u8]>) -> Result<Vec<PortableSession>, Error> {
    let Some(tdata) = tdata_dir(path) else {
        return Err(Error::NotTdata {
            path: path.to_owned(),
            detail: not_tdata_detail(path),
        });
    };
    let keys = key_data::read(&tdata, passcode)?;
    let mut sessions = Vec::new();
    for &index in &keys.accounts {
        if let Some(account) = account::read(&tdata, index, &keys.local_key)? {
            sessions.push(PortableSession {
                format: Format::Tdata,
                dc_id: account.main_dc,
                auth_key: account.auth_key,
                test_mode: None,
                user_id: Some(account.user_id as i64),
                is_bot: Some(false),
                api_id: None,
                server: None,
            });
        }
    }
    if sessions.is_empty() {
        return Err(Error::TdataNoAccounts { path: tdata });
    }
    Ok(sessions)
}

fn not_tdata_detail(path: &Path) -> String {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "there is no such folder".into(),
        Err(e) => e.to_string(),
        Ok(m) if !m.is_dir() => "it is a file, not a folder".into(),
        Ok(_) if path.join(account::file_part("data")).is_dir() => {
            "it has account data but no key_datas: Telegram Desktop older than 2.0 wrote it; \
             open it once in a current Telegram Desktop first"
                .into()
        }
        Ok(_) => match other_key_file(path) {
            Some(name) => format!(
                "it has {name} but no key_datas: that Telegram Desktop was started with -key, \
                 and Hearth reads only the default key_datas"
            ),
            None => "it has no key_datas file".into(),
        },
    }
}

/// A key file of a Telegram Desktop started with `-key NAME` (`key_NAMEs`).
fn other_key_file(path: &Path) -> Option<String> {
    std::fs::read_dir(path)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .find(|n| n.starts_with("key_") && n.len() > 5)
}

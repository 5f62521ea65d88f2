//! `key_datas`: the local key and the list of accounts (TDesktop's
//! `Main::Domain::startModern`, Telegram/SourceFiles/storage/storage_domain.cpp).
//!
//! Its TDF payload is three `QByteArray`s: the 32-byte salt; the local key
//! (256 bytes) encrypted with the passcode key ([`LocalKey::from_passcode`]);
//! the account list encrypted with the local key: a count (i32) and that many
//! account indexes (i32), each naming a data folder ([`super::account`]).

use std::path::Path;

use super::file::{self, damaged};
use super::local_key::{DecryptError, LocalKey, KEY_LEN, SALT_LEN};
use super::stream::Stream;
use crate::error::Error;

/// Stored as `key_datas` (see [`file`]).
pub const NAME: &str = "key_data";
/// More than any Telegram Desktop allows (3, or 6 with Premium).
const MAX_ACCOUNTS: i32 = 64;

pub struct KeyData {
    pub local_key: LocalKey,
    /// Account indexes in the stored order, without repeats.
    pub accounts: Vec<i32>,
}

/// Reads `key_datas` in `tdata`, unlocking it with `passcode` (`None` or empty
/// for a tdata without one).
pub fn read(tdata: &Path, passcode: Option<&[u8]>) -> Result<KeyData, Error> {
    let Some(file) = file::read(tdata, NAME)? else {
        return Err(Error::NotTdata {
            path: tdata.to_owned(),
            detail: "it has no key_datas file".into(),
        });
    };
    let path = &file.path;
    let cut = || damaged(path, "it is cut short");
    let mut stream = Stream::new(&file.payload);
    let salt = stream.byte_array().ok_or_else(cut)?;
    let key_encrypted = stream.byte_array().ok_or_else(cut)?;
    let info_encrypted = stream.byte_array().ok_or_else(cut)?;
    let salt: &[u8; SALT_LEN] = salt
        .try_into()
        .map_err(|_| damaged(path, format!("its salt is {} bytes, not 32", salt.len())))?;

    let passcode = passcode.unwrap_or_default();
    let unlock = |code: &[u8]| LocalKey::from_passcode(salt, code).decrypt(key_encrypted);
    let inner = match unlock(passcode) {
        Ok(inner) => inner,
        Err(DecryptError::WrongKey) if passcode.is_empty() => {
            return Err(Error::TdataPasscodeNeeded {
                path: tdata.to_owned(),
            })
        }
        // A passcode given for a tdata without one is no reason to stop.
        Err(DecryptError::WrongKey) => unlock(b"").map_err(|_| Error::TdataWrongPasscode {
            path: tdata.to_owned(),
        })?,
        Err(e) => return Err(damaged(path, e.describe())),
    };
    let local_key: &[u8; KEY_LEN] = inner
        .get(..KEY_LEN)
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| damaged(path, "its local key is cut short"))?;
    let local_key = LocalKey::from_bytes(local_key);

    let info = local_key
        .decrypt(info_encrypted)
        .map_err(|e| damaged(path, format!("its account list: {}", e.describe())))?;
    let bad_list = || damaged(path, "its account list is cut short");
    let mut info = Stream::new(&info);
    let count = info.i32().ok_or_else(bad_list)?;
    if !(0..=MAX_ACCOUNTS).contains(&count) {
        return Err(damaged(path, format!("it lists {count} accounts")));
    }
    let mut accounts = Vec::new();
    for _ in 0..count {
        let index = info.i32().ok_or_else(bad_list)?;
        if !(0..MAX_ACCOUNTS).contains(&index) {
            return Err(damaged(path, format!("it lists account index {index}")));
        }
        if !accounts.contains(&index) {
            accounts.push(index);
        }
    }
    Ok(KeyData {
        local_key,
        accounts,
    })
}

//! One account of a tdata folder (TDesktop's `Storage::Account`,
//! Telegram/SourceFiles/storage/storage_account.cpp, and
//! `Main::Account::setMtpAuthorization`, main/main_account.cpp).
//!
//! Account `i` is named `data` (i = 0) or `data#<i+1>`; its files are named
//! after that name's key: the first 8 bytes of its MD5 as a little-endian u64,
//! written as 16 upper-case hex digits, lowest nibble first ("data" gives
//! `D877F783D5D3EF8C`). `tdata/<part>/map` is the account's file map (three
//! `QByteArray`s, the last encrypted with the local key); `tdata/<part>` holds
//! the MTP authorization, encrypted with the local key: block id 0x4B
//! (`dbiMtpAuthorization`) and a `QByteArray` of
//!
//! ```text
//! i32 -1, i32 -1, u64 user id, i32 main DC     (64-bit ids; before: i32 user id, i32 main DC)
//! i32 n, n × (i32 DC, 256-byte key)            (the keys in use)
//! i32 m, m × (i32 DC, 256-byte key)            (keys still to destroy; not read)
//! ```
//!
//! An account without the authorization file, or with user id 0, is not
//! signed in and is left out.

use std::path::Path;

use hearth_crypto::AuthKey;
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use super::file::{self, damaged};
use super::local_key::LocalKey;
use super::stream::Stream;
use crate::error::Error;

const MTP_AUTHORIZATION: i32 = 0x4B;
const WIDE_IDS_TAG: i32 = -1;
/// More DC keys than Telegram has DCs (with test and media ones): a damaged count.
const MAX_KEYS: i32 = 64;

/// A signed-in account of the folder.
pub struct Account {
    pub user_id: u64,
    pub main_dc: i32,
    /// The key for `main_dc`.
    pub auth_key: AuthKey,
}

pub fn data_name(index: i32) -> String {
    match index {
        0 => "data".into(),
        i => format!("data#{}", i + 1),
    }
}

/// The file-name part TDesktop derives from a data name.
pub fn file_part(data_name: &str) -> String {
    let digest = Md5::digest(data_name.as_bytes());
    let mut key = u64::from_le_bytes(digest[..8].try_into().expect("MD5 is 16 bytes"));
    (0..16)
        .map(|_| {
            let nibble = (key & 0xF) as u32;
            key >>= 4;
            char::from_digit(nibble, 16)
                .expect("a nibble is a hex digit")
                .to_ascii_uppercase()
        })
        .collect()
}

/// Reads account `index` of `tdata`; `None` when it is not signed in.
pub fn read(tdata: &Path, index: i32, local_key: &LocalKey) -> Result<Option<Account>, Error> {
    let part = file_part(&data_name(index));
    check_map(&tdata.join(&part), local_key)?;
    let Some(mtp) = file::read(tdata, &part)? else {
        return Ok(None);
    };
    let path = &mtp.path;
    let plain = decrypt_payload(&mtp.payload, local_key).map_err(|d| damaged(path, d))?;
    let mut stream = Stream::new(&plain);
    let block = stream.i32().ok_or_else(|| damaged(path, "it is empty"))?;
    if block != MTP_AUTHORIZATION {
        return Err(damaged(
            path,
            format!("it holds block {block:#x}, not the authorization (0x4b)"),
        ));
    }
    let serialized = stream
        .byte_array()
        .ok_or_else(|| damaged(path, "its authorization is cut short"))?;
    authorization(serialized).map_err(|d| damaged(path, d))
}

/// The account's file map must decrypt with the local key when it exists
/// (TDesktop will not load the account otherwise).
fn check_map(folder: &Path, local_key: &LocalKey) -> Result<(), Error> {
    let Some(map) = file::read(folder, "map")? else {
        return Ok(());
    };
    let mut stream = Stream::new(&map.payload);
    let cut = || damaged(&map.path, "it is cut short");
    let _legacy_salt = stream.byte_array().ok_or_else(cut)?;
    let _legacy_key = stream.byte_array().ok_or_else(cut)?;
    let encrypted = stream.byte_array().ok_or_else(cut)?;
    local_key
        .decrypt(encrypted)
        .map_err(|e| damaged(&map.path, e.describe()))?;
    Ok(())
}

/// The plaintext holds auth keys: it stays in a zeroed-on-drop buffer.
fn decrypt_payload(payload: &[u8], key: &LocalKey) -> Result<Zeroizing<Vec<u8>>, String> {
    let encrypted = Stream::new(payload).byte_array().ok_or("it is cut short")?;
    key.decrypt(encrypted).map_err(|e| e.describe())
}

fn authorization(data: &[u8]) -> Result<Option<Account>, String> {
    let cut = || "its authorization is cut short".to_owned();
    let mut s = Stream::new(data);
    let (legacy_user, legacy_dc) = (s.i32().ok_or_else(cut)?, s.i32().ok_or_else(cut)?);
    let (user_id, main_dc) = if (legacy_user, legacy_dc) == (WIDE_IDS_TAG, WIDE_IDS_TAG) {
        (s.u64().ok_or_else(cut)?, s.i32().ok_or_else(cut)?)
    } else {
        (legacy_user as u32 as u64, legacy_dc)
    };
    let count = s.i32().ok_or_else(cut)?;
    if !(0..=MAX_KEYS).contains(&count) {
        return Err(format!("its authorization lists {count} keys"));
    }
    let mut main_key = None;
    for _ in 0..count {
        let dc = s.i32().ok_or_else(cut)?;
        let key = s.bytes(256).ok_or_else(cut)?;
        if dc == main_dc {
            main_key = Some(AuthKey::from_slice(key).map_err(|e| e.to_string())?);
        }
    }
    if user_id == 0 {
        return Ok(None);
    }
    let auth_key = main_key.ok_or_else(|| {
        format!(
            "it has no key for the account's main DC {main_dc}; sign in again in Telegram Desktop"
        )
    })?;
    Ok(Some(Account {
        user_id,
        main_dc,
        auth_key,
    }))
}

/// The authorization [`read`] takes apart, for the tests' independent writer.
#[cfg(any(test, feature = "test-util"))]
pub fn serialize(user_id: u64, main_dc: i32, keys: &[(i32, [u8; 256])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(WIDE_IDS_TAG.to_be_bytes());
    out.extend(WIDE_IDS_TAG.to_be_bytes());
    out.extend(user_id.to_be_bytes());
    out.extend(main_dc.to_be_bytes());
    out.extend((keys.len() as i32).to_be_bytes());
    for (dc, key) in keys {
        out.extend(dc.to_be_bytes());
        out.extend(key);
    }
    out.extend(0i32.to_be_bytes());
    out
}

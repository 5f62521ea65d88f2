//! An independent tdata writer (the layout of the module docs) for tests here
//! and in the app, behind the `test-util` feature: it writes what TDesktop's
//! storage code writes, so the reader can be checked against it. Not for
//! production use: it panics on I/O failure.

use std::path::Path;

use super::account::{data_name, file_part, serialize};
use super::file::wrap;
use super::local_key::LocalKey;

/// One signed-in account: its index in `key_datas`, user id, main DC and keys per DC.
pub struct Signed {
    pub index: i32,
    pub user_id: u64,
    pub main_dc: i32,
    pub keys: Vec<(i32, [u8; 256])>,
}

/// TDesktop's `QByteArray` serialization: a big-endian length, then the bytes.
pub fn byte_array(data: &[u8]) -> Vec<u8> {
    [&(data.len() as u32).to_be_bytes()[..], data].concat()
}

/// A made-up 256-byte key, different for each `seed`.
pub fn key(seed: u8) -> [u8; 256] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
}

/// An account signed in on `main_dc`, with a key there (`key(index + 50)`) and on DC 1.
pub fn signed(index: i32, user_id: u64, main_dc: i32) -> Signed {
    Signed {
        index,
        user_id,
        main_dc,
        keys: vec![(1, key(1)), (main_dc, key(index as u8 + 50))],
    }
}

/// Writes a tdata into `dir` with `passcode` (empty for none) listing `accounts`.
pub fn write_tdata(dir: &Path, passcode: &[u8], listed: &[i32], accounts: &[Signed]) {
    let salt = [0x33; 32];
    let local = LocalKey::from_bytes(&key(200));
    let key_encrypted = LocalKey::from_passcode(&salt, passcode).encrypt(local.as_bytes());
    let mut info = (listed.len() as i32).to_be_bytes().to_vec();
    for index in listed {
        info.extend(index.to_be_bytes());
    }
    let payload = [
        byte_array(&salt),
        byte_array(&key_encrypted),
        byte_array(&local.encrypt(&info)),
    ]
    .concat();
    std::fs::write(dir.join("key_datas"), wrap(4006005, &payload)).unwrap();
    for account in accounts {
        let part = file_part(&data_name(account.index));
        std::fs::create_dir_all(dir.join(&part)).unwrap();
        let map = [
            byte_array(&[]),
            byte_array(&[]),
            byte_array(&local.encrypt(b"map")),
        ]
        .concat();
        std::fs::write(dir.join(&part).join("maps"), wrap(4006005, &map)).unwrap();
        let auth = serialize(account.user_id, account.main_dc, &account.keys);
        let plain = [&0x4Bi32.to_be_bytes()[..], &byte_array(&auth)].concat();
        let mtp = byte_array(&local.encrypt(&plain));
        std::fs::write(dir.join(format!("{part}s")), wrap(4006005, &mtp)).unwrap();
    }
}

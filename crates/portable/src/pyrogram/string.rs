//! Pyrogram's session string (`Client.export_session_string`; layouts in
//! `pyrogram/storage/storage.py`, read back in `memory_storage.py` `open`, the
//! same in kurigram and pyrofork): URL-safe base64 without padding of a
//! big-endian packed struct. Three layouts have shipped, told apart by length:
//!
//! | bytes | chars | layout (Python `struct`) | fields |
//! |---|---|---|---|
//! | 263 | 351 | `>B?256sI?` | dc_id, test_mode, auth_key, user_id (32-bit), is_bot |
//! | 267 | 356 | `>B?256sQ?` | the same with a 64-bit user_id |
//! | 271 | 362 | `>BI?256sQ?` | dc_id, api_id, test_mode, auth_key, user_id, is_bot |
//!
//! [`encode`] writes the newest layout, the only one current releases write.
//! Booleans read as Python's `struct` does (any non-zero byte is true).

use hearth_crypto::auth_key::AUTH_KEY_LEN;
use hearth_crypto::AuthKey;

use crate::base64url;
use crate::error::Error;
use crate::session::{Format, PortableSession};

const OLD_32: usize = 1 + 1 + AUTH_KEY_LEN + 4 + 1;
const OLD_64: usize = 1 + 1 + AUTH_KEY_LEN + 8 + 1;
const CURRENT: usize = 1 + 4 + 1 + AUTH_KEY_LEN + 8 + 1;
const FORMAT: Format = Format::PyrogramString;

/// Reads a Pyrogram session string of any layout.
pub fn decode(text: &str) -> Result<PortableSession, Error> {
    let bytes = base64url::decode(base64url::trim(text)).map_err(|detail| Error::NotBase64 {
        format: FORMAT,
        detail,
    })?;
    let mut r = Reader(&bytes);
    let (dc_id, api_id, test_mode, key, user_id, is_bot) = match bytes.len() {
        OLD_32 => (
            r.u8(),
            None,
            r.flag(),
            r.key(),
            u64::from(r.u32()),
            r.flag(),
        ),
        OLD_64 => (r.u8(), None, r.flag(), r.key(), r.u64(), r.flag()),
        CURRENT => (r.u8(), Some(r.u32()), r.flag(), r.key(), r.u64(), r.flag()),
        len => {
            return Err(Error::WrongLength {
                format: FORMAT,
                len,
                expected: "263, 267 or 271",
            })
        }
    };
    finish(dc_id, api_id, test_mode, key, user_id, is_bot)
}

fn finish(
    dc_id: u8,
    api_id: Option<u32>,
    test_mode: bool,
    key: [u8; AUTH_KEY_LEN],
    user_id: u64,
    is_bot: bool,
) -> Result<PortableSession, Error> {
    let bad = |field, detail: String| Error::BadField {
        format: FORMAT,
        field,
        detail,
    };
    if dc_id == 0 {
        return Err(bad("DC id", "0 is no DC".into()));
    }
    if key.iter().all(|&b| b == 0) {
        return Err(Error::NoAuthKey { format: FORMAT });
    }
    let api_id = api_id
        .map(|id| i32::try_from(id).map_err(|_| bad("api_id", format!("{id} is above 2^31"))))
        .transpose()?;
    let user_id =
        i64::try_from(user_id).map_err(|_| bad("user id", format!("{user_id} is above 2^63")))?;
    Ok(PortableSession {
        format: FORMAT,
        dc_id: i32::from(dc_id),
        auth_key: AuthKey::from_bytes(key),
        test_mode: Some(test_mode),
        // Pyrogram writes 0 before the account is known (a half-finished login).
        user_id: (user_id != 0).then_some(user_id),
        is_bot: Some(is_bot),
        api_id,
        server: None,
    })
}

/// Writes `session` in the current layout (`>BI?256sQ?`). It needs the DC id
/// (1–255), the `api_id`, the test flag and the user id; `is_bot` defaults to
/// false.
pub fn encode(session: &PortableSession) -> Result<String, Error> {
    let need = |what, detail: &str| Error::CannotWrite {
        format: FORMAT,
        what,
        detail: detail.into(),
    };
    let dc_id = u8::try_from(session.dc_id)
        .ok()
        .filter(|&dc| dc != 0)
        .ok_or_else(|| {
            need(
                "a DC id from 1 to 255",
                "the session's DC id is outside that",
            )
        })?;
    let api_id = session
        .api_id
        .and_then(|id| u32::try_from(id).ok())
        .ok_or_else(|| need("the api_id", "give the api_id the session signed in with"))?;
    let test_mode = session.test_mode.ok_or_else(|| {
        need(
            "to know whether the key is for test servers",
            "it is unknown",
        )
    })?;
    let user_id = session
        .user_id
        .and_then(|id| u64::try_from(id).ok())
        .ok_or_else(|| need("the account's user id", "it is unknown or negative"))?;
    let mut out = Vec::with_capacity(CURRENT);
    out.push(dc_id);
    out.extend_from_slice(&api_id.to_be_bytes());
    out.push(u8::from(test_mode));
    out.extend_from_slice(session.auth_key.as_bytes());
    out.extend_from_slice(&user_id.to_be_bytes());
    out.push(u8::from(session.is_bot.unwrap_or(false)));
    Ok(base64url::encode_unpadded(&out))
}

/// Big-endian reads from a buffer whose length the caller has checked.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let (head, rest) = self.0.split_at(N);
        self.0 = rest;
        head.try_into().expect("split_at(N) gives N bytes")
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn flag(&mut self) -> bool {
        self.u8() != 0
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_be_bytes(self.take())
    }
    fn key(&mut self) -> [u8; AUTH_KEY_LEN] {
        self.take()
    }
}

#[cfg(test)]
mod tests;

//! Telethon's `StringSession` (telethon/sessions/string.py): the version
//! character `1`, then URL-safe base64 (with padding) of the big-endian struct
//! `>B{4|16}sH256s`: DC id, the DC's IPv4 (4 bytes) or IPv6 (16 bytes) address,
//! port, auth key. 263 or 275 bytes, 352 or 368 characters after the `1`.
//! An all-zero key is Telethon's "not signed in".

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hearth_crypto::auth_key::AUTH_KEY_LEN;
use hearth_crypto::AuthKey;

use crate::base64url;
use crate::error::Error;
use crate::session::{Format, PortableSession, ServerAddress};

const FORMAT: Format = Format::TelethonString;
const VERSION: char = '1';
const V4: usize = 1 + 4 + 2 + AUTH_KEY_LEN;
const V6: usize = 1 + 16 + 2 + AUTH_KEY_LEN;

/// Reads a Telethon `StringSession`.
pub fn decode(text: &str) -> Result<PortableSession, Error> {
    let text = base64url::trim(text);
    let Some(body) = text.strip_prefix(VERSION) else {
        return Err(Error::BadField {
            format: FORMAT,
            field: "version",
            detail: format!(
                "it starts with {:?}, and the only version Telethon writes is {VERSION:?}",
                text.chars().next().unwrap_or(' ')
            ),
        });
    };
    let bytes = base64url::decode(body).map_err(|detail| Error::NotBase64 {
        format: FORMAT,
        detail,
    })?;
    let ip_len = match bytes.len() {
        V4 => 4,
        V6 => 16,
        len => {
            return Err(Error::WrongLength {
                format: FORMAT,
                len,
                expected: "263 (IPv4) or 275 (IPv6)",
            })
        }
    };
    let dc_id = bytes[0];
    let ip_bytes = &bytes[1..1 + ip_len];
    let ip = match <[u8; 4]>::try_from(ip_bytes) {
        Ok(v4) => IpAddr::V4(Ipv4Addr::from(v4)),
        Err(_) => IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(ip_bytes).expect("length checked above"),
        )),
    };
    let port = u16::from_be_bytes([bytes[1 + ip_len], bytes[2 + ip_len]]);
    let key = &bytes[3 + ip_len..];
    if key.iter().all(|&b| b == 0) {
        return Err(Error::NoAuthKey { format: FORMAT });
    }
    if dc_id == 0 {
        return Err(Error::BadField {
            format: FORMAT,
            field: "DC id",
            detail: "0 is no DC".into(),
        });
    }
    let auth_key = AuthKey::from_slice(key).map_err(|e| Error::BadField {
        format: FORMAT,
        field: "auth key",
        detail: e.to_string(),
    })?;
    Ok(PortableSession {
        format: FORMAT,
        dc_id: i32::from(dc_id),
        auth_key,
        test_mode: None,
        user_id: None,
        is_bot: None,
        api_id: None,
        server: Some(ServerAddress {
            host: ip.to_string(),
            port,
        }),
    })
}

/// Writes a `StringSession` for `session`, whose `server` must be set to an IP
/// address (Telethon stores no host names) and whose DC id must fit a byte.
pub fn encode(session: &PortableSession) -> Result<String, Error> {
    let need = |what, detail: String| Error::CannotWrite {
        format: FORMAT,
        what,
        detail,
    };
    let dc_id = u8::try_from(session.dc_id)
        .ok()
        .filter(|&dc| dc != 0)
        .ok_or_else(|| need("a DC id from 1 to 255", format!("it is {}", session.dc_id)))?;
    let server = session.server.as_ref().ok_or_else(|| {
        need(
            "the DC's address",
            "look it up in the network's DC table".into(),
        )
    })?;
    let ip: IpAddr = server.host.parse().map_err(|_| {
        need(
            "an IP address for the DC",
            format!(
                "{:?} is not one (Telethon stores no host names)",
                server.host
            ),
        )
    })?;
    let mut out = vec![dc_id];
    match ip {
        IpAddr::V4(v4) => out.extend_from_slice(&v4.octets()),
        IpAddr::V6(v6) => out.extend_from_slice(&v6.octets()),
    }
    out.extend_from_slice(&server.port.to_be_bytes());
    out.extend_from_slice(session.auth_key.as_bytes());
    Ok(format!("{VERSION}{}", base64url::encode_padded(&out)))
}

#[cfg(test)]
mod tests;

//! Keepalive: `ping_delay_disconnect` (core.telegram.org/mtproto/service_messages,
//! "Deferred Connection Closure + PING"). The server closes the connection
//! `disconnect_delay` seconds after the last ping, so a client that died
//! without closing its socket does not linger server-side.

/// `ping_delay_disconnect#f3427b8c ping_id:long disconnect_delay:int = Pong;`
pub const PING_DELAY_DISCONNECT_ID: u32 = 0xf342_7b8c;

/// Serializes `ping_delay_disconnect` (16 bytes, little-endian TL).
pub fn ping_delay_disconnect(ping_id: i64, disconnect_delay: i32) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&PING_DELAY_DISCONNECT_ID.to_le_bytes());
    out.extend_from_slice(&ping_id.to_le_bytes());
    out.extend_from_slice(&disconnect_delay.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_tl() {
        let b = ping_delay_disconnect(0x0102_0304_0506_0708, 75);
        assert_eq!(&b[..4], &[0x8c, 0x7b, 0x42, 0xf3]);
        assert_eq!(&b[4..12], &[8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(&b[12..], &[75, 0, 0, 0]);
    }
}

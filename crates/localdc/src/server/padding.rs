//! The padding source of padded intermediate on the server side.
//!
//! The transport spec allows 0..15 random padding bytes
//! (core.telegram.org/mtproto/mtproto-transports#padded-intermediate), but
//! clients in the field only strip `len % 4` bytes before decrypting an
//! answer: Telethon's `RandomizedIntermediatePacketCodec` does exactly that,
//! and with 4 or more padding bytes its AES-IGE gets a length that is not a
//! multiple of 16 (OpenSSL aborts the process; pure-Python AES raises and
//! the answer is dropped, so the call hangs). Telegram's side works with
//! those clients, so localdc sends at most 3 padding bytes.
//!
//! `hearth-transport` draws a padding length as `byte & 0x0f` from this
//! source; every byte it yields is in `0..=3`, so whichever byte becomes the
//! length, it is 0..3. (Padding content is not secret: it lies outside the
//! MTProto encryption and under obfuscated2 it is encrypted with the rest.)

use std::convert::Infallible;

use rand::{Rng, SeedableRng, TryRng};

/// Random bytes in `0..=3`.
pub struct ShortPadding(rand::rngs::StdRng);

impl ShortPadding {
    pub fn new() -> Self {
        Self(rand::rngs::StdRng::from_rng(&mut rand::rng()))
    }
}

impl Default for ShortPadding {
    fn default() -> Self {
        Self::new()
    }
}

impl TryRng for ShortPadding {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.0.next_u32() & 0x0303_0303)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.0.next_u64() & 0x0303_0303_0303_0303)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.0.fill_bytes(dst);
        dst.iter_mut().for_each(|b| *b &= 3);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_transport::framing::Frame;
    use hearth_transport::{FramingKind, Role};

    #[test]
    fn padded_intermediate_frames_carry_at_most_three_padding_bytes() {
        let mut framing =
            FramingKind::PaddedIntermediate.build(Role::Server, Box::new(ShortPadding::new()));
        let mut client = FramingKind::PaddedIntermediate
            .build(Role::Client, Box::new(rand::rngs::StdRng::seed_from_u64(1)));
        // An encrypted MTProto packet: 24-byte header + 16-byte blocks.
        let payload = vec![0x5au8; 24 + 64];
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..400 {
            let mut out = Vec::new();
            framing.pack_with(&payload, false, &mut out).unwrap();
            let len = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
            assert_eq!(len, out.len() - 4);
            let pad = len - payload.len();
            assert!(pad <= 3, "padding of {pad} bytes");
            // What a client stripping len % 4 (Telethon) gets back:
            assert_eq!(&out[4..4 + len - len % 4], &payload[..]);
            // And what our own client's codec hands up.
            let (frame, used) = client.unpack(&out).unwrap().unwrap();
            assert_eq!(used, out.len());
            let Frame::Packet { payload: got, .. } = frame else {
                panic!("not a packet: {frame:?}")
            };
            assert_eq!(got, payload);
            seen.insert(pad);
        }
        assert_eq!(seen.len(), 4, "every length 0..=3 occurs: {seen:?}");
    }
}

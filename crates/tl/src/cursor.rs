use crate::DeserializeError;

/// Deepest nesting of recursive boxed types (`RichText`, `PageBlock`,
/// `InputPeer`, ...) a decoder follows before failing with
/// [`DeserializeError::TooDeep`]. Real objects nest a handful of levels; the
/// limit keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: u32 = 64;

/// A reader over a byte slice that never reads past its end: every short read
/// is [`DeserializeError::UnexpectedEof`].
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The unread bytes, without consuming them.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// Consumes and returns every unread byte.
    pub fn read_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.buf.len();
        rest
    }

    /// Consumes exactly `n` bytes.
    #[inline]
    pub fn read_slice(&mut self, n: usize) -> Result<&'a [u8], DeserializeError> {
        if n > self.remaining() {
            return Err(DeserializeError::UnexpectedEof);
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Consumes exactly `N` bytes as an array.
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DeserializeError> {
        let chunk = self
            .rest()
            .first_chunk::<N>()
            .ok_or(DeserializeError::UnexpectedEof)?;
        self.pos += N;
        Ok(*chunk)
    }

    #[inline]
    pub fn read_u32(&mut self) -> Result<u32, DeserializeError> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// Reads the next 4 bytes as a little-endian `u32` without consuming them.
    #[inline]
    pub fn peek_u32(&self) -> Result<u32, DeserializeError> {
        self.rest()
            .first_chunk::<4>()
            .map(|b| u32::from_le_bytes(*b))
            .ok_or(DeserializeError::UnexpectedEof)
    }

    /// Reads a constructor id and checks it is `expected_id`.
    #[inline]
    pub fn expect_id(
        &mut self,
        expected_id: u32,
        expected: &'static str,
    ) -> Result<(), DeserializeError> {
        let id = self.read_u32()?;
        if id == expected_id {
            Ok(())
        } else {
            Err(crate::unexpected_constructor(id, expected))
        }
    }

    /// Enters one level of a recursive type; pair with [`Cursor::leave`].
    #[inline]
    pub fn enter(&mut self) -> Result<(), DeserializeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DeserializeError::TooDeep { limit: MAX_DEPTH });
        }
        self.depth += 1;
        Ok(())
    }

    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

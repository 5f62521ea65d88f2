//! Little-endian TL primitives for the few framing structures this crate reads
//! and writes itself (message headers, containers, service messages whose
//! layout the session must inspect before the caller's types apply).
//! core.telegram.org/mtproto/serialize

use crate::error::DecodeError;

/// Reads TL primitives from a byte slice; every read is bounds-checked.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(DecodeError::UnexpectedEnd {
                wanted: n,
                left: self.remaining(),
            });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// TL `bytes`/`string`: length prefix (1 byte, or 0xfe + 3 bytes), data, padding to 4.
    /// (Production code decodes through hearth-tl; tests read frames with this.)
    #[cfg(test)]
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let first = self.take(1)?[0];
        let (len, header) = if first == 254 {
            let l = self.take(3)?;
            (
                usize::from(l[0]) | usize::from(l[1]) << 8 | usize::from(l[2]) << 16,
                4,
            )
        } else if first == 255 {
            return Err(DecodeError::Malformed("bytes length prefix 0xff"));
        } else {
            (usize::from(first), 1)
        };
        let data = self.take(len)?;
        let pad = (4 - (header + len) % 4) % 4;
        self.take(pad)?;
        Ok(data)
    }

    /// A boxed `Vector<long>`.
    #[cfg(test)]
    pub fn vec_i64(&mut self) -> Result<Vec<i64>, DecodeError> {
        let id = self.u32()?;
        if id != VECTOR_ID {
            return Err(DecodeError::UnexpectedConstructor(id));
        }
        let n = self.u32()? as usize;
        if n.saturating_mul(8) > self.remaining() {
            return Err(DecodeError::UnexpectedEnd {
                wanted: n.saturating_mul(8),
                left: self.remaining(),
            });
        }
        (0..n).map(|_| self.i64()).collect()
    }
}

/// The boxed `vector` constructor id.
pub const VECTOR_ID: u32 = 0x1cb5c415;

/// Appends TL primitives.
pub trait Writer {
    fn put_u32(&mut self, v: u32);
    fn put_i32(&mut self, v: i32);
    fn put_i64(&mut self, v: i64);
    fn put_bytes(&mut self, data: &[u8]);
    fn put_vec_i64(&mut self, v: &[i64]);
}

impl Writer for Vec<u8> {
    fn put_u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_i32(&mut self, v: i32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_i64(&mut self, v: i64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn put_bytes(&mut self, data: &[u8]) {
        let header = if data.len() < 254 {
            self.push(data.len() as u8);
            1
        } else {
            self.push(254);
            let l = data.len() as u32;
            self.extend_from_slice(&l.to_le_bytes()[..3]);
            4
        };
        self.extend_from_slice(data);
        let pad = (4 - (header + data.len()) % 4) % 4;
        self.extend(std::iter::repeat_n(0, pad));
    }
    fn put_vec_i64(&mut self, v: &[i64]) {
        self.put_u32(VECTOR_ID);
        self.put_u32(v.len() as u32);
        for x in v {
            self.put_i64(*x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_roundtrip_short_and_long() {
        for len in [0usize, 1, 3, 253, 254, 300, 70_000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut buf = Vec::new();
            buf.put_bytes(&data);
            assert_eq!(buf.len() % 4, 0);
            let mut r = Reader::new(&buf);
            assert_eq!(r.bytes().unwrap(), &data[..]);
            assert_eq!(r.remaining(), 0);
        }
    }

    #[test]
    fn truncated_input_is_an_error() {
        let mut buf = Vec::new();
        buf.put_bytes(&[1, 2, 3, 4, 5]);
        buf.truncate(5);
        assert!(Reader::new(&buf).bytes().is_err());
        assert!(Reader::new(&[1, 2]).i64().is_err());
        let mut v = Vec::new();
        v.put_u32(VECTOR_ID);
        v.put_u32(1_000_000);
        assert!(Reader::new(&v).vec_i64().is_err());
    }
}

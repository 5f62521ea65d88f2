//! Minimal TL wire reader/writer for the constructors the server builds by hand.
//!
//! Implements the binary serialization of core.telegram.org/mtproto/serialize:
//! little-endian `int`/`long`, `int128`/`int256` as raw bytes, and `bytes`/`string`
//! with the 1- or 4-byte length prefix padded to a multiple of 4. The generated
//! `hearth-tl` types replace this once they cover the server's side; until then
//! the few service constructors localdc speaks are written here, each with the
//! constructor id taken from `schema/`.

/// Errors from reading a TL value out of a buffer.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TlError {
    #[error("TL buffer ended early: needed {needed} more bytes at offset {offset}")]
    Eof { offset: usize, needed: usize },
    #[error("unexpected TL constructor {found:#010x} where {expected} was expected")]
    Constructor { found: u32, expected: &'static str },
    #[error("TL value out of range: {0}")]
    Range(&'static str),
}

/// Appends TL values to a byte vector.
#[derive(Default, Debug, Clone)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn id(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn int(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn long(&mut self, v: i64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn raw(&mut self, v: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(v);
        self
    }
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.id(if v { 0x997275b5 } else { 0xbc799737 })
    }
    /// `bytes`/`string`: length prefix, data, zero padding to 4 bytes.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        let len = v.len();
        let header = if len < 254 {
            self.buf.push(len as u8);
            1
        } else {
            self.buf.push(254);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes()[..3]);
            4
        };
        self.buf.extend_from_slice(v);
        let pad = (4 - (header + len) % 4) % 4;
        self.buf.extend(std::iter::repeat_n(0, pad));
        self
    }
    pub fn string(&mut self, v: &str) -> &mut Self {
        self.bytes(v.as_bytes())
    }
    /// Boxed `Vector<long>`.
    pub fn vec_long(&mut self, v: &[i64]) -> &mut Self {
        self.id(0x1cb5c415).int(v.len() as i32);
        for x in v {
            self.long(*x);
        }
        self
    }
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads TL values from a byte slice; every read is bounds-checked.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn remaining(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }
    pub fn raw(&mut self, n: usize) -> Result<&'a [u8], TlError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        match end {
            Some(end) => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(TlError::Eof {
                offset: self.pos,
                needed: n - (self.buf.len() - self.pos),
            }),
        }
    }
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], TlError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.raw(N)?);
        Ok(out)
    }
    pub fn id(&mut self) -> Result<u32, TlError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn expect(&mut self, id: u32, name: &'static str) -> Result<(), TlError> {
        let found = self.id()?;
        if found == id {
            Ok(())
        } else {
            Err(TlError::Constructor {
                found,
                expected: name,
            })
        }
    }
    pub fn int(&mut self) -> Result<i32, TlError> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    pub fn long(&mut self) -> Result<i64, TlError> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    pub fn bool(&mut self) -> Result<bool, TlError> {
        match self.id()? {
            0x997275b5 => Ok(true),
            0xbc799737 => Ok(false),
            found => Err(TlError::Constructor {
                found,
                expected: "Bool",
            }),
        }
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], TlError> {
        let first = self.raw(1)?[0];
        let (len, header) = if first < 254 {
            (first as usize, 1)
        } else {
            let b = self.raw(3)?;
            (u32::from_le_bytes([b[0], b[1], b[2], 0]) as usize, 4)
        };
        let data = self.raw(len)?;
        self.raw((4 - (header + len) % 4) % 4)?;
        Ok(data)
    }
    pub fn string(&mut self) -> Result<String, TlError> {
        Ok(String::from_utf8_lossy(self.bytes()?).into_owned())
    }
    /// Boxed `Vector<long>`.
    pub fn vec_long(&mut self) -> Result<Vec<i64>, TlError> {
        self.expect(0x1cb5c415, "Vector")?;
        let n = self.int()?;
        if n < 0 || n as usize > self.remaining().len() / 8 {
            return Err(TlError::Range("vector length exceeds the data"));
        }
        (0..n).map(|_| self.long()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_short_and_long() {
        for len in [0usize, 1, 3, 4, 253, 254, 255, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut w = Writer::new();
            w.bytes(&data).int(7);
            let buf = w.finish();
            assert_eq!(buf.len() % 4, 0, "len {len}");
            let mut r = Reader::new(&buf);
            assert_eq!(r.bytes().unwrap(), &data[..]);
            assert_eq!(r.int().unwrap(), 7);
        }
    }

    #[test]
    fn truncated_input_is_an_error() {
        let mut r = Reader::new(&[10, 1, 2]);
        assert!(matches!(r.bytes(), Err(TlError::Eof { .. })));
        let mut r = Reader::new(&[0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0, 0]);
        assert!(r.vec_long().is_err());
    }
}

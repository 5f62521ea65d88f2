#![allow(dead_code)]
//! A minimal TL wire reader/writer for the integration tests.
//!
//! The tests read localdc's answers field by field with constructor ids taken
//! from `schema/`, independently of the generated `hearth-tl` codec the server
//! writes them with, so a codec mistake cannot hide behind itself. Binary
//! serialization per core.telegram.org/mtproto/serialize.

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

//! Reading TDLib's storer format: little-endian int32/int64 and TL strings, each read
//! checked against what is left, so a short id is a [`DecodeError::Truncated`].

use crate::DecodeError;

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub fn remaining(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let have = self.data.len() - self.pos;
        if have < n {
            return Err(DecodeError::Truncated {
                what,
                offset: self.pos,
                need: n,
                have,
            });
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn i32(&mut self, what: &'static str) -> Result<i32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn i64(&mut self, what: &'static str) -> Result<i64, DecodeError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_le_bytes(a))
    }

    /// A TL `bytes`: length 0–253 in one byte, or 254 and three bytes of length; then the
    /// data, padded with zeros to a multiple of 4.
    pub fn tl_bytes(&mut self, what: &'static str) -> Result<Vec<u8>, DecodeError> {
        let first = self.take(1, what)?[0];
        let (len, header) = match first {
            254 => {
                let l = self.take(3, what)?;
                (
                    usize::from(l[0]) | usize::from(l[1]) << 8 | usize::from(l[2]) << 16,
                    4,
                )
            }
            255 => return Err(DecodeError::BadLength { what }),
            n => (usize::from(n), 1),
        };
        let data = self.take(len, what)?.to_vec();
        self.take((4 - (header + len) % 4) % 4, what)?;
        Ok(data)
    }

    pub fn tl_string(&mut self, what: &'static str) -> Result<String, DecodeError> {
        String::from_utf8(self.tl_bytes(what)?).map_err(|_| DecodeError::NotUtf8 { what })
    }
}

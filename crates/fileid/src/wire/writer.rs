//! Writing TDLib's storer format, the mirror of [`super::Reader`].

use crate::EncodeError;

/// The longest TL string: its length has three bytes.
const MAX_TL_LEN: usize = (1 << 24) - 1;

#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn i32(&mut self, v: i32) {
        self.buf.extend(v.to_le_bytes());
    }

    pub fn i64(&mut self, v: i64) {
        self.buf.extend(v.to_le_bytes());
    }

    pub fn tl_bytes(&mut self, what: &'static str, data: &[u8]) -> Result<(), EncodeError> {
        let len = data.len();
        if len > MAX_TL_LEN {
            return Err(EncodeError::TooLong { what, len });
        }
        let header = if len <= 253 {
            self.buf.push(len as u8);
            1
        } else {
            self.buf.push(254);
            self.buf.extend(&(len as u32).to_le_bytes()[..3]);
            4
        };
        self.buf.extend(data);
        self.buf
            .resize(self.buf.len() + (4 - (header + len) % 4) % 4, 0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Reader;
    use super::*;

    #[test]
    fn tl_bytes_round_trip_short_and_long() {
        for len in [0usize, 1, 3, 4, 253, 254, 255, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut w = Writer::default();
            w.tl_bytes("x", &data).unwrap();
            assert_eq!(w.buf.len() % 4, 0, "len {len}");
            let mut r = Reader::new(&w.buf);
            assert_eq!(r.tl_bytes("x").unwrap(), data);
            assert!(r.remaining().is_empty());
        }
    }

    #[test]
    fn length_255_and_short_data_are_errors() {
        assert!(matches!(
            Reader::new(&[255, 0, 0, 0]).tl_bytes("x"),
            Err(crate::DecodeError::BadLength { .. })
        ));
        assert!(matches!(
            Reader::new(&[5, 1, 2]).tl_bytes("x"),
            Err(crate::DecodeError::Truncated { .. })
        ));
    }
}

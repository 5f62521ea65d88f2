//! Reading what Qt's `QDataStream` wrote (Qt 5.1 stream version, TDesktop's
//! `Serialize` helpers): big-endian integers, and `QByteArray` as a 32-bit
//! big-endian length (`0xFFFFFFFF` for a null array) followed by the bytes.
//!
//! Hand-written: no maintained crate reads `QDataStream`, and TDesktop's files
//! use only these three shapes. Every read is bounds-checked and returns
//! `None` at the end of the data, so a cut-short file is an error, never a
//! panic or a huge allocation (a length is checked against what is left
//! before anything is copied).

pub struct Stream<'a> {
    data: &'a [u8],
}

impl<'a> Stream<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Stream { data }
    }

    pub fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.data.len() < len {
            return None;
        }
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }

    pub fn i32(&mut self) -> Option<i32> {
        self.array().map(i32::from_be_bytes)
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_be_bytes)
    }

    /// A `QByteArray`; a null one reads as empty.
    pub fn byte_array(&mut self) -> Option<&'a [u8]> {
        match self.array().map(u32::from_be_bytes)? {
            u32::MAX => Some(&[]),
            len => self.bytes(usize::try_from(len).ok()?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_and_byte_arrays() {
        let data = [
            0, 0, 0, 2, b'h', b'i', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        ];
        let mut s = Stream::new(&data);
        assert_eq!(s.byte_array(), Some(&b"hi"[..]));
        assert_eq!(s.byte_array(), Some(&b""[..]));
        assert_eq!(s.i32(), Some(-2));
        assert_eq!(s.i32(), None);
    }

    #[test]
    fn a_length_past_the_end_is_none() {
        let mut s = Stream::new(&[0x7f, 0xff, 0xff, 0xff, 1, 2]);
        assert_eq!(s.byte_array(), None);
        assert_eq!(Stream::new(&[0, 0, 0]).i32(), None);
        assert_eq!(Stream::new(&[0; 7]).u64(), None);
    }
}

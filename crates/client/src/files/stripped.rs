//! Stripped thumbnails (`photoStrippedSize`, core.telegram.org/api/files#stripped-thumbnails)
//! inflated into a real JPEG.
//!
//! The format: byte 0 is `0x01`, byte 1 the height, byte 2 the width, and
//! the rest the entropy-coded scan of a baseline JPEG whose headers were cut
//! off because they are the same for every stripped thumbnail. Clients put
//! a fixed 623-byte header in front (with the height and width written at
//! bytes 164 and 166) and `FF D9` after. That header is what Telegram's
//! apps ship; it is laid out here from what it contains, not copied:
//!
//! * SOI and a JFIF 1.1 APP0 segment (no density, no thumbnail);
//! * two DQT segments: the example tables of ITU-T T.81 Annex K.1 (luma,
//!   chroma) scaled as libjpeg does for quality 20 (`(q·250 + 50) / 100`,
//!   clamped to 1..=255), written in zig-zag order;
//! * SOF0: 8-bit, three components, Y sampled 2×2 with table 0, Cb and Cr
//!   1×1 with table 1 (4:2:0);
//! * four DHT segments: the typical Huffman tables of Annex K.3 (DC luma,
//!   AC luma, DC chroma, AC chroma);
//! * SOS over the three components (Y with tables 0/0, Cb and Cr with 1/1),
//!   spectral selection 0..63.
//!
//! A unit test checks the result against the SHA-256 of the published
//! header, so a wrong table cannot pass. Hand-written because no crate on
//! crates.io does this inflation; it is a byte layout, not a codec.

use super::error::FileError;

/// Annex K.1, table K.1: luminance quantization (natural order).
const LUMA_Q: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// Annex K.1, table K.2: chrominance quantization (natural order).
const CHROMA_Q: [u8; 64] = {
    let mut t = [99u8; 64];
    let head: [[u8; 4]; 4] = [
        [17, 18, 24, 47],
        [18, 21, 26, 66],
        [24, 26, 56, 99],
        [47, 66, 99, 99],
    ];
    let mut r = 0;
    while r < 4 {
        let mut c = 0;
        while c < 4 {
            t[r * 8 + c] = head[r][c];
            c += 1;
        }
        r += 1;
    }
    t
};

/// Natural index of each zig-zag position (T.81 figure A.6).
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// libjpeg's quality scaling for quality 20 (scale factor 250 %).
const QUALITY_SCALE: u32 = 250;

/// Annex K.3: code counts per length (1..=16) and symbols.
const DC_LUMA_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS: [u8; 16] = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_CHROMA_BITS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

/// Annex K.3 table K.5's symbols in code order: the irregular head, then
/// runs `r1..=r9`/`ra` for each run length `r` (`(run, from)` pairs).
fn ac_values(head: &[u8], runs: &[(u8, u8)]) -> Vec<u8> {
    let mut v = head.to_vec();
    for &(r, from) in runs {
        v.extend((from..=0xa).map(|s| r << 4 | s));
    }
    v
}

fn ac_luma_values() -> Vec<u8> {
    ac_values(
        &[
            0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51,
            0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1,
            0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18,
            0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
            0x3a,
        ],
        &[
            (4, 3),
            (5, 3),
            (6, 3),
            (7, 3),
            (8, 3),
            (9, 2),
            (0xa, 2),
            (0xb, 2),
            (0xc, 2),
            (0xd, 2),
            (0xe, 1),
            (0xf, 1),
        ],
    )
}

fn ac_chroma_values() -> Vec<u8> {
    ac_values(
        &[
            0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07,
            0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09,
            0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25,
            0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38,
            0x39, 0x3a,
        ],
        &[
            (4, 3),
            (5, 3),
            (6, 3),
            (7, 3),
            (8, 2),
            (9, 2),
            (0xa, 2),
            (0xb, 2),
            (0xc, 2),
            (0xd, 2),
            (0xe, 2),
            (0xf, 2),
        ],
    )
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

fn dqt(out: &mut Vec<u8>, id: u8, natural: &[u8; 64]) {
    let mut body = vec![id];
    body.extend(ZIGZAG.iter().map(|&i| {
        let q = (u32::from(natural[i]) * QUALITY_SCALE + 50) / 100;
        q.clamp(1, 255) as u8
    }));
    segment(out, 0xDB, &body);
}

fn dht(out: &mut Vec<u8>, class_id: u8, bits: &[u8; 16], values: &[u8]) {
    let mut body = vec![class_id];
    body.extend_from_slice(bits);
    body.extend_from_slice(values);
    segment(out, 0xC4, &body);
}

/// The fixed header, with zero height and width.
pub fn header() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    segment(
        &mut out,
        0xE0,
        b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    );
    dqt(&mut out, 0, &LUMA_Q);
    dqt(&mut out, 1, &CHROMA_Q);
    segment(
        &mut out,
        0xC0,
        &[8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    );
    dht(&mut out, 0x00, &DC_LUMA_BITS, &DC_VALUES);
    dht(&mut out, 0x10, &AC_LUMA_BITS, &ac_luma_values());
    dht(&mut out, 0x01, &DC_CHROMA_BITS, &DC_VALUES);
    dht(&mut out, 0x11, &AC_CHROMA_BITS, &ac_chroma_values());
    segment(&mut out, 0xDA, &[3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    out
}

/// Where the header holds the height and width (low bytes of SOF0's fields).
const HEIGHT_AT: usize = 164;
const WIDTH_AT: usize = 166;

/// Inflates a `photoStrippedSize`'s bytes into a JPEG file.
pub fn to_jpeg(stripped: &[u8]) -> Result<Vec<u8>, FileError> {
    let [version, h, w, scan @ ..] = stripped else {
        return Err(FileError::Thumb("shorter than its 3-byte prefix"));
    };
    if *version != 1 {
        return Err(FileError::Thumb(
            "unknown version (the first byte is not 1)",
        ));
    }
    if *h == 0 || *w == 0 || scan.is_empty() {
        return Err(FileError::Thumb("zero size or no image data"));
    }
    let mut out = header();
    out[HEIGHT_AT] = *h;
    out[WIDTH_AT] = *w;
    out.reserve(scan.len() + 2);
    out.extend_from_slice(scan);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of the 623-byte header Telegram's apps prepend (zero size),
    /// as published with the format (and checked by localdc's encoder test).
    const PUBLISHED_SHA256: &str =
        "c2d6c960e35c3d94de4a0d85a39e0d9def693ee107fa374354960f2df47d82d4";

    #[test]
    fn the_header_is_the_published_one() {
        let h = header();
        assert_eq!(h.len(), 623);
        let hex: String = hearth_crypto::hash::sha256(&[&h])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, PUBLISHED_SHA256);
        assert_eq!(
            (ac_luma_values().len(), ac_chroma_values().len()),
            (162, 162)
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[1, 2],
            &[2, 10, 10, 0],
            &[1, 0, 10, 0],
            &[1, 10, 10],
        ] {
            assert!(to_jpeg(bad).is_err(), "{bad:?}");
        }
    }
}

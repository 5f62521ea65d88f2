use super::*;
use hearth_crypto::hash::sha256;
use std::collections::BTreeMap;

/// SHA-256 of the 623-byte header Telegram's clients put in front of a
/// stripped thumbnail (with zero width and height), as published with the
/// stripped-thumbnail format.
const TELEGRAM_STRIPPED_HEADER_SHA256: &str =
    "c2d6c960e35c3d94de4a0d85a39e0d9def693ee107fa374354960f2df47d82d4";

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// Re-lays the tables of one of our JPEGs out the way the fixed stripped
/// header does (one segment per table, dimensions zero). If our encoder used
/// other tables, sampling or selectors, the hash below would differ.
fn header_in_telegram_layout(jpeg: &[u8]) -> Vec<u8> {
    let mut dqt = BTreeMap::new();
    let mut dht = BTreeMap::new();
    let mut sof = Vec::new();
    let mut at = 2;
    let sos = loop {
        let marker = jpeg[at + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        let body = &jpeg[at + 4..at + 2 + len];
        match marker {
            0xDB => {
                for t in body.chunks(65) {
                    dqt.insert(t[0], t.to_vec());
                }
            }
            0xC4 => {
                let mut b = body;
                while !b.is_empty() {
                    let n: usize = b[1..17].iter().map(|x| usize::from(*x)).sum();
                    dht.insert(b[0], b[..17 + n].to_vec());
                    b = &b[17 + n..];
                }
            }
            0xC0 => sof = body.to_vec(),
            0xDA => break body.to_vec(),
            _ => {}
        }
        at += 2 + len;
    };
    let mut out = vec![0xFF, 0xD8];
    segment(
        &mut out,
        0xE0,
        b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    );
    for t in dqt.values() {
        segment(&mut out, 0xDB, t);
    }
    sof[1..5].fill(0);
    // Component ids only link SOF to SOS entries; the encoder counts from 0,
    // the fixed header from 1. The scan data does not depend on them.
    for c in 0..3 {
        sof[6 + 3 * c] += 1;
    }
    segment(&mut out, 0xC0, &sof);
    for key in [0x00, 0x10, 0x01, 0x11] {
        segment(&mut out, 0xC4, &dht[&key]);
    }
    let mut sos = sos;
    for c in 0..3 {
        sos[1 + 2 * c] += 1;
    }
    segment(&mut out, 0xDA, &sos);
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn stripped_thumbnails_decode_with_telegrams_fixed_header() {
    let src = DynamicImage::ImageRgb8(generated(400, 300, 3));
    let small = fit(&src, STRIPPED_BOX);
    let jpeg = encode_jpeg(&small, STRIPPED_QUALITY).unwrap();
    let header = header_in_telegram_layout(&jpeg);
    assert_eq!(header.len(), 623);
    assert_eq!(
        hex(&sha256(&[&header])),
        TELEGRAM_STRIPPED_HEADER_SHA256,
        "header {}",
        hex(&header)
    );

    let s = stripped(&src).unwrap();
    assert_eq!(&s[..3], &[1, 30, 40], "version, height, width");
    // Inflate as clients do: header with the size at bytes 164/166, + FFD9.
    let mut full = header.clone();
    full[164] = s[1];
    full[166] = s[2];
    full.extend_from_slice(&s[3..]);
    full.extend_from_slice(&[0xFF, 0xD9]);
    let back = image::load_from_memory(&full).unwrap().to_rgb8();
    assert_eq!(back.dimensions(), (40, 30));
    // Quality 20 is lossy; the picture must still be the same on average.
    let mean = |i: &RgbImage, c: usize| i.pixels().map(|p| u64::from(p.0[c])).sum::<u64>() / 1200;
    for c in 0..3 {
        let (a, b) = (mean(&small, c), mean(&back, c));
        assert!(a.abs_diff(b) < 12, "channel {c}: {a} vs {b}");
    }
}

#[test]
fn photo_sizes_stop_at_the_first_box_holding_the_original() {
    let big = DynamicImage::ImageRgb8(generated(1000, 500, 1));
    let s = photo_sizes(&big).unwrap();
    let dims: Vec<(&str, i32, i32)> = s
        .sizes
        .iter()
        .map(|t| (t.kind.as_str(), t.w, t.h))
        .collect();
    assert_eq!(
        dims,
        vec![
            ("s", 100, 50),
            ("m", 320, 160),
            ("x", 800, 400),
            ("y", 1000, 500)
        ]
    );
    for t in &s.sizes {
        let d = image::load_from_memory(&t.bytes).unwrap();
        assert_eq!(d.dimensions(), (t.w as u32, t.h as u32));
    }
    let tiny = DynamicImage::ImageRgb8(generated(90, 60, 1));
    let s = photo_sizes(&tiny).unwrap();
    assert_eq!(s.sizes.len(), 1);
    assert_eq!((s.sizes[0].w, s.sizes[0].h), (90, 60));
    assert_eq!(&s.stripped[..3], &[1, 27, 40]);
}

#[test]
fn bad_uploads_are_named_as_telegram_names_them() {
    assert_eq!(
        decode(b"not an image").unwrap_err(),
        PhotoError::ProcessFailed
    );
    let mut truncated = generated_jpeg(64, 64, 2).unwrap();
    truncated.truncate(40);
    assert_eq!(decode(&truncated).unwrap_err(), PhotoError::ProcessFailed);
    assert_eq!(
        check_dimensions(2100, 100),
        Err(PhotoError::InvalidDimensions)
    );
    assert_eq!(
        check_dimensions(6000, 4001),
        Err(PhotoError::InvalidDimensions)
    );
    assert_eq!(check_dimensions(6000, 4000), Ok(()));
    let mut png = Vec::new();
    DynamicImage::ImageRgb8(generated(20, 10, 0))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(decode(&png).unwrap().dimensions(), (20, 10));
    // A picture wider than the decoder's limit is refused by the decoder.
    let wide = generated_jpeg(12_000, 1, 0).unwrap();
    assert_eq!(decode(&wide).unwrap_err(), PhotoError::InvalidDimensions);
    assert_eq!(PhotoError::ProcessFailed.rpc_name(), "IMAGE_PROCESS_FAILED");
}

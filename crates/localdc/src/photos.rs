//! Photo processing as Telegram's servers do it (core.telegram.org/api/files):
//! an uploaded JPEG or PNG is decoded, checked and re-encoded as JPEG in the
//! standard sizes of core.telegram.org/api/files#image-thumbnail-types
//! (`s` 100 px, `m` 320 px, `x` 800 px, `y` 1280 px boxes), never upscaled:
//! the sizes stop at the first box that holds the whole original, which is
//! kept at its own dimensions. Every photo also gets a stripped thumbnail
//! (`i`, core.telegram.org/api/files#stripped-thumbnails).
//!
//! Decoding and resizing use the `image` crate, JPEG encoding `jpeg-encoder`
//! (the `image` crate's encoder only writes 4:4:4, but the stripped format's
//! fixed header declares 4:2:0).

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, RgbImage};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// One size of a photo (or a document thumbnail): its `PhotoSize.type`,
/// dimensions and JPEG bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thumb {
    pub kind: String,
    pub w: i32,
    pub h: i32,
    pub bytes: Vec<u8>,
}

/// Every size Telegram stores for a photo: the stripped thumbnail's bytes
/// and the downscaled JPEGs, smallest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sizes {
    pub stripped: Vec<u8>,
    pub sizes: Vec<Thumb>,
}

/// Why an upload is not a usable photo, named as Telegram names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Not a JPEG or PNG the decoder accepts.
    #[error("IMAGE_PROCESS_FAILED")]
    ProcessFailed,
    /// Sides sum above 10000 px or aspect ratio above 20.
    #[error("PHOTO_INVALID_DIMENSIONS")]
    InvalidDimensions,
}

impl PhotoError {
    pub fn rpc_name(self) -> &'static str {
        match self {
            Self::ProcessFailed => "IMAGE_PROCESS_FAILED",
            Self::InvalidDimensions => "PHOTO_INVALID_DIMENSIONS",
        }
    }
}

/// The photo size boxes of core.telegram.org/api/files#image-thumbnail-types.
pub const PHOTO_BOXES: [(&str, u32); 4] = [("s", 100), ("m", 320), ("x", 800), ("y", 1280)];
/// The box of the `m` thumbnail documents get.
pub const THUMB_BOX: u32 = 320;
/// Largest side of a stripped thumbnail.
pub const STRIPPED_BOX: u32 = 40;
/// JPEG quality of the stored sizes.
const QUALITY: u8 = 87;
/// The quality whose libjpeg-scaled Annex K tables the stripped header holds.
const STRIPPED_QUALITY: u8 = 20;

/// Longest side the decoder accepts: above Telegram's 10000 px sum of
/// sides anyway, and it keeps a hostile header from making the decoder
/// allocate gigabytes.
const MAX_DECODED_SIDE: u32 = 10_000;

/// Decodes an uploaded image (JPEG or PNG).
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, PhotoError> {
    let format = image::guess_format(bytes).map_err(|_| PhotoError::ProcessFailed)?;
    if !matches!(format, image::ImageFormat::Jpeg | image::ImageFormat::Png) {
        return Err(PhotoError::ProcessFailed);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::InvalidDimensions,
        _ => PhotoError::ProcessFailed,
    })
}

/// Telegram's limits on photo dimensions: `w + h <= 10000`, ratio `<= 20`.
pub fn check_dimensions(w: u32, h: u32) -> Result<(), PhotoError> {
    let (long, short) = (w.max(h), w.min(h));
    if short == 0 || w + h > 10_000 || long > short * 20 {
        return Err(PhotoError::InvalidDimensions);
    }
    Ok(())
}

/// `img` scaled to fit in a `side`×`side` box, never enlarged.
fn fit(img: &DynamicImage, side: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    if w.max(h) <= side {
        return img.to_rgb8();
    }
    img.resize(side, side, FilterType::Triangle).to_rgb8()
}

/// JPEG bytes of `img` (4:2:0 below quality 90, Annex K tables and
/// Huffman codes).
fn encode_jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let (w, h) = (
        u16::try_from(img.width()).map_err(|_| PhotoError::InvalidDimensions)?,
        u16::try_from(img.height()).map_err(|_| PhotoError::InvalidDimensions)?,
    );
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, quality);
    enc.set_sampling_factor(SamplingFactor::F_2_2);
    enc.encode(img.as_raw(), w, h, ColorType::Rgb)
        .map_err(|_| PhotoError::ProcessFailed)?;
    Ok(out)
}

/// One stored size of `img` in a `side` box.
fn thumb(img: &DynamicImage, kind: &str, side: u32) -> Result<Thumb, PhotoError> {
    let scaled = fit(img, side);
    Ok(Thumb {
        kind: kind.into(),
        w: scaled.width() as i32,
        h: scaled.height() as i32,
        bytes: encode_jpeg(&scaled, QUALITY)?,
    })
}

/// The sizes of a photo: `s`, `m`, `x`, `y` up to the first box that holds
/// the original, plus the stripped thumbnail.
pub fn photo_sizes(img: &DynamicImage) -> Result<Sizes, PhotoError> {
    let (w, h) = img.dimensions();
    check_dimensions(w, h)?;
    let long = w.max(h);
    let mut sizes = Vec::new();
    for (kind, side) in PHOTO_BOXES {
        sizes.push(thumb(img, kind, side)?);
        if long <= side {
            break;
        }
    }
    Ok(Sizes {
        stripped: stripped(img)?,
        sizes,
    })
}

/// A document thumbnail: `m` (at most 320 px) plus the stripped one.
pub fn document_thumb(img: &DynamicImage) -> Result<Sizes, PhotoError> {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return Err(PhotoError::InvalidDimensions);
    }
    Ok(Sizes {
        stripped: stripped(img)?,
        sizes: vec![thumb(img, "m", THUMB_BOX)?],
    })
}

/// The stripped thumbnail (core.telegram.org/api/files#stripped-thumbnails):
/// `0x01`, height, width, then the entropy-coded scan of a ≤ 40 px baseline
/// JPEG made with the tables of the fixed header clients prepend (Annex K
/// tables at libjpeg quality 20, standard Huffman codes, 4:2:0) — i.e. the
/// JPEG minus its headers and final `FFD9`.
pub fn stripped(img: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let small = fit(img, STRIPPED_BOX);
    let jpeg = encode_jpeg(&small, STRIPPED_QUALITY)?;
    let scan = scan_data(&jpeg).ok_or(PhotoError::ProcessFailed)?;
    let mut out = Vec::with_capacity(3 + scan.len());
    out.extend_from_slice(&[1, small.height() as u8, small.width() as u8]);
    out.extend_from_slice(scan);
    Ok(out)
}

/// The entropy-coded data of a single-scan baseline JPEG: the bytes after the
/// SOS segment up to the closing EOI marker.
pub fn scan_data(jpeg: &[u8]) -> Option<&[u8]> {
    let mut at = 2; // after SOI
    loop {
        let marker = jpeg.get(at..at + 2)?;
        if marker[0] != 0xFF {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*jpeg.get(at + 2)?, *jpeg.get(at + 3)?]));
        let end = at + 2 + len;
        if marker[1] == 0xDA {
            let body = jpeg.get(end..)?;
            return body.strip_suffix(&[0xFF, 0xD9]);
        }
        at = end;
    }
}

/// A deterministic test picture: a diagonal gradient tinted by `seed` with a
/// checker pattern, so every size has visible structure.
pub fn generated(w: u32, h: u32, seed: u64) -> RgbImage {
    let tint = seed.to_le_bytes();
    RgbImage::from_fn(w, h, |x, y| {
        let gx = (x * 255 / w.max(1)) as u8;
        let gy = (y * 255 / h.max(1)) as u8;
        let check = if (x / 32 + y / 32) % 2 == 0 { 0 } else { 40 };
        image::Rgb([
            gx.wrapping_add(tint[0]).saturating_sub(check),
            gy.wrapping_add(tint[1]),
            (255 - gx / 2).wrapping_add(tint[2]).saturating_sub(check),
        ])
    })
}

/// `generated` encoded as a JPEG file, as if a client had uploaded it.
pub fn generated_jpeg(w: u32, h: u32, seed: u64) -> Result<Vec<u8>, PhotoError> {
    encode_jpeg(&generated(w, h, seed), QUALITY)
}

#[cfg(test)]
mod tests;

//! The base64 both libraries' strings use: URL-safe alphabet, padding
//! optional (Pyrogram strips it, Telethon keeps it). Like Python's
//! `urlsafe_b64decode`, which both call, the standard alphabet's `+` and `/`
//! are read too, and surrounding whitespace or quotes from a copy-paste are
//! ignored.

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);
const NO_PAD: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false),
);
const PAD: GeneralPurpose = GeneralPurpose::new(&URL_SAFE, GeneralPurposeConfig::new());

/// The text between whitespace and a pair of matching quotes, if any.
pub fn trim(text: &str) -> &str {
    let text = text.trim();
    for quote in ['"', '\'', '`'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.trim();
        }
    }
    text
}

pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    LENIENT.decode(mapped).map_err(|e| e.to_string())
}

pub fn encode_unpadded(bytes: &[u8]) -> String {
    NO_PAD.encode(bytes)
}

pub fn encode_padded(bytes: &[u8]) -> String {
    PAD.encode(bytes)
}

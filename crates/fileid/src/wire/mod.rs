//! The byte layer both ids share: base64url without padding around a zero-run encoded body
//! (TDLib's `base64url_encode(zero_encode(…))`), and TDLib's little-endian storer/parser
//! primitives inside it (int32, int64, TL strings).

mod reader;
mod writer;
mod zero_run;

pub use reader::Reader;
pub use writer::Writer;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::DecodeError;

/// URL-safe alphabet; written without padding, read with or without it. Trailing bits must be
/// zero (every encoder writes them so), so each id has one spelling.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The id's text to its body bytes: base64url, then the zero runs expanded.
pub fn unwrap(id: &str) -> Result<Vec<u8>, DecodeError> {
    if id.is_empty() {
        return Err(DecodeError::Empty);
    }
    let packed = BASE64URL.decode(id)?;
    let body = zero_run::decode(&packed)?;
    if body.is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(body)
}

/// Body bytes to the id's text: zero runs packed, then base64url without padding.
pub fn wrap(body: &[u8]) -> String {
    BASE64URL.encode(zero_run::encode(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_optional_on_input_and_absent_on_output() {
        let body = [1u8, 2, 3, 4];
        let id = wrap(&body);
        assert!(!id.contains('='));
        assert_eq!(unwrap(&id).unwrap(), body);
        assert_eq!(unwrap(&format!("{id}==")).unwrap(), body);
    }

    #[test]
    fn rejects_standard_alphabet_and_garbage() {
        assert!(matches!(unwrap("ab+/"), Err(DecodeError::Base64(_))));
        assert!(matches!(unwrap("a b"), Err(DecodeError::Base64(_))));
        assert!(matches!(unwrap("A"), Err(DecodeError::Base64(_))));
        assert_eq!(unwrap(""), Err(DecodeError::Empty));
    }
}

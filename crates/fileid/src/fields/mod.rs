//! The flat form of an id: one JSON object with Pyrogram's field names (its `FileId` and
//! `FileUniqueId` attributes), enum values as lower-case names, the file reference in hex.
//! `hearth-cli file-id` prints and reads it; the Pyrogram interoperability test compares it
//! field by field. Fields an id does not have are absent, and an unknown or unused field is
//! an error, so a typo never passes silently.

mod file_id;
mod source;
mod unique;

pub use file_id::FileIdFields;
pub use unique::UniqueFields;

use serde::{Deserialize, Serialize};

use crate::FieldsError;

/// Either id in its flat form, told apart by `"kind"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
// One value per id printed or parsed, never stored in bulk: boxing would only cost clarity.
#[allow(clippy::large_enum_variant)]
pub enum Fields {
    #[serde(rename = "file_id")]
    FileId(FileIdFields),
    #[serde(rename = "file_unique_id")]
    FileUniqueId(UniqueFields),
}

/// Lower-case hex, the file reference's form.
fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// Hand-written: a dozen lines against a new dependency for one field.
fn from_hex(field: &'static str, s: &str) -> Result<Vec<u8>, FieldsError> {
    let invalid = |reason: &str| FieldsError::Invalid {
        field,
        reason: reason.to_owned(),
    };
    if !s.len().is_multiple_of(2) {
        return Err(invalid("hex needs an even number of digits"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| invalid("not hex"))
        })
        .collect()
}

/// Takes a required field.
fn need<T: Copy>(field: &'static str, v: Option<T>) -> Result<T, FieldsError> {
    v.ok_or(FieldsError::Missing(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_garbage() {
        assert_eq!(to_hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(from_hex("f", "00ab10").unwrap(), [0, 0xab, 0x10]);
        assert!(from_hex("f", "abc").is_err());
        assert!(from_hex("f", "zz").is_err());
        assert!(from_hex("f", "é1").is_err());
    }
}

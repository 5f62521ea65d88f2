//! The file types a file id names (TDLib's `FileType`, the values Pyrogram knows: 0–17).
//! The type decides the layout after the access hash: photo-like types carry a photo-size
//! source, the others nothing more.

use crate::DecodeError;

macro_rules! file_types {
    ($($variant:ident = $value:literal, $name:literal;)*) => {
        /// What kind of file an id points at. The discriminant is the wire value.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FileType {
            $($variant = $value,)*
        }

        impl FileType {
            /// Every type, in wire order.
            pub const ALL: &'static [FileType] = &[$(FileType::$variant,)*];

            /// The snake_case name used in the JSON form (Pyrogram's enum name, lower case).
            pub fn name(self) -> &'static str {
                match self {
                    $(FileType::$variant => $name,)*
                }
            }
        }
    };
}

file_types! {
    Thumbnail = 0, "thumbnail";
    ChatPhoto = 1, "chat_photo";
    Photo = 2, "photo";
    Voice = 3, "voice";
    Video = 4, "video";
    Document = 5, "document";
    Encrypted = 6, "encrypted";
    Temp = 7, "temp";
    Sticker = 8, "sticker";
    Audio = 9, "audio";
    Animation = 10, "animation";
    EncryptedThumbnail = 11, "encrypted_thumbnail";
    Wallpaper = 12, "wallpaper";
    VideoNote = 13, "video_note";
    SecureRaw = 14, "secure_raw";
    Secure = 15, "secure";
    Background = 16, "background";
    DocumentAsFile = 17, "document_as_file";
}

impl FileType {
    pub fn from_wire(v: i32) -> Result<Self, DecodeError> {
        usize::try_from(v)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
            .ok_or(DecodeError::UnknownFileType(v))
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// Photo-like types (TDLib's photo location class) carry a photo-size source.
    pub fn is_photo(self) -> bool {
        matches!(
            self,
            FileType::Thumbnail
                | FileType::ChatPhoto
                | FileType::Photo
                | FileType::Wallpaper
                | FileType::EncryptedThumbnail
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_and_names_round_trip() {
        for (i, &t) in FileType::ALL.iter().enumerate() {
            assert_eq!(t as usize, i);
            assert_eq!(FileType::from_wire(i as i32), Ok(t));
            assert_eq!(FileType::from_name(t.name()), Some(t));
        }
        assert_eq!(
            FileType::from_wire(18),
            Err(DecodeError::UnknownFileType(18))
        );
        assert_eq!(
            FileType::from_wire(-1),
            Err(DecodeError::UnknownFileType(-1))
        );
    }
}

use hearth_fileid::{FileId, FileType, FileUniqueId, Location, PhotoSizeSource, Version};
use hearth_tl::{enums, types};

use super::*;
use crate::messages::model::PhotoSize;

fn size(kind: &str, width: i32, height: i32, bytes: i64, inline: usize) -> PhotoSize {
    PhotoSize {
        kind: kind.into(),
        width,
        height,
        bytes,
        inline,
    }
}

fn photo(id: i64, access_hash: i64, reference: &[u8], dc_id: i32, sizes: Vec<PhotoSize>) -> Media {
    Media::Photo {
        id,
        access_hash,
        file_reference: reference.to_vec(),
        dc_id,
        sizes,
        stripped: None,
    }
}

fn document(kind: DocumentKind) -> Media {
    Media::Document {
        id: 77,
        access_hash: -5,
        file_reference: vec![1, 0, 0, 9],
        dc_id: 4,
        kind,
        name: Some("a.bin".into()),
        mime: "application/octet-stream".into(),
        size: 10,
        dimensions: None,
        thumbs: Vec::new(),
        stripped: None,
    }
}

/// A photo `file_id` the Bot API handed out (published in Pyrogram's
/// fork's notes on sub-version 32): DC 2, a 25-byte reference, size `m`,
/// TDLib sub-version 54. The same fields give the same string.
#[test]
fn a_photo_id_is_the_bot_apis_byte_for_byte() {
    let published =
        "AgACAgIAAxkBAAIENGfeY4AfRquwTL2LpDrzqvFMVNt_AAIG9DEbXX3wSq3oI7t_PqQGAQADAgADbQADNgQ";
    let reference = [
        0x01, 0x00, 0x00, 0x04, 0x34, 0x67, 0xde, 0x63, 0x80, 0x1f, 0x46, 0xab, 0xb0, 0x4c, 0xbd,
        0x8b, 0xa4, 0x3a, 0xf3, 0xaa, 0xf1, 0x4c, 0x54, 0xdb, 0x7f,
    ];
    let media = photo(
        5399953792058913798,
        478576178729576621,
        &reference,
        2,
        vec![size("i", 0, 0, 0, 40), size("m", 320, 240, 9000, 0)],
    );
    let ids = bot_file_ids(&media).unwrap();
    assert_eq!(ids.file_id, published);
    assert_eq!(
        FileUniqueId::decode(&ids.file_unique_id).unwrap(),
        FileUniqueId::PhotoSize {
            media_id: 5399953792058913798,
            size_type: 'm'
        }
    );
}

#[test]
fn a_photo_names_its_largest_size() {
    let media = photo(
        0x0102030405060708,
        -99,
        b"ref",
        4,
        vec![
            size("i", 0, 0, 0, 120),
            size("x", 800, 600, 60_000, 0),
            size("y", 1280, 960, 120_000, 0),
            size("m", 320, 240, 9_000, 0),
        ],
    );
    let ids = bot_file_ids(&media).unwrap();
    let id = FileId::decode(&ids.file_id).unwrap();
    assert_eq!(
        id,
        FileId {
            version: Version::V4 { sub_version: 54 },
            file_type: FileType::Photo,
            dc_id: 4,
            file_reference: b"ref".to_vec(),
            location: Location::Photo {
                media_id: 0x0102030405060708,
                access_hash: -99,
                volume: None,
                source: PhotoSizeSource::Thumbnail {
                    file_type: FileType::Photo,
                    thumbnail_type: 'y',
                },
            },
            pyrogram_padding: false,
        }
    );
    // type 1 (01 00 00 00, zero run 00 03), the id little-endian, 'y' (0x79).
    assert_eq!(ids.file_unique_id, "AQADCAcGBQQDAgF5");
}

#[test]
fn a_photo_without_a_file_size_has_no_ids() {
    let media = photo(1, 2, b"", 2, vec![size("i", 0, 0, 0, 40)]);
    assert_eq!(bot_file_ids(&media), None);
    assert_eq!(bot_file_ids(&Media::Other("messageMediaGeo".into())), None);
}

#[test]
fn a_document_id_carries_its_kind() {
    for (kind, file_type) in [
        (DocumentKind::Document, FileType::Document),
        (DocumentKind::Video, FileType::Video),
        (DocumentKind::VideoNote, FileType::VideoNote),
        (DocumentKind::Voice, FileType::Voice),
        (DocumentKind::Audio, FileType::Audio),
        (DocumentKind::Animation, FileType::Animation),
        (DocumentKind::Sticker, FileType::Sticker),
    ] {
        let ids = bot_file_ids(&document(kind)).unwrap();
        let id = FileId::decode(&ids.file_id).unwrap();
        assert_eq!(id.file_type, file_type, "{kind:?}");
        assert_eq!(id.dc_id, 4);
        assert_eq!(id.file_reference, vec![1, 0, 0, 9]);
        assert_eq!(
            id.location,
            Location::Common {
                media_id: 77,
                access_hash: -5
            }
        );
        assert!(!id.pyrogram_padding);
        assert_eq!(
            FileUniqueId::decode(&ids.file_unique_id).unwrap(),
            FileUniqueId::Document { media_id: 77 }
        );
    }
}

#[test]
fn document_kinds_follow_the_attributes_in_pyrogram_order() {
    use enums::DocumentAttribute as A;
    let video = |round| {
        A::DocumentAttributeVideo(types::DocumentAttributeVideo {
            round_message: round,
            supports_streaming: false,
            nosound: false,
            duration: 1.0,
            w: 10,
            h: 10,
            preload_prefix_size: None,
            video_start_ts: None,
            video_codec: None,
        })
    };
    let audio = |voice| {
        A::DocumentAttributeAudio(types::DocumentAttributeAudio {
            voice,
            duration: 1,
            title: None,
            performer: None,
            waveform: None,
        })
    };
    let sticker = A::DocumentAttributeSticker(types::DocumentAttributeSticker {
        mask: false,
        alt: "x".into(),
        stickerset: enums::InputStickerSet::InputStickerSetEmpty,
        mask_coords: None,
    });
    let name = A::DocumentAttributeFilename(types::DocumentAttributeFilename {
        file_name: "a".into(),
    });
    let cases = [
        (vec![name.clone()], DocumentKind::Document),
        (vec![video(false)], DocumentKind::Video),
        (vec![video(true)], DocumentKind::VideoNote),
        (vec![audio(false)], DocumentKind::Audio),
        (vec![audio(true)], DocumentKind::Voice),
        (
            vec![A::DocumentAttributeAnimated, video(false)],
            DocumentKind::Animation,
        ),
        (vec![sticker.clone(), video(false)], DocumentKind::Sticker),
        (vec![video(false), audio(true)], DocumentKind::Video),
        (
            vec![sticker, A::DocumentAttributeAnimated],
            DocumentKind::Animation,
        ),
    ];
    for (attributes, kind) in cases {
        assert_eq!(DocumentKind::of(&attributes), kind, "{attributes:?}");
    }
}

#[test]
fn a_pasted_photo_id_becomes_input_media_photo() {
    let media = photo(42, -7, b"fr", 2, vec![size("y", 1280, 960, 1, 0)]);
    let ids = bot_file_ids(&media).unwrap();
    let input = input_media(&format!("  {}\n", ids.file_id)).unwrap();
    let enums::InputMedia::InputMediaPhoto(p) = input else {
        panic!("a photo: {input:?}");
    };
    assert_eq!(
        p.id,
        enums::InputPhoto::InputPhoto(types::InputPhoto {
            id: 42,
            access_hash: -7,
            file_reference: b"fr".to_vec(),
        })
    );
}

#[test]
fn a_pasted_document_id_becomes_input_media_document() {
    let ids = bot_file_ids(&document(DocumentKind::Voice)).unwrap();
    let enums::InputMedia::InputMediaDocument(d) = input_media(&ids.file_id).unwrap() else {
        panic!("a document");
    };
    assert_eq!(
        d.id,
        enums::InputDocument::InputDocument(types::InputDocument {
            id: 77,
            access_hash: -5,
            file_reference: vec![1, 0, 0, 9],
        })
    );
}

#[test]
fn malformed_or_unsendable_ids_are_typed_errors() {
    for bad in ["", "not an id!", "AgACAgIAAxkBAAIENGfeY4Af"] {
        let e = input_media(bad).unwrap_err();
        assert_eq!(e.code(), "FILE_ID_INVALID", "{bad:?}: {e}");
        assert!(e.to_string().starts_with("this is not a valid file id: "));
    }
    let thumb = FileId {
        version: Version::V4 { sub_version: 54 },
        file_type: FileType::Thumbnail,
        dc_id: 2,
        file_reference: Vec::new(),
        location: Location::Photo {
            media_id: 1,
            access_hash: 2,
            volume: None,
            source: PhotoSizeSource::Thumbnail {
                file_type: FileType::Thumbnail,
                thumbnail_type: 'm',
            },
        },
        pyrogram_padding: false,
    };
    let web = FileId {
        file_type: FileType::Document,
        location: Location::Web {
            url: "https://example.org/a.png".into(),
            access_hash: 3,
        },
        ..thumb.clone()
    };
    for (id, what) in [(thumb, "a thumbnail"), (web, "a file on the web (a URL)")] {
        let e = input_media(&id.encode().unwrap()).unwrap_err();
        assert_eq!(e.code(), "FILE_ID_NOT_SENDABLE");
        assert!(e.to_string().contains(what), "{e}");
    }
}

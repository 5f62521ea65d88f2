//! Known-answer tests on ids published with their fields, and every error path.

use crate::*;

/// A Bot API sticker id and its file_unique_id, with the fields published beside them
/// (luckydonald/telegram_file_id's README).
const STICKER: &str = "CAACAgIAAxkBAAIEol9yQhBqFnT4HXldAh31a-hYXuDIAAIECwACAoujAAFFn1sl9AABHbkbBA";
const STICKER_UNIQUE: &str = "AgADBAsAAgKLowAB";
/// A Bot API photo id of sub-version 54 (quoted in Pyrogram's file_id.py).
const PHOTO: &str =
    "AgACAgIAAxkBAAIENGfeY4AfRquwTL2LpDrzqvFMVNt_AAIG9DEbXX3wSq3oI7t_PqQGAQADAgADbQADNgQ";

#[test]
fn decodes_a_published_sticker_id() {
    let id = decode(STICKER).unwrap();
    assert_eq!(id.version, Version::V4 { sub_version: 27 });
    assert_eq!(id.file_type, FileType::Sticker);
    assert_eq!(id.dc_id, 2);
    assert_eq!(id.file_reference.len(), 25);
    assert_eq!(
        id.location,
        Location::Common {
            media_id: 46033261910035204,
            access_hash: -5107925353769492667
        }
    );
    assert_eq!(encode(&id).unwrap(), STICKER);
    assert_eq!(id.unique_id().encode().unwrap(), STICKER_UNIQUE);
    assert_eq!(decode_unique(STICKER_UNIQUE).unwrap(), id.unique_id());
}

#[test]
fn decodes_a_current_photo_id_without_volume() {
    let id = decode(PHOTO).unwrap();
    assert_eq!(id.version, Version::V4 { sub_version: 54 });
    assert_eq!(id.file_type, FileType::Photo);
    let Location::Photo { volume, source, .. } = &id.location else {
        panic!("not a photo: {id:?}");
    };
    assert_eq!(*volume, None);
    assert_eq!(
        *source,
        PhotoSizeSource::Thumbnail {
            file_type: FileType::Photo,
            thumbnail_type: 'm'
        }
    );
    assert_eq!(encode(&id).unwrap(), PHOTO);
}

fn doc(version: Version) -> FileId {
    FileId {
        version,
        file_type: FileType::Document,
        dc_id: 4,
        file_reference: vec![],
        location: Location::Common {
            media_id: 1,
            access_hash: 2,
        },
        pyrogram_padding: false,
    }
}

fn photo(version: Version, volume: Option<PhotoVolume>, source: PhotoSizeSource) -> FileId {
    FileId {
        version,
        file_type: FileType::Photo,
        dc_id: 1,
        file_reference: b"ref".to_vec(),
        location: Location::Photo {
            media_id: -5,
            access_hash: 6,
            volume,
            source,
        },
        pyrogram_padding: false,
    }
}

#[test]
fn old_versions_round_trip() {
    let vol = Some(PhotoVolume {
        volume_id: 9,
        local_id: -3,
    });
    for v in [Version::V2, Version::V3] {
        let legacy = photo(v, vol, PhotoSizeSource::Legacy { secret: 77 });
        assert_eq!(decode(&encode(&legacy).unwrap()).unwrap(), legacy);
        assert_eq!(decode(&encode(&doc(v)).unwrap()).unwrap(), doc(v));
        let chat = PhotoSizeSource::ChatPhotoBig {
            chat_id: 1,
            chat_access_hash: 2,
        };
        assert_eq!(
            encode(&photo(v, vol, chat)),
            Err(EncodeError::SourceNeedsVersion4 { major: v.major() })
        );
    }
}

#[test]
fn volume_must_match_the_sub_version() {
    let src = PhotoSizeSource::Legacy { secret: 1 };
    let old = Version::V4 { sub_version: 31 };
    let new = Version::V4 { sub_version: 32 };
    assert!(encode(&photo(old, None, src.clone())).is_err());
    let vol = Some(PhotoVolume {
        volume_id: 1,
        local_id: 2,
    });
    assert_eq!(
        encode(&photo(new, vol, src.clone())),
        Err(EncodeError::LegacyVolume {
            major: 4,
            minor: 32
        })
    );
    let ok = photo(old, vol, src);
    assert_eq!(decode(&encode(&ok).unwrap()).unwrap(), ok);
}

#[test]
fn pyrogram_padding_round_trips_and_is_refused_elsewhere() {
    let mut d = doc(Version::PYROGRAM_DEFAULT);
    let plain = encode(&d).unwrap();
    d.pyrogram_padding = true;
    let padded = encode(&d).unwrap();
    assert_ne!(plain, padded);
    assert_eq!(decode(&padded).unwrap(), d);
    d.file_reference = vec![1];
    assert_eq!(encode(&d), Err(EncodeError::Padding));
    let mut old = doc(Version::V2);
    old.pyrogram_padding = true;
    assert_eq!(encode(&old), Err(EncodeError::Padding));
}

/// Body bytes to an id, bypassing the encoder.
fn raw(body: &[u8]) -> String {
    crate::wire::wrap(body)
}

fn body_of(id: &FileId) -> Vec<u8> {
    crate::wire::unwrap(&encode(id).unwrap()).unwrap()
}

#[test]
fn every_decode_error() {
    assert!(matches!(decode("!!!"), Err(DecodeError::Base64(_))));
    assert_eq!(decode(""), Err(DecodeError::Empty));
    // A zero with no run length.
    use base64::Engine;
    let cut = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([5u8, 0]);
    assert_eq!(decode(&cut), Err(DecodeError::ZeroRun { offset: 1 }));
    assert_eq!(
        decode(&raw(&[1, 2, 9])),
        Err(DecodeError::WrongVersion { major: 9 })
    );
    assert!(matches!(
        decode(&raw(&[4])),
        Err(DecodeError::Truncated {
            what: "sub-version",
            ..
        })
    ));

    let good = body_of(&doc(Version::V4 { sub_version: 30 }));
    for cut in 0..good.len() - 2 {
        let mut b = good[..cut].to_vec();
        b.extend([30, 4]);
        assert!(
            matches!(decode(&raw(&b)), Err(DecodeError::Truncated { .. })),
            "cut {cut}"
        );
    }
    let mut trailing = good[..good.len() - 2].to_vec();
    trailing.extend([7, 30, 4]);
    assert_eq!(
        decode(&raw(&trailing)),
        Err(DecodeError::TrailingBytes {
            what: "file id",
            count: 1
        })
    );
    let mut unknown = good.clone();
    unknown[0] = 18;
    assert_eq!(
        decode(&raw(&unknown)),
        Err(DecodeError::UnknownFileType(18))
    );

    let p = photo(
        Version::V4 { sub_version: 40 },
        None,
        PhotoSizeSource::Legacy { secret: 3 },
    );
    let mut b = body_of(&p);
    let tag_at = 4 + 4 + 4 + 16; // type, dc, reference "ref" (4 bytes), id, hash
    b[tag_at] = 10;
    assert_eq!(decode(&raw(&b)), Err(DecodeError::UnknownSource(10)));

    let mut long_len = body_of(&p);
    long_len[8] = 255;
    assert!(matches!(
        decode(&raw(&long_len)),
        Err(DecodeError::BadLength { .. })
    ));

    let thumb = PhotoSizeSource::Thumbnail {
        file_type: FileType::Photo,
        thumbnail_type: 'x',
    };
    let mut b = body_of(&photo(Version::V4 { sub_version: 40 }, None, thumb));
    b[tag_at + 8..tag_at + 12].copy_from_slice(&(-1i32).to_le_bytes());
    assert_eq!(decode(&raw(&b)), Err(DecodeError::BadThumbnailType(-1)));

    let web = FileId {
        location: Location::Web {
            url: "u".into(),
            access_hash: 1,
        },
        ..doc(Version::PYROGRAM_DEFAULT)
    };
    let mut b = body_of(&web);
    b[9] = 0xff; // the URL's one byte
    assert_eq!(decode(&raw(&b)), Err(DecodeError::NotUtf8 { what: "url" }));
}

#[test]
fn every_unique_decode_error() {
    let doc = FileUniqueId::Document { media_id: 5 };
    let body = crate::wire::unwrap(&doc.encode().unwrap()).unwrap();
    let mut t = body.clone();
    t.push(1);
    assert_eq!(
        decode_unique(&raw(&t)),
        Err(DecodeError::TrailingBytes {
            what: "file_unique_id",
            count: 1
        })
    );
    assert!(matches!(
        decode_unique(&raw(&body[..7])),
        Err(DecodeError::Truncated { .. })
    ));
    for (ty, want) in [
        (3, DecodeError::UnsupportedUniqueType(3)),
        (5, DecodeError::UnsupportedUniqueType(5)),
        (6, DecodeError::UnknownUniqueType(6)),
        (-1, DecodeError::UnknownUniqueType(-1)),
    ] {
        let mut b = body.clone();
        b[..4].copy_from_slice(&i32::to_le_bytes(ty));
        assert_eq!(decode_unique(&raw(&b)), Err(want));
    }
}

#[test]
fn unique_ids_round_trip() {
    for u in [
        FileUniqueId::Web {
            url: "https://example.org/a.png".into(),
        },
        FileUniqueId::Photo {
            volume_id: -1,
            local_id: 0,
        },
        FileUniqueId::PhotoSize {
            media_id: 0,
            size_type: 'y',
        },
        FileUniqueId::Document { media_id: i64::MIN },
    ] {
        assert_eq!(decode_unique(&u.encode().unwrap()).unwrap(), u);
        let f = fields::UniqueFields::from(&u);
        assert_eq!(FileUniqueId::try_from(&f).unwrap(), u);
    }
}

/// The Bot API's photo-size layout (TDLib's `AsKey` with `is_unique`): type 1,
/// the photo id, the size letter as one byte; told from the legacy layout by length.
#[test]
fn photo_size_unique_ids_have_the_bot_api_layout() {
    // 01 00 00 00 | 08 07 06 05 04 03 02 01 | 'y', the zeros as the run 00 03.
    let u = FileUniqueId::PhotoSize {
        media_id: 0x0102030405060708,
        size_type: 'y',
    };
    assert_eq!(u.encode().unwrap(), "AQADCAcGBQQDAgF5");
    assert_eq!(decode_unique("AQADCAcGBQQDAgF5").unwrap(), u);
    assert_eq!(u.type_name(), "photo");
    assert_eq!(
        FileUniqueId::PhotoSize {
            media_id: 1,
            size_type: 'é'
        }
        .encode(),
        Err(EncodeError::SizeType('é'))
    );
    let mut b = crate::wire::unwrap("AQADCAcGBQQDAgF5").unwrap();
    *b.last_mut().unwrap() = 0xc3;
    assert_eq!(
        decode_unique(&raw(&b)),
        Err(DecodeError::BadThumbnailType(0xc3))
    );
    let mut f = fields::UniqueFields::from(&u);
    f.thumbnail_size = Some("yy".into());
    assert!(matches!(
        FileUniqueId::try_from(&f),
        Err(FieldsError::Invalid {
            field: "thumbnail_size",
            ..
        })
    ));
}

#[test]
fn fields_round_trip_and_refuse_stray_fields() {
    let p = photo(
        Version::V4 { sub_version: 20 },
        Some(PhotoVolume {
            volume_id: 3,
            local_id: 4,
        }),
        PhotoSizeSource::FullLegacy {
            volume_id: 3,
            secret: 8,
            local_id: 4,
        },
    );
    let f = fields::FileIdFields::from(&p);
    assert_eq!(FileId::try_from(&f).unwrap(), p);
    let mut stray = f.clone();
    stray.chat_id = Some(1);
    assert_eq!(
        FileId::try_from(&stray),
        Err(FieldsError::Unexpected {
            field: "chat_id",
            kind: "file_id"
        })
    );
    let mut missing = f;
    missing.secret = None;
    assert_eq!(
        FileId::try_from(&missing),
        Err(FieldsError::Missing("secret"))
    );
    let mut bad = fields::FileIdFields::from(&doc(Version::V2));
    bad.minor = 1;
    assert!(matches!(
        FileId::try_from(&bad),
        Err(FieldsError::Invalid { field: "minor", .. })
    ));
    bad.file_type = "movie".into();
    bad.minor = 0;
    assert!(matches!(
        FileId::try_from(&bad),
        Err(FieldsError::UnknownName {
            field: "file_type",
            ..
        })
    ));
}

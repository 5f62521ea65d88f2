//! proptest strategies for every id the codec can write, shared by the property tests and
//! the Pyrogram interoperability test.

#![allow(dead_code)]

use hearth_fileid::{
    FileId, FileType, FileUniqueId, Location, PhotoSizeSource, PhotoVolume, Version,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Mostly small numbers and zeros (the zero runs), some extremes, some anything.
pub fn i64s() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        1..300i64,
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1i64),
        any::<i64>()
    ]
}

pub fn i32s() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(0i32),
        1..300i32,
        Just(i32::MIN),
        Just(-1i32),
        any::<i32>()
    ]
}

pub fn versions() -> impl Strategy<Value = Version> {
    prop_oneof![
        1 => Just(Version::V2),
        1 => Just(Version::V3),
        6 => any::<u8>().prop_map(|sub_version| Version::V4 { sub_version }),
    ]
}

pub fn file_types() -> impl Strategy<Value = FileType> {
    select(FileType::ALL)
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        proptest::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 1..300),
    ]
}

fn urls() -> impl Strategy<Value = String> {
    "https://example\\.org/[a-zé_ü/.-]{0,300}"
}

fn thumbnail_types() -> impl Strategy<Value = char> {
    prop_oneof![9 => select("sabcdmxyijkwu".chars().collect::<Vec<_>>()), 1 => any::<char>()]
}

/// A source; `volume` (the outer pair of older ids) is repeated inside the legacy-volume
/// sources when `same_volume`, as every id Pyrogram writes has it.
pub fn sources(volume: Option<PhotoVolume>, same_volume: bool) -> BoxedStrategy<PhotoSizeSource> {
    use PhotoSizeSource::*;
    let vol = move |v: i64, l: i32| match (volume, same_volume) {
        (Some(p), true) => (p.volume_id, p.local_id),
        _ => (v, l),
    };
    prop_oneof![
        i64s().prop_map(|secret| Legacy { secret }),
        (file_types(), thumbnail_types()).prop_map(|(file_type, thumbnail_type)| Thumbnail {
            file_type,
            thumbnail_type
        }),
        (i64s(), i64s()).prop_map(|(chat_id, chat_access_hash)| ChatPhotoSmall {
            chat_id,
            chat_access_hash
        }),
        (i64s(), i64s()).prop_map(|(chat_id, chat_access_hash)| ChatPhotoBig {
            chat_id,
            chat_access_hash
        }),
        (i64s(), i64s()).prop_map(|(a, b)| StickerSetThumbnail {
            sticker_set_id: a,
            sticker_set_access_hash: b
        }),
        (i64s(), i64s(), i32s()).prop_map(move |(v, secret, l)| {
            let (volume_id, local_id) = vol(v, l);
            FullLegacy {
                volume_id,
                secret,
                local_id,
            }
        }),
        (i64s(), i64s(), i64s(), i32s()).prop_map(move |(chat_id, chat_access_hash, v, l)| {
            let (volume_id, local_id) = vol(v, l);
            ChatPhotoSmallLegacy {
                chat_id,
                chat_access_hash,
                volume_id,
                local_id,
            }
        }),
        (i64s(), i64s(), i64s(), i32s()).prop_map(move |(chat_id, chat_access_hash, v, l)| {
            let (volume_id, local_id) = vol(v, l);
            ChatPhotoBigLegacy {
                chat_id,
                chat_access_hash,
                volume_id,
                local_id,
            }
        }),
        (i64s(), i64s(), i64s(), i32s()).prop_map(move |(a, b, v, l)| {
            let (volume_id, local_id) = vol(v, l);
            StickerSetThumbnailLegacy {
                sticker_set_id: a,
                sticker_set_access_hash: b,
                volume_id,
                local_id,
            }
        }),
        (i64s(), i64s(), i32s()).prop_map(|(a, b, version)| StickerSetThumbnailVersion {
            sticker_set_id: a,
            sticker_set_access_hash: b,
            version,
        }),
    ]
    .boxed()
}

/// Every `FileId` the encoder accepts. With `pyrogram`, only what Pyrogram's decoder reads
/// the same way: no file reference on web ids (it skips it) and equal inner and outer
/// volume pairs (it keeps one).
pub fn file_ids(pyrogram: bool) -> impl Strategy<Value = FileId> {
    (
        versions(),
        file_types(),
        prop_oneof![1..6i32, any::<i32>()],
        bytes(),
        0..5u8,
        any::<bool>(),
    )
        .prop_flat_map(
            move |(version, file_type, dc_id, reference, shape, padding)| {
                let web = shape == 0;
                let file_reference = if web && pyrogram {
                    Vec::new()
                } else {
                    reference
                };
                let location: BoxedStrategy<Location> = if web {
                    (urls(), i64s())
                        .prop_map(|(url, access_hash)| Location::Web { url, access_hash })
                        .boxed()
                } else if file_type.is_photo() {
                    (i64s(), i64s(), i64s(), i32s(), any::<bool>())
                        .prop_flat_map(move |(media_id, access_hash, volume_id, local_id, same)| {
                            let volume = version.has_photo_volume().then_some(PhotoVolume {
                                volume_id,
                                local_id,
                            });
                            let source = if version.major() < 4 {
                                i64s()
                                    .prop_map(|secret| PhotoSizeSource::Legacy { secret })
                                    .boxed()
                            } else {
                                sources(volume, same || pyrogram)
                            };
                            source.prop_map(move |source| Location::Photo {
                                media_id,
                                access_hash,
                                volume,
                                source,
                            })
                        })
                        .boxed()
                } else {
                    (i64s(), i64s())
                        .prop_map(|(media_id, access_hash)| Location::Common {
                            media_id,
                            access_hash,
                        })
                        .boxed()
                };
                location.prop_map(move |location| {
                    let pyrogram_padding = padding
                        && matches!(location, Location::Common { .. })
                        && file_reference.is_empty()
                        && version.major() == 4;
                    FileId {
                        version,
                        file_type,
                        dc_id,
                        file_reference: file_reference.clone(),
                        location,
                        pyrogram_padding,
                    }
                })
            },
        )
}

pub fn unique_ids() -> impl Strategy<Value = FileUniqueId> {
    prop_oneof![
        urls().prop_map(|url| FileUniqueId::Web { url }),
        (i64s(), i32s()).prop_map(|(volume_id, local_id)| FileUniqueId::Photo {
            volume_id,
            local_id
        }),
        i64s().prop_map(|media_id| FileUniqueId::Document { media_id }),
    ]
}

//! Choosing among a photo's (or a document's thumbnail's) sizes
//! (core.telegram.org/api/files#image-thumbnail-types) and the ones that
//! come inline: `photoCachedSize` bytes and the stripped thumbnail
//! ([`super::stripped`]).
//!
//! Downloadable sizes are `photoSize` and `photoSizeProgressive` (whose last
//! entry in `sizes` is the whole file); `photoStrippedSize`, `photoPathSize`
//! and `photoSizeEmpty` are never downloaded.

use hearth_tl::enums::PhotoSize;

use super::error::FileError;

/// One size of a photo or thumbnail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeInfo {
    /// Its `type` (`s`, `m`, `x`, `y`, `w`, ...), the `thumb_size` to ask for.
    pub kind: String,
    pub w: u32,
    pub h: u32,
    /// Bytes of the file (0 when the server did not say).
    pub bytes: u64,
    /// The JPEG itself, for a `photoCachedSize`.
    pub inline: Option<Vec<u8>>,
}

impl SizeInfo {
    /// The longer side.
    pub fn side(&self) -> u32 {
        self.w.max(self.h)
    }
}

/// The sizes with pixels, in the order given.
pub fn sizes(list: &[PhotoSize]) -> Vec<SizeInfo> {
    let dim = |v: i32| u32::try_from(v).unwrap_or(0);
    list.iter()
        .filter_map(|s| match s {
            PhotoSize::PhotoSize(s) => Some(SizeInfo {
                kind: s.type_.clone(),
                w: dim(s.w),
                h: dim(s.h),
                bytes: u64::try_from(s.size).unwrap_or(0),
                inline: None,
            }),
            PhotoSize::PhotoSizeProgressive(s) => Some(SizeInfo {
                kind: s.type_.clone(),
                w: dim(s.w),
                h: dim(s.h),
                bytes: s
                    .sizes
                    .iter()
                    .max()
                    .map_or(0, |b| u64::try_from(*b).unwrap_or(0)),
                inline: None,
            }),
            PhotoSize::PhotoCachedSize(s) => Some(SizeInfo {
                kind: s.type_.clone(),
                w: dim(s.w),
                h: dim(s.h),
                bytes: s.bytes.len() as u64,
                inline: Some(s.bytes.clone()),
            }),
            _ => None,
        })
        .filter(|s| s.w > 0 && s.h > 0)
        .collect()
}

/// The size to show in a `want`-pixel box: the smallest whose longer side
/// is at least `want`, else the largest there is.
pub fn best_size(list: &[PhotoSize], want: u32) -> Option<SizeInfo> {
    let all = sizes(list);
    let fitting = all
        .iter()
        .filter(|s| s.side() >= want)
        .min_by_key(|s| (s.side(), s.bytes));
    fitting
        .or_else(|| all.iter().max_by_key(|s| (s.side(), s.bytes)))
        .cloned()
}

/// The largest size.
pub fn largest(list: &[PhotoSize]) -> Option<SizeInfo> {
    best_size(list, u32::MAX)
}

/// The stripped thumbnail's bytes, if the list has one.
pub fn stripped_bytes(list: &[PhotoSize]) -> Option<&[u8]> {
    list.iter().find_map(|s| match s {
        PhotoSize::PhotoStrippedSize(s) => Some(s.bytes.as_slice()),
        _ => None,
    })
}

/// A JPEG to show at once, without a download: the stripped thumbnail
/// inflated, else the first `photoCachedSize`. `None` when there is neither.
pub fn inline_jpeg(list: &[PhotoSize]) -> Option<Result<Vec<u8>, FileError>> {
    if let Some(s) = stripped_bytes(list) {
        return Some(super::stripped::to_jpeg(s));
    }
    sizes(list).into_iter().find_map(|s| s.inline.map(Ok))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::types;

    fn size(t: &str, w: i32, h: i32, n: i32) -> PhotoSize {
        PhotoSize::PhotoSize(types::PhotoSize {
            type_: t.into(),
            w,
            h,
            size: n,
        })
    }

    #[test]
    fn the_smallest_size_that_fills_the_box_wins() {
        let list = vec![
            PhotoSize::PhotoStrippedSize(types::PhotoStrippedSize {
                type_: "i".into(),
                bytes: vec![1, 2, 3],
            }),
            size("s", 100, 66, 2000),
            size("m", 320, 213, 9000),
            PhotoSize::PhotoSizeProgressive(types::PhotoSizeProgressive {
                type_: "y".into(),
                w: 1280,
                h: 853,
                sizes: vec![1000, 50_000, 90_000],
            }),
            size("x", 800, 533, 40_000),
            PhotoSize::PhotoSizeEmpty(types::PhotoSizeEmpty { type_: "z".into() }),
        ];
        assert_eq!(best_size(&list, 90).unwrap().kind, "s");
        assert_eq!(best_size(&list, 300).unwrap().kind, "m");
        assert_eq!(best_size(&list, 321).unwrap().kind, "x");
        let y = best_size(&list, 5000).unwrap();
        assert_eq!((y.kind.as_str(), y.bytes), ("y", 90_000));
        assert_eq!(largest(&list).unwrap().kind, "y");
        assert_eq!(stripped_bytes(&list), Some(&[1u8, 2, 3][..]));
        assert!(best_size(&[], 100).is_none());
        assert!(best_size(&[size("bad", -1, 0, 5)], 100).is_none());
    }

    #[test]
    fn cached_sizes_come_inline() {
        let list = vec![PhotoSize::PhotoCachedSize(types::PhotoCachedSize {
            type_: "s".into(),
            w: 90,
            h: 90,
            bytes: vec![0xFF, 0xD8],
        })];
        assert_eq!(inline_jpeg(&list).unwrap().unwrap(), vec![0xFF, 0xD8]);
        assert!(inline_jpeg(&[size("m", 1, 1, 1)]).is_none());
    }
}

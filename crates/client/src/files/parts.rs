//! Telegram's part rules (core.telegram.org/api/files), as pure functions.
//!
//! Downloads (`upload.getFile`): `offset` and `limit` are multiples of
//! 4 KiB, 1 MiB is a multiple of `limit`, and no request crosses a 1 MiB
//! boundary. With a part size that divides 1 MiB and offsets that are
//! multiples of it, every request obeys all three.
//!
//! Uploads (`upload.saveFilePart` / `saveBigFilePart`): every part but the
//! last has the same size, a multiple of 1 KiB dividing 512 KiB; files
//! above 10 MB are "big" and use `saveBigFilePart` and `inputFileBig`; a
//! small file has at most 4000 parts, a big one at most 8000.

/// The 1 MiB window no download request may cross.
pub const WINDOW: u32 = 1024 * 1024;
/// Default download part: one whole window per request.
pub const DOWNLOAD_PART: u32 = WINDOW;
/// Upload part size (the largest Telegram accepts).
pub const UPLOAD_PART: u32 = 512 * 1024;
/// Files above this many bytes are uploaded as big files.
pub const BIG_FILE: u64 = 10 * 1024 * 1024;
/// Most parts of a big file.
pub const MAX_BIG_PARTS: u64 = 8000;
/// Largest file one upload may carry.
pub const MAX_UPLOAD: u64 = MAX_BIG_PARTS * UPLOAD_PART as u64;

/// Checks a download part size against the rules above.
pub fn check_download_part(part: u32) -> Result<(), String> {
    if part == 0 || !part.is_multiple_of(4096) || !WINDOW.is_multiple_of(part) {
        return Err(format!(
            "a download part of {part} bytes breaks Telegram's rules: it must be a multiple of 4 KiB that divides 1 MiB"
        ));
    }
    Ok(())
}

/// Where a resumed download starts: the largest multiple of `part` not
/// above `have` (bytes already on disk), so the partial last part is
/// fetched again whole.
pub fn resume_offset(have: u64, part: u32) -> u64 {
    have - have % u64::from(part)
}

/// Whether an upload of `size` bytes is a big file.
pub fn is_big(size: u64) -> bool {
    size > BIG_FILE
}

/// Parts of an upload of `size` bytes.
pub fn upload_parts(size: u64) -> u64 {
    size.div_ceil(u64::from(UPLOAD_PART))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_parts_never_cross_a_window() {
        for part in [4096, 64 * 1024, 512 * 1024, WINDOW] {
            check_download_part(part).unwrap();
            for i in 0..40u64 {
                let offset = i * u64::from(part);
                assert_eq!(offset % 4096, 0);
                let first = offset / u64::from(WINDOW);
                let last = (offset + u64::from(part) - 1) / u64::from(WINDOW);
                assert_eq!(first, last, "part {part} at {offset}");
            }
        }
        for bad in [0, 1000, 3 * 4096, 2 * WINDOW, 4096 + 1024] {
            assert!(check_download_part(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resume_starts_at_the_last_whole_part() {
        assert_eq!(resume_offset(0, WINDOW), 0);
        assert_eq!(resume_offset(WINDOW as u64 - 1, WINDOW), 0);
        assert_eq!(
            resume_offset(3 * WINDOW as u64 + 5, WINDOW),
            3 * WINDOW as u64
        );
        assert_eq!(resume_offset(5 * 4096, 4096), 5 * 4096);
    }

    #[test]
    fn big_files_start_above_ten_megabytes() {
        assert!(!is_big(BIG_FILE));
        assert!(is_big(BIG_FILE + 1));
        assert_eq!(upload_parts(1), 1);
        assert_eq!(upload_parts(u64::from(UPLOAD_PART)), 1);
        assert_eq!(upload_parts(u64::from(UPLOAD_PART) + 1), 2);
        assert_eq!(upload_parts(BIG_FILE), 20);
        assert!(upload_parts(BIG_FILE) <= 4000);
    }
}

//! Search filters and limits as requests give them
//! (core.telegram.org/type/MessagesFilter).

use hearth_tl::enums;

/// The kind of attachment a media filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Document,
    Photo,
}

pub fn filter_flags(filter: &enums::MessagesFilter) -> (Option<MediaKind>, bool) {
    match filter {
        enums::MessagesFilter::InputMessagesFilterEmpty => (None, false),
        enums::MessagesFilter::InputMessagesFilterDocument => (Some(MediaKind::Document), false),
        enums::MessagesFilter::InputMessagesFilterPhotos => (Some(MediaKind::Photo), false),
        _ => (None, true),
    }
}

/// A search's page size: `limit`, 20 when unset, at most 100.
pub fn limit_of(limit: i32) -> usize {
    if limit <= 0 {
        20
    } else {
        limit.min(100) as usize
    }
}

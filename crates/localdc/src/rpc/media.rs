//! Stored photos and documents as TL objects (core.telegram.org/api/files,
//! /constructor/photo, /constructor/document), each with a fresh
//! `file_reference` ([`crate::file_ref`]) every time it is handed out.
//!
//! Access hashes are per viewer, as Telegram's are: the hash an account is
//! given for a photo or document ([`viewer_hash`]) is accepted only from that
//! account, which is why a Bot API `file_id` (which carries it) works only
//! for the bot that received it (core.telegram.org/bots/api#sending-files).

use hearth_crypto::hash::sha256;
use hearth_tl::{enums, types};

use super::ctx::RpcCtx;
use crate::file_ref::{self, Kind};
use crate::files::{Document, Media, Photo};
use crate::photos::Sizes;

/// The access hash `viewer` is given for a photo or document whose stored
/// hash is `hash` (derived like users' per-viewer hashes).
pub fn viewer_hash(hash: i64, viewer: i64) -> i64 {
    let h = sha256(&[&hash.to_le_bytes(), b"media viewer", &viewer.to_le_bytes()]);
    i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
}

/// A fresh file reference for object `id` of `kind`, issued at `at` (ms).
pub fn reference(ctx: &RpcCtx<'_>, kind: Kind, id: i64, at: u64) -> Vec<u8> {
    file_ref::issue(ctx.state.secret(), kind, id, at)
}

/// The issue time for references handed out now: never before a
/// revocation, so a reference issued right after one is valid.
pub fn issue_time(files: &crate::files::Files) -> u64 {
    file_ref::now_ms().max(files.references_not_before_ms)
}

/// The reference validity the world file sets, with any revocation.
pub fn validity(ctx: &RpcCtx<'_>) -> file_ref::Validity {
    file_ref::Validity {
        ttl_ms: u64::from(ctx.state.world.server.file_reference_secs) * 1000,
        not_before_ms: ctx.state.files().references_not_before_ms,
    }
}

/// `photoStrippedSize` `i` followed by a `photoSize` per stored size.
pub fn tl_sizes(sizes: &Sizes) -> Vec<enums::PhotoSize> {
    let mut out = vec![enums::PhotoSize::PhotoStrippedSize(
        types::PhotoStrippedSize {
            type_: "i".into(),
            bytes: sizes.stripped.clone(),
        },
    )];
    out.extend(sizes.sizes.iter().map(|t| {
        enums::PhotoSize::PhotoSize(types::PhotoSize {
            type_: t.kind.clone(),
            w: t.w,
            h: t.h,
            size: t.bytes.len() as i32,
        })
    }));
    out
}

/// `photo` for a stored photo as `viewer` sees it, its reference issued at
/// `at` ([`issue_time`]).
pub fn tl_photo(ctx: &RpcCtx<'_>, p: &Photo, at: u64, viewer: i64) -> enums::Photo {
    enums::Photo::Photo(types::Photo {
        has_stickers: false,
        id: p.id,
        access_hash: viewer_hash(p.access_hash, viewer),
        file_reference: reference(ctx, Kind::Photo, p.id, at),
        date: p.date,
        sizes: tl_sizes(&p.sizes),
        video_sizes: None,
        dc_id: p.dc,
    })
}

/// `document` for a stored document as `viewer` sees it, its reference
/// issued at `at` ([`issue_time`]).
pub fn tl_document(ctx: &RpcCtx<'_>, d: &Document, at: u64, viewer: i64) -> enums::Document {
    let mut attributes = Vec::new();
    if let Some((w, h)) = d.image_size {
        attributes.push(enums::DocumentAttribute::DocumentAttributeImageSize(
            types::DocumentAttributeImageSize { w, h },
        ));
    }
    attributes.push(enums::DocumentAttribute::DocumentAttributeFilename(
        types::DocumentAttributeFilename {
            file_name: d.name.clone(),
        },
    ));
    enums::Document::Document(types::Document {
        id: d.id,
        access_hash: viewer_hash(d.access_hash, viewer),
        file_reference: reference(ctx, Kind::Document, d.id, at),
        date: d.date,
        mime_type: d.mime_type.clone(),
        size: d.bytes.len() as i64,
        thumbs: d.thumb.as_ref().map(tl_sizes),
        video_thumbs: None,
        dc_id: d.dc,
        attributes,
    })
}

/// `messageMediaPhoto` or `messageMediaDocument` for a stored media id, as
/// the account making the request sees it.
pub fn tl_media(ctx: &RpcCtx<'_>, id: i64) -> Option<enums::MessageMedia> {
    tl_media_for(ctx, id, ctx.user_id().unwrap_or_default())
}

/// [`tl_media`] as `viewer` sees it (for copies pushed to other accounts).
pub fn tl_media_for(ctx: &RpcCtx<'_>, id: i64, viewer: i64) -> Option<enums::MessageMedia> {
    let mut files = ctx.state.files();
    // Made first: a world photo takes a while, and its reference must be
    // issued once it exists.
    files.materialize(id);
    let at = issue_time(&files);
    Some(match files.media(id)? {
        Media::Photo(p) => enums::MessageMedia::MessageMediaPhoto(types::MessageMediaPhoto {
            spoiler: false,
            live_photo: false,
            photo: Some(tl_photo(ctx, p, at, viewer)),
            ttl_seconds: None,
            video: None,
        }),
        Media::Document(d) => {
            enums::MessageMedia::MessageMediaDocument(types::MessageMediaDocument {
                nopremium: false,
                spoiler: false,
                video: false,
                round: false,
                voice: false,
                document: Some(tl_document(ctx, d, at, viewer)),
                alt_documents: None,
                video_cover: None,
                video_timestamp: None,
                ttl_seconds: None,
            })
        }
    })
}

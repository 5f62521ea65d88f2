//! `upload.saveFilePart`, `upload.saveBigFilePart`, `messages.sendMedia`
//! with `inputMediaUploadedPhoto` or `inputMediaUploadedDocument` (with or
//! without `thumb`) or an existing `inputMediaPhoto`/`inputMediaDocument`,
//! and `upload.getFile` for photo and document locations
//! and their thumbnails (`thumb_size`), which serves a file only on its own
//! DC (`303 FILE_MIGRATE_X` elsewhere) and only with a current file
//! reference (core.telegram.org/api/file_reference). The rules themselves
//! live in [`crate::files`], [`crate::photos`] and [`crate::file_ref`].

use bytes::Bytes;
use hearth_tl::{enums, functions, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use super::input_media::store_media;
use super::tl::{resolve_input_peer, tl_users};
use crate::file_ref::Kind;
use crate::files::check_range;
use crate::mailbox::Peer;
use crate::photos;
use crate::state::unix_now;

use super::media::viewer_hash;
pub use super::media::{tl_document, tl_media};

pub fn save_file_part(
    ctx: &mut RpcCtx<'_>,
    req: functions::upload::SaveFilePart,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    ctx.state
        .files()
        .save_part(me, req.file_id, req.file_part, None, req.bytes)
        .map_err(RpcError::bad_request)?;
    Ok(true.to_bytes())
}

pub fn save_big_file_part(
    ctx: &mut RpcCtx<'_>,
    req: functions::upload::SaveBigFilePart,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    ctx.state
        .files()
        .save_part(
            me,
            req.file_id,
            req.file_part,
            Some(req.file_total_parts),
            req.bytes,
        )
        .map_err(RpcError::bad_request)?;
    Ok(true.to_bytes())
}

/// Longest caption of a media message.
const MAX_CAPTION: usize = 1024;

/// `messages.sendMedia` with an uploaded photo or document: the upload
/// becomes a photo or document on this DC and a message in both boxes;
/// answered with `updates` (`updateMessageID`, `updateNewMessage`) that,
/// like the copies pushed to the other sessions, carry the account's next
/// `seq` ([`crate::seq`]).
pub fn send_media(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::SendMedia,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        let p = p.clone();
        return super::channels::messages::send_media(ctx, &p, req);
    }
    let me = ctx.require_user()?;
    let peer = resolve_input_peer(ctx, me, &req.peer)?;
    if req.message.chars().count() > MAX_CAPTION {
        return Err(RpcError::bad_request("MEDIA_CAPTION_TOO_LONG"));
    }
    if let Peer::Chat(chat) = peer {
        super::chat_media::writable_members(ctx, me, chat)?;
    }
    // Claimed once the media is valid, so a retry after a bad upload works;
    // the scopes are those of `messages.sendMessage`.
    let media = store_media(ctx, me, req.media)?;
    let scope = match peer {
        Peer::User(u) => u,
        Peer::Chat(c) => -c,
    };
    if !ctx.state.random_ids().claim(me, scope, req.random_id) {
        return Err(crate::random_ids::duplicate());
    }
    let to = match peer {
        Peer::User(u) => u,
        Peer::Chat(chat) => {
            return super::chat_media::send_media_to_chat(
                ctx,
                me,
                chat,
                &req.message,
                media,
                req.random_id,
            )
        }
    };
    let date = unix_now() as i32;
    let (sent, received) = ctx
        .state
        .mailboxes()
        .send(me, to, &req.message, date, Some(media));
    let origin = (ctx.key_id, ctx.session_id);
    let users = tl_users(ctx, me, [me, to]);
    let new_message = |m: &crate::mailbox::StoredMessage, viewer: i64| types::Updates {
        updates: vec![enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(super::tl::tl_message_for(ctx, m, viewer)),
            pts: m.pts,
            pts_count: 1,
        })],
        users: users.clone(),
        chats: Vec::new(),
        date,
        seq: 0,
    };
    let mut answer = crate::seq::push_updates(ctx.state, me, origin, new_message(&sent, me));
    if let Some(r) = &received {
        crate::seq::push_updates(ctx.state, to, origin, new_message(r, to));
    }
    // Telegram answers sendMedia with `updates`: updateMessageID (mapping
    // the request's random_id) and updateNewMessage.
    answer.updates.insert(
        0,
        enums::Update::UpdateMessageId(types::UpdateMessageId {
            id: sent.id,
            random_id: req.random_id,
        }),
    );
    Ok(answer.to_bytes())
}

fn thumb_bytes<'a>(sizes: &'a photos::Sizes, kind: &str) -> Option<&'a [u8]> {
    sizes
        .sizes
        .iter()
        .find(|t| t.kind == kind)
        .map(|t| t.bytes.as_slice())
}

/// `upload.getFile` for a photo or document location: checks in the order
/// the range, the object (`FILE_ID_INVALID`), its DC (`FILE_MIGRATE_X`: a DC
/// that does not hold the file sends the client on before anything else),
/// the account's access hash (`FILE_ID_INVALID`), the file reference
/// (`FILE_REFERENCE_*`), then the size asked for (`LOCATION_INVALID` for a
/// `thumb_size` the object does not have).
pub fn get_file(
    ctx: &mut RpcCtx<'_>,
    req: functions::upload::GetFile,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let (kind, id, hash, reference, thumb) = match req.location {
        enums::InputFileLocation::InputDocumentFileLocation(l) => (
            Kind::Document,
            l.id,
            l.access_hash,
            l.file_reference,
            l.thumb_size,
        ),
        enums::InputFileLocation::InputPhotoFileLocation(l) => (
            Kind::Photo,
            l.id,
            l.access_hash,
            l.file_reference,
            l.thumb_size,
        ),
        _ => return Err(RpcError::bad_request("LOCATION_INVALID")),
    };
    check_range(req.offset, req.limit).map_err(RpcError::bad_request)?;
    let validity = super::media::validity(ctx);
    let here = ctx.dc_id.abs() % 10000;
    let invalid = || RpcError::bad_request("FILE_ID_INVALID");
    let jpeg = || enums::storage::FileType::FileJpeg;
    // What the checks need, taken out of the table: a document's bytes are
    // a shared handle, so no lock is held while the part is copied.
    let (dc, stored_hash, mtime, type_, bytes): (i32, i64, i32, _, Option<Bytes>) = {
        let mut files = ctx.state.files();
        match kind {
            Kind::Document => {
                let d = files.document(id).ok_or_else(invalid)?;
                let bytes = match thumb.as_str() {
                    "" => Some(d.bytes.clone()),
                    t => d
                        .thumb
                        .as_ref()
                        .and_then(|s| thumb_bytes(s, t))
                        .map(Bytes::copy_from_slice),
                };
                let type_ = if thumb.is_empty() {
                    enums::storage::FileType::FilePartial
                } else {
                    jpeg()
                };
                (d.dc, d.access_hash, d.date, type_, bytes)
            }
            Kind::Photo => {
                let p = files.photo(id).ok_or_else(invalid)?;
                let bytes = thumb_bytes(&p.sizes, &thumb).map(Bytes::copy_from_slice);
                (p.dc, p.access_hash, p.date, jpeg(), bytes)
            }
        }
    };
    if dc != here {
        return Err(RpcError::new(303, format!("FILE_MIGRATE_{dc}")));
    }
    if viewer_hash(stored_hash, me) != hash {
        return Err(invalid());
    }
    crate::file_ref::check(
        ctx.state.secret(),
        kind,
        id,
        &reference,
        crate::file_ref::now_ms(),
        validity,
    )
    .map_err(RpcError::bad_request)?;
    let all = bytes.ok_or_else(|| RpcError::bad_request("LOCATION_INVALID"))?;
    let start = (req.offset as usize).min(all.len());
    let end = start.saturating_add(req.limit as usize).min(all.len());
    Ok(upload_file(type_, mtime, &all[start..end]))
}

/// Bytes of `upload.file` around its part, at most: constructor, type,
/// mtime, the bytes' length prefix and padding.
const UPLOAD_FILE_ENVELOPE: usize = 4 + 4 + 4 + 4 + 3;

/// `upload.file` serialised straight from the stored bytes: the part is
/// copied once, into the answer (building the struct first would copy it
/// twice, through a fresh 1 MiB `Vec`).
fn upload_file(type_: enums::storage::FileType, mtime: i32, part: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(UPLOAD_FILE_ENVELOPE + part.len());
    out.extend_from_slice(
        &<types::upload::File as hearth_tl::Identifiable>::CONSTRUCTOR_ID.to_le_bytes(),
    );
    type_.serialize(&mut out);
    mtime.serialize(&mut out);
    hearth_tl::serialize_bytes(part, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_file_is_what_the_generated_type_serialises() {
        for len in [0usize, 1, 253, 254, 4096, 1 << 20] {
            let part: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
            let expected = types::upload::File {
                type_: enums::storage::FileType::FilePartial,
                mtime: 1_700_000_000,
                bytes: part.clone(),
            }
            .to_bytes();
            let out = upload_file(enums::storage::FileType::FilePartial, 1_700_000_000, &part);
            assert!(
                out.len() <= UPLOAD_FILE_ENVELOPE + len,
                "the buffer reserved for the answer holds it"
            );
            assert_eq!(out, expected, "{len} bytes");
        }
    }
}

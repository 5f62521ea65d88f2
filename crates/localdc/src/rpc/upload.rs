//! `upload.saveFilePart`, `upload.saveBigFilePart`, `messages.sendMedia`
//! with `inputMediaUploadedPhoto` or `inputMediaUploadedDocument` (with or
//! without `thumb`) or an existing `inputMediaPhoto`/`inputMediaDocument`,
//! and `upload.getFile` for photo and document locations
//! and their thumbnails (`thumb_size`), which serves a file only on its own
//! DC (`303 FILE_MIGRATE_X` elsewhere) and only with a current file
//! reference (core.telegram.org/api/file_reference). The rules themselves
//! live in [`crate::files`], [`crate::photos`] and [`crate::file_ref`].

use hearth_crypto::hash::sha256;
use hearth_tl::{enums, functions, types, Serializable};

use super::messages::{resolve_input_peer, tl_users};
use super::{RpcCtx, RpcError};
use crate::file_ref::Kind;
use crate::files::{check_range, Document, Photo};
use crate::mailbox::Peer;
use crate::photos::{self, PhotoError};
use crate::state::unix_now;

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

fn photo_error(e: PhotoError) -> RpcError {
    RpcError::bad_request(e.rpc_name())
}

/// (file_id, parts, name, big) of an uploaded file.
fn input_file(f: &enums::InputFile) -> Result<(i64, i32, String, bool), RpcError> {
    match f {
        enums::InputFile::InputFile(f) => Ok((f.id, f.parts, f.name.clone(), false)),
        enums::InputFile::InputFileBig(f) => Ok((f.id, f.parts, f.name.clone(), true)),
        _ => Err(RpcError::bad_request("MEDIA_INVALID")),
    }
}

/// A photo or document sent again by reference (`inputMediaPhoto`,
/// `inputMediaDocument`): it must exist with this access hash and the
/// file reference must be current (core.telegram.org/api/file_reference).
fn existing(
    ctx: &RpcCtx<'_>,
    kind: Kind,
    id: i64,
    hash: i64,
    reference: &[u8],
) -> Result<i64, RpcError> {
    let validity = super::media::validity(ctx);
    let known = {
        let mut files = ctx.state.files();
        match kind {
            Kind::Photo => files.photo(id).is_some_and(|p| p.access_hash == hash),
            Kind::Document => files.document(id).is_some_and(|d| d.access_hash == hash),
        }
    };
    if !known {
        return Err(RpcError::bad_request("MEDIA_INVALID"));
    }
    let now = crate::file_ref::now_ms();
    crate::file_ref::check(ctx.state.secret(), kind, id, reference, now, validity)
        .map_err(RpcError::bad_request)?;
    Ok(id)
}

/// The complete upload behind `file` (parts removed from the store).
fn take_upload(ctx: &RpcCtx<'_>, me: i64, file: &enums::InputFile) -> Result<Vec<u8>, RpcError> {
    let (file_id, parts, _, big) = input_file(file)?;
    ctx.state
        .files()
        .assemble(me, file_id, parts, big)
        .map_err(RpcError::bad_request)
}

fn access_hash(ctx: &RpcCtx<'_>, label: &[u8], id: i64) -> i64 {
    let h = sha256(&[ctx.state.secret(), label, &id.to_le_bytes()]);
    i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
}

/// Stores the photo or document a `sendMedia` request uploaded; its id.
/// Images are processed outside the files lock.
pub(crate) fn store_media(
    ctx: &RpcCtx<'_>,
    me: i64,
    media: enums::InputMedia,
) -> Result<i64, RpcError> {
    let dc = ctx.dc_id.abs() % 10000;
    let date = unix_now() as i32;
    match media {
        enums::InputMedia::InputMediaUploadedPhoto(p) => {
            let bytes = take_upload(ctx, me, &p.file)?;
            let img = photos::decode(&bytes).map_err(photo_error)?;
            let sizes = photos::photo_sizes(&img).map_err(photo_error)?;
            let mut files = ctx.state.files();
            let id = files.next_id();
            files.add_photo(Photo {
                id,
                access_hash: access_hash(ctx, b"photo", id),
                dc,
                date,
                sizes,
            });
            Ok(id)
        }
        enums::InputMedia::InputMediaUploadedDocument(d) => {
            let (_, _, file_name, _) = input_file(&d.file)?;
            let bytes = take_upload(ctx, me, &d.file)?;
            let name = d
                .attributes
                .iter()
                .find_map(|a| match a {
                    enums::DocumentAttribute::DocumentAttributeFilename(f) => {
                        Some(f.file_name.clone())
                    }
                    _ => None,
                })
                .unwrap_or(file_name);
            // A thumb the client made wins; an image document without one
            // gets one made from its content, as Telegram does.
            let (thumb, image_size) = match &d.thumb {
                Some(t) => {
                    let img = photos::decode(&take_upload(ctx, me, t)?).map_err(photo_error)?;
                    (
                        Some(photos::document_thumb(&img).map_err(photo_error)?),
                        None,
                    )
                }
                None if d.mime_type == "image/jpeg" || d.mime_type == "image/png" => {
                    match photos::decode(&bytes) {
                        Ok(img) => (
                            photos::document_thumb(&img).ok(),
                            Some((img.width() as i32, img.height() as i32)),
                        ),
                        Err(_) => (None, None),
                    }
                }
                None => (None, None),
            };
            let mut files = ctx.state.files();
            let id = files.next_id();
            files.add_document(Document {
                id,
                access_hash: access_hash(ctx, b"document", id),
                dc,
                date,
                mime_type: d.mime_type,
                name,
                bytes,
                thumb,
                image_size,
            });
            Ok(id)
        }
        enums::InputMedia::InputMediaPhoto(m) => match m.id {
            enums::InputPhoto::InputPhoto(p) => {
                existing(ctx, Kind::Photo, p.id, p.access_hash, &p.file_reference)
            }
            _ => Err(RpcError::bad_request("MEDIA_INVALID")),
        },
        enums::InputMedia::InputMediaDocument(m) => match m.id {
            enums::InputDocument::InputDocument(d) => {
                existing(ctx, Kind::Document, d.id, d.access_hash, &d.file_reference)
            }
            _ => Err(RpcError::bad_request("MEDIA_INVALID")),
        },
        enums::InputMedia::InputMediaEmpty => Err(RpcError::bad_request("MEDIA_EMPTY")),
        _ => Err(RpcError::bad_request("MEDIA_INVALID")),
    }
}

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
        return super::channel_messages::send_media(ctx, &p, req);
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
    let new_message = |m: &crate::mailbox::StoredMessage| types::Updates {
        updates: vec![enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(super::messages::tl_message_with(ctx, m)),
            pts: m.pts,
            pts_count: 1,
        })],
        users: users.clone(),
        chats: Vec::new(),
        date,
        seq: 0,
    };
    let mut answer = crate::seq::push_updates(ctx.state, me, origin, new_message(&sent));
    if let Some(r) = &received {
        crate::seq::push_updates(ctx.state, to, origin, new_message(r));
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
/// the range, the object (`FILE_ID_INVALID`), its DC (`FILE_MIGRATE_X`),
/// the file reference (`FILE_REFERENCE_*`), then the size asked for
/// (`LOCATION_INVALID` for a `thumb_size` the object does not have).
pub fn get_file(
    ctx: &mut RpcCtx<'_>,
    req: functions::upload::GetFile,
) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
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
    let mut files = ctx.state.files();
    let invalid = || RpcError::bad_request("FILE_ID_INVALID");
    let jpeg = || enums::storage::FileType::FileJpeg;
    let (dc, mtime, type_, bytes): (i32, i32, _, Option<&[u8]>) = match kind {
        Kind::Document => {
            let d = files
                .document(id)
                .filter(|d| d.access_hash == hash)
                .ok_or_else(invalid)?;
            let bytes = match thumb.as_str() {
                "" => Some(d.bytes.as_slice()),
                t => d.thumb.as_ref().and_then(|s| thumb_bytes(s, t)),
            };
            let type_ = if thumb.is_empty() {
                enums::storage::FileType::FilePartial
            } else {
                jpeg()
            };
            (d.dc, d.date, type_, bytes)
        }
        Kind::Photo => {
            let p = files
                .photo(id)
                .filter(|p| p.access_hash == hash)
                .ok_or_else(invalid)?;
            (p.dc, p.date, jpeg(), thumb_bytes(&p.sizes, &thumb))
        }
    };
    if dc != here {
        return Err(RpcError::new(303, format!("FILE_MIGRATE_{dc}")));
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

/// `upload.file` serialised straight from the stored bytes: the part is
/// copied once, into the answer (building the struct first would copy it
/// twice, through a fresh 1 MiB `Vec`).
fn upload_file(type_: enums::storage::FileType, mtime: i32, part: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + part.len() + 4);
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
            assert_eq!(
                upload_file(enums::storage::FileType::FilePartial, 1_700_000_000, &part),
                expected,
                "{len} bytes"
            );
        }
    }
}

//! The media a `messages.sendMedia` request names, as the DC stores it:
//! an uploaded photo (decoded and downscaled, [`crate::photos`]) or document
//! becomes a new object with its own access hash; an existing
//! `inputMediaPhoto`/`inputMediaDocument` is accepted only with the access
//! hash this account was given and a current file reference
//! (core.telegram.org/api/file_reference). Shared by the private-chat, group
//! and channel `sendMedia` handlers, which is why it is not one of them.

use hearth_crypto::hash::sha256;
use hearth_tl::enums;

use super::ctx::{RpcCtx, RpcError};
use super::media::viewer_hash;
use crate::file_ref::Kind;
use crate::files::{Document, Photo};
use crate::photos::{self, PhotoError};
use crate::state::unix_now;

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
/// `inputMediaDocument`): it must exist with the access hash this account
/// was given (else `MEDIA_EMPTY`) and the file reference must be current
/// (core.telegram.org/api/file_reference).
fn existing(
    ctx: &RpcCtx<'_>,
    kind: Kind,
    id: i64,
    hash: i64,
    reference: &[u8],
) -> Result<i64, RpcError> {
    let validity = super::media::validity(ctx);
    let me = ctx.require_user()?;
    let stored = {
        let mut files = ctx.state.files();
        match kind {
            Kind::Photo => files.photo(id).map(|p| p.access_hash),
            Kind::Document => files.document(id).map(|d| d.access_hash),
        }
    };
    // Telegram answers MEDIA_EMPTY for a photo or document the account was
    // not given (another account's hash, as in a foreign Bot API file id).
    if stored.map(|h| viewer_hash(h, me)) != Some(hash) {
        return Err(RpcError::bad_request("MEDIA_EMPTY"));
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
pub fn store_media(ctx: &RpcCtx<'_>, me: i64, media: enums::InputMedia) -> Result<i64, RpcError> {
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
                bytes: bytes.into(),
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

//! `upload.saveFilePart`, `upload.saveBigFilePart`, `messages.sendMedia`
//! with `inputMediaUploadedDocument`, and `upload.getFile`, which serves a
//! document only on its own DC (`303 FILE_MIGRATE_X` elsewhere). The rules
//! themselves live in [`crate::files`].

use hearth_crypto::hash::sha256;
use hearth_tl::{enums, functions, types, Serializable};

use super::messages::{resolve_peer, tl_users};
use super::{RpcCtx, RpcError};
use crate::files::{check_range, Document};
use crate::state::unix_now;

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

/// `document` for a stored document.
pub fn tl_document(d: &Document) -> enums::Document {
    enums::Document::Document(types::Document {
        id: d.id,
        access_hash: d.access_hash,
        file_reference: d.id.to_le_bytes().to_vec(),
        date: d.date,
        mime_type: d.mime_type.clone(),
        size: d.bytes.len() as i64,
        thumbs: None,
        video_thumbs: None,
        dc_id: d.dc,
        attributes: vec![enums::DocumentAttribute::DocumentAttributeFilename(
            types::DocumentAttributeFilename {
                file_name: d.name.clone(),
            },
        )],
    })
}

/// `messageMediaDocument` for a stored document id.
pub fn tl_media(ctx: &RpcCtx<'_>, id: i64) -> Option<enums::MessageMedia> {
    let files = ctx.state.files();
    let d = files.document(id)?;
    Some(enums::MessageMedia::MessageMediaDocument(
        types::MessageMediaDocument {
            nopremium: false,
            spoiler: false,
            video: false,
            round: false,
            voice: false,
            document: Some(tl_document(d)),
            alt_documents: None,
            video_cover: None,
            video_timestamp: None,
            ttl_seconds: None,
        },
    ))
}

/// `messages.sendMedia` with an uploaded document: the parts become a
/// document on this DC and a message in both boxes; answered with `updates`.
pub fn send_media(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::SendMedia,
) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        return super::channel_messages::send_media(ctx, p, &req);
    }
    let me = ctx.require_user()?;
    let to = resolve_peer(ctx, me, &req.peer)?;
    let enums::InputMedia::InputMediaUploadedDocument(media) = req.media else {
        return Err(RpcError::bad_request("MEDIA_INVALID"));
    };
    let (file_id, parts, name) = match media.file {
        enums::InputFile::InputFile(f) => (f.id, f.parts, f.name),
        enums::InputFile::InputFileBig(f) => (f.id, f.parts, f.name),
        _ => return Err(RpcError::bad_request("MEDIA_INVALID")),
    };
    let name = media
        .attributes
        .iter()
        .find_map(|a| match a {
            enums::DocumentAttribute::DocumentAttributeFilename(f) => Some(f.file_name.clone()),
            _ => None,
        })
        .unwrap_or(name);
    let date = unix_now() as i32;
    let secret = *ctx.state.secret();
    let dc = ctx.dc_id.abs() % 10000;
    let doc = ctx
        .state
        .files()
        .finish(
            me,
            file_id,
            parts,
            (dc, date, media.mime_type, name),
            |id| {
                let h = sha256(&[&secret, b"document", &id.to_le_bytes()]);
                i64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]])
            },
        )
        .map_err(RpcError::bad_request)?;
    let (sent, received) = ctx
        .state
        .mailboxes()
        .send(me, to, &req.message, date, Some(doc.id));
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
    ctx.state
        .push_to_user(me, origin, &new_message(&sent).to_bytes());
    if let Some(r) = &received {
        ctx.state
            .push_to_user(to, origin, &new_message(r).to_bytes());
    }
    // Telegram answers sendMedia with `updates`: updateMessageID (mapping
    // the request's random_id) and updateNewMessage.
    let mut answer = new_message(&sent);
    answer.updates.insert(
        0,
        enums::Update::UpdateMessageId(types::UpdateMessageId {
            id: sent.id,
            random_id: req.random_id,
        }),
    );
    Ok(answer.to_bytes())
}

/// `upload.getFile` for a document location.
pub fn get_file(
    ctx: &mut RpcCtx<'_>,
    req: functions::upload::GetFile,
) -> Result<Vec<u8>, RpcError> {
    ctx.require_user()?;
    let enums::InputFileLocation::InputDocumentFileLocation(loc) = req.location else {
        return Err(RpcError::bad_request("LOCATION_INVALID"));
    };
    check_range(req.offset, req.limit).map_err(RpcError::bad_request)?;
    let files = ctx.state.files();
    let doc = files
        .document(loc.id)
        .filter(|d| d.access_hash == loc.access_hash)
        .ok_or_else(|| RpcError::bad_request("FILE_ID_INVALID"))?;
    if doc.dc != ctx.dc_id.abs() % 10000 {
        return Err(RpcError::new(303, format!("FILE_MIGRATE_{}", doc.dc)));
    }
    let start = (req.offset as usize).min(doc.bytes.len());
    let end = start
        .saturating_add(req.limit as usize)
        .min(doc.bytes.len());
    Ok(types::upload::File {
        type_: enums::storage::FileType::FilePartial,
        mtime: doc.date,
        bytes: doc.bytes[start..end].to_vec(),
    }
    .to_bytes())
}

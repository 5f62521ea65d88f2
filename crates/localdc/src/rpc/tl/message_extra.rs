//! What a box message carries besides its text (core.telegram.org/api/entities,
//! /api/mentions, /constructor/messageReplyHeader, /constructor/messageFwdHeader):
//! entities as sent (`inputMessageEntityMentionName` stored as
//! `messageEntityMentionName`), a reply mapped to each box's own copy of the
//! replied message, the `mentioned` flag of each recipient named by a
//! mention, and the forward header.
//!
//! Invariant: a reply id always names a message of the same box (a reply to
//! a message a box does not hold is kept without the reply).

use hearth_tl::{enums, types, Deserializable, Serializable};

use super::entities::tl_peer;
use crate::mailbox::{Extra, Peer, StoredMessage};
use crate::rpc::ctx::RpcCtx;

/// What a sender attached to a new message.
#[derive(Default)]
pub struct Sent<'a> {
    /// The replied message's id in the sender's box.
    pub reply_to: Option<i32>,
    pub entities: Option<&'a [enums::MessageEntity]>,
    pub fwd_from: Option<(i64, i32)>,
}

/// The entities as stored: input mentions become `messageEntityMentionName`.
fn stored_entities(entities: &[enums::MessageEntity]) -> Vec<enums::MessageEntity> {
    entities
        .iter()
        .map(|e| match e {
            enums::MessageEntity::InputMessageEntityMentionName(m) => {
                let user_id = match &m.user_id {
                    enums::InputUser::InputUser(u) => u.user_id,
                    _ => 0,
                };
                enums::MessageEntity::MessageEntityMentionName(types::MessageEntityMentionName {
                    offset: m.offset,
                    length: m.length,
                    user_id,
                })
            }
            other => other.clone(),
        })
        .collect()
}

/// The replied message's id of an `InputReplyTo` (a message of the same chat).
pub fn reply_to_id(reply: Option<&enums::InputReplyTo>) -> Option<i32> {
    match reply? {
        enums::InputReplyTo::InputReplyToMessage(r) if r.reply_to_peer_id.is_none() => {
            Some(r.reply_to_msg_id)
        }
        _ => None,
    }
}

/// The UTF-16 slice `[offset, offset + length)` of `text`.
fn utf16_slice(text: &str, offset: i32, length: i32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (from, len) = (offset.max(0) as usize, length.max(0) as usize);
    let end = from.saturating_add(len).min(units.len());
    String::from_utf16_lossy(units.get(from.min(end)..end).unwrap_or_default())
}

/// Whether `entities` in `text` mention `user` (by id or by @username).
fn mentions(ctx: &RpcCtx<'_>, text: &str, entities: &[enums::MessageEntity], user: i64) -> bool {
    let username = ctx.state.users().get(user).and_then(|u| u.username.clone());
    entities.iter().any(|e| match e {
        enums::MessageEntity::MessageEntityMentionName(m) => m.user_id == user,
        enums::MessageEntity::MessageEntityMention(m) => username.as_deref().is_some_and(|u| {
            utf16_slice(text, m.offset, m.length)
                .trim_start_matches('@')
                .eq_ignore_ascii_case(u)
        }),
        _ => false,
    })
}

/// Records `sent` on every copy of a message just stored by `sender`
/// (the copies and the boxes both).
pub fn annotate(ctx: &RpcCtx<'_>, sender: i64, copies: &mut [(i64, StoredMessage)], sent: &Sent) {
    let entities = sent.entities.map(stored_entities);
    // Users before mailboxes: never both locks at once.
    let mentioned: Vec<bool> = copies
        .iter()
        .map(|(user, copy)| {
            *user != sender
                && entities
                    .as_ref()
                    .is_some_and(|e| mentions(ctx, &copy.text, e, *user))
        })
        .collect();
    let mut boxes = ctx.state.mailboxes();
    let reply_origin = sent
        .reply_to
        .and_then(|id| boxes.get(sender)?.message(id).map(|m| m.origin));
    for ((user, copy), mentioned) in copies.iter_mut().zip(mentioned) {
        let extra = Extra {
            reply_to: reply_origin.and_then(|o| boxes.copy_in(*user, o)),
            entities: entities.as_ref().map(|e| e.to_bytes()),
            mentioned,
            fwd_from: sent.fwd_from,
        };
        if let Some(stored) = boxes.get_mut(*user).set_extra(copy.id, extra) {
            *copy = stored;
        }
    }
}

/// Replaces the entities (and so the mentions) of edited copies, keeping
/// their reply and forward header.
pub fn replace_entities(
    ctx: &RpcCtx<'_>,
    sender: i64,
    copies: &mut [(i64, StoredMessage)],
    entities: &[enums::MessageEntity],
) {
    let entities = stored_entities(entities);
    let bytes = (!entities.is_empty()).then(|| entities.to_bytes());
    let mentioned: Vec<bool> = copies
        .iter()
        .map(|(user, copy)| *user != sender && mentions(ctx, &copy.text, &entities, *user))
        .collect();
    let mut boxes = ctx.state.mailboxes();
    for ((user, copy), mentioned) in copies.iter_mut().zip(mentioned) {
        let extra = Extra {
            entities: bytes.clone(),
            mentioned,
            ..copy.extra.clone()
        };
        if let Some(stored) = boxes.get_mut(*user).set_extra(copy.id, extra) {
            *copy = stored;
        }
    }
}

/// The stored entities, if any.
pub fn entities(m: &StoredMessage) -> Option<Vec<enums::MessageEntity>> {
    let bytes = m.extra.entities.as_ref()?;
    Vec::<enums::MessageEntity>::from_bytes(bytes).ok()
}

pub fn reply_header(m: &StoredMessage) -> Option<enums::MessageReplyHeader> {
    let id = m.extra.reply_to?;
    Some(enums::MessageReplyHeader::MessageReplyHeader(
        types::MessageReplyHeader {
            reply_to_scheduled: false,
            forum_topic: false,
            quote: false,
            reply_to_ephemeral: false,
            reply_to_msg_id: Some(id),
            reply_to_peer_id: None,
            reply_from: None,
            reply_media: None,
            reply_to_top_id: None,
            quote_text: None,
            quote_entities: None,
            quote_offset: None,
            todo_item_id: None,
            poll_option: None,
        },
    ))
}

pub fn fwd_header(m: &StoredMessage) -> Option<enums::MessageFwdHeader> {
    let (from, date) = m.extra.fwd_from?;
    Some(enums::MessageFwdHeader::MessageFwdHeader(
        types::MessageFwdHeader {
            imported: false,
            saved_out: false,
            from_id: Some(tl_peer(Peer::User(from))),
            from_name: None,
            date,
            channel_post: None,
            post_author: None,
            saved_from_peer: None,
            saved_from_msg_id: None,
            saved_from_id: None,
            saved_from_name: None,
            saved_date: None,
            psa_type: None,
        },
    ))
}

/// Fills the reply, entities, mention and forward fields of `msg`.
pub fn apply(msg: &mut types::Message, m: &StoredMessage) {
    msg.reply_to = reply_header(m);
    msg.entities = entities(m);
    msg.mentioned = m.extra.mentioned;
    msg.fwd_from = fwd_header(m).map(Box::new);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_slices_count_surrogate_pairs_as_two() {
        let text = "😀 @bob hi";
        assert_eq!(utf16_slice(text, 3, 4), "@bob");
        assert_eq!(utf16_slice(text, 40, 4), "");
        assert_eq!(utf16_slice(text, -1, 2), "😀");
    }

    #[test]
    fn input_mentions_are_stored_as_mention_names() {
        let input = enums::MessageEntity::InputMessageEntityMentionName(
            types::InputMessageEntityMentionName {
                offset: 0,
                length: 3,
                user_id: enums::InputUser::InputUser(types::InputUser {
                    user_id: 42,
                    access_hash: 7,
                }),
            },
        );
        assert_eq!(
            stored_entities(&[input]),
            [enums::MessageEntity::MessageEntityMentionName(
                types::MessageEntityMentionName {
                    offset: 0,
                    length: 3,
                    user_id: 42
                }
            )]
        );
    }
}

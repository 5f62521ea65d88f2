//! Writing: send (text with entities, replies), edit, delete (for me or
//! for everyone), forward and read marks (core.telegram.org/method/
//! messages.sendMessage, .editMessage, .deleteMessages, .forwardMessages,
//! .readHistory, channels.deleteMessages, channels.readHistory).
//!
//! Each send draws a fresh `random_id` from the handle's [`RandomIds`];
//! the answer (`updateShortSentMessage` or `updates`) becomes the sent
//! [`Message`]. In channels deletion is always for everyone and read marks
//! go through `channels.*`, as Telegram requires.
//!
//! [`RandomIds`]: super::RandomIds

use hearth_session::PeerId;
use hearth_tl::{enums, functions, types};

use super::entity::Entity;
use super::markup;
use super::model::Message;
use super::Messages;
use crate::error::ClientError;

/// A message to send or the new content of an edit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutgoingMessage {
    pub text: String,
    pub entities: Vec<Entity>,
    /// Reply to this message of the same chat.
    pub reply_to: Option<i32>,
    /// Without a notification.
    pub silent: bool,
    /// Without a link preview.
    pub no_webpage: bool,
}

impl OutgoingMessage {
    /// Plain text, without entities.
    pub fn plain(text: impl Into<String>) -> Self {
        OutgoingMessage {
            text: text.into(),
            ..Self::default()
        }
    }

    /// Text in the markup of [`markup`] (`**bold**`, `[link](url)`, …).
    pub fn markup(source: &str) -> Self {
        let (text, entities) = markup::parse(source);
        OutgoingMessage {
            text,
            entities,
            ..Self::default()
        }
    }

    /// The same message as a reply to `id`.
    pub fn reply_to(mut self, id: i32) -> Self {
        self.reply_to = Some(id);
        self
    }
}

/// Every new or edited message an `updates` answer carries, in order.
fn messages_in(updates: &enums::Updates) -> Vec<&enums::Message> {
    let list: &[enums::Update] = match updates {
        enums::Updates::Updates(u) => &u.updates,
        enums::Updates::UpdatesCombined(u) => &u.updates,
        enums::Updates::UpdateShort(u) => std::slice::from_ref(&*u.update),
        _ => &[],
    };
    list.iter()
        .filter_map(|u| match u {
            enums::Update::UpdateNewMessage(u) => Some(&*u.message),
            enums::Update::UpdateNewChannelMessage(u) => Some(&*u.message),
            enums::Update::UpdateEditMessage(u) => Some(&*u.message),
            enums::Update::UpdateEditChannelMessage(u) => Some(&*u.message),
            _ => None,
        })
        .collect()
}

/// The ids `updateMessageID` gives each `random_id`.
fn ids_for(updates: &enums::Updates) -> Vec<(i64, i32)> {
    let list: &[enums::Update] = match updates {
        enums::Updates::Updates(u) => &u.updates,
        enums::Updates::UpdatesCombined(u) => &u.updates,
        _ => &[],
    };
    list.iter()
        .filter_map(|u| match u {
            enums::Update::UpdateMessageId(m) => Some((m.random_id, m.id)),
            _ => None,
        })
        .collect()
}

impl Messages {
    fn tl_entities(
        &self,
        entities: &[Entity],
    ) -> Result<Option<Vec<enums::MessageEntity>>, ClientError> {
        if entities.is_empty() {
            return Ok(None);
        }
        let peers = self.client.peers();
        let list: Result<Vec<_>, _> = entities.iter().map(|e| e.to_tl(&peers)).collect();
        Ok(Some(list?))
    }

    /// The message with `id` in `peer` among `updates`.
    fn pick(&self, updates: &enums::Updates, peer: PeerId, id: i32) -> Option<Message> {
        let peers = self.client.peers();
        messages_in(updates)
            .into_iter()
            .filter_map(|m| Message::from_tl(m, &peers))
            .find(|m| m.id == id && m.chat == peer)
    }

    /// Sends `msg` to `peer`; the sent message as the server numbered it.
    pub async fn send(&self, peer: PeerId, msg: OutgoingMessage) -> Result<Message, ClientError> {
        let random_id = self.ids.next();
        let answer = self
            .client
            .invoke(&functions::messages::SendMessage {
                no_webpage: msg.no_webpage,
                silent: msg.silent,
                background: false,
                clear_draft: false,
                noforwards: false,
                update_stickersets_order: false,
                invert_media: false,
                allow_paid_floodskip: false,
                peer: self.input_peer(peer)?,
                reply_to: msg.reply_to.map(reply_header),
                message: msg.text.clone(),
                random_id,
                reply_markup: None,
                entities: self.tl_entities(&msg.entities)?,
                schedule_date: None,
                schedule_repeat_period: None,
                send_as: None,
                quick_reply_shortcut: None,
                effect: None,
                allow_paid_stars: None,
                suggested_post: None,
                rich_message: None,
            })
            .await?;
        if let enums::Updates::UpdateShortSentMessage(s) = &answer {
            let peers = self.client.peers();
            return Ok(Message {
                id: s.id,
                chat: peer,
                sender: peers.self_id().map(PeerId::User),
                date: s.date,
                text: msg.text,
                entities: match &s.entities {
                    Some(e) => e.iter().map(Entity::from_tl).collect(),
                    None => msg.entities,
                },
                reply_to: msg.reply_to,
                edit_date: None,
                out: true,
                mentioned: false,
                forwarded: None,
                media: None,
                service: None,
            });
        }
        let id = ids_for(&answer)
            .into_iter()
            .find(|(r, _)| *r == random_id)
            .map(|(_, id)| id);
        id.and_then(|id| self.pick(&answer, peer, id))
            .ok_or_else(|| {
                self.protocol(format!(
                    "the answer to a sent message named no message in {peer}"
                ))
            })
    }

    /// Replaces the text (and entities) of message `id` in `peer`.
    pub async fn edit(
        &self,
        peer: PeerId,
        id: i32,
        msg: OutgoingMessage,
    ) -> Result<Message, ClientError> {
        let answer = self
            .client
            .invoke(&functions::messages::EditMessage {
                no_webpage: msg.no_webpage,
                invert_media: false,
                peer: self.input_peer(peer)?,
                id,
                message: Some(msg.text),
                media: None,
                reply_markup: None,
                entities: Some(self.tl_entities(&msg.entities)?.unwrap_or_default()),
                schedule_date: None,
                schedule_repeat_period: None,
                quick_reply_shortcut_id: None,
                rich_message: None,
            })
            .await?;
        self.pick(&answer, peer, id)
            .ok_or_else(|| self.protocol(format!("the answer to an edit named no message {id}")))
    }

    /// Deletes messages of `peer`: for the account only, or with `revoke`
    /// for everyone (in channels always for everyone).
    pub async fn delete(&self, peer: PeerId, ids: &[i32], revoke: bool) -> Result<(), ClientError> {
        match peer {
            PeerId::Channel(c) => {
                self.client
                    .invoke(&functions::channels::DeleteMessages {
                        channel: self.input_channel(c)?,
                        id: ids.to_vec(),
                    })
                    .await?;
            }
            _ => {
                self.client
                    .invoke(&functions::messages::DeleteMessages {
                        revoke,
                        id: ids.to_vec(),
                    })
                    .await?;
            }
        }
        Ok(())
    }

    /// Forwards messages `ids` of `from` to `to`; the new messages in order.
    pub async fn forward(
        &self,
        from: PeerId,
        ids: &[i32],
        to: PeerId,
    ) -> Result<Vec<Message>, ClientError> {
        let random_ids: Vec<i64> = ids.iter().map(|_| self.ids.next()).collect();
        let answer = self
            .client
            .invoke(&functions::messages::ForwardMessages {
                silent: false,
                background: false,
                with_my_score: false,
                drop_author: false,
                drop_media_captions: false,
                noforwards: false,
                allow_paid_floodskip: false,
                from_ephemeral: false,
                from_peer: self.input_peer(from)?,
                id: ids.to_vec(),
                random_id: random_ids.clone(),
                to_peer: self.input_peer(to)?,
                top_msg_id: None,
                reply_to: None,
                schedule_date: None,
                schedule_repeat_period: None,
                send_as: None,
                quick_reply_shortcut: None,
                effect: None,
                video_timestamp: None,
                allow_paid_stars: None,
                suggested_post: None,
            })
            .await?;
        let numbered = ids_for(&answer);
        random_ids
            .iter()
            .map(|r| {
                numbered
                    .iter()
                    .find(|(x, _)| x == r)
                    .and_then(|(_, id)| self.pick(&answer, to, *id))
                    .ok_or_else(|| {
                        self.protocol("a forwarded message is missing from the answer".into())
                    })
            })
            .collect()
    }

    /// Marks `peer`'s incoming messages up to `max_id` (0: all) read.
    pub async fn read(&self, peer: PeerId, max_id: i32) -> Result<(), ClientError> {
        match peer {
            PeerId::Channel(c) => {
                self.client
                    .invoke(&functions::channels::ReadHistory {
                        channel: self.input_channel(c)?,
                        max_id,
                    })
                    .await?;
            }
            _ => {
                self.client
                    .invoke(&functions::messages::ReadHistory {
                        peer: self.input_peer(peer)?,
                        max_id,
                    })
                    .await?;
            }
        }
        Ok(())
    }
}

fn reply_header(id: i32) -> enums::InputReplyTo {
    enums::InputReplyTo::InputReplyToMessage(types::InputReplyToMessage {
        reply_to_msg_id: id,
        top_msg_id: None,
        reply_to_peer_id: None,
        quote_text: None,
        quote_entities: None,
        quote_offset: None,
        monoforum_peer_id: None,
        todo_item_id: None,
        poll_option: None,
    })
}

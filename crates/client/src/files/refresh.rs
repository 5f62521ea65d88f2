//! Renewing an expired `file_reference` (core.telegram.org/api/file_reference):
//! the message the file came from is fetched again (`channels.getMessages`
//! in a channel, `messages.getMessages` elsewhere) and the same object's
//! fresh reference taken from it.

use hearth_tl::{enums, functions, types};

use super::error::FileError;
use super::location::{FileLocation, MessageRef};
use crate::client::Client;

impl Client {
    /// Message `src.id` of `src.peer` as the server has it now (`None` when
    /// it is gone).
    pub async fn refetch_message(
        &self,
        src: &MessageRef,
    ) -> Result<Option<types::Message>, FileError> {
        let id = vec![enums::InputMessage::InputMessageId(types::InputMessageId {
            id: src.id,
        })];
        let channel = match &src.peer {
            enums::InputPeer::InputPeerChannel(c) => {
                Some(enums::InputChannel::InputChannel(types::InputChannel {
                    channel_id: c.channel_id,
                    access_hash: c.access_hash,
                }))
            }
            enums::InputPeer::InputPeerChannelFromMessage(c) => Some(
                self.peers()
                    .input_channel(c.channel_id)
                    .map_err(crate::error::ClientError::from)?,
            ),
            _ => None,
        };
        let answer = match channel {
            Some(channel) => {
                self.invoke(&functions::channels::GetMessages { channel, id })
                    .await?
            }
            None => {
                self.invoke(&functions::messages::GetMessages { id })
                    .await?
            }
        };
        let messages = match answer {
            enums::messages::Messages::Messages(m) => m.messages,
            enums::messages::Messages::MessagesSlice(m) => m.messages,
            enums::messages::Messages::ChannelMessages(m) => m.messages,
            enums::messages::Messages::MessagesNotModified(_) => Vec::new(),
        };
        Ok(messages.into_iter().find_map(|m| match m {
            enums::Message::Message(m) if m.id == src.id => Some(m),
            _ => None,
        }))
    }

    /// Renews `loc`'s file reference from its message.
    pub(crate) async fn renew_reference(&self, loc: &mut FileLocation) -> Result<(), FileError> {
        let Some(src) = loc.source.clone() else {
            return Err(FileError::ReferenceExpired { message_id: 0 });
        };
        let gone = FileError::MediaGone { message_id: src.id };
        let message = self.refetch_message(&src).await?.ok_or(gone.clone())?;
        if loc.renew_from(&message) {
            tracing::debug!(message = src.id, "file reference renewed");
            Ok(())
        } else {
            Err(gone)
        }
    }
}

use crate::{
    deserialize_bare_vec, Cursor, Deserializable, DeserializeError, Identifiable, Serializable,
};

/// Inferred id of `message msg_id:long seqno:int bytes:int body:Object = Message`
/// (used only by the boxed `orig_message` of [`MsgCopy`]).
pub const MESSAGE_ID: u32 = 0x5bb8e511;
/// `msg_container#73f1f8dc`.
pub const MSG_CONTAINER_ID: u32 = 0x73f1f8dc;
/// `msg_copy#e06046b2`.
pub const MSG_COPY_ID: u32 = 0xe06046b2;

/// One bare `message` of a container: `msg_id:long seqno:int bytes:int body:Object`.
/// `body` keeps the raw object; `bytes` is its length, computed when writing.
///
/// [`Serializable`] / [`Deserializable`] use the bare form, the only one in
/// use (core.telegram.org/mtproto/service_messages, "Simple Container").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub msg_id: i64,
    pub seqno: i32,
    pub body: Vec<u8>,
}

impl Serializable for Message {
    fn serialize(&self, buf: &mut Vec<u8>) {
        self.msg_id.serialize(buf);
        self.seqno.serialize(buf);
        (self.body.len() as i32).serialize(buf);
        buf.extend_from_slice(&self.body);
    }
}

impl Deserializable for Message {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        let msg_id = i64::deserialize(buf)?;
        let seqno = i32::deserialize(buf)?;
        let declared = i32::deserialize(buf)?;
        let available = buf.remaining();
        let len = usize::try_from(declared)
            .ok()
            .filter(|len| *len <= available && len % 4 == 0)
            .ok_or(DeserializeError::BadMessageLength {
                declared,
                available,
            })?;
        let body = buf.read_slice(len)?.to_vec();
        Ok(Message {
            msg_id,
            seqno,
            body,
        })
    }
}

/// `msg_container#73f1f8dc messages:vector<%Message> = MessageContainer`:
/// a bare vector of bare [`Message`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgContainer {
    pub messages: Vec<Message>,
}

impl Identifiable for MsgContainer {
    const CONSTRUCTOR_ID: u32 = MSG_CONTAINER_ID;
}

impl Serializable for MsgContainer {
    fn serialize(&self, buf: &mut Vec<u8>) {
        MSG_CONTAINER_ID.serialize(buf);
        crate::serialize_bare_vec(&self.messages, buf);
    }
}

impl Deserializable for MsgContainer {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(MSG_CONTAINER_ID, "MessageContainer")?;
        Ok(MsgContainer {
            messages: deserialize_bare_vec(buf)?,
        })
    }
}

/// `msg_copy#e06046b2 orig_message:Message = MessageCopy`. Servers do not send
/// it; it is here for completeness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgCopy {
    pub orig_message: Message,
}

impl Identifiable for MsgCopy {
    const CONSTRUCTOR_ID: u32 = MSG_COPY_ID;
}

impl Serializable for MsgCopy {
    fn serialize(&self, buf: &mut Vec<u8>) {
        MSG_COPY_ID.serialize(buf);
        MESSAGE_ID.serialize(buf);
        self.orig_message.serialize(buf);
    }
}

impl Deserializable for MsgCopy {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(MSG_COPY_ID, "MessageCopy")?;
        buf.expect_id(MESSAGE_ID, "Message")?;
        Ok(MsgCopy {
            orig_message: Message::deserialize(buf)?,
        })
    }
}

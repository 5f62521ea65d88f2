//! The `// special` declarations of mtproto.tl, whose wire form the generic
//! rules cannot express (see schema/SOURCE.md and
//! core.telegram.org/mtproto/service_messages):
//! - [`RpcResult`]: `result:Object` depends on the request; kept raw;
//! - [`Message`] and [`MsgContainer`]: a bare vector of bare messages whose
//!   bodies are kept raw;
//! - [`GzipPacked`]: may stand in for any object;
//! - [`FutureSalt`] / [`FutureSalts`]: a bare vector of bare salts;
//! - [`MsgCopy`].
//!
//! Reading an answer: decode the message body as [`RpcResult`], match the
//! request by `req_msg_id`, pass `result` through [`unpack_object`], then
//! check for `rpc_error` (`crate::mtproto::types::RpcError::CONSTRUCTOR_ID`)
//! before decoding the request's `RemoteCall::Return` with `from_bytes`.

mod container;
mod gzip;
mod salts;

pub use container::{Message, MsgContainer, MsgCopy, MESSAGE_ID, MSG_CONTAINER_ID, MSG_COPY_ID};
pub use gzip::{unpack_object, GzipPacked, GZIP_PACKED_ID, MAX_UNPACKED_SIZE};
pub use salts::{FutureSalt, FutureSalts};

use crate::{Cursor, Deserializable, DeserializeError, Identifiable, Serializable};

/// `rpc_result#f35c6d01 req_msg_id:long result:Object = RpcResult`.
///
/// `result` holds the raw bytes of the answer (the rest of the message body):
/// an `rpc_error`, a `gzip_packed` (see [`unpack_object`]) or the request's
/// `Return` type, decoded by the caller who knows which request
/// `req_msg_id` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcResult {
    pub req_msg_id: i64,
    pub result: Vec<u8>,
}

impl Identifiable for RpcResult {
    const CONSTRUCTOR_ID: u32 = 0xf35c6d01;
}

impl Serializable for RpcResult {
    fn serialize(&self, buf: &mut Vec<u8>) {
        Self::CONSTRUCTOR_ID.serialize(buf);
        self.req_msg_id.serialize(buf);
        buf.extend_from_slice(&self.result);
    }
}

impl Deserializable for RpcResult {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(Self::CONSTRUCTOR_ID, "RpcResult")?;
        let req_msg_id = i64::deserialize(buf)?;
        Ok(RpcResult {
            req_msg_id,
            result: buf.read_rest().to_vec(),
        })
    }
}

#[cfg(test)]
mod tests;

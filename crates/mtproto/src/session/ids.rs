//! Constructor ids of the service messages the session handles itself
//! (core.telegram.org/mtproto/service_messages), taken from the generated
//! `hearth_tl::mtproto` types so they cannot drift from schema/mtproto.tl.

use hearth_tl::mtproto::{functions as f, special as sp, types as t};
use hearth_tl::Identifiable;

pub const RPC_RESULT: u32 = sp::RpcResult::CONSTRUCTOR_ID;
pub const RPC_ERROR: u32 = t::RpcError::CONSTRUCTOR_ID;
pub const MSG_CONTAINER: u32 = sp::MSG_CONTAINER_ID;
pub const GZIP_PACKED: u32 = sp::GZIP_PACKED_ID;
pub const MSGS_ACK: u32 = t::MsgsAck::CONSTRUCTOR_ID;
pub const BAD_MSG_NOTIFICATION: u32 = t::BadMsgNotification::CONSTRUCTOR_ID;
pub const BAD_SERVER_SALT: u32 = t::BadServerSalt::CONSTRUCTOR_ID;
pub const MSGS_STATE_REQ: u32 = t::MsgsStateReq::CONSTRUCTOR_ID;
pub const MSGS_STATE_INFO: u32 = t::MsgsStateInfo::CONSTRUCTOR_ID;
pub const MSGS_ALL_INFO: u32 = t::MsgsAllInfo::CONSTRUCTOR_ID;
pub const MSG_DETAILED_INFO: u32 = t::MsgDetailedInfo::CONSTRUCTOR_ID;
pub const MSG_NEW_DETAILED_INFO: u32 = t::MsgNewDetailedInfo::CONSTRUCTOR_ID;
pub const MSG_RESEND_REQ: u32 = t::MsgResendReq::CONSTRUCTOR_ID;
pub const MSG_RESEND_ANS_REQ: u32 = t::MsgResendAnsReq::CONSTRUCTOR_ID;
pub const FUTURE_SALTS: u32 = sp::FutureSalts::CONSTRUCTOR_ID;
pub const PONG: u32 = t::Pong::CONSTRUCTOR_ID;
pub const NEW_SESSION_CREATED: u32 = t::NewSessionCreated::CONSTRUCTOR_ID;
pub const DESTROY_SESSION_OK: u32 = t::DestroySessionOk::CONSTRUCTOR_ID;
pub const DESTROY_SESSION_NONE: u32 = t::DestroySessionNone::CONSTRUCTOR_ID;
pub const MSG_COPY: u32 = sp::MSG_COPY_ID;
pub const PING: u32 = f::Ping::CONSTRUCTOR_ID;
pub const PING_DELAY_DISCONNECT: u32 = f::PingDelayDisconnect::CONSTRUCTOR_ID;
pub const GET_FUTURE_SALTS: u32 = f::GetFutureSalts::CONSTRUCTOR_ID;
pub const DESTROY_SESSION: u32 = f::DestroySession::CONSTRUCTOR_ID;
#[cfg(test)]
pub const INVOKE_WITH_LAYER: u32 =
    <hearth_tl::functions::InvokeWithLayer<hearth_tl::RawQuery> as Identifiable>::CONSTRUCTOR_ID;
#[cfg(test)]
pub const INIT_CONNECTION: u32 =
    <hearth_tl::functions::InitConnection<hearth_tl::RawQuery> as Identifiable>::CONSTRUCTOR_ID;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_schema_text() {
        // Spot-check against the literal ids in schema/mtproto.tl and api.tl.
        assert_eq!(RPC_RESULT, 0xf35c6d01);
        assert_eq!(BAD_SERVER_SALT, 0xedab447b);
        assert_eq!(FUTURE_SALTS, 0xae500895);
        assert_eq!(MSGS_ACK, 0x62d6b459);
        assert_eq!(INVOKE_WITH_LAYER, 0xda9b0d0d);
        assert_eq!(INIT_CONNECTION, 0xc1cd5ea9);
    }
}

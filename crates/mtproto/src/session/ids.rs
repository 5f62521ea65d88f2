//! Constructor ids of the service messages the session handles itself
//! (schema/mtproto.tl, core.telegram.org/mtproto/service_messages).

pub const RPC_RESULT: u32 = 0xf35c6d01;
pub const RPC_ERROR: u32 = 0x2144ca19;
pub const MSG_CONTAINER: u32 = 0x73f1f8dc;
pub const GZIP_PACKED: u32 = 0x3072cfa1;
pub const MSGS_ACK: u32 = 0x62d6b459;
pub const BAD_MSG_NOTIFICATION: u32 = 0xa7eff811;
pub const BAD_SERVER_SALT: u32 = 0xedab447b;
pub const MSGS_STATE_REQ: u32 = 0xda69fb52;
pub const MSGS_STATE_INFO: u32 = 0x04deb57d;
pub const MSGS_ALL_INFO: u32 = 0x8cc0d131;
pub const MSG_DETAILED_INFO: u32 = 0x276d3ec6;
pub const MSG_NEW_DETAILED_INFO: u32 = 0x809db6df;
pub const MSG_RESEND_REQ: u32 = 0x7d861a08;
pub const MSG_RESEND_ANS_REQ: u32 = 0x8610baeb;
pub const FUTURE_SALTS: u32 = 0xae500895;
pub const PONG: u32 = 0x347773c5;
pub const NEW_SESSION_CREATED: u32 = 0x9ec20908;
pub const DESTROY_SESSION_OK: u32 = 0xe22045fc;
pub const DESTROY_SESSION_NONE: u32 = 0x62d350c9;
pub const MSG_COPY: u32 = 0xe06046b2;
pub const PING: u32 = 0x7abe77ec;
pub const PING_DELAY_DISCONNECT: u32 = 0xf3427b8c;
pub const GET_FUTURE_SALTS: u32 = 0xb921bd04;
pub const DESTROY_SESSION: u32 = 0xe7512126;
pub const INVOKE_WITH_LAYER: u32 = 0xda9b0d0d;
pub const INIT_CONNECTION: u32 = 0xc1cd5ea9;

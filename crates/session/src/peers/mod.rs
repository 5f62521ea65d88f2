//! The peer cache: every user, group and channel the account has met, with the access hash
//! needed to address it (core.telegram.org/api/peers, core.telegram.org/api/min).

mod id;
mod info;

pub use id::PeerId;
pub use info::{PeerInfo, PeerKind};

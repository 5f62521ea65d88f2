//! The peers the account has met, as the app sees them: look-ups in the
//! cache and the `Input*` values requests need. A peer not in the cache is
//! a [`PeerNotMet`] that says how to meet it; [`Client::resolve_username`]
//! meets one by its @username.

use std::sync::Arc;

use hearth_session::{PeerId, PeerInfo, PeerNotMet};
use hearth_tl::{enums, functions};

use crate::client::{Client, Inner};
use crate::error::ClientError;

/// A view of a client's peer cache. Cheap to clone; every call reads the
/// cache as it is then.
#[derive(Clone)]
pub struct Peers {
    inner: Arc<Inner>,
}

impl Peers {
    pub fn get(&self, id: PeerId) -> Option<PeerInfo> {
        self.inner.peers().get(id).cloned()
    }

    /// By username (case-insensitive, '@' optional).
    pub fn by_username(&self, name: &str) -> Option<PeerInfo> {
        self.inner.peers().by_username(name).cloned()
    }

    /// By phone number (digits compared).
    pub fn by_phone(&self, phone: &str) -> Option<PeerInfo> {
        self.inner.peers().by_phone(phone).cloned()
    }

    /// The signed-in user's id.
    pub fn self_id(&self) -> Option<i64> {
        self.inner.peers().self_id()
    }

    pub fn input_peer(&self, id: PeerId) -> Result<enums::InputPeer, PeerNotMet> {
        self.inner.peers().input_peer(id)
    }

    pub fn input_user(&self, id: i64) -> Result<enums::InputUser, PeerNotMet> {
        self.inner.peers().input_user(id)
    }

    pub fn input_channel(&self, id: i64) -> Result<enums::InputChannel, PeerNotMet> {
        self.inner.peers().input_channel(id)
    }

    /// How many peers are cached.
    pub fn len(&self) -> usize {
        self.inner.peers().len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.peers().is_empty()
    }
}

impl Client {
    /// The account's peer cache.
    pub fn peers(&self) -> Peers {
        Peers {
            inner: self.inner.clone(),
        }
    }

    /// The peer with this @username: from the cache, else asked of
    /// Telegram (`contacts.resolveUsername`), which also meets it.
    pub async fn resolve_username(&self, name: &str) -> Result<PeerInfo, ClientError> {
        if let Some(p) = self.peers().by_username(name) {
            if p.access_hash.is_some() && !p.min
                || !matches!(p.id, PeerId::User(_) | PeerId::Channel(_))
            {
                return Ok(p);
            }
        }
        let username = name.trim().trim_start_matches('@').to_owned();
        let enums::contacts::ResolvedPeer::ResolvedPeer(r) = self
            .invoke(&functions::contacts::ResolveUsername {
                username,
                referer: None,
            })
            .await?;
        let id = PeerId::from_peer(&r.peer);
        self.peers().get(id).ok_or_else(|| ClientError::Protocol {
            dc: self.home_dc(),
            detail: format!("contacts.resolveUsername named {id} without describing it"),
        })
    }
}

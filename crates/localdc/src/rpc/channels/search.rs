//! `messages.search` in a channel or supergroup and the channel part of
//! `messages.searchGlobal` (core.telegram.org/method/messages.search,
//! /method/messages.searchGlobal), with the filters of the box search
//! ([`crate::rpc::search`]): text (case-insensitive substring), `from_id`,
//! documents or photos, dates, and paging.
//!
//! A channel search answers `messages.channelMessages` with the channel's
//! `pts` and the total `count`. The global search merges the caller's box
//! with the channels it is a member of, newest first; equal dates are
//! ordered by peer and id, so `offset_rate`/`offset_peer`/`offset_id` of the
//! last result (its `next_rate`) continue after it.

use hearth_tl::{enums, functions as f, types};

use crate::channels::{Channel, ChannelMessage};
use crate::mailbox::{Peer, StoredMessage};
use crate::rpc::ctx::{RpcCtx, RpcError};
use crate::rpc::tl::{
    channel_messages_answer, check, entities_of, filter_flags, limit_of, message_users,
    messages_page, met_users, resolve_peer, tl_channel, tl_channel_message, tl_message_with, with,
    MediaKind, Need,
};

/// What a channel search keeps.
pub struct ChannelQuery {
    pub text: String,
    pub from: Option<i64>,
    pub media: Option<MediaKind>,
    pub nothing: bool,
    pub min_date: i32,
    pub max_date: i32,
}

impl ChannelQuery {
    /// Everything but the media kind, which needs [`crate::files`].
    fn matches(&self, m: &ChannelMessage) -> bool {
        !self.nothing
            && self.from.is_none_or(|f| f == m.from)
            && (self.media.is_none() || m.document.is_some())
            && (self.min_date <= 0 || m.date >= self.min_date)
            && (self.max_date <= 0 || m.date <= self.max_date)
            && (self.text.is_empty()
                || (m.action.is_none() && m.text.to_lowercase().contains(&self.text)))
    }
}

/// The matches in `ch`, newest first.
fn matches_in(ctx: &RpcCtx<'_>, ch: &Channel, q: &ChannelQuery) -> Vec<ChannelMessage> {
    let mut found: Vec<ChannelMessage> = ch
        .messages
        .values()
        .rev()
        .filter(|m| q.matches(m))
        .cloned()
        .collect();
    if let Some(kind) = q.media {
        let files = ctx.state.files();
        found.retain(|m| {
            let is_document = m.document.is_some_and(|id| files.document(id).is_some());
            is_document == (kind == MediaKind::Document)
        });
    }
    found
}

/// `messages.search` with an `inputPeerChannel`.
pub fn search_channel(
    ctx: &mut RpcCtx<'_>,
    peer: &types::InputPeerChannel,
    req: f::messages::Search,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = peer.channel_id;
    check(ctx, me, id, peer.access_hash, Need::Read)?;
    let from = match &req.from_id {
        Some(p) => Some(resolve_peer(ctx, me, p)?),
        None => None,
    };
    let (media, nothing) = filter_flags(&req.filter);
    let q = ChannelQuery {
        text: req.q.trim().to_lowercase(),
        from,
        media,
        nothing,
        min_date: req.min_date,
        max_date: req.max_date,
    };
    let below = match (req.offset_id, req.max_id) {
        (o, m) if o > 0 && m > 0 => o.min(m),
        (o, m) => o.max(m),
    };
    let limit = limit_of(req.limit);
    let (messages, senders, chat, pts, count) = with(ctx, id, |ch| {
        let all: Vec<ChannelMessage> = matches_in(ctx, ch, &q)
            .into_iter()
            .filter(|m| m.id > req.min_id)
            .collect();
        let count = all.len() as i32;
        let page: Vec<ChannelMessage> = all
            .into_iter()
            .filter(|m| below <= 0 || m.id < below)
            .skip(req.add_offset.max(0) as usize)
            .take(limit)
            .collect();
        (
            page.iter()
                .map(|m| tl_channel_message(ctx, ch, m, me))
                .collect::<Vec<_>>(),
            message_users(&page),
            tl_channel(ch, me),
            ch.pts,
            count,
        )
    })?;
    Ok(channel_messages_answer(
        ctx, me, messages, senders, chat, pts, count,
    ))
}

/// One result of a global search.
enum Found {
    Box(StoredMessage),
    Channel(i64, ChannelMessage),
}

impl Found {
    /// The position in the results (compared newest first): date, then
    /// peer kind and id, then message id.
    fn key(&self) -> (i32, u8, i64, i32) {
        match self {
            Found::Box(m) => match m.peer {
                Peer::User(u) => (m.date, 0, u, m.id),
                Peer::Chat(c) => (m.date, 1, c, m.id),
            },
            Found::Channel(c, m) => (m.date, 2, *c, m.id),
        }
    }
}

/// The position `offset_peer` stands for in [`Found::key`].
fn peer_key(peer: &enums::InputPeer, me: i64) -> (u8, i64) {
    match peer {
        enums::InputPeer::InputPeerSelf => (0, me),
        enums::InputPeer::InputPeerUser(u) => (0, u.user_id),
        enums::InputPeer::InputPeerChat(c) => (1, c.chat_id),
        enums::InputPeer::InputPeerChannel(c) => (2, c.channel_id),
        _ => (0, 0),
    }
}

/// Which channels a global search covers.
pub fn channel_kinds(req: &f::messages::SearchGlobal) -> Option<fn(&Channel) -> bool> {
    if req.users_only {
        None
    } else if req.broadcasts_only {
        Some(Channel::broadcast)
    } else if req.groups_only {
        Some(|c| c.megagroup)
    } else {
        Some(|_| true)
    }
}

/// `messages.searchGlobal`: `boxed` (every match of the caller's box)
/// merged with the matches in the member channels `kinds` keeps, paged.
pub fn search_global(
    ctx: &RpcCtx<'_>,
    me: i64,
    req: &f::messages::SearchGlobal,
    boxed: Vec<StoredMessage>,
    q: &ChannelQuery,
    limit: usize,
) -> Vec<u8> {
    let mut all: Vec<Found> = boxed.into_iter().map(Found::Box).collect();
    if let Some(kind) = channel_kinds(req) {
        let channels = ctx.state.channels();
        for ch in channels.of_member(me).filter(|c| kind(c)) {
            let id = ch.id;
            all.extend(
                matches_in(ctx, ch, q)
                    .into_iter()
                    .map(|m| Found::Channel(id, m)),
            );
        }
    }
    all.sort_by_key(|f| std::cmp::Reverse(f.key()));
    // `count` is every match, whichever page this is (as Telegram counts).
    let count = all.len();
    if req.offset_rate > 0 {
        let (kind, peer) = peer_key(&req.offset_peer, me);
        let after = (req.offset_rate, kind, peer, req.offset_id);
        all.retain(|f| f.key() < after);
    } else if req.offset_id > 0 {
        all.retain(|f| f.key().3 < req.offset_id);
    }
    let more = all.len() > limit;
    all.truncate(limit);
    answer(ctx, me, all, count, more)
}

/// `messages.messages`, or `messages.messagesSlice` when this page is not all
/// the matches; `next_rate` only when more follow it.
fn answer(ctx: &RpcCtx<'_>, me: i64, page: Vec<Found>, count: usize, more: bool) -> Vec<u8> {
    let next_rate = page.last().filter(|_| more).map(|f| f.key().0);
    let boxed: Vec<StoredMessage> = page
        .iter()
        .filter_map(|f| match f {
            Found::Box(m) => Some(m.clone()),
            Found::Channel(..) => None,
        })
        .collect();
    let (mut users, mut chats) = entities_of(ctx, me, &boxed);
    let mut messages = Vec::with_capacity(page.len());
    let mut senders = Vec::new();
    let mut seen_channels = Vec::new();
    for f in &page {
        match f {
            Found::Box(m) => messages.push(tl_message_with(ctx, m)),
            Found::Channel(id, m) => {
                let Ok((msg, chat)) = with(ctx, *id, |ch| {
                    (tl_channel_message(ctx, ch, m, me), tl_channel(ch, me))
                }) else {
                    continue;
                };
                messages.push(msg);
                senders.extend(message_users([m]));
                if !seen_channels.contains(id) {
                    seen_channels.push(*id);
                    chats.push(chat);
                }
            }
        }
    }
    let known: Vec<i64> = users.iter().filter_map(user_id).collect();
    senders.retain(|s| !known.contains(s));
    senders.sort_unstable();
    senders.dedup();
    users.extend(met_users(ctx, me, senders));
    messages_page(messages, chats, users, count, next_rate)
}

fn user_id(u: &enums::User) -> Option<i64> {
    match u {
        enums::User::User(u) => Some(u.id),
        enums::User::UserEmpty(u) => Some(u.id),
    }
}

//! `messages.search` and `messages.searchGlobal` over the caller's own box
//! (channels: [`super::channels::search`])
//! (core.telegram.org/method/messages.search): case-insensitive substring
//! match of the text, newest first, `offset_id`/`add_offset`/`limit`,
//! `min_date`/`max_date`, `max_id`/`min_id` and `from_id`. Filters: none,
//! documents or photos; a filter for a kind of media localdc does not store
//! finds nothing. More matches than returned make a `messages.messagesSlice` with
//! the total `count` (and `next_rate` for the global search).

use hearth_tl::{enums, functions, Deserializable, Identifiable};

use super::ctx::{RpcCtx, RpcError};
use crate::mailbox::{Peer, StoredMessage};
use crate::rpc::tl::{
    entities_of, filter_flags, limit_of, messages_page, resolve_input_peer, resolve_peer,
    tl_message_with, MediaKind,
};

pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use functions::messages as m;
    match id {
        m::Search::CONSTRUCTOR_ID => Some(
            m::Search::from_bytes(body)
                .map_err(Into::into)
                .and_then(|r| search(ctx, r)),
        ),
        m::SearchGlobal::CONSTRUCTOR_ID => Some(
            m::SearchGlobal::from_bytes(body)
                .map_err(Into::into)
                .and_then(|r| search_global(ctx, r)),
        ),
        _ => None,
    }
}

/// What a search keeps.
struct Query {
    peer: Option<Peer>,
    from: Option<i64>,
    text: String,
    media: Option<MediaKind>,
    nothing: bool,
    min_date: i32,
    max_date: i32,
    /// Only chats (`groups_only`) or only private chats (`users_only`).
    kind: Option<fn(Peer) -> bool>,
}

impl Query {
    /// Everything but the media filter, which needs [`crate::files`].
    fn matches(&self, m: &StoredMessage) -> bool {
        !self.nothing
            && self.peer.is_none_or(|p| p == m.peer)
            && self.from.is_none_or(|f| f == m.from)
            && self.kind.is_none_or(|k| k(m.peer))
            && (self.media.is_none() || m.document.is_some())
            && (self.min_date <= 0 || m.date >= self.min_date)
            && (self.max_date <= 0 || m.date <= self.max_date)
            && (self.text.is_empty()
                || (m.action.is_none() && m.text.to_lowercase().contains(&self.text)))
    }
}

/// Matches below `offset_id`/`max_id` and above `min_id`, newest first:
/// (the page after skipping `add_offset`, total count).
fn run(
    ctx: &RpcCtx<'_>,
    me: i64,
    q: &Query,
    below: i32,
    min_id: i32,
    skip: usize,
    limit: usize,
) -> (Vec<StoredMessage>, usize) {
    let mut all: Vec<StoredMessage> = {
        let boxes = ctx.state.mailboxes();
        let Some(b) = boxes.get(me) else {
            return (Vec::new(), 0);
        };
        b.messages
            .iter()
            .rev()
            .filter(|m| q.matches(m) && m.id > min_id)
            .cloned()
            .collect()
    };
    if let Some(kind) = q.media {
        // The box lock is released before the files lock is taken.
        let files = ctx.state.files();
        all.retain(|m| {
            let is_document = m.document.is_some_and(|id| files.document(id).is_some());
            is_document == (kind == MediaKind::Document)
        });
    }
    let count = all.len();
    let page = all
        .into_iter()
        .filter(|m| below <= 0 || m.id < below)
        .skip(skip)
        .take(limit)
        .collect();
    (page, count)
}

fn answer(
    ctx: &RpcCtx<'_>,
    me: i64,
    page: Vec<StoredMessage>,
    count: usize,
    next_rate: bool,
) -> Vec<u8> {
    let (users, chats) = entities_of(ctx, me, &page);
    let messages: Vec<enums::Message> = page.iter().map(|m| tl_message_with(ctx, m)).collect();
    let next_rate = if next_rate {
        page.last().map(|m| m.date)
    } else {
        None
    };
    messages_page(messages, chats, users, count, next_rate)
}

/// `messages.search` within one dialog, or the whole box for `inputPeerEmpty`.
pub fn search(ctx: &mut RpcCtx<'_>, req: functions::messages::Search) -> Result<Vec<u8>, RpcError> {
    if let enums::InputPeer::InputPeerChannel(p) = &req.peer {
        let p = p.clone();
        return super::channels::search::search_channel(ctx, &p, req);
    }
    let me = ctx.require_user()?;
    let peer = match &req.peer {
        enums::InputPeer::InputPeerEmpty => None,
        other => Some(resolve_input_peer(ctx, me, other)?),
    };
    let from = match &req.from_id {
        Some(p) => Some(resolve_peer(ctx, me, p)?),
        None => None,
    };
    let (media, nothing) = filter_flags(&req.filter);
    let q = Query {
        peer,
        from,
        text: req.q.trim().to_lowercase(),
        media,
        nothing,
        min_date: req.min_date,
        max_date: req.max_date,
        kind: None,
    };
    let below = match (req.offset_id, req.max_id) {
        (o, m) if o > 0 && m > 0 => o.min(m),
        (o, m) => o.max(m),
    };
    let skip = req.add_offset.max(0) as usize;
    let (page, count) = run(ctx, me, &q, below, req.min_id, skip, limit_of(req.limit));
    Ok(answer(ctx, me, page, count, false))
}

/// `messages.searchGlobal` across the caller's private chats, basic groups
/// and the channels it is a member of ([`super::channels::search`]):
/// `users_only` keeps private chats, `groups_only` basic groups and
/// supergroups, `broadcasts_only` broadcast channels.
pub fn search_global(
    ctx: &mut RpcCtx<'_>,
    req: functions::messages::SearchGlobal,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let (media, nothing) = filter_flags(&req.filter);
    let kind: Option<fn(Peer) -> bool> = if req.groups_only {
        Some(|p| matches!(p, Peer::Chat(_)))
    } else if req.users_only {
        Some(|p| matches!(p, Peer::User(_)))
    } else {
        None
    };
    let q = Query {
        peer: None,
        from: None,
        text: req.q.trim().to_lowercase(),
        media,
        nothing: nothing || req.broadcasts_only,
        min_date: req.min_date,
        max_date: req.max_date,
        kind,
    };
    let (all, _) = run(ctx, me, &q, 0, 0, 0, usize::MAX);
    let in_channels = super::channels::search::ChannelQuery {
        text: q.text,
        from: None,
        media,
        nothing,
        min_date: req.min_date,
        max_date: req.max_date,
    };
    let limit = limit_of(req.limit);
    Ok(super::channels::search::search_global(
        ctx,
        me,
        &req,
        all,
        &in_channels,
        limit,
    ))
}

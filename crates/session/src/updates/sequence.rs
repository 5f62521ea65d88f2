//! Which sequence an update belongs to, and the full forms of the `updateShort*` constructors
//! (core.telegram.org/api/updates#update-sequences).
//!
//! * Account `pts`: message box events of private chats and basic groups (`pts`, `pts_count`).
//! * `qts`: secret chats and bot events (one per update, so `pts_count` is 1).
//! * Channel `pts`: per channel or supergroup (`updateReadChannelInbox` carries a pts without a
//!   count: it moves nothing, its count is 0).
//!
//! Everything else is outside every sequence and is delivered as it comes. A `pts`/`qts` of 0
//! (seen in practice on some bot updates) also means "outside the sequence".

use hearth_tl::{enums, types};

/// A sequence an update can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entry {
    /// The account's common `pts`.
    Account,
    /// The account's `qts` (secret chats, bot events).
    Secret,
    /// A channel's own `pts`.
    Channel(i64),
}

/// How the message box must treat an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Position {
    /// Outside every sequence.
    Free,
    /// In `entry`, moving it from `pts - count` to `pts`.
    In { entry: Entry, pts: i32, count: i32 },
    /// `updateChannelTooLong`: the channel's difference must be fetched.
    ChannelTooLong { channel_id: i64, pts: Option<i32> },
}

/// The channel a message lives in, if it is a channel message.
pub(crate) fn message_channel(message: &enums::Message) -> Option<i64> {
    let peer = match message {
        enums::Message::Message(m) => Some(&m.peer_id),
        enums::Message::MessageService(m) => Some(&m.peer_id),
        enums::Message::MessageEmpty(m) => m.peer_id.as_ref(),
    };
    match peer {
        Some(enums::Peer::PeerChannel(c)) => Some(c.channel_id),
        _ => None,
    }
}

fn pts_of(entry: Entry, pts: i32, count: i32) -> Position {
    if pts == 0 {
        Position::Free
    } else {
        Position::In { entry, pts, count }
    }
}

fn qts_of(qts: i32) -> Position {
    pts_of(Entry::Secret, qts, 1)
}

fn channel_message(message: &enums::Message, pts: i32, count: i32) -> Position {
    match message_channel(message) {
        Some(id) => pts_of(Entry::Channel(id), pts, count),
        None => Position::Free,
    }
}

/// The sequence position of `update`.
pub(crate) fn position(update: &enums::Update) -> Position {
    use enums::Update as U;
    match update {
        U::UpdateNewMessage(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateDeleteMessages(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateReadHistoryInbox(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateReadHistoryOutbox(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateWebPage(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateReadMessagesContents(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateEditMessage(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdateFolderPeers(u) => pts_of(Entry::Account, u.pts, u.pts_count),
        U::UpdatePinnedMessages(u) => pts_of(Entry::Account, u.pts, u.pts_count),

        U::UpdateNewChannelMessage(u) => channel_message(&u.message, u.pts, u.pts_count),
        U::UpdateEditChannelMessage(u) => channel_message(&u.message, u.pts, u.pts_count),
        U::UpdateDeleteChannelMessages(u) => {
            pts_of(Entry::Channel(u.channel_id), u.pts, u.pts_count)
        }
        U::UpdateChannelWebPage(u) => pts_of(Entry::Channel(u.channel_id), u.pts, u.pts_count),
        U::UpdatePinnedChannelMessages(u) => {
            pts_of(Entry::Channel(u.channel_id), u.pts, u.pts_count)
        }
        U::UpdateReadChannelInbox(u) => pts_of(Entry::Channel(u.channel_id), u.pts, 0),
        U::UpdateChannelTooLong(u) => Position::ChannelTooLong {
            channel_id: u.channel_id,
            pts: u.pts,
        },

        U::UpdateNewEncryptedMessage(u) => qts_of(u.qts),
        U::UpdateMessagePollVote(u) => qts_of(u.qts),
        U::UpdateChatParticipant(u) => qts_of(u.qts),
        U::UpdateChannelParticipant(u) => qts_of(u.qts),
        U::UpdateBotStopped(u) => qts_of(u.qts),
        U::UpdateBotChatInviteRequester(u) => qts_of(u.qts),
        U::UpdateBotChatBoost(u) => qts_of(u.qts),
        U::UpdateBotMessageReaction(u) => qts_of(u.qts),
        U::UpdateBotMessageReactions(u) => qts_of(u.qts),
        U::UpdateBotBusinessConnect(u) => qts_of(u.qts),
        U::UpdateBotNewBusinessMessage(u) => qts_of(u.qts),
        U::UpdateBotEditBusinessMessage(u) => qts_of(u.qts),
        U::UpdateBotDeleteBusinessMessage(u) => qts_of(u.qts),
        U::UpdateBotPurchasedPaidMedia(u) => qts_of(u.qts),
        U::UpdateManagedBot(u) => qts_of(u.qts),
        U::UpdateBotGuestChatQuery(u) => qts_of(u.qts),
        U::UpdateBotStarsSubscription(u) => qts_of(u.qts),
        _ => Position::Free,
    }
}

/// A message with every optional field empty.
fn bare_message(id: i32, peer_id: enums::Peer, date: i32, text: String) -> types::Message {
    types::Message {
        out: false,
        mentioned: false,
        media_unread: false,
        silent: false,
        post: false,
        from_scheduled: false,
        legacy: false,
        edit_hide: false,
        pinned: false,
        noforwards: false,
        invert_media: false,
        offline: false,
        video_processing_pending: false,
        paid_suggested_post_stars: false,
        paid_suggested_post_ton: false,
        id,
        from_id: None,
        from_boosts_applied: None,
        from_rank: None,
        peer_id,
        saved_peer_id: None,
        fwd_from: None,
        via_bot_id: None,
        via_business_bot_id: None,
        guestchat_via_from: None,
        reply_to: None,
        date,
        message: text,
        media: None,
        reply_markup: None,
        entities: None,
        views: None,
        forwards: None,
        replies: None,
        edit_date: None,
        post_author: None,
        grouped_id: None,
        reactions: None,
        restriction_reason: None,
        ttl_period: None,
        quick_reply_shortcut_id: None,
        effect: None,
        factcheck: None,
        report_delivery_until_date: None,
        paid_message_stars: None,
        suggested_post: None,
        schedule_repeat_period: None,
        summary_from_language: None,
        rich_message: None,
    }
}

fn user_peer(user_id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id })
}

/// `updateShortMessage` as the `updateNewMessage` it abbreviates: a private message with
/// `user_id`. An outgoing one has no `from_id` (the sender is the account itself).
pub(crate) fn short_message(m: types::UpdateShortMessage) -> enums::Update {
    let mut message = bare_message(m.id, user_peer(m.user_id), m.date, m.message);
    message.out = m.out;
    message.mentioned = m.mentioned;
    message.media_unread = m.media_unread;
    message.silent = m.silent;
    message.from_id = (!m.out).then(|| user_peer(m.user_id));
    message.fwd_from = m.fwd_from;
    message.via_bot_id = m.via_bot_id;
    message.reply_to = m.reply_to;
    message.entities = m.entities;
    message.ttl_period = m.ttl_period;
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(enums::Message::Message(message)),
        pts: m.pts,
        pts_count: m.pts_count,
    })
}

/// `updateShortChatMessage` as the `updateNewMessage` it abbreviates: `from_id` wrote in the
/// basic group `chat_id`.
pub(crate) fn short_chat_message(m: types::UpdateShortChatMessage) -> enums::Update {
    let chat = enums::Peer::PeerChat(types::PeerChat { chat_id: m.chat_id });
    let mut message = bare_message(m.id, chat, m.date, m.message);
    message.out = m.out;
    message.mentioned = m.mentioned;
    message.media_unread = m.media_unread;
    message.silent = m.silent;
    message.from_id = Some(user_peer(m.from_id));
    message.fwd_from = m.fwd_from;
    message.via_bot_id = m.via_bot_id;
    message.reply_to = m.reply_to;
    message.entities = m.entities;
    message.ttl_period = m.ttl_period;
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(enums::Message::Message(message)),
        pts: m.pts,
        pts_count: m.pts_count,
    })
}

/// `updateShortSentMessage` (the answer to a sent message) as an `updateNewMessage`. The answer
/// names neither the chat nor the text; with the request's `peer` and `text` the message is
/// whole, without them it is a `messageEmpty` carrying only the id (its pts still counts).
pub(crate) fn short_sent_message(
    m: types::UpdateShortSentMessage,
    context: Option<(enums::Peer, String)>,
) -> enums::Update {
    let message = match context {
        Some((peer, text)) => {
            let mut message = bare_message(m.id, peer, m.date, text);
            message.out = m.out;
            message.media = m.media;
            message.entities = m.entities;
            message.ttl_period = m.ttl_period;
            enums::Message::Message(message)
        }
        None => enums::Message::MessageEmpty(types::MessageEmpty {
            id: m.id,
            peer_id: None,
        }),
    };
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: Box::new(message),
        pts: m.pts,
        pts_count: m.pts_count,
    })
}

/// A message from a difference as the update that would have brought it: in a channel an
/// `updateNewChannelMessage`, else an `updateNewMessage`; with pts 0 (a difference gives no
/// per-message pts; its state already counts them).
pub(crate) fn new_message_update(message: enums::Message) -> enums::Update {
    if message_channel(&message).is_some() {
        enums::Update::UpdateNewChannelMessage(types::UpdateNewChannelMessage {
            message: Box::new(message),
            pts: 0,
            pts_count: 0,
        })
    } else {
        enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: Box::new(message),
            pts: 0,
            pts_count: 0,
        })
    }
}

impl Entry {
    /// Fetched with `updates.getDifference` (the account's pts and qts).
    pub fn is_common(self) -> bool {
        matches!(self, Entry::Account | Entry::Secret)
    }

    /// The channel of a channel entry.
    pub fn channel_id(self) -> Option<i64> {
        match self {
            Entry::Channel(id) => Some(id),
            _ => None,
        }
    }
}

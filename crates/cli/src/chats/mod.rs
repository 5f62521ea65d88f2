//! `hearth-cli dialogs`, `history`, `send` and `updates`: an account's chats through
//! `hearth-accounts` (the account's client) and `hearth-client`'s message layer.
//!
//! PEER is `me`, `@username` (asked of Telegram when not yet met), a phone number, or the
//! numeric id of a peer the account has met, as `dialogs` prints it (Bot API form: users
//! as is, basic groups negative, channels `-100…`). TEXT uses `hearth-client`'s markup
//! (`**bold**`, `__italic__`, `[text](url)`, …). A bot account's media carry their Bot
//! API `file_id`/`file_unique_id` in the JSON output, and `send --file-id` sends one again.

mod json;

use clap::Args;
use hearth_accounts::AccountId;
use hearth_client::{Client, ClientError, FileError, OutgoingMessage, PeerId};

use crate::context::Context;
use crate::exit::{self, Failure};
use crate::output::Output;
use json::{dialog_json, dialog_line, event_json, event_line, message_json, message_line};

#[derive(Debug, Clone, Args)]
pub struct DialogsArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// How many dialogs, the newest (and pinned) first.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// `me`, `@username`, a phone number, or an id from `dialogs`.
    pub peer: String,
    /// How many messages, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: i32,
    /// Only messages older than this message id.
    #[arg(long, default_value_t = 0)]
    pub offset_id: i32,
}

#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// The account's id (from `account list`).
    pub account: i64,
    /// `me`, `@username`, a phone number, or an id from `dialogs`.
    pub peer: String,
    /// The text, in Hearth's markup (`**bold**`, `__italic__`, `[text](url)`, …).
    #[arg(required_unless_present = "file_id")]
    pub text: Option<String>,
    /// Reply to this message id.
    #[arg(long, conflicts_with = "file_id")]
    pub reply_to: Option<i32>,
    /// Send the photo or document this Bot API file id names (bot accounts: ids this bot
    /// received) instead of text.
    #[arg(long, conflicts_with = "text")]
    pub file_id: Option<String>,
    /// The caption of a file sent with `--file-id`.
    #[arg(long, requires = "file_id", default_value = "")]
    pub caption: String,
}

#[derive(Debug, Clone, Args)]
pub struct UpdatesArgs {
    /// The account's id (from `account list`).
    pub account: i64,
}

/// A client error as a CLI failure (its stable code, the exit code by kind).
pub(crate) fn failure(e: ClientError) -> Failure {
    let exit = match e.code() {
        "PEER_NOT_MET" | "PEER_ID_INVALID" | "USERNAME_NOT_OCCUPIED" | "USERNAME_INVALID" => {
            exit::USAGE
        }
        "UNAUTHORIZED" | "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" => exit::SIGNED_OUT,
        _ => exit::FAILED,
    };
    Failure::new(exit, e.code(), e.to_string())
}

/// The peer PEER names, for `client`.
pub(crate) async fn peer(client: &Client, given: &str) -> Result<PeerId, Failure> {
    let given = given.trim();
    let peers = client.peers();
    if given.eq_ignore_ascii_case("me") {
        let me = client
            .me()
            .ok_or_else(|| Failure::new(exit::SIGNED_OUT, "NOT_SIGNED_IN", "not signed in"))?;
        return Ok(PeerId::User(me.user_id));
    }
    if given.starts_with('@') {
        return Ok(client.resolve_username(given).await.map_err(failure)?.id);
    }
    if let Some(phone) = given.strip_prefix('+') {
        return peers.by_phone(phone).map(|p| p.id).ok_or_else(|| {
            Failure::usage(format!(
                "no contact with phone {given} is known to this account; write to it by @username first"
            ))
            .on_field("peer")
        });
    }
    let Ok(number) = given.parse::<i64>() else {
        return Err(Failure::usage(format!(
            "{given:?} is no peer: use me, @username, +phone or an id from `hearth-cli dialogs`"
        ))
        .on_field("peer"));
    };
    if let Some(p) = PeerId::from_bot_api_id(number).and_then(|id| peers.get(id)) {
        return Ok(p.id);
    }
    peers.by_phone(given).map(|p| p.id).ok_or_else(|| {
        Failure::usage(format!(
            "the account has not met {given}: list its chats with `hearth-cli dialogs` first"
        ))
        .on_field("peer")
    })
}

pub(crate) async fn client(ctx: &Context, account: i64) -> Result<Client, Failure> {
    Ok(ctx.accounts.client(AccountId(account)).await?)
}

pub async fn dialogs(ctx: &Context, out: Output, args: DialogsArgs) -> Result<(), Failure> {
    let c = client(ctx, args.account).await?;
    let page = i32::try_from(args.limit.clamp(1, 100)).unwrap_or(100);
    let mut pager = c.messages().dialogs(page);
    let mut shown = 0;
    while shown < args.limit {
        let Some(list) = pager.next_page().await.map_err(failure)? else {
            break;
        };
        for d in list.iter().take(args.limit - shown) {
            out.result(dialog_json(d), || dialog_line(d));
            shown += 1;
        }
    }
    Ok(())
}

pub async fn history(ctx: &Context, out: Output, args: HistoryArgs) -> Result<(), Failure> {
    let c = client(ctx, args.account).await?;
    let p = peer(&c, &args.peer).await?;
    let list = c
        .messages()
        .older_than(p, args.offset_id, args.limit.clamp(1, 100))
        .await
        .map_err(failure)?;
    for m in &list {
        out.result(message_json(m, is_bot(&c)), || message_line(m, &c.peers()));
    }
    Ok(())
}

/// Whether `c`'s account is a bot.
fn is_bot(c: &Client) -> bool {
    c.me().is_some_and(|m| m.bot)
}

pub async fn send(ctx: &Context, out: Output, args: SendArgs) -> Result<(), Failure> {
    let c = client(ctx, args.account).await?;
    let p = peer(&c, &args.peer).await?;
    let sent = match (&args.file_id, &args.text) {
        (Some(file_id), _) => send_file_id(&c, p, file_id, &args.caption).await?,
        (None, Some(text)) => {
            let mut msg = OutgoingMessage::markup(text);
            msg.reply_to = args.reply_to;
            c.messages().send(p, msg).await.map_err(failure)?
        }
        (None, None) => return Err(Failure::usage("give TEXT or --file-id ID")),
    };
    out.result(message_json(&sent, is_bot(&c)), || {
        format!("Sent as message {}.", sent.id)
    });
    Ok(())
}

async fn send_file_id(
    c: &Client,
    p: PeerId,
    file_id: &str,
    caption: &str,
) -> Result<hearth_client::Message, Failure> {
    let input = c.peers().input_peer(p).map_err(|e| failure(e.into()))?;
    let sent = c
        .send_file_id(input, file_id, caption)
        .await
        .map_err(|e| match e {
            FileError::Client(e) => failure(e).on_field("file_id"),
            other => Failure::new(exit::USAGE, other.code(), other.to_string()).on_field("file_id"),
        })?
        .ok_or_else(|| {
            Failure::new(
                exit::FAILED,
                "NO_MESSAGE",
                "Telegram returned no message for the file sent",
            )
        })?;
    hearth_client::Message::from_tl(&hearth_tl::enums::Message::Message(sent), &c.peers())
        .ok_or_else(|| Failure::new(exit::FAILED, "NO_MESSAGE", "the sent message is empty"))
}

/// Streams the account's message events until Ctrl-C.
pub async fn updates(ctx: &Context, out: Output, args: UpdatesArgs) -> Result<(), Failure> {
    let c = client(ctx, args.account).await?;
    out.note("Waiting for updates; Ctrl-C ends.");
    let messages = c.messages();
    loop {
        tokio::select! {
            e = messages.next_event() => {
                let e = e.map_err(failure)?;
                out.result(event_json(&e, is_bot(&c)), || event_line(&e, &c.peers()));
            }
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

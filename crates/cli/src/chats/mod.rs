//! `hearth-cli dialogs`, `history`, `send` and `updates`: an account's chats through
//! `hearth-accounts` (the account's client) and `hearth-client`'s message layer.
//!
//! PEER is `me`, `@username` (asked of Telegram when not yet met), a phone number, or the
//! numeric id of a peer the account has met, as `dialogs` prints it (Bot API form: users
//! as is, basic groups negative, channels `-100…`). TEXT uses `hearth-client`'s markup
//! (`**bold**`, `__italic__`, `[text](url)`, …).

mod json;

use clap::Args;
use hearth_accounts::AccountId;
use hearth_client::{Client, ClientError, OutgoingMessage, PeerId};

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
    pub text: String,
    /// Reply to this message id.
    #[arg(long)]
    pub reply_to: Option<i32>,
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
        out.result(message_json(m), || message_line(m, &c.peers()));
    }
    Ok(())
}

pub async fn send(ctx: &Context, out: Output, args: SendArgs) -> Result<(), Failure> {
    let c = client(ctx, args.account).await?;
    let p = peer(&c, &args.peer).await?;
    let mut msg = OutgoingMessage::markup(&args.text);
    msg.reply_to = args.reply_to;
    let sent = c.messages().send(p, msg).await.map_err(failure)?;
    out.result(message_json(&sent), || {
        format!("Sent as message {}.", sent.id)
    });
    Ok(())
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
                out.result(event_json(&e), || event_line(&e, &c.peers()));
            }
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}

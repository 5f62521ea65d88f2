//! Plain-language explanations of the RPC errors a user can meet while
//! signing in or managing sessions (core.telegram.org/api/auth,
//! core.telegram.org/api/errors). Unknown errors fall back to the code,
//! the name and a generic hint.

use hearth_mtproto::RpcError;

/// What went wrong and what to do, for the RPC errors users meet; `None`
/// for the rest.
pub fn rpc_advice(name: &str) -> Option<&'static str> {
    Some(match name {
        "PHONE_NUMBER_INVALID" => {
            "the phone number is not valid; type it in international format, e.g. +44 7700 900123"
        }
        "PHONE_NUMBER_BANNED" => "this phone number is banned from Telegram",
        "PHONE_NUMBER_FLOOD" => "this number asked for too many codes; wait a while before asking again",
        "PHONE_NUMBER_UNOCCUPIED" => "no Telegram account uses this number yet; sign up instead",
        "PHONE_NUMBER_OCCUPIED" => "an account already uses this number; sign in instead",
        "PHONE_CODE_EMPTY" => "enter the login code",
        "PHONE_CODE_INVALID" => "the login code is wrong; check it and type it again",
        "PHONE_CODE_EXPIRED" => {
            "the login code expired; request a new one (Telegram also cancels a code that was shared in a chat, to protect the account)"
        }
        "PHONE_CODE_HASH_EMPTY" => "the login attempt was lost; request a new code",
        "SESSION_PASSWORD_NEEDED" => "this account has two-step verification; enter its password",
        "PASSWORD_HASH_INVALID" => "the two-step verification password is wrong; try again",
        "SRP_ID_INVALID" | "SRP_PASSWORD_CHANGED" => {
            "the password check timed out or the password was changed; enter the password again"
        }
        "FIRSTNAME_INVALID" => "the first name is empty or too long (at most 64 characters)",
        "LASTNAME_INVALID" => "the last name is too long (at most 64 characters)",
        "ACCESS_TOKEN_INVALID" | "ACCESS_TOKEN_EXPIRED" => {
            "the bot token is not valid; copy it again from @BotFather"
        }
        "API_ID_INVALID" | "API_ID_PUBLISHED_FLOOD" => {
            "the api_id/api_hash pair is not valid; get your own at my.telegram.org under API development tools"
        }
        "AUTH_TOKEN_EXPIRED" => "the QR code expired; scan the new one",
        "AUTH_TOKEN_ALREADY_ACCEPTED" => "this QR code was already used; scan the new one",
        "AUTH_TOKEN_INVALID" | "AUTH_TOKEN_INVALIDX" => "this is not a valid login QR code",
        "HASH_INVALID" => "that session no longer exists; refresh the list",
        "FRESH_RESET_AUTHORISATION_FORBIDDEN" => {
            "Telegram lets a session end other sessions only after it is 24 hours old; try again later or from an older session"
        }
        "BOT_METHOD_INVALID" => "bots cannot do this",
        "USER_DEACTIVATED" | "USER_DEACTIVATED_BAN" => "this account was deleted or banned",
        "PEER_ID_INVALID" => "this chat or user is unknown to this account",
        "MEDIA_EMPTY" => {
            "this file is not one this account received: a Bot API file id belongs to the bot that got it (stickers aside); send the file itself, or use a file id from a message this bot received"
        }
        "AUTH_KEY_UNREGISTERED" | "SESSION_REVOKED" | "SESSION_EXPIRED" => {
            "this session is signed out; sign in again"
        }
        _ => return None,
    })
}

/// The message shown for an RPC error.
pub(super) fn describe(e: &RpcError) -> String {
    match rpc_advice(&e.name) {
        Some(advice) => format!("{advice} (Telegram error {} {})", e.code, e.message),
        None => match e.code {
            500 | -500 => format!(
                "Telegram had an internal error ({}); try again in a moment",
                e.message
            ),
            _ => format!(
                "Telegram refused the request with error {} {}",
                e.code, e.message
            ),
        },
    }
}

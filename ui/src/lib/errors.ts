// Failed commands in plain words, on the form field they concern.
//
// Rust rejects with a `CommandError` { code, message, field, retry_after_secs };
// Tauri itself rejects with a string. `toUiError` accepts both. Known codes
// get a sentence written for people; unknown ones keep the backend's message,
// which already says what failed and what to do.
import type { CommandError } from './bindings/CommandError';
import { describeError } from './stores/appInfo';

export interface UiError {
  code: string;
  /** The form field to show it on; null: above the form. */
  field: string | null;
  message: string;
  /** Seconds to wait (flood waits). */
  retryAfterSecs: number | null;
}

interface Known {
  field: string | null;
  text: string;
}

const KNOWN: Record<string, Known> = {
  PHONE_NUMBER_INVALID: {
    field: 'phone',
    text: 'This phone number is not valid. Check the country code and the digits.',
  },
  PHONE_NUMBER_BANNED: { field: 'phone', text: 'Telegram has banned this phone number.' },
  PHONE_NUMBER_FLOOD: {
    field: 'phone',
    text: 'Too many codes were requested for this number. Try again later.',
  },
  PHONE_CODE_EMPTY: { field: 'code', text: 'Enter the code you received.' },
  PHONE_CODE_INVALID: { field: 'code', text: 'That code is not right. Check the digits and try again.' },
  PHONE_CODE_EXPIRED: {
    field: 'code',
    text:
      'This code has expired. A code that was shared in a chat or anywhere else expires at once, ' +
      'to keep the account safe. Request a new code and type it here without sharing it.',
  },
  PASSWORD_HASH_INVALID: { field: 'password', text: 'That password is not right. The hint may help.' },
  ACCESS_TOKEN_INVALID: {
    field: 'bot_token',
    text: 'This bot token is not valid. Copy it again from @BotFather; it looks like 123456:ABC-DEF…',
  },
  ACCESS_TOKEN_EXPIRED: {
    field: 'bot_token',
    text: 'This bot token was revoked. Ask @BotFather for a new one.',
  },
  FIRSTNAME_INVALID: { field: 'first_name', text: 'Enter a first name (up to 64 characters).' },
  LASTNAME_INVALID: { field: 'last_name', text: 'The last name is too long (up to 64 characters).' },
  API_ID_INVALID: {
    field: 'api_id',
    text: 'Telegram does not accept this api_id and api_hash. Copy both again from my.telegram.org → API development tools.',
  },
  AUTH_TOKEN_EXPIRED: { field: null, text: 'The QR code expired before it was scanned. Scan the new one.' },
  FRESH_RESET_AUTHORISATION_FORBIDDEN: {
    field: null,
    text: 'Telegram lets a session end other sessions only after it has been signed in for 24 hours.',
  },
  HASH_INVALID: { field: null, text: 'This session no longer exists. Reload the list.' },
  CHAT_WRITE_FORBIDDEN: { field: 'composer', text: 'You cannot write in this chat.' },
  CHAT_ADMIN_REQUIRED: { field: 'composer', text: 'Only the admins of this chat may do that.' },
  USER_BANNED_IN_CHANNEL: { field: 'composer', text: 'You are not allowed to send messages here.' },
  MESSAGE_TOO_LONG: { field: 'composer', text: 'This message is too long. Split it into several.' },
  MESSAGE_EMPTY: { field: 'composer', text: 'Type a message first.' },
  MESSAGE_EDIT_TIME_EXPIRED: {
    field: 'message',
    text: 'This message is too old to edit. Send a new one instead.',
  },
  MESSAGE_NOT_MODIFIED: { field: 'message', text: 'Nothing changed: the text is the same.' },
  MESSAGE_AUTHOR_REQUIRED: { field: 'message', text: 'Only the author can edit this message.' },
  MESSAGE_ID_INVALID: { field: 'message', text: 'This message no longer exists.' },
  MESSAGE_DELETE_FORBIDDEN: { field: 'message', text: 'You may not delete this message for everyone.' },
  // A file id this bot was not given: Telegram answers MEDIA_EMPTY (the Bot API says
  // "wrong file identifier"). FILE_ID_INVALID / FILE_ID_NOT_SENDABLE keep the backend's
  // words, which name what is wrong with the id.
  MEDIA_EMPTY: {
    field: 'file_id',
    text:
      'This file id belongs to another bot or account: file ids work only for the bot that received ' +
      'them (stickers aside). Send the file itself, or use a file id from a message this bot received.',
  },
};

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** The error as the UI shows it. */
export function toUiError(failure: unknown): UiError {
  if (!isCommandError(failure)) {
    return { code: 'UNKNOWN', field: null, message: describeError(failure), retryAfterSecs: null };
  }
  const known = KNOWN[failure.code];
  const retryAfterSecs = failure.retry_after_secs ?? null;
  let message = known?.text ?? failure.message;
  if (failure.code === 'FLOOD_WAIT') message = 'Telegram asks to wait before trying again.';
  return { code: failure.code, field: failure.field ?? known?.field ?? null, message, retryAfterSecs };
}

/** `m:ss` for a countdown. */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

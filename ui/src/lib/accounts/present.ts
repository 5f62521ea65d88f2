// How an account and its sessions are shown: avatar colour, the line under
// the name, badges, connection state and times, in words.
import type { AccountNetwork } from '../bindings/AccountNetwork';
import type { AccountView } from '../bindings/AccountView';
import type { ConnectionState } from '../bindings/ConnectionState';

/** What an account's menu offers. */
export type AccountAction = 'sessions' | 'proxy' | 'log_out' | 'remove';

/** Number of avatar colours (classes `hue-0` … `hue-7`). */
export const AVATAR_HUES = 8;

/** The avatar colour of an account: stable, from its Telegram user id (or its own id). */
export function avatarHue(account: Pick<AccountView, 'id' | 'user_id'>): number {
  const id = account.user_id ?? account.id;
  return Math.abs(Math.trunc(id)) % AVATAR_HUES;
}

/** The line under the name: @username, else the phone number, else "bot". */
export function secondaryLine(account: AccountView): string {
  if (account.username) return `@${account.username}`;
  if (account.phone) return account.phone;
  return account.is_bot ? 'bot' : '';
}

export function networkName(network: AccountNetwork): string {
  switch (network) {
    case 'local':
      return 'Local';
    case 'test':
      return 'Test';
    case 'production':
      return 'Telegram';
  }
}

export function stateText(state: ConnectionState): string {
  switch (state) {
    case 'offline':
      return 'Not connected';
    case 'connecting':
      return 'Connecting…';
    case 'online':
      return 'Connected';
    case 'unreachable':
      return 'Cannot reach Telegram; retrying';
    case 'signed_out':
      return 'Signed out by Telegram; sign in again';
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD HH:MM` in local time. */
export function dateText(unixSecs: number): string {
  const d = new Date(unixSecs * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "just now", "5 minutes ago", "3 hours ago", or the date. */
export function lastActive(unixSecs: number, nowSecs: number): string {
  const ago = nowSecs - unixSecs;
  if (ago < 60) return 'just now';
  if (ago < 3600) {
    const m = Math.floor(ago / 60);
    return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  }
  if (ago < 86400) {
    const h = Math.floor(ago / 3600);
    return h === 1 ? '1 hour ago' : `${h} hours ago`;
  }
  return dateText(unixSecs);
}

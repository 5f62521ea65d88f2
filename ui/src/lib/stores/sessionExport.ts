// "New session for another tool" and "Move session" on the Sessions page. A new
// session is a separate authorization for Pyrogram or Telethon (Hearth keeps its
// own); a move hands over Hearth's own and the account leaves Hearth, so it is
// only sent once the user confirmed. A session string comes back once, to be
// shown with a copy button; `dismiss` forgets it. A bot's new session signs in
// with the bot's token (bots cannot approve a login), which the form asks for:
// `bot_token` is a string (maybe empty) for a bot account, null for a user.
import { writable, type Readable } from 'svelte/store';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportLogin } from '../bindings/ExportLogin';
import type { ExportMode } from '../bindings/ExportMode';
import type { ExportSessionRequest } from '../bindings/ExportSessionRequest';
import type { ExportedSessionView } from '../bindings/ExportedSessionView';
import { toUiError } from '../errors';

export type { ExportFormat, ExportLogin, ExportMode, ExportSessionRequest, ExportedSessionView };

export interface SessionExportBackend {
  /** Asks where to save a file (null: the dialog was closed), then exports. */
  exportSession(request: ExportSessionRequest): Promise<ExportedSessionView | null>;
}

export interface SessionExportState {
  busy: boolean;
  /** Why the last export failed, in plain words. */
  error: string | null;
  /** The form field the error concerns (label, out, confirm…). */
  field: string | null;
  /** The last export's result (its string, if any, until dismissed). */
  result: ExportedSessionView | null;
}

export interface SessionExportStore extends Readable<SessionExportState> {
  /** Exports; true when something was written. */
  run(request: ExportSessionRequest): Promise<boolean>;
  dismiss(): void;
}

export const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'telethon-file', label: 'Telethon session file' },
  { value: 'telethon-string', label: 'Telethon string (StringSession)' },
  { value: 'pyrogram-file', label: 'Pyrogram session file' },
  { value: 'pyrogram-string', label: 'Pyrogram session string' },
];

/** Why a request cannot be sent yet and the field concerned, or null. */
export function refusal(request: ExportSessionRequest): { error: string; field: string } | null {
  if (request.mode === 'fresh' && request.label.trim() === '') {
    return { error: 'Name the new session: the Sessions list shows it under that name.', field: 'label' };
  }
  if (request.mode === 'fresh' && request.bot_token !== null && request.bot_token.trim() === '') {
    return {
      error: "A bot's new session signs in with the bot's token: paste the token @BotFather gave for this bot.",
      field: 'bot_token',
    };
  }
  if (request.mode === 'move' && !request.confirmed) {
    return { error: 'Moving signs Hearth out of this account: confirm it first.', field: 'confirm' };
  }
  return null;
}

/** A request the backend accepts, or why not (before anything is sent). */
export function checkRequest(request: ExportSessionRequest): string | null {
  return refusal(request)?.error ?? null;
}

export function createSessionExportStore(backend: SessionExportBackend): SessionExportStore {
  const idle: SessionExportState = { busy: false, error: null, field: null, result: null };
  const store = writable<SessionExportState>(idle);
  let current = idle;
  store.subscribe((s) => (current = s));

  return {
    subscribe: store.subscribe,
    async run(request) {
      if (current.busy) return false;
      const refused = refusal(request);
      if (refused) {
        store.set({ ...idle, error: refused.error, field: refused.field });
        return false;
      }
      store.set({ ...idle, busy: true });
      try {
        const result = await backend.exportSession(request);
        store.set({ ...idle, result });
        return result !== null;
      } catch (failure) {
        const e = toUiError(failure);
        store.set({ ...idle, error: e.message, field: e.field });
        return false;
      }
    },
    dismiss: () => store.set(idle),
  };
}

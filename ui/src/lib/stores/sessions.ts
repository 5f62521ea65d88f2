// The Sessions page: one account's authorizations (device, app, IP, last
// active, DC), ending one or all others. Errors stay on the page, beside
// what failed.
import { writable, type Readable } from 'svelte/store';
import type { SessionView } from '../bindings/SessionView';
import { toUiError } from '../errors';

export type { SessionView };

export interface SessionsBackend {
  list(accountId: number): Promise<SessionView[]>;
  terminate(accountId: number, hash: string): Promise<void>;
  terminateOthers(accountId: number): Promise<void>;
}

export interface SessionsState {
  accountId: number | null;
  sessions: SessionView[];
  loading: boolean;
  /** The hash being terminated, or `others`. */
  busy: string | null;
  /** Why the list could not be read or an action failed. */
  error: string | null;
}

export interface SessionsStore extends Readable<SessionsState> {
  /** Loads the sessions of `accountId` (the current session first). */
  load(accountId: number): Promise<void>;
  terminate(hash: string): Promise<boolean>;
  terminateOthers(): Promise<boolean>;
}

/** The current session first, then by last activity, newest first. */
export function ordered(sessions: SessionView[]): SessionView[] {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.date_active - a.date_active);
}

export function createSessionsStore(backend: SessionsBackend): SessionsStore {
  const empty: SessionsState = { accountId: null, sessions: [], loading: false, busy: null, error: null };
  const store = writable<SessionsState>(empty);
  let current = empty;
  store.subscribe((s) => (current = s));

  async function read(accountId: number) {
    try {
      const sessions = ordered(await backend.list(accountId));
      if (current.accountId === accountId) store.update((s) => ({ ...s, sessions, loading: false }));
    } catch (failure) {
      if (current.accountId === accountId) {
        store.update((s) => ({ ...s, loading: false, error: toUiError(failure).message }));
      }
    }
  }

  async function act(busy: string, action: (accountId: number) => Promise<void>): Promise<boolean> {
    const accountId = current.accountId;
    if (accountId === null || current.busy !== null) return false;
    store.update((s) => ({ ...s, busy, error: null }));
    try {
      await action(accountId);
      store.update((s) => ({ ...s, busy: null }));
      await read(accountId);
      return true;
    } catch (failure) {
      store.update((s) => ({ ...s, busy: null, error: toUiError(failure).message }));
      return false;
    }
  }

  return {
    subscribe: store.subscribe,
    async load(accountId) {
      store.set({ ...empty, accountId, loading: true, sessions: current.accountId === accountId ? current.sessions : [] });
      await read(accountId);
    },
    terminate: (hash) => act(hash, (id) => backend.terminate(id, hash)),
    terminateOthers: () => act('others', (id) => backend.terminateOthers(id)),
  };
}

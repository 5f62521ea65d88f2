// The accounts in the sidebar: their order, which one is shown, their
// connection state as events report it, and the per-account actions
// (reorder, proxy, log out, remove).
import { derived, writable, type Readable } from 'svelte/store';
import type { AccountEvent } from '../bindings/AccountEvent';
import type { AccountView } from '../bindings/AccountView';
import { describeError } from './appInfo';

export type { AccountEvent, AccountView };

/** What the sidebar needs from the backend (the real one is IPC, see ipc.ts). */
export interface AccountsBackend {
  list(): Promise<AccountView[]>;
  /** Persists the sidebar order (every account id, top first). */
  reorder(ids: number[]): Promise<void>;
  logOut(id: number): Promise<void>;
  remove(id: number): Promise<void>;
  setProxy(id: number, proxyId: number | null): Promise<void>;
  /** Delivers connection changes and list changes until the app closes. */
  subscribe(onEvent: (event: AccountEvent) => void): Promise<void>;
}

export interface AccountsStore extends Readable<AccountView[]> {
  /** Reads the list; a failure keeps the old list and sets `error`. */
  load(): Promise<void>;
  /** Starts listening to account events (once). */
  listen(): Promise<void>;
  /** True while the list is empty: the sidebar shows its empty state. */
  readonly isEmpty: Readable<boolean>;
  /** The last load's failure, or null. */
  readonly error: Readable<string | null>;
  /** The last action's failure (reorder, log out, remove, proxy), or null. */
  readonly actionError: Readable<string | null>;
  /** The id of the account shown, or null. */
  readonly selected: Readable<number | null>;
  /** The account shown, or null. */
  readonly current: Readable<AccountView | null>;
  select(id: number): void;
  /** Selects the account `delta` places away (wrapping); for arrow keys. */
  selectBy(delta: number): void;
  /** Selects the n-th account (0-based), if there is one. */
  selectIndex(index: number): void;
  /** Moves an account to `index` and saves the order; undone if saving fails. */
  move(id: number, index: number): Promise<void>;
  setProxy(id: number, proxyId: number | null): Promise<boolean>;
  logOut(id: number): Promise<boolean>;
  remove(id: number): Promise<boolean>;
  /** Folds one backend event into the list. */
  apply(event: AccountEvent): void;
}

/** `list` with `id` moved to `index` (clamped); positions renumbered. */
export function moved(list: AccountView[], id: number, index: number): AccountView[] {
  const from = list.findIndex((a) => a.id === id);
  if (from < 0) return list;
  const rest = list.filter((a) => a.id !== id);
  const to = Math.max(0, Math.min(index, rest.length));
  rest.splice(to, 0, list[from]);
  return rest.map((a, position) => (a.position === position ? a : { ...a, position }));
}

export function createAccountsStore(backend: AccountsBackend): AccountsStore {
  const list = writable<AccountView[]>([]);
  const error = writable<string | null>(null);
  const actionError = writable<string | null>(null);
  const selected = writable<number | null>(null);
  let accounts: AccountView[] = [];
  let selectedId: number | null = null;
  let listening = false;
  list.subscribe((l) => (accounts = l));
  selected.subscribe((s) => (selectedId = s));

  async function load() {
    try {
      const fresh = [...(await backend.list())].sort((a, b) => a.position - b.position);
      list.set(fresh);
      error.set(null);
      if (selectedId !== null && !fresh.some((a) => a.id === selectedId)) selected.set(null);
    } catch (failure) {
      error.set(describeError(failure));
    }
  }

  function apply(event: AccountEvent) {
    switch (event.kind) {
      case 'connection':
        list.update((l) =>
          l.map((a) => (a.id === event.account_id && a.state !== event.state ? { ...a, state: event.state } : a)),
        );
        return;
      case 'list_changed':
        void load();
        return;
    }
  }

  /** Runs an action; on failure sets `actionError` and resolves false. */
  async function act(action: () => Promise<void>): Promise<boolean> {
    actionError.set(null);
    try {
      await action();
      return true;
    } catch (failure) {
      actionError.set(describeError(failure));
      return false;
    }
  }

  const selectIndex = (index: number) => {
    const account = accounts[index];
    if (account) selected.set(account.id);
  };

  return {
    subscribe: list.subscribe,
    load,
    async listen() {
      if (listening) return;
      listening = true;
      try {
        await backend.subscribe(apply);
      } catch (failure) {
        listening = false;
        error.set(describeError(failure));
      }
    },
    isEmpty: derived(list, (l) => l.length === 0),
    error: { subscribe: error.subscribe },
    actionError: { subscribe: actionError.subscribe },
    selected: { subscribe: selected.subscribe },
    current: derived([list, selected], ([l, id]) => l.find((a) => a.id === id) ?? null),
    select: (id) => selected.set(id),
    selectBy(delta) {
      if (accounts.length === 0) return;
      const at = accounts.findIndex((a) => a.id === selectedId);
      const from = at < 0 ? (delta > 0 ? -1 : 0) : at;
      selectIndex((((from + delta) % accounts.length) + accounts.length) % accounts.length);
    },
    selectIndex,
    async move(id, index) {
      const before = accounts;
      const after = moved(before, id, index);
      if (after.every((a, i) => a.id === before[i].id)) return;
      list.set(after);
      const ok = await act(() => backend.reorder(after.map((a) => a.id)));
      if (!ok) list.set(before);
    },
    async setProxy(id, proxyId) {
      const ok = await act(() => backend.setProxy(id, proxyId));
      if (ok) list.update((l) => l.map((a) => (a.id === id ? { ...a, proxy_id: proxyId } : a)));
      return ok;
    },
    async logOut(id) {
      const ok = await act(() => backend.logOut(id));
      if (ok) await load();
      return ok;
    },
    async remove(id) {
      const ok = await act(() => backend.remove(id));
      if (ok) await load();
      return ok;
    },
    apply,
  };
}

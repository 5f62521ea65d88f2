// Store for the accounts listed in the sidebar.
import { derived, writable, type Readable } from 'svelte/store';
import type { AccountSummary } from '../bindings/AccountSummary';
import { describeError } from './appInfo';

export type { AccountSummary };

export interface AccountsStore extends Readable<AccountSummary[]> {
  /** Reads the list from the backend; a failure keeps the old list and sets `error`. */
  load(): Promise<void>;
  /** True while the list is empty: the sidebar shows its empty state. */
  readonly isEmpty: Readable<boolean>;
  /** The last load's failure, or null. */
  readonly error: Readable<string | null>;
}

export function createAccountsStore(fetch: () => Promise<AccountSummary[]>): AccountsStore {
  const list = writable<AccountSummary[]>([]);
  const error = writable<string | null>(null);
  return {
    subscribe: list.subscribe,
    async load() {
      try {
        list.set([...(await fetch())]);
        error.set(null);
      } catch (failure) {
        error.set(describeError(failure));
      }
    },
    isEmpty: derived(list, (accounts) => accounts.length === 0),
    error: { subscribe: error.subscribe },
  };
}

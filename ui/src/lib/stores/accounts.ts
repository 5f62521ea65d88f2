// Store for the accounts listed in the sidebar.
import { derived, writable, type Readable } from 'svelte/store';

/** One signed-in account as the sidebar shows it. */
export interface AccountSummary {
  id: number;
  label: string;
}

export interface AccountsStore extends Readable<AccountSummary[]> {
  /** Replaces the list (from the backend). */
  replace(accounts: AccountSummary[]): void;
  /** True while the list is empty: the sidebar shows its empty state. */
  readonly isEmpty: Readable<boolean>;
}

export function createAccountsStore(initial: AccountSummary[] = []): AccountsStore {
  const list = writable<AccountSummary[]>(initial);
  return {
    subscribe: list.subscribe,
    replace(accounts) {
      list.set([...accounts]);
    },
    isEmpty: derived(list, (accounts) => accounts.length === 0),
  };
}

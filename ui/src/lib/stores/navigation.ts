// Which page the main area shows. Account pages show the account selected
// in the accounts store.
import { writable, type Readable } from 'svelte/store';

export type Page = 'welcome' | 'add-account' | 'diagnostics' | 'account' | 'sessions' | 'proxy';

/** Pages about the selected account. */
export const ACCOUNT_PAGES: readonly Page[] = ['account', 'sessions', 'proxy'];

export interface NavigationStore extends Readable<Page> {
  go(page: Page): void;
}

export function createNavigationStore(start: Page = 'welcome'): NavigationStore {
  const { subscribe, set } = writable<Page>(start);
  return { subscribe, go: set };
}

// Which page the main area shows. Account pages show the account selected
// in the accounts store.
import { get, writable, type Readable } from 'svelte/store';

export type Page = 'welcome' | 'add-account' | 'diagnostics' | 'account' | 'chats' | 'sessions' | 'proxy';

/** Pages about the selected account. */
export const ACCOUNT_PAGES: readonly Page[] = ['account', 'chats', 'sessions', 'proxy'];

export interface NavigationStore extends Readable<Page> {
  go(page: Page): void;
}

export function createNavigationStore(start: Page = 'welcome'): NavigationStore {
  const { subscribe, set } = writable<Page>(start);
  return { subscribe, go: set };
}

/**
 * Shows account `id`: selects it and, unless an account page is already
 * open (its Sessions stay open while switching), opens its overview.
 */
export function openAccount(accounts: { select(id: number): void }, navigation: NavigationStore, id: number) {
  accounts.select(id);
  if (!ACCOUNT_PAGES.includes(get(navigation))) navigation.go('account');
}

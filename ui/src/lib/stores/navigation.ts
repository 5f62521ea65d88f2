// Which page the main area shows.
import { writable, type Readable } from 'svelte/store';

export type Page = 'welcome' | 'add-account' | 'diagnostics';

export interface NavigationStore extends Readable<Page> {
  go(page: Page): void;
}

export function createNavigationStore(start: Page = 'welcome'): NavigationStore {
  const { subscribe, set } = writable<Page>(start);
  return { subscribe, go: set };
}

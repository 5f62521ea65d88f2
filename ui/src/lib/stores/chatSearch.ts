// Message search: within the open chat (Telegram matches them: `messages.search`),
// newest first, a page at a time (older pages on demand, after the oldest found), or
// across every chat of the account (`messages.searchGlobal`, chat `null`: pages follow
// each other by where the last one ended, its `next`). A newer query or another chat
// makes the answers of older ones stale: they are dropped, never shown. Every decision
// is here, over an injected backend; the component only renders and reports input.
import { writable, type Readable } from 'svelte/store';
import type { ChatMessage } from '../bindings/ChatMessage';
import type { ChatSearch } from '../bindings/ChatSearch';
import type { SearchAfter } from '../bindings/SearchAfter';
import { toUiError } from '../errors';

export interface ChatSearchBackend {
  search(account: number, chat: number, query: string, olderThan: number | null): Promise<ChatSearch>;
  /** Every chat of the account: the first page, or the one after `after`. */
  searchAll(account: number, query: string, after: SearchAfter | null): Promise<ChatSearch>;
}

export interface ChatSearchState {
  account: number | null;
  /** The chat searched; `null` for every chat. */
  chat: number | null;
  /** The query the results are for (trimmed). */
  query: string;
  results: ChatMessage[];
  /** Matches in all, as Telegram counts them. */
  total: number;
  loading: boolean;
  /** No older page. */
  done: boolean;
  /** Across every chat: where the next page starts. */
  next: SearchAfter | null;
  error: string | null;
}

export interface ChatSearchStore extends Readable<ChatSearchState> {
  /** Searches `chat` of `account` (`null`: every chat) for `query`; an empty query clears the results. */
  search(account: number, chat: number | null, query: string): Promise<void>;
  /** The next (older) page of the current query. */
  more(): Promise<void>;
  /** Forgets the query and its results. */
  clear(): void;
}

const empty: ChatSearchState = {
  account: null,
  chat: null,
  query: '',
  results: [],
  total: 0,
  loading: false,
  done: true,
  next: null,
  error: null,
};

export function createChatSearch(backend: ChatSearchBackend): ChatSearchStore {
  const state = writable<ChatSearchState>(empty);
  let current = empty;
  state.subscribe((s) => (current = s));
  // Each request's number; an answer is applied only if no request started after it.
  let seq = 0;

  // The same message can come on two pages; ids repeat across channels, so a
  // result is known by its chat and id.
  const key = (m: ChatMessage) => `${m.chat}:${m.id}`;

  async function fetchPage(s: ChatSearchState, olderThan: number | null) {
    const mine = ++seq;
    state.set({ ...s, loading: true, error: null });
    try {
      const page =
        s.chat === null
          ? await backend.searchAll(s.account!, s.query, s.next)
          : await backend.search(s.account!, s.chat, s.query, olderThan);
      if (mine !== seq) return;
      const seen = new Set(s.results.map(key));
      const fresh = page.messages.filter((m) => !seen.has(key(m)));
      const results = [...s.results, ...fresh];
      state.set({
        ...s,
        results,
        total: Math.max(page.total, results.length),
        loading: false,
        // An empty or repeated page, or all of them, or (across every chat) no place
        // for a next page: nothing older to ask for.
        done:
          fresh.length === 0 ||
          results.length >= page.total ||
          (s.chat === null && !page.next),
        next: page.next ?? null,
        error: null,
      });
    } catch (e) {
      if (mine !== seq) return;
      state.set({ ...s, loading: false, error: toUiError(e).message });
    }
  }

  return {
    subscribe: state.subscribe,
    async search(account, chat, query) {
      const q = query.trim();
      if (!q) {
        seq++;
        state.set({ ...empty, account, chat });
        return;
      }
      await fetchPage({ ...empty, account, chat, query: q, done: false }, null);
    },
    async more() {
      const s = current;
      if (s.loading || s.done || s.account === null || s.results.length === 0) return;
      if (s.chat === null) {
        await fetchPage(s, null);
        return;
      }
      const oldest = Math.min(...s.results.map((m) => m.id));
      await fetchPage(s, oldest);
    },
    clear() {
      seq++;
      state.set(empty);
    },
  };
}

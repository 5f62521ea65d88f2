import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { ChatSearch } from '../bindings/ChatSearch';
import type { SearchAfter } from '../bindings/SearchAfter';
import { commandError, sampleMessage } from '../chats/fake';
import { createChatSearch, type ChatSearchBackend } from './chatSearch';

type Call = {
  account: number;
  chat: number;
  query: string;
  olderThan: number | null;
  after?: SearchAfter | null;
};

/** A backend whose answers the test releases one by one. */
function manual() {
  const calls: (Call & { answer: (page: ChatSearch) => void; fail: (e: unknown) => void })[] = [];
  const backend: ChatSearchBackend = {
    search: (account, chat, query, olderThan) =>
      new Promise((answer, fail) => calls.push({ account, chat, query, olderThan, answer, fail })),
    searchAll: (account, query, after) =>
      new Promise((answer, fail) => calls.push({ account, chat: 0, query, olderThan: null, after, answer, fail })),
  };
  return { backend, calls };
}

const page = (ids: number[], total: number): ChatSearch => ({
  messages: ids.map((id) => sampleMessage({ id, text: `word ${id}` })),
  total,
  next: null,
});
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('chat search store', () => {
  it('searches the chat, then pages older matches until all are there', async () => {
    const { backend, calls } = manual();
    const s = createChatSearch(backend);
    const first = s.search(1, 1001, '  word ');
    expect(get(s).loading).toBe(true);
    expect(calls[0]).toMatchObject({ account: 1, chat: 1001, query: 'word', olderThan: null });
    calls[0].answer(page([90, 70], 3));
    await first;
    expect(get(s)).toMatchObject({ query: 'word', total: 3, loading: false, done: false });
    expect(get(s).results.map((m) => m.id)).toEqual([90, 70]);

    const more = s.more();
    expect(calls[1].olderThan).toBe(70);
    calls[1].answer(page([70, 12], 3));
    await more;
    expect(get(s).results.map((m) => m.id)).toEqual([90, 70, 12]);
    expect(get(s).done).toBe(true);
    await s.more();
    expect(calls.length).toBe(2);
  });

  it('drops the answer of a query the user already replaced', async () => {
    const { backend, calls } = manual();
    const s = createChatSearch(backend);
    const old = s.search(1, 1001, 'wor');
    const fresh = s.search(1, 1001, 'word');
    calls[1].answer(page([5], 1));
    await fresh;
    calls[0].answer(page([1, 2, 3], 3));
    await old;
    expect(get(s).query).toBe('word');
    expect(get(s).results.map((m) => m.id)).toEqual([5]);
    // Clearing also outdates a request in flight.
    const late = s.search(1, 1001, 'late');
    s.clear();
    calls[2].answer(page([9], 1));
    await late;
    expect(get(s).results).toEqual([]);
  });

  it('asks nothing for an empty query and keeps a failure for the field', async () => {
    const { backend, calls } = manual();
    const s = createChatSearch(backend);
    await s.search(1, 1001, '   ');
    expect(calls.length).toBe(0);
    expect(get(s).results).toEqual([]);
    const failed = s.search(1, 1001, 'word');
    calls[0].fail(commandError('NETWORK'));
    await failed;
    await tick();
    expect(get(s).loading).toBe(false);
    // The service's own words for the failure, shown where the user searched.
    expect(get(s).error).toBe('raw NETWORK');
    expect(get(s).results).toEqual([]);
  });

  it('pages every chat by where the last page ended, keeping equal ids of other chats', async () => {
    const { backend, calls } = manual();
    const s = createChatSearch(backend);
    const first = s.search(1, null, 'word');
    expect(calls[0].after).toBeNull();
    const after = { rate: 1700000000, chat: 1001, id: 9 };
    calls[0].answer({
      messages: [sampleMessage({ id: 9, chat: -1002 }), sampleMessage({ id: 9, chat: 1001 })],
      total: 4,
      next: after,
    });
    await first;
    expect(get(s)).toMatchObject({ done: false, next: after, total: 4 });
    const more = s.more();
    expect(calls[1]).toMatchObject({ chat: 0, query: 'word', after });
    // Same id as a result from another chat: a new result. A repeat of one seen: not.
    calls[1].answer({
      messages: [sampleMessage({ id: 9, chat: 1001 }), sampleMessage({ id: 9, chat: -1003 }), sampleMessage({ id: 2, chat: 1001 })],
      total: 4,
      next: null,
    });
    await more;
    expect(get(s).results.map((m) => [m.chat, m.id])).toEqual([[-1002, 9], [1001, 9], [-1003, 9], [1001, 2]]);
    expect(get(s)).toMatchObject({ done: true, next: null });
    await s.more();
    expect(calls.length).toBe(2);
    // A new query starts from the first page again.
    const again = s.search(1, null, 'other');
    expect(calls[2].after).toBeNull();
    calls[2].answer({ messages: [], total: 0, next: null });
    await again;
  });

  it('searches every chat with chat null: one page, then nothing older to ask', async () => {
    const { backend, calls } = manual();
    const s = createChatSearch(backend);
    const all = s.search(1, null, 'word');
    expect(calls[0]).toMatchObject({ chat: 0, query: 'word' });
    calls[0].answer({
      messages: [sampleMessage({ id: 3, chat: 1002 }), sampleMessage({ id: 9, chat: 1001 })],
      total: 40,
      next: null,
    });
    await all;
    expect(get(s)).toMatchObject({ chat: null, total: 40, done: true });
    expect(get(s).results.map((m) => [m.chat, m.id])).toEqual([[1002, 3], [1001, 9]]);
    await s.more();
    expect(calls.length).toBe(1);
  });
});

import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { TransferView } from '../bindings/TransferView';
import { createTransfersStore, formatBytes, formatEta, percent, status, type TransfersBackend } from './transfers';

function view(over: Partial<TransferView>): TransferView {
  return {
    id: 1,
    kind: 'download',
    account_id: 1,
    peer: 42,
    file_name: 'notes.txt',
    path: '/tmp/notes.txt',
    message_id: 7,
    done: 0,
    total: 1000,
    bytes_per_sec: 0,
    eta_secs: null,
    state: 'running',
    error: null,
    ...over,
  };
}

/** A backend that records calls and lets the test push events. */
function fake() {
  const calls: unknown[][] = [];
  let push: (v: TransferView) => void = () => {};
  let next = 10;
  const backend: TransfersBackend = {
    list: async () => [view({ id: 3, state: 'done', done: 1000 })],
    async subscribe(onEvent) {
      push = onEvent;
    },
    async cancel(id) {
      calls.push(['cancel', id]);
      if (id === 99) throw { code: 'NO_SUCH_TRANSFER', message: 'no transfer has id 99', field: 'id', retry_after_secs: null };
    },
    async download(accountId, peer, messageId, name) {
      calls.push(['download', accountId, peer, messageId, name]);
      return name === 'closed' ? null : view({ id: next++, file_name: name });
    },
    async downloadTo(accountId, peer, messageId, path) {
      calls.push(['downloadTo', accountId, peer, messageId, path]);
      return view({ id: next++, path });
    },
    async upload(accountId, peer, caption) {
      calls.push(['upload', accountId, peer, caption]);
      return [];
    },
    async uploadPaths(accountId, peer, paths, caption) {
      calls.push(['uploadPaths', accountId, peer, paths, caption]);
      if (paths.includes('/missing')) {
        throw { code: 'LOCAL_FILE', message: '/missing: no such file; check the path', field: 'file', retry_after_secs: null };
      }
      return paths.map((p) => view({ id: next++, kind: 'upload', path: p, file_name: p.split('/').pop()! }));
    },
  };
  return { backend, calls, push: (v: TransferView) => push(v) };
}

describe('formatting', () => {
  it('says sizes, times and percentages plainly', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatEta(null)).toBe('');
    expect(formatEta(4.2)).toBe('5 s');
    expect(formatEta(125)).toBe('2 min 5 s');
    expect(formatEta(3780)).toBe('1 h 3 min');
    expect(percent(view({ done: 250 }))).toBe(25);
    expect(percent(view({ total: null }))).toBeNull();
    expect(percent(view({ state: 'done', total: null }))).toBe(100);
  });

  it('describes every state in words', () => {
    expect(status(view({ done: 500_000, total: 1_000_000, bytes_per_sec: 250_000, eta_secs: 2 }))).toBe(
      '500.0 KB of 1.0 MB, 250.0 KB/s, 2 s left',
    );
    expect(status(view({ state: 'done' }))).toBe('Saved to /tmp/notes.txt');
    expect(status(view({ state: 'done', kind: 'upload' }))).toBe('Sent');
    expect(status(view({ state: 'cancelled' }))).toBe('Cancelled');
    const error = { code: 'NETWORK', message: 'the connection was lost', field: null, retry_after_secs: null };
    expect(status(view({ state: 'failed', error }))).toBe('Failed: the connection was lost');
  });
});

describe('transfers store', () => {
  it('lists, follows progress and never reopens a finished transfer', async () => {
    const f = fake();
    const store = createTransfersStore(f.backend);
    await store.listen();
    await store.listen();
    expect(get(store).transfers.map((t) => t.id)).toEqual([3]);
    f.push(view({ id: 5, done: 100 }));
    f.push(view({ id: 4, done: 10 }));
    f.push(view({ id: 5, done: 600 }));
    expect(get(store).transfers.map((t) => [t.id, t.done])).toEqual([
      [3, 1000],
      [4, 10],
      [5, 600],
    ]);
    f.push(view({ id: 5, state: 'done', done: 1000 }));
    f.push(view({ id: 5, done: 900 }));
    expect(get(store).transfers.find((t) => t.id === 5)?.state).toBe('done');
    store.clearFinished();
    expect(get(store).transfers.map((t) => t.id)).toEqual([4]);
    f.push(view({ id: 3, state: 'done' }));
    expect(get(store).transfers.map((t) => t.id)).toEqual([4]);
  });

  it('starts downloads through the dialog or to a path, and uploads of dropped paths', async () => {
    const f = fake();
    const store = createTransfersStore(f.backend);
    expect(await store.startDownload(1, 42, 7, 'closed')).toBeNull();
    expect(get(store).transfers).toEqual([]);
    const started = await store.startDownload(1, 42, 7, 'notes.txt');
    expect(started?.file_name).toBe('notes.txt');
    await store.downloadTo(1, 42, 8, '/tmp/out');
    const sent = await store.startUpload(2, -1001, ['/a/x.jpg', '/a/y.pdf'], 'hi');
    expect(sent.map((t) => t.file_name)).toEqual(['x.jpg', 'y.pdf']);
    await store.startUpload(2, 42);
    expect(f.calls).toEqual([
      ['download', 1, 42, 7, 'closed'],
      ['download', 1, 42, 7, 'notes.txt'],
      ['downloadTo', 1, 42, 8, '/tmp/out'],
      ['uploadPaths', 2, -1001, ['/a/x.jpg', '/a/y.pdf'], 'hi'],
      ['upload', 2, 42, null],
    ]);
    expect(get(store).transfers).toHaveLength(4);
  });

  it('keeps a failed start or cancel as an error in words', async () => {
    const f = fake();
    const store = createTransfersStore(f.backend);
    expect(await store.startUpload(1, 42, ['/missing'])).toEqual([]);
    expect(get(store).error).toBe('/missing: no such file; check the path');
    expect(await store.cancel(99)).toBe(false);
    expect(get(store).error).toContain('99');
    expect(await store.cancel(4)).toBe(true);
    expect(get(store).error).toBeNull();
    expect(f.calls).toContainEqual(['cancel', 4]);
  });
});

import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { fakeAccounts, three } from '../fakes';
import { sampleAccount } from '../testing';
import { createAccountsStore, moved } from './accounts';

describe('moved', () => {
  it('moves an account and renumbers positions, clamping the index', () => {
    expect(moved(three(), 3, 0).map((a) => [a.id, a.position])).toEqual([[3, 0], [1, 1], [2, 2]]);
    expect(moved(three(), 1, 99).map((a) => a.id)).toEqual([2, 3, 1]);
    expect(moved(three(), 2, -1).map((a) => a.id)).toEqual([2, 1, 3]);
    const same = three();
    expect(moved(same, 42, 0)).toBe(same);
  });
});

describe('accounts store', () => {
  it('is empty until loaded, then lists accounts by position', async () => {
    const fake = fakeAccounts([sampleAccount({ id: 5, position: 1 }), sampleAccount({ id: 4, position: 0 })]);
    const store = createAccountsStore(fake.backend);
    expect(get(store.isEmpty)).toBe(true);
    await store.load();
    expect(get(store.isEmpty)).toBe(false);
    expect(get(store).map((a) => a.id)).toEqual([4, 5]);
    expect(get(store.error)).toBeNull();
  });

  it('keeps the previous list and reports a CommandError on failure', async () => {
    const fake = fakeAccounts();
    const store = createAccountsStore(fake.backend);
    await store.load();
    fake.fail.list = { code: 'STORAGE', message: 'database is locked' };
    await store.load();
    expect(get(store)).toHaveLength(3);
    expect(get(store.error)).toBe('database is locked');
    fake.fail.list = undefined;
    await store.load();
    expect(get(store.error)).toBeNull();
  });

  it('switches between accounts, wrapping with the arrow keys', async () => {
    const store = createAccountsStore(fakeAccounts().backend);
    await store.load();
    expect(get(store.current)).toBeNull();
    store.selectBy(1);
    expect(get(store.selected)).toBe(1);
    store.selectBy(-1);
    expect(get(store.current)?.display_name).toBe('Carol');
    store.selectBy(1);
    expect(get(store.selected)).toBe(1);
    store.selectIndex(1);
    expect(get(store.selected)).toBe(2);
    store.selectIndex(7);
    expect(get(store.selected)).toBe(2);
  });

  it('persists a new order and undoes it when saving fails', async () => {
    const fake = fakeAccounts();
    const store = createAccountsStore(fake.backend);
    await store.load();
    await store.move(3, 0);
    expect(get(store).map((a) => a.id)).toEqual([3, 1, 2]);
    expect(fake.calls).toContainEqual(['reorder', [3, 1, 2]]);
    fake.fail.reorder = { code: 'STORAGE', message: 'disk full' };
    await store.move(1, 2);
    expect(get(store).map((a) => a.id)).toEqual([3, 1, 2]);
    expect(get(store.actionError)).toBe('disk full');
    const before = fake.calls.length;
    await store.move(3, 0);
    expect(fake.calls.length).toBe(before);
  });

  it('updates the connection dot from events and reloads on list changes', async () => {
    const fake = fakeAccounts();
    const store = createAccountsStore(fake.backend);
    await store.load();
    await store.listen();
    await store.listen();
    expect(fake.calls.filter((c) => c[0] === 'subscribe')).toHaveLength(1);
    fake.emit({ kind: 'connection', account_id: 2, state: 'online', detail: null });
    expect(get(store).map((a) => a.state)).toEqual(['offline', 'online', 'offline']);
    fake.setList([sampleAccount({ id: 9 })]);
    fake.emit({ kind: 'list_changed' });
    await Promise.resolve();
    await Promise.resolve();
    expect(get(store).map((a) => a.id)).toEqual([9]);
  });

  it('logs out and removes accounts, forgetting the selection of a gone one', async () => {
    const fake = fakeAccounts();
    const store = createAccountsStore(fake.backend);
    await store.load();
    store.select(2);
    expect(await store.logOut(2)).toBe(true);
    expect(get(store).map((a) => a.id)).toEqual([1, 3]);
    expect(get(store.selected)).toBeNull();
    fake.fail.remove = { code: 'KEYRING', message: 'the keyring is locked; unlock it and try again' };
    expect(await store.remove(3)).toBe(false);
    expect(get(store.actionError)).toBe('the keyring is locked; unlock it and try again');
    expect(get(store)).toHaveLength(2);
  });

  it('sets a proxy and shows it on the account', async () => {
    const fake = fakeAccounts();
    const store = createAccountsStore(fake.backend);
    await store.load();
    expect(await store.setProxy(1, 4)).toBe(true);
    expect(get(store)[0].proxy_id).toBe(4);
    expect(fake.calls).toContainEqual(['setProxy', 1, 4]);
    fake.fail.setProxy = { code: 'NOT_FOUND', message: 'proxy 9 does not exist' };
    expect(await store.setProxy(1, 9)).toBe(false);
    expect(get(store)[0].proxy_id).toBe(4);
  });
});

import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { sampleInfo } from '../testing';
import { createAppInfoStore, describeError } from './appInfo';
import { createNavigationStore, openAccount } from './navigation';

describe('appInfo store', () => {
  it('starts loading and becomes ready with the backend facts', async () => {
    const store = createAppInfoStore(async () => sampleInfo({ tl_layer: 229 }));
    expect(get(store)).toEqual({ status: 'loading' });
    await store.load();
    expect(get(store)).toEqual({ status: 'ready', info: sampleInfo({ tl_layer: 229 }) });
  });

  it('turns a rejected command into an error state with its message', async () => {
    const store = createAppInfoStore(() => Promise.reject('state not managed'));
    await store.load();
    expect(get(store)).toEqual({ status: 'error', message: 'state not managed' });
  });

  it('recovers on a later successful load', async () => {
    let calls = 0;
    const store = createAppInfoStore(async () => {
      calls += 1;
      if (calls === 1) throw new Error('ipc down');
      return sampleInfo();
    });
    await store.load();
    expect(get(store).status).toBe('error');
    await store.load();
    expect(get(store).status).toBe('ready');
  });

  it('describes strings, errors and unknown rejections', () => {
    expect(describeError('plain')).toBe('plain');
    expect(describeError(new Error('boxed'))).toBe('boxed');
    expect(describeError({ message: 'from a CommandError' })).toBe('from a CommandError');
    expect(describeError({ message: 7 })).toBe('unknown error');
    expect(describeError(42)).toBe('unknown error');
  });
});

describe('navigation store', () => {
  it('starts on welcome and moves between pages', () => {
    const nav = createNavigationStore();
    expect(get(nav)).toBe('welcome');
    nav.go('diagnostics');
    expect(get(nav)).toBe('diagnostics');
    nav.go('add-account');
    expect(get(nav)).toBe('add-account');
  });
});

describe('openAccount', () => {
  it('opens the overview, but keeps an open account page while switching', () => {
    const nav = createNavigationStore();
    const picked: number[] = [];
    const accounts = { select: (id: number) => picked.push(id) };
    openAccount(accounts, nav, 4);
    expect(get(nav)).toBe('account');
    nav.go('sessions');
    openAccount(accounts, nav, 5);
    expect(get(nav)).toBe('sessions');
    expect(picked).toEqual([4, 5]);
  });
});

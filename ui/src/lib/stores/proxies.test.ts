import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { createProxiesStore, linkInput, type ProxyEntry, type ProxyInput } from './proxies';

describe('proxies store', () => {
  it('loads, adds and removes proxies, keeping the backend error visible', async () => {
    const saved: ProxyEntry = { id: 1, label: 'socks5 127.0.0.1:1080', kind: 'socks5', saved: true, damaged: false, note: null };
    const inputs: ProxyInput[] = [];
    const store = createProxiesStore({
      list: async () => [saved],
      async add(input) {
        inputs.push(input);
        if (input.link === 'bad') throw { message: '"bad" is not a proxy URL' };
        return { id: -1, label: 'mtproxy(dd) 127.0.0.1:443', kind: 'mtproxy', saved: false, damaged: false, note: 'Not saved: keyring locked.' };
      },
      remove: async () => {},
    });
    await store.load();
    expect(get(store).list).toEqual([saved]);
    expect(await store.add(linkInput('bad'))).toBeNull();
    expect(get(store).error).toBe('"bad" is not a proxy URL');
    const entry = await store.add(linkInput('tg://proxy?server=127.0.0.1&port=443&secret=dd00'));
    expect(entry?.saved).toBe(false);
    expect(get(store).error).toBeNull();
    expect(inputs[1]).toEqual({ link: 'tg://proxy?server=127.0.0.1&port=443&secret=dd00', kind: '', host: '', port: 0, username: null, password: null, secret: null });
    await store.remove(1);
    expect(get(store).list.map((p) => p.id)).toEqual([-1]);
  });

  it('replaces a damaged proxy that adding it again repaired', async () => {
    const damaged: ProxyEntry = {
      id: 4,
      label: 'socks5 127.0.0.1:1080',
      kind: 'socks5',
      saved: true,
      damaged: true,
      note: 'Not usable: its password or secret is no longer in the keyring.',
    };
    const repaired: ProxyEntry = { ...damaged, damaged: false, note: null };
    const store = createProxiesStore({
      list: async () => [damaged],
      add: async () => repaired,
      remove: async () => {},
    });
    await store.load();
    await store.add(linkInput('socks5://u:p@127.0.0.1:1080'));
    expect(get(store).list).toEqual([repaired]);
  });
});

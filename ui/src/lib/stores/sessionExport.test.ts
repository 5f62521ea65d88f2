import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { ExportSessionRequest, ExportedSessionView } from './sessionExport';
import { checkRequest, createSessionExportStore } from './sessionExport';

const written: ExportedSessionView = {
  format: 'Telethon StringSession',
  path: null,
  string: '1AAAA',
  dc: 2,
  key_id: '00000000000000ff',
  moved: false,
};

function fake(answer: () => Promise<ExportedSessionView | null>) {
  const calls: ExportSessionRequest[] = [];
  const store = createSessionExportStore({
    exportSession: (request) => {
      calls.push(request);
      return answer();
    },
  });
  return { store, calls };
}

const fresh = (label: string): ExportSessionRequest => ({
  account_id: 4,
  mode: 'fresh',
  format: 'telethon-string',
  label,
  confirmed: false,
  password: null,
  bot_token: null,
  login: null,
});

describe('checkRequest', () => {
  it('needs a name for a new session and a confirmation for a move', () => {
    expect(checkRequest(fresh('  '))).toMatch(/Name the new session/);
    expect(checkRequest(fresh('Backup'))).toBeNull();
    expect(checkRequest({ ...fresh(''), mode: 'move' })).toMatch(/confirm/);
    expect(checkRequest({ ...fresh(''), mode: 'move', confirmed: true })).toBeNull();
  });

  it("needs a bot's token for a bot's new session, not for a move", () => {
    expect(checkRequest({ ...fresh('Bot tool'), bot_token: ' ' })).toMatch(/bot's token/);
    expect(checkRequest({ ...fresh('Bot tool'), bot_token: '7000001:AAx' })).toBeNull();
    expect(checkRequest({ ...fresh(''), mode: 'move', confirmed: true, bot_token: '' })).toBeNull();
  });
});

describe('session export store', () => {
  it('keeps the string of a new session until dismissed', async () => {
    const { store, calls } = fake(async () => written);
    expect(await store.run(fresh('Backup'))).toBe(true);
    expect(calls).toEqual([fresh('Backup')]);
    expect(get(store).result?.string).toBe('1AAAA');
    store.dismiss();
    expect(get(store).result).toBeNull();
  });

  it('sends nothing for a bot without its token, and names the field', async () => {
    const { store, calls } = fake(async () => written);
    expect(await store.run({ ...fresh('Bot tool'), bot_token: '' })).toBe(false);
    expect(calls).toEqual([]);
    expect(get(store).field).toBe('bot_token');
    expect(await store.run({ ...fresh('Bot tool'), bot_token: '7000001:AAx' })).toBe(true);
    expect(calls[0].bot_token).toBe('7000001:AAx');
  });

  it('sends nothing for an unconfirmed move', async () => {
    const { store, calls } = fake(async () => written);
    expect(await store.run({ ...fresh(''), mode: 'move' })).toBe(false);
    expect(calls).toEqual([]);
    expect(get(store).field).toBe('confirm');
  });

  it('reports a closed dialog as nothing written and a failure in its words', async () => {
    const closed = fake(async () => null);
    expect(await closed.store.run(fresh('A'))).toBe(false);
    expect(get(closed.store).error).toBeNull();
    const failing = fake(async () => {
      throw { code: 'INVALID_INPUT', message: 'x exists already', field: 'out', retry_after_secs: null };
    });
    expect(await failing.store.run(fresh('A'))).toBe(false);
    expect(get(failing.store).error).toMatch(/exists already/);
    expect(get(failing.store).field).toBe('out');
  });
});

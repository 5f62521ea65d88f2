import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { fakeSessions } from '../fakes';
import { createSessionsStore, ordered } from './sessions';

describe('ordered', () => {
  it('puts the current session first, then the most recently active', () => {
    const { backend } = fakeSessions();
    return backend.list(1).then((list) => {
      expect(ordered(list).map((s) => s.hash)).toEqual(['0', '-9007199254740993', '77']);
    });
  });
});

describe('sessions store', () => {
  it('loads an account, terminates one session and reloads', async () => {
    const fake = fakeSessions();
    const store = createSessionsStore(fake.backend);
    await store.load(3);
    expect(get(store).sessions.map((s) => s.device)).toEqual(['Hearth', 'Pixel 8', 'Telethon']);
    expect(get(store).loading).toBe(false);
    expect(await store.terminate('77')).toBe(true);
    expect(fake.calls).toContainEqual(['terminate', 3, '77']);
    expect(get(store).sessions.map((s) => s.hash)).toEqual(['0', '-9007199254740993']);
  });

  it('terminates all others and keeps the current one', async () => {
    const fake = fakeSessions();
    const store = createSessionsStore(fake.backend);
    await store.load(3);
    expect(await store.terminateOthers()).toBe(true);
    expect(get(store).sessions.map((s) => s.current)).toEqual([true]);
  });

  it('shows a failure in plain words and stays usable', async () => {
    const fake = fakeSessions();
    const store = createSessionsStore(fake.backend);
    await store.load(3);
    fake.fail.error = { code: 'FRESH_RESET_AUTHORISATION_FORBIDDEN', message: 'raw', field: null, retry_after_secs: null };
    expect(await store.terminateOthers()).toBe(false);
    expect(get(store).error).toContain('only after it has been signed in for 24 hours');
    expect(get(store).busy).toBeNull();
    expect(get(store).sessions).toHaveLength(3);
  });

  it('does nothing before an account is loaded', async () => {
    const fake = fakeSessions();
    const store = createSessionsStore(fake.backend);
    expect(await store.terminate('77')).toBe(false);
    expect(fake.calls).toEqual([]);
  });
});

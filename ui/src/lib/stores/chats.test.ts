import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { commandError, fakeChats, sampleMessage } from '../chats/fake';
import { createChatsStore, PAGE, type Scheduler } from './chats';

/** Applies live changes at once, so each test sees them right after `emit`. */
const now: Scheduler = (flush) => flush();

describe('chats store: dialogs', () => {
  it('loads every page of dialogs, sums unread counts and filters by the search box', async () => {
    const fake = fakeChats({ dialogs: 250, pageSize: 100 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    expect(get(store).dialogs).toHaveLength(250);
    expect(get(store).dialogsDone).toBe(true);
    expect(fake.calls.filter((c) => c[0] === 'dialogs').map((c) => c[2])).toEqual([true, false, false, false]);
    expect(get(store.unreadTotal)).toBe(2 + 249);
    store.search('chat 25');
    expect(get(store.visible).map((d) => d.title)).toEqual(['Chat 25', 'Chat 250']);
  });

  it('shows a failure to list dialogs in words', async () => {
    const fake = fakeChats();
    fake.fail.dialogs = commandError('NETWORK');
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    expect(get(store).dialogsError).toBe('raw NETWORK');
  });
});

describe('chats store: history', () => {
  it('opens at the newest page and pages older until the start', async () => {
    const fake = fakeChats({ messages: 120 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    expect(get(store).messages.map((m) => m.id)).toEqual(Array.from({ length: PAGE }, (_, i) => 71 + i));
    expect(get(store).hasOlder).toBe(true);
    await store.loadOlder();
    await store.loadOlder();
    expect(get(store).messages[0].id).toBe(1);
    expect(get(store).messages).toHaveLength(120);
    expect(get(store).hasOlder).toBe(false);
  });

  it('jumps to a message outside the window and pages newer from there', async () => {
    const fake = fakeChats({ messages: 120 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    await store.jumpTo(10);
    const s = get(store);
    expect(s.focus).toBe(10);
    expect(s.messages.some((m) => m.id === 10)).toBe(true);
    expect(s.hasNewer).toBe(true);
    await store.loadNewer();
    await store.loadNewer();
    expect(get(store).messages.at(-1)?.id).toBe(120);
    expect(get(store).hasNewer).toBe(false);
  });

  it('marks the chat read up to the newest message shown, once', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    await store.markRead(120);
    await store.markRead(120);
    expect(fake.calls.filter((c) => c[0] === 'read')).toEqual([['read', 7, 1001, 120]]);
    expect(get(store.current)?.unread_count).toBe(0);
    expect(get(store.unreadTotal)).toBe(2);
  });

  it('draws a chat opened again from its kept newest page at once, then the fetched page', async () => {
    const fake = fakeChats({ messages: 120 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    await store.open(1002);
    // The next history answer waits until released.
    let release: () => void = () => {};
    const history = fake.backend.history;
    fake.backend.history = async (account, r) => {
      await new Promise<void>((resolve) => (release = resolve));
      return history(account, r);
    };
    fake.history.push(sampleMessage({ id: 121, text: 'arrived while away' }));
    const opening = store.open(1001);
    let s = get(store);
    expect(s.chat).toBe(1001);
    expect(s.messages.map((m) => m.id)).toEqual(Array.from({ length: PAGE }, (_, i) => 71 + i));
    expect(s.loadingOlder).toBe(false);
    expect(s.hasOlder).toBe(true);
    release();
    await opening;
    s = get(store);
    expect(s.messages.map((m) => m.id)).toEqual(Array.from({ length: PAGE }, (_, i) => 72 + i));
    expect(s.messages.at(-1)?.text).toBe('arrived while away');
  });

  it('keeps no page of a chat changed live while it was not open', async () => {
    const fake = fakeChats({ messages: 120 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    await store.open(1002);
    fake.emit({ kind: 'edited', message: sampleMessage({ id: 100, text: 'changed' }) });
    const opening = store.open(1001);
    expect(get(store).messages).toEqual([]);
    expect(get(store).loadingOlder).toBe(true);
    await opening;
    expect(get(store).messages).toHaveLength(PAGE);
    // A deletion that does not name its chat drops every kept private chat.
    await store.open(1002);
    fake.emit({ kind: 'deleted', channel: null, ids: [5] });
    const again = store.open(1001);
    expect(get(store).messages).toEqual([]);
    await again;
  });

  it('marks a chat whose dialog is not loaded read once, without redrawing anything', async () => {
    const fake = fakeChats({ dialogs: 0 });
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    let updates = 0;
    const stop = store.subscribe(() => updates++);
    await store.markRead(120);
    await store.markRead(120);
    await store.markRead(119);
    expect(fake.calls.filter((c) => c[0] === 'read')).toEqual([['read', 7, 1001, 120]]);
    expect(updates).toBe(1); // the subscription's first call only
    await store.markRead(121);
    expect(fake.calls.filter((c) => c[0] === 'read')).toHaveLength(2);
    stop();
  });

  it('shows outgoing messages as read up to the read outbox mark, live', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    const mine = sampleMessage({ id: 100, out: true });
    expect(store.readByPeer(mine)).toBe(false);
    fake.emit({ kind: 'read_outbox', chat: 1001, max_id: 100 });
    expect(store.readByPeer(mine)).toBe(true);
  });
});

describe('chats store: live changes', () => {
  it('appends new messages to the open chat and bumps and counts others', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    fake.emit({ kind: 'new', message: sampleMessage({ id: 500, chat: 1001, text: 'live' }) });
    expect(get(store).messages.at(-1)?.text).toBe('live');
    fake.emit({ kind: 'new', message: sampleMessage({ id: 2, chat: 1003, text: 'elsewhere' }) });
    const top = get(store).dialogs[0];
    expect([top.chat, top.unread_count, top.top?.text]).toEqual([1003, 2, 'elsewhere']);
  });

  it('counts a message once when the dialog page already has it', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    const chat1003 = () => get(store).dialogs.find((d) => d.chat === 1003)!;
    // Dialog 1003's page (top id 1, one unread) was fetched after message 1 arrived: its
    // event, replayed, and an older one change nothing.
    fake.emit({ kind: 'new', message: sampleMessage({ id: 1, chat: 1003, text: 'replayed' }) });
    expect([chat1003().unread_count, chat1003().top?.text]).toEqual([1, 'hi 2']);
    fake.emit({ kind: 'new', message: sampleMessage({ id: 3, chat: 1003, text: 'new' }) });
    fake.emit({ kind: 'new', message: sampleMessage({ id: 3, chat: 1003, text: 'new' }) });
    fake.emit({ kind: 'new', message: sampleMessage({ id: 2, chat: 1003, text: 'late' }) });
    expect([chat1003().unread_count, chat1003().top?.text]).toEqual([2, 'new']);
  });

  it('applies edits and deletions to the open chat', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    fake.emit({ kind: 'edited', message: sampleMessage({ id: 120, text: 'changed', edit_date: 1 }) });
    expect(get(store).messages.at(-1)?.text).toBe('changed');
    expect(get(store.current)?.top?.text).toBe('changed');
    fake.emit({ kind: 'deleted', channel: null, ids: [119, 120] });
    expect(get(store).messages.at(-1)?.id).toBe(118);
    // A channel's deletion names the channel; the private chat keeps its messages.
    fake.emit({ kind: 'deleted', channel: -1001234567890, ids: [118] });
    expect(get(store).messages.at(-1)?.id).toBe(118);
  });
});

describe('chats store: composer and menu', () => {
  it('sends a reply and shows it at the bottom', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    store.reply(get(store).messages[0]);
    expect(await store.submit('**hi** there')).toBe(true);
    expect(fake.calls).toContainEqual(['send', 7, 1001, '**hi** there', 71]);
    expect(get(store).messages.at(-1)?.text).toBe('**hi** there');
    expect(get(store).replyTo).toBeNull();
  });

  it('edits a message from its menu', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    store.startEdit(get(store).messages.at(-1)!);
    expect(await store.submit('fixed')).toBe(true);
    expect(get(store).messages.at(-1)?.text).toBe('fixed');
    expect(get(store).editing).toBeNull();
  });

  it('shows CHAT_WRITE_FORBIDDEN on the composer in plain words', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    fake.fail.send = commandError('CHAT_WRITE_FORBIDDEN', 'composer');
    expect(await store.submit('hello')).toBe(false);
    expect(get(store).composerError).toBe('You cannot write in this chat.');
  });

  it('blocks the composer for a flood wait and says how long', async () => {
    let clock = 1_000_000;
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, () => clock, now);
    await store.load(7);
    await store.open(1001);
    fake.fail.send = commandError('FLOOD_WAIT', 'composer', 42);
    expect(await store.submit('hello')).toBe(false);
    expect(get(store).composerError).toBe('Telegram asks to wait 0:42 before trying again.');
    expect(await store.submit('again')).toBe(false);
    expect(fake.calls.filter((c) => c[0] === 'send')).toHaveLength(1);
    clock += 43_000;
    expect(await store.submit('again')).toBe(true);
  });

  it('shows MESSAGE_EDIT_TIME_EXPIRED on the message that was edited', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    store.startEdit(get(store).messages[0]);
    fake.fail.edit = commandError('MESSAGE_EDIT_TIME_EXPIRED', 'message');
    expect(await store.submit('late')).toBe(false);
    expect(get(store).messageErrors[71]).toBe('This message is too old to edit. Send a new one instead.');
    expect(get(store).composerError).toBeNull();
  });

  it('deletes for everyone or shows why not on the message', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    const last = get(store).messages.at(-1)!;
    fake.fail.delete = commandError('MESSAGE_DELETE_FORBIDDEN', 'message');
    expect(await store.remove(last, true)).toBe(false);
    expect(get(store).messageErrors[last.id]).toBe('You may not delete this message for everyone.');
    expect(await store.remove(last, true)).toBe(true);
    expect(fake.calls).toContainEqual(['delete', 7, 1001, [last.id], true]);
    expect(get(store).messages.some((m) => m.id === last.id)).toBe(false);
    expect(get(store).messageErrors[last.id]).toBeUndefined();
  });
});

describe('chats store: bursts', () => {
  it('applies a burst of live changes in one update', async () => {
    const fake = fakeChats({ messages: 10 });
    const pending: (() => void)[] = [];
    const store = createChatsStore(fake.backend, Date.now, (flush) => pending.push(flush));
    await store.load(7);
    await store.open(1001);
    let updates = 0;
    const stop = store.subscribe(() => updates++);
    updates = 0;
    for (let i = 0; i < 1000; i++) {
      fake.emit({ kind: 'new', message: sampleMessage({ id: 100 + i, chat: 1001, text: `burst ${i}` }) });
    }
    fake.emit({ kind: 'new', message: sampleMessage({ id: 7, chat: 1002, text: 'elsewhere' }) });
    expect(pending).toHaveLength(1);
    expect(get(store).messages).toHaveLength(10);
    pending[0]();
    stop();
    expect(updates).toBe(1);
    expect(get(store).messages).toHaveLength(1010);
    expect(get(store).dialogs.map((d) => [d.chat, d.unread_count])).toEqual([[1002, 2], [1001, 2], [1003, 1]]);
  });
});

describe('chats store: the chat open at quit', () => {
  it('remembers the open chat and forgets it when closed', async () => {
    const fake = fakeChats();
    const store = createChatsStore(fake.backend, Date.now, now);
    await store.load(7);
    await store.open(1001);
    expect(fake.saved.open).toEqual({ account: 7, chat: 1001 });
    store.close();
    await Promise.resolve();
    expect(fake.saved.open).toBeNull();
  });

  it('reopens the saved chat when its account loads, and only then', async () => {
    const fake = fakeChats({ messages: 120 });
    fake.saved.open = { account: 7, chat: 1001 };
    const store = createChatsStore(fake.backend, Date.now, now);
    expect(await store.restore()).toEqual({ account: 7, chat: 1001 });
    await store.load(8);
    expect(get(store).chat).toBeNull();
    expect(await store.restore()).toEqual({ account: 7, chat: 1001 });
    await store.load(7);
    const s = get(store);
    expect(s.chat).toBe(1001);
    expect(s.messages.at(-1)?.id).toBe(120);
    expect(s.dialogs.length).toBeGreaterThan(0);
    // Loading the account again later does not reopen it.
    store.close();
    await store.load(7);
    expect(get(store).chat).toBeNull();
  });

  it('starts without a chat when the saved one cannot be read', async () => {
    const fake = fakeChats();
    fake.fail.lastOpen = commandError('DATABASE');
    const store = createChatsStore(fake.backend, Date.now, now);
    expect(await store.restore()).toBeNull();
    await store.load(7);
    expect(get(store).chat).toBeNull();
  });

  it('sends by file id to the open chat and reports a malformed id in words', async () => {
    const fake = fakeChats({ messages: 5 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    expect(await chats.sendFileId('AgAC', '')).toBe('Open a chat first.');
    await chats.open(1001);
    expect(await chats.sendFileId('   ', '')).toBe('Paste a file id first.');
    fake.fail.sendFileId = { code: 'FILE_ID_INVALID', message: 'this is not a valid file id: the id is empty', field: 'file_id', retry_after_secs: null };
    expect(await chats.sendFileId('x', '')).toBe('this is not a valid file id: the id is empty');
    expect(await chats.sendFileId(' AgACid \n', 'cap')).toBeNull();
    expect(fake.calls.at(-1)).toEqual(['sendFileId', 1, 1001, 'AgACid', 'cap']);
    const last = get(chats).messages.at(-1);
    expect([last?.text, last?.out, last?.media?.file_id]).toEqual(['cap', true, 'AgACid']);
  });
});

import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { commandError, fakeChats, sampleMessage } from '../../chats/fake';
import { createChatsStore } from '../../stores/chats';
import { createChatSearch } from '../../stores/chatSearch';
import ChatView from './ChatView.svelte';
import DialogList from './DialogList.svelte';

// jsdom lays nothing out, so it has no scrollIntoView.
Element.prototype.scrollIntoView = function scrollIntoView() {};
// Nor a ResizeObserver (the dialog list keeps its default height).
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

describe('DialogList', () => {
  it('searches the messages of every chat after a pause and opens one at its message', async () => {
    const fake = fakeChats({ dialogs: 3, messages: 120 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    const searchAll = vi.fn(async () => ({
      messages: [sampleMessage({ id: 7, chat: 1001, text: 'message 7' })],
      total: 1,
      next: null,
    }));
    const messageSearch = createChatSearch({ search: async () => ({ messages: [], total: 0, next: null }), searchAll });
    render(DialogList, { chats, messageSearch });
    // One letter filters the dialogs only.
    await fireEvent.input(screen.getByTestId('dialog-search'), { target: { value: 'm' } });
    await new Promise((r) => setTimeout(r, 450));
    expect(searchAll).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('dialog-search'), { target: { value: 'message 7' } });
    const hit = await screen.findByTestId('message-search-result', {}, { timeout: 2000 });
    expect(searchAll).toHaveBeenCalledTimes(1);
    expect(searchAll).toHaveBeenCalledWith(1, 'message 7', null);
    expect(hit).toHaveTextContent('message 7');
    await fireEvent.click(hit);
    await vi.waitFor(() => expect(get(chats)).toMatchObject({ chat: 1001, focus: 7 }));
    expect(get(chats).messages.some((m) => m.id === 7)).toBe(true);
    // Other store changes (the chat opening) did not search again.
    expect(searchAll).toHaveBeenCalledTimes(1);
    // Clearing the box clears the messages found.
    await fireEvent.input(screen.getByTestId('dialog-search'), { target: { value: '' } });
    await vi.waitFor(() => expect(screen.queryByTestId('message-search')).toBeNull());
  });

  it('shows more messages found across chats a page at a time', async () => {
    const fake = fakeChats({ dialogs: 3, messages: 20 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    const after = { rate: 1700000000, chat: 1002, id: 4 };
    const searchAll = vi.fn(async (_account: number, _query: string, from: typeof after | null) =>
      from === null
        ? {
            messages: [
              sampleMessage({ id: 6, chat: 1001, text: 'tea 6' }),
              sampleMessage({ id: 4, chat: 1002, text: 'tea 4' }),
            ],
            total: 3,
            next: after,
          }
        : { messages: [sampleMessage({ id: 1, chat: 1003, text: 'tea 1' })], total: 3, next: null },
    );
    const messageSearch = createChatSearch({ search: async () => ({ messages: [], total: 0, next: null }), searchAll });
    render(DialogList, { chats, messageSearch });
    await fireEvent.input(screen.getByTestId('dialog-search'), { target: { value: 'tea' } });
    await vi.waitFor(() => expect(screen.getAllByTestId('message-search-result')).toHaveLength(2), { timeout: 2000 });
    const more = screen.getByTestId('message-search-more');
    expect(more).toHaveTextContent('2 of 3');
    await fireEvent.click(more);
    await vi.waitFor(() => expect(screen.getAllByTestId('message-search-result')).toHaveLength(3));
    expect(searchAll).toHaveBeenLastCalledWith(1, 'tea', after);
    expect(screen.getAllByTestId('message-search-result').map((b) => b.dataset.id)).toEqual(['6', '4', '1']);
    expect(screen.queryByTestId('message-search-more')).toBeNull();
  });

  it('draws a window of rows for 10,000 dialogs and filters with the search box', async () => {
    const fake = fakeChats({ dialogs: 10_000, messages: 5 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    render(DialogList, { chats });
    const list = screen.getByTestId('dialog-list');
    expect(list.dataset.count).toBe('10000');
    const rows = screen.getAllByTestId('dialog-item');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(within(rows[0]).getByTestId('dialog-unread')).toHaveTextContent('2');
    await fireEvent.input(screen.getByTestId('dialog-search'), { target: { value: 'chat 9999' } });
    expect(screen.getAllByTestId('dialog-item').map((r) => r.dataset.chat)).toEqual([String(1001 + 9998)]);
  });
});

describe('ChatView', () => {
  async function opened() {
    const fake = fakeChats({ messages: 30 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    await chats.open(1001);
    return { fake, chats };
  }

  it('keeps its search open while a match jumps the chat to the message', async () => {
    const fake = fakeChats({ messages: 120 });
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.load(1);
    await chats.open(1001);
    const chatSearch = createChatSearch({
      search: async () => ({ messages: [sampleMessage({ id: 5, text: 'message 5' })], total: 1, next: null }),
      searchAll: async () => ({ messages: [], total: 0, next: null }),
    });
    render(ChatView, { chats, chatSearch });
    await fireEvent.click(screen.getByTestId('chat-search-toggle'));
    const input = screen.getByTestId('chat-search-input');
    await fireEvent.input(input, { target: { value: 'message 5' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await fireEvent.click(await screen.findByTestId('chat-search-result'));
    await vi.waitFor(() => expect(get(chats).focus).toBe(5));
    expect(get(chats).messages.some((m) => m.id === 5)).toBe(true);
    expect(screen.getByTestId('chat-search-input')).toBeInTheDocument();
    expect(screen.getAllByTestId('chat-search-result')).toHaveLength(1);
  });

  it('shows messages, read marks and a media summary with its thumbnail and Download', async () => {
    const { fake, chats } = await opened();
    const onDownload = vi.fn();
    render(ChatView, { chats, onDownload });
    expect(screen.getAllByTestId('message')).toHaveLength(30);
    expect(screen.getAllByTestId('day-separator').length).toBeGreaterThan(0);
    // Own messages up to the read outbox mark (60) show as read.
    expect(screen.getAllByTestId('read-mark').every((m) => m.dataset.read === 'true')).toBe(true);
    const media = {
      kind: 'photo' as const, label: 'Photo', id: '5', file_name: null, size: 2048, mime: 'image/jpeg',
      width: 80, height: 60, thumbnail: 'data:image/jpeg;base64,/9j/', has_picture: true, file_id: null, file_unique_id: null,
    };
    fake.emit({ kind: 'new', message: sampleMessage({ id: 31, text: 'look', media }) });
    const thumb = await screen.findByTestId('media-thumbnail');
    expect(thumb.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/');
    await fireEvent.click(screen.getByTestId('media-download'));
    expect(onDownload).toHaveBeenCalledWith(expect.objectContaining({ id: 31 }));
  });

  it('shows a refused send on the composer and an expired edit on the message', async () => {
    const { fake, chats } = await opened();
    render(ChatView, { chats });
    fake.fail.send = commandError('CHAT_WRITE_FORBIDDEN', 'composer');
    await fireEvent.input(screen.getByTestId('composer-input'), { target: { value: 'hi' } });
    await fireEvent.click(screen.getByTestId('composer-send'));
    expect(await screen.findByTestId('composer-error')).toHaveTextContent('You cannot write in this chat.');

    const first = screen.getAllByTestId('message')[0];
    await fireEvent.click(within(first).getByTestId('message-menu-button'));
    await fireEvent.click(within(first).getByTestId('menu-edit'));
    expect(screen.getByTestId('edit-bar')).toBeInTheDocument();
    fake.fail.edit = commandError('MESSAGE_EDIT_TIME_EXPIRED', 'message');
    await fireEvent.click(screen.getByTestId('composer-send'));
    expect(await within(first).findByTestId('message-error')).toHaveTextContent('too old to edit');
    expect(get(chats).messageErrors[1]).toBeDefined();
  });

  it('jumps to the original of a reply', async () => {
    const { fake, chats } = await opened();
    fake.emit({ kind: 'new', message: sampleMessage({ id: 31, text: 'answer', reply_to: 2 }) });
    render(ChatView, { chats });
    await fireEvent.click(screen.getByTestId('reply-quote'));
    expect(get(chats).focus).toBe(2);
  });

  it('shows file ids of a bot account with copy buttons and sends by a pasted file id', async () => {
    const { fake, chats } = await opened();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const fileId = 'AgACAgIAAxkBAAIENGfeY4AfRquwTL2LpDrzqvFMVNt_AAIG9DEbXX3wSq3oI7t_PqQGAQADAgADbQADNgQ';
    const media = {
      kind: 'photo' as const, label: 'Photo', id: '5', file_name: null, size: 2048, mime: 'image/jpeg',
      width: 80, height: 60, thumbnail: null, has_picture: true, file_id: fileId, file_unique_id: 'AQADCAcGBQQDAgF5',
    };
    fake.emit({ kind: 'new', message: sampleMessage({ id: 31, text: 'look', media }) });
    render(ChatView, { chats, bot: true });
    const shown = await screen.findByTestId('file-id');
    expect(shown.dataset.full).toBe(fileId);
    expect(shown.textContent).toBe('AgACAgIAAxkB…DbQADNgQ');
    expect(screen.getByTestId('file-unique-id')).toHaveTextContent('AQADCAcGBQQDAgF5');
    await fireEvent.click(screen.getByTestId('copy-file-id'));
    expect(writeText).toHaveBeenCalledWith(fileId);
    expect(await screen.findByTestId('file-id-copied')).toHaveTextContent('file_id copied');

    // A foreign id: the server's MEDIA_EMPTY in plain words, on the id's field.
    await fireEvent.click(screen.getByTestId('send-by-file-id'));
    await fireEvent.input(screen.getByTestId('file-id-input'), { target: { value: fileId } });
    fake.fail.sendFileId = commandError('MEDIA_EMPTY', 'file_id');
    await fireEvent.click(screen.getByTestId('file-id-send'));
    expect(await screen.findByTestId('file-id-error')).toHaveTextContent('belongs to another bot');
    expect(screen.getByTestId('file-id-input').getAttribute('aria-invalid')).toBe('true');

    // Then it goes: the message is in the chat and the form closes.
    await fireEvent.input(screen.getByTestId('file-id-caption'), { target: { value: 'again' } });
    await fireEvent.click(screen.getByTestId('file-id-send'));
    await vi.waitFor(() => expect(screen.queryByTestId('send-file-id')).toBeNull());
    expect(fake.calls.at(-1)).toEqual(['sendFileId', 1, 1001, fileId, 'again']);
    expect(get(chats).messages.at(-1)?.media?.file_id).toBe(fileId);
  });

  it('offers no file ids or file-id sending to user accounts', async () => {
    const { chats } = await opened();
    render(ChatView, { chats });
    expect(screen.queryByTestId('send-by-file-id')).toBeNull();
    expect(screen.queryByTestId('file-ids')).toBeNull();
  });
});

describe('ChatView reopened at start', () => {
  it('settles when the chat is drawn before the dialog list has loaded: one read mark, then quiet', async () => {
    const fake = fakeChats({ messages: 30 });
    // The dialog list answers only when released, after the reopened chat's history.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const dialogs = fake.backend.dialogs;
    fake.backend.dialogs = async (account, restart) => {
      await held;
      return dialogs(account, restart);
    };
    fake.saved.open = { account: 1, chat: 1001 };
    const chats = createChatsStore(fake.backend, Date.now, (flush) => flush());
    await chats.restore();
    const loaded = chats.load(1);
    await vi.waitFor(() => expect(get(chats).messages).toHaveLength(30));
    let updates = 0;
    const stop = chats.subscribe(() => updates++);
    render(ChatView, { chats });
    // Macrotasks run only if the view stopped scheduling work for itself.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls.filter((c) => c[0] === 'read')).toEqual([['read', 1, 1001, 30]]);
    const settled = updates;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates).toBe(settled);
    expect(screen.getAllByTestId('message')).toHaveLength(30);
    release();
    await loaded;
    expect(get(chats).dialogs).toHaveLength(3);
    stop();
  });
});

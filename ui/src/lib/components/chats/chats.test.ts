import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { commandError, fakeChats, sampleMessage } from '../../chats/fake';
import { createChatsStore } from '../../stores/chats';
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
      width: 80, height: 60, thumbnail: 'data:image/jpeg;base64,/9j/',
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

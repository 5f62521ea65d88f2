import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { sampleMessage } from '../../chats/fake';
import { createChatSearch, type ChatSearchBackend } from '../../stores/chatSearch';
import ChatSearchBar from './ChatSearchBar.svelte';

function backend() {
  const search = vi.fn<ChatSearchBackend['search']>(async (_a, _c, query) => ({
    messages: query === 'none' ? [] : [sampleMessage({ id: 42, text: `a ${query} here` }), sampleMessage({ id: 7, text: query, out: true })],
    total: query === 'none' ? 0 : 2,
    next: null,
  }));
  const searchAll = vi.fn<ChatSearchBackend['searchAll']>(async () => ({ messages: [], total: 0, next: null }));
  return { search, searchAll };
}

describe('ChatSearchBar', () => {
  it('searches on Enter, lists the matches and jumps to the one clicked', async () => {
    const b = backend();
    const store = createChatSearch(b);
    const onJump = vi.fn();
    render(ChatSearchBar, { search: store, account: 1, chat: 1001, onJump });
    await fireEvent.click(screen.getByTestId('chat-search-toggle'));
    const input = screen.getByTestId('chat-search-input');
    await fireEvent.input(input, { target: { value: 'tea' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    const hits = await screen.findAllByTestId('chat-search-result');
    expect(b.search).toHaveBeenCalledWith(1, 1001, 'tea', null);
    expect(hits.map((h) => h.dataset.id)).toEqual(['42', '7']);
    expect(hits[1]).toHaveTextContent('You');
    expect(screen.getByTestId('chat-search-count')).toHaveTextContent('2 messages with “tea”');
    await fireEvent.click(hits[0]);
    expect(onJump).toHaveBeenCalledWith(42);

    await fireEvent.input(input, { target: { value: 'none' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(await screen.findByTestId('chat-search-none')).toHaveTextContent('No message contains “none”');
    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('chat-search-input')).toBeNull();
    expect(screen.queryByTestId('chat-search-results')).toBeNull();
  });

  it('searches by itself after a pause in typing, and forgets the query in another chat', async () => {
    vi.useFakeTimers();
    try {
      const b = backend();
      const store = createChatSearch(b);
      const view = render(ChatSearchBar, { search: store, account: 1, chat: 1001, onJump: () => {} });
      await fireEvent.click(screen.getByTestId('chat-search-toggle'));
      const input = screen.getByTestId('chat-search-input');
      await fireEvent.input(input, { target: { value: 'te' } });
      await fireEvent.input(input, { target: { value: 'tea' } });
      expect(b.search).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(400);
      expect(b.search).toHaveBeenCalledTimes(1);
      expect(b.search).toHaveBeenCalledWith(1, 1001, 'tea', null);
      await view.rerender({ search: store, account: 1, chat: 1002, onJump: () => {} });
      expect(screen.queryByTestId('chat-search-input')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

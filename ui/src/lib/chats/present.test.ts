import { describe, expect, it } from 'vitest';
import { sampleMessage } from './fake';
import { chatItems, filterDialogs, initials, preview, segments, sizeText, visibleRange } from './present';
import { sampleDialog } from './fake';

describe('visibleRange', () => {
  it('draws only the rows in view plus the overscan, for 10,000 rows', () => {
    expect(visibleRange(0, 640, 64, 10_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(64 * 5000, 640, 64, 10_000, 5)).toEqual({ start: 4995, end: 5016 });
    expect(visibleRange(64 * 9999, 640, 64, 10_000, 5)).toEqual({ start: 9994, end: 10_000 });
  });
  it('is empty for an empty list and never negative', () => {
    expect(visibleRange(-50, 640, 64, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('segments', () => {
  it('cuts the text at entity boundaries in UTF-16 units', () => {
    // "😀" is two UTF-16 units, so "bold" starts at 3.
    const parts = segments('😀 bold and link', [
      { offset: 3, length: 4, kind: 'bold', detail: null },
      { offset: 12, length: 4, kind: 'text_link', detail: 'https://example.org' },
    ]);
    expect(parts.map((p) => [p.text, p.styles, p.href])).toEqual([
      ['😀 ', [], null],
      ['bold', ['bold'], null],
      [' and ', [], null],
      ['link', ['text_link'], 'https://example.org'],
    ]);
  });
  it('nests overlapping entities and ignores ones outside the text', () => {
    const parts = segments('abcd', [
      { offset: 0, length: 4, kind: 'bold', detail: null },
      { offset: 1, length: 2, kind: 'italic', detail: null },
      { offset: 9, length: 2, kind: 'code', detail: null },
    ]);
    expect(parts.map((p) => [p.text, p.styles])).toEqual([
      ['a', ['bold']],
      ['bc', ['bold', 'italic']],
      ['d', ['bold']],
    ]);
  });
});

describe('chatItems', () => {
  it('puts a separator before each day and sender names on runs in groups', () => {
    const day = 86_400;
    const base = 1_764_806_400; // a midnight UTC; days differ in any zone by a full day
    const items = chatItems(
      [
        sampleMessage({ id: 1, date: base + 3600, sender: 7, sender_name: 'Ann' }),
        sampleMessage({ id: 2, date: base + 3700, sender: 7, sender_name: 'Ann' }),
        sampleMessage({ id: 3, date: base + 3800, sender: 8, sender_name: 'Ben' }),
        sampleMessage({ id: 4, date: base + day + 3600, sender: 8, sender_name: 'Ben' }),
      ],
      true,
    );
    expect(items.map((i) => (i.kind === 'day' ? 'day' : `${i.message.id}${i.showSender ? '+' : ''}`))).toEqual([
      'day', '1+', '2', '3+', 'day', '4+',
    ]);
  });
  it('shows no sender names in private chats', () => {
    const items = chatItems([sampleMessage({ id: 1 }), sampleMessage({ id: 2, sender: 9 })], false);
    expect(items.filter((i) => i.kind === 'message' && i.showSender)).toEqual([]);
  });
});

describe('words', () => {
  it('previews service messages, media and own messages', () => {
    expect(preview(sampleMessage({ service: 'Ann joined the group', text: '' }))).toBe('Ann joined the group');
    expect(preview(sampleMessage({ out: true, text: 'hi' }))).toBe('You: hi');
    expect(preview(sampleMessage({ text: 'look', sender_name: 'Ann' }), true)).toBe('Ann: look');
    expect(
      preview(sampleMessage({ text: '', media: { kind: 'photo', label: 'Photo', id: '1', file_name: null, size: null, mime: null, width: 1, height: 1, thumbnail: null, has_picture: false, file_id: null, file_unique_id: null } })),
    ).toBe('Photo');
  });
  it('makes initials, sizes and filters', () => {
    expect(initials('Hearth news')).toBe('HN');
    expect(initials('  ')).toBe('?');
    expect(sizeText(1536)).toBe('1.5 KB');
    expect(sizeText(5 * 1024 * 1024)).toBe('5.0 MB');
    const ds = [sampleDialog({ chat: 1, title: 'Alice' }), sampleDialog({ chat: 2, title: 'Bob', top: sampleMessage({ text: 'about alice' }) })];
    expect(filterDialogs(ds, 'ALI').map((d) => d.chat)).toEqual([1, 2]);
    expect(filterDialogs(ds, 'bob').map((d) => d.chat)).toEqual([2]);
  });
});

// How chats are drawn, as pure functions: the dialog list's visible window,
// initials and colours, previews, dates, day separators, and text split at
// its entities (offsets in UTF-16 code units, as JavaScript strings count).
import type { ChatMessage } from '../bindings/ChatMessage';
import type { DialogView } from '../bindings/DialogView';
import type { EntityView } from '../bindings/EntityView';

/** Rows to draw for a list scrolled to `scrollTop`, with `overscan` rows either side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 6,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/** Up to two initials of a title ("Hearth news" → "HN"). */
export function initials(title: string): string {
  const words = title.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

/** One of eight avatar colours, fixed per chat. */
export function chatHue(chat: number): number {
  return Math.abs(chat) % 8;
}

/** A message in one line, for the dialog list. */
export function preview(m: ChatMessage | null, isGroup = false): string {
  if (!m) return '';
  if (m.service) return m.service;
  const body = m.text.replace(/\s+/g, ' ').trim();
  const media = m.media ? (m.media.kind === 'photo' ? 'Photo' : m.media.label) : '';
  const text = media && body ? `${media}, ${body}` : media || body;
  if (m.out) return `You: ${text}`;
  if (isGroup && m.sender_name) return `${m.sender_name}: ${text}`;
  return text;
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A dialog's date: the time today, the weekday within a week, else the date. */
export function listDate(unix: number, now: Date = new Date()): string {
  const d = new Date(unix * 1000);
  if (sameDay(d, now)) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 7 && days > 0) return d.toLocaleDateString([], { weekday: 'short' });
  return d.toLocaleDateString([], { year: '2-digit', month: '2-digit', day: '2-digit' });
}

/** A message's time of day. */
export function timeOf(unix: number): string {
  return new Date(unix * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A day separator's words. */
export function dayLabel(unix: number, now: Date = new Date()): string {
  const d = new Date(unix * 1000);
  if (sameDay(d, now)) return 'Today';
  const yesterday = new Date(now.getTime() - 86_400_000);
  if (sameDay(d, yesterday)) return 'Yesterday';
  return d.toLocaleDateString([], { year: 'numeric', month: 'long', day: 'numeric' });
}

export type ChatItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: ChatMessage; showSender: boolean };

/**
 * The messages (oldest first) with a separator before each new day; in
 * groups the sender's name opens each run of one sender's messages.
 */
export function chatItems(messages: ChatMessage[], isGroup: boolean, now: Date = new Date()): ChatItem[] {
  const items: ChatItem[] = [];
  let lastDay = '';
  let lastSender: number | null | undefined;
  for (const m of messages) {
    const day = new Date(m.date * 1000).toDateString();
    if (day !== lastDay) {
      items.push({ kind: 'day', key: `day-${day}`, label: dayLabel(m.date, now) });
      lastDay = day;
      lastSender = undefined;
    }
    const showSender = isGroup && !m.out && !m.service && m.sender !== lastSender;
    items.push({ kind: 'message', key: `m-${m.id}`, message: m, showSender });
    lastSender = m.service ? undefined : m.sender;
  }
  return items;
}

export interface Segment {
  text: string;
  /** Entity kinds covering this piece (bold, italic, code, …). */
  styles: string[];
  /** The link, for `text_link` and `url`. */
  href: string | null;
}

/** `text` cut at every entity boundary, each piece with the entities covering it. */
export function segments(text: string, entities: EntityView[]): Segment[] {
  const valid = entities.filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length);
  const cuts = new Set<number>([0, text.length]);
  for (const e of valid) {
    cuts.add(e.offset);
    cuts.add(Math.min(text.length, e.offset + e.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = valid.filter((e) => e.offset <= from && e.offset + e.length >= to);
    const piece = text.slice(from, to);
    const link = covering.find((e) => e.kind === 'text_link' || e.kind === 'url');
    out.push({
      text: piece,
      styles: covering.map((e) => e.kind),
      href: link ? (link.kind === 'url' ? piece : link.detail) : null,
    });
  }
  return out;
}

/** A file size in words ("1.4 MB"). */
export function sizeText(bytes: number | null): string {
  if (bytes === null || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Dialogs whose title or preview contains `query` (any case). */
export function filterDialogs(dialogs: DialogView[], query: string): DialogView[] {
  const q = query.trim().toLowerCase();
  if (!q) return dialogs;
  return dialogs.filter(
    (d) => d.title.toLowerCase().includes(q) || (d.top?.text.toLowerCase().includes(q) ?? false),
  );
}

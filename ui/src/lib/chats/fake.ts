// An in-memory chats backend for the UI's tests: dialogs and histories with
// Telegram's paging rules, recording every call; `emit` plays a live event,
// `fail` makes the next call of a method reject with a CommandError.
import type { OpenChat } from '../bindings/OpenChat';
import type { ChatEvent } from '../bindings/ChatEvent';
import type { ChatMessage } from '../bindings/ChatMessage';
import type { CommandError } from '../bindings/CommandError';
import type { DialogView } from '../bindings/DialogView';
import type { ChatsBackend } from '../stores/chats';

export function sampleMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 1,
    chat: 1001,
    sender: 1001,
    sender_name: 'Bob',
    date: 1_764_800_000,
    text: 'hello',
    entities: [],
    reply_to: null,
    edit_date: null,
    out: false,
    mentioned: false,
    forwarded_from: null,
    service: null,
    media: null,
    ...overrides,
  };
}

export function sampleDialog(overrides: Partial<DialogView> = {}): DialogView {
  return {
    chat: 1001,
    title: 'Bob',
    is_group: false,
    top: null,
    unread_count: 0,
    unread_mentions: 0,
    read_inbox_max_id: 0,
    read_outbox_max_id: 0,
    pinned: false,
    ...overrides,
  };
}

export function commandError(code: string, field: string | null = null, retry: number | null = null): CommandError {
  return { code, message: `raw ${code}`, field, retry_after_secs: retry };
}

/** `dialogs` dialogs (chat ids 1001…) and, in chat 1001, `messages` messages (ids 1…). */
export function fakeChats({ dialogs = 3, messages = 120, pageSize = 100 } = {}) {
  const history: ChatMessage[] = Array.from({ length: messages }, (_, i) =>
    sampleMessage({ id: i + 1, date: 1_764_800_000 + i * 60, text: `message ${i + 1}`, out: i % 3 === 0 }),
  );
  const list: DialogView[] = Array.from({ length: dialogs }, (_, i) =>
    sampleDialog({
      chat: 1001 + i,
      title: i === 0 ? 'Bob' : `Chat ${i + 1}`,
      top: i === 0 ? history[history.length - 1] ?? null : sampleMessage({ id: 1, chat: 1001 + i, text: `hi ${i}` }),
      unread_count: i === 0 ? 2 : 1,
      read_outbox_max_id: i === 0 ? 60 : 0,
    }),
  );
  const calls: unknown[][] = [];
  const fail: Partial<Record<keyof ChatsBackend, CommandError>> = {};
  let emit: (e: ChatEvent) => void = () => {};
  const saved: { open: OpenChat | null } = { open: null };
  let cursor = 0;
  let nextId = messages + 1;
  const check = (name: keyof ChatsBackend, ...args: unknown[]) => {
    calls.push([name, ...args]);
    const f = fail[name];
    if (f) {
      delete fail[name];
      throw f;
    }
  };
  const backend: ChatsBackend = {
    async dialogs(account, restart) {
      check('dialogs', account, restart);
      if (restart) cursor = 0;
      const page = list.slice(cursor, cursor + pageSize);
      cursor += page.length;
      return { dialogs: page, done: page.length === 0, total: list.length };
    },
    async history(account, r) {
      check('history', account, r);
      const rows = r.chat === 1001 ? history : [];
      let out: ChatMessage[];
      if (r.older_than !== null) out = rows.filter((m) => m.id < r.older_than!).slice(-r.limit);
      else if (r.newer_than !== null) out = rows.filter((m) => m.id > r.newer_than!).slice(0, r.limit);
      else if (r.around !== null) {
        const at = rows.findIndex((m) => m.id >= r.around!);
        const from = Math.max(0, at - Math.floor(r.limit / 2));
        out = rows.slice(from, from + r.limit);
      } else out = rows.slice(-r.limit);
      return out;
    },
    async send(account, chat, text, replyTo) {
      check('send', account, chat, text, replyTo);
      const m = sampleMessage({ id: nextId++, chat, text, reply_to: replyTo, out: true, date: 1_764_900_000 });
      if (chat === 1001) history.push(m);
      return m;
    },
    async sendFileId(account, chat, fileId, caption) {
      check('sendFileId', account, chat, fileId, caption);
      const media = {
        kind: 'photo' as const,
        label: 'Photo',
        id: '77',
        file_name: null,
        size: 1000,
        mime: 'image/jpeg',
        width: 320,
        height: 240,
        thumbnail: null,
        has_picture: true,
        file_id: fileId,
        file_unique_id: 'AQADTQADAQ',
      };
      const m = sampleMessage({ id: nextId++, chat, text: caption, out: true, date: 1_764_900_000, media });
      if (chat === 1001) history.push(m);
      return m;
    },
    async edit(account, chat, message, text) {
      check('edit', account, chat, message, text);
      const old = history.find((m) => m.id === message) ?? sampleMessage({ id: message, chat });
      Object.assign(old, { text, edit_date: 1_764_900_100 });
      return { ...old };
    },
    async delete(account, chat, ids, revoke) {
      check('delete', account, chat, ids, revoke);
    },
    async read(account, chat, maxId) {
      check('read', account, chat, maxId);
    },
    async subscribe(account, onEvent) {
      check('subscribe', account);
      emit = onEvent;
    },
    async lastOpen() {
      check('lastOpen');
      return saved.open;
    },
    async remember(open) {
      check('remember', open);
      saved.open = open;
    },
  };
  return { backend, calls, fail, history, saved, emit: (e: ChatEvent) => emit(e) };
}

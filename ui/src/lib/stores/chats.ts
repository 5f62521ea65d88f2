// The chats of one account: the dialog list (all pages, newest first, with
// the unread total), the open chat's history paged both ways around a
// window of messages, the composer (send, reply, edit) and the message menu
// (delete for me or for everyone), read marks both ways, and live changes.
// Every decision is here, over an injected backend; components only render.
// Errors stay where the user acted: on the composer, or on the message.
import { derived, writable, type Readable } from 'svelte/store';
import type { ChatEvent } from '../bindings/ChatEvent';
import type { ChatMessage } from '../bindings/ChatMessage';
import type { DialogView } from '../bindings/DialogView';
import type { DialogsPage } from '../bindings/DialogsPage';
import type { HistoryRequest } from '../bindings/HistoryRequest';
import type { OpenChat } from '../bindings/OpenChat';
import { clockText, toUiError, type UiError } from '../errors';
import { applyEvent, isChannel } from '../chats/apply';
import { filterDialogs } from '../chats/present';

export type { ChatMessage, DialogView, OpenChat };

export interface ChatsBackend {
  dialogs(account: number, restart: boolean): Promise<DialogsPage>;
  history(account: number, request: HistoryRequest): Promise<ChatMessage[]>;
  send(account: number, chat: number, text: string, replyTo: number | null): Promise<ChatMessage>;
  /** Sends the photo or document a Bot API file id names (bot accounts). */
  sendFileId(account: number, chat: number, fileId: string, caption: string): Promise<ChatMessage>;
  edit(account: number, chat: number, message: number, text: string): Promise<ChatMessage>;
  delete(account: number, chat: number, ids: number[], revoke: boolean): Promise<void>;
  read(account: number, chat: number, maxId: number): Promise<void>;
  subscribe(account: number, onEvent: (event: ChatEvent) => void): Promise<void>;
  /** The chat open when the app last quit. */
  lastOpen(): Promise<OpenChat | null>;
  /** Saves the open chat (`null`: none) for the next start. */
  remember(open: OpenChat | null): Promise<void>;
}

/** Messages asked for per history page. */
export const PAGE = 50;

/** Chats whose newest page is kept to be drawn at once when opened again. */
export const RECENT_CHATS = 16;

export interface ChatsState {
  account: number | null;
  dialogs: DialogView[];
  dialogsLoading: boolean;
  dialogsDone: boolean;
  dialogsError: string | null;
  query: string;
  /** The open chat. */
  chat: number | null;
  /** Its loaded window, oldest first. */
  messages: ChatMessage[];
  hasOlder: boolean;
  hasNewer: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  historyError: string | null;
  /** The message a jump landed on, to scroll to and highlight. */
  focus: number | null;
  replyTo: ChatMessage | null;
  editing: ChatMessage | null;
  sending: boolean;
  composerError: string | null;
  /** Sending is refused until this time (ms since the epoch) after a flood wait. */
  composerBlockedUntil: number | null;
  /** Errors of actions on messages, by message id. */
  messageErrors: Record<number, string>;
}

const empty: ChatsState = {
  account: null,
  dialogs: [],
  dialogsLoading: false,
  dialogsDone: false,
  dialogsError: null,
  query: '',
  chat: null,
  messages: [],
  hasOlder: false,
  hasNewer: false,
  loadingOlder: false,
  loadingNewer: false,
  historyError: null,
  focus: null,
  replyTo: null,
  editing: null,
  sending: false,
  composerError: null,
  composerBlockedUntil: null,
  messageErrors: {},
};

export interface ChatsStore extends Readable<ChatsState> {
  /** Dialogs matching the search box. */
  visible: Readable<DialogView[]>;
  /** Unread messages over the loaded dialogs. */
  unreadTotal: Readable<number>;
  /** The loaded account's unread total, by account id (for the sidebar). */
  unreadByAccount: Readable<Record<number, number>>;
  /** The open chat's dialog. */
  current: Readable<DialogView | null>;
  /** Shows `account`'s chats: its dialogs, all pages, and live changes. */
  load(account: number): Promise<void>;
  /**
   * The chat open when the app last quit, if any; the next `load` of its account opens
   * it (alongside the dialogs, so the chat's first page does not wait for them).
   */
  restore(): Promise<OpenChat | null>;
  search(query: string): void;
  open(chat: number): Promise<void>;
  close(): void;
  loadOlder(): Promise<void>;
  loadNewer(): Promise<void>;
  /** Shows message `id` of the open chat, loading the page around it if needed. */
  jumpTo(id: number): Promise<void>;
  /** Opens `chat` at its message `id` (a search result). */
  openAt(chat: number, id: number): Promise<void>;
  /** Marks the open chat read up to `maxId` (the newest message shown). */
  markRead(maxId: number): Promise<void>;
  reply(message: ChatMessage | null): void;
  startEdit(message: ChatMessage | null): void;
  /** Sends (or saves the edit of) `text`; true when it went. */
  submit(text: string): Promise<boolean>;
  remove(message: ChatMessage, revoke: boolean): Promise<boolean>;
  /**
   * Sends the file a pasted Bot API file id names to the open chat, with `caption`:
   * null when it went (the message is in the chat), else the error's words.
   */
  sendFileId(fileId: string, caption: string): Promise<string | null>;
  /** Whether message `id` of the open chat was read by the other side. */
  readByPeer(message: ChatMessage): boolean;
}

/** Runs `flush` soon: live changes arriving meanwhile are applied together. */
export type Scheduler = (flush: () => void) => void;

/** About one frame: a burst of changes (a catch-up after being offline) is drawn once. */
export const frameScheduler: Scheduler = (flush) => void setTimeout(flush, 16);

export function createChatsStore(
  backend: ChatsBackend,
  now: () => number = Date.now,
  schedule: Scheduler = frameScheduler,
): ChatsStore {
  const store = writable<ChatsState>(empty);
  let s = empty;
  store.subscribe((v) => (s = v));
  const subscribed = new Set<number>();
  let generation = 0;

  const patch = (p: Partial<ChatsState>) => store.update((v) => ({ ...v, ...p }));
  /** Changes `chat`'s dialog; nothing (no update at all) when it is not loaded. */
  const patchDialog = (chat: number, f: (d: DialogView) => DialogView) => {
    if (!s.dialogs.some((d) => d.chat === chat)) return;
    store.update((v) => ({ ...v, dialogs: v.dialogs.map((d) => (d.chat === chat ? f(d) : d)) }));
  };
  /**
   * The read mark last sent per chat of the loaded account, for a chat whose dialog is not
   * loaded (a chat reopened at start draws before the dialog list arrives): without it,
   * every redraw would send the mark again, and each send redraws.
   */
  let readSent = new Map<number, number>();

  /**
   * The newest page of chats shown since the account loaded, by chat, least recently left
   * first: opening one again draws it in the click's frame, and the fetch that follows
   * replaces it. A live change to a chat that is not open drops its page (a change that
   * cannot be placed drops them all), so what is drawn from here was right when it was left.
   */
  let recent = new Map<number, ChatMessage[]>();

  function forget(e: ChatEvent) {
    switch (e.kind) {
      case 'new':
      case 'edited':
        recent.delete(e.message.chat);
        break;
      case 'deleted':
        if (e.channel !== null) recent.delete(e.channel);
        else for (const chat of [...recent.keys()]) if (!isChannel(chat)) recent.delete(chat);
        break;
      case 'reload':
        recent.clear();
        break;
      default:
        break;
    }
  }

  /** Keeps the open chat's newest page, if the window reaches the newest message. */
  function keepRecent() {
    if (s.chat === null || s.hasNewer || s.messages.length === 0) return;
    recent.delete(s.chat);
    recent.set(s.chat, s.messages.slice(-PAGE));
    while (recent.size > RECENT_CHATS) recent.delete(recent.keys().next().value!);
  }

  /** Live changes wait here until the next flush, which applies them in one update. */
  let queue: [number, ChatEvent][] = [];

  function flush() {
    const batch = queue;
    queue = [];
    let v: ChatsState = { ...s, messages: [...s.messages], dialogs: [...s.dialogs] };
    let reload = false;
    for (const [account, e] of batch) {
      if (v.account !== account) continue;
      if (e.kind === 'reload') reload = true;
      else v = applyEvent(v, e);
      if (e.kind !== 'new' && e.kind !== 'edited') forget(e);
      else if (e.message.chat !== v.chat) forget(e);
    }
    store.set(v);
    if (reload && v.account !== null) void reloadAll(v.account);
  }

  function onEvent(account: number, e: ChatEvent) {
    queue.push([account, e]);
    if (queue.length === 1) schedule(flush);
  }

  /** A message the account sent or edited here, shown at once. */
  function bump(message: ChatMessage) {
    store.set(applyEvent({ ...s, messages: [...s.messages], dialogs: [...s.dialogs] }, { kind: 'new', message }));
  }

  async function loadDialogs(account: number, mine: number) {
    patch({ dialogsLoading: true, dialogsError: null });
    let restart = true;
    try {
      for (;;) {
        const page = await backend.dialogs(account, restart);
        if (generation !== mine) return;
        store.update((v) => {
          const known = new Set(restart ? [] : v.dialogs.map((d) => d.chat));
          const fresh = page.dialogs.filter((d) => !known.has(d.chat));
          return { ...v, dialogs: restart ? fresh : [...v.dialogs, ...fresh], dialogsDone: page.done };
        });
        restart = false;
        if (page.done || page.dialogs.length === 0) break;
      }
      patch({ dialogsLoading: false, dialogsDone: true });
    } catch (failure) {
      if (generation === mine) patch({ dialogsLoading: false, dialogsError: toUiError(failure).message });
    }
  }

  async function reloadAll(account: number) {
    const mine = generation;
    await loadDialogs(account, mine);
    if (s.chat !== null && generation === mine) await open(s.chat);
  }

  async function fetch(request: Omit<HistoryRequest, 'chat' | 'limit'>, chat: number): Promise<ChatMessage[] | null> {
    const account = s.account;
    if (account === null) return null;
    try {
      const list = await backend.history(account, { chat, limit: PAGE, ...request });
      return s.account === account && s.chat === chat ? list : null;
    } catch (failure) {
      if (s.chat === chat) patch({ historyError: toUiError(failure).message });
      return null;
    }
  }

  /** Saves the open chat for the next start; a failure only costs that. */
  function remember(open: OpenChat | null) {
    backend.remember(open).catch(() => {});
  }

  /** The chat `restore` found, until its account's chats load. */
  let reopen: OpenChat | null = null;

  async function open(chat: number) {
    if (s.account !== null && s.chat !== chat) remember({ account: s.account, chat });
    keepRecent();
    const kept = s.chat === chat ? null : recent.get(chat) ?? null;
    store.update((v) => ({
      ...v,
      chat,
      messages: v.chat === chat ? v.messages : kept ?? [],
      hasOlder: kept !== null && kept.length >= PAGE,
      hasNewer: false,
      historyError: null,
      focus: null,
      replyTo: null,
      editing: null,
      composerError: null,
      messageErrors: {},
      // "Loading…" only when there is nothing to show meanwhile.
      loadingOlder: kept === null,
    }));
    const shown = s.messages;
    const list = await fetch({ older_than: null, newer_than: null, around: null }, chat);
    if (list === null) return patch({ loadingOlder: false });
    if (s.messages === shown || list.length === 0) {
      patch({ messages: list, hasOlder: list.length >= PAGE, hasNewer: false, loadingOlder: false });
    } else {
      // Older pages arrived meanwhile: they stay above the fresh newest page.
      const older = s.messages.filter((m) => m.id < list[0].id);
      patch({ messages: [...older, ...list], hasOlder: older.length > 0 ? s.hasOlder : list.length >= PAGE, loadingOlder: false });
    }
  }

  async function loadOlder() {
    const chat = s.chat;
    if (chat === null || !s.hasOlder || s.loadingOlder || s.messages.length === 0) return;
    patch({ loadingOlder: true });
    const list = await fetch({ older_than: s.messages[0].id, newer_than: null, around: null }, chat);
    if (list === null) return patch({ loadingOlder: false });
    const have = new Set(s.messages.map((m) => m.id));
    patch({
      messages: [...list.filter((m) => !have.has(m.id)), ...s.messages],
      hasOlder: list.length >= PAGE,
      loadingOlder: false,
    });
  }

  async function loadNewer() {
    const chat = s.chat;
    if (chat === null || !s.hasNewer || s.loadingNewer || s.messages.length === 0) return;
    patch({ loadingNewer: true });
    const list = await fetch({ older_than: null, newer_than: s.messages[s.messages.length - 1].id, around: null }, chat);
    if (list === null) return patch({ loadingNewer: false });
    const have = new Set(s.messages.map((m) => m.id));
    patch({
      messages: [...s.messages, ...list.filter((m) => !have.has(m.id))],
      hasNewer: list.length >= PAGE,
      loadingNewer: false,
    });
  }

  async function jumpTo(id: number) {
    const chat = s.chat;
    if (chat === null) return;
    if (s.messages.some((m) => m.id === id)) return patch({ focus: id });
    const list = await fetch({ older_than: null, newer_than: null, around: id }, chat);
    if (list === null) return;
    if (!list.some((m) => m.id === id)) {
      return patch({ historyError: 'That message is no longer in this chat.' });
    }
    // The window is the page around the message; both ways may have more.
    patch({ messages: list, hasOlder: true, hasNewer: true, focus: id });
  }

  async function markRead(maxId: number) {
    const account = s.account;
    const chat = s.chat;
    if (account === null || chat === null) return;
    const dialog = s.dialogs.find((d) => d.chat === chat);
    if (dialog && dialog.read_inbox_max_id >= maxId && dialog.unread_count === 0) return;
    if (!dialog && (readSent.get(chat) ?? 0) >= maxId) return;
    readSent.set(chat, maxId);
    patchDialog(chat, (d) => ({ ...d, unread_count: 0, unread_mentions: 0, read_inbox_max_id: Math.max(d.read_inbox_max_id, maxId) }));
    try {
      await backend.read(account, chat, maxId);
    } catch (failure) {
      patch({ historyError: toUiError(failure).message });
    }
  }

  /** The error's words; a flood wait says how long. */
  const words = (e: UiError) =>
    e.retryAfterSecs ? `Telegram asks to wait ${clockText(e.retryAfterSecs)} before trying again.` : e.message;

  async function submit(text: string): Promise<boolean> {
    const account = s.account;
    const chat = s.chat;
    if (account === null || chat === null || s.sending) return false;
    if (s.composerBlockedUntil !== null && now() < s.composerBlockedUntil) return false;
    if (!text.trim()) {
      patch({ composerError: 'Type a message first.' });
      return false;
    }
    patch({ sending: true, composerError: null, composerBlockedUntil: null });
    const editing = s.editing;
    try {
      if (editing) {
        const m = await backend.edit(account, chat, editing.id, text);
        patch({ messages: s.messages.map((x) => (x.id === m.id ? m : x)), editing: null, sending: false });
        patchDialog(chat, (d) => (d.top?.id === m.id ? { ...d, top: m } : d));
      } else {
        const m = await backend.send(account, chat, text, s.replyTo?.id ?? null);
        patch({ replyTo: null, sending: false });
        bump(m);
      }
      return true;
    } catch (failure) {
      const e = toUiError(failure);
      const blocked = e.retryAfterSecs ? now() + e.retryAfterSecs * 1000 : null;
      if (editing && e.field === 'message') {
        patch({ sending: false, messageErrors: { ...s.messageErrors, [editing.id]: words(e) } });
      } else {
        patch({ sending: false, composerError: words(e), composerBlockedUntil: blocked });
      }
      return false;
    }
  }

  async function sendFileId(fileId: string, caption: string): Promise<string | null> {
    const account = s.account;
    const chat = s.chat;
    if (account === null || chat === null) return 'Open a chat first.';
    if (!fileId.trim()) return 'Paste a file id first.';
    try {
      bump(await backend.sendFileId(account, chat, fileId.trim(), caption));
      return null;
    } catch (failure) {
      return words(toUiError(failure));
    }
  }

  async function remove(message: ChatMessage, revoke: boolean): Promise<boolean> {
    const account = s.account;
    if (account === null) return false;
    const { [message.id]: _, ...others } = s.messageErrors;
    patch({ messageErrors: others });
    try {
      await backend.delete(account, message.chat, [message.id], revoke);
      if (s.chat === message.chat) patch({ messages: s.messages.filter((x) => x.id !== message.id) });
      return true;
    } catch (failure) {
      patch({ messageErrors: { ...s.messageErrors, [message.id]: words(toUiError(failure)) } });
      return false;
    }
  }

  const visible = derived(store, (v) => filterDialogs(v.dialogs, v.query));
  const unreadTotal = derived(store, (v) => v.dialogs.reduce((n, d) => n + Math.max(0, d.unread_count), 0));
  const current = derived(store, (v) => v.dialogs.find((d) => d.chat === v.chat) ?? null);
  const unreadByAccount = derived([store, unreadTotal], ([v, total]) =>
    v.account === null ? {} : { [v.account]: total },
  );

  return {
    subscribe: store.subscribe,
    visible,
    unreadTotal,
    unreadByAccount,
    current,
    async load(account) {
      const mine = ++generation;
      if (s.account !== account) {
        store.set({ ...empty, account });
        readSent = new Map();
        recent = new Map();
      }
      if (!subscribed.has(account)) {
        subscribed.add(account);
        backend.subscribe(account, (e) => onEvent(account, e)).catch((failure) => {
          subscribed.delete(account);
          patch({ dialogsError: toUiError(failure).message });
        });
      }
      const again = reopen !== null && reopen.account === account ? reopen.chat : null;
      reopen = null;
      if (again === null) return loadDialogs(account, mine);
      await Promise.all([loadDialogs(account, mine), open(again)]);
    },
    async restore() {
      try {
        reopen = await backend.lastOpen();
      } catch {
        reopen = null;
      }
      return reopen;
    },
    search: (query) => patch({ query }),
    open,
    close() {
      if (s.chat !== null) remember(null);
      keepRecent();
      patch({ chat: null, messages: [], replyTo: null, editing: null, focus: null });
    },
    loadOlder,
    loadNewer,
    jumpTo,
    async openAt(chat: number, id: number) {
      await open(chat);
      if (s.chat === chat) await jumpTo(id);
    },
    markRead,
    reply: (message) => patch({ replyTo: message, editing: null, composerError: null }),
    startEdit: (message) => patch({ editing: message, replyTo: null, composerError: null }),
    submit,
    remove,
    sendFileId,
    readByPeer(message) {
      const d = s.dialogs.find((x) => x.chat === message.chat);
      return message.out && d !== undefined && message.id <= d.read_outbox_max_id;
    },
  };
}

// The pictures the chats show beyond the stripped thumbnail: the bubble-size picture of
// photos (and of documents with a thumbnail), swapped in when it arrives, and the photo
// viewer (the largest size with its download progress, arrows between the chat's
// pictures). Bytes come from `load_media` (the account's media cache in the service) and
// are shown through `blob:` URLs this store creates and revokes: the CSP allows `blob:`
// images and no other origin. Components only render this store's state.
import { writable, type Readable } from 'svelte/store';
import type { ChatMessage } from '../bindings/ChatMessage';
import type { MediaProgress } from '../bindings/MediaProgress';
import type { MediaVariant } from '../bindings/MediaVariant';
import { toUiError } from '../errors';

export type { MediaProgress, MediaVariant };

export interface MediaBackend {
  load(
    accountId: number,
    peer: number,
    messageId: number,
    mediaId: string,
    variant: MediaVariant,
    onProgress: (p: MediaProgress) => void,
  ): Promise<ArrayBuffer>;
}

/** Where `blob:` URLs come from (the browser's `URL`, replaced in tests). */
export interface ObjectUrls {
  create(blob: Blob): string;
  revoke(url: string): void;
}

export const browserUrls: ObjectUrls = {
  create: (blob) => URL.createObjectURL(blob),
  revoke: (url) => URL.revokeObjectURL(url),
};

/** Pictures kept as `blob:` URLs at once; the oldest is revoked beyond this. */
export const URL_CAP = 200;

export interface ViewerState {
  open: boolean;
  account: number | null;
  /** The chat's pictures the arrows move between, oldest first. */
  items: ChatMessage[];
  index: number;
  /** The full-size picture once loaded. */
  url: string | null;
  /** Bytes so far while it loads. */
  progress: MediaProgress | null;
  error: string | null;
}

export interface MediaStore {
  viewer: Readable<ViewerState>;
  /** The bubble-size picture of `message` as a URL; `null` when it has none to load. */
  thumb(account: number, message: ChatMessage): Promise<string | null>;
  /** Opens the viewer on `message`, the arrows moving among the pictures of `messages`. */
  open(account: number, messages: ChatMessage[], message: ChatMessage): void;
  next(): void;
  prev(): void;
  close(): void;
}

/** A photo, or a document that is an image: what the viewer shows. */
export function viewable(m: ChatMessage): boolean {
  const media = m.media;
  if (!media?.id) return false;
  return media.kind === 'photo' || (media.kind === 'document' && (media.mime ?? '').startsWith('image/'));
}

/** Whether a bubble should ask for a picture: photos and documents that have a size to fetch. */
export function hasThumb(m: ChatMessage): boolean {
  const media = m.media;
  if (!media?.id) return false;
  return media.kind !== 'other' && media.has_picture;
}

const closed: ViewerState = { open: false, account: null, items: [], index: 0, url: null, progress: null, error: null };

export function createMediaStore(backend: MediaBackend, urls: ObjectUrls = browserUrls): MediaStore {
  const viewer = writable<ViewerState>(closed);
  // One promise per picture, oldest first (a Map keeps insertion order).
  const pictures = new Map<string, Promise<string>>();
  const made = new Map<string, string>();
  let state = closed;
  viewer.subscribe((s) => (state = s));
  let loading = 0;

  function picture(account: number, m: ChatMessage, variant: MediaVariant, onProgress: (p: MediaProgress) => void) {
    const media = m.media!;
    const key = `${account}:${m.chat}:${media.id}:${variant}`;
    const known = pictures.get(key);
    if (known) return known;
    const type = media.kind === 'photo' ? 'image/jpeg' : (media.mime ?? 'application/octet-stream');
    const p = backend.load(account, m.chat, m.id, media.id!, variant, onProgress).then((bytes) => {
      const url = urls.create(new Blob([bytes], { type }));
      made.set(key, url);
      return url;
    });
    pictures.set(key, p);
    // A failure is not kept: the next request tries again.
    p.catch(() => pictures.delete(key));
    while (pictures.size > URL_CAP) {
      const oldest = pictures.keys().next().value as string;
      pictures.delete(oldest);
      const url = made.get(oldest);
      if (url) urls.revoke(url);
      made.delete(oldest);
    }
    return p;
  }

  function show(index: number) {
    const item = state.items[index];
    if (!item || state.account === null) return;
    const token = ++loading;
    viewer.set({ ...state, index, url: null, error: null, progress: { done: 0, total: item.media?.size ?? null } });
    const still = () => token === loading && state.open;
    picture(state.account, item, 'full', (p) => {
      if (still()) viewer.update((s) => ({ ...s, progress: p }));
    }).then(
      (url) => {
        if (still()) viewer.update((s) => ({ ...s, url, progress: null }));
      },
      (failure) => {
        if (still()) viewer.update((s) => ({ ...s, progress: null, error: toUiError(failure).message }));
      },
    );
  }

  return {
    viewer: { subscribe: viewer.subscribe },
    async thumb(account, message) {
      if (!hasThumb(message)) return null;
      return picture(account, message, 'thumb', () => {});
    },
    open(account, messages, message) {
      const items = messages.filter(viewable);
      const index = items.findIndex((m) => m.id === message.id && m.chat === message.chat);
      if (index < 0) return;
      viewer.set({ ...closed, open: true, account, items });
      show(index);
    },
    next() {
      if (state.open && state.index + 1 < state.items.length) show(state.index + 1);
    },
    prev() {
      if (state.open && state.index > 0) show(state.index - 1);
    },
    close() {
      loading++;
      viewer.set(closed);
    },
  };
}

import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { MediaView } from '../bindings/MediaView';
import { sampleMessage } from '../chats/fake';
import { createMediaStore, hasThumb, URL_CAP, viewable, type MediaBackend, type MediaProgress, type ObjectUrls } from './media';

function photo(id: number, over: Partial<MediaView> = {}) {
  const media: MediaView = {
    kind: 'photo', label: 'Photo', id: String(9000 + id), file_name: null, size: 1000, mime: 'image/jpeg',
    width: 1280, height: 853, thumbnail: 'data:image/jpeg;base64,AA==', has_picture: true, file_id: null, file_unique_id: null,
    ...over,
  };
  return sampleMessage({ id, media });
}

function urls() {
  let n = 0;
  const revoked: string[] = [];
  const fake: ObjectUrls = { create: () => `blob:${++n}`, revoke: (u) => void revoked.push(u) };
  return { fake, revoked };
}

/** A backend whose loads the test finishes by hand. */
function manual() {
  const calls: { messageId: number; variant: string; progress: (p: MediaProgress) => void; done: (b: ArrayBuffer) => void; fail: (e: unknown) => void }[] = [];
  const backend: MediaBackend = {
    load: (_a, _p, messageId, _m, variant, progress) =>
      new Promise((done, fail) => calls.push({ messageId, variant, progress, done, fail })),
  };
  return { backend, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('media store', () => {
  it('asks once per picture, gives a blob URL, and tries again after a failure', async () => {
    const { backend, calls } = manual();
    const { fake } = urls();
    const media = createMediaStore(backend, fake);
    const a = media.thumb(1, photo(1));
    const b = media.thumb(1, photo(1));
    await tick();
    expect(calls.map((c) => [c.messageId, c.variant])).toEqual([[1, 'thumb']]);
    calls[0].done(new ArrayBuffer(4));
    expect(await a).toBe('blob:1');
    expect(await b).toBe('blob:1');

    const failed = media.thumb(1, photo(2));
    await tick();
    calls[1].fail({ code: 'NETWORK', message: 'down' });
    await expect(failed).rejects.toBeTruthy();
    void media.thumb(1, photo(2));
    await tick();
    expect(calls.length).toBe(3);
    // No picture to load: text messages and documents without a thumbnail.
    expect(await media.thumb(1, sampleMessage())).toBeNull();
    const doc = photo(3, { kind: 'document', mime: 'text/plain', thumbnail: null, has_picture: false });
    expect(hasThumb(doc) || viewable(doc)).toBe(false);
    // A document with a thumbnail size but no stripped one still gets its picture.
    const video = photo(4, { kind: 'document', mime: 'video/mp4', thumbnail: null, has_picture: true });
    expect(hasThumb(video)).toBe(true);
    void media.thumb(1, video);
    await tick();
    expect(calls.length).toBe(4);
    expect(viewable(photo(3, { kind: 'document', mime: 'image/png' }))).toBe(true);
  });

  it('revokes the oldest URL beyond its cap', async () => {
    const backend: MediaBackend = { load: async () => new ArrayBuffer(1) };
    const { fake, revoked } = urls();
    const media = createMediaStore(backend, fake);
    for (let i = 1; i <= URL_CAP + 2; i++) await media.thumb(1, photo(i));
    expect(revoked).toEqual(['blob:1', 'blob:2']);
  });

  it('opens the viewer with progress, moves between photos and closes', async () => {
    const { backend, calls } = manual();
    const media = createMediaStore(backend, urls().fake);
    const messages = [photo(1), sampleMessage({ id: 2 }), photo(3), photo(4)];
    media.open(1, messages, messages[2]);
    let v = get(media.viewer);
    expect([v.open, v.index, v.items.map((m) => m.id)]).toEqual([true, 1, [1, 3, 4]]);
    expect(v.progress).toEqual({ done: 0, total: 1000 });
    await tick();
    expect(calls[0].variant).toBe('full');
    calls[0].progress({ done: 500, total: 1000 });
    expect(get(media.viewer).progress).toEqual({ done: 500, total: 1000 });
    calls[0].done(new ArrayBuffer(8));
    await tick();
    v = get(media.viewer);
    expect([v.url, v.progress]).toEqual(['blob:1', null]);

    media.next();
    await tick();
    expect(get(media.viewer).index).toBe(2);
    media.next();
    expect(get(media.viewer).index).toBe(2);
    // A late answer for a photo no longer shown changes nothing.
    media.prev();
    await tick();
    calls[1].done(new ArrayBuffer(8));
    await tick();
    v = get(media.viewer);
    expect([v.index, v.url]).toEqual([1, 'blob:1']);
    media.close();
    expect(get(media.viewer).open).toBe(false);
  });

  it('shows why the full size failed', async () => {
    const { backend, calls } = manual();
    const media = createMediaStore(backend, urls().fake);
    media.open(1, [photo(1)], photo(1));
    await tick();
    calls[0].fail({ code: 'NO_MEDIA', message: 'message 1 has no photo or document to download', field: 'message_id', retry_after_secs: null });
    await tick();
    expect(get(media.viewer).error).toContain('no photo');
  });
});

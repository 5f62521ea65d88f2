import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { MediaView } from '../../bindings/MediaView';
import { sampleMessage } from '../../chats/fake';
import { createMediaStore, type MediaBackend, type MediaProgress } from '../../stores/media';
import MessageBubble from '../chats/MessageBubble.svelte';
import PhotoViewer from './PhotoViewer.svelte';

function photo(id: number) {
  const media: MediaView = {
    kind: 'photo', label: 'Photo', id: String(9000 + id), file_name: null, size: 2000, mime: 'image/jpeg',
    width: 1280, height: 853, thumbnail: 'data:image/jpeg;base64,AA==', has_picture: true, file_id: null, file_unique_id: null,
  };
  return sampleMessage({ id, media });
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const noop = () => {};

describe('MessageBubble', () => {
  it('shows the stripped thumbnail at once, then the real size, and opens the viewer', async () => {
    let finish: (b: ArrayBuffer) => void = noop;
    const backend: MediaBackend = { load: () => new Promise((done) => (finish = done)) };
    let n = 0;
    const media = createMediaStore(backend, { create: () => `blob:real${++n}`, revoke: noop });
    const opened: number[] = [];
    render(MessageBubble, {
      message: photo(1), onReply: noop, onEdit: noop, onDelete: noop, onJump: noop,
      loadThumb: (m) => media.thumb(1, m), onOpen: (m) => opened.push(m.id),
    });
    const img = screen.getByTestId('media-thumbnail') as HTMLImageElement;
    expect(img.getAttribute('src')).toMatch(/^data:image\/jpeg/);
    expect(img.dataset.real).toBe('false');
    finish(new ArrayBuffer(3));
    await tick();
    const real = screen.getByTestId('media-thumbnail') as HTMLImageElement;
    expect([real.getAttribute('src'), real.dataset.real]).toEqual(['blob:real1', 'true']);
    await fireEvent.click(screen.getByTestId('media-open'));
    expect(opened).toEqual([1]);
  });
});

describe('PhotoViewer', () => {
  it('shows progress, then the picture; arrows move, Save as… hands over, Esc closes', async () => {
    const loads: { id: number; progress: (p: MediaProgress) => void; done: (b: ArrayBuffer) => void }[] = [];
    const backend: MediaBackend = {
      load: (_a, _p, id, _m, _v, progress) => new Promise((done) => loads.push({ id, progress, done })),
    };
    const media = createMediaStore(backend, { create: () => 'blob:full', revoke: noop });
    const saved: number[] = [];
    render(PhotoViewer, { media, onSave: (_a, m) => saved.push(m.id) });
    expect(screen.queryByTestId('photo-viewer')).toBeNull();

    const list = [photo(1), photo(2)];
    media.open(7, list, list[0]);
    await tick();
    expect(screen.getByTestId('viewer-position')).toHaveTextContent('1 of 2');
    loads[0].progress({ done: 1000, total: 2000 });
    await tick();
    const bar = screen.getByTestId('viewer-progress') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([1000, 2000]);
    loads[0].done(new ArrayBuffer(1));
    await tick();
    expect(screen.getByTestId('viewer-image').getAttribute('src')).toBe('blob:full');

    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(screen.getByTestId('viewer-position')).toHaveTextContent('2 of 2');
    expect(loads.map((l) => l.id)).toEqual([1, 2]);
    await fireEvent.click(screen.getByTestId('viewer-save'));
    expect(saved).toEqual([2]);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('photo-viewer')).toBeNull();

    // A click on the backdrop (not the picture) closes it too.
    media.open(7, list, list[0]);
    await tick();
    await fireEvent.click(screen.getByTestId('viewer-image'));
    expect(screen.getByTestId('photo-viewer')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('photo-viewer'));
    expect(screen.queryByTestId('photo-viewer')).toBeNull();
  });
});

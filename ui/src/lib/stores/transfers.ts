// Media transfers: every download and upload of this run with its progress, as the
// shared transfer manager (hearth-accounts) reports them over `subscribe_transfers`.
// The store decides everything the panel shows (order, words, percentages); the panel
// only renders it. Downloads and uploads are started through `startDownload` /
// `startUpload` (the chat view calls them; a file dialog opens when no path is given).
import { writable, type Readable } from 'svelte/store';
import type { TransferView } from '../bindings/TransferView';
import { toUiError } from '../errors';

export type { TransferView };

export interface TransfersBackend {
  list(): Promise<TransferView[]>;
  subscribe(onEvent: (view: TransferView) => void): Promise<void>;
  cancel(id: number): Promise<void>;
  /** Opens a save dialog; `null` when the user closed it. */
  download(accountId: number, peer: number, messageId: number, suggestedName: string): Promise<TransferView | null>;
  downloadTo(accountId: number, peer: number, messageId: number, path: string): Promise<TransferView>;
  /** Opens a file picker; empty when the user closed it. */
  upload(accountId: number, peer: number, caption: string | null): Promise<TransferView[]>;
  uploadPaths(accountId: number, peer: number, paths: string[], caption: string | null): Promise<TransferView[]>;
}

export interface TransfersState {
  /** Oldest first. */
  transfers: TransferView[];
  /** Why the last start or cancel failed. */
  error: string | null;
}

export interface TransfersStore extends Readable<TransfersState> {
  /** Lists the transfers and follows their changes (once). */
  listen(): Promise<void>;
  startDownload(accountId: number, peer: number, messageId: number, suggestedName: string): Promise<TransferView | null>;
  downloadTo(accountId: number, peer: number, messageId: number, path: string): Promise<TransferView | null>;
  startUpload(accountId: number, peer: number, paths?: string[], caption?: string): Promise<TransferView[]>;
  cancel(id: number): Promise<boolean>;
  /** Hides finished transfers. */
  clearFinished(): void;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `1.5 MB`, `512 B`: decimal units, one decimal from KB up. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `5 s`, `2 min 5 s`, `1 h 3 min`; empty when unknown. */
export function formatEta(secs: number | null): string {
  if (secs === null || !Number.isFinite(secs)) return '';
  const s = Math.ceil(secs);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** How far along, 0 to 100 (`null` while the size is unknown). */
export function percent(view: TransferView): number | null {
  if (view.state === 'done') return 100;
  if (!view.total) return null;
  return Math.min(100, Math.floor((view.done * 100) / view.total));
}

/** The transfer's state in plain words. */
export function status(view: TransferView): string {
  switch (view.state) {
    case 'running': {
      const size = view.total ? `${formatBytes(view.done)} of ${formatBytes(view.total)}` : formatBytes(view.done);
      const speed = view.bytes_per_sec > 0 ? `, ${formatBytes(Math.round(view.bytes_per_sec))}/s` : '';
      const eta = formatEta(view.eta_secs);
      return `${size}${speed}${eta ? `, ${eta} left` : ''}`;
    }
    case 'done':
      return view.kind === 'download' ? `Saved to ${view.path}` : 'Sent';
    case 'cancelled':
      return 'Cancelled';
    default:
      return `Failed: ${view.error?.message ?? 'unknown error'}`;
  }
}

export function createTransfersStore(backend: TransfersBackend): TransfersStore {
  const store = writable<TransfersState>({ transfers: [], error: null });
  let listening = false;
  const hidden = new Set<number>();

  function put(view: TransferView) {
    if (hidden.has(view.id)) return;
    store.update((s) => {
      const i = s.transfers.findIndex((t) => t.id === view.id);
      // A late progress event never brings a finished transfer back to running.
      if (i >= 0 && s.transfers[i].state !== 'running' && view.state === 'running') return s;
      const transfers = i >= 0 ? s.transfers.map((t, j) => (j === i ? view : t)) : [...s.transfers, view].sort((a, b) => a.id - b.id);
      return { ...s, transfers };
    });
  }

  async function attempt<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      const result = await work();
      store.update((s) => ({ ...s, error: null }));
      return result;
    } catch (failure) {
      store.update((s) => ({ ...s, error: toUiError(failure).message }));
      return fallback;
    }
  }

  return {
    subscribe: store.subscribe,
    async listen() {
      if (listening) return;
      listening = true;
      await attempt(async () => {
        await backend.subscribe(put);
        for (const view of await backend.list()) put(view);
      }, undefined);
    },
    startDownload: (accountId, peer, messageId, suggestedName) =>
      attempt(async () => {
        const view = await backend.download(accountId, peer, messageId, suggestedName);
        if (view) put(view);
        return view;
      }, null),
    downloadTo: (accountId, peer, messageId, path) =>
      attempt(async () => {
        const view = await backend.downloadTo(accountId, peer, messageId, path);
        put(view);
        return view;
      }, null),
    startUpload: (accountId, peer, paths, caption) =>
      attempt(async () => {
        const views = paths
          ? await backend.uploadPaths(accountId, peer, paths, caption ?? null)
          : await backend.upload(accountId, peer, caption ?? null);
        views.forEach(put);
        return views;
      }, []),
    cancel: (id) =>
      attempt(async () => {
        await backend.cancel(id);
        return true;
      }, false),
    clearFinished() {
      store.update((s) => {
        s.transfers.filter((t) => t.state !== 'running').forEach((t) => hidden.add(t.id));
        return { ...s, transfers: s.transfers.filter((t) => t.state === 'running') };
      });
    },
  };
}

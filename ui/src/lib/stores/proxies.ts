// Store for the proxies the sweep also probes through.
import { writable, type Readable } from 'svelte/store';
import type { ProxyEntry } from '../bindings/ProxyEntry';
import type { ProxyInput } from '../bindings/ProxyInput';
import { describeError } from './appInfo';

export type { ProxyEntry, ProxyInput };

export interface ProxiesBackend {
  list(): Promise<ProxyEntry[]>;
  add(input: ProxyInput): Promise<ProxyEntry>;
  remove(id: number): Promise<void>;
}

export interface ProxiesState {
  list: ProxyEntry[];
  error: string | null;
}

export interface ProxiesStore extends Readable<ProxiesState> {
  load(): Promise<void>;
  /** Adds a proxy; resolves to the entry, or null with `error` set. */
  add(input: ProxyInput): Promise<ProxyEntry | null>;
  remove(id: number): Promise<void>;
}

/** A form input for a pasted link. */
export function linkInput(link: string): ProxyInput {
  return { link, kind: '', host: '', port: 0, username: null, password: null, secret: null };
}

export function createProxiesStore(backend: ProxiesBackend): ProxiesStore {
  const store = writable<ProxiesState>({ list: [], error: null });
  const fail = (error: unknown) => store.update((s) => ({ ...s, error: describeError(error) }));
  return {
    subscribe: store.subscribe,
    async load() {
      try {
        const list = await backend.list();
        store.set({ list, error: null });
      } catch (error) {
        fail(error);
      }
    },
    async add(input) {
      try {
        const entry = await backend.add(input);
        // Adding a damaged saved proxy again repairs it under its own id.
        store.update((s) => ({ list: [...s.list.filter((p) => p.id !== entry.id), entry], error: null }));
        return entry;
      } catch (error) {
        fail(error);
        return null;
      }
    },
    async remove(id) {
      try {
        await backend.remove(id);
        store.update((s) => ({ list: s.list.filter((p) => p.id !== id), error: null }));
      } catch (error) {
        fail(error);
      }
    },
  };
}

// Store for the installation facts shown in the footer and on Diagnostics.
import { writable, type Readable } from 'svelte/store';
import type { AppInfo } from '../bindings/AppInfo';

export type AppInfoState =
  | { status: 'loading' }
  | { status: 'ready'; info: AppInfo }
  | { status: 'error'; message: string };

export interface AppInfoStore extends Readable<AppInfoState> {
  /** Asks the backend once more; the state goes through `loading`. */
  load(): Promise<void>;
}

export function createAppInfoStore(fetch: () => Promise<AppInfo>): AppInfoStore {
  const { subscribe, set } = writable<AppInfoState>({ status: 'loading' });
  return {
    subscribe,
    async load() {
      set({ status: 'loading' });
      try {
        set({ status: 'ready', info: await fetch() });
      } catch (error) {
        set({ status: 'error', message: describeError(error) });
      }
    },
  };
}

/**
 * Tauri rejects with the command's error (a `CommandError` object for our
 * commands, a string for Tauri's own) or an Error.
 */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error as { message: unknown };
    if (typeof message === 'string') return message;
  }
  return 'unknown error';
}

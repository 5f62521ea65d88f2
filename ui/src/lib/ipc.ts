// Typed wrappers over Tauri IPC. Every command's argument and result types
// come from Rust via ts-rs (src/lib/bindings/), so the two cannot drift.
// Commands that fail reject with a `CommandError`.
import { invoke } from '@tauri-apps/api/core';
import type { AccountSummary } from './bindings/AccountSummary';
import type { AppInfo } from './bindings/AppInfo';

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

export function listAccounts(): Promise<AccountSummary[]> {
  return invoke<AccountSummary[]>('list_accounts');
}

// Typed wrappers over Tauri IPC. Every command's argument and result types
// come from Rust via ts-rs (src/lib/bindings/), so the two cannot drift.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

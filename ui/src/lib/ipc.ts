// Typed wrappers over Tauri IPC. Every command's argument and result types
// come from Rust via ts-rs (src/lib/bindings/), so the two cannot drift.
// Commands that fail reject with a `CommandError`.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AccountSummary } from './bindings/AccountSummary';
import type { AppInfo } from './bindings/AppInfo';
import type { LocalNetworkInfo } from './bindings/LocalNetworkInfo';
import type { NetworkChoice } from './bindings/NetworkChoice';
import type { ProxyEntry } from './bindings/ProxyEntry';
import type { ProxyInput } from './bindings/ProxyInput';
import type { SavedReport } from './bindings/SavedReport';
import type { SweepEvent } from './bindings/SweepEvent';
import type { DiagnosticsBackend } from './stores/diagnostics';
import type { ProxiesBackend } from './stores/proxies';

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

export function listAccounts(): Promise<AccountSummary[]> {
  return invoke<AccountSummary[]>('list_accounts');
}

export const diagnosticsBackend: DiagnosticsBackend = {
  listNetworks: () => invoke<NetworkChoice[]>('list_networks'),
  startLocal: () => invoke<LocalNetworkInfo>('start_local_network'),
  run(request, onEvent) {
    // A channel delivers the sweep's events in order to this invocation only.
    const onEventChannel = new Channel<SweepEvent>();
    onEventChannel.onmessage = onEvent;
    return invoke<number>('run_diagnostics', { request, onEvent: onEventChannel });
  },
  saveReport: () => invoke<SavedReport>('save_report'),
};

export const proxiesBackend: ProxiesBackend = {
  list: () => invoke<ProxyEntry[]>('list_proxies'),
  add: (input: ProxyInput) => invoke<ProxyEntry>('add_proxy', { input }),
  remove: (id: number) => invoke<void>('remove_proxy', { id }),
};

// The app's store instances, wired to the real IPC.
import { appInfo as fetchAppInfo, diagnosticsBackend, listAccounts, proxiesBackend } from '../ipc';
import { createAccountsStore } from './accounts';
import { createAppInfoStore } from './appInfo';
import { createDiagnosticsStore } from './diagnostics';
import { createNavigationStore } from './navigation';
import { createProxiesStore } from './proxies';

export const appInfo = createAppInfoStore(fetchAppInfo);
export const accounts = createAccountsStore(listAccounts);
export const navigation = createNavigationStore();
export const diagnostics = createDiagnosticsStore(diagnosticsBackend);
export const proxies = createProxiesStore(proxiesBackend);

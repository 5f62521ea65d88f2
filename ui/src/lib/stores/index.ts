// The app's store instances, wired to the real IPC.
import { appInfo as fetchAppInfo, listAccounts } from '../ipc';
import { createAccountsStore } from './accounts';
import { createAppInfoStore } from './appInfo';
import { createNavigationStore } from './navigation';

export const appInfo = createAppInfoStore(fetchAppInfo);
export const accounts = createAccountsStore(listAccounts);
export const navigation = createNavigationStore();

// The app's store instances, wired to the real IPC.
import { accountsBackend, chatSearchBackend, chatsBackend, appInfo as fetchAppInfo, diagnosticsBackend, loginBackend, proxiesBackend, sessionExportBackend, sessionsBackend, transfersBackend, mediaBackend } from '../ipc';
import { createAccountsStore } from './accounts';
import { createAppInfoStore } from './appInfo';
import { createChatsStore } from './chats';
import { createChatSearch } from './chatSearch';
import { createDiagnosticsStore } from './diagnostics';
import { createLoginStore } from './login';
import { createNavigationStore } from './navigation';
import { createProxiesStore } from './proxies';
import { createSessionExportStore } from './sessionExport';
import { createSessionsStore } from './sessions';
import { createMediaStore } from './media';
import { createTransfersStore } from './transfers';

export const appInfo = createAppInfoStore(fetchAppInfo);
export const accounts = createAccountsStore(accountsBackend);
export const navigation = createNavigationStore();
export const diagnostics = createDiagnosticsStore(diagnosticsBackend);
export const proxies = createProxiesStore(proxiesBackend);
export const sessions = createSessionsStore(sessionsBackend);
export const sessionExport = createSessionExportStore(sessionExportBackend);
export const chats = createChatsStore(chatsBackend);
export const chatSearch = createChatSearch(chatSearchBackend);
/** The dialog list's search across every chat. */
export const messageSearch = createChatSearch(chatSearchBackend);
export const transfers = createTransfersStore(transfersBackend);
export const media = createMediaStore(mediaBackend);

/** Saves the photo or document of a message where the user chooses (a save dialog). */
export const startDownload = (accountId: number, peer: number, messageId: number, suggestedName: string) =>
  transfers.startDownload(accountId, peer, messageId, suggestedName);

/** Sends files to a chat: `paths` (dropped files), else those the user picks in a dialog. */
export const startUpload = (accountId: number, peer: number, paths?: string[], caption?: string) =>
  transfers.startUpload(accountId, peer, paths, caption);
export const login = createLoginStore(loginBackend, {
  // A new account appears in the sidebar and is shown at once.
  async onDone(account) {
    await accounts.load();
    accounts.select(account.id);
    navigation.go('account');
  },
});

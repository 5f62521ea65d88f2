// Typed wrappers over Tauri IPC. Every command's argument and result types
// come from Rust via ts-rs (src/lib/bindings/), so the two cannot drift.
// Commands that fail reject with a `CommandError`.
import { Channel, invoke } from '@tauri-apps/api/core';
import type { AccountEvent } from './bindings/AccountEvent';
import type { AccountView } from './bindings/AccountView';
import type { AppInfo } from './bindings/AppInfo';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportPreview } from './bindings/ImportPreview';
import type { OpenChat } from './bindings/OpenChat';
import type { LoginStep } from './bindings/LoginStep';
import type { NetworkOption } from './bindings/NetworkOption';
import type { LocalNetworkInfo } from './bindings/LocalNetworkInfo';
import type { NetworkChoice } from './bindings/NetworkChoice';
import type { ProxyEntry } from './bindings/ProxyEntry';
import type { ProxyInput } from './bindings/ProxyInput';
import type { SavedReport } from './bindings/SavedReport';
import type { SessionView } from './bindings/SessionView';
import type { SweepEvent } from './bindings/SweepEvent';
import type { ChatEvent } from './bindings/ChatEvent';
import type { ChatMessage } from './bindings/ChatMessage';
import type { DialogsPage } from './bindings/DialogsPage';
import type { ChatSearch } from './bindings/ChatSearch';
import type { MediaProgress } from './bindings/MediaProgress';
import type { TransferView } from './bindings/TransferView';
import type { AccountsBackend } from './stores/accounts';
import type { ChatsBackend } from './stores/chats';
import type { ChatSearchBackend } from './stores/chatSearch';
import type { DiagnosticsBackend } from './stores/diagnostics';
import type { LoginBackend } from './stores/login';
import type { ProxiesBackend } from './stores/proxies';
import type { SessionsBackend } from './stores/sessions';
import type { MediaBackend } from './stores/media';
import type { SessionExportBackend } from './stores/sessionExport';
import type { ExportedSessionView } from './bindings/ExportedSessionView';
import type { TransfersBackend } from './stores/transfers';

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

/** Tells the backend the window is painted with `accounts` in the sidebar (see ready.ts). */
export function uiReady(accounts: number): Promise<void> {
  return invoke<void>('ui_ready', { accounts });
}

export const accountsBackend: AccountsBackend = {
  list: () => invoke<AccountView[]>('list_accounts'),
  reorder: (ids) => invoke<void>('reorder_accounts', { ids }),
  logOut: (id) => invoke<void>('log_out_account', { id }),
  remove: (id) => invoke<void>('remove_account', { id }),
  setProxy: (id, proxyId) => invoke<void>('set_account_proxy', { id, proxyId }),
  subscribe(onEvent) {
    const onEventChannel = new Channel<AccountEvent>();
    onEventChannel.onmessage = onEvent;
    return invoke<void>('subscribe_account_events', { onEvent: onEventChannel });
  },
};

export const loginBackend: LoginBackend = {
  networks: () => invoke<NetworkOption[]>('list_login_networks'),
  begin: (request) => invoke<number>('begin_login', { request }),
  submitPhone: (flow, phone) => invoke<LoginStep>('login_submit_phone', { flow, phone }),
  resendCode: (flow) => invoke<LoginStep>('login_resend_code', { flow }),
  submitCode: (flow, code) => invoke<LoginStep>('login_submit_code', { flow, code }),
  submitPassword: (flow, password) => invoke<LoginStep>('login_submit_password', { flow, password }),
  signUp: (flow, firstName, lastName) => invoke<LoginStep>('login_submit_sign_up', { flow, firstName, lastName }),
  submitBotToken: (flow, token) => invoke<LoginStep>('login_submit_bot_token', { flow, token }),
  startQr(flow, onStep) {
    // Each new token's URL arrives on the channel; the call resolves once scanned.
    const onStepChannel = new Channel<LoginStep>();
    onStepChannel.onmessage = onStep;
    return invoke<LoginStep>('login_start_qr', { flow, onStep: onStepChannel });
  },
  cancel: (flow) => invoke<void>('login_cancel', { flow }),
  pickSessionFile: () => invoke<string | null>('pick_session_file'),
  inspectSession: (source, format) => invoke<ImportPreview>('inspect_session', { source, format }),
  pickSessionFolder: () => invoke<string | null>('pick_session_folder'),
  importSession: (request) => invoke<ImportOutcome[]>('import_session', { request }),
};

export const sessionsBackend: SessionsBackend = {
  list: (accountId) => invoke<SessionView[]>('list_sessions', { accountId }),
  terminate: (accountId, hash) => invoke<void>('terminate_session', { accountId, hash }),
  terminateOthers: (accountId) => invoke<void>('terminate_other_sessions', { accountId }),
};

export const sessionExportBackend: SessionExportBackend = {
  exportSession: (request) => invoke<ExportedSessionView | null>('export_session', { request }),
};

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

export const chatSearchBackend: ChatSearchBackend = {
  search: (account, chat, query, olderThan) =>
    invoke<ChatSearch>('search_chat', { account, chat, query, olderThan }),
  searchAll: (account, query, after) =>
    invoke<ChatSearch>('search_messages', { account, query, after }),
};

export const chatsBackend: ChatsBackend = {
  dialogs: (account, restart) => invoke<DialogsPage>('list_dialogs', { account, restart }),
  history: (account, request) => invoke<ChatMessage[]>('chat_history', { account, request }),
  send: (account, chat, text, replyTo) => invoke<ChatMessage>('send_message', { account, chat, text, replyTo }),
  sendFileId: (account, chat, fileId, caption) =>
    invoke<ChatMessage>('send_file_id', { account, chat, fileId, caption }),
  edit: (account, chat, message, text) => invoke<ChatMessage>('edit_message', { account, chat, message, text }),
  delete: (account, chat, ids, revoke) => invoke<void>('delete_messages', { account, chat, ids, revoke }),
  read: (account, chat, maxId) => invoke<void>('read_chat', { account, chat, maxId }),
  lastOpen: () => invoke<OpenChat | null>('last_open_chat'),
  remember: (open) => invoke<void>('set_open_chat', { open }),
  subscribe(account, onEvent) {
    const onEventChannel = new Channel<ChatEvent>();
    onEventChannel.onmessage = onEvent;
    return invoke<void>('subscribe_chat_events', { account, onEvent: onEventChannel });
  },
};

/** `load_media` answers raw bytes (an `ArrayBuffer`), not JSON. */
export const mediaBackend: MediaBackend = {
  load(accountId, peerId, messageId, mediaId, variant, onProgress) {
    const onProgressChannel = new Channel<MediaProgress>();
    onProgressChannel.onmessage = onProgress;
    return invoke<ArrayBuffer>('load_media', { accountId, peerId, messageId, mediaId, variant, onProgress: onProgressChannel });
  },
};

export const transfersBackend: TransfersBackend = {
  list: () => invoke<TransferView[]>('list_transfers'),
  subscribe(onEvent) {
    const onEventChannel = new Channel<TransferView>();
    onEventChannel.onmessage = onEvent;
    return invoke<void>('subscribe_transfers', { onEvent: onEventChannel });
  },
  cancel: (id) => invoke<void>('cancel_transfer', { id }),
  download: (accountId, peerId, messageId, suggestedName) =>
    invoke<TransferView | null>('start_download', { accountId, peerId, messageId, suggestedName }),
  downloadTo: (accountId, peerId, messageId, path) =>
    invoke<TransferView>('start_download_to', { accountId, peerId, messageId, path }),
  upload: (accountId, peerId, caption) => invoke<TransferView[]>('start_upload', { accountId, peerId, caption }),
  uploadPaths: (accountId, peerId, paths, caption) =>
    invoke<TransferView[]>('start_upload_paths', { accountId, peerId, paths, caption }),
};

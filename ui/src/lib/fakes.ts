// Fake backends for the UI's tests: in-memory, recording every call.
import type { AccountEvent } from './bindings/AccountEvent';
import type { AccountView } from './bindings/AccountView';
import type { LoginStep } from './bindings/LoginStep';
import type { SessionView } from './bindings/SessionView';
import type { AccountsBackend } from './stores/accounts';
import type { LoginBackend } from './stores/login';
import type { SessionsBackend } from './stores/sessions';
import { sampleAccount } from './testing';

export const three = () => [
  sampleAccount({ id: 1, display_name: 'Alice', position: 0 }),
  sampleAccount({ id: 2, display_name: 'Bob', position: 1 }),
  sampleAccount({ id: 3, display_name: 'Carol', position: 2 }),
];

export function fakeAccounts(initial: AccountView[] = three()) {
  let list = initial;
  const calls: unknown[][] = [];
  let emit: (event: AccountEvent) => void = () => {};
  const fail: Partial<Record<keyof AccountsBackend, unknown>> = {};
  const run = async (name: keyof AccountsBackend, ...args: unknown[]) => {
    calls.push([name, ...args]);
    if (fail[name]) throw fail[name];
  };
  const backend: AccountsBackend = {
    async list() {
      await run('list');
      return list;
    },
    reorder: (ids) => run('reorder', ids),
    async logOut(id) {
      await run('logOut', id);
      list = list.filter((a) => a.id !== id);
    },
    async remove(id) {
      await run('remove', id);
      list = list.filter((a) => a.id !== id);
    },
    setProxy: (id, proxyId) => run('setProxy', id, proxyId),
    async subscribe(onEvent) {
      await run('subscribe');
      emit = onEvent;
    },
  };
  return {
    backend,
    calls,
    fail,
    emit: (event: AccountEvent) => emit(event),
    setList: (next: AccountView[]) => (list = next),
  };
}

export function sampleSession(overrides: Partial<SessionView> = {}): SessionView {
  return {
    hash: '0',
    device: 'Hearth',
    platform: 'linux',
    app: 'Hearth 0.1.0',
    official_app: false,
    ip: '127.0.0.1',
    country: 'Local network',
    date_active: 1_700_000_000,
    date_created: 1_699_000_000,
    dc: 2,
    current: true,
    ...overrides,
  };
}

export function fakeSessions() {
  let sessions: SessionView[] = [
    sampleSession({ hash: '-9007199254740993', device: 'Pixel 8', current: false, dc: null, date_active: 1_700_000_100 }),
    sampleSession(),
    sampleSession({ hash: '77', device: 'Telethon', current: false, dc: null, date_active: 1_600_000_000 }),
  ];
  const calls: unknown[][] = [];
  const fail: { error?: unknown } = {};
  const backend: SessionsBackend = {
    async list(accountId) {
      calls.push(['list', accountId]);
      return sessions;
    },
    async terminate(accountId, hash) {
      calls.push(['terminate', accountId, hash]);
      if (fail.error) throw fail.error;
      sessions = sessions.filter((s) => s.hash !== hash);
    },
    async terminateOthers(accountId) {
      calls.push(['terminateOthers', accountId]);
      if (fail.error) throw fail.error;
      sessions = sessions.filter((s) => s.current);
    },
  };
  return { backend, calls, fail };
}

/** A scripted login backend that answers like the local network's demo world. */
export function fakeLogin() {
  const calls: unknown[][] = [];
  let flows = 0;
  let phone = '';
  const account = (name: string) => sampleAccount({ id: 40 + flows, display_name: name, network: 'local' });
  const err = (code: string, field: string | null = null, retry_after_secs: number | null = null) => ({
    code,
    message: `${code} (from the server)`,
    field,
    retry_after_secs,
  });
  const qr: {
    onStep: ((step: LoginStep) => void) | null;
    resolve: ((step: LoginStep) => void) | null;
    reject: ((error: unknown) => void) | null;
  } = { onStep: null, resolve: null, reject: null };
  const backend: LoginBackend = {
    async networks() {
      calls.push(['networks']);
      return [
        { id: 'local', name: 'Local test network', description: 'On this computer.', preselected: true, needs_api_credentials: false,
          demo: [{ name: 'Alice Liddell', phone: '+9996621234', code: '22222', password: null, password_hint: null, bot_token: null }] },
        { id: 'production', name: 'Telegram', description: 'Your real account.', preselected: false, needs_api_credentials: true, demo: [] },
        { id: 'test', name: 'Telegram test network', description: 'For developers.', preselected: false, needs_api_credentials: true, demo: [] },
      ];
    },
    async begin(request) {
      calls.push(['begin', request]);
      if (request.network !== 'local' && !(request.api && request.api.api_id > 0)) throw err('INVALID_INPUT', 'api_id');
      flows += 1;
      return flows;
    },
    async submitPhone(flow, number) {
      calls.push(['submitPhone', flow, number]);
      if (number === '+9996629999') throw err('FLOOD_WAIT', null, 42);
      if (!number.startsWith('+99966')) throw err('PHONE_NUMBER_INVALID');
      phone = number;
      return { step: 'code', code_type: 'app', next_type: 'sms', timeout_secs: 30, phone, length: 5, detail: null };
    },
    async resendCode(flow) {
      calls.push(['resendCode', flow]);
      return { step: 'code', code_type: 'sms', next_type: null, timeout_secs: null, phone, length: 5, detail: null };
    },
    async submitCode(flow, code) {
      calls.push(['submitCode', flow, code]);
      if (code === '00000') throw err('PHONE_CODE_EXPIRED');
      if (code !== '22222') throw err('PHONE_CODE_INVALID');
      if (phone === '+9996625555') return { step: 'password', hint: 'xkcd 936' };
      if (phone === '+9996627777') return { step: 'sign_up', terms: 'Be nice.' };
      return { step: 'done', account: account('Alice Liddell') };
    },
    async submitPassword(flow, password) {
      calls.push(['submitPassword', flow, password]);
      if (password !== 'correct horse battery staple') throw err('PASSWORD_HASH_INVALID');
      return { step: 'done', account: account('Carol Secure') };
    },
    async signUp(flow, first, last) {
      calls.push(['signUp', flow, first, last]);
      return { step: 'done', account: account(`${first} ${last}`.trim()) };
    },
    async submitBotToken(flow, token) {
      calls.push(['submitBotToken', flow, token]);
      if (token !== '7000001:AAHearthDemoBotSecretToken') throw err('ACCESS_TOKEN_INVALID');
      return { step: 'done', account: account('Hearth Helper') };
    },
    startQr(flow, onStep) {
      calls.push(['startQr', flow]);
      qr.onStep = onStep;
      return new Promise<LoginStep>((resolve, reject) => {
        qr.resolve = resolve;
        qr.reject = reject;
      });
    },
    async cancel(flow) {
      calls.push(['cancel', flow]);
    },
    async pickSessionFile() {
      calls.push(['pickSessionFile']);
      return '/home/me/bob.session';
    },
    async pickSessionFolder() {
      calls.push(['pickSessionFolder']);
      return '/home/me/tdata';
    },
    async inspectSession(source, format) {
      calls.push(['inspectSession', source, format]);
      const where = source.kind === 'file' ? source.path : source.text;
      if (source.kind === 'file' && where.endsWith('tdata')) {
        // A tdata with a local passcode ("hunter2") and two accounts, one already in Hearth.
        if (!source.passcode) throw err('PASSCODE_NEEDED', 'passcode');
        if (source.passcode !== 'hunter2') throw err('PASSCODE_INVALID', 'passcode');
        const tdata = { format: 'Telegram Desktop tdata folder', is_bot: false, network_hint: null, server: null };
        return {
          sessions: [
            { ...tdata, dc_id: 2, key_id: 'aaaaaaaaaaaaaaa2', user_id: 5000000001, refused: null },
            { ...tdata, dc_id: 4, key_id: 'aaaaaaaaaaaaaaa4', user_id: 7123456789, refused: null },
            { ...tdata, dc_id: 1, key_id: 'aaaaaaaaaaaaaaa1', user_id: 42, refused: 'Hearth holds this key already.' },
          ],
        };
      }
      if (where.includes('held')) throw err('SESSION_ALREADY_HELD', 'session');
      if (where.includes('locked')) throw err('SESSION_IN_USE', 'session');
      if (format === 'pyrogram') throw err('INVALID_INPUT', 'format');
      return {
        sessions: [
          { format: 'Telethon session file', dc_id: 4, key_id: '0123456789abcdef', user_id: null, is_bot: null,
            network_hint: 'local', server: '127.0.0.1:40004', refused: null },
        ],
      };
    },
    async importSession(request) {
      calls.push(['importSession', request]);
      const where = request.source.kind === 'file' ? request.source.path : request.source.text;
      if (where.includes('revoked')) throw err('SESSION_KEY_REJECTED', 'session');
      if (where.endsWith('tdata')) {
        // The DC 4 account's key is refused by its DC; the others are imported.
        return (request.key_ids ?? []).map((key_id) =>
          key_id === 'aaaaaaaaaaaaaaa4'
            ? { key_id, account: null, error: { code: 'AUTH_KEY_UNREGISTERED', message: 'DC 4 does not know this key.', field: 'session', retry_after_secs: null } }
            : { key_id, account: { ...account(`User ${key_id.slice(-1)}`), id: 60 + parseInt(key_id.slice(-1), 16) }, error: null },
        );
      }
      return [{ key_id: '0123456789abcdef', account: account('Bob Builder'), error: null }];
    },
  };
  return { backend, calls, qr, account };
}

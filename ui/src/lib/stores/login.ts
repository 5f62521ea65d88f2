// The Add account wizard's state: network → method → phone → code →
// password or sign-up, or a QR code, or a bot token, or an imported session;
// each answer of the backend is the next step. Errors land on the field they
// concern; flood waits become a countdown that keeps the submit buttons disabled.
//
// Importing is two calls: `inspect` reads the file or string (nothing connects,
// a key Hearth holds is refused), the wizard warns that one session in two
// places gets terminated, and only `confirmImport` lets the key be used.
import { derived, writable, type Readable } from 'svelte/store';
import type { AccountNetwork } from '../bindings/AccountNetwork';
import type { AccountView } from '../bindings/AccountView';
import type { ApiCredentials } from '../bindings/ApiCredentials';
import type { ImportFormat } from '../bindings/ImportFormat';
import type { ImportOutcome } from '../bindings/ImportOutcome';
import type { ImportPreview } from '../bindings/ImportPreview';
import type { ImportRequest } from '../bindings/ImportRequest';
import type { ImportSource } from '../bindings/ImportSource';
import type { LoginRequest } from '../bindings/LoginRequest';
import type { LoginStep } from '../bindings/LoginStep';
import type { NetworkOption } from '../bindings/NetworkOption';
import { clockText, toUiError } from '../errors';
import { createCountdown, systemClock, type Clock, type Countdown } from './countdown';

export type { AccountNetwork, ApiCredentials, ImportFormat, ImportOutcome, ImportPreview, ImportSource, LoginStep, NetworkOption };

/** What the wizard needs from the backend (the real one is IPC, see ipc.ts). */
export interface LoginBackend {
  networks(): Promise<NetworkOption[]>;
  /** Starts a flow; resolves to its id. */
  begin(request: LoginRequest): Promise<number>;
  submitPhone(flow: number, phone: string): Promise<LoginStep>;
  resendCode(flow: number): Promise<LoginStep>;
  submitCode(flow: number, code: string): Promise<LoginStep>;
  submitPassword(flow: number, password: string): Promise<LoginStep>;
  signUp(flow: number, firstName: string, lastName: string): Promise<LoginStep>;
  submitBotToken(flow: number, token: string): Promise<LoginStep>;
  /** Streams `qr` steps to `onStep`; resolves once the code was scanned (done or password). */
  startQr(flow: number, onStep: (step: LoginStep) => void): Promise<LoginStep>;
  cancel(flow: number): Promise<void>;
  /** A native dialog to choose a session file; null when closed. */
  pickSessionFile(): Promise<string | null>;
  /** A native dialog to choose a Telegram Desktop tdata folder; null when closed. */
  pickSessionFolder(): Promise<string | null>;
  /** Reads a session (no connection); refuses a key Hearth already holds. */
  inspectSession(source: ImportSource, format: ImportFormat): Promise<ImportPreview>;
  /** Checks each chosen key with its DC, then adds its account; what became of each. */
  importSession(request: ImportRequest): Promise<ImportOutcome[]>;
}

export type Method = 'phone' | 'qr' | 'bot_token' | 'import';
export type Stage = 'network' | 'method' | 'phone' | 'code' | 'password' | 'sign_up' | 'qr' | 'bot_token' | 'import' | 'done';

/** A session read for import, awaiting the user's go-ahead. */
export interface PendingImport {
  source: ImportSource;
  format: ImportFormat;
  preview: ImportPreview;
  /** The `key_id`s ticked for import (a tdata may hold several accounts). */
  chosen: string[];
  /** What became of each session imported so far; null before the first try. */
  results: ImportOutcome[] | null;
}
export type CodeStep = Extract<LoginStep, { step: 'code' }>;

export interface LoginState {
  stage: Stage;
  networks: NetworkOption[];
  network: AccountNetwork | null;
  flow: number | null;
  code: CodeStep | null;
  passwordHint: string | null;
  terms: string | null;
  qr: { url: string; expiresAt: number } | null;
  account: AccountView | null;
  /** The network chosen on the first step (imports use it). */
  chosen: AccountNetwork | null;
  /** The session read for import, shown with the warning; null before. */
  pendingImport: PendingImport | null;
  /** The source read is a tdata locked with a local passcode: the step asks for it. */
  needsPasscode: boolean;
  busy: boolean;
  /** Messages by field (`phone`, `code`, `password`, `bot_token`, `api_id`, …); `form` for the rest. */
  errors: Record<string, string>;
  /** The code of the last error (e.g. `PHONE_CODE_EXPIRED`), or null. */
  lastError: string | null;
  /** The field showing a flood wait's live countdown, or null. */
  floodField: string | null;
}

export interface LoginStore extends Readable<LoginState> {
  /** Seconds of flood wait left; submitting is disabled while above 0. */
  readonly flood: Readable<number>;
  /** Seconds until a new code may be requested. */
  readonly resendIn: Readable<number>;
  /** The chosen network needs an api_id/api_hash first. */
  readonly needsApi: Readable<boolean>;
  loadNetworks(): Promise<void>;
  chooseNetwork(network: AccountNetwork): void;
  /** Starts the flow on the chosen network. */
  start(api: ApiCredentials | null, label: string | null): Promise<void>;
  chooseMethod(method: Method): Promise<void>;
  submitPhone(phone: string): Promise<void>;
  /** Asks for a new code by the next way Telegram offers. */
  resendCode(): Promise<void>;
  /** Asks for a fresh code to the same number (after PHONE_CODE_EXPIRED). */
  requestNewCode(): Promise<void>;
  submitCode(code: string): Promise<void>;
  submitPassword(password: string): Promise<void>;
  signUp(firstName: string, lastName: string): Promise<void>;
  submitBotToken(token: string): Promise<void>;
  /** Opens the file dialog; the chosen path, or null. */
  pickSessionFile(): Promise<string | null>;
  /** Opens the folder dialog (Telegram Desktop's tdata); the chosen path, or null. */
  pickSessionFolder(): Promise<string | null>;
  /** Reads a session file, tdata folder or string for import; nothing connects yet. */
  inspectImport(source: ImportSource, format: ImportFormat): Promise<void>;
  /** Ticks or unticks one session of the source for import. */
  toggleImportChoice(keyId: string): void;
  /** After the warning: each chosen key is checked with its DC and its account added, one by one. */
  confirmImport(): Promise<void>;
  /** After an import where some were refused: on to the first account imported. */
  finishImport(): void;
  /** Drops the session read, back to choosing one. */
  discardImport(): void;
  /** Back to the choice of method (a running QR login ends). */
  backToMethods(): Promise<void>;
  /** Ends the flow and starts over. */
  cancel(): Promise<void>;
}

export function initialLogin(): LoginState {
  return {
    stage: 'network',
    networks: [],
    network: null,
    flow: null,
    code: null,
    passwordHint: null,
    terms: null,
    qr: null,
    account: null,
    chosen: null,
    pendingImport: null,
    needsPasscode: false,
    busy: false,
    errors: {},
    lastError: null,
    floodField: null,
  };
}

/** The state after the backend answered `step`. */
export function applyStep(state: LoginState, step: LoginStep): LoginState {
  const next = { ...state, busy: false, errors: {}, lastError: null, floodField: null };
  switch (step.step) {
    case 'phone':
      return { ...next, stage: 'phone' };
    case 'code':
      return { ...next, stage: 'code', code: step };
    case 'password':
      return { ...next, stage: 'password', passwordHint: step.hint, qr: null };
    case 'sign_up':
      return { ...next, stage: 'sign_up', terms: step.terms };
    case 'qr':
      return { ...next, stage: 'qr', qr: { url: step.url, expiresAt: step.expires_at } };
    case 'done':
      return { ...next, stage: 'done', account: step.account, qr: null };
  }
}

/** The live text of a flood wait. */
export function floodMessage(seconds: number): string {
  return `Telegram asks to wait ${clockText(seconds)} before trying again.`;
}

export interface LoginOptions {
  clock?: Clock;
  /** Called once an account is signed in and saved. */
  onDone?: (account: AccountView) => void;
}

export function createLoginStore(backend: LoginBackend, options: LoginOptions = {}): LoginStore {
  const clock = options.clock ?? systemClock;
  const store = writable<LoginState>(initialLogin());
  let current = initialLogin();
  store.subscribe((s) => (current = s));
  const flood: Countdown = createCountdown(clock);
  const resendIn: Countdown = createCountdown(clock);
  let floodLeft = 0;
  // The flood wait counts down on the field it concerns, and clears there.
  flood.subscribe((seconds) => {
    floodLeft = seconds;
    const field = current.floodField;
    if (field === null) return;
    store.update((s) => {
      const errors = { ...s.errors };
      if (seconds > 0) errors[field] = floodMessage(seconds);
      else delete errors[field];
      return { ...s, errors, floodField: seconds > 0 ? field : null };
    });
  });
  let request: LoginRequest | null = null;

  function fail(failure: unknown, fallbackField: string) {
    const error = toUiError(failure);
    const field = error.field ?? (error.retryAfterSecs ? fallbackField : 'form');
    const floodField = error.retryAfterSecs ? field : null;
    store.update((s) => ({ ...s, busy: false, errors: { [field]: error.message }, lastError: error.code, floodField }));
    if (error.retryAfterSecs) flood.until(clock.now() + error.retryAfterSecs * 1000);
  }

  function apply(step: LoginStep) {
    if (step.step === 'code') {
      resendIn.until(step.timeout_secs ? clock.now() + step.timeout_secs * 1000 : null);
    }
    store.update((s) => applyStep(s, step));
    if (step.step === 'done') options.onDone?.(step.account);
  }

  /** Runs one backend call for the current flow, unless busy or waiting. */
  async function submit(field: string, call: (flow: number) => Promise<LoginStep>) {
    const flow = current.flow;
    if (flow === null || current.busy || floodLeft > 0) return;
    store.update((s) => ({ ...s, busy: true, errors: {}, lastError: null }));
    try {
      const step = await call(flow);
      if (current.flow === flow) apply(step);
    } catch (failure) {
      if (current.flow === flow) fail(failure, field);
    }
  }

  async function begin(): Promise<boolean> {
    if (!request) return false;
    store.update((s) => ({ ...s, busy: true, errors: {} }));
    try {
      const flow = await backend.begin(request);
      store.update((s) => ({ ...s, flow, busy: false, stage: 'method' }));
      return true;
    } catch (failure) {
      fail(failure, 'form');
      return false;
    }
  }

  async function endFlow() {
    const flow = current.flow;
    store.update((s) => ({ ...s, flow: null, qr: null, code: null }));
    if (flow !== null) await backend.cancel(flow).catch(() => undefined);
  }

  function startQr(flow: number) {
    store.update((s) => ({ ...s, stage: 'qr', qr: null, errors: {} }));
    backend
      .startQr(flow, (step) => {
        if (current.flow === flow && current.stage === 'qr') apply(step);
      })
      .then((step) => current.flow === flow && apply(step))
      .catch((failure) => current.flow === flow && fail(failure, 'form'));
  }

  return {
    subscribe: store.subscribe,
    flood: { subscribe: flood.subscribe },
    resendIn: { subscribe: resendIn.subscribe },
    needsApi: derived(
      store,
      (s) => s.networks.find((n) => n.id === s.network)?.needs_api_credentials ?? false,
    ),
    async loadNetworks() {
      try {
        const networks = await backend.networks();
        // Local is preselected while no account exists; later the last choice stays.
        const pick = networks.find((n) => n.preselected)?.id;
        store.update((s) => ({ ...s, networks, network: pick ?? s.network ?? null, errors: {} }));
      } catch (failure) {
        fail(failure, 'form');
      }
    },
    chooseNetwork(network) {
      store.update((s) => ({ ...s, network, errors: {} }));
    },
    async start(api, label) {
      const network = current.network;
      if (network === null || current.busy) return;
      const needs = current.networks.find((n) => n.id === network)?.needs_api_credentials ?? false;
      request = { network, api: needs ? api : null, label: label?.trim() || null };
      store.update((s) => ({ ...s, chosen: network }));
      await begin();
    },
    async chooseMethod(method) {
      const flow = current.flow;
      if (flow === null) return;
      if (method === 'qr') startQr(flow);
      else if (method === 'import') {
        // An import brings its own key: the sign-in flow's connection is not needed.
        await endFlow();
        store.update((s) => ({ ...s, stage: 'import', pendingImport: null, needsPasscode: false, errors: {} }));
      } else store.update((s) => ({ ...s, stage: method, errors: {} }));
    },
    submitPhone: (phone) => submit('phone', (flow) => backend.submitPhone(flow, phone)),
    resendCode: () => submit('code', (flow) => backend.resendCode(flow)),
    async requestNewCode() {
      const phone = current.code?.phone;
      if (phone) await submit('code', (flow) => backend.submitPhone(flow, phone));
    },
    submitCode: (code) => submit('code', (flow) => backend.submitCode(flow, code.replace(/\s/g, ''))),
    submitPassword: (password) => submit('password', (flow) => backend.submitPassword(flow, password)),
    signUp: (first, last) => submit('first_name', (flow) => backend.signUp(flow, first.trim(), last.trim())),
    submitBotToken: (token) => submit('bot_token', (flow) => backend.submitBotToken(flow, token.trim())),
    pickSessionFile: () => backend.pickSessionFile().catch((failure) => (fail(failure, 'session'), null)),
    pickSessionFolder: () => backend.pickSessionFolder().catch((failure) => (fail(failure, 'session'), null)),
    async inspectImport(source, format) {
      if (current.busy) return;
      store.update((s) => ({ ...s, busy: true, errors: {}, lastError: null, pendingImport: null }));
      try {
        const preview = await backend.inspectSession(source, format);
        const chosen = preview.sessions.filter((s) => s.refused === null).map((s) => s.key_id);
        store.update((s) => ({
          ...s,
          busy: false,
          needsPasscode: false,
          pendingImport: { source, format, preview, chosen, results: null },
        }));
      } catch (failure) {
        fail(failure, 'session');
        // A locked tdata (or a wrong passcode): the step shows the passcode field.
        if (current.lastError?.startsWith('PASSCODE_')) store.update((s) => ({ ...s, needsPasscode: true }));
      }
    },
    toggleImportChoice(keyId) {
      const pending = current.pendingImport;
      if (!pending || current.busy) return;
      const found = pending.preview.sessions.find((s) => s.key_id === keyId);
      if (!found || found.refused !== null) return;
      const chosen = pending.chosen.includes(keyId) ? pending.chosen.filter((k) => k !== keyId) : [...pending.chosen, keyId];
      store.update((s) => ({ ...s, pendingImport: { ...pending, chosen } }));
    },
    async confirmImport() {
      const pending = current.pendingImport;
      if (!pending || !request || current.busy || floodLeft > 0) return;
      if (pending.chosen.length === 0) {
        store.update((s) => ({ ...s, errors: { session: 'Tick at least one account to import.' } }));
        return;
      }
      store.update((s) => ({ ...s, busy: true, errors: {}, lastError: null }));
      try {
        const outcomes = await backend.importSession({
          ...request,
          source: pending.source,
          format: pending.format,
          key_ids: pending.chosen,
        });
        const imported = outcomes.flatMap((o) => (o.account ? [o.account] : []));
        const [first, ...more] = imported;
        if (!first && outcomes.length <= 1) {
          throw outcomes[0]?.error ?? { code: 'SESSION_INVALID', message: 'The source holds no signed-in session.', field: 'session', retry_after_secs: null };
        }
        if (first && imported.length === outcomes.length) {
          apply({ step: 'done', account: first });
          for (const account of more) options.onDone?.(account);
          return;
        }
        // Some were refused: each result is shown; the refused stay ticked to try again.
        const results = [...(pending.results ?? []).filter((r) => !outcomes.some((o) => o.key_id === r.key_id)), ...outcomes];
        const chosen = outcomes.filter((o) => !o.account).map((o) => o.key_id);
        store.update((s) => ({ ...s, busy: false, pendingImport: { ...pending, chosen, results } }));
        for (const account of imported) options.onDone?.(account);
      } catch (failure) {
        fail(failure, 'session');
      }
    },
    finishImport() {
      const account = current.pendingImport?.results?.find((r) => r.account)?.account;
      // onDone already ran for each account imported.
      if (account) store.update((s) => applyStep({ ...s, pendingImport: null }, { step: 'done', account }));
    },
    discardImport() {
      store.update((s) => ({ ...s, pendingImport: null, needsPasscode: false, errors: {} }));
    },
    async backToMethods() {
      if (current.stage === 'import') {
        // The import ended the sign-in flow: start a fresh one.
        store.update((s) => ({ ...s, pendingImport: null }));
        await begin();
        return;
      }
      if (current.stage !== 'qr') {
        store.update((s) => ({ ...s, stage: 'method', errors: {} }));
        return;
      }
      // A QR login holds the flow until scanned: end it and start afresh.
      await endFlow();
      await begin();
    },
    async cancel() {
      await endFlow();
      request = null;
      resendIn.until(null);
      store.update((s) => ({ ...initialLogin(), networks: s.networks, network: s.network }));
    },
  };
}

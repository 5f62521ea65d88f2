import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../bindings/AccountView';
import { fakeLogin } from '../fakes';
import { manualClock } from '../testing';
import { applyStep, createLoginStore, initialLogin } from './login';

async function started(phone?: string) {
  const fake = fakeLogin();
  const clock = manualClock();
  const done: AccountView[] = [];
  const store = createLoginStore(fake.backend, { clock, onDone: (a) => done.push(a) });
  await store.loadNetworks();
  await store.start(null, '  ');
  await store.chooseMethod('phone');
  if (phone) await store.submitPhone(phone);
  return { fake, clock, done, store };
}

describe('applyStep', () => {
  it('maps each backend step to a stage and clears errors', () => {
    const busy = { ...initialLogin(), busy: true, errors: { code: 'x' } };
    expect(applyStep(busy, { step: 'password', hint: 'h' })).toMatchObject({ stage: 'password', passwordHint: 'h', busy: false, errors: {} });
    expect(applyStep(busy, { step: 'qr', url: 'tg://login?token=a', expires_at: 5 }).qr).toEqual({ url: 'tg://login?token=a', expiresAt: 5 });
    expect(applyStep(busy, { step: 'sign_up', terms: null }).stage).toBe('sign_up');
    expect(applyStep(busy, { step: 'phone' }).stage).toBe('phone');
  });
});

describe('login store', () => {
  it('preselects the local network and signs in with phone and code', async () => {
    const { fake, done, store } = await started();
    expect(get(store).network).toBe('local');
    expect(fake.calls[1]).toEqual(['begin', { network: 'local', api: null, label: null }]);
    expect(get(store).stage).toBe('phone');
    await store.submitPhone('+9996621234');
    expect(get(store).stage).toBe('code');
    expect(get(store).code).toMatchObject({ code_type: 'app', next_type: 'sms', phone: '+9996621234' });
    await store.submitCode(' 222 22 ');
    expect(fake.calls).toContainEqual(['submitCode', 1, '22222']);
    expect(get(store).stage).toBe('done');
    expect(done.map((a) => a.display_name)).toEqual(['Alice Liddell']);
  });

  it('asks for api_id/api_hash on production and shows the error on that field', async () => {
    const fake = fakeLogin();
    const store = createLoginStore(fake.backend, { clock: manualClock() });
    await store.loadNetworks();
    store.chooseNetwork('production');
    expect(get(store.needsApi)).toBe(true);
    await store.start({ api_id: 0, api_hash: '' }, 'Work');
    expect(get(store).stage).toBe('network');
    expect(get(store).errors).toEqual({ api_id: 'INVALID_INPUT (from the server)' });
    await store.start({ api_id: 123, api_hash: 'abc' }, 'Work');
    expect(fake.calls.at(-1)).toEqual(['begin', { network: 'production', api: { api_id: 123, api_hash: 'abc' }, label: 'Work' }]);
    expect(get(store).stage).toBe('method');
  });

  it('puts code errors on the code field in plain words', async () => {
    const { store } = await started('+9996621234');
    await store.submitCode('11111');
    expect(get(store).errors.code).toBe('That code is not right. Check the digits and try again.');
    await store.submitCode('00000');
    expect(get(store).errors.code).toMatch(/shared in a chat or anywhere else expires at once/);
    expect(get(store)).toMatchObject({ stage: 'code', lastError: 'PHONE_CODE_EXPIRED' });
    await store.requestNewCode();
    expect(get(store)).toMatchObject({ stage: 'code', lastError: null, errors: {} });
  });

  it('counts down to a resend and then asks for the code by the next way', async () => {
    const { fake, clock, store } = await started('+9996621234');
    expect(get(store.resendIn)).toBe(30);
    clock.advance(29_500);
    expect(get(store.resendIn)).toBe(1);
    clock.advance(500);
    expect(get(store.resendIn)).toBe(0);
    await store.resendCode();
    expect(fake.calls.at(-1)).toEqual(['resendCode', 1]);
    expect(get(store).code?.code_type).toBe('sms');
  });

  it('asks for the 2FA password with its hint, and says when it is wrong', async () => {
    const { done, store } = await started('+9996625555');
    await store.submitCode('22222');
    expect(get(store)).toMatchObject({ stage: 'password', passwordHint: 'xkcd 936' });
    await store.submitPassword('wrong');
    expect(get(store).errors.password).toBe('That password is not right. The hint may help.');
    await store.submitPassword('correct horse battery staple');
    expect(done.map((a) => a.display_name)).toEqual(['Carol Secure']);
  });

  it('signs up a new number with a name', async () => {
    const { fake, done, store } = await started('+9996627777');
    await store.submitCode('22222');
    expect(get(store)).toMatchObject({ stage: 'sign_up', terms: 'Be nice.' });
    await store.signUp(' Dora ', '');
    expect(fake.calls.at(-1)).toEqual(['signUp', 1, 'Dora', '']);
    expect(done[0].display_name).toBe('Dora');
  });

  it('turns a flood wait into a countdown that blocks submitting until it ends', async () => {
    const { fake, clock, store } = await started('+9996629999');
    expect(get(store.flood)).toBe(42);
    expect(get(store).errors).toEqual({ phone: 'Telegram asks to wait 0:42 before trying again.' });
    clock.advance(12_000);
    expect(get(store).errors.phone).toBe('Telegram asks to wait 0:30 before trying again.');
    const calls = fake.calls.length;
    await store.submitPhone('+9996621234');
    expect(fake.calls.length).toBe(calls);
    clock.advance(30_000);
    expect(get(store.flood)).toBe(0);
    expect(get(store).errors).toEqual({});
    await store.submitPhone('+9996621234');
    expect(get(store).stage).toBe('code');
  });

  it('shows each new QR token and finishes when it is accepted', async () => {
    const { fake, done, store } = await started();
    await store.backToMethods();
    await store.chooseMethod('qr');
    expect(get(store)).toMatchObject({ stage: 'qr', qr: null });
    fake.qr.onStep?.({ step: 'qr', url: 'tg://login?token=first', expires_at: 100 });
    expect(get(store).qr?.url).toBe('tg://login?token=first');
    fake.qr.onStep?.({ step: 'qr', url: 'tg://login?token=second', expires_at: 130 });
    expect(get(store).qr?.url).toBe('tg://login?token=second');
    fake.qr.resolve?.({ step: 'password', hint: 'xkcd 936' });
    await Promise.resolve();
    expect(get(store).stage).toBe('password');
    await store.submitPassword('correct horse battery staple');
    expect(done).toHaveLength(1);
  });

  it('leaving the QR code ends that flow and starts a new one', async () => {
    const { fake, store } = await started();
    await store.backToMethods();
    await store.chooseMethod('qr');
    await store.backToMethods();
    expect(fake.calls.slice(-2)).toEqual([['cancel', 1], ['begin', { network: 'local', api: null, label: null }]]);
    expect(get(store)).toMatchObject({ stage: 'method', flow: 2 });
    fake.qr.onStep?.({ step: 'qr', url: 'tg://login?token=stale', expires_at: 1 });
    expect(get(store).qr).toBeNull();
  });

  it('says when a bot token is not valid, and signs the bot in', async () => {
    const { done, store } = await started();
    await store.backToMethods();
    await store.chooseMethod('bot_token');
    await store.submitBotToken('123:nope');
    expect(get(store).errors.bot_token).toMatch(/not valid/);
    await store.submitBotToken(' 7000001:AAHearthDemoBotSecretToken ');
    expect(done[0].display_name).toBe('Hearth Helper');
  });

  it('cancel ends the flow, ignores its late answers and keeps the network', async () => {
    const { fake, store } = await started();
    const answer = store.submitPhone('+9996621234');
    await store.cancel();
    await answer;
    expect(fake.calls).toContainEqual(['cancel', 1]);
    expect(get(store)).toMatchObject({ stage: 'network', flow: null, network: 'local', code: null });
  });
});

describe('network choice', () => {
  it('preselects nothing once accounts exist, keeping the last choice', async () => {
    const fake = fakeLogin();
    const networks = await fake.backend.networks();
    fake.backend.networks = async () => networks.map((n) => ({ ...n, preselected: false }));
    const store = createLoginStore(fake.backend, { clock: manualClock() });
    await store.loadNetworks();
    expect(get(store).network).toBeNull();
    store.chooseNetwork('test');
    await store.loadNetworks();
    expect(get(store).network).toBe('test');
  });
});

describe('importing a session', () => {
  async function importing() {
    const fake = fakeLogin();
    const done: AccountView[] = [];
    const store = createLoginStore(fake.backend, { clock: manualClock(), onDone: (a) => done.push(a) });
    await store.loadNetworks();
    await store.start(null, 'Script');
    await store.chooseMethod('import');
    return { fake, done, store };
  }

  it('ends the sign-in flow, reads the session without importing it, and imports only when confirmed', async () => {
    const { fake, done, store } = await importing();
    expect(get(store)).toMatchObject({ stage: 'import', flow: null, chosen: 'local' });
    expect(fake.calls).toContainEqual(['cancel', 1]);
    const source = { kind: 'file' as const, path: '/tmp/bob.session' };
    await store.inspectImport(source, 'auto');
    expect(get(store).pendingImport?.preview.sessions[0]).toMatchObject({ dc_id: 4, network_hint: 'local' });
    expect(fake.calls.some((c) => c[0] === 'importSession')).toBe(false);
    await store.confirmImport();
    expect(fake.calls.at(-1)).toEqual([
      'importSession',
      { network: 'local', api: null, label: 'Script', source, format: 'auto', key_ids: ['0123456789abcdef'] },
    ]);
    expect(get(store).stage).toBe('done');
    expect(done.map((a) => a.display_name)).toEqual(['Bob Builder']);
  });

  it('shows a held key, a file in use and a rejected key on the session field', async () => {
    const { store } = await importing();
    await store.inspectImport({ kind: 'file', path: '/tmp/held.session' }, 'auto');
    expect(get(store)).toMatchObject({ lastError: 'SESSION_ALREADY_HELD', pendingImport: null });
    expect(get(store).errors.session).toBe('SESSION_ALREADY_HELD (from the server)');
    await store.inspectImport({ kind: 'file', path: '/tmp/locked.session' }, 'auto');
    expect(get(store).lastError).toBe('SESSION_IN_USE');
    await store.inspectImport({ kind: 'text', text: 'x' }, 'pyrogram');
    expect(get(store).errors.format).toBeDefined();
    await store.inspectImport({ kind: 'text', text: 'revoked' }, 'auto');
    await store.confirmImport();
    expect(get(store)).toMatchObject({ stage: 'import', lastError: 'SESSION_KEY_REJECTED' });
    expect(get(store).errors.session).toBeDefined();
  });

  it('asks for a tdata passcode, names a wrong one, and imports the ticked accounts one by one', async () => {
    const { fake, done, store } = await importing();
    const folder = { kind: 'file' as const, path: '/home/me/tdata' };
    await store.inspectImport(folder, 'auto');
    expect(get(store)).toMatchObject({ needsPasscode: true, lastError: 'PASSCODE_NEEDED', pendingImport: null });
    expect(get(store).errors.passcode).toBeDefined();
    await store.inspectImport({ ...folder, passcode: 'hunter3' }, 'auto');
    expect(get(store)).toMatchObject({ needsPasscode: true, lastError: 'PASSCODE_INVALID' });
    expect(get(store).errors.passcode).toBe('PASSCODE_INVALID (from the server)');
    const source = { ...folder, passcode: 'hunter2' };
    await store.inspectImport(source, 'tdata');
    expect(get(store).needsPasscode).toBe(false);
    // Every account but the one Hearth holds is ticked; that one cannot be.
    expect(get(store).pendingImport?.chosen).toEqual(['aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa4']);
    store.toggleImportChoice('aaaaaaaaaaaaaaa1');
    store.toggleImportChoice('aaaaaaaaaaaaaaa2');
    expect(get(store).pendingImport?.chosen).toEqual(['aaaaaaaaaaaaaaa4']);
    store.toggleImportChoice('aaaaaaaaaaaaaaa4');
    await store.confirmImport();
    expect(get(store).errors.session).toBe('Tick at least one account to import.');
    expect(fake.calls.some((c) => c[0] === 'importSession')).toBe(false);
    store.toggleImportChoice('aaaaaaaaaaaaaaa2');
    store.toggleImportChoice('aaaaaaaaaaaaaaa4');
    await store.confirmImport();
    expect(fake.calls.at(-1)).toMatchObject([
      'importSession',
      { source, format: 'tdata', key_ids: ['aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa4'] },
    ]);
    // One refused does not stop the other: both results shown, the refused one ticked to retry.
    const pending = get(store).pendingImport;
    expect(get(store).stage).toBe('import');
    expect(pending?.results?.map((r) => [r.key_id, r.account?.display_name ?? r.error?.code])).toEqual([
      ['aaaaaaaaaaaaaaa2', 'User 2'],
      ['aaaaaaaaaaaaaaa4', 'AUTH_KEY_UNREGISTERED'],
    ]);
    expect(pending?.chosen).toEqual(['aaaaaaaaaaaaaaa4']);
    expect(done.map((a) => a.display_name)).toEqual(['User 2']);
    // Retrying the refused one alone fails on the session field, the earlier result kept.
    await store.confirmImport();
    expect(get(store)).toMatchObject({ stage: 'import', lastError: 'AUTH_KEY_UNREGISTERED' });
    store.finishImport();
    expect(get(store)).toMatchObject({ stage: 'done', pendingImport: null });
    expect(get(store).account?.display_name).toBe('User 2');
    expect(done).toHaveLength(1);
  });

  it('discards a session read and goes back to the methods with a new flow', async () => {
    const { fake, store } = await importing();
    await store.inspectImport({ kind: 'text', text: 'abc' }, 'auto');
    store.discardImport();
    expect(get(store).pendingImport).toBeNull();
    await store.confirmImport();
    expect(fake.calls.some((c) => c[0] === 'importSession')).toBe(false);
    await store.backToMethods();
    expect(get(store)).toMatchObject({ stage: 'method', flow: 2 });
    expect(await store.pickSessionFile()).toBe('/home/me/bob.session');
    expect(await store.pickSessionFolder()).toBe('/home/me/tdata');
  });
});

import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { fakeLogin } from '../fakes';
import { createLoginStore } from '../stores/login';
import { createNavigationStore } from '../stores/navigation';
import { manualClock } from '../testing';
import AddAccount from './AddAccount.svelte';

async function wizard() {
  const fake = fakeLogin();
  const clock = manualClock();
  const login = createLoginStore(fake.backend, { clock });
  const navigation = createNavigationStore('add-account');
  render(AddAccount, { login, navigation });
  await screen.findByTestId('network-option-local');
  return { fake, clock, login, navigation };
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const submit = () => fireEvent.click(screen.getByTestId('submit'));

async function toPhone() {
  const ctx = await wizard();
  await submit();
  await fireEvent.click(await screen.findByTestId('method-phone'));
  await screen.findByTestId('step-phone');
  return ctx;
}

describe('Add account wizard', () => {
  it('preselects the local network and lists its demo accounts', async () => {
    await wizard();
    const local = within(screen.getByTestId('network-option-local')).getByRole('radio');
    expect(local).toBeChecked();
    expect(screen.queryByTestId('api-help')).toBeNull();
    expect(screen.getByTestId('demo-accounts')).toHaveTextContent('phone +9996621234, code 22222');
  });

  it('asks production for api_id/api_hash, saying where to get them, with errors on the field', async () => {
    await wizard();
    await fireEvent.click(within(screen.getByTestId('network-option-production')).getByRole('radio'));
    expect(screen.getByTestId('api-help')).toHaveTextContent('my.telegram.org');
    expect(screen.getByTestId('api-help')).toHaveTextContent('API development tools');
    expect(screen.queryByTestId('demo-accounts')).toBeNull();
    await submit();
    expect(await screen.findByTestId('api-id-error')).toHaveTextContent('INVALID_INPUT');
    expect(screen.getByLabelText('api_id')).toHaveAttribute('aria-invalid', 'true');
  });

  it('goes phone → code → password, showing how the code was sent and the hint', async () => {
    await toPhone();
    await type('Phone number', '+999 662 5555');
    expect(screen.getByTestId('phone-help')).toHaveTextContent('Will sign in as +9996625555.');
    await submit();
    expect(await screen.findByTestId('code-delivery')).toHaveTextContent('open Telegram on another device');
    expect(screen.getByTestId('code-resend')).toHaveTextContent('You can ask for the code by SMS in 0:30.');
    await type('Code', '11111');
    await submit();
    expect(await screen.findByTestId('code-error')).toHaveTextContent('That code is not right.');
    expect(screen.getByLabelText('Code')).toHaveAttribute('aria-invalid', 'true');
    await type('Code', '22222');
    await submit();
    expect(await screen.findByTestId('password-hint')).toHaveTextContent('Hint: xkcd 936');
    await type('Password', 'nope');
    await submit();
    expect(await screen.findByTestId('password-error')).toHaveTextContent('That password is not right.');
  });

  it('explains an expired code and offers the resend once allowed', async () => {
    const { clock, fake } = await toPhone();
    await type('Phone number', '+9996621234');
    await submit();
    await type('Code', '00000');
    await submit();
    expect(await screen.findByTestId('code-error')).toHaveTextContent('shared in a chat or anywhere else expires at once');
    await fireEvent.click(screen.getByRole('button', { name: 'Request a new code' }));
    expect(fake.calls.at(-1)).toEqual(['submitPhone', 1, '+9996621234']);
    expect(await screen.findByTestId('code-error')).toBeEmptyDOMElement();
    clock.advance(30_000);
    await fireEvent.click(await screen.findByRole('button', { name: 'Send the code by SMS' }));
    expect(fake.calls.at(-1)).toEqual(['resendCode', 1]);
    expect(await screen.findByTestId('code-delivery')).toHaveTextContent('by SMS');
  });

  it('shows a flood wait as a live countdown with the submit button disabled', async () => {
    const { clock } = await toPhone();
    await type('Phone number', '+9996629999');
    await submit();
    expect(await screen.findByTestId('phone-error')).toHaveTextContent('Telegram asks to wait 0:42 before trying again.');
    expect(screen.getByLabelText('Phone number')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('submit')).toBeDisabled();
    expect(screen.getByTestId('submit')).toHaveTextContent('Wait 0:42');
    clock.advance(2_000);
    expect(await screen.findByTestId('submit')).toHaveTextContent('Wait 0:40');
    expect(screen.getByTestId('phone-error')).toHaveTextContent('Telegram asks to wait 0:40 before trying again.');
    clock.advance(40_000);
    await screen.findByText('Send code');
    expect(screen.getByTestId('submit')).toBeEnabled();
    expect(screen.getByTestId('phone-error')).toBeEmptyDOMElement();
  });

  it('shows a QR code that refreshes with each new token', async () => {
    const { fake } = await wizard();
    await submit();
    await fireEvent.click(await screen.findByTestId('method-qr'));
    expect(screen.getByTestId('qr-waiting')).toBeInTheDocument();
    fake.qr.onStep?.({ step: 'qr', url: 'tg://login?token=first', expires_at: 100 });
    const first = await screen.findByTestId('qr-code');
    expect(first).toHaveAttribute('data-url', 'tg://login?token=first');
    const path = first.querySelector('path')?.getAttribute('d');
    expect(path).toMatch(/^M\d+ \d+h\d+/);
    fake.qr.onStep?.({ step: 'qr', url: 'tg://login?token=second', expires_at: 130 });
    await screen.findByTestId('qr-code');
    expect(screen.getByTestId('qr-code')).toHaveAttribute('data-url', 'tg://login?token=second');
    expect(screen.getByTestId('qr-code').querySelector('path')?.getAttribute('d')).not.toBe(path);
  });

  it('signs a bot in with its token, saying when the token is wrong', async () => {
    const { login } = await wizard();
    await submit();
    await fireEvent.click(await screen.findByTestId('method-bot_token'));
    await type('Bot token', '1:bad');
    await submit();
    expect(await screen.findByTestId('bot-token-error')).toHaveTextContent('This bot token is not valid');
    await type('Bot token', '7000001:AAHearthDemoBotSecretToken');
    await submit();
    expect(await screen.findByTestId('signed-in')).toHaveTextContent('Signed in as Hearth Helper.');
    expect(get(login).stage).toBe('done');
  });

  it('signs up a new number with a first name', async () => {
    await toPhone();
    await type('Phone number', '+9996627777');
    await submit();
    await type('Code', '22222');
    await submit();
    expect(await screen.findByTestId('terms')).toHaveTextContent('Be nice.');
    expect(screen.getByTestId('submit')).toBeDisabled();
    await type('First name', 'Dora');
    await submit();
    expect(await screen.findByTestId('signed-in')).toHaveTextContent('Signed in as Dora.');
  });

  it('Cancel ends the flow and goes back to the welcome page', async () => {
    const { fake, navigation } = await toPhone();
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.calls).toContainEqual(['cancel', 1]);
    expect(get(navigation)).toBe('welcome');
  });

  it('imports a session file: reads it, warns before the key is used, then signs it in', async () => {
    const { fake, login } = await wizard();
    await submit();
    await fireEvent.click(await screen.findByTestId('method-import'));
    await screen.findByTestId('step-import');
    expect(screen.getByTestId('submit')).toBeDisabled();
    await type('Session file or tdata folder', '/tmp/held.session');
    await submit();
    expect(await screen.findByTestId('session-error')).toHaveTextContent('SESSION_ALREADY_HELD');
    await type('Session file or tdata folder', '/tmp/bob.session');
    await submit();
    const warning = await screen.findByTestId('import-warning');
    expect(warning).toHaveTextContent('AUTH_KEY_DUPLICATED');
    expect(screen.getByTestId('import-dc')).toHaveTextContent('DC 4 (127.0.0.1:40004)');
    expect(screen.getByTestId('import-network')).toHaveTextContent('the Local test network');
    expect(screen.queryByTestId('import-network-mismatch')).toBeNull();
    expect(fake.calls.some((c) => c[0] === 'importSession')).toBe(false);
    await fireEvent.click(screen.getByTestId('import-confirm'));
    expect(await screen.findByTestId('signed-in')).toHaveTextContent('Signed in as Bob Builder.');
    expect(fake.calls.at(-1)).toMatchObject(['importSession', { source: { kind: 'file', path: '/tmp/bob.session' }, format: 'auto', network: 'local' }]);
    expect(get(login).stage).toBe('done');
  });

  it('offers a separate session instead, going back to the sign-in methods', async () => {
    const { fake } = await wizard();
    await submit();
    await fireEvent.click(await screen.findByTestId('method-import'));
    await fireEvent.input(await screen.findByLabelText('…or a session string'), { target: { value: '1abc' } });
    await fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'telethon' } });
    await submit();
    expect(fake.calls).toContainEqual(['inspectSession', { kind: 'text', text: '1abc' }, 'telethon']);
    await fireEvent.click(await screen.findByTestId('import-separate'));
    await screen.findByTestId('step-method');
    expect(fake.calls.some((c) => c[0] === 'importSession')).toBe(false);
  });
});

import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { fakeAccounts, fakeSessions } from '../../fakes';
import { createAccountsStore } from '../../stores/accounts';
import { createNavigationStore } from '../../stores/navigation';
import { createProxiesStore } from '../../stores/proxies';
import { createSessionsStore } from '../../stores/sessions';
import { sampleAccount } from '../../testing';
import AccountPage from './AccountPage.svelte';
import ProxyPage from './ProxyPage.svelte';
import SessionsPage from './SessionsPage.svelte';

async function selected(id = 1) {
  const fake = fakeAccounts([
    sampleAccount({ id: 1, display_name: 'Alice Liddell', network: 'local', dc_id: 2, state: 'online', label: 'Work' }),
    sampleAccount({ id: 2, display_name: 'Bob', position: 1, proxy_id: 5 }),
  ]);
  const accounts = createAccountsStore(fake.backend);
  await accounts.load();
  accounts.select(id);
  return { fake, accounts };
}

describe('Sessions page', () => {
  async function page() {
    const { accounts } = await selected();
    const fake = fakeSessions();
    const sessions = createSessionsStore(fake.backend);
    render(SessionsPage, { accounts, sessions, now: () => 1_700_000_160 });
    await screen.findAllByTestId('session-row');
    return { fake, sessions, accounts };
  }

  it('lists device, app, IP, last active and DC with the current session first and marked', async () => {
    const { fake } = await page();
    expect(fake.calls[0]).toEqual(['list', 1]);
    const rows = screen.getAllByTestId('session-row');
    expect(rows.map((r) => r.dataset.hash)).toEqual(['0', '-9007199254740993', '77']);
    expect(within(rows[0]).getByTestId('current-session')).toHaveTextContent('This device');
    expect(within(rows[0]).queryByRole('button', { name: 'Terminate' })).toBeNull();
    expect(rows[0]).toHaveTextContent('DC 2');
    expect(rows[1]).toHaveTextContent('Pixel 8');
    expect(rows[1]).toHaveTextContent('Hearth 0.1.0');
    expect(rows[1]).toHaveTextContent('127.0.0.1');
    expect(rows[1]).toHaveTextContent('1 minute ago');
    expect(rows[1]).toHaveTextContent('—');
  });

  it('terminates one session after confirming', async () => {
    const { fake } = await page();
    const telethon = screen.getAllByTestId('session-row')[2];
    await fireEvent.click(within(telethon).getByRole('button', { name: 'Terminate' }));
    const dialog = screen.getByRole('dialog', { name: 'Terminate this session?' });
    expect(dialog).toHaveTextContent('Telethon');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Terminate' }));
    expect(fake.calls).toContainEqual(['terminate', 1, '77']);
    await screen.findByText('Pixel 8');
    expect(screen.getAllByTestId('session-row')).toHaveLength(2);
  });

  it('terminates all other sessions after confirming, and shows errors inline', async () => {
    const { fake } = await page();
    fake.fail.error = { code: 'FRESH_RESET_AUTHORISATION_FORBIDDEN', message: 'x', field: null, retry_after_secs: null };
    await fireEvent.click(screen.getByTestId('terminate-others'));
    await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Terminate all' }));
    expect(await screen.findByTestId('sessions-error')).toHaveTextContent('24 hours');
    fake.fail.error = undefined;
    await fireEvent.click(screen.getByTestId('terminate-others'));
    await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(fake.calls.filter((c) => c[0] === 'terminateOthers')).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('terminate-others'));
    await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Terminate all' }));
    await screen.findByTestId('current-session');
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getAllByTestId('session-row')).toHaveLength(1);
    expect(screen.queryByTestId('terminate-others')).toBeNull();
    expect(screen.queryByTestId('sessions-error')).toBeNull();
  });

  it('follows the account switch', async () => {
    const { fake, accounts } = await page();
    accounts.select(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls).toContainEqual(['list', 2]);
  });
});

describe('Proxy page', () => {
  function proxies() {
    return createProxiesStore({
      list: async () => [
        { id: 5, label: 'socks5 127.0.0.1:1080', kind: 'socks5', saved: true, damaged: false, note: null },
        { id: -1, label: 'http 127.0.0.1:8080', kind: 'http', saved: false, damaged: false, note: 'keyring refused' },
      ],
      add: async () => Promise.reject('unused'),
      remove: async () => {},
    });
  }

  it('assigns a saved proxy to the account or goes direct', async () => {
    const { fake, accounts } = await selected(1);
    render(ProxyPage, { accounts, proxies: proxies(), navigation: createNavigationStore('proxy') });
    const direct = screen.getByRole('radio', { name: 'Direct connection' });
    expect(direct).toBeChecked();
    const socks = await screen.findByRole('radio', { name: 'socks5 127.0.0.1:1080' });
    expect(screen.getByRole('radio', { name: /http 127.0.0.1:8080/ })).toBeDisabled();
    await fireEvent.click(socks);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(fake.calls).toContainEqual(['setProxy', 1, 5]);
    expect(await screen.findByTestId('proxy-saved')).toHaveTextContent('now connects through socks5 127.0.0.1:1080');
    expect(get(accounts.current)?.proxy_id).toBe(5);
  });

  it("starts from the account's proxy and shows why saving failed", async () => {
    const { fake, accounts } = await selected(2);
    render(ProxyPage, { accounts, proxies: proxies(), navigation: createNavigationStore('proxy') });
    expect(await screen.findByRole('radio', { name: 'socks5 127.0.0.1:1080' })).toBeChecked();
    fake.fail.setProxy = { code: 'NETWORK', message: 'DC 2 did not answer through socks5 127.0.0.1:1080' };
    await fireEvent.click(screen.getByRole('radio', { name: 'Direct connection' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByTestId('proxy-error')).toHaveTextContent('DC 2 did not answer');
  });
});

describe('Account page', () => {
  it('shows the account and opens its pages', async () => {
    const { accounts } = await selected(1);
    const navigation = createNavigationStore('account');
    render(AccountPage, { accounts, navigation });
    const page = screen.getByTestId('account-page');
    expect(page).toHaveTextContent('Alice Liddell');
    expect(page).toHaveTextContent('@alice');
    expect(page).toHaveTextContent('Connected');
    expect(page).toHaveTextContent('Local, DC 2');
    expect(page).toHaveTextContent('Work');
    await fireEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    expect(get(navigation)).toBe('sessions');
  });
});

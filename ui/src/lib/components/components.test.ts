import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { createAccountsStore } from '../stores/accounts';
import { createAppInfoStore } from '../stores/appInfo';
import { createNavigationStore } from '../stores/navigation';
import { sampleAccount, sampleInfo } from '../testing';
import AddAccount from './AddAccount.svelte';
import Diagnostics from './Diagnostics.svelte';
import Footer from './Footer.svelte';
import Sidebar from './Sidebar.svelte';

describe('Sidebar', () => {
  it('shows the empty state with Add account, and navigates', async () => {
    const accounts = createAccountsStore(async () => []);
    const navigation = createNavigationStore();
    render(Sidebar, { accounts, navigation });
    expect(screen.getByTestId('accounts-empty')).toHaveTextContent('No accounts yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    expect(get(navigation)).toBe('add-account');
    await fireEvent.click(screen.getByRole('button', { name: 'Diagnostics' }));
    expect(get(navigation)).toBe('diagnostics');
    expect(screen.getByTestId('nav-diagnostics')).toHaveAttribute('aria-current', 'page');
  });

  it('lists accounts instead of the empty state, tagging bots and non-production', async () => {
    const accounts = createAccountsStore(async () => [
      sampleAccount({ id: 7, label: 'Work' }),
      sampleAccount({ id: 8, label: 'Alerts', is_bot: true, network: 'test' }),
    ]);
    render(Sidebar, { accounts, navigation: createNavigationStore() });
    await accounts.load();
    expect(await screen.findByTestId('accounts-list')).toHaveTextContent('Work');
    expect(screen.queryByTestId('accounts-empty')).toBeNull();
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/^Work$/);
    expect(items[1]).toHaveTextContent('Alerts');
    expect(items[1]).toHaveTextContent('test');
    expect(items[1]).toHaveTextContent('bot');
  });

  it('shows why the accounts could not be read', async () => {
    const accounts = createAccountsStore(() => Promise.reject({ message: 'disk full' }));
    render(Sidebar, { accounts, navigation: createNavigationStore() });
    await accounts.load();
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not read accounts: disk full');
  });
});

describe('Diagnostics', () => {
  it('shows version, layer, data directory and database once loaded', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo({ data_dir: '/tmp/hearth-x' }));
    render(Diagnostics, { appInfo });
    expect(screen.getByText('Reading installation facts…')).toBeInTheDocument();
    await appInfo.load();
    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.1.0');
    expect(screen.getByTestId('about-layer')).toHaveTextContent('229');
    expect(screen.getByTestId('about-data-dir')).toHaveTextContent('/tmp/hearth-x');
    expect(screen.getByTestId('about-database')).toHaveTextContent('schema 1');
  });

  it('shows the error and retries on request', async () => {
    let fail = true;
    const appInfo = createAppInfoStore(async () => {
      if (fail) throw 'no state';
      return sampleInfo();
    });
    render(Diagnostics, { appInfo });
    await appInfo.load();
    expect(await screen.findByRole('alert')).toHaveTextContent('no state');
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('about-layer')).toHaveTextContent('229');
  });
});

describe('Footer', () => {
  it('shows version, layer and data directory', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo());
    render(Footer, { appInfo });
    expect(screen.getByTestId('footer')).toHaveTextContent('Starting…');
    await appInfo.load();
    expect(await screen.findByTestId('footer-layer')).toHaveTextContent('layer 229');
    expect(screen.getByTestId('footer-version')).toHaveTextContent('Hearth 0.1.0');
    expect(screen.getByTestId('footer-data-dir')).toHaveTextContent('/home/user/.local/share/hearth');
  });
});

describe('AddAccount', () => {
  it('validates the phone number as it is typed', async () => {
    render(AddAccount, { navigation: createNavigationStore('add-account') });
    const input = screen.getByLabelText('Phone number');
    await fireEvent.input(input, { target: { value: '+44 20 7946 0958' } });
    expect(screen.getByTestId('phone-help')).toHaveTextContent('Will sign in as +442079460958.');
    await fireEvent.input(input, { target: { value: '12' } });
    await fireEvent.blur(input);
    expect(screen.getByTestId('phone-help')).toHaveTextContent('Start with + and the country code.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('goes back to the welcome page on Cancel', async () => {
    const navigation = createNavigationStore('add-account');
    render(AddAccount, { navigation });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(get(navigation)).toBe('welcome');
  });
});

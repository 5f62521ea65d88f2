import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { fakeAccounts } from '../fakes';
import { createAccountsStore } from '../stores/accounts';
import { createNavigationStore } from '../stores/navigation';
import { sampleAccount } from '../testing';
import Sidebar from './Sidebar.svelte';

async function sidebar(list = [
  sampleAccount({ id: 1, display_name: 'Alice Liddell', initials: 'AL', user_id: 1000001, username: 'alice', network: 'local', dc_id: 2, state: 'online', position: 0 }),
  sampleAccount({ id: 2, display_name: 'Bob', initials: 'B', user_id: 1000002, username: null, phone: '+9996641111', network: 'test', dc_id: 4, position: 1 }),
  sampleAccount({ id: 3, display_name: 'Hearth Helper', initials: 'HH', user_id: 7000001, username: null, phone: null, is_bot: true, position: 2 }),
]) {
  const fake = fakeAccounts(list);
  const accounts = createAccountsStore(fake.backend);
  const navigation = createNavigationStore();
  render(Sidebar, { accounts, navigation });
  await accounts.load();
  return { fake, accounts, navigation };
}

const items = () => screen.getAllByTestId('account-item');
const names = () => items().map((li) => li.querySelector('.name')?.textContent);

describe('Sidebar', () => {
  it('shows the empty state with Add account, and navigates', async () => {
    const { navigation } = await sidebar([]);
    expect(screen.getByTestId('accounts-empty')).toHaveTextContent('No accounts yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    expect(get(navigation)).toBe('add-account');
    await fireEvent.click(screen.getByRole('button', { name: 'Diagnostics' }));
    expect(get(navigation)).toBe('diagnostics');
    expect(screen.getByTestId('nav-diagnostics')).toHaveAttribute('aria-current', 'page');
  });

  it('shows avatar, name, username or phone, DC, network and connection state', async () => {
    await sidebar();
    const [alice, bob, bot] = items();
    expect(within(alice).getByTestId('avatar')).toHaveTextContent('AL');
    expect(within(alice).getByTestId('avatar')).toHaveClass(`hue-${1000001 % 8}`);
    expect(alice).toHaveTextContent('@alice');
    expect(within(alice).getByTestId('dc-badge')).toHaveTextContent('DC 2');
    expect(within(alice).getByTestId('network-badge')).toHaveTextContent('Local');
    expect(within(alice).getByTestId('state-dot')).toHaveAttribute('data-state', 'online');
    expect(within(alice).getByRole('img', { name: 'Connected' })).toBeInTheDocument();
    expect(bob).toHaveTextContent('+9996641111');
    expect(within(bob).getByTestId('network-badge')).toHaveTextContent('Test');
    expect(bot).toHaveTextContent('bot');
  });

  it('switches account on click and with the arrow keys', async () => {
    const { accounts, navigation } = await sidebar();
    await fireEvent.click(items()[1].querySelector('.account') as HTMLElement);
    expect(get(accounts.selected)).toBe(2);
    expect(get(navigation)).toBe('account');
    const bob = items()[1].querySelector('.account') as HTMLElement;
    expect(bob).toHaveAttribute('aria-current', 'true');
    await fireEvent.keyDown(bob, { key: 'ArrowDown' });
    expect(get(accounts.selected)).toBe(3);
    expect(document.activeElement).toBe(items()[2].querySelector('.account'));
    await fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    expect(get(accounts.selected)).toBe(1);
  });

  it('reorders with Alt+arrow keys and by dragging, saving the order', async () => {
    const { fake } = await sidebar();
    const alice = items()[0].querySelector('.account') as HTMLElement;
    await fireEvent.keyDown(alice, { key: 'ArrowDown', altKey: true });
    expect(names()).toEqual(['Bob', 'Alice Liddell', 'Hearth Helper']);
    expect(fake.calls).toContainEqual(['reorder', [2, 1, 3]]);
    await fireEvent.dragStart(items()[2]);
    await fireEvent.dragOver(items()[0]);
    expect(items()[0]).toHaveClass('over');
    await fireEvent.drop(items()[0]);
    expect(names()).toEqual(['Hearth Helper', 'Bob', 'Alice Liddell']);
    expect(fake.calls).toContainEqual(['reorder', [3, 2, 1]]);
  });

  it("opens an account's sessions and proxy pages from its menu", async () => {
    const { accounts, navigation } = await sidebar();
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for Bob' }));
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Sessions' }));
    expect(get(accounts.selected)).toBe(2);
    expect(get(navigation)).toBe('sessions');
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for Alice Liddell' }));
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Proxy' }));
    expect(get(navigation)).toBe('proxy');
    expect(get(accounts.selected)).toBe(1);
  });

  it('asks before logging out, and does nothing on Cancel', async () => {
    const { fake } = await sidebar();
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for Bob' }));
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Log out' }));
    const dialog = screen.getByRole('dialog', { name: 'Log out of Bob?' });
    expect(dialog).toHaveTextContent('deletes its key from the keyring');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((c) => c[0] === 'logOut')).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for Bob' }));
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Log out' }));
    await fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Log out' }));
    expect(fake.calls).toContainEqual(['logOut', 2]);
    await screen.findByText('Hearth Helper');
    expect(names()).toEqual(['Alice Liddell', 'Hearth Helper']);
  });

  it('removes after confirming and shows why an action failed', async () => {
    const { fake } = await sidebar();
    fake.fail.remove = { code: 'KEYRING', message: 'the keyring is locked; unlock it and try again' };
    await fireEvent.click(screen.getByRole('button', { name: 'Actions for Alice Liddell' }));
    await fireEvent.click(screen.getByRole('menuitem', { name: 'Remove' }));
    await fireEvent.click(within(screen.getByRole('dialog', { name: /Remove Alice Liddell/ })).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByTestId('account-action-error')).toHaveTextContent('the keyring is locked');
    expect(names()).toHaveLength(3);
  });

  it('shows why the accounts could not be read', async () => {
    const fake = fakeAccounts();
    fake.fail.list = { code: 'STORAGE', message: 'disk full' };
    const accounts = createAccountsStore(fake.backend);
    render(Sidebar, { accounts, navigation: createNavigationStore() });
    await accounts.load();
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not read accounts: disk full');
  });
});

import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { fakeLogin } from '../../fakes';
import { createLoginStore } from '../../stores/login';
import { manualClock, sampleAccount } from '../../testing';
import ImportStep from './ImportStep.svelte';

// The webview's drag-drop events, driven by the test.
const drops: { handler: ((event: { payload: unknown }) => void) | null } = { handler: null };
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (handler: (event: { payload: unknown }) => void) => {
      drops.handler = handler;
      return () => (drops.handler = null);
    },
  }),
}));

async function importStep(known = [sampleAccount({ id: 7, label: 'Bob at work', user_id: 1000002, network: 'local' })]) {
  const fake = fakeLogin();
  const login = createLoginStore(fake.backend, { clock: manualClock() });
  await login.loadNetworks();
  await login.start(null, null);
  await login.chooseMethod('import');
  const opened: number[] = [];
  render(ImportStep, { login, known, openSessions: (id: number) => opened.push(id) });
  return { fake, login, opened };
}

describe('Import step', () => {
  it('reads a file dropped on the window, highlighting while it hovers', async () => {
    const { fake, login } = await importStep();
    await vi.waitFor(() => expect(drops.handler).not.toBeNull());
    drops.handler?.({ payload: { type: 'enter', paths: ['/tmp/bob.session'], position: { x: 1, y: 1 } } });
    expect(await screen.findByText('Drop the session file or tdata folder to read it')).toBeInTheDocument();
    drops.handler?.({ payload: { type: 'drop', paths: ['/tmp/bob.session', '/tmp/other'], position: { x: 1, y: 1 } } });
    await vi.waitFor(() => expect(get(login).pendingImport).not.toBeNull());
    expect(fake.calls).toContainEqual(['inspectSession', { kind: 'file', path: '/tmp/bob.session' }, 'auto']);
    expect(await screen.findByTestId('import-warning')).toBeInTheDocument();
  });

  it('reads the file the dialog picked', async () => {
    const { fake } = await importStep();
    await fireEvent.click(screen.getByTestId('pick-session-file'));
    await screen.findByTestId('import-preview');
    expect(fake.calls).toContainEqual(['inspectSession', { kind: 'file', path: '/home/me/bob.session' }, 'auto']);
    expect(screen.getByTestId('import-dc')).toHaveTextContent('DC 4');
  });

  it('offers the Sessions page of an account already in Hearth as the separate session', async () => {
    const { fake, login, opened } = await importStep();
    // The fake's session has no user id; one that names Bob's does.
    fake.backend.inspectSession = async () => ({
      sessions: [{ format: 'Pyrogram session string', dc_id: 2, key_id: 'ab', user_id: 1000002, is_bot: false, network_hint: 'test', server: null, refused: null }],
    });
    await login.inspectImport({ kind: 'text', text: 'x' }, 'auto');
    expect(await screen.findByTestId('import-separate-help')).toHaveTextContent('Bob at work is already in Hearth');
    expect(screen.getByTestId('import-network-mismatch')).toHaveTextContent("Telegram's test network");
    await fireEvent.click(screen.getByTestId('import-separate'));
    expect(opened).toEqual([7]);
  });

  it('reads a tdata folder, asking for its passcode, and imports the ticked accounts with a result each', async () => {
    const { fake, login } = await importStep();
    expect(screen.queryByTestId('session-passcode')).toBeNull();
    await fireEvent.click(screen.getByTestId('pick-session-folder'));
    const passcode = await screen.findByTestId('session-passcode');
    expect(passcode).toHaveAttribute('type', 'password');
    expect(screen.getByText('PASSCODE_NEEDED (from the server)')).toBeInTheDocument();
    await fireEvent.input(passcode, { target: { value: 'hunter3' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Read session' }));
    expect(await screen.findByText('PASSCODE_INVALID (from the server)')).toBeInTheDocument();
    expect(passcode).toHaveAttribute('aria-invalid', 'true');
    await fireEvent.input(passcode, { target: { value: 'hunter2' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Read session' }));
    await screen.findByTestId('import-preview');
    expect(fake.calls).toContainEqual(['inspectSession', { kind: 'file', path: '/home/me/tdata', passcode: 'hunter2' }, 'auto']);
    // Every account listed with its DC, user and key id; the one Hearth holds cannot be ticked.
    const found = screen.getAllByTestId('import-found');
    expect(found.map((f) => f.getAttribute('data-key-id'))).toEqual(['aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa4', 'aaaaaaaaaaaaaaa1']);
    expect(found[1]).toHaveTextContent('DC 4');
    expect(found[1]).toHaveTextContent('User 7123456789');
    const boxes = screen.getAllByTestId('import-choose') as HTMLInputElement[];
    expect(boxes.map((b) => [b.checked, b.disabled])).toEqual([[true, false], [true, false], [false, true]]);
    expect(screen.getByTestId('import-refused')).toHaveTextContent('Hearth holds this key already.');
    expect(screen.getByTestId('import-warning')).toHaveTextContent('AUTH_KEY_DUPLICATED');
    await fireEvent.click(screen.getByTestId('import-confirm'));
    const results = await screen.findAllByTestId('import-result');
    expect(results.map((r) => r.textContent?.trim())).toEqual(['Imported as User 2', 'Not imported: DC 4 does not know this key.']);
    expect(screen.getByTestId('import-confirm')).toHaveTextContent('Try the refused again');
    await fireEvent.click(screen.getByTestId('import-finish'));
    expect(get(login).stage).toBe('done');
  });
});

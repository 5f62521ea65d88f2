import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { TransferView } from '../../bindings/TransferView';
import { createTransfersStore, type TransfersBackend } from '../../stores/transfers';
import TransferPanel from './TransferPanel.svelte';

function view(over: Partial<TransferView>): TransferView {
  return {
    id: 1, kind: 'download', account_id: 1, peer: 42, file_name: 'notes.txt', path: '/tmp/notes.txt',
    message_id: 7, done: 0, total: 1000, bytes_per_sec: 0, eta_secs: null, state: 'running', error: null,
    ...over,
  };
}

describe('TransferPanel', () => {
  it('shows progress, cancels, and says how each transfer ended', async () => {
    const cancelled: number[] = [];
    let push: (v: TransferView) => void = () => {};
    const backend: TransfersBackend = {
      list: async () => [],
      subscribe: async (onEvent) => void (push = onEvent),
      cancel: async (id) => void cancelled.push(id),
      download: async () => null,
      downloadTo: async () => view({}),
      upload: async () => [],
      uploadPaths: async () => [],
    };
    const transfers = createTransfersStore(backend);
    await transfers.listen();
    render(TransferPanel, { transfers });
    expect(screen.queryByTestId('transfer-panel')).toBeNull();

    push(view({ id: 1, done: 400, bytes_per_sec: 200, eta_secs: 3 }));
    push(view({ id: 2, kind: 'upload', file_name: 'x.jpg', state: 'done', done: 1000, message_id: 9 }));
    const error = { code: 'NETWORK', message: 'the connection was lost', field: null, retry_after_secs: null };
    push(view({ id: 3, file_name: 'big.zip', state: 'failed', error }));
    const items = await screen.findAllByTestId('transfer');
    expect(items.map((i) => i.dataset.state)).toEqual(['running', 'done', 'failed']);
    const bar = screen.getByTestId('transfer-progress') as HTMLProgressElement;
    expect(bar.value).toBe(40);
    const words = screen.getAllByTestId('transfer-status').map((s) => s.textContent);
    expect(words).toEqual(['400 B of 1.0 KB, 200 B/s, 3 s left', 'Sent', 'Failed: the connection was lost']);

    await fireEvent.click(screen.getByTestId('transfer-cancel'));
    expect(cancelled).toEqual([1]);
    await fireEvent.click(screen.getByTestId('transfers-clear'));
    expect((await screen.findAllByTestId('transfer')).map((i) => i.dataset.id)).toEqual(['1']);
  });
});

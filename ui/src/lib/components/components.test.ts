import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { createAppInfoStore } from '../stores/appInfo';
import { createDiagnosticsStore, type DiagnosticsBackend } from '../stores/diagnostics';
import { createProxiesStore } from '../stores/proxies';
import { sampleCell, sampleInfo, sampleOutcome } from '../testing';
import Diagnostics from './Diagnostics.svelte';
import Footer from './Footer.svelte';

// uPlot draws on a canvas, which jsdom lacks; the chart's data shaping is
// tested on its own (chartData).
const charts = vi.hoisted(() => ({ drawn: [] as unknown[][] }));
vi.mock('../diagnostics/chart', () => ({
  drawLatencyChart: async (_el: HTMLElement, history: unknown[], rows: string[]) => {
    charts.drawn.push([history, rows]);
    return { update: (h: unknown[], r: string[]) => charts.drawn.push([h, r]), destroy: () => {} };
  },
}));

const cellA = sampleCell(1);
const cellB = sampleCell(2);

function backend(overrides: Partial<DiagnosticsBackend> = {}): DiagnosticsBackend {
  return {
    listNetworks: async () => [
      { id: 'local', name: 'Local test network', description: 'on this computer' },
      { id: 'production', name: 'Production', description: 'Telegram' },
    ],
    startLocal: async () => ({
      dcs: [
        { id: 1, address: '127.0.0.1:40001', media_only: false },
        { id: 2, address: '127.0.0.1:40002', media_only: false },
      ],
      state_dir: '/d/localdc',
    }),
    async run(request, onEvent) {
      const cells = request.cells ? [cellB] : [cellA, cellB];
      const run = request.cells ? 2 : 1;
      onEvent({ kind: 'planned', run, network: request.network, cells });
      for (const cell of cells) {
        onEvent({ kind: 'probe', run, outcome: sampleOutcome(cell, { ok: cell === cellA || run === 2 }) });
      }
      onEvent({ kind: 'finished', run, ok: 1, failed: 1 });
      return run;
    },
    saveReport: async () => ({ path: '/d/reports/diagnostics-local-1.json', probes: 2 }),
    ...overrides,
  };
}

function renderDiagnostics(b: DiagnosticsBackend = backend()) {
  const appInfo = createAppInfoStore(async () => sampleInfo({ data_dir: '/tmp/hearth-x' }));
  const diagnostics = createDiagnosticsStore(b);
  const proxies = createProxiesStore({ list: async () => [], add: async () => Promise.reject('x'), remove: async () => {} });
  render(Diagnostics, { appInfo, diagnostics, proxies });
  return { appInfo, diagnostics, proxies };
}

describe('Diagnostics', () => {
  it('shows version, layer, data directory and database once loaded', async () => {
    const { appInfo } = renderDiagnostics();
    expect(screen.getByText('Reading installation facts…')).toBeInTheDocument();
    await appInfo.load();
    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.1.0');
    expect(screen.getByTestId('about-layer')).toHaveTextContent('229');
    expect(screen.getByTestId('about-data-dir')).toHaveTextContent('/tmp/hearth-x');
    expect(screen.getByTestId('about-database')).toHaveTextContent('schema 1');
    expect(screen.getByTestId('about-executable')).toHaveTextContent('/usr/bin/hearth');
    expect(screen.getByTestId('about-cli')).toHaveTextContent('/usr/bin/hearth-cli');
  });

  it('says where the command line is missing from', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo({ cli_path: null }));
    render(Diagnostics, {
      appInfo,
      diagnostics: createDiagnosticsStore(backend()),
      proxies: createProxiesStore({ list: async () => [], add: async () => Promise.reject('x'), remove: async () => {} }),
    });
    await appInfo.load();
    expect(await screen.findByTestId('about-cli')).toHaveTextContent('not installed next to the app or on PATH');
  });

  it('shows the error and retries on request', async () => {
    let fail = true;
    const appInfo = createAppInfoStore(async () => {
      if (fail) throw 'no state';
      return sampleInfo();
    });
    render(Diagnostics, {
      appInfo,
      diagnostics: createDiagnosticsStore(backend()),
      proxies: createProxiesStore({ list: async () => [], add: async () => Promise.reject('x'), remove: async () => {} }),
    });
    await appInfo.load();
    expect(await screen.findByRole('alert')).toHaveTextContent('no state');
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('about-layer')).toHaveTextContent('229');
  });
});

describe('Diagnostics sweep', () => {
  it('starts the local network, fills the grid and opens a cell with its verdict and steps', async () => {
    renderDiagnostics();
    await fireEvent.click(await screen.findByTestId('network-local'));
    expect(await screen.findByTestId('local-info')).toHaveTextContent('2 DCs at DC 1 127.0.0.1:40001, DC 2 127.0.0.1:40002');
    await fireEvent.click(screen.getByTestId('run-all'));
    const cells = await screen.findAllByTestId('diag-cell');
    expect(cells.map((c) => c.dataset.status)).toEqual(['ok', 'failed']);
    expect(cells[0]).toHaveTextContent('OK 1.5 ms');
    expect(screen.getByTestId('sweep-status')).toHaveTextContent('1 OK, 1 failed of 2');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['DC address', 'directabridged']);
    expect(screen.getByTestId('latency-last')).toHaveTextContent('Run 1: DC 1 · ipv4 1.5 ms · DC 2 · ipv4 —');
    expect(charts.drawn.length).toBeGreaterThan(0);

    await fireEvent.click(cells[1]);
    const drawer = screen.getByTestId('probe-drawer');
    expect(screen.getByTestId('verdict-title')).toHaveTextContent('127.0.0.1:40002 did not answer in time');
    expect(screen.getByTestId('verdict-explanation')).toHaveTextContent('Packets are being dropped on the way.');
    expect(screen.getByTestId('verdict-next-step')).toHaveTextContent('Configure a proxy and run the diagnosis again.');
    expect(screen.getAllByTestId('probe-step').map((r) => r.firstElementChild?.textContent)).toEqual(['connect', 'request', 'answer']);
    expect(screen.queryByTestId('probe-raw')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Show raw detail' }));
    expect(screen.getByTestId('probe-raw')).toHaveTextContent('{"dc": 1}');

    await fireEvent.click(screen.getByTestId('rerun-cell'));
    expect(await screen.findByTestId('verdict-title')).toHaveTextContent('DC 2 answered');
    expect(screen.getAllByTestId('diag-cell').map((c) => c.dataset.status)).toEqual(['ok', 'ok']);
    await fireEvent.click(screen.getByRole('button', { name: 'Close details' }));
    expect(drawer).not.toBeInTheDocument();
  });

  it('saves the report and copies the support text, falling back to a visible text box', async () => {
    renderDiagnostics();
    await fireEvent.click(await screen.findByTestId('network-local'));
    await screen.findByTestId('local-info');
    await fireEvent.click(screen.getByTestId('run-all'));
    await fireEvent.click(await screen.findByTestId('save-report'));
    expect(await screen.findByTestId('report-path')).toHaveTextContent('Saved 2 probes to /d/reports/diagnostics-local-1.json');
    const writeText = vi.fn().mockRejectedValue(new Error('denied'));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await fireEvent.click(screen.getByTestId('copy-support'));
    expect(await screen.findByTestId('copy-status')).toHaveTextContent('select the text below');
    const text = (screen.getByTestId('support-text') as HTMLTextAreaElement).value;
    expect(text).toContain('Hearth diagnostics: Local test network');
    expect(text).toContain('DC 2 · ipv4: no route worked (1 tried)');
    expect(writeText).toHaveBeenCalledWith(text);
  });

  it('adds a proxy from a link and shows why one was refused', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo());
    const added: unknown[] = [];
    const proxies = createProxiesStore({
      list: async () => [],
      async add(input) {
        added.push(input);
        if (input.kind === 'mtproxy' && !input.secret) throw { message: 'an MTProxy needs its secret' };
        return { id: 3, label: 'socks5 127.0.0.1:1080', kind: 'socks5', saved: true, damaged: false, note: null };
      },
      remove: async () => {},
    });
    render(Diagnostics, { appInfo, diagnostics: createDiagnosticsStore(backend()), proxies });
    await fireEvent.input(screen.getByTestId('proxy-link'), { target: { value: 'tg://socks?server=127.0.0.1&port=1080' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByTestId('proxy-list')).toHaveTextContent('socks5 127.0.0.1:1080');
    await fireEvent.change(screen.getByTestId('proxy-kind'), { target: { value: 'mtproxy' } });
    await fireEvent.input(screen.getByTestId('proxy-host'), { target: { value: '127.0.0.1' } });
    await fireEvent.input(screen.getByTestId('proxy-port'), { target: { value: '443' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add proxy' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('an MTProxy needs its secret');
    expect(added[1]).toEqual({ link: null, kind: 'mtproxy', host: '127.0.0.1', port: 443, username: null, password: null, secret: null });
  });

  it('marks a proxy the keyring refused as used for this run only', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo());
    const proxies = createProxiesStore({
      list: async () => [],
      add: async () => ({
        id: -1,
        label: 'socks5 127.0.0.1:1080',
        kind: 'socks5',
        saved: false,
        damaged: false,
        note: 'Not saved: the keyring could not store the secret. It is used for this run only.',
      }),
      remove: async () => {},
    });
    render(Diagnostics, { appInfo, diagnostics: createDiagnosticsStore(backend()), proxies });
    await fireEvent.input(screen.getByTestId('proxy-host'), { target: { value: '127.0.0.1' } });
    await fireEvent.input(screen.getByTestId('proxy-port'), { target: { value: '1080' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add proxy' }));
    const item = (await screen.findByTestId('proxy-list')).querySelector('li');
    expect(item).toHaveTextContent('socks5 127.0.0.1:1080');
    expect(item).toHaveTextContent('It is used for this run only.');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove socks5 127.0.0.1:1080' }));
    expect(await screen.findByTestId('proxies-empty')).toHaveTextContent('No proxies.');
  });

  it('shows a damaged saved proxy on its own row with what to do, and lets it be removed', async () => {
    const appInfo = createAppInfoStore(async () => sampleInfo());
    const removed: number[] = [];
    const proxies = createProxiesStore({
      list: async () => [
        { id: 1, label: 'socks5 127.0.0.1:1080', kind: 'socks5', saved: true, damaged: false, note: null },
        {
          id: 2,
          label: 'http 127.0.0.1:8080',
          kind: 'http',
          saved: true,
          damaged: true,
          note: 'Not usable: its password or secret is no longer in the keyring; add the proxy again with its password or secret to repair it, or delete it.',
        },
      ],
      add: async () => {
        throw { message: 'unused' };
      },
      remove: async (id) => {
        removed.push(id);
      },
    });
    render(Diagnostics, { appInfo, diagnostics: createDiagnosticsStore(backend()), proxies });
    await proxies.load();
    const rows = await screen.findAllByTestId('proxy-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).not.toHaveTextContent('Not usable');
    expect(screen.getByTestId('proxy-damaged')).toHaveTextContent('add the proxy again with its password or secret to repair it');
    await fireEvent.click(screen.getByRole('button', { name: 'Remove http 127.0.0.1:8080' }));
    expect(removed).toEqual([2]);
    expect(await screen.findAllByTestId('proxy-row')).toHaveLength(1);
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

import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { sampleCell, sampleOutcome } from '../testing';
import {
  applyEvent,
  counts,
  createDiagnosticsStore,
  emptyState,
  type DiagnosticsBackend,
  type SweepEvent,
} from './diagnostics';

const a = sampleCell(2);
const b = sampleCell(1);
const c = sampleCell(1, 'direct · obfuscated');

function fakeBackend(script: (run: number) => SweepEvent[]): DiagnosticsBackend & { requests: unknown[] } {
  let runs = 0;
  const requests: unknown[] = [];
  return {
    requests,
    listNetworks: async () => [{ id: 'local', name: 'Local test network', description: '' }],
    startLocal: async () => ({ dcs: [{ id: 1, address: '127.0.0.1:40001', media_only: false }], state_dir: '/d' }),
    async run(request, onEvent) {
      runs += 1;
      requests.push(request);
      for (const event of script(runs)) onEvent(event);
      return runs;
    },
    saveReport: async () => ({ path: '/d/reports/x.json', probes: 3 }),
  };
}

describe('applyEvent', () => {
  it('lays out a planned grid as pending, rows by DC id, and fills cells as probes finish', () => {
    let s = applyEvent(emptyState(), { kind: 'planned', run: 1, network: 'local', cells: [a, b, c] }, true);
    expect(s.rows).toEqual(['DC 1 · ipv4', 'DC 2 · ipv4']);
    expect(s.columns).toEqual(['direct · abridged', 'direct · obfuscated']);
    expect(counts(s)).toEqual({ pending: 3, ok: 0, failed: 0 });
    s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(b) }, true);
    s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(c, { ok: false }) }, true);
    expect(counts(s)).toEqual({ pending: 1, ok: 1, failed: 1 });
    expect(s.cells[c.key].outcome?.verdict).toBe('timed_out');
    expect(s.running).toEqual([1]);
    s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(a, { rtt_ms: 3 }) }, true);
    s = applyEvent(s, { kind: 'finished', run: 1, ok: 2, failed: 1 }, true);
    expect(s.running).toEqual([]);
    expect(s.history).toEqual([{ run: 1, latency: { 'DC 1 · ipv4': 1.5, 'DC 2 · ipv4': 3 } }]);
  });

  it('re-running one cell keeps the others and ignores events of unknown runs', () => {
    let s = applyEvent(emptyState(), { kind: 'planned', run: 1, network: 'local', cells: [a, b] }, true);
    s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(a) }, true);
    s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(b) }, true);
    s = applyEvent(s, { kind: 'finished', run: 1, ok: 2, failed: 0 }, true);
    s = applyEvent(s, { kind: 'planned', run: 2, network: 'local', cells: [b] }, false);
    expect(s.cells[a.key].status).toBe('ok');
    expect(s.cells[b.key].status).toBe('pending');
    const stray = applyEvent(s, { kind: 'probe', run: 9, outcome: sampleOutcome(b) }, false);
    expect(stray).toBe(s);
    s = applyEvent(s, { kind: 'probe', run: 2, outcome: sampleOutcome(b, { ok: false }) }, false);
    s = applyEvent(s, { kind: 'finished', run: 2, ok: 0, failed: 1 }, false);
    expect(s.history.map((h) => h.latency['DC 1 · ipv4'])).toEqual([1.5, null]);
  });

  it('a full run of another network starts a fresh grid and history', () => {
    let s = applyEvent(emptyState(), { kind: 'planned', run: 1, network: 'local', cells: [a] }, true);
    s = applyEvent(s, { kind: 'finished', run: 1, ok: 0, failed: 0 }, true);
    s = applyEvent(s, { kind: 'planned', run: 2, network: 'test', cells: [b] }, true);
    expect(Object.keys(s.cells)).toEqual([b.key]);
    expect(s.history).toEqual([]);
  });
});

describe('diagnostics store', () => {
  it('starts the local network once, then streams a sweep into the grid', async () => {
    let starts = 0;
    const backend = fakeBackend((run) => [
      { kind: 'planned', run, network: 'local', cells: [a, b] },
      { kind: 'probe', run, outcome: sampleOutcome(a) },
      { kind: 'probe', run, outcome: sampleOutcome(b) },
      { kind: 'finished', run, ok: 2, failed: 0 },
    ]);
    const start = backend.startLocal;
    backend.startLocal = () => {
      starts += 1;
      return start();
    };
    const store = createDiagnosticsStore(backend);
    await store.loadNetworks();
    await store.choose('local');
    await store.choose('local');
    expect(starts).toBe(1);
    expect(get(store).local?.dcs[0].address).toBe('127.0.0.1:40001');
    await store.runAll();
    expect(counts(get(store))).toEqual({ pending: 0, ok: 2, failed: 0 });
    await store.rerun(a.key);
    expect(backend.requests).toEqual([
      { network: 'local', cells: null },
      { network: 'local', cells: [a.key] },
    ]);
    expect(get(store).history).toHaveLength(2);
  });

  it('shows why the local network or a sweep failed', async () => {
    const backend = fakeBackend(() => []);
    backend.startLocal = () => Promise.reject({ message: 'cannot listen on 127.0.0.1:0' });
    const store = createDiagnosticsStore(backend);
    await store.choose('local');
    expect(get(store).error).toBe('cannot listen on 127.0.0.1:0');
    expect(get(store).starting).toBe(false);
    backend.run = () => Promise.reject({ message: 'unknown network' });
    await store.runAll();
    expect(get(store).error).toBe('unknown network');
  });
});

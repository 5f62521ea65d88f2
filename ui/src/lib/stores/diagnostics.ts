// Store for the Diagnostics page: which network is chosen, the grid of
// DC addresses (rows) × route and transport (columns) filling in as probe
// results stream in, and the latency of each DC over repeated runs.
import { writable, type Readable } from 'svelte/store';
import type { GridCell } from '../bindings/GridCell';
import type { LocalNetworkInfo } from '../bindings/LocalNetworkInfo';
import type { NetworkChoice } from '../bindings/NetworkChoice';
import type { ProbeOutcome } from '../bindings/ProbeOutcome';
import type { SavedReport } from '../bindings/SavedReport';
import type { SweepEvent } from '../bindings/SweepEvent';
import type { SweepRequest } from '../bindings/SweepRequest';
import { describeError } from './appInfo';

export type { GridCell, LocalNetworkInfo, NetworkChoice, ProbeOutcome, SweepEvent };

/** What the page needs from the backend (the real one is IPC, see ipc.ts). */
export interface DiagnosticsBackend {
  listNetworks(): Promise<NetworkChoice[]>;
  startLocal(): Promise<LocalNetworkInfo>;
  run(request: SweepRequest, onEvent: (event: SweepEvent) => void): Promise<number>;
  saveReport(): Promise<SavedReport>;
}

export type CellStatus = 'pending' | 'ok' | 'failed';

export interface CellState {
  cell: GridCell;
  status: CellStatus;
  outcome: ProbeOutcome | null;
}

/** One finished run: the best round trip per row (null: no route worked). */
export interface RunLatency {
  run: number;
  latency: Record<string, number | null>;
}

export interface DiagnosticsState {
  networks: NetworkChoice[];
  network: string | null;
  local: LocalNetworkInfo | null;
  /** Starting the local test network. */
  starting: boolean;
  /** Runs whose results are still arriving. */
  running: number[];
  rows: string[];
  columns: string[];
  cells: Record<string, CellState>;
  history: RunLatency[];
  error: string | null;
}

export function emptyState(): DiagnosticsState {
  return {
    networks: [],
    network: null,
    local: null,
    starting: false,
    running: [],
    rows: [],
    columns: [],
    cells: {},
    history: [],
    error: null,
  };
}

function rowOrder(a: { row: string; dc: number }, b: { row: string; dc: number }): number {
  return a.dc - b.dc || a.row.localeCompare(b.row);
}

/** Rows sorted by DC id, columns in first-seen (plan) order. */
function layout(cells: Record<string, CellState>): { rows: string[]; columns: string[] } {
  const rows = new Map<string, number>();
  const columns: string[] = [];
  for (const { cell } of Object.values(cells)) {
    if (!rows.has(cell.row)) rows.set(cell.row, cell.dc_id);
    if (!columns.includes(cell.column)) columns.push(cell.column);
  }
  const sorted = [...rows].map(([row, dc]) => ({ row, dc })).sort(rowOrder);
  return { rows: sorted.map((r) => r.row), columns };
}

/** The best round trip of each row among its OK cells. */
export function rowLatency(state: DiagnosticsState): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const row of state.rows) out[row] = null;
  for (const { cell, status, outcome } of Object.values(state.cells)) {
    const rtt = outcome?.rtt_ms;
    if (status !== 'ok' || rtt == null) continue;
    const best = out[cell.row];
    out[cell.row] = best == null ? rtt : Math.min(best, rtt);
  }
  return out;
}

/**
 * Folds one sweep event into the state. A full plan replaces the grid; a
 * plan for some cells marks only those pending again.
 */
export function applyEvent(state: DiagnosticsState, event: SweepEvent, full: boolean): DiagnosticsState {
  switch (event.kind) {
    case 'planned': {
      const cells: Record<string, CellState> = full || state.network !== event.network ? {} : { ...state.cells };
      for (const cell of event.cells) cells[cell.key] = { cell, status: 'pending', outcome: null };
      return {
        ...state,
        network: event.network,
        running: [...state.running, event.run],
        cells,
        ...layout(cells),
        history: full && state.network !== event.network ? [] : state.history,
      };
    }
    case 'probe': {
      if (!state.running.includes(event.run)) return state;
      const { outcome } = event;
      const cells = {
        ...state.cells,
        [outcome.cell.key]: { cell: outcome.cell, status: outcome.ok ? 'ok' : 'failed', outcome } as CellState,
      };
      return { ...state, cells, ...layout(cells) };
    }
    case 'finished': {
      if (!state.running.includes(event.run)) return state;
      const next = { ...state, running: state.running.filter((r) => r !== event.run) };
      return { ...next, history: [...state.history, { run: event.run, latency: rowLatency(next) }] };
    }
  }
}

/** Counts of the grid's cells by status. */
export function counts(state: DiagnosticsState): Record<CellStatus, number> {
  const out: Record<CellStatus, number> = { pending: 0, ok: 0, failed: 0 };
  for (const c of Object.values(state.cells)) out[c.status] += 1;
  return out;
}

export interface DiagnosticsStore extends Readable<DiagnosticsState> {
  loadNetworks(): Promise<void>;
  /** Chooses a network; the local one is started first. */
  choose(network: string): Promise<void>;
  /** Probes every cell of the chosen network. */
  runAll(): Promise<void>;
  /** Probes one cell again. */
  rerun(key: string): Promise<void>;
  saveReport(): Promise<SavedReport>;
}

export function createDiagnosticsStore(backend: DiagnosticsBackend): DiagnosticsStore {
  const store = writable<DiagnosticsState>(emptyState());
  const { update } = store;
  let current = emptyState();
  store.subscribe((s) => (current = s));
  const fail = (error: unknown) => update((s) => ({ ...s, starting: false, error: describeError(error) }));

  async function start(request: SweepRequest) {
    const full = request.cells === null;
    update((s) => ({ ...s, error: null }));
    try {
      await backend.run(request, (event) => update((s) => applyEvent(s, event, full)));
    } catch (error) {
      fail(error);
    }
  }

  return {
    subscribe: store.subscribe,
    async loadNetworks() {
      try {
        const networks = await backend.listNetworks();
        update((s) => ({ ...s, networks }));
      } catch (error) {
        fail(error);
      }
    },
    async choose(network) {
      update((s) =>
        s.network === network
          ? { ...s, error: null }
          : {
              ...s,
              network,
              error: null,
              starting: network === 'local' && !s.local,
              cells: {},
              rows: [],
              columns: [],
              history: [],
            },
      );
      if (network !== 'local' || current.local) return;
      try {
        const local = await backend.startLocal();
        update((s) => ({ ...s, local, starting: false }));
      } catch (error) {
        fail(error);
      }
    },
    async runAll() {
      const network = current.network;
      if (network) await start({ network, cells: null });
    },
    async rerun(key) {
      const network = current.network;
      if (network) await start({ network, cells: [key] });
    },
    saveReport: () => backend.saveReport(),
  };
}

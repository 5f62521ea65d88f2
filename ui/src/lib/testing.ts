// Shared test data for the UI's unit tests.
import type { Clock } from './stores/countdown';
import type { AccountView } from './bindings/AccountView';
import type { AppInfo } from './bindings/AppInfo';
import type { GridCell } from './bindings/GridCell';
import type { ProbeOutcome } from './bindings/ProbeOutcome';

export function sampleInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    app_version: '0.1.0',
    tl_layer: 229,
    data_dir: '/home/user/.local/share/hearth',
    database_path: '/home/user/.local/share/hearth/hearth.sqlite3',
    schema_version: 1,
    platform: 'linux x86_64',
    build_profile: 'debug',
    executable: '/usr/bin/hearth',
    cli_path: '/usr/bin/hearth-cli',
    ...overrides,
  };
}

export function sampleAccount(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: 1,
    label: 'Personal',
    display_name: 'Alice Liddell',
    initials: 'AL',
    user_id: 1000001,
    username: 'alice',
    phone: '+9996621234',
    is_bot: false,
    dc_id: 2,
    network: 'production',
    proxy_id: null,
    state: 'offline',
    position: 0,
    ...overrides,
  };
}

export function sampleCell(dc: number, column = 'direct · abridged', family = 'ipv4'): GridCell {
  const row = `DC ${dc} · ${family}`;
  return { key: `${row}|${column}`, row, column, dc_id: dc };
}

export function sampleOutcome(cell: GridCell, overrides: Partial<ProbeOutcome> = {}): ProbeOutcome {
  const ok = overrides.ok ?? true;
  return {
    cell,
    address: `127.0.0.1:4000${cell.dc_id}`,
    family: 'ipv4',
    transport: cell.column.split(' · ')[1] ?? 'abridged',
    route: 'direct',
    media_only: false,
    ok,
    verdict: ok ? 'ok' : 'timed_out',
    title: ok ? `DC ${cell.dc_id} answered` : `127.0.0.1:4000${cell.dc_id} did not answer in time`,
    explanation: ok ? 'A genuine Telegram DC is reachable this way.' : 'Packets are being dropped on the way.',
    next_step: ok ? 'Nothing to do: use this route.' : 'Configure a proxy and run the diagnosis again.',
    connect_ms: 0.2,
    rtt_ms: ok ? 1.5 : null,
    total_ms: 2,
    steps: [
      { name: 'connect', started_ms: 0, took_ms: 0.2, ok: true, detail: '' },
      { name: 'request', started_ms: 0.2, took_ms: 0.1, ok: true, detail: 'req_pq_multi, 40 bytes' },
      { name: 'answer', started_ms: 0.3, took_ms: 1.5, ok, detail: ok ? 'resPQ' : 'no answer' },
    ],
    raw: '{"dc": 1}',
    ...overrides,
  };
}

/** A clock tests move by hand. */
export function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  const timers = new Set<{ ms: number; due: number; tick: () => void }>();
  return {
    now: () => now,
    every(ms, tick) {
      const timer = { ms, due: now + ms, tick };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...timers].sort((a, b) => a.due - b.due)[0];
        if (!next || next.due > end) break;
        now = next.due;
        next.due += next.ms;
        next.tick();
      }
      now = end;
    },
  };
}

// The diagnosis as plain text to paste into a support chat: what was
// probed, one line per DC, then every failure with its next step. No
// secrets: proxy labels carry host, port and MTProxy mode only.
import type { AppInfo } from '../bindings/AppInfo';
import { counts, type DiagnosticsState } from '../stores/diagnostics';

export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function supportText(state: DiagnosticsState, networkName: string, info: AppInfo | null): string {
  const lines: string[] = [`Hearth diagnostics: ${networkName}`];
  if (info) lines.push(`Hearth ${info.app_version}, layer ${info.tl_layer}, ${info.platform} (${info.build_profile})`);
  const c = counts(state);
  const total = c.ok + c.failed + c.pending;
  lines.push(`${total} probes: ${c.ok} OK, ${c.failed} failed${c.pending ? `, ${c.pending} unfinished` : ''}`);
  lines.push('');
  const cells = Object.values(state.cells);
  for (const row of state.rows) {
    const mine = cells.filter((x) => x.cell.row === row);
    const ok = mine.filter((x) => x.status === 'ok');
    const best = ok.reduce<number | null>((m, x) => {
      const rtt = x.outcome?.rtt_ms ?? null;
      return rtt == null ? m : m == null ? rtt : Math.min(m, rtt);
    }, null);
    const where = ok.map((x) => x.cell.column).join(', ');
    lines.push(
      ok.length
        ? `${row}: OK over ${ok.length}/${mine.length} (${where}), best ${formatMs(best)}`
        : `${row}: no route worked (${mine.length} tried)`,
    );
  }
  const failures = cells.filter((x) => x.status === 'failed' && x.outcome);
  if (failures.length) {
    lines.push('', 'Failures:');
    for (const { cell, outcome } of failures) {
      lines.push(`- ${cell.row}, ${cell.column} (${outcome!.address}): ${outcome!.title}. ${outcome!.next_step}`);
    }
  }
  return lines.join('\n');
}

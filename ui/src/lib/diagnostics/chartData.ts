// The chart's data, apart from uPlot (which needs a browser) so it is unit-tested.
import type { RunLatency } from '../stores/diagnostics';

/** uPlot's columnar data: x = run numbers, one series per row (null: no value). */
export function chartData(history: RunLatency[], rows: string[]): [number[], ...(number | null)[][]] {
  const xs = history.map((h) => h.run);
  const series = rows.map((row) => history.map((h) => h.latency[row] ?? null));
  return [xs, ...series];
}

// Latency over repeated runs, drawn with uPlot (canvas; no eval, no inline
// style markup, so it runs under the app's strict CSP).
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunLatency } from '../stores/diagnostics';
import { chartData } from './chartData';

/** Distinct, readable on the dark theme. */
const COLOURS = ['#f59e0b', '#38bdf8', '#a3e635', '#f472b6', '#c084fc', '#fb7185', '#2dd4bf', '#facc15'];


export interface LatencyChart {
  update(history: RunLatency[], rows: string[]): void;
  destroy(): void;
}

/**
 * uPlot builds an `Intl.NumberFormat` for `navigator.language` when its
 * module loads; WebKitGTK reports the POSIX locale `C` (LANG=C) as that tag,
 * which `Intl` rejects with a RangeError. Fall back to `en-US` for such tags.
 */
function ensureValidLanguage() {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
  }
}

/** Loaded on first use, so the rest of the app never depends on it. */
async function loadUPlot(): Promise<typeof uPlot> {
  ensureValidLanguage();
  return (await import('uplot')).default;
}

export async function drawLatencyChart(el: HTMLElement, history: RunLatency[], rows: string[]): Promise<LatencyChart> {
  const UPlot = await loadUPlot();
  const make = (rs: string[]) =>
    new UPlot(
      {
        width: Math.max(320, el.clientWidth || 640),
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { stroke: '#b6aca3', label: 'run', grid: { stroke: '#44403c' }, incrs: [1, 2, 5, 10] },
          { stroke: '#b6aca3', label: 'ms', grid: { stroke: '#44403c' } },
        ],
        series: [
          { label: 'run' },
          ...rs.map((row, i) => ({
            label: row,
            stroke: COLOURS[i % COLOURS.length],
            width: 2,
            points: { show: true },
            spanGaps: false,
          })),
        ],
      },
      chartData(history, rs) as uPlot.AlignedData,
      el,
    );
  let rowsNow = rows;
  let plot = make(rows);
  return {
    update(h, rs) {
      if (rs.join('\n') !== rowsNow.join('\n')) {
        plot.destroy();
        rowsNow = rs;
        plot = make(rs);
      }
      plot.setData(chartData(h, rs) as uPlot.AlignedData);
    },
    destroy: () => plot.destroy(),
  };
}

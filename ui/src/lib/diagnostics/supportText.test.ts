import { describe, expect, it } from 'vitest';
import { applyEvent, emptyState, type RunLatency } from '../stores/diagnostics';
import { sampleCell, sampleInfo, sampleOutcome } from '../testing';
import { chartData } from './chartData';
import { formatMs, supportText } from './supportText';

const ok1 = sampleCell(1);
const bad1 = sampleCell(1, 'socks5 127.0.0.1:1080 · abridged');
const bad2 = sampleCell(2);

function finished() {
  let s = applyEvent(emptyState(), { kind: 'planned', run: 1, network: 'local', cells: [ok1, bad1, bad2] }, true);
  s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(ok1, { rtt_ms: 0.42 }) }, true);
  s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(bad1, { ok: false, title: 'socks5 127.0.0.1:1080 refused the connection', next_step: 'Check the host and port.' }) }, true);
  s = applyEvent(s, { kind: 'probe', run: 1, outcome: sampleOutcome(bad2, { ok: false }) }, true);
  return applyEvent(s, { kind: 'finished', run: 1, ok: 1, failed: 2 }, true);
}

describe('supportText', () => {
  it('summarises each DC and lists every failure with its next step', () => {
    const text = supportText(finished(), 'Local test network', sampleInfo());
    expect(text.split('\n')).toEqual([
      'Hearth diagnostics: Local test network',
      'Hearth 0.1.0, layer 229, linux x86_64 (debug)',
      '3 probes: 1 OK, 2 failed',
      '',
      'DC 1 · ipv4: OK over 1/2 (direct · abridged), best 0.4 ms',
      'DC 2 · ipv4: no route worked (1 tried)',
      '',
      'Failures:',
      '- DC 1 · ipv4, socks5 127.0.0.1:1080 · abridged (127.0.0.1:40001): socks5 127.0.0.1:1080 refused the connection. Check the host and port.',
      '- DC 2 · ipv4, direct · abridged (127.0.0.1:40002): 127.0.0.1:40002 did not answer in time. Configure a proxy and run the diagnosis again.',
    ]);
  });

  it('says how many probes are unfinished and works without installation facts', () => {
    const s = applyEvent(emptyState(), { kind: 'planned', run: 1, network: 'test', cells: [ok1] }, true);
    const text = supportText(s, 'Test', null);
    expect(text).toContain('1 probes: 0 OK, 0 failed, 1 unfinished');
    expect(text).not.toContain('layer');
  });

  it('formats latencies', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0.456)).toBe('0.5 ms');
    expect(formatMs(123.4)).toBe('123 ms');
  });
});

describe('chartData', () => {
  it('puts runs on x and one series per DC row, null where nothing answered', () => {
    const history: RunLatency[] = [
      { run: 1, latency: { 'DC 1 · ipv4': 1.5, 'DC 2 · ipv4': null } },
      { run: 3, latency: { 'DC 1 · ipv4': 2 } },
    ];
    expect(chartData(history, ['DC 1 · ipv4', 'DC 2 · ipv4'])).toEqual([
      [1, 3],
      [1.5, 2],
      [null, null],
    ]);
  });
});

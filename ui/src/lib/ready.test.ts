import { describe, expect, it, vi } from 'vitest';
import { afterNextPaint, reportInteractive, type FrameScheduler } from './ready';

/** A frame clock the test advances by hand. */
function frames() {
  let queue: Array<() => void> = [];
  const schedule: FrameScheduler = (callback) => queue.push(callback);
  async function paint() {
    const due = queue;
    queue = [];
    due.forEach((callback) => callback());
    await Promise.resolve();
  }
  return { schedule, paint, pending: () => queue.length };
}

describe('afterNextPaint', () => {
  it('resolves only after the frame following the call has been painted', async () => {
    const clock = frames();
    let done = false;
    void afterNextPaint(clock.schedule).then(() => (done = true));
    await clock.paint();
    expect(done).toBe(false);
    await clock.paint();
    await Promise.resolve();
    expect(done).toBe(true);
  });
});

describe('reportInteractive', () => {
  it('sends the number of accounts shown once the frame is painted', async () => {
    const clock = frames();
    const send = vi.fn(async (_accounts: number) => {});
    let shown = 0;
    const report = reportInteractive(send, () => shown, clock.schedule);
    shown = 3;
    await clock.paint();
    expect(send).not.toHaveBeenCalled();
    await clock.paint();
    await report;
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(3);
    expect(clock.pending()).toBe(0);
  });

  it('swallows a failed report so the UI carries on', async () => {
    const clock = frames();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const report = reportInteractive(async () => Promise.reject(new Error('no backend')), () => 1, clock.schedule);
    await clock.paint();
    await clock.paint();
    await expect(report).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});

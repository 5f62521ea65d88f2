// The start-up report: once the accounts store has loaded and the sidebar has
// been painted, the UI tells the backend (`ui_ready`) how many accounts it
// shows. The backend prints one line with the time since the process started;
// scripts/bench-startup.sh measures a launch up to that line (issue 10's
// target: an interactive account list in under 1 s).

/** Schedules a callback before the next frame (requestAnimationFrame's shape). */
export type FrameScheduler = (callback: () => void) => unknown;

const nextFrame: FrameScheduler = (callback) => requestAnimationFrame(() => callback());

/**
 * Resolves once the next frame has been painted: a callback scheduled from an
 * animation-frame callback runs only after that frame was presented.
 */
export function afterNextPaint(schedule: FrameScheduler = nextFrame): Promise<void> {
  return new Promise((resolve) => schedule(() => schedule(() => resolve())));
}

/**
 * After the next paint, sends `count()` (read then, so it is what was painted)
 * to the backend. A failed report is only logged: it must never disturb the UI.
 */
export async function reportInteractive(
  send: (accounts: number) => Promise<void>,
  count: () => number,
  schedule: FrameScheduler = nextFrame,
): Promise<void> {
  await afterNextPaint(schedule);
  try {
    await send(count());
  } catch (failure) {
    console.warn('could not report the interactive window', failure);
  }
}

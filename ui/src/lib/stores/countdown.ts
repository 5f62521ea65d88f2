// A countdown in whole seconds to a deadline (flood waits, code resends),
// ticking on an injected clock so tests control time.
import { writable, type Readable } from 'svelte/store';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    return () => clearInterval(handle);
  },
};

export interface Countdown extends Readable<number> {
  /** Counts down to `deadline` (ms since the epoch); null stops at 0. */
  until(deadline: number | null): void;
}

const TICK_MS = 250;

export function createCountdown(clock: Clock): Countdown {
  const left = writable(0);
  let stop: (() => void) | null = null;
  let deadline: number | null = null;

  const halt = () => {
    stop?.();
    stop = null;
  };
  const refresh = () => {
    const seconds = deadline === null ? 0 : Math.max(0, Math.ceil((deadline - clock.now()) / 1000));
    left.set(seconds);
    if (seconds === 0) halt();
  };

  return {
    subscribe: left.subscribe,
    until(next) {
      halt();
      deadline = next;
      refresh();
      if (deadline !== null && deadline > clock.now()) stop = clock.every(TICK_MS, refresh);
    },
  };
}

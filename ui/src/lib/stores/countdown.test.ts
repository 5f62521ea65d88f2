import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../testing';
import { createCountdown } from './countdown';

describe('countdown', () => {
  it('counts whole seconds down to the deadline and stops ticking at zero', () => {
    const clock = manualClock();
    const countdown = createCountdown(clock);
    expect(get(countdown)).toBe(0);
    countdown.until(clock.now() + 2500);
    expect(get(countdown)).toBe(3);
    clock.advance(600);
    expect(get(countdown)).toBe(2);
    clock.advance(1000);
    expect(get(countdown)).toBe(1);
    clock.advance(1000);
    expect(get(countdown)).toBe(0);
    clock.advance(60_000);
    expect(get(countdown)).toBe(0);
  });

  it('restarts on a new deadline and clears on null', () => {
    const clock = manualClock();
    const countdown = createCountdown(clock);
    countdown.until(clock.now() + 10_000);
    countdown.until(clock.now() + 60_000);
    expect(get(countdown)).toBe(60);
    countdown.until(null);
    expect(get(countdown)).toBe(0);
    countdown.until(clock.now() - 5);
    expect(get(countdown)).toBe(0);
  });
});

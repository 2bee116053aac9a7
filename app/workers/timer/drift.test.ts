import { describe, expect, it } from 'vitest';
import { HOUR_MS, SECOND_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Timer } from './index.js';
import type { Clock } from '../../shared/clock.js';
import type { TickEvent } from './index.js';

describe('no drift', () => {
  it('a 10-hour countdown ticks 36,000 times, 35999 … 0, each exactly on its second, done exactly at +10 h', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ durationMs: 10 * HOUR_MS, clock });
    const ticks: { seconds: number; wall: number; mono: number; armed: number }[] = [];
    let done: { at: number; mono: number } | null = null;
    timer.on('tick', (tick) =>
      ticks.push({
        seconds: tick.seconds,
        wall: tick.at,
        mono: clock.monotonicMs,
        armed: clock.pendingTimers,
      }),
    );
    timer.on('done', (event) => (done = { at: event.at, mono: clock.monotonicMs }));
    const t0 = clock.now();
    timer.start();
    expect(clock.pendingTimers).toBe(1);

    clock.advance(10 * HOUR_MS + 5 * SECOND_MS);

    expect(ticks).toHaveLength(36_000);
    ticks.forEach((tick, i) => {
      const k = i + 1;
      if (tick.seconds !== 36_000 - k || tick.wall !== t0 + k * SECOND_MS || tick.mono !== k * SECOND_MS) {
        throw new Error(`tick ${k} drifted: ${JSON.stringify(tick)}`);
      }
      // Exactly one timer armed at every tick but the last (which is the deadline itself).
      if (tick.armed !== (k < 36_000 ? 1 : 0)) throw new Error(`tick ${k}: ${tick.armed} timers armed`);
    });
    expect(done).toEqual({ at: t0 + 10 * HOUR_MS, mono: 10 * HOUR_MS });
    expect(clock.pendingTimers).toBe(0);
  });

  it('a 10-hour stopwatch ticks 1 … 36000, each exactly on its second', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ mode: 'stopwatch', clock });
    const late: number[] = [];
    let count = 0;
    const t0 = clock.now();
    timer.on('tick', (tick) => {
      count++;
      if (tick.seconds !== count || tick.at !== t0 + count * SECOND_MS) late.push(count);
    });
    timer.start();
    clock.advance(10 * HOUR_MS);
    expect(count).toBe(36_000);
    expect(late).toEqual([]);
    expect(timer.elapsedMs()).toBe(10 * HOUR_MS);
    expect(clock.pendingTimers).toBe(1);
  });

  it('late timers (a busy event loop) never push later ticks back: each tick is re-aimed at the deadline', () => {
    const inner = new VirtualClock();
    let firing = 0;
    // Every timer fires 0–290 ms late, deterministically.
    const laggy: Clock = {
      now: () => inner.now(),
      elapsed: () => inner.elapsed(),
      setTimer: (callback, delayMs) => inner.setTimer(callback, delayMs + ((firing++ * 37) % 300)),
      clearTimer: (handle) => inner.clearTimer(handle),
    };
    const timer = new Timer({ durationMs: HOUR_MS, clock: laggy });
    const ticks: TickEvent[] = [];
    let doneAt = 0;
    timer.on('tick', (tick) => ticks.push(tick));
    timer.on('done', (event) => (doneAt = event.at));
    const t0 = inner.now();
    timer.start();
    inner.advance(HOUR_MS + 10 * SECOND_MS);

    expect(ticks.map((tick) => tick.seconds)).toEqual(Array.from({ length: 3_600 }, (_, i) => 3_599 - i));
    for (const tick of ticks) {
      const ideal = t0 + (3_600 - tick.seconds) * SECOND_MS;
      expect(tick.at - ideal).toBeGreaterThanOrEqual(0);
      expect(tick.at - ideal).toBeLessThan(300);
    }
    expect(doneAt - (t0 + HOUR_MS)).toBeLessThan(300);
  });
});

import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { WallClockWatch, elapsedFromMonotonic, readBootTimeMs, systemClock } from './clock.js';
import { VirtualClock } from './virtual-clock.js';

const HOUR = 3_600_000;

describe('WallClockWatch', () => {
  it('reports a wall clock set back or forward, and nothing for time passing or a suspend', () => {
    const clock = new VirtualClock();
    const watch = new WallClockWatch(clock);
    clock.advance(30_000);
    expect(watch.read()).toEqual({ now: clock.now(), changeMs: 0 });
    clock.suspend(8 * HOUR);
    clock.advance(5_000);
    expect(watch.read().changeMs).toBe(0);
    clock.advance(10_000);
    clock.jumpWall(-HOUR);
    clock.advance(10_000);
    expect(watch.read().changeMs).toBe(-HOUR);
    clock.jumpWall(2 * HOUR);
    expect(watch.read().changeMs).toBe(2 * HOUR);
    expect(watch.read().changeMs).toBe(0);
  });

  it('tells a wall change from a suspend when both happen between two readings', () => {
    const clock = new VirtualClock();
    const watch = new WallClockWatch(clock);
    clock.suspend(HOUR);
    clock.jumpWall(-2 * 60_000);
    expect(watch.read().changeMs).toBe(-2 * 60_000);
  });

  it('ignores a disagreement within the tolerance (clock resolution, NTP slewing)', () => {
    const clock = new VirtualClock();
    const watch = new WallClockWatch(clock);
    clock.jumpWall(-999);
    expect(watch.read().changeMs).toBe(0);
    clock.jumpWall(1_001);
    expect(watch.read().changeMs).toBe(1_001);
  });
});

describe('elapsedFromMonotonic (macOS, Windows)', () => {
  it('counts a forward wall gap as sleep and ignores a clock set back', () => {
    let monotonic = 0;
    let wall = 1_000_000;
    const elapsed = elapsedFromMonotonic(
      () => monotonic,
      () => wall,
    );
    monotonic += 1_000;
    wall += 1_000;
    expect(elapsed()).toBe(1_000);
    wall += 8 * HOUR; // asleep: the monotonic clock stood still
    monotonic += 10;
    expect(elapsed()).toBe(1_000 + 8 * HOUR);
    wall -= HOUR; // set back by an hour while 2 s passed
    wall += 2_000;
    monotonic += 2_000;
    expect(elapsed()).toBe(1_000 + 8 * HOUR + 2_000);
  });
});

describe('systemClock.elapsed (the real clock)', () => {
  it.runIf(process.platform === 'linux')(
    'reads CLOCK_BOOTTIME from /proc/uptime, in step with the monotonic clock',
    () => {
      const beforeOuter = performance.now();
      const bootStart = readBootTimeMs();
      const beforeInner = performance.now();
      let spins = 0;
      while (performance.now() - beforeInner < 100) spins++;
      const afterInner = performance.now();
      const bootEnd = readBootTimeMs();
      const afterOuter = performance.now();
      expect(spins).toBeGreaterThan(0);
      expect(bootStart).not.toBeNull();
      expect(bootEnd).not.toBeNull();
      // The boot-time interval lies between the monotonic intervals that nest around it, to within
      // /proc/uptime's 10 ms resolution (plus rounding) at each end: no timing is assumed.
      const bootSpan = (bootEnd as number) - (bootStart as number);
      expect(bootSpan).toBeGreaterThanOrEqual(afterInner - beforeInner - 20);
      expect(bootSpan).toBeLessThanOrEqual(afterOuter - beforeOuter + 20);
    },
  );

  it('never goes backwards and stays in step with the wall clock while it is not set', () => {
    const readings: number[] = [];
    for (let i = 0; i < 1_000; i++) readings.push(systemClock.elapsed());
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]!);
    const watch = new WallClockWatch(systemClock);
    expect(watch.read().changeMs).toBe(0);
  });
});

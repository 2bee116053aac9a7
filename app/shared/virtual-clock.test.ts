import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('VirtualClock', () => {
  it('starts at the default wall time, or the one given, with nothing armed', () => {
    expect(new VirtualClock().now()).toBe(START);
    const clock = new VirtualClock(1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.monotonicMs).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.nextTimerDelay()).toBeNull();
  });

  it('fires timers in order of due time, then creation order, at their exact due instant', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const note = (label: string) => () => seen.push(`${label}@${clock.now() - START}/${clock.monotonicMs}`);
    clock.setTimer(note('c'), 300);
    clock.setTimer(note('a'), 100);
    clock.setTimer(note('b1'), 200);
    clock.setTimer(note('b2'), 200);
    expect(clock.pendingTimers).toBe(4);
    expect(clock.nextTimerDelay()).toBe(100);

    clock.advance(250);
    expect(seen).toEqual(['a@100/100', 'b1@200/200', 'b2@200/200']);
    expect(clock.now()).toBe(START + 250);
    expect(clock.monotonicMs).toBe(250);
    expect(clock.nextTimerDelay()).toBe(50);

    clock.advance(50);
    expect(seen.at(-1)).toBe('c@300/300');
    expect(clock.pendingTimers).toBe(0);
  });

  it('treats negative delays as 0 and fires a 0 ms timer on advance(0)', () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.setTimer(() => fired++, -5);
    expect(clock.nextTimerDelay()).toBe(0);
    clock.advance(0);
    expect(fired).toBe(1);
  });

  it('fires timers armed by callbacks within the same window, and not those beyond it', () => {
    const clock = new VirtualClock();
    const firedAt: number[] = [];
    const every100 = () => {
      firedAt.push(clock.monotonicMs);
      clock.setTimer(every100, 100);
    };
    clock.setTimer(every100, 100);
    clock.advance(350);
    expect(firedAt).toEqual([100, 200, 300]);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerDelay()).toBe(50);
  });

  it('clearTimer disarms, and ignores handles already fired or cleared', () => {
    const clock = new VirtualClock();
    let fired = 0;
    const handle = clock.setTimer(() => fired++, 10);
    const other = clock.setTimer(() => fired++, 20);
    clock.clearTimer(handle);
    clock.clearTimer(handle);
    clock.advance(100);
    expect(fired).toBe(1);
    expect(() => clock.clearTimer(other)).not.toThrow();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a callback may clear a timer due at the same instant', () => {
    const clock = new VirtualClock();
    let secondFired = false;
    clock.setTimer(() => clock.clearTimer(second), 10);
    const second = clock.setTimer(() => (secondFired = true), 10);
    clock.advance(10);
    expect(secondFired).toBe(false);
  });

  it('jumpWall moves the wall clock either way and leaves timers alone', () => {
    const clock = new VirtualClock();
    clock.setTimer(() => {}, 1_000);
    clock.jumpWall(-3_600_000);
    expect(clock.now()).toBe(START - 3_600_000);
    expect(clock.monotonicMs).toBe(0);
    expect(clock.nextTimerDelay()).toBe(1_000);
    clock.jumpWall(7_200_000);
    expect(clock.now()).toBe(START + 3_600_000);
  });

  it('suspend moves only the wall clock, so pending timers fire late', () => {
    const clock = new VirtualClock();
    const wallAtFire: number[] = [];
    clock.setTimer(() => wallAtFire.push(clock.now()), 1_000);
    clock.suspend(8 * 3_600_000);
    expect(clock.nextTimerDelay()).toBe(1_000);
    expect(wallAtFire).toEqual([]);
    clock.advance(1_000);
    expect(wallAtFire).toEqual([START + 8 * 3_600_000 + 1_000]);
    expect(() => clock.suspend(-1)).toThrow(RangeError);
  });

  it('models the elapsed clock: time passing and suspend move it, a wall-clock jump does not', () => {
    const clock = new VirtualClock();
    expect(clock.elapsed()).toBe(0);
    clock.advance(1_000);
    expect(clock.elapsed()).toBe(1_000);
    clock.jumpWall(-3_600_000);
    clock.jumpWall(60_000);
    expect(clock.elapsed()).toBe(1_000);
    clock.suspend(8 * 3_600_000);
    expect(clock.elapsed()).toBe(1_000 + 8 * 3_600_000);
    expect(clock.monotonicMs).toBe(1_000);
  });

  it('runUntilIdle runs a finite chain and reports the time it took', () => {
    const clock = new VirtualClock();
    let left = 3;
    const chain = () => {
      if (--left > 0) clock.setTimer(chain, 500);
    };
    clock.setTimer(chain, 500);
    expect(clock.runUntilIdle()).toBe(1_500);
    expect(left).toBe(0);
    expect(clock.runUntilIdle()).toBe(0);
  });

  it('runUntilIdle throws when a periodic timer keeps it busy past the limit', () => {
    const clock = new VirtualClock();
    const forever = () => void clock.setTimer(forever, 1_000);
    clock.setTimer(forever, 1_000);
    expect(() => clock.runUntilIdle(10_000)).toThrow(/still armed/);
    expect(clock.monotonicMs).toBe(10_000);
  });

  it('rejects delays Node would mishandle and bad arguments', () => {
    const clock = new VirtualClock();
    expect(() => clock.setTimer(() => {}, Number.NaN)).toThrow(RangeError);
    expect(() => clock.setTimer(() => {}, Infinity)).toThrow(RangeError);
    expect(() => clock.setTimer(() => {}, 2 ** 31)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.jumpWall(Number.NaN)).toThrow(RangeError);
    expect(() => new VirtualClock(Number.NaN)).toThrow(RangeError);
  });

  it('stops a runaway 0 ms loop instead of hanging, and refuses re-entrant advance', () => {
    const clock = new VirtualClock();
    const loop = () => void clock.setTimer(loop, 0);
    clock.setTimer(loop, 0);
    expect(() => clock.advance(0)).toThrow(/at one instant/);

    const other = new VirtualClock();
    other.setTimer(() => other.advance(1), 1);
    expect(() => other.advance(5)).toThrow(/inside a timer callback/);
    other.advance(5); // the guard was released
  });

  it('when a callback throws, the clocks stay at its due instant and later timers stay armed', () => {
    const clock = new VirtualClock();
    clock.setTimer(() => {
      throw new Error('boom');
    }, 100);
    clock.setTimer(() => {}, 200);
    expect(() => clock.advance(1_000)).toThrow('boom');
    expect(clock.monotonicMs).toBe(100);
    expect(clock.now()).toBe(START + 100);
    expect(clock.pendingTimers).toBe(1);
  });
});

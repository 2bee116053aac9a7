import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Pomodoro, Timer } from './index.js';
import { record } from './test-support/record.js';

function countdown(durationMs: number) {
  const clock = new VirtualClock();
  const timer = new Timer({ id: 'tea', durationMs, clock });
  const events = record(timer, ['tick', 'done', 'state']);
  const doneAfter = (): number[] => events.of('done').map(() => clock.monotonicMs);
  return { clock, timer, events, doneAfter };
}

describe('countdowns across a wall-clock change run on elapsed time', () => {
  it('a 1 min countdown ends after 1 min when the clock is set back 2 min halfway', () => {
    const { clock, timer, events, doneAfter } = countdown(MINUTE_MS);
    timer.start();
    clock.advance(30 * SECOND_MS);
    clock.jumpWall(-2 * MINUTE_MS);
    expect(timer.remainingMs()).toBe(30 * SECOND_MS);
    clock.advance(30 * SECOND_MS);
    expect(doneAfter()).toEqual([MINUTE_MS]);
    // Every second was shown once, no freeze while the wall clock caught up.
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual(
      Array.from({ length: 60 }, (_, i) => 59 - i),
    );
    expect(timer.state).toBe('done');
  });

  it('a 1 min countdown ends after 1 min when the clock is set forward 10 min halfway', () => {
    const { clock, timer, doneAfter } = countdown(MINUTE_MS);
    timer.start();
    clock.advance(30 * SECOND_MS);
    clock.jumpWall(10 * MINUTE_MS);
    expect(timer.remainingMs()).toBe(30 * SECOND_MS);
    clock.advance(29 * SECOND_MS);
    expect(doneAfter()).toEqual([]);
    clock.advance(SECOND_MS);
    expect(doneAfter()).toEqual([MINUTE_MS]);
  });

  it('the wall deadline follows the change: endsAt, the snapshot and a restore agree', () => {
    const { clock, timer } = countdown(10 * MINUTE_MS);
    timer.start();
    clock.advance(MINUTE_MS);
    clock.jumpWall(-HOUR_MS);
    expect(timer.endsAt).toBe(clock.now() + 9 * MINUTE_MS);
    const snapshot = timer.toJSON();
    expect(snapshot.endsAt).toBe(clock.now() + 9 * MINUTE_MS);
    const restored = Timer.from(snapshot, { clock });
    expect(restored.remainingMs()).toBe(9 * MINUTE_MS);
  });

  it('still ends at its wall deadline across a suspend', () => {
    const { clock, timer, events } = countdown(25 * MINUTE_MS);
    const t0 = clock.now();
    timer.start();
    clock.advance(5 * MINUTE_MS);
    clock.suspend(10 * MINUTE_MS);
    clock.advance(SECOND_MS);
    expect(timer.remainingMs()).toBe(25 * MINUTE_MS - (15 * MINUTE_MS + SECOND_MS));
    clock.advance(HOUR_MS);
    expect(events.of('done')[0]?.at).toBe(t0 + 25 * MINUTE_MS);
  });

  it('a running stopwatch counts elapsed time across a clock set back or forward', () => {
    const clock = new VirtualClock();
    const stopwatch = new Timer({ mode: 'stopwatch', clock });
    stopwatch.start();
    clock.advance(5 * SECOND_MS);
    clock.jumpWall(-HOUR_MS);
    clock.advance(5 * SECOND_MS);
    expect(stopwatch.elapsedMs()).toBe(10 * SECOND_MS);
    clock.jumpWall(2 * HOUR_MS);
    clock.advance(5 * SECOND_MS);
    expect(stopwatch.elapsedMs()).toBe(15 * SECOND_MS);
  });
});

describe('pomodoro phases across a wall-clock change', () => {
  it('the work phase ends after 25 min of elapsed time whether the clock is set back or forward', () => {
    for (const changeMs of [-10 * MINUTE_MS, 10 * MINUTE_MS]) {
      const clock = new VirtualClock();
      const session = new Pomodoro({ id: 'p1', clock });
      const phasesAt: number[] = [];
      session.on('phase', () => phasesAt.push(clock.monotonicMs));
      session.start();
      clock.advance(10 * MINUTE_MS);
      clock.jumpWall(changeMs);
      expect(session.remainingMs()).toBe(15 * MINUTE_MS);
      clock.advance(15 * MINUTE_MS);
      expect(phasesAt).toEqual([25 * MINUTE_MS]);
      expect(session.phase).toBe('shortBreak');
      clock.advance(5 * MINUTE_MS);
      expect(phasesAt).toEqual([25 * MINUTE_MS, 30 * MINUTE_MS]);
    }
  });
});

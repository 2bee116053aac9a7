import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Timer } from './index.js';
import { record } from './test-support/record.js';

function countdown(durationMs: number) {
  const clock = new VirtualClock();
  const timer = new Timer({ id: 'tea', durationMs, clock });
  return { clock, timer, events: record(timer, ['tick', 'done', 'state']) };
}

describe('suspend', () => {
  it('a paused timer is unaffected: pause, sleep 8 h, resume → remaining unchanged', () => {
    const { clock, timer, events } = countdown(25 * MINUTE_MS);
    timer.start();
    clock.advance(10 * MINUTE_MS + 250);
    timer.pause();
    const remaining = 15 * MINUTE_MS - 250;
    expect(timer.remainingMs()).toBe(remaining);

    clock.suspend(8 * HOUR_MS);
    clock.advance(2 * SECOND_MS);
    expect(timer.remainingMs()).toBe(remaining);
    const ticks = events.of('tick').length;
    timer.resume();
    expect(timer.remainingMs()).toBe(remaining);
    expect(events.of('tick')).toHaveLength(ticks);
    expect(timer.endsAt).toBe(clock.now() + remaining);
  });

  it('sleeping past the deadline gives one catch-up tick (0) and one done, with the real deadline', () => {
    const { clock, timer, events } = countdown(25 * MINUTE_MS);
    const t0 = clock.now();
    timer.start();
    clock.advance(5 * MINUTE_MS);
    const ticksBefore = events.of('tick').length;

    clock.suspend(8 * HOUR_MS);
    expect(events.of('tick')).toHaveLength(ticksBefore);
    clock.advance(1 * SECOND_MS); // the armed timer fires late, on wake
    const newTicks = events.of('tick').slice(ticksBefore);
    expect(newTicks.map((tick) => tick.seconds)).toEqual([0]);
    expect(events.of('done')).toEqual([{ id: 'tea', endsAt: t0 + 25 * MINUTE_MS, at: clock.now() }]);
    expect(timer.state).toBe('done');
    clock.advance(HOUR_MS);
    expect(events.of('done')).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('wall time counts: a short sleep shortens the countdown, with one tick for the new value', () => {
    const { clock, timer, events } = countdown(25 * MINUTE_MS);
    const t0 = clock.now();
    timer.start();
    clock.advance(5 * MINUTE_MS); // last tick: 1200
    clock.suspend(2 * MINUTE_MS + 300);
    clock.advance(1_000);
    // Woke at 7:01.3 elapsed (1078.7 s left): one tick showing the current value (rounded up), no storm.
    expect(
      events
        .of('tick')
        .slice(-2)
        .map((tick) => tick.seconds),
    ).toEqual([1_200, 1_079]);
    expect(timer.remainingMs()).toBe(25 * MINUTE_MS - (7 * MINUTE_MS + 1_300));
    // Then back on whole seconds of the original deadline.
    clock.advance(700);
    const last = events.of('tick').at(-1);
    expect(last?.seconds).toBe(1_078);
    expect(last?.at).toBe(t0 + 25 * MINUTE_MS - 1_078 * SECOND_MS);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(HOUR_MS);
    expect(events.of('done')[0]?.at).toBe(t0 + 25 * MINUTE_MS);
  });

  it('recheck on resume from suspend catches up at once instead of at the next armed tick', () => {
    const { clock, timer, events } = countdown(25 * MINUTE_MS);
    timer.start();
    clock.advance(500);
    clock.suspend(HOUR_MS);
    timer.recheck();
    expect(events.of('done')).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000);
    expect(events.of('done')).toHaveLength(1);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([0]);
  });

  it('pausing right after waking past the deadline completes the timer instead', () => {
    const { clock, timer, events } = countdown(MINUTE_MS);
    timer.start();
    clock.suspend(2 * MINUTE_MS);
    timer.pause();
    expect(timer.state).toBe('done');
    expect(events.of('done')).toHaveLength(1);
    expect(events.of('state').map((change) => change.to)).toEqual(['running', 'done']);
  });

  it('a running stopwatch counts the sleep (wall time), with one catch-up tick', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ mode: 'stopwatch', clock });
    const events = record(timer, ['tick']);
    timer.start();
    clock.advance(3_000);
    clock.suspend(HOUR_MS);
    clock.advance(1_000);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([1, 2, 3, 3_604]);
    expect(timer.elapsedMs()).toBe(HOUR_MS + 4_000);
  });
});

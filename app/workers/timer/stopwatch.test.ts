import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { MINUTE_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Timer } from './index.js';
import { record } from './test-support/record.js';

function stopwatch() {
  const clock = new VirtualClock();
  const timer = new Timer({ id: 'sw', mode: 'stopwatch', clock });
  return { clock, timer, events: record(timer, ['tick', 'done', 'state']) };
}

describe('stopwatch', () => {
  it('counts elapsed time up from 0, ticking on each whole second', () => {
    const { clock, timer, events } = stopwatch();
    expect(timer.durationMs).toBeNull();
    expect(timer.remainingMs()).toBeNull();
    expect(timer.elapsedMs()).toBe(0);
    timer.start();
    clock.advance(2_500);
    expect(timer.elapsedMs()).toBe(2_500);
    expect(events.of('tick')).toEqual([
      {
        id: 'sw',
        mode: 'stopwatch',
        seconds: 1,
        remainingMs: null,
        elapsedMs: 1_000,
        at: clock.now() - 1_500,
      },
      { id: 'sw', mode: 'stopwatch', seconds: 2, remainingMs: null, elapsedMs: 2_000, at: clock.now() - 500 },
    ]);
  });

  it('pause keeps the elapsed time; after resume it ticks on whole seconds of elapsed time', () => {
    const { clock, timer, events } = stopwatch();
    timer.start();
    clock.advance(1_700);
    timer.pause();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10 * MINUTE_MS);
    expect(timer.elapsedMs()).toBe(1_700);
    timer.resume();
    clock.advance(299);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([1]);
    clock.advance(1);
    expect(events.of('tick').at(-1)).toMatchObject({ seconds: 2, elapsedMs: 2_000 });
  });

  it('stop keeps the final reading; it is never done', () => {
    const { clock, timer, events } = stopwatch();
    timer.start();
    clock.advance(42_123);
    timer.stop();
    expect(timer.state).toBe('stopped');
    expect(timer.elapsedMs()).toBe(42_123);
    clock.advance(MINUTE_MS);
    expect(timer.elapsedMs()).toBe(42_123);
    expect(events.of('done')).toEqual([]);
    expect(() => timer.finish()).toThrow(ValidationError);
    timer.start();
    expect(timer.elapsedMs()).toBe(0);
  });

  it('a clock set back while the daemon was down never shows less than was banked before the current run', () => {
    const before = stopwatch();
    before.timer.start();
    before.clock.advance(5_000);
    before.timer.pause();
    before.timer.resume();
    before.clock.advance(2_000);
    const snapshot = before.timer.toJSON();
    // A new process cannot tell that change from time passing: the saved wall instants rule.
    const clock = new VirtualClock(before.clock.now() - MINUTE_MS);
    const timer = Timer.from(snapshot, { clock });
    expect(timer.elapsedMs()).toBe(5_000);
    clock.advance(MINUTE_MS + 1_000);
    expect(timer.elapsedMs()).toBe(8_000);
    expect(clock.pendingTimers).toBe(1);
  });
});

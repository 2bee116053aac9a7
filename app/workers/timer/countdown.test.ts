import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { MINUTE_MS, SECOND_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Timer } from './index.js';
import type { Clock } from '../../shared/clock.js';
import { record } from './test-support/record.js';

function countdown(durationMs: number, clock = new VirtualClock()) {
  const timer = new Timer({ id: 't1', name: 'Tea', durationMs, clock });
  return { clock, timer, events: record(timer, ['tick', 'done', 'state']) };
}

describe('countdown', () => {
  it('ticks once per second from duration−1 down to 0, then state and done at the deadline', () => {
    const { clock, timer, events } = countdown(3 * SECOND_MS);
    const t0 = clock.now();
    timer.start();
    expect(timer.state).toBe('running');
    expect(timer.endsAt).toBe(t0 + 3_000);
    expect(events.of('tick')).toEqual([]);

    clock.advance(3_000);
    expect(events.all.map(([name, payload]) => [name, (payload as { at: number }).at - t0])).toEqual([
      ['state', 0],
      ['tick', 1_000],
      ['tick', 2_000],
      ['tick', 3_000],
      ['state', 3_000],
      ['done', 3_000],
    ]);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([2, 1, 0]);
    expect(events.of('tick')[0]).toEqual({
      id: 't1',
      mode: 'countdown',
      seconds: 2,
      remainingMs: 2_000,
      elapsedMs: 1_000,
      at: t0 + 1_000,
    });
    expect(events.of('state').map((change) => `${change.from}>${change.to}`)).toEqual([
      'idle>running',
      'running>done',
    ]);
    expect(events.of('done')).toEqual([{ id: 't1', endsAt: t0 + 3_000, at: t0 + 3_000 }]);
    expect(timer.state).toBe('done');
    expect(timer.remainingMs()).toBe(0);
    expect(timer.elapsedMs()).toBe(3_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('with a fractional-second duration, shows it rounded up and ticks when whole seconds are crossed', () => {
    const { clock, timer, events } = countdown(1_500);
    timer.start();
    clock.advance(499);
    expect(events.of('tick')).toEqual([]);
    clock.advance(1);
    expect(events.of('tick').map((tick) => [tick.seconds, tick.remainingMs])).toEqual([[1, 1_000]]);
    clock.advance(1_000);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([1, 0]);
    expect(events.of('done')).toHaveLength(1);
  });

  it('pause freezes the remaining time; resume keeps ticking on the remaining whole seconds', () => {
    const { clock, timer, events } = countdown(MINUTE_MS);
    timer.start();
    clock.advance(10_400);
    timer.pause();
    expect(timer.state).toBe('paused');
    expect(timer.remainingMs()).toBe(49_600);
    expect(timer.endsAt).toBeNull();
    expect(clock.pendingTimers).toBe(0);

    clock.advance(5 * MINUTE_MS);
    expect(timer.remainingMs()).toBe(49_600);
    const ticksBefore = events.of('tick').length;
    timer.resume();
    clock.advance(599);
    expect(events.of('tick')).toHaveLength(ticksBefore);
    clock.advance(1);
    expect(events.of('tick').at(-1)).toMatchObject({ seconds: 49, remainingMs: 49_000 });
    clock.advance(49_000);
    expect(events.of('done')).toHaveLength(1);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual(
      Array.from({ length: 60 }, (_, i) => 59 - i),
    );
  });

  it('stop keeps what was left; start begins again from the full duration', () => {
    const { clock, timer, events } = countdown(10 * SECOND_MS);
    timer.start();
    clock.advance(4_000);
    timer.stop();
    expect(timer.state).toBe('stopped');
    expect(timer.remainingMs()).toBe(6_000);
    expect(clock.pendingTimers).toBe(0);
    timer.start();
    expect(timer.remainingMs()).toBe(10_000);
    clock.advance(10_000);
    expect(events.of('done')).toHaveLength(1);
  });

  it('reset returns to idle with the full duration, from any state, and is a no-op when idle', () => {
    const { clock, timer, events } = countdown(10 * SECOND_MS);
    timer.reset();
    expect(events.all).toEqual([]);
    timer.start();
    clock.advance(3_000);
    timer.reset();
    expect(timer.state).toBe('idle');
    expect(timer.remainingMs()).toBe(10_000);
    expect(clock.pendingTimers).toBe(0);
    timer.start();
    clock.advance(10_000);
    timer.reset();
    expect(events.of('state').map((change) => change.to)).toEqual([
      'running',
      'idle',
      'running',
      'done',
      'idle',
    ]);
  });

  it('finish ends it now: tick 0, state, done with endsAt = now', () => {
    const { clock, timer, events } = countdown(MINUTE_MS);
    timer.start();
    clock.advance(1_500);
    timer.finish();
    expect(events.all.slice(-3).map(([name]) => name)).toEqual(['tick', 'state', 'done']);
    expect(events.of('done')).toEqual([{ id: 't1', endsAt: clock.now(), at: clock.now() }]);
    expect(timer.state).toBe('done');
    expect(clock.pendingTimers).toBe(0);
  });

  it('commands not allowed in the current state throw a ValidationError on `state`', () => {
    const { clock, timer } = countdown(10 * SECOND_MS);
    const stateError = (run: () => void) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field + ': ' + (error as ValidationError).reason;
      }
      throw new Error('expected a ValidationError');
    };
    expect(stateError(() => timer.pause())).toBe('state: cannot pause while idle (allowed when running)');
    expect(stateError(() => timer.resume())).toMatch(/^state: cannot resume while idle/);
    expect(stateError(() => timer.stop())).toMatch(/^state: cannot stop while idle/);
    timer.start();
    expect(stateError(() => timer.start())).toMatch(/^state: cannot start while running/);
    expect(stateError(() => timer.resume())).toMatch(/^state: cannot resume while running/);
    clock.advance(10_000);
    expect(stateError(() => timer.pause())).toMatch(/^state: cannot pause while done/);
  });

  it('validates its options, naming the field and the range', () => {
    const clock = new VirtualClock();
    const fieldOf = (options: unknown) => {
      try {
        new Timer(options as ConstructorParameters<typeof Timer>[0]);
      } catch (error) {
        if (error instanceof ValidationError) return error.field;
        throw error;
      }
      return 'ok';
    };
    expect(fieldOf({ durationMs: 1_000, clock })).toBe('ok');
    expect(fieldOf({ durationMs: 7 * 24 * 60 * MINUTE_MS, clock })).toBe('ok');
    for (const bad of [
      999,
      7 * 24 * 60 * MINUTE_MS + 1,
      Number.NaN,
      Infinity,
      -5,
      1_000.5,
      '5000',
      undefined,
    ]) {
      expect(fieldOf({ durationMs: bad, clock })).toBe('durationMs');
    }
    expect(() => new Timer({ durationMs: 10, clock })).toThrow(
      'durationMs: must be from 1000 to 604800000 ms (got 10)',
    );
    expect(fieldOf({ mode: 'hourglass', durationMs: 1_000, clock })).toBe('mode');
    expect(fieldOf({ mode: 'stopwatch', durationMs: 1_000, clock })).toBe('durationMs');
    expect(fieldOf({ id: '', durationMs: 1_000, clock })).toBe('id');
    expect(fieldOf({ name: 'x'.repeat(101), durationMs: 1_000, clock })).toBe('name');
    expect(fieldOf(null)).toBe('(input)');
    expect(new Timer({ durationMs: 1_000, clock }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a clock set back while the daemon was down delays a restored countdown, which never shows more than its duration', () => {
    const before = countdown(MINUTE_MS);
    before.timer.start();
    before.clock.advance(30_000);
    const snapshot = before.timer.toJSON();
    // A new process cannot tell that change from time passing: the saved wall deadline rules.
    const clock = new VirtualClock(before.clock.now() - 10 * MINUTE_MS);
    const timer = Timer.from(snapshot, { clock });
    const events = record(timer, ['tick', 'done']);
    expect(timer.remainingMs()).toBe(MINUTE_MS);
    clock.advance(0);
    expect(events.of('tick').at(-1)).toMatchObject({ seconds: 60, remainingMs: MINUTE_MS });
    expect(events.of('done')).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(10 * MINUTE_MS + 30_000);
    expect(events.of('done')).toHaveLength(1);
  });

  it('copes with a clock whose timers fire a little early: no duplicate or missing tick', () => {
    const inner = new VirtualClock();
    const early: Clock = {
      now: () => inner.now(),
      elapsed: () => inner.elapsed(),
      // Node may fire up to 1 ms early by the wall clock, but never before 1 ms has passed.
      setTimer: (callback, delayMs) => inner.setTimer(callback, Math.max(1, delayMs - 1)),
      clearTimer: (handle) => inner.clearTimer(handle),
    };
    const timer = new Timer({ durationMs: 5_000, clock: early });
    const events = record(timer, ['tick', 'done']);
    const t0 = inner.now();
    timer.start();
    inner.advance(6_000);
    expect(events.of('tick').map((tick) => [tick.seconds, tick.at - t0])).toEqual([
      [4, 1_000],
      [3, 2_000],
      [2, 3_000],
      [1, 4_000],
      [0, 5_000],
    ]);
    expect(events.of('done')).toHaveLength(1);
  });

  it('lets listeners issue commands: a pause from a tick listener leaves nothing armed', () => {
    const { clock, timer, events } = countdown(10 * SECOND_MS);
    timer.on('tick', (tick) => {
      if (tick.seconds === 7) timer.pause();
    });
    timer.start();
    clock.advance(5_000);
    expect(timer.state).toBe('paused');
    expect(timer.remainingMs()).toBe(7_000);
    expect(clock.pendingTimers).toBe(0);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([9, 8, 7]);
  });

  it('a reset from the final tick listener suppresses done', () => {
    const { clock, timer, events } = countdown(2 * SECOND_MS);
    timer.on('tick', (tick) => {
      if (tick.seconds === 0) timer.reset();
    });
    timer.start();
    clock.advance(5_000);
    expect(timer.state).toBe('idle');
    expect(events.of('done')).toEqual([]);
  });

  it('dispose disarms and refuses further commands, but can still be read and snapshotted', () => {
    const { clock, timer } = countdown(10 * SECOND_MS);
    timer.start();
    timer.dispose();
    expect(clock.pendingTimers).toBe(0);
    expect(() => timer.pause()).toThrow(/disposed/);
    expect(timer.toJSON().state).toBe('running');
    timer.recheck();
    expect(clock.pendingTimers).toBe(0);
  });
});

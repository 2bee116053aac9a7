import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { HOUR_MS, MINUTE_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Timer } from './index.js';
import type { TimerSnapshot } from './index.js';
import { record } from './test-support/record.js';

/** Snapshot, "daemon down" for `downMs` of wall time, restore on a fresh clock reading the later time. */
function restartAfter(timer: Timer, clock: VirtualClock, downMs: number) {
  const saved = JSON.parse(JSON.stringify(timer)) as TimerSnapshot;
  timer.dispose();
  const later = new VirtualClock(clock.now() + downMs);
  const restored = Timer.from(saved, { clock: later });
  return { saved, later, restored, events: record(restored, ['tick', 'done', 'state']) };
}

describe('restore after restart', () => {
  it('a running countdown keeps its true remaining time: 3 minutes down means 3 minutes less', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ id: 'tea', name: 'Tea', durationMs: 25 * MINUTE_MS, clock });
    const t0 = clock.now();
    timer.start();
    clock.advance(10 * MINUTE_MS);
    const { saved, later, restored, events } = restartAfter(timer, clock, 3 * MINUTE_MS);

    expect(saved).toEqual({
      kind: 'timer',
      id: 'tea',
      name: 'Tea',
      mode: 'countdown',
      state: 'running',
      durationMs: 25 * MINUTE_MS,
      endsAt: t0 + 25 * MINUTE_MS,
      remainingMs: null,
      startedAt: null,
      accumulatedMs: null,
    });
    expect(restored.state).toBe('running');
    expect(restored.remainingMs()).toBe(12 * MINUTE_MS);
    expect(restored.toJSON()).toEqual(saved);

    // One catch-up tick on the next clock turn, for listeners attached after from().
    later.advance(0);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([720]);
    later.advance(12 * MINUTE_MS);
    expect(events.of('tick')).toHaveLength(721);
    expect(events.of('done')).toEqual([{ id: 'tea', endsAt: t0 + 25 * MINUTE_MS, at: t0 + 25 * MINUTE_MS }]);
  });

  it('a countdown that ended while the daemon was down restores, then emits tick 0, state and done once', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ id: 'tea', durationMs: 5 * MINUTE_MS, clock });
    const t0 = clock.now();
    timer.start();
    clock.advance(MINUTE_MS);
    const { later, restored, events } = restartAfter(timer, clock, HOUR_MS);

    expect(restored.remainingMs()).toBe(0);
    expect(events.all).toEqual([]);
    later.advance(0);
    expect(events.all.map(([name]) => name)).toEqual(['tick', 'state', 'done']);
    expect(events.of('done')).toEqual([{ id: 'tea', endsAt: t0 + 5 * MINUTE_MS, at: later.now() }]);
    expect(restored.state).toBe('done');
    later.advance(HOUR_MS);
    expect(events.all).toHaveLength(3);

    // Restoring the done snapshot again emits nothing: done was already delivered.
    const again = Timer.from(restored.toJSON(), { clock: later });
    const againEvents = record(again, ['tick', 'done', 'state']);
    later.advance(HOUR_MS);
    expect(againEvents.all).toEqual([]);
    expect(again.state).toBe('done');
  });

  it('a paused countdown restores with the same remaining time, however long the daemon was down', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ durationMs: 25 * MINUTE_MS, clock });
    timer.start();
    clock.advance(10 * MINUTE_MS);
    timer.pause();
    const { later, restored, events } = restartAfter(timer, clock, 8 * HOUR_MS);
    expect(restored.state).toBe('paused');
    expect(restored.remainingMs()).toBe(15 * MINUTE_MS);
    expect(later.pendingTimers).toBe(0);
    restored.resume();
    later.advance(15 * MINUTE_MS);
    expect(events.of('done')).toHaveLength(1);
  });

  it('idle, stopped and done timers round-trip exactly', () => {
    const clock = new VirtualClock();
    const idle = new Timer({ durationMs: 60_000, clock });
    const stopped = new Timer({ durationMs: 60_000, clock });
    const done = new Timer({ durationMs: 1_000, clock });
    stopped.start();
    done.start();
    clock.advance(2_500);
    stopped.stop();
    for (const timer of [idle, stopped, done]) {
      const snapshot = JSON.parse(JSON.stringify(timer)) as TimerSnapshot;
      expect(Timer.from(snapshot, { clock }).toJSON()).toEqual(timer.toJSON());
    }
    expect(stopped.toJSON()).toMatchObject({ state: 'stopped', remainingMs: 57_500, endsAt: null });
    expect(done.toJSON()).toMatchObject({ state: 'done', remainingMs: 0 });
  });

  it('a running stopwatch restores with the downtime counted (wall time)', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ mode: 'stopwatch', clock });
    timer.start();
    clock.advance(5_000);
    timer.pause();
    timer.resume();
    clock.advance(2_000);
    const { saved, later, restored, events } = restartAfter(timer, clock, 3 * MINUTE_MS);
    expect(saved).toMatchObject({
      mode: 'stopwatch',
      state: 'running',
      accumulatedMs: 5_000,
      durationMs: null,
    });
    expect(restored.elapsedMs()).toBe(3 * MINUTE_MS + 7_000);
    later.advance(0);
    expect(events.of('tick').map((tick) => tick.seconds)).toEqual([187]);
  });

  it('a snapshot taken by a listener of the final tick restores as done', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ durationMs: 2_000, clock });
    let atZero: TimerSnapshot | null = null;
    timer.on('tick', (tick) => {
      if (tick.seconds === 0) atZero = timer.toJSON();
    });
    timer.start();
    clock.advance(2_000);
    expect(atZero).toMatchObject({ state: 'running' });
    const restored = Timer.from(atZero as unknown as TimerSnapshot, { clock });
    const events = record(restored, ['done']);
    clock.advance(0);
    expect(events.of('done')).toHaveLength(1);
  });

  it('rejects bad snapshots with a ValidationError naming the field', () => {
    const clock = new VirtualClock();
    const timer = new Timer({ durationMs: 60_000, clock });
    timer.start();
    const good = timer.toJSON();
    const fieldOf = (snapshot: unknown) => {
      try {
        Timer.from(snapshot as TimerSnapshot, { clock });
      } catch (error) {
        if (error instanceof ValidationError) return error.field;
        throw error;
      }
      return 'ok';
    };
    expect(fieldOf(good)).toBe('ok');
    expect(fieldOf(null)).toBe('(input)');
    expect(fieldOf({ ...good, kind: 'pomodoro' })).toBe('kind');
    expect(fieldOf({ ...good, state: 'sleeping' })).toBe('state');
    expect(fieldOf({ ...good, mode: undefined })).toBe('mode');
    expect(fieldOf({ ...good, id: undefined })).toBe('id');
    expect(fieldOf({ ...good, name: 7 })).toBe('name');
    expect(fieldOf({ ...good, endsAt: null })).toBe('endsAt');
    expect(fieldOf({ ...good, endsAt: Number.NaN })).toBe('endsAt');
    expect(fieldOf({ ...good, remainingMs: 5 })).toBe('remainingMs');
    expect(fieldOf({ ...good, startedAt: 5 })).toBe('startedAt');
    expect(fieldOf({ ...good, durationMs: 0 })).toBe('durationMs');
    expect(fieldOf({ ...good, state: 'paused', endsAt: null, remainingMs: 60_001 })).toBe('remainingMs');
    expect(fieldOf({ ...good, state: 'paused', remainingMs: 1_000 })).toBe('endsAt');
    const stopwatch = new Timer({ mode: 'stopwatch', clock }).toJSON();
    expect(fieldOf(stopwatch)).toBe('ok');
    expect(fieldOf({ ...stopwatch, state: 'done' })).toBe('state');
    expect(fieldOf({ ...stopwatch, accumulatedMs: -1 })).toBe('accumulatedMs');
    expect(fieldOf({ ...stopwatch, state: 'running', startedAt: null })).toBe('startedAt');
    expect(fieldOf({ ...stopwatch, durationMs: 1_000 })).toBe('durationMs');
  });
});

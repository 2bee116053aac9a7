import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../shared/limits.js';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { POMODORO_DEFAULTS, Pomodoro } from './index.js';
import type { PomodoroOptions, PomodoroSnapshot } from './index.js';
import { record } from './test-support/record.js';

function pomodoro(options: PomodoroOptions = {}) {
  const clock = new VirtualClock();
  const session = new Pomodoro({ id: 'p1', name: 'Focus', clock, ...options });
  return { clock, session, events: record(session, ['tick', 'done', 'state', 'phase']) };
}

describe('pomodoro', () => {
  it('defaults to 25/5/15 minutes, a long break every 4 rounds, 4 rounds', () => {
    const { session } = pomodoro();
    expect(session.settings).toEqual({
      workMs: 25 * MINUTE_MS,
      shortBreakMs: 5 * MINUTE_MS,
      longBreakMs: 15 * MINUTE_MS,
      longBreakEvery: 4,
      rounds: 4,
    });
    expect(POMODORO_DEFAULTS).toEqual(session.settings);
    expect([session.state, session.phase, session.round, session.remainingMs()]).toEqual([
      'idle',
      'work',
      1,
      25 * MINUTE_MS,
    ]);
  });

  it('runs a full cycle: work, short, work, short, work, short, work, long, then done — on exact deadlines', () => {
    const { clock, session, events } = pomodoro();
    const t0 = clock.now();
    session.start();
    clock.advance(3 * HOUR_MS);

    const phases = events.of('phase');
    expect(['work', ...phases.map((change) => change.to)]).toEqual([
      'work',
      'shortBreak',
      'work',
      'shortBreak',
      'work',
      'shortBreak',
      'work',
      'longBreak',
    ]);
    expect(phases.map((change) => change.round)).toEqual([1, 2, 2, 3, 3, 4, 4]);
    expect(phases.every((change) => change.reason === 'completed')).toBe(true);
    const minutes = phases.map((change) => (change.at - t0) / MINUTE_MS);
    expect(minutes).toEqual([25, 30, 55, 60, 85, 90, 115]);
    expect(phases[0]).toEqual({
      id: 'p1',
      from: 'work',
      to: 'shortBreak',
      round: 1,
      reason: 'completed',
      endsAt: t0 + 30 * MINUTE_MS,
      at: t0 + 25 * MINUTE_MS,
    });

    const end = t0 + 130 * MINUTE_MS;
    expect(events.of('done')).toEqual([{ id: 'p1', endsAt: end, at: end, phase: 'longBreak', round: 4 }]);
    expect(events.of('state').map((change) => `${change.from}>${change.to}`)).toEqual([
      'idle>running',
      'running>done',
    ]);
    expect(session.state).toBe('done');
    expect(clock.pendingTimers).toBe(0);
    // One tick per second of every phase, stamped with its phase.
    expect(events.of('tick')).toHaveLength(130 * 60);
    expect(events.of('tick')[0]).toMatchObject({ id: 'p1', phase: 'work', round: 1, seconds: 1_499 });
    expect(events.of('tick').at(-1)).toMatchObject({ phase: 'longBreak', round: 4, seconds: 0 });
  });

  it('emits at a phase end: tick 0, then phase; the next phase ticks from its own deadline', () => {
    const { clock, session, events } = pomodoro({ workMs: 2 * SECOND_MS, shortBreakMs: SECOND_MS });
    session.start();
    clock.advance(2 * SECOND_MS);
    expect(events.all.map(([name]) => name)).toEqual(['state', 'tick', 'tick', 'phase']);
    clock.advance(SECOND_MS);
    expect(events.of('tick').at(-1)).toMatchObject({ phase: 'shortBreak', seconds: 0 });
  });

  it('long break every N rounds; the session ends with the break after the last round', () => {
    const { clock, session, events } = pomodoro({ longBreakEvery: 2, rounds: 3 });
    session.start();
    clock.advance(5 * HOUR_MS);
    expect(events.of('phase').map((change) => `${change.to}${change.round}`)).toEqual([
      'shortBreak1',
      'work2',
      'longBreak2',
      'work3',
      'shortBreak3',
    ]);
    expect(events.of('done')).toHaveLength(1);
  });

  it('skip ends the phase now and starts the next one running, even from pause', () => {
    const { clock, session, events } = pomodoro();
    session.start();
    clock.advance(MINUTE_MS);
    session.skip();
    expect([session.phase, session.round, session.state]).toEqual(['shortBreak', 1, 'running']);
    expect(events.of('phase').at(-1)).toMatchObject({ from: 'work', to: 'shortBreak', reason: 'skipped' });
    expect(session.remainingMs()).toBe(5 * MINUTE_MS);
    expect(clock.pendingTimers).toBe(1);

    session.pause();
    session.skip();
    expect([session.phase, session.round, session.state]).toEqual(['work', 2, 'running']);
    expect(events.all.slice(-2).map(([name]) => name)).toEqual(['phase', 'state']);
    expect(events.of('state').at(-1)).toMatchObject({
      from: 'paused',
      to: 'running',
      phase: 'work',
      round: 2,
    });
    expect(clock.pendingTimers).toBe(1);
    // A skipped phase never reports a completed one.
    expect(events.of('phase').every((change) => change.reason === 'skipped')).toBe(true);
  });

  it('skipping the last break completes the session', () => {
    const { clock, session, events } = pomodoro({ rounds: 1 });
    session.start();
    session.skip();
    expect(session.phase).toBe('shortBreak');
    clock.advance(MINUTE_MS);
    session.skip();
    expect(session.state).toBe('done');
    expect(events.of('done')).toEqual([
      { id: 'p1', endsAt: clock.now(), at: clock.now(), phase: 'shortBreak', round: 1 },
    ]);
    expect(clock.pendingTimers).toBe(0);
    expect(session.toJSON().timer.state).toBe('done');
    session.start();
    expect([session.phase, session.round, session.state]).toEqual(['work', 1, 'running']);
  });

  it('pause survives a suspend; stop, reset and start behave like a Timer', () => {
    const { clock, session, events } = pomodoro();
    session.start();
    clock.advance(10 * MINUTE_MS);
    session.pause();
    clock.suspend(8 * HOUR_MS);
    clock.advance(HOUR_MS);
    expect(session.remainingMs()).toBe(15 * MINUTE_MS);
    session.resume();
    clock.advance(5 * MINUTE_MS);
    session.stop();
    expect([session.state, session.remainingMs()]).toEqual(['stopped', 10 * MINUTE_MS]);
    expect(clock.pendingTimers).toBe(0);
    session.reset();
    expect([session.state, session.phase, session.round, session.remainingMs()]).toEqual([
      'idle',
      'work',
      1,
      25 * MINUTE_MS,
    ]);
    expect(events.of('state').map((change) => change.to)).toEqual([
      'running',
      'paused',
      'running',
      'stopped',
      'idle',
    ]);
    expect(() => session.pause()).toThrow(ValidationError);
    expect(() => session.skip()).toThrow(/cannot skip while idle/);
  });

  it('a sleep through a phase end completes that one phase; the next starts on waking, not back-dated', () => {
    const { clock, session, events } = pomodoro();
    session.start();
    clock.advance(20 * MINUTE_MS);
    clock.suspend(2 * HOUR_MS);
    clock.advance(SECOND_MS);
    const wake = clock.now();
    expect(events.of('phase')).toHaveLength(1);
    expect(events.of('phase')[0]).toMatchObject({ to: 'shortBreak', at: wake, endsAt: wake + 5 * MINUTE_MS });
    expect(session.remainingMs()).toBe(5 * MINUTE_MS);
  });

  it('pausing on waking after the phase ended pauses the phase that follows', () => {
    const { clock, session } = pomodoro();
    session.start();
    clock.suspend(HOUR_MS);
    session.pause();
    expect([session.state, session.phase, session.remainingMs()]).toEqual([
      'paused',
      'shortBreak',
      5 * MINUTE_MS,
    ]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('restores after a restart with its true remaining time', () => {
    const { clock, session } = pomodoro();
    session.start();
    clock.advance(10 * MINUTE_MS);
    const saved = JSON.parse(JSON.stringify(session)) as PomodoroSnapshot;
    session.dispose();
    expect(saved).toMatchObject({ kind: 'pomodoro', state: 'running', phase: 'work', round: 1 });
    expect(saved.timer).toMatchObject({ state: 'running', durationMs: 25 * MINUTE_MS });

    const later = new VirtualClock(clock.now() + 3 * MINUTE_MS);
    const restored = Pomodoro.from(saved, { clock: later });
    const events = record(restored, ['tick', 'phase', 'done']);
    expect(restored.remainingMs()).toBe(12 * MINUTE_MS);
    expect(restored.toJSON()).toEqual(saved);
    later.advance(0);
    expect(events.of('tick')).toEqual([expect.objectContaining({ seconds: 720, phase: 'work', round: 1 })]);
    later.advance(12 * MINUTE_MS);
    expect(events.of('phase')).toEqual([expect.objectContaining({ to: 'shortBreak', reason: 'completed' })]);
  });

  it('a phase that ended while the daemon was down completes on the first turn after restore', () => {
    const { clock, session } = pomodoro();
    session.start();
    const saved = session.toJSON();
    const later = new VirtualClock(clock.now() + HOUR_MS);
    const restored = Pomodoro.from(saved, { clock: later });
    const events = record(restored, ['tick', 'phase', 'done']);
    later.advance(0);
    expect(events.all.map(([name]) => name)).toEqual(['tick', 'phase']);
    expect(restored.phase).toBe('shortBreak');
    expect(restored.remainingMs()).toBe(5 * MINUTE_MS);
  });

  it('validates options and snapshots, naming the field', () => {
    const fieldOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof ValidationError) return error.field;
        throw error;
      }
      return 'ok';
    };
    const clock = new VirtualClock();
    expect(fieldOf(() => new Pomodoro({ workMs: 500, clock }))).toBe('workMs');
    expect(fieldOf(() => new Pomodoro({ shortBreakMs: Number.NaN, clock }))).toBe('shortBreakMs');
    expect(fieldOf(() => new Pomodoro({ longBreakMs: Infinity, clock }))).toBe('longBreakMs');
    expect(fieldOf(() => new Pomodoro({ longBreakEvery: 0, clock }))).toBe('longBreakEvery');
    expect(fieldOf(() => new Pomodoro({ rounds: 2.5, clock }))).toBe('rounds');
    expect(fieldOf(() => new Pomodoro({ rounds: 101, clock }))).toBe('rounds');

    const session = new Pomodoro({ clock });
    session.start();
    const good = session.toJSON();
    const from = (snapshot: unknown) => () => Pomodoro.from(snapshot as PomodoroSnapshot, { clock });
    expect(fieldOf(from(good))).toBe('ok');
    expect(fieldOf(from({ ...good, kind: 'timer' }))).toBe('kind');
    expect(fieldOf(from({ ...good, phase: 'nap' }))).toBe('phase');
    expect(fieldOf(from({ ...good, round: 5 }))).toBe('round');
    expect(fieldOf(from({ ...good, settings: { ...good.settings, workMs: -1 } }))).toBe('settings.workMs');
    expect(fieldOf(from({ ...good, settings: 'x' }))).toBe('settings');
    expect(fieldOf(from({ ...good, timer: null }))).toBe('timer');
    expect(fieldOf(from({ ...good, timer: { ...good.timer, endsAt: null } }))).toBe('timer.endsAt');
    expect(fieldOf(from({ ...good, phase: 'shortBreak' }))).toBe('timer.durationMs');
    expect(fieldOf(from({ ...good, state: 'paused' }))).toBe('timer.state');
  });
});

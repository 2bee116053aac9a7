import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PomodoroView, ReminderView, Status, TimerView } from '../../shared/contract.js';
import type { DaemonState } from '../store/index.js';
import { HOUR, MINUTE, MONDAY_9AM, SECOND, TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('timers through messages', () => {
  it('a countdown runs, then reports timer-done and notifies "Timer finished"', async () => {
    const sut = await home.open();
    const view = await sut.ok<TimerView>('timer.start', { durationMs: 60_000, name: 'tea' });
    expect(view).toMatchObject({
      name: 'tea',
      mode: 'countdown',
      state: 'running',
      remainingMs: 60_000,
      endsAt: MONDAY_9AM + 60_000,
    });
    expect(sut.service.status().upcoming[0]).toMatchObject({
      id: view.id,
      kind: 'timer',
      dueAt: MONDAY_9AM + 60_000,
    });

    await sut.advance(59_999);
    expect(sut.timerDoneEvents()).toEqual([]);
    await sut.advance(1);
    expect(sut.timerDoneEvents()).toEqual([{ id: view.id, name: 'tea' }]);
    expect(sut.notifier.calls).toEqual([{ title: 'Timer finished', message: 'tea is done', sound: false }]);
    expect(await sut.ok<TimerView[]>('timer.list')).toMatchObject([
      { id: view.id, state: 'done', remainingMs: 0 },
    ]);
  });

  it('an unnamed countdown is called "Timer"', async () => {
    const sut = await home.open();
    await sut.ok('timer.start', { durationMs: 5 * SECOND });
    await sut.advance(5 * SECOND);
    expect(sut.notifier.messages).toEqual(['Timer is done']);
  });

  it('pause freezes the time left, resume continues from it, stop removes the timer', async () => {
    const sut = await home.open();
    const { id } = await sut.ok<TimerView>('timer.start', { durationMs: 5 * MINUTE, name: 'focus' });
    await sut.advance(MINUTE);
    expect(await sut.ok<TimerView>('timer.pause', { id })).toMatchObject({
      state: 'paused',
      remainingMs: 4 * MINUTE,
      endsAt: null,
    });
    expect(sut.service.status().timers).toMatchObject([{ id, state: 'paused' }]);
    // Pausing twice is a typed error, not a crash.
    expect(await sut.request('timer.pause', { id })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'state' },
    });

    await sut.advance(HOUR - MINUTE); // 10:00: the reminder fires, the paused timer does not
    expect(sut.timerDoneEvents()).toEqual([]);
    expect(await sut.ok<TimerView>('timer.resume', { id })).toMatchObject({
      state: 'running',
      endsAt: MONDAY_9AM + HOUR + 4 * MINUTE,
    });
    await sut.advance(2 * MINUTE);

    expect(await sut.ok<TimerView>('timer.stop', { id })).toMatchObject({
      state: 'stopped',
      remainingMs: 2 * MINUTE,
    });
    expect(await sut.ok('timer.list')).toEqual([]);
    expect(sut.service.status().timers).toEqual([]);
    await sut.advance(10 * MINUTE);
    expect(sut.timerDoneEvents()).toEqual([]);
    expect(await sut.request('timer.resume', { id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('a countdown without a duration is invalid, naming params.durationMs', async () => {
    const sut = await home.open();
    const reply = await sut.request('timer.start', { name: 'tea' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.durationMs' } });
    const tooShort = await sut.request('timer.start', { durationMs: 10 });
    expect(tooShort).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.durationMs' } });
    expect(sut.service.status().timers).toEqual([]);
  });

  it('a stopwatch counts up and has no end', async () => {
    const sut = await home.open();
    const { id } = await sut.ok<TimerView>('timer.start', { mode: 'stopwatch', name: 'run' });
    await sut.advance(90 * SECOND);
    expect(await sut.ok<TimerView[]>('timer.list')).toMatchObject([
      { id, mode: 'stopwatch', state: 'running', elapsedMs: 90 * SECOND, remainingMs: null, endsAt: null },
    ]);
    expect(sut.service.status().upcoming.map((u) => u.kind)).toEqual(['reminder']);
  });
});

describe('pomodoro through messages', () => {
  it('notifies on each phase change; skip moves on; stop ends the session', async () => {
    const sut = await home.open();
    const started = await sut.ok<PomodoroView>('pomodoro.start', {
      workMs: 10 * MINUTE,
      shortBreakMs: 2 * MINUTE,
    });
    expect(started).toMatchObject({
      phase: 'work',
      round: 1,
      timer: { state: 'running', remainingMs: 10 * MINUTE },
    });
    expect(sut.notifier.calls).toEqual([]); // starting is not a phase change

    await sut.advance(10 * MINUTE);
    expect(sut.notifier.calls).toEqual([
      { title: 'Short break', message: 'Short break — 2 min', sound: false },
    ]);
    expect(sut.service.status().pomodoro).toMatchObject({ phase: 'shortBreak', round: 1 });

    const skipped = await sut.ok<PomodoroView>('pomodoro.skip');
    expect(skipped).toMatchObject({ phase: 'work', round: 2, timer: { remainingMs: 10 * MINUTE } });
    expect(sut.notifier.calls[1]).toEqual({ title: 'Focus', message: 'Focus — 10 min', sound: false });

    expect(await sut.ok('pomodoro.stop')).toMatchObject({
      phase: 'work',
      round: 2,
      timer: { state: 'stopped' },
    });
    expect(sut.service.status().pomodoro).toBeNull();
    await sut.advance(HOUR - 10 * MINUTE - 1);
    expect(sut.notifier.calls).toHaveLength(2);
    expect(await sut.request('pomodoro.skip')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await sut.request('pomodoro.stop')).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('the fourth break is long', async () => {
    const sut = await home.open();
    await sut.ok('pomodoro.start', { workMs: MINUTE, shortBreakMs: MINUTE, longBreakMs: 3 * MINUTE });
    await sut.advance(7 * MINUTE);
    expect(sut.notifier.calls.map((c) => c.title)).toEqual([
      'Short break',
      'Focus',
      'Short break',
      'Focus',
      'Short break',
      'Focus',
      'Long break',
    ]);
    expect(sut.notifier.messages.at(-1)).toBe('Long break — 3 min');
  });
});

describe('restart continuity', () => {
  it('after 2 h down: one catch-up notification with the missed count, and the hourly grid kept', async () => {
    const first = await home.open();
    await first.advance(30 * MINUTE);
    await first.close();
    expect(first.notifier.calls).toEqual([]);

    const second = await home.open({ start: MONDAY_9AM + 30 * MINUTE + 2 * HOUR }); // 11:30
    await second.advance(0);
    // 10:00 and 11:00 came due while it was down: both missed, shown as one catch-up.
    expect(second.notifier.messages).toEqual(["Don't code — rest your eyes (missed 2 while away)"]);
    const [reminder] = await second.ok<ReminderView[]>('reminder.list');
    expect(reminder?.nextDueAt).toBe(MONDAY_9AM + 3 * HOUR); // 12:00, on the 9:00 grid
    await second.advance(30 * MINUTE - 1);
    expect(second.notifier.calls).toHaveLength(1);
    await second.advance(1);
    expect(second.notifier.messages[1]).toBe("Don't code — rest your eyes");
  });

  it('the catch-up reminder event reaches a listener attached as soon as open() resolves', async () => {
    const first = await home.open();
    await first.close();
    const second = await home.open({ start: MONDAY_9AM + 2 * HOUR + 30 * MINUTE });
    await second.advance(0);
    expect(second.notifier.calls).toHaveLength(1);
    expect(second.reminderEvents()).toMatchObject([{ id: 'rest-eyes', dueAt: MONDAY_9AM + HOUR, missed: 2 }]);
  });

  it('a running countdown comes back with its true remaining time', async () => {
    const first = await home.open();
    await first.advance(20 * MINUTE);
    const { id } = await first.ok<TimerView>('timer.start', { durationMs: 25 * MINUTE, name: 'tea' });
    await first.advance(10 * MINUTE);
    await first.close(); // 9:30, 15 minutes left

    const saved = JSON.parse(await readFile(home.paths.state, 'utf8')) as DaemonState;
    expect(saved.timers).toMatchObject([{ id, state: 'running', endsAt: MONDAY_9AM + 45 * MINUTE }]);

    const second = await home.open({ start: MONDAY_9AM + 35 * MINUTE }); // down 5 minutes
    await second.advance(0);
    const [timer] = await second.ok<TimerView[]>('timer.list');
    expect(timer).toMatchObject({ id, name: 'tea', state: 'running', remainingMs: 10 * MINUTE });
    await second.advance(10 * MINUTE - 1);
    expect(second.timerDoneEvents()).toEqual([]);
    await second.advance(1);
    expect(second.timerDoneEvents()).toEqual([{ id, name: 'tea' }]);
    expect(second.notifier.calls).toEqual([
      { title: 'Timer finished', message: 'tea is done', sound: false },
    ]);
  });

  it('a countdown whose end passed while down finishes once, right after start', async () => {
    const first = await home.open();
    await first.advance(20 * MINUTE);
    const { id } = await first.ok<TimerView>('timer.start', { durationMs: 25 * MINUTE, name: 'tea' });
    await first.advance(10 * MINUTE);
    await first.close();

    const second = await home.open({ start: MONDAY_9AM + 30 * MINUTE + 2 * HOUR });
    await second.advance(0);
    expect(second.timerDoneEvents()).toEqual([{ id, name: 'tea' }]);
    expect(second.notifier.calls.map((c) => c.title).sort()).toEqual(['Rest your eyes', 'Timer finished']);
    await second.advance(HOUR - 1);
    expect(second.timerDoneEvents()).toHaveLength(1);
  });

  it('a pause survives a restart, and an expired one does not', async () => {
    const first = await home.open();
    await first.ok('pause', { durationMs: 2 * HOUR });
    await first.close();

    const during = await home.open({ start: MONDAY_9AM + HOUR });
    expect(during.service.status()).toMatchObject({ paused: true, pausedUntil: MONDAY_9AM + 2 * HOUR });
    await during.close();

    const after = await home.open({ start: MONDAY_9AM + 3 * HOUR });
    await after.advance(0);
    expect(after.service.status()).toMatchObject({ paused: false, pausedUntil: null });
  });

  it('state written by the coalesced flush (without close) is what a restart resumes from', async () => {
    const first = await home.open();
    await first.advance(HOUR); // fires at 10:00; next 11:00
    await first.flushState();
    const saved = JSON.parse(await readFile(home.paths.state, 'utf8')) as DaemonState;
    expect(saved.reminders['rest-eyes']).toEqual({
      nextDueAt: MONDAY_9AM + 2 * HOUR,
      lastFiredDueAt: MONDAY_9AM + HOUR,
    });
    const status: Status = first.service.status();
    expect(status.nextReminder?.dueAt).toBe(MONDAY_9AM + 2 * HOUR);
  });
});

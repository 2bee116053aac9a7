import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonEvent, ReminderView, Stats } from '../../shared/contract.js';
import type { HistoryEvent } from '../../shared/history-event.js';
import type { HistoryStore } from './context.js';
import { MINUTE, MONDAY_9AM, TestHome, settingsWith, type ServiceUnderTest } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (minutes: number) => ({ kind: 'every' as const, intervalMs: minutes * MINUTE });

/** A history store in memory: what the daemon's log would hold. */
function memoryHistory(kept: HistoryEvent[] = []): HistoryStore & { kept: HistoryEvent[] } {
  return {
    kept,
    append: (event) => void kept.push(event),
    read: (fromMs) => Promise.resolve(kept.filter((event) => event.at >= fromMs)),
    flush: () => Promise.resolve(),
  };
}

const historyOf = (sut: ServiceUnderTest) =>
  sut.events
    .filter((e): e is Extract<DaemonEvent, { event: 'history' }> => e.event === 'history')
    .map((e) => e.data);

describe('break history', () => {
  it('records shown, snoozed, skipped and taken where they happen', async () => {
    await home.writeSettings(settingsWith([{ id: 'rest-eyes', schedule: every(20) }]));
    const history = memoryHistory();
    const sut = await home.open({ history });
    await sut.advance(20 * MINUTE);
    await sut.ok('reminder.snooze', { id: 'rest-eyes' });
    await sut.ok('reminder.skip', { id: 'rest-eyes' });
    await sut.ok('rest-now');
    expect(history.kept.map((e) => [e.kind, e.reminderId])).toEqual([
      ['shown', 'rest-eyes'],
      ['snoozed', 'rest-eyes'],
      ['skipped', 'rest-eyes'],
      ['taken', 'rest-eyes'],
    ]);
    expect(history.kept[0]).toMatchObject({ at: MONDAY_9AM + 20 * MINUTE, name: 'Rest your eyes' });
    expect(history.kept[3]).toMatchObject({ reason: 'button' });
    expect(historyOf(sut)).toEqual(history.kept); // the hosts see them too

    const stats = await sut.ok<Stats>('stats', { range: 'day' });
    expect(stats.totals).toMatchObject({ due: 1, taken: 1, skipped: 1, snoozed: 1 });
  });

  it('records the occurrences missed while away with their count', async () => {
    await home.writeSettings(settingsWith([{ id: 'water', schedule: every(1) }]));
    const history = memoryHistory();
    const sut = await home.open({ history });
    await sut.advance(30 * 1_000);
    sut.clock.suspend(8 * 60 * MINUTE);
    await sut.ok('host-event', { event: 'resume' });
    await sut.advance(0);
    expect(history.kept).toEqual([
      expect.objectContaining({ kind: 'shown', reminderId: 'water' }),
      expect.objectContaining({ kind: 'missed', reminderId: 'water', count: 480 }),
    ]);
  });

  it('Start break of one reminder records the break for that reminder only', async () => {
    await home.writeSettings(
      settingsWith([
        { id: 'rest-eyes', schedule: every(60) },
        { id: 'stretch', name: 'Stretch', schedule: every(50), break: true },
      ]),
    );
    const history = memoryHistory();
    const sut = await home.open({ history });
    await sut.ok('rest-now', { id: 'stretch' });
    expect(history.kept).toEqual([
      expect.objectContaining({ reminderId: 'stretch', kind: 'taken', reason: 'button' }),
    ]);
  });
});

describe('daily limits', () => {
  it('refuses a skip past maxSkipsPerDay with a conflict naming the limit', async () => {
    await home.writeSettings(settingsWith([{ id: 'rest-eyes', schedule: every(20), maxSkipsPerDay: 2 }]));
    const sut = await home.open();
    expect(await sut.ok('reminder.skip', { id: 'rest-eyes' })).toEqual({
      id: 'rest-eyes',
      skipped: true,
      skipsLeftToday: 1,
    });
    await sut.ok('reminder.skip', { id: 'rest-eyes' });
    const refused = await sut.request('reminder.skip', { id: 'rest-eyes' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        key: 'error.reminder.skipLimit',
        message: 'reminder "rest-eyes" was already skipped 2 times today (its maxSkipsPerDay)',
      },
    });
  });

  it('refuses a snooze past maxSnoozesPerDay; the next local day allows it again', async () => {
    await home.writeSettings(settingsWith([{ id: 'rest-eyes', schedule: every(20), maxSnoozesPerDay: 1 }]));
    const sut = await home.open();
    await sut.ok('reminder.snooze', { id: 'rest-eyes' });
    const refused = await sut.request('reminder.snooze', { id: 'rest-eyes' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', key: 'error.reminder.snoozeLimit' },
    });
    const [view] = await sut.ok<ReminderView[]>('reminder.list');
    expect(view?.leftToday).toEqual({ snoozes: 0, skips: null });
    sut.clock.jumpWall(24 * 60 * MINUTE);
    await sut.advance(1_000);
    expect((await sut.request('reminder.snooze', { id: 'rest-eyes' })).ok).toBe(true);
  });

  it('a restarted daemon keeps counting the day from the history', async () => {
    await home.writeSettings(settingsWith([{ id: 'rest-eyes', schedule: every(20), maxSkipsPerDay: 1 }]));
    const history = memoryHistory();
    const first = await home.open({ history });
    await first.ok('reminder.skip', { id: 'rest-eyes' });
    await first.close();
    const second = await home.open({ history });
    expect((await second.request('reminder.skip', { id: 'rest-eyes' })).ok).toBe(false);
  });

  it('rejects a limit out of range naming the field', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.add', {
      reminder: { id: 'water', schedule: every(30), maxSnoozesPerDay: 101 },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'params.reminder.maxSnoozesPerDay' },
    });
  });
});

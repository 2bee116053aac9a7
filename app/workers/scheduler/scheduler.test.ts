import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { ValidationError } from '../../shared/errors.js';
import { Scheduler, StableQueue, type FireEvent } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2026, 0, 5, 9, 0, 0); // a Monday

function setup(start = START) {
  const clock = new VirtualClock(start);
  const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
  const fired: FireEvent<string>[] = [];
  scheduler.on('fire', (event) => fired.push(event));
  return { clock, scheduler, fired };
}

describe('firing order', () => {
  it('fires due tasks by due time, then priority, then first-come', () => {
    const { clock, scheduler, fired } = setup();
    const at = (ms: number) => ({ kind: 'once' as const, at: START + ms });
    scheduler.add({ id: 'late-urgent', name: 'late urgent', priority: 1, schedule: at(2_000) });
    scheduler.add({ id: 'b', name: 'b', priority: 5, schedule: at(1_000) });
    scheduler.add({ id: 'a', name: 'a', priority: 2, schedule: at(1_000) });
    scheduler.add({ id: 'c', name: 'c', priority: 5, schedule: at(1_000) });
    clock.advance(5_000);
    expect(fired.map((e) => e.id)).toEqual(['a', 'b', 'c', 'late-urgent']);
  });

  it('fires 200 tasks due at the same instant in priority then insertion order, at that instant', () => {
    const { clock, scheduler, fired } = setup();
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      scheduler.add({
        id: `t${i}`,
        name: `t${i}`,
        priority: 1 + (i % 4) * 0.5,
        schedule: { kind: 'once', at: START + 10 * MIN },
      });
    }
    for (const p of [1, 1.5, 2, 2.5])
      for (let i = 0; i < 200; i++) if (1 + (i % 4) * 0.5 === p) expected.push(`t${i}`);
    clock.advance(10 * MIN);
    expect(fired.map((e) => e.id)).toEqual(expected);
    expect(new Set(fired.map((e) => e.firedAt))).toEqual(new Set([START + 10 * MIN]));
  });

  it('keeps exactly one armed timer for 100,000 tasks and fires the earliest first', () => {
    const { clock, scheduler, fired } = setup();
    for (let i = 0; i < 100_000; i++) {
      scheduler.add({
        id: `t${i}`,
        name: 'bulk',
        priority: 1 + (i % 20),
        schedule: { kind: 'once', at: START + HOUR + ((i * 7919) % 100_000) * 10 },
      });
    }
    expect(clock.pendingTimers).toBe(1);
    expect(scheduler.size).toBe(100_000);
    clock.advance(HOUR);
    expect(fired.map((e) => e.id)).toEqual(['t0']);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1_000_000);
    expect(fired).toHaveLength(100_000);
    expect(clock.pendingTimers).toBe(0);
    for (let i = 1; i < fired.length; i++)
      expect(fired[i]!.dueAt).toBeGreaterThanOrEqual(fired[i - 1]!.dueAt);
  });

  it('a one-shot added after its instant (or at it) fires at once instead of never, and is kept as fired', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'past', name: 'past', priority: 5, schedule: { kind: 'once', at: START - 5_000 } });
    scheduler.add({ id: 'now', name: 'now', priority: 5, schedule: { kind: 'once', at: START } });
    expect(scheduler.nextDueAt()).toBe(START - 5_000);
    clock.advance(0);
    expect(fired.map((e) => [e.id, e.firedAt - e.dueAt])).toEqual([
      ['past', 5_000],
      ['now', 0],
    ]);
    expect(scheduler.nextDueAt()).toBeNull();
    expect(scheduler.progress()).toEqual({
      past: { nextDueAt: null, lastFiredDueAt: START - 5_000 },
      now: { nextDueAt: null, lastFiredDueAt: START },
    });
  });

  it('never hands the clock a delay over 30 s, and never fires before the due instant', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({
      id: 'far',
      name: 'far',
      priority: 5,
      schedule: { kind: 'once', at: START + 40 * 86_400_000 },
    });
    expect(clock.nextTimerDelay()).toBe(30_000);
    clock.advance(40 * 86_400_000 - 1);
    expect(fired).toHaveLength(0);
    clock.advance(1);
    expect(fired.map((e) => e.firedAt)).toEqual([START + 40 * 86_400_000]);
  });
});

describe('recurring schedules', () => {
  it('every 60m is anchored: the n-th firing is at anchor + n·interval even when a firing ran late', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({
      id: 'eyes',
      name: 'rest eyes',
      priority: 5,
      schedule: { kind: 'every', intervalMs: HOUR },
    });
    clock.advance(3 * HOUR);
    expect(fired.map((e) => e.dueAt)).toEqual([START + HOUR, START + 2 * HOUR, START + 3 * HOUR]);
    expect(fired.every((e) => e.firedAt === e.dueAt && e.missed === 0)).toBe(true);
  });

  it('daily 09:30 in a zone fires at the local time each day', () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 0, 0));
    const scheduler = new Scheduler({ clock });
    const fired: number[] = [];
    scheduler.on('fire', (e) => fired.push(e.dueAt));
    scheduler.add({
      id: 'd',
      name: 'd',
      priority: 3,
      schedule: { kind: 'daily', time: '09:30', timeZone: 'Asia/Shanghai' },
    });
    clock.advance(3 * 86_400_000);
    expect(fired.map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-05T01:30:00.000Z',
      '2026-01-06T01:30:00.000Z',
      '2026-01-07T01:30:00.000Z',
    ]);
  });

  it('fires a daily 02:30 at 03:00 on the spring-forward day (Europe/Berlin)', () => {
    const clock = new VirtualClock(Date.UTC(2026, 2, 28, 12, 0));
    const scheduler = new Scheduler({ clock, timeZone: 'Europe/Berlin' });
    const fired: string[] = [];
    scheduler.on('fire', (e) => fired.push(new Date(e.firedAt).toISOString()));
    scheduler.add({ id: 'd', name: 'd', priority: 3, schedule: { kind: 'daily', time: '02:30' } });
    clock.advance(2 * 86_400_000);
    // 2026-03-29 02:30 does not exist in Berlin: fires when the gap ends, 03:00 CEST = 01:00Z.
    expect(fired).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('fires a daily 02:30 once on the fall-back day, at its first occurrence (America/New_York 01:30)', () => {
    const clock = new VirtualClock(Date.UTC(2026, 9, 31, 12, 0));
    const scheduler = new Scheduler({ clock, timeZone: 'America/New_York' });
    const fired: string[] = [];
    scheduler.on('fire', (e) => fired.push(new Date(e.firedAt).toISOString()));
    scheduler.add({ id: 'd', name: 'd', priority: 3, schedule: { kind: 'daily', time: '01:30' } });
    clock.advance(2 * 86_400_000);
    // 01:30 happens twice on 2026-11-01: first at EDT (05:30Z), then EST (06:30Z) — fire only the first.
    expect(fired).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
});

describe('control', () => {
  it('disable parks a task and enable brings it back from now, without catching up', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'r', name: 'r', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    scheduler.disable('r');
    expect(scheduler.get('r')?.nextDueAt).toBeNull();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(5 * HOUR);
    expect(fired).toHaveLength(0);
    scheduler.enable('r');
    expect(scheduler.get('r')?.nextDueAt).toBe(START + 6 * HOUR);
    clock.advance(HOUR);
    expect(fired.map((e) => e.missed)).toEqual([0]);
  });

  it('snooze postpones one occurrence and leaves the rest of the schedule alone', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'r', name: 'r', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    clock.advance(HOUR - MIN);
    scheduler.snooze('r', 10 * MIN);
    expect(scheduler.get('r')).toMatchObject({ nextDueAt: START + HOUR + 9 * MIN, snoozed: true });
    clock.advance(MIN);
    expect(fired).toHaveLength(0);
    clock.advance(9 * MIN);
    expect(fired.map((e) => [e.dueAt, e.missed])).toEqual([[START + HOUR + 9 * MIN, 0]]);
    clock.advance(HOUR);
    expect(fired.map((e) => e.dueAt)).toEqual([START + HOUR + 9 * MIN, START + 2 * HOUR]);
  });

  it('snooze is "not before now + delay": it never brings the pending occurrence earlier', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'r', name: 'r', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    clock.advance(HOUR + 30_000);
    // Right after a firing the next one (in ~1 h) is later than 5 minutes from now: it stays.
    expect(scheduler.snooze('r', 5 * MIN)).toMatchObject({ nextDueAt: START + 2 * HOUR, snoozed: false });
    clock.advance(HOUR - 30_000 - 2 * MIN); // 10:58: the 11:00 one is put off to 11:08
    expect(scheduler.snooze('r', 10 * MIN)).toMatchObject({
      nextDueAt: START + 2 * HOUR + 8 * MIN,
      snoozed: true,
    });
    clock.advance(2 * HOUR);
    expect(fired.map((e) => e.firedAt - START)).toEqual([HOUR, 2 * HOUR + 8 * MIN, 3 * HOUR]);
  });

  it('pause until an instant silences everything, then skips recurring occurrences that fell inside it', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'r', name: 'r', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    scheduler.add({
      id: 'once',
      name: 'once',
      priority: 5,
      schedule: { kind: 'once', at: START + 90 * MIN },
    });
    scheduler.pause(START + 2 * HOUR + 30 * MIN);
    expect(scheduler.paused).toBe(true);
    clock.advance(2 * HOUR + 30 * MIN - 1);
    expect(fired).toHaveLength(0);
    clock.advance(1);
    expect(scheduler.paused).toBe(false);
    expect(fired.map((e) => e.id)).toEqual(['once']);
    clock.advance(30 * MIN);
    expect(fired.map((e) => [e.id, e.dueAt])).toEqual([
      ['once', START + 90 * MIN],
      ['r', START + 3 * HOUR],
    ]);
  });

  it('re-prioritising reorders same-instant tasks but keeps first-come among equals', () => {
    const { clock, scheduler, fired } = setup();
    for (const id of ['a', 'b', 'c', 'd']) {
      scheduler.add({ id, name: id, priority: 10, schedule: { kind: 'once', at: START + MIN } });
    }
    scheduler.setPriority('c', 2);
    scheduler.setPriority('a', 12);
    scheduler.setPriority('a', 10);
    clock.advance(MIN);
    expect(fired.map((e) => e.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('upcoming() lists pending tasks in the exact order they will fire', () => {
    const { scheduler } = setup();
    scheduler.add({ id: 'x', name: 'x', priority: 7, schedule: { kind: 'once', at: START + 2 * MIN } });
    scheduler.add({ id: 'y', name: 'y', priority: 9, schedule: { kind: 'once', at: START + MIN } });
    scheduler.add({ id: 'z', name: 'z', priority: 3, schedule: { kind: 'once', at: START + 2 * MIN } });
    expect(scheduler.upcoming().map((t) => t.id)).toEqual(['y', 'z', 'x']);
    expect(scheduler.upcoming(2).map((t) => t.id)).toEqual(['y', 'z']);
  });

  it('upcoming(k) over 10,000 tasks is the sorted prefix, without sorting the whole queue', () => {
    const { scheduler } = setup();
    for (let i = 0; i < 10_000; i++) {
      const schedule = { kind: 'every' as const, intervalMs: (10 + (i % 37)) * MIN };
      scheduler.add({ id: `t${i}`, name: `t${i}`, priority: 1 + (i % 20), schedule });
    }
    const expected = scheduler.list().slice(0, 10);
    const sortAll = vi.spyOn(StableQueue.prototype, 'toSortedArray');
    try {
      expect(scheduler.upcoming(10)).toEqual(expected);
      expect(sortAll).not.toHaveBeenCalled();
    } finally {
      sortAll.mockRestore();
    }
  });

  it('announces changes so hosts never poll', () => {
    const { clock, scheduler } = setup();
    let changes = 0;
    scheduler.on('change', () => changes++);
    scheduler.add({ id: 'x', name: 'x', priority: 7, schedule: { kind: 'once', at: START + MIN } });
    scheduler.pause();
    scheduler.resume();
    clock.advance(MIN);
    expect(changes).toBeGreaterThanOrEqual(4);
  });
});

describe('bad input', () => {
  const good = { id: 'ok', name: 'ok', priority: 5, schedule: { kind: 'every' as const, intervalMs: HOUR } };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['priority above 20', { priority: 21 }, /^priority: must be from 1 to 20 \(got 21\)$/],
    ['priority below 1', { priority: 0.5 }, /^priority: must be from 1 to 20/],
    ['priority NaN', { priority: Number.NaN }, /^priority: must be a finite number from 1 to 20/],
    ['priority Infinity', { priority: Infinity }, /^priority: must be a finite number/],
    ['interval under 1 s', { schedule: { kind: 'every', intervalMs: 500 } }, /^schedule\.intervalMs: .*1/],
    [
      'interval over a year',
      { schedule: { kind: 'every', intervalMs: 400 * 86_400_000 } },
      /^schedule\.intervalMs: /,
    ],
    ['bad cron', { schedule: { kind: 'cron', expression: '99 * * * *' } }, /^schedule\.expression: /],
    ['bad time', { schedule: { kind: 'daily', time: '24:61' } }, /^schedule\.time: /],
    [
      'unknown zone',
      { schedule: { kind: 'daily', time: '09:00', timeZone: 'Mars/Olympus' } },
      /^schedule\.timeZone: /,
    ],
    ['empty name', { name: '' }, /^name: /],
  ];
  it.each(cases)(
    'rejects %s with the field and range, leaving the scheduler unchanged',
    (_label, patch, message) => {
      const { scheduler, clock } = setup();
      scheduler.add({ ...good, id: 'existing' });
      const before = scheduler.list();
      const timers = clock.pendingTimers;
      let error: unknown;
      try {
        scheduler.add({ ...good, ...patch } as typeof good);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
      expect(scheduler.list()).toEqual(before);
      expect(clock.pendingTimers).toBe(timers);
    },
  );

  it('rejects a duplicate id and an update to a missing task', () => {
    const { scheduler } = setup();
    scheduler.add(good);
    expect(() => scheduler.add(good)).toThrow(/^id: a task with id "ok" already exists$/);
    expect(() => scheduler.update('nope', { priority: 2 })).toThrow(/^id: no task with id "nope"$/);
  });

  it('a rejected update leaves the task as it was', () => {
    const { scheduler } = setup();
    scheduler.add(good);
    const before = scheduler.get('ok');
    expect(() => scheduler.update('ok', { name: 'renamed', priority: 99 })).toThrow(/^priority: /);
    expect(scheduler.get('ok')).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Scheduler, type FireEvent } from './index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

function setup() {
  const clock = new VirtualClock(START);
  const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
  const fired: FireEvent<string>[] = [];
  scheduler.on('fire', (event) => fired.push(event));
  return { clock, scheduler, fired };
}

describe('after a suspend', () => {
  it('an 8-hour suspend fires an hourly reminder once, reporting all 8 occurrences it missed', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'eyes', name: 'eyes', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    clock.advance(30 * MIN);
    clock.suspend(8 * HOUR); // wall 17:30, timers did not move
    clock.advance(30_000); // the capped timer fires within 30 s of waking
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ dueAt: START + HOUR, missed: 8, nextDueAt: START + 9 * HOUR });
    expect(fired[0]!.firedAt - (START + 8 * HOUR + 30 * MIN)).toBeLessThanOrEqual(30_000);
    clock.advance(HOUR);
    expect(fired.map((e) => e.dueAt)).toEqual([START + HOUR, START + 9 * HOUR]);
  });

  it('recheck() after resume fires at once, without waiting for the capped timer', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'eyes', name: 'eyes', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    clock.suspend(8 * HOUR);
    scheduler.recheck();
    expect(fired).toHaveLength(1);
    expect(fired[0]!.firedAt).toBe(START + 8 * HOUR);
    expect(fired[0]!.missed).toBe(8);
  });

  it('many tasks across a suspend: each fires once, in (due, priority, first-come) order', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({
      id: 'slow',
      name: 'slow',
      priority: 9,
      schedule: { kind: 'every', intervalMs: 2 * HOUR },
    });
    scheduler.add({
      id: 'fast',
      name: 'fast',
      priority: 9,
      schedule: { kind: 'every', intervalMs: 20 * MIN },
    });
    scheduler.add({
      id: 'urgent',
      name: 'urgent',
      priority: 1,
      schedule: { kind: 'every', intervalMs: 2 * HOUR },
    });
    clock.suspend(8 * HOUR);
    scheduler.recheck();
    expect(fired.map((e) => [e.id, e.missed])).toEqual([
      ['fast', 24],
      ['urgent', 4],
      ['slow', 4],
    ]);
  });
});

describe('clock jumps', () => {
  it('a jump forward of a day: a calendar task catches up once, an interval task keeps its spacing', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'eyes', name: 'eyes', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    scheduler.add({ id: 'lunch', name: 'lunch', priority: 5, schedule: { kind: 'daily', time: '12:00' } });
    clock.jumpWall(DAY);
    clock.advance(30_000);
    expect(fired.map((e) => [e.id, e.missed])).toEqual([
      ['lunch', 1], // one occurrence, 21 h late: late, not on time
    ]);
    expect(scheduler.get('lunch')?.nextDueAt).toBe(START + DAY + 3 * HOUR);
    expect(scheduler.get('eyes')?.nextDueAt).toBe(START + DAY + HOUR);
  });

  it('a jump back of a day never fires an occurrence twice', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'lunch', name: 'lunch', priority: 5, schedule: { kind: 'daily', time: '12:00' } });
    scheduler.add({ id: 'once', name: 'once', priority: 5, schedule: { kind: 'once', at: START + HOUR } });
    clock.advance(3 * HOUR + MIN); // lunch (12:00) and once (10:00) fired
    expect(fired.map((e) => e.id)).toEqual(['once', 'lunch']);
    clock.jumpWall(-DAY);
    clock.advance(2 * DAY); // wall walks back through the same instants, then on to the next day
    const lunches = fired.filter((e) => e.id === 'lunch').map((e) => new Date(e.dueAt).toISOString());
    expect(lunches).toEqual(['2026-01-05T12:00:00.000Z', '2026-01-06T12:00:00.000Z']);
    expect(fired.filter((e) => e.id === 'once')).toHaveLength(1);
  });

  it('an interval task keeps its spacing across a backward jump instead of going silent', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'eyes', name: 'eyes', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } });
    clock.advance(HOUR + 10 * MIN);
    clock.jumpWall(-DAY);
    clock.advance(51 * MIN);
    expect(fired).toHaveLength(2);
    // The change is measured against the elapsed clock, so the spacing holds exactly.
    expect(fired[1]!.firedAt).toBe(START + 2 * HOUR - DAY);
    expect(fired[1]!.missed).toBe(0);
  });
});

describe('restart', () => {
  it('restores progress: a pending occurrence missed while the daemon was down fires once', () => {
    const first = setup();
    first.scheduler.add({
      id: 'eyes',
      name: 'eyes',
      priority: 5,
      schedule: { kind: 'every', intervalMs: HOUR },
    });
    first.clock.advance(HOUR + 20 * MIN);
    const saved = first.scheduler.progress();
    first.scheduler.dispose();

    const clock = new VirtualClock(START + 4 * HOUR + 5 * MIN); // down for ~2h45
    const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
    const fired: FireEvent<string>[] = [];
    scheduler.on('fire', (e) => fired.push(e));
    scheduler.add(
      { id: 'eyes', name: 'eyes', priority: 5, schedule: { kind: 'every', intervalMs: HOUR } },
      saved.eyes,
    );
    scheduler.recheck();
    expect(fired.map((e) => [e.dueAt, e.missed])).toEqual([[START + 2 * HOUR, 3]]); // 11:00, 12:00, 13:00
    // The grid survives the restart: the next one is still on the hour.
    expect(scheduler.get('eyes')?.nextDueAt).toBe(START + 5 * HOUR);
  });

  it('after the clock was set back while down, a saved occurrence more than one period ahead is recomputed from now', () => {
    const clock = new VirtualClock(START - DAY); // saved at START, restarted with the clock a day back
    const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
    const savedAt = START;
    scheduler.add(
      { id: 'minutely', name: 'm', priority: 5, schedule: { kind: 'every', intervalMs: MIN } },
      { nextDueAt: START + MIN, lastFiredDueAt: START, savedAt },
    );
    scheduler.add(
      { id: 'lunch', name: 'l', priority: 5, schedule: { kind: 'daily', time: '12:00' } },
      { nextDueAt: START + 3 * HOUR, lastFiredDueAt: START + 3 * HOUR - DAY, savedAt },
    );
    scheduler.add(
      { id: 'call', name: 'c', priority: 5, schedule: { kind: 'once', at: START + HOUR } },
      { nextDueAt: START + HOUR, savedAt },
    );
    expect(scheduler.get('minutely')?.nextDueAt).toBe(START - DAY + MIN);
    expect(scheduler.get('lunch')?.nextDueAt).toBe(START + 3 * HOUR - DAY);
    expect(scheduler.get('call')?.nextDueAt).toBe(START + HOUR); // an absolute instant stays
  });

  it('without the clock set back, a saved occurrence far ahead (a long snooze) stays', () => {
    const clock = new VirtualClock(START + MIN);
    const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
    scheduler.add(
      { id: 'minutely', name: 'm', priority: 5, schedule: { kind: 'every', intervalMs: MIN } },
      { nextDueAt: START + HOUR, savedAt: START },
    );
    expect(scheduler.get('minutely')?.nextDueAt).toBe(START + HOUR);
  });

  it('a one-shot that already fired before the restart does not fire again', () => {
    const clock = new VirtualClock(START + HOUR);
    const scheduler = new Scheduler({ clock, timeZone: 'UTC' });
    const fired: unknown[] = [];
    scheduler.on('fire', (e) => fired.push(e));
    scheduler.add(
      { id: 'o', name: 'o', priority: 1, schedule: { kind: 'once', at: START + 30 * MIN } },
      { lastFiredDueAt: START + 30 * MIN, nextDueAt: null },
    );
    clock.advance(DAY);
    expect(fired).toHaveLength(0);
  });
});

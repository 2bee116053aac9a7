import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../shared/virtual-clock.js';
import { Scheduler, type FireEvent } from './index.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

function setup() {
  const clock = new VirtualClock(START);
  const scheduler = new Scheduler<string>({ clock, timeZone: 'UTC' });
  const fired: (FireEvent<string> & { elapsed: number })[] = [];
  scheduler.on('fire', (event) => fired.push({ ...event, elapsed: clock.elapsed() }));
  return { clock, scheduler, fired };
}

/** Elapsed ms between consecutive firings of one task. */
function spacing(fired: { id: string; elapsed: number }[], id: string): number[] {
  const times = fired.filter((event) => event.id === id).map((event) => event.elapsed);
  return times.slice(1).map((time, i) => time - times[i]!);
}

function every(id: string, intervalMs: number) {
  return { id, name: id, priority: 5, schedule: { kind: 'every' as const, intervalMs } };
}

describe('a wall-clock change (not a suspend)', () => {
  // The change falls at several points between two scheduler checks (they are ≤ 30 s apart).
  for (const sinceLastCheck of [5 * SEC, 17 * SEC, 29 * SEC]) {
    it(`an interval reminder keeps its exact spacing after the clock is set back (${sinceLastCheck / SEC} s after a check)`, () => {
      const { clock, scheduler, fired } = setup();
      scheduler.add(every('water', MIN));
      scheduler.add(every('eyes', 20 * MIN));
      clock.advance(20 * MIN + sinceLastCheck);
      clock.jumpWall(-HOUR);
      clock.advance(41 * MIN);
      expect(spacing(fired, 'water').every((gap) => gap === MIN)).toBe(true);
      expect(spacing(fired, 'eyes')).toEqual([20 * MIN, 20 * MIN]);
      expect(fired.filter((event) => event.id === 'water')).toHaveLength(61);
      expect(fired.every((event) => event.missed === 0)).toBe(true);
    });
  }

  it('an interval reminder keeps its exact spacing after the clock is set forward: no catch-up', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add(every('eyes', 20 * MIN));
    clock.advance(25 * MIN + 17 * SEC);
    clock.jumpWall(HOUR);
    clock.advance(40 * MIN);
    expect(spacing(fired, 'eyes')).toEqual([20 * MIN, 20 * MIN]);
    expect(fired.map((event) => event.missed)).toEqual([0, 0, 0]);
  });

  it('a clock set back and then restored gives no catch-up and no second notification shortly after', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add(every('water', MIN));
    clock.advance(MIN + 5 * SEC);
    clock.jumpWall(-2 * MIN);
    clock.advance(40 * SEC);
    clock.jumpWall(2 * MIN); // NTP puts it right again
    clock.advance(3 * MIN);
    expect(spacing(fired, 'water')).toEqual([MIN, MIN, MIN]);
    expect(fired.map((event) => event.missed)).toEqual([0, 0, 0, 0]);
  });

  it('calendar reminders stay on wall time: set back they wait for the wall instant, set forward past it they catch up once', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add({ id: 'lunch', name: 'lunch', priority: 5, schedule: { kind: 'daily', time: '12:00' } });
    scheduler.add({
      id: 'call',
      name: 'call',
      priority: 5,
      schedule: { kind: 'once', at: START + 5 * HOUR },
    });
    clock.advance(2 * HOUR + 30 * MIN); // 11:30
    clock.jumpWall(-HOUR); // 10:30
    clock.advance(HOUR + 29 * MIN); // 11:59
    expect(fired).toEqual([]);
    clock.advance(MIN);
    expect(fired.map((event) => [event.id, new Date(event.dueAt).toISOString()])).toEqual([
      ['lunch', '2026-01-05T12:00:00.000Z'],
    ]);
    clock.jumpWall(3 * HOUR); // 15:00, past the one-shot at 14:00
    clock.advance(30 * SEC);
    expect(fired.map((event) => event.id)).toEqual(['lunch', 'call']);
    expect(scheduler.get('lunch')?.nextDueAt).toBe(START + DAY + 3 * HOUR);
  });

  it('recheck() after a clock change applies it at once', () => {
    const { clock, scheduler } = setup();
    scheduler.add(every('eyes', HOUR));
    clock.advance(10 * MIN);
    clock.jumpWall(-DAY);
    scheduler.recheck();
    expect(scheduler.get('eyes')?.nextDueAt).toBe(START + HOUR - DAY);
  });

  it('a task added after the scheduler sat empty through a clock change is not shifted by it', () => {
    const { clock, scheduler, fired } = setup();
    clock.advance(10 * MIN);
    clock.jumpWall(-HOUR);
    clock.advance(10 * MIN);
    scheduler.add(every('eyes', 20 * MIN));
    clock.advance(20 * MIN - 1);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toHaveLength(1);
  });
});

describe('a suspend (wall and elapsed clocks both move)', () => {
  it('still coalesces into one catch-up firing and keeps the interval grid', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add(every('eyes', HOUR));
    clock.advance(30 * MIN);
    clock.suspend(8 * HOUR);
    clock.advance(30 * SEC);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.dueAt).toBe(START + HOUR);
    expect(fired[0]!.missed).toBeGreaterThan(0);
    expect(scheduler.get('eyes')?.nextDueAt).toBe(START + 9 * HOUR);
  });

  it('a suspend with a clock set back on waking: the change is applied, the sleep still counts', () => {
    const { clock, scheduler, fired } = setup();
    scheduler.add(every('eyes', HOUR));
    clock.advance(30 * MIN);
    clock.suspend(2 * HOUR); // slept through 10:00 and 11:00
    clock.jumpWall(-5 * MIN); // NTP corrects a fast clock on waking
    clock.advance(30 * SEC);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.dueAt).toBe(START + HOUR - 5 * MIN);
    expect(scheduler.get('eyes')?.nextDueAt).toBe(START + 3 * HOUR - 5 * MIN);
  });
});

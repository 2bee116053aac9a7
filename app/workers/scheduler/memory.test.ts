import type * as Croner from 'croner';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * A croner `Cron` holds a 10,000-entry year table (~80 KB): one per reminder made 10,000 daily or
 * cron reminders cost 1.2 GB. These count every `Cron` built while schedules are validated and compiled.
 */
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('croner', async (importOriginal) => {
  const croner = await importOriginal<typeof Croner>();
  class CountedCron extends croner.Cron {
    constructor(pattern: string | Date, options?: Croner.CronOptions) {
      super(pattern, options);
      built.count++;
    }
  }
  return { ...croner, Cron: CountedCron };
});

const { compileSchedule, validateSchedule } = await import('./schedules.js');

const pad = (value: number): string => String(value).padStart(2, '0');
const anchor = Date.UTC(2026, 5, 1);

afterEach(() => {
  built.count = 0;
});

describe('compiled calendar schedules hold no croner object of their own', () => {
  it('1,000 distinct daily schedules, with and without weekdays, build no croner object', () => {
    const compiled = Array.from({ length: 1_000 }, (_, i) =>
      compileSchedule(
        validateSchedule({
          kind: 'daily',
          time: `${pad(i % 24)}:${pad(i % 60)}`,
          ...(i % 2 === 1 && { weekdays: [i % 7, (i + 3) % 7] }),
        }),
        { anchor, defaultTimeZone: 'Europe/Berlin' },
      ),
    );
    expect(compiled.every((schedule) => schedule.nextAfter(anchor)! > anchor)).toBe(true);
    expect(built.count).toBe(0);
  });

  it('1,000 distinct plain cron expressions are validated and compiled without a croner object', () => {
    const compiled = Array.from({ length: 1_000 }, (_, i) =>
      compileSchedule(
        validateSchedule({ kind: 'cron', expression: `${i % 60} ${i % 24} ${1 + (i % 28)} * MON-FRI` }),
        { anchor, defaultTimeZone: 'America/New_York' },
      ),
    );
    expect(compiled.every((schedule) => schedule.nextAfter(anchor)! > anchor)).toBe(true);
    expect(built.count).toBe(0);
  });

  it('1,000 schedules of one croner-only expression (L, W, #) share one croner object', () => {
    const compiled = Array.from({ length: 1_000 }, () =>
      compileSchedule(validateSchedule({ kind: 'cron', expression: '0 9 L * *' }), {
        anchor,
        defaultTimeZone: 'UTC',
      }),
    );
    expect(compiled.map((schedule) => schedule.nextAfter(anchor))).toEqual(
      Array(1_000).fill(Date.UTC(2026, 5, 30, 9)),
    );
    expect(built.count).toBeLessThanOrEqual(1);
  });

  it('more distinct croner-only expressions than its cache holds each still answer by their own pattern', () => {
    // 200 distinct `L`-patterns: their croner objects come and go from a small cache.
    const compiled = Array.from({ length: 200 }, (_, i) =>
      compileSchedule(validateSchedule({ kind: 'cron', expression: `${i % 60} ${i % 24} L * *` }), {
        anchor,
        defaultTimeZone: 'UTC',
      }),
    );
    const next = compiled.map((schedule) => schedule.nextAfter(anchor));
    expect(next).toEqual(compiled.map((_, i) => Date.UTC(2026, 5, 30, i % 24, i % 60)));
  });
});

describe('a scheduler of 10,000 tasks holds no copy of what its caller already holds', () => {
  it("a task keeps the caller's clean schedule object itself, not a copy", async () => {
    const { Scheduler } = await import('./scheduler.js');
    const scheduler = new Scheduler({ timeZone: 'UTC' });
    const schedule = {
      kind: 'daily' as const,
      time: '09:30',
      weekdays: [1, 5] as (0 | 1 | 2 | 3 | 4 | 5 | 6)[],
    };
    scheduler.add({ id: 'a', name: 'A', priority: 5, schedule });
    expect(scheduler.get('a')!.schedule).toBe(schedule);
    scheduler.dispose();
  });

  it('a schedule with a field the scheduler does not know is copied without it', async () => {
    const { Scheduler } = await import('./scheduler.js');
    const scheduler = new Scheduler({ timeZone: 'UTC' });
    const schedule = { kind: 'every' as const, intervalMs: 60_000, colour: 'red' };
    scheduler.add({ id: 'a', name: 'A', priority: 5, schedule });
    expect(scheduler.get('a')!.schedule).toEqual({ kind: 'every', intervalMs: 60_000 });
    expect(scheduler.get('a')!.schedule).not.toBe(schedule);
    scheduler.dispose();
  });
});

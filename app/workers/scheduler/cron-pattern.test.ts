import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CronMatcher, cronMatcher, dailyMatcher } from './cron-pattern.js';

/** croner itself, on a clock without DST, as schedules.ts used it for every schedule. */
function cronerNext(expression: string, localMs: number): number | null {
  const cron = new Cron(expression, { utcOffset: 0, mode: '5-or-6-parts', paused: true });
  return cron.nextRun(new Date(localMs))?.getTime() ?? null;
}

/** The next `count` matches after `from`, by a matcher. */
function walk(next: (local: number) => number | null, from: number, count: number): (number | null)[] {
  const out: (number | null)[] = [];
  let cursor: number | null = from;
  for (let i = 0; i < count && cursor !== null; i++) out.push((cursor = next(cursor)));
  return out;
}

const instantArb = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2150, 0, 1) });

/** One plain-syntax field part: `*`, `*\/s`, `a`, `a-b`, `a-b/s`, with names where the field has them. */
function partArb(
  min: number,
  max: number,
  names: readonly string[] = [],
  span = max - min + 1,
): fc.Arbitrary<string> {
  const value =
    names.length > 0
      ? fc.oneof(fc.integer({ min, max }), fc.constantFrom(...names))
      : fc.integer({ min, max });
  const number = (v: number | string) => (typeof v === 'string' ? names.indexOf(v) + min : v);
  const range = fc
    .tuple(value, value)
    .filter(([a, b]) => number(a) <= number(b))
    .map(([a, b]) => `${a}-${b}`);
  const step = fc.integer({ min: 1, max: span });
  return fc.oneof(
    fc.constant('*'),
    step.map((s) => `*/${s}`),
    value.map(String),
    range,
    fc.tuple(range, step).map(([r, s]) => `${r}/${s}`),
  );
}

// croner caps a day-of-week step at 7 (its 7 is an alias of Sunday).
const fieldArb = (min: number, max: number, names?: readonly string[]) =>
  fc
    .array(partArb(min, max, names, Math.min(max - min + 1, max === 7 ? 7 : 60)), {
      minLength: 1,
      maxLength: 3,
    })
    .map((parts) => parts.join(','));

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['SUN', 'Mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const plainCronArb = fc
  .tuple(
    fc.option(fieldArb(0, 59), { nil: undefined }),
    fieldArb(0, 59),
    fieldArb(0, 23),
    fc.oneof(fc.constant('*'), fieldArb(1, 31)),
    fc.oneof(fc.constant('*'), fieldArb(1, 12, MONTHS)),
    fc.oneof(fc.constant('*'), fieldArb(0, 7), fieldArb(0, 6, DAYS)),
  )
  .map(([second, ...rest]) => [...(second === undefined ? [] : [second]), ...rest].join(' '));

describe('plain cron syntax matches exactly as croner does', () => {
  it('agrees with croner on the next five matches of random patterns', () => {
    fc.assert(
      fc.property(plainCronArb, instantArb, (expression, from) => {
        const matcher = CronMatcher.parse(expression);
        expect(matcher, expression).not.toBeNull();
        const cron = new Cron(expression, { utcOffset: 0, mode: '5-or-6-parts', paused: true });
        const croner = (local: number) => cron.nextRun(new Date(local))?.getTime() ?? null;
        expect(
          walk((local) => matcher!.nextLocalAfter(local), from, 5),
          expression,
        ).toEqual(walk(croner, from, 5));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a leap day, across the skipped 2100', '0 0 29 2 *', Date.UTC(2097, 2, 1)],
    ['the 31st, skipping months without one', '0 12 31 * *', Date.UTC(2026, 1, 1, 13)],
    ["the 13th or a Friday (croner's rule)", '0 9 13 * 5', Date.UTC(2026, 0, 1)],
    ['7 as Sunday', '30 8 * * 7', Date.UTC(2026, 0, 1)],
    ['a seconds field, from a fraction of a second', '*/20 * * * * *', Date.UTC(2026, 0, 1, 0, 0, 0, 500)],
    ['the @weekly nickname', '@weekly', Date.UTC(2026, 4, 5)],
    [
      'a nickname in any case (@Hourly), a second before the hour',
      '@Hourly',
      Date.UTC(2026, 4, 5, 10, 59, 59),
    ],
    ['month and day names in ranges, from outside the months', '0 9 * JAN-MAR MON-SUN', Date.UTC(2026, 3, 1)],
  ])('agrees with croner on %s (%s)', (_case, expression, from) => {
    expect(walk((local) => cronMatcher(expression).nextLocalAfter(local), from, 6)).toEqual(
      walk((local) => cronerNext(expression, local), from, 6),
    );
  });

  it.each(['0 9 L * *', '0 9 15W * *', '0 9 * * 5#2', '0 9 * * 5L', '0 9 ? * MON', '0 9 1 * +MON'])(
    'leaves %s to croner, with the same answers',
    (expression) => {
      expect(CronMatcher.parse(expression)).toBeNull();
      const from = Date.UTC(2026, 0, 1);
      expect(walk((local) => cronMatcher(expression).nextLocalAfter(local), from, 6)).toEqual(
        walk((local) => cronerNext(expression, local), from, 6),
      );
    },
  );

  it.each([
    '60 * * * *',
    '* 24 * * *',
    '0 0 0 * *',
    '0 0 * 13 *',
    '0 0 * * 8',
    '5/15 * * * *',
    '*/0 * * * *',
    '3-1 * * * *',
    '*/61 * * * *',
    '0 0 * * * * *',
  ])('leaves %s to croner, which refuses it', (expression) => {
    expect(CronMatcher.parse(expression)).toBeNull();
    expect(() => cronMatcher(expression)).toThrow();
  });

  it('finds nothing for a date that never comes (30 February)', () => {
    expect(cronMatcher('0 0 30 2 *').nextLocalAfter(0)).toBeNull();
  });
});

describe('daily matches as its croner pattern did', () => {
  const timeArb = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const weekdaysArb = fc.option(
    fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    {
      nil: undefined,
    },
  );

  it('agrees with `0 MM HH * * days` on the next five matches', () => {
    fc.assert(
      fc.property(timeArb, weekdaysArb, instantArb, (time, weekdays, from) => {
        const [hour, minute] = time.split(':').map(Number);
        const days = weekdays ? [...weekdays].sort((a, b) => a - b).join(',') : '*';
        const pattern = `0 ${minute} ${hour} * * ${days}`;
        const daily = dailyMatcher(time, weekdays);
        expect(walk((local) => daily.nextLocalAfter(local), from, 5)).toEqual(
          walk((local) => cronerNext(pattern, local), from, 5),
        );
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseReminder } from './reminder-fast-parse.js';
import { reminderSchema, safeParseSettings, settingsSchema } from './settings.js';

// Values near every bound the schema states, plus wrong types: the fast path must agree with zod on all.
const anyValue = fc.constantFrom<unknown>(
  undefined,
  null,
  true,
  'x',
  '',
  -0,
  0,
  -1,
  0.5,
  1,
  3,
  7,
  20,
  21,
  240,
  241,
  999,
  1_000,
  60_000,
  366 * 86_400_000,
  366 * 86_400_000 + 1,
  Date.UTC(2200, 0, 1),
  Date.UTC(2200, 0, 1) + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  [],
  [1, 2],
  {},
);
const MAX_INSTANT = Date.UTC(2200, 0, 1);
const MAX_INTERVAL = 366 * 86_400_000;

// A valid reminder, every value drawn up to its bounds (inclusive)…
const validText = (max: number) => fc.constantFrom('Water', 'a', 'x'.repeat(max), 'two\nlines', '水');
const validSchedule = fc.oneof(
  fc.record(
    { kind: fc.constant('once'), at: fc.integer({ min: 0, max: MAX_INSTANT }) },
    { noNullPrototype: true },
  ),
  fc.record(
    {
      kind: fc.constant('every'),
      intervalMs: fc.integer({ min: 1_000, max: MAX_INTERVAL }),
      anchor: fc.integer({ min: 0, max: MAX_INSTANT }),
    },
    { requiredKeys: ['kind', 'intervalMs'], noNullPrototype: true },
  ),
  fc.record(
    {
      kind: fc.constant('daily'),
      time: fc.constantFrom('00:00', '09:30', '19:59', '23:59'),
      weekdays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      timeZone: fc.constantFrom('Europe/Berlin', 'x'.repeat(64)),
    },
    { requiredKeys: ['kind', 'time'], noNullPrototype: true },
  ),
  fc.record(
    {
      kind: fc.constant('cron'),
      expression: fc.constantFrom('0 9 * * 1-5', '*/5 * * * *', 'x'.repeat(200)),
      timeZone: fc.constant('Asia/Shanghai'),
    },
    { requiredKeys: ['kind', 'expression'], noNullPrototype: true },
  ),
);
const validReminder = fc.record(
  {
    id: fc.constantFrom('r1', 'rest-eyes', 'a_b-c', 'x'.repeat(64)),
    name: validText(100).filter((name) => !name.includes('\n')),
    message: validText(500),
    schedule: validSchedule,
    priority: fc.oneof(fc.double({ min: 1, max: 20, noNaN: true }), fc.constantFrom(1, 20)),
    enabled: fc.boolean(),
    snoozeMinutes: fc.constantFrom(1, 5, 240),
    sound: fc.boolean(),
    break: fc.boolean(),
    breakMinutes: fc.constantFrom(1, 5, 120),
  },
  { requiredKeys: ['id', 'schedule'], noNullPrototype: true },
);

// …then, often, one field set to a value just out of range, of the wrong type, or unknown to the schema.
const BAD_VALUES: readonly unknown[] = [
  'x'.repeat(101),
  'x'.repeat(501),
  'x'.repeat(201),
  'x'.repeat(65),
  'esc\u001b[2J',
  'cr\r',
  'bidi\u202e',
  'Bad',
  '-x',
  '24:00',
  '9:00',
  '',
  [7],
  [1, 1],
  [0, 1, 2, 3, 4, 5, 6, 0],
  0.99,
  20.01,
  2.5,
  999,
  MAX_INTERVAL + 1,
  -1,
  121,
];
const badValue = fc.oneof(anyValue, fc.constantFrom(...BAD_VALUES));
const FIELDS = [
  'id',
  'name',
  'message',
  'schedule',
  'priority',
  'enabled',
  'snoozeMinutes',
  'sound',
  'break',
  'breakMinutes',
];
const SCHEDULE_FIELDS = [
  'kind',
  'at',
  'intervalMs',
  'anchor',
  'time',
  'weekdays',
  'timeZone',
  'expression',
  'extra',
];
const reminder = fc
  .tuple(
    validReminder,
    fc.option(
      fc.oneof(
        fc.tuple(fc.constantFrom(...FIELDS, 'colour', 'workingHours'), badValue),
        fc.tuple(fc.constantFrom(...SCHEDULE_FIELDS.map((field) => `schedule.${field}`)), badValue),
      ),
      { nil: undefined },
    ),
  )
  .map(([valid, change]) => {
    const out: Record<string, unknown> = { ...valid, schedule: { ...valid.schedule } };
    if (change === undefined) return out;
    const [field, value] = change;
    if (field.startsWith('schedule.')) (out.schedule as Record<string, unknown>)[field.slice(9)] = value;
    else out[field] = value;
    return out;
  });

/** Equal as zod would give it: the same success, the same value, the same field order (the file's bytes). */
function expectSameAsZod(
  fast: ReturnType<typeof safeParseSettings>,
  zod: ReturnType<typeof safeParseSettings>,
) {
  expect(fast.success).toBe(zod.success);
  if (fast.success && zod.success) {
    expect(fast.data).toEqual(zod.data);
    expect(JSON.stringify(fast.data)).toBe(JSON.stringify(zod.data));
  } else if (!fast.success && !zod.success) {
    expect(fast.error.issues[0]).toEqual(zod.error.issues[0]);
  }
}

describe('settings parsed by the fast path are exactly what zod gives', () => {
  it('generated reminders, valid or not, parse to the same result and field order as zod', () => {
    let accepted = 0;
    let fastAccepted = 0;
    fc.assert(
      fc.property(fc.array(reminder, { maxLength: 3 }), fc.boolean(), (reminders, sound) => {
        const doc = { sound, reminders };
        const zod = settingsSchema.safeParse(doc);
        if (zod.success) accepted++;
        expectSameAsZod(safeParseSettings(doc), zod);
        for (const one of reminders) {
          const fast = fastParseReminder(one);
          if (fast === undefined) continue;
          fastAccepted++;
          expect(JSON.stringify(fast)).toBe(JSON.stringify(reminderSchema.parse(one)));
        }
      }),
      { numRuns: 3_000, seed: 20240601 },
    );
    // Enough valid documents that the fast path's output, not only its refusals, is compared.
    expect(accepted).toBeGreaterThan(300);
    expect(fastAccepted).toBeGreaterThan(300);
  });

  it('every one-field change of a valid reminder to a bad value is refused exactly when zod refuses it', () => {
    const bases = [
      { id: 'a', name: 'x'.repeat(100), schedule: { kind: 'once', at: MAX_INSTANT }, priority: 20 },
      { id: 'b', schedule: { kind: 'every', intervalMs: MAX_INTERVAL, anchor: 0 }, snoozeMinutes: 240 },
      {
        id: 'c',
        message: 'x'.repeat(500),
        schedule: { kind: 'daily', time: '23:59', weekdays: [0, 1, 2, 3, 4, 5, 6] },
      },
      {
        id: 'd',
        schedule: { kind: 'cron', expression: 'x'.repeat(200), timeZone: 'x'.repeat(64) },
        priority: 1,
      },
    ];
    const everyBadValue = [...BAD_VALUES, ...fc.sample(anyValue, { numRuns: 200, seed: 1 })];
    for (const base of bases) {
      for (const field of [...FIELDS, ...SCHEDULE_FIELDS.map((name) => `schedule.${name}`)]) {
        for (const value of everyBadValue) {
          const changed: Record<string, unknown> = { ...base, schedule: { ...base.schedule } };
          if (field.startsWith('schedule.'))
            (changed.schedule as Record<string, unknown>)[field.slice(9)] = value;
          else changed[field] = value;
          const zod = reminderSchema.safeParse(changed);
          const fast = fastParseReminder(changed);
          if (fast !== undefined)
            expect([field, value, JSON.stringify(fast)]).toEqual([field, value, JSON.stringify(zod.data)]);
        }
      }
    }
  });

  it('reminders of the common shape take the fast path (so the speed-up is real)', () => {
    const common = [
      { id: 'a', schedule: { kind: 'every', intervalMs: 600_000 }, priority: 3 },
      {
        id: 'b',
        name: 'Water',
        message: 'Drink\nwater',
        schedule: { kind: 'daily', time: '09:30', weekdays: [1, 5] },
      },
      {
        id: 'c',
        schedule: { kind: 'cron', expression: '0 9 * * 1-5', timeZone: 'Europe/Berlin' },
        sound: true,
      },
      { id: 'd', schedule: { kind: 'once', at: Date.UTC(2030, 0, 1) }, enabled: false, snoozeMinutes: 10 },
    ];
    for (const one of common) expect(fastParseReminder(one)).toEqual(reminderSchema.parse(one));
  });

  it('duplicate ids, too many reminders and a bad document field are refused with zod’s words', () => {
    const twice = {
      reminders: [1, 2].map(() => ({ id: 'same', schedule: { kind: 'every', intervalMs: 60_000 } })),
    };
    expectSameAsZod(safeParseSettings(twice), settingsSchema.safeParse(twice));
    const badField = {
      niceness: 99,
      reminders: [{ id: 'a', schedule: { kind: 'every', intervalMs: 60_000 } }],
    };
    expectSameAsZod(safeParseSettings(badField), settingsSchema.safeParse(badField));
    const tooMany = {
      reminders: Array.from({ length: 10_001 }, (_, i) => ({
        id: `r${i}`,
        schedule: { kind: 'every', intervalMs: 60_000 },
      })),
    };
    expectSameAsZod(safeParseSettings(tooMany), settingsSchema.safeParse(tooMany));
  });
});

/**
 * Benchmark 3: how late (or early) 200 timers due 10–2000 ms ahead fire: ours (Scheduler on the real
 * clock: one armed timer, delays from Date.now()) against one raw setTimeout per timer.
 */
import { Scheduler } from '../../app/workers/scheduler/index.js';
import { wallClockMs } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import { percentile } from '../harness/stats.js';
import type { Subject, SubjectResult, Suite } from '../harness/suite.js';

const COUNT = 200;
const MIN_DELAY_MS = 10;
const MAX_DELAY_MS = 2_000;
/** A timer that has not fired this long after the last was due is counted as lost. */
const GIVE_UP_AFTER_MS = 1_000;

/** One timer: when it was due and when its callback ran, both on the wall clock in fractional ms. */
export interface Firing {
  readonly dueAt: number;
  readonly firedAt: number;
}

/**
 * Arms one timer per delay (ms from now); resolves with the firings by index once all have fired, or
 * after `giveUpMs` with the timers that never fired left undefined (and cancelled).
 */
export type ArmTimers = (delaysMs: readonly number[], giveUpMs: number) => Promise<(Firing | undefined)[]>;

/**
 * Ours: one Scheduler on the system clock, one `once` task per timer at `Date.now() + delay`. It fires
 * a task when `Date.now() >= at`; the handler notes the precise wall clock.
 */
export const armScheduler: ArmTimers = (delaysMs, giveUpMs) =>
  new Promise((resolve) => {
    const scheduler = new Scheduler<number>();
    const firings = new Array<Firing | undefined>(delaysMs.length).fill(undefined);
    let remaining = delaysMs.length;
    const finish = () => {
      clearTimeout(giveUp);
      scheduler.dispose();
      resolve(firings);
    };
    const giveUp = setTimeout(finish, giveUpMs);
    scheduler.on('fire', (event) => {
      firings[event.payload!] = { dueAt: event.dueAt, firedAt: wallClockMs() };
      if (--remaining === 0) finish();
    });
    const now = Date.now();
    delaysMs.forEach((delay, index) =>
      scheduler.add({
        id: `timer-${index}`,
        name: `timer ${index}`,
        priority: 10,
        schedule: { kind: 'once', at: now + delay },
        payload: index,
      }),
    );
  });

/** Raw setTimeout: due `delay` ms after the call, on the same precise wall clock. */
export const armSetTimeout: ArmTimers = (delaysMs, giveUpMs) =>
  new Promise((resolve) => {
    const firings = new Array<Firing | undefined>(delaysMs.length).fill(undefined);
    let remaining = delaysMs.length;
    const finish = () => {
      clearTimeout(giveUp);
      handles.forEach((handle) => clearTimeout(handle));
      resolve(firings);
    };
    const giveUp = setTimeout(finish, giveUpMs);
    const handles = delaysMs.map((delay, index) => {
      const dueAt = wallClockMs() + delay;
      return setTimeout(() => {
        firings[index] = { dueAt, firedAt: wallClockMs() };
        if (--remaining === 0) finish();
      }, delay);
    });
  });

/**
 * Range of `wallClockMs() - Date.now()` over 5 ms of samples (several millisecond boundaries): the two
 * clocks agree when it lies within [0, 1), since Date.now() truncates to whole ms. Shifted by δ, every
 * early/late figure of ours would be off by δ.
 */
function clockAgreement(): string {
  let min = Infinity;
  let max = -Infinity;
  for (const end = wallClockMs() + 5; wallClockMs() < end;) {
    const difference = wallClockMs() - Date.now();
    min = Math.min(min, difference);
    max = Math.max(max, difference);
  }
  return `${min.toFixed(3)} … ${max.toFixed(3)}`;
}

function latenessSubject(id: string, label: string, arm: ArmTimers): Subject {
  return {
    id,
    label,
    group: 'all',
    async run({ seed, quick, verify }): Promise<SubjectResult> {
      const count = quick ? COUNT / 4 : COUNT;
      const maxDelay = quick ? MAX_DELAY_MS / 4 : MAX_DELAY_MS;
      const warmUpRandom = mulberry32(seed + 1);
      // Warm-up: a few short timers, so the measured ones run optimised code.
      await arm(
        Array.from({ length: 20 }, () => randomInt(warmUpRandom, MIN_DELAY_MS, 30)),
        GIVE_UP_AFTER_MS,
      );
      const random = mulberry32(seed);
      const delays = Array.from({ length: count }, () => randomInt(random, MIN_DELAY_MS, maxDelay));
      const firings = await arm(delays, maxDelay + GIVE_UP_AFTER_MS);
      const fired = firings.filter((firing) => firing !== undefined);
      if (fired.length === 0) throw new Error('no timer fired');
      const lateness = fired.map(({ dueAt, firedAt }) => firedAt - dueAt).sort((a, b) => a - b);
      const early = lateness.filter((late) => late < 0);
      return {
        metrics: {
          p99LateMs: percentile(lateness, 0.99),
          p50LateMs: percentile(lateness, 0.5),
          maxLateMs: lateness[lateness.length - 1]!,
          earlyFires: early.length,
          worstEarlyMs: early.length > 0 ? -early[0]! : 0,
          lost: count - fired.length,
        },
        ...(verify && {
          checks: {
            'wall clock − Date.now() ms': clockAgreement(),
          },
        }),
      };
    },
  };
}

export const suite: Suite = {
  id: 'lateness',
  title: 'Firing lateness: 200 timers due 10–2000 ms ahead',
  description: `
Each subject arms 200 timers at once, due 10–2000 ms ahead (seeded, the same for both), after a
warm-up of 20 short timers, and notes when each callback runs. **Lateness** = callback time − due
time, both on one precise wall clock, \`performance.timeOrigin + performance.now()\` (fractional ms).
p50 / p99 (nearest rank) / max are over the 200 timers of a run; the tables give their medians over runs.
An **early fire** is a callback that ran before its due time (negative lateness); **worst early** is
the largest such gap. A timer that has not fired 1 s after the last was due is **lost** (and left out
of the lateness figures).

- **ours**: one \`Scheduler\` on the real clock (\`systemClock\`: \`Date.now()\`, one \`setTimeout\`
  for the earliest deadline, capped at 30 s), tasks \`{ kind: 'once', at: Date.now() + delay }\`;
  due = \`at\`.
- **setTimeout**: \`setTimeout(fn, delay)\` per timer; due = the precise wall clock at the call + delay.

The check column gives the range of (precise wall clock − \`Date.now()\`) over 5 ms of samples: within
[0, 1) the two clocks agree, since \`Date.now()\` truncates to whole milliseconds.`,
  metrics: [
    { key: 'p99LateMs', label: 'p99 late ms', digits: 2 },
    { key: 'p50LateMs', label: 'p50 late ms', digits: 2 },
    { key: 'maxLateMs', label: 'max late ms', digits: 2 },
    { key: 'earlyFires', label: 'early fires' },
    { key: 'worstEarlyMs', label: 'worst early ms', digits: 2 },
    { key: 'lost', label: 'lost' },
  ],
  groups: [
    {
      id: 'all',
      title: '200 timers, 10–2000 ms ahead',
      baseline: 'ours',
      note: 'setTimeout measures its delay from the event loop\'s cached "now" (taken when the loop iteration began, whole ms), so a timer armed late in an iteration can run before `delay` ms have passed since the call. The scheduler compares `Date.now()` with the due instant and re-arms when woken early.',
      targets: [
        {
          label: 'has 0 early fires (worst run)',
          subject: 'ours',
          metric: 'earlyFires',
          atMost: 0,
          over: 'max',
        },
        { label: 'p99 lateness ≤ 2 ms', subject: 'ours', metric: 'p99LateMs', atMost: 2 },
        {
          label: 'loses no timer (worst run; implied)',
          subject: 'ours',
          metric: 'lost',
          atMost: 0,
          over: 'max',
        },
      ],
    },
  ],
  subjects: [
    latenessSubject('ours', 'ours (Scheduler, real clock)', armScheduler),
    latenessSubject('settimeout', 'setTimeout per timer', armSetTimeout),
  ],
};

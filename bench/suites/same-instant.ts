/**
 * Benchmark 4: 200 tasks due at the same instant, with mixed (mostly tied) priorities. Do they fire
 * in (priority, first-come) order, and how late is the last one? Ours against 200 raw setTimeouts.
 */
import { Scheduler } from '../../app/workers/scheduler/index.js';
import { wallClockMs } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import { countInversions } from '../harness/stats.js';
import type { Subject, SubjectResult, Suite } from '../harness/suite.js';

const COUNT = 200;
/** Priorities 1–5 only: about 40 tasks share each, so first-come order among equals matters. */
const PRIORITY_LEVELS = 5;
const DELAY_MS = 100;
/** A task that has not fired this long after the instant is counted as lost. */
const GIVE_UP_AFTER_MS = 1_000;

/** What a run saw: task indices in firing order, when each fired, and the shared due instant. */
interface Observed {
  readonly order: number[];
  readonly firedAt: number[];
  readonly dueAt: number;
}

/** Arms one task per priority, all due together; resolves once all fired, or after `giveUpMs` with those that did. */
type FireTogether = (priorities: readonly number[], giveUpMs: number) => Promise<Observed>;

/** Ours: every task `{ kind: 'once', at }` with the same `at`; the queue orders them. */
const scheduler: FireTogether = (priorities, giveUpMs) =>
  new Promise((resolve) => {
    const instance = new Scheduler<number>();
    const order: number[] = [];
    const firedAt: number[] = [];
    const dueAt = Date.now() + DELAY_MS;
    const finish = () => {
      clearTimeout(giveUp);
      instance.dispose();
      resolve({ order, firedAt, dueAt });
    };
    const giveUp = setTimeout(finish, giveUpMs);
    instance.on('fire', (event) => {
      firedAt.push(wallClockMs());
      order.push(event.payload!);
      if (order.length === priorities.length) finish();
    });
    priorities.forEach((priority, index) =>
      instance.add({
        id: `task-${index}`,
        name: `task ${index}`,
        priority,
        schedule: { kind: 'once', at: dueAt },
        payload: index,
      }),
    );
  });

/** One setTimeout per task with the same delay, in insertion order: Node runs them first-in first-out. */
const rawSetTimeout: FireTogether = (priorities, giveUpMs) =>
  new Promise((resolve) => {
    const order: number[] = [];
    const firedAt: number[] = [];
    const dueAt = wallClockMs() + DELAY_MS;
    const finish = () => {
      clearTimeout(giveUp);
      handles.forEach((handle) => clearTimeout(handle));
      resolve({ order, firedAt, dueAt });
    };
    const giveUp = setTimeout(finish, giveUpMs);
    const handles = priorities.map((_, index) =>
      setTimeout(() => {
        firedAt.push(wallClockMs());
        order.push(index);
        if (order.length === priorities.length) finish();
      }, DELAY_MS),
    );
  });

/** Pairs fired against the expected order: by priority (1 first), equal priorities first-come. */
function orderInversions(priorities: readonly number[], order: readonly number[]): number {
  const expected = priorities
    .map((priority, index) => ({ priority, index }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index);
  const rankOf = new Int32Array(priorities.length);
  expected.forEach(({ index }, rank) => (rankOf[index] = rank));
  return countInversions(Int32Array.from(order, (index) => rankOf[index]!));
}

function sameInstantSubject(id: string, label: string, fire: FireTogether): Subject {
  return {
    id,
    label,
    group: 'all',
    async run({ seed, verify }): Promise<SubjectResult> {
      const warmUpRandom = mulberry32(seed + 1);
      await fire(
        Array.from({ length: 20 }, () => randomInt(warmUpRandom, 1, PRIORITY_LEVELS)),
        DELAY_MS + GIVE_UP_AFTER_MS,
      );
      const random = mulberry32(seed);
      const priorities = Array.from({ length: COUNT }, () => randomInt(random, 1, PRIORITY_LEVELS));
      const { order, firedAt, dueAt } = await fire(priorities, DELAY_MS + GIVE_UP_AFTER_MS);
      if (order.length === 0) throw new Error('no task fired');
      const inversions = orderInversions(priorities, order);
      return {
        metrics: {
          lastLateMs: firedAt[firedAt.length - 1]! - dueAt,
          inversions,
          firstLateMs: firedAt[0]! - dueAt,
          lost: COUNT - order.length,
        },
        ...(verify && { checks: { 'in (priority, first-come) order': inversions === 0 } }),
      };
    },
  };
}

export const suite: Suite = {
  id: 'same-instant',
  title: 'Same instant: 200 tasks due together',
  description: `
Each subject arms 200 tasks due at the same instant, ${DELAY_MS} ms ahead, with seeded priorities
1–${PRIORITY_LEVELS} (about 40 tasks share each), after a warm-up of 20 such tasks. The expected order
is by priority (1 first), then first-come among equal priorities. **Inversions** counts the pairs
of tasks that fired against that order (0 = exact; all 200 reversed would be 19,900).
**Last late ms** = when the last callback ran − the due instant; **first late ms** the same for
the first; a task not fired 1 s after the instant is **lost**. Times are on the precise wall clock, \`performance.timeOrigin + performance.now()\`.

- **ours**: one \`Scheduler\` on the real clock, \`{ kind: 'once', at }\` with one \`at\` for all,
  each task with its priority.
- **setTimeout**: 200 \`setTimeout(fn, ${DELAY_MS})\` in insertion order. Node runs timers of equal
  delay first-in first-out, ignoring priority: the inversions show what a scheduler without a
  priority queue does when work piles up on one instant.`,
  metrics: [
    { key: 'lastLateMs', label: 'last late ms', digits: 2 },
    { key: 'inversions', label: 'inversions' },
    { key: 'firstLateMs', label: 'first late ms', digits: 2 },
    { key: 'lost', label: 'lost' },
  ],
  groups: [
    {
      id: 'all',
      title: '200 tasks due at one instant, priorities 1–5',
      baseline: 'ours',
      targets: [
        {
          label: 'has 0 order inversions (worst run)',
          subject: 'ours',
          metric: 'inversions',
          atMost: 0,
          over: 'max',
        },
        { label: 'fires the last task within 5 ms', subject: 'ours', metric: 'lastLateMs', atMost: 5 },
      ],
    },
  ],
  subjects: [
    sameInstantSubject('ours', 'ours (Scheduler, real clock)', scheduler),
    sameInstantSubject('settimeout', 'setTimeout per task (same delay)', rawSetTimeout),
  ],
};

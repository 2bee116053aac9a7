/**
 * Benchmark 2: registering 10,000 and 100,000 one-shot tasks due an hour ahead: time and memory per
 * task, ours (Scheduler.add) against one raw setTimeout per task, toad-scheduler, croner and node-cron.
 */
import { Cron } from 'croner';
import { schedule as cronSchedule } from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import { SimpleIntervalJob, Task, ToadScheduler } from 'toad-scheduler';
import { Scheduler } from '../../app/workers/scheduler/index.js';
import { collectGarbage, nowNs } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import type { Subject, SubjectGroup, Suite } from '../harness/suite.js';

const SIZES = { '10k': 10_000, '100k': 100_000 } as const;
type SizeId = keyof typeof SIZES;
const HOUR_MS = 3_600_000;
/** Dues spread over one minute, an hour ahead: many distinct instants, as real reminders have. */
const SPREAD_MS = 60_000;
const WARM_UP_MAX = 2_000;

/** One task to register; built before the clock starts, like data a host already holds. */
interface TaskData {
  readonly id: string;
  /** 1 (most urgent) … 20; only ours uses it: the others have no notion of priority. */
  readonly priority: number;
  /** Due at `base + offsetMs`, with base one hour from the start of the registration. */
  readonly offsetMs: number;
}

function generateTasks(seed: number, count: number): TaskData[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, index) => ({
    id: `task-${index}`,
    priority: randomInt(random, 1, 20),
    offsetMs: randomInt(random, 0, SPREAD_MS - 1),
  }));
}

/** What a subject leaves behind: how many of its tasks are pending, and how to cancel them all. */
interface Registered {
  pending(): number;
  dispose(): void;
}

/**
 * Registers every task due at `baseMs + offsetMs`, each bound to `onFire(index)` the way its library
 * binds work to a task. Each keeps what it needs to cancel every task later.
 */
type Register = (tasks: readonly TaskData[], baseMs: number, onFire: (index: number) => void) => Registered;

const ours: Register = (tasks, baseMs, onFire) => {
  const scheduler = new Scheduler<number>();
  // One listener for every task; the payload says which one fired.
  scheduler.on('fire', (event) => onFire(event.payload!));
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index]!;
    scheduler.add({
      id: task.id,
      name: task.id,
      priority: task.priority,
      schedule: { kind: 'once', at: baseMs + task.offsetMs },
      payload: index,
    });
  }
  return { pending: () => scheduler.size, dispose: () => scheduler.dispose() };
};

const rawSetTimeout: Register = (tasks, baseMs, onFire) => {
  const handles = new Array<NodeJS.Timeout>(tasks.length);
  for (let index = 0; index < tasks.length; index++) {
    handles[index] = setTimeout(() => onFire(index), baseMs + tasks[index]!.offsetMs - Date.now());
  }
  return {
    pending: () => handles.filter((handle) => handle.hasRef()).length,
    dispose: () => handles.forEach((handle) => clearTimeout(handle)),
  };
};

/** toad-scheduler has no one-shot job: an interval job that removes itself on its first run is the closest. */
const toadScheduler: Register = (tasks, baseMs, onFire) => {
  const scheduler = new ToadScheduler();
  for (let index = 0; index < tasks.length; index++) {
    const { id, offsetMs } = tasks[index]!;
    const task = new Task(id, () => {
      scheduler.removeById(id);
      onFire(index);
    });
    scheduler.addSimpleIntervalJob(
      new SimpleIntervalJob({ milliseconds: baseMs + offsetMs - Date.now() }, task, { id }),
    );
  }
  return { pending: () => scheduler.getAllJobs().length, dispose: () => scheduler.stop() };
};

/** croner runs a job once when given a Date instead of a pattern: `new Cron(date, fn)`. */
const croner: Register = (tasks, baseMs, onFire) => {
  const jobs = new Array<Cron>(tasks.length);
  for (let index = 0; index < tasks.length; index++) {
    jobs[index] = new Cron(new Date(baseMs + tasks[index]!.offsetMs), () => onFire(index));
  }
  return {
    pending: () => jobs.filter((job) => job.nextRun() !== null).length,
    dispose: () => jobs.forEach((job) => job.stop()),
  };
};

/**
 * node-cron v4 only takes cron expressions (whole seconds, local time) and starts a task on
 * `schedule` (v4 dropped the `scheduled` option); `maxExecutions: 1` destroys it after one run.
 */
const nodeCron: Register = (tasks, baseMs, onFire) => {
  const scheduled = new Array<ScheduledTask>(tasks.length);
  for (let index = 0; index < tasks.length; index++) {
    const due = new Date(baseMs + tasks[index]!.offsetMs);
    const expression = `${due.getSeconds()} ${due.getMinutes()} ${due.getHours()} ${due.getDate()} ${due.getMonth() + 1} *`;
    scheduled[index] = cronSchedule(expression, () => onFire(index), { maxExecutions: 1 });
  }
  return {
    pending: () => scheduled.filter((task) => task.getNextRun() !== null).length,
    dispose: () => scheduled.forEach((task) => void task.destroy()),
  };
};

function subject(id: string, label: string, size: SizeId, register: Register, skip?: string): Subject {
  return {
    id: `${id}-${size}`,
    label,
    group: size,
    ...(skip !== undefined && { skip }),
    run({ seed, quick, verify }) {
      const count = quick ? SIZES[size] / 10 : SIZES[size];
      const onFire = (index: number): void => {
        throw new Error(`task ${index} fired during a registration benchmark`);
      };
      // Warm-up on other tasks, so the timed run measures optimised code; then they are all cancelled.
      register(
        generateTasks(seed + 1, Math.min(WARM_UP_MAX, count / 10)),
        Date.now() + HOUR_MS,
        onFire,
      ).dispose();
      const tasks = generateTasks(seed, count);
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage().rss;
      const start = nowNs();
      const registered = register(tasks, Date.now() + HOUR_MS, onFire);
      const elapsedNs = nowNs() - start;
      collectGarbage();
      const { heapUsed, rss } = process.memoryUsage();
      const pending = verify ? registered.pending() : count;
      registered.dispose();
      return {
        metrics: {
          usPerTask: elapsedNs / 1000 / count,
          heapBytesPerTask: (heapUsed - heapBefore) / count,
          rssBytesPerTask: (rss - rssBefore) / count,
          rssMb: rss / 2 ** 20,
        },
        ...(verify && { checks: { 'all pending': pending === count } }),
      };
    },
  };
}

const CRONER_100K_SKIP =
  'every `new Cron(date)` also builds a `* * * * *` pattern whose year table is a 10,000-entry array, ' +
  'about 83 KB of heap per job (see the 10,000 table): 100,000 jobs need about 8 GB, twice the heap ' +
  "limit Node gives itself here (~4 GB); a trial run died with 'JavaScript heap out of memory' after ~23 s.";

const ourTargets = (size: SizeId): SubjectGroup['targets'] => [
  { label: '≤ 1 µs per task', subject: `ours-${size}`, metric: 'usPerTask', atMost: 1 },
  { label: '≤ 200 heap bytes per task', subject: `ours-${size}`, metric: 'heapBytesPerTask', atMost: 200 },
];

export const suite: Suite = {
  id: 'registration',
  title: 'Registration: 10,000 and 100,000 one-shot tasks',
  description: `
Each subject registers N one-shot tasks (seeded: ids \`task-<i>\`, priorities 1–20, dues one hour
ahead spread over one minute) in a fresh process, after a warm-up on up to 2,000 other tasks.
**µs/task** is the registration time ÷ N. **heap B/task** is \`process.memoryUsage().heapUsed\` after
a forced GC minus the same before, ÷ N; **RSS Δ B/task** the same for the resident set, and **RSS MB**
the process's RSS with the tasks registered. The task data (ids, priorities, offsets) exists before
the first measurement, so it is not counted; what a subject allocates to hold a task is.
Everything is cancelled after measuring, so the process exits.

- **ours**: \`scheduler.add({ id, name, priority, schedule: { kind: 'once', at }, payload: index })\`
  on one \`Scheduler\` (real clock), one \`fire\` listener.
- **setTimeout**: \`setTimeout(() => onFire(i), at - Date.now())\` per task, handles kept in an array
  (to cancel them).
- **toad-scheduler**: it has no one-shot job; the closest is a \`SimpleIntervalJob({ milliseconds: at - Date.now() })\`
  whose task removes its job (\`removeById\`) on the first run, added with \`addSimpleIntervalJob\`.
- **croner**: \`new Cron(new Date(at), () => onFire(i))\` per task: croner runs a job once when given a date.
- **node-cron** (v4): \`cron.schedule('<s> <m> <h> <D> <M> *', fn, { maxExecutions: 1 })\` per task
  (v4 starts the task in \`schedule\` and has no \`scheduled\` option; whole seconds only).

Only ours orders tasks by priority; the others ignore it.`,
  metrics: [
    { key: 'usPerTask', label: 'µs/task', digits: 2 },
    { key: 'heapBytesPerTask', label: 'heap B/task' },
    { key: 'rssBytesPerTask', label: 'RSS Δ B/task' },
    { key: 'rssMb', label: 'RSS MB', digits: 1 },
  ],
  groups: [
    {
      id: '10k',
      title: '10,000 one-shot tasks',
      baseline: 'ours-10k',
      targets: ourTargets('10k'),
    },
    {
      id: '100k',
      title: '100,000 one-shot tasks',
      baseline: 'ours-100k',
      runs: 3,
      note: 'Three runs per subject: node-cron takes about 8 s a run at this size.',
      targets: ourTargets('100k'),
    },
  ],
  subjects: (['10k', '100k'] as const).flatMap((size) => [
    subject('ours', 'ours (Scheduler.add)', size, ours),
    subject('settimeout', 'setTimeout per task', size, rawSetTimeout),
    subject('toad-scheduler', 'toad-scheduler (SimpleIntervalJob)', size, toadScheduler),
    subject(
      'croner',
      'croner (new Cron(date, fn))',
      size,
      croner,
      size === '100k' ? CRONER_100K_SKIP : undefined,
    ),
    subject('node-cron', 'node-cron (schedule, maxExecutions 1)', size, nodeCron),
  ]),
};

/**
 * Benchmark 1: the scheduler's stable priority queue against general-purpose heaps, on 1,000,000
 * push then 1,000,000 pop, with the task key (due, priority, seq) and with a plain number key.
 */
import FastPriorityQueue from 'fastpriorityqueue';
import { Heap } from 'heap-js';
import { PriorityQueue } from 'js-sdsl';
import TinyQueue from 'tinyqueue';
// The queue alone, not the scheduler's index.ts: this measures the data structure, not the engine.
import { StableQueue } from '../../app/workers/scheduler/queue.js';
import { collectGarbage, nowNs } from '../harness/measure.js';
import { mulberry32, randomInt } from '../harness/prng.js';
import { countInversions } from '../harness/stats.js';
import type { Subject, SubjectResult, Suite } from '../harness/suite.js';

const SIZE = 1_000_000;
const BASE_DUE = Date.UTC(2025, 0, 6, 9);

/** What competitors queue: the task key as an object, as a scheduler built on them would. */
interface Task {
  readonly due: number;
  readonly priority: number;
  /** Insertion order; equals the task's index in the generated array. */
  readonly seq: number;
}

/**
 * Many ties on purpose: 1,000 distinct dues a second apart (about 1,000 tasks each), priorities
 * 1–20 of which a fifth are fractional (x.5), so equal (due, priority) groups hold about 10–40 tasks.
 */
function generateTasks(seed: number, count: number): Task[] {
  const random = mulberry32(seed);
  const tasks: Task[] = [];
  for (let seq = 0; seq < count; seq++) {
    const due = BASE_DUE + 1000 * randomInt(random, 0, 999);
    let priority = randomInt(random, 1, 20);
    if (random() < 0.2) priority = priority === 20 ? 19.5 : priority + 0.5;
    tasks.push({ due, priority, seq });
  }
  return tasks;
}

/** Numeric keys: whole numbers below 2^31 (ties are rare). */
function generateKeys(seed: number, count: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => randomInt(random, 0, 2 ** 31 - 1));
}

const compareTasks = (a: Task, b: Task): number => a.due - b.due || a.priority - b.priority || a.seq - b.seq;
/** What a scheduler written on a plain heap would naturally use; seq left out, ties are the heap's to order. */
const compareDuePriority = (a: Task, b: Task): number => a.due - b.due || a.priority - b.priority;
const compareNumbers = (a: number, b: number): number => a - b;

/** The two operations measured, adapted to each library's names. */
interface QueueUnderTest<T> {
  push(value: T, index: number): void;
  pop(): T | undefined;
}

type QueueFactory<T> = (values: readonly T[]) => QueueUnderTest<T>;

function fastPriorityQueue<T>(compare: (a: T, b: T) => number): QueueFactory<T> {
  return () => {
    // fastpriorityqueue wants "a before b" as a boolean.
    const queue = new FastPriorityQueue<T>((a, b) => compare(a, b) < 0);
    return { push: (value) => queue.add(value), pop: () => queue.poll() };
  };
}

function jsSdsl<T>(compare: (a: T, b: T) => number): QueueFactory<T> {
  return () => {
    const queue = new PriorityQueue<T>([], compare, false);
    return { push: (value) => queue.push(value), pop: () => queue.pop() };
  };
}

function tinyQueue<T>(compare: (a: T, b: T) => number): QueueFactory<T> {
  return () => {
    const queue = new TinyQueue<T>([], compare);
    return { push: (value) => queue.push(value), pop: () => queue.pop() };
  };
}

function heapJs<T>(compare: (a: T, b: T) => number): QueueFactory<T> {
  return () => {
    const queue = new Heap<T>(compare);
    return { push: (value) => queue.add(value), pop: () => queue.pop() };
  };
}

const ourQueueNumericIds: QueueFactory<Task> = () => {
  const queue = new StableQueue<Task>();
  return { push: (task, index) => queue.push(index, task.due, task.priority, task), pop: () => queue.pop() };
};

const ourQueueStringIds: QueueFactory<Task> = (tasks) => {
  // Built before the clock starts, like ids a scheduler already holds.
  const ids = tasks.map((task) => `task-${task.seq}`);
  const queue = new StableQueue<Task>();
  return {
    push: (task, index) => queue.push(ids[index]!, task.due, task.priority, task),
    pop: () => queue.pop(),
  };
};

const ourQueueNumbers: QueueFactory<number> = () => {
  const queue = new StableQueue<number>();
  return { push: (key, index) => queue.push(index, key, 1, key), pop: () => queue.pop() };
};

/** Times pushing every value, then popping them all; `weigh` turns a popped value into a number to sum. */
function timePushThenPop<T>(
  values: readonly T[],
  create: QueueFactory<T>,
  weigh: (value: T) => number,
): { pushNs: number; popNs: number } {
  const queue = create(values);
  const start = nowNs();
  for (let index = 0; index < values.length; index++) queue.push(values[index]!, index);
  const pushedAt = nowNs();
  // The sum keeps the pops from being optimised away, and a missing pop from going unnoticed.
  let checksum = 0;
  for (let index = 0; index < values.length; index++) checksum += weigh(queue.pop()!);
  const end = nowNs();
  if (Number.isNaN(checksum) || queue.pop() !== undefined)
    throw new Error('queue did not return every value');
  return { pushNs: pushedAt - start, popNs: end - pushedAt };
}

function measure<T>(
  context: { seed: number; quick: boolean },
  generate: (seed: number, count: number) => T[],
  create: QueueFactory<T>,
  weigh: (value: T) => number,
): { values: T[]; metrics: SubjectResult['metrics'] } {
  const size = context.quick ? SIZE / 10 : SIZE;
  // Warm-up on different data of the same shape, so the timed run measures optimised code.
  timePushThenPop(generate(context.seed + 1, size / 10), create, weigh);
  const values = generate(context.seed, size);
  collectGarbage();
  const { pushNs, popNs } = timePushThenPop(values, create, weigh);
  return {
    values,
    metrics: { nsPerOp: (pushNs + popNs) / (2 * size), pushNsPerOp: pushNs / size, popNsPerOp: popNs / size },
  };
}

/**
 * Pushes every task, pops them all and compares the order with a stable sort by (due, priority):
 * tie inversions = pairs of equal-key tasks popped against first-come order.
 */
function checkTaskOrder(tasks: readonly Task[], create: QueueFactory<Task>): SubjectResult['checks'] {
  const queue = create(tasks);
  tasks.forEach((task, index) => queue.push(task, index));
  const popped = Int32Array.from(tasks, () => queue.pop()!.seq);
  let keyOrderViolations = 0;
  let tieInversions = 0;
  let outOfPlace = 0;
  let groupStart = 0;
  for (let index = 1; index <= popped.length; index++) {
    const previous = tasks[popped[index - 1]!]!;
    const current = index < popped.length ? tasks[popped[index]!] : undefined;
    const order = current ? compareDuePriority(previous, current) : -1;
    if (order > 0) keyOrderViolations++;
    if (order === 0) continue;
    // [groupStart, index) holds one run of equal (due, priority): first-come means increasing seq.
    const group = popped.subarray(groupStart, index);
    const firstComeOrder = group.slice().sort();
    outOfPlace += group.reduce((count, seq, at) => count + (seq === firstComeOrder[at] ? 0 : 1), 0);
    tieInversions += countInversions(group);
    groupStart = index;
  }
  return {
    stable: keyOrderViolations === 0 && tieInversions === 0,
    'tie inversions': tieInversions,
    'pops out of first-come place': `${((100 * outOfPlace) / tasks.length).toFixed(1)} %`,
    ...(keyOrderViolations > 0 ? { 'key order violations': keyOrderViolations } : {}),
  };
}

function checkNumberOrder(keys: readonly number[], create: QueueFactory<number>): SubjectResult['checks'] {
  const queue = create(keys);
  keys.forEach((key, index) => queue.push(key, index));
  let violations = 0;
  let previous = -Infinity;
  for (let popped = queue.pop(); popped !== undefined; popped = queue.pop()) {
    if (popped < previous) violations++;
    previous = popped;
  }
  return { sorted: violations === 0 };
}

function taskSubject(id: string, label: string, group: string, create: QueueFactory<Task>): Subject {
  return {
    id,
    label,
    group,
    run(context) {
      const { values, metrics } = measure(context, generateTasks, create, (task) => task.seq);
      return context.verify ? { metrics, checks: checkTaskOrder(values, create) } : { metrics };
    },
  };
}

function numberSubject(id: string, label: string, create: QueueFactory<number>): Subject {
  return {
    id,
    label,
    group: 'numbers',
    run(context) {
      const { values, metrics } = measure(context, generateKeys, create, (key) => key);
      return context.verify ? { metrics, checks: checkNumberOrder(values, create) } : { metrics };
    },
  };
}

/** Reference, not a queue: what an id → handle Map alone costs at this size (has + set, then delete). */
const mapReference: Subject = {
  id: 'map-reference',
  label: 'Map of id → handle alone (reference)',
  group: 'reference',
  run(context) {
    const size = context.quick ? SIZE / 10 : SIZE;
    const random = mulberry32(context.seed);
    // Popped ids come out in due order, unrelated to the order they were pushed in: delete in a shuffled order.
    const deleteOrder = Array.from({ length: size }, (_, index) => index);
    for (let index = size - 1; index > 0; index--) {
      const other = randomInt(random, 0, index);
      [deleteOrder[index], deleteOrder[other]] = [deleteOrder[other]!, deleteOrder[index]!];
    }
    collectGarbage();
    const handleOf = new Map<number, number>();
    const start = nowNs();
    for (let id = 0; id < size; id++) if (!handleOf.has(id)) handleOf.set(id, id);
    const insertedAt = nowNs();
    for (let index = 0; index < size; index++) handleOf.delete(deleteOrder[index]!);
    const end = nowNs();
    const [pushNs, popNs] = [insertedAt - start, end - insertedAt];
    return {
      metrics: {
        nsPerOp: (pushNs + popNs) / (2 * size),
        pushNsPerOp: pushNs / size,
        popNsPerOp: popNs / size,
      },
    };
  },
};

export const suite: Suite = {
  id: 'queue',
  title: 'Queue: 1,000,000 push then 1,000,000 pop',
  description: `
Each subject pushes 1,000,000 entries, then pops them all; **ns/op** is the total time ÷ 2,000,000
(push and pop columns: that phase's time ÷ 1,000,000). Before the timed run each process warms up
on 100,000 entries of other data, then runs a full GC.

Task data (seeded, identical for every subject): 1,000 distinct dues one second apart, priorities
1–20 with a fifth of them fractional (x.5), so nearly every entry ties on (due, priority) with 10–40 others.
Competitors queue \`{ due, priority, seq }\` objects with one comparator,
\`a.due - b.due || a.priority - b.priority || a.seq - b.seq\` (fastpriorityqueue gets \`compare(a, b) < 0\`).
Our queue gets due and priority through its own API, \`push(id, due, priority, task)\` (the
sequence is its own counter), with an id (the insertion index) that it indexes for has/get/remove/update.

**stable** / **tie inversions**: in the first run, every task is pushed and popped again and the pop
order is compared with a stable sort by (due, priority): a tie inversion is a pair of equal-key
tasks popped against first-come order; **pops out of first-come place** counts the pops that differ
from the stable order.`,
  metrics: [
    { key: 'nsPerOp', label: 'ns/op' },
    { key: 'pushNsPerOp', label: 'push ns/op' },
    { key: 'popNsPerOp', label: 'pop ns/op' },
  ],
  groups: [
    { id: 'task', title: 'Task key (due, priority, seq)', baseline: 'ours' },
    {
      id: 'numbers',
      title: 'Number key',
      baseline: 'ours-numbers',
      note: 'Competitors queue plain numbers with `(a, b) => a - b`; our queue gets `push(index, key, 1, key)`, so it still keeps ids and a sequence.',
    },
    {
      id: 'ties',
      title: 'Comparator on (due, priority) only: do they keep first-come order?',
      baseline: 'ours',
      runs: 1,
      note: 'Without seq in the comparator, a binary heap gives no first-come guarantee among equal keys: the inversions show how much each library reorders them. The ratio compares with our (stable) queue on the task key.',
    },
    {
      id: 'reference',
      title: 'Reference: the cost of an id index',
      baseline: 'ours',
      note: 'Not a queue: `Map.has` + `Map.set` for 1,000,000 numeric ids, then `Map.delete` in a shuffled order. Any queue that finds entries by id pays about this on top of its heap; ours skips the delete on pop (stale ids are dropped in batches).',
    },
  ],
  subjects: [
    taskSubject('ours', 'ours (StableQueue, numeric ids)', 'task', ourQueueNumericIds),
    taskSubject('ours-string-ids', 'ours (StableQueue, string ids)', 'task', ourQueueStringIds),
    taskSubject('fastpriorityqueue', 'fastpriorityqueue', 'task', fastPriorityQueue(compareTasks)),
    taskSubject('js-sdsl', 'js-sdsl PriorityQueue', 'task', jsSdsl(compareTasks)),
    taskSubject('tinyqueue', 'tinyqueue', 'task', tinyQueue(compareTasks)),
    taskSubject('heap-js', 'heap-js', 'task', heapJs(compareTasks)),
    numberSubject('ours-numbers', 'ours (StableQueue)', ourQueueNumbers),
    numberSubject('fastpriorityqueue-numbers', 'fastpriorityqueue', fastPriorityQueue(compareNumbers)),
    numberSubject('js-sdsl-numbers', 'js-sdsl PriorityQueue', jsSdsl(compareNumbers)),
    numberSubject('tinyqueue-numbers', 'tinyqueue', tinyQueue(compareNumbers)),
    numberSubject('heap-js-numbers', 'heap-js', heapJs(compareNumbers)),
    taskSubject('fastpriorityqueue-ties', 'fastpriorityqueue', 'ties', fastPriorityQueue(compareDuePriority)),
    taskSubject('js-sdsl-ties', 'js-sdsl PriorityQueue', 'ties', jsSdsl(compareDuePriority)),
    taskSubject('tinyqueue-ties', 'tinyqueue', 'ties', tinyQueue(compareDuePriority)),
    taskSubject('heap-js-ties', 'heap-js', 'ties', heapJs(compareDuePriority)),
    mapReference,
  ],
};

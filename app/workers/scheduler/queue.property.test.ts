import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StableQueue } from './queue.js';
import type { QueueId } from './queue.js';

/** The reference: live entries, in a plain array, ordered on demand by a stable sort. */
interface ModelEntry {
  id: QueueId;
  due: number;
  priority: number;
  seq: number;
  item: string;
}

type Command =
  | { kind: 'push'; id: QueueId; due: number; priority: number }
  | { kind: 'pop' }
  | { kind: 'remove'; id: QueueId }
  | { kind: 'update'; id: QueueId; due: number; priority: number };

// Tiny key sets, so most entries tie on due, on priority, or on both.
const dueArb = fc.constantFrom(0, 1, 2, 3);
const priorityArb = fc.constantFrom(1, 1.5, 2, 20);

function commandArb(idArb: fc.Arbitrary<QueueId>): fc.Arbitrary<Command> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('push' as const),
        id: idArb,
        due: dueArb,
        priority: priorityArb,
      }),
    },
    { weight: 3, arbitrary: fc.constant({ kind: 'pop' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: idArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('update' as const),
        id: idArb,
        due: dueArb,
        priority: priorityArb,
      }),
    },
  );
}

function comesFirst(a: ModelEntry, b: ModelEntry): number {
  return a.due - b.due || a.priority - b.priority || a.seq - b.seq;
}

function sortedModel(model: ModelEntry[]): ModelEntry[] {
  return [...model].sort(comesFirst);
}

function firstOf(model: ModelEntry[]): ModelEntry | undefined {
  return model.reduce<ModelEntry | undefined>(
    (first, entry) => (first === undefined || comesFirst(entry, first) < 0 ? entry : first),
    undefined,
  );
}

function runAgainstModel(commands: Command[]): void {
  const queue = new StableQueue<string>();
  let model: ModelEntry[] = [];
  let nextSeq = 0;
  let nextItem = 0;
  for (const command of commands) {
    const existing = 'id' in command ? model.find((entry) => entry.id === command.id) : undefined;
    switch (command.kind) {
      case 'push': {
        const item = `item-${nextItem++}`;
        if (existing) {
          expect(() => queue.push(command.id, command.due, command.priority, item)).toThrow(
            JSON.stringify(command.id),
          );
        } else {
          queue.push(command.id, command.due, command.priority, item);
          model.push({ ...command, seq: nextSeq++, item });
        }
        break;
      }
      case 'pop': {
        const expected = firstOf(model);
        expect(queue.pop()).toBe(expected?.item);
        model = model.filter((entry) => entry !== expected);
        break;
      }
      case 'remove':
        expect(queue.remove(command.id)).toBe(existing !== undefined);
        model = model.filter((entry) => entry !== existing);
        break;
      case 'update':
        expect(queue.update(command.id, command.due, command.priority)).toBe(existing !== undefined);
        if (existing) Object.assign(existing, { due: command.due, priority: command.priority });
        break;
    }
    const first = firstOf(model);
    expect(queue.size).toBe(model.length);
    expect(queue.peek()).toBe(first?.item);
    expect(queue.peekId()).toBe(first?.id);
    expect(queue.peekDue()).toBe(first?.due ?? Infinity);
    expect(queue.peekPriority()).toBe(first?.priority);
    expect(queue.firstSorted(3)).toEqual(
      sortedModel(model)
        .slice(0, 3)
        .map((entry) => entry.item),
    );
  }
  expect(queue.toSortedArray()).toEqual(sortedModel(model).map((entry) => entry.item));
  for (let limit = 0; limit <= model.length + 1; limit++)
    expect(queue.firstSorted(limit)).toEqual(
      sortedModel(model)
        .slice(0, limit)
        .map((entry) => entry.item),
    );
  for (const entry of model) {
    expect(queue.get(entry.id)).toBe(entry.item);
    expect(queue.dueOf(entry.id)).toBe(entry.due);
    expect(queue.priorityOf(entry.id)).toBe(entry.priority);
  }
}

describe('StableQueue against a stable-sort model', () => {
  it('matches every pop and peek over random push/pop/remove/update sequences', () => {
    // Few ids, some numeric and some strings (including '0' beside 0), so pushes often collide.
    const idArb = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('0', 'a', 'b'));
    fc.assert(fc.property(fc.array(commandArb(idArb), { maxLength: 120 }), runAgainstModel), {
      numRuns: 400,
    });
  });

  it('keeps ids straight while many popped ids are forgotten and handles reused', () => {
    // Enough distinct ids that popped ones pile up and the id map gets rebuilt mid-run.
    const idArb = fc.integer({ min: 0, max: 400 }).map((n) => `task-${n}`);
    fc.assert(fc.property(fc.array(commandArb(idArb), { minLength: 200, maxLength: 600 }), runAgainstModel), {
      numRuns: 100,
    });
  });

  it('drains in stable-sort order after any pushes', () => {
    const entryArb = fc.record({ due: dueArb, priority: priorityArb });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 300 }), (entries) => {
        const queue = new StableQueue<number>();
        entries.forEach((entry, index) => queue.push(index, entry.due, entry.priority, index));
        const expected = entries
          .map((entry, index) => ({ ...entry, index }))
          .sort((a, b) => a.due - b.due || a.priority - b.priority)
          .map((entry) => entry.index);
        const popped: (number | undefined)[] = [];
        while (queue.size > 0) popped.push(queue.pop());
        expect(popped).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the first k items as the sorted prefix, without sorting or changing the queue', () => {
    const entryArb = fc.record({ due: fc.integer({ min: 0, max: 50 }), priority: priorityArb });
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 2_000 }), fc.nat(2_100), (entries, limit) => {
        const queue = new StableQueue<number>();
        entries.forEach((entry, index) => queue.push(index, entry.due, entry.priority, index));
        // Some pops and removals first, so the heap is not in insertion shape.
        for (let i = 0; i < entries.length / 4; i++) queue.pop();
        for (let i = 0; i < entries.length; i += 7) queue.remove(i);
        const sorted = queue.toSortedArray();
        expect(queue.firstSorted(limit)).toEqual(sorted.slice(0, limit));
        expect(queue.toSortedArray()).toEqual(sorted);
      }),
      { numRuns: 200 },
    );
  });
});

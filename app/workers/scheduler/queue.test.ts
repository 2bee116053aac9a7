import { describe, expect, it } from 'vitest';
import { StableQueue } from './queue.js';

function drain<T>(queue: StableQueue<T>): T[] {
  const items: T[] = [];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) items.push(item);
  return items;
}

describe('StableQueue ordering', () => {
  it('pops the smallest due first', () => {
    const queue = new StableQueue<string>();
    queue.push('c', 300, 1, 'c');
    queue.push('a', 100, 20, 'a');
    queue.push('b', 200, 1, 'b');
    expect(drain(queue)).toEqual(['a', 'b', 'c']);
  });

  it('breaks due ties by priority, 1 before 20', () => {
    const queue = new StableQueue<string>();
    queue.push('low', 100, 20, 'low');
    queue.push('high', 100, 1, 'high');
    queue.push('mid', 100, 10, 'mid');
    expect(drain(queue)).toEqual(['high', 'mid', 'low']);
  });

  it('orders fractional priorities between the integers', () => {
    const queue = new StableQueue<number>();
    for (const priority of [2, 1.5, 20, 1, 19.75, 1.25]) queue.push(priority, 0, priority, priority);
    expect(drain(queue)).toEqual([1, 1.25, 1.5, 2, 19.75, 20]);
  });

  it('keeps first-come order among equal due and priority', () => {
    const queue = new StableQueue<number>();
    for (let i = 0; i < 100; i++) queue.push(i, 7, 5, i);
    expect(drain(queue)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps first-come order within each tie group when pushes interleave', () => {
    const queue = new StableQueue<string>();
    const order = ['a1', 'b1', 'a2', 'c1', 'b2', 'a3', 'c2', 'b3'];
    const priorityOf = { a: 1, b: 1.5, c: 20 } as const;
    for (const name of order) queue.push(name, 0, priorityOf[name[0] as 'a' | 'b' | 'c'], name);
    expect(drain(queue)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1', 'c2']);
  });

  it('keeps first-come order across a clear', () => {
    const queue = new StableQueue<string>();
    queue.push('old', 0, 1, 'old');
    queue.clear();
    queue.push('first', 0, 1, 'first');
    queue.push('second', 0, 1, 'second');
    expect(drain(queue)).toEqual(['first', 'second']);
  });

  it('lists items in pop order without changing the queue', () => {
    const queue = new StableQueue<string>();
    queue.push('late', 2, 1, 'late');
    queue.push('tie-1', 1, 3, 'tie-1');
    queue.push('urgent', 1, 1, 'urgent');
    queue.push('tie-2', 1, 3, 'tie-2');
    expect(queue.toSortedArray()).toEqual(['urgent', 'tie-1', 'tie-2', 'late']);
    expect(queue.size).toBe(4);
    expect(drain(queue)).toEqual(['urgent', 'tie-1', 'tie-2', 'late']);
  });

  it('handles Infinity and negative dues', () => {
    const queue = new StableQueue<string>();
    queue.push('never', Infinity, 1, 'never');
    queue.push('past', -5, 1, 'past');
    queue.push('now', 0, 1, 'now');
    expect(drain(queue)).toEqual(['past', 'now', 'never']);
  });
});

describe('StableQueue peeking', () => {
  it('reports the first entry without removing it', () => {
    const queue = new StableQueue<{ name: string }>();
    queue.push('x', 50, 3, { name: 'x' });
    queue.push(7, 10, 2.5, { name: 'seven' });
    expect(queue.peek()).toEqual({ name: 'seven' });
    expect(queue.peekId()).toBe(7);
    expect(queue.peekDue()).toBe(10);
    expect(queue.peekPriority()).toBe(2.5);
    expect(queue.size).toBe(2);
  });

  it('answers sensibly when empty', () => {
    const queue = new StableQueue<string>();
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    expect(queue.peekId()).toBeUndefined();
    expect(queue.peekDue()).toBe(Infinity);
    expect(queue.peekPriority()).toBeUndefined();
    expect(queue.toSortedArray()).toEqual([]);
    expect(queue.remove('nope')).toBe(false);
    expect(queue.update('nope', 1, 1)).toBe(false);
  });
});

describe('StableQueue by id', () => {
  it('looks entries up by id', () => {
    const queue = new StableQueue<string>();
    queue.push('a', 10, 4, 'item a');
    queue.push(1, 20, 1.5, 'item 1');
    expect(queue.has('a')).toBe(true);
    expect(queue.get('a')).toBe('item a');
    expect(queue.dueOf(1)).toBe(20);
    expect(queue.priorityOf(1)).toBe(1.5);
    expect(queue.has('1')).toBe(false);
    expect(queue.get('missing')).toBeUndefined();
    expect(queue.dueOf('missing')).toBeUndefined();
    expect(queue.priorityOf('missing')).toBeUndefined();
  });

  it('throws, naming the id, when an id is pushed twice', () => {
    const queue = new StableQueue<string>();
    queue.push('break', 1, 1, 'first');
    expect(() => queue.push('break', 2, 2, 'second')).toThrow(/"break"/);
    expect(queue.size).toBe(1);
    expect(queue.get('break')).toBe('first');
  });

  it('accepts an id again once it was popped or removed', () => {
    const queue = new StableQueue<string>();
    queue.push('a', 1, 1, 'a1');
    queue.push('b', 2, 1, 'b1');
    expect(queue.pop()).toBe('a1');
    expect(queue.has('a')).toBe(false);
    queue.remove('b');
    queue.push('a', 3, 1, 'a2');
    queue.push('b', 4, 1, 'b2');
    expect(drain(queue)).toEqual(['a2', 'b2']);
  });

  it('rejects NaN keys', () => {
    const queue = new StableQueue<string>();
    expect(() => queue.push('a', NaN, 1, 'a')).toThrow(RangeError);
    expect(() => queue.push('a', 1, NaN, 'a')).toThrow(RangeError);
    expect(() => queue.push(NaN, 1, 1, 'a')).toThrow(RangeError);
    queue.push('a', 1, 1, 'a');
    expect(() => queue.update('a', NaN, 1)).toThrow(RangeError);
    expect(queue.size).toBe(1);
  });

  it.each([
    ['root', 0],
    ['leaf', 9],
    ['middle', 4],
  ])('removes the %s of the heap and keeps the rest in order', (_where, removedIndex) => {
    const queue = new StableQueue<number>();
    // Pushed in order, so heap position = index: 0 is the root, 9 a leaf, 4 an inner node.
    for (let i = 0; i < 10; i++) queue.push(i, i * 10, 1, i);
    expect(queue.remove(removedIndex)).toBe(true);
    expect(queue.remove(removedIndex)).toBe(false);
    expect(queue.has(removedIndex)).toBe(false);
    expect(drain(queue)).toEqual(Array.from({ length: 10 }, (_, i) => i).filter((i) => i !== removedIndex));
  });

  it('re-keys an entry to an earlier due (moves up)', () => {
    const queue = new StableQueue<string>();
    for (const name of ['a', 'b', 'c', 'd']) queue.push(name, name.charCodeAt(0), 5, name);
    expect(queue.update('d', 0, 5)).toBe(true);
    expect(queue.dueOf('d')).toBe(0);
    expect(drain(queue)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('re-keys an entry to a later due (moves down)', () => {
    const queue = new StableQueue<string>();
    for (const name of ['a', 'b', 'c', 'd']) queue.push(name, name.charCodeAt(0), 5, name);
    queue.update('a', 1000, 5);
    expect(drain(queue)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('re-prioritises an entry, which keeps its original place among equal keys', () => {
    const queue = new StableQueue<string>();
    queue.push('first', 0, 10, 'first');
    queue.push('second', 0, 5, 'second');
    queue.push('third', 0, 5, 'third');
    // 'first' joins the priority-5 group; it was pushed before the others, so it leads it.
    queue.update('first', 0, 5);
    expect(queue.priorityOf('first')).toBe(5);
    expect(drain(queue)).toEqual(['first', 'second', 'third']);
  });

  it('forgets ids of popped entries, also after many pops', () => {
    const queue = new StableQueue<number>();
    for (let i = 0; i < 1000; i++) queue.push(`task-${i}`, i % 7, (i % 3) + 1, i);
    const popped = new Set<number>();
    for (let i = 0; i < 900; i++) popped.add(queue.pop()!);
    for (let i = 0; i < 1000; i++) {
      expect(queue.has(`task-${i}`)).toBe(!popped.has(i));
      expect(queue.get(`task-${i}`)).toBe(popped.has(i) ? undefined : i);
    }
    // Freed handles are reused by new ids; old ids must not see them.
    for (let i = 1000; i < 1900; i++) queue.push(`task-${i}`, 100, 1, i);
    expect(queue.has('task-0') || queue.has(`task-${[...popped][0]}`)).toBe(false);
    expect(queue.size).toBe(1000);
  });
});

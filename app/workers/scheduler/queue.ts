/** What the queue identifies its entries by: a task id, a timer id. */
export type QueueId = string | number;

// A heap node is four float64 slots in one typed array: siblings sit side by side, so a sift step
// reads a cache line or two instead of chasing one object pointer per comparison (see bench/).
const DUE = 0;
const PRIORITY = 1;
const SEQ = 2;
const HANDLE = 3;
const NODE = 4;

// Ids of popped entries may linger in the id map (see #liveHandle). It is rebuilt once they outnumber
// the live ones three to one: rarely enough to cost little per pop, often enough to bound its memory.
const STALE_IDS_SLACK = 64;

/**
 * A min-heap of items ordered by (due, priority, insertion sequence): the smallest due first, then
 * priority 1 (most urgent) before 20 (least; fractions allowed), then first-come-first-served. The
 * sequence is part of the key, so entries with equal due and priority never swap.
 *
 * Entries are identified by an id; push, pop, remove and update are O(log n). Each entry gets an
 * integer handle (reused once freed) that indexes its item, its id and its heap position.
 */
export class StableQueue<T> {
  #heap = new Float64Array(64 * NODE);
  /** Heap position by handle. */
  #positionOf = new Int32Array(64);
  #length = 0;
  #nextSeq = 0;
  #handleOf = new Map<QueueId, number>();
  readonly #itemOf: (T | undefined)[] = [];
  readonly #idOf: (QueueId | undefined)[] = [];
  readonly #freeHandles: number[] = [];

  /** How many entries are queued. */
  get size(): number {
    return this.#length;
  }

  /**
   * Queues `item` under `id`, after every entry already queued with the same due and priority.
   * @throws Error if `id` is already queued; RangeError if `id`, `due` or `priority` is NaN.
   */
  push(id: QueueId, due: number, priority: number, item: T): void {
    if (this.has(id)) throw new Error(`queue already holds id ${JSON.stringify(id)}`);
    // A NaN id would never equal itself in #liveHandle; a NaN key compares false with everything.
    if (id !== id || due !== due || priority !== priority)
      throw new RangeError('queue id, due and priority must not be NaN');
    if (this.#length === this.#positionOf.length) this.#grow();
    const handle = this.#freeHandles.pop() ?? this.#idOf.length;
    this.#handleOf.set(id, handle);
    this.#itemOf[handle] = item;
    this.#idOf[handle] = id;
    this.#siftUp(this.#length++, due, priority, this.#nextSeq++, handle);
  }

  /** Removes and returns the first item, or undefined when empty. */
  pop(): T | undefined {
    if (this.#length === 0) return undefined;
    // The id stays in #handleOf as a stale entry: deleting it here costs a random memory access per
    // pop (a quarter of a pop at a million entries), and #liveHandle already tells it is stale.
    const item = this.#release(this.#heap[HANDLE]!, 0);
    if (this.#handleOf.size > 4 * this.#length + STALE_IDS_SLACK) this.#dropStaleIds();
    return item;
  }

  /** The first item, or undefined when empty. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#itemOf[this.#heap[HANDLE]!];
  }

  /** The first item's id, or undefined when empty. */
  peekId(): QueueId | undefined {
    return this.#length === 0 ? undefined : this.#idOf[this.#heap[HANDLE]!];
  }

  /** The first item's due, or Infinity when empty (so "nothing to wait for" needs no special case). */
  peekDue(): number {
    return this.#length === 0 ? Infinity : this.#heap[DUE]!;
  }

  /** The first item's priority, or undefined when empty. */
  peekPriority(): number | undefined {
    return this.#length === 0 ? undefined : this.#heap[PRIORITY]!;
  }

  /** Whether `id` is queued. */
  has(id: QueueId): boolean {
    return this.#liveHandle(id) !== undefined;
  }

  /** The item queued under `id`, or undefined. */
  get(id: QueueId): T | undefined {
    const handle = this.#liveHandle(id);
    return handle === undefined ? undefined : this.#itemOf[handle];
  }

  /** The due of the entry `id`, or undefined if it is not queued. */
  dueOf(id: QueueId): number | undefined {
    return this.#keyOf(id, DUE);
  }

  /** The priority of the entry `id`, or undefined if it is not queued. */
  priorityOf(id: QueueId): number | undefined {
    return this.#keyOf(id, PRIORITY);
  }

  /** Removes the entry `id`. Returns whether it was queued. */
  remove(id: QueueId): boolean {
    const handle = this.#liveHandle(id);
    if (handle === undefined) return false;
    this.#handleOf.delete(id);
    this.#release(handle, this.#positionOf[handle]!);
    return true;
  }

  /**
   * Re-keys the entry `id` with a new due and priority. The entry keeps its original insertion
   * sequence: among entries that end up with the same due and priority it ranks by when it was first
   * pushed (to send it behind them instead, remove and push it again). Returns whether it was queued.
   * @throws RangeError if `due` or `priority` is NaN.
   */
  update(id: QueueId, due: number, priority: number): boolean {
    const handle = this.#liveHandle(id);
    if (handle === undefined) return false;
    if (due !== due || priority !== priority) throw new RangeError('queue due and priority must not be NaN');
    const position = this.#positionOf[handle]!;
    this.#place(position, due, priority, this.#heap[position * NODE + SEQ]!, handle);
    return true;
  }

  /** Empties the queue. The sequence keeps counting, so first-come order holds across a clear. */
  clear(): void {
    this.#handleOf.clear();
    this.#itemOf.length = this.#idOf.length = this.#freeHandles.length = this.#length = 0;
  }

  /** Calls `visit` with every queued item, in no particular order: O(n), no sort, no array. */
  forEach(visit: (item: T) => void): void {
    const heap = this.#heap;
    for (let position = 0; position < this.#length; position++)
      visit(this.#itemOf[heap[position * NODE + HANDLE]!] as T);
  }

  /** The items in the order pop would return them, without changing the queue. O(n log n). */
  toSortedArray(): T[] {
    const heap = this.#heap;
    const nodes = Array.from({ length: this.#length }, (_, position) => position * NODE);
    nodes.sort((a, b) => (precedes(heap, a, heap[b]!, heap[b + PRIORITY]!, heap[b + SEQ]!) ? -1 : 1));
    return nodes.map((node) => this.#itemOf[heap[node + HANDLE]!] as T);
  }

  /**
   * The first `limit` items in the order pop would return them, without changing the queue:
   * O(k log k) for k = min(limit, size), whatever the queue's size. The heap's root is the first; the
   * next is always a child of one already taken, so a small frontier heap of those children suffices.
   */
  firstSorted(limit: number): T[] {
    const heap = this.#heap;
    const length = this.#length;
    const count = Math.min(Math.max(0, Math.floor(limit)), length);
    const out: T[] = [];
    if (count === 0) return out;
    // Heap positions, ordered by their node's key (a binary min-heap over positions).
    const frontier: number[] = [0];
    const before = (a: number, b: number): boolean =>
      precedes(heap, a * NODE, heap[b * NODE]!, heap[b * NODE + PRIORITY]!, heap[b * NODE + SEQ]!);
    while (out.length < count) {
      const position = frontier[0]!;
      out.push(this.#itemOf[heap[position * NODE + HANDLE]!] as T);
      // Replace the taken root of the frontier with its last entry, sift it down, then add the children.
      const last = frontier.pop()!;
      if (frontier.length > 0) {
        let hole = 0;
        for (;;) {
          let child = 2 * hole + 1;
          if (child >= frontier.length) break;
          if (child + 1 < frontier.length && before(frontier[child + 1]!, frontier[child]!)) child++;
          if (!before(frontier[child]!, last)) break;
          frontier[hole] = frontier[child]!;
          hole = child;
        }
        frontier[hole] = last;
      }
      for (let child = 2 * position + 1; child <= 2 * position + 2 && child < length; child++) {
        let hole = frontier.length;
        frontier.push(child);
        while (hole > 0) {
          const parent = (hole - 1) >> 1;
          if (before(frontier[parent]!, child)) break;
          frontier[hole] = frontier[parent]!;
          hole = parent;
        }
        frontier[hole] = child;
      }
    }
    return out;
  }

  #liveHandle(id: QueueId): number | undefined {
    const handle = this.#handleOf.get(id);
    // A popped entry's id may still map to its handle, which is free or already someone else's.
    return handle !== undefined && this.#idOf[handle] === id ? handle : undefined;
  }

  #keyOf(id: QueueId, slot: number): number | undefined {
    const handle = this.#liveHandle(id);
    return handle === undefined ? undefined : this.#heap[this.#positionOf[handle]! * NODE + slot];
  }

  /** Takes the entry at `position` out of the heap and frees its handle; returns its item. */
  #release(handle: number, position: number): T | undefined {
    const item = this.#itemOf[handle];
    // Clearing the slots lets finished tasks be collected and marks the handle as free for #liveHandle.
    this.#itemOf[handle] = this.#idOf[handle] = undefined;
    this.#freeHandles.push(handle);
    const last = --this.#length * NODE;
    if (position * NODE !== last) {
      const heap = this.#heap;
      this.#place(position, heap[last]!, heap[last + PRIORITY]!, heap[last + SEQ]!, heap[last + HANDLE]!);
    }
    return item;
  }

  #dropStaleIds(): void {
    const liveIds = new Map<QueueId, number>();
    // By handle rather than by heap position: a sequential walk, where heap order would jump around.
    this.#idOf.forEach((id, handle) => id !== undefined && liveIds.set(id, handle));
    this.#handleOf = liveIds;
  }

  /** Writes a node into the hole at `position` and restores heap order around it. */
  #place(position: number, due: number, priority: number, seq: number, handle: number): void {
    const heap = this.#heap;
    const parent = ((position - 1) >> 1) * NODE;
    if (position > 0 && !precedes(heap, parent, due, priority, seq))
      this.#siftUp(position, due, priority, seq, handle);
    else this.#siftDown(position, due, priority, seq, handle);
  }

  // Both sifts move a hole, shifting nodes into it, and write the placed node once at the end.
  #siftUp(position: number, due: number, priority: number, seq: number, handle: number): void {
    const heap = this.#heap;
    while (position > 0) {
      const parentPosition = (position - 1) >> 1;
      if (precedes(heap, parentPosition * NODE, due, priority, seq)) break;
      this.#moveNode(parentPosition, position);
      position = parentPosition;
    }
    heap[position * NODE] = due;
    heap[position * NODE + PRIORITY] = priority;
    heap[position * NODE + SEQ] = seq;
    heap[position * NODE + HANDLE] = handle;
    this.#positionOf[handle] = position;
  }

  // Floyd's variant: the hole goes all the way down along the smaller children (one comparison per
  // level instead of two), then the node sifts up from there — it came from the bottom, so rarely far.
  #siftDown(position: number, due: number, priority: number, seq: number, handle: number): void {
    const heap = this.#heap;
    const length = this.#length;
    const firstLeaf = length >> 1;
    while (position < firstLeaf) {
      let child = 2 * position + 1;
      const right = (child + 1) * NODE;
      if (
        child + 1 < length &&
        precedes(heap, right, heap[right - NODE]!, heap[right - NODE + PRIORITY]!, heap[right - NODE + SEQ]!)
      ) {
        child++;
      }
      this.#moveNode(child, position);
      position = child;
    }
    this.#siftUp(position, due, priority, seq, handle);
  }

  #moveNode(from: number, to: number): void {
    const heap = this.#heap;
    const source = from * NODE;
    const target = to * NODE;
    heap[target] = heap[source]!;
    heap[target + PRIORITY] = heap[source + PRIORITY]!;
    heap[target + SEQ] = heap[source + SEQ]!;
    const handle = (heap[target + HANDLE] = heap[source + HANDLE]!);
    this.#positionOf[handle] = to;
  }

  #grow(): void {
    const heap = new Float64Array(this.#heap.length * 2);
    heap.set(this.#heap);
    this.#heap = heap;
    const positionOf = new Int32Array(this.#positionOf.length * 2);
    positionOf.set(this.#positionOf);
    this.#positionOf = positionOf;
  }
}

/** Whether the node at `node` comes before the key (due, priority, seq). Keys never tie: seq is unique. */
function precedes(heap: Float64Array, node: number, due: number, priority: number, seq: number): boolean {
  const nodeDue = heap[node]!;
  if (nodeDue !== due) return nodeDue < due;
  const nodePriority = heap[node + PRIORITY]!;
  if (nodePriority !== priority) return nodePriority < priority;
  return heap[node + SEQ]! < seq;
}

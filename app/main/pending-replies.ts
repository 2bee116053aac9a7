import type { ErrorBody, Reply } from '../shared/contract.js';

/** A request id this host assigned, and the promise of the daemon's reply to it. */
export interface PendingReply {
  id: string;
  reply: Promise<Reply>;
}

interface Waiter {
  resolve: (reply: Reply) => void;
  timer: NodeJS.Timeout;
}

/**
 * Matches the daemon's replies to the requests main sent, by id. Every promise settles exactly once:
 * with the daemon's reply, with `unavailable` when it does not answer within the timeout, or when
 * {@link failAll} is called because the daemon is gone. None ever rejects, so a caller can hand the
 * result straight to the renderer as a `Reply`.
 */
export class PendingReplies {
  readonly #waiters = new Map<string, Waiter>();
  readonly #prefix: string;
  #nextId = 1;

  constructor(prefix = 'main') {
    this.#prefix = prefix;
  }

  /** How many requests still wait for their reply. */
  get size(): number {
    return this.#waiters.size;
  }

  /** Reserves a fresh id whose reply settles within `timeoutMs`. */
  create(timeoutMs: number): PendingReply {
    const id = `${this.#prefix}-${this.#nextId++}`;
    const reply = new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        resolve(
          failure(id, { code: 'unavailable', message: `the daemon did not answer within ${timeoutMs} ms` }),
        );
      }, timeoutMs);
      this.#waiters.set(id, { resolve, timer });
    });
    return { id, reply };
  }

  /** Hands `reply` to the request it answers; false when none waits for its id (late or foreign). */
  settle(reply: Reply): boolean {
    if (typeof reply.id !== 'string') return false;
    const waiter = this.#waiters.get(reply.id);
    if (!waiter) return false;
    this.#waiters.delete(reply.id);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  /** Answers every waiting request with `error` (the daemon exited: no reply will come). */
  failAll(error: ErrorBody): void {
    for (const [id, waiter] of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(failure(id, error));
    }
    this.#waiters.clear();
  }
}

function failure(id: string, error: ErrorBody): Reply {
  return { id, ok: false, error };
}

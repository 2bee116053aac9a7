/**
 * Test support (not shipped): a {@link ChildAdapter} with no process behind it, so the Supervisor's
 * restarts, stops and heartbeats run on a VirtualClock. The test drives it: `spawn()`, `send()`,
 * `exit()`; how it answers the shutdown request and signals is set per launcher.
 */
import type { ChildAdapter, ChildEvents, ChildExit } from '../child-adapter.js';

/** How a fake daemon reacts to what its host does. */
export interface FakeChildBehaviour {
  /** Spawns (gets a pid) as soon as it is started. Default true. */
  spawnsAtOnce?: boolean;
  /** Exits 0 after the `shutdown` request. Default true. */
  honoursShutdown?: boolean;
  /** Echoes heartbeat pings, as the daemon's transport does. Default true. */
  answersHeartbeat?: boolean;
  /** SIGTERM changes nothing (a handler that ignores it). Default false. */
  ignoresSigterm?: boolean;
  /** Even SIGKILL is never reported as an exit (the OS never tells). Default false. */
  neverReportsExit?: boolean;
  /** The IPC channel is closed: every `postMessage` returns false. Default false. */
  channelClosed?: boolean;
}

let nextPid = 70_000;

/** One fake daemon process. */
export class FakeChild implements ChildAdapter {
  pid: number | undefined;
  /** Every message the host posted, heartbeat pings included. */
  readonly posted: object[] = [];
  /** Every signal the host sent, in order. */
  readonly signals: string[] = [];
  readonly behaviour: Required<FakeChildBehaviour>;
  #events: ChildEvents | undefined;
  #ended = false;

  constructor(behaviour: FakeChildBehaviour = {}) {
    this.behaviour = {
      spawnsAtOnce: true,
      honoursShutdown: true,
      answersHeartbeat: true,
      ignoresSigterm: false,
      neverReportsExit: false,
      channelClosed: false,
      ...behaviour,
    };
  }

  get ended(): boolean {
    return this.#ended;
  }

  start(events: ChildEvents): void {
    this.#events = events;
    if (this.behaviour.spawnsAtOnce) this.spawn();
  }

  /** The process runs: it gets a pid and reports its spawn. */
  spawn(pid = nextPid++): this {
    this.pid = pid;
    this.#events?.onSpawn(pid);
    return this;
  }

  /** The daemon sends `message` to its host. */
  send(message: unknown): void {
    this.#events?.onMessage(message);
  }

  /** The process ends: by default with exit code `code`; a signal makes it `killed`. */
  exit(code: number | null, signal: NodeJS.Signals | null = null, reason?: ChildExit['reason']): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#events?.onExit({
      reason: reason ?? (signal ? 'killed' : code === 0 ? 'clean-exit' : 'abnormal-exit'),
      code,
      signal,
    });
  }

  postMessage(message: object): boolean {
    if (this.behaviour.channelClosed || this.#ended) return false;
    this.posted.push(message);
    if ('heartbeat' in message && this.behaviour.answersHeartbeat) this.send(message);
    if ('method' in message && message.method === 'shutdown' && this.behaviour.honoursShutdown) {
      // The real daemon answers, flushes, then exits: later than the send, never inside it.
      queueMicrotask(() => this.exit(0));
    }
    return true;
  }

  kill(signal: 'SIGTERM' | 'SIGKILL'): void {
    this.signals.push(signal);
    if (this.behaviour.neverReportsExit) return;
    if (signal === 'SIGTERM' && this.behaviour.ignoresSigterm) return;
    queueMicrotask(() => this.exit(null, signal));
  }
}

/** A `launch` for the Supervisor that makes FakeChilds with `behaviour` and keeps them, oldest first. */
export function fakeLauncher(behaviour: FakeChildBehaviour = {}) {
  const children: FakeChild[] = [];
  return {
    children,
    /** The most recently launched child. */
    get child(): FakeChild {
      const child = children.at(-1);
      if (!child) throw new Error('fake-child: nothing was launched');
      return child;
    },
    launch: (): FakeChild => {
      const child = new FakeChild(behaviour);
      children.push(child);
      return child;
    },
  };
}

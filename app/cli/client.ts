import net from 'node:net';
import type * as Contract from '../shared/contract.js';
import type { DaemonEvent, ErrorCode, Method, Params, Result } from '../shared/contract.js';
import { LineSplitter, encodeLine, type LogLevel } from '../shared/lines.js';

/** The daemon answered `ok: false`. `message` is the daemon's own, unchanged; `field` names the culprit. */
export class DaemonError extends Error {
  override readonly name = 'DaemonError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** The message's catalog key and params, when the daemon sent them (the CLI shows it in its language). */
    readonly text?: { key?: string | undefined; params?: Record<string, string | number> | undefined },
  ) {
    super(message);
  }
}

/** Nothing listens on the control socket. The message is written for the user; the CLI prints it as-is. */
export class DaemonNotRunningError extends Error {
  override readonly name = 'DaemonNotRunningError';
  constructor(
    readonly socketPath: string,
    options?: ErrorOptions,
  ) {
    super('no mytimer daemon is running — start one with `npx mytimer run`', options);
  }
}

/** The daemon did not accept the connection (`method` null) or did not answer a request in time. */
export class DaemonTimeoutError extends Error {
  override readonly name = 'DaemonTimeoutError';
  constructor(
    readonly method: string | null,
    readonly timeoutMs: number,
  ) {
    super(
      method === null
        ? `the mytimer daemon did not accept a connection within ${timeoutMs} ms`
        : `the mytimer daemon did not answer "${method}" within ${timeoutMs} ms`,
    );
  }
}

/** The connection closed (daemon exited, or `close()` was called) while a request was waiting. */
export class DaemonDisconnectedError extends Error {
  override readonly name = 'DaemonDisconnectedError';
  constructor(
    readonly method: string,
    options?: ErrorOptions,
  ) {
    super(`the connection to the mytimer daemon closed before it answered "${method}"`, options);
  }
}

/** How to talk to the daemon. */
export interface ControlClientOptions {
  /** Limit for connecting and for each request's reply; default 3000 ms. */
  timeoutMs?: number;
  /** Where to report lines from the daemon that break the contract (dropped, never thrown). */
  log?: (level: LogLevel, message: string) => void;
}

/** One open connection to the daemon's control socket. */
export interface ControlClient {
  /**
   * Sends a request; resolves to its `result`, checked against the method's result schema (a reply
   * that does not fit rejects: the daemon is another version). Rejects with DaemonError on `ok: false`.
   */
  request<M extends Method>(method: M, params?: Params<M>): Promise<Result<M>>;
  /** Sends a request and resolves to its `result` unchecked: the transport alone (tests, relays). */
  send<M extends Method>(method: M, params?: Params<M>): Promise<unknown>;
  /** Asks the daemon for events and calls `onEvent` for each; resolves once the daemon confirmed. */
  subscribe(onEvent: (event: DaemonEvent) => void): Promise<void>;
  /** Ends the connection; waiting requests reject with DaemonDisconnectedError. */
  close(): Promise<void>;
  /** Settles when the connection is gone, for whatever reason (a `watch` loop waits on it). */
  readonly closed: Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 3_000;
/** A status or settings reply is far below this; the cap only stops a runaway daemon from exhausting us. */
const MAX_REPLY_LINE_BYTES = 16 * 1024 * 1024;
/** How long the daemon gets to close its side after ours before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Connects to the daemon's control socket. Rejects with DaemonNotRunningError when nothing listens there
 * (no socket: ENOENT; a stale socket from a crashed daemon: ECONNREFUSED).
 */
export function connectControl(
  socketPath: string,
  options: ControlClientOptions = {},
): Promise<ControlClient> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = options.log ?? (() => {});
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DaemonTimeoutError(null, timeoutMs));
    }, timeoutMs);
    const onConnectError = (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const notRunning = err.code === 'ENOENT' || err.code === 'ECONNREFUSED';
      reject(notRunning ? new DaemonNotRunningError(socketPath, { cause: err }) : err);
    };
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      clearTimeout(timer);
      // The contract's schemas (zod) load only once a daemon answers: `mytimer status` with no daemon
      // stays a fast "not running".
      import('../shared/contract.js').then((contract) => {
        socket.off('error', onConnectError);
        resolve(attach(socket, timeoutMs, log, contract));
      }, reject);
    });
  });
}

/** Connects, sends one request, closes: what most CLI commands need. */
export async function requestOnce<M extends Method>(
  socketPath: string,
  method: M,
  params?: Params<M>,
  options?: ControlClientOptions,
): Promise<Result<M>> {
  const client = await connectControl(socketPath, options);
  try {
    return await client.request(method, params);
  } finally {
    await client.close();
  }
}

function attach(
  socket: net.Socket,
  timeoutMs: number,
  log: (level: LogLevel, message: string) => void,
  { daemonEventSchema, parseResult, replySchema }: typeof Contract,
): ControlClient {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: DaemonEvent) => void>();
  const splitter = new LineSplitter(MAX_REPLY_LINE_BYTES);
  let nextId = 1;
  let subscribed: Promise<unknown> | undefined;
  let lastError: Error | undefined;
  let isClosed = false;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  socket.on('data', (chunk: Buffer) => {
    const { lines, overflow } = splitter.push(chunk);
    for (const line of lines) onLine(line);
    if (overflow) socket.destroy(new Error(`the daemon sent a line over ${MAX_REPLY_LINE_BYTES} bytes`));
  });
  socket.on('error', (err) => (lastError = err));
  socket.on('close', () => {
    isClosed = true;
    for (const [id, entry] of pending) {
      pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new DaemonDisconnectedError(entry.method, lastError ? { cause: lastError } : undefined));
    }
    markClosed();
  });

  function onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      log('warn', 'the daemon sent a line that is not JSON; ignored');
      return;
    }
    if (typeof message === 'object' && message !== null && 'event' in message) {
      const event = daemonEventSchema.safeParse(message);
      if (!event.success) {
        log('warn', `the daemon sent a malformed event; ignored: ${event.error.issues[0]?.message ?? ''}`);
        return;
      }
      for (const listener of listeners) listener(event.data);
      return;
    }
    const parsed = replySchema.safeParse(message);
    if (!parsed.success) {
      log('warn', 'the daemon sent a malformed reply; ignored');
      return;
    }
    const reply = parsed.data;
    const id =
      typeof reply.id === 'number' ? reply.id : reply.id === null ? soleWaitingId(reply.ok) : undefined;
    const entry = id === undefined ? undefined : pending.get(id);
    if (id === undefined || entry === undefined) {
      // A late reply after a timeout, or an id-less error we cannot pin on one request.
      if (!reply.ok) log('warn', `the daemon reported: ${reply.error.message}`);
      return;
    }
    pending.delete(id);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply.result);
    else entry.reject(new DaemonError(reply.error.code, reply.error.message, reply.error.field, reply.error));
  }

  /**
   * The daemon answers with id null when it could not read the line at all (too long, not JSON). We only
   * send well-formed lines, so with exactly one request waiting, that error can only be about that one.
   */
  function soleWaitingId(ok: boolean): number | undefined {
    if (ok || pending.size !== 1) return undefined;
    return pending.keys().next().value;
  }

  function send(method: string, id: number, message: object): Promise<unknown> {
    if (isClosed || !socket.writable) return Promise.reject(new DaemonDisconnectedError(method));
    let line: string;
    try {
      line = encodeLine(message);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new DaemonTimeoutError(method, timeoutMs));
      }, timeoutMs);
      pending.set(id, { method, resolve, reject, timer });
      socket.write(line);
    });
  }

  const sendRequest = (method: Method, params: unknown): Promise<unknown> => {
    const id = nextId++;
    return send(method, id, params === undefined ? { id, method } : { id, method, params });
  };

  return {
    closed,
    async request(method, params) {
      return parseResult(method, await sendRequest(method, params));
    },
    send: sendRequest,
    async subscribe(onEvent) {
      listeners.add(onEvent);
      // One subscription per connection; later listeners share it.
      if (!subscribed) {
        const id = nextId++;
        subscribed = send('subscribe', id, { id, subscribe: true });
      }
      try {
        await subscribed;
      } catch (err) {
        listeners.delete(onEvent);
        subscribed = undefined;
        throw err;
      }
    },
    close() {
      if (!isClosed) {
        socket.end();
        setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      }
      return closed;
    },
  };
}

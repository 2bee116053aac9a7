import { chmod, lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import type { DaemonEvent, Reply } from '../../shared/contract.js';
import { describeValue } from '../../shared/errors.js';
import {
  CONTROL_IDLE_TIMEOUT_MS,
  CONTROL_MAX_BUFFERED_BYTES,
  CONTROL_MAX_CONNECTIONS,
  CONTROL_MAX_PENDING_REQUESTS,
  DAY_MS,
} from '../../shared/limits.js';
import { AlreadyRunningError, SocketPathOccupiedError } from './errors.js';
import { LineSplitter, MAX_LINE_BYTES, encodeLine, type LogLevel } from '../../shared/lines.js';

/** Severity of a line the server wants logged; the daemon routes it to its own log. */
export type { LogLevel };

/** What `startControlServer` needs. */
export interface ControlServerOptions {
  /** A Unix socket path inside a 0700 directory, or a Windows named pipe (`\\.\pipe\…`). */
  socketPath: string;
  /**
   * Answers one message (the line's parsed JSON object, not yet validated). It should validate with
   * `requestSchema` and always resolve to a Reply; the server still guards against it throwing.
   */
  handle: (message: unknown) => Promise<Reply>;
  log?: (level: LogLevel, message: string) => void;
  /** Per-server bounds; each one left out takes its default from app/shared/limits.ts. */
  limits?: Partial<ControlLimits>;
}

/** What one control server lets its clients cost the daemon. */
export interface ControlLimits {
  /** Connections at once. At the cap a new one is still accepted: the longest-idle one is closed instead. */
  maxConnections: number;
  /** Unsent reply bytes one connection may pile up; past this its requests are not read until it reads. */
  maxBufferedBytes: number;
  /** Requests of one connection being handled at once; later ones wait, unread, until one is answered. */
  maxPendingRequests: number;
  /** A connection with no traffic for this long is closed; one subscribed to events never is. */
  idleTimeoutMs: number;
}

/** Allowed range of each limit: `maxBufferedBytes` stays above a socket's write high-water mark (16 KiB). */
const LIMIT_RANGES: Record<keyof ControlLimits, readonly [min: number, max: number]> = {
  maxConnections: [1, 10_000],
  maxBufferedBytes: [64 * 1024, 1024 * 1024 * 1024],
  maxPendingRequests: [1, 100_000],
  idleTimeoutMs: [1, DAY_MS],
};

/** A listening control socket. */
export interface ControlServer {
  /** Writes the event to every client that subscribed; request/reply clients never see events. */
  broadcast(event: DaemonEvent): void;
  /** Stops accepting, ends every client, removes the socket file; resolves once all are gone. */
  close(): Promise<void>;
  readonly path: string;
  /** Connected clients, subscribed or not. */
  readonly clientCount: number;
  /** Reply and event bytes written to clients but not yet taken by the OS, over all connections. */
  readonly bufferedBytes: number;
  /** Connections whose input is not read for now (backpressure: too much unsent or unanswered). */
  readonly readingPaused: number;
}

/** A subscriber that stops reading would make writes pile up in memory; past this it is dropped. */
const MAX_SUBSCRIBER_BACKLOG_BYTES = 8 * 1024 * 1024;
/** How long a client gets to finish after `end()` before it is destroyed (a peer may never close its side). */
const END_GRACE_MS = 1_000;
/** How long the stale-socket probe waits; a daemon that accepts nothing in that time still holds the path. */
const PROBE_TIMEOUT_MS = 1_000;
/** JSON.parse messages can quote the input; keep error replies short whatever was sent. */
const MAX_PARSE_MESSAGE_CHARS = 200;

interface Connection {
  readonly socket: net.Socket;
  readonly splitter: LineSplitter;
  subscribed: boolean;
  /** Requests handed to `handle` whose replies are not written yet. */
  inFlight: number;
  /** No more input is read; the connection ends once in-flight replies are written. */
  closing: boolean;
  /** Lines read but not yet handled (from `queueHead` on): they wait while the connection is over a limit. */
  queued: string[];
  queueHead: number;
  /** The last line grew past MAX_LINE_BYTES: refused once the lines before it are handled. */
  overflowed: boolean;
  /** `socket.pause()` is in effect: the kernel's buffer, not ours, holds what the client sends next. */
  paused: boolean;
  /** Ordinal of its last traffic (a counter, not a clock): the smallest is the longest idle. */
  lastActive: number;
}

type Id = string | number | null;

/**
 * Starts the daemon's control socket: newline-delimited JSON, one request or reply per line.
 *
 * Only one daemon per user may listen: a live daemon on the path rejects with AlreadyRunningError, a stale
 * socket left by a crashed one is removed first. On POSIX the socket is created under umask 0177 and then
 * chmod-ed to 0600, so no other user can connect even for an instant.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { socketPath, handle } = options;
  const log = options.log ?? (() => {});
  const limits = resolveLimits(options.limits ?? {});
  const pipe = isNamedPipe(socketPath);
  const connections = new Set<Connection>();
  let activity = 0;

  if (!pipe) await removeStaleSocket(socketPath, log);

  const server = net.createServer((socket) => {
    // Never refuse: a refused connection locks the CLI out. Make room by closing the longest-idle one.
    if (liveCount() >= limits.maxConnections) evictLongestIdle();
    const conn: Connection = {
      socket,
      splitter: new LineSplitter(MAX_LINE_BYTES),
      subscribed: false,
      inFlight: 0,
      closing: false,
      queued: [],
      queueHead: 0,
      overflowed: false,
      paused: false,
      lastActive: ++activity,
    };
    connections.add(conn);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('timeout', () => onIdle(conn));
    socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    socket.on('drain', () => pump(conn));
    // A client vanishing mid-write (EPIPE, ECONNRESET) is routine; without a listener it would crash us.
    socket.on('error', (err) => log('info', `control client error: ${err.message}`));
    socket.on('close', () => connections.delete(conn));
  });

  function liveCount(): number {
    let live = 0;
    for (const conn of connections) if (!conn.closing) live += 1;
    return live;
  }

  /** Closes the connection that waited longest, preferring one with nothing to lose (no events, no work). */
  function evictLongestIdle(): void {
    let victim: Connection | undefined;
    let victimRank = Infinity;
    for (const conn of connections) {
      if (conn.closing) continue;
      const busy = conn.subscribed || conn.inFlight > 0 || conn.queueHead < conn.queued.length;
      // Busy ones rank after every idle one; within each group, the longest idle first.
      const rank = (busy ? activity + 1 : 0) + conn.lastActive;
      if (rank < victimRank) [victim, victimRank] = [conn, rank];
    }
    if (!victim) return;
    log(
      'info',
      `control socket at its cap of ${limits.maxConnections} connections; closing the longest-idle one`,
    );
    victim.closing = true;
    // Destroyed, not ended: its buffers are freed now, whatever its peer does.
    victim.socket.destroy();
  }

  function onIdle(conn: Connection): void {
    // Event subscribers wait quietly by design; a request being handled will still be answered.
    if (conn.closing || conn.subscribed || conn.inFlight > 0) return;
    log('info', `closing a control connection idle for ${limits.idleTimeoutMs} ms`);
    conn.closing = true;
    endGracefully(conn.socket);
  }

  function onData(conn: Connection, chunk: Buffer): void {
    if (conn.closing) return;
    conn.lastActive = ++activity;
    const { lines, overflow } = conn.splitter.push(chunk);
    for (const line of lines) conn.queued.push(line);
    if (overflow) conn.overflowed = true;
    pump(conn);
  }

  /**
   * Hands queued lines to `onLine` while the connection is under its limits, then pauses or resumes
   * reading: a client that pipelines requests and never reads its replies costs at most
   * `maxBufferedBytes` plus the replies of `maxPendingRequests`, however much it sends.
   */
  function pump(conn: Connection): void {
    while (conn.queueHead < conn.queued.length && !conn.closing && !overLimits(conn)) {
      const line = conn.queued[conn.queueHead] as string;
      conn.queueHead += 1;
      onLine(conn, line);
    }
    if (conn.queueHead >= conn.queued.length && conn.queueHead > 0) {
      conn.queued = [];
      conn.queueHead = 0;
    }
    if (conn.overflowed && conn.queued.length === 0 && !conn.closing) {
      log('warn', `control client sent a line over ${MAX_LINE_BYTES} bytes; closing it`);
      send(conn, failure(null, `line exceeds ${MAX_LINE_BYTES} bytes (1 MiB); closing the connection`));
      conn.closing = true;
      endWhenIdle(conn);
    }
    const hold = !conn.closing && (conn.queued.length > 0 || overLimits(conn));
    if (hold && !conn.paused) conn.socket.pause();
    else if (!hold && conn.paused) conn.socket.resume();
    conn.paused = hold;
  }

  function overLimits(conn: Connection): boolean {
    return conn.inFlight >= limits.maxPendingRequests || conn.socket.writableLength > limits.maxBufferedBytes;
  }

  function onLine(conn: Connection, line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      send(conn, failure(null, `not valid JSON: ${reason.slice(0, MAX_PARSE_MESSAGE_CHARS)}`));
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      send(conn, failure(null, `a message must be a JSON object (got ${describeValue(message)})`));
      return;
    }
    const id = idOf(message);
    if ('subscribe' in message && !('method' in message)) {
      if (typeof message.subscribe !== 'boolean') {
        send(conn, failure(id, 'must be true or false', 'subscribe'));
        return;
      }
      conn.subscribed = message.subscribe;
      send(conn, { id, ok: true, result: { subscribed: conn.subscribed } });
      return;
    }
    // Not awaited: a slow request must not hold up the ones behind it; replies carry their id.
    conn.inFlight += 1;
    void Promise.resolve()
      .then(() => handle(message))
      .catch((err: unknown): Reply => {
        const reason = err instanceof Error ? err.message : String(err);
        log('error', `control handler threw: ${reason}`);
        return { id, ok: false, error: { code: 'internal', message: reason } };
      })
      .then((reply) => {
        conn.inFlight -= 1;
        send(conn, reply);
        if (conn.closing) endWhenIdle(conn);
        else pump(conn);
      });
  }

  function send(conn: Connection, reply: Reply): void {
    const { socket } = conn;
    if (socket.destroyed || socket.writableEnded) return;
    let line: string;
    try {
      line = encodeLine(reply);
    } catch (err) {
      // A result with a cycle or a BigInt: the client still gets an answer to its id.
      const reason = err instanceof Error ? err.message : String(err);
      log('error', `control reply could not be encoded: ${reason}`);
      line = encodeLine(failure(reply.id, `reply could not be encoded: ${reason}`, undefined, 'internal'));
    }
    conn.lastActive = ++activity;
    socket.write(line);
  }

  function endWhenIdle(conn: Connection): void {
    if (conn.inFlight > 0 || conn.socket.writableEnded) return;
    endGracefully(conn.socket);
  }

  await listen(server, socketPath, pipe);
  if (!pipe) {
    try {
      await chmod(socketPath, 0o600);
    } catch (err) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw err;
    }
  }
  log('info', `control socket listening on ${socketPath}`);

  let closed: Promise<void> | undefined;
  return {
    path: socketPath,
    get clientCount() {
      return connections.size;
    },
    get bufferedBytes() {
      let bytes = 0;
      for (const { socket } of connections) bytes += socket.writableLength;
      return bytes;
    },
    get readingPaused() {
      let paused = 0;
      for (const conn of connections) if (conn.paused) paused += 1;
      return paused;
    },
    broadcast(event) {
      let line: string;
      try {
        line = encodeLine(event);
      } catch (err) {
        log('error', `event could not be encoded: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      for (const conn of connections) {
        const { socket } = conn;
        if (!conn.subscribed || conn.closing || socket.destroyed || socket.writableEnded) continue;
        if (socket.writableLength > MAX_SUBSCRIBER_BACKLOG_BYTES) {
          log('warn', 'dropping a control subscriber that stopped reading events');
          socket.destroy();
          continue;
        }
        socket.write(line);
      }
    },
    close() {
      closed ??= (async () => {
        // Unlink while the path is still ours: a successor daemon may bind it the moment we stop.
        if (!pipe) await unlink(socketPath).catch(ignoreMissing);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // The server's own close can fire before its sockets' 'close' events; wait for both so that
        // clientCount is 0 when this resolves.
        const gone = [...connections].map(
          ({ socket }) => new Promise((resolve) => socket.once('close', resolve)),
        );
        for (const conn of connections) {
          conn.closing = true;
          endGracefully(conn.socket);
        }
        await Promise.all([stopped, ...gone]);
      })();
      return closed;
    },
  };
}

/** `\\.\pipe\name` (or `\\?\pipe\name`): a Windows named pipe, which has no file to probe, chmod or unlink. */
export function isNamedPipe(socketPath: string): boolean {
  return /^\\\\[.?]\\pipe\\/i.test(socketPath);
}

/** The defaults from app/shared/limits.ts, overridden by `given`; a value out of range throws, naming it. */
function resolveLimits(given: Partial<ControlLimits>): ControlLimits {
  const limits: ControlLimits = {
    maxConnections: CONTROL_MAX_CONNECTIONS,
    maxBufferedBytes: CONTROL_MAX_BUFFERED_BYTES,
    maxPendingRequests: CONTROL_MAX_PENDING_REQUESTS,
    idleTimeoutMs: CONTROL_IDLE_TIMEOUT_MS,
  };
  for (const key of Object.keys(LIMIT_RANGES) as (keyof ControlLimits)[]) {
    const value = given[key];
    if (value === undefined) continue;
    const [min, max] = LIMIT_RANGES[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `control server: limits.${key} must be an integer from ${min} to ${max} (got ${describeValue(value)})`,
      );
    }
    limits[key] = value;
  }
  return limits;
}

function failure(id: Id, message: string, field?: string, code: 'invalid' | 'internal' = 'invalid'): Reply {
  return { id, ok: false, error: field === undefined ? { code, message } : { code, field, message } };
}

function idOf(message: object): Id {
  const id = 'id' in message ? message.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function endGracefully(socket: net.Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), END_GRACE_MS).unref();
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}

/**
 * Listens with umask 0177 around the bind, so the socket file is born 0600. `listen` binds synchronously
 * for a non-cluster process, so the umask is restored right after and no other file the daemon creates
 * (directories especially) inherits it.
 */
function listen(server: net.Server, socketPath: string, pipe: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      // On Windows this is the only sign of a live daemon; on POSIX, one that started since our probe.
      reject(err.code === 'EADDRINUSE' ? new AlreadyRunningError(socketPath) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    const restoreUmask = pipe ? undefined : setUmask(0o177);
    try {
      server.listen(socketPath);
    } finally {
      restoreUmask?.();
    }
  });
}

/** Sets the process umask and returns its undo; worker threads may not change it, and chmod still follows. */
function setUmask(mask: number): (() => void) | undefined {
  try {
    const previous = process.umask(mask);
    return () => void process.umask(previous);
  } catch {
    return undefined;
  }
}

/**
 * A socket file with nobody behind it is what a crashed daemon leaves; connecting tells the two apart.
 * ECONNREFUSED (no listener) or ENOENT (gone meanwhile) means stale; a connection means a live daemon.
 */
async function removeStaleSocket(
  socketPath: string,
  log: (level: LogLevel, message: string) => void,
): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(socketPath)).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) throw new SocketPathOccupiedError(socketPath);
  if (await isAnswering(socketPath)) throw new AlreadyRunningError(socketPath);
  await unlink(socketPath).catch(ignoreMissing);
  log('info', `removed stale control socket ${socketPath}`);
}

function isAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createConnection(socketPath);
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      probe.destroy();
      fn();
    };
    // Connected but not yet accepted still means a process owns the path; treat silence as alive.
    const timer = setTimeout(() => settle(() => resolve(true)), PROBE_TIMEOUT_MS);
    probe.once('connect', () => settle(() => resolve(true)));
    probe.once('error', (err: NodeJS.ErrnoException) =>
      settle(() => (err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? resolve(false) : reject(err))),
    );
  });
}

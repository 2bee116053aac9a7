import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Method, Params, Result } from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import { escapeControl } from '../shared/terminal-text.js';
import { isMessageKey } from '../shared/i18n/index.js';
import { appPaths, resolveHome, runtimeDir, socketPath, type AppPaths } from '../shared/paths.js';
import { DaemonError, DaemonNotRunningError, connectControl } from './client.js';
import { UsageError, type CliIO } from './io.js';

/** The program-wide options every command sees (`mytimer --home <dir> …`). */
export interface GlobalOptions {
  home?: string;
}

/** The global options as seen from any (sub)command's action. */
export function globalsOf(command: Command): GlobalOptions {
  const { home } = command.optsWithGlobals<{ home?: string }>();
  return home === undefined ? {} : { home };
}

/**
 * Sends one request and resolves to its result, checked against the contract's result schema for
 * the method (a reply that does not fit is a version mismatch, exit 1); daemon errors arrive already
 * mapped by `toCliError`.
 */
export type DaemonRequest = <M extends Method>(method: M, params?: Params<M>) => Promise<Result<M>>;

/** How long an offline edit waits for the settings lock: a daemon starting up holds it for good. */
const LOCK_TIMEOUT_MS = 3_000;

/**
 * A daemon error reply as the CLI reports it. `invalid` becomes a ValidationError (one line, exit 2);
 * `not-found` (an unknown id) and `conflict` (a pomodoro already running) are bad input too (exit 2);
 * anything else a plain Error (exit 1). The daemon names fields from its request root
 * (`params.reminder.priority`); the `params.` is dropped so both paths name a field the same way.
 */
export function toCliError(error: DaemonError): Error {
  const field = error.field?.replace(/^params\./, '');
  if (error.code === 'invalid') {
    const key = error.text?.key;
    const text =
      key !== undefined && isMessageKey(key) ? { key, params: error.text?.params ?? {} } : undefined;
    return field
      ? new ValidationError(field, error.message, text)
      : new UsageError(error.message, { cause: error });
  }
  if (error.code === 'not-found' || error.code === 'conflict') {
    return new UsageError(field ? `${field}: ${error.message}` : error.message, { cause: error });
  }
  return new Error(field ? `${field}: ${error.message}` : error.message, { cause: error });
}

/** The files and the control socket one invocation works with. */
export interface Location {
  paths: AppPaths;
  socket: string;
}

/** Where this invocation's settings and control socket are: `--home`, else `MYTIMER_HOME`, else the OS dir. */
export async function locate(io: CliIO, globals: GlobalOptions): Promise<Location> {
  const options = { home: globals.home, env: io.env };
  const paths = appPaths(resolveHome(options));
  return { paths, socket: socketPath(await runtimeDir(options)) };
}

/**
 * Runs `fn` with a connection to the running daemon. Without one, the connection's
 * DaemonNotRunningError propagates: its message tells the user how to start one (exit 1).
 */
export async function withDaemon<T>(
  io: CliIO,
  globals: GlobalOptions,
  fn: (request: DaemonRequest) => Promise<T>,
): Promise<T> {
  const { socket } = await locate(io, globals);
  return talkTo(socket, fn);
}

async function talkTo<T>(socket: string, fn: (request: DaemonRequest) => Promise<T>): Promise<T> {
  const client = await connectControl(socket);
  const request: DaemonRequest = (method, params) =>
    client.request(method, params).catch((error: unknown) => {
      throw error instanceof DaemonError ? toCliError(error) : error;
    });
  try {
    return await fn(request);
  } finally {
    await client.close();
  }
}

/** How a settings command does its work. */
export interface SettingsRoutes<T> {
  /**
   * Asks the daemon's own handlers: the running daemon's when there is one (`offline` false), else
   * the same code run in this process under the settings lock (`offline` true). Either way the
   * daemon's rules check the change, and the daemon's code is the one that writes the files.
   */
  viaDaemon: (request: DaemonRequest, offline: boolean) => Promise<T>;
}

/**
 * Runs a settings command against the daemon when one runs, else against the daemon's engine in
 * this process. The daemon holds the settings lock for its whole life, so the offline path takes
 * the same lock: one writer at a time, whether two CLI edits race or a daemon starts meanwhile. A
 * lock still held after the timeout means a daemon is starting (or another edit hangs): that is
 * reported, not waited out.
 */
export async function withSettings<T>(
  io: CliIO,
  globals: GlobalOptions,
  routes: SettingsRoutes<T>,
  options: { lockTimeoutMs?: number } = {},
): Promise<T> {
  const { paths, socket } = await locate(io, globals);
  try {
    return await talkTo(socket, (request) => routes.viaDaemon(request, false));
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
  }
  // No daemon: its engine (and the store) load now, not for every command that talks to a daemon.
  const { LockTimeoutError, withFileLock } = await import('../workers/store/index.js');
  try {
    return await withFileLock(
      paths.lock,
      () => inProcess(io, paths, (request) => routes.viaDaemon(request, true)),
      {
        timeoutMs: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
      },
    );
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    const pid = await lockHolder(paths.lock);
    throw new Error(`settings are locked by another mytimer process (pid ${pid ?? 'unknown'}); try again`, {
      cause: error,
    });
  }
}

/** The wall clock, with timers that never fire: an in-process engine answers requests and schedules nothing. */
const stillClock: Clock = {
  now: () => Date.now(),
  elapsed: () => systemClock.elapsed(),
  setTimer: () => ({}),
  clearTimer: () => undefined,
};

/**
 * Opens the daemon's engine in this process (no timers fire, no notifications are shown), runs `fn`
 * against its request handler, then closes it, which writes the state as the daemon would.
 */
async function inProcess<T>(
  io: CliIO,
  paths: AppPaths,
  fn: (request: DaemonRequest) => Promise<T>,
): Promise<T> {
  // Damaged or repaired files are worth a line; routine info is not.
  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    if (level !== 'info') io.stderr(`mytimer: ${escapeControl(message)}\n`);
  };
  // The engine, the stores and the contract's schemas (zod) load only on this path: commands that talk
  // to a running daemon, or print help, never pay for them.
  const [{ DaemonService }, { openSettingsStore, openStateStore }, { systemLocale }, { parseResult }] =
    await Promise.all([
      import('../workers/service/index.js'),
      import('../workers/store/index.js'),
      import('../shared/i18n/index.js'),
      import('../shared/contract.js'),
    ]);
  const service = await DaemonService.open({
    settingsStore: openSettingsStore(paths),
    stateStore: openStateStore(paths),
    notifier: { notify: () => Promise.resolve({ delivered: false, error: 'no daemon is running' }) },
    clock: stillClock,
    log,
    home: paths.home,
    osLocale: systemLocale(io.env),
  });
  let nextId = 1;
  const request: DaemonRequest = async (method, params) => {
    const reply = await service.handle({ id: nextId++, method, params });
    if (reply.ok) return parseResult(method, withoutNextTimes(reply.result));
    throw toCliError(new DaemonError(reply.error.code, reply.error.message, reply.error.field, reply.error));
  };
  try {
    return await fn(request);
  } finally {
    await service.close();
  }
}

/** Nothing schedules while no daemon runs, so an offline reply promises no next time (`nextDueAt: null`). */
function withoutNextTimes(result: unknown): unknown {
  if (Array.isArray(result)) return result.map(withoutNextTimes);
  if (result !== null && typeof result === 'object' && 'nextDueAt' in result) {
    return { ...result, nextDueAt: null };
  }
  return result;
}

/** The pid recorded in the lock file, if it is still there and readable. */
async function lockHolder(lockPath: string): Promise<number | undefined> {
  try {
    const record: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    const pid = typeof record === 'object' && record !== null ? (record as { pid?: unknown }).pid : undefined;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined; // released or half-written meanwhile: the message still says what happened
  }
}

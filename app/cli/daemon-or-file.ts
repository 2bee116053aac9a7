import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Method, Params } from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import type { Settings } from '../shared/settings.js';
import {
  LockTimeoutError,
  appPaths,
  openSettingsStore,
  resolveHome,
  runtimeDir,
  socketPath,
  withFileLock,
  type AppPaths,
  type JsonStore,
} from '../workers/store/index.js';
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

/** Sends one request over an open connection; daemon errors arrive already mapped by `toCliError`. */
export type DaemonRequest = <M extends Method>(method: M, params?: Params<M>) => Promise<unknown>;

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
    return field ? new ValidationError(field, error.message) : new UsageError(error.message);
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

/**
 * Checks a daemon reply against its contract schema. A reply that does not fit is a version mismatch
 * between this CLI and the running daemon (exit 1), not bad input from the user.
 */
export function parseReply<S extends z.ZodType>(schema: S, result: unknown, method: Method): z.output<S> {
  const parsed = schema.safeParse(result);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new Error(
    `the daemon's reply to "${method}" does not fit this CLI${where} (${issue?.message ?? 'invalid'}); are both the same version?`,
  );
}

/** The two ways a settings command can do its work. */
export interface SettingsRoutes<T> {
  /** A daemon runs: it is the only writer, so ask it. */
  viaDaemon: (request: DaemonRequest) => Promise<T>;
  /** No daemon: edit the file directly, holding the settings lock. */
  viaFile: (store: JsonStore<Settings>) => Promise<T>;
}

/**
 * Runs a settings command against the daemon when one runs, else against settings.json. The daemon
 * holds the settings lock for its whole life, so the offline path takes the same lock: one writer at
 * a time, whether two CLI edits race or a daemon starts meanwhile. A lock still held after the
 * timeout means a daemon is starting (or another edit hangs): that is reported, not waited out.
 */
export async function withSettings<T>(
  io: CliIO,
  globals: GlobalOptions,
  routes: SettingsRoutes<T>,
  options: { lockTimeoutMs?: number } = {},
): Promise<T> {
  const { paths, socket } = await locate(io, globals);
  try {
    return await talkTo(socket, routes.viaDaemon);
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
  }
  const store = openSettingsStore(paths, (level, message) => {
    // Damaged or migrated files are worth a line; routine info is not.
    if (level !== 'info') io.stderr(`mytimer: ${message}\n`);
  });
  try {
    return await withFileLock(paths.lock, () => routes.viaFile(store), {
      timeoutMs: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof LockTimeoutError)) throw error;
    const pid = await lockHolder(paths.lock);
    throw new Error(`settings are locked by another mytimer process (pid ${pid ?? 'unknown'}); try again`, {
      cause: error,
    });
  }
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

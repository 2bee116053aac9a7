import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methods, requestSchema } from '../../shared/contract.js';
import type { ErrorBody, Method, Reply, Status, TimerView } from '../../shared/contract.js';
import { ValidationError } from '../../shared/errors.js';
import { parseWith } from '../../shared/validate.js';
import { startControlServer, type ControlServer } from '../../workers/control/index.js';
import { runtimeDir, socketPath } from '../../shared/paths.js';

/**
 * Test support (not shipped behaviour): a stand-in daemon on the control socket the CLI computes for
 * a temp `--home`, answering with canned replies and recording what it was asked. Params are checked
 * against the contract like the real daemon does, so a command sending a wrong shape fails its test.
 */

/** A recorded request: the method and the params exactly as sent (before any defaults). */
export interface RecordedRequest {
  method: string;
  params: unknown;
}

/** A canned answer: a result, an error reply (`daemonFails`), or a function of the sent params giving either. */
export type Canned = ((params: unknown) => unknown) | object | string | number | boolean | null;

/** Wraps an error body so a canned reply can be an `ok: false` answer. */
export class CannedError {
  constructor(readonly error: ErrorBody) {}
}

/** Shorthand for a canned `ok: false` reply. */
export function daemonFails(code: ErrorBody['code'], message: string, field?: string): CannedError {
  return new CannedError(field === undefined ? { code, message } : { code, field, message });
}

/** A running fake daemon and the temp home it serves. */
export interface FakeDaemon {
  home: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** A temp home for one test; remove it with `removeHome`. Short, since socket paths are limited to ~104 bytes. */
export function makeHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mtcli-'));
}

/** Removes a temp home made by `makeHome`. */
export function removeHome(home: string): Promise<void> {
  return rm(home, { recursive: true, force: true });
}

/** Reads `<home>/settings.json`, or undefined when no edit has written it yet. */
export async function readSettingsFile(home: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Starts a fake daemon in `home`; a method with no canned reply answers `not-found` (an unknown method to this fake). */
export async function startFakeDaemon(
  home: string,
  replies: Partial<Record<Method, Canned>>,
): Promise<FakeDaemon> {
  const requests: RecordedRequest[] = [];
  const path = socketPath(await runtimeDir({ home, env: {} }));
  const handle = async (message: unknown): Promise<Reply> => {
    const request = requestSchema.safeParse(message);
    if (!request.success)
      return { id: null, ok: false, error: { code: 'invalid', message: 'not a request' } };
    const { id, method, params } = request.data;
    requests.push({ method, params });
    try {
      parseWith(methods[method].params, params ?? {}, 'params');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { id, ok: false, error: { code: 'invalid', field: error.field, message: error.reason } };
    }
    if (!(method in replies)) {
      return {
        id,
        ok: false,
        error: { code: 'not-found', message: `the fake daemon has no reply for ${method}` },
      };
    }
    const canned = replies[method];
    const answer = typeof canned === 'function' ? canned(params ?? {}) : canned;
    return answer instanceof CannedError
      ? { id, ok: false, error: answer.error }
      : { id, ok: true, result: answer };
  };
  const server: ControlServer = await startControlServer({ socketPath: path, handle });
  return { home, requests, stop: () => server.close() };
}

/** Fixed "now" of the CLI tests (runCaptured's default): Monday 2026-01-05 09:00 UTC. */
export const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A countdown timer view, as the daemon reports one. */
export function timerView(overrides: Partial<TimerView> = {}): TimerView {
  return {
    id: 't1',
    name: 'Tea',
    mode: 'countdown',
    state: 'running',
    remainingMs: 4 * 60_000 + 5_000,
    elapsedMs: 56_000,
    endsAt: NOW + 4 * 60_000 + 5_000,
    at: NOW,
    ...overrides,
  };
}

/** A plausible daemon status at NOW: up 1h 5m, one reminder due in 12m 30s. */
export function statusView(overrides: Partial<Status> = {}): Status {
  return {
    pid: 4242,
    processName: 'mytimer-daemon',
    version: '0.1.0',
    contractVersion: 1,
    startedAt: NOW - 65 * 60_000,
    now: NOW,
    home: '/tmp/home',
    locale: 'en',
    language: 'auto',
    paused: false,
    pausedUntil: null,
    nextReminder: { id: 'rest-eyes', name: 'Rest your eyes', dueAt: NOW + 12 * 60_000 + 30_000 },
    upcoming: [
      {
        id: 'rest-eyes',
        kind: 'reminder',
        name: 'Rest your eyes',
        priority: 5,
        dueAt: NOW + 12 * 60_000 + 30_000,
        snoozed: false,
      },
    ],
    timers: [],
    pomodoro: null,
    niceness: 10,
    notifications: { delivered: 3, failed: 0, lastError: null },
    jobs: [],
    held: [],
    ...overrides,
  };
}

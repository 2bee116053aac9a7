import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/errors.js';
import { DaemonError } from './client.js';
import {
  daemonFails,
  makeHome,
  removeHome,
  startFakeDaemon,
  type FakeDaemon,
} from './test-support/fake-daemon.js';
import { toCliError, withDaemon, withSettings } from './daemon-or-file.js';
import { UsageError, type CliIO } from './io.js';

let home: string;
let daemon: FakeDaemon | undefined;
let stderr: string;

const io = (env: NodeJS.ProcessEnv = {}): CliIO => ({
  stdout: () => undefined,
  stderr: (text) => void (stderr += text),
  readInput: () => Promise.reject(new Error('no input here')),
  now: () => Date.UTC(2026, 0, 5, 9),
  env,
});

beforeEach(async () => {
  home = await makeHome();
  stderr = '';
});

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  await removeHome(home);
});

describe('withSettings', () => {
  it('asks the daemon when one runs, and leaves the file alone', async () => {
    daemon = await startFakeDaemon(home, { 'reminder.list': [] });
    const result = await withSettings(
      io(),
      { home },
      {
        viaDaemon: (request, offline) =>
          offline ? Promise.reject(new Error('not offline')) : request('reminder.list', {}),
      },
    );
    expect(result).toEqual([]);
    expect(daemon.requests).toEqual([{ method: 'reminder.list', params: {} }]);
  });

  it('finds the daemon through MYTIMER_HOME when there is no --home', async () => {
    daemon = await startFakeDaemon(home, { ping: { pong: true, pid: 42 } });
    const result = await withSettings(
      io({ MYTIMER_HOME: home }),
      {},
      {
        viaDaemon: (request) => request('ping', {}),
      },
    );
    expect(result).toEqual({ pong: true, pid: 42 });
  });

  it("with no daemon, runs the daemon's own handlers in-process under the settings lock", async () => {
    const lockHeld = await withSettings(
      io(),
      { home },
      {
        viaDaemon: async (request, offline) => {
          expect(offline).toBe(true);
          await request('settings.set', { patch: { sound: true } });
          return JSON.parse(await readFile(join(home, 'settings.lock'), 'utf8')).pid as number;
        },
      },
    );
    expect(lockHeld).toBe(process.pid);
    expect(JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'))).toMatchObject({ sound: true });
  });

  it('with no daemon, refuses what the daemon refuses: an unknown time zone, a cron minute of 61', async () => {
    const routes = (method: 'settings.set' | 'reminder.add', params: object) => ({
      viaDaemon: (request: Parameters<Parameters<typeof withSettings>[2]['viaDaemon']>[0]) =>
        request(method, params as never),
    });
    await expect(
      withSettings(io(), { home }, routes('settings.set', { patch: { timeZone: 'Mars/Olympus' } })),
    ).rejects.toThrow(/timeZone: unknown time zone "Mars\/Olympus"/);
    await expect(
      withSettings(
        io(),
        { home },
        routes('reminder.add', {
          reminder: { id: 'hourly', schedule: { kind: 'cron', expression: '61 * * * *' } },
        }),
      ),
    ).rejects.toThrow(/reminder\.schedule\.expression: .*61/);
    await expect(readFile(join(home, 'settings.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('reports a lock that stays taken (a daemon starting up) instead of waiting forever', async () => {
    await writeFile(join(home, 'settings.lock'), JSON.stringify({ pid: process.pid, token: 'someone-else' }));
    const attempt = withSettings(
      io(),
      { home },
      { viaDaemon: () => Promise.resolve(1) },
      { lockTimeoutMs: 100 },
    );
    await expect(attempt).rejects.toThrow(
      `settings are locked by another mytimer process (pid ${process.pid}); try again`,
    );
  });

  it('passes daemon errors on mapped for the CLI', async () => {
    daemon = await startFakeDaemon(home, { 'reminder.enable': daemonFails('not-found', 'no reminder "x"') });
    const attempt = withSettings(
      io(),
      { home },
      {
        viaDaemon: (request) => request('reminder.enable', { id: 'x' }),
      },
    );
    await expect(attempt).rejects.toThrow(/^no reminder "x"$/);
  });
});

describe('withDaemon', () => {
  it('says how to start a daemon when none runs', async () => {
    await expect(withDaemon(io(), { home }, (request) => request('status', {}))).rejects.toThrow(
      'no mytimer daemon is running — start one with `npx mytimer run`',
    );
  });
});

describe('toCliError', () => {
  it('makes an invalid reply a ValidationError naming the field without the params. root', () => {
    const error = toCliError(
      new DaemonError('invalid', 'must be a number from 1 to 20', 'params.reminder.priority'),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('reminder.priority: must be a number from 1 to 20');
  });

  it('makes an invalid reply without a field a UsageError with just the message', () => {
    const error = toCliError(new DaemonError('invalid', 'give durationMs or until, not both'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('give durationMs or until, not both');
  });

  it('makes not-found and conflict bad input (UsageError, exit 2), with the field when there is one', () => {
    const conflict = toCliError(new DaemonError('conflict', 'already exists', 'params.reminder.id'));
    expect(conflict).toBeInstanceOf(UsageError);
    expect(conflict.message).toBe('reminder.id: already exists');
    const notFound = toCliError(new DaemonError('not-found', 'no timer "t9"'));
    expect(notFound).toBeInstanceOf(UsageError);
    expect(notFound.message).toBe('no timer "t9"');
  });

  it('keeps other codes plain errors (exit 1)', () => {
    const internal = toCliError(new DaemonError('internal', 'disk on fire'));
    expect(internal).not.toBeInstanceOf(UsageError);
    expect(internal).not.toBeInstanceOf(ValidationError);
    expect(internal.message).toBe('disk on fire');
  });
});

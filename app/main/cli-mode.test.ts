import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIO } from '../cli/index.js';
import { packageVersion } from '../cli/program.js';
import { SHUTDOWN_REQUEST } from '../host/index.js';
import { EXIT_ALREADY_RUNNING } from '../shared/exit-codes.js';
import { cliArguments, runCliMode } from './cli-mode.js';
import { DAEMON_SERVICE_NAME } from './utility-process-adapter.js';
import {
  app,
  electronFake,
  fakeEvent,
  utilityProcess,
  type FakeUtilityProcess,
} from './test-support/electron-fake.js';
import { makeStatus } from './test-support/status.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => {
  electronFake.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cliArguments', () => {
  it('is null for the tray app, and what follows the first --cli for the CLI', () => {
    expect(cliArguments(['/opt/myTimer/mytimer'])).toBeNull();
    expect(cliArguments(['/opt/myTimer/mytimer', '--no-sandbox'])).toBeNull();
    expect(cliArguments(['/opt/myTimer/mytimer', '--cli'])).toEqual([]);
    expect(
      cliArguments(['/opt/myTimer/mytimer', '--ozone-platform=x11', '--cli', 'reminder', 'add', '--cli']),
    ).toEqual(['reminder', 'add', '--cli']);
  });
});

describe('runCliMode', () => {
  it('runs the real CLI, prints to stdout and exits with its status', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    expect(await runCliMode(['--version'], app)).toBe(0);
    expect(written.join('')).toBe(`${packageVersion()}\n`);
    expect(app.exit).toHaveBeenCalledWith(0);
    // Only `run` needs the app ready: the other commands answer without waiting for Chromium.
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it('exits with the usage status on a bad command, the message on stderr', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    expect(await runCliMode(['no-such-command'], app)).toBe(2);
    expect(errors.join('')).toMatch(/unknown command 'no-such-command'/);
    expect(app.exit).toHaveBeenCalledWith(2);
  });
});

/** Polls `probe` (real timers) until it is true, or fails naming `what`. */
async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether the host has asked `child` for its orderly shutdown (heartbeat pings aside). */
const shutdownAsked = (child: FakeUtilityProcess): boolean =>
  child.posted.some((message) => JSON.stringify(message) === JSON.stringify(SHUTDOWN_REQUEST));

describe('runCliMode: `myTimer --cli run` inside the app binary', () => {
  let home: string;
  let out: string[];
  let io: CliIO;

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'mytimer-cli-mode-'));
    out = [];
    // A real, empty home: `run` finds no daemon on its socket there, as on a first start.
    io = {
      stdout: (text) => void out.push(text),
      stderr: (text) => void out.push(text),
      readInput: () => Promise.reject(new Error('no input in this test')),
      now: () => Date.now(),
      env: { PATH: process.env.PATH, MYTIMER_HOME: home, XDG_RUNTIME_DIR: home },
      locale: 'en',
    };
    // The fake children's pids are made up: a real signal must never reach whatever process has that pid.
    vi.spyOn(process, 'kill').mockImplementation(() => true);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('waits for app ready, then forks the daemon module as a utility process with --home, never child_process', async () => {
    let ready!: () => void;
    app.whenReady.mockReturnValueOnce(new Promise<void>((resolve) => (ready = resolve)));
    const running = runCliMode(['run'], app, io);
    await until('run to ask for app ready', () => app.whenReady.mock.calls.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(utilityProcess.fork).not.toHaveBeenCalled();
    ready();
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    const child = electronFake.child;
    expect(child.modulePath).toBe(path.resolve('app/workers/daemon.js'));
    expect(child.args).toEqual(['--home', home]);
    expect(child.options).toMatchObject({
      serviceName: DAEMON_SERVICE_NAME,
      env: { MYTIMER_HOME: home, MYTIMER_PARENT_PID: String(process.pid) },
    });
    child.spawn();
    app.emit('before-quit', fakeEvent());
    await until('the shutdown request', () => shutdownAsked(child));
    child.exit(0);
    expect(await running).toBe(0);
  });

  it("relays the daemon's status and events to the terminal", async () => {
    const running = runCliMode(['run'], app, io);
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    const child = electronFake.child.spawn();
    child.send({ event: 'status', data: makeStatus({ home }) });
    child.send({ event: 'timer-done', data: { id: 'tea', name: 'Tea' } });
    child.send({ event: 'log', data: { level: 'warn', message: 'disk nearly full' } });
    await until('the relayed lines', () => out.join('').includes('disk nearly full'));
    const text = out.join('');
    expect(text).toMatch(/Tea/);
    expect(text).toMatch(/no reminders|next/i);
    app.emit('before-quit', fakeEvent());
    await until('the shutdown request', () => shutdownAsked(child));
    child.exit(0);
    expect(await running).toBe(0);
  });

  it('stops the daemon on SIGTERM (shutdown request first) and exits 0', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const running = runCliMode(['run'], app, io);
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    const child = electronFake.child.spawn();
    await until('run to listen for SIGTERM', () => process.listeners('SIGTERM').length > before.size);
    // Only run's own listener: the test runner's must not hear a made-up signal.
    const onSigterm = process.listeners('SIGTERM').find((listener) => !before.has(listener))!;
    onSigterm('SIGTERM');
    await until('the shutdown request', () => shutdownAsked(child));
    child.exit(0);
    expect(await running).toBe(0);
    expect(app.exit).toHaveBeenCalledWith(0);
    expect(process.listeners('SIGTERM')).toHaveLength(before.size);
  });

  it('holds off an Electron quit while run stops its daemon', async () => {
    const running = runCliMode(['run'], app, io);
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    const child = electronFake.child.spawn();
    const quit = fakeEvent();
    app.emit('before-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    expect(app.exit).not.toHaveBeenCalled();
    await until('the shutdown request', () => shutdownAsked(child));
    child.exit(0);
    expect(await running).toBe(0);
    expect(app.listenerCount('before-quit')).toBe(0);
  });

  it('restarts a crashed daemon as a new utility process', async () => {
    const running = runCliMode(['run'], app, io);
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    const first = electronFake.child.spawn();
    electronFake.childProcessGone({ reason: 'crashed', exitCode: 139 });
    first.exit(139);
    // The first restart waits a second (backoff 1, 2, 4 … s).
    await until('the restart', () => electronFake.children.length === 2, 5_000);
    expect(out.join('')).toMatch(/restarting/i);
    const second = electronFake.child.spawn();
    app.emit('before-quit', fakeEvent());
    await until('the shutdown request', () => shutdownAsked(second));
    second.exit(0);
    expect(await running).toBe(0);
  });

  it('gives up at once, exit status 1, when the daemon says another one runs', async () => {
    const running = runCliMode(['run'], app, io);
    await until('the daemon to be forked', () => electronFake.children.length === 1);
    electronFake.child.spawn().exit(EXIT_ALREADY_RUNNING);
    expect(await running).toBe(1);
    expect(electronFake.children).toHaveLength(1);
    expect(app.exit).toHaveBeenCalledWith(1);
  });
});

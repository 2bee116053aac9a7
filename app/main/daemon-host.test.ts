import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { RestartPolicy } from '../host/index.js';
import { recordEvents } from '../shared/test-support/record-events.js';
import { DaemonHost, type DaemonHostOptions } from './daemon-host.js';
import { DAEMON_SERVICE_NAME, GONE_REASON_GRACE_MS } from './utility-process-adapter.js';
import { electronFake, utilityProcess } from './test-support/electron-fake.js';
import { makeStatus } from './test-support/status.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

const hosts: DaemonHost[] = [];

let kill: MockInstance<typeof process.kill>;

beforeEach(() => {
  electronFake.reset();
  vi.useFakeTimers();
  // The fake children's pids are made up: a real signal must never reach whatever process has that pid.
  kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
});

afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A host over the fake utilityProcess, recording what it emitted. */
function makeHost(options: Partial<DaemonHostOptions> = {}) {
  const logs: string[] = [];
  const host = new DaemonHost({
    modulePath: '/app/dist/app/workers/daemon.js',
    home: '/home/u/.config/mytimer',
    env: { PATH: '/usr/bin' },
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...options,
  });
  hosts.push(host);
  const seen = recordEvents(host, ['spawn', 'event', 'status', 'exit', 'crash', 'give-up']);
  return { host, logs, seen };
}

describe('DaemonHost: spawning and messages', () => {
  it('forks the daemon as a named utility process with --home and the parent pid', () => {
    const { host } = makeHost();
    host.start();
    expect(electronFake.children).toHaveLength(1);
    const child = electronFake.child;
    expect(child.modulePath).toBe('/app/dist/app/workers/daemon.js');
    expect(child.args).toEqual(['--home', '/home/u/.config/mytimer']);
    expect(child.options).toEqual({
      serviceName: DAEMON_SERVICE_NAME,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/bin',
        MYTIMER_HOME: '/home/u/.config/mytimer',
        MYTIMER_PARENT_PID: String(process.pid),
      },
    });
    expect(host.state).toBe('running');
    host.start();
    expect(electronFake.children).toHaveLength(1);
  });

  it('sends requests with ids and resolves each with its reply', async () => {
    const { host } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    const first = host.request('status');
    const second = host.request('pause', { durationMs: 60_000 });
    expect(child.posted).toEqual([
      { id: 'main-1', method: 'status', params: {} },
      { id: 'main-2', method: 'pause', params: { durationMs: 60_000 } },
    ]);
    child.send({ id: 'main-2', ok: true, result: 'paused' });
    child.send({ id: 'main-1', ok: false, error: { code: 'internal', message: 'boom' } });
    await expect(first).resolves.toEqual({
      id: 'main-1',
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
    await expect(second).resolves.toEqual({ id: 'main-2', ok: true, result: 'paused' });
  });

  it('answers unavailable when the daemon is silent for 10 s, or not running at all', async () => {
    const { host } = makeHost();
    await expect(host.request('ping')).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    host.start();
    electronFake.child.spawn();
    const reply = host.request('ping');
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('keeps the latest status and forwards every valid event; malformed ones are dropped', () => {
    const { host, seen } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    const status = makeStatus({ paused: true });
    child.send({ event: 'status', data: status });
    child.send({ event: 'timer-done', data: { id: 't1', name: 'Tea' } });
    child.send({ event: 'status', data: { pid: 'not a number' } });
    child.send({ something: 'else' });
    expect(host.status).toEqual(status);
    expect(seen.status).toEqual([status]);
    expect(seen.event.map((e) => e.event)).toEqual(['status', 'timer-done']);
  });

  it('fails pending requests at once when the daemon dies', async () => {
    const { host } = makeHost();
    host.start();
    electronFake.child.spawn();
    const reply = host.request('status');
    electronFake.childProcessGone({ reason: 'crashed', exitCode: 11 });
    await expect(reply).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});

describe('DaemonHost: restarts (the Supervisor of mytimer run, over a utility process)', () => {
  it.each(['crashed', 'killed', 'oom'])(
    'restarts after child-process-gone "%s" with backoff',
    async (reason) => {
      const { host, seen } = makeHost();
      host.start();
      electronFake.child.spawn();
      electronFake.childProcessGone({ reason, exitCode: 0 });
      expect(seen.crash).toEqual([
        { pid: electronFake.child.pid, reason, code: 0, signal: null, restartInMs: 1_000 },
      ]);
      expect(host.state).toBe('restart-pending');
      await vi.advanceTimersByTimeAsync(999);
      expect(electronFake.children).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(electronFake.children).toHaveLength(2);

      // The next crash of the streak waits twice as long.
      electronFake.child.spawn();
      electronFake.childProcessGone({ reason });
      expect(seen.crash.at(-1)?.restartInMs).toBe(2_000);
    },
  );

  it('takes the reason from child-process-gone, not the exit code a killed process reports', async () => {
    const { host, seen } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    child.exit(0);
    electronFake.childProcessGone({ reason: 'killed', exitCode: 0 });
    expect(seen.exit).toEqual([{ pid: child.pid, reason: 'killed', code: 0, signal: null, expected: false }]);
    expect(seen.crash[0]?.restartInMs).toBe(1_000);
  });

  it('treats a quiet exit it did not ask for as a crash too (reminders must not silently stop)', async () => {
    const { host, seen } = makeHost();
    host.start();
    electronFake.child.spawn().exit(0);
    expect(seen.exit).toEqual([]);
    await vi.advanceTimersByTimeAsync(GONE_REASON_GRACE_MS);
    expect(seen.exit[0]).toMatchObject({ reason: 'clean-exit', expected: false });
    expect(seen.crash[0]?.restartInMs).toBe(1_000);
  });

  it('counts a fork that throws (e.g. before app ready) as a failed launch, retried with backoff', async () => {
    const { host, logs, seen } = makeHost();
    utilityProcess.fork.mockImplementationOnce(() => {
      throw new Error('not ready');
    });
    host.start();
    expect(seen.crash).toEqual([
      { pid: undefined, reason: 'launch-failed', code: null, signal: null, restartInMs: 1_000 },
    ]);
    expect(logs).toContain('error: could not start the daemon: not ready');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(electronFake.children).toHaveLength(1);
    expect(host.state).toBe('running');
  });

  it('ignores other utility processes', () => {
    const { host, seen } = makeHost();
    host.start();
    electronFake.child.spawn();
    electronFake.childProcessGone({ reason: 'crashed', serviceName: 'some-other-service' });
    electronFake.childProcessGone({ reason: 'crashed', type: 'GPU', serviceName: undefined });
    expect(seen.crash).toEqual([]);
    expect(host.state).toBe('running');
  });

  it('gives up at once when another daemon owns the settings (exit code 3)', async () => {
    const { host, seen } = makeHost();
    host.start();
    electronFake.child.spawn();
    electronFake.childProcessGone({ reason: 'abnormal-exit', exitCode: 3 });
    expect(seen['give-up'][0]?.reason).toMatch(/already running .* restart the app/);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(electronFake.children).toHaveLength(1);
  });

  it('SIGKILLs a daemon that stops answering heartbeats (SIGSTOP) and restarts it by the policy', async () => {
    const { host, logs, seen } = makeHost({ heartbeat: { intervalMs: 1_000, missedLimit: 3 } });
    host.start();
    const child = electronFake.child.spawn(987_001);
    let answering = true;
    child.postMessage.mockImplementation((message: unknown) => {
      if (answering && (message as { heartbeat?: number }).heartbeat !== undefined) child.send(message);
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(child.postMessage).toHaveBeenCalledWith({ heartbeat: 10 });
    expect(kill).not.toHaveBeenCalled();
    // The echoes are the heartbeat's own: never taken for a stray reply.
    expect(logs.filter((line) => line.includes('answers no pending request'))).toEqual([]);

    answering = false; // SIGSTOP: the process and its port stay, nothing comes back
    await vi.advanceTimersByTimeAsync(3_000);
    expect(kill).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(kill).toHaveBeenCalledWith(987_001, 'SIGKILL');
    expect(logs).toContain('error: the daemon (pid 987001) stopped answering (no reply for 3 s); killing it');

    electronFake.childProcessGone({ reason: 'killed', exitCode: 0 });
    expect(seen.crash).toEqual([
      { pid: 987_001, reason: 'killed', code: 0, signal: null, restartInMs: 1_000 },
    ]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(electronFake.children).toHaveLength(2);
  });

  it('uses the policy it is given (shared with the CLI)', () => {
    const { host, seen } = makeHost({ policy: new RestartPolicy({ delaysMs: [50] }) });
    host.start();
    electronFake.child.spawn();
    electronFake.childProcessGone({ reason: 'crashed' });
    expect(seen.crash[0]?.restartInMs).toBe(50);
  });
});

describe('DaemonHost: stopping (quitting the app)', () => {
  it('sends shutdown, and a clean exit during the stop is not restarted', async () => {
    const { host, seen } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    const stopped = host.stop();
    expect(host.state).toBe('stopping');
    expect(child.posted).toEqual([{ id: 'stop', method: 'shutdown', params: {} }]);
    child.exit(0);
    await stopped;
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'clean-exit', code: 0, signal: null, expected: true },
    ]);
    expect(child.kill).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(electronFake.children).toHaveLength(1);
    expect(seen.crash).toEqual([]);
    expect(host.state).toBe('stopped');
  });

  it('a daemon that exited just before the quit is neither signalled nor restarted, and the quit does not wait', async () => {
    const { host, seen } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    child.exit(0); // no child-process-gone yet: the host is still waiting for the reason
    await host.stop();
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'clean-exit', code: 0, signal: null, expected: true },
    ]);
    expect(child.posted).toEqual([]);
    expect(child.kill).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen.crash).toEqual([]);
    expect(electronFake.children).toHaveLength(1);
  });

  it('kills the daemon 2 s after the shutdown request when it has not exited', async () => {
    const { host } = makeHost();
    host.start();
    const child = electronFake.child.spawn();
    let done = false;
    const stopped = host.stop().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(child.kill).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(done).toBe(false);
    electronFake.childProcessGone({ reason: 'killed' });
    await stopped;
    expect(electronFake.children).toHaveLength(1);
  });

  it('sends SIGKILL 1 s after kill() was ignored, and never hangs the quit', async () => {
    const { host } = makeHost();
    host.start();
    const child = electronFake.child.spawn(987_654);
    const stopped = host.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(kill).toHaveBeenCalledWith(987_654, 'SIGKILL');
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
    expect(child.kill).toHaveBeenCalledTimes(1);
    expect(host.state).toBe('stopped');
  });

  it('refuses requests while stopping', async () => {
    const { host } = makeHost();
    host.start();
    electronFake.child.spawn();
    const stopped = host.stop();
    await expect(host.request('status')).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    electronFake.child.exit(0);
    await stopped;
  });
});

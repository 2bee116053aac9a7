import { describe, expect, it } from 'vitest';
import { recordEvents } from '../shared/test-support/record-events.js';
import { VirtualClock } from '../shared/virtual-clock.js';
import type { HostLogLevel } from './child-adapter.js';
import { RestartPolicy } from './restart-policy.js';
import { ALREADY_RUNNING_REASON, Supervisor, type SupervisorOptions } from './supervisor.js';
import { fakeLauncher, type FakeChildBehaviour } from './test-support/fake-child.js';

/** Lets the promise continuations of a stop run after the clock moved. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A supervisor over fake children on a virtual clock, recording what it emitted and logged. */
function supervise(options: Partial<SupervisorOptions> = {}, behaviour: FakeChildBehaviour = {}) {
  const clock = new VirtualClock();
  const fakes = fakeLauncher(behaviour);
  const logs: { level: HostLogLevel; message: string }[] = [];
  const supervisor = new Supervisor({
    launch: fakes.launch,
    clock,
    policy: new RestartPolicy({ clock }),
    heartbeat: false,
    log: (level, message) => logs.push({ level, message }),
    ...options,
  });
  const seen = recordEvents(supervisor, ['spawn', 'message', 'exit', 'crash', 'restart', 'give-up']);
  /** Lets `ms` of virtual time pass, then the promise continuations it set off. */
  const step = async (ms: number) => {
    clock.advance(ms);
    await settle();
  };
  return { supervisor, clock, fakes, logs, seen, step };
}

describe('Supervisor: running and relaying', () => {
  it('relays messages both ways and stops a well-behaved daemon with the shutdown request', async () => {
    const { supervisor, fakes, seen } = supervise();
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(false);

    supervisor.start();
    expect(supervisor.state).toBe('running');
    const child = fakes.child;
    expect(supervisor.pid).toBe(child.pid);
    expect(seen.spawn).toEqual([{ pid: child.pid }]);
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(true);
    expect(child.posted).toEqual([{ id: 1, method: 'ping', params: {} }]);
    child.send({ id: 1, ok: true, result: 'pong' });
    expect(seen.message).toEqual([{ id: 1, ok: true, result: 'pong' }]);

    await supervisor.stop();
    expect(child.posted.at(-1)).toEqual({ id: 'stop', method: 'shutdown', params: {} });
    expect(child.signals).toEqual([]);
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'clean-exit', code: 0, signal: null, expected: true },
    ]);
    expect(seen.crash).toEqual([]);
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.pid).toBeUndefined();
    expect(supervisor.send({ id: 2, method: 'ping', params: {} })).toBe(false);
  });

  it('ignores start() while the daemon runs', () => {
    const { supervisor, fakes } = supervise();
    supervisor.start();
    supervisor.start();
    expect(fakes.children).toHaveLength(1);
    expect(supervisor.pid).toBe(fakes.child.pid);
  });

  it('refuses a stop or kill timeout out of range, naming it', () => {
    const { launch } = fakeLauncher();
    expect(() => new Supervisor({ launch, stopTimeoutMs: -1 })).toThrow(
      'Supervisor: stopTimeoutMs must be a duration from 0 to 2^31−1 ms (got -1)',
    );
    expect(() => new Supervisor({ launch, killTimeoutMs: Number.NaN })).toThrow(/killTimeoutMs/);
  });
});

describe('Supervisor: restarts', () => {
  it('restarts a crashed daemon after the policy delay, as a new process, doubling the delay', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise();
    supervisor.start();
    const first = fakes.child;
    first.exit(1);

    expect(seen.exit).toEqual([
      { pid: first.pid, reason: 'abnormal-exit', code: 1, signal: null, expected: false },
    ]);
    expect(seen.crash).toEqual([
      { pid: first.pid, reason: 'abnormal-exit', code: 1, signal: null, restartInMs: 1_000 },
    ]);
    expect(supervisor.state).toBe('restart-pending');
    expect(logs).toContainEqual({
      level: 'warn',
      message: `the daemon (pid ${first.pid}) exited with code 1; restarting in 1000 ms`,
    });
    await step(999);
    expect(fakes.children).toHaveLength(1);
    await step(1);
    expect(seen.restart).toEqual([{ delayMs: 1_000 }]);
    expect(fakes.children).toHaveLength(2);
    expect(fakes.child.pid).not.toBe(first.pid);
    expect(supervisor.state).toBe('running');

    fakes.child.exit(null, 'SIGKILL');
    expect(seen.crash.at(-1)).toMatchObject({ signal: 'SIGKILL', restartInMs: 2_000 });
    expect(logs.at(-1)?.message).toMatch(/was killed by SIGKILL; restarting in 2000 ms$/);
  });

  it('names an Electron exit reason in the log', () => {
    const { supervisor, fakes, logs } = supervise();
    supervisor.start();
    fakes.child.exit(0, null, 'oom');
    expect(logs.at(-1)?.message).toMatch(/ended \(oom, exit code 0\); restarting in 1000 ms$/);
  });

  it('treats a quiet exit it did not ask for as a crash (reminders must not silently stop)', () => {
    const { supervisor, fakes, seen } = supervise();
    supervisor.start();
    fakes.child.exit(0);
    expect(seen.exit[0]).toMatchObject({ reason: 'clean-exit', expected: false });
    expect(seen.crash[0]?.restartInMs).toBe(1_000);
  });

  it('gives up after 5 crashes within 60 s and stays down', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise();
    supervisor.start();
    for (let crash = 1; crash <= 5; crash++) {
      fakes.child.exit(1);
      if (crash < 5) await step(seen.crash.at(-1)?.restartInMs ?? 0);
    }
    const reason = 'the daemon crashed 5 times in 60 s; giving up — see the log above';
    // 1 + 2 + 4 + 8 s of backoff: all five crashes fall within the 60 s window.
    expect(seen.crash.map((c) => c.restartInMs)).toEqual([1_000, 2_000, 4_000, 8_000, null]);
    expect(seen['give-up']).toEqual([{ reason }]);
    expect(supervisor.state).toBe('gave-up');
    expect(logs.at(-1)).toEqual({
      level: 'error',
      message: `the daemon (pid ${fakes.child.pid}) exited with code 1; ${reason}`,
    });
    await step(120_000);
    expect(fakes.children).toHaveLength(5);
  });

  it('tries afresh when started again after giving up', async () => {
    const clock = new VirtualClock();
    const { supervisor, fakes, seen } = supervise({
      clock,
      policy: new RestartPolicy({ clock, delaysMs: [50], maxCrashes: 2 }),
    });
    supervisor.start();
    fakes.child.exit(1);
    clock.advance(50);
    fakes.child.exit(1);
    expect(supervisor.state).toBe('gave-up');

    supervisor.start();
    expect(fakes.children).toHaveLength(3);
    fakes.child.exit(1);
    expect(seen.crash.at(-1)?.restartInMs).toBe(50);
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
  });

  it('gives up at once, with no restart, when the daemon reports another daemon already running (exit 3)', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise();
    supervisor.start();
    fakes.child.exit(3);
    expect(seen['give-up']).toEqual([{ reason: ALREADY_RUNNING_REASON }]);
    expect(seen.crash).toEqual([expect.objectContaining({ code: 3, restartInMs: null })]);
    expect(logs.at(-1)?.level).toBe('info');
    expect(supervisor.state).toBe('gave-up');
    await step(60_000);
    expect(fakes.children).toHaveLength(1);
  });

  it("gives the host's own reason when another daemon is already running", () => {
    const { supervisor, fakes, seen } = supervise({ alreadyRunningReason: 'restart the app' });
    supervisor.start();
    fakes.child.exit(3);
    expect(seen['give-up']).toEqual([{ reason: 'restart the app' }]);
  });

  it('counts a daemon that cannot be launched as a crash, so backoff applies', async () => {
    let attempts = 0;
    const fakes = fakeLauncher();
    const { supervisor, logs, seen, step } = supervise({
      launch: () => {
        attempts++;
        if (attempts === 1) throw new Error('EAGAIN');
        return fakes.launch();
      },
    });
    supervisor.start();
    expect(seen.exit).toEqual([
      { pid: undefined, reason: 'launch-failed', code: null, signal: null, expected: false },
    ]);
    expect(seen.crash[0]?.restartInMs).toBe(1_000);
    expect(logs).toContainEqual({ level: 'error', message: 'could not start the daemon: EAGAIN' });
    await step(1_000);
    expect(fakes.children).toHaveLength(1);
    expect(supervisor.state).toBe('running');
  });
});

describe('Supervisor: stopping', () => {
  it('cancels a pending restart, also when a crash listener calls stop()', async () => {
    const { supervisor, fakes, step } = supervise();
    const stopped = new Promise<void>((resolve) =>
      supervisor.once('crash', () => void supervisor.stop().then(resolve)),
    );
    supervisor.start();
    fakes.child.exit(1);
    await stopped;
    expect(supervisor.state).toBe('stopped');
    await step(60_000);
    expect(fakes.children).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
  });

  it('arms no restart when an exit listener calls stop()', async () => {
    const { supervisor, fakes, seen, step } = supervise();
    const stopped = new Promise<void>((resolve) =>
      supervisor.once('exit', () => void supervisor.stop().then(resolve)),
    );
    supervisor.start();
    fakes.child.exit(1);
    await stopped;
    await step(60_000);
    expect(fakes.children).toHaveLength(1);
    expect(seen.crash).toEqual([]);
    expect(supervisor.state).toBe('stopped');
  });

  it('sends SIGTERM when the shutdown request is not honoured within stopTimeoutMs', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise({}, { honoursShutdown: false });
    supervisor.start();
    const child = fakes.child;
    let done = false;
    const stopped = supervisor.stop().then(() => (done = true));
    expect(supervisor.state).toBe('stopping');
    await step(1_999);
    expect(child.signals).toEqual([]);
    await step(1);
    expect(child.signals).toEqual(['SIGTERM']);
    await stopped;
    expect(done).toBe(true);
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'killed', code: null, signal: 'SIGTERM', expected: true },
    ]);
    expect(logs.map((l) => l.message)).toContain(
      `the daemon (pid ${child.pid}) did not shut down within 2000 ms; sending SIGTERM`,
    );
  });

  it('ends with SIGKILL a daemon that ignores shutdown and SIGTERM, and counts no crash', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise(
      {},
      { honoursShutdown: false, ignoresSigterm: true },
    );
    supervisor.start();
    const child = fakes.child;
    const stopped = supervisor.stop();
    await step(2_000);
    await step(999);
    expect(child.signals).toEqual(['SIGTERM']);
    await step(1);
    expect(child.signals).toEqual(['SIGTERM', 'SIGKILL']);
    await stopped;
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'killed', code: null, signal: 'SIGKILL', expected: true },
    ]);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `the daemon (pid ${child.pid}) did not shut down within 2000 ms; sending SIGTERM`,
      `the daemon (pid ${child.pid}) ignored SIGTERM for 1000 ms; sending SIGKILL`,
    ]);
    expect(seen.crash).toEqual([]);
  });

  it('never hangs on a daemon whose end is not reported after SIGKILL', async () => {
    const { supervisor, fakes, seen, step } = supervise(
      {},
      { honoursShutdown: false, neverReportsExit: true },
    );
    supervisor.start();
    const stopped = supervisor.stop();
    await step(2_000);
    await step(1_000);
    await step(1_000);
    await stopped;
    expect(fakes.child.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(seen.exit).toEqual([expect.objectContaining({ reason: 'killed', expected: true })]);
    expect(supervisor.state).toBe('stopped');
  });

  it('sends SIGTERM at once when the IPC channel is already closed', async () => {
    const { supervisor, fakes } = supervise({}, { channelClosed: true });
    supervisor.start();
    await supervisor.stop();
    expect(fakes.child.signals).toEqual(['SIGTERM']);
  });

  it('stops idempotently: concurrent calls share one stop, later calls resolve at once', async () => {
    const { supervisor, fakes } = supervise();
    await expect(supervisor.stop()).resolves.toBeUndefined();
    supervisor.start();

    const first = supervisor.stop();
    expect(supervisor.stop()).toBe(first);
    expect(supervisor.state).toBe('stopping');
    expect(() => supervisor.start()).toThrow(/stop\(\) is still in progress/);
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(false);
    await first;
    await supervisor.stop();
    expect(fakes.children).toHaveLength(1);
    expect(fakes.child.posted.filter((m) => 'method' in m)).toHaveLength(1);
  });
});

describe('Supervisor: heartbeat', () => {
  it('SIGKILLs a daemon that stops answering heartbeats (SIGSTOP) and restarts it by the policy', async () => {
    const { supervisor, fakes, logs, seen, step } = supervise({
      heartbeat: { intervalMs: 1_000, missedLimit: 3 },
    });
    supervisor.start();
    const child = fakes.child;
    await step(10_000);
    expect(child.posted).toContainEqual({ heartbeat: 10 });
    expect(child.signals).toEqual([]);
    // The echoes are the heartbeat's own: never relayed as messages.
    expect(seen.message).toEqual([]);

    child.behaviour.answersHeartbeat = false; // SIGSTOP: the process and its channel stay, nothing comes back
    await step(3_000);
    expect(child.signals).toEqual([]);
    await step(1_000);
    expect(child.signals).toEqual(['SIGKILL']);
    expect(logs).toContainEqual({
      level: 'error',
      message: `the daemon (pid ${child.pid}) stopped answering (no reply for 3 s); killing it`,
    });
    expect(seen.exit).toEqual([
      { pid: child.pid, reason: 'killed', code: null, signal: 'SIGKILL', expected: false },
    ]);
    expect(seen.crash[0]?.restartInMs).toBe(1_000);
    await step(1_000);
    expect(fakes.children).toHaveLength(2);
  });

  it('any message from the daemon counts as an answer', async () => {
    const { supervisor, fakes, step } = supervise(
      { heartbeat: { intervalMs: 1_000, missedLimit: 3 } },
      { answersHeartbeat: false },
    );
    supervisor.start();
    for (let second = 0; second < 30; second++) {
      await step(1_000);
      fakes.child.send({ event: 'status', data: {} });
    }
    expect(fakes.child.signals).toEqual([]);
  });

  it('does not kill a daemon that is being stopped, whatever its heartbeat', async () => {
    const { supervisor, fakes, step } = supervise(
      { heartbeat: { intervalMs: 100, missedLimit: 1 } },
      { answersHeartbeat: false, honoursShutdown: false },
    );
    supervisor.start();
    const stopped = supervisor.stop();
    await step(1_999);
    expect(fakes.child.signals).toEqual([]);
    await step(1);
    await stopped;
    expect(fakes.child.signals).toEqual(['SIGTERM']);
  });
});

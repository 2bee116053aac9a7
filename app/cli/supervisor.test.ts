import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RestartPolicy } from '../shared/restart-policy.js';
import { DaemonSupervisor, type DaemonSupervisorOptions, type SupervisorLogLevel } from './supervisor.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/crashy-daemon.mjs', import.meta.url));

const supervisors: DaemonSupervisor[] = [];

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

/** A supervisor over the fixture in `mode`, with 50 ms restarts, that records what it saw. */
function supervise(mode: string, options: Partial<DaemonSupervisorOptions> = {}) {
  const logs: { level: SupervisorLogLevel; message: string }[] = [];
  const pids: number[] = [];
  const supervisor = new DaemonSupervisor({
    modulePath: FIXTURE,
    env: { ...process.env, MODE: mode },
    // Not the test runner's flags: the fixture is plain JS and needs none.
    execArgv: [],
    policy: new RestartPolicy({ delaysMs: [50], windowMs: 60_000 }),
    log: (level, message) => logs.push({ level, message }),
    ...options,
  });
  supervisor.on('spawn', ({ pid }) => pids.push(pid));
  supervisors.push(supervisor);
  return { supervisor, logs, pids };
}

/** Resolves with the next message the fixture sends that matches `predicate`. */
function nextMessage(
  supervisor: DaemonSupervisor,
  predicate: (message: unknown) => boolean,
): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!predicate(message)) return;
      supervisor.off('message', onMessage);
      resolve(message);
    };
    supervisor.on('message', onMessage);
  });
}

const isFixtureReady = (message: unknown) =>
  typeof message === 'object' &&
  message !== null &&
  (message as { event?: unknown }).event === 'fixture-ready';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM would mean a live process we may not signal: alive. Only ESRCH means gone.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DaemonSupervisor', () => {
  it('round-trips messages and stops a well-behaved daemon with the shutdown request', async () => {
    const { supervisor, pids } = supervise('ok');
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(false);

    supervisor.start();
    expect(supervisor.state).toBe('running');
    await nextMessage(supervisor, isFixtureReady);
    const reply = nextMessage(supervisor, (m) => (m as { id?: unknown }).id === 1);
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(true);
    expect(await reply).toEqual({ id: 1, ok: true, result: { echo: { id: 1, method: 'ping', params: {} } } });

    const exit = once(supervisor, 'exit');
    const startedAt = Date.now();
    await supervisor.stop();
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(await exit).toEqual([{ pid: pids[0], code: 0, signal: null, expected: true }]);
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.pid).toBeUndefined();
    expect(supervisor.send({ id: 2, method: 'ping', params: {} })).toBe(false);
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('restarts a crashed daemon after the policy delay, as a new process', async () => {
    const { supervisor, pids, logs } = supervise('crash-after-ms=100');
    const crash = once(supervisor, 'crash');
    const restart = once(supervisor, 'restart');
    // Registered up front: the new child's 'spawn' fires before an await on 'restart' resumes.
    const respawn = new Promise<void>((resolve) =>
      supervisor.on('spawn', () => pids.length === 2 && resolve()),
    );
    supervisor.start();

    expect(await crash).toEqual([{ pid: pids[0], code: 1, signal: null, restartInMs: 50 }]);
    expect(supervisor.state).toBe('restart-pending');
    expect(await restart).toEqual([{ delayMs: 50 }]);
    await respawn;
    expect(pids[1]).not.toBe(pids[0]);
    expect(logs).toContainEqual({
      level: 'warn',
      message: `the daemon (pid ${pids[0]}) exited with code 1; restarting in 50 ms`,
    });

    await supervisor.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('gives up after 5 crashes within 60 s and stays down', async () => {
    const { supervisor, pids, logs } = supervise('crash-after-ms=20');
    const crashes: (number | null)[] = [];
    supervisor.on('crash', ({ restartInMs }) => crashes.push(restartInMs));
    const giveUp = once(supervisor, 'give-up');
    supervisor.start();

    const reason = 'the daemon crashed 5 times in 60 s; giving up — see the log above';
    expect(await giveUp).toEqual([{ reason }]);
    expect(crashes).toEqual([50, 50, 50, 50, null]);
    expect(supervisor.state).toBe('gave-up');
    expect(logs.at(-1)).toEqual({
      level: 'error',
      message: `the daemon (pid ${pids[4]}) exited with code 1; ${reason}`,
    });

    await sleep(200);
    expect(pids).toHaveLength(5);
    expect(new Set(pids).size).toBe(5);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('tries afresh when started again after giving up', async () => {
    const { supervisor, pids } = supervise('crash-after-ms=20', {
      policy: new RestartPolicy({ delaysMs: [50], maxCrashes: 2, windowMs: 60_000 }),
    });
    supervisor.start();
    await once(supervisor, 'give-up');
    expect(pids).toHaveLength(2);

    const crash = once(supervisor, 'crash');
    supervisor.start();
    expect(await crash).toMatchObject([{ restartInMs: 50 }]);
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
  });

  it('cancels a pending restart on stop()', async () => {
    const { supervisor, pids } = supervise('crash-after-ms=50', {
      policy: new RestartPolicy({ delaysMs: [300] }),
    });
    const stopped = new Promise<void>((resolve) =>
      supervisor.once('crash', () => void supervisor.stop().then(resolve)),
    );
    supervisor.start();
    await stopped;
    expect(supervisor.state).toBe('stopped');

    await sleep(500);
    expect(pids).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('sends SIGTERM to a daemon that ignores the shutdown request', async () => {
    const { supervisor, pids, logs } = supervise('ignore-shutdown-message', { stopTimeoutMs: 200 });
    supervisor.start();
    await nextMessage(supervisor, isFixtureReady);

    const exit = once(supervisor, 'exit');
    await supervisor.stop();
    expect(await exit).toEqual([{ pid: pids[0], code: null, signal: 'SIGTERM', expected: true }]);
    expect(logs.map((l) => l.message)).toContain(
      `the daemon (pid ${pids[0]}) did not shut down within 200 ms; sending SIGTERM`,
    );
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('ends with SIGKILL, within about 3 s, a daemon that ignores shutdown and SIGTERM', async () => {
    const { supervisor, pids, logs } = supervise('ignore-shutdown');
    supervisor.start();
    await nextMessage(supervisor, isFixtureReady);

    const exit = once(supervisor, 'exit');
    const crashes: unknown[] = [];
    supervisor.on('crash', (info) => crashes.push(info));
    const startedAt = Date.now();
    await supervisor.stop();
    const elapsedMs = Date.now() - startedAt;

    expect(await exit).toEqual([{ pid: pids[0], code: null, signal: 'SIGKILL', expected: true }]);
    expect(elapsedMs).toBeGreaterThanOrEqual(2_900);
    expect(elapsedMs).toBeLessThan(4_000);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      `the daemon (pid ${pids[0]}) did not shut down within 2000 ms; sending SIGTERM`,
      `the daemon (pid ${pids[0]}) ignored SIGTERM for 1000 ms; sending SIGKILL`,
    ]);
    expect(crashes).toEqual([]);
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('stops idempotently: concurrent calls share one stop, later calls resolve at once', async () => {
    const { supervisor, pids } = supervise('ok');
    await expect(supervisor.stop()).resolves.toBeUndefined();
    supervisor.start();
    await nextMessage(supervisor, isFixtureReady);

    const first = supervisor.stop();
    expect(supervisor.stop()).toBe(first);
    expect(supervisor.state).toBe('stopping');
    expect(() => supervisor.start()).toThrow(/stop\(\) is still in progress/);
    await first;
    await supervisor.stop();
    expect(pids).toHaveLength(1);
    expect(isAlive(pids[0]!)).toBe(false);
  });

  it('gives up at once, with no restart, when the daemon reports another daemon already running (exit 3)', async () => {
    const { supervisor, pids } = supervise('exit-with=3');
    const gaveUp = once(supervisor, 'give-up');
    supervisor.start();
    const [{ reason }] = (await gaveUp) as [{ reason: string }];
    expect(reason).toMatch(/another mytimer daemon is already running/);
    expect(supervisor.state).toBe('gave-up');
    await sleep(300); // six times the 50 ms restart delay
    expect(pids).toHaveLength(1);
  });

  it('arms no restart when an exit listener calls stop()', async () => {
    const { supervisor, pids } = supervise('crash-after-ms=10');
    const stopped = new Promise<void>((resolve) =>
      supervisor.once('exit', () => void supervisor.stop().then(resolve)),
    );
    supervisor.start();
    await stopped;
    await sleep(300);
    expect(pids).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
  });

  it('SIGKILLs and restarts a daemon that stops answering heartbeats (SIGSTOP)', async () => {
    const { supervisor, pids, logs } = supervise('ok', { heartbeat: { intervalMs: 100, missedLimit: 10 } });
    supervisor.start();
    await nextMessage(supervisor, isFixtureReady);
    // Answered pings keep it running: several intervals pass with no restart.
    await sleep(500);
    expect(pids).toHaveLength(1);

    const [first] = pids as [number];
    const exit = once(supervisor, 'exit');
    process.kill(first, 'SIGSTOP');
    expect(await exit).toEqual([{ pid: first, code: null, signal: 'SIGKILL', expected: false }]);
    await nextMessage(supervisor, isFixtureReady);
    expect(pids).toHaveLength(2);
    expect(isAlive(first)).toBe(false);
    expect(logs).toContainEqual({
      level: 'error',
      message: `the daemon (pid ${first}) stopped answering (no reply over IPC for 1 s); killing it`,
    });
  });

  it('ignores start() while the daemon runs', async () => {
    const { supervisor, pids } = supervise('ok');
    supervisor.start();
    supervisor.start();
    await nextMessage(supervisor, isFixtureReady);
    expect(pids).toHaveLength(1);
    expect(supervisor.pid).toBe(pids[0]);
  });
});

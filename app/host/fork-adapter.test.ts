import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { forkAdapter } from './fork-adapter.js';
import { RestartPolicy } from './restart-policy.js';
import { Supervisor } from './supervisor.js';

const FIXTURE = fileURLToPath(new URL('../../tests/fixtures/crashy-daemon.mjs', import.meta.url));

const supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

/** Resolves with the next message the fixture sends that matches `predicate`. */
function nextMessage(supervisor: Supervisor, predicate: (message: unknown) => boolean): Promise<unknown> {
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
  (message as { event?: unknown } | null)?.event === 'fixture-ready';

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

describe('forkAdapter (a real forked process)', () => {
  it('runs a daemon under the Supervisor: messages round-trip, a killed one restarts as a new process, stop leaves none', async () => {
    const supervisor = new Supervisor({
      launch: () =>
        forkAdapter({
          modulePath: FIXTURE,
          env: { ...process.env, MODE: 'ok' },
          // Not the test runner's flags: the fixture is plain JS and needs none.
          execArgv: [],
        }),
      policy: new RestartPolicy({ delaysMs: [50] }),
      log: () => undefined,
    });
    supervisors.push(supervisor);
    const pids: number[] = [];
    supervisor.on('spawn', ({ pid }) => pids.push(pid));

    let ready = nextMessage(supervisor, isFixtureReady);
    supervisor.start();
    await ready;
    const reply = nextMessage(supervisor, (m) => (m as { id?: unknown }).id === 1);
    expect(supervisor.send({ id: 1, method: 'ping', params: {} })).toBe(true);
    expect(await reply).toEqual({ id: 1, ok: true, result: { echo: { id: 1, method: 'ping', params: {} } } });

    const [first] = pids as [number];
    const crash = once(supervisor, 'crash');
    ready = nextMessage(supervisor, isFixtureReady);
    process.kill(first, 'SIGKILL');
    expect(await crash).toEqual([
      { pid: first, reason: 'killed', code: null, signal: 'SIGKILL', restartInMs: 50 },
    ]);
    await ready;
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(first);

    const exit = once(supervisor, 'exit');
    await supervisor.stop();
    expect(await exit).toEqual([
      { pid: pids[1], reason: 'clean-exit', code: 0, signal: null, expected: true },
    ]);
    expect(supervisor.state).toBe('stopped');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});

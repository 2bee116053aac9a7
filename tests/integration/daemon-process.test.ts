import { execFileSync, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl, requestOnce } from '../../app/cli/client.js';
import { forkAdapter, Supervisor } from '../../app/host/index.js';
import type { Status } from '../../app/shared/contract.js';
import { CLI, DAEMON, isAlive, start, tempHome, waitFor } from './support/daemon.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function home() {
  const made = await tempHome();
  cleanups.push(made.cleanup);
  return made;
}

async function status(socket: string): Promise<Status> {
  return (await requestOnce(socket, 'status', {})) as Status;
}

describe('the daemon under `mytimer run` (real processes)', () => {
  it('names itself, lowers its priority, serves the socket, and stops with the host on Ctrl-C', async () => {
    const { home: dir, socket } = await home();
    const run = start(process.execPath, [CLI, 'run'], { MYTIMER_HOME: dir });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitFor(() => run.output().includes('Next: Rest your eyes in'), 8_000, 'the status line');

    const daemon = await status(socket);
    expect(daemon.processName).toBe('mytimer-daemon');
    expect(daemon.pid).not.toBe(run.child.pid);
    expect(os.getPriority(daemon.pid)).toBe(10);
    expect(daemon.nextReminder?.id).toBe('rest-eyes');
    if (process.platform === 'linux') {
      const args = execFileSync('ps', ['-o', 'args=', '-p', String(daemon.pid)])
        .toString()
        .trim();
      expect(args).toBe('mytimer-daemon');
    }
    const socketMode = execFileSync('stat', ['-c', '%a', socket]).toString().trim();
    expect(socketMode).toBe('600');

    const stoppedAt = Date.now();
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    await waitFor(() => !isAlive(daemon.pid), 2_000, 'the daemon to exit');
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
  });

  it('restarts a crashed daemon and keeps serving', async () => {
    const { home: dir, socket } = await home();
    const run = start(process.execPath, [CLI, 'run'], { MYTIMER_HOME: dir });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    const first = await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the first daemon');
    process.kill(first.pid, 'SIGKILL');
    const second = await waitFor(
      () =>
        status(socket).then(
          (s) => (s.pid !== first.pid ? s : undefined),
          () => undefined,
        ),
      8_000,
      'a restarted daemon',
    );
    expect(second.processName).toBe('mytimer-daemon');
    expect(run.output()).toMatch(/daemon stopped unexpectedly \(SIGKILL\); restarting in 1 s/);
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
    await waitFor(() => !isAlive(second.pid), 2_000, 'the second daemon to exit');
  });

  it('refuses a second host for the same user with a clear message', async () => {
    const { home: dir, socket } = await home();
    const run = start(process.execPath, [CLI, 'run'], { MYTIMER_HOME: dir });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the daemon');
    const second = start(process.execPath, [CLI, 'run'], { MYTIMER_HOME: dir });
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.output()).toMatch(/a mytimer daemon is already running \(pid \d+\)/);
    run.child.kill('SIGINT');
    await run.exited;
  });
});

describe('two hosts and a stopped daemon (real processes)', () => {
  it('two `mytimer run` at once: the loser stops at once with a clear message, having forked at most one daemon', async () => {
    const { home: dir, socket } = await home();
    // Verbose: each host prints "daemon started (pid N)" for every daemon it forks.
    const env = { MYTIMER_HOME: dir, MYTIMER_VERBOSE: '1' };
    const runs = [start(process.execPath, [CLI, 'run'], env), start(process.execPath, [CLI, 'run'], env)];
    for (const run of runs) cleanups.push(() => void run.child.kill('SIGKILL'));
    // Before the fix the loser kept forking (backoff 1, 2, 4, 8 s) for about 18 s before giving up.
    const [loserIndex, loserExit] = await Promise.race(
      runs.map((run, index) => run.exited.then((exit) => [index, exit] as const)),
    );
    const loser = runs[loserIndex]!;
    const winner = runs[1 - loserIndex]!;
    expect(loserExit.code).toBe(1);
    expect(loser.output()).toMatch(/already running/);
    expect(loser.output().match(/daemon started \(pid \d+\)/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(loser.output()).not.toMatch(/restarting in/);

    const daemon = await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the winner daemon');
    expect(winner.output()).toContain(`daemon started (pid ${daemon.pid})`);
    winner.child.kill('SIGINT');
    expect((await winner.exited).code).toBe(0);
  });

  it('a SIGSTOPped daemon misses its heartbeats: the host SIGKILLs it and a restarted one serves', async () => {
    const { home: dir, socket } = await home();
    const env = { ...process.env, MYTIMER_HOME: dir };
    const supervisor = new Supervisor({
      launch: () => forkAdapter({ modulePath: DAEMON, args: ['--home', dir], env, execArgv: [] }),
      // 2 s of silence: a slow start on a loaded machine is not mistaken for a hang.
      heartbeat: { intervalMs: 200, missedLimit: 10 },
      log: () => {},
    });
    cleanups.push(() => supervisor.stop());
    const exits: { signal: string | null }[] = [];
    supervisor.on('exit', (exit) => exits.push(exit));
    supervisor.start();
    const first = await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the first daemon');
    process.kill(first.pid, 'SIGSTOP');
    const second = await waitFor(
      () =>
        status(socket).then(
          (s) => (s.pid !== first.pid ? s : undefined),
          () => undefined,
        ),
      10_000,
      'a restarted daemon',
    );
    expect(second.processName).toBe('mytimer-daemon');
    expect(isAlive(first.pid)).toBe(false);
    expect(exits).toEqual([expect.objectContaining({ pid: first.pid, signal: 'SIGKILL', expected: false })]);
  });
});

describe('the daemon process alone', () => {
  it('exits within 2 s when its parent dies (IPC disconnect), leaving no orphan', async () => {
    const { home: dir, socket } = await home();
    // An intermediate parent that forks the daemon, reports its pid, then gets SIGKILLed.
    const parent = start(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { fork } from 'node:child_process';
         const d = fork(${JSON.stringify(DAEMON)}, [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
         console.log('daemon ' + d.pid); setInterval(() => {}, 1000);`,
      ],
      { MYTIMER_HOME: dir },
    );
    cleanups.push(() => void parent.child.kill('SIGKILL'));
    const pid = Number(
      (await waitFor(() => /daemon (\d+)/.exec(parent.output())?.[1], 5_000, 'the daemon pid')) as string,
    );
    await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the daemon to serve');
    const killedAt = Date.now();
    parent.child.kill('SIGKILL');
    await waitFor(() => !isAlive(pid), 2_500, 'the orphaned daemon to exit');
    expect(Date.now() - killedAt).toBeLessThan(2_500);
  });

  it('SIGTERM flushes state and exits 0 within 1 s', async () => {
    const { home: dir, socket } = await home();
    const daemon = fork(DAEMON, ['--home', dir], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    cleanups.push(() => void daemon.kill('SIGKILL'));
    await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the daemon');
    await requestOnce(socket, 'pause', { durationMs: 30 * 60_000 });
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    const sentAt = Date.now();
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    const state = JSON.parse(await readFile(`${dir}/state.json`, 'utf8')) as {
      paused: boolean;
      pausedUntil: number;
    };
    expect(state.paused).toBe(true);
    expect(state.pausedUntil).toBeGreaterThan(Date.now());
  });

  it('answers bad input with an error naming the field and stays up', async () => {
    const { home: dir, socket } = await home();
    const daemon = fork(DAEMON, ['--home', dir], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    cleanups.push(() => void daemon.kill('SIGKILL'));
    await waitFor(() => status(socket).catch(() => undefined), 8_000, 'the daemon');
    const client = await connectControl(socket);
    await expect(
      client.request('reminder.add', {
        reminder: { id: 'x', schedule: { kind: 'every', intervalMs: 60_000 }, priority: 99 },
      }),
    ).rejects.toMatchObject({ code: 'invalid', field: 'params.reminder.priority' });
    await expect(client.request('timer.stop', { id: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    expect(((await client.request('status')) as Status).pid).toBe(daemon.pid);
    await client.close();
  });
});

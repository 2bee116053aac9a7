import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { requestOnce } from '../../app/cli/client.js';
import { CLI, start, tempHome, waitFor } from './support/daemon.js';

const exec = promisify(execFile);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Runs one `mytimer …` as its own process against `home`; never throws, returns the outcome. */
async function mytimer(home: string, ...argv: string[]) {
  return exec(process.execPath, [CLI, ...argv], { env: { ...process.env, MYTIMER_HOME: home } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('CLI commands against a real daemon', () => {
  it('timers by short id or name; pomodoro start refuses a second one and stop says what it stopped', async () => {
    const { home, socket, cleanup } = await tempHome();
    cleanups.push(cleanup);
    const run = start(process.execPath, [CLI, 'run'], { MYTIMER_HOME: home });
    cleanups.push(() => void run.child.kill('SIGKILL'));
    await waitFor(() => requestOnce(socket, 'ping', {}).catch(() => undefined), 8_000, 'the daemon');

    expect((await mytimer(home, 'timer', 'start', '5m', '--name', 'Tea')).stdout).toMatch(
      /^Started t1 "Tea"/,
    );
    expect((await mytimer(home, 'timer', 'pause', 't1')).stdout).toMatch(
      /^Paused t1 "Tea" \(countdown, paused/,
    );
    expect((await mytimer(home, 'timer', 'stop', 'tea')).stdout).toMatch(/^Stopped t1 "Tea"/);
    expect(await mytimer(home, 'timer', 'stop', 't1')).toMatchObject({
      code: 2,
      stderr: 'mytimer: no timer "t1" (see `mytimer timer list`)\n',
    });

    expect((await mytimer(home, 'pomodoro', 'start')).code).toBe(0);
    const again = await mytimer(home, 'pomodoro', 'start');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^mytimer: a pomodoro is already running \(work, round 1\)/);
    expect((await mytimer(home, 'pomodoro', 'start', '--restart')).code).toBe(0);
    expect((await mytimer(home, 'pomodoro', 'stop')).stdout).toBe(
      'Pomodoro stopped (was in work, round 1)\n',
    );
    expect(await mytimer(home, 'pomodoro', 'stop')).toMatchObject({
      code: 2,
      stderr: 'mytimer: no pomodoro is running\n',
    });

    run.child.kill('SIGINT');
    await run.exited;
  }, 30_000);
});

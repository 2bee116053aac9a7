import { describe, expect, it } from 'vitest';
import type { PomodoroView } from '../../shared/contract.js';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { NOW, daemonFails, timerView } from '../test-support/fake-daemon.js';

const cli = useCliHome();

const run = (...argv: string[]) => runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'UTC' } });
const MINUTE = 60_000;

const pomodoro = (phase: PomodoroView['phase'], round: number, minutes: number): PomodoroView => ({
  phase,
  round,
  timer: timerView({
    id: 'pomodoro',
    name: phase,
    remainingMs: minutes * MINUTE,
    endsAt: NOW + minutes * MINUTE,
  }),
});

describe('mytimer pomodoro', () => {
  it('starts with the daemon defaults', async () => {
    const daemon = await cli.startDaemon({ 'pomodoro.start': pomodoro('work', 1, 25) });
    expect(await run('pomodoro', 'start')).toEqual({
      code: 0,
      stdout: 'Pomodoro started: work, round 1, 0:25:00 left (ends at 09:25)\n',
      stderr: '',
    });
    expect(daemon.requests).toEqual([{ method: 'pomodoro.start', params: {} }]);
  });

  it('passes custom lengths in ms', async () => {
    const daemon = await cli.startDaemon({ 'pomodoro.start': pomodoro('work', 1, 50) });
    await run('pomodoro', 'start', '--work', '50m', '--short', '10m', '--long', '30m', '--every', '3');
    expect(daemon.requests).toEqual([
      {
        method: 'pomodoro.start',
        params: {
          workMs: 50 * MINUTE,
          shortBreakMs: 10 * MINUTE,
          longBreakMs: 30 * MINUTE,
          longBreakEvery: 3,
        },
      },
    ]);
  });

  it.each([
    ['a work phase over 4 hours', ['--work', '5h'], 'mytimer: --work: must be from 1m to 4h (got "5h")\n'],
    [
      'a short break under a minute',
      ['--short', '30s'],
      'mytimer: --short: must be from 1m to 1h (got "30s")\n',
    ],
    ['a long break that is not a duration', ['--long', 'long'], /^mytimer: --long: "long" is not a duration/],
    [
      'a long break every 0 rounds',
      ['--every', '0'],
      'mytimer: --every: must be a whole number of rounds from 1 to 12 (got "0")\n',
    ],
  ])('refuses %s with one line and exit 2', async (_input, argv, expected) => {
    const result = await run('pomodoro', 'start', ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
  });

  it('skips to the next phase; with none running, says so and exits 2', async () => {
    let running = true;
    await cli.startDaemon({
      // As the daemon answers: the session in its next phase, or not-found.
      'pomodoro.skip': () =>
        running ? pomodoro('shortBreak', 1, 5) : daemonFails('not-found', 'no pomodoro is running'),
    });
    expect((await run('pomodoro', 'skip')).stdout).toBe(
      'Pomodoro: short break, round 1, 0:05:00 left (ends at 09:05)\n',
    );
    running = false;
    expect(await run('pomodoro', 'skip', '--json')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: no pomodoro is running\n',
    });
  });

  it('stops a running pomodoro and says what it stopped; with none running, says so and exits 2', async () => {
    let running = true;
    await cli.startDaemon({
      // As the daemon answers: the stopped session, or not-found.
      'pomodoro.stop': () =>
        running ? pomodoro('longBreak', 4, 10) : daemonFails('not-found', 'no pomodoro is running'),
    });
    expect((await run('pomodoro', 'stop')).stdout).toBe('Pomodoro stopped (was in long break, round 4)\n');
    running = false;
    expect(await run('pomodoro', 'stop')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: no pomodoro is running\n',
    });
  });

  it('refuses to start over a running pomodoro (exit 2) unless --restart', async () => {
    const daemon = await cli.startDaemon({
      'pomodoro.start': (params) =>
        (params as { restart?: boolean }).restart
          ? pomodoro('work', 1, 25)
          : daemonFails(
              'conflict',
              'a pomodoro is already running (work, round 2); stop it first, or start again with restart (CLI: --restart)',
            ),
    });
    expect(await run('pomodoro', 'start')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mytimer: a pomodoro is already running (work, round 2); stop it first, or start again with restart (CLI: --restart)\n',
    });
    expect((await run('pomodoro', 'start', '--restart')).stdout).toBe(
      'Pomodoro started: work, round 1, 0:25:00 left (ends at 09:25)\n',
    );
    expect(daemon.requests.map((r) => r.params)).toEqual([{}, { restart: true }]);
  });

  it('needs a running daemon', async () => {
    expect(await run('pomodoro', 'start')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });

  it.each(['start', 'skip', 'stop'])('has examples in --help for %s', async (verb) => {
    expect((await run('pomodoro', verb, '--help')).stdout).toContain(`Examples:\n  mytimer pomodoro ${verb}`);
  });
});

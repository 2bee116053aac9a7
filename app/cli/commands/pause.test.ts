import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { NOW, daemonFails, statusView } from '../test-support/fake-daemon.js';

const cli = useCliHome();

const run = (...argv: string[]) =>
  runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'Europe/Berlin' } });
const MINUTE = 60_000;

/** A daemon that pauses the way the real one would, from the params it gets. */
const pausing = (params: unknown) => {
  const { durationMs, until } = params as { durationMs?: number; until?: number };
  const pausedUntil = until ?? (durationMs === undefined ? null : NOW + durationMs);
  return statusView({ paused: true, pausedUntil });
};

describe('mytimer pause', () => {
  it.each([
    [
      'pauses for 30 minutes and says until when',
      ['30m'],
      { durationMs: 30 * MINUTE },
      'Paused until 10:30 (in 30m)\n',
    ],
    [
      'pauses for an hour and says until when',
      ['1h'],
      { durationMs: 60 * MINUTE },
      'Paused until 11:00 (in 1h)\n',
    ],
    [
      'pauses until a later time today (--until)',
      ['--until', '13:30'],
      { until: Date.UTC(2026, 0, 5, 12, 30) },
      'Paused until 13:30 (in 3h 30m)\n',
    ],
    [
      'pauses until that time tomorrow when it has passed today, naming the day',
      ['--until', '08:00'],
      { until: Date.UTC(2026, 0, 6, 7, 0) },
      'Paused until Tue 08:00 (in 22h)\n',
    ],
    [
      'with no duration, pauses until resumed and says how to resume',
      [],
      {},
      'Paused until you resume (mytimer resume)\n',
    ],
  ])('%s', async (_behaviour, argv, params, stdout) => {
    const daemon = await cli.startDaemon({ pause: pausing });
    expect(await run('pause', ...argv)).toEqual({ code: 0, stdout, stderr: '' });
    expect(daemon.requests).toEqual([{ method: 'pause', params }]);
  });

  it.each([
    [
      'a number without a unit',
      ['30'],
      /^mytimer: duration: "30" is not a duration \(write whole numbers with units/,
    ],
    ['a pause under a minute', ['30s'], /^mytimer: duration: must be from 1m to 7d \(got "30s"\)\n$/],
    ['a pause over a week', ['8d'], /^mytimer: duration: must be from 1m to 7d \(got "8d"\)\n$/],
    [
      'an --until that is not HH:MM',
      ['--until', '7pm'],
      /^mytimer: --until: "7pm" must be a time HH:MM from 00:00 to 23:59\n$/,
    ],
    [
      'both a duration and --until',
      ['30m', '--until', '13:00'],
      /^mytimer: give a duration or --until, not both\n$/,
    ],
  ])('refuses %s with one line and exit 2, without asking the daemon', async (_input, argv, expected) => {
    const daemon = await cli.startDaemon({ pause: pausing });
    const result = await run('pause', ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(daemon.requests).toEqual([]);
  });

  it("passes on the daemon's refusal as one line, exit 2", async () => {
    await cli.startDaemon({
      pause: daemonFails('invalid', 'must be in the future', 'params.until'),
    });
    expect(await run('pause', '--until', '13:00')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: until: must be in the future\n',
    });
  });

  it('prints the status with --json', async () => {
    await cli.startDaemon({ pause: pausing });
    expect(JSON.parse((await run('pause', '30m', '--json')).stdout)).toMatchObject({
      paused: true,
      pausedUntil: NOW + 30 * MINUTE,
    });
  });

  it('needs a running daemon', async () => {
    expect(await run('pause', '30m')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });

  it('has examples in --help', async () => {
    expect((await run('pause', '--help')).stdout).toContain('mytimer pause --until 13:30');
  });
});

describe('mytimer resume', () => {
  it('ends the pause and says what is next', async () => {
    const daemon = await cli.startDaemon({ resume: statusView() });
    expect(await run('resume')).toEqual({
      code: 0,
      stdout: 'Resumed. Next: Rest your eyes at 10:12 (in 12m 30s)\n',
      stderr: '',
    });
    expect(daemon.requests).toEqual([{ method: 'resume', params: {} }]);
  });

  it('needs a running daemon', async () => {
    expect((await run('resume')).code).toBe(1);
  });
});

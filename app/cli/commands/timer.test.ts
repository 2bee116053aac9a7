import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { NOW, daemonFails, timerView } from '../test-support/fake-daemon.js';

const cli = useCliHome();

const run = (...argv: string[]) => runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'UTC' } });
const MINUTE = 60_000;

/** A daemon that starts the timer it is asked for. */
const starting = (params: unknown) => {
  const { mode, durationMs, name } = params as {
    mode: 'countdown' | 'stopwatch';
    durationMs?: number;
    name?: string;
  };
  return mode === 'stopwatch'
    ? timerView({ id: 't2', name: name ?? 'Stopwatch', mode, remainingMs: null, elapsedMs: 0, endsAt: null })
    : timerView({
        name: name ?? 'Timer',
        remainingMs: durationMs ?? 0,
        elapsedMs: 0,
        endsAt: NOW + (durationMs ?? 0),
      });
};

describe('mytimer timer start', () => {
  it('starts a countdown with a name', async () => {
    const daemon = await cli.startDaemon({ 'timer.start': starting });
    expect(await run('timer', 'start', '25m', '--name', 'Focus')).toEqual({
      code: 0,
      stdout: 'Started t1 "Focus" (countdown, running, 0:25:00 left, ends at 09:25)\n',
      stderr: '',
    });
    expect(daemon.requests).toEqual([
      { method: 'timer.start', params: { mode: 'countdown', durationMs: 25 * MINUTE, name: 'Focus' } },
    ]);
  });

  it('starts a stopwatch', async () => {
    const daemon = await cli.startDaemon({ 'timer.start': starting });
    expect((await run('timer', 'start', '--stopwatch')).stdout).toBe(
      'Started t2 "Stopwatch" (stopwatch, running, 0:00:00 elapsed)\n',
    );
    expect(daemon.requests).toEqual([{ method: 'timer.start', params: { mode: 'stopwatch' } }]);
  });

  it.each([
    [
      'neither a duration nor --stopwatch',
      [],
      'mytimer: give a duration (e.g. timer start 25m) or --stopwatch\n',
    ],
    ['a stopwatch with a duration', ['5m', '--stopwatch'], 'mytimer: a stopwatch takes no duration\n'],
    ['a zero duration', ['0s'], 'mytimer: duration: must be from 1s to 7d (got "0s")\n'],
    ['a number without a unit', ['25'], /^mytimer: duration: "25" is not a duration/],
    ['an empty --name', ['25m', '--name', ''], 'mytimer: --name: must not be empty\n'],
  ])('refuses %s with one line and exit 2, without asking the daemon', async (_input, argv, expected) => {
    const daemon = await cli.startDaemon({ 'timer.start': starting });
    const result = await run('timer', 'start', ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
    expect(daemon.requests).toEqual([]);
  });

  it('needs a running daemon', async () => {
    expect(await run('timer', 'start', '25m')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });
});

describe('mytimer timer list', () => {
  it('shows id, mode, state, time left or elapsed, and name', async () => {
    await cli.startDaemon({
      'timer.list': [
        timerView(),
        timerView({
          id: 't2',
          name: 'Meeting',
          mode: 'stopwatch',
          state: 'paused',
          remainingMs: null,
          elapsedMs: 3_723_000,
          endsAt: null,
        }),
      ],
    });
    expect((await run('timer', 'list')).stdout).toBe(
      [
        'ID  MODE       STATE    TIME             NAME',
        't1  countdown  running  0:04:05 left     Tea',
        't2  stopwatch  paused   1:02:03 elapsed  Meeting',
        '',
      ].join('\n'),
    );
  });

  it('says when there are none, and prints JSON with --json', async () => {
    await cli.startDaemon({ 'timer.list': [] });
    expect((await run('timer', 'list')).stdout).toBe(
      'No timers (start one with `mytimer timer start 25m`)\n',
    );
    expect(await run('timer', 'list', '--json')).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('mytimer timer pause|resume|stop', () => {
  it('sends the id and reports the timer', async () => {
    const daemon = await cli.startDaemon({
      'timer.pause': timerView({ state: 'paused' }),
      'timer.resume': timerView(),
      'timer.stop': timerView({ state: 'stopped' }),
    });
    expect((await run('timer', 'pause', 't1')).stdout).toBe(
      'Paused t1 "Tea" (countdown, paused, 0:04:05 left)\n',
    );
    expect((await run('timer', 'resume', 't1')).stdout).toBe(
      'Resumed t1 "Tea" (countdown, running, 0:04:05 left, ends at 09:04)\n',
    );
    expect((await run('timer', 'stop', 't1')).stdout).toBe(
      'Stopped t1 "Tea" (countdown, stopped, 0:04:05 left)\n',
    );
    expect(daemon.requests.map(({ method, params }) => [method, params])).toEqual([
      ['timer.pause', { id: 't1' }],
      ['timer.resume', { id: 't1' }],
      ['timer.stop', { id: 't1' }],
    ]);
  });

  it('exits 2 (bad input) with the reason for an unknown id', async () => {
    await cli.startDaemon({ 'timer.stop': daemonFails('not-found', 'no timer "t9"') });
    expect(await run('timer', 'stop', 't9')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: no timer "t9"\n',
    });
  });

  it('refuses a timer name with control characters before asking the daemon', async () => {
    const daemon = await cli.startDaemon({});
    expect(await run('timer', 'start', '5m', '--name', 'tea\u001b[2J')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mytimer: --name: must not contain control characters (ESC, CR, line breaks, tabs) or bidi overrides\n',
    });
    expect(daemon.requests).toEqual([]);
  });

  it('exits 2 without an id', async () => {
    const result = await run('timer', 'pause');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'id'");
  });
});

describe('mytimer timer --help', () => {
  it.each(['start', 'list', 'pause', 'resume', 'stop'])('has examples for %s', async (verb) => {
    expect((await run('timer', verb, '--help')).stdout).toContain(`Examples:\n  mytimer timer ${verb}`);
  });
});

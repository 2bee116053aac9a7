import { describe, expect, it } from 'vitest';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { NOW, statusView, timerView } from '../test-support/fake-daemon.js';

const cli = useCliHome();

const run = (...argv: string[]) =>
  runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'Europe/Berlin' } });
const MINUTE = 60_000;

describe('mytimer status', () => {
  it('reports the daemon, the next reminder, upcoming items, timers and notifications', async () => {
    const daemon = await cli.startDaemon({
      status: statusView({
        upcoming: [
          { id: 'tea', kind: 'timer', name: 'Tea', priority: 3, dueAt: NOW + 4 * MINUTE, snoozed: false },
          {
            id: 'rest-eyes',
            kind: 'reminder',
            name: 'Rest your eyes',
            priority: 5,
            dueAt: NOW + 12.5 * MINUTE,
            snoozed: true,
          },
          {
            id: 'lunch',
            kind: 'reminder',
            name: 'Lunch',
            priority: 2,
            dueAt: NOW + 26 * 60 * MINUTE,
            snoozed: false,
          },
        ],
        timers: [
          timerView(),
          timerView({ id: 't2', name: 'Run', mode: 'stopwatch', remainingMs: null, endsAt: null }),
        ],
        pomodoro: {
          phase: 'work',
          round: 2,
          timer: timerView({ id: 'pomodoro', name: 'Focus', remainingMs: 20 * MINUTE }),
        },
        notifications: { delivered: 3, failed: 1, lastError: 'notify-send: not found' },
      }),
    });
    expect(await run('status')).toEqual({
      code: 0,
      stdout: [
        'myTimer daemon pid 4242 (mytimer-daemon), up 1h 5m',
        'Next: Rest your eyes at 10:12 (in 12m 30s)',
        'Upcoming:',
        '  10:04      in 4m       priority 3  Tea (timer)',
        '  10:12      in 12m 30s  priority 5  Rest your eyes (snoozed)',
        '  Tue 12:00  in 1d 2h    priority 2  Lunch',
        'Timers:',
        '  t1  countdown  running  0:04:05 left     Tea',
        '  t2  stopwatch  running  0:00:56 elapsed  Run',
        'Pomodoro: work, round 2, 0:20:00 left',
        'Notifications: 3 delivered, 1 failed (last error: notify-send: not found)',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(daemon.requests).toEqual([{ method: 'status', params: {} }]);
  });

  it('shows control characters in names and errors as escapes, never raw', async () => {
    const evil = 'Water\u001b[2J\r\nnow\u202e';
    await cli.startDaemon({
      status: statusView({
        nextReminder: { id: 'water', name: evil, dueAt: NOW + 5 * MINUTE },
        upcoming: [
          { id: 'water', kind: 'reminder', name: evil, priority: 5, dueAt: NOW + 5 * MINUTE, snoozed: false },
        ],
        timers: [timerView({ name: 'tea\u001b]0;owned\u0007' })],
        notifications: { delivered: 0, failed: 1, lastError: 'bad\u001b[31m' },
      }),
    });
    const { stdout } = await run('status');
    for (const raw of ['\u001b', '\r', '\u0007', '\u202e']) expect(stdout).not.toContain(raw);
    expect(stdout).toContain('Next: Water\\x1b[2J\\r\\nnow\\u{202e} at 10:05');
    expect(stdout).toContain('priority 5  Water\\x1b[2J\\r\\nnow\\u{202e}\n');
    expect(stdout).toContain('tea\\x1b]0;owned\\x07\n');
    expect(stdout).toContain('(last error: bad\\x1b[31m)\n');
  });

  it('shows a reminder outside its working hours as "quiet until" the next opening', async () => {
    const quiet = { id: 'water', name: 'Water', dueAt: NOW + 5 * MINUTE, quietUntil: NOW + 23 * 60 * MINUTE };
    await cli.startDaemon({
      status: statusView({
        nextReminder: quiet,
        upcoming: [{ ...quiet, kind: 'reminder', priority: 5, snoozed: false }],
      }),
    });
    const { stdout } = await run('status');
    expect(stdout).toContain('Next: Water at 10:05 (in 5m), quiet until Tue 09:00 (outside its hours)\n');
    expect(stdout).toContain('priority 5  Water (quiet until Tue 09:00)\n');
  });

  it('says why reminders are held (the screen is locked, do not disturb) and marks the held ones', async () => {
    const next = { id: 'water', name: 'Water', dueAt: NOW + 5 * MINUTE };
    await cli.startDaemon({
      status: statusView({
        nextReminder: next,
        upcoming: [{ ...next, kind: 'reminder', priority: 5, snoozed: false, held: ['locked', 'dnd'] }],
        held: ['locked', 'dnd'],
      }),
    });
    const { stdout } = await run('status');
    expect(stdout).toContain('Held: the screen is locked, do not disturb is on\n');
    expect(stdout).toContain('priority 5  Water (held until you are back)\n');
  });

  it('lists at most five upcoming items', async () => {
    const upcoming = Array.from({ length: 8 }, (_, index) => ({
      id: `r${index}`,
      kind: 'reminder' as const,
      name: `R${index}`,
      priority: 5,
      dueAt: NOW + (index + 1) * MINUTE,
      snoozed: false,
    }));
    await cli.startDaemon({ status: statusView({ upcoming }) });
    const { stdout } = await run('status');
    expect(stdout).toContain('R4\n');
    expect(stdout).not.toContain('R5');
  });

  it('says when reminders are paused, and until when', async () => {
    await cli.startDaemon({
      status: statusView({ paused: true, pausedUntil: NOW + 30 * MINUTE, upcoming: [] }),
    });
    expect((await run('status')).stdout).toBe(
      [
        'myTimer daemon pid 4242 (mytimer-daemon), up 1h 5m',
        'Paused until 10:30 (in 30m)',
        'Timers: none',
        'Notifications: 3 delivered, 0 failed',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing is scheduled, or the pause is open-ended', async () => {
    await cli.startDaemon({
      status: (() => {
        let calls = 0;
        return () => (calls++ === 0 ? statusView({ nextReminder: null }) : statusView({ paused: true }));
      })(),
    });
    expect((await run('status')).stdout).toContain('\nNext: no reminders scheduled\n');
    expect((await run('status')).stdout).toContain('\nPaused until you resume (mytimer resume)\n');
  });

  it('prints the status object with --json', async () => {
    const status = statusView();
    await cli.startDaemon({ status });
    const result = await run('status', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(status);
  });

  it('says how to start a daemon when none runs, and exits 1', async () => {
    expect(await run('status')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });

  it('exits 1 on a reply that does not fit the contract', async () => {
    await cli.startDaemon({ status: { pid: 'x' } });
    const result = await run('status');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mytimer: the daemon's reply to "status" does not fit this CLI at pid /);
  });

  it('has examples in --help', async () => {
    expect((await run('status', '--help')).stdout).toContain(
      'Examples:\n  mytimer status\n  mytimer status --json',
    );
  });
});

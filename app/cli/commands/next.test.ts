import { describe, expect, it } from 'vitest';
import type { CliIO } from '../io.js';
import { runCli } from '../program.js';

/** Fixed "now": Friday 2026-03-27 12:00 UTC. */
const NOW = Date.UTC(2026, 2, 27, 12);

async function run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readInput: () => Promise.reject(new Error('no input in these tests')),
    now: () => NOW,
    env: {},
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

describe('mytimer next', () => {
  it('lists every 45m from a fixed instant, first one interval later', async () => {
    const result = await run(
      'next',
      'every 45m',
      '--count',
      '3',
      '--from',
      '2026-03-30T09:00Z',
      '--tz',
      'UTC',
    );
    expect(result).toEqual({
      status: 0,
      stdout: '2026-03-30T09:45:00+00:00\n2026-03-30T10:30:00+00:00\n2026-03-30T11:15:00+00:00\n',
      stderr: '',
    });
  });

  it('counts from now by default, five of them', async () => {
    const result = await run('next', 'every 1h', '--tz', 'UTC');
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      '2026-03-27T13:00:00+00:00',
      '2026-03-27T14:00:00+00:00',
      '2026-03-27T15:00:00+00:00',
      '2026-03-27T16:00:00+00:00',
      '2026-03-27T17:00:00+00:00',
    ]);
  });

  it('lists daily 09:00 mon,wed in Europe/Berlin with its offsets, across the DST change', async () => {
    const result = await run(
      'next',
      'daily 09:00 mon,wed',
      '--tz',
      'Europe/Berlin',
      '--from',
      '2026-03-20T00:00',
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        '2026-03-23T09:00:00+01:00',
        '2026-03-25T09:00:00+01:00',
        '2026-03-30T09:00:00+02:00',
        '2026-04-01T09:00:00+02:00',
        '2026-04-06T09:00:00+02:00',
        '',
      ].join('\n'),
    );
  });

  it('fires a skipped time at the end of the gap (+01:00 before, +02:00 after)', async () => {
    const result = await run(
      'next',
      'daily 02:30',
      '-n',
      '3',
      '--tz',
      'Europe/Berlin',
      '--from',
      '2026-03-28T00:00',
    );
    expect(result.stdout).toBe(
      '2026-03-28T02:30:00+01:00\n2026-03-29T03:00:00+02:00\n2026-03-30T02:30:00+02:00\n',
    );
  });

  it('takes the schedule unquoted, word by word', async () => {
    const result = await run('next', 'weekdays', '09:00', '--count', '1', '--tz', 'UTC');
    expect(result.stdout).toBe('2026-03-30T09:00:00+00:00\n');
  });

  it('prints a JSON array with --json', async () => {
    const result = await run('next', '*/15 9-17 * * 1-5', '--json', '-n', '2', '--tz', 'America/New_York');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['2026-03-27T09:00:00-04:00', '2026-03-27T09:15:00-04:00']);
  });

  it('prints nothing for a once that has passed', async () => {
    expect(await run('next', 'once 2026-01-01T00:00Z', '--json')).toEqual({
      status: 0,
      stdout: '[]\n',
      stderr: '',
    });
  });

  it.each([
    [
      'an hour past 23',
      ['daily 25:00'],
      'mytimer: schedule: time "25:00" must be HH:MM from 00:00 to 23:59\n',
    ],
    [
      'an unknown weekday',
      ['daily 09:00 mox'],
      'mytimer: schedule: unknown weekday "mox" (use mon,tue,wed,thu,fri,sat,sun)\n',
    ],
    ['a zero interval', ['every 0m'], 'mytimer: schedule: "every 0m" — interval must be from 1s to 366d\n'],
    [
      'a cron minute of 61',
      ['61 * * * *'],
      /^mytimer: schedule\.expression: "61 \* \* \* \*" is not a valid cron expression.*\n$/,
    ],
    [
      'an unknown time zone',
      ['daily 09:00', '--tz', 'Mars/Base'],
      /^mytimer: --tz: unknown time zone "Mars\/Base".*\n$/,
    ],
    [
      'a count of 0',
      ['daily 09:00', '--count', '0'],
      'mytimer: --count: must be a whole number from 1 to 1000 (got "0")\n',
    ],
    [
      'a count over 1000',
      ['daily 09:00', '--count', '1001'],
      'mytimer: --count: must be a whole number from 1 to 1000 (got "1001")\n',
    ],
    [
      'a --from that is not a date-time',
      ['daily 09:00', '--from', 'tomorrow'],
      /^mytimer: --from: "tomorrow" is not a date-time.*\n$/,
    ],
  ])('refuses %s with one line and exit 2', async (_input, argv, expected) => {
    const result = await run('next', ...argv);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
  });

  it('exits 2 without a schedule', async () => {
    const result = await run('next');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'schedule'");
  });

  it('explains the syntax in --help', async () => {
    const result = await run('next', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('mytimer next "daily 09:00 mon,wed" --tz Europe/Berlin');
  });
});

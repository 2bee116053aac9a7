import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReminderView } from '../../shared/contract.js';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { NOW, daemonFails, readSettingsFile } from '../test-support/fake-daemon.js';

const cli = useCliHome();

/** Runs `mytimer --home <temp> …` in UTC with an English locale. */
const run = (...argv: string[]) =>
  runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'UTC', LANG: 'en_US.UTF-8' } });

const reminders = async () =>
  ((await readSettingsFile(cli.home))?.reminders ?? []) as Record<string, unknown>[];

function view(overrides: Partial<ReminderView> = {}): ReminderView {
  return {
    id: 'rest-eyes',
    schedule: { kind: 'every', intervalMs: 3_600_000 },
    priority: 5,
    enabled: true,
    snoozeMinutes: 5,
    displayName: 'Rest your eyes',
    displayMessage: "Don't code — rest your eyes",
    nextDueAt: NOW + 12 * 60_000 + 30_000,
    ...overrides,
  };
}

describe('reminder commands without a daemon (the settings file, under the lock)', () => {
  it('lists the default reminder with its localized name and no next time', async () => {
    expect(await run('reminder', 'list')).toEqual({
      code: 0,
      stdout:
        'ID         ENABLED  PRIORITY  SCHEDULE  NEXT  NAME\n' +
        'rest-eyes  yes      5         every 1h  —     Rest your eyes\n',
      stderr: '',
    });
  });

  it('shows the default name in the settings language', async () => {
    await writeFile(
      join(cli.home, 'settings.json'),
      JSON.stringify({
        version: 1,
        language: 'zh-CN',
        reminders: [{ id: 'rest-eyes', schedule: { kind: 'every', intervalMs: 3_600_000 } }],
      }),
    );
    const result = await run('reminder', 'list', '--json');
    expect(JSON.parse(result.stdout)).toMatchObject([
      { id: 'rest-eyes', displayName: '休息眼睛', nextDueAt: null },
    ]);
  });

  it('adds a reminder to settings.json with an id from its name', async () => {
    const result = await run(
      'reminder',
      'add',
      '--schedule',
      'every 45m',
      '--name',
      'Stretch your legs',
      '--message',
      'Stand up',
      '--priority',
      '3',
      '--snooze',
      '10',
      '--hours',
      'mon-fri 09:00-12:00',
      '--hours',
      'mon-fri 13:00-18:00',
      '--sound',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Added reminder stretch-your-legs "Stretch your legs" — every 45m, priority 3, ' +
        'hours weekdays 09:00-12:00 + weekdays 13:00-18:00 (saved; no daemon is running, so it takes effect when one starts)\n',
    );
    expect(await reminders()).toEqual([
      expect.objectContaining({ id: 'rest-eyes' }),
      {
        id: 'stretch-your-legs',
        name: 'Stretch your legs',
        message: 'Stand up',
        schedule: { kind: 'every', intervalMs: 45 * 60_000 },
        priority: 3,
        enabled: true,
        snoozeMinutes: 10,
        workingHours: [
          { days: [1, 2, 3, 4, 5], start: '09:00', end: '12:00' },
          { days: [1, 2, 3, 4, 5], start: '13:00', end: '18:00' },
        ],
        sound: true,
      },
    ]);
  });

  it('keeps ids unique: a taken slug gets -2, a name without ASCII letters reminder-N', async () => {
    await run('reminder', 'add', '--schedule', 'every 1h', '--name', 'Water');
    await run('reminder', 'add', '--schedule', 'every 2h', '--name', 'water');
    await run('reminder', 'add', '--schedule', 'daily 12:00', '--name', '午饭', '--disabled');
    expect((await reminders()).map(({ id, enabled }) => [id, enabled])).toEqual([
      ['rest-eyes', true],
      ['water', true],
      ['water-2', true],
      ['reminder-1', false],
    ]);
  });

  it('refuses an --id that is taken and a malformed one (bad input: exit 2)', async () => {
    expect(await run('reminder', 'add', '--schedule', 'every 1h', '--id', 'rest-eyes')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: a reminder "rest-eyes" already exists\n',
    });
    const bad = await run('reminder', 'add', '--schedule', 'every 1h', '--id', 'Bad Id');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'mytimer: reminder.id: must be 1-64 characters: lowercase letters, digits, "-" or "_"\n',
    );
  });

  it.each([
    [
      'a priority above 20',
      ['--priority', '25'],
      'mytimer: reminder.priority: must be a number from 1 to 20\n',
    ],
    [
      'a priority that is not a number',
      ['--priority', 'high'],
      'mytimer: reminder.priority: must be a number from 1 to 20\n',
    ],
    [
      'a snooze of 0 minutes',
      ['--snooze', '0'],
      'mytimer: reminder.snoozeMinutes: must be a number from 1 to 240 minutes\n',
    ],
    ['an empty name', ['--name', ''], 'mytimer: reminder.name: must not be empty\n'],
    [
      'working hours without HH:MM',
      ['--hours', 'mon-fri 9-17'],
      'mytimer: --hours: "9" must be a time HH:MM from 00:00 to 23:59\n',
    ],
  ])('refuses %s with one line and exit 2, leaving the file unchanged', async (_input, extra, expected) => {
    await run('reminder', 'disable', 'rest-eyes'); // creates settings.json
    const before = await readSettingsFile(cli.home);
    const result = await run('reminder', 'add', '--schedule', 'every 45m', ...extra);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    if (typeof expected === 'string') expect(result.stderr).toBe(expected);
    else expect(result.stderr).toMatch(expected);
    expect(await readSettingsFile(cli.home)).toEqual(before);
  });

  it('names the option for a bad schedule, and requires one', async () => {
    expect((await run('reminder', 'add', '--schedule', 'every 0m')).stderr).toBe(
      'mytimer: --schedule: "every 0m" — interval must be from 1s to 366d\n',
    );
    const missing = await run('reminder', 'add', '--name', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: required option '--schedule <text>' not specified\n");
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('refuses a once in the past (exit 2) and writes nothing', async () => {
    const result = await run('reminder', 'add', '--schedule', 'once 2026-01-05T08:59Z', '--name', 'Call');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mytimer: --schedule: 2026-01-05T08:59:00.000Z is in the past (now 2026-01-05T09:00:00.000Z); a one-shot reminder needs a time still ahead\n',
    });
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('edits only the fields given, and --no-hours clears working hours', async () => {
    await run(
      'reminder',
      'add',
      '--schedule',
      'every 45m',
      '--name',
      'Stretch',
      '--priority',
      '3',
      '--hours',
      'weekdays 09:00-18:00',
    );
    const result = await run(
      'reminder',
      'edit',
      'stretch',
      '--schedule',
      'weekdays 10:30',
      '--no-hours',
      '--no-sound',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Changed reminder stretch "Stretch" — weekdays 10:30, priority 3 \(saved;/,
    );
    expect((await reminders())[1]).toEqual({
      id: 'stretch',
      name: 'Stretch',
      schedule: { kind: 'daily', time: '10:30', weekdays: [1, 2, 3, 4, 5] },
      priority: 3,
      enabled: true,
      snoozeMinutes: 5,
      workingHours: [],
      sound: false,
    });
  });

  it('refuses an edit with nothing to change, or a bad value, without writing', async () => {
    expect(await run('reminder', 'edit', 'rest-eyes')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: nothing to change: give at least one option (see mytimer reminder edit --help)\n',
    });
    expect((await run('reminder', 'edit', 'rest-eyes', '--priority', '0')).stderr).toBe(
      'mytimer: reminder.priority: must be a number from 1 to 20\n',
    );
    expect((await run('reminder', 'edit', 'rest-eyes', '--enabled', '--disabled')).code).toBe(2);
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('disables, enables and removes by id', async () => {
    expect((await run('reminder', 'disable', 'rest-eyes')).stdout).toMatch(
      /^Disabled reminder rest-eyes "Rest your eyes" — every 1h, priority 5, break, disabled \(saved;/,
    );
    expect((await reminders())[0]).toMatchObject({ id: 'rest-eyes', enabled: false });
    await run('reminder', 'enable', 'rest-eyes');
    expect((await reminders())[0]).toMatchObject({ id: 'rest-eyes', enabled: true });
    expect(await run('reminder', 'remove', 'rest-eyes', '--json')).toEqual({
      code: 0,
      stdout: '{\n  "removed": true\n}\n',
      stderr: '',
    });
    expect(await reminders()).toEqual([]);
    expect((await run('reminder', 'list')).stdout).toBe(
      'No reminders (add one with `mytimer reminder add --schedule "every 45m"`)\n',
    );
  });

  it.each([['edit', '--priority', '2'], ['enable'], ['disable'], ['remove']])(
    'exits 2 for a missing id, as for any bad input (%s)',
    async (verb, ...extra) => {
      expect(await run('reminder', verb, 'nope', ...extra)).toEqual({
        code: 2,
        stdout: '',
        stderr: 'mytimer: no reminder "nope"\n',
      });
    },
  );

  it('marks a reminder as a break with --break and unmarks it with --no-break', async () => {
    const added = await run('reminder', 'add', '--schedule', 'every 50m', '--name', 'Stretch', '--break');
    expect(added.stdout).toMatch(/^Added reminder stretch "Stretch" — every 50m, priority 5, break \(saved;/);
    expect((await reminders())[1]).toMatchObject({ id: 'stretch', break: true });
    await run('reminder', 'edit', 'rest-eyes', '--no-break');
    expect((await reminders())[0]).toMatchObject({ id: 'rest-eyes', break: false });
    expect((await run('reminder', 'edit', 'stretch', '--no-break')).stdout).toMatch(
      /^Changed reminder stretch "Stretch" — every 50m, priority 5 \(saved;/,
    );
  });

  it('lands every one of several concurrent adds, thanks to the lock', async () => {
    const results = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((name) =>
        run('reminder', 'add', '--schedule', 'every 1h', '--name', name),
      ),
    );
    expect(results.map(({ code }) => code)).toEqual([0, 0, 0, 0]);
    expect((await reminders()).map(({ id }) => id).sort()).toEqual([
      'four',
      'one',
      'rest-eyes',
      'three',
      'two',
    ]);
  });

  it('refuses control characters in a name (exit 2), allows line breaks in a message', async () => {
    const esc = await run('reminder', 'add', '--schedule', 'every 1h', '--name', 'a\u001b[2J');
    expect(esc).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'mytimer: reminder.name: must not contain control characters (ESC, CR, line breaks, tabs) or bidi overrides\n',
    });
    const cr = await run('reminder', 'add', '--schedule', 'every 1h', '--name', 'x', '--message', 'a\rb');
    expect(cr.stderr).toBe(
      'mytimer: reminder.message: must not contain control characters (ESC, CR, tabs) or bidi overrides; line breaks are fine\n',
    );
    const lines = await run(
      'reminder',
      'add',
      '--schedule',
      'every 1h',
      '--name',
      'Two',
      '--message',
      'one\ntwo',
    );
    expect(lines.code).toBe(0);
    expect((await reminders())[1]).toMatchObject({ name: 'Two', message: 'one\ntwo' });
  });

  it('refuses an id with control characters and never prints them raw', async () => {
    const result = await run('reminder', 'remove', 'x\u001b[2J');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mytimer: id: must be 1-64 characters/);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('needs a daemon to snooze', async () => {
    expect(await run('reminder', 'snooze', 'rest-eyes')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mytimer: no mytimer daemon is running — start one with `npx mytimer run`\n',
    });
  });
});

describe('reminder commands with a daemon', () => {
  it('lists what the daemon reports, with the next time local and relative', async () => {
    await cli.startDaemon({
      'reminder.list': [
        view(),
        view({
          id: 'lunch',
          schedule: { kind: 'daily', time: '12:30', weekdays: [1, 2, 3, 4, 5] },
          displayName: 'Lunch',
          priority: 2,
          nextDueAt: NOW + 3.5 * 3_600_000,
        }),
        view({ id: 'off', enabled: false, nextDueAt: null, displayName: 'Off' }),
      ],
    });
    expect(await run('reminder', 'list')).toEqual({
      code: 0,
      stdout: [
        'ID         ENABLED  PRIORITY  SCHEDULE        NEXT                NAME',
        'rest-eyes  yes      5         every 1h        09:12 (in 12m 30s)  Rest your eyes',
        'lunch      yes      2         weekdays 12:30  12:30 (in 3h 30m)   Lunch',
        'off        no       5         every 1h        —                   Off',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('lists names with control characters as escapes (a name written into the file by hand)', async () => {
    await cli.startDaemon({ 'reminder.list': [view({ displayName: 'Evil\u001b[2J\r' })] });
    const { stdout } = await run('reminder', 'list');
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('Evil\\x1b[2J\\r\n');
  });

  it('adds through the daemon with a unique id and never touches the file', async () => {
    const daemon = await cli.startDaemon({
      'reminder.list': [view(), view({ id: 'stretch' })],
      'reminder.add': (params) =>
        view({ ...(params as { reminder: ReminderView }).reminder, displayName: 'Stretch' }),
    });
    const result = await run('reminder', 'add', '--schedule', 'every 45m', '--name', 'Stretch');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Added reminder stretch-2 "Stretch" — every 45m, priority 5, next 09:12 (in 12m 30s)\n',
    );
    expect(daemon.requests).toEqual([
      { method: 'reminder.list', params: {} },
      {
        method: 'reminder.add',
        params: {
          reminder: {
            id: 'stretch-2',
            name: 'Stretch',
            schedule: { kind: 'every', intervalMs: 45 * 60_000 },
            priority: 5,
            enabled: true,
            snoozeMinutes: 5,
          },
        },
      },
    ]);
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('sends an edit as a patch of only the options given', async () => {
    const daemon = await cli.startDaemon({ 'reminder.edit': view({ priority: 2 }) });
    const result = await run(
      'reminder',
      'edit',
      'rest-eyes',
      '--priority',
      '2',
      '--hours',
      'mon 08:00-09:00',
    );
    expect(result.stdout).toBe(
      'Changed reminder rest-eyes "Rest your eyes" — every 1h, priority 2, break, next 09:12 (in 12m 30s)\n',
    );
    expect(daemon.requests).toEqual([
      {
        method: 'reminder.edit',
        params: {
          id: 'rest-eyes',
          patch: { priority: 2, workingHours: [{ days: [1], start: '08:00', end: '09:00' }] },
        },
      },
    ]);
  });

  it('validates locally before asking the daemon', async () => {
    const daemon = await cli.startDaemon({});
    const result = await run('reminder', 'add', '--schedule', 'every 45m', '--priority', '21');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: reminder.priority: must be a number from 1 to 20\n',
    });
    expect(daemon.requests).toEqual([]);
  });

  it('refuses a once in the past before asking the daemon (exit 2)', async () => {
    const daemon = await cli.startDaemon({});
    const result = await run('reminder', 'add', '--schedule', 'once 2026-01-05T09:00Z');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is in the past');
    expect(daemon.requests).toEqual([]);
  });

  it("prints the daemon's invalid reply as field: reason and exits 2", async () => {
    await cli.startDaemon({
      'reminder.list': [],
      'reminder.add': daemonFails(
        'invalid',
        'daily schedules need a time zone the daemon knows',
        'params.reminder.schedule.timeZone',
      ),
    });
    expect(await run('reminder', 'add', '--schedule', 'every 45m')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: reminder.schedule.timeZone: daily schedules need a time zone the daemon knows\n',
    });
  });

  it('prints not-found as the reason and exits 2 (bad input)', async () => {
    await cli.startDaemon({
      'reminder.disable': daemonFails('not-found', 'no reminder "x"'),
      'reminder.remove': daemonFails('not-found', 'no reminder "x"'),
    });
    for (const verb of ['disable', 'remove']) {
      expect(await run('reminder', verb, 'x')).toEqual({
        code: 2,
        stdout: '',
        stderr: 'mytimer: no reminder "x"\n',
      });
    }
  });

  it('enables, disables, removes and snoozes through the daemon', async () => {
    const daemon = await cli.startDaemon({
      'reminder.enable': view(),
      'reminder.disable': view({ enabled: false, nextDueAt: null }),
      'reminder.remove': { removed: true },
      'reminder.snooze': {
        ...view({ nextDueAt: NOW + 15 * 60_000 }),
        snooze: { until: NOW + 15 * 60_000, reason: 'delay' },
      },
    });
    expect((await run('reminder', 'enable', 'rest-eyes')).stdout).toBe(
      'Enabled reminder rest-eyes "Rest your eyes" — every 1h, priority 5, break, next 09:12 (in 12m 30s)\n',
    );
    expect((await run('reminder', 'disable', 'rest-eyes')).stdout).toBe(
      'Disabled reminder rest-eyes "Rest your eyes" — every 1h, priority 5, break, disabled\n',
    );
    expect((await run('reminder', 'remove', 'rest-eyes')).stdout).toBe('Removed reminder rest-eyes\n');
    expect((await run('reminder', 'snooze', 'rest-eyes', '--minutes', '15')).stdout).toBe(
      'Snoozed rest-eyes until 09:15 (in 15m)\n',
    );
    expect(daemon.requests.map(({ method, params }) => [method, params])).toEqual([
      ['reminder.enable', { id: 'rest-eyes' }],
      ['reminder.disable', { id: 'rest-eyes' }],
      ['reminder.remove', { id: 'rest-eyes' }],
      ['reminder.snooze', { id: 'rest-eyes', minutes: 15 }],
    ]);
  });

  it('says when a snooze kept a later next time, or moved into working hours', async () => {
    await cli.startDaemon({
      'reminder.snooze': (params) =>
        (params as { id: string }).id === 'rest-eyes'
          ? {
              ...view({ nextDueAt: NOW + 60 * 60_000 }),
              snooze: { until: NOW + 60 * 60_000, reason: 'pending' },
            }
          : {
              ...view({ id: 'office', nextDueAt: NOW + 24 * 60 * 60_000 }),
              snooze: { until: NOW + 24 * 60 * 60_000, reason: 'working-hours' },
            },
    });
    expect((await run('reminder', 'snooze', 'rest-eyes', '--minutes', '10')).stdout).toBe(
      'Snoozed rest-eyes until 10:00 (in 1h) — its next time was already later than 10m from now\n',
    );
    expect((await run('reminder', 'snooze', 'office', '--minutes', '10')).stdout).toBe(
      'Snoozed office until Tue 09:00 (in 1d) — the first time inside its working hours\n',
    );
  });

  it('refuses a snooze length out of range before asking', async () => {
    await cli.startDaemon({});
    expect(await run('reminder', 'snooze', 'rest-eyes', '--minutes', '500')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: --minutes: must be a whole number from 1 to 240 (got "500")\n',
    });
  });
});

describe('reminder --help', () => {
  it.each(['list', 'add', 'edit', 'remove', 'enable', 'disable', 'snooze'])(
    'has examples for %s',
    async (verb) => {
      const result = await run('reminder', verb, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Examples:\n  mytimer reminder ${verb}`);
    },
  );
});

describe('mytimer reminder skip', () => {
  it('skips through the daemon and says how many skips are left today', async () => {
    const daemon = await cli.startDaemon({
      'reminder.skip': { id: 'rest-eyes', skipped: true, skipsLeftToday: 1 },
    });
    const { code, stdout } = await run('reminder', 'skip', 'rest-eyes');
    expect(code).toBe(0);
    expect(stdout).toBe('Skipped rest-eyes (1 skips left today)\n');
    expect(daemon.requests.map((r) => [r.method, r.params])).toEqual([
      ['reminder.skip', { id: 'rest-eyes' }],
    ]);
  });

  it('a skip past the daily limit is one line and exit 2', async () => {
    await cli.startDaemon({
      'reminder.skip': daemonFails(
        'conflict',
        'reminder "rest-eyes" was already skipped 2 times today (its maxSkipsPerDay)',
      ),
    });
    const { code, stderr } = await run('reminder', 'skip', 'rest-eyes');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'mytimer: reminder "rest-eyes" was already skipped 2 times today (its maxSkipsPerDay)\n',
    );
  });
});

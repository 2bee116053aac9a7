import { access, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestOnce } from '../../app/cli/client.js';
import type { ReminderView, Status } from '../../app/shared/contract.js';
import { CLI, DAEMON, start, tempHome, waitFor } from './support/daemon.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function home() {
  const made = await tempHome();
  cleanups.push(made.cleanup);
  return made;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** The daemon alone, with no host: its log lines go to stderr, which `output()` collects. */
function startDaemon(dir: string) {
  const daemon = start(process.execPath, [DAEMON, '--home', dir], {});
  cleanups.push(() => void daemon.child.kill('SIGKILL'));
  return daemon;
}

async function ready(socket: string): Promise<Status> {
  return waitFor(
    () => requestOnce(socket, 'status', {}).catch(() => undefined) as Promise<Status>,
    8_000,
    'the daemon',
  );
}

/** `mytimer <args>` with no daemon running: exit code and everything it printed. */
async function cli(dir: string, args: string[]) {
  const run = start(process.execPath, [CLI, ...args], { MYTIMER_HOME: dir });
  const { code } = await run.exited;
  return { code, output: run.output() };
}

function document(extra: Record<string, unknown> = {}, reminders: unknown[] = []): string {
  return `${JSON.stringify(
    {
      version: 1,
      reminders: [{ id: 'water', schedule: { kind: 'every', intervalMs: 1_800_000 } }, ...reminders],
      ...extra,
    },
    null,
    2,
  )}\n`;
}

describe('settings.lock', () => {
  it('is gone after the daemon stops cleanly', async () => {
    const { home: dir, socket } = await home();
    const daemon = startDaemon(dir);
    await ready(socket);
    expect(await exists(path.join(dir, 'settings.lock'))).toBe(true);
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    expect(await exists(path.join(dir, 'settings.lock'))).toBe(false);
  });
});

describe('offline edits are checked as the daemon checks them', () => {
  it('`settings set timeZone=Mars/Olympus` with no daemon is refused (exit 2) and nothing is saved', async () => {
    const { home: dir } = await home();
    const result = await cli(dir, ['settings', 'set', 'timeZone=Mars/Olympus']);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/timeZone.*unknown time zone "Mars\/Olympus"/);
    expect(result.output).not.toMatch(/Saved/);
    expect(await exists(path.join(dir, 'settings.json'))).toBe(false);
  });

  it('an offline edit then a start: the daemon runs with the change', async () => {
    const { home: dir, socket } = await home();
    expect((await cli(dir, ['settings', 'set', 'timeZone=Europe/Berlin'])).code).toBe(0);
    startDaemon(dir);
    await ready(socket);
    expect(await requestOnce(socket, 'settings.get', {})).toMatchObject({ timeZone: 'Europe/Berlin' });
  });
});

describe('a settings file the daemon cannot use in full', () => {
  it('a hand-edited cron "61 * * * *": the daemon runs, that reminder is disabled, a warning says so', async () => {
    const { home: dir, socket } = await home();
    const text = document({}, [{ id: 'hourly', schedule: { kind: 'cron', expression: '61 * * * *' } }]);
    await writeFile(path.join(dir, 'settings.json'), text);
    const daemon = startDaemon(dir);
    await ready(socket);
    const list = (await requestOnce(socket, 'reminder.list', {})) as ReminderView[];
    expect(list.map((r) => [r.id, r.enabled])).toEqual([
      ['water', true],
      ['hourly', false],
    ]);
    expect(daemon.output()).toMatch(/warn: .*reminder "hourly".*disabled/);
    const bad = (await readdir(dir)).filter((name) => name.startsWith('settings.json.bad-'));
    expect(bad).toHaveLength(1);
    expect(await readFile(path.join(dir, bad[0] as string), 'utf8')).toBe(text);
  });

  it('a hand-edited priority of 99: the daemon runs, that reminder is disabled, the others keep theirs', async () => {
    const { home: dir, socket } = await home();
    const text = document({}, [
      { id: 'stretch', schedule: { kind: 'every', intervalMs: 3_600_000 }, priority: 99 },
    ]);
    await writeFile(path.join(dir, 'settings.json'), text);
    const daemon = startDaemon(dir);
    await ready(socket);
    const list = (await requestOnce(socket, 'reminder.list', {})) as ReminderView[];
    expect(list.map((r) => [r.id, r.enabled])).toEqual([
      ['water', true],
      ['stretch', false],
    ]);
    expect(daemon.output()).toMatch(/warn: .*reminders\[1\] \("stretch"\)\.priority: .*disabled it/);
    const bad = (await readdir(dir)).filter((name) => name.startsWith('settings.json.bad-'));
    expect(bad).toHaveLength(1);
    expect(await readFile(path.join(dir, bad[0] as string), 'utf8')).toBe(text);
  });

  it('a settings.json that is a directory: the daemon runs on the defaults and says why', async () => {
    const { home: dir, socket } = await home();
    await mkdir(path.join(dir, 'settings.json'));
    const daemon = startDaemon(dir);
    const status = await ready(socket);
    expect(status.nextReminder?.id).toBe('rest-eyes');
    expect(daemon.output()).toMatch(/settings\.json is a directory/);
  });
});

describe('hand edits while the daemon runs', () => {
  it('a valid edit is loaded, not overwritten', async () => {
    const { home: dir, socket } = await home();
    const file = path.join(dir, 'settings.json');
    startDaemon(dir);
    await ready(socket);
    await writeFile(
      file,
      document({ sound: true }, [{ id: 'tea', schedule: { kind: 'every', intervalMs: 600_000 } }]),
    );
    await waitFor(
      async () =>
        ((await requestOnce(socket, 'reminder.list', {})) as ReminderView[]).some((r) => r.id === 'tea'),
      5_000,
      'the edit to load',
    );
    expect(await requestOnce(socket, 'settings.get', {})).toMatchObject({ sound: true });
    // A later change through the daemon keeps the hand edit.
    await requestOnce(socket, 'settings.set', { patch: { niceness: 12 } });
    const saved = JSON.parse(await readFile(file, 'utf8')) as { sound: boolean; reminders: { id: string }[] };
    expect(saved.sound).toBe(true);
    expect(saved.reminders.map((r) => r.id)).toEqual(['water', 'tea']);
  });

  it('an invalid edit is reported and kept aside; the daemon keeps the previous settings', async () => {
    const { home: dir, socket } = await home();
    const file = path.join(dir, 'settings.json');
    await writeFile(file, document());
    const daemon = startDaemon(dir);
    await ready(socket);
    const broken = document({ niceness: 99 });
    await writeFile(file, broken);
    const rejected = await waitFor(
      async () => (await readdir(dir)).find((name) => name.startsWith('settings.json.rejected-')),
      5_000,
      'the rejected copy',
    );
    expect(await readFile(path.join(dir, rejected), 'utf8')).toBe(broken);
    await waitFor(
      () => /warn: .*settings\.json.*niceness.*rejected/.test(daemon.output()),
      5_000,
      'the warning',
    );
    expect(await requestOnce(socket, 'settings.get', {})).toMatchObject({ niceness: 10 });
    // Restored before the warning is logged.
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ niceness: 10 });
  });
});

describe('unknown fields', () => {
  it('survive a change made through the daemon', async () => {
    const { home: dir, socket } = await home();
    const file = path.join(dir, 'settings.json');
    await writeFile(file, document({ myNote: 'keep me' }));
    const daemon = startDaemon(dir);
    await ready(socket);
    await requestOnce(socket, 'settings.set', { patch: { sound: true } });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ myNote: 'keep me', sound: true });
    expect(daemon.output()).toMatch(/warn: .*unknown.*myNote/);
  });
});

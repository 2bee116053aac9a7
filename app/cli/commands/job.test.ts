import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobResult, JobView } from '../../shared/contract.js';
import { runCaptured } from '../test-support/capture.js';
import { useCliHome } from '../test-support/cli-home.js';
import { readSettingsFile } from '../test-support/fake-daemon.js';

const cli = useCliHome();
const run = (...argv: string[]) => runCaptured(['--home', cli.home, ...argv], { env: { TZ: 'UTC' } });
/** A folder under the test's home (made in beforeEach: `job add` checks its folders exist). */
const at = (relative: string) => path.join(cli.home, relative);
beforeEach(async () => {
  await mkdir(at('a'), { recursive: true });
  await mkdir(at('data/Notes'), { recursive: true });
});

/** The job `notes` as the daemon reports it (idle, never run). */
const notesView: JobView = {
  id: 'notes',
  kind: 'copy',
  source: '/a',
  destination: '/b',
  schedule: { kind: 'daily', time: '18:00' },
  priority: 5,
  enabled: true,
  displayName: 'notes',
  state: 'idle',
  nextDueAt: null,
  progress: null,
  lastResult: null,
};

describe('mytimer job (no daemon: the settings file, under the lock)', () => {
  it('adds a copy job with absolute paths, lists it and removes it', async () => {
    const added = await run(
      'job',
      'add',
      'copy',
      at('data/Notes'),
      at('mnt/backup/notes'),
      '--schedule',
      'daily 18:00',
      '--priority',
      '3',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(
      `Added job notes: copy ${at('data/Notes')} → ${at('mnt/backup/notes')}, daily 18:00, priority 3`,
    );
    const settings = (await readSettingsFile(cli.home)) as { jobs: unknown[] };
    expect(settings.jobs).toEqual([
      {
        id: 'notes',
        kind: 'copy',
        source: at('data/Notes'),
        destination: at('mnt/backup/notes'),
        schedule: { kind: 'daily', time: '18:00' },
        priority: 3,
        enabled: true,
      },
    ]);
    const second = await run(
      'job',
      'add',
      'copy',
      at('data/Notes'),
      at('elsewhere'),
      '--schedule',
      'every 6h',
    );
    expect(second.stdout).toMatch(/^Added job notes-2:/);
    const list = await run('job', 'list');
    expect(list.stdout).toMatch(/notes\s+idle\s+3\s+daily 18:00/);
    expect((await run('job', 'remove', 'notes')).code).toBe(0);
    expect(
      ((await readSettingsFile(cli.home)) as { jobs: Array<{ id: string }> }).jobs.map((j) => j.id),
    ).toEqual(['notes-2']);
  });

  it('bad input: one line naming the field, exit 2, nothing written', async () => {
    const bad = await run(
      'job',
      'add',
      'copy',
      at('a'),
      at('b'),
      '--schedule',
      'daily 18:00',
      '--priority',
      '25',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('mytimer: job.priority: must be a number from 1 to 20');
    const schedule = await run('job', 'add', 'copy', at('a'), at('b'), '--schedule', 'daily 25:00');
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toMatch(/^mytimer: --schedule/);
    const kind = await run('job', 'add', 'move', at('a'), at('b'), '--schedule', 'daily 18:00');
    expect(kind.code).toBe(2);
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('run, cancel and history need a daemon and say how to start one', async () => {
    for (const argv of [
      ['job', 'run', 'x'],
      ['job', 'cancel', 'x'],
      ['job', 'history'],
    ]) {
      const result = await run(...argv);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no mytimer daemon is running — start one with `npx mytimer run`/);
    }
  });
});

describe('mytimer job add checks its folders when added', () => {
  it('a missing source, a destination inside the source, a verify folder that is not there: exit 2, nothing written', async () => {
    const missing = await run('job', 'add', 'copy', at('nope'), at('b'), '--schedule', 'daily 18:00');
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe(`mytimer: <src>: ${at('nope')} does not exist\n`);
    await writeFile(at('file.txt'), 'not a folder');
    const file = await run('job', 'add', 'copy', at('file.txt'), at('b'), '--schedule', 'daily 18:00');
    expect(file.stderr).toBe(`mytimer: <src>: ${at('file.txt')} is not a folder\n`);
    const inside = await run('job', 'add', 'copy', at('a'), at('a/backup'), '--schedule', 'daily 18:00');
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/^mytimer: <dst>: .* is inside the source folder/);
    const verify = await run('job', 'add', 'verify', at('nope'), '--schedule', 'daily 18:00');
    expect(verify).toMatchObject({
      code: 2,
      stderr: `mytimer: <src>: ${at('nope')} is not a readable folder\n`,
    });
    expect(await readSettingsFile(cli.home)).toBeUndefined();
  });

  it('adds a verify job for one folder: the copy to check', async () => {
    const added = await run('job', 'add', 'verify', at('a'), '--schedule', 'daily 03:00', '--id', 'scrub');
    expect(added.code).toBe(0);
    const settings = (await readSettingsFile(cli.home)) as { jobs: unknown[] };
    expect(settings.jobs).toEqual([
      expect.objectContaining({ id: 'scrub', kind: 'verify', destination: at('a') }),
    ]);
    expect((settings.jobs[0] as { source?: string }).source).toBeUndefined();
  });
});

describe('mytimer job: bad ids and --json', () => {
  it('exits 2 for an unknown id to remove and for a taken --id, as for any bad input', async () => {
    expect(await run('job', 'remove', 'nope')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: no job "nope"\n',
    });
    const add = ['job', 'add', 'copy', at('a'), at('b'), '--schedule', 'daily 18:00', '--id', 'notes'];
    expect((await run(...add)).code).toBe(0);
    expect(await run(...add)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mytimer: a job with id "notes" already exists\n',
    });
  });

  it('remove, run and cancel print JSON with --json', async () => {
    await run('job', 'add', 'copy', at('a'), at('b'), '--schedule', 'daily 18:00', '--id', 'notes');
    expect(await run('job', 'remove', 'notes', '--json')).toEqual({
      code: 0,
      stdout: '{"removed":true}\n',
      stderr: '',
    });
    await cli.startDaemon({
      'job.run': () => ({ queued: true, job: notesView }),
      'job.cancel': () => ({ cancelled: false }),
    });
    expect(JSON.parse((await run('job', 'run', 'notes', '--json')).stdout)).toEqual({
      queued: true,
      job: notesView,
    });
    expect(await run('job', 'cancel', 'notes', '--json')).toEqual({
      code: 0,
      stdout: '{"cancelled":false}\n',
      stderr: '',
    });
  });
});

describe('mytimer job (through the daemon)', () => {
  it('run queues the job and history prints each run with its failures', async () => {
    const result: JobResult = {
      jobId: 'notes',
      startedAt: Date.UTC(2026, 0, 5, 8, 0),
      finishedAt: Date.UTC(2026, 0, 5, 8, 1),
      seconds: 60,
      outcome: 'failed',
      filesCopied: 9,
      filesSkipped: 0,
      filesFailed: 1,
      bytesCopied: 1234,
      failures: [{ path: 'a.txt', reason: 'vanished' }],
      error: null,
    };
    const daemon = await cli.startDaemon({
      'job.run': () => ({ queued: true, job: notesView }),
      'job.history': () => [result],
    });
    expect((await run('job', 'run', 'notes')).stdout).toMatch(/^Job notes queued/);
    const history = await run('job', 'history', 'notes');
    expect(history.stdout).toBe(
      'notes  2026-01-05 08:01: 1 failed, 9 copied  (60.0 s, 1234 bytes)\n    a.txt: vanished\n',
    );
    expect(daemon.requests.map((r) => r.method)).toEqual(['job.run', 'job.history']);
  });
});

import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl, type ControlClient } from '../../app/cli/client.js';
import type { DaemonEvent, JobResult, JobView, Status } from '../../app/shared/contract.js';
import { DAEMON, tempHome, waitFor } from './support/daemon.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Node's option that makes the copy's reads slow (see support/slow-disk.mjs). */
const slowDisk = (ms: number): string =>
  `--import=${new URL(`./support/slow-disk.mjs?ms=${ms}`, import.meta.url).href}`;

/** A real daemon on a temp home (a new one unless given), with a subscribed control connection. */
async function startDaemon(
  options: { home?: Awaited<ReturnType<typeof tempHome>>; execArgv?: string[] } = {},
) {
  const made = options.home ?? (await tempHome());
  if (!options.home) cleanups.push(made.cleanup);
  const daemon = fork(DAEMON, ['--home', made.home], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    execArgv: options.execArgv ?? [],
  });
  cleanups.push(() => void daemon.kill('SIGKILL'));
  const client: ControlClient = await waitFor(
    () =>
      connectControl(made.socket)
        .then(async (c) => ((await c.request('status')) ? c : undefined))
        .catch(() => undefined),
    8_000,
    'the daemon',
  );
  cleanups.push(() => client.close());
  const events: DaemonEvent[] = [];
  await client.subscribe((event) => events.push(event));
  return { ...made, daemon, client, events };
}

/** `count` files of `size` random bytes under `dir`. */
async function makeTree(dir: string, count: number, size: number): Promise<void> {
  await mkdir(path.join(dir, 'sub'), { recursive: true });
  const block = randomBytes(size);
  for (let i = 0; i < count; i++) {
    await writeFile(path.join(dir, i % 2 ? 'sub' : '', `file-${i}.bin`), block.subarray(0, size - (i % 7)));
  }
}

const finished = (events: DaemonEvent[], id: string) =>
  events.find(
    (e): e is Extract<DaemonEvent, { event: 'job' }> =>
      e.event === 'job' && e.data.id === id && e.data.phase === 'finished',
  );

describe('scheduled copy jobs in the real daemon', () => {
  it('a job added over the socket runs on schedule, copies and verifies, and keeps its result', async () => {
    const d = await startDaemon();
    const src = path.join(d.home, 'notes');
    await makeTree(src, 20, 64 * 1024);
    await writeFile(path.join(src, '笔记 with spaces.txt'), '不要 Coding\n');
    const dst = path.join(d.home, 'backup');
    await d.client.request('job.add', {
      job: {
        id: 'notes',
        kind: 'copy',
        source: src,
        destination: dst,
        schedule: { kind: 'once', at: Date.now() + 500 },
        priority: 3,
      },
    });
    const done = await waitFor(() => finished(d.events, 'notes'), 15_000, 'the job to finish');
    expect(done.data.result).toMatchObject({ outcome: 'ok', filesCopied: 21, filesFailed: 0 });
    expect(await readFile(path.join(dst, '笔记 with spaces.txt'), 'utf8')).toBe('不要 Coding\n');
    const manifest = JSON.parse(await readFile(path.join(dst, '.mytimer-manifest.json'), 'utf8')) as {
      files: unknown[];
    };
    expect(manifest.files).toHaveLength(21);
    const status = (await d.client.request('status')) as Status;
    expect(status.jobs[0]).toMatchObject({
      id: 'notes',
      state: 'idle',
      lastResult: { outcome: 'ok', filesCopied: 21 },
    });

    // A second run copies nothing new and says how many it skipped.
    await d.client.request('job.run', { id: 'notes' });
    await waitFor(
      () => d.events.filter((e) => e.event === 'job' && e.data.phase === 'finished').length === 2,
      15_000,
      'the re-run',
    );
    const history = (await d.client.request('job.history', { id: 'notes' })) as JobResult[];
    expect(history.map((h) => [h.outcome, h.filesCopied, h.filesSkipped])).toEqual([
      ['ok', 21, 0],
      ['ok', 0, 21],
    ]);
    // The run's result is saved (right after it is announced): a restarted daemon still shows it.
    await waitFor(
      async () => {
        const saved = JSON.parse(await readFile(path.join(d.home, 'state.json'), 'utf8')) as {
          jobHistory: Record<string, unknown[]>;
        };
        return saved.jobHistory.notes?.length === 2;
      },
      3_000,
      'the second run in state.json',
    );
  });

  it('reminders keep firing on time while a large copy runs on the workers', async () => {
    const d = await startDaemon();
    const src = path.join(d.home, 'photos');
    await makeTree(src, 400, 2 * 1024 * 1024); // ~800 MB: several seconds of hashing and writing on 2 cores
    await d.client.request('job.add', {
      job: {
        id: 'photos',
        kind: 'copy',
        source: src,
        destination: path.join(d.home, 'dst'),
        schedule: { kind: 'every', intervalMs: 86_400_000 },
      },
    });
    await d.client.request('job.run', { id: 'photos' });
    await waitFor(
      () =>
        d.events.some(
          (e) => e.event === 'job' && e.data.phase === 'progress' && (e.data.progress?.bytesDone ?? 0) > 0,
        ),
      10_000,
      'the copy to be under way',
    );

    // A second ahead: each add is a round trip, and a one-shot already in the past is refused.
    const base = Date.now() + 1_000;
    for (let i = 0; i < 3; i++) {
      await d.client.request('reminder.add', {
        reminder: {
          id: `during-${i}`,
          message: 'still on time?',
          schedule: { kind: 'once', at: base + 300 * (i + 1) },
        },
      });
    }
    const fired = await waitFor(
      () => {
        const all = d.events.filter(
          (e): e is Extract<DaemonEvent, { event: 'reminder' }> => e.event === 'reminder',
        );
        return all.length === 3 ? all : undefined;
      },
      5_000,
      'the reminders during the copy',
    );
    const lateness = fired.map((e) => e.data.firedAt - e.data.dueAt);
    // Still copying when the last reminder fired: the copy had not finished.
    expect(finished(d.events, 'photos')).toBeUndefined();
    expect(((await d.client.request('job.list')) as JobView[])[0]?.state).toBe('running');
    // The engine's own lateness is ~1 ms; the event loop must never be held for long by the copy.
    expect(Math.max(...lateness)).toBeLessThan(250);
    expect(lateness.every((ms) => ms >= 0)).toBe(true);
    await d.client.request('job.cancel', { id: 'photos' });
    const cancelled = await waitFor(() => finished(d.events, 'photos'), 5_000, 'the cancel');
    expect(cancelled.data.result?.outcome).toBe('cancelled');
  }, 60_000);

  it('a job killed with the daemon (SIGKILL mid-copy) is in history as interrupted and resumes at the next start', async () => {
    const first = await startDaemon({ execArgv: [slowDisk(40)] });
    const src = path.join(first.home, 'notes');
    await makeTree(src, 40, 32 * 1024);
    const dst = path.join(first.home, 'backup');
    await first.client.request('job.add', {
      job: {
        id: 'notes',
        kind: 'copy',
        source: src,
        destination: dst,
        workers: 1,
        schedule: { kind: 'every', intervalMs: 86_400_000 },
      },
    });
    await first.client.request('job.run', { id: 'notes' });
    await waitFor(
      () =>
        first.events.some(
          (e) => e.event === 'job' && e.data.phase === 'progress' && (e.data.progress?.filesDone ?? 0) >= 3,
        ),
      15_000,
      'the copy to be under way',
    );
    // Killed once some verified files are on disk in the manifest's journal.
    await waitFor(
      () =>
        readFile(path.join(dst, '.mytimer-manifest.json.journal'), 'utf8').then(
          (t) => t.includes('\n'),
          () => false,
        ),
      15_000,
      'the journal',
    );
    const exited = new Promise((resolve) => first.daemon.once('exit', resolve));
    first.daemon.kill('SIGKILL');
    await exited;
    first.client.close();

    const second = await startDaemon({ home: first });
    await waitFor(
      () =>
        second.events.some(
          (e) => e.event === 'job' && e.data.phase === 'finished' && e.data.result?.outcome === 'ok',
        ),
      20_000,
      'the resumed run',
    );
    const history = (await second.client.request('job.history', { id: 'notes' })) as JobResult[];
    expect(history.map((h) => h.outcome)).toEqual(['interrupted', 'ok']);
    // Resumed, not started over: the files verified before the kill were skipped.
    expect(history[1]?.filesSkipped).toBeGreaterThan(0);
    expect((history[1]?.filesCopied ?? 0) + (history[1]?.filesSkipped ?? 0)).toBe(40);
    const manifest = JSON.parse(await readFile(path.join(dst, '.mytimer-manifest.json'), 'utf8')) as {
      files: unknown[];
    };
    expect(manifest.files).toHaveLength(40);
  }, 60_000);

  it('a scheduled verify job re-reads the copy against its manifest and reports a flipped byte per file', async () => {
    const d = await startDaemon();
    const src = path.join(d.home, 'notes');
    await makeTree(src, 10, 16 * 1024);
    const dst = path.join(d.home, 'backup');
    await d.client.request('job.add', {
      job: {
        id: 'notes',
        kind: 'copy',
        source: src,
        destination: dst,
        schedule: { kind: 'every', intervalMs: 86_400_000 },
      },
    });
    await d.client.request('job.run', { id: 'notes' });
    await waitFor(() => finished(d.events, 'notes'), 15_000, 'the copy');

    // Bit rot: one byte flipped in place, size and mtime kept.
    const rotten = path.join(dst, 'sub', 'file-3.bin');
    const before = await stat(rotten);
    const handle = await open(rotten, 'r+');
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, 100);
    byte[0] = (byte[0] ?? 0) ^ 0x5a;
    await handle.write(byte, 0, 1, 100);
    await handle.close();
    await utimes(rotten, before.atime, before.mtime);

    await d.client.request('job.add', {
      job: {
        id: 'scrub',
        kind: 'verify',
        destination: dst,
        schedule: { kind: 'once', at: Date.now() + 500 },
      },
    });
    const done = await waitFor(() => finished(d.events, 'scrub'), 15_000, 'the scrub');
    expect(done.data.result).toMatchObject({
      outcome: 'failed',
      filesVerified: 9,
      filesFailed: 1,
      filesCopied: 0,
      failures: [{ path: 'sub/file-3.bin', reason: 'mismatch' }],
    });
    const history = (await d.client.request('job.history', { id: 'scrub' })) as JobResult[];
    expect(history.map((h) => h.failures)).toEqual([[{ path: 'sub/file-3.bin', reason: 'mismatch' }]]);
    // Marked in the manifest: the next copy run copies it again.
    await d.client.request('job.run', { id: 'notes' });
    await waitFor(
      () =>
        d.events.filter((e) => e.event === 'job' && e.data.id === 'notes' && e.data.phase === 'finished')
          .length === 2,
      15_000,
      'the repairing copy',
    );
    const runs = (await d.client.request('job.history', { id: 'notes' })) as JobResult[];
    expect(runs.at(-1)).toMatchObject({ outcome: 'ok', filesCopied: 1, filesSkipped: 9 });
    expect(await readFile(rotten)).toEqual(await readFile(path.join(src, 'sub', 'file-3.bin')));
  }, 60_000);
});

import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobResult, JobView, Status } from '../../shared/contract.js';
import type { Job } from '../../shared/settings.js';
import type { StartJob } from '../jobs/index.js';
import { HOUR, MINUTE, MONDAY_9AM, TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

/** Jobs that run until the test finishes them; records start order and overlap. */
function fakeEngine() {
  const running = new Map<string, { finish: (r: Partial<JobResult>) => void; fail: (e: Error) => void }>();
  const started: string[] = [];
  let maxConcurrent = 0;
  const startJob: StartJob = (job: Job) => {
    started.push(job.id);
    maxConcurrent = Math.max(maxConcurrent, running.size + 1);
    let resolve!: (r: JobResult) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<JobResult>((res, rej) => ((resolve = res), (reject = rej)));
    running.set(job.id, {
      finish: (r) => {
        running.delete(job.id);
        resolve({
          jobId: job.id,
          startedAt: 0,
          finishedAt: 0,
          seconds: 2,
          outcome: 'ok',
          filesCopied: 10,
          filesSkipped: 3,
          filesFailed: 0,
          bytesCopied: 1000,
          failures: [],
          error: null,
          ...r,
        });
      },
      fail: (e) => {
        running.delete(job.id);
        reject(e);
      },
    });
    return { result, cancel: () => running.get(job.id)?.fail(new Error('cancelled')) };
  };
  return { running, started, startJob, maxConcurrent: () => maxConcurrent };
}

const copyJob = (id: string, priority: number, at: number) => ({
  id,
  kind: 'copy' as const,
  source: '/tmp/src',
  destination: `/tmp/dst-${id}`,
  schedule: { kind: 'once' as const, at },
  priority,
});

describe('jobs in the scheduler', () => {
  it('two jobs due together start in priority order, and concurrency 1 never runs two at once', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    const due = MONDAY_9AM + 10 * MINUTE;
    await sut.ok('job.add', { job: copyJob('photos', 9, due) });
    await sut.ok('job.add', { job: copyJob('notes', 2, due) });
    await sut.ok('job.add', { job: copyJob('music', 9, due) });
    await sut.advance(10 * MINUTE);
    expect(engine.started).toEqual(['notes']);
    const views = await sut.ok<JobView[]>('job.list');
    expect(views.map((v) => [v.id, v.state])).toEqual([
      ['photos', 'queued'],
      ['notes', 'running'],
      ['music', 'queued'],
    ]);
    engine.running.get('notes')?.finish({});
    await sut.advance(0);
    engine.running.get('photos')?.finish({});
    await sut.advance(0);
    engine.running.get('music')?.finish({});
    await sut.advance(0);
    expect(engine.started).toEqual(['notes', 'photos', 'music']);
    expect(engine.maxConcurrent()).toBe(1);
  });

  it('jobs.concurrency 2 runs two at once', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    await sut.ok('settings.set', { patch: { jobsConcurrency: 2 } });
    const due = MONDAY_9AM + MINUTE;
    for (const id of ['a', 'b', 'c']) await sut.ok('job.add', { job: copyJob(id, 5, due) });
    await sut.advance(MINUTE);
    expect(engine.started).toEqual(['a', 'b']);
    expect(engine.maxConcurrent()).toBe(2);
  });

  it('a finished run sends one notification, is kept in history and state.json, and shows in status', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    await sut.ok('job.add', {
      job: { ...copyJob('notes', 5, 0), name: 'Notes backup', schedule: { kind: 'every', intervalMs: HOUR } },
    });
    await sut.advance(HOUR);
    engine.running.get('notes')?.finish({ filesCopied: 42, filesSkipped: 7, seconds: 3 });
    await sut.advance(0);
    await sut.advance(0);
    // (The default hourly reminder fired at the same instant; only the job's notification is looked at.)
    const jobNotes = sut.notifier.calls.filter((c) => c.title.startsWith('Backup'));
    expect(jobNotes.map((c) => [c.title, c.message])).toEqual([
      ['Backup finished: Notes backup', '42 files copied and verified, 7 unchanged, in 3 s'],
    ]);
    const history = await sut.ok<JobResult[]>('job.history', { id: 'notes' });
    expect(history.map((h) => [h.outcome, h.filesCopied])).toEqual([['ok', 42]]);
    const status = sut.service.status() as Status;
    expect(status.jobs[0]).toMatchObject({ id: 'notes', state: 'idle', lastResult: { filesCopied: 42 } });
    await sut.flushState();
    const state = JSON.parse(await readFile(home.paths.state, 'utf8')) as {
      jobHistory: Record<string, unknown[]>;
    };
    expect(state.jobHistory.notes).toHaveLength(1);
  });

  it('a failed run says what failed; a job that cannot start says why', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    await sut.ok('job.add', { job: copyJob('photos', 5, MONDAY_9AM + MINUTE) });
    await sut.advance(MINUTE);
    engine.running.get('photos')?.finish({
      outcome: 'failed',
      filesFailed: 2,
      filesCopied: 8,
      failures: [{ path: 'a/b.jpg', reason: 'mismatch' }],
    });
    await sut.advance(0);
    await sut.advance(0);
    expect(sut.notifier.calls.at(-1)).toMatchObject({
      title: 'Backup had problems: photos',
      message: '2 files failed (first: a/b.jpg: mismatch); 8 copied and verified',
    });
    await sut.ok('job.run', { id: 'photos' });
    engine.running.get('photos')?.fail(new Error('source missing: /tmp/src'));
    await sut.advance(0);
    await sut.advance(0);
    expect(sut.notifier.calls.at(-1)?.message).toBe('The backup could not run: source missing: /tmp/src');
  });

  it('run, cancel and remove through the contract; bad input names the field', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    await sut.ok('job.add', { job: copyJob('x', 5, MONDAY_9AM + HOUR) });
    expect(await sut.ok('job.run', { id: 'x' })).toMatchObject({ queued: true });
    expect(await sut.ok('job.run', { id: 'x' })).toMatchObject({ queued: false });
    expect(await sut.ok('job.cancel', { id: 'x' })).toEqual({ cancelled: true });
    await sut.advance(0);
    expect((await sut.ok<JobResult[]>('job.history', { id: 'x' })).map((h) => h.outcome)).toEqual([
      'cancelled',
    ]);
    expect(await sut.ok('job.remove', { id: 'x' })).toEqual({ removed: true });
    const missing = await sut.request('job.run', { id: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: 'no job "x"' } });
    const bad = await sut.request('job.add', { job: { ...copyJob('y', 25, 0) } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', field: 'params.job.priority' } });
  });
});

describe('a job the daemon did not see end', () => {
  it('a job running when the daemon was killed is recorded as interrupted, notified, and run again', async () => {
    const engine = fakeEngine();
    const first = await home.open({ startJob: engine.startJob });
    await first.ok('job.add', {
      job: { ...copyJob('notes', 5, 0), schedule: { kind: 'every', intervalMs: HOUR } },
    });
    await first.ok('job.run', { id: 'notes' });
    await first.advance(0);
    expect(engine.started).toEqual(['notes']);
    // What a SIGKILL leaves: the state file as saved when the job started (no close, no cancel).
    await first.flushState();
    const killed = await readFile(home.paths.state, 'utf8');
    expect(JSON.parse(killed)).toMatchObject({ jobsRunning: { notes: { startedAt: MONDAY_9AM } } });
    await first.close();
    await writeFile(home.paths.state, killed);

    const second = await home.open({ startJob: engine.startJob, start: MONDAY_9AM + MINUTE });
    await second.advance(0);
    await second.advance(0);
    expect(engine.started).toEqual(['notes', 'notes']);
    const history = await second.ok<JobResult[]>('job.history', { id: 'notes' });
    expect(history.map((h) => h.outcome)).toEqual(['interrupted']);
    expect(history[0]).toMatchObject({ startedAt: MONDAY_9AM, finishedAt: MONDAY_9AM + MINUTE });
    expect(second.notifier.calls.filter((c) => c.title.startsWith('Backup interrupted'))).toEqual([
      expect.objectContaining({
        title: 'Backup interrupted: notes',
        message: 'The daemon stopped while it ran; it runs again now and resumes where it stopped',
      }),
    ]);
    engine.running.get('notes')?.finish({});
    await second.advance(0);
    await second.flushState();
    expect(JSON.parse(await readFile(home.paths.state, 'utf8'))).toMatchObject({ jobsRunning: {} });
  });

  it('a scheduled run missed while the daemon was down runs once at the next start', async () => {
    const engine = fakeEngine();
    const first = await home.open({ startJob: engine.startJob });
    await first.ok('job.add', {
      job: { ...copyJob('notes', 5, 0), schedule: { kind: 'every', intervalMs: HOUR } },
    });
    await first.flushState();
    await first.close();
    // Down for five hours: five occurrences missed.
    const second = await home.open({ startJob: engine.startJob, start: MONDAY_9AM + 5 * HOUR + MINUTE });
    await second.advance(0);
    await second.advance(0);
    expect(engine.started).toEqual(['notes']);
    engine.running.get('notes')?.finish({});
    await second.advance(0);
    await second.advance(MINUTE);
    expect(engine.started).toEqual(['notes']);
  });

  it('an hourly job missed five times during a suspend runs once on wake, then hourly again', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    await sut.ok('job.add', {
      job: { ...copyJob('notes', 5, 0), schedule: { kind: 'every', intervalMs: HOUR } },
    });
    await sut.advance(0);
    expect(engine.started).toEqual([]);
    sut.clock.suspend(5 * HOUR + 10 * MINUTE);
    await sut.ok('host-event', { event: 'resume' });
    await sut.advance(0);
    await sut.advance(0);
    expect(engine.started).toEqual(['notes']);
    engine.running.get('notes')?.finish({});
    await sut.advance(0);
    // No second catch-up for the other missed occurrences; the next run is an hour on.
    await sut.advance(30 * MINUTE);
    expect(engine.started).toEqual(['notes']);
    await sut.advance(HOUR);
    expect(engine.started).toEqual(['notes', 'notes']);
  });
});

describe('a verify job (scrub)', () => {
  it('notifies how many copies matched, or which are damaged', async () => {
    const engine = fakeEngine();
    const sut = await home.open({ startJob: engine.startJob });
    const scrub = {
      id: 'scrub',
      kind: 'verify' as const,
      destination: '/tmp/dst',
      schedule: { kind: 'every' as const, intervalMs: HOUR },
    };
    await sut.ok('job.add', { job: scrub });
    await sut.ok('job.run', { id: 'scrub' });
    await sut.advance(0);
    engine.running.get('scrub')?.finish({ filesCopied: 0, filesSkipped: 0, filesVerified: 12 });
    await sut.advance(0);
    await sut.advance(0);
    await sut.ok('job.run', { id: 'scrub' });
    await sut.advance(0);
    engine.running.get('scrub')?.finish({
      outcome: 'failed',
      filesCopied: 0,
      filesVerified: 11,
      filesFailed: 1,
      failures: [{ path: 'a/b.jpg', reason: 'mismatch' }],
    });
    await sut.advance(0);
    await sut.advance(0);
    expect(
      sut.notifier.calls.filter((c) => c.title.includes('scrub')).map((c) => [c.title, c.message]),
    ).toEqual([
      ['Backup checked: scrub', '12 copies read back and matched their SHA-512'],
      [
        'Backup check found damage: scrub',
        '1 copies damaged or missing (first: a/b.jpg: mismatch); 11 intact. The next copy run copies them again',
      ],
    ]);
  });

  it('a copy job without a source is refused, naming the field', async () => {
    const sut = await home.open({ startJob: fakeEngine().startJob });
    const { source: _none, ...sourceless } = copyJob('x', 5, MONDAY_9AM + HOUR);
    expect(await sut.request('job.add', { job: sourceless })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'params.job.source' },
    });
  });
});

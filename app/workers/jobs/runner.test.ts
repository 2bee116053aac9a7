import { describe, expect, it } from 'vitest';
import { JobRunner, type StartedJob } from './runner.js';

/** A job that runs until the test finishes or cancels it. */
function controllable() {
  const jobs = new Map<
    string,
    { resolve: (v: string) => void; reject: (e: Error) => void; cancelled: boolean }
  >();
  const log: string[] = [];
  const start = (_job: string, jobId: string): StartedJob<string, number> => {
    log.push(`start ${jobId}`);
    let resolve!: (v: string) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
    const entry = { resolve, reject, cancelled: false };
    jobs.set(jobId, entry);
    return {
      result,
      cancel: () => {
        entry.cancelled = true;
        reject(new Error('cancelled'));
      },
    };
  };
  return { jobs, log, start };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('job runner', () => {
  it('starts due jobs in (due, priority, first-come) order and never runs two at once with concurrency 1', async () => {
    const { jobs, log, start } = controllable();
    const runner = new JobRunner<string, string, number>({ concurrency: 1, start });
    let maxRunning = 0;
    runner.on('start', () => (maxRunning = Math.max(maxRunning, runner.running().length)));
    runner.enqueue('first', 'a', 9, 1000); // starts at once: the slot is free
    runner.enqueue('low', 'b', 9, 1000);
    runner.enqueue('urgent', 'c', 1, 1000);
    runner.enqueue('low-too', 'd', 9, 1000);
    runner.enqueue('earlier-due', 'e', 20, 500);
    expect(runner.waiting()).toEqual(['earlier-due', 'urgent', 'low', 'low-too']);
    for (const id of ['first', 'earlier-due', 'urgent', 'low', 'low-too']) {
      jobs.get(id)?.resolve('ok');
      await tick();
    }
    expect(log).toEqual(['start first', 'start earlier-due', 'start urgent', 'start low', 'start low-too']);
    expect(maxRunning).toBe(1);
  });

  it('runs up to the concurrency at once and refills as jobs finish', async () => {
    const { jobs, start } = controllable();
    const runner = new JobRunner<string, string, number>({ concurrency: 2, start });
    for (const id of ['a', 'b', 'c']) runner.enqueue(id, id, 5, 0);
    expect(runner.running()).toEqual(['a', 'b']);
    jobs.get('b')?.resolve('done');
    await tick();
    expect(runner.running()).toEqual(['a', 'c']);
  });

  it('does not queue a job that is already waiting or running', () => {
    const { start } = controllable();
    const runner = new JobRunner<string, string, number>({ concurrency: 1, start });
    expect(runner.enqueue('backup', 'x', 5, 0)).toBe(true);
    expect(runner.enqueue('backup', 'x', 5, 10)).toBe(false);
    expect(runner.enqueue('other', 'y', 5, 0)).toBe(true);
    expect(runner.enqueue('other', 'y', 5, 0)).toBe(false);
  });

  it('cancels a waiting job without starting it, and a running one through its handle', async () => {
    const { jobs, log, start } = controllable();
    const runner = new JobRunner<string, string, number>({ concurrency: 1, start });
    const finished: Array<[string, boolean, string | null]> = [];
    runner.on('finish', (f) => finished.push([f.jobId, f.cancelled, f.error?.message ?? null]));
    runner.enqueue('a', 'a', 5, 0);
    runner.enqueue('b', 'b', 5, 0);
    expect(runner.cancel('b')).toBe(true);
    expect(runner.cancel('a')).toBe(true);
    await tick();
    expect(jobs.get('a')?.cancelled).toBe(true);
    expect(log).toEqual(['start a']);
    expect(finished).toEqual([
      ['b', true, null],
      ['a', true, 'cancelled'],
    ]);
    expect(runner.cancel('nope')).toBe(false);
  });

  it('reports a job that fails to start and carries on with the next', async () => {
    const { start } = controllable();
    const runner = new JobRunner<string, string, number>({
      concurrency: 1,
      start: (job, id) => {
        if (job === 'broken') throw new Error('source missing');
        return start(job, id);
      },
    });
    const errors: string[] = [];
    runner.on('finish', (f) => f.error && errors.push(`${f.jobId}: ${f.error.message}`));
    runner.enqueue('x', 'broken', 1, 0);
    runner.enqueue('y', 'fine', 2, 0);
    expect(errors).toEqual(['x: source missing']);
    expect(runner.running()).toEqual(['y']);
  });

  it('rejects a concurrency outside 1-16 with the field named', () => {
    expect(() => new JobRunner({ concurrency: 0, start: controllable().start })).toThrow(
      /jobs.concurrency must be a whole number from 1 to 16 \(got 0\)/,
    );
  });
});

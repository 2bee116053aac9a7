import type { JobResult } from '../../shared/contract.js';
import { ValidationError } from '../../shared/errors.js';
import { translate } from '../../shared/i18n/index.js';
import type { Job } from '../../shared/settings.js';
import { validateSchedule } from '../scheduler/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { NotFoundError } from './errors.js';
import { saveStateNow } from './persistence.js';

/** `job.*`: scheduled background jobs (the verified copy). */
export function jobHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'job.list' | 'job.add' | 'job.run' | 'job.cancel' | 'job.remove' | 'job.history'> {
  return {
    'job.list': () => ctx.settings.jobs.map((job) => ctx.jobs.view(job)),
    'job.add': async ({ job }) => {
      if (ctx.settings.jobs.some((j) => j.id === job.id)) {
        throw ValidationError.of('params.job.id', 'error.job.exists', { id: job.id });
      }
      validateSchedule(job.schedule, 'params.job.schedule');
      if (job.kind === 'copy' && job.source === undefined) {
        throw ValidationError.of('params.job.source', 'error.job.sourceNeeded');
      }
      await ctx.saveSettings({ ...ctx.settings, jobs: [...ctx.settings.jobs, job] });
      return ctx.jobs.view(job);
    },
    'job.run': ({ id }) => {
      const job = requireJob(ctx, id);
      return { queued: ctx.jobs.runNow(job), job: ctx.jobs.view(job) };
    },
    'job.cancel': ({ id }) => ({ cancelled: ctx.jobs.cancel(requireJob(ctx, id).id) }),
    'job.remove': async ({ id }) => {
      const job = requireJob(ctx, id);
      ctx.jobs.forget(job.id);
      await ctx.saveSettings({ ...ctx.settings, jobs: ctx.settings.jobs.filter((j) => j.id !== job.id) });
      return { removed: true };
    },
    'job.history': ({ id }) => {
      if (id !== undefined) requireJob(ctx, id);
      return ctx.jobs.history(id);
    },
  };
}

/** One notification per finished job run: what was copied, or what failed. */
export async function announceJob(ctx: ServiceContext, job: Job, result: JobResult): Promise<void> {
  await saveStateNow(ctx);
  if (result.outcome === 'cancelled') return;
  const name = job.name ?? job.id;
  const locale = ctx.locale;
  if (job.kind === 'verify' && result.error === null) {
    // A scrub: the count of intact copies, or the damaged and missing ones, per file in the history.
    const first = result.failures[0];
    await ctx.notify(
      translate(locale, result.outcome === 'ok' ? 'job.verified.title' : 'job.damaged.title', { name }),
      result.outcome === 'ok'
        ? translate(locale, 'job.verified.message', { verified: result.filesVerified ?? 0 })
        : translate(locale, 'job.damaged.message', {
            failed: result.filesFailed,
            first: first ? `${first.path}: ${first.reason}` : '?',
            verified: result.filesVerified ?? 0,
          }),
    );
    return;
  }
  if (result.outcome === 'ok') {
    await ctx.notify(
      translate(locale, 'job.finished.title', { name }),
      translate(locale, 'job.finished.message', {
        copied: result.filesCopied,
        skipped: result.filesSkipped,
        seconds: Math.round(result.seconds),
      }),
    );
  } else {
    await ctx.notify(
      translate(locale, 'job.failed.title', { name }),
      result.error !== null
        ? translate(locale, 'job.error.message', { error: result.error })
        : translate(locale, 'job.failed.message', {
            failed: result.filesFailed,
            first: result.failures[0] ? `${result.failures[0].path}: ${result.failures[0].reason}` : '?',
            copied: result.filesCopied,
          }),
    );
  }
}

function requireJob(ctx: ServiceContext, id: string): Job {
  const job = ctx.settings.jobs.find((j) => j.id === id);
  if (!job) throw new NotFoundError('error.job.notFound', { id });
  return job;
}

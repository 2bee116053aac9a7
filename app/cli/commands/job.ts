import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { JobResult, JobView } from '../../shared/contract.js';
import { parseScheduleText, formatSchedule } from '../../shared/schedule-text.js';
import { jobSchema, type Job } from '../../shared/settings.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { ValidationError } from '../../shared/errors.js';
import { parseWith } from '../../shared/validate.js';
import { globalsOf, withDaemon, withSettings } from '../daemon-or-file.js';
import { idFromName } from '../../shared/ids.js';
import { formatDue, formatTable, localZone } from '../format.js';
import { UsageError, type CliIO } from '../io.js';
import { t } from '../locale.js';
import { translate, type Locale } from '../../shared/i18n/index.js';

interface AddOptions {
  schedule: string;
  priority?: string;
  name?: string;
  id?: string;
  workers?: string;
  disabled?: boolean;
  json?: boolean;
}

/** A job as settings hold it, from the command line; errors name the field (`job.priority`). */
export function jobFromOptions(
  kind: string,
  src: string,
  dst: string | undefined,
  options: AddOptions,
  cwd: string,
  taken: ReadonlySet<string>,
): Job {
  if (kind !== 'copy' && kind !== 'verify')
    throw UsageError.of('cli.error.jobKind', { kind: JSON.stringify(kind) });
  // `job add verify <dst>`: the one folder is the copy to check.
  const [source, destination] = kind === 'verify' ? [undefined, dst ?? src] : [src, dst];
  if (destination === undefined) throw UsageError.of('cli.error.jobDestination');
  const number = (text: string | undefined, field: string) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
      throw UsageError.of('cli.error.number', { field, value: JSON.stringify(text) });
    return value;
  };
  const id = options.id ?? idFromName(options.name ?? path.basename(path.resolve(cwd, src)), taken, 'job');
  if (kind === 'verify' && dst !== undefined) throw UsageError.of('cli.error.verifyOnePath');
  if (taken.has(id)) throw UsageError.of('error.job.exists', { id });
  return parseWith(
    jobSchema,
    {
      id,
      kind,
      ...(options.name !== undefined && { name: options.name }),
      // The daemon runs elsewhere (another cwd): store absolute paths.
      ...(source !== undefined && { source: path.resolve(cwd, source) }),
      destination: path.resolve(cwd, destination),
      ...(options.workers !== undefined && { workers: number(options.workers, '--workers') }),
      schedule: parseScheduleText(options.schedule, '--schedule'),
      ...(options.priority !== undefined && { priority: number(options.priority, '--priority') }),
      enabled: !options.disabled,
    },
    'job',
  );
}

/** The engine's field → the argument the user typed. */
const ARGUMENT_OF_FIELD: Record<string, string> = {
  source: '<src>',
  destination: '<dst>',
  manifest: '<dst>',
};

/**
 * Checks a job's folders now, as its runs will (not only when it first runs, days later): a copy's
 * source exists, is a folder and is readable, its destination is writable (or can be made) and not
 * inside the source; a verify job's folder exists and is readable. Errors name the argument.
 */
export async function checkJobFolders(job: Job): Promise<void> {
  if (job.kind === 'verify') {
    const found = await stat(job.destination).catch(() => null);
    if (!found?.isDirectory()) throw UsageError.of('cli.error.verifyFolder', { path: job.destination });
    await access(job.destination, constants.R_OK | constants.X_OK).catch(() => {
      throw UsageError.of('cli.error.verifyFolder', { path: job.destination });
    });
    return;
  }
  // The engine's own checks (loaded only here: `job list` stays light).
  const { resolveCopyInput } = await import('../../copy/index.js');
  try {
    await resolveCopyInput({ source: job.source ?? '', destination: job.destination, workers: 1 });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(ARGUMENT_OF_FIELD[error.field] ?? error.field, error.reason, error.text);
  }
}

/** One line for a job's last run: when it finished, and what it did. */
export function describeResult(result: JobResult | null): string {
  if (!result) return 'never ran';
  const when = new Date(result.finishedAt).toISOString().slice(0, 16).replace('T', ' ');
  if (result.outcome === 'ok' && result.filesVerified !== undefined)
    return `${when}: ok, ${result.filesVerified} verified`;
  if (result.outcome === 'ok')
    return `${when}: ok, ${result.filesCopied} copied, ${result.filesSkipped} unchanged`;
  if (result.outcome === 'cancelled') return `${when}: cancelled`;
  if (result.outcome === 'interrupted') return `${when}: interrupted (the daemon stopped)`;
  if (result.error) return `${when}: could not run: ${result.error}`;
  return `${when}: ${result.filesFailed} failed, ${result.filesCopied} copied`;
}

const JOB_COLUMNS = [
  'cli.table.id',
  'cli.table.state',
  'cli.table.priority',
  'cli.table.schedule',
  'cli.table.next',
  'cli.table.lastRun',
  'cli.table.copy',
] as const;

function jobTable(views: readonly JobView[], now: number, zone: string, locale: Locale = 'en'): string {
  return formatTable([
    JOB_COLUMNS.map((key) => translate(locale, key)),
    ...views.map((v) => [
      v.id,
      v.enabled ? v.state : translate(locale, 'cli.status.disabled'),
      String(v.priority),
      formatSchedule(v.schedule),
      v.nextDueAt === null ? '—' : formatDue(v.nextDueAt, now, zone),
      describeResult(v.lastResult),
      v.source === undefined ? `${v.kind} ${v.destination}` : `${v.source} → ${v.destination}`,
    ]),
  ]);
}

export function registerJob(program: Command, io: CliIO): void {
  const job = program
    .command('job')
    .description(t(io, 'cli.help.job'))
    .addHelpText(
      'after',
      `
\`add\`, \`list\` and \`remove\` work without a daemon (they edit the settings file under a lock);
\`run\`, \`cancel\` and \`history\` need a running daemon (\`npx mytimer run\`). For a one-off copy
without any daemon, use \`mytimer copy <src> <dst>\`.

Examples:
  mytimer job add copy ~/Notes /mnt/backup/notes --schedule "daily 18:00" --priority 5
  mytimer job add verify /mnt/backup/notes --schedule "daily 03:00"
  mytimer job list
  mytimer job run notes
  mytimer job history notes`,
    );

  job
    .command('add')
    .description(t(io, 'cli.help.job.add'))
    .argument('<kind>', 'the job kind: copy, or verify (re-read a copy against its manifest: bit rot)')
    .argument('<src>', 'the folder to copy (verify: the copy to check)')
    .argument('[dst]', 'where the verified copy goes (copy only)')
    .requiredOption('--schedule <text>', 'when it runs: "daily 18:00", "weekdays 12:30", "every 6h", cron …')
    .option('--priority <1-20>', 'when several are due together, 1 runs first (default 5)')
    .option('--name <name>', 'a name for notifications and lists')
    .option('--id <id>', 'its id (default: from the name or the source folder)')
    .option('--workers <1-64>', 'worker threads (default: one per CPU core)')
    .option('--disabled', 'add it switched off')
    .option('--json', 'print the job as JSON')
    .action(
      async (kind: string, src: string, dst: string | undefined, options: AddOptions, command: Command) => {
        const view = await withSettings(io, globalsOf(command), {
          viaDaemon: async (request) => {
            const list = await request('job.list');
            const spec = jobFromOptions(
              kind,
              src,
              dst,
              options,
              process.cwd(),
              new Set(list.map((j) => j.id)),
            );
            await checkJobFolders(spec);
            return request('job.add', { job: spec });
          },
        });
        if (options.json) io.stdout(`${JSON.stringify(view, null, 2)}\n`);
        else
          io.stdout(
            `${t(io, 'cli.job.added', {
              id: view.id,
              kind: view.kind,
              source: escapeControl(view.source ?? '—'),
              destination: escapeControl(view.destination),
              schedule: formatSchedule(view.schedule),
              priority: view.priority,
            })}\n`,
          );
      },
    );

  job
    .command('list')
    .description(t(io, 'cli.help.job.list'))
    .option('--json', 'print the jobs as a JSON array')
    .action(async (options: { json?: boolean }, command: Command) => {
      const views = await withSettings(io, globalsOf(command), {
        viaDaemon: (request) => request('job.list'),
      });
      if (options.json) io.stdout(`${JSON.stringify(views, null, 2)}\n`);
      else if (views.length === 0) io.stdout(`${t(io, 'cli.job.none')}\n`);
      else io.stdout(jobTable(views, io.now(), localZone(io.env), io.locale));
    });

  job
    .command('remove')
    .description(t(io, 'cli.help.job.remove'))
    .argument('<id>')
    .option('--json', 'print {"removed": true} as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSettings(io, globalsOf(command), {
        viaDaemon: async (request) => void (await request('job.remove', { id })),
      });
      io.stdout(
        options.json ? `${JSON.stringify({ removed: true })}\n` : `${t(io, 'cli.job.removed', { id })}\n`,
      );
    });

  job
    .command('run')
    .description(t(io, 'cli.help.job.run'))
    .argument('<id>')
    .option('--json', "print the daemon's reply as JSON: {queued, job}")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const reply = await withDaemon(io, globalsOf(command), (request) => request('job.run', { id }));
      if (options.json) io.stdout(`${JSON.stringify(reply, null, 2)}\n`);
      else
        io.stdout(
          reply.queued
            ? `${t(io, 'cli.job.queued', { id })}\n`
            : `${t(io, 'cli.job.alreadyQueued', { id })}\n`,
        );
    });

  job
    .command('cancel')
    .description(t(io, 'cli.help.job.cancel'))
    .argument('<id>')
    .option('--json', 'print {"cancelled": true|false} as JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const reply = await withDaemon(io, globalsOf(command), (request) => request('job.cancel', { id }));
      if (options.json) io.stdout(`${JSON.stringify(reply)}\n`);
      else io.stdout(`${t(io, reply.cancelled ? 'cli.job.cancelled' : 'cli.job.notQueued', { id })}\n`);
    });

  job
    .command('history')
    .description(t(io, 'cli.help.job.history'))
    .argument('[id]')
    .option('--json', 'print the runs as a JSON array')
    .action(async (id: string | undefined, options: { json?: boolean }, command: Command) => {
      const runs = await withDaemon(io, globalsOf(command), (request) =>
        request('job.history', id === undefined ? {} : { id }),
      );
      if (options.json) io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      else if (runs.length === 0) io.stdout(`${t(io, 'cli.job.noRuns')}\n`);
      else {
        for (const run of runs) {
          io.stdout(
            `${t(io, 'cli.job.historyLine', {
              job: run.jobId,
              result: escapeControl(describeResult(run)),
              seconds: run.seconds.toFixed(1),
              bytes: run.bytesCopied,
            })}\n`,
          );
          for (const failure of run.failures)
            io.stdout(`    ${escapeControl(failure.path)}: ${escapeControl(failure.reason)}\n`);
        }
      }
    });
}

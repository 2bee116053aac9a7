import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError } from '../../shared/errors.js';
import { translate } from '../../shared/i18n/index.js';
import { unknownFields, type Reminder, type Settings } from '../../shared/settings.js';
import { checkTimeZone } from '../../shared/time-zone.js';
import { JobsManager, jobTaskId } from '../jobs/index.js';
import { reminderTaskId } from '../reminders/index.js';
import type { DaemonState } from '../store/index.js';
import { Pomodoro, Timer } from '../timer/index.js';
import type { ServiceContext } from './context.js';
import { adoptPomodoro } from './pomodoro.js';
import { applySettings } from './settings.js';
import { adoptTimer } from './timers.js';

/** How long a hand-edited settings.json that does not parse must stay unchanged before it is refused. */
const HAND_EDIT_SETTLE_MS = 300;

/**
 * Loads settings and state into `ctx` (recovering from damage, with warnings) and starts scheduling:
 * a time zone the engine cannot use falls back to the system's, entries it cannot schedule are
 * switched off (the original file is kept aside), and saved progress, pause, timers and the pomodoro
 * are restored.
 */
export async function load(ctx: ServiceContext): Promise<void> {
  const settings = await ctx.settingsStore.load();
  for (const warning of settings.warnings) ctx.log('warn', warning);
  const state = await ctx.stateStore.load();
  for (const warning of state.warnings) ctx.log('warn', warning);
  ctx.settings = settings.value;
  warnUnknownFields(ctx);
  // A zone the engine cannot use would stop every calendar schedule: fall back to the system's.
  const zoneProblem = ctx.settings.timeZone === undefined ? null : zoneError(ctx.settings.timeZone);
  if (zoneProblem !== null) {
    const { timeZone: _bad, ...rest } = ctx.settings;
    ctx.settings = rest;
  }
  ctx.niceness = ctx.applyNiceness(ctx.settings.niceness);
  ctx.scheduler = ctx.createScheduler();
  ctx.jobs = new JobsManager({
    scheduler: () => ctx.scheduler,
    jobs: () => ctx.schedulable(ctx.settings.jobs),
    startJob: (job) => ctx.startJob(job),
    concurrency: ctx.settings.jobsConcurrency,
    now: () => ctx.clock.now(),
    history: state.value.jobHistory,
    onEvent: (data) => {
      ctx.emit({ event: 'job', data });
      // A start is on disk at once: if the daemon is killed mid-run, the next start knows.
      if (data.phase === 'started') void saveStateNow(ctx);
      if (data.phase !== 'progress') ctx.changed();
    },
    onFinished: (job, result) => void ctx.reactions.announceJob(ctx, job, result),
  });
  // With when it was saved, so a clock set back while the daemon was down is noticed per task.
  const savedAt = state.value.savedAt ?? null;
  const withSavedAt = (progress: DaemonState['reminders']) =>
    Object.fromEntries(Object.entries(progress).map(([id, saved]) => [id, { ...saved, savedAt }]));
  const savedReminders = withSavedAt(state.value.reminders);
  const savedJobs = withSavedAt(state.value.jobs);
  const problems = zoneProblem === null ? [] : [`timeZone: ${zoneProblem}; using the system's`];
  try {
    ctx.applyTasks(ctx.settings, savedReminders, savedJobs);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Some entry the engine cannot schedule (a hand-edited cron "61 * * * *"): switch off just those.
    const repaired = disableUnschedulable(ctx, ctx.settings);
    problems.push(...repaired.problems);
    ctx.settings = repaired.settings;
    ctx.scheduler.dispose();
    ctx.scheduler = ctx.createScheduler();
    ctx.applyTasks(ctx.settings, savedReminders, savedJobs);
  }
  if (problems.length > 0) await saveRepaired(ctx, problems);
  if (state.value.paused) {
    const until = state.value.pausedUntil;
    if (until === null) ctx.scheduler.pause();
    else if (until > ctx.clock.now()) ctx.scheduler.pause(until);
  }
  for (const snapshot of state.value.timers) {
    try {
      adoptTimer(ctx, Timer.from(snapshot, { clock: ctx.clock }));
    } catch (error) {
      ctx.log('warn', `a saved timer could not be restored and was dropped: ${errorMessage(error)}`);
    }
  }
  if (state.value.pomodoro) {
    try {
      adoptPomodoro(ctx, Pomodoro.from(state.value.pomodoro, { clock: ctx.clock }));
    } catch (error) {
      ctx.log('warn', `the saved pomodoro could not be restored: ${errorMessage(error)}`);
    }
  }
  // Occurrences missed while the daemon was down fire once each, on the clock's next turn (as restored
  // timers do), so listeners attached when open() resolves receive the catch-up `reminder` events.
  ctx.clock.setTimer(() => ctx.scheduler.recheck(), 0);
  const interrupted = Object.entries(state.value.jobsRunning);
  if (interrupted.length > 0) ctx.clock.setTimer(() => void resumeInterrupted(ctx, interrupted), 0);
}

/**
 * Jobs that were running when the daemon was killed (state.json says so): each gets an
 * `interrupted` entry in its history and a notification, and runs again now — the copy resumes
 * from its journal, so what was verified is not copied again.
 */
async function resumeInterrupted(
  ctx: ServiceContext,
  interrupted: ReadonlyArray<[string, { startedAt: number }]>,
): Promise<void> {
  for (const [jobId, { startedAt }] of interrupted) {
    const result = ctx.jobs.recordInterrupted(jobId, startedAt);
    ctx.emit({ event: 'job', data: { id: jobId, phase: 'finished', result } });
    const job = ctx.settings.jobs.find((j) => j.id === jobId);
    if (job?.enabled) ctx.jobs.runNow(job);
    await saveStateNow(ctx);
    const name = job?.name ?? jobId;
    await ctx.notify(
      translate(ctx.locale, 'job.interrupted.title', { name }),
      translate(ctx.locale, job?.enabled ? 'job.interrupted.resumed' : 'job.interrupted.message'),
    );
  }
}

/** Writes where everything stands to state.json; a failure is logged (the next change tries again). */
export async function saveState(ctx: ServiceContext): Promise<void> {
  const state: DaemonState = {
    savedAt: ctx.clock.now(),
    ...progressByEntry(ctx, ctx.settings),
    jobHistory: ctx.jobs.snapshotHistory(),
    jobsRunning: ctx.jobs.runningSince(),
    paused: ctx.scheduler.paused,
    pausedUntil: ctx.scheduler.pausedUntil,
    timers: [...ctx.timers.values()].map((t) => t.toJSON()),
    pomodoro: ctx.pomodoro ? ctx.pomodoro.toJSON() : null,
  };
  try {
    await ctx.stateStore.save(state);
  } catch (error) {
    ctx.log('error', `could not save state: ${errorMessage(error)}`);
  }
}

/** One state write for everything that fires together: every caller in this turn shares it. */
export function saveStateNow(ctx: ServiceContext): Promise<void> {
  ctx.firingSave ??= new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {
    ctx.firingSave = null;
    return saveState(ctx);
  });
  return ctx.firingSave;
}

/** Where each reminder and job stands, keyed by its own id (as state.json keeps it). */
export function progressByEntry(
  ctx: ServiceContext,
  settings: Settings,
): Pick<DaemonState, 'reminders' | 'jobs'> {
  const progress = ctx.scheduler.progress();
  const reminders: DaemonState['reminders'] = {};
  for (const r of settings.reminders) {
    const saved = progress[reminderTaskId(r.id)];
    if (saved) reminders[r.id] = saved;
  }
  const jobs: DaemonState['jobs'] = {};
  for (const j of settings.jobs) {
    const saved = progress[jobTaskId(j.id)];
    if (saved) jobs[j.id] = saved;
  }
  return { reminders, jobs };
}

/**
 * settings.json changed on disk (the daemon's host watches it). A hand edit that checks out is
 * applied as `settings.set` would; one that does not is kept aside as `.rejected-<timestamp>`,
 * reported (log event and a notification), and the file goes back to the settings in use. The
 * daemon's own writes, and a file equal to what runs, are ignored.
 */
export async function settingsFileChanged(ctx: ServiceContext): Promise<void> {
  if (ctx.closed) return;
  const file = ctx.settingsStore.path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return; // gone or replaced meanwhile (an editor's rename): the next event brings the new file
  }
  if (ctx.settingsStore.wrote(text)) return;
  let parsed = ctx.settingsStore.parse(text);
  if (!parsed.ok) {
    // Maybe an editor caught half way (truncated, not yet rewritten): judge only a file that holds still.
    await sleep(HAND_EDIT_SETTLE_MS);
    const again = await readFile(file, 'utf8').catch(() => undefined);
    if (again !== text) return; // still changing: its own event follows
    parsed = ctx.settingsStore.parse(text);
  }
  if (parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(ctx.settings)) return;
  let problem: string;
  if (parsed.ok) {
    try {
      const current: Readonly<Record<string, unknown>> = ctx.settings;
      // Keys deleted by hand must go too: spread over the current settings, they would stay.
      const removed = Object.fromEntries(
        Object.keys(current)
          .filter((key) => !(key in parsed.value))
          .map((key) => [key, undefined]),
      );
      await applySettings(ctx, { ...removed, ...parsed.value });
      warnUnknownFields(ctx);
      ctx.log('info', `loaded the hand edit of ${path.basename(file)}`);
      return;
    } catch (error) {
      problem = `has a bad value: ${error instanceof ValidationError ? error.message : String(error)}`;
    }
  } else {
    problem = parsed.problem;
  }
  await rejectHandEdit(ctx, text, problem);
}

async function rejectHandEdit(ctx: ServiceContext, text: string, problem: string): Promise<void> {
  const name = path.basename(ctx.settingsStore.path);
  let kept: string;
  try {
    const copy = await ctx.settingsStore.keepCopy('rejected', text);
    kept = `kept it as ${path.basename(copy ?? '?')}`;
  } catch (error) {
    kept = `could not keep a copy (${errorMessage(error)})`;
  }
  try {
    await ctx.settingsStore.save(ctx.settings);
  } catch (error) {
    ctx.log('error', `could not restore ${name}: ${errorMessage(error)}`);
  }
  const message = `the hand edit of ${name} ${problem}; rejected it (${kept}) and kept the previous settings`;
  ctx.log('warn', message);
  ctx.emit({ event: 'log', data: { level: 'warn', message } });
  void ctx.notify(translate(ctx.locale, 'settings.rejected.title'), message);
}

/** Warns once per load about fields this version does not know: they are kept, but do nothing. */
function warnUnknownFields(ctx: ServiceContext): void {
  const unknown = unknownFields(ctx.settings);
  if (unknown.length === 0) return;
  ctx.log(
    'warn',
    `${path.basename(ctx.settingsStore.path)} has unknown fields: ${unknown.join(', ')} (this version ignores them and keeps them as they are)`,
  );
}

/** Switches off each reminder and job whose schedule the engine refuses, saying which and why. */
function disableUnschedulable(
  ctx: ServiceContext,
  settings: Settings,
): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const check = <E extends { id: string; enabled: boolean; schedule: Reminder['schedule'] }>(
    entry: E,
    what: string,
  ): E => {
    if (!entry.enabled) return entry;
    const problem = ctx.scheduleError(entry.schedule);
    if (problem === null) return entry;
    problems.push(`${what} "${entry.id}" cannot be scheduled (${problem}); disabled it`);
    return { ...entry, enabled: false };
  };
  return {
    settings: {
      ...settings,
      reminders: settings.reminders.map((r) => check(r, 'reminder')),
      jobs: settings.jobs.map((j) => check(j, 'job')),
    },
    problems,
  };
}

/** After a load that had to switch things off: keep the file as it was, save what runs, say so. */
async function saveRepaired(ctx: ServiceContext, problems: string[]): Promise<void> {
  const name = path.basename(ctx.settingsStore.path);
  let kept = 'could not keep a copy of the original';
  try {
    const copy = await ctx.settingsStore.keepCopy('bad');
    if (copy !== undefined) kept = `the original is kept as ${path.basename(copy)}`;
  } catch (error) {
    kept += ` (${errorMessage(error)})`;
  }
  for (const problem of problems) ctx.log('warn', `${name}: ${problem}; ${kept}`);
  try {
    await ctx.settingsStore.save(ctx.settings);
  } catch (error) {
    ctx.log('error', `could not save the repaired settings: ${errorMessage(error)}`);
  }
}

/** Why `zone` is not a usable time zone, or null when it is. */
function zoneError(zone: string): string | null {
  try {
    checkTimeZone('timeZone', zone);
    return null;
  } catch (error) {
    return error instanceof ValidationError ? error.reason : String(error);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

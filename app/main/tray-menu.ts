import { formatClock, formatCountdown } from '../shared/time-format.js';
import type { JobProgress, JobView, PomodoroView, Status, TimerView } from '../shared/contract.js';
import { translate, type Locale } from '../shared/i18n/index.js';

/**
 * One entry of the tray menu: the serialisable subset of Electron's `MenuItemConstructorOptions`.
 * An item the user can click has an `id`, its action (see {@link TRAY_ACTIONS}); tray.ts adds the
 * `click` handlers, so this template stays pure data (tests and the e2e hook read it as is).
 */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  submenu?: TrayMenuItem[];
}

/** The fixed action ids; timer actions carry the timer's id (`timer-stop:<id>`). */
export const TRAY_ACTIONS = Object.freeze({
  restNow: 'rest-now',
  pause30m: 'pause:30m',
  pause1h: 'pause:1h',
  pauseUntilTomorrow: 'pause:tomorrow',
  resume: 'resume',
  openSettings: 'open-settings',
  quit: 'quit',
  pomodoroSkip: 'pomodoro-skip',
  pomodoroStop: 'pomodoro-stop',
} as const);

/** The countdown lengths the Timers submenu offers, in minutes. */
export const TIMER_PRESETS_MIN: readonly number[] = Object.freeze([5, 15, 25]);

/** How many upcoming reminders the menu lists. */
export const UPCOMING_IN_MENU = 3;

/** The action id that starts a countdown of `minutes`. */
export function timerStartAction(minutes: number): string {
  return `timer-start:${minutes}`;
}

/** The action id that pauses, resumes or stops the timer `timerId`. */
export function timerAction(verb: 'pause' | 'resume' | 'stop', timerId: string): string {
  return `timer-${verb}:${timerId}`;
}

/** The action id that cancels the running job `jobId`. */
export function jobCancelAction(jobId: string): string {
  return `job-cancel:${jobId}`;
}

const SEPARATOR: TrayMenuItem = Object.freeze({ type: 'separator' });

/**
 * The tray menu for the daemon's `status` at `now`, in `locale`: the next three reminders, Rest now,
 * Pause (30 min, 1 h, until tomorrow 08:00) or Resume, the Timers submenu (start 5 / 15 / 25 min, and
 * each running or paused timer with Pause/Resume and Stop), Open settings, Quit.
 *
 * A running pomodoro (phase, round, whole minutes left; Skip, Stop) and each running job (its name and
 * percent done; Cancel) come first. Reminder and timer times are absolute (`14:30`), and the pomodoro's
 * time left is in whole minutes, so the template changes at most once a minute while only the clock
 * moves; the job's percent comes from `status.jobs[].progress` (tray.ts puts the latest job progress
 * event there). With no status yet (or after the host gave up) the menu says so, in `notice` when
 * given, and keeps only Open settings and Quit.
 */
export function buildTrayMenu(
  status: Status | null,
  now: number,
  locale: Locale,
  notice: string | null = null,
): TrayMenuItem[] {
  const footer: TrayMenuItem[] = [
    SEPARATOR,
    { id: TRAY_ACTIONS.openSettings, label: translate(locale, 'tray.openSettings') },
    { id: TRAY_ACTIONS.quit, label: translate(locale, 'tray.quit') },
  ];
  if (notice !== null || status === null) {
    const label = notice !== null ? translate(locale, 'tray.stopped', { reason: notice }) : undefined;
    return [{ label: label ?? translate(locale, 'tray.starting'), enabled: false }, ...footer];
  }

  return [
    ...pauseHeader(status, now, locale),
    ...liveItems(status, now, locale),
    ...upcomingItems(status, now, locale),
    SEPARATOR,
    { id: TRAY_ACTIONS.restNow, label: translate(locale, 'tray.restNow') },
    status.paused
      ? { id: TRAY_ACTIONS.resume, label: translate(locale, 'tray.resume') }
      : {
          label: translate(locale, 'tray.pause'),
          type: 'submenu',
          submenu: [
            { id: TRAY_ACTIONS.pause30m, label: translate(locale, 'tray.pause.30m') },
            { id: TRAY_ACTIONS.pause1h, label: translate(locale, 'tray.pause.1h') },
            { id: TRAY_ACTIONS.pauseUntilTomorrow, label: translate(locale, 'tray.pause.tomorrow') },
          ],
        },
    { label: translate(locale, 'tray.timers'), type: 'submenu', submenu: timerItems(status, now, locale) },
    ...footer,
  ];
}

function pauseHeader(status: Status, now: number, locale: Locale): TrayMenuItem[] {
  if (!status.paused) return [];
  const label =
    status.pausedUntil !== null
      ? translate(locale, 'tray.pausedUntil', { time: menuTime(status.pausedUntil, now, locale) })
      : translate(locale, 'tray.paused');
  return [{ label, enabled: false }, SEPARATOR];
}

/** The running pomodoro and the running jobs, each a submenu with its actions; then a separator. */
function liveItems(status: Status, now: number, locale: Locale): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  const pomodoro = status.pomodoro;
  if (pomodoro && (pomodoro.timer.state === 'running' || pomodoro.timer.state === 'paused')) {
    items.push({
      label: pomodoroLabel(pomodoro, now, locale),
      type: 'submenu',
      submenu: [
        { id: TRAY_ACTIONS.pomodoroSkip, label: translate(locale, 'tray.pomodoro.skip') },
        { id: TRAY_ACTIONS.pomodoroStop, label: translate(locale, 'tray.pomodoro.stop') },
      ],
    });
  }
  for (const job of status.jobs.filter((j) => j.state === 'running')) {
    items.push({
      label: translate(locale, 'tray.job.running', { name: job.displayName, percent: jobPercent(job) }),
      type: 'submenu',
      submenu: [{ id: jobCancelAction(job.id), label: translate(locale, 'tray.job.cancel') }],
    });
  }
  return items.length > 0 ? [...items, SEPARATOR] : [];
}

const PHASE_KEYS = {
  work: 'pomodoro.work',
  shortBreak: 'pomodoro.shortBreak',
  longBreak: 'pomodoro.longBreak',
} as const;

/** `Focus · round 2 · 12 min left`: whole minutes, rounded up, so the label changes once a minute. */
function pomodoroLabel(pomodoro: PomodoroView, now: number, locale: Locale): string {
  const { timer } = pomodoro;
  const leftMs =
    timer.state === 'running' && timer.endsAt !== null ? timer.endsAt - now : (timer.remainingMs ?? 0);
  const params = {
    phase: translate(locale, PHASE_KEYS[pomodoro.phase]),
    round: pomodoro.round,
    minutes: Math.max(1, Math.ceil(leftMs / 60_000)),
  };
  return translate(locale, timer.state === 'paused' ? 'tray.pomodoro.paused' : 'tray.pomodoro', params);
}

/** A job's percent done, whole: by bytes when it knows them, else by files; 0 before the first progress. */
export function jobPercent(job: Pick<JobView, 'progress'>): number {
  const progress: JobProgress | null = job.progress;
  if (!progress) return 0;
  const [done, total] =
    progress.bytesTotal > 0
      ? [progress.bytesDone, progress.bytesTotal]
      : [progress.filesDone, progress.filesTotal];
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}

function upcomingItems(status: Status, now: number, locale: Locale): TrayMenuItem[] {
  const reminders = status.upcoming.filter((u) => u.kind === 'reminder').slice(0, UPCOMING_IN_MENU);
  if (reminders.length === 0) return [{ label: translate(locale, 'tray.noReminders'), enabled: false }];
  return reminders.map((reminder) => ({
    label: translate(locale, 'tray.reminderAt', {
      time: menuTime(reminder.dueAt, now, locale),
      name: reminder.name,
    }),
    enabled: false,
  }));
}

function timerItems(status: Status, now: number, locale: Locale): TrayMenuItem[] {
  const items: TrayMenuItem[] = TIMER_PRESETS_MIN.map((minutes) => ({
    id: timerStartAction(minutes),
    label: translate(locale, 'tray.timer.start', { minutes }),
  }));
  const live = status.timers.filter((t) => t.state === 'running' || t.state === 'paused');
  if (live.length > 0) items.push(SEPARATOR);
  for (const timer of live) {
    const running = timer.state === 'running';
    items.push({
      label: timerLabel(timer, now, locale),
      type: 'submenu',
      submenu: [
        running
          ? { id: timerAction('pause', timer.id), label: translate(locale, 'tray.timer.pause') }
          : { id: timerAction('resume', timer.id), label: translate(locale, 'tray.timer.resume') },
        { id: timerAction('stop', timer.id), label: translate(locale, 'tray.timer.stop') },
      ],
    });
  }
  return items;
}

/** A timer as one stable line: running ones by their end (or start) instant, paused ones by their frozen time. */
function timerLabel(timer: TimerView, now: number, locale: Locale): string {
  const name = timer.name;
  if (timer.mode === 'countdown') {
    if (timer.state === 'running' && timer.endsAt !== null) {
      return translate(locale, 'tray.timer.endsAt', { name, time: menuTime(timer.endsAt, now, locale) });
    }
    return translate(locale, 'tray.timer.pausedLeft', {
      name,
      left: formatCountdown(timer.remainingMs ?? 0),
    });
  }
  if (timer.state === 'running') {
    return translate(locale, 'tray.timer.since', {
      name,
      time: menuTime(timer.at - timer.elapsedMs, now, locale),
    });
  }
  return translate(locale, 'tray.timer.pausedAt', { name, elapsed: formatCountdown(timer.elapsedMs) });
}

/** `14:30` today; `Tue 14:30` (`周二 14:30`) on another day, so a far reminder is not mistaken for today's. */
export function menuTime(instant: number, now: number, locale: Locale): string {
  const date = new Date(instant);
  const hhmm = formatClock(instant);
  if (date.toDateString() === new Date(now).toDateString()) return hhmm;
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  return `${weekday} ${hhmm}`;
}

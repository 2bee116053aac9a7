import type {
  JobProgress,
  JobView,
  PomodoroView,
  Status,
  TimerView,
  Upcoming,
} from '../../shared/contract.js';

/** Test support: a 09:00 local instant on a fixed day, so menu times read naturally. */
export const NINE_AM = new Date(2026, 2, 10, 9, 0, 0).getTime();

const MINUTE = 60_000;

/** An upcoming reminder due `inMinutes` after {@link NINE_AM}. */
export function upcomingReminder(id: string, name: string, inMinutes: number): Upcoming {
  return { id, kind: 'reminder', name, priority: 5, dueAt: NINE_AM + inMinutes * MINUTE, snoozed: false };
}

/** A timer view as the daemon reports it at {@link NINE_AM}. */
export function timerView(overrides: Partial<TimerView> & Pick<TimerView, 'id' | 'name'>): TimerView {
  return {
    mode: 'countdown',
    state: 'running',
    remainingMs: 25 * MINUTE,
    elapsedMs: 0,
    endsAt: NINE_AM + 25 * MINUTE,
    at: NINE_AM,
    ...overrides,
  };
}

/** A daemon status at {@link NINE_AM}: running, English, no reminders or timers unless overridden. */
export function makeStatus(overrides: Partial<Status> = {}): Status {
  const status: Status = {
    pid: 4242,
    processName: 'mytimer-daemon',
    version: '0.1.0',
    contractVersion: 1,
    startedAt: NINE_AM - 60 * MINUTE,
    now: NINE_AM,
    home: '/tmp/mytimer-test',
    locale: 'en',
    language: 'auto',
    paused: false,
    pausedUntil: null,
    nextReminder: null,
    upcoming: [],
    timers: [],
    pomodoro: null,
    niceness: 10,
    notifications: { delivered: 0, failed: 0, lastError: null },
    jobs: [],
    held: [],
    ...overrides,
  };
  if (overrides.nextReminder === undefined) {
    const next = status.upcoming.find((u) => u.kind === 'reminder');
    status.nextReminder = next ? { id: next.id, name: next.name, dueAt: next.dueAt } : null;
  }
  return status;
}

/** A pomodoro in `phase` and `round`, its phase ending `inMinutes` after {@link NINE_AM}. */
export function pomodoroView(
  phase: PomodoroView['phase'],
  round: number,
  inMinutes: number,
  state: 'running' | 'paused' = 'running',
): PomodoroView {
  return {
    phase,
    round,
    timer: timerView({
      id: 'pomodoro',
      name: 'Pomodoro',
      state,
      remainingMs: inMinutes * MINUTE,
      endsAt: state === 'running' ? NINE_AM + inMinutes * MINUTE : null,
    }),
  };
}

/** A copy job as `status.jobs` lists it: running unless overridden, with `progress` when given. */
export function jobView(id: string, displayName: string, overrides: Partial<JobView> = {}): JobView {
  return {
    id,
    displayName,
    kind: 'copy',
    source: '/home/me/Photos',
    destination: '/media/backup/Photos',
    schedule: { kind: 'daily', time: '18:00' },
    priority: 5,
    enabled: true,
    state: 'running',
    nextDueAt: null,
    progress: null,
    lastResult: null,
    ...overrides,
  };
}

/** Job progress with `bytesDone` of `bytesTotal` bytes (and files in the same proportion, of 100). */
export function jobProgress(bytesDone: number, bytesTotal: number): JobProgress {
  return {
    filesDone: Math.floor((bytesDone / bytesTotal) * 100),
    filesTotal: 100,
    bytesDone,
    bytesTotal,
    bytesPerSecond: 1_000_000,
    etaSeconds: null,
  };
}

import { z } from 'zod';
import {
  ID_MAX_LENGTH,
  INSTANT_MAX_MS,
  INSTANT_MIN_MS,
  MINUTE_MS,
  NAME_MAX_LENGTH,
  TIMER_DURATION_MAX_MS,
  TIMER_DURATION_MIN_MS,
} from '../../shared/limits.js';

/**
 * The schemas of the timer and pomodoro snapshots kept in state.json: what `toJSON()` writes and
 * `from()` accepts. A snapshot comes from a file, so every field is checked, and a bad one is
 * named (`endsAt`, `timer.durationMs`, `settings.workMs`) with the allowed values.
 */

/** Most work rounds in a session, and the largest `longBreakEvery`. */
export const POMODORO_ROUNDS_MAX = 100;

/** 25 / 5 / 15 minutes, a long break every 4 work rounds, one set of 4 rounds per session. */
export const POMODORO_DEFAULTS = Object.freeze({
  workMs: 25 * MINUTE_MS,
  shortBreakMs: 5 * MINUTE_MS,
  longBreakMs: 15 * MINUTE_MS,
  longBreakEvery: 4,
  rounds: 4,
});

const wholeMs = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number of ms from ${min} to ${max}` })
    .int(`must be a whole number of ms from ${min} to ${max}`)
    .min(min, `must be from ${min} to ${max} ms`)
    .max(max, `must be from ${min} to ${max} ms`);

const instant = wholeMs(INSTANT_MIN_MS, INSTANT_MAX_MS);
const duration = wholeMs(TIMER_DURATION_MIN_MS, TIMER_DURATION_MAX_MS);
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

export const timerModeSchema = z.enum(['countdown', 'stopwatch'], {
  error: 'must be one of countdown, stopwatch',
});
export const timerStateSchema = z.enum(['idle', 'running', 'paused', 'done', 'stopped'], {
  error: 'must be one of idle, running, paused, done, stopped',
});
export const pomodoroPhaseSchema = z.enum(['work', 'shortBreak', 'longBreak'], {
  error: 'must be one of work, shortBreak, longBreak',
});

const idField = z
  .string({ error: `must be a string of 1 to ${ID_MAX_LENGTH} characters` })
  .min(1, `must be a string of 1 to ${ID_MAX_LENGTH} characters`)
  .max(ID_MAX_LENGTH, `must be a string of 1 to ${ID_MAX_LENGTH} characters`);
const nameField = z
  .string({ error: `must be a string of 0 to ${NAME_MAX_LENGTH} characters` })
  .max(NAME_MAX_LENGTH, `must be a string of 0 to ${NAME_MAX_LENGTH} characters`);

/** A field that must be null in this mode or state: the message says why. */
function mustBeNull(
  ctx: z.RefinementCtx,
  snapshot: Record<string, unknown>,
  field: string,
  why: string,
): void {
  const value = snapshot[field];
  if (value !== null)
    ctx.addIssue({ code: 'custom', path: [field], message: `must be null ${why} (got ${String(value)})` });
}

/** A field that must hold a value in this mode or state. */
function mustBeSet(
  ctx: z.RefinementCtx,
  snapshot: Record<string, unknown>,
  field: string,
  why: string,
): void {
  if (snapshot[field] === null)
    ctx.addIssue({ code: 'custom', path: [field], message: `must be set ${why}` });
}

/**
 * A timer: fields that do not apply to its mode or state are null, so a JSON round trip is exact.
 * Countdown: `durationMs`, and `endsAt` while running or `remainingMs` (0 … durationMs) otherwise.
 * Stopwatch: `accumulatedMs`, and `startedAt` while running; a stopwatch is never done.
 */
export const timerSnapshotSchema = z
  .object(
    {
      kind: z.literal('timer', { error: 'must be "timer"' }),
      id: idField,
      name: nameField,
      mode: timerModeSchema,
      state: timerStateSchema,
      /** Countdown length; null for a stopwatch. */
      durationMs: duration.nullable(),
      /** Running countdown: the wall-clock instant it ends. */
      endsAt: instant.nullable(),
      /** Countdown not running: ms left (idle: durationMs; done: 0). */
      remainingMs: wholeMs(0, TIMER_DURATION_MAX_MS).nullable(),
      /** Running stopwatch: the wall-clock instant the current run began. */
      startedAt: instant.nullable(),
      /** Stopwatch: ms banked before `startedAt` (running), or the total elapsed (otherwise). */
      accumulatedMs: wholeMs(0, INSTANT_MAX_MS).nullable(),
    },
    { error: 'must be an object' },
  )
  .superRefine((snap, ctx) => {
    const running = snap.state === 'running';
    if (snap.mode === 'countdown') {
      mustBeSet(ctx, snap, 'durationMs', 'for a countdown');
      mustBeNull(ctx, snap, 'startedAt', 'for a countdown');
      mustBeNull(ctx, snap, 'accumulatedMs', 'for a countdown');
      if (running) {
        mustBeSet(ctx, snap, 'endsAt', 'while running');
        mustBeNull(ctx, snap, 'remainingMs', 'while running');
      } else {
        mustBeNull(ctx, snap, 'endsAt', 'unless running');
        mustBeSet(ctx, snap, 'remainingMs', 'unless running');
        if (snap.remainingMs !== null && snap.durationMs !== null && snap.remainingMs > snap.durationMs) {
          ctx.addIssue({
            code: 'custom',
            path: ['remainingMs'],
            message: `must be from 0 to ${snap.durationMs} ms (the duration)`,
          });
        }
      }
    } else {
      if (snap.state === 'done')
        ctx.addIssue({ code: 'custom', path: ['state'], message: 'a stopwatch is never done' });
      mustBeNull(ctx, snap, 'durationMs', 'for a stopwatch');
      mustBeNull(ctx, snap, 'endsAt', 'for a stopwatch');
      mustBeNull(ctx, snap, 'remainingMs', 'for a stopwatch');
      mustBeSet(ctx, snap, 'accumulatedMs', 'for a stopwatch');
      if (running) mustBeSet(ctx, snap, 'startedAt', 'while running');
      else mustBeNull(ctx, snap, 'startedAt', 'unless running');
    }
  });

export type TimerSnapshot = z.output<typeof timerSnapshotSchema>;

/** Phase lengths (each a whole number of ms from 1 s to 7 days) and the shape of a session. */
export const pomodoroSettingsSchema = z.object(
  {
    workMs: duration.default(POMODORO_DEFAULTS.workMs),
    shortBreakMs: duration.default(POMODORO_DEFAULTS.shortBreakMs),
    longBreakMs: duration.default(POMODORO_DEFAULTS.longBreakMs),
    /** The break after work round r is long when r is a multiple of this (1 … 100). */
    longBreakEvery: wholeNumber(1, POMODORO_ROUNDS_MAX).default(POMODORO_DEFAULTS.longBreakEvery),
    /** Work rounds in a session (1 … 100); the session ends with the break after the last one. */
    rounds: wholeNumber(1, POMODORO_ROUNDS_MAX).default(POMODORO_DEFAULTS.rounds),
  },
  { error: 'must be an object' },
);

export type PomodoroSettings = z.output<typeof pomodoroSettingsSchema>;

/** A pomodoro session: where it is, its settings, and the countdown of its current phase. */
export const pomodoroSnapshotSchema = z
  .object(
    {
      kind: z.literal('pomodoro', { error: 'must be "pomodoro"' }),
      id: idField,
      name: nameField,
      state: timerStateSchema,
      phase: pomodoroPhaseSchema,
      /** The work round of the phase (a break carries the round it follows). */
      round: wholeNumber(1, POMODORO_ROUNDS_MAX),
      settings: pomodoroSettingsSchema,
      /** The current phase's countdown; its state always equals the session's. */
      timer: timerSnapshotSchema,
    },
    { error: 'must be an object' },
  )
  .superRefine((snap, ctx) => {
    if (snap.round > snap.settings.rounds) {
      ctx.addIssue({
        code: 'custom',
        path: ['round'],
        message: `must be a whole number from 1 to ${snap.settings.rounds} (the session's rounds)`,
      });
    }
    if (snap.timer.mode !== 'countdown')
      ctx.addIssue({ code: 'custom', path: ['timer', 'mode'], message: 'must be countdown' });
    const length = {
      work: snap.settings.workMs,
      shortBreak: snap.settings.shortBreakMs,
      longBreak: snap.settings.longBreakMs,
    }[snap.phase];
    if (snap.timer.durationMs !== length) {
      ctx.addIssue({
        code: 'custom',
        path: ['timer', 'durationMs'],
        message: `must be the ${snap.phase} length, ${length} ms`,
      });
    }
    if (snap.timer.state !== snap.state) {
      ctx.addIssue({
        code: 'custom',
        path: ['timer', 'state'],
        message: `must match the session's state, ${snap.state} (got ${snap.timer.state})`,
      });
    }
  });

export type PomodoroSnapshot = z.output<typeof pomodoroSnapshotSchema>;

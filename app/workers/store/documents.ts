import { z } from 'zod';
import { jobResultSchema } from '../../shared/contract.js';
import {
  defaultSettings,
  safeParseSettings,
  settingsSchema,
  SETTINGS_VERSION,
  type Settings,
} from '../../shared/settings.js';
import { JsonStore, type LogLevel } from './json-store.js';
import type { AppPaths } from '../../shared/paths.js';
import { repairSettings } from './settings-repair.js';

export const STATE_VERSION = 1;

const progressSchema = z.object({
  nextDueAt: z.number().nullable().optional(),
  lastFiredDueAt: z.number().nullable().optional(),
});

/**
 * What the daemon was doing (state.json): where each reminder stood, the pause, running timers.
 * Timer snapshots are checked by `Timer.from` when restored, so here they are only objects.
 */
export const stateSchema = z.object({
  savedAt: z.number().optional(),
  reminders: z.record(z.string(), progressSchema).default({}),
  jobs: z.record(z.string(), progressSchema).default({}),
  /** The last runs of each job (see JobsManager); shapes are checked loosely: it is only history. */
  jobHistory: z.record(z.string(), z.array(jobResultSchema)).default({}),
  /** Jobs running when this was saved: a daemon that finds one here at start was killed mid-run. */
  jobsRunning: z.record(z.string(), z.object({ startedAt: z.number() })).default({}),
  paused: z.boolean().default(false),
  pausedUntil: z.number().nullable().default(null),
  timers: z.array(z.record(z.string(), z.unknown())).default([]),
  pomodoro: z.record(z.string(), z.unknown()).nullable().default(null),
});

export type DaemonState = z.infer<typeof stateSchema>;

export function emptyState(): DaemonState {
  return stateSchema.parse({});
}

type Log = (level: LogLevel, message: string) => void;

/** The settings document store: one per process; only the daemon (or the CLI, under the lock, when no daemon runs) writes. */
export function openSettingsStore(paths: AppPaths, log?: Log): JsonStore<Settings> {
  return new JsonStore<Settings>({
    path: paths.settings,
    schema: settingsSchema,
    // 10,000 reminders at every load and save: their common shape is checked without zod.
    safeParse: safeParseSettings,
    defaults: defaultSettings,
    version: SETTINGS_VERSION,
    repair: repairSettings,
    ...(log && { log }),
  });
}

/** The daemon's state store (state.json); only the daemon writes it. */
export function openStateStore(paths: AppPaths, log?: Log): JsonStore<DaemonState> {
  return new JsonStore<DaemonState>({
    path: paths.state,
    schema: stateSchema,
    defaults: emptyState,
    version: STATE_VERSION,
    ...(log && { log }),
  });
}

import type { Schedule } from '../shared/schedule.js';
import type { Scheduler, TaskProgress } from './scheduler/index.js';

/** What the daemon's one scheduler carries: each task stands for a reminder or a background job. */
export type TaskPayload = { kind: 'reminder'; reminderId: string } | { kind: 'job'; jobId: string };

/** One wanted scheduler task, derived from a settings entry (a reminder or a job). */
export interface WantedTask {
  id: string;
  name: string;
  priority: number;
  schedule: Schedule;
  payload: TaskPayload;
  enabled: boolean;
  /** Where it stood when the daemon last saved, used only when the task is new to the scheduler. */
  progress?: TaskProgress;
}

/**
 * Brings the scheduler's tasks of one kind in line with the settings: adds new ones, updates
 * changed ones in place (keeping the pending occurrence unless the schedule changed, and the
 * first-come position always) and removes the rest.
 */
export function syncTasks(
  scheduler: Scheduler<TaskPayload>,
  kind: TaskPayload['kind'],
  wanted: readonly WantedTask[],
): void {
  const wantedIds = new Set(wanted.map((t) => t.id));
  for (const task of scheduler.list()) {
    if (task.payload?.kind === kind && !wantedIds.has(task.id)) scheduler.remove(task.id);
  }
  for (const task of wanted) {
    const existing = scheduler.get(task.id);
    if (!existing) {
      // The wanted task itself is the spec (the scheduler reads only its fields): no copy per task.
      scheduler.add(task, task.progress ?? {});
      continue;
    }
    const { progress: _progress, ...spec } = task;
    if (JSON.stringify(existing.schedule) !== JSON.stringify(spec.schedule)) {
      const { id: _id, ...patch } = spec;
      scheduler.update(spec.id, patch);
    } else {
      const { id: _id, schedule: _unchanged, ...patch } = spec;
      scheduler.update(spec.id, patch);
    }
  }
}

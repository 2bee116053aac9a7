export { Scheduler } from './scheduler.js';
export type {
  TaskSpec,
  TaskInfo,
  TaskProgress,
  FireEvent,
  SchedulerOptions,
  SchedulerEvents,
} from './scheduler.js';
export { StableQueue } from './queue.js';
export { compileSchedule, validateSchedule } from './schedules.js';
export type { CompiledSchedule } from './schedules.js';

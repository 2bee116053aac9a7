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
export { checkOnceAhead, compileSchedule, validateSchedule } from './schedules.js';
export type { CompiledSchedule } from './schedules.js';

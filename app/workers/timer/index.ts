/**
 * Timers: countdowns, stopwatches and pomodoro sessions on an injected clock, with wall-clock
 * deadlines that survive suspend and daemon restarts. The daemon reaches them only through here.
 */
export { Timer, TIMER_MODES, TIMER_STATES } from './timer.js';
export type {
  CountdownOptions,
  DoneEvent,
  StateEvent,
  StopwatchOptions,
  TickEvent,
  TimerCommonOptions,
  TimerEvents,
  TimerMode,
  TimerOptions,
  TimerSnapshot,
  TimerState,
} from './timer.js';
export { Pomodoro, POMODORO_DEFAULTS, POMODORO_PHASES, POMODORO_ROUNDS_MAX } from './pomodoro.js';
export type {
  PhaseEvent,
  PhasePosition,
  PomodoroDoneEvent,
  PomodoroEvents,
  PomodoroOptions,
  PomodoroPhase,
  PomodoroSettings,
  PomodoroSnapshot,
  PomodoroStateEvent,
  PomodoroTickEvent,
} from './pomodoro.js';
export {
  TIMER_DURATION_MAX_MS,
  TIMER_DURATION_MIN_MS,
  TIMER_ID_MAX_LENGTH,
  TIMER_NAME_MAX_LENGTH,
} from './checks.js';

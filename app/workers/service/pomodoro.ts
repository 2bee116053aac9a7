import type { PomodoroView } from '../../shared/contract.js';
import { translate } from '../../shared/i18n/index.js';
import { Pomodoro } from '../timer/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { ConflictError, NotFoundError } from './errors.js';
import { pomodoroView } from './views.js';

const PHASE_KEYS = {
  work: 'pomodoro.work',
  shortBreak: 'pomodoro.shortBreak',
  longBreak: 'pomodoro.longBreak',
} as const;

/** `pomodoro.*`: one session at a time. */
export function pomodoroHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'pomodoro.start' | 'pomodoro.skip' | 'pomodoro.stop'> {
  const running = (): Pomodoro => {
    if (!ctx.pomodoro) throw new NotFoundError('error.pomodoro.notRunning');
    return ctx.pomodoro;
  };
  return {
    'pomodoro.start': ({ restart, ...lengths }) => {
      const current = ctx.pomodoro;
      if (current && (current.state === 'running' || current.state === 'paused') && !restart) {
        throw new ConflictError('error.pomodoro.running', { phase: current.phase, round: current.round });
      }
      current?.dispose();
      const pomodoro = new Pomodoro({
        clock: ctx.clock,
        ...(lengths.workMs !== undefined && { workMs: lengths.workMs }),
        ...(lengths.shortBreakMs !== undefined && { shortBreakMs: lengths.shortBreakMs }),
        ...(lengths.longBreakMs !== undefined && { longBreakMs: lengths.longBreakMs }),
        ...(lengths.longBreakEvery !== undefined && { longBreakEvery: lengths.longBreakEvery }),
      });
      adoptPomodoro(ctx, pomodoro);
      pomodoro.start();
      ctx.changed();
      return pomodoroView(pomodoro, ctx.clock.now());
    },
    'pomodoro.skip': () => {
      const pomodoro = running();
      pomodoro.skip();
      ctx.changed();
      return pomodoroView(pomodoro, ctx.clock.now());
    },
    'pomodoro.stop': (): PomodoroView => {
      const pomodoro = running();
      // The reply is the session as it stood, so callers can say what was stopped.
      const view = pomodoroView(pomodoro, ctx.clock.now());
      pomodoro.dispose();
      ctx.pomodoro = null;
      ctx.changed();
      return { ...view, timer: { ...view.timer, state: 'stopped', endsAt: null } };
    },
  };
}

/** Takes a new or restored session in: its changes reach the hosts, each new phase is announced. */
export function adoptPomodoro(ctx: ServiceContext, pomodoro: Pomodoro): void {
  ctx.pomodoro = pomodoro;
  pomodoro.on('state', () => ctx.changed());
  pomodoro.on('phase', (event) => {
    ctx.changed();
    void ctx.notify(
      translate(ctx.locale, PHASE_KEYS[event.to]),
      translate(ctx.locale, 'pomodoro.phase.message', {
        phase: translate(ctx.locale, PHASE_KEYS[event.to]),
        minutes: Math.round(pomodoro.durationOf(event.to) / 60_000),
      }),
    );
  });
}

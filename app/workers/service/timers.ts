import type { TimerView } from '../../shared/contract.js';
import { ValidationError } from '../../shared/errors.js';
import { translate } from '../../shared/i18n/index.js';
import { Timer } from '../timer/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { NotFoundError } from './errors.js';
import { timerView } from './views.js';

/** `timer.*`: countdowns and stopwatches, by short id (t1) or name. */
export function timerHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'timer.start' | 'timer.pause' | 'timer.resume' | 'timer.stop' | 'timer.list'> {
  const view = (timer: Timer): TimerView => timerView(timer, ctx.clock.now());
  return {
    'timer.start': ({ mode, durationMs, name: given }) => {
      const name = given ?? translate(ctx.locale, 'timer.defaultName');
      let timer: Timer;
      if (mode === 'stopwatch') {
        timer = new Timer({ mode: 'stopwatch', id: nextTimerId(ctx), name, clock: ctx.clock });
      } else {
        if (durationMs === undefined)
          throw ValidationError.of('params.durationMs', 'error.timer.durationRequired');
        timer = new Timer({ mode: 'countdown', id: nextTimerId(ctx), durationMs, name, clock: ctx.clock });
      }
      adoptTimer(ctx, timer);
      timer.start();
      return view(timer);
    },
    'timer.pause': ({ id }) => {
      const timer = findTimer(ctx, id);
      timer.pause();
      return view(timer);
    },
    'timer.resume': ({ id }) => {
      const timer = findTimer(ctx, id);
      timer.resume();
      return view(timer);
    },
    'timer.stop': ({ id }) => {
      const timer = findTimer(ctx, id);
      if (timer.state === 'running' || timer.state === 'paused') timer.stop();
      timer.dispose();
      ctx.timers.delete(timer.id);
      ctx.changed();
      return view(timer);
    },
    'timer.list': () => [...ctx.timers.values()].map(view),
  };
}

/** Takes a new or restored timer in: its changes reach the hosts, its end is announced. */
export function adoptTimer(ctx: ServiceContext, timer: Timer): void {
  ctx.timers.set(timer.id, timer);
  timer.on('state', () => ctx.changed());
  timer.on('done', () => {
    ctx.emit({ event: 'timer-done', data: { id: timer.id, name: timer.name } });
    void ctx.notify(
      translate(ctx.locale, 'timer.done.title'),
      translate(ctx.locale, 'timer.done.message', { name: timer.name }),
    );
  });
}

/** `t1`, `t2` …: the lowest number no timer holds, so ids stay short enough to type. */
function nextTimerId(ctx: ServiceContext): string {
  for (let n = 1; ; n++) if (!ctx.timers.has(`t${n}`)) return `t${n}`;
}

/**
 * The timer a user means by `ref`: its exact id, else its name (any case), else the one timer
 * whose id or name starts with `ref`. Several matches are refused, listing them.
 */
function findTimer(ctx: ServiceContext, ref: string): Timer {
  const exact = ctx.timers.get(ref);
  if (exact) return exact;
  const wanted = ref.toLowerCase();
  const timers = [...ctx.timers.values()];
  const byName = timers.filter((t) => t.name.toLowerCase() === wanted);
  const matches =
    byName.length > 0
      ? byName
      : timers.filter((t) => t.id.startsWith(ref) || t.name.toLowerCase().startsWith(wanted));
  const [only] = matches;
  if (only !== undefined && matches.length === 1) return only;
  if (matches.length === 0) throw new NotFoundError('error.timer.notFound', { ref });
  throw ValidationError.of('params.id', 'error.timer.ambiguous', {
    ref,
    count: matches.length,
    list: matches.map((t) => `${t.id} "${t.name}"`).join(', '),
  });
}

import type { Handlers, ServiceContext } from './context.js';
import { saveState } from './persistence.js';

/** `host-event`: what the OS just did, as the host saw it (suspend, resume, lock, idle). */
export function hostEventHandlers(ctx: ServiceContext): Pick<Handlers, 'host-event'> {
  return {
    'host-event': ({ event }) => {
      switch (event) {
        case 'suspend':
          void saveState(ctx);
          break;
        case 'resume':
        case 'unlock-screen':
        case 'active':
          if (event === 'unlock-screen') ctx.locked = false;
          ctx.idle = false;
          // Deadlines may have passed while asleep or away: look again now rather than at the next tick.
          ctx.scheduler.recheck();
          for (const timer of ctx.timers.values()) timer.recheck();
          ctx.pomodoro?.recheck();
          break;
        case 'lock-screen':
          ctx.locked = true;
          break;
        case 'idle':
          ctx.idle = true;
          break;
      }
      ctx.log('info', `host: ${event}${ctx.idle ? ' (idle)' : ''}`);
      return { ok: true };
    },
  };
}

import type { Handlers, ServiceContext } from './context.js';
import { saveState } from './persistence.js';

/**
 * `host-event`: what the OS just did, as the host saw it (suspend, resume, lock, idle). Every event also
 * goes to the presence, whatever the host: it holds reminders while the user is away and releases them once
 * on return (the headless desktop sources feed it directly too; its transitions are idempotent).
 */
export function hostEventHandlers(ctx: ServiceContext): Pick<Handlers, 'host-event'> {
  return {
    'host-event': ({ event, idleMs }) => {
      if (idleMs !== undefined && (event === 'idle' || event === 'active')) {
        // A host that reads the idle time (Electron's powerMonitor) sends it: the presence judges the
        // threshold and the natural breaks from the reading itself.
        ctx.presence.idleSample(idleMs);
      } else {
        ctx.presence.hostEvent(event);
      }
      switch (event) {
        case 'suspend':
          void saveState(ctx);
          break;
        case 'resume':
        case 'unlock-screen':
        case 'active':
          // Deadlines may have passed while asleep or away: look again now rather than at the next tick.
          ctx.scheduler.recheck();
          for (const timer of ctx.timers.values()) timer.recheck();
          ctx.pomodoro?.recheck();
          break;
        case 'lock-screen':
        case 'idle':
          break;
      }
      ctx.log(
        'info',
        `host: ${event}${idleMs !== undefined ? ` (idle ${Math.round(idleMs / 1000)} s)` : ''}`,
      );
      return { ok: true };
    },
  };
}

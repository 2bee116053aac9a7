import { settingsSchema, type Settings } from '../../shared/settings.js';
import { checkTimeZone } from '../../shared/time-zone.js';
import { parseWith } from '../../shared/validate.js';
import { compileSchedule, validateSchedule } from '../scheduler/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { inParams } from './errors.js';
import { statusView } from './views.js';

/** Fields to change, over the settings in use; a key set to undefined is removed. Checked by the settings schema. */
type SettingsPatch = Readonly<Record<string, unknown>>;

/** `settings.*`, `schedule.preview`, `pause` and `resume`: the general settings and the engine's on/off. */
export function settingsHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'settings.get' | 'settings.set' | 'schedule.preview' | 'pause' | 'resume'> {
  return {
    'settings.get': () => ctx.settings,
    'settings.set': ({ patch }) => applySettings(ctx, patch),
    'schedule.preview': ({ schedule, count }) => {
      const compiled = compileSchedule(validateSchedule(schedule, 'params.schedule'), {
        anchor: ctx.clock.now(),
        defaultTimeZone: ctx.timeZone,
      });
      const instants: number[] = [];
      let after = ctx.clock.now();
      while (instants.length < count) {
        const next = compiled.nextAfter(after);
        if (next === null) break;
        instants.push(next);
        after = next;
      }
      return instants;
    },
    pause: ({ until, durationMs }) => {
      const end = until ?? (durationMs !== undefined ? ctx.clock.now() + durationMs : undefined);
      inParams(() => ctx.scheduler.pause(end));
      return statusView(ctx);
    },
    resume: () => {
      ctx.scheduler.resume();
      return statusView(ctx);
    },
  };
}

/**
 * Puts `patch` over the settings in use, checks the result as a whole (errors name
 * `params.patch.<field>`), saves it, and brings the engine in line in place: niceness, job
 * concurrency, and on a zone change the calendar schedules that follow the settings' zone.
 * Localized task names follow a language change as the tasks are synced on save.
 */
export async function applySettings(ctx: ServiceContext, patch: SettingsPatch): Promise<Settings> {
  const next = parseWith(settingsSchema, { ...ctx.settings, ...patch }, 'params.patch');
  if (next.timeZone !== undefined) checkTimeZone('params.patch.timeZone', next.timeZone);
  const zoneChanged = next.timeZone !== ctx.settings.timeZone;
  await ctx.saveSettings(next);
  if (patch.niceness !== undefined) ctx.niceness = ctx.applyNiceness(next.niceness);
  if (patch.jobsConcurrency !== undefined) ctx.jobs.concurrency = next.jobsConcurrency;
  if (zoneChanged) ctx.scheduler.setTimeZone(ctx.timeZone);
  ctx.changed();
  return ctx.settings;
}

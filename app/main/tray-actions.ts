import type { Method } from '../shared/contract.js';
import { TRAY_ACTIONS } from './tray-menu.js';

/** What a tray click asks for: a daemon request, or something main does itself. */
export type TrayCommand =
  | { kind: 'request'; method: Method; params: Record<string, unknown> }
  | { kind: 'open-settings' }
  | { kind: 'quit' };

const MINUTE = 60_000;

/** The hour of "Pause until tomorrow", local time. */
export const TOMORROW_HOUR = 8;

/**
 * The command behind a tray menu action id (see tray-menu.ts), at `now`; null for an id this
 * version does not know (a stale menu), which the caller ignores.
 */
export function trayCommand(actionId: string, now: number): TrayCommand | null {
  switch (actionId) {
    case TRAY_ACTIONS.restNow:
      return { kind: 'request', method: 'rest-now', params: {} };
    case TRAY_ACTIONS.pause30m:
      return { kind: 'request', method: 'pause', params: { durationMs: 30 * MINUTE } };
    case TRAY_ACTIONS.pause1h:
      return { kind: 'request', method: 'pause', params: { durationMs: 60 * MINUTE } };
    case TRAY_ACTIONS.pauseUntilTomorrow:
      return { kind: 'request', method: 'pause', params: { until: tomorrowAt(now, TOMORROW_HOUR) } };
    case TRAY_ACTIONS.resume:
      return { kind: 'request', method: 'resume', params: {} };
    case TRAY_ACTIONS.pomodoroSkip:
      return { kind: 'request', method: 'pomodoro.skip', params: {} };
    case TRAY_ACTIONS.pomodoroStop:
      return { kind: 'request', method: 'pomodoro.stop', params: {} };
    case TRAY_ACTIONS.openSettings:
      return { kind: 'open-settings' };
    case TRAY_ACTIONS.quit:
      return { kind: 'quit' };
  }
  const [verb, argument] = splitOnce(actionId, ':');
  if (argument === '') return null;
  switch (verb) {
    case 'timer-start': {
      const minutes = Number(argument);
      if (!Number.isInteger(minutes) || minutes < 1) return null;
      return {
        kind: 'request',
        method: 'timer.start',
        params: { mode: 'countdown', durationMs: minutes * MINUTE },
      };
    }
    case 'timer-pause':
      return { kind: 'request', method: 'timer.pause', params: { id: argument } };
    case 'timer-resume':
      return { kind: 'request', method: 'timer.resume', params: { id: argument } };
    case 'timer-stop':
      return { kind: 'request', method: 'timer.stop', params: { id: argument } };
    case 'job-cancel':
      return { kind: 'request', method: 'job.cancel', params: { id: argument } };
    default:
      return null;
  }
}

/**
 * `hour`:00 local time on the calendar day after `now`'s. Built from local date parts, so a DST change
 * overnight still lands on 08:00 by the clock on the wall.
 */
export function tomorrowAt(now: number, hour: number): number {
  const today = new Date(now);
  return new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, hour, 0, 0, 0).getTime();
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

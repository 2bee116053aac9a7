import type { Status } from './contract.js';
import { translate } from './i18n/index.js';
import { escapeControl } from './terminal-text.js';

/** "1:02:03" / "12:34": a countdown that fits a status line. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(hours > 0 ? 2 : 1, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** Local HH:MM. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * The one live line `mytimer run` keeps on screen: the next reminder and its countdown, or the pause.
 * Names show control characters as escapes: a CR or ESC in one must not move the cursor.
 */
export function statusLine(status: Status, now: number): string {
  const locale = status.locale;
  let line: string;
  if (status.paused) {
    line =
      status.pausedUntil !== null
        ? translate(locale, 'status.pausedUntil', { time: clockTime(status.pausedUntil) })
        : translate(locale, 'status.paused');
  } else if (status.nextReminder) {
    line = translate(locale, 'status.next', {
      name: escapeControl(status.nextReminder.name),
      countdown: formatCountdown(status.nextReminder.dueAt - now),
    });
  } else {
    line = translate(locale, 'status.none');
  }
  const running = status.timers.filter((t) => t.state === 'running' && t.remainingMs !== null);
  for (const timer of running.slice(0, 2)) {
    line += ` · ${escapeControl(timer.name)} ${formatCountdown((timer.endsAt ?? now) - now)}`;
  }
  return line;
}

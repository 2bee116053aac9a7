import type { HoldReasonName, Status } from './contract.js';
import { translate, type Locale } from './i18n/index.js';
import { escapeControl } from './terminal-text.js';
import { formatClock, formatCountdown } from './time-format.js';

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
        ? translate(locale, 'status.pausedUntil', { time: formatClock(status.pausedUntil) })
        : translate(locale, 'status.paused');
  } else if (status.nextReminder) {
    line = translate(locale, 'status.next', {
      name: escapeControl(status.nextReminder.name),
      countdown: formatCountdown(status.nextReminder.dueAt - now),
    });
  } else {
    line = translate(locale, 'status.none');
  }
  const held = describeHeld(status.held, locale);
  if (held !== null) line += ` · ${held}`;
  const running = status.timers.filter((t) => t.state === 'running' && t.remainingMs !== null);
  for (const timer of running.slice(0, 2)) {
    line += ` · ${escapeControl(timer.name)} ${formatCountdown((timer.endsAt ?? now) - now)}`;
  }
  return line;
}

/** "Held: the screen is locked, do not disturb is on" — why reminders wait now; null when none do. */
export function describeHeld(held: readonly HoldReasonName[] | undefined, locale: Locale): string | null {
  if (!held || held.length === 0) return null;
  const separator = locale === 'zh-CN' ? '、' : ', ';
  const reasons = held.map((reason) => translate(locale, `held.${reason}`)).join(separator);
  return translate(locale, 'held.summary', { reasons });
}

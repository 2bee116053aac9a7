/**
 * What `status` prints. Apart from the command (status.ts) because it needs the other commands'
 * formatters, and with them zod: loaded only once a daemon has answered.
 */
import type { Status } from '../../shared/contract.js';
import { translate, type Locale, type MessageKey } from '../../shared/i18n/index.js';
import { describeHeld } from '../../shared/status-line.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { formatDue, formatSpan, formatTable, formatWhen } from '../format.js';
import { describePomodoro } from './pomodoro.js';
import { describeResult } from './job.js';
import { timerRows } from './timer.js';

/** How many upcoming items `status` lists: enough to plan by, short enough to read at a glance. */
const UPCOMING_SHOWN = 5;

const indent = (text: string): string => text.replace(/^(?=.)/gm, '  ');

/**
 * The one-line summary of what comes next: the next reminder, or the pause that holds it back.
 * Shared with `pause` and `resume`, which answer with a status too.
 */
export function describeNext(status: Status, zone: string, locale: Locale = 'en'): string {
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  if (status.paused) {
    return status.pausedUntil === null
      ? say('cli.status.pausedIndefinitely')
      : say('cli.status.pausedUntil', { due: formatDue(status.pausedUntil, status.now, zone) });
  }
  const next = status.nextReminder;
  if (next === null) return say('cli.status.noNext');
  const { dueAt } = next;
  const quiet =
    typeof next.quietUntil === 'number'
      ? say('cli.status.quiet', { time: formatWhen(next.quietUntil, status.now, zone) })
      : '';
  return say('cli.status.next', {
    name: escapeControl(next.name),
    time: formatWhen(dueAt, status.now, zone),
    span: formatSpan(dueAt - status.now),
    quiet,
  });
}

/** The human `status` report: who runs, what is next, what is coming, timers, notification health. */
export function formatStatus(status: Status, zone: string, locale: Locale = 'en'): string {
  const say = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  const { now } = status;
  let out = `${say('cli.status.daemon', { pid: status.pid, processName: status.processName, span: formatSpan(now - status.startedAt) })}\n`;
  out += `${describeNext(status, zone, locale)}\n`;
  const held = describeHeld(status.held, locale);
  if (held !== null) out += `${held}\n`;
  const upcoming = [...status.upcoming]
    .sort((a, b) => a.dueAt - b.dueAt || a.priority - b.priority)
    .slice(0, UPCOMING_SHOWN);
  if (upcoming.length > 0) {
    const rows = upcoming.map((item) => [
      formatWhen(item.dueAt, now, zone),
      item.dueAt >= now
        ? say('cli.status.in', { span: formatSpan(item.dueAt - now) })
        : say('cli.status.dueNow'),
      say('cli.status.priority', { priority: item.priority }),
      `${item.name}${item.kind === 'reminder' ? '' : ` (${say(`ui.upcoming.kind.${item.kind}`)})`}${item.snoozed ? ` (${say('ui.upcoming.snoozed')})` : ''}` +
        (typeof item.quietUntil === 'number'
          ? ` ${say('cli.status.quietUntil', { time: formatWhen(item.quietUntil, now, zone) })}`
          : '') +
        (item.held && item.held.length > 0 ? ` (${say('ui.upcoming.held')})` : ''),
    ]);
    out += `${say('cli.status.upcoming')}\n${indent(formatTable(rows))}`;
  }
  out +=
    status.timers.length > 0
      ? `${say('cli.status.timers')}\n${indent(formatTable(timerRows(status.timers, locale)))}`
      : `${say('cli.status.timersNone')}\n`;
  if (status.pomodoro !== null) {
    out += `${say('cli.status.pomodoro', { description: describePomodoro(status.pomodoro, undefined, locale) })}\n`;
  }
  for (const job of status.jobs) {
    const progress = job.progress
      ? say('cli.status.jobProgress', { done: job.progress.filesDone, total: job.progress.filesTotal })
      : '';
    const state = job.enabled ? job.state : say('cli.status.disabled');
    const last = escapeControl(describeResult(job.lastResult));
    out += `${say('cli.status.job', { id: job.id, state, progress, last })}\n`;
  }
  const { delivered, failed, lastError } = status.notifications;
  out += say('cli.status.notifications', { delivered, failed });
  out += lastError === null ? '\n' : `${say('cli.status.lastError', { error: escapeControl(lastError) })}\n`;
  return out;
}

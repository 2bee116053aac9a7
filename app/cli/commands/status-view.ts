/**
 * What `status` prints. Apart from the command (status.ts) because it needs the other commands'
 * formatters, and with them zod: loaded only once a daemon has answered.
 */
import type { Status } from '../../shared/contract.js';
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
export function describeNext(status: Status, zone: string): string {
  if (status.paused) {
    return status.pausedUntil === null
      ? 'Paused until you resume (mytimer resume)'
      : `Paused until ${formatDue(status.pausedUntil, status.now, zone)}`;
  }
  const next = status.nextReminder;
  if (next === null) return 'Next: no reminders scheduled';
  const { dueAt } = next;
  const quiet =
    typeof next.quietUntil === 'number'
      ? `, quiet until ${formatWhen(next.quietUntil, status.now, zone)} (outside its hours)`
      : '';
  return `Next: ${escapeControl(next.name)} at ${formatWhen(dueAt, status.now, zone)} (in ${formatSpan(dueAt - status.now)})${quiet}`;
}

/** The human `status` report: who runs, what is next, what is coming, timers, notification health. */
export function formatStatus(status: Status, zone: string): string {
  const { now } = status;
  let out = `myTimer daemon pid ${status.pid} (${status.processName}), up ${formatSpan(now - status.startedAt)}\n`;
  out += `${describeNext(status, zone)}\n`;
  const upcoming = [...status.upcoming]
    .sort((a, b) => a.dueAt - b.dueAt || a.priority - b.priority)
    .slice(0, UPCOMING_SHOWN);
  if (upcoming.length > 0) {
    const rows = upcoming.map((item) => [
      formatWhen(item.dueAt, now, zone),
      item.dueAt >= now ? `in ${formatSpan(item.dueAt - now)}` : 'due now',
      `priority ${item.priority}`,
      `${item.name}${item.kind === 'reminder' ? '' : ` (${item.kind})`}${item.snoozed ? ' (snoozed)' : ''}` +
        (typeof item.quietUntil === 'number'
          ? ` (quiet until ${formatWhen(item.quietUntil, now, zone)})`
          : ''),
    ]);
    out += `Upcoming:\n${indent(formatTable(rows))}`;
  }
  out +=
    status.timers.length > 0 ? `Timers:\n${indent(formatTable(timerRows(status.timers)))}` : 'Timers: none\n';
  if (status.pomodoro !== null) out += `Pomodoro: ${describePomodoro(status.pomodoro)}\n`;
  for (const job of status.jobs) {
    const progress = job.progress ? `, ${job.progress.filesDone}/${job.progress.filesTotal} files` : '';
    out += `Job ${job.id}: ${job.enabled ? job.state : 'disabled'}${progress}; last run: ${escapeControl(describeResult(job.lastResult))}\n`;
  }
  const { delivered, failed, lastError } = status.notifications;
  out += `Notifications: ${delivered} delivered, ${failed} failed`;
  out += lastError === null ? '\n' : ` (last error: ${escapeControl(lastError)})\n`;
  return out;
}

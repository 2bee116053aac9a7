import type { DaemonEvent } from '../../shared/contract.js';
import type { HistoryEvent } from '../../shared/history-event.js';

/**
 * The history entries one service event stands for: the one place where the daemon's events become
 * history. `history` events carry an entry as is (shown, missed, snoozed, skipped, taken, held);
 * a natural break arrives as the presence wiring's `break` event (see {@link naturalBreakEntry}).
 */
export function historyEntriesOf(event: DaemonEvent | { event: string; data: unknown }): HistoryEvent[] {
  if (event.event === 'history') return [event.data as HistoryEvent];
  if (event.event === 'break') {
    const entry = naturalBreakEntry(event.data);
    return entry ? [entry] : [];
  }
  return [];
}

/**
 * HOOK for the presence wiring (issue 10, w10): its `break` event `{ reminderId, kind: 'natural', at,
 * awayMs }` is recorded as a `natural` break. Held reminders should be emitted as `history` events of
 * kind `held` with the reason (or mapped here from w10's event once its shape is in the contract).
 */
export function naturalBreakEntry(data: unknown): HistoryEvent | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { reminderId, kind, at, awayMs, name } = data as Record<string, unknown>;
  if (typeof reminderId !== 'string' || typeof at !== 'number' || kind !== 'natural') return undefined;
  return {
    at,
    reminderId,
    kind: 'natural',
    ...(typeof name === 'string' && { name }),
    ...(typeof awayMs === 'number' && { count: Math.round(awayMs / 60_000), reason: 'away' }),
  };
}

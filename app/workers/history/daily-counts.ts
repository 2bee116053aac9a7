import type { HistoryEvent, HistoryKind } from '../../shared/history-event.js';
import { DAY_MS } from '../../shared/limits.js';
import { TimeZoneRules } from '../../shared/time-zone.js';

/**
 * Skips and snoozes per reminder and local day: what `maxSkipsPerDay` / `maxSnoozesPerDay` are checked
 * against. Fed by the recorder (and, at start, by today's history), so a daemon restart does not reset
 * the day's count.
 */
export class DailyCounts {
  /** `kind reminderId` → the instants of the last two days (enough for "today" in any zone). */
  readonly #instants = new Map<string, number[]>();
  #rules: TimeZoneRules | null = null;

  add(event: Pick<HistoryEvent, 'kind' | 'reminderId' | 'at'>): void {
    if (event.kind !== 'skipped' && event.kind !== 'snoozed') return;
    const key = `${event.kind} ${event.reminderId}`;
    const instants = (this.#instants.get(key) ?? []).filter((at) => at > event.at - 2 * DAY_MS);
    instants.push(event.at);
    this.#instants.set(key, instants);
  }

  /** How many `kind` events `reminderId` had on the local day of `now` in `timeZone`. */
  count(
    reminderId: string,
    kind: Extract<HistoryKind, 'skipped' | 'snoozed'>,
    now: number,
    timeZone: string,
  ): number {
    if (this.#rules?.timeZone !== timeZone) this.#rules = new TimeZoneRules(timeZone);
    const rules = this.#rules;
    const today = Math.floor(rules.localAt(now) / DAY_MS);
    return (this.#instants.get(`${kind} ${reminderId}`) ?? []).filter(
      (at) => at <= now && Math.floor(rules.localAt(at) / DAY_MS) === today,
    ).length;
  }
}

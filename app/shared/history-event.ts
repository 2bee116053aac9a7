import { z } from 'zod';

/**
 * One line of the history log: something that happened to a reminder. Kinds:
 * - `shown`: a reminder fired (came due and was shown, or would have been had the screen been unlocked);
 * - `missed`: occurrences that passed while the machine slept, coalesced into that firing (`count`);
 * - `snoozed`, `skipped`: the user put it off or dismissed it (CLI, window or notification button);
 * - `taken`: a break taken by hand (`reason: 'button'`: `rest-now` or the Start break button);
 * - `natural`: a break taken by being away long enough (presence, issue 10);
 * - `held`: the reminder came due while the user was away, locked, in do-not-disturb or a meeting (`reason`).
 */
export const historyKinds = ['shown', 'taken', 'snoozed', 'skipped', 'held', 'missed', 'natural'] as const;
export type HistoryKind = (typeof historyKinds)[number];

export const historyEventSchema = z.object({
  /** Wall-clock instant, ms since the epoch. */
  at: z.number(),
  reminderId: z.string(),
  /** The reminder's name as shown then: the log stays readable after the reminder is renamed or removed. */
  name: z.string().optional(),
  kind: z.enum(historyKinds),
  reason: z.string().optional(),
  count: z.number().optional(),
});

export type HistoryEvent = z.infer<typeof historyEventSchema>;

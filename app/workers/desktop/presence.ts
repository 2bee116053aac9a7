/**
 * Whether the user is there to see a reminder: a small state machine in the shape of GNOME Shell's
 * breakManager, fed by the desktop sources (idle time, lock, suspend/resume, do-not-disturb, a fullscreen
 * window, meeting)
 * and the break reminders' lengths. Pure logic on an injected clock: no D-Bus, no timers of its own.
 *
 * Outputs:
 * - {@link Presence.decide}: deliver a reminder that came due now (possibly quietly), or hold it.
 *   A held reminder waits and is released ONCE when its hold ends, in one `release` event with every
 *   other reminder released at that instant (several occurrences of one reminder coalesce into one).
 * - `natural-break`: the user was away (idle, locked or asleep) for at least a break's length, so
 *   that break counts as taken. Emitted when the user is back, once per away stretch and reminder;
 *   a held occurrence of that reminder is satisfied by it (reported in `heldDueAt`), not released.
 * - `recheck`: the machine resumed from sleep; the engine should re-check its deadlines now.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../shared/clock.js';

/** Why reminders are held, in the order status shows them. */
export const HOLD_REASONS = ['idle', 'locked', 'dnd', 'fullscreen', 'meeting'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/**
 * What do-not-disturb (and a fullscreen window, which follows the same policy) does to a reminder: hold it
 * until it ends, deliver it quietly, or ignore it.
 */
export const DND_POLICIES = ['hold', 'quiet', 'ignore'] as const;
export type DndPolicy = (typeof DND_POLICIES)[number];

/** The host events the daemon understands (app/shared/contract.ts `hostEventSchema`). */
export type PresenceHostEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen' | 'idle' | 'active';

/** Idle at least this long (by the idle source) holds reminders, unless configured otherwise. */
export const DEFAULT_IDLE_THRESHOLD_MS = 2 * 60_000;
/** The idle poll never wakes more often than this (the budget: ≤ 1 wake-up per 10 s). */
export const MIN_IDLE_POLL_MS = 10_000;
/** …nor sleeps longer than this, so a return from idle and a wall-clock jump are seen soon enough. */
export const MAX_IDLE_POLL_MS = 30_000;
/** Two idle samples whose stretch starts differ by less than this describe the same stretch (source jitter). */
const SAME_STRETCH_TOLERANCE_MS = 1_000;

export interface PresenceOptions {
  clock: Clock;
  /** Default 'hold'. */
  dndPolicy?: DndPolicy;
  /** Whether a camera or microphone in use holds break reminders. Default true. */
  meetingsHold?: boolean;
  /** Idle time from which the user counts as away (holds reminders). Default {@link DEFAULT_IDLE_THRESHOLD_MS}. */
  idleThresholdMs?: number;
}

/** A break reminder and its break length: idle this long counts as the break taken. */
export interface BreakLength {
  reminderId: string;
  lengthMs: number;
}

/** A reminder that just came due. `isBreak`: a break reminder (meetings hold only those). */
export interface DueReminder {
  reminderId: string;
  dueAt: number;
  isBreak: boolean;
}

export type Decision = { action: 'deliver'; quiet: boolean } | { action: 'hold'; reasons: HoldReason[] };

/** A reminder waiting for its hold to end; occurrences of one reminder coalesce. */
export interface HeldReminder {
  reminderId: string;
  isBreak: boolean;
  firstDueAt: number;
  lastDueAt: number;
  occurrences: number;
}

export interface ReleaseEvent {
  at: number;
  /** Deliver each once; `quiet` when DND is on under the 'quiet' policy. */
  reminders: HeldReminder[];
  quiet: boolean;
}

export interface NaturalBreakEvent {
  reminderId: string;
  breakLengthMs: number;
  /** How long the user was away (at least; idle sources are sampled). */
  awayMs: number;
  /** Why: the longest-running away condition of the stretch. */
  source: 'idle' | 'locked' | 'asleep';
  /** When the user came back: the reminder's clock restarts from here. */
  endedAt: number;
  /** The due instant of an occurrence held during the stretch, which this break satisfies; null if none. */
  heldDueAt: number | null;
}

export interface PresenceEvents {
  'held-changed': [{ held: HoldReason[] }];
  release: [ReleaseEvent];
  'natural-break': [NaturalBreakEvent];
  recheck: [{ reason: 'resume'; sleptMs: number }];
}

/** A snapshot for status: the state (breakManager-style) and the hold reasons. */
export interface PresenceState {
  state: 'active' | 'idle' | 'locked' | 'asleep';
  held: HoldReason[];
  dnd: boolean;
  fullscreen: boolean;
  meeting: boolean;
  idleMs: number | null;
  heldReminders: HeldReminder[];
}

/**
 * The delay until the next idle poll, given the idle time just read: the poll lands where the idle
 * time would next cross a threshold that matters (a break length, the idle threshold) if the user
 * stays away, clamped to [{@link MIN_IDLE_POLL_MS}, {@link MAX_IDLE_POLL_MS}]; once the user is past
 * the idle threshold (reminders held), the minimum, so a return is seen within 10 s.
 */
export function idlePollDelayMs(
  idleMs: number,
  thresholdsMs: readonly number[],
  idleThresholdMs: number = DEFAULT_IDLE_THRESHOLD_MS,
): number {
  if (idleMs >= idleThresholdMs) return MIN_IDLE_POLL_MS;
  let next = Infinity;
  for (const threshold of [...thresholdsMs, idleThresholdMs]) {
    if (threshold > idleMs) next = Math.min(next, threshold - idleMs);
  }
  return Math.min(MAX_IDLE_POLL_MS, Math.max(MIN_IDLE_POLL_MS, next));
}

function checkOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be from ${min} to ${max} ms (got ${value})`);
  }
  return value;
}

export class Presence extends EventEmitter<PresenceEvents> {
  readonly #clock: Clock;
  #dndPolicy: DndPolicy;
  #meetingsHold: boolean;
  #idleThresholdMs: number;
  #breaks: BreakLength[] = [];

  // Away conditions, each with the wall instant it began.
  #lockedSince: number | null = null;
  #asleepSince: number | null = null;
  /** Idle as the host reported it ('idle' / 'active' events), since when. */
  #hostIdleSince: number | null = null;
  /** The idle source's current stretch: began at (now − idle time), longest idle time seen in it. */
  #stretchStart: number | null = null;
  #stretchSeenMs = 0;
  #sampledIdleMs: number | null = null;

  #dnd = false;
  #fullscreen = false;
  #meeting = false;
  readonly #held = new Map<string, HeldReminder>();
  /** Per reminder, the end of the last away stretch counted as its natural break (so overlapping sources count once). */
  readonly #lastBreakEnd = new Map<string, number>();
  #lastReasons: HoldReason[] = [];

  constructor(options: PresenceOptions) {
    super();
    this.#clock = options.clock;
    this.#dndPolicy = options.dndPolicy ?? 'hold';
    if (!DND_POLICIES.includes(this.#dndPolicy)) {
      throw new RangeError(
        `dndPolicy must be one of ${DND_POLICIES.join(', ')} (got ${String(this.#dndPolicy)})`,
      );
    }
    this.#meetingsHold = options.meetingsHold ?? true;
    this.#idleThresholdMs = checkOption(
      'idleThresholdMs',
      options.idleThresholdMs ?? DEFAULT_IDLE_THRESHOLD_MS,
      1_000,
      24 * 60 * 60_000,
    );
  }

  /** The break reminders and their lengths (replaces the previous list). */
  setBreaks(breaks: readonly BreakLength[]): void {
    for (const entry of breaks)
      checkOption(`break ${entry.reminderId} lengthMs`, entry.lengthMs, 1_000, 24 * 60 * 60_000);
    this.#breaks = breaks.map((entry) => ({ ...entry }));
  }

  /** The thresholds the idle poll aims at: every break length (see {@link idlePollDelayMs}). */
  nextIdlePollDelayMs(idleMs: number): number {
    return idlePollDelayMs(
      idleMs,
      this.#breaks.map((entry) => entry.lengthMs),
      this.#idleThresholdMs,
    );
  }

  setDndPolicy(policy: DndPolicy): void {
    if (!DND_POLICIES.includes(policy)) {
      throw new RangeError(`dndPolicy must be one of ${DND_POLICIES.join(', ')} (got ${String(policy)})`);
    }
    this.#dndPolicy = policy;
    this.#update();
  }

  /** Idle from this long counts as away (a settings change). */
  setIdleThresholdMs(thresholdMs: number): void {
    this.#idleThresholdMs = checkOption('idleThresholdMs', thresholdMs, 1_000, 24 * 60 * 60_000);
    this.#update();
  }

  /** The hold reasons that apply to a reminder coming due now (meetings hold break reminders only). */
  reasonsFor(isBreak: boolean): HoldReason[] {
    return this.#reasonsFor(isBreak);
  }

  setMeetingsHold(enabled: boolean): void {
    this.#meetingsHold = enabled;
    this.#update();
  }

  /** The desktop's do-not-disturb turned on or off. */
  setDnd(on: boolean): void {
    if (this.#dnd === on) return;
    this.#dnd = on;
    this.#update();
  }

  /** A fullscreen window gained or lost the focus (a video, a presentation, a game); follows the DND policy. */
  setFullscreen(on: boolean): void {
    if (this.#fullscreen === on) return;
    this.#fullscreen = on;
    this.#update();
  }

  /** A camera or microphone started or stopped being used. */
  setMeeting(on: boolean): void {
    if (this.#meeting === on) return;
    this.#meeting = on;
    this.#update();
  }

  /** One reading of the idle source: the user's idle time, now. */
  idleSample(idleMs: number): void {
    if (!Number.isFinite(idleMs) || idleMs < 0)
      throw new RangeError(`idleMs must be a finite number ≥ 0 (got ${idleMs})`);
    const now = this.#clock.now();
    const start = now - idleMs;
    if (this.#stretchStart !== null && start > this.#stretchStart + SAME_STRETCH_TOLERANCE_MS) {
      // The user touched something since the last reading: that stretch is over, lasting at least what we saw.
      this.#awayEnded('idle', this.#stretchStart, this.#stretchStart + this.#stretchSeenMs, start);
      this.#stretchSeenMs = 0;
    }
    this.#stretchStart = start;
    this.#stretchSeenMs = Math.max(this.#stretchSeenMs, idleMs);
    this.#sampledIdleMs = idleMs;
    this.#update();
  }

  /** A host event: from the Electron host's powerMonitor or the headless D-Bus sources. */
  hostEvent(event: PresenceHostEvent): void {
    const now = this.#clock.now();
    switch (event) {
      case 'suspend':
        this.#asleepSince ??= now;
        break;
      case 'resume': {
        const since = this.#asleepSince;
        this.#asleepSince = null;
        if (since !== null) this.#awayEnded('asleep', since, now, now);
        this.emit('recheck', { reason: 'resume', sleptMs: since === null ? 0 : now - since });
        break;
      }
      case 'lock-screen':
        this.#lockedSince ??= now;
        break;
      case 'unlock-screen': {
        const since = this.#lockedSince;
        this.#lockedSince = null;
        if (since !== null) this.#awayEnded('locked', since, now, now);
        this.#endHostIdle(now); // unlocking is input
        break;
      }
      case 'idle':
        this.#hostIdleSince ??= now;
        break;
      case 'active':
        this.#endHostIdle(now);
        break;
    }
    this.#update();
  }

  /**
   * A reminder came due now: deliver it (quietly under DND 'quiet'), or hold it until every reason that
   * applies to it ends. Meetings hold break reminders only.
   */
  decide(due: DueReminder): Decision {
    const reasons = this.#reasonsFor(due.isBreak);
    if (reasons.length === 0) return { action: 'deliver', quiet: this.#quiet() };
    const held = this.#held.get(due.reminderId);
    if (held) {
      held.lastDueAt = Math.max(held.lastDueAt, due.dueAt);
      held.firstDueAt = Math.min(held.firstDueAt, due.dueAt);
      held.occurrences++;
    } else {
      this.#held.set(due.reminderId, {
        reminderId: due.reminderId,
        isBreak: due.isBreak,
        firstDueAt: due.dueAt,
        lastDueAt: due.dueAt,
        occurrences: 1,
      });
    }
    return { action: 'hold', reasons };
  }

  /** A reminder was removed or disabled: its held occurrence (if any) goes with it. */
  forget(reminderId: string): void {
    this.#held.delete(reminderId);
    this.#lastBreakEnd.delete(reminderId);
  }

  /** The reasons holding (some) reminders now, in {@link HOLD_REASONS} order. */
  held(): HoldReason[] {
    return HOLD_REASONS.filter((reason) => this.#active(reason));
  }

  state(): PresenceState {
    const state =
      this.#asleepSince !== null
        ? 'asleep'
        : this.#lockedSince !== null
          ? 'locked'
          : this.#isIdle()
            ? 'idle'
            : 'active';
    return {
      state,
      held: this.held(),
      dnd: this.#dnd,
      fullscreen: this.#fullscreen,
      meeting: this.#meeting,
      idleMs: this.#sampledIdleMs,
      heldReminders: [...this.#held.values()].map((entry) => ({ ...entry })),
    };
  }

  #endHostIdle(now: number): void {
    const since = this.#hostIdleSince;
    this.#hostIdleSince = null;
    if (since !== null) this.#awayEnded('idle', since, now, now);
  }

  #isIdle(): boolean {
    return (
      this.#hostIdleSince !== null ||
      (this.#sampledIdleMs !== null && this.#sampledIdleMs >= this.#idleThresholdMs)
    );
  }

  #active(reason: HoldReason): boolean {
    switch (reason) {
      case 'idle':
        return this.#isIdle();
      case 'locked':
        return this.#lockedSince !== null;
      case 'dnd':
        return this.#dnd && this.#dndPolicy === 'hold';
      case 'fullscreen':
        return this.#fullscreen && this.#dndPolicy === 'hold';
      case 'meeting':
        return this.#meeting && this.#meetingsHold;
    }
  }

  #reasonsFor(isBreak: boolean): HoldReason[] {
    return this.held().filter((reason) => reason !== 'meeting' || isBreak);
  }

  #quiet(): boolean {
    return (this.#dnd || this.#fullscreen) && this.#dndPolicy === 'quiet';
  }

  /**
   * An away stretch [startedAt, seenUntil] ended (the user is back at `endedAt`): every break no
   * longer than it counts as taken, unless an overlapping stretch already counted it.
   */
  #awayEnded(
    source: NaturalBreakEvent['source'],
    startedAt: number,
    seenUntil: number,
    endedAt: number,
  ): void {
    const awayMs = seenUntil - startedAt;
    for (const entry of this.#breaks) {
      if (entry.lengthMs > awayMs) continue;
      const lastEnd = this.#lastBreakEnd.get(entry.reminderId);
      if (lastEnd !== undefined && startedAt < lastEnd - SAME_STRETCH_TOLERANCE_MS) continue;
      this.#lastBreakEnd.set(entry.reminderId, endedAt);
      const held = this.#held.get(entry.reminderId);
      this.#held.delete(entry.reminderId);
      this.emit('natural-break', {
        reminderId: entry.reminderId,
        breakLengthMs: entry.lengthMs,
        awayMs,
        source,
        endedAt,
        heldDueAt: held ? held.firstDueAt : null,
      });
    }
  }

  /** Recomputes the hold; releases, in one event, every held reminder no reason applies to any more. */
  #update(): void {
    const reasons = this.held();
    if (reasons.join() !== this.#lastReasons.join()) {
      this.#lastReasons = reasons;
      this.emit('held-changed', { held: reasons });
    }
    if (this.#held.size === 0) return;
    const released: HeldReminder[] = [];
    for (const entry of this.#held.values()) {
      if (this.#reasonsFor(entry.isBreak).length === 0) released.push(entry);
    }
    if (released.length === 0) return;
    for (const entry of released) this.#held.delete(entry.reminderId);
    this.emit('release', { at: this.#clock.now(), reminders: released, quiet: this.#quiet() });
  }
}

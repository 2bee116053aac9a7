import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../shared/virtual-clock.js';
import {
  idlePollDelayMs,
  MAX_IDLE_POLL_MS,
  MIN_IDLE_POLL_MS,
  Presence,
  type NaturalBreakEvent,
  type PresenceOptions,
  type ReleaseEvent,
} from './presence.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function setup(options: Partial<PresenceOptions> = {}) {
  const clock = new VirtualClock();
  const presence = new Presence({ clock, ...options });
  const releases: ReleaseEvent[] = [];
  const breaks: NaturalBreakEvent[] = [];
  const rechecks: number[] = [];
  const holds: string[][] = [];
  presence.on('release', (event) => releases.push(event));
  presence.on('natural-break', (event) => breaks.push(event));
  presence.on('recheck', (event) => rechecks.push(event.sleptMs));
  presence.on('held-changed', (event) => holds.push(event.held));
  return { clock, presence, releases, breaks, rechecks, holds };
}

const rest = (dueAt: number) => ({ reminderId: 'rest-eyes', dueAt, isBreak: true });
const water = (dueAt: number) => ({ reminderId: 'water', dueAt, isBreak: false });

describe('holding and releasing', () => {
  it('delivers at once when nothing holds', () => {
    const { clock, presence } = setup();
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'deliver', quiet: false });
    expect(presence.held()).toEqual([]);
  });

  it('a reminder due while locked fires once on unlock', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('lock-screen');
    const dueAt = clock.now();
    expect(presence.decide(rest(dueAt))).toEqual({ action: 'hold', reasons: ['locked'] });
    clock.advance(10 * MINUTE);
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(1);
    expect(releases[0]?.reminders).toEqual([
      { reminderId: 'rest-eyes', isBreak: true, firstDueAt: dueAt, lastDueAt: dueAt, occurrences: 1 },
    ]);
    presence.hostEvent('lock-screen');
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(1); // released once, never again
  });

  it('several occurrences of one reminder held → one release entry, coalesced', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('lock-screen');
    const first = clock.now();
    presence.decide(rest(first));
    clock.advance(20 * MINUTE);
    presence.decide(rest(clock.now()));
    clock.advance(20 * MINUTE);
    const last = clock.now();
    presence.decide(rest(last));
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(1);
    expect(releases[0]?.reminders).toEqual([
      { reminderId: 'rest-eyes', isBreak: true, firstDueAt: first, lastDueAt: last, occurrences: 3 },
    ]);
  });

  it('several held reminders are released in ONE event, one entry each', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('lock-screen');
    presence.decide(rest(clock.now()));
    presence.decide(water(clock.now()));
    presence.decide({ reminderId: 'stretch', dueAt: clock.now(), isBreak: true });
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(1);
    expect(releases[0]?.reminders.map((r) => r.reminderId)).toEqual(['rest-eyes', 'water', 'stretch']);
  });

  it('a reminder held for two reasons waits until both end', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('lock-screen');
    presence.setDnd(true);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'hold', reasons: ['locked', 'dnd'] });
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(0);
    presence.setDnd(false);
    expect(releases).toHaveLength(1);
  });

  it('a reminder due while idle (by the idle source) waits until the user is back', () => {
    const { clock, presence, releases } = setup({ idleThresholdMs: 2 * MINUTE });
    presence.idleSample(3 * MINUTE);
    expect(presence.held()).toEqual(['idle']);
    expect(presence.decide(water(clock.now()))).toEqual({ action: 'hold', reasons: ['idle'] });
    clock.advance(10 * SECOND);
    presence.idleSample(3 * MINUTE + 10 * SECOND);
    expect(releases).toHaveLength(0);
    clock.advance(10 * SECOND);
    presence.idleSample(2 * SECOND); // input 2 s ago: back
    expect(presence.held()).toEqual([]);
    expect(releases.map((r) => r.reminders.map((x) => x.reminderId))).toEqual([['water']]);
  });

  it('idle below the threshold holds nothing', () => {
    const { clock, presence } = setup({ idleThresholdMs: 2 * MINUTE });
    presence.idleSample(119 * SECOND);
    expect(presence.decide(water(clock.now())).action).toBe('deliver');
  });

  it("the host's idle / active events hold and release too", () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('idle');
    expect(presence.decide(water(clock.now())).action).toBe('hold');
    presence.hostEvent('active');
    expect(releases).toHaveLength(1);
  });

  it('unlocking also ends a host-reported idle (unlocking is input)', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('idle');
    presence.hostEvent('lock-screen');
    presence.decide(water(clock.now()));
    presence.hostEvent('unlock-screen');
    expect(presence.held()).toEqual([]);
    expect(releases).toHaveLength(1);
  });

  it('a forgotten (removed) reminder is not released', () => {
    const { clock, presence, releases } = setup();
    presence.hostEvent('lock-screen');
    presence.decide(water(clock.now()));
    presence.forget('water');
    presence.hostEvent('unlock-screen');
    expect(releases).toHaveLength(0);
  });

  it('held-changed reports each change of the reasons once', () => {
    const { presence, holds } = setup();
    presence.hostEvent('lock-screen');
    presence.hostEvent('lock-screen');
    presence.setMeeting(true);
    presence.hostEvent('unlock-screen');
    presence.setMeeting(false);
    expect(holds).toEqual([['locked'], ['locked', 'meeting'], ['meeting'], []]);
  });
});

describe('do not disturb', () => {
  it("'hold' holds every reminder until DND ends", () => {
    const { clock, presence, releases } = setup({ dndPolicy: 'hold' });
    presence.setDnd(true);
    expect(presence.decide(water(clock.now()))).toEqual({ action: 'hold', reasons: ['dnd'] });
    presence.setDnd(false);
    expect(releases[0]?.reminders.map((r) => r.reminderId)).toEqual(['water']);
    expect(releases[0]?.quiet).toBe(false);
  });

  it("'quiet' delivers at once, quietly", () => {
    const { clock, presence } = setup({ dndPolicy: 'quiet' });
    presence.setDnd(true);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'deliver', quiet: true });
    expect(presence.held()).toEqual([]);
    presence.setDnd(false);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'deliver', quiet: false });
  });

  it("'quiet' releases a reminder held for another reason quietly while DND is still on", () => {
    const { clock, presence, releases } = setup({ dndPolicy: 'quiet' });
    presence.setDnd(true);
    presence.hostEvent('lock-screen');
    presence.decide(rest(clock.now()));
    presence.hostEvent('unlock-screen');
    expect(releases[0]?.quiet).toBe(true);
  });

  it("'ignore' delivers normally under DND", () => {
    const { clock, presence } = setup({ dndPolicy: 'ignore' });
    presence.setDnd(true);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'deliver', quiet: false });
  });

  it('switching the policy from hold to ignore releases what DND held', () => {
    const { clock, presence, releases } = setup({ dndPolicy: 'hold' });
    presence.setDnd(true);
    presence.decide(rest(clock.now()));
    presence.setDndPolicy('ignore');
    expect(releases).toHaveLength(1);
  });

  it('refuses an unknown policy, naming the allowed ones', () => {
    const clock = new VirtualClock();
    expect(() => new Presence({ clock, dndPolicy: 'loud' as never })).toThrow(
      /dndPolicy must be one of hold, quiet, ignore \(got loud\)/,
    );
  });
});

describe('a fullscreen window', () => {
  it('holds a reminder while a fullscreen window has the focus and releases it once after', () => {
    const { clock, presence, releases, holds } = setup();
    presence.setFullscreen(true);
    const dueAt = clock.now();
    expect(presence.decide(water(dueAt))).toEqual({ action: 'hold', reasons: ['fullscreen'] });
    clock.advance(20 * MINUTE);
    presence.decide(water(clock.now()));
    presence.setFullscreen(true); // the poll reads it again: no change
    expect(releases).toHaveLength(0);
    presence.setFullscreen(false);
    expect(releases).toHaveLength(1);
    expect(releases[0]?.reminders).toEqual([
      { reminderId: 'water', isBreak: false, firstDueAt: dueAt, lastDueAt: clock.now(), occurrences: 2 },
    ]);
    expect(releases[0]?.quiet).toBe(false);
    presence.setFullscreen(true);
    presence.setFullscreen(false);
    expect(releases).toHaveLength(1); // released once, never again
    expect(holds).toEqual([['fullscreen'], [], ['fullscreen'], []]);
  });

  it("follows the DND policy: 'quiet' delivers quietly, 'ignore' delivers as usual", () => {
    const quiet = setup({ dndPolicy: 'quiet' });
    quiet.presence.setFullscreen(true);
    expect(quiet.presence.decide(rest(quiet.clock.now()))).toEqual({ action: 'deliver', quiet: true });
    expect(quiet.presence.held()).toEqual([]);

    const ignore = setup({ dndPolicy: 'ignore' });
    ignore.presence.setFullscreen(true);
    expect(ignore.presence.decide(rest(ignore.clock.now()))).toEqual({ action: 'deliver', quiet: false });
  });

  it('a reminder held for DND and fullscreen waits for both, and status names both', () => {
    const { clock, presence, releases } = setup();
    presence.setDnd(true);
    presence.setFullscreen(true);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'hold', reasons: ['dnd', 'fullscreen'] });
    expect(presence.state()).toMatchObject({ dnd: true, fullscreen: true, held: ['dnd', 'fullscreen'] });
    presence.setDnd(false);
    expect(releases).toHaveLength(0);
    presence.setFullscreen(false);
    expect(releases).toHaveLength(1);
  });
});

describe('meetings', () => {
  it('hold break reminders, then fire once after', () => {
    const { clock, presence, releases } = setup();
    presence.setMeeting(true);
    expect(presence.decide(rest(clock.now()))).toEqual({ action: 'hold', reasons: ['meeting'] });
    clock.advance(30 * MINUTE);
    presence.decide(rest(clock.now()));
    presence.setMeeting(false);
    expect(releases).toHaveLength(1);
    expect(releases[0]?.reminders[0]?.occurrences).toBe(2);
  });

  it('do not hold other reminders', () => {
    const { clock, presence } = setup();
    presence.setMeeting(true);
    expect(presence.decide(water(clock.now())).action).toBe('deliver');
  });

  it('hold nothing when the setting is off, and turning it off releases', () => {
    const { clock, presence, releases } = setup({ meetingsHold: true });
    presence.setMeeting(true);
    presence.decide(rest(clock.now()));
    presence.setMeetingsHold(false);
    expect(releases).toHaveLength(1);
    expect(presence.decide(rest(clock.now())).action).toBe('deliver');
  });

  it('a non-break reminder held by a lock is released on unlock even during a meeting; the break waits', () => {
    const { clock, presence, releases } = setup();
    presence.setMeeting(true);
    presence.hostEvent('lock-screen');
    presence.decide(rest(clock.now()));
    presence.decide(water(clock.now()));
    presence.hostEvent('unlock-screen');
    expect(releases.map((r) => r.reminders.map((x) => x.reminderId))).toEqual([['water']]);
    presence.setMeeting(false);
    expect(releases.map((r) => r.reminders.map((x) => x.reminderId))).toEqual([['water'], ['rest-eyes']]);
  });
});

describe('natural breaks', () => {
  it('a 5-minute idle counts as the hourly rest break taken, once, when the user is back', () => {
    const { clock, presence, breaks } = setup();
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.idleSample(0);
    for (let idle = 10 * SECOND; idle <= 5 * MINUTE + 20 * SECOND; idle += 10 * SECOND) {
      clock.advance(10 * SECOND);
      presence.idleSample(idle);
    }
    expect(breaks).toEqual([]); // still away: counted when back
    clock.advance(10 * SECOND);
    const backAt = clock.now() - 3 * SECOND;
    presence.idleSample(3 * SECOND);
    expect(breaks).toEqual([
      {
        reminderId: 'rest-eyes',
        breakLengthMs: 5 * MINUTE,
        awayMs: 5 * MINUTE + 20 * SECOND,
        source: 'idle',
        endedAt: backAt,
        heldDueAt: null,
      },
    ]);
    clock.advance(10 * SECOND);
    presence.idleSample(13 * SECOND);
    expect(breaks).toHaveLength(1);
  });

  it('idle shorter than the break is not a break', () => {
    const { clock, presence, breaks } = setup();
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.idleSample(0);
    clock.advance(4 * MINUTE);
    presence.idleSample(4 * MINUTE);
    clock.advance(30 * SECOND);
    presence.idleSample(1 * SECOND);
    expect(breaks).toEqual([]);
  });

  it('each break counts by its own length', () => {
    const { clock, presence, breaks } = setup();
    presence.setBreaks([
      { reminderId: 'eyes', lengthMs: 20 * SECOND },
      { reminderId: 'walk', lengthMs: 10 * MINUTE },
    ]);
    presence.idleSample(0);
    clock.advance(30 * SECOND);
    presence.idleSample(30 * SECOND);
    clock.advance(10 * SECOND);
    presence.idleSample(0);
    expect(breaks.map((b) => b.reminderId)).toEqual(['eyes']);
  });

  it('a break reminder held while away is satisfied by the natural break, not released', () => {
    const { clock, presence, breaks, releases } = setup({ idleThresholdMs: 2 * MINUTE });
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.idleSample(0);
    clock.advance(6 * MINUTE);
    presence.idleSample(6 * MINUTE);
    const dueAt = clock.now();
    presence.decide(rest(dueAt));
    presence.decide(water(dueAt));
    clock.advance(10 * SECOND);
    presence.idleSample(1 * SECOND);
    expect(breaks.map((b) => [b.reminderId, b.heldDueAt])).toEqual([['rest-eyes', dueAt]]);
    expect(releases.map((r) => r.reminders.map((x) => x.reminderId))).toEqual([['water']]);
  });

  it('a lock as long as the break counts, once, even when the idle source saw the same stretch', () => {
    const { clock, presence, breaks } = setup();
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.idleSample(0);
    clock.advance(1 * MINUTE);
    presence.idleSample(1 * MINUTE);
    presence.hostEvent('lock-screen');
    clock.advance(6 * MINUTE);
    presence.idleSample(7 * MINUTE);
    presence.hostEvent('unlock-screen');
    clock.advance(5 * SECOND);
    presence.idleSample(5 * SECOND);
    expect(breaks).toHaveLength(1);
    expect(breaks[0]?.source).toBe('locked');
  });

  it('a suspend as long as the break counts as the break, and resume asks for a recheck', () => {
    const { clock, presence, breaks, rechecks } = setup();
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.hostEvent('suspend');
    clock.suspend(30 * MINUTE);
    presence.hostEvent('resume');
    expect(rechecks).toEqual([30 * MINUTE]);
    expect(breaks.map((b) => [b.reminderId, b.source, b.awayMs])).toEqual([
      ['rest-eyes', 'asleep', 30 * MINUTE],
    ]);
  });

  it('a resume without a seen suspend still asks for a recheck', () => {
    const { presence, rechecks, breaks } = setup();
    presence.setBreaks([{ reminderId: 'rest-eyes', lengthMs: 5 * MINUTE }]);
    presence.hostEvent('resume');
    expect(rechecks).toEqual([0]);
    expect(breaks).toEqual([]);
  });

  it('refuses a bad break length, naming the reminder and the range', () => {
    const { presence } = setup();
    expect(() => presence.setBreaks([{ reminderId: 'x', lengthMs: 0 }])).toThrow(
      /break x lengthMs must be from 1000 to 86400000 ms \(got 0\)/,
    );
  });

  it('state() follows the breakManager shape', () => {
    const { clock, presence } = setup();
    expect(presence.state().state).toBe('active');
    presence.idleSample(3 * MINUTE);
    expect(presence.state().state).toBe('idle');
    presence.hostEvent('lock-screen');
    expect(presence.state().state).toBe('locked');
    presence.hostEvent('suspend');
    expect(presence.state().state).toBe('asleep');
    clock.suspend(MINUTE);
    presence.hostEvent('resume');
    presence.hostEvent('unlock-screen');
    presence.idleSample(0);
    expect(presence.state()).toMatchObject({ state: 'active', held: [], idleMs: 0 });
  });
});

describe('idle poll interval', () => {
  it('never polls more often than every 10 s, nor less than every 30 s', () => {
    for (const idle of [0, 1, 9_999, 19_000, 60_000, 119_000, 3_600_000]) {
      const delay = idlePollDelayMs(idle, [20 * SECOND, 5 * MINUTE]);
      expect(delay).toBeGreaterThanOrEqual(MIN_IDLE_POLL_MS);
      expect(delay).toBeLessThanOrEqual(MAX_IDLE_POLL_MS);
    }
  });

  it('aims at the next threshold the idle time would cross', () => {
    expect(idlePollDelayMs(0, [5 * MINUTE], 2 * MINUTE)).toBe(MAX_IDLE_POLL_MS);
    expect(idlePollDelayMs(100 * SECOND, [5 * MINUTE], 2 * MINUTE)).toBe(20 * SECOND);
    expect(idlePollDelayMs(4 * MINUTE + 45 * SECOND, [5 * MINUTE], 10 * MINUTE)).toBe(15 * SECOND);
  });

  it('polls every 10 s once away, to see the return', () => {
    expect(idlePollDelayMs(3 * MINUTE, [5 * MINUTE], 2 * MINUTE)).toBe(MIN_IDLE_POLL_MS);
  });
});

import { describe, expect, it } from 'vitest';
import { RestartPolicy, type RestartDecision } from './restart-policy.js';
import { VirtualClock } from '../shared/virtual-clock.js';

const GIVE_UP_REASON = 'the daemon crashed 5 times in 60 s; giving up — see the log above';

/** A daemon that dies `runMs` after each start; the host restarts it exactly when told. */
function crashLoop(
  policy: RestartPolicy,
  clock: VirtualClock,
  crashes: number,
  runMs: number,
): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  for (let i = 0; i < crashes; i++) {
    policy.recordStart();
    clock.advance(runMs);
    const decision = policy.recordCrash();
    decisions.push(decision);
    if (decision.action === 'give-up') break;
    clock.advance(decision.delayMs);
  }
  return decisions;
}

const delaysOf = (decisions: RestartDecision[]) =>
  decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action));

describe('RestartPolicy', () => {
  it('backs off 1, 2, 4, 8, 16 s while crashes stay under 5 per 60 s', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    // 20 s runs: never healthy long enough to reset, never 5 crashes inside one minute.
    expect(delaysOf(crashLoop(policy, clock, 5, 20_000))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('gives up on the 5th crash within 60 s, saying so', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    const decisions = crashLoop(policy, clock, 10, 0);
    expect(delaysOf(decisions)).toEqual([1_000, 2_000, 4_000, 8_000, 'give-up']);
    expect(decisions.at(-1)).toEqual({ action: 'give-up', reason: GIVE_UP_REASON });
    expect(policy.crashesInWindow).toBe(5);
  });

  it('never gives up when crashes are more than 60 s apart, and caps the delay at 30 s', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    const decisions: RestartDecision[] = [];
    for (let i = 0; i < 50; i++) {
      decisions.push(policy.recordCrash());
      clock.advance(61_000);
    }
    expect(decisions.every((d) => d.action === 'restart')).toBe(true);
    expect(delaysOf(decisions).slice(0, 8)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(Math.max(...decisions.map((d) => (d.action === 'restart' ? d.delayMs : 0)))).toBe(30_000);
  });

  it('counts crashes in a sliding window: the 5th within any 60 s gives up', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    for (const gapMs of [0, 20_000, 20_000, 20_000]) {
      clock.advance(gapMs);
      expect(policy.recordCrash().action).toBe('restart');
    }
    // Crashes at 0, 20, 40, 60 s: the first has just left the window, so the 5th at 60 s is only 4 in it.
    expect(policy.recordCrash().action).toBe('restart');
    clock.advance(1_000);
    expect(policy.recordCrash()).toEqual({ action: 'give-up', reason: GIVE_UP_REASON });
  });

  it('starts the backoff over after a run of 60 s without a crash', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    expect(delaysOf(crashLoop(policy, clock, 4, 0))).toEqual([1_000, 2_000, 4_000, 8_000]);

    policy.recordStart();
    clock.advance(59_999);
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 16_000 });

    clock.advance(16_000);
    policy.recordStart();
    clock.advance(60_000);
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 1_000 });
    expect(policy.crashesInWindow).toBe(1);
  });

  it('judges each start once: a crash report without a new start does not reset again', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    policy.recordStart();
    clock.advance(120_000);
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 1_000 });
    clock.advance(120_000);
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 2_000 });
  });

  it('forgets past crashes on recordHealthy()', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    expect(crashLoop(policy, clock, 5, 0).at(-1)?.action).toBe('give-up');
    policy.recordHealthy();
    expect(policy.crashesInWindow).toBe(0);
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 1_000 });
  });

  it('ignores crashes "in the future" after the wall clock jumps back', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock });
    for (let i = 0; i < 4; i++) policy.recordCrash();
    clock.jumpWall(-3_600_000);
    expect(policy.recordCrash().action).toBe('restart');
    expect(policy.crashesInWindow).toBe(1);
  });

  it('takes custom delays, crash count and window, and arms no timers', () => {
    const clock = new VirtualClock();
    const policy = new RestartPolicy({ clock, delaysMs: [50], maxCrashes: 3, windowMs: 1_500 });
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 50 });
    expect(policy.recordCrash()).toEqual({ action: 'restart', delayMs: 50 });
    expect(policy.recordCrash()).toEqual({
      action: 'give-up',
      reason: 'the daemon crashed 3 times in 1.5 s; giving up — see the log above',
    });
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects options a host could not honour', () => {
    expect(() => new RestartPolicy({ delaysMs: [] })).toThrow(RangeError);
    expect(() => new RestartPolicy({ delaysMs: [1_000, -1] })).toThrow(/delaysMs\[1\]/);
    expect(() => new RestartPolicy({ delaysMs: [Number.POSITIVE_INFINITY] })).toThrow(RangeError);
    expect(() => new RestartPolicy({ maxCrashes: 0 })).toThrow(/maxCrashes/);
    expect(() => new RestartPolicy({ maxCrashes: 2.5 })).toThrow(/maxCrashes/);
    expect(() => new RestartPolicy({ windowMs: Number.NaN })).toThrow(/windowMs/);
    expect(() => new RestartPolicy({ healthyAfterMs: -5 })).toThrow(/healthyAfterMs/);
  });
});

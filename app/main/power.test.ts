import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS, IDLE_THRESHOLD_S, forwardPowerEvents, type HostEvent } from './power.js';
import { electronFake, powerMonitor } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => {
  electronFake.reset();
  vi.useFakeTimers();
});

afterEach(() => vi.useRealTimers());

describe('forwardPowerEvents', () => {
  it('forwards suspend, resume, lock-screen and unlock-screen', () => {
    const sent: HostEvent[] = [];
    forwardPowerEvents((event) => sent.push(event));
    for (const name of ['suspend', 'resume', 'lock-screen', 'unlock-screen', 'shutdown'])
      powerMonitor.emit(name);
    expect(sent).toEqual(['suspend', 'resume', 'lock-screen', 'unlock-screen']);
  });

  it('reads the idle time every 10 s: sends readings while the user is away and the first one back, nothing while active', async () => {
    const sent: Array<[HostEvent, number | undefined]> = [];
    // Seconds idle at each poll: typing, then away for 6 minutes (samples), then back.
    const readings = [1, 4, 15, 130, 360, 2, 1, 0];
    powerMonitor.getSystemIdleTime.mockImplementation(() => readings.shift() ?? 0);
    forwardPowerEvents((event, idleMs) => sent.push([event, idleMs]));
    await vi.advanceTimersByTimeAsync(IDLE_POLL_MS - 1);
    expect(powerMonitor.getSystemIdleTime).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 + 7 * IDLE_POLL_MS);
    expect(powerMonitor.getSystemIdleTime).toHaveBeenCalledTimes(8);
    expect(sent).toEqual([
      ['active', 15_000],
      ['idle', 130_000],
      ['idle', 360_000],
      ['active', 2_000],
    ]);
    expect(IDLE_THRESHOLD_S).toBe(120);
  });

  it('wakes at most once per 10 s for the idle poll', async () => {
    forwardPowerEvents(() => undefined);
    await vi.advanceTimersByTimeAsync(60 * IDLE_POLL_MS);
    expect(powerMonitor.getSystemIdleTime).toHaveBeenCalledTimes(60);
    expect(IDLE_POLL_MS).toBeGreaterThanOrEqual(10_000);
  });

  it('stops forwarding when disposed', async () => {
    const sent: HostEvent[] = [];
    const stop = forwardPowerEvents((event) => sent.push(event));
    stop();
    powerMonitor.emit('resume');
    powerMonitor.getSystemIdleTime.mockImplementation(() => 600);
    await vi.advanceTimersByTimeAsync(5 * IDLE_POLL_MS);
    expect(sent).toEqual([]);
    expect(powerMonitor.listenerCount('resume')).toBe(0);
  });
});

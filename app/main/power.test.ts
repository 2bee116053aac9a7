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

  it('polls the idle state every 30 s and sends only changes', async () => {
    const sent: HostEvent[] = [];
    const states = ['active', 'idle', 'idle', 'locked', 'unknown', 'active', 'active'];
    powerMonitor.getSystemIdleState.mockImplementation(() => states.shift() ?? 'active');
    forwardPowerEvents((event) => sent.push(event));
    await vi.advanceTimersByTimeAsync(IDLE_POLL_MS - 1);
    expect(powerMonitor.getSystemIdleState).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 + 6 * IDLE_POLL_MS);
    expect(powerMonitor.getSystemIdleState).toHaveBeenCalledTimes(7);
    expect(powerMonitor.getSystemIdleState).toHaveBeenCalledWith(IDLE_THRESHOLD_S);
    expect(sent).toEqual(['idle', 'active']);
  });

  it('stops forwarding when disposed', async () => {
    const sent: HostEvent[] = [];
    const stop = forwardPowerEvents((event) => sent.push(event));
    stop();
    powerMonitor.emit('resume');
    powerMonitor.getSystemIdleState.mockImplementation(() => 'idle');
    await vi.advanceTimersByTimeAsync(5 * IDLE_POLL_MS);
    expect(sent).toEqual([]);
    expect(powerMonitor.listenerCount('resume')).toBe(0);
  });
});

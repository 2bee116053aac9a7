import { describe, expect, it } from 'vitest';
import type { HeartbeatMessage } from '../shared/heartbeat.js';
import { HeartbeatMonitor } from './heartbeat.js';
import { VirtualClock } from '../shared/virtual-clock.js';

function monitor(clock: VirtualClock) {
  const pings: HeartbeatMessage[] = [];
  const hung: number[] = [];
  const heartbeat = new HeartbeatMonitor({
    intervalMs: 1_000,
    missedLimit: 3,
    ping: (message) => pings.push(message),
    onHung: (silentForMs) => hung.push(silentForMs),
    clock,
  });
  return { heartbeat, pings, hung };
}

describe('HeartbeatMonitor', () => {
  it('declares the daemon hung after missedLimit pings in a row go unanswered, once', () => {
    const clock = new VirtualClock();
    const { heartbeat, pings, hung } = monitor(clock);
    heartbeat.start();
    clock.advance(3_000);
    expect(pings).toEqual([{ heartbeat: 1 }, { heartbeat: 2 }, { heartbeat: 3 }]);
    expect(hung).toEqual([]);
    clock.advance(1_000);
    expect(hung).toEqual([3_000]);
    clock.advance(10_000);
    expect(hung).toHaveLength(1);
    expect(pings).toHaveLength(3);
  });

  it('any message back starts the count over', () => {
    const clock = new VirtualClock();
    const { heartbeat, hung } = monitor(clock);
    heartbeat.start();
    for (let i = 0; i < 20; i++) {
      clock.advance(2_000);
      heartbeat.alive();
    }
    expect(hung).toEqual([]);
    heartbeat.stop();
  });

  it('refuses an interval or a limit out of range, naming it', () => {
    const options = { ping: () => {}, onHung: () => {} };
    expect(() => new HeartbeatMonitor({ ...options, intervalMs: 0 })).toThrow(
      'heartbeat: intervalMs must be an integer from 1 to 2147483647 (got 0)',
    );
    expect(() => new HeartbeatMonitor({ ...options, missedLimit: 1.5 })).toThrow(/missedLimit/);
  });
});

import { describe, expect, it } from 'vitest';
import { ThroughputMeter } from './throughput.js';

describe('throughput and ETA', () => {
  it('is unknown until there are two samples, then follows the last 5 s', () => {
    const meter = new ThroughputMeter();
    expect(meter.perSecond()).toBe(0);
    expect(meter.etaMs(100)).toBeNull();
    for (let second = 0; second <= 10; second++) meter.record(second * 1000, second * 1000); // 1000/s
    expect(meter.perSecond()).toBe(1000);
    expect(meter.etaMs(5000)).toBe(5000);
    for (let second = 11; second <= 16; second++) meter.record(second * 1000, 10_000 + (second - 10) * 100); // slows to 100/s
    expect(meter.perSecond()).toBe(100);
    expect(meter.etaMs(1000)).toBe(10_000);
  });

  it('says 0 when nothing remains', () => {
    expect(new ThroughputMeter().etaMs(0)).toBe(0);
  });
});

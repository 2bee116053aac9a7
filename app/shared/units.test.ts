import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesPerSecond } from './units.js';

describe('sizes and speeds', () => {
  it('bytes in binary units, a fraction of a byte rounded', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
    expect(formatBytes(21.62162162162162)).toBe('22 B');
  });

  it('a speed has at most one decimal, never the raw division', () => {
    expect(formatBytesPerSecond(21.62162162162162)).toBe('21.6 B/s');
    expect(formatBytesPerSecond(1.2 * 1024 * 1024)).toBe('1.2 MiB/s');
    expect(formatBytesPerSecond(0)).toBe('0 B/s');
    expect(formatBytesPerSecond(Number.NaN)).toBe('0 B/s');
  });
});

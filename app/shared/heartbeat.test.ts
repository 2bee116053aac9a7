import { describe, expect, it } from 'vitest';
import { isHeartbeat } from './heartbeat.js';

describe('isHeartbeat', () => {
  it('tells its own messages from the contract', () => {
    expect(isHeartbeat({ heartbeat: 3 })).toBe(true);
    expect(isHeartbeat({ id: 1, method: 'ping', heartbeat: 3 })).toBe(false);
    expect(isHeartbeat({ event: 'status', heartbeat: 3 })).toBe(false);
    expect(isHeartbeat(null)).toBe(false);
  });
});

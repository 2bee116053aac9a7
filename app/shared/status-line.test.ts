import { describe, expect, it } from 'vitest';
import type { Status } from './contract.js';
import { statusLine } from './status-line.js';
import { formatCountdown } from './time-format.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const base = {
  locale: 'en',
  paused: false,
  pausedUntil: null,
  nextReminder: { id: 'rest-eyes', name: 'Rest your eyes', dueAt: NOW + 59 * 60_000 + 58_000 },
  timers: [],
} as unknown as Status;

describe('the status line of `mytimer run` and the tray', () => {
  it('counts down in m:ss, or h:mm:ss past an hour, never below 0:00', () => {
    expect(formatCountdown(59 * 60_000 + 58_000)).toBe('59:58');
    expect(formatCountdown(3_600_000 + 62_000)).toBe('1:01:02');
    expect(formatCountdown(-5_000)).toBe('0:00');
    expect(formatCountdown(1)).toBe('0:01');
  });

  it('shows the next reminder, a pause, or running timers, in the daemon language', () => {
    expect(statusLine(base, NOW)).toBe('Next: Rest your eyes in 59:58');
    expect(statusLine({ ...base, paused: true }, NOW)).toBe('Paused');
    expect(statusLine({ ...base, locale: 'zh-CN', nextReminder: null }, NOW)).toBe('没有已安排的提醒');
    const timers = [
      { name: 'tea', state: 'running', remainingMs: 90_000, endsAt: NOW + 90_000 },
    ] as Status['timers'];
    expect(statusLine({ ...base, timers }, NOW)).toBe('Next: Rest your eyes in 59:58 · tea 1:30');
  });

  it('shows control characters in names as escapes, so a name cannot move the cursor', () => {
    const timers = [
      { name: 'tea\r\u001b[K', state: 'running', remainingMs: 90_000, endsAt: NOW + 90_000 },
    ] as Status['timers'];
    const line = statusLine(
      { ...base, nextReminder: { id: 'x', name: 'a\nb\u001b[2J', dueAt: NOW + 60_000 }, timers },
      NOW,
    );
    expect(line).toBe('Next: a\\nb\\x1b[2J in 1:00 · tea\\r\\x1b[K 1:30');
  });
});

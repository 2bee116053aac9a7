import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, MONDAY_9AM, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('status of a reminder outside its working hours', () => {
  it('carries the instant it may speak again; nothing for a reminder inside its hours', async () => {
    await home.writeSettings(
      settingsWith([
        {
          id: 'water',
          name: 'Water',
          schedule: { kind: 'every', intervalMs: 45 * MINUTE },
          workingHours: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '18:00' }],
        },
        { id: 'rest-eyes', schedule: { kind: 'every', intervalMs: HOUR } },
      ]),
    );
    const sut = await home.open(); // Monday 09:00 UTC: Water's 09:45 is before the office opens
    const status = sut.service.status();
    expect(status.nextReminder).toMatchObject({ id: 'water', quietUntil: MONDAY_9AM + HOUR });
    expect(status.upcoming).toMatchObject([
      { id: 'water', dueAt: MONDAY_9AM + 45 * MINUTE, quietUntil: MONDAY_9AM + HOUR },
      { id: 'rest-eyes' },
    ]);
    expect(status.upcoming[1]).not.toHaveProperty('quietUntil');
  });
});

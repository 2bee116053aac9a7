import { describe, expect, it } from 'vitest';
import { reminderSchema } from '../../shared/settings.js';
import { displayMessage, displayName } from './reminders.js';

const reminder = (input: object) =>
  reminderSchema.parse({ schedule: { kind: 'every', intervalMs: 60_000 }, ...input });

describe('what a reminder says', () => {
  it('a custom reminder without a message says its name, not "Don\'t code — rest your eyes"', () => {
    const water = reminder({ id: 'water', name: 'Water' });
    expect([displayName(water, 'en'), displayMessage(water, 'en')]).toEqual(['Water', 'Water']);
  });

  it('the default reminder keeps the localized rest message, even when renamed', () => {
    expect(displayMessage(reminder({ id: 'rest-eyes' }), 'en')).toBe("Don't code — rest your eyes");
    expect(displayMessage(reminder({ id: 'rest-eyes', name: 'Eyes' }), 'en')).toBe(
      "Don't code — rest your eyes",
    );
    expect(displayMessage(reminder({ id: 'rest-eyes' }), 'zh-CN')).toBe('不要 Coding，休息一下眼睛吧');
  });

  it('a reminder with neither name nor message shows the built-in ones', () => {
    const bare = reminder({ id: 'reminder-1' });
    expect([displayName(bare, 'en'), displayMessage(bare, 'en')]).toEqual([
      'Rest your eyes',
      "Don't code — rest your eyes",
    ]);
  });

  it('its own message wins', () => {
    expect(displayMessage(reminder({ id: 'water', name: 'Water', message: 'Drink' }), 'en')).toBe('Drink');
  });
});

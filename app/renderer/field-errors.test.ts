import { describe, expect, it } from 'vitest';
import { fieldOf } from './field-errors.js';

describe('the form field a daemon error names', () => {
  it('drops the request prefix and keeps the first field', () => {
    expect(fieldOf('params.reminder.priority')).toBe('priority');
    expect(fieldOf('params.patch.priority')).toBe('priority');
    expect(fieldOf('params.reminder.schedule.intervalMs')).toBe('schedule');
    expect(fieldOf('params.reminder.workingHours[0].start')).toBe('workingHours');
    expect(fieldOf('params.patch.niceness')).toBe('niceness');
    expect(fieldOf('params.durationMs')).toBe('durationMs');
  });

  it('is undefined when the error names no field', () => {
    expect(fieldOf(undefined)).toBeUndefined();
    expect(fieldOf('')).toBeUndefined();
  });
});

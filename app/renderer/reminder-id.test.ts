import { describe, expect, it } from 'vitest';
import { reminderIdFor } from './reminder-id.js';

describe('a new reminder id', () => {
  it('is the slug of the name', () => {
    expect(reminderIdFor('Drink water', new Set())).toBe('drink-water');
    expect(reminderIdFor('  Café / Pause!! ', new Set())).toBe('cafe-pause');
  });

  it('gets a number when the slug is taken', () => {
    expect(reminderIdFor('Water', new Set(['water']))).toBe('water-2');
    expect(reminderIdFor('Water', new Set(['water', 'water-2']))).toBe('water-3');
  });

  it('is reminder-N for a name without ASCII letters or no name', () => {
    expect(reminderIdFor('喝水', new Set())).toBe('reminder-1');
    expect(reminderIdFor('', new Set(['reminder-1']))).toBe('reminder-2');
  });

  it('always matches the id rule of the settings schema', () => {
    const id = reminderIdFor('x'.repeat(200), new Set(['x'.repeat(60)]));
    expect(id).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
  });
});

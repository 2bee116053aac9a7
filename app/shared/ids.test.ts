import { describe, expect, it } from 'vitest';
import { idFromName, slugify } from './ids.js';

describe('a new id from a name', () => {
  it('is the slug of the name', () => {
    expect(idFromName('Drink water', new Set())).toBe('drink-water');
    expect(idFromName('  Café / Pause!! ', new Set())).toBe('cafe-pause');
  });

  it('gets a number when the slug is taken', () => {
    expect(idFromName('Water', new Set(['water']))).toBe('water-2');
    expect(idFromName('Water', new Set(['water', 'water-2']))).toBe('water-3');
  });

  it('is reminder-N for a name without ASCII letters or no name', () => {
    expect(idFromName('喝水', new Set())).toBe('reminder-1');
    expect(idFromName('', new Set(['reminder-1']))).toBe('reminder-2');
  });

  it('always matches the id rule of the settings schema', () => {
    const id = idFromName('x'.repeat(200), new Set(['x'.repeat(60)]));
    expect(id).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
  });
});

describe('slugs and unique ids (CLI cases)', () => {
  it('slugs names to the id alphabet', () => {
    expect(slugify('  Stretch your Legs!  ')).toBe('stretch-your-legs');
    expect(slugify('Café au lait')).toBe('cafe-au-lait');
    expect(slugify('休息')).toBe('');
    expect(slugify('x'.repeat(80))).toHaveLength(64);
  });

  it('keeps ids unique', () => {
    const taken = new Set(['stretch', 'stretch-2', 'reminder-1']);
    expect(idFromName('Stretch', taken)).toBe('stretch-3');
    expect(idFromName('Water', taken)).toBe('water');
    expect(idFromName('休息', taken)).toBe('reminder-2');
    expect(idFromName(undefined, new Set())).toBe('reminder-1');
  });
});

describe('job ids', () => {
  it('fall back to job-N for a folder name without ASCII letters', () => {
    expect(idFromName('照片', new Set(), 'job')).toBe('job-1');
    expect(idFromName('Notes', new Set(['notes']), 'job')).toBe('notes-2');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE, TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

const every = (intervalMs: number) => ({ kind: 'every' as const, intervalMs });

describe('the break window request in the reminder event', () => {
  it('a reminder with window alerts fires with its break length, strictness and snooze', async () => {
    const sut = await home.open();
    await sut.ok('reminder.add', {
      reminder: {
        id: 'stretch',
        schedule: every(30 * MINUTE),
        alert: 'window',
        breakMinutes: 10,
        strict: true,
      },
    });
    await sut.advance(30 * MINUTE);
    const fired = sut.events.filter((event) => event.event === 'reminder');
    expect(fired.map((event) => event.data)).toEqual([
      expect.objectContaining({
        id: 'stretch',
        window: { breakMinutes: 10, strict: true, snoozeMinutes: 5 },
      }),
    ]);
  });

  it('a reminder with the default alert fires without a window request; breakMinutes defaults to 5', async () => {
    const sut = await home.open();
    await sut.ok('reminder.add', { reminder: { id: 'water', schedule: every(30 * MINUTE) } });
    await sut.ok('reminder.add', { reminder: { id: 'walk', schedule: every(30 * MINUTE), alert: 'window' } });
    await sut.advance(30 * MINUTE);
    const byId = new Map(
      sut.events.flatMap((event) => (event.event === 'reminder' ? [[event.data.id, event.data]] : [])),
    );
    expect(byId.get('water')?.window).toBeUndefined();
    expect(byId.get('walk')?.window).toEqual({ breakMinutes: 5, strict: false, snoozeMinutes: 5 });
  });

  it('refuses a break length outside 1 to 120 minutes, naming the field', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.add', {
      reminder: { id: 'long', schedule: every(30 * MINUTE), breakMinutes: 150 },
    });
    expect(reply).toMatchObject({ ok: false, error: { field: 'params.reminder.breakMinutes' } });
    expect(JSON.stringify(reply)).toMatch(/120/);
  });
});

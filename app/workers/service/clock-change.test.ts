import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimerView } from '../../shared/contract.js';
import { HOUR, MINUTE, SECOND, TestHome, settingsWith } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('the daemon across a wall-clock change', () => {
  it('a minutely reminder gives one notification a minute when the clock is set back and restored: no catch-up, no double', async () => {
    await home.writeSettings(
      settingsWith([{ id: 'water', name: 'Water', schedule: { kind: 'every', intervalMs: MINUTE } }]),
    );
    const sut = await home.open();
    await sut.advance(MINUTE + 5 * SECOND);
    sut.clock.jumpWall(-2 * MINUTE);
    await sut.advance(40 * SECOND);
    sut.clock.jumpWall(2 * MINUTE); // NTP puts it right again
    await sut.advance(3 * MINUTE - 45 * SECOND);
    const water = sut.reminderEvents().filter((event) => event.id === 'water');
    expect(water).toHaveLength(4);
    expect(water.every((event) => event.missed === 0)).toBe(true);
    expect(sut.notifier.messages.filter((message) => message.includes('missed'))).toEqual([]);
  });

  it('a 1 min countdown notifies after 1 min when the clock is set back 2 min meanwhile', async () => {
    const sut = await home.open();
    const view = await sut.ok<TimerView>('timer.start', { durationMs: MINUTE, name: 'tea' });
    await sut.advance(30 * SECOND);
    sut.clock.jumpWall(-2 * MINUTE);
    await sut.advance(30 * SECOND - 1);
    expect(sut.timerDoneEvents()).toEqual([]);
    await sut.advance(1);
    expect(sut.timerDoneEvents()).toEqual([{ id: view.id, name: 'tea' }]);
  });
});

describe('the daemon across a suspend', () => {
  it('an hourly reminder still catches up once after an 8 h sleep', async () => {
    const sut = await home.open();
    sut.clock.suspend(8 * HOUR);
    await sut.ok('host-event', { event: 'resume' });
    await sut.advance(HOUR - 1);
    expect(sut.reminderEvents().filter((event) => event.id === 'rest-eyes')).toHaveLength(1);
  });
});

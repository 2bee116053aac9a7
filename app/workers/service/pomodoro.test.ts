import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PomodoroView } from '../../shared/contract.js';
import { MINUTE, TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('pomodoro commands', () => {
  it('stop answers with the pomodoro it stopped, and not-found when none runs', async () => {
    const sut = await home.open();
    await sut.ok('pomodoro.start', {});
    await sut.advance(MINUTE);
    const stopped = await sut.ok<PomodoroView | null>('pomodoro.stop');
    expect(stopped).toMatchObject({ phase: 'work', round: 1, timer: { remainingMs: 24 * MINUTE } });
    expect(sut.service.status().pomodoro).toBeNull();
    expect(await sut.request('pomodoro.stop')).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('start refuses to replace a running pomodoro unless asked to restart', async () => {
    const sut = await home.open();
    await sut.ok('pomodoro.start', {});
    await sut.advance(5 * MINUTE);
    expect(await sut.request('pomodoro.start', { workMs: 50 * MINUTE })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already running.*--restart/) },
    });
    // The running one is untouched.
    expect(sut.service.status().pomodoro).toMatchObject({ timer: { remainingMs: 20 * MINUTE } });
    const restarted = await sut.ok<PomodoroView>('pomodoro.start', { workMs: 50 * MINUTE, restart: true });
    expect(restarted).toMatchObject({ phase: 'work', round: 1, timer: { remainingMs: 50 * MINUTE } });
  });

  it('start replaces a stopped or paused-then-stopped session without asking', async () => {
    const sut = await home.open();
    await sut.ok('pomodoro.start', {});
    await sut.ok('pomodoro.stop');
    expect(await sut.request('pomodoro.start', {})).toMatchObject({ ok: true });
  });
});

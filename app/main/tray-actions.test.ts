import { describe, expect, it } from 'vitest';
import { NINE_AM } from './test-support/status.js';
import { tomorrowAt, trayCommand } from './tray-actions.js';
import { TRAY_ACTIONS, jobCancelAction, timerAction, timerStartAction } from './tray-menu.js';

const MINUTE = 60_000;

describe('trayCommand', () => {
  it('turns each menu action into the daemon request of the contract', () => {
    expect(trayCommand(TRAY_ACTIONS.restNow, NINE_AM)).toEqual({
      kind: 'request',
      method: 'rest-now',
      params: {},
    });
    expect(trayCommand(TRAY_ACTIONS.pause30m, NINE_AM)).toEqual({
      kind: 'request',
      method: 'pause',
      params: { durationMs: 30 * MINUTE },
    });
    expect(trayCommand(TRAY_ACTIONS.pause1h, NINE_AM)).toEqual({
      kind: 'request',
      method: 'pause',
      params: { durationMs: 60 * MINUTE },
    });
    expect(trayCommand(TRAY_ACTIONS.pauseUntilTomorrow, NINE_AM)).toEqual({
      kind: 'request',
      method: 'pause',
      params: { until: new Date(2026, 2, 11, 8, 0).getTime() },
    });
    expect(trayCommand(TRAY_ACTIONS.resume, NINE_AM)).toEqual({
      kind: 'request',
      method: 'resume',
      params: {},
    });
    expect(trayCommand(timerStartAction(25), NINE_AM)).toEqual({
      kind: 'request',
      method: 'timer.start',
      params: { mode: 'countdown', durationMs: 25 * MINUTE },
    });
    for (const verb of ['pause', 'resume', 'stop'] as const) {
      expect(trayCommand(timerAction(verb, 'tea-1'), NINE_AM)).toEqual({
        kind: 'request',
        method: `timer.${verb}`,
        params: { id: 'tea-1' },
      });
    }
  });

  it('skips or stops the pomodoro and cancels a running job from the menu', () => {
    expect(trayCommand(TRAY_ACTIONS.pomodoroSkip, NINE_AM)).toEqual({
      kind: 'request',
      method: 'pomodoro.skip',
      params: {},
    });
    expect(trayCommand(TRAY_ACTIONS.pomodoroStop, NINE_AM)).toEqual({
      kind: 'request',
      method: 'pomodoro.stop',
      params: {},
    });
    expect(trayCommand(jobCancelAction('photos'), NINE_AM)).toEqual({
      kind: 'request',
      method: 'job.cancel',
      params: { id: 'photos' },
    });
    expect(trayCommand('job-cancel:', NINE_AM)).toBeNull();
  });

  it('keeps opening settings and quitting in main', () => {
    expect(trayCommand(TRAY_ACTIONS.openSettings, NINE_AM)).toEqual({ kind: 'open-settings' });
    expect(trayCommand(TRAY_ACTIONS.quit, NINE_AM)).toEqual({ kind: 'quit' });
  });

  it('ignores ids it does not know', () => {
    for (const id of ['', 'bogus', 'timer-stop:', 'timer-start:abc', 'timer-start:0', 'timer-explode:1']) {
      expect(trayCommand(id, NINE_AM), id).toBeNull();
    }
  });
});

describe('tomorrowAt', () => {
  it('is 08:00 local on the next calendar day, even just after midnight', () => {
    const justAfterMidnight = new Date(2026, 2, 10, 0, 5).getTime();
    const at = new Date(tomorrowAt(justAfterMidnight, 8));
    expect([at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()]).toEqual([
      2026, 2, 11, 8, 0,
    ]);
  });

  it('crosses month and year ends', () => {
    const at = new Date(tomorrowAt(new Date(2026, 11, 31, 23, 0).getTime(), 8));
    expect([at.getFullYear(), at.getMonth(), at.getDate(), at.getHours()]).toEqual([2027, 0, 1, 8]);
  });
});

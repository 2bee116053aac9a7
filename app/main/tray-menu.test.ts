import { describe, expect, it } from 'vitest';
import { NINE_AM, makeStatus, timerView, upcomingReminder } from './test-support/status.js';
import { TRAY_ACTIONS, buildTrayMenu, menuTime, type TrayMenuItem } from './tray-menu.js';

const MINUTE = 60_000;

/** Every action id in the template, depth first. */
function actionIds(items: TrayMenuItem[]): string[] {
  return items.flatMap((item) => [...(item.id ? [item.id] : []), ...actionIds(item.submenu ?? [])]);
}

function labels(items: TrayMenuItem[]): string[] {
  return items.filter((item) => item.type !== 'separator').map((item) => item.label ?? '');
}

function submenu(items: TrayMenuItem[], label: string): TrayMenuItem[] {
  const item = items.find((i) => i.label === label);
  if (!item?.submenu) throw new Error(`no submenu "${label}" in ${JSON.stringify(labels(items))}`);
  return item.submenu;
}

describe('buildTrayMenu', () => {
  it('lists the next three reminders (not timers or jobs), soonest first, with their times', () => {
    const status = makeStatus({
      upcoming: [
        upcomingReminder('water', 'Water', 15),
        { ...upcomingReminder('t1', 'Tea', 20), kind: 'timer' },
        upcomingReminder('rest-eyes', 'Rest your eyes', 30),
        upcomingReminder('stretch', 'Stretch', 45),
        upcomingReminder('standup', 'Standup', 55),
      ],
    });
    const menu = buildTrayMenu(status, NINE_AM, 'en');
    expect(labels(menu).slice(0, 3)).toEqual(['09:15  Water', '09:30  Rest your eyes', '09:45  Stretch']);
    expect(menu.slice(0, 3).every((item) => item.enabled === false && item.id === undefined)).toBe(true);
    expect(labels(menu)).not.toContain('09:55  Standup');
  });

  it('says so when no reminder is scheduled', () => {
    const menu = buildTrayMenu(makeStatus(), NINE_AM, 'en');
    expect(menu[0]).toEqual({ label: 'No reminders scheduled', enabled: false });
  });

  it('offers Rest now and the three pauses while running, and no Resume', () => {
    const menu = buildTrayMenu(makeStatus({ upcoming: [upcomingReminder('a', 'A', 5)] }), NINE_AM, 'en');
    const ids = actionIds(menu);
    expect(ids).toContain(TRAY_ACTIONS.restNow);
    expect(ids).not.toContain(TRAY_ACTIONS.resume);
    expect(submenu(menu, 'Pause')).toEqual([
      { id: 'pause:30m', label: 'For 30 minutes' },
      { id: 'pause:1h', label: 'For 1 hour' },
      { id: 'pause:tomorrow', label: 'Until tomorrow 08:00' },
    ]);
  });

  it('shows the pause and offers Resume instead of Pause while paused', () => {
    const paused = makeStatus({ paused: true, pausedUntil: NINE_AM + 30 * MINUTE });
    const menu = buildTrayMenu(paused, NINE_AM, 'en');
    expect(menu[0]).toEqual({ label: 'Paused until 09:30', enabled: false });
    expect(actionIds(menu)).toContain(TRAY_ACTIONS.resume);
    expect(labels(menu)).not.toContain('Pause');
    expect(actionIds(menu).filter((id) => id.startsWith('pause:'))).toEqual([]);

    const indefinitely = buildTrayMenu(makeStatus({ paused: true }), NINE_AM, 'en');
    expect(indefinitely[0]).toEqual({ label: 'Paused', enabled: false });
  });

  it('starts 5, 15 and 25 minute timers and lists live timers with pause or resume, and stop', () => {
    const status = makeStatus({
      timers: [
        timerView({ id: 't1', name: 'Tea', endsAt: NINE_AM + 5 * MINUTE, remainingMs: 5 * MINUTE }),
        timerView({ id: 't2', name: 'Laundry', state: 'paused', endsAt: null, remainingMs: 12 * MINUTE }),
        timerView({ id: 't3', name: 'Done one', state: 'done', remainingMs: 0 }),
        timerView({
          id: 't4',
          name: 'Run',
          mode: 'stopwatch',
          endsAt: null,
          remainingMs: null,
          elapsedMs: 90_000,
        }),
      ],
    });
    const timers = submenu(buildTrayMenu(status, NINE_AM, 'en'), 'Timers');
    expect(timers.slice(0, 3)).toEqual([
      { id: 'timer-start:5', label: 'Start 5 min' },
      { id: 'timer-start:15', label: 'Start 15 min' },
      { id: 'timer-start:25', label: 'Start 25 min' },
    ]);
    expect(labels(timers).slice(3)).toEqual([
      'Tea · ends 09:05',
      'Laundry · paused, 12:00 left',
      'Run · since 08:58',
    ]);
    expect(submenu(timers, 'Tea · ends 09:05')).toEqual([
      { id: 'timer-pause:t1', label: 'Pause' },
      { id: 'timer-stop:t1', label: 'Stop' },
    ]);
    expect(submenu(timers, 'Laundry · paused, 12:00 left')).toEqual([
      { id: 'timer-resume:t2', label: 'Resume' },
      { id: 'timer-stop:t2', label: 'Stop' },
    ]);
    expect(actionIds(timers)).not.toContain('timer-stop:t3');
  });

  it('ends with Open settings and Quit', () => {
    const menu = buildTrayMenu(makeStatus(), NINE_AM, 'en');
    expect(menu.slice(-2)).toEqual([
      { id: TRAY_ACTIONS.openSettings, label: 'Open settings…' },
      { id: TRAY_ACTIONS.quit, label: 'Quit myTimer' },
    ]);
  });

  it('shows only "Starting…" (or why the engine stopped), Open settings and Quit without a status', () => {
    expect(labels(buildTrayMenu(null, NINE_AM, 'en'))).toEqual([
      'Starting…',
      'Open settings…',
      'Quit myTimer',
    ]);
    const stopped = buildTrayMenu(makeStatus(), NINE_AM, 'en', 'crashed 5 times');
    expect(labels(stopped)).toEqual(['Engine stopped: crashed 5 times', 'Open settings…', 'Quit myTimer']);
  });

  it('speaks Chinese for zh-CN', () => {
    const menu = buildTrayMenu(makeStatus({ paused: true }), NINE_AM, 'zh-CN');
    expect(labels(menu)).toEqual(
      expect.arrayContaining([
        '已暂停',
        '没有已安排的提醒',
        '立即休息',
        '继续',
        '计时器',
        '打开设置…',
        '退出 myTimer',
      ]),
    );
  });

  it('does not change while only the clock moves, so the menu is rebuilt on status changes alone', () => {
    const status = makeStatus({
      upcoming: [upcomingReminder('a', 'A', 5)],
      timers: [timerView({ id: 't1', name: 'Tea' })],
    });
    expect(buildTrayMenu(status, NINE_AM + 61_000, 'en')).toEqual(buildTrayMenu(status, NINE_AM, 'en'));
  });

  it('is plain data that survives JSON (the e2e hook reads it)', () => {
    const menu = buildTrayMenu(makeStatus({ timers: [timerView({ id: 't1', name: 'Tea' })] }), NINE_AM, 'en');
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});

describe('menuTime', () => {
  it('is HH:MM today and names the weekday on another day', () => {
    expect(menuTime(NINE_AM + 90 * MINUTE, NINE_AM, 'en')).toBe('10:30');
    const tomorrow = NINE_AM + 24 * 60 * MINUTE;
    expect(menuTime(tomorrow, NINE_AM, 'en')).toMatch(/^\p{L}+\.? 09:00$/u);
  });
});

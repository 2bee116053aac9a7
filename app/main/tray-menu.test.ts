import { describe, expect, it } from 'vitest';
import {
  NINE_AM,
  jobProgress,
  jobView,
  makeStatus,
  pomodoroView,
  timerView,
  upcomingReminder,
} from './test-support/status.js';
import { TRAY_ACTIONS, buildTrayMenu, jobPercent, menuTime, type TrayMenuItem } from './tray-menu.js';

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

  it('shows a running pomodoro first: phase, round and whole minutes left, with Skip and Stop', () => {
    const status = makeStatus({
      pomodoro: pomodoroView('work', 2, 12.5),
      upcoming: [upcomingReminder('a', 'A', 40)],
    });
    const menu = buildTrayMenu(status, NINE_AM, 'en');
    expect(labels(menu).slice(0, 2)).toEqual(['Focus · round 2 · 13 min left', '09:40  A']);
    expect(menu[1]).toEqual({ type: 'separator' });
    expect(submenu(menu, 'Focus · round 2 · 13 min left')).toEqual([
      { id: TRAY_ACTIONS.pomodoroSkip, label: 'Skip to the next phase' },
      { id: TRAY_ACTIONS.pomodoroStop, label: 'Stop the pomodoro' },
    ]);
    // 29 s later the label is the same: the menu changes once a minute, not every second.
    expect(buildTrayMenu(status, NINE_AM + 29_000, 'en')).toEqual(menu);
    expect(labels(buildTrayMenu(status, NINE_AM + 31_000, 'en'))[0]).toBe('Focus · round 2 · 12 min left');

    const paused = makeStatus({ pomodoro: pomodoroView('shortBreak', 3, 4, 'paused') });
    expect(labels(buildTrayMenu(paused, NINE_AM + 10 * MINUTE, 'en'))[0]).toBe(
      'Short break · round 3 · paused, 4 min left',
    );
  });

  it('leaves out a pomodoro that is no longer running', () => {
    const done = pomodoroView('work', 1, 0);
    const status = makeStatus({ pomodoro: { ...done, timer: { ...done.timer, state: 'done' } } });
    expect(actionIds(buildTrayMenu(status, NINE_AM, 'en'))).not.toContain(TRAY_ACTIONS.pomodoroSkip);
  });

  it('shows each running backup with its percent done and a Cancel, and not idle or queued ones', () => {
    const status = makeStatus({
      jobs: [
        jobView('photos', 'Photos → USB', { progress: jobProgress(421, 1000) }),
        jobView('docs', 'Documents', { state: 'queued' }),
        jobView('music', 'Music', { state: 'idle' }),
      ],
    });
    const menu = buildTrayMenu(status, NINE_AM, 'en');
    expect(labels(menu)[0]).toBe('Photos → USB · 42% done');
    expect(submenu(menu, 'Photos → USB · 42% done')).toEqual([{ id: 'job-cancel:photos', label: 'Cancel' }]);
    expect(actionIds(menu).filter((id) => id.startsWith('job-cancel:'))).toEqual(['job-cancel:photos']);
  });

  it('shows the pomodoro and a backup in Chinese for zh-CN', () => {
    const status = makeStatus({
      locale: 'zh-CN',
      pomodoro: pomodoroView('longBreak', 4, 15),
      jobs: [jobView('photos', '照片', { progress: jobProgress(1, 2) })],
    });
    const menu = buildTrayMenu(status, NINE_AM, 'zh-CN');
    expect(labels(menu).slice(0, 2)).toEqual(['长休息 · 第 4 轮 · 剩余 15 分钟', '照片 · 已完成 50%']);
    expect(labels(submenu(menu, '长休息 · 第 4 轮 · 剩余 15 分钟'))).toEqual(['跳到下一阶段', '停止番茄钟']);
    expect(labels(submenu(menu, '照片 · 已完成 50%'))).toEqual(['取消']);
  });

  it('is plain data that survives JSON (the e2e hook reads it)', () => {
    const menu = buildTrayMenu(makeStatus({ timers: [timerView({ id: 't1', name: 'Tea' })] }), NINE_AM, 'en');
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });
});

describe('jobPercent', () => {
  it('counts bytes when known, else files, and is 0 before the first progress', () => {
    expect(jobPercent({ progress: null })).toBe(0);
    expect(jobPercent({ progress: jobProgress(999, 1000) })).toBe(99);
    expect(
      jobPercent({ progress: { ...jobProgress(0, 1), bytesTotal: 0, filesDone: 3, filesTotal: 4 } }),
    ).toBe(75);
    expect(jobPercent({ progress: { ...jobProgress(0, 1), bytesTotal: 0, filesTotal: 0 } })).toBe(0);
  });
});

describe('menuTime', () => {
  it('is HH:MM today and names the weekday on another day', () => {
    expect(menuTime(NINE_AM + 90 * MINUTE, NINE_AM, 'en')).toBe('10:30');
    const tomorrow = NINE_AM + 24 * 60 * MINUTE;
    expect(menuTime(tomorrow, NINE_AM, 'en')).toMatch(/^\p{L}+\.? 09:00$/u);
  });
});

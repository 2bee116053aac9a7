import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Menu, electronFake, nativeTheme, type FakeTray } from './test-support/electron-fake.js';
import {
  NINE_AM,
  jobProgress,
  jobView,
  makeStatus,
  pomodoroView,
  upcomingReminder,
} from './test-support/status.js';
import { createTray, toElectronTemplate, trayTitle, trayTooltip, type TrayController } from './tray.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

const ICONS = '/app/build/icons';
let controllers: TrayController[] = [];

beforeEach(() => {
  electronFake.reset();
  vi.useFakeTimers();
  vi.setSystemTime(NINE_AM);
});

afterEach(() => {
  for (const controller of controllers) controller.destroy();
  controllers = [];
  vi.useRealTimers();
});

function makeTray(platform: NodeJS.Platform = 'linux') {
  const actions: string[] = [];
  const controller = createTray({
    iconsDir: ICONS,
    locale: 'en',
    platform,
    onAction: (id) => actions.push(id),
  });
  controllers.push(controller);
  const tray = electronFake.trays.at(-1) as FakeTray;
  return { controller, tray, actions };
}

const running = makeStatus({ upcoming: [upcomingReminder('rest-eyes', 'Rest your eyes', 30)] });

describe('the tray', () => {
  it('starts with the active icon for the theme and a "Starting…" menu', () => {
    const { tray, controller } = makeTray();
    expect(tray.image).toEqual({
      path: path.join(ICONS, 'tray-active-light-22.png'),
      isEmpty: expect.any(Function),
    });
    expect(controller.template()[0]).toEqual({ label: 'Starting…', enabled: false });
    expect(tray.setToolTip).toHaveBeenLastCalledWith('myTimer');
  });

  it('rebuilds the menu from status events only when the menu changes', () => {
    const { tray, controller } = makeTray();
    tray.setContextMenu.mockClear();
    controller.update(running);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(controller.template()[0]).toEqual({ label: '09:30  Rest your eyes', enabled: false });

    // Same menu (only `now` moved): no rebuild.
    controller.update({ ...running, now: NINE_AM + 5_000 });
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);

    controller.update({ ...running, paused: true });
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2);
  });

  it('shows the paused icon while paused, and the dark variant on a dark theme', () => {
    const { tray, controller } = makeTray('win32');
    controller.update({ ...running, paused: true });
    expect(tray.setImage).toHaveBeenLastCalledWith(
      expect.objectContaining({ path: path.join(ICONS, 'tray-paused-light-16.png') }),
    );
    nativeTheme.shouldUseDarkColors = true;
    nativeTheme.emit('updated');
    expect(tray.setImage).toHaveBeenLastCalledWith(
      expect.objectContaining({ path: path.join(ICONS, 'tray-paused-dark-16.png') }),
    );
  });

  it('ticks the tooltip countdown every second without asking the daemon', async () => {
    const { tray, controller } = makeTray();
    controller.update(running);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('myTimer — Next: Rest your eyes in 30:00');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tray.setToolTip).toHaveBeenLastCalledWith('myTimer — Next: Rest your eyes in 29:59');
    expect(tray.setTitle).not.toHaveBeenCalled();
  });

  it('shows the countdown as the menu-bar title on macOS', async () => {
    const { tray, controller } = makeTray('darwin');
    controller.update(running);
    expect(tray.setTitle).toHaveBeenLastCalledWith('30:00');
    await vi.advanceTimersByTimeAsync(61_000);
    expect(tray.setTitle).toHaveBeenLastCalledWith('28:59');
  });

  it('reports clicked items by action id, and a click on the icon opens settings (not on macOS)', () => {
    const { tray, controller, actions } = makeTray();
    controller.update(running);
    const template = Menu.buildFromTemplate.mock.lastCall?.[0] as {
      id?: string;
      click?: () => void;
      submenu?: unknown[];
    }[];
    template.find((item) => item.id === 'rest-now')?.click?.();
    const pause = template.find((item) => item.submenu)?.submenu as { id?: string; click?: () => void }[];
    pause.find((item) => item.id === 'pause:1h')?.click?.();
    tray.emit('click');
    expect(actions).toEqual(['rest-now', 'pause:1h', 'open-settings']);

    const mac = makeTray('darwin');
    mac.tray.emit('click');
    expect(mac.actions).toEqual([]);
  });

  it("shows a running backup's percent from job progress events, rebuilt at most once a second", async () => {
    const { tray, controller, actions } = makeTray();
    controller.update(makeStatus({ jobs: [jobView('photos', 'Photos')] }));
    expect(controller.template()[0]?.label).toBe('Photos · 0% done');
    tray.setContextMenu.mockClear();

    // A burst of progress events within one second: nothing is rebuilt until the tick…
    for (let done = 1; done <= 50; done++) {
      controller.jobEvent({ id: 'photos', phase: 'progress', progress: jobProgress(done, 100) });
    }
    expect(tray.setContextMenu).not.toHaveBeenCalled();
    // …which shows the latest one, once.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(controller.template()[0]?.label).toBe('Photos · 50% done');
    // A tick with nothing new rebuilds nothing.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);

    const template = Menu.buildFromTemplate.mock.lastCall?.[0] as {
      submenu?: { id?: string; click?: () => void }[];
    }[];
    template[0]?.submenu?.find((item) => item.id === 'job-cancel:photos')?.click?.();
    expect(actions).toEqual(['job-cancel:photos']);

    // Finished: the status says the job is idle again, and the backup leaves the menu.
    controller.jobEvent({ id: 'photos', phase: 'finished' });
    controller.update(makeStatus({ jobs: [jobView('photos', 'Photos', { state: 'idle' })] }));
    expect(controller.template()[0]?.label).toBe('No reminders scheduled');
  });

  it("counts the pomodoro's minutes down in the menu on the tick, without a status event", async () => {
    const { tray, controller } = makeTray();
    controller.update(makeStatus({ pomodoro: pomodoroView('work', 1, 25) }));
    expect(controller.template()[0]?.label).toBe('Focus · round 1 · 25 min left');
    tray.setContextMenu.mockClear();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(tray.setContextMenu).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(controller.template()[0]?.label).toBe('Focus · round 1 · 24 min left');
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
  });

  it('says why the engine stopped', () => {
    const { tray, controller } = makeTray();
    controller.update(running);
    controller.setNotice('the daemon crashed 5 times in 60 s');
    expect(controller.template()[0]?.label).toBe('Engine stopped: the daemon crashed 5 times in 60 s');
    expect(tray.setToolTip).toHaveBeenLastCalledWith('myTimer — the daemon crashed 5 times in 60 s');
    controller.setNotice(null);
    expect(controller.template()[0]?.label).toBe('09:30  Rest your eyes');
  });

  it('stops ticking and removes the icon when destroyed', () => {
    const { tray, controller } = makeTray();
    controller.destroy();
    controllers = [];
    expect(tray.destroy).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    expect(nativeTheme.listenerCount('updated')).toBe(0);
  });
});

describe('tray text', () => {
  it('keeps the tooltip within what Windows shows', () => {
    const long = makeStatus({ upcoming: [upcomingReminder('x', 'x'.repeat(200), 5)] });
    expect(trayTooltip(long, null, NINE_AM)).toHaveLength(127);
  });

  it('has no title while paused or with nothing scheduled', () => {
    expect(trayTitle(null, NINE_AM)).toBe('');
    expect(trayTitle({ ...running, paused: true }, NINE_AM)).toBe('');
    expect(trayTitle(makeStatus(), NINE_AM)).toBe('');
  });

  it('gives Electron a click only for items with an action', () => {
    const onAction = vi.fn();
    const template = toElectronTemplate(
      [
        { label: 'info', enabled: false },
        { id: 'quit', label: 'Quit' },
      ],
      onAction,
    );
    expect(template[0]).toEqual({ label: 'info', enabled: false });
    expect(template[1]).toMatchObject({ id: 'quit', label: 'Quit', click: expect.any(Function) });
  });
});

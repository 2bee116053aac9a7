import { join } from 'node:path';
import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { statusLine } from '../shared/status-line.js';
import { formatCountdown } from '../shared/time-format.js';
import type { EventData, JobProgress, Status } from '../shared/contract.js';
import type { Locale } from '../shared/i18n/index.js';
import { trayIconFile } from './tray-icons.js';
import { TRAY_ACTIONS, buildTrayMenu, type TrayMenuItem } from './tray-menu.js';

/**
 * How often the tooltip's countdown is re-rendered (local rendering only: no daemon request), and the
 * most often the figures that move on their own (a job's percent, the pomodoro's minutes left) reach
 * the menu.
 */
export const TOOLTIP_REFRESH_MS = 1_000;

/** Windows truncates longer tooltips. */
const TOOLTIP_MAX_CHARS = 127;

/** Options of {@link createTray}. */
export interface TrayOptions {
  /** build/icons/, where the tray PNGs are. */
  iconsDir: string;
  /** The menu's language until the first status says which one the daemon uses. */
  locale: Locale;
  /** Called with a menu item's action id (tray-menu.ts) when the user clicks it. */
  onAction: (actionId: string) => void;
  platform?: NodeJS.Platform;
  now?: () => number;
}

/** The tray, driven by daemon status events. */
export interface TrayController {
  /** A new status from the daemon: the menu is rebuilt only if its template changed. */
  update(status: Status): void;
  /**
   * A daemon `job` event: its progress is kept and shown at the next tick (at most once a second,
   * however fast the events come); a finished job's is dropped.
   */
  jobEvent(event: EventData<'job'>): void;
  /** Shows why the engine is down (null clears it). */
  setNotice(notice: string | null): void;
  /** The menu template currently shown, as pure data (the e2e hook reads it). */
  template(): TrayMenuItem[];
  destroy(): void;
}

/**
 * The tray icon on Linux, Windows and macOS: the icon shows active or paused (in the variant for the
 * current light or dark theme), the tooltip (and on macOS the title beside the icon) the next reminder
 * and its countdown, and the context menu is {@link buildTrayMenu}'s template. The menu follows the
 * daemon's status events at once; the tooltip ticks every second, rendered locally, and the same tick
 * brings job progress and the pomodoro's minutes left into the menu, rebuilding it only when its
 * template changed: at most once a second from progress, however many events arrive.
 */
export function createTray(options: TrayOptions): TrayController {
  const platform = options.platform ?? process.platform;
  const now = options.now ?? Date.now;
  let status: Status | null = null;
  let notice: string | null = null;
  let template: TrayMenuItem[] = [];
  let shownMenu = '';
  let shownIcon = '';
  let shownTooltip = '';
  let shownTitle = '';
  /** The latest progress of each running job, from job events; sampled into `shownProgress` on ticks. */
  const latestProgress = new Map<string, JobProgress>();
  let shownProgress = new Map<string, JobProgress>();

  const iconFor = () =>
    trayIconFile({ paused: status?.paused ?? false, darkTheme: nativeTheme.shouldUseDarkColors, platform });
  shownIcon = iconFor();
  const tray = new Tray(nativeImage.createFromPath(join(options.iconsDir, shownIcon)));

  const refreshIcon = () => {
    const file = iconFor();
    if (file === shownIcon) return;
    shownIcon = file;
    tray.setImage(nativeImage.createFromPath(join(options.iconsDir, file)));
  };

  /** The status with each running job's progress as last sampled (events are newer than the status). */
  const withProgress = (current: Status | null): Status | null => {
    if (!current || shownProgress.size === 0) return current;
    const jobs = current.jobs.map((job) => {
      const progress = shownProgress.get(job.id);
      return progress ? { ...job, progress } : job;
    });
    return { ...current, jobs };
  };

  const refreshMenu = () => {
    const next = buildTrayMenu(withProgress(status), now(), status?.locale ?? options.locale, notice);
    const key = JSON.stringify(next);
    if (key === shownMenu) return;
    shownMenu = key;
    template = next;
    tray.setContextMenu(Menu.buildFromTemplate(toElectronTemplate(next, options.onAction)));
  };

  const refreshText = () => {
    const tooltip = trayTooltip(status, notice, now());
    if (tooltip !== shownTooltip) {
      shownTooltip = tooltip;
      tray.setToolTip(tooltip);
    }
    if (platform !== 'darwin') return;
    const title = trayTitle(status, now());
    if (title !== shownTitle) {
      shownTitle = title;
      tray.setTitle(title);
    }
  };

  const onThemeUpdated = () => refreshIcon();
  nativeTheme.on('updated', onThemeUpdated);
  // macOS opens the context menu on click by itself; elsewhere a click opens the settings window.
  if (platform !== 'darwin') tray.on('click', () => options.onAction(TRAY_ACTIONS.openSettings));
  const tick = () => {
    refreshText();
    shownProgress = new Map(latestProgress);
    refreshMenu();
  };
  const ticker = setInterval(tick, TOOLTIP_REFRESH_MS);
  refreshMenu();
  refreshText();

  return {
    update(next) {
      status = next;
      // A job the daemon no longer runs has no progress to show (its finished event may be lost).
      const running = new Set(next.jobs.filter((job) => job.state === 'running').map((job) => job.id));
      for (const id of latestProgress.keys()) if (!running.has(id)) latestProgress.delete(id);
      for (const id of shownProgress.keys()) if (!running.has(id)) shownProgress.delete(id);
      refreshIcon();
      refreshMenu();
      refreshText();
    },
    jobEvent(event) {
      if (event.phase === 'finished') latestProgress.delete(event.id);
      else if (event.progress) latestProgress.set(event.id, event.progress);
    },
    setNotice(next) {
      notice = next;
      refreshMenu();
      refreshText();
    },
    template: () => template,
    destroy() {
      clearInterval(ticker);
      nativeTheme.off('updated', onThemeUpdated);
      tray.destroy();
    },
  };
}

/** The tooltip: `myTimer — Next: Rest your eyes in 12:34`, the pause, or why the engine is down. */
export function trayTooltip(status: Status | null, notice: string | null, now: number): string {
  const detail = notice ?? (status ? statusLine(status, now) : null);
  const text = detail ? `myTimer — ${detail}` : 'myTimer';
  return text.length > TOOLTIP_MAX_CHARS ? `${text.slice(0, TOOLTIP_MAX_CHARS - 1)}…` : text;
}

/** The macOS menu-bar title: the next reminder's countdown, or nothing while paused or idle. */
export function trayTitle(status: Status | null, now: number): string {
  if (!status || status.paused || !status.nextReminder) return '';
  return formatCountdown(status.nextReminder.dueAt - now);
}

/** Electron's template for `items`: each item with an action id gets a `click` that reports it. */
export function toElectronTemplate(
  items: readonly TrayMenuItem[],
  onAction: (actionId: string) => void,
): MenuItemConstructorOptions[] {
  return items.map(({ submenu, id, ...rest }) => {
    const item: MenuItemConstructorOptions = { ...rest };
    if (id !== undefined) {
      item.id = id;
      item.click = () => onAction(id);
    }
    if (submenu) item.submenu = toElectronTemplate(submenu, onAction);
    return item;
  });
}

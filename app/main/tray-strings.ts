import type { Locale } from '../shared/i18n.js';

/**
 * The tray menu's strings, English and Simplified Chinese. They live here, not in app/shared/i18n.ts,
 * because only main shows them; the status line in the tooltip comes from the shared table. Both
 * tables have the same keys (the type enforces it, and a test checks the placeholders match).
 */

const en = {
  'tray.starting': 'Starting…',
  'tray.stopped': 'Engine stopped: {reason}',
  'tray.noReminders': 'No reminders scheduled',
  'tray.reminderAt': '{time}  {name}',
  'tray.paused': 'Paused',
  'tray.pausedUntil': 'Paused until {time}',
  'tray.restNow': 'Rest now',
  'tray.pause': 'Pause',
  'tray.pause.30m': 'For 30 minutes',
  'tray.pause.1h': 'For 1 hour',
  'tray.pause.tomorrow': 'Until tomorrow 08:00',
  'tray.resume': 'Resume',
  'tray.timers': 'Timers',
  'tray.timer.start': 'Start {minutes} min',
  'tray.timer.endsAt': '{name} · ends {time}',
  'tray.timer.pausedLeft': '{name} · paused, {left} left',
  'tray.timer.since': '{name} · since {time}',
  'tray.timer.pausedAt': '{name} · paused at {elapsed}',
  'tray.timer.pause': 'Pause',
  'tray.timer.resume': 'Resume',
  'tray.timer.stop': 'Stop',
  'tray.openSettings': 'Open settings…',
  'tray.quit': 'Quit myTimer',
} as const;

/** A key of the tray's string tables. */
export type TrayStringKey = keyof typeof en;

const zhCN: Record<TrayStringKey, string> = {
  'tray.starting': '正在启动…',
  'tray.stopped': '引擎已停止：{reason}',
  'tray.noReminders': '没有已安排的提醒',
  'tray.reminderAt': '{time}  {name}',
  'tray.paused': '已暂停',
  'tray.pausedUntil': '暂停至 {time}',
  'tray.restNow': '立即休息',
  'tray.pause': '暂停',
  'tray.pause.30m': '30 分钟',
  'tray.pause.1h': '1 小时',
  'tray.pause.tomorrow': '直到明天 08:00',
  'tray.resume': '继续',
  'tray.timers': '计时器',
  'tray.timer.start': '开始 {minutes} 分钟',
  'tray.timer.endsAt': '{name} · {time} 结束',
  'tray.timer.pausedLeft': '{name} · 已暂停，剩余 {left}',
  'tray.timer.since': '{name} · 开始于 {time}',
  'tray.timer.pausedAt': '{name} · 已暂停于 {elapsed}',
  'tray.timer.pause': '暂停',
  'tray.timer.resume': '继续',
  'tray.timer.stop': '停止',
  'tray.openSettings': '打开设置…',
  'tray.quit': '退出 myTimer',
};

/** Both tables, by locale (exported for the key-parity test). */
export const trayCatalogs: Record<Locale, Record<TrayStringKey, string>> = { en, 'zh-CN': zhCN };

/** Looks up `key` in `locale` and fills its `{name}` placeholders. */
export function trayText(
  locale: Locale,
  key: TrayStringKey,
  params: Record<string, string | number> = {},
): string {
  return trayCatalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

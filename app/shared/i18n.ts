/**
 * Every user-facing string, in English and Simplified Chinese. Both tables have the same keys
 * (the type enforces it, and a test checks the placeholders match).
 */

const en = {
  'app.name': 'myTimer',
  'reminder.default.name': 'Rest your eyes',
  'reminder.default.message': "Don't code — rest your eyes",
  'reminder.footer': 'pid {pid} · {processName}',
  'reminder.missed': '(missed {count} while away)',
  'restNow.title': 'Time for a break',
  'timer.done.title': 'Timer finished',
  'timer.done.message': '{name} is done',
  'timer.defaultName': 'Timer',
  'pomodoro.work': 'Focus',
  'pomodoro.shortBreak': 'Short break',
  'pomodoro.longBreak': 'Long break',
  'pomodoro.phase.message': '{phase} — {minutes} min',
  'status.paused': 'Paused',
  'status.pausedUntil': 'Paused until {time}',
  'status.next': 'Next: {name} in {countdown}',
  'status.none': 'No reminders scheduled',
  'job.finished.title': 'Backup finished: {name}',
  'job.finished.message': '{copied} files copied and verified, {skipped} unchanged, in {seconds} s',
  'job.failed.title': 'Backup had problems: {name}',
  'job.failed.message': '{failed} files failed (first: {first}); {copied} copied and verified',
  'job.error.message': 'The backup could not run: {error}',
  'notify.failed.hint':
    'desktop notifications failed: {reason} — reminders still run; check that a notification server is running',
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  'app.name': 'myTimer',
  'reminder.default.name': '休息眼睛',
  'reminder.default.message': '不要 Coding，休息一下眼睛吧',
  'reminder.footer': '进程号 {pid} · {processName}',
  'reminder.missed': '（离开期间错过 {count} 次）',
  'restNow.title': '该休息了',
  'timer.done.title': '计时结束',
  'timer.done.message': '{name} 已完成',
  'timer.defaultName': '计时器',
  'pomodoro.work': '专注',
  'pomodoro.shortBreak': '短休息',
  'pomodoro.longBreak': '长休息',
  'pomodoro.phase.message': '{phase} — {minutes} 分钟',
  'status.paused': '已暂停',
  'status.pausedUntil': '暂停至 {time}',
  'status.next': '下一个：{name}，还有 {countdown}',
  'status.none': '没有已安排的提醒',
  'job.finished.title': '备份完成：{name}',
  'job.finished.message': '已复制并校验 {copied} 个文件，{skipped} 个未变，用时 {seconds} 秒',
  'job.failed.title': '备份出现问题：{name}',
  'job.failed.message': '{failed} 个文件失败（第一个：{first}）；已复制并校验 {copied} 个',
  'job.error.message': '备份无法运行：{error}',
  'notify.failed.hint': '桌面通知发送失败：{reason} — 提醒仍在运行；请确认通知服务正在运行',
};

export type Locale = 'en' | 'zh-CN';

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** `auto` follows the OS locale: any Chinese locale gets zh-CN, everything else English. */
export function resolveLocale(setting: 'auto' | Locale, osLocale = systemLocale()): Locale {
  if (setting !== 'auto') return setting;
  return /^zh\b|^zh[-_]/i.test(osLocale) ? 'zh-CN' : 'en';
}

/** The OS locale as Node sees it: LC_ALL / LC_MESSAGES / LANG first (what a terminal user set), then Intl. */
export function systemLocale(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (fromEnv && fromEnv !== 'C' && fromEnv !== 'POSIX' && !fromEnv.startsWith('C.')) return fromEnv;
  return Intl.DateTimeFormat().resolvedOptions().locale;
}

/** Looks up `key` and fills `{name}` placeholders. */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = catalogs[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

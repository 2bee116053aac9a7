/**
 * The desktop integration's own strings (notification buttons), in English and Simplified Chinese. Kept here
 * until they are folded into the one catalog (app/shared/i18n.ts); same `{name}` placeholders.
 */
import type { Locale } from '../../shared/i18n.js';

const en = {
  'action.snooze': 'Snooze {minutes} min',
  'action.snoozeUnknown': 'Snooze',
  'action.skip': 'Skip',
  'action.startBreak': 'Start break',
};

export type DesktopStringKey = keyof typeof en;

const zhCN: Record<DesktopStringKey, string> = {
  'action.snooze': '稍后 {minutes} 分钟',
  'action.snoozeUnknown': '稍后',
  'action.skip': '跳过',
  'action.startBreak': '开始休息',
};

export const desktopStrings: Record<Locale, Record<DesktopStringKey, string>> = { en, 'zh-CN': zhCN };

/** Looks up `key` and fills `{name}` placeholders. */
export function desktopText(
  locale: Locale,
  key: DesktopStringKey,
  params: Record<string, string | number> = {},
): string {
  return desktopStrings[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * New user-facing strings of the desktop integration, in English and Simplified Chinese, in the
 * catalog's key style (app/shared/i18n.ts). Kept here while the catalog is being reworked; the lead
 * folds them into it. Both tables have the same keys (the type enforces it).
 */
import type { HoldReason } from './presence.js';

const en = {
  'held.idle': 'you are away',
  'held.locked': 'the screen is locked',
  'held.dnd': 'do not disturb is on',
  'held.meeting': 'you are in a meeting (camera or microphone in use)',
  'held.summary': 'Held: {reasons}',
  'naturalBreak.taken': '{name}: break taken (away {minutes} min)',
} as const;

type Key = keyof typeof en;

const zhCN: Record<Key, string> = {
  'held.idle': '您暂时离开',
  'held.locked': '屏幕已锁定',
  'held.dnd': '勿扰模式已开启',
  'held.meeting': '您正在开会（摄像头或麦克风在使用）',
  'held.summary': '暂缓：{reasons}',
  'naturalBreak.taken': '{name}：已休息（离开 {minutes} 分钟）',
};

export const desktopStrings: Record<'en' | 'zh-CN', Record<Key, string>> = { en, 'zh-CN': zhCN };

/** The catalog key naming why reminders are held. */
export function holdReasonKey(reason: HoldReason): Key {
  return `held.${reason}`;
}

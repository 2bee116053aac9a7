import { describe, expect, it } from 'vitest';
import { trayCatalogs, trayText } from './tray-strings.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('tray strings', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(trayCatalogs['zh-CN']).sort()).toEqual(Object.keys(trayCatalogs.en).sort());
  });

  it('has the same placeholders in both languages, and no empty string', () => {
    for (const [key, english] of Object.entries(trayCatalogs.en)) {
      const chinese = trayCatalogs['zh-CN'][key as keyof typeof trayCatalogs.en];
      expect(placeholders(chinese), key).toEqual(placeholders(english));
      expect(chinese.trim(), key).not.toBe('');
    }
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(trayText('en', 'tray.timer.start', { minutes: 5 })).toBe('Start 5 min');
    expect(trayText('zh-CN', 'tray.pausedUntil', { time: '10:00' })).toBe('暂停至 10:00');
    expect(trayText('en', 'tray.stopped')).toBe('Engine stopped: {reason}');
  });
});

import { describe, expect, it } from 'vitest';
import { catalogs, placeholdersOf, resolveLocale, translate, type Locale, type MessageKey } from './index.js';

describe('i18n catalog', () => {
  const locales = Object.keys(catalogs) as Locale[];

  it('every locale has exactly the keys of English', () => {
    for (const locale of locales) {
      expect(Object.keys(catalogs[locale]).sort(), locale).toEqual(Object.keys(catalogs.en).sort());
    }
  });

  it('every translation uses the same placeholders as English, and none is empty', () => {
    for (const locale of locales) {
      for (const key of Object.keys(catalogs.en) as MessageKey[]) {
        expect(placeholdersOf(catalogs[locale][key]), `${locale} ${key}`).toEqual(
          placeholdersOf(catalogs.en[key]),
        );
        expect(catalogs[locale][key].trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('holds the tray menu in both languages', () => {
    expect(translate('en', 'tray.timer.start', { minutes: 5 })).toBe('Start 5 min');
    expect(translate('zh-CN', 'tray.pausedUntil', { time: '10:00' })).toBe('暂停至 10:00');
    expect(translate('en', 'tray.stopped')).toBe('Engine stopped: {reason}');
  });

  it('holds the default reminder in both languages', () => {
    expect(translate('en', 'reminder.default.message')).toBe("Don't code — rest your eyes");
    expect(translate('zh-CN', 'reminder.default.message')).toBe('不要 Coding，休息一下眼睛吧');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'reminder.footer', { pid: 42, processName: 'mytimer-daemon' })).toBe(
      'pid 42 · mytimer-daemon',
    );
    expect(translate('en', 'reminder.footer', { pid: 42 })).toBe('pid 42 · {processName}');
  });

  it('picks the plural form by the number', () => {
    const params = { ref: 't', list: '…' };
    expect(translate('en', 'error.timer.ambiguous', { ...params, count: 1 })).toContain('matches 1 timer:');
    expect(translate('en', 'error.timer.ambiguous', { ...params, count: 3 })).toContain('matches 3 timers:');
    expect(translate('zh-CN', 'error.timer.ambiguous', { ...params, count: 3 })).toContain('3 个计时器');
  });

  it('auto follows the OS locale', () => {
    expect(resolveLocale('auto', 'zh_CN.UTF-8')).toBe('zh-CN');
    expect(resolveLocale('auto', 'zh-TW')).toBe('zh-CN');
    expect(resolveLocale('auto', 'en_US.UTF-8')).toBe('en');
    expect(resolveLocale('auto', 'de-DE')).toBe('en');
    expect(resolveLocale('en', 'zh_CN.UTF-8')).toBe('en');
  });
});

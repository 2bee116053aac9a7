import { describe, expect, it } from 'vitest';
import { catalogs, resolveLocale, translate, type MessageKey } from './i18n.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalogs', () => {
  it('en and zh-CN have exactly the same keys', () => {
    expect(Object.keys(catalogs['zh-CN']).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it('each translation uses the same placeholders as English, and none is empty', () => {
    for (const key of Object.keys(catalogs.en) as MessageKey[]) {
      expect(placeholders(catalogs['zh-CN'][key]), key).toEqual(placeholders(catalogs.en[key]));
      expect(catalogs['zh-CN'][key].trim(), key).not.toBe('');
    }
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

  it('auto follows the OS locale', () => {
    expect(resolveLocale('auto', 'zh_CN.UTF-8')).toBe('zh-CN');
    expect(resolveLocale('auto', 'zh-TW')).toBe('zh-CN');
    expect(resolveLocale('auto', 'en_US.UTF-8')).toBe('en');
    expect(resolveLocale('auto', 'de-DE')).toBe('en');
    expect(resolveLocale('en', 'zh_CN.UTF-8')).toBe('en');
  });
});

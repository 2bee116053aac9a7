import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionLabel, defaultAppIcon, escapeMarkup, ICON_NAME, urgencyOf } from './notifications.js';

describe('urgency from priority', () => {
  it('priorities 1 to 3 are critical by default, the rest normal, and the threshold is configurable', () => {
    expect([1, 2, 3, 4, 20].map((priority) => urgencyOf({ priority }))).toEqual([
      'critical',
      'critical',
      'critical',
      'normal',
      'normal',
    ]);
    expect(urgencyOf({ priority: 5 }, 5)).toBe('critical');
    expect(urgencyOf({ priority: 1 }, 0)).toBe('normal');
  });

  it('an explicit urgency wins, and no priority at all is normal', () => {
    expect(urgencyOf({ priority: 1, urgency: 'low' })).toBe('low');
    expect(urgencyOf({})).toBe('normal');
  });
});

describe('texts', () => {
  it('button labels name the snooze minutes, in English and Chinese', () => {
    expect(actionLabel('snooze', 'en', 10)).toBe('Snooze 10 min');
    expect(actionLabel('snooze', 'en')).toBe('Snooze');
    expect(actionLabel('skip', 'en')).toBe('Skip');
    expect(actionLabel('start-break', 'en')).toBe('Start break');
    expect(actionLabel('snooze', 'zh-CN', 5)).toBe('稍后 5 分钟');
    expect(actionLabel('start-break', 'zh-CN')).toBe('开始休息');
  });

  it('markup is escaped so a message shows as typed', () => {
    expect(escapeMarkup('a <b>bold</b> & "q" \'s\'')).toBe('a &lt;b&gt;bold&lt;/b&gt; &amp; "q" \'s\'');
    expect(escapeMarkup('&amp;')).toBe('&amp;amp;');
  });
});

describe('the app icon', () => {
  it('is the icon file of the checkout when there is one', () => {
    expect(defaultAppIcon()).toMatch(/build\/icons\/icon-256\.png$/);
  });

  it('is the theme icon name inside an asar archive or where no file is found', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mytimer-icon-'));
    try {
      const asar = path.join(root, 'resources', 'app.asar');
      mkdirSync(path.join(asar, 'build', 'icons'), { recursive: true });
      writeFileSync(path.join(asar, 'build', 'icons', 'icon-256.png'), '');
      expect(defaultAppIcon(path.join(asar, 'dist', 'app', 'workers', 'desktop'))).toBe(ICON_NAME);
      expect(defaultAppIcon(path.join(root, 'nothing'))).toBe(ICON_NAME);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorText } from '../../shared/i18n/index.js';
import { TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('daemon error replies', () => {
  it('an unknown reminder id carries its catalog key, so a Chinese window shows it in Chinese', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.remove', { id: 'nope' });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'not-found',
        message: 'no reminder "nope"',
        key: 'error.reminder.notFound',
        params: { id: 'nope' },
      },
    });
    if (reply.ok) return;
    expect(errorText('zh-CN', reply.error)).toBe('没有提醒 "nope"');
    expect(errorText('en', reply.error)).toBe('no reminder "nope"');
  });

  it('a duplicate reminder id is an invalid-field error with its key, field and English reason', async () => {
    const sut = await home.open();
    const reply = await sut.request('reminder.add', {
      reminder: {
        id: 'rest-eyes',
        schedule: { kind: 'every', intervalMs: 3_600_000 },
        priority: 5,
        enabled: true,
      },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'invalid',
        field: 'params.reminder.id',
        message: 'a reminder with id "rest-eyes" already exists',
        key: 'error.reminder.exists',
      },
    });
    if (reply.ok) return;
    expect(errorText('zh-CN', reply.error)).toBe('已有 id 为 "rest-eyes" 的提醒');
  });

  it('stopping no pomodoro says so in the catalog', async () => {
    const sut = await home.open();
    const reply = await sut.request('pomodoro.stop', {});
    if (reply.ok) throw new Error('expected an error');
    expect(reply.error.key).toBe('error.pomodoro.notRunning');
    expect(errorText('zh-CN', reply.error)).toBe('没有正在运行的番茄钟');
  });

  it('an error without a known key falls back to its English message', () => {
    expect(errorText('zh-CN', { message: 'boom', key: 'no.such.key' })).toBe('boom');
    expect(errorText('zh-CN', { message: 'boom' })).toBe('boom');
  });
});

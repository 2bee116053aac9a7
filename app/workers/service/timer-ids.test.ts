import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimerView } from '../../shared/contract.js';
import { MINUTE, TestHome } from './test-support/harness.js';

let home: TestHome;
beforeEach(async () => {
  home = await TestHome.create();
});
afterEach(async () => {
  await home.cleanup();
});

describe('timer ids and references', () => {
  it('gives timers short ids t1, t2 …, reusing the lowest one free', async () => {
    const sut = await home.open();
    const start = async (name: string) =>
      (await sut.ok<TimerView>('timer.start', { durationMs: 5 * MINUTE, name })).id;
    expect([await start('a'), await start('b'), await start('c')]).toEqual(['t1', 't2', 't3']);
    await sut.ok('timer.stop', { id: 't2' });
    expect(await start('d')).toBe('t2');
    expect(await start('e')).toBe('t4');
  });

  it('finds a timer by id, by name, or by a unique prefix of either', async () => {
    const sut = await home.open();
    await sut.ok('timer.start', { durationMs: 5 * MINUTE, name: 'Tea' });
    await sut.ok('timer.start', { durationMs: 9 * MINUTE, name: 'Bread in the oven' });
    expect(await sut.ok<TimerView>('timer.pause', { id: 't1' })).toMatchObject({ id: 't1', state: 'paused' });
    expect(await sut.ok<TimerView>('timer.resume', { id: 'tea' })).toMatchObject({
      id: 't1',
      state: 'running',
    });
    expect(await sut.ok<TimerView>('timer.pause', { id: 'bread' })).toMatchObject({ id: 't2' });
    expect(await sut.request('timer.pause', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no timer "x" (see `mytimer timer list`)' },
    });
  });

  it('refuses an ambiguous reference, listing the timers it matches', async () => {
    const sut = await home.open();
    await sut.ok('timer.start', { durationMs: 5 * MINUTE, name: 'tea' });
    await sut.ok('timer.start', { durationMs: 5 * MINUTE, name: 'team call' });
    expect(await sut.request('timer.stop', { id: 'te' })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid',
        field: 'params.id',
        message: '"te" matches 2 timers: t1 "tea", t2 "team call"; give more of the id or name',
      },
    });
    expect(sut.service.status().timers).toHaveLength(2);
  });

  it('keeps short ids across a restart, and does not reuse one still taken', async () => {
    const sut = await home.open();
    await sut.ok('timer.start', { durationMs: 30 * MINUTE, name: 'focus' });
    await sut.ok('timer.start', { mode: 'stopwatch', name: 'meeting' });
    await sut.close();
    const again = await home.open();
    expect(again.service.status().timers.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(await again.ok<TimerView>('timer.pause', { id: 't1' })).toMatchObject({ name: 'focus' });
    expect((await again.ok<TimerView>('timer.start', { durationMs: MINUTE })).id).toBe('t3');
  });
});

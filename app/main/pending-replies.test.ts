import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingReplies } from './pending-replies.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PendingReplies', () => {
  it('hands each reply to the request with its id, once', async () => {
    const pending = new PendingReplies('t');
    const first = pending.create(1_000);
    const second = pending.create(1_000);
    expect(first.id).not.toBe(second.id);
    expect(pending.settle({ id: second.id, ok: true, result: 2 })).toBe(true);
    expect(pending.settle({ id: second.id, ok: true, result: 'again' })).toBe(false);
    expect(pending.settle({ id: 'unknown', ok: true, result: 0 })).toBe(false);
    expect(pending.settle({ id: null, ok: true, result: 0 })).toBe(false);
    await expect(second.reply).resolves.toEqual({ id: second.id, ok: true, result: 2 });
    expect(pending.size).toBe(1);
  });

  it('answers unavailable after the timeout, and when failed all at once', async () => {
    const pending = new PendingReplies();
    const slow = pending.create(500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(slow.reply).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const a = pending.create(10_000);
    const b = pending.create(10_000);
    pending.failAll({ code: 'unavailable', message: 'gone' });
    await expect(a.reply).resolves.toEqual({
      id: a.id,
      ok: false,
      error: { code: 'unavailable', message: 'gone' },
    });
    await expect(b.reply).resolves.toMatchObject({ ok: false });
    expect(pending.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

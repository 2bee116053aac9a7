import { describe, expect, it } from 'vitest';
import type { ReminderView, Reply, Request } from '../../shared/contract.js';
import { actOnNotification, reminderDetails, requestFor } from './reminder-actions.js';

function view(overrides: Partial<ReminderView> & { id: string }): ReminderView {
  return {
    enabled: true,
    priority: 5,
    snoozeMinutes: 5,
    sound: false,
    schedule: { kind: 'every', intervalMs: 60 * 60_000 },
    displayName: overrides.name ?? overrides.id,
    displayMessage: 'm',
    nextDueAt: null,
    ...overrides,
  } as ReminderView;
}

describe('what a reminder notification carries', () => {
  it('a break reminder offers Snooze, Skip and Start break; others Snooze and Skip', () => {
    expect(reminderDetails(view({ id: 'rest-eyes', priority: 2, snoozeMinutes: 10 }))).toEqual({
      key: 'rest-eyes',
      priority: 2,
      actions: ['snooze', 'skip', 'start-break'],
      snoozeMinutes: 10,
    });
    expect(reminderDetails(view({ id: 'water' })).actions).toEqual(['snooze', 'skip']);
    expect(reminderDetails(view({ id: 'stretch', break: true })).actions).toContain('start-break');
  });

  it('leaves out Snooze or Skip once its daily limit is used up', () => {
    const limited = view({ id: 'water', leftToday: { snoozes: 0, skips: 2 } });
    expect(reminderDetails(limited).actions).toEqual(['skip']);
    expect(reminderDetails(view({ id: 'water', leftToday: { snoozes: null, skips: 0 } })).actions).toEqual([
      'snooze',
    ]);
  });
});

describe('what a press asks the daemon', () => {
  const press = (action: 'snooze' | 'skip' | 'start-break' | 'default') => ({
    key: 'rest-eyes',
    action,
    notificationId: 7,
  });

  it('Snooze shows that reminder again in its own minutes; Start break is its rest-now; Skip is reminder.skip; a click asks nothing', () => {
    expect(requestFor(press('snooze'), 'r1')).toEqual({
      id: 'r1',
      method: 'reminder.snooze',
      params: { id: 'rest-eyes', again: true },
    });
    expect(requestFor(press('start-break'), 'r2')).toEqual({
      id: 'r2',
      method: 'rest-now',
      params: { id: 'rest-eyes' },
    });
    expect(requestFor(press('skip'), 'r3')).toEqual({
      id: 'r3',
      method: 'reminder.skip',
      params: { id: 'rest-eyes' },
    });
    expect(requestFor(press('default'), 'r4')).toBeNull();
  });

  it('carries a press out through handle() and logs it; a refused request is logged, never thrown', async () => {
    const requests: Request[] = [];
    const logs: string[] = [];
    const log = (_level: string, message: string) => logs.push(message);
    const handle = async (request: Request): Promise<Reply> => {
      requests.push(request);
      return request.method === 'rest-now'
        ? { id: request.id, ok: true, result: { delivered: true } }
        : { id: request.id, ok: false, error: { code: 'invalid', message: 'no pending occurrence' } };
    };
    await actOnNotification(press('start-break'), handle, log);
    await actOnNotification(press('snooze'), handle, log);
    await actOnNotification(press('skip'), handle, log);
    await actOnNotification(press('snooze'), async () => null, log);
    await actOnNotification(press('snooze'), async () => Promise.reject(new Error('boom')), log);
    expect(requests.map((request) => request.method)).toEqual([
      'rest-now',
      'reminder.snooze',
      'reminder.skip',
    ]);
    expect(logs).toEqual([
      'notification of "rest-eyes": start-break',
      'notification of "rest-eyes": snooze failed: no pending occurrence',
      'notification of "rest-eyes": skip failed: no pending occurrence',
      'notification of "rest-eyes": snooze ignored, the daemon is starting',
      'notification of "rest-eyes": snooze failed: boom',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ReminderView, Reply, Request } from '../../shared/contract.js';
import type { Notification, Notifier } from '../notify/index.js';
import {
  actOnNotification,
  reminderDetails,
  reminderForTitle,
  requestFor,
  withReminderDetails,
} from './reminder-actions.js';

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

function recordingNotifier(): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return {
    sent,
    async notify(notification) {
      sent.push(notification);
      return { delivered: true };
    },
  };
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

  it('a title belongs to the one enabled reminder showing it; shared or unknown titles to none', () => {
    const reminders = [
      view({ id: 'water', name: 'Water' }),
      view({ id: 'tea', name: 'Tea' }),
      view({ id: 'tea-2', name: 'Tea' }),
      view({ id: 'old', name: 'Walk', enabled: false }),
    ];
    expect(reminderForTitle(reminders, 'Water')?.id).toBe('water');
    expect(reminderForTitle(reminders, 'Tea')).toBeUndefined();
    expect(reminderForTitle(reminders, 'Walk')).toBeUndefined();
    expect(reminderForTitle(reminders, 'Timer finished')).toBeUndefined();
  });

  it('the notifier gets the details of the reminder its title names, and keeps what the caller gave', async () => {
    const inner = recordingNotifier();
    const notifier = withReminderDetails(inner, async () => [
      view({ id: 'water', name: 'Water', priority: 3 }),
    ]);
    await notifier.notify({ title: 'Water', message: 'drink' });
    await notifier.notify({ title: '3 reminders', message: 'Water, Tea, Walk' });
    await notifier.notify({ title: 'Water', message: 'drink', key: 'given', priority: 9 });
    expect(inner.sent).toEqual([
      {
        title: 'Water',
        message: 'drink',
        key: 'water',
        priority: 3,
        actions: ['snooze', 'skip'],
        snoozeMinutes: 5,
      },
      { title: '3 reminders', message: 'Water, Tea, Walk' },
      { title: 'Water', message: 'drink', key: 'given', priority: 9 },
    ]);
  });

  it('a failed reminder listing still sends the notification, plain', async () => {
    const inner = recordingNotifier();
    const notifier = withReminderDetails(inner, async () => {
      throw new Error('starting');
    });
    await expect(notifier.notify({ title: 'Water', message: 'drink' })).resolves.toEqual({ delivered: true });
    expect(inner.sent).toEqual([{ title: 'Water', message: 'drink' }]);
  });
});

describe('what a press asks the daemon', () => {
  const press = (action: 'snooze' | 'skip' | 'start-break' | 'default') => ({
    key: 'rest-eyes',
    action,
    notificationId: 7,
  });

  it('Snooze snoozes that reminder by its own minutes; Start break is its rest-now; Skip is reminder.skip; a click asks nothing', () => {
    expect(requestFor(press('snooze'), 'r1')).toEqual({
      id: 'r1',
      method: 'reminder.snooze',
      params: { id: 'rest-eyes' },
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

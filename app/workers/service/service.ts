import { EventEmitter } from 'node:events';
import {
  parseParams,
  requestSchema,
  type DaemonEvent,
  type Method,
  type Reply,
  type Result,
  type Status,
} from '../../shared/contract.js';
import type { Locale } from '../../shared/i18n/index.js';
import type { Settings } from '../../shared/settings.js';
import type { Presence } from '../desktop/index.js';
import { parseWith } from '../../shared/validate.js';
import { ServiceContext, type Handler, type Handlers, type ServiceOptions } from './context.js';
import { toErrorBody } from './errors.js';
import { historyEntriesOf } from '../history/index.js';
import { historyHandlers, seedDailyCounts } from './history.js';
import { hostEventHandlers } from './host-events.js';
import { announceJob, jobHandlers } from './jobs.js';
import { load, saveState, settingsFileChanged } from './persistence.js';
import { pomodoroHandlers } from './pomodoro.js';
import { applyPresenceSettings, wirePresence } from './presence.js';
import { onReminderFire, reminderHandlers } from './reminders.js';
import { settingsHandlers } from './settings.js';
import { timerHandlers } from './timers.js';
import { statusView } from './views.js';

export interface ServiceEvents {
  event: [DaemonEvent];
  /** A `shutdown` request arrived: the host should flush and exit. */
  shutdown: [];
}

/**
 * The daemon's engine behind one `handle(message)`: the contract in, replies and events out.
 * Transport-free, so it runs the same under Electron's utilityProcess, a Node fork and in tests.
 * It only parses and dispatches: each method's handler (typed by the contract's method table)
 * lives with its area, and all of them share one ServiceContext.
 */
export class DaemonService extends EventEmitter<ServiceEvents> {
  readonly #ctx: ServiceContext;
  readonly #handlers: Handlers;

  private constructor(options: ServiceOptions) {
    super();
    const ctx = new ServiceContext(options, (event) => this.emit('event', event), {
      onReminderFire,
      statusView,
      saveState,
      applyPresenceSettings,
      announceJob,
    });
    this.#ctx = ctx;
    wirePresence(ctx);
    // The recorder: every history entry the service emits is counted for the daily limits and kept.
    this.on('event', (event) => {
      for (const entry of historyEntriesOf(event)) {
        ctx.dailyCounts.add(entry);
        ctx.history?.append(entry);
      }
    });
    this.#handlers = {
      ping: () => ({ pong: true, pid: ctx.pid }),
      status: () => statusView(ctx),
      shutdown: () => {
        setImmediate(() => this.emit('shutdown'));
        return { stopping: true };
      },
      ...settingsHandlers(ctx),
      ...hostEventHandlers(ctx),
      ...reminderHandlers(ctx),
      ...timerHandlers(ctx),
      ...pomodoroHandlers(ctx),
      ...jobHandlers(ctx),
      ...historyHandlers(ctx),
    };
  }

  /** Loads settings and state (recovering from damage, with warnings) and starts scheduling. */
  static async open(options: ServiceOptions): Promise<DaemonService> {
    const service = new DaemonService(options);
    await load(service.#ctx);
    await seedDailyCounts(service.#ctx);
    return service;
  }

  get locale(): Locale {
    return this.#ctx.locale;
  }

  get timeZone(): string {
    return this.#ctx.timeZone;
  }

  /** Whether the user is there to see reminders: the headless desktop sources feed this one. */
  get presence(): Presence {
    return this.#ctx.presence;
  }

  /** The settings in use (the daemon reads its desktop options from them at start). */
  get settings(): Settings {
    return this.#ctx.settings;
  }

  /** Parses and answers one message of the contract. Never throws: bad input becomes an error reply naming the field. */
  async handle(message: unknown): Promise<Reply> {
    const id =
      message !== null && typeof message === 'object' && 'id' in message && isReplyId(message.id)
        ? message.id
        : null;
    try {
      const request = parseWith(requestSchema, message, '');
      const result = await this.#dispatch(request.method, request.params);
      return { id, ok: true, result };
    } catch (error) {
      return { id, ok: false, error: toErrorBody(error) };
    }
  }

  async #dispatch<M extends Method>(method: M, rawParams: unknown): Promise<Result<M>> {
    const params = parseParams(method, rawParams ?? {});
    const handler: Handler<M> = this.#handlers[method];
    return handler(params);
  }

  status(): Status {
    return statusView(this.#ctx);
  }

  /** settings.json changed on disk: apply a hand edit that checks out, reject (and restore) one that does not. */
  settingsFileChanged(): Promise<void> {
    return settingsFileChanged(this.#ctx);
  }

  /** Writes state now and stops every timer: called once, on shutdown. */
  async close(): Promise<void> {
    const ctx = this.#ctx;
    if (ctx.closed) return;
    ctx.closed = true;
    ctx.presence.removeAllListeners();
    if (ctx.stateTimer) ctx.clock.clearTimer(ctx.stateTimer);
    ctx.stateTimer = null;
    await ctx.jobs.stopAll();
    await saveState(ctx);
    await ctx.history?.flush();
    ctx.scheduler.dispose();
    for (const timer of ctx.timers.values()) timer.dispose();
    ctx.pomodoro?.dispose();
  }
}

function isReplyId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
}

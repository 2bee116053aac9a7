/// <reference lib="dom" />
import type { MyTimerApi } from '../preload/api.js';
import type { DaemonEvent, ReminderView, Status } from '../shared/contract.js';
import type { Settings } from '../shared/settings.js';
import { Announcer } from './announcer.js';
import { BackupsPanel } from './backups-panel.js';
import { caller, type Call } from './bridge.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { formatSpan, formatWhen } from './format.js';
import { GeneralPanel } from './general-panel.js';
import { locale, setLocale, t } from './locale.js';
import { RemindersPanel } from './reminders-panel.js';
import { StatsPanel } from './stats-panel.js';
import { TimersPanel } from './timers-panel.js';
import { UpcomingPanel } from './upcoming-panel.js';

const TICK_MS = 1_000;
/** Status events can come in bursts (a timer's every state change): re-read the reminders once per burst. */
const REMINDER_REFRESH_DELAY_MS = 150;

/**
 * The settings window: wires the panels to the daemon. State lives in the daemon; this keeps the last
 * status, reminders and settings it saw, redraws the panels when they change, and redraws everything
 * when the daemon's language changes.
 */
export class App implements Context {
  readonly call: Call;
  readonly announcer = new Announcer();
  readonly #api: MyTimerApi;
  readonly #root: HTMLElement;
  readonly #reminders: RemindersPanel;
  readonly #timers: TimersPanel;
  readonly #upcoming: UpcomingPanel;
  readonly #general: GeneralPanel;
  readonly #backups: BackupsPanel;
  readonly #stats: StatsPanel;
  readonly #statusLine = h('p', { class: 'status-line', 'data-testid': 'status-line' });
  #status: Status | null = null;
  #reminderList: readonly ReminderView[] = [];
  #settings: Settings | null = null;
  #connected = false;
  /** Status events seen so far: a reply read before the latest one must not overwrite it. */
  #statusEvents = 0;
  #reminderRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(api: MyTimerApi, root: HTMLElement) {
    this.#api = api;
    this.#root = root;
    this.call = caller(api);
    this.#reminders = new RemindersPanel(this);
    this.#timers = new TimersPanel(this);
    this.#upcoming = new UpcomingPanel();
    this.#general = new GeneralPanel(this);
    // The OS folder dialog, when the app gives one (a page outside Electron types the paths).
    const pickFolder = typeof api.pickFolder === 'function' ? () => api.pickFolder() : undefined;
    this.#backups = new BackupsPanel(this, pickFolder);
    this.#stats = new StatsPanel(this);
  }

  async start(): Promise<void> {
    this.#render();
    this.#api.onEvent((event) => this.#onEvent(event));
    setInterval(() => this.#tick(), TICK_MS);
    const last = await this.#api.status().catch(() => null);
    if (last && this.#statusEvents === 0) this.#applyStatus(last);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const statusEventsBefore = this.#statusEvents;
    try {
      const [status, reminders, settings] = await Promise.all([
        this.call('status', {}),
        this.call('reminder.list', {}),
        this.call('settings.get', {}),
      ]);
      this.#connected = true;
      this.#reminderList = reminders;
      this.#settings = settings;
      // A status pushed while these were on their way is newer than the one read: keep it.
      if (this.#statusEvents === statusEventsBefore || !this.#status) this.#show(status);
      else this.#update();
      void this.#refreshStats();
    } catch (error) {
      this.#connected = false;
      this.#renderStatusLine(Date.now());
      announceFailure(this, error);
    }
  }

  #onEvent(event: DaemonEvent): void {
    switch (event.event) {
      case 'status':
        this.#statusEvents++;
        this.#connected = true;
        this.#applyStatus(event.data);
        // Next due times (and localized names) of the reminders moved with it.
        clearTimeout(this.#reminderRefresh);
        this.#reminderRefresh = setTimeout(() => void this.#refreshReminders(), REMINDER_REFRESH_DELAY_MS);
        break;
      case 'reminder':
        this.announcer.say(`${event.data.name}: ${event.data.message}`);
        void this.#refreshStats();
        break;
      case 'timer-done':
        this.announcer.say(t('timer.done.message', { name: event.data.name }));
        break;
      case 'job':
        this.#backups.onJobEvent(event.data);
        break;
      case 'log':
        break;
    }
  }

  async #refreshReminders(): Promise<void> {
    try {
      this.#reminderList = await this.call('reminder.list', {});
      this.#reminders.update(this.#reminderList, Date.now());
    } catch {
      // The next status or refresh tries again; a transient failure is not worth an error here.
    }
    // A snooze, skip or break taken comes with a status: the history moved with it.
    await this.#refreshStats();
  }

  async #refreshStats(): Promise<void> {
    try {
      await this.#stats.refresh();
    } catch {
      // As for the reminders: the next status or refresh tries again.
    }
  }

  /** A status pushed by the daemon (or main's last one). */
  #applyStatus(status: Status): void {
    if (status.locale === locale()) this.#show(status);
    else void this.#switchLanguage();
  }

  /**
   * Reminder names and messages come localized from the daemon. On a new language, status and
   * reminders are read together (the daemon answers in order, so they agree) before re-rendering:
   * the window never shows one language's labels around the other's names, even when a late event
   * still carries the old language.
   */
  async #switchLanguage(): Promise<void> {
    try {
      const [status, reminders] = await Promise.all([
        this.call('status', {}),
        this.call('reminder.list', {}),
      ]);
      this.#reminderList = reminders;
      this.#show(status);
    } catch (error) {
      announceFailure(this, error);
    }
  }

  /** Shows a status whose reminders are already at hand, re-rendering everything if its language is new. */
  #show(status: Status): void {
    this.#status = status;
    if (setLocale(status.locale)) this.#render();
    else this.#update();
  }

  /** Builds the whole window in the current language. */
  #render(): void {
    document.title = t('ui.title');
    replaceContent(
      this.#root,
      // The toast sits in the header's flow (sticky at the top), never over a panel's content.
      h(
        'header',
        { class: 'app-header' },
        h('h1', {}, t('app.name')),
        this.#statusLine,
        this.announcer.element,
      ),
      h(
        'main',
        { class: 'layout' },
        h('div', { class: 'column' }, this.#reminders.element, this.#backups.element, this.#general.element),
        h('div', { class: 'column' }, this.#timers.element, this.#upcoming.element, this.#stats.element),
      ),
    );
    this.#reminders.render();
    this.#timers.render();
    this.#upcoming.render();
    this.#general.render();
    this.#backups.render();
    this.#stats.render();
    this.#update();
  }

  #update(): void {
    const now = Date.now();
    this.#reminders.update(this.#reminderList, now);
    if (this.#settings) this.#general.update(this.#settings);
    if (this.#status) {
      this.#timers.update(this.#status);
      this.#upcoming.update(this.#status.upcoming, now);
      this.#backups.update(this.#status.jobs);
    }
    this.#renderStatusLine(now);
  }

  #tick(): void {
    const now = Date.now();
    this.#timers.tick(now);
    this.#upcoming.tick(now);
    this.#renderStatusLine(now);
  }

  #renderStatusLine(nowMs: number): void {
    const status = this.#status;
    let text: string;
    if (!this.#connected || !status) text = t(status ? 'ui.disconnected' : 'ui.connecting');
    else if (status.paused) {
      text =
        status.pausedUntil === null
          ? t('status.paused')
          : t('status.pausedUntil', { time: formatWhen(status.pausedUntil, nowMs) });
    } else if (status.nextReminder) {
      text = t('status.next', {
        name: status.nextReminder.name,
        countdown: formatSpan(status.nextReminder.dueAt - nowMs),
      });
    } else text = t('status.none');
    if (this.#statusLine.textContent !== text) this.#statusLine.textContent = text;
  }
}

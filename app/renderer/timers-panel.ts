/// <reference lib="dom" />
import type { PomodoroView, Status, TimerView } from '../shared/contract.js';
import { MINUTE_MS, TIMER_DURATION_MAX_MS } from '../shared/limits.js';
import { RequestFailed } from './bridge.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { FieldErrors, fieldOf } from './field-errors.js';
import { formatCountdown } from '../shared/time-format.js';
import { t } from './locale.js';

/**
 * The Timers section: quick countdowns, a custom one, a stopwatch, and the pomodoro. The daemon owns
 * every timer; the clocks here are redrawn each second from `endsAt` (or `elapsedMs` + time since
 * `at`), and the list itself from each `status` the daemon pushes.
 */

const QUICK_MINUTES = [5, 15, 25] as const;

/** What a timer's clock shows at `nowMs`: time left for a countdown, time elapsed for a stopwatch. */
export function shownMs(timer: TimerView, nowMs: number): number {
  const running = timer.state === 'running';
  if (timer.mode === 'countdown') {
    if (running && timer.endsAt !== null) return timer.endsAt - nowMs;
    return timer.remainingMs ?? 0;
  }
  return running ? timer.elapsedMs + (nowMs - timer.at) : timer.elapsedMs;
}

export class TimersPanel {
  readonly element = h('section', { class: 'panel timers', 'aria-labelledby': 'timers-heading' });
  readonly #context: Context;
  readonly #list = h('ul', {
    class: 'timer-list',
    'data-testid': 'timer-list',
    'aria-labelledby': 'timers-heading',
  });
  readonly #pomodoroBox = h('div', {
    class: 'pomodoro',
    role: 'group',
    'aria-labelledby': 'pomodoro-heading',
  });
  /** The clock elements to redraw each second, with the timer each shows. */
  #clocks: { element: HTMLElement; timer: TimerView }[] = [];
  #timers: readonly TimerView[] = [];
  #pomodoro: PomodoroView | null = null;
  #customErrors = new FieldErrors();

  constructor(context: Context) {
    this.#context = context;
  }

  render(): void {
    const minutes = h('input', {
      id: 'timer-custom-minutes',
      'data-testid': 'timer-custom-minutes',
      type: 'number',
      inputmode: 'numeric',
      min: 1,
      max: TIMER_DURATION_MAX_MS / MINUTE_MS,
      step: 1,
      placeholder: '10',
    });
    this.#customErrors = new FieldErrors();
    const custom = h(
      'form',
      {
        class: 'custom-timer',
        novalidate: true,
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#startCustom(minutes);
          },
        },
      },
      h('label', { for: minutes.id }, t('ui.timers.custom')),
      h(
        'div',
        { class: 'inline' },
        minutes,
        h(
          'button',
          { type: 'submit', class: 'secondary', 'data-testid': 'timer-start-custom' },
          t('ui.timers.start'),
        ),
      ),
      this.#customErrors.slot('durationMs', minutes, 'timer-custom-minutes-error'),
    );
    replaceContent(
      this.element,
      h('div', { class: 'panel-head' }, h('h2', { id: 'timers-heading' }, t('ui.timers.heading'))),
      h(
        'div',
        { class: 'timer-controls' },
        h(
          'div',
          { class: 'quick', role: 'group', 'aria-label': t('ui.timers.quick') },
          QUICK_MINUTES.map((count) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'data-testid': `timer-start-${count}`,
                'aria-label': t('ui.timers.startLabel', { minutes: count }),
                on: { click: () => void this.#startCountdown(count) },
              },
              t('ui.timers.minutes', { minutes: count }),
            ),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-testid': 'timer-start-stopwatch',
              on: { click: () => void this.#startStopwatch() },
            },
            t('ui.timers.stopwatch'),
          ),
        ),
        custom,
      ),
      this.#list,
      this.#pomodoroBox,
    );
    this.#renderList();
    this.#renderPomodoro();
  }

  update(status: Status): void {
    this.#timers = status.timers;
    this.#pomodoro = status.pomodoro;
    this.#renderList();
    this.#renderPomodoro();
  }

  /** Redraws the running clocks (called each second). */
  tick(nowMs: number): void {
    for (const { element, timer } of this.#clocks) {
      const text = formatCountdown(shownMs(timer, nowMs));
      if (element.textContent !== text) element.textContent = text;
    }
  }

  #clock(timer: TimerView, testId: string): HTMLElement {
    const element = h('span', { class: 'clock', role: 'timer', 'data-testid': testId });
    element.textContent = formatCountdown(shownMs(timer, Date.now()));
    this.#clocks.push({ element, timer });
    return element;
  }

  #renderList(): void {
    this.#clocks = this.#clocks.filter(({ element }) => !this.#list.contains(element));
    if (this.#timers.length === 0) {
      replaceContent(this.#list, h('li', { class: 'empty' }, t('ui.timers.empty')));
      return;
    }
    replaceContent(
      this.#list,
      this.#timers.map((timer) => this.#item(timer)),
    );
  }

  #item(timer: TimerView): HTMLElement {
    const { id, name, state } = timer;
    const control = (action: 'pause' | 'resume' | 'stop', label: string) =>
      h(
        'button',
        {
          type: 'button',
          class: action === 'stop' ? 'secondary danger' : 'secondary',
          'data-testid': `timer-${action}-${id}`,
          'aria-label': t(`ui.timers.${action}Label`, { name }),
          on: { click: () => void this.#control(action, timer) },
        },
        label,
      );
    return h(
      'li',
      { class: 'timer', 'data-testid': `timer-item-${id}`, 'data-state': state },
      h(
        'div',
        { class: 'timer-info' },
        h('span', { class: 'timer-name' }, name),
        h(
          'span',
          { class: 'timer-meta' },
          t(timer.mode === 'countdown' ? 'ui.timers.countdown' : 'ui.timers.stopwatchMode'),
          h('span', { class: 'dot', 'aria-hidden': 'true' }, '·'),
          h(
            'span',
            { class: `state state-${state}`, 'data-testid': `timer-state-${id}` },
            t(`ui.timers.state.${state}`),
          ),
        ),
      ),
      this.#clock(timer, `timer-clock-${id}`),
      h(
        'div',
        { class: 'timer-actions' },
        state === 'running' && control('pause', t('ui.timers.pause')),
        state === 'paused' && control('resume', t('ui.timers.resume')),
        control(
          'stop',
          t(state === 'running' || state === 'paused' ? 'ui.timers.stop' : 'ui.timers.dismiss'),
        ),
      ),
    );
  }

  #renderPomodoro(): void {
    this.#clocks = this.#clocks.filter(({ element }) => !this.#pomodoroBox.contains(element));
    const pomodoro = this.#pomodoro;
    const button = (testId: string, label: string, run: () => Promise<unknown>, tone = 'secondary') =>
      h(
        'button',
        { type: 'button', class: tone, 'data-testid': testId, on: { click: () => void this.#run(run) } },
        label,
      );
    replaceContent(
      this.#pomodoroBox,
      h('h3', { id: 'pomodoro-heading' }, t('ui.pomodoro.heading')),
      pomodoro
        ? h(
            'p',
            { class: 'pomodoro-status', 'data-testid': 'pomodoro-status' },
            h('span', { class: `phase phase-${pomodoro.phase}` }, t(`pomodoro.${pomodoro.phase}`)),
            h('span', { class: 'dot', 'aria-hidden': 'true' }, '·'),
            h('span', {}, t('ui.pomodoro.round', { round: pomodoro.round })),
            this.#clock(pomodoro.timer, 'pomodoro-clock'),
          )
        : h('p', { class: 'pomodoro-status muted', 'data-testid': 'pomodoro-status' }, t('ui.pomodoro.idle')),
      h(
        'div',
        { class: 'actions' },
        pomodoro
          ? [
              button('pomodoro-skip', t('ui.pomodoro.skip'), () => this.#context.call('pomodoro.skip', {})),
              button(
                'pomodoro-stop',
                t('ui.pomodoro.stop'),
                () => this.#context.call('pomodoro.stop', {}),
                'secondary danger',
              ),
            ]
          : button('pomodoro-start', t('ui.pomodoro.start'), () => this.#context.call('pomodoro.start', {})),
      ),
    );
  }

  async #run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      announceFailure(this.#context, error);
    }
    await this.#context.refresh();
  }

  #startCountdown(minutes: number): Promise<void> {
    return this.#run(() =>
      this.#context.call('timer.start', {
        mode: 'countdown',
        durationMs: minutes * MINUTE_MS,
        name: t('ui.timers.quickName', { minutes }),
      }),
    );
  }

  #startStopwatch(): Promise<void> {
    return this.#run(() =>
      this.#context.call('timer.start', { mode: 'stopwatch', name: t('ui.timers.stopwatchName') }),
    );
  }

  async #startCustom(input: HTMLInputElement): Promise<void> {
    this.#customErrors.clear();
    const minutes = input.value.trim() === '' ? Number.NaN : Number(input.value);
    try {
      await this.#context.call('timer.start', {
        mode: 'countdown',
        durationMs: Math.round(minutes * MINUTE_MS),
        name: t('ui.timers.quickName', { minutes }),
      });
      input.value = '';
    } catch (error) {
      const field = error instanceof RequestFailed ? fieldOf(error.body.field) : undefined;
      if (error instanceof RequestFailed && this.#customErrors.show(field, error.body.message)) input.focus();
      else announceFailure(this.#context, error);
      return;
    }
    await this.#context.refresh();
  }

  async #control(action: 'pause' | 'resume' | 'stop', timer: TimerView): Promise<void> {
    await this.#run(() => this.#context.call(`timer.${action}`, { id: timer.id }));
    // Pause and resume swap buttons: keep focus on the one that replaced the pressed one.
    if (!this.element.contains(document.activeElement)) {
      const swapped = action === 'pause' ? 'resume' : 'pause';
      this.element.querySelector<HTMLElement>(`[data-testid="timer-${swapped}-${timer.id}"]`)?.focus();
    }
  }
}

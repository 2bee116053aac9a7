/// <reference lib="dom" />
import type { Upcoming } from '../shared/contract.js';
import { h, replaceContent } from './dom.js';
import { formatIn, formatWhen } from './format.js';
import { t } from './locale.js';

/**
 * The Upcoming section: what fires next, in exactly the daemon's order (`Status.upcoming` is already
 * sorted by due time, then priority, then first come), with each task's priority and due time.
 */
export class UpcomingPanel {
  readonly element = h('section', { class: 'panel upcoming', 'aria-labelledby': 'upcoming-heading' });
  readonly #list = h('ol', {
    class: 'upcoming-list',
    'data-testid': 'upcoming-list',
    'aria-labelledby': 'upcoming-heading',
  });
  #upcoming: readonly Upcoming[] = [];
  /** The "in 29 min" cells, redrawn each minute-ish by `tick`. */
  #countdowns: { element: HTMLElement; dueAt: number }[] = [];

  render(): void {
    replaceContent(
      this.element,
      h('div', { class: 'panel-head' }, h('h2', { id: 'upcoming-heading' }, t('ui.upcoming.heading'))),
      this.#list,
    );
    this.#renderList(Date.now());
  }

  update(upcoming: readonly Upcoming[], nowMs: number): void {
    this.#upcoming = upcoming;
    this.#renderList(nowMs);
  }

  tick(nowMs: number): void {
    for (const { element, dueAt } of this.#countdowns) {
      const text = formatIn(dueAt, nowMs);
      if (element.textContent !== text) element.textContent = text;
    }
  }

  #renderList(nowMs: number): void {
    this.#countdowns = [];
    if (this.#upcoming.length === 0) {
      replaceContent(this.#list, h('li', { class: 'empty' }, t('ui.upcoming.empty')));
      return;
    }
    replaceContent(
      this.#list,
      this.#upcoming.map((task) => {
        const countdown = h('span', { class: 'muted' }, formatIn(task.dueAt, nowMs));
        this.#countdowns.push({ element: countdown, dueAt: task.dueAt });
        return h(
          'li',
          {
            class: 'upcoming-item',
            'data-testid': 'upcoming-item',
            'data-id': task.id,
            'data-kind': task.kind,
            'data-priority': task.priority,
          },
          h(
            'span',
            { class: 'upcoming-when' },
            h('time', { datetime: new Date(task.dueAt).toISOString() }, formatWhen(task.dueAt, nowMs)),
            countdown,
          ),
          h(
            'span',
            { class: 'upcoming-what' },
            h('span', { class: 'upcoming-name' }, task.name),
            h('span', { class: `kind kind-${task.kind}` }, t(`ui.upcoming.kind.${task.kind}`)),
            task.snoozed && h('span', { class: 'kind' }, t('ui.upcoming.snoozed')),
            // Held while the user is away (idle, locked, DND, meeting): why, on hover and for screen readers.
            task.held !== undefined &&
              task.held.length > 0 &&
              h(
                'span',
                {
                  class: 'kind kind-held',
                  'data-testid': 'upcoming-held',
                  title: task.held.map((reason) => t(`held.${reason}`)).join(', '),
                },
                t('ui.upcoming.held'),
              ),
          ),
          h(
            'span',
            { class: 'badge', title: t('ui.priority', { priority: task.priority }) },
            h('span', { class: 'sr-only' }, t('ui.priority', { priority: task.priority })),
            h('span', { 'aria-hidden': 'true' }, `P${task.priority}`),
          ),
        );
      }),
    );
  }
}

/// <reference lib="dom" />
import type { ReminderView } from '../shared/contract.js';
import { formatSchedule } from '../shared/schedule-text.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { formatWhen } from './format.js';
import { t } from './locale.js';
import { ReminderEditor } from './reminder-editor.js';

/** The Reminders section: the list (enable, edit, delete) and the add/edit form. */
export class RemindersPanel {
  readonly element = h('section', { class: 'panel reminders', 'aria-labelledby': 'reminders-heading' });
  readonly #context: Context;
  readonly #editor: ReminderEditor;
  readonly #list = h('ul', { class: 'reminder-list', 'data-testid': 'reminder-list' });
  #reminders: readonly ReminderView[] = [];
  #now = Date.now();

  constructor(context: Context) {
    this.#context = context;
    this.#editor = new ReminderEditor(context, () => this.#reminders);
  }

  /** Builds the section in the current language (the open form keeps what was typed). */
  render(): void {
    this.#list.setAttribute('aria-labelledby', 'reminders-heading');
    replaceContent(
      this.element,
      h(
        'div',
        { class: 'panel-head' },
        h('h2', { id: 'reminders-heading' }, t('ui.reminders.heading')),
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'reminder-add',
            on: { click: () => this.#editor.open(null, 'reminder-add') },
          },
          t('ui.reminders.add'),
        ),
      ),
      this.#list,
      this.#editor.element,
    );
    this.#renderList();
    this.#editor.render();
  }

  update(reminders: readonly ReminderView[], nowMs: number): void {
    const changed = JSON.stringify(reminders) !== JSON.stringify(this.#reminders);
    this.#reminders = reminders;
    this.#now = nowMs;
    if (changed) this.#renderList();
  }

  #renderList(): void {
    if (this.#reminders.length === 0) {
      replaceContent(this.#list, h('li', { class: 'empty' }, t('ui.reminders.empty')));
      return;
    }
    replaceContent(
      this.#list,
      this.#reminders.map((reminder) => this.#item(reminder)),
    );
  }

  #item(reminder: ReminderView): HTMLElement {
    const name = reminder.displayName;
    const nameId = `reminder-${reminder.id}-name`;
    const next =
      reminder.enabled && reminder.nextDueAt !== null
        ? t('ui.reminders.next', { time: formatWhen(reminder.nextDueAt, this.#now) })
        : t(reminder.enabled ? 'ui.reminders.noNext' : 'ui.reminders.disabled');
    return h(
      'li',
      {
        class: reminder.enabled ? 'reminder' : 'reminder disabled',
        'data-testid': `reminder-item-${reminder.id}`,
        'aria-labelledby': nameId,
      },
      h(
        'div',
        { class: 'reminder-main' },
        h(
          'div',
          { class: 'reminder-title' },
          h('span', { id: nameId, class: 'reminder-name' }, name),
          h(
            'span',
            { class: 'badge', title: t('ui.priority', { priority: reminder.priority }) },
            h('span', { class: 'sr-only' }, t('ui.priority', { priority: reminder.priority })),
            h('span', { 'aria-hidden': 'true' }, `P${reminder.priority}`),
          ),
        ),
        h('p', { class: 'reminder-message' }, reminder.displayMessage),
        h(
          'p',
          { class: 'reminder-meta' },
          h('code', {}, formatSchedule(reminder.schedule)),
          h('span', { class: 'dot', 'aria-hidden': 'true' }, '·'),
          h('span', {}, next),
        ),
      ),
      h(
        'div',
        { class: 'reminder-actions' },
        h(
          'label',
          { class: 'switch' },
          h('input', {
            type: 'checkbox',
            'data-testid': `reminder-enabled-${reminder.id}`,
            checked: reminder.enabled,
            'aria-label': t('ui.reminders.enabledLabel', { name }),
            on: { change: (event) => void this.#setEnabled(reminder, event.currentTarget) },
          }),
          h('span', { 'aria-hidden': 'true' }, t('ui.reminders.enabled')),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': `reminder-edit-${reminder.id}`,
            'aria-label': t('ui.reminders.editLabel', { name }),
            on: { click: () => this.#editor.open(reminder, `reminder-edit-${reminder.id}`) },
          },
          t('ui.reminders.edit'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary danger',
            'data-testid': `reminder-delete-${reminder.id}`,
            'aria-label': t('ui.reminders.deleteLabel', { name }),
            on: { click: () => void this.#remove(reminder) },
          },
          t('ui.reminders.delete'),
        ),
      ),
    );
  }

  async #setEnabled(reminder: ReminderView, box: EventTarget | null): Promise<void> {
    const enabled = box instanceof HTMLInputElement ? box.checked : !reminder.enabled;
    try {
      await this.#context.call(enabled ? 'reminder.enable' : 'reminder.disable', { id: reminder.id });
      this.#context.announcer.say(
        t(enabled ? 'ui.reminders.enabledNow' : 'ui.reminders.disabledNow', { name: reminder.displayName }),
      );
    } catch (error) {
      announceFailure(this.#context, error);
    }
    await this.#context.refresh();
  }

  async #remove(reminder: ReminderView): Promise<void> {
    try {
      await this.#context.call('reminder.remove', { id: reminder.id });
      this.#context.announcer.say(t('ui.reminders.deleted', { name: reminder.displayName }));
      if (this.#editor.editingId === reminder.id) this.#editor.close();
    } catch (error) {
      announceFailure(this.#context, error);
    }
    await this.#context.refresh();
    // The deleted item's button is gone: keep the keyboard user in the section.
    if (!this.element.contains(document.activeElement)) {
      this.element.querySelector<HTMLElement>('[data-testid="reminder-add"]')?.focus();
    }
  }
}

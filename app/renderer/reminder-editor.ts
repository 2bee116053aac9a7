/// <reference lib="dom" />
import type { ReminderView } from '../shared/contract.js';
import { ValidationError } from '../shared/errors.js';
import {
  BREAK_MINUTES_DEFAULT,
  BREAK_MINUTES_MAX,
  BREAK_MINUTES_MIN,
  MESSAGE_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PRIORITY_MAX,
  PRIORITY_MIN,
} from '../shared/limits.js';
import { formatSchedule, parseScheduleText } from '../shared/schedule-text.js';
import type { Schedule, Weekday } from '../shared/schedule.js';
import type { ReminderInput, WorkingHours } from '../shared/settings.js';
import { RequestFailed } from './bridge.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent, uniqueId } from './dom.js';
import { FieldErrors, fieldOf } from './field-errors.js';
import { formatDateTime, weekdayNames } from './format.js';
import { t } from './locale.js';
import { idFromName } from '../shared/ids.js';

/**
 * The add/edit form of one reminder. The daemon is the judge of every value: the form only parses the
 * schedule text (to send a schedule object and to preview it) and shows whatever the daemon rejects
 * next to the field it names. Enter saves, Escape cancels, focus returns to the button that opened it.
 */

/** What the form holds, as typed: kept across a language switch. */
interface Draft {
  name: string;
  message: string;
  schedule: string;
  priority: string;
  sound: boolean;
  alert: 'notification' | 'window';
  breakMinutes: string;
  strict: boolean;
  hours: WorkingHours[];
}

interface Fields {
  form: HTMLFormElement;
  name: HTMLInputElement;
  message: HTMLInputElement;
  schedule: HTMLInputElement;
  priority: HTMLInputElement;
  sound: HTMLInputElement;
  alert: HTMLSelectElement;
  breakMinutes: HTMLInputElement;
  strict: HTMLInputElement;
  hoursList: HTMLElement;
  addHours: HTMLButtonElement;
  preview: HTMLOListElement;
  save: HTMLButtonElement;
}

const PREVIEW_COUNT = 5;
const PREVIEW_DELAY_MS = 250;
const NEW_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
/** Monday first, the order a person reads a week in. */
const WEEK: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
/** Daemon fields whose error belongs to another control: the id is made from the name. */
const FIELD_ALIASES: Record<string, string> = { id: 'name' };

function draftOf(reminder: ReminderView | null): Draft {
  if (!reminder) {
    return {
      name: '',
      message: '',
      schedule: '',
      priority: '5',
      sound: false,
      alert: 'notification',
      breakMinutes: String(BREAK_MINUTES_DEFAULT),
      strict: false,
      hours: [],
    };
  }
  return {
    name: reminder.name ?? '',
    message: reminder.message ?? '',
    schedule: formatSchedule(reminder.schedule),
    priority: String(reminder.priority),
    sound: reminder.sound ?? false,
    alert: reminder.alert ?? 'notification',
    breakMinutes: String(reminder.breakMinutes ?? BREAK_MINUTES_DEFAULT),
    strict: reminder.strict ?? false,
    hours: reminder.workingHours ?? [],
  };
}

const sameHours = (a: readonly WorkingHours[], b: readonly WorkingHours[]) =>
  JSON.stringify(a) === JSON.stringify(b);

export class ReminderEditor {
  readonly element = h('div', { class: 'editor-host' });
  readonly #context: Context;
  readonly #reminders: () => readonly ReminderView[];
  #editing: ReminderView | null = null;
  #openerKey: string | null = null;
  #fields: Fields | null = null;
  #errors = new FieldErrors();
  #previewSequence = 0;
  #previewTimer: ReturnType<typeof setTimeout> | undefined;
  #saving = false;

  constructor(context: Context, reminders: () => readonly ReminderView[]) {
    this.#context = context;
    this.#reminders = reminders;
  }

  get isOpen(): boolean {
    return this.#fields !== null;
  }

  /** The id of the reminder being edited; undefined while adding or closed. */
  get editingId(): string | undefined {
    return this.#editing?.id;
  }

  /** Opens the form for a new reminder (`null`) or to edit one; `openerKey` gets focus back on close. */
  open(reminder: ReminderView | null, openerKey: string): void {
    this.#editing = reminder;
    this.#openerKey = openerKey;
    this.#build(draftOf(reminder));
    this.#fields?.name.focus();
    this.#schedulePreview(0);
  }

  close(): void {
    clearTimeout(this.#previewTimer);
    this.#previewSequence++;
    this.#fields = null;
    this.#editing = null;
    this.element.replaceChildren();
    const opener = this.#openerKey;
    this.#openerKey = null;
    if (opener) document.querySelector<HTMLElement>(`[data-testid="${opener}"]`)?.focus();
  }

  /** Rebuilds the open form in the current language, keeping what was typed and where focus was. */
  render(): void {
    if (!this.#fields) return;
    this.#build(this.#read(this.#fields));
    this.#schedulePreview(0);
  }

  #build(draft: Draft): void {
    const errors = new FieldErrors();
    this.#errors = errors;
    const editing = this.#editing;
    const headingId = 'reminder-editor-heading';
    const scheduleHintId = 'reminder-schedule-hint';
    const previewHeadingId = 'schedule-preview-heading';

    const name = h('input', {
      id: 'reminder-name',
      'data-testid': 'reminder-name',
      type: 'text',
      value: draft.name,
      maxlength: NAME_MAX_LENGTH,
      autocomplete: 'off',
      placeholder: editing?.displayName ?? t('reminder.default.name'),
    });
    const message = h('input', {
      id: 'reminder-message',
      'data-testid': 'reminder-message',
      type: 'text',
      value: draft.message,
      maxlength: MESSAGE_MAX_LENGTH,
      autocomplete: 'off',
      placeholder: editing?.displayMessage ?? t('reminder.default.message'),
    });
    const schedule = h('input', {
      id: 'reminder-schedule',
      'data-testid': 'reminder-schedule',
      type: 'text',
      value: draft.schedule,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'every 45m',
      'aria-describedby': scheduleHintId,
      on: { input: () => this.#schedulePreview() },
    });
    const priority = h('input', {
      id: 'reminder-priority',
      'data-testid': 'reminder-priority',
      type: 'number',
      inputmode: 'numeric',
      min: PRIORITY_MIN,
      max: PRIORITY_MAX,
      step: 1,
      value: draft.priority,
      'aria-describedby': 'reminder-priority-hint',
    });
    const sound = h('input', {
      id: 'reminder-sound',
      'data-testid': 'reminder-sound',
      type: 'checkbox',
      checked: draft.sound,
    });
    const alert = h(
      'select',
      {
        id: 'reminder-alert',
        'data-testid': 'reminder-alert',
        on: { change: () => this.#showBreakFields() },
      },
      h(
        'option',
        { value: 'notification', selected: draft.alert === 'notification' },
        t('ui.editor.alertNotification'),
      ),
      h('option', { value: 'window', selected: draft.alert === 'window' }, t('ui.editor.alertWindow')),
    );
    const breakMinutes = h('input', {
      id: 'reminder-break-minutes',
      'data-testid': 'reminder-break-minutes',
      type: 'number',
      inputmode: 'numeric',
      min: BREAK_MINUTES_MIN,
      max: BREAK_MINUTES_MAX,
      step: 1,
      value: draft.breakMinutes,
    });
    const strict = h('input', {
      id: 'reminder-strict',
      'data-testid': 'reminder-strict',
      type: 'checkbox',
      checked: draft.strict,
    });
    const hoursList = h('div', { class: 'hours-list' });
    for (const span of draft.hours) hoursList.append(this.#hoursRow(span));
    const addHours = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-testid': 'reminder-hours-add',
        on: { click: () => this.#addHours() },
      },
      t('ui.editor.hoursAdd'),
    );
    const hours = h(
      'fieldset',
      { id: 'reminder-hours', class: 'hours', 'aria-describedby': 'reminder-hours-hint' },
      h('legend', {}, t('ui.editor.hours')),
      h('p', { id: 'reminder-hours-hint', class: 'hint' }, t('ui.editor.hoursHint')),
      hoursList,
      addHours,
    );
    const preview = h('ol', {
      class: 'preview-list',
      'data-testid': 'schedule-preview',
      'aria-labelledby': previewHeadingId,
    });
    const save = h(
      'button',
      { type: 'submit', class: 'primary', 'data-testid': 'reminder-save' },
      t('ui.editor.save'),
    );

    const field = (
      key: string,
      control: HTMLInputElement,
      label: string,
      ...extra: (Node | null)[]
    ): HTMLElement =>
      h(
        'div',
        { class: 'field' },
        h('label', { for: control.id }, label),
        control,
        ...extra,
        errors.slot(key, control, `${control.id}-error`),
      );

    const form = h(
      'form',
      {
        class: 'editor',
        novalidate: true,
        'aria-labelledby': headingId,
        'data-testid': 'reminder-editor',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.#save();
          },
          keydown: (event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            this.close();
          },
        },
      },
      h(
        'h3',
        { id: headingId },
        editing ? t('ui.editor.editHeading', { name: editing.displayName }) : t('ui.editor.addHeading'),
      ),
      h(
        'div',
        { class: 'editor-grid' },
        h(
          'div',
          { class: 'editor-fields' },
          field('name', name, t('ui.editor.name')),
          field('message', message, t('ui.editor.message')),
          field(
            'schedule',
            schedule,
            t('ui.editor.schedule'),
            h('p', { id: scheduleHintId, class: 'hint' }, t('ui.editor.scheduleHint')),
          ),
          field(
            'priority',
            priority,
            t('ui.editor.priority'),
            h('p', { id: 'reminder-priority-hint', class: 'hint' }, t('ui.editor.priorityHint')),
          ),
          h(
            'div',
            { class: 'field check' },
            sound,
            h('label', { for: sound.id }, t('ui.editor.sound')),
            errors.slot('sound', sound, 'reminder-sound-error'),
          ),
          h(
            'div',
            { class: 'field' },
            h('label', { for: alert.id }, t('ui.editor.alert')),
            alert,
            errors.slot('alert', alert, 'reminder-alert-error'),
          ),
          h(
            'div',
            {
              class: 'break-fields',
              'data-testid': 'reminder-break-fields',
              hidden: draft.alert !== 'window',
            },
            field('breakMinutes', breakMinutes, t('ui.editor.breakMinutes')),
            h(
              'div',
              { class: 'field check' },
              strict,
              h('label', { for: strict.id }, t('ui.editor.strict')),
              errors.slot('strict', strict, 'reminder-strict-error'),
            ),
          ),
        ),
        h(
          'div',
          { class: 'editor-preview' },
          h('h4', { id: previewHeadingId }, t('ui.editor.preview', { count: PREVIEW_COUNT })),
          preview,
        ),
      ),
      hours,
      errors.slot('workingHours', hours, 'reminder-hours-error'),
      h(
        'div',
        { class: 'actions' },
        save,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': 'reminder-cancel',
            on: { click: () => this.close() },
          },
          t('ui.editor.cancel'),
        ),
      ),
    );

    this.#fields = {
      form,
      name,
      message,
      schedule,
      priority,
      sound,
      alert,
      breakMinutes,
      strict,
      hoursList,
      addHours,
      preview,
      save,
    };
    replaceContent(this.element, form);
  }

  #hoursRow(span: WorkingHours): HTMLElement {
    const rowId = uniqueId('hours');
    const names = weekdayNames();
    const row: HTMLElement = h(
      'div',
      { class: 'hours-row', role: 'group', 'aria-label': t('ui.editor.hoursRow') },
      h(
        'div',
        { class: 'days' },
        WEEK.map((day) =>
          h(
            'label',
            { class: 'day' },
            h('input', {
              type: 'checkbox',
              id: `${rowId}-day-${day}`,
              value: day,
              checked: span.days.includes(day),
            }),
            names[day] ?? String(day),
          ),
        ),
      ),
      h(
        'div',
        { class: 'hours-times' },
        h(
          'label',
          { class: 'time' },
          t('ui.editor.hoursStart'),
          h('input', { type: 'time', id: `${rowId}-start`, class: 'hours-start', value: span.start }),
        ),
        h(
          'label',
          { class: 'time' },
          t('ui.editor.hoursEnd'),
          h('input', { type: 'time', id: `${rowId}-end`, class: 'hours-end', value: span.end }),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            id: `${rowId}-remove`,
            on: {
              click: () => {
                row.remove();
                this.#fields?.addHours.focus();
              },
            },
          },
          t('ui.editor.hoursRemove'),
        ),
      ),
    );
    return row;
  }

  #addHours(): void {
    const fields = this.#fields;
    if (!fields) return;
    const row = this.#hoursRow(NEW_HOURS);
    fields.hoursList.append(row);
    row.querySelector('input')?.focus();
  }

  #read(fields: Fields): Draft {
    const hours = [...fields.hoursList.querySelectorAll<HTMLElement>('.hours-row')].map((row) => ({
      days: [...row.querySelectorAll<HTMLInputElement>('.days input:checked')].map(
        (box) => Number(box.value) as Weekday,
      ),
      start: row.querySelector<HTMLInputElement>('.hours-start')?.value ?? '',
      end: row.querySelector<HTMLInputElement>('.hours-end')?.value ?? '',
    }));
    return {
      name: fields.name.value,
      message: fields.message.value,
      schedule: fields.schedule.value,
      priority: fields.priority.value,
      sound: fields.sound.checked,
      alert: fields.alert.value === 'window' ? 'window' : 'notification',
      breakMinutes: fields.breakMinutes.value,
      strict: fields.strict.checked,
      hours,
    };
  }

  /** The break length and strict mode matter only for the break window. */
  #showBreakFields(): void {
    const fields = this.#fields;
    if (!fields) return;
    const group = this.element.querySelector<HTMLElement>('.break-fields');
    if (group) group.hidden = fields.alert.value !== 'window';
  }

  /** The schedule the text means; an `every` schedule left as it was keeps its anchor (its phase). */
  #scheduleOf(text: string): Schedule {
    const original = this.#editing?.schedule;
    if (original && text.trim() === formatSchedule(original)) return original;
    return parseScheduleText(text, 'schedule');
  }

  #schedulePreview(delayMs = PREVIEW_DELAY_MS): void {
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(() => void this.#preview(), delayMs);
  }

  async #preview(): Promise<void> {
    const fields = this.#fields;
    if (!fields) return;
    const sequence = ++this.#previewSequence;
    const text = fields.schedule.value;
    const show = (items: Node[]) => {
      if (sequence === this.#previewSequence && this.#fields === fields)
        fields.preview.replaceChildren(...items);
    };
    if (text.trim() === '') {
      this.#errors.clear('schedule');
      show([h('li', { class: 'muted' }, t('ui.editor.previewHint'))]);
      return;
    }
    let schedule: Schedule;
    try {
      schedule = this.#scheduleOf(text);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.#errors.clear('schedule');
      this.#errors.show('schedule', error.reason);
      show([]);
      return;
    }
    try {
      const instants = await this.#context.call('schedule.preview', { schedule, count: PREVIEW_COUNT });
      if (sequence !== this.#previewSequence) return;
      this.#errors.clear('schedule');
      show(
        instants.length === 0
          ? [h('li', { class: 'muted' }, t('ui.editor.previewNone'))]
          : instants.map((at) =>
              h('li', {}, h('time', { datetime: new Date(at).toISOString() }, formatDateTime(at))),
            ),
      );
    } catch (error) {
      if (sequence !== this.#previewSequence) return;
      show([]);
      if (error instanceof RequestFailed) {
        this.#errors.clear('schedule');
        this.#errors.show('schedule', error.body.message);
      } else announceFailure(this.#context, error);
    }
  }

  async #save(): Promise<void> {
    const fields = this.#fields;
    if (!fields || this.#saving) return;
    this.#errors.clear();
    const draft = this.#read(fields);
    let schedule: Schedule;
    try {
      schedule = this.#scheduleOf(draft.schedule);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      this.#reject('schedule', error.reason);
      return;
    }
    // An empty priority goes to the daemon as NaN: it answers with the allowed range.
    const priority = draft.priority.trim() === '' ? Number.NaN : Number(draft.priority);
    const breakMinutes = draft.breakMinutes.trim() === '' ? Number.NaN : Number(draft.breakMinutes);
    // Sent only for the break window (or when changed): a notification reminder keeps its file small.
    const breakFields = {
      alert: draft.alert,
      ...(draft.alert === 'window' && { breakMinutes, strict: draft.strict }),
    };
    const editing = this.#editing;
    this.#saving = true;
    fields.save.disabled = true;
    try {
      let saved: ReminderView;
      if (editing) {
        saved = await this.#context.call('reminder.edit', {
          id: editing.id,
          patch: {
            // A built-in (localized) name or message stays built-in while its field is left empty.
            ...((draft.name !== '' || editing.name !== undefined) && { name: draft.name }),
            ...((draft.message !== '' || editing.message !== undefined) && { message: draft.message }),
            ...(schedule !== editing.schedule && { schedule }),
            priority,
            ...(draft.sound !== (editing.sound ?? false) && { sound: draft.sound }),
            ...((draft.alert === 'window' || editing.alert !== undefined) && breakFields),
            ...(!sameHours(draft.hours, editing.workingHours ?? []) && { workingHours: draft.hours }),
          },
        });
      } else {
        const taken = new Set(this.#reminders().map((reminder) => reminder.id));
        const reminder: ReminderInput = {
          id: idFromName(draft.name, taken),
          schedule,
          priority,
          ...(draft.name !== '' && { name: draft.name }),
          ...(draft.message !== '' && { message: draft.message }),
          ...(draft.sound && { sound: true }),
          ...(draft.alert === 'window' && breakFields),
          ...(draft.hours.length > 0 && { workingHours: draft.hours }),
        };
        saved = await this.#context.call('reminder.add', { reminder });
      }
      this.#context.announcer.say(
        t(editing ? 'ui.reminders.saved' : 'ui.reminders.added', { name: saved.displayName }),
      );
      await this.#context.refresh();
      this.close();
    } catch (error) {
      const field = fieldOf(error instanceof RequestFailed ? error.body.field : undefined);
      if (error instanceof RequestFailed && field !== undefined) {
        this.#reject(FIELD_ALIASES[field] ?? field, error.body.message);
      } else announceFailure(this.#context, error);
    } finally {
      this.#saving = false;
      fields.save.disabled = false;
    }
  }

  /** Shows `message` at `field` and moves focus there; a field the form lacks goes to the live region. */
  #reject(field: string, message: string): void {
    if (this.#errors.show(field, message)) {
      this.#errors.focus(field);
      this.#context.announcer.say(t('ui.editor.invalid', { message }), 'error');
    } else {
      this.#context.announcer.say(t('ui.error', { message }), 'error');
    }
  }
}

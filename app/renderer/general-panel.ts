/// <reference lib="dom" />
import { NICENESS_MAX, NICENESS_MIN } from '../shared/limits.js';
import type { Language, Settings } from '../shared/settings.js';
import { RequestFailed } from './bridge.js';
import { announceFailure, type Context } from './context.js';
import { h, replaceContent } from './dom.js';
import { FieldErrors, fieldOf } from './field-errors.js';
import { t } from './locale.js';

type Patch = Partial<Pick<Settings, 'language' | 'niceness' | 'startAtLogin' | 'sound'>>;

const LANGUAGES: readonly Language[] = ['auto', 'en', 'zh-CN'];

/** The General section: language, the daemon's niceness, start at login, sound. Each applies at once. */
export class GeneralPanel {
  readonly element = h('section', { class: 'panel general', 'aria-labelledby': 'general-heading' });
  readonly #context: Context;
  #settings: Settings | null = null;
  #shown = '';
  #errors = new FieldErrors();

  constructor(context: Context) {
    this.#context = context;
  }

  update(settings: Settings): void {
    this.#settings = settings;
    // Redrawn only when the settings changed, never under a user's typing.
    const shown = JSON.stringify([
      settings.language,
      settings.niceness,
      settings.startAtLogin,
      settings.sound,
    ]);
    if (shown !== this.#shown) this.render();
  }

  render(): void {
    const settings = this.#settings;
    this.#shown = settings
      ? JSON.stringify([settings.language, settings.niceness, settings.startAtLogin, settings.sound])
      : '';
    this.#errors = new FieldErrors();
    const language = h(
      'select',
      {
        id: 'general-language',
        'data-testid': 'language-select',
        disabled: settings === null,
        on: { change: () => void this.#apply({ language: language.value as Language }) },
      },
      LANGUAGES.map((value) =>
        h('option', { value, selected: settings?.language === value }, t(`ui.general.language.${value}`)),
      ),
    );
    const niceness = h('input', {
      id: 'general-niceness',
      'data-testid': 'general-niceness',
      type: 'number',
      inputmode: 'numeric',
      min: NICENESS_MIN,
      max: NICENESS_MAX,
      step: 1,
      value: settings?.niceness ?? '',
      disabled: settings === null,
      'aria-describedby': 'general-niceness-hint',
      on: { change: () => this.#applyNiceness(niceness) },
    });
    const check = (id: string, key: 'startAtLogin' | 'sound', label: string) => {
      const box = h('input', {
        id,
        'data-testid': id,
        type: 'checkbox',
        checked: settings?.[key] ?? false,
        disabled: settings === null,
        on: { change: () => void this.#apply({ [key]: box.checked }) },
      });
      return h(
        'div',
        { class: 'field check' },
        box,
        h('label', { for: id }, label),
        this.#errors.slot(key, box, `${id}-error`),
      );
    };
    replaceContent(
      this.element,
      h('div', { class: 'panel-head' }, h('h2', { id: 'general-heading' }, t('ui.general.heading'))),
      h(
        'form',
        {
          class: 'general-form',
          novalidate: true,
          on: {
            submit: (event) => {
              event.preventDefault();
              this.#applyNiceness(niceness);
            },
          },
        },
        h(
          'div',
          { class: 'field' },
          h('label', { for: language.id }, t('ui.general.language')),
          language,
          this.#errors.slot('language', language, 'general-language-error'),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: niceness.id }, t('ui.general.niceness')),
          niceness,
          h('p', { id: 'general-niceness-hint', class: 'hint' }, t('ui.general.nicenessHint')),
          this.#errors.slot('niceness', niceness, 'general-niceness-error'),
        ),
        check('general-start-at-login', 'startAtLogin', t('ui.general.startAtLogin')),
        check('general-sound', 'sound', t('ui.general.sound')),
        h('p', { class: 'hint' }, t('ui.general.theme')),
      ),
    );
  }

  #applyNiceness(input: HTMLInputElement): void {
    const value = input.value.trim() === '' ? Number.NaN : Number(input.value);
    if (value === this.#settings?.niceness) return;
    void this.#apply({ niceness: value });
  }

  async #apply(patch: Patch): Promise<void> {
    this.#errors.clear();
    try {
      this.#settings = await this.#context.call('settings.set', { patch });
    } catch (error) {
      const field = error instanceof RequestFailed ? fieldOf(error.body.field) : undefined;
      if (!(error instanceof RequestFailed && this.#errors.show(field, error.body.message))) {
        announceFailure(this.#context, error);
      }
      return;
    }
    // A new language comes back through the status: the whole window re-renders in it, then says so.
    await this.#context.refresh();
    this.#context.announcer.say(t('ui.general.saved'));
  }
}

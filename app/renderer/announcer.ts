/// <reference lib="dom" />
import { h } from './dom.js';

const INFO_VISIBLE_MS = 6_000;

/**
 * The window's one live region: confirmations ("Saved Water") and errors that belong to no field.
 * Screen readers read each message once; it stays visible for sighted users (errors until replaced).
 */
export class Announcer {
  readonly element = h('div', {
    class: 'notice',
    role: 'status',
    'aria-live': 'polite',
    'aria-atomic': 'true',
    'data-testid': 'notice',
  });
  #clearTimer: ReturnType<typeof setTimeout> | undefined;

  say(message: string, tone: 'info' | 'error' = 'info'): void {
    clearTimeout(this.#clearTimer);
    this.element.textContent = message;
    this.element.dataset.tone = tone;
    if (tone === 'info') this.#clearTimer = setTimeout(() => this.clear(), INFO_VISIBLE_MS);
  }

  clear(): void {
    clearTimeout(this.#clearTimer);
    this.element.textContent = '';
    delete this.element.dataset.tone;
  }
}

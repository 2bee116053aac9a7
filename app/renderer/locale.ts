/// <reference lib="dom" />
import { resolveLocale, translate, type Locale, type MessageKey } from '../shared/i18n/index.js';

/**
 * The window's language. Until the daemon answers, it follows the browser; then it is the daemon's
 * resolved `Status.locale`, so the window and the notifications always speak the same language.
 */

let current: Locale = resolveLocale('auto', navigator.language);

export function locale(): Locale {
  return current;
}

/** Switches the language; returns whether it changed (the caller re-renders). */
export function setLocale(next: Locale): boolean {
  if (next === current) return false;
  current = next;
  document.documentElement.lang = next;
  return true;
}

/** The current language's text for `key`, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}

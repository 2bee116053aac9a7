import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

/**
 * The one catalog of user-facing strings, in English and Simplified Chinese (one file per locale):
 * notifications, tray, settings window, CLI messages, tables and help, daemon errors. Both tables
 * have the same keys (the type enforces it, and a test checks the placeholders match).
 */

export type { MessageKey };

export type Locale = 'en' | 'zh-CN';

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** `auto` follows the OS locale: any Chinese locale gets zh-CN, everything else English. */
export function resolveLocale(setting: 'auto' | Locale, osLocale = systemLocale()): Locale {
  if (setting !== 'auto') return setting;
  return /^zh\b|^zh[-_]/i.test(osLocale) ? 'zh-CN' : 'en';
}

/** The OS locale as Node sees it: LC_ALL / LC_MESSAGES / LANG first (what a terminal user set), then Intl. */
export function systemLocale(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (fromEnv && fromEnv !== 'C' && fromEnv !== 'POSIX' && !fromEnv.startsWith('C.')) return fromEnv;
  return Intl.DateTimeFormat().resolvedOptions().locale;
}

/** A `{name}` placeholder, or a plural one `{count|one form|other form}` (`#` in a form is the number). */
const PLACEHOLDER = /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/** The placeholder names a template uses, sorted (what the key-parity test compares). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();
}

/**
 * Looks up `key` and fills its placeholders: `{name}` with `params.name`; `{count|# file|# files}` with
 * the form Intl.PluralRules picks for the number in this locale (`#` is the number). Unknown
 * placeholders stay visible, so a missing parameter shows instead of vanishing.
 */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return fill(locale, catalogs[locale][key], params);
}

/** Fills a template's placeholders (see {@link translate}). */
export function fill(locale: Locale, template: string, params: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (whole, name: string, one?: string, other?: string) => {
    if (!(name in params)) return whole;
    const value = params[name] as string | number;
    if (one === undefined || other === undefined) return String(value);
    const form = new Intl.PluralRules(locale).select(Number(value)) === 'one' ? one : other;
    return form.replace(/#/g, String(value));
  });
}

/** True when `key` is in the catalog (a newer daemon may send a key this client does not know). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * A daemon error in `locale`: its catalog key and params when the daemon sent a known one, else its
 * English `message` as is.
 */
export function errorText(
  locale: Locale,
  error: { message: string; key?: string | undefined; params?: Record<string, string | number> | undefined },
): string {
  return error.key !== undefined && isMessageKey(error.key)
    ? translate(locale, error.key, error.params ?? {})
    : error.message;
}

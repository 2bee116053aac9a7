import { readFileSync } from 'node:fs';
import {
  resolveLocale,
  systemLocale,
  translate,
  type Locale,
  type MessageKey,
} from '../shared/i18n/index.js';
import { appPaths, resolveHome } from '../shared/paths.js';
import type { CliIO } from './io.js';

/**
 * The CLI's language, chosen before commander parses anything (so `--help` is translated too): the
 * settings file's `language` in this invocation's home (`--home`, `MYTIMER_HOME`, the OS folder),
 * and for `auto` or no readable settings the OS locale (LC_ALL / LC_MESSAGES / LANG, then Intl).
 */
export function cliLocale(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  return resolveLocale(settingsLanguage(argv, env), systemLocale(env));
}

function settingsLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): 'auto' | Locale {
  const at = argv.findIndex((arg) => arg === '--home' || arg.startsWith('--home='));
  const home = at < 0 ? undefined : argv[at]?.startsWith('--home=') ? argv[at]?.slice(7) : argv[at + 1];
  try {
    const settings = JSON.parse(
      readFileSync(appPaths(resolveHome({ ...(home !== undefined && { home }), env })).settings, 'utf8'),
    ) as {
      language?: unknown;
    };
    const language = settings.language;
    return language === 'en' || language === 'zh-CN' ? language : 'auto';
  } catch {
    // No settings yet, or a file being hand-edited: the OS locale decides.
    return 'auto';
  }
}

/** The catalog's text for `key` in the invocation's language (English when none was chosen). */
export function t(io: CliIO, key: MessageKey, params?: Record<string, string | number>): string {
  return translate(io.locale ?? 'en', key, params);
}

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No user-visible text bypasses the catalog: a static scan of the CLI commands, the tray and the
 * settings window for text written straight to the terminal (`io.stdout(` / `io.stderr(`), command
 * descriptions, and labels, where the written text (outside `${…}` and catalog calls) holds a word.
 * What may stay English is listed below, each with its reason.
 */

const ROOT = new URL('../../../', import.meta.url).pathname;

/** `file: words` (the literal's words) → why this literal is not in the catalog. Keep it small. */
const ALLOWED: Record<string, string> = {
  'app/cli/commands/run.ts: mytimer': 'the `mytimer:` prefix of a supervisor log line: the program name',
  'app/cli/program.ts: mytimer': 'the `mytimer:` prefix of an error line: the program name',
  'app/renderer/reminder-editor.ts: every 45m':
    "the schedule field's placeholder is schedule syntax, not prose",
};

/** Whole files whose output is not in the catalog yet, with the reason (the report names them). */
const NOT_YET: Record<string, string> = {
  'app/cli/commands/copy.ts': 'copy summary, warnings and failures: English only so far',
  'app/cli/commands/settings.ts': 'settings set confirmation: English only so far',
  'app/cli/commands/simulate.ts': 'a teaching tool printing scheduler runs, English only so far',
};

function sources(dir: string, match: RegExp): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((name) => match.test(name) && !name.endsWith('.test.ts'))
    .map((name) => `${dir}/${name}`);
}

/** The text from `open` (an index just past an opening parenthesis) to its matching close. */
function argumentOf(text: string, open: number): string {
  let depth = 1;
  for (let at = open; at < text.length; at++) {
    if (text[at] === '(') depth++;
    else if (text[at] === ')' && --depth === 0) return text.slice(open, at);
  }
  return text.slice(open);
}

/** The words written as literals in `code`, after dropping catalog calls and `${…}` expressions. */
function literalWords(code: string): string[] {
  let rest = code.replace(/\b(?:t|translate|say)\((?:[^()]|\([^()]*\))*\)/g, '');
  // Drop template expressions (one level of nesting is enough for this code base).
  rest = rest.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '');
  const words: string[] = [];
  for (const literal of rest.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    const body = (literal[1] ?? literal[2] ?? literal[3] ?? '').replace(
      /\\[nrt]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}/gi,
      ' ',
    );
    words.push(...(body.match(/[A-Za-z]{2,}/g) ?? []));
  }
  return words;
}

const PATTERNS: RegExp[] = [/\bio\.std(?:out|err)\(/g, /\.description\(/g, /\bnew (?:Error|UsageError)\(/g];
const LABEL =
  /\b(?:label|title|placeholder|'aria-label'|textContent)\s*[:=]\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/g;

function violations(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const found: string[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = (match.index ?? 0) + match[0].length;
      const words = literalWords(argumentOf(text, start));
      const where = `${file}:${lineOf(match.index ?? 0)}`;
      if (words.length > 0 && !(`${file}: ${words.join(' ')}` in ALLOWED))
        found.push(`${where} ${match[0]} "${words.join(' ')}"`);
    }
  }
  for (const match of text.matchAll(LABEL)) {
    const body = (match[2] ?? '').replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, '');
    const where = `${file}:${lineOf(match.index ?? 0)}`;
    if (/[A-Za-z]{2,}/.test(body) && !(`${file}: ${body}` in ALLOWED)) found.push(`${where} label "${body}"`);
  }
  return found;
}

describe('no user-visible literal bypasses the catalog', () => {
  const files = [
    ...sources('app/cli/commands', /\.ts$/),
    'app/cli/program.ts',
    ...sources('app/main', /^tray.*\.ts$/),
    ...sources('app/renderer', /\.ts$/),
  ].filter((file) => !(file in NOT_YET));

  it.each(files)('%s writes its messages, descriptions and labels through the catalog', (file) => {
    expect(violations(file)).toEqual([]);
  });

  it('the scan finds a literal when there is one', () => {
    expect(literalWords('io.stdout(`Removed job ${id}\\n`)')).toEqual(['Removed', 'job']);
    expect(literalWords("io.stdout(`${t(io, 'cli.job.removed', { id })}\\n`)")).toEqual([]);
  });
});

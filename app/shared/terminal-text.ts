/**
 * Text from users and files (reminder names, messages, file names) shown on a terminal. A name
 * holding `ESC [2J` would clear the screen, a CR would overwrite the line, a bidi override would
 * reorder it: every such character is shown as an escape instead, and names refuse them outright.
 */

/**
 * What a terminal may act on rather than print: C0 controls and DEL, C1 controls (U+0080–U+009F,
 * which some terminals read as CSI and friends), the Unicode line and paragraph separators, and the
 * bidirectional marks, embeddings, overrides and isolates.
 */
const TERMINAL_CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is this module's job
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const TERMINAL_CONTROLS = new RegExp(TERMINAL_CONTROL.source, 'gu');

/** The escapes people know; everything else is `\xNN` (up to U+00FF) or `\u{NNNN}`. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u001b': '\\x1b',
};

function escapeOne(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * `text` safe to print on a terminal: every control character (see above) as a visible escape —
 * ESC as `\x1b`, a line break as `\n`, CR as `\r`, a bidi override as `\u{202e}`. With
 * `keepNewlines`, line breaks stay (for multi-line text the CLI itself laid out).
 */
export function escapeControl(text: string, { keepNewlines = false } = {}): string {
  return text.replace(TERMINAL_CONTROLS, (char) => (keepNewlines && char === '\n' ? char : escapeOne(char)));
}

/** True when `text` holds a character {@link escapeControl} would escape (a line break too, unless allowed). */
export function hasControlCharacter(text: string, { allowNewlines = false } = {}): boolean {
  return TERMINAL_CONTROL.test(allowNewlines ? text.replaceAll('\n', '') : text);
}

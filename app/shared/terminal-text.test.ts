import { describe, expect, it } from 'vitest';
import { escapeControl, hasControlCharacter } from './terminal-text.js';

describe('escapeControl', () => {
  it('shows ESC, CR, line breaks and tabs as escapes, so a name cannot clear the screen', () => {
    expect(escapeControl('\u001b[2JWater\r\nnow\tplease')).toBe('\\x1b[2JWater\\r\\nnow\\tplease');
  });

  it('escapes other C0 controls, DEL, C1 controls and bidi overrides', () => {
    expect(escapeControl('a\u0007b\u007fc\u009bd')).toBe('a\\x07b\\x7fc\\x9bd');
    expect(escapeControl('evil\u202egnp.exe\u2066')).toBe('evil\\u{202e}gnp.exe\\u{2066}');
  });

  it('leaves ordinary text alone: accents, CJK, emoji, backslashes', () => {
    const text = 'Café 休息一下 ☕ C:\\Users\\me — "quoted"';
    expect(escapeControl(text)).toBe(text);
  });

  it('keeps line breaks when asked, and still escapes the rest', () => {
    expect(escapeControl('one\ntwo\u001b', { keepNewlines: true })).toBe('one\ntwo\\x1b');
  });
});

describe('hasControlCharacter', () => {
  it('finds any character escapeControl would escape', () => {
    expect(hasControlCharacter('Water')).toBe(false);
    expect(hasControlCharacter('休息 ☕')).toBe(false);
    for (const bad of ['\u001b[2J', 'a\rb', 'a\nb', 'a\tb', '\u202e', '\u0085']) {
      expect(hasControlCharacter(bad)).toBe(true);
    }
  });

  it('allows line breaks only when asked', () => {
    expect(hasControlCharacter('line one\nline two', { allowNewlines: true })).toBe(false);
    expect(hasControlCharacter('line one\r\nline two', { allowNewlines: true })).toBe(true);
  });
});

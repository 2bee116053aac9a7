// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const ELECTRON = {
  name: 'electron',
  message: 'electron belongs in app/main and app/preload only (see ARCHITECTURE.md)',
};

/** Relative imports that leave this folder into `folder` (any depth): `../main/x.js`, `../../cli/y.js`. */
const into = (folders) => `^(\\.\\./)+(?:app/)?(?:${folders.join('|')})/`;

/**
 * A folder with an index.ts is reached only through it: `../scheduler/index.js`, never
 * `../scheduler/queue.js`. app/shared is a shelf of single-file modules (no index), so it is open.
 */
const FACED = [
  'copy',
  'host',
  'control',
  'desktop',
  'jobs',
  'notify',
  'reminders',
  'scheduler',
  'service',
  'store',
  'timer',
  'history',
];
const throughIndex = {
  regex: `^(\\.\\./)+(?:[\\w-]+/)*(?:${FACED.join('|')})/(?!index\\.js$).+`,
  message: 'reach into another folder only through its index.ts (ARCHITECTURE.md, "Layout")',
};

/** One no-restricted-imports rule per room: what it must never import. */
function rooms() {
  const rule = (files, patterns, paths = [ELECTRON], ignores = []) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
  });
  const never = (folders, why) => ({ regex: into(folders), message: why });
  const tests = ['**/*.test.ts', '**/test-support/**'];
  return [
    // The engine and its shared foundation run under plain Node and utilityProcess alike.
    rule(
      ['app/shared/**'],
      [
        never(
          ['main', 'cli', 'renderer', 'preload', 'workers', 'host', 'copy'],
          'app/shared is the foundation: it imports no other room',
        ),
      ],
    ),
    rule(
      ['app/workers/**', 'app/copy/**'],
      [
        never(
          ['main', 'cli', 'renderer', 'preload', 'host'],
          'the engine never imports a host, the CLI or the UI',
        ),
        throughIndex,
      ],
      [ELECTRON],
      tests,
    ),
    // Tests may reach inside a folder; never into another process's room.
    rule(
      ['app/workers/**/*.test.ts', 'app/copy/**/*.test.ts'],
      [never(['main', 'renderer', 'preload'], 'the engine never imports the desktop app')],
      [ELECTRON],
    ),
    rule(
      ['app/host/**'],
      [
        never(
          ['main', 'cli', 'renderer', 'preload', 'workers', 'copy'],
          'the host supervises the daemon as a process; it imports none of its code',
        ),
        throughIndex,
      ],
      [ELECTRON],
      tests,
    ),
    rule(
      ['app/cli/**'],
      [never(['main', 'renderer', 'preload'], 'the CLI never imports the desktop app'), throughIndex],
      [ELECTRON],
      tests,
    ),
    rule(
      ['app/main/**'],
      [
        never(
          ['workers', 'copy', 'renderer'],
          'Electron main talks to the daemon by messages only; it imports nothing from app/workers (ARCHITECTURE.md)',
        ),
        throughIndex,
      ],
      [],
      tests,
    ),
    rule(
      ['app/preload/**'],
      [
        never(
          ['workers', 'copy', 'cli', 'host', 'main', 'renderer'],
          'the preload exposes a few named wrappers; it imports only app/shared',
        ),
      ],
      [],
      tests,
    ),
    rule(
      ['app/renderer/**'],
      [never(['workers', 'copy', 'cli', 'host', 'main'], 'the renderer talks only through the preload API')],
      [ELECTRON],
      tests,
    ),
    rule(['bench/**'], [], [ELECTRON]),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'release/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The settings window runs in a sandboxed Chromium page: browser globals, no Node.
    files: ['app/renderer/**', 'tests/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // ─── Rooms (ARCHITECTURE.md): who may import whom ────────────────────────────────────────────
  ...rooms(),
  prettier,
);

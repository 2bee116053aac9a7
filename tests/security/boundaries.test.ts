import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The rooms of ARCHITECTURE.md are enforced by ESLint's no-restricted-imports (eslint.config.js).
 * Each case lints one import placed in a room, as the real config sees it, and checks the verdict.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, importPath: string): Promise<string[]> {
  const code = `import { x } from '${importPath}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const refused: [room: string, file: string, target: string, why: RegExp][] = [
  [
    'Electron main never imports the engine',
    'app/main/probe.ts',
    '../workers/store/index.js',
    /imports nothing from app\/workers/,
  ],
  [
    'the engine never imports a host',
    'app/workers/service/probe.ts',
    '../../host/index.js',
    /never imports a host/,
  ],
  [
    'the engine never imports Electron main',
    'app/workers/probe.ts',
    '../main/index.js',
    /never imports a host/,
  ],
  ['shared imports no other room', 'app/shared/probe.ts', '../workers/service/index.js', /foundation/],
  [
    'the renderer talks only through the preload',
    'app/renderer/probe.ts',
    '../workers/service/index.js',
    /preload API/,
  ],
  ['the CLI never imports the desktop app', 'app/cli/probe.ts', '../main/index.js', /desktop app/],
  [
    'the host imports none of the daemon',
    'app/host/probe.ts',
    '../workers/daemon.js',
    /supervises the daemon/,
  ],
  [
    'a folder is entered through its index.ts',
    'app/workers/service/probe.ts',
    '../scheduler/queue.js',
    /through its index\.ts/,
  ],
  ['the copy engine too', 'app/cli/commands/probe.ts', '../../copy/copy-file.js', /through its index\.ts/],
  [
    'electron stays in main and preload',
    'app/workers/probe.ts',
    'electron',
    /app\/main and app\/preload only/,
  ],
];

const allowed: [room: string, file: string, target: string][] = [
  ['the engine through an index', 'app/workers/service/probe.ts', '../scheduler/index.js'],
  ['anyone from the shared shelf', 'app/main/probe.ts', '../shared/paths.js'],
  ['a file of its own folder', 'app/copy/probe.ts', './manifest.js'],
  ['Electron in main', 'app/main/probe.ts', 'electron'],
  ['a test reaching inside a folder', 'app/workers/service/probe.test.ts', '../scheduler/queue.js'],
];

describe('import boundaries between the rooms', () => {
  it.each(refused)('refuses: %s', async (_, file, target, why) => {
    const found = await problems(file, target);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(why);
  });

  it.each(allowed)('allows: %s', async (_, file, target) => {
    expect(await problems(file, target)).toEqual([]);
  });
});

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mainPaths } from '../../app/main/paths.js';
import { CONTENT_SECURITY_POLICY } from '../../app/main/csp.js';

/**
 * What electronegativity does not check (or cannot see through), checked on the sources: every window
 * is created with the hardened options, nothing weakens them anywhere, the composition root installs
 * every guard, the preload exposes no raw IPC, and the page's policy stays strict.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Shipped sources under `dir` (relative to the project): no tests, no test support. */
function sources(dir: string): { file: string; text: string }[] {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(c|m)?[jt]s$|\.html$/.test(entry.name))
    .filter((entry) => !/\.test\.[cm]?[jt]s$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.split(path.sep).includes('test-support'))
    .map((file) => ({
      file: path.relative(ROOT, file).split(path.sep).join('/'),
      text: withoutComments(readFileSync(file, 'utf8')),
    }));
}

/** The code without block comments and whole-line `//` comments (docs may name what code must not do). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const electronSides = () => [...sources('app/main'), ...sources('app/preload')];

/** The text of the call starting at `start` (an opening parenthesis follows), up to its matching close. */
function callText(text: string, start: number): string {
  let depth = 0;
  for (let i = text.indexOf('(', start); i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

describe('windows', () => {
  it('are created only in app/main/windows.ts, each with the hardened webPreferences literal', () => {
    const creations: string[] = [];
    for (const { file, text } of sources('app')) {
      for (const match of text.matchAll(/new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/g)) {
        creations.push(file);
        expect(file, `${match[1]} created outside windows.ts`).toBe('app/main/windows.ts');
        const call = callText(text, match.index);
        for (const required of [
          /contextIsolation:\s*true/,
          /sandbox:\s*true/,
          /nodeIntegration:\s*false/,
          /nodeIntegrationInWorker:\s*false/,
          /nodeIntegrationInSubFrames:\s*false/,
          /webviewTag:\s*false/,
          /webSecurity:\s*true/,
          /allowRunningInsecureContent:\s*false/,
          /preload:/,
        ]) {
          expect(call, `${file}: ${required}`).toMatch(required);
        }
        // The options are one literal: nothing spread into webPreferences could override a flag.
        const webPreferences = call.slice(call.indexOf('webPreferences'));
        expect(webPreferences).not.toMatch(/\.\.\./);
      }
    }
    // The settings window and the break window (one per display), both in windows.ts.
    expect(creations).toEqual(['app/main/windows.ts', 'app/main/windows.ts']);
  });

  it('load the preload the preload build emits: dist/app/preload/index.cjs', () => {
    const paths = mainPaths(path.join(ROOT, 'dist', 'app', 'main'));
    expect(path.relative(ROOT, paths.preload).split(path.sep).join('/')).toBe('dist/app/preload/index.cjs');
  });
});

describe('nothing weakens Electron anywhere in main or the preload', () => {
  const forbidden: [RegExp, string][] = [
    [/nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/, 'Node in a renderer'],
    [/contextIsolation\s*:\s*false/, 'no context isolation'],
    [/sandbox\s*:\s*false/, 'no sandbox'],
    [/webSecurity\s*:\s*false/, 'no web security'],
    [/allowRunningInsecureContent\s*:\s*true/, 'mixed content'],
    [/webviewTag\s*:\s*true/, '<webview>'],
    [/experimentalFeatures\s*:\s*true/, 'experimental Blink features'],
    [/enableBlinkFeatures/, 'extra Blink features'],
    [/enableRemoteModule|@electron\/remote/, 'the remote module'],
    [/openExternal\s*\(/, 'opening URLs in the OS (none is needed)'],
    [/no-sandbox|disable-web-security|ignore-certificate-errors/, 'a weakening command-line switch'],
    [/appendSwitch\s*\(/, 'Chromium switches set from code'],
    [
      /registerFileProtocol|interceptFileProtocol|registerBufferProtocol|registerStringProtocol/,
      'a deprecated protocol API',
    ],
    [/loadURL\s*\(\s*['"`](https?|file):/, 'a remote or file:// page'],
    [/loadFile\s*\(/, 'a file:// page (the app is served on app://)'],
    [/\beval\s*\(|new\s+Function\s*\(/, 'evaluating strings as code'],
  ];

  it.each(forbidden.map(([pattern, what]) => [what, pattern] as const))(
    'has no %s (%s)',
    (_what, pattern) => {
      const offenders = electronSides()
        .filter(({ text }) => pattern.test(text))
        .map(({ file }) => file);
      expect(offenders).toEqual([]);
    },
  );
});

describe('the composition root', () => {
  const index = readFileSync(path.join(ROOT, 'app', 'main', 'index.ts'), 'utf8');

  it('installs every guard: sandbox, the navigation/window guards, permissions, validated IPC', () => {
    for (const call of [
      'app.enableSandbox()',
      'guardAllWebContents(',
      'denyAllPermissions(session.defaultSession',
      'registerAppScheme()',
      'serveRenderer(',
      'registerIpc(',
      'app.requestSingleInstanceLock()',
    ]) {
      expect(index, call).toContain(call);
    }
  });

  it('guards every WebContents against navigation, redirects, <webview> and window.open', () => {
    const security = readFileSync(path.join(ROOT, 'app', 'main', 'security.ts'), 'utf8');
    for (const guard of [
      "'web-contents-created'",
      "'will-navigate'",
      "'will-redirect'",
      "'will-frame-navigate'",
      "'will-attach-webview'",
      'setWindowOpenHandler(',
      "action: 'deny'",
      'setPermissionRequestHandler(',
      'setPermissionCheckHandler(',
    ]) {
      expect(security, guard).toContain(guard);
    }
  });
});

describe('the preload', () => {
  const preload = sources('app/preload');

  it.skipIf(preload.length === 0)('exposes one API object and never ipcRenderer itself', () => {
    const exposures = preload.flatMap(({ file, text }) =>
      [...text.matchAll(/exposeInMainWorld\s*\(/g)].map((m) => ({ file, call: callText(text, m.index) })),
    );
    expect(exposures).toHaveLength(1);
    for (const { file, call } of exposures) {
      expect(call, file).not.toMatch(/ipcRenderer\s*[,)}]/);
    }
    for (const { file, text } of preload) {
      expect(text, `${file} passes the raw IPC event to the page`).not.toMatch(
        /ipcRenderer\.on\([^,]+,\s*listener\s*\)/,
      );
    }
  });
});

describe('the page policy', () => {
  it('allows only the app itself: no inline or eval, no network, no plugins, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|http:|https:/);
  });

  it('is not loosened by the renderer HTML (no inline script or handler, no unsafe CSP)', () => {
    const pages = sources('app/renderer').filter(({ file }) => file.endsWith('.html'));
    for (const { file, text } of pages) {
      expect(text, file).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(text, file).not.toMatch(/\son[a-z]+\s*=/i);
      expect(text, file).not.toMatch(/unsafe-inline|unsafe-eval|javascript:/i);
    }
  });
});

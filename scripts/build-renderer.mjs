// Bundles the settings window after `tsc` (which typechecks everything and builds the node code):
//   app/renderer/main.ts  → dist/renderer/app.js   ESM for the sandboxed page, plus index.html and styles.css
//   app/renderer/break.ts → dist/renderer/break.js  the break window's page, plus break.html
//   app/preload/index.ts  → dist/app/preload/index.cjs   one CommonJS file: a sandboxed preload may
//                                                        require only `electron`, never our other files
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererSource = path.join(root, 'app/renderer');
const rendererOut = path.join(root, 'dist/renderer');

await mkdir(rendererOut, { recursive: true });

const page = (entry, outfile) =>
  build({
    entryPoints: [path.join(rendererSource, entry)],
    outfile: path.join(rendererOut, outfile),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Electron 45 ships Chromium 140.
    target: 'chrome140',
    minify: false,
    sourcemap: 'linked',
    logLevel: 'warning',
  });

await Promise.all([
  page('main.ts', 'app.js'),
  page('break.ts', 'break.js'),
  build({
    entryPoints: [path.join(root, 'app/preload/index.ts')],
    outfile: path.join(root, 'dist/app/preload/index.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
  }),
  ...['index.html', 'break.html', 'styles.css'].map((file) =>
    copyFile(path.join(rendererSource, file), path.join(rendererOut, file)),
  ),
]);

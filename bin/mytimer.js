#!/usr/bin/env node
// Entry for `npx mytimer`: runs the compiled CLI (built by `npm ci` through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/app/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'mytimer: not built yet. Run `npm ci` (or `npm run build`) in the project folder first.\n',
  );
  process.exit(1);
}
await import(entry.href);

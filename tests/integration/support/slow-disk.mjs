// A slow disk for a real `mytimer copy` process, so a test can interrupt it mid-run:
//   node --import <this file's URL>?ms=60 bin/mytimer.js copy …
// Node runs an --import module in every worker thread too; in the copy's workers it makes every
// fs.read (how the copy reads its sources) wait `ms` first, one read at a time per thread, as a slow
// disk serves one request at a time. The shipped code is untouched: the delay is in Node's fs.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const delayMs = Number(new URL(import.meta.url).searchParams.get('ms') ?? '0');

if (!isMainThread && delayMs > 0) {
  const read = fs.read;
  let diskFreeAt = 0;
  fs.read = (...args) => {
    const start = Math.max(Date.now(), diskFreeAt);
    diskFreeAt = start + delayMs;
    setTimeout(() => read(...args), diskFreeAt - Date.now());
  };
  syncBuiltinESMExports();
}

// Builds the faulty copy worker for a test: faulty-worker.ts and the real worker loop, bundled from
// source by esbuild (the build in dist/ ships only the real worker), written with its faults.json.
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { DiskFaults } from './faulty-file-io.js';

let bundled: Promise<Uint8Array> | undefined;

function bundle(): Promise<Uint8Array> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./faulty-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then(({ outputFiles }) => {
    const [output] = outputFiles;
    if (!output) throw new Error('esbuild wrote no faulty worker');
    return output.contents;
  });
  return bundled;
}

/**
 * A worker script whose disk misbehaves as `faults` say, written into a new folder under `dir`
 * (which the test removes): pass it as the job's `workerUrl`.
 */
export async function faultyWorker(faults: DiskFaults, dir: string): Promise<URL> {
  const folder = await mkdtemp(path.join(dir, 'faulty-worker-'));
  await writeFile(path.join(folder, 'worker.mjs'), await bundle());
  await writeFile(path.join(folder, 'faults.json'), JSON.stringify(faults));
  return pathToFileURL(path.join(folder, 'worker.mjs'));
}

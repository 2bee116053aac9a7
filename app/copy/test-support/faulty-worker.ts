// A copy worker script for tests: the real worker loop over a faulty disk. faultyWorker() bundles it
// next to a faults.json that says what goes wrong; the job runs it through CopyJobOptions.workerUrl.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeFileIo } from '../file-io.js';
import { serveCopyTasks } from '../worker-loop.js';
import { faultyFileIo, type DiskFaults } from './faulty-file-io.js';

const faults = JSON.parse(readFileSync(new URL('./faults.json', import.meta.url), 'utf8')) as DiskFaults;
serveCopyTasks(
  faultyFileIo(nodeFileIo, faults, { crashCounter: fileURLToPath(new URL('./crashes', import.meta.url)) }),
);

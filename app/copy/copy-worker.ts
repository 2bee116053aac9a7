// The script each copy worker thread runs (the pool starts it; `npm run build` emits it next to
// copy-job.js): the worker loop, on Node's fs.
import { nodeFileIo } from './file-io.js';
import { serveCopyTasks } from './worker-loop.js';

serveCopyTasks(nodeFileIo);

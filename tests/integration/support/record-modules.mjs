// `node --import <this file>`: appends the URL of every ES module the process loads (node: builtins
// included) to the file named by MYTIMER_MODULE_LOG, one per line. Used to check and count what a
// command loads; CommonJS files required from CommonJS (commander's index.js) are not seen.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  appendFileSync(process.env.MYTIMER_MODULE_LOG, url + '\\n');
  return nextLoad(url, context);
}`;

if (process.env.MYTIMER_MODULE_LOG) {
  appendFileSync(process.env.MYTIMER_MODULE_LOG, '');
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

import { Scheduler } from '../dist/app/workers/scheduler/index.js';
const delays = [1, 18, 5, 22, 9, 26, 13, 30, 17, 4, 21, 8, 25, 12, 29, 16, 3, 20, 7, 24];
const s = new Scheduler();
const fired = new Set();
s.on('fire', (e) => fired.add(e.payload));
const now = Date.now();
delays.forEach((d, i) =>
  s.add({ id: 't' + i, name: 'n', priority: 10, schedule: { kind: 'once', at: now + d }, payload: i }),
);
setTimeout(() => {
  console.log(
    'fired',
    fired.size,
    'missing',
    delays
      .map((d, i) => (fired.has(i) ? null : i + ':' + d))
      .filter(Boolean)
      .join(' '),
  );
  console.log(
    'size',
    s.size,
    'nextDueAt - now',
    s.nextDueAt() - Date.now(),
    'upcoming',
    s
      .upcoming(3)
      .map((t) => t.id + '@' + (t.nextDueAt - now))
      .join(' '),
  );
  s.dispose();
}, 500);

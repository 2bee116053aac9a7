import { Scheduler } from '../dist/app/workers/scheduler/index.js';
const delays = JSON.parse(process.argv[2]);
for (let round = 0; round < 50; round++) {
  const s = new Scheduler();
  const fired = new Set();
  s.on('fire', (e) => fired.add(e.payload));
  const now = Date.now();
  delays.forEach((d, i) => s.add({ id: `timer-${i}`, name: `timer ${i}`, priority: 10, schedule: { kind: 'once', at: now + d }, payload: i }));
  await new Promise(r => setTimeout(r, 200));
  if (fired.size !== delays.length) {
    console.log('round', round, 'fired', fired.size, 'missing', delays.map((d, i) => fired.has(i) ? null : i + ':' + d).filter(Boolean).join(' '));
    console.log('size', s.size, 'next due - now', s.nextDueAt() - Date.now(), 'upcoming', s.upcoming(5).map(t => t.id + '@' + (t.nextDueAt - now)).join(' '));
    await new Promise(r => setTimeout(r, 31000));
    console.log('after 31 s: fired', fired.size, 'size', s.size);
    break;
  }
  s.dispose();
}
console.log('done');

import { armScheduler, armSetTimeout } from '../dist/bench/suites/lateness.js';
let worst = 0;
for (let round = 0; round < 300; round++) {
  const delays = Array.from({ length: 20 }, (_, i) => 1 + ((round * 31 + i * 17) % 30));
  const t0 = performance.now();
  const stall = setTimeout(() => console.log('STALL round', round, 'delays', JSON.stringify(delays)), 2000);
  await armScheduler(delays);
  clearTimeout(stall);
  worst = Math.max(worst, performance.now() - t0);
}
console.log('worst round ms', worst.toFixed(1));

/** Issue 10: how often the idle poll wakes the daemon (see bench/desktop). */
import { idleWakeups, missingTools } from '../desktop/measure.js';
import type { Suite } from '../harness/suite.js';

const skip = missingTools();
const MINUTE = 60_000;

export const suite: Suite = {
  id: 'desktop-idle',
  title: 'Idle-poll wake-ups (Linux)',
  description: [
    'The real `IdlePoller` on the system clock, against a dbusmock Mutter IdleMonitor answering a fixed idle time,',
    'with breaks of 20 s and 5 min and the 2-minute idle threshold; reads counted over a 60 s window (20 s with',
    '`--quick`; `BENCH_DESKTOP_SECONDS`). **At the keyboard** = idle 0 ms (the poll aims at the 20 s break: one read',
    'per 20 s); **away** = idle 10 min (past the threshold: one read per 10 s, to see the return). **ctx switches** are',
    "the whole Node process's (all threads) over the same window, so they include libuv's own wake-ups.",
  ].join('\n'),
  metrics: [
    { key: 'pollsPer10s', label: 'polls / 10 s', digits: 2 },
    { key: 'switchesPer10s', label: 'ctx switches / 10 s', digits: 1 },
    { key: 'windowS', label: 'window s', digits: 0 },
  ],
  groups: [
    {
      id: 'idle-poll',
      title: 'Idle-poll wake-ups',
      baseline: 'poll-active',
      runs: 1,
      targets: [
        {
          label: '≤ 1 poll per 10 s at the keyboard',
          subject: 'poll-active',
          metric: 'pollsPer10s',
          atMost: 1,
          over: 'max',
        },
        {
          label: '≤ 1 poll per 10 s while away',
          subject: 'poll-away',
          metric: 'pollsPer10s',
          atMost: 1,
          over: 'max',
        },
      ],
    },
  ],
  subjects: [
    {
      id: 'poll-active',
      label: 'at the keyboard',
      group: 'idle-poll',
      ...(skip && { skip }),
      run: (context) => idleWakeups(context, 0),
    },
    {
      id: 'poll-away',
      label: 'away',
      group: 'idle-poll',
      ...(skip && { skip }),
      run: (context) => idleWakeups(context, 10 * MINUTE),
    },
  ],
};

/** Issue 10: from logind's PrepareForSleep(false) to the session module's 'resume' event (see bench/desktop). */
import { missingTools, resumeLatency } from '../desktop/measure.js';
import type { Suite } from '../harness/suite.js';

const skip = missingTools();

export const suite: Suite = {
  id: 'desktop-resume',
  title: 'PrepareForSleep(false) → resume event (Linux)',
  description: [
    'The bench owns `org.freedesktop.login1` on a private bus (a plain dbus-daemon) and emits `PrepareForSleep(false)`;',
    "timed from the emit to `watchSession`'s `resume` event (200 signals a run, 20 with `--quick`, after 5 warm-up",
    'ones), on `performance.now()`. The daemon turns that event into `host-event resume` (an immediate re-check) in',
    'the same tick; the catch-up notification path is wired later and not part of this figure.',
  ].join('\n'),
  metrics: [
    { key: 'p50Ms', label: 'p50 ms', digits: 2 },
    { key: 'p99Ms', label: 'p99 ms', digits: 2 },
    { key: 'maxMs', label: 'max ms', digits: 2 },
  ],
  groups: [
    {
      id: 'resume',
      title: 'Resume latency',
      baseline: 'resume',
      targets: [
        {
          label: '≤ 100 ms (worst signal, worst run)',
          subject: 'resume',
          metric: 'maxMs',
          atMost: 100,
          over: 'max',
        },
      ],
    },
  ],
  subjects: [
    {
      id: 'resume',
      label: 'session.ts (logind signal)',
      group: 'resume',
      ...(skip && { skip }),
      run: resumeLatency,
    },
  ],
};

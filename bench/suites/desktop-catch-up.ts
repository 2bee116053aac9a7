/** Issue 10: from logind's PrepareForSleep(false) to the catch-up notification, through the real daemon (see bench/desktop/catch-up.ts). */
import { catchUpLatency, catchUpSkip } from '../desktop/catch-up.js';
import type { Suite } from '../harness/suite.js';

const skip = catchUpSkip();

export const suite: Suite = {
  id: 'desktop-catch-up',
  title: 'PrepareForSleep(false) → catch-up notification, real daemon (Linux)',
  description: [
    "Per run, fresh: two private buses (plain dbus-daemons), python-dbusmock's `logind` template (session `c1`) on the",
    'system one and its `notification_daemon` template (with `actions`) on the session one, and the built daemon',
    '(`dist/app/workers/daemon.js`) pointed at them, with one `once` reminder due in 10 minutes. A suspend is',
    'simulated as a process sees one: the daemon runs under libfaketime (`LD_PRELOAD`, `FAKETIME_TIMESTAMP_FILE`,',
    '`FAKETIME_NO_CACHE=1`, `FAKETIME_DONT_FAKE_MONOTONIC=1`), and the bench moves its wall clock 11 minutes',
    'forward while its timers and `/proc/uptime` (its elapsed clock) do not. The daemon takes that for a wall-clock',
    'change; the `once` reminder keeps its wall instant, so it is overdue.',
    '',
    '- **signal**: `PrepareForSleep(true)`, the daemon logs `host: suspend`, the jump, `PrepareForSleep(false)`.',
    "  **latency ms** = the notification mock's `Notify` log stamp − the logind mock's emit stamp for",
    "  `PrepareForSleep(false)` (both the mocks' own `time.time()`, 1 ms resolution, real clock).",
    '- **no signal (control)**: the same jump, no signal; timed from the jump. The daemon finds the overdue',
    '  reminder only at its next capped re-check (every ≤ 30 s); that timer was armed as the daemon started, just',
    '  before the jump, so the figure is about the whole 30 s: the worst case (15 s on average at a random phase).',
    '',
    "**bench ms** = from the bench's call (the emit request, or the file write) to the bench reading the `Notify`",
    "log line; **bench → host: resume ms** = from the emit request to the bench reading the daemon's `host: resume`",
    'log line (written once the re-check ran); **start→ready ms** = spawn until `ping` answers. libfaketime with',
    "`FAKETIME_NO_CACHE=1` re-reads the offset file on every clock read, which the daemon's figures include.",
  ].join('\n'),
  metrics: [
    { key: 'latencyMs', label: 'latency ms', digits: 1 },
    { key: 'benchMs', label: 'bench ms', digits: 1 },
    { key: 'resumeMs', label: 'bench → host: resume ms', digits: 1 },
    { key: 'readyMs', label: 'start→ready ms', digits: 0 },
  ],
  groups: [
    {
      id: 'signal',
      title: 'Resume signal → catch-up notification',
      note: 'The ratio is the control (no signal) ÷ this: how many times sooner the signal brings the notice.',
      baseline: 'control',
      targets: [
        { label: '≤ 100 ms (median)', subject: 'signal', metric: 'latencyMs', atMost: 100 },
        { label: '≤ 100 ms (worst run)', subject: 'signal', metric: 'latencyMs', atMost: 100, over: 'max' },
      ],
    },
    {
      id: 'control',
      title: 'Control: the same jump, no signal',
      baseline: 'control',
      runs: 3,
    },
  ],
  subjects: [
    {
      id: 'signal',
      label: 'PrepareForSleep(false) → Notify',
      group: 'signal',
      ...(skip && { skip }),
      run: (context) => catchUpLatency(context, true),
    },
    {
      id: 'control',
      label: 'wall jump, no signal → Notify',
      group: 'control',
      ...(skip && { skip }),
      run: (context) => catchUpLatency(context, false),
    },
  ],
};

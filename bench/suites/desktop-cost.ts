/** Issue 10: what the work piggy-backing on each idle poll costs (see bench/desktop). */
import { cameraScan, gsettingsPath, gsettingsRead } from '../desktop/measure.js';
import type { Suite } from '../harness/suite.js';

export const suite: Suite = {
  id: 'desktop-cost',
  title: 'Work done on an idle poll (Linux)',
  description: [
    '**camera**: one scan of /proc for a held `/dev/video*` (readlink of every fd of every process we may read), with',
    'the number of processes and fds it walked; **gsettings**: one `gsettings get org.gnome.desktop.notifications',
    'show-banners` (a process start; DND reads it at most once a minute). Median of 20 each.',
  ].join('\n'),
  metrics: [
    { key: 'msPerCheck', label: 'ms / check', digits: 2 },
    { key: 'processes', label: 'processes', digits: 0 },
    { key: 'fds', label: 'fds', digits: 0 },
  ],
  groups: [{ id: 'cost', title: 'Per-poll cost', baseline: 'camera-scan', runs: 3 }],
  subjects: [
    {
      id: 'camera-scan',
      label: 'camera: /proc fd scan',
      group: 'cost',
      ...(process.platform !== 'linux' && { skip: 'Linux only' }),
      run: cameraScan,
    },
    {
      id: 'gsettings',
      label: 'DND: gsettings read',
      group: 'cost',
      ...(gsettingsPath() === null && { skip: 'gsettings not installed' }),
      run: gsettingsRead,
    },
  ],
};

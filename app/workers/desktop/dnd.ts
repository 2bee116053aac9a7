/**
 * The desktop's do-not-disturb, headless on Linux:
 * - the notification server's `Inhibited` property (KDE Plasma) or dunst's `paused`
 *   (org.dunstproject.cmd0), both on /org/freedesktop/Notifications, followed by PropertiesChanged;
 * - GNOME: `show-banners` false in org.gnome.desktop.notifications, read with `gsettings` (at start,
 *   then on {@link DndWatch.refresh}, which the idle poll calls; at most once a minute).
 * DND is on when any of them says so. A fullscreen window is followed apart (fullscreen.ts, X11 only) and
 * held under the same policy.
 */
import { execFile } from 'node:child_process';
import type { DBusClient } from './dbus-client.js';
import { dictOfVariants } from './dbus-client.js';

const NOTIFICATIONS = {
  name: 'org.freedesktop.Notifications',
  path: '/org/freedesktop/Notifications',
} as const;
const INHIBITED = [
  { iface: 'org.freedesktop.Notifications', property: 'Inhibited' }, // KDE Plasma
  { iface: 'org.dunstproject.cmd0', property: 'paused' }, // dunst ≥ 1.5
] as const;

/** gsettings is read at most this often by refresh() (a process start each time). */
export const GSETTINGS_MIN_INTERVAL_MS = 60_000;

export interface DndWatch {
  /** Whether DND is on, as last seen. */
  readonly on: boolean;
  /** Which sources answered: 'notifications' (Inhibited / paused) and/or 'gsettings'. */
  readonly sources: readonly string[];
  /** Re-reads gsettings if its last read is older than {@link GSETTINGS_MIN_INTERVAL_MS}. */
  refresh(): Promise<void>;
  close(): void;
}

export interface DndWatchOptions {
  session: DBusClient | null;
  onChange: (on: boolean) => void;
  /** The gsettings binary; null to not use it. Default 'gsettings' (looked up on PATH). */
  gsettings?: string | null;
  now?: () => number;
  timeoutMs?: number;
}

/** `show-banners` from gsettings: true (banners shown), false (DND), or null when unavailable. */
export function readShowBanners(gsettings: string): Promise<boolean | null> {
  return new Promise((resolve) => {
    execFile(
      gsettings,
      ['get', 'org.gnome.desktop.notifications', 'show-banners'],
      { timeout: 5_000 },
      (error, stdout) => {
        if (error) return resolve(null);
        const answer = stdout.trim();
        resolve(answer === 'true' ? true : answer === 'false' ? false : null);
      },
    );
  });
}

/** Starts watching; resolves once every source was read once. */
export async function watchDnd(options: DndWatchOptions): Promise<DndWatch> {
  const now = options.now ?? Date.now;
  const inhibited = new Map<string, boolean>();
  let bannersOff = false;
  let on = false;
  let closed = false;
  const sources: string[] = [];
  const unsubscribers: (() => void)[] = [];
  const update = () => {
    const next = bannersOff || [...inhibited.values()].some(Boolean);
    if (next === on || closed) return;
    on = next;
    options.onChange(on);
  };

  const session = options.session;
  if (session) {
    for (const { iface, property } of INHIBITED) {
      try {
        const value = await session.getProperty(
          NOTIFICATIONS.name,
          NOTIFICATIONS.path,
          iface,
          property,
          options.timeoutMs,
        );
        if (typeof value === 'boolean') {
          inhibited.set(iface, value);
          if (!sources.includes('notifications')) sources.push('notifications');
        }
      } catch {
        // This server has no such property (GNOME Shell, the mock): not a source.
      }
    }
    if (inhibited.size > 0) {
      unsubscribers.push(
        await session.onSignal(
          {
            path: NOTIFICATIONS.path,
            interface: 'org.freedesktop.DBus.Properties',
            member: 'PropertiesChanged',
          },
          ([iface, changed]) => {
            const entry = INHIBITED.find((candidate) => candidate.iface === iface);
            if (!entry) return;
            const value = dictOfVariants(changed)[entry.property];
            if (typeof value === 'boolean') {
              inhibited.set(entry.iface, value);
              update();
            }
          },
        ),
      );
    }
  }

  const gsettings = options.gsettings === undefined ? 'gsettings' : options.gsettings;
  let gsettingsReadAt = -Infinity;
  let gsettingsWorks = gsettings !== null;
  const readGsettings = async () => {
    if (!gsettings || !gsettingsWorks) return;
    gsettingsReadAt = now();
    const shown = await readShowBanners(gsettings);
    if (shown === null) {
      gsettingsWorks = false; // no gsettings, or no GNOME schema: stop trying
      return;
    }
    if (!sources.includes('gsettings')) sources.push('gsettings');
    bannersOff = !shown;
    update();
  };
  await readGsettings();
  update();

  return {
    get on() {
      return on;
    },
    sources,
    async refresh() {
      if (now() - gsettingsReadAt >= GSETTINGS_MIN_INTERVAL_MS) await readGsettings();
    },
    close() {
      closed = true;
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
    },
  };
}

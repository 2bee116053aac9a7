/**
 * Is the user in a meeting? A camera in use (a /dev/video* device held open by any process, seen in
 * /proc/<pid>/fd) or a microphone capturing (a PulseAudio / PipeWire-pulse source output recording
 * from a real source, not a ".monitor" of an output, from `pactl`). Checked on the idle poll.
 *
 * Seams for tests: `procRoot` (where /proc is) and `devicePattern` (what counts as a camera), since a
 * test cannot create /dev/video0: it holds open a temp file named like a video device and points the
 * pattern at it; `pactl` (the binary) can be a script printing a fixed listing.
 *
 * Limits: only processes of this user are visible in /proc (another user's camera use is not seen);
 * without pactl (no PulseAudio client tools; pw-dump is not used yet) the microphone is not checked.
 */
import { execFile } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface MeetingState {
  camera: boolean;
  microphone: boolean;
}

export interface MeetingDetectorOptions {
  /** The setting: false → never in a meeting, nothing is scanned. Default true. */
  enabled?: boolean;
  /** Default '/proc'. */
  procRoot?: string;
  /** What an fd must point at to count as a camera. Default /^\/dev\/video\d+$/. */
  devicePattern?: RegExp;
  /** The pactl binary; null to not check the microphone. Default 'pactl' (on PATH). */
  pactl?: string | null;
}

export const DEFAULT_VIDEO_DEVICE = /^\/dev\/video\d+$/;

/** Whether any process (that we may look at) holds a device matching `pattern` open. */
export async function cameraInUse(
  procRoot = '/proc',
  pattern: RegExp = DEFAULT_VIDEO_DEVICE,
): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return false;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    const fdDir = join(procRoot, pid, 'fd');
    let fds: string[];
    try {
      fds = await readdir(fdDir);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        if (pattern.test(await readlink(join(fdDir, fd)))) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}

/**
 * From `pactl list short sources` and `pactl list short source-outputs`: whether some source output
 * records from a source that is not a monitor (a monitor is the desktop's own sound, e.g. a screen
 * recorder; pavucontrol's level meters read monitors too).
 */
export function microphoneInUseFrom(sourcesListing: string, outputsListing: string): boolean {
  const monitorIndexes = new Set<string>();
  for (const line of sourcesListing.split('\n')) {
    const [index, name] = line.split('\t');
    if (index && name?.endsWith('.monitor')) monitorIndexes.add(index.trim());
  }
  for (const line of outputsListing.split('\n')) {
    const [index, source] = line.split('\t');
    if (!index?.trim() || source === undefined) continue;
    if (!monitorIndexes.has(source.trim())) return true;
  }
  return false;
}

function run(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 5_000 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

/** Whether a microphone is capturing, per pactl; null when pactl is missing or fails. */
export async function microphoneInUse(pactl = 'pactl'): Promise<boolean | null> {
  const [sources, outputs] = await Promise.all([
    run(pactl, ['list', 'short', 'sources']),
    run(pactl, ['list', 'short', 'source-outputs']),
  ]);
  if (sources === null || outputs === null) return null;
  return microphoneInUseFrom(sources, outputs);
}

/** Checks camera and microphone on demand; reports changes of "in a meeting" to `onChange`. */
export class MeetingDetector {
  readonly #options: Required<Omit<MeetingDetectorOptions, 'pactl'>> & { pactl: string | null };
  readonly #onChange: (inMeeting: boolean, state: MeetingState) => void;
  #inMeeting = false;
  #pactlWorks = true;

  constructor(options: MeetingDetectorOptions, onChange: (inMeeting: boolean, state: MeetingState) => void) {
    this.#options = {
      enabled: options.enabled ?? true,
      procRoot: options.procRoot ?? '/proc',
      devicePattern: options.devicePattern ?? DEFAULT_VIDEO_DEVICE,
      pactl: options.pactl === undefined ? 'pactl' : options.pactl,
    };
    this.#onChange = onChange;
  }

  get inMeeting(): boolean {
    return this.#inMeeting;
  }

  /** Scans now; returns what it saw (all false when disabled). */
  async check(): Promise<MeetingState> {
    if (!this.#options.enabled) return this.#report({ camera: false, microphone: false });
    const camera = await cameraInUse(this.#options.procRoot, this.#options.devicePattern);
    let microphone = false;
    // The camera settles it: no pactl start needed while it is on.
    if (!camera && this.#options.pactl !== null && this.#pactlWorks) {
      const answer = await microphoneInUse(this.#options.pactl);
      if (answer === null) this.#pactlWorks = false; // missing: stop trying
      microphone = answer ?? false;
    }
    return this.#report({ camera, microphone });
  }

  #report(state: MeetingState): MeetingState {
    const inMeeting = state.camera || state.microphone;
    if (inMeeting !== this.#inMeeting) {
      this.#inMeeting = inMeeting;
      this.#onChange(inMeeting, state);
    }
    return state;
  }
}

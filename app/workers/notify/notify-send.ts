import { execFile, type ExecFileException } from 'node:child_process';
import { DeliveryError, type DeliveryRequest, type NotifyBackend } from './delivery.js';

/** Options of the notify-send backend; the defaults suit the daemon. */
export interface NotifySendBackendOptions {
  /** The program to run, looked up on PATH at each delivery (so installing it later just works). */
  command?: string;
  /** A notify-send that has not exited by then is killed (SIGKILL) and the delivery counts as failed. */
  timeoutMs?: number;
}

/** The freedesktop sound-theme name asked for when `sound` is true: a timer going off is what a reminder is. */
export const REMINDER_SOUND_NAME = 'alarm-clock-elapsed';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_EXPIRE_MS = 2 ** 31 - 1; // notify-send parses --expire-time as a C int

/**
 * The Linux/BSD backend: runs notify-send directly with an argument array (execFile, no shell).
 *
 * node-notifier's own NotifySend is deliberately not used here: it builds a command line for `child_process.exec`
 * (a shell), turns newlines into `\n`, mangles backslashes, lets a title starting with `-` be read as an option,
 * sets no process timeout, and caches a failed `which notify-send` in a module-level flag for the life of the
 * process. Spawning notify-send ourselves fixes all five.
 */
export function createNotifySendBackend(options: NotifySendBackendOptions = {}): NotifyBackend {
  const command = options.command ?? 'notify-send';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: command,
    send: (request) =>
      new Promise<void>((resolve, reject) => {
        // execFile keeps the ChildProcess and its exit handler until the child is gone, so libuv reaps it (no
        // zombie); `timeout` + SIGKILL bounds a notify-send stuck on an unresponsive bus.
        execFile(
          command,
          notifySendArgs(request),
          { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, windowsHide: true },
          (error, _stdout, stderr) => {
            if (error) reject(classifyFailure(command, timeoutMs, error, String(stderr)));
            else resolve();
          },
        );
      }),
  };
}

/**
 * The argv for one notification. Every option uses the `--name=value` form and the texts follow `--`, so no
 * text can be taken for an option. notify-send unescapes C escapes in the body (`g_strcompress`: `\n`, `\\`,
 * `\101`…) but not in the summary, so only the body's backslashes are doubled. D-Bus strings cannot hold NUL,
 * and argv cannot either: NUL characters are dropped.
 */
export function notifySendArgs(request: DeliveryRequest): string[] {
  const args = [`--app-name=${request.appName}`, `--urgency=${request.urgency}`];
  if (request.timeoutSec !== undefined && Number.isFinite(request.timeoutSec)) {
    const expireMs = Math.min(MAX_EXPIRE_MS, Math.max(0, Math.round(request.timeoutSec * 1000)));
    args.push(`--expire-time=${expireMs}`);
  }
  if (request.iconPath) args.push(`--icon=${withoutNul(request.iconPath)}`);
  if (request.sound === true) args.push(`--hint=string:sound-name:${REMINDER_SOUND_NAME}`);
  if (request.sound === false) args.push('--hint=boolean:suppress-sound:true');
  args.push('--', withoutNul(request.title), withoutNul(request.body).replaceAll('\\', '\\\\'));
  return args;
}

function withoutNul(text: string): string {
  return text.replaceAll('\0', '');
}

/** notify-send's stderr when the session bus, or the notification server on it, is not there. */
const NO_SERVER_PATTERN = /org\.freedesktop\.Notifications|ServiceUnknown|D-?Bus|autolaunch/i;

function classifyFailure(
  command: string,
  timeoutMs: number,
  error: ExecFileException,
  stderr: string,
): DeliveryError {
  const cause = { cause: error };
  if (error.code === 'ENOENT') {
    return new DeliveryError(
      'notifier-missing',
      `${command} not found`,
      'install libnotify-bin (Debian/Ubuntu) or libnotify (Fedora/Arch)',
      cause,
    );
  }
  if (error.killed) {
    return new DeliveryError(
      'timed-out',
      `${command} did not finish within ${timeoutMs} ms and was killed`,
      'the notification server on the session D-Bus may be hung',
      cause,
    );
  }
  const detail = stderr.trim().split('\n')[0] || error.message;
  if (NO_SERVER_PATTERN.test(stderr)) {
    return new DeliveryError(
      'no-server',
      `no notification server answered (${detail})`,
      "start a notification daemon on the session D-Bus (your desktop's own, or dunst / mako)",
      cause,
    );
  }
  const status = error.signal ? `signal ${error.signal}` : `code ${String(error.code)}`;
  return new DeliveryError('failed', `${command} exited with ${status}: ${detail}`, undefined, cause);
}

import type NotificationCenter from 'node-notifier/notifiers/notificationcenter.js';
import type WindowsToaster from 'node-notifier/notifiers/toaster.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DeliveryError, type NotifyBackend } from './delivery.js';

/**
 * In a packaged app node-notifier lives inside app.asar, but its helper binaries (terminal-notifier,
 * SnoreToast) are unpacked beside it (electron-builder's asarUnpack) because nothing can execute a
 * file inside an archive. Returns the unpacked helper's path there, or undefined outside an asar.
 */
export function unpackedHelperPath(
  packageDir: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string | undefined {
  const marker = `app.asar${path.sep}`;
  if (!packageDir.includes(marker)) return undefined;
  const unpacked = packageDir.replace(marker, `app.asar.unpacked${path.sep}`);
  if (platform === 'darwin') {
    return path.join(
      unpacked,
      'vendor',
      'mac.noindex',
      'terminal-notifier.app',
      'Contents',
      'MacOS',
      'terminal-notifier',
    );
  }
  if (platform === 'win32')
    return path.join(unpacked, 'vendor', 'snoreToast', `snoretoast-${arch === 'x64' ? 'x64' : 'x86'}.exe`);
  return undefined;
}

function nodeNotifierDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('node-notifier/package.json'));
}

/** Options of the node-notifier backend. */
export interface NodeNotifierBackendOptions {
  /**
   * How long to wait for node-notifier's callback beyond the notification's own display time. node-notifier does
   * not hand out its child process, so a hung helper cannot be killed from here: the delivery is reported as
   * failed and the helper is left to exit on its own.
   */
  timeoutMs?: number;
  /**
   * Windows AppUserModelID. Windows drops toasts whose id has no Start-menu shortcut, so it is only sent when
   * the installer registered one (electron-builder's `appId`); otherwise SnoreToast's own id is used.
   */
  windowsAppId?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The macOS / Windows backend: node-notifier's default export, which picks NotificationCenter
 * (terminal-notifier) on macOS and WindowsToaster (SnoreToast) on Windows and WSL. Both run their helper with
 * `execFile` (no shell). Loaded on first use, so Linux, which uses notify-send directly, never loads it.
 */
export function createNodeNotifierBackend(options: NodeNotifierBackendOptions = {}): NotifyBackend {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'node-notifier',
    async send(request) {
      const { default: nodeNotifier } = await import('node-notifier');
      // customPath is honoured by both notifiers (see their sources) but missing from @types/node-notifier.
      const notification: NotificationCenter.Notification &
        WindowsToaster.Notification & { customPath?: string } = {
        title: request.title,
        message: request.body,
        wait: false,
        // terminal-notifier stays running until `timeout` (to report clicks); false returns at once and leaves
        // the display time to macOS.
        timeout: request.timeoutSec ?? false,
      };
      if (request.sound !== undefined) notification.sound = request.sound;
      if (request.iconPath) notification.icon = request.iconPath;
      if (options.windowsAppId) notification.appID = options.windowsAppId;
      const helper = unpackedHelperPath(nodeNotifierDir());
      if (helper) notification.customPath = helper;
      const waitMs = (request.timeoutSec ?? 0) * 1000 + timeoutMs;

      await new Promise<void>((resolve, reject) => {
        let settled = false;
        // SnoreToast's result parser can call back twice (once with the error, once without): first call wins.
        const settle = (error: DeliveryError | null): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(
          () => settle(new DeliveryError('timed-out', `node-notifier did not answer within ${waitMs} ms`)),
          waitMs,
        );
        nodeNotifier.notify(notification, (error) => settle(error ? toDeliveryError(error) : null));
      });
    },
  };
}

/** The helpers' errno when node-notifier's bundled binary is absent or not executable. */
const MISSING_HELPER_CODES = new Set(['ENOENT', 'EACCES']);

function toDeliveryError(error: unknown): DeliveryError {
  // Despite its typings, node-notifier passes the helper's stderr (a string) as the error in some paths.
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && MISSING_HELPER_CODES.has(code)) {
    return new DeliveryError(
      'notifier-missing',
      `node-notifier's helper could not be started (${message})`,
      'in a packaged app, unpack node_modules/node-notifier/vendor from the asar archive',
      { cause: error },
    );
  }
  return new DeliveryError('failed', message, undefined, { cause: error });
}

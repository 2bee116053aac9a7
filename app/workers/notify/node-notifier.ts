import type NotificationCenter from 'node-notifier/notifiers/notificationcenter.js';
import type WindowsToaster from 'node-notifier/notifiers/toaster.js';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NOTIFY_ACTION_WAIT_SEC, NOTIFY_MAX_WAITING_HELPERS } from '../../shared/limits.js';
import { DeliveryError, type DeliveryAction, type DeliveryRequest, type NotifyBackend } from './delivery.js';
import type { NotifierActionEvent } from './notifier.js';

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
  /** Stands in for node-notifier's default export (tests); default: node-notifier, loaded on first use. */
  notifier?: NodeNotifierLike;
  /** Whose helper runs: buttons are offered on 'darwin' (terminal-notifier) and 'win32' (SnoreToast). Default process.platform. */
  platform?: NodeJS.Platform;
  /** Notifications with buttons waiting for a press at once (a helper process each); more go without. Default {@link NOTIFY_MAX_WAITING_HELPERS}. */
  maxWaiting?: number;
  /** How long a notification with buttons waits for a press, in seconds. Default {@link NOTIFY_ACTION_WAIT_SEC}. */
  actionWaitSec?: number;
  /**
   * A helper waiting for a press calls back only when it ends, so the delivery counts as done when it has not
   * failed within this long (a helper that cannot start fails at once). Default 1 s.
   */
  startGraceMs?: number;
}

/**
 * The part of node-notifier used here. The callback's `response` is the lower-cased activation type or
 * button label; `metadata` holds terminal-notifier's JSON (`activationValue`: the button's label) or
 * SnoreToast's result (`button`: the label).
 */
/** customPath is honoured by both notifiers (see their sources) but missing from @types/node-notifier. */
export type HelperOptions = NotificationCenter.Notification &
  WindowsToaster.Notification & { customPath?: string };

export interface NodeNotifierLike {
  notify(
    options: HelperOptions,
    callback: (error: unknown, response?: string, metadata?: Record<string, unknown>) => void,
  ): unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_START_GRACE_MS = 1_000;
/** Platforms whose node-notifier helper shows buttons and reports which was pressed. */
const PLATFORMS_WITH_ACTIONS: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32']);
/** What a click on the notification itself reports: terminal-notifier's contentsClicked, SnoreToast's activate. */
const BODY_CLICKS: ReadonlySet<string> = new Set(['activate', 'contentsclicked', 'clicked', 'click']);

/**
 * The button a helper's answer names (by its label, compared case-insensitively as node-notifier lower-cases
 * the response), `default` for a click on the notification itself, or null (timed out, dismissed, closed).
 */
export function pressedAction(
  actions: readonly DeliveryAction[],
  response: string | undefined,
  metadata: Record<string, unknown> | undefined,
): DeliveryAction['id'] | 'default' | null {
  const answers = [metadata?.activationValue, metadata?.button, response]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.trim().toLowerCase());
  for (const answer of answers) {
    const action = actions.find((candidate) => candidate.label.trim().toLowerCase() === answer);
    if (action) return action.id;
  }
  return answers.some((answer) => BODY_CLICKS.has(answer)) ? 'default' : null;
}

/**
 * The macOS / Windows backend: node-notifier's default export, which picks NotificationCenter
 * (terminal-notifier) on macOS and WindowsToaster (SnoreToast) on Windows and WSL. Both run their helper with
 * `execFile` (no shell). Loaded on first use, so Linux, which uses notify-send directly, never loads it.
 */
export function createNodeNotifierBackend(options: NodeNotifierBackendOptions = {}): NotifyBackend {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const platform = options.platform ?? process.platform;
  const maxWaiting = options.maxWaiting ?? NOTIFY_MAX_WAITING_HELPERS;
  const actionWaitSec = options.actionWaitSec ?? NOTIFY_ACTION_WAIT_SEC;
  const startGraceMs = options.startGraceMs ?? DEFAULT_START_GRACE_MS;
  const presses = new EventEmitter<{ action: [NotifierActionEvent] }>();
  let waiting = 0;
  let sent = 0;
  const load = async (): Promise<NodeNotifierLike> =>
    // node-notifier's typings declare overloads this narrower view does not match; the call shape is the same.
    options.notifier ?? ((await import('node-notifier')).default as unknown as NodeNotifierLike);

  return {
    name: 'node-notifier',
    async send(request) {
      const nodeNotifier = await load();
      const notification: HelperOptions = {
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
      const helper = unpackedHelperPath(nodeNotifierDir(), platform);
      if (helper) notification.customPath = helper;

      const actions = request.actions ?? [];
      const key = request.key;
      if (
        key !== undefined &&
        actions.length > 0 &&
        PLATFORMS_WITH_ACTIONS.has(platform) &&
        waiting < maxWaiting
      ) {
        // terminal-notifier shows the labels in a dropdown, SnoreToast as buttons; either helper stays running
        // until a press or `timeout`, then calls back once with what happened.
        notification.actions = actions.map((action) => action.label);
        notification.wait = true;
        notification.timeout = request.timeoutSec ?? actionWaitSec;
        return waitForPress(nodeNotifier, notification, { ...request, key, actions }, ++sent);
      }

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
    onAction(listener) {
      presses.on('action', listener);
      return () => presses.off('action', listener);
    },
  };

  /**
   * Shows a notification with buttons and counts it as waiting until its helper calls back (or, should it
   * never, until its timeout has passed). Resolves once the helper has not failed within the start grace.
   */
  function waitForPress(
    nodeNotifier: NodeNotifierLike,
    notification: HelperOptions,
    request: DeliveryRequest & { key: string; actions: readonly DeliveryAction[] },
    notificationId: number,
  ): Promise<void> {
    waiting++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      waiting--;
      clearTimeout(giveUp);
    };
    const waitSec = typeof notification.timeout === 'number' ? notification.timeout : actionWaitSec;
    const giveUp = setTimeout(end, waitSec * 1000 + timeoutMs);
    giveUp.unref();
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const grace = setTimeout(() => {
        settled = true;
        resolve();
      }, startGraceMs);
      nodeNotifier.notify(notification, (error, response, metadata) => {
        if (ended) return; // SnoreToast may call back twice: the first answer counts
        end();
        if (!settled) {
          settled = true;
          clearTimeout(grace);
          if (error) return reject(toDeliveryError(error));
          resolve();
        }
        if (error) return;
        const action = pressedAction(request.actions, response, metadata);
        if (action !== null) presses.emit('action', { key: request.key, action, notificationId });
      });
    });
  }
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

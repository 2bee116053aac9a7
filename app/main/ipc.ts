import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import { z } from 'zod';
import { methods, requestSchema, type Method, type Reply, type Status } from '../shared/contract.js';
import { IPC_CHANNELS, type IpcChannel } from '../shared/ipc-channels.js';
import { formatPath } from '../shared/validate.js';
import { BREAK_ACTIONS, type BreakAction, type BreakInfo } from './break-window.js';
import type { Log } from './log.js';
import { APP_HOST, APP_SCHEME } from './protocol.js';

/**
 * True only for the settings window's main frame showing `app://mytimer`: not a subframe, not another
 * window, not a page that somehow navigated elsewhere, and not a frame already gone (`null`).
 */
export function isSettingsFrame(frame: WebFrameMain | null, settings: WebContents | null): boolean {
  if (!frame || !settings || settings.isDestroyed()) return false;
  if (frame !== settings.mainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The `mytimer:request` payload, `{ method, params }`: the contract's request minus the id (main
 * assigns it), with `params` checked against the method's own schema. Issues keep their full path
 * (`params.reminder.priority`), so the error reply names the field exactly as the daemon would.
 */
export const ipcRequestSchema = requestSchema.omit({ id: true }).transform((request, ctx) => {
  const params = methods[request.method].params.safeParse(request.params ?? {});
  if (!params.success) {
    for (const issue of params.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['params', ...issue.path] });
    }
    return z.NEVER;
  }
  return { method: request.method, params: params.data as unknown };
});

/** The `mytimer:status` payload: nothing. */
export const ipcStatusSchema = z.undefined({ error: 'takes no argument' });

/** Who may call a validated channel, and where refusals are logged. */
export interface ValidatedIpcOptions {
  /** The settings window's WebContents, while it exists: only its main frame is answered. */
  settingsContents(): WebContents | null;
  /** Other windows of the app whose main frames this channel answers too (the break windows). */
  otherContents?: () => readonly WebContents[];
  log?: Log;
}

/**
 * Registers `channel` with `ipcMain.handle` — the ONLY place in app/main that does (a test scans for
 * any other). Before `handler` runs, the sender must be the settings window's main frame on
 * `app://mytimer` ({@link isSettingsFrame}; not something a caller can loosen) and the first argument
 * must parse with `schema`; otherwise the caller gets an `{ id: null, ok: false, error }` reply naming
 * the problem. Nothing ever throws across IPC: a throwing handler becomes an `internal` error reply.
 */
export function handleValidated<S extends z.ZodType>(
  channel: IpcChannel,
  schema: S,
  handler: (payload: z.output<S>, event: IpcMainInvokeEvent) => unknown,
  options: ValidatedIpcOptions,
): void {
  const log = options.log ?? (() => undefined);
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<unknown> => {
    const allowed = [options.settingsContents(), ...(options.otherContents?.() ?? [])];
    if (!allowed.some((contents) => isSettingsFrame(event.senderFrame, contents))) {
      log(
        'warn',
        `refused ${channel} from a frame that is not the settings page (${event.senderFrame?.url ?? 'gone'})`,
      );
      return errorReply('sender', 'refused: only the settings window may send this');
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return errorReply(issue ? formatPath('', issue.path) : '(input)', issue?.message ?? 'is invalid');
    }
    try {
      return await handler(parsed.data, event);
    } catch (error) {
      log('error', `${channel} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return {
        id: null,
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      } satisfies Reply;
    }
  });
}

/** What the IPC handlers need from the rest of main. */
export interface IpcDeps {
  /** Forwards one request to the daemon (DaemonHost.request). */
  request(method: Method, params: unknown): Promise<Reply>;
  /** The daemon's last status. */
  status(): Status | null;
  /** The settings window's WebContents, while it exists. */
  settingsContents(): WebContents | null;
  /** Called after the daemon accepted a `settings.set` (start at login may have changed). */
  onSettingsChanged?: () => void;
  /** The OS folder dialog (the Backups panel's pickers): the chosen folder, or null. */
  pickFolder?: () => Promise<string | null>;
  /** The break windows: their pages, and what they may ask. */
  breaks?: {
    contents(): readonly WebContents[];
    readonly info: BreakInfo | null;
    act(action: BreakAction): Promise<void>;
  };
  log?: Log;
}

/** The `mytimer:break-action` payload. */
export const ipcBreakActionSchema = z.enum(BREAK_ACTIONS, {
  error: `must be one of ${BREAK_ACTIONS.join(', ')}`,
});

/** Registers the renderer → main channels (`mytimer:request`, `mytimer:status`), all through {@link handleValidated}. */
export function registerIpc(deps: IpcDeps): void {
  const options: ValidatedIpcOptions = {
    settingsContents: deps.settingsContents,
    ...(deps.log && { log: deps.log }),
  };
  handleValidated(
    IPC_CHANNELS.request,
    ipcRequestSchema,
    async ({ method, params }) => {
      const reply = await deps.request(method, params);
      if (method === 'settings.set' && reply.ok) deps.onSettingsChanged?.();
      return reply;
    },
    options,
  );
  handleValidated(IPC_CHANNELS.status, ipcStatusSchema, () => deps.status(), options);
  const { pickFolder, breaks } = deps;
  if (pickFolder) {
    handleValidated(IPC_CHANNELS.pickFolder, ipcStatusSchema, () => pickFolder(), options);
  }
  if (breaks) {
    // Only the break windows' pages: the settings window has no business ending a break.
    const breakOptions: ValidatedIpcOptions = {
      settingsContents: () => null,
      otherContents: () => breaks.contents(),
      ...(deps.log && { log: deps.log }),
    };
    handleValidated(IPC_CHANNELS.breakInfo, ipcStatusSchema, () => breaks.info, breakOptions);
    handleValidated(
      IPC_CHANNELS.breakAction,
      ipcBreakActionSchema,
      async (action) => {
        await breaks.act(action);
        return null;
      },
      breakOptions,
    );
  }
}

function errorReply(field: string, message: string): Reply {
  return { id: null, ok: false, error: { code: 'invalid', field, message } };
}

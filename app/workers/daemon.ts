/**
 * The daemon's entry: the engine behind a control socket, hosted by Electron's utilityProcess,
 * a `mytimer run` fork, or nothing (started by hand). No electron import here or below.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT_ALREADY_RUNNING, EXIT_FAILURE, EXIT_OK } from '../shared/exit-codes.js';
import { systemLocale } from '../shared/i18n/index.js';
import { AlreadyRunningError, startControlServer, type ControlServer } from './control/index.js';
import { startDesktopSources, type DesktopSources } from './desktop/index.js';
import { historyDir } from '../shared/paths.js';
import { HistoryLog, readHistory } from './history/index.js';
import { startCopyJob } from './jobs/index.js';
import { actionLabel, startDaemonNotifier, type DaemonNotifier } from './desktop/index.js';
import { createNotifier } from './notify/index.js';
import { DaemonService } from './service/index.js';
import {
  appPaths,
  openSettingsStore,
  openStateStore,
  resolveHome,
  runtimeDir,
  socketPath,
  acquireFileLock,
  watchFile,
  type HeldLock,
} from './store/index.js';
import { detectTransport } from './transport.js';

export const DAEMON_PROCESS_NAME = 'mytimer-daemon';
/** SIGTERM or `shutdown`: state is flushed and the process gone within this. */
const SHUTDOWN_DEADLINE_MS = 1_000;

type Level = 'info' | 'warn' | 'error';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  process.title = DAEMON_PROCESS_NAME;
  const { values } = parseArgs({ options: { home: { type: 'string' } }, strict: false });
  const explicitHome = typeof values.home === 'string' ? values.home : undefined;
  const home = resolveHome({ ...(explicitHome !== undefined && { home: explicitHome }) });
  const paths = appPaths(home);
  const transport = detectTransport();

  // Hosted: logs travel to the host as events (it owns the terminal or the log file); alone: stderr.
  const log = (level: Level, message: string) => {
    if (transport) transport.send({ event: 'log', data: { level, message } });
    else process.stderr.write(`[${DAEMON_PROCESS_NAME} ${process.pid}] ${level}: ${message}\n`);
  };

  const runtime = await runtimeDir({ ...(explicitHome !== undefined && { home: explicitHome }) });
  let service: DaemonService | null = null;
  let server: ControlServer;
  try {
    server = await startControlServer({
      socketPath: socketPath(runtime),
      handle: async (message) =>
        service
          ? service.handle(message)
          : { id: null, ok: false, error: { code: 'unavailable', message: 'the daemon is starting' } },
      log,
    });
  } catch (error) {
    if (error instanceof AlreadyRunningError) {
      log('error', error.message);
      process.exit(EXIT_ALREADY_RUNNING);
    }
    throw error;
  }

  let stopping = false;
  let lock: HeldLock | null = null;
  let desktop: DaemonNotifier | null = null;
  // Every way out (shutdown, its deadline, a crash) removes the lock synchronously: a promise would
  // never run after process.exit(), and a lock left behind makes the next CLI edit wait for nothing.
  process.on('exit', () => lock?.releaseSync());
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `stopping (${reason})`);
    setTimeout(() => process.exit(EXIT_OK), SHUTDOWN_DEADLINE_MS).unref();
    await service?.close();
    await desktop?.close();
    await server.close();
    lock?.releaseSync();
    process.exit(EXIT_OK);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  transport?.onHostGone(() => void shutdown('host gone'));

  // The daemon is the settings' one writer: it holds the lock for its whole life, so CLI edits made
  // while no daemon runs can never interleave with it.
  // Held for the daemon's life: touched every 10 minutes (not every few seconds), so an idle daemon
  // stays asleep; a dead daemon's lock is still taken over at once, by its pid and start time.
  lock = await acquireFileLock(paths.lock, { staleMs: 30 * 60_000 });

  // Desktop notifications (issue 10): over D-Bus with Snooze / Skip / Start break where a session bus answers,
  // notify-send / node-notifier otherwise. Presses go through the service's public handle(), like any request.
  desktop = await startDaemonNotifier({
    fallback: createNotifier({
      pid: process.pid,
      processName: DAEMON_PROCESS_NAME,
      log,
      // Buttons where node-notifier's helper shows them (macOS, Windows), labelled in the user's language.
      actionLabel: (action, snoozeMinutes) => actionLabel(action, service?.locale ?? 'en', snoozeMinutes),
    }),
    handle: async (request) => (service ? service.handle(request) : null),
    locale: () => service?.locale ?? 'en',
    log,
    pid: process.pid,
    processName: DAEMON_PROCESS_NAME,
  });
  const notifier = desktop.notifier;
  // The break history, beside settings.json (history-YYYY-MM.jsonl): appended in fsynced batches.
  const historyFolder = historyDir(home);
  const historyLog = new HistoryLog({ dir: historyFolder, log: (message) => log('warn', message) });
  service = await DaemonService.open({
    history: {
      append: (event) => historyLog.append(event),
      read: async (fromMs) => (await readHistory(historyFolder, { fromMs })).events,
      flush: () => historyLog.flush(),
    },
    // The service logs the stores' load warnings (once); the stores themselves stay quiet.
    settingsStore: openSettingsStore(paths),
    stateStore: openStateStore(paths),
    notifier,
    log,
    pid: process.pid,
    processName: DAEMON_PROCESS_NAME,
    home,
    version: packageVersion(),
    osLocale: systemLocale(),
    // Copies run on worker threads: the reminders' timers keep firing on time meanwhile.
    startJob: (job) => startCopyJob(job),
    applyNiceness: (niceness) => {
      try {
        os.setPriority(niceness);
      } catch (error) {
        log(
          'warn',
          `could not set niceness ${niceness}: ${(error as Error).message}; running at normal priority`,
        );
      }
      try {
        return os.getPriority();
      } catch {
        return null;
      }
    },
  });
  const running = service;
  running.on('event', (event) => {
    server.broadcast(event);
    transport?.send(event);
  });
  running.on('shutdown', () => void shutdown('shutdown request'));
  transport?.onMessage((message) => {
    void running.handle(message).then((reply) => transport.send(reply));
  });
  // ─── Desktop sources (issue 10), on Linux. Headless: suspend/resume/lock/unlock from logind, idle/active
  // from the idle source, all as the service's `host-event`; idle samples, DND, fullscreen and meetings
  // straight into the service's presence, which holds and releases reminders and counts natural breaks.
  // Under Electron the host forwards its own powerMonitor events (idle, sleep, lock), so only DND,
  // fullscreen and meetings are followed here. MYTIMER_DESKTOP=off turns them all off.
  if (process.platform === 'linux' && process.env.MYTIMER_DESKTOP !== 'off') {
    let desktop: DesktopSources | null = null;
    let hostEventSeq = 0;
    process.once('exit', () => desktop?.close());
    void startDesktopSources({
      presence: running.presence,
      meetings: { enabled: running.settings.meetingsHold },
      hostWatchesPower: transport?.kind === 'electron',
      log,
      onHostEvent: (event) => {
        // Idle and active are the presence's own idle reading turning over (it has it already): sent on as
        // host events they would start a second idle stretch that no reading ends. Logged only.
        if (event === 'idle' || event === 'active') log('info', `desktop: ${event}`);
        else
          void running.handle({ id: `desktop-${++hostEventSeq}`, method: 'host-event', params: { event } });
      },
    }).then(
      (started) => {
        if (stopping) started.close();
        else desktop = started;
      },
      (error: unknown) => log('warn', `desktop sources not started: ${(error as Error).message}`),
    );
  }
  // ─── end of the desktop sources ───
  // Hand edits of settings.json are loaded (or refused and kept aside), never silently overwritten.
  const watcher = watchFile(paths.settings, () => running.settingsFileChanged(), {
    log: (message) => log('warn', message),
  });
  process.once('exit', () => watcher.close());
  transport?.send({ event: 'status', data: running.status() });
  log('info', `ready: settings ${paths.settings}, socket ${server.path}`);
}

process.on('uncaughtException', (error) => {
  process.stderr.write(`[${DAEMON_PROCESS_NAME} ${process.pid}] error: ${error.stack ?? error.message}\n`);
  process.exit(EXIT_FAILURE);
});

await main();

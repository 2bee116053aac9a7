import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { daemonEventSchema, type DaemonEvent, type Status } from '../../shared/contract.js';
import { statusLine } from '../../shared/status-line.js';
import { formatClock } from '../../shared/time-format.js';
import { escapeControl } from '../../shared/terminal-text.js';
import { forkAdapter, Supervisor } from '../../host/index.js';
import { appPaths, resolveHome, runtimeDir, socketPath } from '../../shared/paths.js';
import { DaemonNotRunningError, requestOnce } from '../client.js';
import type { CliIO, DaemonSpec } from '../io.js';
import { t } from '../locale.js';

const DAEMON_MODULE = fileURLToPath(new URL('../../workers/daemon.js', import.meta.url));

interface RunOptions {
  home?: string;
}

/** Starts the headless host: one supervised daemon, a live status line, Ctrl-C stops both. */
async function run(io: CliIO, options: RunOptions): Promise<void> {
  const homeOptions = { ...(options.home !== undefined && { home: options.home }), env: io.env };
  const home = resolveHome(homeOptions);
  const socket = socketPath(await runtimeDir(homeOptions));
  try {
    const pong = await requestOnce(socket, 'ping', {}, { timeoutMs: 1500 });
    throw new Error(t(io, 'cli.error.alreadyRunning', { pid: pong.pid ?? '?' }));
  } catch (error) {
    if (!(error instanceof DaemonNotRunningError)) throw error;
  }

  // Under Node, a fork of this very Node; in the packaged app's --cli mode, what the app gives (a utility
  // process, once the app is ready), since there a fork of process.execPath would start a second tray app.
  const launcher = io.daemonLauncher;
  await launcher?.ready();
  const daemon: DaemonSpec = {
    modulePath: DAEMON_MODULE,
    args: ['--home', home],
    env: { ...io.env, MYTIMER_HOME: home },
  };

  const tty = process.stdout.isTTY === true;
  io.stdout(`${t(io, 'cli.run.started', { settings: appPaths(home).settings })}\n`);

  const supervisor = new Supervisor({
    launch: () => (launcher ? launcher.launch(daemon) : forkAdapter({ ...daemon, execArgv: [] })),
    // Restarts and give-ups are reported below, in the status line's terms; keep the rest (stop escalations,
    // a hung daemon killed). MYTIMER_VERBOSE adds the info lines: each daemon started, and why one ended.
    log: (level, message) => {
      const shown = level === 'warn' || level === 'error' || (level === 'info' && io.env.MYTIMER_VERBOSE);
      if (shown && !/restarting in|giving up/.test(message))
        io.stderr(`mytimer: ${escapeControl(message)}\n`);
    },
  });
  let status: Status | null = null;
  let lastPrinted = '';
  const render = () => {
    if (!status) return;
    const line = statusLine(status, io.now());
    if (tty) io.stdout(`\r\x1b[K${line}`);
    else if (line.replace(/\d+:\d\d(:\d\d)?/g, '') !== lastPrinted) {
      // Without a terminal, a line per change, not per second: logs stay readable.
      lastPrinted = line.replace(/\d+:\d\d(:\d\d)?/g, '');
      io.stdout(`${line}\n`);
    }
  };
  // Every line printed above the status line comes from the daemon (names, messages, logs): escaped.
  const above = (text: string) => {
    const safe = escapeControl(text);
    io.stdout(tty ? `\r\x1b[K${safe}\n` : `${safe}\n`);
  };

  supervisor.on('message', (message) => {
    const parsed = daemonEventSchema.safeParse(message);
    if (!parsed.success) return;
    const event: DaemonEvent = parsed.data;
    if (event.event === 'status') status = event.data;
    else if (event.event === 'reminder') {
      const note = event.data.delivered ? '' : t(io, 'cli.run.notShown');
      above(`${formatClock(event.data.firedAt)} ${event.data.name}: ${event.data.message}${note}`);
    } else if (event.event === 'timer-done')
      above(t(io, 'cli.run.timerDone', { time: formatClock(io.now()), name: event.data.name }));
    else if (event.event === 'log' && (event.data.level !== 'info' || io.env.MYTIMER_VERBOSE)) {
      above(t(io, 'cli.run.daemonLog', event.data));
    }
    render();
  });
  const ticker = tty ? setInterval(render, 1000) : null;

  await new Promise<void>((resolve, reject) => {
    let finishing = false;
    const finish = (error?: Error) => {
      if (finishing) return;
      finishing = true;
      if (ticker) clearInterval(ticker);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stopOnQuit?.();
      void supervisor.stop().then(() => {
        if (tty) io.stdout('\n');
        if (error) reject(error);
        else resolve();
      });
    };
    const onSignal = () => finish();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const stopOnQuit = launcher?.onQuit(onSignal);
    // A daemon that exits EXIT_ALREADY_RUNNING (another `run` won the race) is a give-up at once, never restarted.
    supervisor.on('crash', (crash) => {
      if (crash.restartInMs !== null) {
        const reason = crash.signal ?? `exit ${crash.code}`;
        above(t(io, 'cli.run.restarting', { reason, seconds: crash.restartInMs / 1000 }));
      }
    });
    supervisor.on('give-up', ({ reason }) => finish(new Error(reason)));
    supervisor.start();
  });
}

export function registerRun(program: Command, io: CliIO): void {
  program
    .command('run')
    .description(t(io, 'cli.help.run'))
    .addHelpText(
      'after',
      `
Starts the daemon (one per user), restarts it if it crashes or stops answering for 20 s (backoff
1, 2, 4 ... 30 s; gives up after 5 crashes in 60 s), and shows the next reminder with its countdown. Other terminals talk to
it with \`mytimer status\`, \`mytimer pause 30m\`, \`mytimer reminder list\` ...

Examples:
  npx mytimer run
  MYTIMER_HOME=/tmp/mytimer-test npx mytimer run`,
    )
    .action(async (_options: unknown, command: Command) => {
      await run(io, command.optsWithGlobals<RunOptions>());
    });
}

import { fork } from 'node:child_process';
import { connectControl, requestOnce, type ControlClient } from '../../../app/cli/client.js';
import type { DaemonEvent } from '../../../app/shared/contract.js';
import { DAEMON, tempHome, waitFor } from '../../integration/support/daemon.js';

/** A real daemon in a throwaway home, with one subscribed control connection to it. */
export interface TestDaemon {
  readonly socket: string;
  readonly client: ControlClient;
  /** Calls `listener` with every event the daemon pushes from now on; returns the unsubscribe. */
  onEvent(listener: (event: DaemonEvent) => void): () => void;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Runs before the daemon starts, with its home (e.g. to write history files into it). */
  prepareHome?: (home: string) => Promise<void>;
  /** The daemon's time zone (`TZ`); the test runner's own when absent. */
  timeZone?: string;
}

/**
 * Forks dist/app/workers/daemon.js (`npm run build` first) as a host would, in English, with a dead
 * session bus so a notification could never reach a real desktop.
 */
export async function startDaemon(options: StartOptions = {}): Promise<TestDaemon> {
  const { home, socket, cleanup } = await tempHome();
  try {
    await options.prepareHome?.(home);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(options.timeZone !== undefined && { TZ: options.timeZone }),
    MYTIMER_HOME: home,
    LANG: 'en_US.UTF-8',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mytimer-test-bus',
  };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  const daemon = fork(DAEMON, ['--home', home], {
    env,
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  daemon.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Hosted daemons send their logs as IPC messages; nothing here needs them.
  daemon.on('message', () => {});
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));

  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
    await cleanup();
  };

  try {
    await waitFor(
      () => requestOnce(socket, 'ping', {}, { timeoutMs: 1_000 }).catch(() => undefined),
      8_000,
      'the daemon to serve its control socket',
    );
    const client = await connectControl(socket);
    const listeners = new Set<(event: DaemonEvent) => void>();
    await client.subscribe((event) => {
      for (const listener of listeners) listener(event);
    });
    return {
      socket,
      client,
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async stop() {
        await client.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw new Error(`the daemon did not start: ${(error as Error).message}\n${stderr}`, { cause: error });
  }
}

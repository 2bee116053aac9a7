/**
 * The host side of the daemon: the one {@link Supervisor} (start, restart with backoff and a cap,
 * stop, heartbeat, message relay) over a {@link ChildAdapter}. Electron main adds its utilityProcess
 * adapter (app/main; the tray app and `myTimer --cli run`); `mytimer run` under Node uses
 * {@link forkAdapter}. Nothing here imports electron.
 */
export type {
  ChildAdapter,
  ChildEvents,
  ChildExit,
  ExitReason,
  HostLog,
  HostLogLevel,
  LaunchChild,
} from './child-adapter.js';
export { forkAdapter, type ForkAdapterOptions } from './fork-adapter.js';
export { HeartbeatMonitor, type HeartbeatMonitorOptions, type HeartbeatOptions } from './heartbeat.js';
export { RestartPolicy, type RestartDecision, type RestartPolicyOptions } from './restart-policy.js';
export {
  ALREADY_RUNNING_REASON,
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  SHUTDOWN_REQUEST,
  Supervisor,
  type DaemonExit,
  type SupervisorEvents,
  type SupervisorOptions,
  type SupervisorState,
} from './supervisor.js';

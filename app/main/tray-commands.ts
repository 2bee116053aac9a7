import type { Method, Reply } from '../shared/contract.js';
import type { Log } from './log.js';
import { trayCommand } from './tray-actions.js';

/** What a tray click can reach. */
export interface TrayCommandTargets {
  request(method: Method, params: unknown): Promise<Reply>;
  openSettings(): void;
  quit(): void;
  log: Log;
  now?: () => number;
}

/** The tray's `onAction`: runs the command behind an action id, logging a daemon's refusal. */
export function runTrayAction(targets: TrayCommandTargets): (actionId: string) => void {
  return (actionId) => {
    const command = trayCommand(actionId, (targets.now ?? Date.now)());
    if (command === null) {
      targets.log('warn', `unknown tray action "${actionId}"`);
      return;
    }
    if (command.kind === 'open-settings') targets.openSettings();
    else if (command.kind === 'quit') targets.quit();
    else {
      void targets.request(command.method, command.params).then((reply) => {
        if (!reply.ok) targets.log('warn', `${command.method} from the tray failed: ${reply.error.message}`);
      });
    }
  };
}

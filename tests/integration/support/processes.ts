import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it. `state` is `R`, `S`, `D`, `Z` (zombie), …; Linux only. */
export interface ProcStat {
  pid: number;
  command: string;
  state: string;
  parentPid: number;
}

/** /proc/<pid>/stat parsed, or undefined when there is no such process (or no /proc). */
export function procStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may itself contain spaces or parentheses.
  const commandEnd = stat.lastIndexOf(')');
  const [state = '', parentPid = ''] = stat.slice(commandEnd + 2).split(' ');
  return { pid, command: stat.slice(stat.indexOf('(') + 1, commandEnd), state, parentPid: Number(parentPid) };
}

/**
 * True once `pid` is really gone. A zombie (exited, not yet reaped: state `Z`) still counts as alive —
 * `process.kill(pid, 0)` succeeds on it too, and /proc says why it lingers.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but is not ours; only ESRCH means gone.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  if (process.platform !== 'linux') return false;
  const stat = procStat(pid);
  if (stat === undefined) return true; // reaped between the two checks
  return false; // running, sleeping, or a zombie (`Z`): not gone
}

/** A short description of `pid` for failure messages: `1234 (node) S, parent 1`, or `1234 gone`. */
export function describeProcess(pid: number): string {
  const stat = procStat(pid);
  return stat ? `${pid} (${stat.command}) ${stat.state}, parent ${stat.parentPid}` : `${pid} gone`;
}

/** Direct children of `pid`, from /proc: command name and state (`Z` is a zombie). */
export function childrenOf(pid: number): { pid: number; command: string; state: string }[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      const stat = procStat(Number(entry)); // undefined: the process exited while we looked
      return stat && stat.parentPid === pid
        ? [{ pid: stat.pid, command: stat.command, state: stat.state }]
        : [];
    });
}

/** Every descendant of `pid` (children, grandchildren, …), from /proc. */
export function descendantsOf(pid: number): ProcStat[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => procStat(Number(entry)) ?? []);
  const found: ProcStat[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const parents = new Set(frontier);
    const next = all.filter((stat) => parents.has(stat.parentPid));
    found.push(...next);
    frontier = next.map((stat) => stat.pid);
  }
  return found;
}

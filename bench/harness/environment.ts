import os from 'node:os';

/** Where the figures were taken: enough to tell whether two RESULTS.md files are comparable. */
export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly cpu: string;
  readonly cores: number;
  readonly os: string;
  readonly memory: string;
  /** 1-minute load average when the run started: other work on the machine skews figures. */
  readonly loadAverage: string;
}

/** Describes this machine and Node. */
export function describeEnvironment(): Environment {
  const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    memory: `${gib(os.totalmem())} total, ${gib(os.freemem())} free`,
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / '),
  };
}

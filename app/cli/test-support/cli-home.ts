import { afterEach, beforeEach } from 'vitest';
import type { Method } from '../../shared/contract.js';
import { makeHome, removeHome, startFakeDaemon, type FakeDaemon } from './fake-daemon.js';

type Replies = Parameters<typeof startFakeDaemon>[1];

/**
 * A fresh temp `--home` per test and, when a test asks for one, a fake daemon on its socket; both
 * are torn down after each test. `cli.home` is valid inside tests only.
 */
export function useCliHome() {
  let daemon: FakeDaemon | undefined;
  const cli = {
    home: '',
    /** Starts the fake daemon for this test's home (see `startFakeDaemon`). */
    async startDaemon(replies: Replies): Promise<FakeDaemon> {
      daemon = await startFakeDaemon(cli.home, replies);
      return daemon;
    },
  };
  beforeEach(async () => {
    cli.home = await makeHome();
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await removeHome(cli.home);
  });
  return cli;
}

export type { Method };

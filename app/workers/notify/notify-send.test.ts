import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createNotifier,
  createNotifySendBackend,
  DeliveryError,
  REMINDER_SOUND_NAME,
  type DeliveryRequest,
} from './index.js';
import { notifySendArgs } from './notify-send.js';

const request: DeliveryRequest = { appName: 'myTimer', title: 'Rest', body: 'Look away', urgency: 'normal' };

describe('notify-send argv', () => {
  it('puts options first as --name=value and the texts after --', () => {
    expect(notifySendArgs(request)).toEqual([
      '--app-name=myTimer',
      '--urgency=normal',
      '--',
      'Rest',
      'Look away',
    ]);
  });

  it('maps display time to milliseconds, icon, and sound on or off to hints', () => {
    expect(notifySendArgs({ ...request, timeoutSec: 7.5, iconPath: '/i.png', sound: true })).toEqual([
      '--app-name=myTimer',
      '--urgency=normal',
      '--expire-time=7500',
      '--icon=/i.png',
      `--hint=string:sound-name:${REMINDER_SOUND_NAME}`,
      '--',
      'Rest',
      'Look away',
    ]);
    expect(notifySendArgs({ ...request, sound: false, timeoutSec: -3 })).toContain(
      '--hint=boolean:suppress-sound:true',
    );
    expect(notifySendArgs({ ...request, timeoutSec: -3 })).toContain('--expire-time=0');
    expect(
      notifySendArgs({ ...request, timeoutSec: Number.NaN }).some((arg) => arg.startsWith('--expire')),
    ).toBe(false);
  });

  it('doubles backslashes in the body only, since notify-send unescapes the body but not the summary', () => {
    const args = notifySendArgs({ ...request, title: 'C:\\dir', body: 'C:\\new\\table\n"$x"' });
    expect(args.slice(-2)).toEqual(['C:\\dir', 'C:\\\\new\\\\table\n"$x"']);
  });

  it('drops NUL characters, which neither argv nor D-Bus can carry', () => {
    expect(notifySendArgs({ ...request, title: 'a\0b', body: 'c\0d' }).slice(-2)).toEqual(['ab', 'cd']);
  });
});

describe.skipIf(process.platform === 'win32')('notify-send process (fake notify-send scripts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mytimer-notify-send-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes an executable shell script standing in for notify-send. */
  function fakeNotifySend(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  async function failureOf(promise: Promise<void>): Promise<DeliveryError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }

  it('hands each argument over unchanged, without a shell in between', async () => {
    const argvFile = join(dir, 'argv');
    const command = fakeNotifySend('record-argv', `printf '%s\\0' "$@" > '${argvFile}'`);
    const hostile = `$(touch ${dir}/pwned) \`id\` "q" 'single'; rm -rf / &\nline2 不要`;
    await createNotifySendBackend({ command }).send({ ...request, title: `-${hostile}`, body: hostile });
    const argv = readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
    expect(argv).toEqual(['--app-name=myTimer', '--urgency=normal', '--', `-${hostile}`, hostile]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('reports a missing notify-send with the package to install', async () => {
    const error = await failureOf(createNotifySendBackend({ command: join(dir, 'absent') }).send(request));
    expect(error.reason).toBe('notifier-missing');
    expect(error.hint).toContain('libnotify-bin');
  });

  it('reports a bus without a notification server as no-server, quoting notify-send', async () => {
    const command = fakeNotifySend(
      'no-server',
      "echo 'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications was not provided' >&2; exit 1",
    );
    const error = await failureOf(createNotifySendBackend({ command }).send(request));
    expect(error.reason).toBe('no-server');
    expect(error.message).toContain('ServiceUnknown');
  });

  it('reports any other exit as failed, with the first line of stderr', async () => {
    const command = fakeNotifySend('other', "echo 'Invalid urgency' >&2; echo more >&2; exit 2");
    const error = await failureOf(createNotifySendBackend({ command }).send(request));
    expect(error.reason).toBe('failed');
    expect(error.message).toBe(`${command} exited with code 2: Invalid urgency`);
  });

  it('kills a hung notify-send at the timeout and reaps it', async () => {
    const pidFile = join(dir, 'hung.pid');
    // exec: the pid Node kills is the sleeping process itself, not a shell that would orphan it.
    const command = fakeNotifySend('hung', `echo $$ > '${pidFile}'; exec sleep 30`);
    const startedAt = Date.now();
    const error = await failureOf(createNotifySendBackend({ command, timeoutMs: 300 }).send(request));
    expect(error.reason).toBe('timed-out');
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // kill(pid, 0) still succeeds on a zombie: ESRCH means the child was killed and also reaped.
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('a burst of 30 notifications never runs more than 3 notify-send processes at once', async () => {
    const running = join(dir, 'running');
    const counts = join(dir, 'counts');
    // Each process marks itself running, records how many are running, lingers, then unmarks itself.
    const command = fakeNotifySend(
      'counting',
      `mkdir -p '${running}'; touch '${running}'/$$; ls '${running}' | wc -l >> '${counts}'; sleep 0.2; rm '${running}'/$$`,
    );
    const notifier = createNotifier({ backend: createNotifySendBackend({ command }), log: () => {} });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => notifier.notify({ title: `reminder ${i}`, message: 'm' })),
    );
    expect(results.every((result) => result.delivered)).toBe(true);
    const seen = readFileSync(counts, 'utf8').trim().split('\n').map(Number);
    expect(seen).toHaveLength(30);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3);
  });
});

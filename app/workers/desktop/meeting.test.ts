import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cameraInUse, MeetingDetector, microphoneInUseFrom } from './meeting.js';

// The camera check runs for real on /proc: a test cannot create /dev/video0, so it holds open a temp file
// named like a video device and points the detector's device pattern at it (the documented seam).

const onLinux = process.platform === 'linux';
const dirs: string[] = [];
const handles: FileHandle[] = [];
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mytimer-meeting-'));
  dirs.push(dir);
  return dir;
}

function fakeVideoDevice(dir: string): { path: string; pattern: RegExp } {
  const path = join(dir, 'video0');
  writeFileSync(path, '');
  return { path, pattern: new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/video\\d+$`) };
}

/** A stand-in pactl printing fixed listings (the real one needs a sound server). */
function fakePactl(dir: string, sources: string, outputs: string): string {
  const path = join(dir, 'pactl');
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$3" in\n  sources) printf '${sources}' ;;\n  source-outputs) printf '${outputs}' ;;\nesac\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

const SOURCES =
  '0\\talsa_output.pci.analog-stereo.monitor\\tPipeWire\\ts32le 2ch 48000Hz\\tSUSPENDED\\n1\\talsa_input.pci.analog-stereo\\tPipeWire\\ts32le 2ch 48000Hz\\tRUNNING\\n';

describe.skipIf(!onLinux)('camera in use (a /dev/video* held open, seen in /proc)', () => {
  it('is seen while a process holds the device open, and not after it closes it', async () => {
    const { path, pattern } = fakeVideoDevice(scratch());
    expect(await cameraInUse('/proc', pattern)).toBe(false);
    const handle = await open(path, 'r');
    handles.push(handle);
    expect(await cameraInUse('/proc', pattern)).toBe(true);
    await handles.pop()?.close();
    expect(await cameraInUse('/proc', pattern)).toBe(false);
  });

  it('a missing proc root means no camera, not an error', async () => {
    expect(await cameraInUse(join(scratch(), 'no-proc'))).toBe(false);
  });
});

describe('microphone capture (pactl source outputs)', () => {
  it('a source output recording from a real source is a microphone in use', () => {
    expect(
      microphoneInUseFrom(
        SOURCES.replaceAll('\\t', '\t').replaceAll('\\n', '\n'),
        '7\t1\t42\tprotocol-native.c\tfloat32le 1ch 48000Hz\n',
      ),
    ).toBe(true);
  });

  it('recording a monitor (desktop sound, level meters) is not', () => {
    expect(
      microphoneInUseFrom(
        SOURCES.replaceAll('\\t', '\t').replaceAll('\\n', '\n'),
        '7\t0\t42\tprotocol-native.c\tfloat32le 1ch 48000Hz\n',
      ),
    ).toBe(false);
  });

  it('no source outputs: no microphone', () => {
    expect(microphoneInUseFrom(SOURCES, '')).toBe(false);
  });
});

describe.skipIf(!onLinux)('MeetingDetector', () => {
  it('reports entering and leaving a meeting once each (camera)', async () => {
    const dir = scratch();
    const { path, pattern } = fakeVideoDevice(dir);
    const changes: boolean[] = [];
    const detector = new MeetingDetector({ devicePattern: pattern, pactl: null }, (on) => changes.push(on));
    await detector.check();
    handles.push(await open(path, 'r'));
    expect(await detector.check()).toEqual({ camera: true, microphone: false });
    await detector.check();
    await handles.pop()?.close();
    await detector.check();
    expect(changes).toEqual([true, false]);
  });

  it('sees the microphone through pactl', async () => {
    const dir = scratch();
    const pactl = fakePactl(dir, SOURCES, '7\\t1\\t42\\tprotocol-native.c\\tfloat32le 1ch 48000Hz\\n');
    const detector = new MeetingDetector({ devicePattern: /^$/, pactl }, () => undefined);
    expect(await detector.check()).toEqual({ camera: false, microphone: true });
    expect(detector.inMeeting).toBe(true);
  });

  it('without pactl the microphone is simply not checked', async () => {
    const detector = new MeetingDetector(
      { devicePattern: /^$/, pactl: join(scratch(), 'no-pactl') },
      () => undefined,
    );
    expect(await detector.check()).toEqual({ camera: false, microphone: false });
  });

  it('turned off by the setting, it never reports a meeting', async () => {
    const { path, pattern } = fakeVideoDevice(scratch());
    handles.push(await open(path, 'r'));
    const changes: boolean[] = [];
    const detector = new MeetingDetector({ enabled: false, devicePattern: pattern }, (on) =>
      changes.push(on),
    );
    expect(await detector.check()).toEqual({ camera: false, microphone: false });
    expect(changes).toEqual([]);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { opendir, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Most file systems cap a name at 255 bytes; the temp name adds a dot and this suffix. */
const NAME_BYTES_MAX = 255;
const SUFFIX = '.mytimer-tmp-';
const TOKEN_LENGTH = 12;
/** Hex digits of the name's SHA-256 a shortened temp name carries. */
const NAME_DIGEST_LENGTH = 16;

/** A temp file of ours: `.<name>.mytimer-tmp-<12 hex>` (the name may hold newlines, hence `s`). */
const TEMP_NAME = /^\..*\.mytimer-tmp-[0-9a-f]{12}$/s;

/** A fresh dispatch token: 12 hex digits. */
export function newToken(): string {
  return randomBytes(TOKEN_LENGTH / 2).toString('hex');
}

/**
 * Where a file is written before it is verified: a hidden name in the destination's own folder
 * (so the final rename never crosses file systems), made of the real name, a marker and the
 * batch's token. Long names are shortened on a character boundary to stay under 255 bytes, and
 * then carry a digest of the full name.
 */
export function tempPathFor(destination: string, token: string): string {
  const full = path.basename(destination);
  const room = NAME_BYTES_MAX - 1 - SUFFIX.length - token.length;
  let name = full;
  if (Buffer.byteLength(name) > room) {
    // Cut names would collide when two long names share their start (a batch has one token): the
    // digest of the whole name tells them apart.
    const digest = `~${createHash('sha256').update(full).digest('hex').slice(0, NAME_DIGEST_LENGTH)}`;
    const chars = Array.from(full);
    while (Buffer.byteLength(chars.join('')) > room - digest.length) chars.pop();
    name = chars.join('') + digest;
  }
  return path.join(path.dirname(destination), `.${name}${SUFFIX}${token}`);
}

/** Whether a file name is one of our temp files. */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes temp files left under `root` by a job that was killed (SIGKILL, power cut) before it
 * could clean up. Never follows symbolic links. Returns how many it removed.
 */
export async function sweepStaleTemps(root: string): Promise<number> {
  let removed = 0;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries;
    try {
      entries = await opendir(dir);
    } catch {
      continue; // gone or unreadable: nothing of ours can be cleaned there anyway
    }
    for await (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && isTempName(entry.name)) {
        await unlink(full).then(
          () => void removed++,
          () => undefined,
        );
      }
    }
  }
  return removed;
}

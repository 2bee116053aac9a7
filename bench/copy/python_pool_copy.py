#!/usr/bin/env python3
"""The seed-style verified copy the copy benchmark compares myTimer with.

    python3 bench/copy/python_pool_copy.py <src> <dst> [--workers N]

The straightforward script people write: walk the tree, create the folders, then a
multiprocessing.Pool of os.cpu_count() processes where each task copies one file with
shutil.copy2 and hashes the source and the destination with hashlib.sha512, comparing them.
Prints one JSON line (files, bytes, mismatches, workers) and exits 1 if any copy did not verify.
Standard library only; no fsync (shutil.copy2 does none either).
"""

import hashlib
import json
import os
import shutil
import sys
from multiprocessing import Pool

CHUNK = 1 << 20  # 1 MiB reads, as myTimer's workers use
TASKS_PER_CHUNK = 16  # imap_unordered chunksize: small enough that the 8 MB files spread over the pool


def sha512_of(path):
    digest = hashlib.sha512()
    with open(path, 'rb') as handle:
        while True:
            block = handle.read(CHUNK)
            if not block:
                return digest.hexdigest()
            digest.update(block)


def copy_one(task):
    source, destination = task
    shutil.copy2(source, destination)
    source_digest = sha512_of(source)
    destination_digest = sha512_of(destination)
    return source, os.path.getsize(destination), source_digest == destination_digest


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != '--workers'):
        print('usage: python_pool_copy.py <src> <dst> [--workers N]', file=sys.stderr)
        return 2
    source_root, destination_root = argv[0], argv[1]
    workers = int(argv[3]) if len(argv) == 4 else os.cpu_count() or 1
    tasks = []
    for folder, _dirs, files in os.walk(source_root):
        relative = os.path.relpath(folder, source_root)
        target = os.path.normpath(os.path.join(destination_root, relative))
        os.makedirs(target, exist_ok=True)
        for name in files:
            tasks.append((os.path.join(folder, name), os.path.join(target, name)))
    copied = 0
    total_bytes = 0
    mismatches = []
    with Pool(workers) as pool:
        for source, size, same in pool.imap_unordered(copy_one, tasks, chunksize=TASKS_PER_CHUNK):
            copied += 1
            total_bytes += size
            if not same:
                mismatches.append(source)
    for path in mismatches:
        print(f'mismatch: {path}', file=sys.stderr)
    summary = {'files': copied, 'bytes': total_bytes, 'mismatches': len(mismatches), 'workers': workers}
    print(json.dumps(summary))
    return 1 if mismatches else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

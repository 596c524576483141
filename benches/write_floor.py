#!/usr/bin/env python3
"""What writing a site's files costs on this machine, without making them.

Reads every file of a built output folder into memory, then writes the same
tree (same folders, same names, same bytes) into a fresh folder next to it,
one thread, and prints the time that took: wall, user and system CPU. The
system time is the floor a build of that site pays to the kernel for its
files (folders, opens, copies into the page cache), whatever the generator.

Usage:  benches/write_floor.py OUTPUT_DIR [RUNS]

Example, after benches/build.sh 10000 (tmpfs):
    python3 benches/write_floor.py /dev/shm/pillole-bench/n10000/out-pillole 3
"""
import os
import resource
import shutil
import statistics
import sys
import time


def load(root):
    """(folders, files): relative folder paths (parents first) and (path, bytes)."""
    folders, files = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            folders.append(rel)
        for name in sorted(filenames):
            with open(os.path.join(dirpath, name), "rb") as f:
                files.append((os.path.join(rel, name), f.read()))
    return folders, files


def write(dest, folders, files):
    os.mkdir(dest)
    for rel in folders:
        os.mkdir(os.path.join(dest, rel))
    for rel, data in files:
        with open(os.path.join(dest, rel), "wb") as f:
            f.write(data)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    folders, files = load(root)
    size = sum(len(d) for _, d in files)
    dest = root.rstrip("/") + ".write-floor"
    shutil.rmtree(dest, ignore_errors=True)
    rows = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        write(dest, folders, files)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        rows.append((wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime))
        shutil.rmtree(dest)
    med = [statistics.median(r[i] for r in rows) for i in range(3)]
    print(f"{len(files)} files, {len(folders)} folders, {size / 1e6:.0f} MB "
          f"from {root}: median of {runs} runs, wall {med[0]:.2f} s, "
          f"user {med[1]:.2f} s, system {med[2]:.2f} s")


if __name__ == "__main__":
    main()

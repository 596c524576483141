#!/usr/bin/env python3
"""Two or more builds taking turns, for comparing binaries on a shared machine.

    python3 benches/alternate.py --site DIR [--runs 7] \
        before=/tmp/pillole-old after=target/release/pillole

Each round runs `BIN build` in DIR once per binary, in the order given,
after removing DIR/public (not timed), so a busy moment of the machine
falls on every binary alike. Prints each run and then, per binary, the
medians of wall time, user and system CPU time and the highest peak RSS.
`--args` replaces `build` (e.g. `--args "build --now 2026-11-23T10:00"`).
"""

import argparse
import os
import shlex
import shutil
import statistics
import sys
import time


def once(site, cmd):
    shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
    null = os.open(os.devnull, os.O_RDWR)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(site)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    os.close(null)
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024, code


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", required=True, help="the site's folder (its public/ is removed)")
    ap.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--args", default="build", help='arguments after the binary (default "build")')
    ap.add_argument("binaries", nargs="+", metavar="LABEL=BIN")
    a = ap.parse_args()
    bins = []
    for b in a.binaries:
        label, sep, path = b.partition("=")
        if not sep or not path:
            ap.error(f"{b}: write LABEL=BIN")
        bins.append((label, [os.path.abspath(path)] + shlex.split(a.args)))
    runs = {label: [] for label, _ in bins}
    for r in range(a.runs):
        for label, cmd in bins:
            wall, user, sys_, rss, code = once(a.site, cmd)
            if code != 0:
                sys.exit(f"{label}: exit {code} in round {r + 1}")
            runs[label].append((wall, user, sys_, rss))
            print(f"{label}: {wall:.3f} s wall, {user:.3f} user, {sys_:.3f} sys, {rss:.0f} MB", flush=True)
    print()
    print("| binary | wall median (s) | user median (s) | sys median (s) | peak RSS max (MB) | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, rs in runs.items():
        med = lambda i: statistics.median(x[i] for x in rs)
        print(f"| {label} | {med(0):.3f} | {med(1):.3f} | {med(2):.3f} | {max(x[3] for x in rs):.0f} | {len(rs)} |")


if __name__ == "__main__":
    main()

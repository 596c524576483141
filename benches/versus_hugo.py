#!/usr/bin/env python3
"""pillole and Hugo taking turns on the same corpus, for their time ratio.

    python3 benches/versus_hugo.py [--runs 9] [--pillole BIN] [--hugo hugo] DIR

DIR is a corpus folder made by benches/build.sh (DIR/plain for pillole,
DIR/hugo for Hugo, e.g. /dev/shm/pillole-bench/n10000). After one untimed
build of each, every round builds with both, the one that goes first
changing each round, each after removing its site's public/ (not timed).
So a busy moment of a shared machine falls on both alike, where
benches/build.sh's five runs of one and then five of the other can catch
it on one side only. Prints each run, then per command the medians of
wall and CPU time and the highest peak RSS, the ratio of the wall
medians and the median of the rounds' own ratios.
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from alternate import once  # noqa: E402

NOW = "2026-11-23T10:00"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", help="folder with plain/ and hugo/ (from benches/build.sh)")
    ap.add_argument("--runs", type=int, default=9, help="rounds (default 9)")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--pillole", default=os.path.join(here, "..", "target", "release", "pillole"))
    ap.add_argument("--hugo", default="hugo")
    a = ap.parse_args()
    sides = [
        ("pillole build", os.path.join(a.corpus, "plain"),
         [os.path.abspath(a.pillole), "build", "--now", NOW, "--color", "never"]),
        ("hugo", os.path.join(a.corpus, "hugo"), [a.hugo, "--quiet"]),
    ]
    for label, site, _ in sides:
        if not os.path.isdir(site):
            sys.exit(f"{site}: not found (run benches/build.sh first)")
    for label, site, cmd in sides:  # warm-up
        if once(site, cmd)[4] != 0:
            sys.exit(f"{label}: the warm-up build failed")
    runs = {label: [] for label, _, _ in sides}
    for r in range(a.runs):
        for label, site, cmd in sides if r % 2 == 0 else reversed(sides):
            wall, user, sys_, rss, code = once(site, cmd)
            if code != 0:
                sys.exit(f"{label}: exit {code} in round {r + 1}")
            runs[label].append((wall, user + sys_, rss))
            print(f"{label}: {wall:.3f} s wall, {user + sys_:.3f} s CPU, {rss:.0f} MB", flush=True)
    print()
    print("| command | wall median (s) | wall min (s) | CPU median (s) | peak RSS max (MB) | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, rs in runs.items():
        walls = [x[0] for x in rs]
        print(f"| {label} | {statistics.median(walls):.3f} | {min(walls):.3f} | "
              f"{statistics.median(x[1] for x in rs):.2f} | {max(x[2] for x in rs):.0f} | {len(rs)} |")
    p, h = ([x[0] for x in runs[label]] for label, _, _ in sides)
    print()
    print(f"ratio of the medians: {statistics.median(p) / statistics.median(h):.3f}; "
          f"median of the rounds' ratios: {statistics.median(x / y for x, y in zip(p, h)):.3f}")


if __name__ == "__main__":
    main()

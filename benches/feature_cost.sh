#!/usr/bin/env bash
# What each costly feature of a build costs: builds the release binary with
# benches/feature_cost.patch applied (in a throwaway worktree; the patch adds
# a PILLOLE_SKIP switch that leaves out one feature's work) and times builds
# of the benchmark corpus with each feature left out in turn, all in one
# alternating run (benches/alternate.py), so a busy machine hits them alike.
#
# Usage:  benches/feature_cost.sh [N]      (default: 10000)
#
# Environment (all optional):
#   WORK=dir    where benches/build.sh keeps its corpora (default: /dev/shm/pillole-bench);
#               run `benches/build.sh N` once first to make the corpus
#   RUNS=7      rounds of the alternating run
#
# Features (PILLOLE_SKIP names, comma-separated):
#   print     the print sheet of every tutorial (page, QR code and file)
#   qr        QR codes (sheets and posters keep their other content)
#   colour    code colouring (code blocks are written plain)
#   steptext  the `text` of each HowTo step in a tutorial's JSON-LD
#   search    the search index's documents (the index is written empty)
#   reading   the reading-level check (Gulpease of every tutorial and step,
#             long sentences)
#
# The patched binary is for measuring only: it is never the one installed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${WORK:-/dev/shm/pillole-bench}"
RUNS="${RUNS:-7}"
N="${1:-10000}"
SITE="$WORK/n$N/plain"
[ -d "$SITE/content" ] || { echo "no corpus at $SITE: run benches/build.sh $N first" >&2; exit 2; }

SRC="$(mktemp -d)"
BIN="$(mktemp -d)"
cleanup() {
  git -C "$REPO" worktree remove --force "$SRC/tree" >/dev/null 2>&1 || true
  rm -rf "$SRC" "$BIN"
}
trap cleanup EXIT

echo "== worktree at $(git -C "$REPO" rev-parse --short HEAD), patched" >&2
git -C "$REPO" worktree add --detach "$SRC/tree" HEAD >/dev/null 2>&1
git -C "$SRC/tree" apply "$REPO/benches/feature_cost.patch"
echo "== cargo build --release (patched)" >&2
(cd "$SRC/tree" && CARGO_TARGET_DIR="$REPO/target/feature-cost" cargo build --release --quiet)
cp "$REPO/target/feature-cost/release/pillole" "$BIN/pillole"

variants=(none print qr colour steptext search reading print,colour,steptext)
args=()
for v in "${variants[@]}"; do
  printf '#!/bin/sh\nPILLOLE_SKIP=%s exec %s "$@"\n' "$v" "$BIN/pillole" > "$BIN/skip-$v"
  chmod +x "$BIN/skip-$v"
  args+=("$v=$BIN/skip-$v")
done
python3 "$REPO/benches/alternate.py" --site "$SITE" --runs "$RUNS" "${args[@]}"

#!/usr/bin/env bash
# Edit-to-page latency of `pillole serve`: from the write of a file to the
# moment an HTTP GET serves the change, medians of RUNS edits; the time from
# start to the first page served; the server's peak memory. On the demo
# site and on generated corpora (plain layout).
#
# Usage:  benches/serve_latency.sh [SITE ...]     (default: demo 1000 10000)
#         SITE is `demo` or a number of pages.
#
# Edits (see benches/serve_latency.py):
#   page         a sentence added at the end of a tutorial's body
#   title        the tutorial's title: its page, then (title-lists) the
#                page of the tutorial list that shows its card
#   template     a copy of the theme's base.html in the site's templates/,
#                changed each time (every page)
#
# Environment (all optional):
#   RUNS=5         edits per kind
#   EDITS=page,title,template
#   WORK=dir       scratch folder (default /dev/shm/pillole-serve-bench; tmpfs,
#                  so the figures measure pillole and not the disk)
#   GEN_CORPUS=path  the corpus generator (default ../shared/bench/gen_corpus.py)
#   PILLOLE=path   the binary (default: target/release/pillole, built first)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
WORK="${WORK:-/dev/shm/pillole-serve-bench}"
RUNS="${RUNS:-5}"
EDITS="${EDITS:-page,title,template}"
SITES=("$@")
[ ${#SITES[@]} -eq 0 ] && SITES=(demo 1000 10000)

if [ -z "${PILLOLE:-}" ]; then
  (cd "$REPO" && cargo build --release --quiet)
  PILLOLE="$REPO/target/release/pillole"
fi
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

for site in "${SITES[@]}"; do
  if [ "$site" = demo ]; then
    dir="$WORK/demo"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp -r "$REPO/content" "$REPO/site.yaml" "$dir/"
    page="content/tutorial/attivare-spid.md"
  else
    dir="$WORK/c$site"
    if [ ! -d "$dir/content" ]; then
      rm -rf "$dir"
      python3 "$GEN_CORPUS" --pages "$site" --out "$dir" --layout plain >/dev/null
    fi
    printf 'title: Bench\nbase_url: https://example.org/\nfeedback: {email: a@example.org}\n' > "$dir/site.yaml"
    rm -rf "$dir/templates"
    page="content/tutorial/$(cd "$dir/content/tutorial" && ls | grep -v '^_index' | sed -n 1p)"
  fi
  echo "== $site: $page" >&2
  python3 "$REPO/benches/serve_latency.py" "$PILLOLE" "$dir" "$page" \
    --runs "$RUNS" --edits "$EDITS" --name "$site" \
    --base "$REPO/themes/agid/templates/base.html" | tee -a "$RESULTS" >&2
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| site | measure | median | min | max |")
print("|---|---|---:|---:|---:|")
for r in rows:
    if "median_ms" in r:
        print(f"| {r['site']} | {r['edit']} (write -> GET) | {r['median_ms']} ms | {r['min_ms']} | {r['max_ms']} |")
    elif "ms" in r:
        print(f"| {r['site']} | {r['edit']} (start -> GET) | {r['ms']} ms | | |")
    elif "mb" in r:
        print(f"| {r['site']} | {r['edit']} | {r['mb']} MB | | |")
    else:
        print(f"| {r['site']} | {r['edit']} | {r['files'] - r['differ']} of {r['files']} files equal | | |")
PY

#!/usr/bin/env bash
# Search at scale: builds a generated corpus of N pages (plus the demo's real
# tutorials) with the release pillole and reports, per N:
#   - what a phone downloads for /cerca/ plus a first search (HTML, CSS, JS,
#     fonts and the index files the query fetched), gzip -6 sizes, measured in
#     Chromium with an empty cache (tests/browser/search-scale.test.mjs);
#   - the search page's HTML size;
#   - the "search index" stage time (PILLOLE_TIMINGS=1) against the build's
#     wall time, medians of RUNS builds;
#   - the index on disk (files, bytes) and any search-size warning.
# The same browser run checks that each real tutorial is the top result for
# a query matching it only through accent-free, stemmed, misspelt or
# multi-word forms. Targets at 10,000 pages: download <= 200 KB gzip, search
# page HTML <= 100 KB, index preparation <= 10% of the build time.
#
# Usage:  benches/search_size.sh [N ...]        (default: 1000 10000)
#
# Environment (all optional):
#   GEN_CORPUS=path  the corpus generator (default: ../shared/bench/gen_corpus.py)
#   WORK=dir         scratch folder (default: /dev/shm/pillole-search-bench)
#   RUNS=3           timed builds per N
#   SEED=1           corpus seed
#   BROWSER=0        skip the Chromium part (sizes then come from the files)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
WORK="${WORK:-/dev/shm/pillole-search-bench}"
RUNS="${RUNS:-3}"
SEED="${SEED:-1}"
BROWSER="${BROWSER:-1}"
NOW="2026-11-23T10:00"

NS=("$@")
[ ${#NS[@]} -gt 0 ] || NS=(1000 10000)

[ -f "$GEN_CORPUS" ] || { echo "corpus generator not found: $GEN_CORPUS (set GEN_CORPUS)" >&2; exit 2; }
case "$WORK" in /|/tmp|/dev/shm|"$HOME"|"$REPO"*) echo "refusing WORK=$WORK" >&2; exit 2 ;; esac

echo "== cargo build --release" >&2
(cd "$REPO" && cargo build --release --quiet)
PILLOLE="$REPO/target/release/pillole"
if [ "$BROWSER" = 1 ]; then
  bash "$REPO/tests/browser/setup.sh" >&2
fi

mkdir -p "$WORK"
ROWS="$WORK/rows.jsonl"
: > "$ROWS"

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
  # The demo's real tutorials (they link to each other only).
  for f in "$REPO"/content/tutorial/*.md; do
    [ "$(basename "$f")" = _index.md ] || cp "$f" "$D/plain/content/tutorial/"
  done

  echo "== N=$N: pillole build (diagnostics)" >&2
  rm -rf "$D/out"
  if ! PILLOLE_TIMINGS=1 "$PILLOLE" build --root "$D/plain" --output "$D/out" --now "$NOW" --color never 2> "$D/build.log"; then
    grep -E '^errore' "$D/build.log" | head -20 >&2
    echo "the corpus does not build: see $D/build.log" >&2
    exit 1
  fi
  grep -E 'search-size' "$D/build.log" >&2 || true

  echo "== N=$N: pillole build x$RUNS (PILLOLE_TIMINGS=1)" >&2
  python3 - "$N" "$RUNS" "$D" "$PILLOLE" "$NOW" > "$D/timing.json" <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, time
n, runs, d, pillole, now = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
walls, index = [], []
for _ in range(runs):
    shutil.rmtree(f"{d}/out-t", ignore_errors=True)
    t0 = time.monotonic()
    p = subprocess.run([pillole, "build", "--root", f"{d}/plain", "--output", f"{d}/out-t", "--now", now, "--color", "never"],
                       env={**os.environ, "PILLOLE_TIMINGS": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    walls.append(time.monotonic() - t0)
    m = re.search(r"^search index: (\d+) ms", p.stderr, re.M)
    index.append(int(m.group(1)) / 1000 if m else float("nan"))
shutil.rmtree(f"{d}/out-t", ignore_errors=True)
print(json.dumps({"build_s": statistics.median(walls), "index_s": statistics.median(index), "walls": walls, "index": index}))
PY

  REPORT="$D/browser.json"
  rm -f "$REPORT"
  if [ "$BROWSER" = 1 ]; then
    echo "== N=$N: Chromium: real tutorials on top, first-search downloads" >&2
    (cd "$REPO/tests/browser" && SEARCH_SCALE_SITE="$D/out" SEARCH_SCALE_REPORT="$REPORT" \
      node --test --test-concurrency=1 search-scale.test.mjs) > "$D/browser.log" 2>&1 \
      && echo "   all passed" >&2 \
      || { grep -E '^# (pass|fail)|^ *not ok' "$D/browser.log" >&2; echo "   see $D/browser.log" >&2; }
  fi

  python3 - "$N" "$D" "$REPORT" >> "$ROWS" <<'PY'
import glob, gzip, json, os, re, sys
n, d, report = int(sys.argv[1]), sys.argv[2], sys.argv[3]
t = json.load(open(f"{d}/timing.json"))
files = [f for f in glob.glob(f"{d}/out/cerca/indice/*.json")] + [f"{d}/out/cerca/indice.json"]
html = os.path.getsize(f"{d}/out/cerca/index.html")
row = {"n": n, "html": html, "html_gz": len(gzip.compress(open(f"{d}/out/cerca/index.html", "rb").read(), 6)),
       "manifest": os.path.getsize(f"{d}/out/cerca/indice.json"),
       "index_files": len(files), "index_bytes": sum(os.path.getsize(f) for f in files),
       "warnings": len(re.findall(r"search-size", open(f"{d}/build.log").read())), **t}
log = f"{d}/browser.log"
if os.path.exists(log):
    text = open(log).read()
    m = re.findall(r"^# (pass|fail) (\d+)", text, re.M)
    row["browser"] = " ".join(f"{k} {v}" for k, v in m)
if os.path.exists(report):
    row["queries"] = [{k: q[k] for k in ("query", "files", "total", "html", "index", "indexFiles", "rest")} for q in json.load(open(report))["queries"]]
print(json.dumps(row))
PY
done

python3 - "$ROWS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
kb = lambda b: f"{b / 1024:.1f}"
print("| pages | search page HTML (KB, gzip) | first search: query | files | download gzip KB (html / css+js+fonts / index) | build s | search index s | share | index files | index MB | warnings | browser |")
print("|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    qs = r.get("queries") or [None]
    for i, q in enumerate(qs):
        head = (f'| {r["n"]} | {kb(r["html"])} ({kb(r["html_gz"])}) |' if i == 0 else "| | |")
        if q:
            mid = (f' {q["query"]} | {q["files"]} | **{kb(q["total"]["gzip"])}** ({kb(q["html"]["gzip"])} / '
                   f'{kb(q["rest"]["gzip"])} / {kb(q["index"]["gzip"])} in {q["indexFiles"]}) |')
        else:
            mid = " - | - | - |"
        tail = (f' {r["build_s"]:.2f} | {r["index_s"]:.2f} | {100 * r["index_s"] / r["build_s"]:.1f}% | '
                f'{r["index_files"]} | {r["index_bytes"] / 1e6:.1f} | {r["warnings"]} | {r.get("browser", "-")} |') if i == 0 else " | | | | | | |"
        print(head + mid + tail)
PY

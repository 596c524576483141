#!/usr/bin/env bash
# Runs fuzz targets one after the other, each for SECONDS (default 600),
# on the stable toolchain (RUSTC_BOOTSTRAP lets cargo-fuzz use the nightly
# flags it needs). Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
# New inputs go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/,
# libFuzzer's output to fuzz/logs/<target>.log (all git-ignored). Extra
# libFuzzer flags can be given in FUZZ_ARGS, e.g. FUZZ_ARGS=-len_control=0
# to try inputs up to the maximum length (100 KB) at once.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(markdown front_matter site_build config ical slug readability)
fi
seeds() {
  case "$1" in
    markdown) echo seeds/markdown seeds/pages ;;
    front_matter | site_build | readability) echo seeds/pages ;;
    *) echo "seeds/$1" ;;
  esac
}
# Build once (no sanitizer: the code is safe Rust; debug assertions on, so
# overflows panic), then run the binaries so edits elsewhere do not rebuild.
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none -a
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  max_len=102400
  [ "$t" = site_build ] && max_len=32768
  # shellcheck disable=SC2046
  "$bin/$t" "corpus/$t" $(seeds "$t") \
    -artifact_prefix="artifacts/$t/" -max_total_time="$secs" -timeout=1 \
    -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 ${FUZZ_ARGS:-} \
    >"logs/$t.log" 2>&1 || echo "$t stopped: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
  grep -E "DONE|Done [0-9]+ runs|stat::number_of_executed_units" "logs/$t.log" | tail -3 || true
done

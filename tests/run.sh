#!/usr/bin/env bash
# Runs every test of pillole, installing what the tests need when missing:
# Debian's chromium, a Java runtime, zbar-tools and poppler-utils (through
# tests/browser/setup.sh) and the browser suite's npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/browser/setup.sh

echo "== cargo test"
cargo test --all-targets

echo "== browser tests"
cargo build
export PILLOLE_BIN="$PWD/target/debug/pillole"
(cd tests/browser && node --test --test-concurrency=1)

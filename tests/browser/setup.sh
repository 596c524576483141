#!/usr/bin/env bash
# Installs what the browser tests need, on Debian, as root. Idempotent and fast
# when everything is already there:
#   - Debian's chromium (driven through playwright-core; no browser download)
#   - a Java runtime for the Nu HTML Checker (vnu.jar ships in the vnu-jar package)
#   - zbar-tools (zbarimg) and poppler-utils (pdftoppm, pdffonts, pdftotext)
#   - the pinned npm packages (npm ci) when node_modules is missing or stale
# Usage: bash tests/browser/setup.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
{ command -v pdftoppm && command -v pdffonts && command -v pdftotext; } >/dev/null 2>&1 || missing+=(poppler-utils)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: missing ${missing[*]}; run this script as root (it uses apt-get)" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]}"
  # Another apt-get may hold the lock (e.g. a parallel setup): wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup.sh: node and npm are needed (Node.js 20 or later)" >&2
  exit 1
fi

cd "$HERE"
# npm ci when node_modules is missing, or package.json or package-lock.json is newer than the last install.
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "setup.sh: npm ci in tests/browser"
  # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime;
  # vnu.jar itself is inside the package and Debian's java runs it.
  npm ci --ignore-scripts --no-audit --no-fund
  touch "$stamp"
fi

echo "setup.sh: ready (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $(java -version 2>&1 | head -1))"

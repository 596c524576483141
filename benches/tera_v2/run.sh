#!/usr/bin/env bash
# Tera 1.20 (pillole's) against Tera 2 on the theme's tutorial page.
#
# Usage:  benches/tera_v2/run.sh [RENDERS]      (default 20000)
#
# Builds the demo site once with a site template that dumps the tutorial
# page's Tera context (`__tera_context`), takes the longest tutorial's,
# copies the theme's base.html and tutorial.html (the two macro calls
# written out, Tera 2 has no macros; `trim_start_matches` is Tera 2's
# `trim_start`), then renders the page RENDERS times with each, after
# checking that both make the same page. Needs the release pillole.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PILLOLE="$REPO/target/release/pillole"
[ -x "$PILLOLE" ] || (cd "$REPO" && cargo build --release --quiet)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/site/templates"
cp -r "$REPO/content" "$REPO/site.yaml" "$REPO/themes" "$WORK/site/"
printf '%s' '{{ __tera_context | safe }}' > "$WORK/site/templates/tutorial.html"
"$PILLOLE" build --root "$WORK/site" --output "$WORK/out" --now 2026-11-23T10:00 >/dev/null 2>&1
ls -S "$WORK"/out/tutorial/*/index.html | head -1 | xargs -I{} cp {} "$WORK/ctx.json"

mkdir -p "$WORK/v1" "$WORK/v2"
python3 - "$REPO/themes/agid/templates" "$WORK" <<'PY'
import sys
src, work = sys.argv[1], sys.argv[2]
base = open(f"{src}/base.html").read()
page = open(f"{src}/tutorial.html").read()
page = page.replace('{% import "macros.html" as m %}\n', '')
page = page.replace('{{ m::level_badge(level=page.level) }}',
                    '<span class="badge badge-level badge-{{ page.level }}">Livello: {{ page.level }}</span>')
page = page.replace('{{ m::cards(list=related) }}', '\n<ul class="cards">\n{{ related.html | safe }}\n</ul>\n')
assert 'm::' not in page, 'tutorial.html calls a macro this script does not write out'
for v, b in (('v1', base), ('v2', base.replace('trim_start_matches(', 'trim_start('))):
    open(f"{work}/{v}/base.html", 'w').write(b)
    open(f"{work}/{v}/tutorial.html", 'w').write(page)
PY
cargo run --quiet --release --manifest-path "$HERE/Cargo.toml" --target-dir "$REPO/target/tera_v2" -- "$WORK" "${1:-20000}"

#!/usr/bin/env python3
"""How faithfully `pillole import` brings a real site over.

    python3 benches/import_real.py [--pillole BIN] [--work DIR] [--broken] NAME=SRC [NAME=SRC ...]

For each site: `pillole import SRC WORK/NAME`, `pillole build --keep-going`
(with base_url http://localhost/ so addresses have no prefix) and
`pillole check --format json`, then measures the built output:

- pages: pages built / documents the import wrote (the build's page count
  minus the pages the import added itself: a home page, an accessibility
  statement);
- template: pages whose text, outside code, still shows template syntax
  ({{ }}, {% %}) or attribute lines ({: ...}, {#id}, {.class} on a line);
- ids: custom heading ids of the source ({#id} on a heading, kramdown's
  {: #id} under one) found as an id in the output;
- links: internal links in the main text of the output (any address
  without a scheme or host, relative ones read as a browser reads them)
  whose file exists and, with a #fragment, whose page has that id;
- reach: sitemap pages reached from the home page by following links.

Prints one Markdown table row per site and the error rules of `check`;
with --broken, every internal link that does not resolve, on stderr.
Standard library only.
"""

import argparse
import html.parser
import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections import Counter, deque


class Page(html.parser.HTMLParser):
    """The links, ids and visible text (outside pre/code) of one HTML file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids, self.text = [], set(), []
        self.in_code = 0
        self.in_main = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a and a["id"]:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append((a["href"], self.in_main))
        if tag in ("pre", "code"):
            self.in_code += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "main":
            self.in_main = True

    def handle_endtag(self, tag):
        if tag in ("pre", "code") and self.in_code:
            self.in_code -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_main and not self.in_code and not self.skip:
            self.text.append(data)


TEMPLATE = re.compile(r"\{\{|\{%|%\}|\}\}")
ATTR_LINE = re.compile(r"^\s*\{(:|#[\w-]|\.[\w-]|[\w-]+=)[^}]*\}\s*$", re.M)
HEADING_ID = re.compile(r"^#{1,6}\s.*\{[^}]*#([^\s}]+)[^}]*\}\s*$", re.M)
KRAMDOWN_ID = re.compile(r"^(#{1,6}\s.*)\n\{:[^}]*#([^\s}]+)[^}]*\}\s*$", re.M)


def source_ids(src):
    """Custom heading ids written in the source's Markdown."""
    ids = []
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in ("node_modules", ".git")]
        for f in files:
            if f.endswith((".md", ".markdown")):
                try:
                    text = open(os.path.join(root, f), encoding="utf-8").read()
                except (UnicodeDecodeError, OSError):
                    continue
                text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
                ids += HEADING_ID.findall(text)
                ids += [m[1] for m in KRAMDOWN_ID.findall(text)]
    return ids


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def measure(pillole, name, src, work, show_broken=False):
    dest = os.path.join(work, name)
    out = os.path.join(work, name + "-public")
    subprocess.run(["rm", "-rf", dest, out], check=True)
    imp = run([pillole, "import", src, dest])
    if imp.returncode != 0:
        sys.exit(f"{name}: import failed\n{imp.stderr}")
    documents = int(re.search(r"(\d+) documenti", imp.stdout).group(1))
    added = imp.stdout.count("Scritta la pagina iniziale") + imp.stdout.count(
        "Scritta content/accessibilita.md"
    )
    build = run([pillole, "build", "--root", dest, "--output", out,
                 "--keep-going", "--base-url", "http://localhost/"])
    m = re.search(r"(\d+) pagine", build.stderr)
    if not m:
        sys.exit(f"{name}: build wrote nothing\n{build.stderr[-2000:]}")
    pages_built = int(m.group(1)) - added
    check = run([pillole, "check", "--root", dest, "--format", "json"])
    diags = json.loads(check.stdout or "[]")
    errors = Counter(d["rule"] for d in diags if d["severity"] == "error")

    # Read every HTML file of the output.
    parsed = {}
    for root, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                path = os.path.join(root, f)
                rel = "/" + os.path.relpath(path, out).replace(os.sep, "/")
                p = Page()
                p.feed(open(path, encoding="utf-8").read())
                parsed[rel] = p

    def file_of(url_path):
        path = urllib.parse.unquote(url_path)
        if path.endswith("/"):
            path += "index.html"
        if path in parsed or os.path.isfile(os.path.join(out, path.lstrip("/"))):
            return path
        if path + "/index.html" in parsed:
            return path + "/index.html"
        return None

    # LaTeX between $$ (shown as written: braces are not template syntax).
    math = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\\begin\{.*?\\end\{\w+\}", re.S)
    template = [rel for rel, p in parsed.items()
                if TEMPLATE.search(math.sub("", " ".join(p.text)))
                or ATTR_LINE.search("\n".join(p.text))]

    all_ids = set().union(*(p.ids for p in parsed.values())) if parsed else set()
    wanted = source_ids(src)
    kept = sum(1 for i in wanted if i in all_ids or urllib.parse.unquote(i) in all_ids)

    internal = good = 0
    broken = []
    for rel, p in parsed.items():
        page_url = rel[: -len("index.html")] if rel.endswith("/index.html") else rel
        for href, in_main in p.hrefs:
            url = urllib.parse.urlsplit(href)
            if not in_main or url.scheme or url.netloc:
                continue
            # Relative addresses (`g`, `../x/`, `#id`) count as the browser reads them.
            internal += 1
            url = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, href))
            target = file_of(url.path)
            if target and url.fragment and target in parsed:
                ok = urllib.parse.unquote(url.fragment) in parsed[target].ids
            else:
                ok = target is not None
            good += ok
            if not ok:
                broken.append(f"{rel}: {href}")

    sitemap = open(os.path.join(out, "sitemap.xml"), encoding="utf-8").read()
    listed = {urllib.parse.urlsplit(html.unescape(u)).path
              for u in re.findall(r"<loc>(.*?)</loc>", sitemap)}
    listed = {file_of(u) for u in listed} - {None}
    seen, queue = {"/index.html"}, deque(["/index.html"])
    while queue:
        for href, _ in parsed[queue.popleft()].hrefs:
            if href.startswith("/") and not href.startswith("//"):
                t = file_of(urllib.parse.urlsplit(href).path)
                if t in parsed and t not in seen:
                    seen.add(t)
                    queue.append(t)
    reached = len(listed & seen)

    pct = lambda a, b: f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"
    print(f"| {name} | {pct(pages_built, documents)} | {len(template)} "
          f"| {pct(kept, len(wanted))} | {pct(good, internal)} | {pct(reached, len(listed))} |")
    if show_broken:
        for b in broken:
            print(f"    broken: {b}", file=sys.stderr)
    return name, errors, template[:5]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pillole", default="target/release/pillole")
    ap.add_argument("--work", default="/tmp/pillole-import-real")
    ap.add_argument("--broken", action="store_true",
                    help="list the internal links that do not resolve (on stderr)")
    ap.add_argument("sites", nargs="+", metavar="NAME=SRC")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    print("| site | documents → pages | pages showing template syntax | custom heading ids kept "
          "| internal links resolving | sitemap pages reachable from home |")
    print("|---|---|---|---|---|---|")
    notes = [measure(os.path.abspath(args.pillole), *s.split("=", 1), args.work, args.broken)
             for s in args.sites]
    for name, errors, template in notes:
        print(f"\n{name}: check errors by rule: {dict(errors.most_common())}")
        if template:
            print(f"{name}: pages with template syntax, first: {template}")


if __name__ == "__main__":
    main()

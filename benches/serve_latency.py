#!/usr/bin/env python3
"""Edit-to-page latency of `pillole serve` (standard library only).

Starts the release binary on a free port of 127.0.0.1 for one site and
times, from the moment the server process starts, its first page (the first
HTTP GET of / that answers 200). Then, for each edit, the time from the
moment the file is written to the moment an HTTP GET serves the change:

  page      a sentence added at the end of a tutorial's body: its page
  title     the tutorial's title changed: its page, and (`title-lists`)
            the page of the tutorial list that shows its card (the list's
            pages are published together, so the last of them)
  template  a copy of the theme's base.html in the site's templates/ with a
            new comment before </body>: the tutorial's page, and
            (`template-all`) until the server says every page is made

At the end, the server's peak memory (VmHWM), then (unless --no-compare)
every file a fresh `pillole build` of the same tree writes is compared with
what serve answers (HTML without the live-reload script). Prints one JSON
line per measure:

  {"site": ..., "edit": "page", "runs": 5, "median_ms": ..., "min_ms": ...,
   "max_ms": ...}
  {"site": ..., "edit": "first-page", "ms": ...}
  {"site": ..., "edit": "peak-rss", "mb": ...}

Usage: serve_latency.py BINARY SITE_DIR PAGE_FILE --base BASE_HTML
                        [--runs 5] [--name NAME] [--edits page,title,template]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

NOW = "2026-11-23T10:00"
START_TIMEOUT = 600.0
CHANGE_TIMEOUT = 120.0
POLL = 0.003


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, root):
        self.port = free_port()
        self.log = []
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [binary, "serve", "--root", root, "--port", str(self.port), "--now", NOW],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=dict(os.environ, NO_COLOR="1"),
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.conn = None

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def get(self, path):
        """Status and body of a GET, or (None, b"") while nothing listens."""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("GET", path)
            r = self.conn.getresponse()
            return r.status, r.read()
        except (ConnectionError, OSError, http.client.HTTPException):
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None, b""

    def first_page(self):
        """Milliseconds from start to the first page served."""
        while time.perf_counter() - self.started < START_TIMEOUT:
            if self.proc.poll() is not None:
                sys.exit("serve stopped:\n" + "".join(self.log[-20:]))
            status, _ = self.get("/")
            if status == 200:
                return (time.perf_counter() - self.started) * 1000
            time.sleep(0.01)
        sys.exit("serve did not start:\n" + "".join(self.log[-20:]))

    def wait_for(self, path, text, since):
        """Milliseconds from `since` until GET `path` contains `text`."""
        needle = text.encode()
        while time.perf_counter() - since < CHANGE_TIMEOUT:
            status, body = self.get(path)
            if status == 200 and needle in body:
                return (time.perf_counter() - since) * 1000
            time.sleep(POLL)
        sys.exit(f"{path} never showed {text!r}:\n" + "".join(self.log[-20:]))

    def list_page_of(self, address):
        """The page of the list of every tutorial that shows `address` (the
        list comes in pages: /tutorial/, /tutorial/pagina/2/, ...)."""
        path = "/tutorial/"
        while path:
            status, body = self.get(path)
            if status != 200:
                break
            if f'href="{address}"'.encode() in body:
                return path
            found = re.search(rb'href="([^"]+)" rel="next"', body)
            path = found.group(1).decode() if found else None
        sys.exit(f"no page of /tutorial/ shows {address}")

    def updates(self):
        """How many updates the server has reported done."""
        return sum(1 for l in self.log if re.search(r"aggiornat[ae] \d+ pagin", l))

    def wait_done(self, before, since):
        """Milliseconds from `since` until the server reports an update after `before`."""
        while time.perf_counter() - since < CHANGE_TIMEOUT:
            if self.updates() > before:
                return (time.perf_counter() - since) * 1000
            time.sleep(POLL)
        sys.exit("the update never ended:\n" + "".join(self.log[-20:]))

    def peak_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
        return None

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def summary(times):
    return {
        "runs": len(times),
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
    }


def settle(server, seconds):
    """Let the server finish what it does after an edit (the search index)."""
    time.sleep(seconds)


RELOAD_SCRIPT = re.compile(rb'<script>\n\(function \(\) \{\n  var key = "pillole-scroll:".*?</script>\n', re.S)


def compare(binary, site, server):
    """Builds the same tree and compares every file with what serve answers
    (HTML without the live-reload script serve adds)."""
    out = site.rstrip("/") + "-build"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([binary, "build", "--root", site, "--output", out, "--now", NOW, "--color", "never"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files, differ = 0, []
    for folder, _, names in os.walk(out):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, out).replace(os.sep, "/")
            with open(path, "rb") as f:
                want = f.read()
            status, got = server.get("/" + rel)
            if rel.endswith(".html"):
                got = RELOAD_SCRIPT.sub(b"", got, count=1)
            files += 1
            if got != want:
                differ.append(rel)
    shutil.rmtree(out, ignore_errors=True)
    if differ:
        print("differ: " + ", ".join(differ[:20]), file=sys.stderr)
    return {"files": files, "differ": len(differ)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("site")
    ap.add_argument("page", help="Markdown file of a tutorial, relative to the site")
    ap.add_argument("--base", required=True, help="the theme's base.html")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--name", default=None)
    ap.add_argument("--settle", type=float, default=1.5)
    ap.add_argument("--edits", default="page,title,template")
    ap.add_argument("--compare", action=argparse.BooleanOptionalAction, default=True,
                    help="at the end, compare every file served with a fresh build")
    args = ap.parse_args()

    page = os.path.join(args.site, args.page)
    original = open(page, encoding="utf-8").read()
    slug = os.path.splitext(os.path.basename(page))[0]
    address = f"/tutorial/{slug}/"
    templates = os.path.join(args.site, "templates")
    template = os.path.join(templates, "base.html")
    had_templates = os.path.isdir(templates)
    name = args.name or os.path.basename(os.path.normpath(args.site))
    server = Server(args.binary, args.site)

    def emit(edit, **fields):
        print(json.dumps({"site": name, "edit": edit, **fields}), flush=True)

    try:
        emit("first-page", ms=round(server.first_page(), 1))
        settle(server, max(args.settle, 3.0))
        list_page = server.list_page_of(address)
        for kind in args.edits.split(","):
            times, lists, whole = [], [], []
            if kind == "template":
                with open(args.base, encoding="utf-8") as f:
                    base = f.read()
                os.makedirs(templates, exist_ok=True)
            for i in range(args.runs):
                if kind == "page":
                    marker = f"Una riga in più, numero {i}."
                    since = time.perf_counter()
                    write(page, original.rstrip("\n") + f"\n\n{marker}\n")
                    times.append(server.wait_for(address, marker, since))
                elif kind == "title":
                    marker = f"Titolo cambiato {i}"
                    since = time.perf_counter()
                    write(page, re.sub(r"^title: .*$", f'title: "{marker}"', original, count=1, flags=re.M))
                    times.append(server.wait_for(address, marker, since))
                    lists.append(server.wait_for(list_page, marker, since))
                elif kind == "template":
                    marker = f"<!-- modifica {i} -->"
                    before = server.updates()
                    since = time.perf_counter()
                    write(template, base.replace("</body>", marker + "\n</body>", 1))
                    times.append(server.wait_for(address, marker, since))
                    whole.append(server.wait_done(before, since))
                else:
                    sys.exit(f"unknown edit {kind}")
                settle(server, max(args.settle, 2 * times[-1] / 1000))
            emit(kind, **summary(times))
            if lists:
                emit("title-lists", **summary(lists))
            if whole:
                emit("template-all", **summary(whole))
            # Back to the start.
            if kind == "template":
                os.remove(template)
            else:
                write(page, original)
            settle(server, max(args.settle, 3.0))
        emit("peak-rss", mb=server.peak_mb())
        if args.compare:
            emit("same-as-build", **compare(args.binary, args.site, server))
    finally:
        server.stop()
        write(page, original)
        if os.path.exists(template):
            os.remove(template)
        if not had_templates and os.path.isdir(templates):
            shutil.rmtree(templates, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Edit-to-reload latency of `pillole serve` (standard library only).

Starts the release binary on a free port of 127.0.0.1 for one site, opens
the live-reload stream (/__pillole/events) like a browser would, then times
each edit from the moment the file is written to the moment the `reload`
event arrives. Prints one JSON line per kind of edit:

  {"site": ..., "edit": "page"|"title"|"template", "runs": 10,
   "median_ms": ..., "min_ms": ..., "max_ms": ..., "server_ms": ...}

`server_ms` is the median of the rebuild times the server reports in its
terminal (from the end of the debounce to the event); the rest of the
figure is the debounce window and the wait for the watcher.

Usage: serve_latency.py BINARY SITE_DIR PAGE_FILE [--runs 10] [--name NAME]
                        [--edits page,title,template]
"""

import argparse
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
EVENT_TIMEOUT = 300.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, root):
        self.port = free_port()
        self.log = []
        self.proc = subprocess.Popen(
            [binary, "serve", "--root", root, "--port", str(self.port), "--now", NOW],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=dict(os.environ, NO_COLOR="1"),
            text=True,
        )
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(START_TIMEOUT):
            self.stop()
            sys.exit("serve did not start:\n" + "".join(self.log[-20:]))

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line)
            if "Anteprima su" in line:
                self.ready.set()

    def rebuild_times(self):
        """Milliseconds of every rebuild the server reported so far."""
        out = []
        for line in self.log:
            m = re.search(r"aggiornate \d+ pagin[ae] in (\d+) ms", line)
            if m:
                out.append(int(m.group(1)))
        return out

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Events:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=EVENT_TIMEOUT)
        self.sock.sendall(b"GET /__pillole/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        if b" 200 " not in status:
            sys.exit(f"event stream refused: {status!r}")
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass
        self.next("hello")

    def next(self, name):
        event = None
        while True:
            line = self.file.readline()
            if not line:
                sys.exit("event stream closed")
            line = line.decode().rstrip("\r\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
            elif line.startswith("data: ") and event == name:
                return line[len("data: "):]

    def close(self):
        self.sock.close()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def measure(server, events, runs, edit, settle):
    """Times `runs` edits; `edit(i)` writes the file."""
    times = []
    before = len(server.rebuild_times())
    for i in range(runs):
        started = time.perf_counter()
        edit(i)
        events.next("reload")
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        # Let the server finish what it does after the event (feeds,
        # calendars, search index) so the next edit starts from idle.
        time.sleep(max(settle, 2 * elapsed))
    server_ms = server.rebuild_times()[before:]
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "server_ms": statistics.median(server_ms) if server_ms else None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("site")
    ap.add_argument("page", help="Markdown file to edit, relative to the site")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--name", default=None)
    ap.add_argument("--settle", type=float, default=0.5)
    ap.add_argument("--edits", default="page,title,template")
    ap.add_argument("--template", default=None, help="theme template to copy into templates/")
    args = ap.parse_args()

    page = os.path.join(args.site, args.page)
    original = open(page, encoding="utf-8").read()
    templates = os.path.join(args.site, "templates")
    template = os.path.join(templates, os.path.basename(args.template or "page.html"))
    had_templates = os.path.isdir(templates)
    server = Server(args.binary, args.site)
    events = Events(server.port)
    name = args.name or os.path.basename(os.path.normpath(args.site))
    try:
        for kind in args.edits.split(","):
            if kind == "page":
                # A new sentence at the end of the body: the usual save.
                def edit(i):
                    write(page, original.rstrip("\n") + f"\n\nUna riga in più, numero {i}.\n")
            elif kind == "title":
                # The title in the front matter: every list showing the page.
                def edit(i):
                    write(page, re.sub(r'^title: .*$', f'title: "Titolo cambiato {i}"', original, count=1, flags=re.M))
            elif kind == "template":
                # A site template overriding the theme's: every page.
                with open(args.template, encoding="utf-8") as f:
                    base = f.read()
                os.makedirs(templates, exist_ok=True)
                write(template, base + "\n{# copia #}\n")
                events.next("reload")
                time.sleep(max(args.settle, 2.0))

                def edit(i):
                    write(template, base + f"\n{{# modifica {i} #}}\n")
            else:
                sys.exit(f"unknown edit {kind}")
            result = measure(server, events, args.runs, edit, args.settle)
            print(json.dumps({"site": name, "edit": kind, **result}), flush=True)
            # Back to the start, and wait for that rebuild too.
            if kind == "template":
                os.remove(template)
            else:
                write(page, original)
            events.next("reload")
            time.sleep(max(args.settle, 2.0))
    finally:
        events.close()
        server.stop()
        write(page, original)
        if os.path.exists(template):
            os.remove(template)
        if not had_templates and os.path.isdir(templates):
            shutil.rmtree(templates, ignore_errors=True)


if __name__ == "__main__":
    main()

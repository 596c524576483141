// Test harness: builds the demo site (or takes a ready folder), serves it on
// 127.0.0.1, lists its HTML pages and drives Debian's Chromium through
// playwright-core with every request that leaves the local server blocked and
// recorded.
//
// Environment:
//   PILLOLE_BIN       pillole binary (default <repo>/target/release/pillole)
//   PILLOLE_SITE_DIR  serve this folder as it is instead of building the demo
//   CHROMIUM_PATH     browser binary (default /usr/bin/chromium)
import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const BROWSER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(BROWSER_DIR, '..', '..');
export const NOW = '2026-11-23T10:00';
const SETUP_HINT = 'run tests/browser/setup.sh (as root) first';

// ------------------------------------------------------------------ build

/** Builds the demo site into a fresh temporary folder. Returns { dir, cleanup }. */
export async function buildSite({ bin = process.env.PILLOLE_BIN || path.join(REPO, 'target', 'release', 'pillole') } = {}) {
  if (!fs.existsSync(bin)) {
    throw new Error(`pillole binary not found at ${bin}: build it with \`cargo build --release\` or set PILLOLE_BIN`);
  }
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pillole-browser-'));
  const out = path.join(tmp, 'public');
  const args = ['build', '--root', REPO, '--output', out, '--now', NOW];
  try {
    await new Promise((resolve, reject) => {
      execFile(bin, args, { cwd: REPO, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`\`${bin} ${args.join(' ')}\` failed (${err.code ?? err.signal ?? err.message})\n` +
            `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
        } else resolve();
      });
    });
    if (!fs.existsSync(path.join(out, 'index.html'))) {
      throw new Error(`\`${bin} ${args.join(' ')}\` exited 0 but wrote no ${path.join(out, 'index.html')}`);
    }
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir: out, cleanup: () => fsp.rm(tmp, { recursive: true, force: true }) };
}

/**
 * The folder to test: `dir` if given, else PILLOLE_SITE_DIR, else a fresh build
 * of the demo site. Returns { dir, built, cleanup }.
 */
export async function siteDir({ dir } = {}) {
  const given = dir || process.env.PILLOLE_SITE_DIR;
  if (given) {
    const abs = path.resolve(given);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new Error(`site folder not found: ${abs}`);
    return { dir: abs, built: false, cleanup: async () => {} };
  }
  const b = await buildSite();
  return { dir: b.dir, built: true, cleanup: b.cleanup };
}

// ------------------------------------------------------------------ pages

const REFRESH = /<meta\s[^>]*http-equiv\s*=\s*["']?refresh/i;

/** True when the HTML is only a `<meta http-equiv="refresh">` redirect (no content of its own). */
export function isRedirectOnly(html) {
  if (!REFRESH.test(html)) return false;
  const body = /<body[^>]*>([\s\S]*?)(<\/body>|$)/i.exec(html);
  if (!body) return true;
  // A redirect page may carry a one-line "go here" link; a real page has <main>.
  return !/<main[\s>]/i.test(body[1]);
}

/** Every *.html file under dir, as site-relative POSIX paths, sorted (shallow first). */
export async function listHtmlFiles(dir) {
  const out = [];
  async function walk(d) {
    const ents = await fsp.readdir(d, { withFileTypes: true });
    for (const e of ents) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  }
  await walk(dir);
  return out.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** URL path for a site-relative HTML file: `a/index.html` -> `/a/`, `404.html` -> `/404.html`. */
export function urlPathFor(rel) {
  const p = '/' + rel.split('/').map(encodeURIComponent).join('/');
  return p.endsWith('/index.html') ? p.slice(0, -'index.html'.length) : p;
}

/** HTML pages to open in the browser: every HTML file except redirect-only ones. [{ file, path }] */
export async function listPages(dir) {
  const pages = [];
  for (const rel of await listHtmlFiles(dir)) {
    const html = await fsp.readFile(path.join(dir, rel), 'utf8');
    if (isRedirectOnly(html)) continue;
    pages.push({ file: rel, path: urlPathFor(rel) });
  }
  return pages;
}

// ------------------------------------------------------------------ server

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.vtt': 'text/vtt; charset=utf-8',
  '.pdf': 'application/pdf',
};

/** Serves dir on 127.0.0.1 (random port). Returns { origin, port, close }. */
export async function startServer(dir) {
  const root = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    const send = (status, body, type) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const notFound = async () => {
      try {
        send(404, await fsp.readFile(path.join(root, '404.html')), CONTENT_TYPES['.html']);
      } catch {
        send(404, 'not found\n', 'text/plain; charset=utf-8');
      }
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', 'text/plain');
      let urlPath;
      try { urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname); } catch { return send(400, 'bad request\n', 'text/plain'); }
      if (urlPath.includes('\0')) return send(400, 'bad request\n', 'text/plain');
      let file = path.join(root, path.normalize(urlPath));
      if (file !== root && !file.startsWith(root + path.sep)) return notFound();
      let st;
      try { st = await fsp.stat(file); } catch { return notFound(); }
      if (st.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          res.writeHead(301, { Location: urlPath + '/', 'Cache-Control': 'no-store' });
          return res.end();
        }
        file = path.join(file, 'index.html');
        try { st = await fsp.stat(file); } catch { return notFound(); }
      }
      if (!st.isFile()) return notFound();
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      send(200, await fsp.readFile(file), type);
    } catch (e) {
      if (!res.headersSent) send(500, String(e), 'text/plain');
      else res.destroy();
    }
  });
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

// ------------------------------------------------------------------ browser

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

async function importPlaywright() {
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core is not installed in tests/browser/node_modules: ${SETUP_HINT} (${e.message})`);
  }
}

/** Launches Chromium (fresh temporary profile, removed on close). */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: ${SETUP_HINT}, or set CHROMIUM_PATH`);
  }
  const { chromium } = await importPlaywright();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** The axe-core source, to inject into pages. */
export function axeSource() {
  let file;
  try { file = require.resolve('axe-core/axe.min.js'); } catch {
    throw new Error(`axe-core is not installed in tests/browser/node_modules: ${SETUP_HINT}`);
  }
  return fs.readFileSync(file, 'utf8');
}

/** Path of vnu.jar from the vnu-jar package. */
export function vnuJar() {
  let pkg;
  try { pkg = require.resolve('vnu-jar/package.json'); } catch {
    throw new Error(`vnu-jar is not installed in tests/browser/node_modules: ${SETUP_HINT}`);
  }
  const jar = path.join(path.dirname(pkg), 'build', 'dist', 'vnu.jar');
  if (!fs.existsSync(jar)) throw new Error(`vnu.jar missing at ${jar}: ${SETUP_HINT}`);
  return jar;
}

/**
 * A browser context whose requests may only go to `origin`; anything else is
 * aborted and pushed to the returned `external` array ({ url, from }).
 * Local answers >= 400 for subresources are pushed to `broken`, uncaught page
 * errors to `errors`. Close it with `close()`.
 */
export async function newContext(browser, origin, options = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', locale: 'it-IT', ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const external = [];
  const broken = [];
  const errors = [];
  const prefix = origin + '/';
  await context.route('**/*', (route) => {
    const req = route.request();
    const url = req.url();
    if (url === origin || url.startsWith(prefix)) return route.continue();
    let from = '';
    try { from = req.frame().url(); } catch { /* no frame (worker) */ }
    external.push({ url, from });
    return route.abort('blockedbyclient');
  });
  context.on('response', (resp) => {
    const req = resp.request();
    // the page itself may be the 404 page on purpose; its subresources may not fail
    if (resp.status() >= 400 && !req.isNavigationRequest()) {
      broken.push({ url: resp.url(), status: resp.status() });
    }
  });
  context.on('weberror', (we) => errors.push(String(we.error()?.message || we.error())));
  return {
    context, external, broken, errors,
    close: () => context.close().catch(() => {}),
  };
}

/**
 * Everything a browser test needs, started once: { dir, origin, pages, browser, close }.
 * `close()` stops the browser and the server and removes a temporary build;
 * it is safe to call twice, and whatever started is closed if a later step fails.
 */
export async function openSite({ dir, browser: wantBrowser = true } = {}) {
  const cleanups = [];
  const close = async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try { await fn(); } catch { /* keep closing the rest */ }
    }
  };
  try {
    const site = await siteDir({ dir });
    cleanups.push(site.cleanup);
    const pages = await listPages(site.dir);
    const server = await startServer(site.dir);
    cleanups.push(server.close);
    let browser = null;
    if (wantBrowser) {
      browser = await launchBrowser();
      cleanups.push(() => browser.close());
    }
    return { dir: site.dir, built: site.built, origin: server.origin, pages, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}

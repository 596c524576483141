// Lighthouse (mobile) on one page of each kind of the demo, posters and
// print sheets included (people reach them from a QR code on a wall), in
// Debian's Chromium: accessibility 100, best practices at least 95, SEO at
// least 90, and nothing written to the console. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { openSite, BROWSER_DIR, CHROMIUM_ARGS } from './lib/site.mjs';

const PAGES = [
  '/',
  '/tutorial/attivare-spid/',
  '/tutorial/attivare-spid/stampa/',
  '/eventi/incontro-email-municipio-7/',
  '/eventi/incontro-email-municipio-7/locandina/',
  '/municipi/municipio-4/',
  '/cerca/',
];
const MIN = { accessibility: 1, 'best-practices': 0.95, seo: 0.9 };
const LIGHTHOUSE = path.join(BROWSER_DIR, 'node_modules', '.bin', 'lighthouse');

/** Lighthouse's report of `url` (mobile), as parsed JSON. */
function lighthouse(url) {
  const args = [
    url,
    '--only-categories=accessibility,best-practices,seo',
    '--form-factor=mobile',
    '--output=json',
    '--output-path=stdout',
    '--quiet',
    `--chrome-flags=--headless ${CHROMIUM_ARGS.join(' ')}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(LIGHTHOUSE, args, { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium' }, maxBuffer: 256 * 1024 * 1024, timeout: 180_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`lighthouse ${url} failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout));
      });
  });
}

describe('Lighthouse (mobile) in Chromium', () => {
  let site = null;
  let setupError = null;
  const reports = new Map();

  before(async () => {
    try {
      site = await openSite({ browser: false });
      for (const p of PAGES) reports.set(p, await lighthouse(site.origin + p));
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 20 * 60 * 1000 });

  after(async () => {
    if (site) await site.close();
  });

  const ready = () => {
    if (setupError) assert.fail(`Lighthouse could not run: ${String(setupError.stack || setupError)}`);
  };

  for (const [category, min] of Object.entries(MIN)) {
    test(`${category}: at least ${min * 100} on every page`, () => {
      ready();
      const bad = [];
      for (const [p, r] of reports) {
        const c = r.categories[category];
        if (c.score === null || c.score < min) {
          const failing = c.auditRefs
            .map((ref) => r.audits[ref.id])
            .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual')
            .map((a) => a.id);
          bad.push(`${p}: ${Math.round((c.score ?? 0) * 100)} (${failing.join(', ')})`);
        }
      }
      if (bad.length) assert.fail(bad.join('\n'));
    });
  }

  test('no page writes an error to the console', () => {
    ready();
    const bad = [];
    for (const [p, r] of reports) {
      const items = r.audits['errors-in-console']?.details?.items || [];
      for (const i of items) bad.push(`${p}: ${i.description || i.source}`);
    }
    if (bad.length) assert.fail(bad.join('\n'));
  });
});

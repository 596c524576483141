// Every HTML page of the demo site, in Debian's Chromium: axe-core, contrast,
// text size, reflow, keyboard, focus, target size, landmarks, JavaScript off
// and no third-party request. One test per check; a failing test lists every
// page and element at fault. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, axeSource, newContext } from './lib/site.mjs';
import { CHECKS, Session, auditPage, pool, formatFindings, gotoPage, checkAxe, PHONE } from './lib/checks.mjs';

// Pages audited at the same time (the machine has 2 cores).
const CONCURRENCY = Math.max(1, Number(process.env.BROWSER_TEST_CONCURRENCY) || 2);

describe('demo site in Chromium', () => {
  let site = null;
  let findings = [];
  let setupError = null;

  // A failing build or a missing browser fails the tests below (instead of
  // cancelling them), with the reason in the first one.
  before(async () => {
    try {
      site = await openSite();
      if (!site.pages.length) return;
      const axe = axeSource();
      // one set of reused tabs per worker
      const sessions = [];
      try {
        const results = await pool(site.pages, CONCURRENCY, (p, i, worker) => {
          sessions[worker] ??= new Session(site.browser, site.origin);
          return auditPage(site, p.path, axe, { session: sessions[worker] });
        });
        findings = results.flat();
      } finally {
        await Promise.all(sessions.map((s) => s.close()));
      }
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 60 * 60 * 1000 });

  after(async () => {
    if (site) await site.close();
  });

  const ready = () => {
    if (setupError) assert.fail(`the site could not be built, served or opened: ${setupError.message.split('\n')[0]}`);
  };

  test('the site is built, served and opened in Chromium', () => {
    if (setupError) assert.fail(String(setupError.stack || setupError));
    assert.ok(site.pages.length > 0, `no HTML page found in ${site.dir}`);
  });

  for (const [check, what] of Object.entries(CHECKS)) {
    test(`${check}: ${what}`, () => {
      ready();
      const list = findings.filter((x) => x.check === check);
      if (list.length) assert.fail(`${check}: ${what}\n${formatFindings(list)}`);
    });
  }

  // The theme follows the device's dark scheme: axe-core again on every
  // page with the browser asking for it (contrast above all).
  test('dark scheme: axe-core finds nothing on any page', async () => {
    ready();
    const axe = axeSource();
    // one dark tab per worker
    const tabs = [];
    let dark;
    try {
      dark = await pool(site.pages, CONCURRENCY, async (p, i, worker) => {
        if (!tabs[worker]) {
          const ctx = await newContext(site.browser, site.origin, { colorScheme: 'dark', viewport: PHONE });
          tabs[worker] = { ctx, page: await ctx.context.newPage() };
        }
        const { page } = tabs[worker];
        await gotoPage(page, site.origin + p.path);
        return checkAxe(page, p.path, axe, 'dark scheme, 360 px');
      });
    } finally {
      await Promise.all(tabs.map((t) => t.ctx.close()));
    }
    const list = dark.flat();
    if (list.length) assert.fail(formatFindings(list));
  });

  test('every finding belongs to a known check', () => {
    ready();
    const unknown = findings.filter((x) => !(x.check in CHECKS));
    if (unknown.length) assert.fail(formatFindings(unknown));
  });
});

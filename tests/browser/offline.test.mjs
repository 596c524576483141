// Reading without internet, in Debian's Chromium with the site's own
// service worker: a copy of the demo is built into a temporary folder and
// served; a reader opens the home page and a tutorial, the network goes off,
// and what was opened (with the tutorial's print sheet), the offline page
// and search still work; a rebuild with a changed tutorial is served once
// online. The site is installable (Chromium's own installability check).
// See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSite, newContext, REPO, NOW } from './lib/site.mjs';

const PHONE = { width: 360, height: 800 };
const TUTORIAL = '/tutorial/attivare-spid/';
const SOURCE = 'content/tutorial/attivare-spid.md';
const BIN = process.env.PILLOLE_BIN || path.join(REPO, 'target', 'release', 'pillole');

function build(root, out) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['build', '--root', root, '--output', out, '--now', NOW], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`build failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

describe('reading without internet in Chromium', () => {
  let tmp = null;
  let site = null;
  let ctx = null;
  let page = null;
  let setupError = null;

  before(async () => {
    try {
      tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pillole-offline-'));
      await fsp.mkdir(path.join(tmp, 'site'));
      await fsp.cp(path.join(REPO, 'site.yaml'), path.join(tmp, 'site', 'site.yaml'));
      await fsp.cp(path.join(REPO, 'content'), path.join(tmp, 'site', 'content'), { recursive: true });
      await build(path.join(tmp, 'site'), path.join(tmp, 'out'));
      site = await openSite({ dir: path.join(tmp, 'out') });
      ctx = await newContext(site.browser, site.origin, { viewport: PHONE, serviceWorkers: 'allow' });
      page = await ctx.context.newPage();
      // A reader opens the home page, then a tutorial.
      await page.goto(site.origin + '/', { waitUntil: 'load' });
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15_000 });
      await page.goto(site.origin + TUTORIAL, { waitUntil: 'load' });
      await page.waitForFunction((p) => caches.match(p + 'stampa/').then((r) => !!r), TUTORIAL, { timeout: 15_000 });
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 10 * 60 * 1000 });

  after(async () => {
    if (ctx) await ctx.close();
    if (site) await site.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  const ready = () => {
    if (setupError) assert.fail(`the site could not be built, served or opened: ${String(setupError.stack || setupError)}`);
  };
  const h1 = () => page.locator('main h1').first().textContent().then((t) => t.trim());

  test('the site is installable: manifest, icon and service worker', async () => {
    ready();
    await page.goto(site.origin + '/', { waitUntil: 'load' });
    const cdp = await ctx.context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // A test's browser context is private ("in-incognito"), which no site
    // can change; every other criterion is the site's and must hold.
    const errors = installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
    assert.deepEqual(errors, []);
    const manifest = await (await page.request.get(site.origin + '/manifest.webmanifest')).json();
    assert.equal(manifest.start_url, '/');
    assert.equal(manifest.lang, 'it');
  });

  test('without network, the tutorial, its print sheet, the offline page and search work', async () => {
    ready();
    await ctx.context.setOffline(true);
    try {
      await page.goto(site.origin + TUTORIAL, { waitUntil: 'load' });
      assert.equal(await h1(), 'Attiva lo SPID');
      await page.goto(site.origin + TUTORIAL + 'stampa/', { waitUntil: 'load' });
      assert.match(await page.locator('main').textContent(), /Attiva lo SPID/);
      // A page never opened: the offline page, with what can be read.
      await page.goto(site.origin + '/diario/', { waitUntil: 'load' });
      assert.equal(await h1(), 'Sei senza internet');
      await page.locator('.saved-list a').first().waitFor({ timeout: 10_000 });
      const saved = await page.locator('.saved-list a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      assert.ok(saved.some(([t, h]) => t === 'Attiva lo SPID' && h === TUTORIAL), JSON.stringify(saved));
      // Search, never opened, was kept with its index.
      await page.goto(site.origin + '/cerca/', { waitUntil: 'load' });
      await page.locator('#q').fill('spid');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('«spid»'), null, { timeout: 10_000 });
      const links = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(links.includes(TUTORIAL), JSON.stringify(links));
    } finally {
      await ctx.context.setOffline(false);
    }
  });

  test('"Salva per leggere senza internet" keeps the tutorial, its sheet and its pictures', async () => {
    ready();
    await page.goto(site.origin + TUTORIAL, { waitUntil: 'load' });
    const save = page.locator('.save-offline');
    assert.equal((await save.textContent()).trim(), 'Salva per leggere senza internet');
    await save.click();
    await page.waitForFunction(() => document.querySelector('.save-offline').disabled && /Salvata/.test(document.querySelector('.save-offline').textContent), null, { timeout: 10_000 });
    const kept = await page.evaluate(() => caches.open('pillole-salvate').then((c) => c.keys()).then((ks) => ks.map((k) => new URL(k.url).pathname)));
    assert.ok(kept.includes('/tutorial/attivare-spid/') && kept.includes('/tutorial/attivare-spid/stampa/'), JSON.stringify(kept));
  });

  test('after a rebuild with a changed tutorial, the new text is served online', async () => {
    ready();
    const file = path.join(tmp, 'site', SOURCE);
    const text = await fsp.readFile(file, 'utf8');
    const changed = 'Questa frase è nuova: la guida è stata aggiornata.';
    await fsp.writeFile(file, text.replace(/\n## /, `\n${changed}\n\n## `));
    await build(path.join(tmp, 'site'), path.join(tmp, 'out'));
    await page.goto(site.origin + TUTORIAL, { waitUntil: 'load' });
    assert.match(await page.locator('main').textContent(), /Questa frase è nuova/);
  });
});

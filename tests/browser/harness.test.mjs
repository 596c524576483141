// The harness and the checks, tested on two tiny fixtures of our own:
// fixtures/bad (a page with one planted defect per check) must make every
// check fail, and fixtures/good (a page that follows the theme's markup) must
// pass them all, so a green a11y.test.mjs means something.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSite, axeSource, listHtmlFiles, listPages, urlPathFor, isRedirectOnly } from './lib/site.mjs';
import { CHECKS, Session, auditPage, formatFindings } from './lib/checks.mjs';
import { runVnu, vnuErrors } from './lib/vnu.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BAD = path.join(HERE, 'fixtures', 'bad');
const GOOD = path.join(HERE, 'fixtures', 'good');

describe('page discovery', () => {
  test('redirect-only pages are listed as HTML files but not audited', async () => {
    assert.deepEqual(await listHtmlFiles(BAD), ['404.html', 'index.html', 'vecchia/index.html']);
    assert.deepEqual((await listPages(BAD)).map((p) => p.path), ['/404.html', '/']);
  });

  test('URL paths of HTML files', () => {
    assert.equal(urlPathFor('index.html'), '/');
    assert.equal(urlPathFor('tutorial/spid/index.html'), '/tutorial/spid/');
    assert.equal(urlPathFor('404.html'), '/404.html');
    assert.equal(urlPathFor('città/index.html'), '/citt%C3%A0/');
  });

  test('a page with content and a refresh is still a page', () => {
    assert.equal(isRedirectOnly('<html><head><meta http-equiv="refresh" content="0; url=/"></head><body><p>x</p></body></html>'), true);
    assert.equal(isRedirectOnly('<html><head><meta http-equiv="refresh" content="300"></head><body><main><h1>x</h1></main></body></html>'), false);
    assert.equal(isRedirectOnly('<html><body><main><h1>x</h1></main></body></html>'), false);
  });
});

describe('bad fixture (served through PILLOLE_SITE_DIR)', () => {
  let site = null;
  let findings = [];
  const saved = process.env.PILLOLE_SITE_DIR;

  before(async () => {
    process.env.PILLOLE_SITE_DIR = BAD;
    site = await openSite();
    findings = await auditPage(site, '/', axeSource());
  }, { timeout: 180_000 });

  after(async () => {
    if (saved === undefined) delete process.env.PILLOLE_SITE_DIR; else process.env.PILLOLE_SITE_DIR = saved;
    if (site) await site.close();
  });

  test('the server answers like a static host', async () => {
    const get = (p) => fetch(site.origin + p, { redirect: 'manual' });
    let r = await get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    r = await get('/foto.svg');
    assert.equal(r.headers.get('content-type'), 'image/svg+xml');
    r = await get('/vecchia');
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/vecchia/');
    r = await get('/non-esiste/');
    assert.equal(r.status, 404);
    assert.match(await r.text(), /Pagina non trovata/);
    // a raw, encoded ../ must not leave the site folder (tests/browser/package.json is two levels up)
    const status = await new Promise((resolve, reject) => {
      http.get(`${site.origin}/..%2f..%2fpackage.json`, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
    });
    assert.equal(status, 404);
  });

  for (const check of Object.keys(CHECKS).filter((c) => c !== 'page-load')) {
    test(`check "${check}" reports the planted defect`, () => {
      const list = findings.filter((x) => x.check === check);
      assert.ok(list.length > 0, `no "${check}" finding on the bad page; all findings:\n${formatFindings(findings)}`);
      for (const x of list) {
        assert.equal(x.page, '/');
        assert.ok(x.message.length > 10, `message too short to help: ${x.message}`);
      }
    });
  }

  test('the findings name the offending element or request', () => {
    const text = (c) => findings.filter((x) => x.check === c).map((x) => x.message).join('\n');
    assert.match(text('axe'), /image-alt \(critical\).*img/);
    assert.match(text('lang'), /no lang attribute/);
    assert.match(text('skip-link'), /first Tab stop is a\[href="\/"\] "Home"/);
    assert.match(text('landmarks'), /2 h1 elements/);
    assert.match(text('landmarks'), /nav without aria-label/);
    assert.match(text('landmarks'), /h3 after h1/);
    assert.match(text('breadcrumb'), /no <ol>/);
    assert.match(text('footer-link'), /no a\[data-element="accessibility-link"\]/);
    assert.match(text('third-party'), /https:\/\/fonts\.example\.invalid\/tiny\.css/);
    assert.match(text('readable-text'), /font-size 12\.0 px/);
    assert.match(text('readable-text'), /line-height 1\.10/);
    assert.match(text('reflow'), /scrolls horizontally at 320 px.*Blocco troppo largo/);
    assert.match(text('focus-visible'), /Tab stop 1 a\[href="\/"\]/);
    assert.match(text('target-size'), /button "Ok" is \d+x\d+ px/);
    assert.match(text('target-size'), /card-link.*\(its card\)/);
    assert.match(text('no-js'), /0 \.step element\(s\), with JavaScript 2/);
    assert.match(text('contrast-aaa'), /contrast of 4\.5\d.*Expected contrast ratio of 7:1/);
    assert.match(text('broken-local'), /404 \/manca\.js/);
    assert.match(text('js-errors'), /funzioneCheNonEsiste/);
  });

  test('reused tabs give the same findings as fresh ones', { timeout: 120_000 }, async () => {
    const session = new Session(site.browser, site.origin);
    try {
      await auditPage(site, '/404.html', axeSource(), { session });
      const again = await auditPage(site, '/', axeSource(), { session });
      const key = (l) => l.map((x) => `${x.check} ${x.message}`).sort();
      assert.deepEqual(key(again), key(findings));
    } finally {
      await session.close();
    }
  });

  test('a page that does not load is reported, not skipped', async () => {
    const list = await auditPage(site, '/non-esiste/', axeSource());
    assert.ok(list.some((x) => x.check === 'page-load' && /HTTP status 404/.test(x.message)), formatFindings(list));
  });

  test('the Nu HTML Checker reports errors, with file and line', async () => {
    const files = (await listHtmlFiles(BAD)).map((f) => path.join(BAD, f));
    const errors = vnuErrors(await runVnu(files), BAD);
    assert.ok(errors.some((e) => /^index\.html:\d+:\d+: An “img” element must have an “alt” attribute/.test(e)), errors.join('\n'));
  });
});

describe('good fixture', () => {
  let site = null;

  before(async () => { site = await openSite({ dir: GOOD }); }, { timeout: 60_000 });
  after(async () => { if (site) await site.close(); });

  test('every check passes on every page', { timeout: 120_000 }, async () => {
    assert.deepEqual(site.pages.map((p) => p.path), ['/', '/guida/']);
    const axe = axeSource();
    const session = new Session(site.browser, site.origin);
    try {
      for (const p of site.pages) {
        const list = await auditPage(site, p.path, axe, { session });
        assert.equal(list.length, 0, formatFindings(list));
      }
    } finally {
      await session.close();
    }
  });

  test('the Nu HTML Checker finds no error', async () => {
    const files = (await listHtmlFiles(GOOD)).map((f) => path.join(GOOD, f));
    const errors = vnuErrors(await runVnu(files), GOOD);
    assert.deepEqual(errors, []);
  });
});

// The search page /cerca/ in Debian's Chromium: queries typed on the keyboard
// and their top result (accents, Italian word endings, synonyms from
// site.yaml, one typo), the live region, ?q= in the address, the A-Z list
// without JavaScript, and the index loaded on the search page only. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, newContext } from './lib/site.mjs';
import { PHONE } from './lib/checks.mjs';
import { tutorialSources } from './lib/content.mjs';

const SEARCH = '/cerca/';
const INDEX = /\/cerca\/indice\.json(\?|$)/;
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

// [what it shows, query, how to enter it, what the top result's title must match].
// 'type': typed key by key, then Enter; 'fill': filled in, then Enter. Enter
// runs a full search: while typing, the last word also matches as the start
// of a longer word, which would hide a broken stemmer or accent folding.
const QUERIES = [
  ['an accented word typed without its accent', 'identita', 'type', /SPID|CIE/],
  ['a singular for a plural ("truffe" in the guide)', 'truffa', 'type', /^Riconosci le truffe/],
  ['a plural for a singular ("avviso" in the guide)', 'avvisi', 'type', /pagoPA/i],
  ['a synonym from site.yaml that no guide says ("bollettino" = "avviso di pagamento")', 'bollettino', 'fill', /pagoPA/i],
  ['a synonym from site.yaml ("carta d\'identità" = "CIE"; the CIE guides also say it)', "carta d'identità", 'fill', /\bCIE\b/],
  ['a synonym from site.yaml that no guide says ("raggiro" = "truffa")', 'raggiro', 'type', /^Riconosci le truffe/],
  ['a synonym from site.yaml that no guide says ("telefonino" = "smartphone")', 'telefonino', 'type', /smartphone/i],
  ['a one-letter typo in a word of 5+ letters', 'fasciclo', 'type', /^Usa il Fascicolo del Cittadino$/],
  ['case does not matter', 'SpId', 'type', /SPID/],
];

describe('search in Chromium', () => {
  let site = null;
  let setupError = null;
  let ctx = null;
  let page = null;
  let indexRequests = [];

  before(async () => {
    try {
      site = await openSite();
      ctx = await newContext(site.browser, site.origin, { viewport: PHONE });
      ctx.context.on('request', (r) => { if (INDEX.test(r.url())) indexRequests.push(r.frame()?.url() || '?'); });
      page = await ctx.context.newPage();
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 10 * 60 * 1000 });

  after(async () => {
    if (ctx) await ctx.close();
    if (site) await site.close();
  });

  const ready = () => {
    if (setupError) assert.fail(`the site could not be built, served or opened: ${String(setupError.stack || setupError)}`);
  };

  /**
   * Enters q in the search box: 'type' types it key by key and presses Enter,
   * 'fill' fills it in and presses Enter, 'live' only types it (search as you
   * type). Waits for the announcement in the live region.
   */
  async function search(q, how) {
    await page.goto(site.origin + SEARCH, { waitUntil: 'load' });
    const box = page.locator('#q');
    if (how === 'fill') await box.fill(q);
    else {
      await box.click();
      await page.keyboard.type(q);
    }
    if (how !== 'live') await page.keyboard.press('Enter');
    // the live region speaks once the results are on the page
    await page.waitForFunction((want) => document.getElementById('search-status').textContent.includes(`«${want}»`), q, { timeout: 10_000 });
    return page.evaluate(() => ({
      status: document.getElementById('search-status').textContent.replace(/\s+/g, ' ').trim(),
      titles: [...document.querySelectorAll('#search-results > li')].map((li) => (li.querySelector('.result-title')?.textContent || '').replace(/\s+/g, ' ').trim()),
      links: [...document.querySelectorAll('#search-results > li a[href]')].map((a) => new URL(a.href).pathname),
      url: location.pathname + location.search,
    }));
  }

  for (const [what, q, how, want] of QUERIES) {
    test(`"${q}" (${how === 'type' ? 'typed' : 'filled in'}, then Enter): ${what}, top result matches ${want}`, async () => {
      ready();
      const r = await search(q, how);
      assert.ok(r.titles.length > 0, `no result for "${q}"; status: "${r.status}"`);
      assert.match(r.titles[0], want, `top result for "${q}" is "${r.titles[0]}"; all: ${r.titles.join(' | ')}`);
    });
  }

  test('"carta d\'identità": the two top results are both CIE guides', async () => {
    ready();
    const r = await search("carta d'identità", 'fill');
    assert.ok(r.titles.length >= 2, `fewer than 2 results: ${r.titles.join(' | ')}`);
    for (const t of r.titles.slice(0, 2)) assert.match(t, /\bCIE\b/, `results: ${r.titles.join(' | ')}`);
  });

  test('search as you type: results link to the guides and the live region announces their number', async () => {
    ready();
    const live = await page.goto(site.origin + SEARCH).then(() => page.evaluate(() => {
      const s = document.getElementById('search-status');
      return s && { role: s.getAttribute('role'), live: s.getAttribute('aria-live') };
    }));
    assert.ok(live, '#search-status is missing');
    assert.equal(live.role, 'status');
    assert.equal(live.live, 'polite');
    const r = await search('spid', 'live');
    const m = /^(\d+) risultati per «spid»/.exec(r.status);
    assert.ok(m, `status "${r.status}" does not say "N risultati per «spid»"`);
    assert.equal(Number(m[1]), r.titles.length, `status says ${m[1]} results, the list has ${r.titles.length}`);
    assert.ok(r.titles.length >= 2, 'want several results for "spid"');
    for (const l of r.links) assert.match(l, /^\/tutorial\/[^/]+\/$/, `result link ${l} is not a guide`);
    const none = await search('zzzqqq', 'fill');
    assert.equal(none.titles.length, 0);
    assert.match(none.status, /^Nessun risultato per «zzzqqq»/);
  });

  test('?q=spid in the address runs the search', async () => {
    ready();
    await page.goto(site.origin + SEARCH + '?q=spid', { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0, null, { timeout: 10_000 });
    const r = await page.evaluate(() => ({
      value: document.getElementById('q').value,
      top: document.querySelector('#search-results > li .result-title')?.textContent.trim(),
      azHidden: document.getElementById('search-az')?.hidden,
    }));
    assert.equal(r.value, 'spid');
    assert.equal(r.top, 'Attiva lo SPID');
    assert.equal(r.azHidden, true, 'the A-Z list is still shown under the results');
  });

  test('without JavaScript /cerca/ lists every tutorial of content/tutorial in #search-az', async () => {
    ready();
    const sources = await tutorialSources();
    assert.ok(sources.length > 0, 'no tutorial in content/tutorial');
    const nojs = await newContext(site.browser, site.origin, { viewport: PHONE, javaScriptEnabled: false });
    try {
      const p = await nojs.context.newPage();
      await p.goto(site.origin + SEARCH, { waitUntil: 'load' });
      const r = await p.evaluate(() => {
        const az = document.getElementById('search-az');
        const shown = (el) => el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
        return az && {
          shown: shown(az),
          guides: [...az.querySelectorAll('a[href]')].filter(shown)
            .map((a) => ({ path: new URL(a.href).pathname, title: a.textContent.replace(/\s+/g, ' ').trim() }))
            .filter((g) => /^\/tutorial\/[^/]+\/$/.test(g.path)),
        };
      });
      assert.ok(r, '#search-az is missing');
      assert.ok(r.shown, '#search-az is hidden without JavaScript');
      const paths = new Set(r.guides.map((g) => g.path));
      assert.equal(paths.size, sources.length,
        `#search-az links ${paths.size} guides, content/tutorial has ${sources.length} (${sources.map((s) => s.file).join(', ')})`);
      const titles = new Set(r.guides.map((g) => norm(g.title)));
      const missing = sources.filter((s) => s.title && !titles.has(norm(s.title))).map((s) => `${s.file} "${s.title}"`);
      assert.deepEqual(missing, [], `tutorials missing from #search-az: ${missing.join(', ')}`);
      // each guide listed answers
      for (const path of paths) {
        const resp = await p.request.get(site.origin + path);
        assert.equal(resp.status(), 200, `${path} answers ${resp.status()}`);
      }
    } finally {
      await nojs.close();
    }
  });

  test('the index /cerca/indice.json is loaded on the search page only', async () => {
    ready();
    indexRequests = [];
    for (const p of ['/', '/tutorial/', '/tutorial/attivare-spid/']) {
      await page.goto(site.origin + p, { waitUntil: 'networkidle' });
    }
    assert.deepEqual(indexRequests, [], `pages other than ${SEARCH} requested the index`);
    const r = await search('spid', 'live');
    assert.ok(r.titles.length > 0);
    assert.ok(indexRequests.length > 0, `${SEARCH} did not request the index`);
    assert.ok(indexRequests.every((u) => new URL(u).pathname === SEARCH), `index requested from ${indexRequests.join(', ')}`);
  });
});

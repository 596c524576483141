// Search at scale, in Chromium, on a built benchmark corpus (opt-in: run by
// benches/search_size.sh, which generates the corpus, copies the demo's real
// tutorials into it and builds it). Skipped unless SEARCH_SCALE_SITE is set.
//
//   SEARCH_SCALE_SITE    the built site folder (public/)
//   SEARCH_SCALE_REPORT  where to write the measured sizes as JSON (optional)
//   SEARCH_BUDGET_KB     what a phone may download for the search page plus
//                        a first search, gzipped (default 200)
//   SEARCH_HTML_KB       the search page's HTML, uncompressed (default 100)
//
// 1. Each real tutorial is the top result for a query that matches it only
//    through accent-free, stemmed, misspelt or multi-word forms.
// 2. What a phone downloads for /cerca/ and a first search, with an empty
//    cache: every response, sized as gzip -6 would send it (woff2 as is).
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { openSite, newContext } from './lib/site.mjs';
import { PHONE } from './lib/checks.mjs';

const DIR = process.env.SEARCH_SCALE_SITE;
const BUDGET = Number(process.env.SEARCH_BUDGET_KB || 200) * 1024;
const HTML_BUDGET = Number(process.env.SEARCH_HTML_KB || 100) * 1024;

// [query, how it differs from the guide's words, the guide].
const REAL = [
  ['attivazione identita spid', 'accent-free (identità), a noun for "attiva"', '/tutorial/attivare-spid/'],
  ['fasiccolo cittadino', 'two typos in a long word', '/tutorial/fascicolo-del-cittadino/'],
  ['pagare avvisi tari', 'plural and infinitive, several words', '/tutorial/pagare-avviso-pagopa/'],
  ['truffa telefonica', 'singular and an adjective for "truffe al telefono"', '/tutorial/riconoscere-truffe-online/'],
  ['iscirzione scuola', 'two typos in a long word, several words', '/tutorial/iscrizione-scuola-online/'],
  ['prenotre apuntamento cie', 'one typo in two words', '/tutorial/prenotare-cie/'],
  ['indirizzi emial', 'plural, and a typo', '/tutorial/creare-email/'],
  ['primo passo smartfone', 'singular, and a typo', '/tutorial/primi-passi-smartphone/'],
  ['segnalazione problemi comune', 'noun for verb, plural, several words', '/tutorial/segnalare-problema-comune/'],
  ['usando cieid', 'gerund for "usa"', '/tutorial/usare-cie-cieid/'],
];

// Typical first searches: a rare word, two words with two typos (typo
// chunks), a word in most pages (long postings, ten results).
const TYPICAL = ['spid', 'fasiccolo cittadino', 'treno'];

const gz = (file) => {
  const buf = fs.readFileSync(file);
  return { raw: buf.length, gzip: file.endsWith('.woff2') ? buf.length : zlib.gzipSync(buf, { level: 6 }).length };
};

describe('search at scale (benches/search_size.sh)', { skip: !DIR && 'SEARCH_SCALE_SITE is not set' }, () => {
  let site = null;
  const report = { site: DIR, queries: [] };

  before(async () => { site = await openSite({ dir: DIR }); }, { timeout: 10 * 60 * 1000 });
  after(async () => {
    if (process.env.SEARCH_SCALE_REPORT) fs.writeFileSync(process.env.SEARCH_SCALE_REPORT, JSON.stringify(report, null, 1));
    if (site) await site.close();
  });

  /** A fresh phone (empty cache) searches q; returns the results and every file it fetched. */
  async function firstSearch(q) {
    const ctx = await newContext(site.browser, site.origin, { viewport: PHONE });
    const fetched = [];
    ctx.context.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
    try {
      const page = await ctx.context.newPage();
      await page.goto(site.origin + '/cerca/', { waitUntil: 'load' });
      await page.locator('#q').click();
      await page.keyboard.type(q);
      await page.keyboard.press('Enter');
      await page.waitForFunction((want) => document.getElementById('search-status').textContent.includes(`«${want}»`), q, { timeout: 60_000 });
      const links = await page.evaluate(() => [...document.querySelectorAll('#search-results > li a[href]')].map((a) => new URL(a.href).pathname));
      const status = await page.evaluate(() => document.getElementById('search-status').textContent);
      assert.deepEqual(ctx.broken, [], 'every file answered');
      return { links, status, fetched };
    } finally {
      await ctx.close();
    }
  }

  for (const [q, how, want] of REAL) {
    test(`"${q}" (${how}) finds ${want} first`, async () => {
      const r = await firstSearch(q);
      assert.equal(r.links[0], want, `"${q}": ${r.status} ${r.links.slice(0, 5).join(' ')}`);
    });
  }

  for (const q of TYPICAL) {
    test(`a phone downloads at most ${BUDGET / 1024} KB (gzip) for the search page and a first search for "${q}"`, async () => {
      const r = await firstSearch(q);
      assert.ok(r.links.length > 0, r.status);
      const files = [...new Set(r.fetched)].map((p) => {
        const rel = decodeURIComponent(p).replace(/^\//, '');
        const file = path.join(DIR, rel.endsWith('/') || rel === '' ? rel + 'index.html' : rel);
        return { path: p, ...gz(file) };
      });
      const sum = (pred) => files.filter(pred).reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
      const row = {
        query: q,
        results: r.status,
        files: files.length,
        total: sum(() => true),
        html: sum((f) => f.path === '/cerca/'),
        index: sum((f) => f.path.startsWith('/cerca/indice')),
        indexFiles: files.filter((f) => f.path.startsWith('/cerca/indice')).length,
        rest: sum((f) => f.path !== '/cerca/' && !f.path.startsWith('/cerca/indice')),
        list: files,
      };
      report.queries.push(row);
      console.log(`# ${q}: ${row.files} files, ${(row.total.gzip / 1024).toFixed(1)} KB gzip (html ${(row.html.gzip / 1024).toFixed(1)}, index ${(row.index.gzip / 1024).toFixed(1)} in ${row.indexFiles} files, css/js/fonts ${(row.rest.gzip / 1024).toFixed(1)})`);
      assert.ok(row.html.raw <= HTML_BUDGET, `search page HTML ${row.html.raw} bytes > ${HTML_BUDGET}`);
      assert.ok(row.total.gzip <= BUDGET, `${row.total.gzip} bytes gzip > ${BUDGET}: ${files.map((f) => `${f.path} ${f.gzip}`).join(', ')}`);
    });
  }
});

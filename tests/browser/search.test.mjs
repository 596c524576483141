// The search page /cerca/ in Debian's Chromium, on the demo site built with
// its real index: queries typed on the keyboard and their top result
// (accents, Italian word endings, synonyms from site.yaml, one and two
// typos, several words), events and help desks by place and weekday, the
// kind and the excerpt of each result with the matched words in <mark>, the
// live region, ?q= in the address, "Mostra altri risultati", the browse
// links without JavaScript, and the index loaded on the search page only,
// a few chunks at a time. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, newContext, axeSource } from './lib/site.mjs';
import { PHONE, checkAxe, checkContrastEnhanced, formatFindings } from './lib/checks.mjs';

const SEARCH = '/cerca/';
const INDEX = /\/cerca\/indice(\.json|\/)/;
const norm = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

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
  ['a synonym from site.yaml that no guide says ("raggiro" = "truffa")', 'raggiro', 'type', /truffe/i],
  ['a synonym from site.yaml that no guide says ("telefonino" = "smartphone")', 'telefonino', 'type', /smartphone/i],
  ['a one-letter typo in a word of 5+ letters', 'fasciclo', 'type', /^Usa il Fascicolo del Cittadino$/],
  ['a two-letter typo in a word of 8+ letters ("fishing" for "phishing")', 'fishing', 'type', /truffe/i],
  ['a two-letter typo in a word of 8+ letters ("iscirzone" for "iscrizione")', 'iscirzone', 'type', /scuola/i],
  ['several words, one of them plural and without accents', 'pagare bollette tari', 'fill', /TARI/],
  ['several words, misspelt', 'prenotre apuntamento cie', 'fill', /^Prenota l'appuntamento per la CIE$/],
  ['case does not matter', 'SpId', 'type', /SPID/],
  ['a help desk by kind and weekday', 'sportello martedì', 'fill', /^Sportello digitale del martedì/],
  ['a help desk by weekday without its accent', 'sportello martedi', 'type', /^Sportello digitale del martedì/],
  ['an event by its neighbourhood', 'Niguarda', 'type', /Niguarda/],
  ['an event by a Municipio\'s place name', 'biblioteca lorenteggio', 'fill', /Lorenteggio/],
  ['a help desk by street', 'via padova', 'fill', /via Padova/],
  ['an event by a neighbourhood only site.yaml names ("Corvetto", Municipio 4)', 'corvetto', 'fill', /Calvairate/],
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
      ctx.context.on('request', (r) => { if (INDEX.test(r.url())) indexRequests.push({ url: r.url(), from: r.frame()?.url() || '?' }); });
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

  /** The results on the page, as a reader finds them. */
  const results = () => page.evaluate(() => ({
    status: document.getElementById('search-status').textContent.replace(/\s+/g, ' ').trim(),
    items: [...document.querySelectorAll('#search-results > li')].map((li) => ({
      title: (li.querySelector('.result-title')?.textContent || '').replace(/\s+/g, ' ').trim(),
      link: li.querySelector('a[href]') ? new URL(li.querySelector('a[href]').href).pathname : null,
      kind: li.querySelector('.card-meta .badge')?.textContent.trim() || '',
      meta: (li.querySelector('.card-meta')?.textContent || '').replace(/\s+/g, ' ').trim(),
      excerpt: (li.querySelector('.result-summary')?.textContent || '').replace(/\s+/g, ' ').trim(),
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
      excerptMarks: [...li.querySelectorAll('.result-summary mark')].map((m) => m.textContent),
    })),
    more: !document.getElementById('search-more').hidden,
    url: location.pathname + location.search,
  }));

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
    const r = await results();
    return { ...r, titles: r.items.map((i) => i.title), links: r.items.map((i) => i.link) };
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

  test('each result says what it is: guide, event, weekly help desk, diary entry', async () => {
    ready();
    const r = await search('calvairate', 'fill');
    const kinds = new Set(r.items.map((i) => i.kind));
    assert.ok(kinds.has('Evento') && kinds.has('Diario'), `kinds for "calvairate": ${[...kinds].join(', ')}`);
    for (const i of r.items) {
      if (i.kind === 'Evento') assert.match(i.link, /^\/eventi\/[^/]+\/$/);
      if (i.kind === 'Diario') assert.match(i.link, /^\/diario\/[^/]+\/$/);
    }
    const event = r.items.find((i) => i.kind === 'Evento');
    assert.match(event.meta, /Biblioteca Calvairate/, 'the event says where');
    assert.match(event.meta, /Municipio 4/);
    const desk = (await search('sportello martedì', 'fill')).items[0];
    assert.equal(desk.kind, 'Sportello settimanale');
    assert.match(desk.meta, /Ogni martedì, dalle 9:30/, 'the help desk says when');
    const guide = (await search('spid', 'fill')).items.find((i) => i.link === '/tutorial/attivare-spid/');
    assert.ok(guide, 'the SPID guide is a result');
    assert.equal(guide.kind, 'Guida');
  });

  test('the matched words are marked in titles and excerpts, and only those', async () => {
    ready();
    const r = await search('tessera sanitaria', 'fill');
    assert.ok(r.items.length > 0, r.status);
    const marked = r.items.flatMap((i) => i.excerptMarks.map(norm));
    assert.ok(marked.some((m) => /^(tessera|sanitaria)$/.test(m)), `no excerpt marks "tessera" or "sanitaria": ${JSON.stringify(r.items.slice(0, 3))}`);
    for (const i of r.items) for (const m of i.marks) assert.match(norm(m), /^(tessera|tessere|sanitari[ao]|sanitarie)$/, `"${m}" is marked in ${i.title}`);
    // a typo: the word found is marked
    const t = await search('fasciclo', 'type');
    const top = t.items[0];
    assert.ok(top.excerptMarks.length > 0 && top.marks.length > top.excerptMarks.length, `title and excerpt: ${JSON.stringify(top)}`);
    for (const m of top.marks) assert.equal(norm(m), 'fascicolo', JSON.stringify(top));
    // marks come from text, never from markup in the index
    const html = await page.evaluate(() => document.getElementById('search-results').innerHTML);
    assert.doesNotMatch(html, /<(script|img|iframe)/i);
  });

  test('search as you type: results link to pages and the live region announces their number', async () => {
    ready();
    const live = await page.goto(site.origin + SEARCH).then(() => page.evaluate(() => {
      const s = document.getElementById('search-status');
      return s && { role: s.getAttribute('role'), live: s.getAttribute('aria-live') };
    }));
    assert.ok(live, '#search-status is missing');
    assert.equal(live.role, 'status');
    assert.equal(live.live, 'polite');
    const r = await search('cie', 'live');
    const m = /^(\d+) risultat[io] per «cie»/.exec(r.status);
    assert.ok(m, `status "${r.status}" does not say "N risultati per «cie»"`);
    assert.equal(Math.min(Number(m[1]), 10), r.titles.length, `status says ${m[1]} results, the list has ${r.titles.length}`);
    assert.ok(r.titles.length >= 2, 'want several results for "cie"');
    for (const l of r.links) {
      assert.match(l, /^\/(tutorial|eventi|diario)\/[^/]+\/$|^\/[^/]+\/$/, `result link ${l}`);
      const resp = await page.request.get(site.origin + l);
      assert.equal(resp.status(), 200, `${l} answers ${resp.status()}`);
    }
    const none = await search('zzzqqq', 'fill');
    assert.equal(none.titles.length, 0);
    assert.match(none.status, /^Nessun risultato per «zzzqqq»/);
  });

  test('ten results at a time: "Mostra altri risultati" adds the next ones and moves focus to the first of them', async () => {
    ready();
    const r = await search('biblioteca', 'fill');
    const m = /^(\d+) risultati per «biblioteca»: ecco i primi 10/.exec(r.status);
    assert.ok(m, `status "${r.status}"`);
    const total = Number(m[1]);
    assert.ok(total > 10, `${total} results`);
    assert.equal(r.titles.length, 10);
    assert.ok(r.more, 'the button is shown');
    await page.getByRole('button', { name: 'Mostra altri risultati' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 10);
    const after = await results();
    assert.equal(after.items.length, Math.min(total, 20));
    assert.equal(after.more, total > 20);
    const focused = await page.evaluate(() => document.activeElement.closest('li') === document.querySelectorAll('#search-results > li')[10]);
    assert.ok(focused, 'focus is on the 11th result');
    assert.equal(new Set(after.items.map((i) => i.link)).size, after.items.length, 'no result twice');
  });

  test('results, marks, badges and the "Mostra altri risultati" button pass axe and AAA contrast', async () => {
    ready();
    const r = await search('biblioteca calvairate', 'fill');
    assert.ok(r.items.length > 0 && r.items.some((i) => i.marks.length > 0), r.status);
    const more = await search('biblioteca', 'fill');
    assert.ok(more.more, 'the button is shown');
    const axe = axeSource();
    const findings = [
      ...await checkAxe(page, SEARCH, axe, 'phone, results'),
      ...await checkContrastEnhanced(page, SEARCH, axe, 'phone, results'),
    ];
    assert.deepEqual(findings, [], formatFindings(findings));
  });

  test('?q=spid in the address runs the search', async () => {
    ready();
    await page.goto(site.origin + SEARCH + '?q=spid', { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0, null, { timeout: 10_000 });
    const r = await page.evaluate(() => ({
      value: document.getElementById('q').value,
      top: document.querySelector('#search-results > li .result-title')?.textContent.trim(),
      browseHidden: document.getElementById('search-browse')?.hidden,
    }));
    assert.equal(r.value, 'spid');
    assert.equal(r.top, 'Attiva lo SPID');
    assert.equal(r.browseHidden, true, 'the browse links are still shown under the results');
  });

  test('without JavaScript /cerca/ links the browse pages, not every page', async () => {
    ready();
    const nojs = await newContext(site.browser, site.origin, { viewport: PHONE, javaScriptEnabled: false });
    try {
      const p = await nojs.context.newPage();
      await p.goto(site.origin + SEARCH, { waitUntil: 'load' });
      const r = await p.evaluate(() => {
        const box = document.getElementById('search-browse');
        const shown = (el) => el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
        return box && {
          shown: shown(box),
          links: [...box.querySelectorAll('a[href]')].filter(shown).map((a) => new URL(a.href).pathname),
          noscript: [...document.querySelectorAll('noscript')].map((n) => n.textContent).join(' '),
        };
      });
      assert.ok(r, '#search-browse is missing');
      assert.ok(r.shown, '#search-browse is hidden without JavaScript');
      for (const want of ['/tutorial/', '/tutorial/livello/facile/', '/tutorial/livello/medio/', '/tutorial/livello/avanzato/', '/eventi/', '/municipi/', '/diario/']) {
        assert.ok(r.links.includes(want), `no visible link to ${want}: ${r.links.join(' ')}`);
      }
      assert.ok(r.links.some((l) => /^\/servizi\/[^/]+\/$/.test(l)), `no link to a service: ${r.links.join(' ')}`);
      const pages = r.links.filter((l) => /^\/(tutorial|eventi|diario)\/(?!livello\/)[^/]+\/$/.test(l));
      assert.deepEqual(pages, [], 'single pages are found through the browse pages');
      for (const l of new Set(r.links)) {
        const resp = await p.request.get(site.origin + l);
        assert.equal(resp.status(), 200, `${l} answers ${resp.status()}`);
      }
    } finally {
      await nojs.close();
    }
  });

  test('the index is loaded on the search page only, a few small files per search', async () => {
    ready();
    indexRequests = [];
    for (const p of ['/', '/tutorial/', '/tutorial/attivare-spid/']) {
      await page.goto(site.origin + p, { waitUntil: 'networkidle' });
    }
    assert.deepEqual(indexRequests, [], `pages other than ${SEARCH} requested the index`);
    const r = await search('spid', 'fill');
    assert.ok(r.titles.length > 0);
    assert.ok(indexRequests.length > 0, `${SEARCH} did not request the index`);
    assert.ok(indexRequests.every((u) => new URL(u.from).pathname === SEARCH), `index requested from ${indexRequests.map((u) => u.from).join(', ')}`);
    const files = indexRequests.map((u) => new URL(u.url).pathname);
    assert.equal(files.filter((f) => f === '/cerca/indice.json').length, 1, files.join(' '));
    assert.ok(files.some((f) => /^\/cerca\/indice\/t\d+\.json$/.test(f)), `no term chunk: ${files.join(' ')}`);
    assert.ok(files.some((f) => /^\/cerca\/indice\/d\d+\.json$/.test(f)), `no result chunk: ${files.join(' ')}`);
    assert.ok(!files.some((f) => /^\/cerca\/indice\/f\d+\.json$/.test(f)), `typo chunks for a word in the index: ${files.join(' ')}`);
    assert.ok(indexRequests.filter((u) => /\/indice\//.test(u.url)).every((u) => /\?v=[0-9a-f]{16}$/.test(u.url)), 'chunks are asked for with the index version');
  });
});

// Printing, in Debian's Chromium: every tutorial sheet, every booklet and the
// poster of every upcoming event of the demo are printed to PDF (A4, the
// page's own @page size) and the PDFs are read back with poppler-utils and
// zbarimg: page count, no menu or controls on paper, no text under 14 pt, the
// QR code leads to the page online, one guide per page in a booklet. The
// normal pages' print stylesheet is checked on one tutorial. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSite, newContext } from './lib/site.mjs';
import { gotoPage, DESKTOP, SKIP_LINK_TEXT, ACCESSIBILITY_LINK_TEXT } from './lib/checks.mjs';
import { pdfInfo, pdfPageTexts, pdfWords, decodeQr } from './lib/pdf.mjs';
import { siteBaseUrl, tutorialSources } from './lib/content.mjs';

const A4 = { width: 595.28, height: 841.89 }; // pt
const MIN_PT = 14;
const MIN_PX = (MIN_PT * 96) / 72; // 18.67 CSS px
const MAX_SHEET_PAGES = 2;
// A4 less the 15 mm margins of @page, in CSS px (96 per inch): 180 × 267 mm.
const A4_BOX = { width: 680, height: 1009 };
const NORMAL_PAGE = '/tutorial/attivare-spid/';

// Screen-only text that must never reach paper (the menu labels are read from the home page).
const SCREEN_ONLY = [
  SKIP_LINK_TEXT, 'Menu principale', 'Testo più grande', 'Alto contrasto',
  'Torna alla guida', "Torna all'evento", 'Torna alle guide', ACCESSIBILITY_LINK_TEXT,
  'Segnala un problema o un suggerimento', 'Stampa la scheda', 'Stampa la locandina', 'Stampa tutte le guide',
];
// ...and lines that must not be printed on their own (menu items, the Stampa button).
const SCREEN_ONLY_LINES = ['Stampa', 'Cerca'];

const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
// pdftotext drops the hyphen of a word broken at the end of a line and splits lines: compare without either.
const squash = (s) => (s || '').replace(/[\s\u00ad-]+/g, '');

describe('printing in Chromium', () => {
  let site = null;
  let ctx = null;
  let page = null;
  let tmp = null;
  let setupError = null;
  let baseUrl = '';
  let menu = [];
  let tutorials = [];
  const printed = new Map(); // path -> result of printOne()

  /**
   * Under print media, laid out at the width and height of an A4 page's
   * printable box: the elements of <main> whose content is taller or wider
   * than their box (scrollHeight > clientHeight), i.e. clipped or spilling.
   */
  async function overflowsAtA4() {
    const before = page.viewportSize();
    await page.setViewportSize(A4_BOX);
    const found = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('main, main *')) {
        if (el.closest('svg') || el.clientHeight === 0) continue;
        if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) {
          const name = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
          out.push(`${name} "${(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40)}": content ${el.scrollWidth}×${el.scrollHeight} px in a ${el.clientWidth}×${el.clientHeight} px box`);
        }
      }
      return out;
    });
    await page.setViewportSize(before);
    return found;
  }

  /** Prints `p` to PDF and reads everything the tests need from the page and the PDF. */
  async function printOne(p, kind) {
    const url = site.origin + p;
    const status = await gotoPage(page, url);
    const r = { path: p, kind, status };
    await page.emulateMedia({ media: 'screen' });
    r.screen = await page.evaluate(() => {
      const shown = (el) => el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
      return {
        text: document.body.innerText,
        buttons: [...document.querySelectorAll('button')].filter(shown).map((b) => b.textContent.trim()),
        navLinks: [...document.querySelectorAll('nav a')].filter(shown).map((a) => a.textContent.trim()),
        guideTitles: [...document.querySelectorAll('main .sheet-title')].map((h) => h.textContent.replace(/\s+/g, ' ').trim()),
        guideUrl: document.querySelector('.print-bar a.button')?.href || null,
      };
    });
    await page.emulateMedia({ media: 'print' });
    r.print = await page.evaluate(({ minPx }) => {
      const shown = (el) => el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\s+/).join('.');
        return `${s} "${(el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
      };
      const small = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (!shown(el)) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        const fs = parseFloat(getComputedStyle(el).fontSize);
        if (own && fs < minPx - 0.01) small.push(`${describe(el)}: ${(fs * 0.75).toFixed(1)} pt`);
        for (const pseudo of ['::before', '::after']) {
          const ps = getComputedStyle(el, pseudo);
          const content = ps.content;
          if (!content || content === 'none' || content === 'normal' || /^(""|'')$/.test(content) || ps.display === 'none') continue;
          const pfs = parseFloat(ps.fontSize);
          if (pfs < minPx - 0.01) small.push(`${describe(el)}${pseudo} ${content.slice(0, 40)}: ${(pfs * 0.75).toFixed(1)} pt`);
        }
      }
      // Height of the text box (ascent + descent) of 14 pt text in the fonts in use, in pt: what pdftotext -bbox reports for it.
      const probe = (weight) => {
        const s = document.createElement('span');
        s.textContent = 'Hxg';
        s.style.cssText = `font-size:${minPx}px;font-weight:${weight};line-height:normal;font-style:normal`;
        (document.querySelector('main') || document.body).appendChild(s);
        const h = s.getBoundingClientRect().height * 0.75;
        s.remove();
        return h;
      };
      const links = [...document.querySelectorAll('main .prose a[href]')].filter(shown)
        .filter((a) => !a.getAttribute('href').startsWith('#') && /^https?:$/.test(a.protocol))
        .map((a) => ({ text: a.textContent.replace(/\s+/g, ' ').trim(), href: a.href }));
      const title = document.querySelector('main h1')?.textContent.replace(/\s+/g, ' ').trim() || '';
      const place = document.querySelector('.poster-where')?.textContent.replace(/\s+/g, ' ').trim() || '';
      return { small, box14: Math.min(probe(400), probe(700)), links, title, place };
    }, { minPx: MIN_PX });
    r.overflows = await overflowsAtA4();
    r.file = path.join(tmp, p.replace(/[^a-z0-9]+/gi, '_') + '.pdf');
    await fsp.writeFile(r.file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await page.emulateMedia({ media: 'screen' });
    r.info = await pdfInfo(r.file);
    r.texts = await pdfPageTexts(r.file);
    r.text = r.texts.join('\n');
    r.words = await pdfWords(r.file);
    if (kind === 'sheet' || kind === 'poster') r.qr = await decodeQr(r.file, { page: 1, dpi: 150 });
    return r;
  }

  before(async () => {
    try {
      site = await openSite();
      tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pillole-print-'));
      baseUrl = siteBaseUrl();
      tutorials = await tutorialSources();
      ctx = await newContext(site.browser, site.origin, { viewport: DESKTOP });
      page = await ctx.context.newPage();

      await gotoPage(page, site.origin + '/');
      menu = await page.evaluate(() => [...document.querySelectorAll('nav[aria-label="Menu principale"] a')]
        .map((a) => a.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean));

      // upcoming events: the ones the events page lists
      await gotoPage(page, site.origin + '/eventi/');
      const events = await page.evaluate(() => [...new Set([...document.querySelectorAll('main a[href]')]
        .map((a) => new URL(a.href).pathname)
        .filter((p) => /^\/eventi\/[^/]+\/$/.test(p) && p !== '/eventi/archivio/'))]);

      const paths = site.pages.map((p) => p.path);
      const jobs = [
        ...paths.filter((p) => /^\/tutorial\/[^/]+\/stampa\/$/.test(p)).map((p) => [p, 'sheet']),
        ...events.map((e) => [e + 'locandina/', 'poster']),
        ...paths.filter((p) => /^\/servizi\/[^/]+\/stampa\/$/.test(p)).map((p) => [p, 'booklet']),
        [NORMAL_PAGE, 'normal'],
      ];
      for (const [p, kind] of jobs) printed.set(p, await printOne(p, kind));
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 30 * 60 * 1000 });

  after(async () => {
    if (ctx) await ctx.close();
    if (site) await site.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  const ready = () => {
    if (setupError) assert.fail(`the pages could not be printed: ${String(setupError.stack || setupError)}`);
  };
  const of = (...kinds) => [...printed.values()].filter((r) => kinds.includes(r.kind));
  const report = (problems, what) => {
    if (problems.length) assert.fail(`${what}\n${problems.map((x) => '  ' + x).join('\n')}`);
  };

  test('every tutorial has a print sheet, and there are posters and booklets to print', () => {
    ready();
    const sheets = of('sheet');
    assert.equal(sheets.length, tutorials.length,
      `${sheets.length} print sheets for ${tutorials.length} tutorials in content/tutorial: ` +
      sheets.map((r) => r.path).join(', '));
    assert.ok(of('poster').length > 0, 'the events page lists no upcoming event: no poster to print');
    assert.ok(of('booklet').length > 0, 'no booklet (/servizi/<slug>/stampa/) found');
    const bad = [...printed.values()].filter((r) => r.status !== 200).map((r) => `${r.path}: HTTP ${r.status}`);
    report(bad, 'print pages that do not answer 200:');
  });

  test('every PDF is A4 portrait', () => {
    ready();
    const bad = [...printed.values()]
      .filter((r) => Math.abs(r.info.width - A4.width) > 2 || Math.abs(r.info.height - A4.height) > 2)
      .map((r) => `${r.path}: ${r.info.width} x ${r.info.height} pt`);
    report(bad, `PDF pages not A4 (${A4.width} x ${A4.height} pt):`);
  });

  test(`every tutorial sheet prints on at most ${MAX_SHEET_PAGES} pages`, () => {
    ready();
    const bad = of('sheet').filter((r) => !(r.info.pages >= 1 && r.info.pages <= MAX_SHEET_PAGES))
      .map((r) => `${r.path}: ${r.info.pages} pages`);
    report(bad, `sheets over ${MAX_SHEET_PAGES} pages:`);
  });

  test('every poster of an upcoming event prints on exactly 1 page', () => {
    ready();
    const bad = of('poster').filter((r) => r.info.pages !== 1).map((r) => `${r.path}: ${r.info.pages} pages`);
    report(bad, 'posters not on one page:');
  });

  test('no element of a sheet, booklet or poster overflows its box at A4 (scrollHeight <= clientHeight)', () => {
    ready();
    const bad = of('sheet', 'poster', 'booklet').flatMap((r) => r.overflows.map((o) => `${r.path}: ${o}`));
    report(bad, 'content larger than its box:');
  });

  test('the poster with the longest title, given a 200-character title, is clipped nowhere and prints whole', async () => {
    ready();
    const posters = of('poster');
    assert.ok(posters.length > 0, 'no poster');
    // The demo's longest title, then one of 200 characters in its place
    // (the class the poster template gives titles over 120 characters).
    const longest = posters.map((r) => ({ r, title: r.print.title || '' })).sort((a, b) => b.title.length - a.title.length)[0].r;
    await gotoPage(page, site.origin + longest.path);
    await page.emulateMedia({ media: 'print' });
    const title = ('Incontro per imparare a usare i servizi pubblici digitali con calma, un passo alla volta, ' +
      'insieme ai volontari della biblioteca di quartiere, ').repeat(2).slice(0, 200);
    await page.evaluate((t) => {
      const h1 = document.querySelector('h1.poster-title');
      h1.textContent = t;
      h1.className = 'poster-title longer';
    }, title);
    const overflows = await overflowsAtA4();
    report(overflows.map((o) => `${longest.path} (200-character title): ${o}`), 'content larger than its box:');
    const file = path.join(tmp, 'long-title.pdf');
    await fsp.writeFile(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await page.emulateMedia({ media: 'screen' });
    const printedText = (await pdfPageTexts(file)).join('\n');
    assert.ok(squash(printedText).includes(squash(title)), `the title is not all on paper:\n${printedText}`);
    for (const line of [longest.print.place || ''].filter(Boolean)) {
      assert.ok(squash(printedText).includes(squash(line)), `"${line}" is not on paper`);
    }
  });

  test('the print pages show a way back and a Stampa button on screen', () => {
    ready();
    const bad = [];
    for (const r of of('sheet', 'poster', 'booklet')) {
      if (!r.screen.buttons.includes('Stampa')) bad.push(`${r.path}: no visible "Stampa" button on screen`);
      if (!/^Torna /m.test(r.screen.text)) bad.push(`${r.path}: no "Torna ..." link on screen`);
      if (!r.screen.text.includes(ACCESSIBILITY_LINK_TEXT)) bad.push(`${r.path}: no "${ACCESSIBILITY_LINK_TEXT}" on screen`);
    }
    report(bad, 'print pages without their screen controls (the next test would prove nothing):');
  });

  test('menu, controls, skip link and page footer are not printed', () => {
    ready();
    assert.ok(menu.length > 0, 'no nav[aria-label="Menu principale"] links found on the home page');
    const bad = [];
    for (const r of printed.values()) {
      const text = norm(r.text);
      for (const s of SCREEN_ONLY) if (text.includes(s)) bad.push(`${r.path}: "${s}" is printed`);
      const lines = new Set(r.text.split('\n').map(norm));
      for (const s of [...menu, ...SCREEN_ONLY_LINES]) if (lines.has(s)) bad.push(`${r.path}: "${s}" is printed on a line of its own`);
    }
    report(bad, 'screen-only text on paper:');
  });

  test(`the smallest text on a sheet, booklet or poster is at least ${MIN_PT} pt (computed style under print media)`, () => {
    ready();
    const bad = of('sheet', 'poster', 'booklet').flatMap((r) => r.print.small.slice(0, 5).map((m) => `${r.path}: ${m}`));
    report(bad, `text under ${MIN_PT} pt (${MIN_PX.toFixed(2)} px):`);
  });

  test(`the smallest text on a sheet, booklet or poster is at least ${MIN_PT} pt (word boxes in the PDF)`, () => {
    ready();
    const bad = [];
    for (const r of of('sheet', 'poster', 'booklet')) {
      // a 14 pt word has a box r.print.box14 pt high; a PDF shrunk to fit the page would have smaller ones
      assert.ok(r.print.box14 > MIN_PT, `${r.path}: could not measure the text box of ${MIN_PT} pt text`);
      const words = r.words.filter((w) => /[\p{L}\p{N}]/u.test(w.text));
      assert.ok(words.length > 10, `${r.path}: pdftotext -bbox found ${words.length} words`);
      const small = words.filter((w) => w.height < r.print.box14 - 0.3);
      if (small.length) {
        const min = small.reduce((a, b) => (a.height <= b.height ? a : b));
        bad.push(`${r.path}: ${small.length} word(s) smaller than ${MIN_PT} pt, e.g. "${min.text}" on page ${min.page} ` +
          `(box ${min.height.toFixed(1)} pt high, ${MIN_PT} pt text gives ${r.print.box14.toFixed(1)} pt)`);
      }
    }
    report(bad, `printed words under ${MIN_PT} pt:`);
  });

  test('the QR code on page 1 of each sheet and poster decodes to the absolute address of its page', () => {
    ready();
    const bad = [];
    for (const r of of('sheet', 'poster')) {
      const guide = r.path.replace(/(stampa|locandina)\/$/, '');
      const want = baseUrl + guide;
      if (r.kind === 'poster') {
        if (r.qr.length !== 1 || r.qr[0] !== want) bad.push(`${r.path}: decoded ${JSON.stringify(r.qr)} (want ["${want}"])`);
      } else if (!r.qr.includes(want)) bad.push(`${r.path}: decoded ${JSON.stringify(r.qr)} (want "${want}" among them)`);
      if (r.screen.guideUrl && new URL(r.screen.guideUrl).pathname !== guide) {
        bad.push(`${r.path}: the "Torna" link goes to ${r.screen.guideUrl} (want ${guide})`);
      }
    }
    report(bad, 'QR codes that do not lead to the page online (pdftoppm -r 150, zbarimg):');
  });

  test('a booklet starts each guide at the top of a new page', () => {
    ready();
    const bad = [];
    for (const r of of('booklet')) {
      const titles = r.screen.guideTitles;
      if (!titles.length) { bad.push(`${r.path}: no guide (.sheet-title) in the booklet`); continue; }
      if (r.info.pages < titles.length) bad.push(`${r.path}: ${r.info.pages} pages for ${titles.length} guides`);
      // the first non-empty lines of each page: where a guide must begin
      const tops = r.texts.map((t) => squash(t.split('\n').map(norm).filter(Boolean).slice(0, 4).join(' ')));
      let last = -1;
      for (const title of titles) {
        const at = tops.findIndex((top, i) => i > last && top.includes(squash(title)));
        if (at < 0) bad.push(`${r.path}: "${title}" does not begin a page after page ${last + 1}`);
        else last = at;
      }
    }
    report(bad, 'booklets whose guides do not each begin a page:');
  });

  test(`a normal page (${NORMAL_PAGE}) has its menu on screen and its steps on paper`, () => {
    ready();
    const r = printed.get(NORMAL_PAGE);
    assert.ok(r, `${NORMAL_PAGE} was not printed`);
    // the menu is there on screen, so its absence on paper (test above) is the print stylesheet's doing
    for (const item of menu) assert.ok(r.screen.navLinks.includes(item), `"${item}" is not in the menu of ${NORMAL_PAGE} on screen`);
    assert.ok(r.text.includes('Passo 1 di'), `${NORMAL_PAGE}: the steps are not printed`);
  });

  /** Links of r's text whose online address is not printed. */
  const unprinted = (r) => {
    const text = squash(r.text);
    const out = [];
    for (const l of r.print.links) {
      const u = new URL(l.href);
      // a link within the site is printed with the address it has online (scheme optional)
      const online = u.origin === site.origin ? new URL(u.pathname + u.search + u.hash, baseUrl + '/') : u;
      const host = online.host + online.pathname + online.search + online.hash;
      if (!text.includes(squash(host))) out.push(`${r.path}: link "${l.text}": "${host}" is not printed`);
    }
    return out;
  };

  test(`a normal page (${NORMAL_PAGE}) prints the address of each link in its text`, () => {
    ready();
    const r = printed.get(NORMAL_PAGE);
    assert.ok(r, `${NORMAL_PAGE} was not printed`);
    assert.ok(r.print.links.length > 0, `${NORMAL_PAGE} has no link in its text: nothing to check`);
    report(unprinted(r), 'links printed without their address:');
  });

  test('sheets and booklets print the address of each link in their text', () => {
    ready();
    const list = of('sheet', 'booklet');
    assert.ok(list.some((r) => r.print.links.length > 0), 'no sheet or booklet has a link in its text: nothing to check');
    report(list.flatMap(unprinted), 'links printed without their address:');
  });

  test('without JavaScript a print page has no Stampa button (it could not work)', async () => {
    ready();
    const nojs = await newContext(site.browser, site.origin, { viewport: DESKTOP, javaScriptEnabled: false });
    try {
      const p = await nojs.context.newPage();
      for (const r of [of('sheet')[0], of('poster')[0]]) {
        await p.goto(site.origin + r.path, { waitUntil: 'load' });
        const buttons = await p.evaluate(() => [...document.querySelectorAll('button')].map((b) => b.textContent.trim()));
        assert.deepEqual(buttons, [], `${r.path} without JavaScript has buttons: ${buttons.join(', ')}`);
        assert.ok(await p.locator('main .qr svg').count() > 0, `${r.path} without JavaScript has no QR code`);
      }
    } finally {
      await nojs.close();
    }
  });
});

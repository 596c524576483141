// A phone's first screen, in Debian's Chromium at 360 × 800: the header is
// one line (site name, "Aspetto", "Menu"), the page's own h1 is on the first
// screen of every kind of page with normal and with larger text, the first
// guide of the home page is within one screen of scrolling, and the menu
// opens with and without JavaScript. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, newContext } from './lib/site.mjs';
import { gotoPage } from './lib/checks.mjs';

const PHONE = { width: 360, height: 800 };

// One page of every kind the site makes (print pages have no header).
const KINDS = {
  home: '/',
  tutorial: '/tutorial/attivare-spid/',
  'tutorial list': '/tutorial/',
  service: '/servizi/spid/',
  event: '/eventi/incontro-email-municipio-7/',
  events: '/eventi/',
  'diary entry': '/diario/tappa-municipio-4-calvairate/',
  diary: '/diario/',
  municipi: '/municipi/',
  municipio: '/municipi/municipio-4/',
  page: '/chi-siamo/',
  search: '/cerca/',
};

describe('a phone\'s first screen in Chromium', () => {
  let site = null;
  let setupError = null;
  // [text size][page kind] -> { h1Bottom, firstGuideTop }
  const seen = { normal: {}, larger: {} };

  before(async () => {
    try {
      site = await openSite();
      for (const size of ['normal', 'larger']) {
        const ctx = await newContext(site.browser, site.origin, { viewport: PHONE });
        if (size === 'larger') await ctx.context.addInitScript(() => localStorage.setItem('pillole-text', '1'));
        const page = await ctx.context.newPage();
        for (const [kind, path] of Object.entries(KINDS)) {
          const status = await gotoPage(page, site.origin + path);
          seen[size][kind] = await page.evaluate(() => {
            const h1 = document.querySelector('main h1');
            const guide = document.querySelector('main .card-tutorial');
            return {
              large: document.documentElement.classList.contains('text-large'),
              h1Bottom: h1 ? h1.getBoundingClientRect().bottom + window.scrollY : null,
              firstGuideTop: guide ? guide.getBoundingClientRect().top + window.scrollY : null,
            };
          });
          seen[size][kind].status = status;
        }
        await ctx.close();
      }
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 10 * 60 * 1000 });

  after(async () => {
    if (site) await site.close();
  });

  const ready = () => {
    if (setupError) assert.fail(`the site could not be built, served or opened: ${String(setupError.stack || setupError)}`);
  };

  for (const size of ['normal', 'larger']) {
    test(`the h1 of every kind of page is on the first screen at 360 × 800 (${size} text)`, () => {
      ready();
      const bad = [];
      for (const [kind, r] of Object.entries(seen[size])) {
        if (r.status !== 200) bad.push(`${kind} (${KINDS[kind]}): HTTP ${r.status}`);
        else if (r.large !== (size === 'larger')) bad.push(`${kind}: larger text is ${r.large ? 'on' : 'off'}`);
        else if (r.h1Bottom === null) bad.push(`${kind}: no h1 in main`);
        else if (r.h1Bottom > PHONE.height) bad.push(`${kind}: the h1 ends at ${Math.round(r.h1Bottom)} px`);
      }
      if (bad.length) assert.fail(bad.join('\n'));
    });

    test(`the home page's first guide is within one screen of scrolling (${size} text)`, () => {
      ready();
      const top = seen[size].home.firstGuideTop;
      assert.ok(top !== null, 'no guide card on the home page');
      assert.ok(top < 2 * PHONE.height, `the first guide starts at ${Math.round(top)} px (two screens: ${2 * PHONE.height} px)`);
    });
  }

  for (const js of [true, false]) {
    test(`the menu opens ${js ? 'with' : 'without'} JavaScript and leads to the menu's pages`, async () => {
      ready();
      const ctx = await newContext(site.browser, site.origin, { viewport: PHONE, javaScriptEnabled: js });
      try {
        const page = await ctx.context.newPage();
        await gotoPage(page, site.origin + '/tutorial/attivare-spid/');
        const nav = page.locator('nav[aria-label="Menu principale"]');
        assert.equal(await nav.isVisible(), false, 'the menu is open before it is asked for');
        const button = page.locator('details.menu > summary');
        assert.equal((await button.textContent()).trim(), 'Menu');
        await button.click();
        assert.equal(await nav.isVisible(), true, 'the menu does not open');
        const links = await nav.locator('a').evaluateAll((as) => as.map((a) => a.textContent.trim()));
        assert.ok(links.includes('Tutorial') && links.includes('Cerca'), `menu links: ${links}`);
        // Keyboard: the button is reached with Tab and closes with Enter.
        await button.focus();
        await page.keyboard.press('Enter');
        assert.equal(await nav.isVisible(), false, 'Enter does not close the menu');
        // "Aspetto" (larger text, contrast) needs JavaScript: it is there only with it.
        assert.equal(await page.locator('details.appearance > summary').isVisible(), js);
      } finally {
        await ctx.close();
      }
    });
  }

  test('on a wide screen the menu is open without being asked for', async () => {
    ready();
    for (const js of [true, false]) {
      const ctx = await newContext(site.browser, site.origin, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: js });
      try {
        const page = await ctx.context.newPage();
        await gotoPage(page, site.origin + '/tutorial/');
        assert.equal(await page.locator('nav[aria-label="Menu principale"]').isVisible(), true, `JavaScript ${js ? 'on' : 'off'}`);
        assert.equal(await page.locator('details.menu > summary').isVisible(), false, `JavaScript ${js ? 'on' : 'off'}`);
      } finally {
        await ctx.close();
      }
    }
  });

  test('the site description is on the home page only', async () => {
    ready();
    const ctx = await newContext(site.browser, site.origin, { viewport: PHONE });
    try {
      const page = await ctx.context.newPage();
      await gotoPage(page, site.origin + '/');
      const home = await page.locator('.site-tagline').count();
      await gotoPage(page, site.origin + '/tutorial/attivare-spid/');
      const tutorial = await page.locator('.site-tagline').count();
      assert.deepEqual([home, tutorial], [1, 0]);
    } finally {
      await ctx.close();
    }
  });
});

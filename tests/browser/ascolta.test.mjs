// "Ascolta" and "Un passo alla volta" in Debian's Chromium. What pillole
// asks of the browser's speech synthesis is read through the browser's own
// API: window.speechSynthesis.speak and cancel are watched (each call and
// its utterance recorded; speak does not play, as a test machine has no
// voice to play with). See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, newContext } from './lib/site.mjs';
import { gotoPage } from './lib/checks.mjs';

const TUTORIAL = '/tutorial/attivare-spid/';
const EVENT = '/eventi/incontro-email-municipio-7/';
const PHONE = { width: 360, height: 800 };

/** Records every call to speechSynthesis.speak / cancel in window.__spoken. */
function watchSpeech() {
  window.__spoken = [];
  const synth = window.speechSynthesis;
  if (!synth) return;
  synth.speak = (u) => window.__spoken.push({ call: 'speak', text: u.text, lang: u.lang });
  synth.cancel = () => window.__spoken.push({ call: 'cancel' });
}

describe('reading aloud and one step at a time in Chromium', () => {
  let site = null;
  let setupError = null;

  before(async () => {
    try {
      site = await openSite();
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

  async function open(path, { speech = true, js = true } = {}) {
    const ctx = await newContext(site.browser, site.origin, { viewport: PHONE, javaScriptEnabled: js });
    if (speech) await ctx.context.addInitScript(watchSpeech);
    else await ctx.context.addInitScript(() => Object.defineProperty(window, 'speechSynthesis', { value: undefined }));
    const page = await ctx.context.newPage();
    await gotoPage(page, site.origin + path);
    return { ctx, page };
  }

  test('"Ascolta" on a step reads that step in the page\'s language, and stops', async () => {
    ready();
    const { ctx, page } = await open(TUTORIAL);
    try {
      const steps = page.locator('ol.steps > li.step');
      const n = await steps.count();
      assert.ok(n > 1, 'the tutorial has steps');
      assert.equal(await page.locator('li.step .speak-play').count(), n, 'one "Ascolta" per step');
      const second = steps.nth(1);
      const title = (await second.locator('.step-title').textContent()).trim();
      const firstWords = (await second.locator('.prose p').first().textContent()).trim().split(/\s+/).slice(0, 4).join(' ');
      await second.locator('.speak-play').click();
      const spoken = await page.evaluate(() => window.__spoken);
      const said = spoken.filter((s) => s.call === 'speak');
      assert.equal(said.length, 1, JSON.stringify(spoken));
      assert.equal(said[0].lang, await page.evaluate(() => document.documentElement.lang));
      assert.ok(said[0].text.includes(title) && said[0].text.includes(firstWords), said[0].text);
      // Only that step: not the title of the next one.
      const third = (await steps.nth(2).locator('.step-title').textContent()).trim();
      assert.ok(!said[0].text.includes(third), said[0].text);
      // It shows which step is read, and "Ferma" stops it.
      assert.equal(await second.evaluate((li) => li.classList.contains('reading')), true);
      const stop = second.locator('.speak-play');
      assert.equal((await stop.textContent()).trim(), 'Ferma');
      assert.equal(await stop.getAttribute('aria-pressed'), 'true');
      await stop.focus();
      await page.keyboard.press('Enter');
      const after = await page.evaluate(() => window.__spoken);
      assert.equal(after.filter((s) => s.call === 'speak').length, 1, 'stopping does not speak again');
      assert.equal(after.at(-1).call, 'cancel');
      assert.equal((await stop.textContent()).trim(), 'Ascolta');
      assert.equal(await second.evaluate((li) => li.classList.contains('reading')), false);
    } finally {
      await ctx.close();
    }
  });

  test('"Ascolta" on an event reads the event: its state, when and where', async () => {
    ready();
    const { ctx, page } = await open(EVENT);
    try {
      assert.equal(await page.locator('article.event .speak-play').count(), 1);
      await page.locator('article.event .speak-play').click();
      const said = (await page.evaluate(() => window.__spoken)).filter((s) => s.call === 'speak');
      assert.equal(said.length, 1);
      for (const part of ['Annullato', 'Biblioteca Baggio']) assert.ok(said[0].text.includes(part), `${part}: ${said[0].text}`);
      assert.ok(!said[0].text.includes('Ascolta'), said[0].text);
    } finally {
      await ctx.close();
    }
  });

  test('without speech synthesis, or without JavaScript, there is no "Ascolta"', async () => {
    ready();
    for (const opts of [{ speech: false }, { js: false }]) {
      const { ctx, page } = await open(TUTORIAL, opts);
      try {
        assert.equal(await page.locator('.speak-play').count(), 0, JSON.stringify(opts));
      } finally {
        await ctx.close();
      }
    }
  });

  test('"Un passo alla volta" shows one step, moves with the keyboard and says which step', async () => {
    ready();
    const { ctx, page } = await open(TUTORIAL);
    try {
      const visible = () => page.locator('ol.steps > li.step').evaluateAll((lis) => lis.map((li) => li.checkVisibility()));
      const count = page.locator('.one-step-count');
      const toggle = page.locator('.one-step-toggle');
      await toggle.focus();
      await page.keyboard.press('Enter');
      let shown = await visible();
      assert.deepEqual(shown.map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [0]);
      assert.equal(await count.getAttribute('aria-live'), 'polite');
      assert.equal((await count.textContent()).trim(), `Passo 1 di ${shown.length}`);
      // The arrow keys move; the focus goes to the step's title.
      await page.keyboard.press('ArrowRight');
      shown = await visible();
      assert.equal(shown.indexOf(true), 1);
      assert.equal((await count.textContent()).trim(), `Passo 2 di ${shown.length}`);
      assert.equal(await page.evaluate(() => document.activeElement.closest('li.step')?.id), await page.locator('ol.steps > li.step').nth(1).getAttribute('id'));
      // "Avanti" and "Indietro" with Tab and Enter.
      await page.locator('.one-step-next').focus();
      await page.keyboard.press('Enter');
      assert.equal((await visible()).indexOf(true), 2);
      await page.locator('.one-step-back').focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      assert.equal((await visible()).indexOf(true), 0);
      assert.equal(await page.locator('.one-step-back').isDisabled(), true, '"Indietro" on the first step');
      // Back to every step.
      await toggle.click();
      assert.ok((await visible()).every(Boolean));
      assert.equal(await page.locator('.one-step-bar').isVisible(), false);
    } finally {
      await ctx.close();
    }
  });
});

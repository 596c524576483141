// Little data, in Debian's Chromium: a tutorial with a 3000 × 2000 photo (made
// by Chromium itself, a JPEG of gradients and grain) is built into a
// temporary folder; at a 360 px viewport the phone downloads a fraction of
// the photo's bytes, and every page of the demo weighs at most 250 KB.
// See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSite, newContext, launchBrowser, REPO, NOW } from './lib/site.mjs';
import { gotoPage } from './lib/checks.mjs';

const BIN = process.env.PILLOLE_BIN || path.join(REPO, 'target', 'release', 'pillole');
const MAX_PAGE_BYTES = 250 * 1024;

function build(root, out) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['build', '--root', root, '--output', out, '--now', NOW], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`build failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

/** Bytes each response of `page` brings while `action` runs, by path. */
async function downloads(page, action) {
  const sizes = new Map();
  const on = async (resp) => {
    try {
      const body = await resp.body();
      sizes.set(new URL(resp.url()).pathname, body.length);
    } catch { /* a redirect has no body */ }
  };
  page.on('response', on);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('response', on);
  return sizes;
}

describe('little data in Chromium', () => {
  let tmp = null;
  let photo = null;
  let site = null;
  let demo = null;
  let setupError = null;

  before(async () => {
    try {
      tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pillole-images-'));
      // The photo, drawn and encoded by Chromium.
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        const b64 = await page.evaluate(async () => {
          const c = new OffscreenCanvas(3000, 2000);
          const g = c.getContext('2d');
          const grad = g.createLinearGradient(0, 0, 3000, 2000);
          grad.addColorStop(0, '#3a6ea5');
          grad.addColorStop(1, '#f2c200');
          g.fillStyle = grad;
          g.fillRect(0, 0, 3000, 2000);
          const px = g.getImageData(0, 0, 3000, 2000);
          let seed = 7;
          for (let i = 0; i < px.data.length; i += 4) {
            seed = (seed * 1103515245 + 12345) & 0x7fffffff;
            const n = (seed >> 16) % 40 - 20;
            px.data[i] += n; px.data[i + 1] += n; px.data[i + 2] += n;
          }
          g.putImageData(px, 0, 0);
          const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let s = '';
          for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(s);
        });
        photo = Buffer.from(b64, 'base64');
      } finally {
        await browser.close();
      }
      const root = path.join(tmp, 'site');
      await fsp.mkdir(path.join(root, 'content', 'tutorial', 'foto'), { recursive: true });
      await fsp.writeFile(path.join(root, 'site.yaml'), 'title: "Prova"\nbase_url: "https://example.org"\nfeedback: {email: a@example.org}\n');
      await fsp.writeFile(path.join(root, 'content', '_index.md'), '---\ntitle: "Prova"\n---\n\nCiao.\n');
      await fsp.writeFile(path.join(root, 'content', 'tutorial', 'foto', 'foto.jpg'), photo);
      await fsp.writeFile(path.join(root, 'content', 'tutorial', 'foto', 'index.md'),
        '---\ntitle: "Una guida con una foto"\nsummary: "Prova."\n---\n\n![Il tavolo dello sportello con due volontari](foto.jpg)\n\n## Un passo\n\nFai così.\n');
      await build(root, path.join(tmp, 'out'));
      site = await openSite({ dir: path.join(tmp, 'out') });
      demo = await openSite({ browser: false });
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 10 * 60 * 1000 });

  after(async () => {
    if (site) await site.close();
    if (demo) await demo.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  const ready = () => {
    if (setupError) assert.fail(`the sites could not be built, served or opened: ${String(setupError.stack || setupError)}`);
  };

  for (const scale of [1, 2]) {
    test(`at 360 px (${scale} pixel${scale > 1 ? 's' : ''} per point) the photo costs at most 25% of its bytes`, async (t) => {
      ready();
      const ctx = await newContext(site.browser, site.origin, { viewport: { width: 360, height: 800 }, deviceScaleFactor: scale });
      try {
        const page = await ctx.context.newPage();
        const sizes = await downloads(page, async () => {
          await gotoPage(page, site.origin + '/tutorial/foto/');
          await page.locator('main img').scrollIntoViewIfNeeded();
          await page.waitForFunction(() => document.querySelector('main img').complete);
        });
        const taken = [...sizes].filter(([p]) => p.startsWith('/tutorial/foto/foto'));
        assert.equal(taken.length, 1, `photo files downloaded: ${JSON.stringify(taken)}`);
        const [file, bytes] = taken[0];
        assert.notEqual(file, '/tutorial/foto/foto.jpg', 'the original was downloaded');
        t.diagnostic(`${file}: ${bytes} bytes of the original's ${photo.length} (${(100 * bytes / photo.length).toFixed(1)}%)`);
        assert.ok(bytes <= photo.length * 0.25, `${file}: ${bytes} bytes of ${photo.length}`);
        // Sharp still: the copy has the pixels the screen shows it with.
        const [src, shown] = await page.locator('main img').evaluate((img) => [new URL(img.currentSrc).pathname, img.clientWidth]);
        assert.equal(src, file);
        const width = Number(/-(\d+)w\.jpg$/.exec(src)?.[1]);
        assert.ok(width >= shown * scale, `a ${width} px copy shown ${shown} px wide at ${scale}x`);
      } finally {
        await ctx.close();
      }
    });
  }

  test(`every page of the demo weighs at most ${MAX_PAGE_BYTES / 1024} KB at 360 px`, async (t) => {
    ready();
    const ctx = await newContext(site.browser, demo.origin, { viewport: { width: 360, height: 800 } });
    const bad = [];
    let heaviest = ['', 0];
    try {
      const page = await ctx.context.newPage();
      for (const p of demo.pages) {
        const sizes = await downloads(page, () => gotoPage(page, demo.origin + p.path));
        const total = [...sizes.values()].reduce((a, b) => a + b, 0);
        if (total > heaviest[1]) heaviest = [p.path, total];
        if (total > MAX_PAGE_BYTES) bad.push(`${p.path}: ${Math.round(total / 1024)} KB`);
      }
      t.diagnostic(`heaviest page: ${heaviest[0]}, ${Math.round(heaviest[1] / 1024)} KB`);
    } finally {
      await ctx.close();
    }
    if (bad.length) assert.fail(bad.join('\n'));
  });
});

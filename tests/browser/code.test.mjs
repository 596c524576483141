// Highlighted code in Debian's Chromium: a tutorial with code in several
// languages is built into a temporary folder and opened in the light scheme,
// the dark scheme and the theme's high contrast mode (on a dark device too).
// Every coloured piece of code reaches 4.5:1 against the code block's own
// background, and axe-core finds no violation. On the tutorial's print
// sheet code wraps (paper cannot scroll), so the sheet never scrolls
// sideways, and it is as large as the text around it. See README.md.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSite, newContext, axeSource, REPO, NOW } from './lib/site.mjs';
import { gotoPage, checkAxe, checkNoHorizontalScroll, PHONE } from './lib/checks.mjs';

const BIN = process.env.PILLOLE_BIN || path.join(REPO, 'target', 'release', 'pillole');
const MIN_CONTRAST = 4.5;

// One block per language, each with comments, strings, numbers and keywords.
const CODE = {
  bash: '# copia il sito\nfor f in *.md; do\n  echo "file: $f" && cp "$f" /tmp/ 2>/dev/null\ndone\nexit 0',
  json: '{\n  "titolo": "Prova",\n  "passi": [1, 2.5, true, null]\n}',
  python: 'import os\n\ndef saluta(nome: str) -> str:\n    """Un saluto."""\n    return f"Ciao {nome}" if nome else None  # vuoto\n\nclass Sportello(object):\n    pass',
  rust: 'use std::fs;\n\n/// Legge il file.\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n    let n: u32 = 42;\n    println!("{}", fs::read_to_string("a.txt")?.len() + n as usize);\n    Ok(())\n}',
  html: '<!-- commento -->\n<a href="/cerca/" class="button">Cerca &amp; trova</a>',
  css: '/* colori */\n.button:hover { color: #004c99; margin: 0 1em !important; }',
  javascript: "// prova\nconst x = { a: 1, 'b': `t ${2}` };\nfunction f(y) { return this.x ?? new Date(); }\nconsole.log(/re[gx]+/.test('regex'));",
  yaml: '# configurazione\ntitle: "Pillole"\nport: 8080\nlist:\n  - uno\n  - true',
  diff: '--- a/file.txt\n+++ b/file.txt\n@@ -1,2 +1,2 @@\n-vecchia riga\n+nuova riga',
};

function build(root, out) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['build', '--root', root, '--output', out, '--now', NOW], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`build failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

/**
 * Each piece of text inside a code block whose colour is not its block's
 * text colour, with its contrast against the block's background:
 * { lang, text, colour, background, ratio }. Colours are read as the
 * browser computed them.
 */
function codeColours() {
  const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [];
  for (const pre of document.querySelectorAll('main pre.code')) {
    const lang = (pre.querySelector('code').className.match(/language-(\S+)/) || [])[1] || '';
    const bg = getComputedStyle(pre).backgroundColor;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const colour = getComputedStyle(n.parentElement).color;
      out.push({ lang, text: n.textContent.trim().slice(0, 30), colour, background: bg, ratio: ratio(rgb(colour), rgb(bg)) });
    }
  }
  return out;
}

describe('highlighted code in Chromium', () => {
  let tmp = null;
  let site = null;
  let setupError = null;

  before(async () => {
    try {
      tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pillole-code-'));
      const root = path.join(tmp, 'site');
      await fsp.mkdir(path.join(root, 'content', 'tutorial'), { recursive: true });
      await fsp.writeFile(path.join(root, 'site.yaml'), 'title: "Prova"\nbase_url: "https://example.org"\nfeedback: {email: a@example.org}\n');
      await fsp.writeFile(path.join(root, 'content', '_index.md'), '---\ntitle: "Prova"\n---\n\nCiao.\n');
      const blocks = Object.entries(CODE).map(([lang, code]) => `Esempio in ${lang}.\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`).join('\n');
      await fsp.writeFile(path.join(root, 'content', 'tutorial', 'codice.md'),
        `---\ntitle: "Una guida con il codice"\nsummary: "Prova."\n---\n\n## Un passo\n\n${blocks}`);
      await build(root, path.join(tmp, 'out'));
      site = await openSite({ dir: path.join(tmp, 'out') });
    } catch (e) {
      setupError = e;
    }
  }, { timeout: 10 * 60 * 1000 });

  after(async () => {
    if (site) await site.close();
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  const ready = () => {
    if (setupError) assert.fail(`the site could not be built, served or opened: ${String(setupError.stack || setupError)}`);
  };

  const modes = [
    { label: 'light scheme', colorScheme: 'light', contrast: false },
    { label: 'dark scheme', colorScheme: 'dark', contrast: false },
    { label: 'high contrast mode', colorScheme: 'light', contrast: true },
    { label: 'high contrast mode on a dark device', colorScheme: 'dark', contrast: true },
  ];
  for (const mode of modes) {
    test(`${mode.label}: every piece of code reaches ${MIN_CONTRAST}:1 and axe finds nothing`, async (t) => {
      ready();
      const ctx = await newContext(site.browser, site.origin, { colorScheme: mode.colorScheme });
      try {
        const page = await ctx.context.newPage();
        if (mode.contrast) {
          // The theme's switch keeps its choice here (base.html reads it before the page shows).
          await page.addInitScript(() => localStorage.setItem('pillole-contrast', '1'));
        }
        await gotoPage(page, site.origin + '/tutorial/codice/');
        const pieces = await page.evaluate(codeColours);
        const langs = new Set(pieces.map((p) => p.lang));
        assert.deepEqual([...langs].sort(), Object.keys(CODE).sort(), 'every block is on the page');
        // Highlighted: in colour mode each language shows more than one colour.
        const colours = new Set(pieces.map((p) => p.colour));
        t.diagnostic(`${pieces.length} pieces of code in ${colours.size} colours on ${pieces[0].background}`);
        if (mode.contrast) {
          assert.deepEqual([...colours], ['rgb(0, 0, 0)'], 'high contrast code is black');
        } else {
          assert.ok(colours.size >= 6, `only ${colours.size} colours: the code is not highlighted`);
        }
        const low = pieces.filter((p) => p.ratio < MIN_CONTRAST);
        assert.deepEqual(low.map((p) => `${p.lang} «${p.text}»: ${p.colour} on ${p.background}, ${p.ratio.toFixed(2)}:1`), []);
        const violations = await checkAxe(page, '/tutorial/codice/', axeSource(), mode.label);
        assert.deepEqual(violations.map((v) => v.message ?? JSON.stringify(v)), []);
      } finally {
        await ctx.close();
      }
    });
  }

  test('print sheet: code wraps at 320 px and on paper, as large as the text around it', async () => {
    ready();
    const ctx = await newContext(site.browser, site.origin, { viewport: PHONE });
    try {
      const page = await ctx.context.newPage();
      const sheet = '/tutorial/codice/stampa/';
      await gotoPage(page, site.origin + sheet);
      const reflow = await checkNoHorizontalScroll(page, sheet);
      assert.deepEqual(reflow.map((f) => f.message ?? JSON.stringify(f)), []);
      for (const media of ['screen', 'print']) {
        await page.emulateMedia({ media });
        const r = await page.evaluate(() => {
          const px = (el) => parseFloat(getComputedStyle(el).fontSize);
          const pres = [...document.querySelectorAll('main pre')];
          const text = document.querySelector('main .prose p');
          return {
            blocks: pres.length,
            text: px(text),
            smallest: Math.min(...pres.map((pre) => px(pre.querySelector('code')))),
            unwrapped: pres.filter((pre) => !getComputedStyle(pre).whiteSpace.startsWith('pre-wrap')).length,
          };
        });
        assert.equal(r.blocks, Object.keys(CODE).length, `${media}: every block is on the sheet`);
        assert.equal(r.unwrapped, 0, `${media}: code blocks that do not wrap`);
        assert.ok(r.smallest >= r.text - 0.01, `${media}: code at ${r.smallest} px, the text at ${r.text} px`);
      }
    } finally {
      await ctx.close();
    }
  });
});

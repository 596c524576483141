// The browser checks of ACCESSIBILITY.md, as functions that return findings.
// A finding is { check, page, message }: `check` names the criterion, `page`
// the URL path, `message` says what is wrong and on which element. An empty
// list means the page passes. a11y.test.mjs runs them on every demo page;
// harness.test.mjs runs them on a broken fixture to prove each one can fail.
import { newContext } from './site.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };
export const NARROW = 320;
export const MIN_FONT_PX = 20;
export const MIN_LINE_HEIGHT = 1.5;
export const MAX_MEASURE_CH = 70;
export const MIN_TARGET_PX = 44;
export const FOCUS_STOPS = 6;
export const SKIP_LINK_TEXT = 'Vai al contenuto principale';
export const ACCESSIBILITY_LINK_TEXT = 'Dichiarazione di accessibilità';
export const PAGE_TIMEOUT_MS = 90_000;

/** Every check name, with what it means (criterion numbers of ACCESSIBILITY.md). */
export const CHECKS = {
  'page-load': 'the page loads with status 200 and can be audited',
  axe: 'axe-core, tags wcag2a/wcag2aa/wcag21a/wcag21aa/wcag22aa/best-practice, at 360 and 1280 px: no violation (1)',
  'contrast-aaa': 'axe color-contrast-enhanced (7:1) on main p, main li (1)',
  lang: '<html lang="it"> (3)',
  'skip-link': `first Tab stop is the link "${SKIP_LINK_TEXT}" and Enter moves focus into <main> (4)`,
  landmarks: 'one h1, one main, one banner, one contentinfo, every nav has its own aria-label, no heading level skipped (5)',
  breadcrumb: 'breadcrumb nav has an ol, the current page is not a link and has aria-current="page", separators aria-hidden (6)',
  'footer-link': `footer has a[data-element="accessibility-link"] "${ACCESSIBILITY_LINK_TEXT}" (7)`,
  'third-party': 'no request leaves the local server (8)',
  'readable-text': `visible main p, main li: font-size >= ${MIN_FONT_PX} px, line-height >= ${MIN_LINE_HEIGHT}, width <= ${MAX_MEASURE_CH}ch, not justified, at 360 and 1280 px (9)`,
  reflow: `no horizontal scroll at ${NARROW} px (10)`,
  'focus-visible': `the first ${FOCUS_STOPS} Tab stops change outline/box-shadow on focus, with an outline >= 2 px or a box-shadow ring (11)`,
  'target-size': `links and buttons in nav, card links (whole card), buttons, .button links and footer links are >= ${MIN_TARGET_PX}x${MIN_TARGET_PX} px at 360 px (12)`,
  'no-js': 'with JavaScript off, main has text and the same number of .step elements, all shown (14)',
  'broken-local': 'every local subresource (CSS, JS, fonts, images) loads',
  'js-errors': 'no uncaught JavaScript error',
};

const f = (check, page, message) => ({ check, page, message });

/** Human-readable list of findings, grouped by page, capped at `max` lines. */
export function formatFindings(findings, max = 200) {
  const pages = new Set(findings.map((x) => x.page));
  const lines = [`${findings.length} problem(s) on ${pages.size} page(s):`];
  for (const x of findings.slice(0, max)) lines.push(`  ${x.page}  ${x.message}`);
  if (findings.length > max) lines.push(`  ... and ${findings.length - max} more`);
  return lines.join('\n');
}

// ------------------------------------------------------------------ in-page helpers

/** Installs window.__pt = { describe, visible } in the page (runs in the browser). */
function installHelpers() {
  if (window.__pt) return;
  const clip = (s, n) => (s.length > n ? s.slice(0, n - 3) + '...' : s);
  const describe = (el) => {
    if (!el || el.nodeType !== 1) return String(el);
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 3);
    if (cls.length) s += '.' + cls.join('.');
    const href = el.getAttribute('href');
    if (href !== null) s += `[href="${clip(href, 60)}"]`;
    const text = ((el.innerText || el.textContent || '').trim() || el.getAttribute('aria-label') || el.getAttribute('alt') || '')
      .replace(/\s+/g, ' ').trim();
    if (text) s += ` "${clip(text, 50)}"`;
    return s;
  };
  const visible = (el) => el.getClientRects().length > 0 &&
    (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
  window.__pt = { describe, visible };
}

/** Opens url in page, waits for load and web fonts, installs the helpers. Returns the HTTP status. */
export async function gotoPage(page, url) {
  const resp = await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => (document.fonts ? document.fonts.ready.then(() => true) : true)).catch(() => {});
  await page.evaluate(installHelpers);
  return resp ? resp.status() : null;
}

// ------------------------------------------------------------------ axe

async function injectAxe(page, axeSource) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(axeSource);
}

/** axe-core with AXE_TAGS; `label` names the viewport in the messages. */
export async function checkAxe(page, pagePath, axeSource, label) {
  await injectAxe(page, axeSource);
  const violations = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      detail: v.nodes[0] ? (v.nodes[0].any.concat(v.nodes[0].all, v.nodes[0].none).map((c) => c.message).filter(Boolean)[0] || '') : '',
    }));
  }, AXE_TAGS);
  return violations.map((v) => f('axe', pagePath,
    `[${label}] ${v.id} (${v.impact}): ${v.help}; ${v.count} element(s): ${v.targets.join(' | ')}` +
    (v.detail ? ` -- ${v.detail}` : '')));
}

/** axe color-contrast-enhanced (AAA, 7:1 for body text) on main p, main li. */
export async function checkContrastEnhanced(page, pagePath, axeSource, label) {
  await injectAxe(page, axeSource);
  const nodes = await page.evaluate(async () => {
    const els = document.querySelectorAll('main p, main li');
    if (!els.length) return [];
    const res = await window.axe.run(els, { runOnly: { type: 'rule', values: ['color-contrast-enhanced'] }, resultTypes: ['violations'] });
    return res.violations.flatMap((v) => v.nodes.map((n) => ({
      target: n.target.join(' '),
      detail: n.any.concat(n.all, n.none).map((c) => c.message).filter(Boolean)[0] || '',
    })));
  });
  return nodes.map((n) => f('contrast-aaa', pagePath, `[${label}] ${n.target}: ${n.detail}`));
}

// ------------------------------------------------------------------ structure

/** lang, landmarks, headings, breadcrumb and the footer accessibility link. */
export async function checkStructure(page, pagePath) {
  const r = await page.evaluate(({ linkText }) => {
    const { describe, visible } = window.__pt;
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const out = { lang: document.documentElement.getAttribute('lang'), problems: [], breadcrumb: [], footer: [] };
    const p = (m) => out.problems.push(m);
    // a header/footer is banner/contentinfo unless it sits inside a sectioning element or main
    const scoped = (el) => el.parentElement && el.parentElement.closest('article, aside, main, nav, section, [role="main"], [role="article"], [role="complementary"], [role="navigation"], [role="region"]');
    const h1 = [...document.querySelectorAll('h1')];
    if (h1.length !== 1) p(`${h1.length} h1 elements (want exactly 1)${h1.length ? ': ' + h1.map(describe).join(' | ') : ''}`);
    const mains = [...document.querySelectorAll('main, [role="main"]')].filter((m) => !m.hidden);
    if (mains.length !== 1) p(`${mains.length} main landmarks (want exactly 1)`);
    const banners = [...document.querySelectorAll('header, [role="banner"]')]
      .filter((h) => h.getAttribute('role') === 'banner' || (h.tagName === 'HEADER' && !h.getAttribute('role') && !scoped(h)));
    if (banners.length !== 1) p(`${banners.length} banner landmarks (page-level <header>) (want exactly 1)`);
    const infos = [...document.querySelectorAll('footer, [role="contentinfo"]')]
      .filter((h) => h.getAttribute('role') === 'contentinfo' || (h.tagName === 'FOOTER' && !h.getAttribute('role') && !scoped(h)));
    if (infos.length !== 1) p(`${infos.length} contentinfo landmarks (page-level <footer>) (want exactly 1)`);
    const labels = new Map();
    for (const nav of document.querySelectorAll('nav, [role="navigation"]')) {
      let label = norm(nav.getAttribute('aria-label'));
      const by = nav.getAttribute('aria-labelledby');
      if (!label && by) label = norm(by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '));
      if (!label) { p(`nav without aria-label: ${describe(nav).slice(0, 80)}`); continue; }
      labels.set(label, (labels.get(label) || 0) + 1);
    }
    for (const [label, n] of labels) if (n > 1) p(`${n} nav elements share the aria-label "${label}"`);
    // heading levels: start at h1, never go down more than one level at a time
    let prev = 0;
    for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      if (!visible(h)) continue;
      const lvl = +h.tagName[1];
      if (lvl > prev + 1) p(`heading level skipped: h${lvl} after ${prev ? 'h' + prev : 'the start of the page'}: ${describe(h)}`);
      prev = lvl;
    }
    // breadcrumb
    const bc = document.querySelector('nav[aria-label="Percorso di navigazione"]');
    if (bc) {
      const b = (m) => out.breadcrumb.push(m);
      const ol = bc.querySelector('ol');
      if (!ol) b('breadcrumb nav has no <ol>');
      const items = ol ? [...ol.children].filter((c) => c.tagName === 'LI') : [];
      const last = items[items.length - 1];
      if (last) {
        if (last.querySelector('a[href]')) b(`the current page is a link: ${describe(last.querySelector('a[href]'))}`);
        if (!last.querySelector('[aria-current="page"]') && last.getAttribute('aria-current') !== 'page') b('the current page has no aria-current="page"');
      } else if (ol) b('breadcrumb <ol> has no items');
      // separators: text made only of separator characters must be aria-hidden
      const walker = document.createTreeWalker(bc, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const t = n.textContent.trim();
        if (t && /^[›>»/|·\u2022\u203a\u2192-]+$/.test(t) && !n.parentElement.closest('[aria-hidden="true"]')) {
          b(`separator "${t}" is not aria-hidden: ${describe(n.parentElement)}`);
        }
      }
    }
    // footer accessibility link (inside the page-level footer)
    const footer = infos[0];
    const link = footer ? footer.querySelector('a[data-element="accessibility-link"]') : document.querySelector('a[data-element="accessibility-link"]');
    if (!footer) out.footer.push('no page-level footer');
    if (!link) out.footer.push('no a[data-element="accessibility-link"] in the footer');
    else {
      if (norm(link.textContent) !== linkText) out.footer.push(`accessibility link text is "${norm(link.textContent)}" (want "${linkText}")`);
      if (!link.getAttribute('href')) out.footer.push('accessibility link has no href');
    }
    return out;
  }, { linkText: ACCESSIBILITY_LINK_TEXT });
  const out = [];
  if (r.lang !== 'it') out.push(f('lang', pagePath, r.lang === null ? '<html> has no lang attribute (want lang="it")' : `<html lang="${r.lang}"> (want lang="it")`));
  for (const m of r.problems) out.push(f('landmarks', pagePath, m));
  for (const m of r.breadcrumb) out.push(f('breadcrumb', pagePath, m));
  for (const m of r.footer) out.push(f('footer-link', pagePath, m));
  return out;
}

// ------------------------------------------------------------------ text

/** font-size, line-height, measure and alignment of the visible main p, main li. */
export async function checkReadableText(page, pagePath, label) {
  const bad = await page.evaluate(({ minFont, minLh, maxCh }) => {
    const { describe, visible } = window.__pt;
    const out = [];
    for (const el of document.querySelectorAll('main p, main li')) {
      if (!visible(el) || !el.textContent.trim()) continue;
      const cs = getComputedStyle(el);
      const fs = parseFloat(cs.fontSize);
      const lh = cs.lineHeight === 'normal' ? NaN : parseFloat(cs.lineHeight);
      const issues = [];
      if (fs < minFont - 0.01) issues.push(`font-size ${fs.toFixed(1)} px`);
      if (!(lh / fs >= minLh - 0.005)) issues.push(`line-height ${cs.lineHeight === 'normal' ? 'normal (about 1.2)' : (lh / fs).toFixed(2)}`);
      if (cs.textAlign === 'justify') issues.push('text-align: justify');
      // measure: content width against 70ch of the element's own font
      const probe = document.createElement('span');
      probe.style.cssText = `display:block;position:absolute;visibility:hidden;width:${maxCh}ch;height:0;padding:0;border:0`;
      el.appendChild(probe);
      const maxW = probe.getBoundingClientRect().width;
      probe.remove();
      const contentW = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (contentW > maxW + 1) issues.push(`line width ${Math.round(contentW)} px > ${maxCh}ch (${Math.round(maxW)} px)`);
      if (issues.length) out.push(`${issues.join(', ')}: ${describe(el)}`);
    }
    return out;
  }, { minFont: MIN_FONT_PX, minLh: MIN_LINE_HEIGHT, maxCh: MAX_MEASURE_CH });
  const shown = bad.slice(0, 8).map((m) => f('readable-text', pagePath, `[${label}] ${m}`));
  if (bad.length > 8) shown.push(f('readable-text', pagePath, `[${label}] ... and ${bad.length - 8} more elements`));
  return shown;
}

// ------------------------------------------------------------------ reflow

/** No horizontal scroll at `width` px; restores the viewport afterwards. */
export async function checkNoHorizontalScroll(page, pagePath, width = NARROW) {
  const before = page.viewportSize();
  await page.setViewportSize({ width, height: 740 });
  try {
    const r = await page.evaluate(() => {
      const { describe, visible } = window.__pt;
      const de = document.documentElement;
      const cw = de.clientWidth;
      if (de.scrollWidth <= cw) return null;
      // the elements sticking out furthest, outside any horizontal scroll container
      const inScroller = (el) => {
        for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement) {
          const ox = getComputedStyle(a).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
        }
        return false;
      };
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.right > cw + 1 && !inScroller(el)) wide.push({ el, right: r.right });
      }
      // keep the innermost offenders: drop an element when one of its descendants also sticks out as far
      const inner = wide.filter((w) => !wide.some((o) => o.el !== w.el && w.el.contains(o.el) && o.right >= w.right - 1));
      inner.sort((a, b) => b.right - a.right);
      return { scrollWidth: de.scrollWidth, clientWidth: cw, culprits: inner.slice(0, 3).map((w) => `${describe(w.el)} (right edge ${Math.round(w.right)} px)`) };
    });
    if (!r) return [];
    return [f('reflow', pagePath, `scrolls horizontally at ${width} px (scrollWidth ${r.scrollWidth} > ${r.clientWidth})` +
      (r.culprits.length ? `; widest: ${r.culprits.join(' | ')}` : ''))];
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

// ------------------------------------------------------------------ targets

/** Interactive elements outside running text are at least 44x44 CSS px (measure at 360 px wide). */
export async function checkTargetSize(page, pagePath) {
  const bad = await page.evaluate((min) => {
    const { describe, visible } = window.__pt;
    const seen = new Set();
    const out = [];
    const measure = (el, box, why) => {
      if (seen.has(el) || !visible(el)) return;
      seen.add(el);
      const r = box.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.width < min - 0.01 || r.height < min - 0.01) {
        out.push(`${describe(el)} ${why}is ${r.width.toFixed(0)}x${r.height.toFixed(0)} px`);
      }
    };
    for (const el of document.querySelectorAll('.cards .card-link')) measure(el, el.closest('.card') || el, '(its card) ');
    for (const el of document.querySelectorAll('nav a[href], nav button, nav [role="button"]')) measure(el, el, '');
    for (const el of document.querySelectorAll('button, [role="button"], a.button, input[type="submit"], input[type="button"]')) measure(el, el, '');
    for (const el of document.querySelectorAll('footer .footer-links a[href]')) measure(el, el, '');
    return out;
  }, MIN_TARGET_PX);
  return bad.map((m) => f('target-size', pagePath, `target under ${MIN_TARGET_PX}x${MIN_TARGET_PX}: ${m}`));
}

// ------------------------------------------------------------------ keyboard

/**
 * On a freshly loaded page: the first Tab stop is the skip link and Enter on it
 * moves focus into <main> ('skip-link'); the first FOCUS_STOPS Tab stops show a
 * focus ring ('focus-visible').
 */
export async function checkKeyboard(page, pagePath, stops = FOCUS_STOPS) {
  const out = [];
  // read final focus styles, not a transition's first frame (a page CSP may refuse the style: then go on without it)
  await page.addStyleTag({ content: '*,*::before,*::after{transition:none!important;animation:none!important}' }).catch(() => {});
  // remember the unfocused style of every focusable element (and its pseudo-elements and parent)
  await page.evaluate(() => {
    const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow'];
    const snap = (el) => {
      const parts = { self: getComputedStyle(el), before: getComputedStyle(el, '::before'), after: getComputedStyle(el, '::after') };
      if (el.parentElement) parts.parent = getComputedStyle(el.parentElement);
      return Object.fromEntries(Object.entries(parts).map(([k, cs]) => [k, Object.fromEntries(props.map((p) => [p, cs[p]]))]));
    };
    window.__ptSnap = snap;
    window.__ptBefore = new Map();
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]')) {
      window.__ptBefore.set(el, snap(el));
    }
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  const results = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate((index) => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      if (index === 0) window.__ptFirst = el;
      const { describe } = window.__pt;
      const before = window.__ptBefore.get(el);
      const now = window.__ptSnap(el);
      let changed = false, ring = false;
      const seen = [];
      for (const part of Object.keys(now)) {
        const a = before && before[part], b = now[part];
        const differs = !a || Object.keys(b).some((p) => a[p] !== b[p]);
        if (!differs) continue;
        changed = true;
        const outline = b.outlineStyle !== 'none' && parseFloat(b.outlineWidth) >= 2;
        const shadow = b.boxShadow && b.boxShadow !== 'none';
        if (outline || shadow) ring = true;
        seen.push(`${part}: outline ${b.outlineStyle} ${b.outlineWidth}, box-shadow ${b.boxShadow}`);
      }
      const href = el.getAttribute('href') || '';
      return {
        desc: describe(el), tag: el.tagName, href, text: (el.textContent || '').replace(/\s+/g, ' ').trim(),
        known: !!before, changed, ring, seen: seen.join('; '),
        inMain: !!el.closest('main'),
      };
    }, i);
    if (!r) break;
    results.push(r);
  }

  // skip link
  const first = results[0];
  if (!first) out.push(f('skip-link', pagePath, 'Tab does not reach any element'));
  else if (first.tag !== 'A' || first.text !== SKIP_LINK_TEXT || !first.href.startsWith('#')) {
    out.push(f('skip-link', pagePath, `first Tab stop is ${first.desc} (want an in-page link "${SKIP_LINK_TEXT}")`));
  } else {
    await page.evaluate(() => window.__ptFirst.focus());
    await page.keyboard.press('Enter');
    const ok = await page.waitForFunction(() => {
      const a = document.activeElement;
      return !!a && !!a.closest('main');
    }, null, { timeout: 2000 }).then(() => true, () => false);
    if (!ok) {
      const where = await page.evaluate(() => window.__pt.describe(document.activeElement));
      out.push(f('skip-link', pagePath, `Enter on the skip link leaves focus on ${where}, not in <main> (does main have tabindex="-1" and the id the link points to?)`));
    }
  }

  // focus visible
  results.forEach((r, i) => {
    if (!r.changed) out.push(f('focus-visible', pagePath, `Tab stop ${i + 1} ${r.desc}: no change of outline or box-shadow on focus`));
    else if (!r.ring) out.push(f('focus-visible', pagePath, `Tab stop ${i + 1} ${r.desc}: focus style has no outline >= 2 px and no box-shadow ring (${r.seen})`));
  });
  return out;
}

// ------------------------------------------------------------------ no JavaScript

/**
 * With JavaScript disabled: main has text and `stepsWithJs` .step elements, all
 * shown. `page` must belong to a context made with javaScriptEnabled: false.
 */
export async function checkNoJs(page, url, pagePath, stepsWithJs) {
  await page.goto(url, { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 &&
      (!el.checkVisibility || el.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
    const main = document.querySelector('main');
    const steps = [...document.querySelectorAll('main .step')];
    return {
      main: !!main, text: main && shown(main) ? main.innerText.trim().length : 0,
      steps: steps.length, hiddenSteps: steps.filter((s) => !shown(s) || !s.innerText.trim()).length,
    };
  });
  const out = [];
  if (!r.main) out.push(f('no-js', pagePath, 'without JavaScript there is no <main>'));
  else if (r.text === 0) out.push(f('no-js', pagePath, 'without JavaScript <main> shows no text'));
  if (stepsWithJs !== undefined && r.steps !== stepsWithJs) {
    out.push(f('no-js', pagePath, `without JavaScript main has ${r.steps} .step element(s), with JavaScript ${stepsWithJs}`));
  }
  if (r.hiddenSteps) out.push(f('no-js', pagePath, `without JavaScript ${r.hiddenSteps} of ${r.steps} steps are hidden or empty`));
  return out;
}

/** Number of .step elements inside main. */
export function countSteps(page) {
  return page.evaluate(() => document.querySelectorAll('main .step').length);
}

// ------------------------------------------------------------------ network

/** Findings for the requests recorded by newContext() contexts. */
export function networkFindings(pagePath, ctxs) {
  const out = [];
  const ext = new Set(), broken = new Set(), errors = new Set();
  for (const c of ctxs) {
    c.external.forEach((x) => ext.add(x.url));
    c.broken.forEach((x) => broken.add(`${x.status} ${new URL(x.url).pathname}`));
    c.errors.forEach((x) => errors.add(x));
  }
  for (const u of ext) out.push(f('third-party', pagePath, `request to ${u} (blocked)`));
  for (const b of broken) out.push(f('broken-local', pagePath, `local request answered ${b}`));
  for (const e of errors) out.push(f('js-errors', pagePath, `uncaught error: ${e.split('\n')[0]}`));
  return out;
}

// ------------------------------------------------------------------ one page, every check

/**
 * The browser tabs one worker reuses from page to page (a new tab costs a
 * renderer process): phone 360x740, desktop 1280x900, and phone without
 * JavaScript. Each has its own context, whose blocked and failed requests are
 * recorded (see newContext()). Close it when done.
 */
export class Session {
  constructor(browser, origin) {
    this.browser = browser;
    this.origin = origin;
    this.slots = new Map();
  }

  static OPTIONS = {
    phone: { viewport: PHONE },
    desktop: { viewport: DESKTOP },
    nojs: { viewport: PHONE, javaScriptEnabled: false },
  };

  /** The tab `name` (phone, desktop or nojs), made on first use. */
  async page(name) {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = newContext(this.browser, this.origin, Session.OPTIONS[name])
        .then(async (ctx) => ({ ctx, page: await ctx.context.newPage() }));
      this.slots.set(name, slot);
      slot.catch(() => this.slots.delete(name));
    }
    return (await slot).page;
  }

  /** The recorders of the open contexts. */
  async contexts() {
    const out = [];
    for (const slot of this.slots.values()) {
      try { out.push((await slot).ctx); } catch { /* failed to open */ }
    }
    return out;
  }

  /** Forgets what was recorded so far (call before each page). */
  async reset() {
    for (const c of await this.contexts()) { c.external.length = 0; c.broken.length = 0; c.errors.length = 0; }
  }

  async close() {
    const ctxs = await this.contexts();
    this.slots.clear();
    await Promise.all(ctxs.map((c) => c.close()));
  }
}

/**
 * Runs every check on one page: phone (360x740, then 320 for reflow), desktop
 * (1280x900, keyboard) and JavaScript off. Returns the findings. Never throws:
 * a page that cannot be audited gives a 'page-load' finding. Pass a Session to
 * reuse its tabs across pages (one session per concurrent worker).
 */
export async function auditPage(site, pagePath, axeSource, { session, timeoutMs = PAGE_TIMEOUT_MS } = {}) {
  const own = !session;
  if (own) session = new Session(site.browser, site.origin);
  await session.reset();
  const findings = [];
  let timedOut = false;
  // on timeout, closing the contexts makes whatever hangs fail; the session reopens them on next use
  const timer = setTimeout(() => { timedOut = true; session.close(); }, timeoutMs);
  const url = site.origin + pagePath;
  try {
    let page = await session.page('phone');
    const status = await gotoPage(page, url);
    if (status !== 200) findings.push(f('page-load', pagePath, `HTTP status ${status}`));
    findings.push(...await checkStructure(page, pagePath));
    findings.push(...await checkReadableText(page, pagePath, '360 px'));
    findings.push(...await checkTargetSize(page, pagePath));
    const steps = await countSteps(page);
    findings.push(...await checkAxe(page, pagePath, axeSource, '360 px'));
    findings.push(...await checkContrastEnhanced(page, pagePath, axeSource, '360 px'));
    findings.push(...await checkNoHorizontalScroll(page, pagePath, NARROW));

    page = await session.page('desktop');
    await gotoPage(page, url);
    findings.push(...await checkReadableText(page, pagePath, '1280 px'));
    findings.push(...await checkAxe(page, pagePath, axeSource, '1280 px'));
    findings.push(...await checkContrastEnhanced(page, pagePath, axeSource, '1280 px'));
    findings.push(...await checkKeyboard(page, pagePath, FOCUS_STOPS));

    page = await session.page('nojs');
    findings.push(...await checkNoJs(page, url, pagePath, steps));
  } catch (e) {
    const msg = timedOut ? `not audited: timed out after ${timeoutMs / 1000} s` : `not audited: ${String(e && e.message || e).split('\n')[0]}`;
    findings.push(f('page-load', pagePath, msg));
  } finally {
    clearTimeout(timer);
  }
  findings.push(...networkFindings(pagePath, await session.contexts()));
  if (own) await session.close();
  return dedupe(findings);
}

const LABEL = /^\[([^\]]+ px)\] /;

// The same message at both widths becomes one finding labelled "[360 px, 1280 px]".
function dedupe(findings) {
  const byKey = new Map();
  const out = [];
  for (const x of findings) {
    const m = LABEL.exec(x.message);
    const key = `${x.check}\u0000${x.page}\u0000${m ? x.message.slice(m[0].length) : x.message}`;
    const prev = byKey.get(key);
    if (!prev) { byKey.set(key, { x, labels: m ? [m[1]] : [] }); out.push(x); continue; }
    if (m && !prev.labels.includes(m[1])) {
      prev.labels.push(m[1]);
      prev.x.message = `[${prev.labels.join(', ')}] ` + prev.x.message.replace(LABEL, '');
    }
  }
  return out;
}

/** Runs `fn(item, index, worker)` over `items`, `n` at a time, keeping order. */
export async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async (w) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i, w);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, (_, w) => worker(w)));
  return results;
}

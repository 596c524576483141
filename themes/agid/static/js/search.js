/* /cerca/: searches the index pillole builds (src/render/search/mod.rs). */
(() => {
'use strict';
// Snowball's suffix lists; the leftmost match is the longest suffix.
const PRON = /(ando|endo|[aei]r)((ce|glie|me|te|ve)?(l[aeio]|ne)|ci|gli|[mstv]i|sene)$/;
const STD = new RegExp('(?:(ic(?:[aeio]|h[ei])|ist[aei]|ism[oi]|os[aeio]|an(?:z[ae]|t[ei])|[ai]bil[ei]|atric[ei]|mente)' +
  '|((?:azion|ator)[ei])|(logi[ae])|(u[sz]ion[ei])|(enz[ae])|([ai]ment[oi])|(amente)|(iv[aeio]))$');
const VERB = new RegExp('(?:[aiu]t[aeio]|end[aeio]|[aei]v(?:[aio]|ate|amo|ano)|isc(?:[aeio]|ano|ono)|[ai]r|[aei]re' +
  '|[ei]r(?:ai|ei|ete|emo|anno|esti|este|ebbe|emmo|ebbero)|ando|[ao]no|ete|ass(?:[ei]|imo)|iamo|[aei]mmo|[aei]rono|[aei]ssero)$');

// Italian Snowball stemmer (as rust-stemmers) for normalized words.
function stem(w) {
  w = w.replace(/qu/g, 'qU').replace(/([aeiou])([ui])(?=[aeiou])/g, (_, v, x) => v + x.toUpperCase());
  // Regions: RV after pV, R1 after p1, R2 after p2.
  const n = w.length, reg = i => (m = /[aeiou][^aeiou]/.exec(w.slice(i))) ? i + m.index + 2 : n;
  let m = /^(?:[aeiou][^aeiou]+[aeiou]|[aeiou]{2,}[^aeiou]|[^aeiou]{2,}[aeiou]|[^aeiou][aeiou].)/.exec(w);
  const pV = m ? m[0].length : n, p1 = reg(0), p2 = reg(p1);
  const cut = k => (w = w.slice(0, -k), 1);
  const tr = (x, p = p2) => w.endsWith(x) && w.length - x.length >= p && cut(x.length);
  if ((m = PRON.exec(w)) && m.index >= pV) w = w.slice(0, m.index) + m[1] + (m[1][2] ? '' : 'e');
  const c = (m = STD.exec(w)) && m.findIndex((x, j) => j && x);
  if (c && m.index >= (c === 6 ? pV : c === 7 ? p1 : p2)) {
    w = w.slice(0, m.index) + ([, , , 'log', 'u', 'ente'][c] || '');
    if (c === 2) tr('ic');
    if (c === 7 && (m = /(ic|abil|os|iv)$/.exec(w)) && tr(m[1]) && m[1] === 'iv') tr('at');
    if (c === 8 && tr('at')) tr('ic');
  } else if ((m = VERB.exec(w.slice(pV)))) cut(m[0].length);
  if (/[aeio]$/.test(w) && w.length > pV) { cut(1); tr('i', pV); }
  if (/[cg]h$/.test(w) && w.length - 2 >= pV) cut(1);
  return w.toLowerCase();
}

// As normalize() and is_kept() in search/text.rs.
const norm = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
const keep = w => (w.length > 1 || /\d/.test(w)) && !M.w.includes(w);
// Damerau-Levenshtein (optimal string alignment) distance, 3 if over 2.
const dist = (a, b) => {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let q, p = [...Array(b.length + 1).keys()];
  [...a].forEach((x, i) => {
    const c = [i + 1];
    [...b].forEach((y, j) => {
      c[j + 1] = Math.min(p[j + 1] + 1, c[j] + 1, p[j] + (x !== y), x === b[j - 1] && a[i - 1] === y ? q[j - 1] + 1 : 9);
    });
    [q, p] = [p, c];
  });
  return p[b.length];
};
// As fuzzy_keys() in search/text.rs: first three consonants, less one.
const fkeys = s => {
  const c = s.replace(/ph/g, 'f').replace(/[kq]/g, 'c').replace(/w/g, 'v').replace(/[aeiouyjh]/g, '').replace(/(.)\1+/g, '$1').slice(0, 3);
  const [a, b, d] = c;
  return [...new Set(!c ? ['_'] : d ? [a + b, a + d, b + d] : b ? [c, a, b] : [c])];
};

// The manifest M; chunks and decoded postings (promises) by name.
let M, get;
const C = new Map(), P = new Map();
const own = (o, k) => ({}).hasOwnProperty.call(o, k) ? o[k] : '';
const use = (m, g) => { M = m; get = g; C.clear(); P.clear(); };
const chunk = n => C.get(n) || C.set(n, get(n).catch(e => { C.delete(n); throw e; })).get(n);
// Last i with s[i] <= k (s sorted, s[0] is '').
const at = (s, k, i = 0) => { while (s[i + 1] <= k) i++; return i; };
// Postings of a stem as [[doc, 2 ** weight]], with the stem's idf.
const post = t => P.get(t) || P.set(t, chunk('t' + at(M.t, t)).then(c => {
  const p = [];
  let d = -1, v = 0;
  for (const ch of own(c, t)) {
    const x = ch.charCodeAt(0);
    v = v * 32 + x - (x < 93 ? 35 : 93);
    if (x > 92) p.push([d += (v >> 2) + 1, 2 ** (v & 3)]), v = 0;
  }
  p.idf = Math.log(1 + M.n / (p.length || 1));
  return p;
})).get(t);
// Stems a word matches, with a factor: itself; if typed last, stems it starts
// or that start it; if 5+ letters and not found, the nearest stems under its
// typo keys (1 typo; 2 if a word has 8+ letters).
const look = async (w, last) => {
  const s = stem(w), r = new Map(), i = at(M.t, s), c = await chunk('t' + i);
  if (own(c, s)) r.set(s, 1);
  if (last && s.length > 2) {
    for (const o of [c, M.t[i + 1]?.startsWith(s) && await chunk('t' + (i + 1))]) for (const t in o) if (t !== s && t.startsWith(s)) r.set(t, 0.6);
    for (let k = 2; ++k < w.length;) { const p = w.slice(0, k); own(c, p) && !r.has(p) && r.set(p, 0.6); }
  }
  if (!r.size && w.length > 4 && /^[a-z]+$/.test(w)) {
    const ks = fkeys(s), near = new Map();
    const ids = new Set(ks.flatMap(k => M.f.flatMap((f, j) => f === k || (f < k && !(M.f[j + 1] < k)) ? [j] : [])));
    for (const o of await Promise.all([...ids].map(j => chunk('f' + j))))
      for (const k of ks) for (const t of own(o, k).split(' ')) {
        const d = dist(s, t);
        if (d <= (Math.max(w.length, t.length) > 7 ? 2 : 1)) near.set(t, d);
      }
    const min = Math.min(...near.values());
    near.forEach((d, t) => d === min && r.set(t, d > 1 ? 0.4 : 0.5));
  }
  return r;
};
// Docs with all words (else some), best first, and the stems to mark.
async function find(q, typing) {
  const all = norm(q).filter(keep), tot = [], terms = new Set();
  const found = await Promise.all(all.map((w, i) => look(w, typing && i === all.length - 1)));
  for (const r of found) {
    const m = [], ps = await Promise.all([...r.keys()].map(post));
    [...r].forEach(([t, f], k) => {
      terms.add(t);
      for (const [d, x] of ps[k]) m[d] = Math.max(m[d] || 0, f * x * ps[k].idf);
    });
    m.forEach((v, d) => { tot[d] = (tot[d] || 0) + 1e6 + v; });
  }
  const r = tot.map((v, d) => [d, v]).filter(Boolean).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const and = r.filter(e => e[1] > all.length * 1e6);
  for (const g of M.y) if (g.some(t => terms.has(t))) g.forEach(t => terms.add(t));
  return { r: (and[0] ? and : r).map(e => e[0]), terms };
}
// What result d shows: [address after M.b, title, kind, summary, detail, text].
const meta = d => chunk('d' + d);

if (typeof module === 'object') module.exports = { stem, norm, dist, fkeys, use, find, meta };
if (typeof document === 'undefined') return;

const mk = t => document.createElement(t), form = document.querySelector('form.search-form');
const [input, status, list, browse, more] = ['q', 'search-status', 'search-results', 'search-browse', 'search-more'].map(document.getElementById, document);
if (!list) return;
const KIND = ['Guida', 'Evento', 'Sportello settimanale', 'Diario', 'Pagina'], PAGE = 10;
const url = new URL(form.dataset.index || 'indice.json', location.href);
const json = u => fetch(u, u === url ? { cache: 'no-cache' } : {}).then(r => r.ok ? r.json() : Promise.reject(r.status));
let ready, timer, said, seq = 0, R = [], terms;
const load = () => ready || (ready = json(url).then(m => use(m, n => json(new URL(m.p + n + '.json?v=' + m.h, url))))
  .catch(e => { ready = 0; throw e; }));
const WORD = /[\p{L}\p{M}\p{N}]+/gu, hit = w => norm(w).some(x => keep(x) && terms.has(stem(x)));
// <tag class=cls>text</tag>, words matching terms in <mark>; .n: how many.
const el = (tag, cls, text) => {
  const e = mk(tag);
  let i = e.n = 0;
  e.className = cls;
  text.replace(WORD, (w, at) => {
    if (hit(w)) {
      const m = e.appendChild(mk('mark'));
      m.before(text.slice(i, at));
      m.textContent = w, e.n++, i = at + w.length;
    }
  });
  e.append(text.slice(i));
  return e;
};
// ~170 characters of text around the most matched words in 120.
const cut = text => {
  const at = [];
  let a = 0, n = 0;
  text.replace(WORD, (w, i) => { hit(w) && at.push(i); });
  for (const x of at) { const k = at.filter(y => y >= x && y < x + 120).length; if (k > n) n = k, a = x; }
  const s = a > 40 ? text.indexOf(' ', a - 40) + 1 : 0, e = text.indexOf(' ', s + 170);
  return n ? (s ? '…' : '') + (e < 0 ? text.slice(s) : text.slice(s, e) + '…') : '';
};
// Results from..from+PAGE, each with the summary or text cut with most marks.
const show = async (from, my) => {
  const docs = await Promise.all(R.slice(from, from + PAGE).map(meta));
  if (my !== seq) return;
  for (const [u, t, k, s, det, x] of docs) {
    const li = list.appendChild(mk('li')), a = mk('a'), info = el('p', 'card-meta', ' ' + det);
    a.href = M.b + u;
    a.append(el('span', 'result-title', t));
    info.prepend(el('span', 'badge', KIND[k]));
    const ex = [s, cut(x)].filter(Boolean).map(v => el('p', 'result-summary', v)).sort((v, w) => w.n - v.n);
    li.append(a, info, ...ex.slice(0, 1));
  }
  more.hidden = R.length <= from + PAGE;
};
// The live region speaks once typing pauses.
const say = (t, now) => {
  clearTimeout(said);
  if (now) status.textContent = '';
  said = setTimeout(() => { status.textContent = t; }, now ? 99 : 999);
};
const run = async typing => {
  const q = input.value.trim(), my = ++seq;
  history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
  try {
    await load();
    const f = await find(q, typing && !/\s$/.test(input.value));
    if (my !== seq) return;
    ({ r: R, terms } = f);
    list.textContent = '';
    await show(0, my);
    if (my !== seq) return;
    const k = R.length;
    if (browse) browse.hidden = k > 0;
    say(!q ? '' : k ? `${k} risultat${k > 1 ? 'i' : 'o'} per «${q}»${k > PAGE ? `: ecco i primi ${PAGE}` : ''}.`
      : `Nessun risultato per «${q}». Prova con un'altra parola.`, !typing);
  } catch (e) {
    if (my === seq) say(`La ricerca ora non funziona: usa i collegamenti qui sotto.`, 1);
  }
};

more.addEventListener('click', () => {
  const n = list.children.length;
  show(n, seq).then(() => list.children[n]?.querySelector('a').focus(), () => 0);
});
input.addEventListener('focus', () => load().catch(() => 0), { once: true });
input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 150, 1); });
form.addEventListener('submit', e => { e.preventDefault(); clearTimeout(timer); run(0); });
const q0 = new URLSearchParams(location.search).get('q');
if (q0) input.value = q0, run(0);
})();

/* /cerca/: searches the index pillole builds (format in src/render/search.rs). */
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

  // As normalize() in search.rs.
  const norm = s => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  // Damerau-Levenshtein distance is exactly 1.
  const near = (a, b, i = 0) => {
    while (a[i] && a[i] === b[i]) i++;
    const r = (x, y) => a.slice(i + x) === b.slice(i + y);
    return a !== b && (r(1, 1) || r(1, 0) || r(0, 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && r(2, 2)));
  };

  // The index, with each term's postings decoded to [[doc, weight]] and its idf.
  let ix;
  const load = j => {
    ix = { ...j, t: new Map(), w: new Set(j.w) };
    for (const [t, code] of Object.entries(j.t)) {
      const p = [];
      let d = -1, v = 0;
      for (const ch of code) {
        const c = ch.charCodeAt(0);
        v = v * 32 + c - (c < 93 ? 35 : 93);
        if (c > 92) p.push([d += (v >> 2) + 1, 2 ** (v & 3)]), v = 0;
      }
      ix.t.set(t, p);
      p.idf = Math.log(1 + j.d.length / p.length);
    }
  };
  const keep = w => w.length > 1 && !ix.w.has(w);
  // Docs with all words (else some), best first, and matched terms. The last
  // word also matches as a prefix if typing; one of 5+ letters, with one typo.
  function find(q, typing) {
    const all = norm(q), tot = [], terms = new Set(), ts = [...ix.t.keys()];
    let n = 0;
    all.forEach((w, i) => {
      if (!keep(w)) return;
      const s = stem(w), m = [], r = ix.t.has(s) ? [[s, 1]] : [];
      if (typing && i === all.length - 1 && s.length > 2)
        ts.forEach(t => t !== s && (t.startsWith(s) || (t.length > 2 && w.startsWith(t))) && r.push([t, 0.6]));
      if (!r[0] && w.length > 4) ts.forEach(t => near(s, t) && r.push([t, 0.5]));
      for (const [t, f] of r) {
        const p = ix.t.get(t);
        terms.add(t);
        for (const [d, x] of p) m[d] = Math.max(m[d] || 0, f * x * p.idf);
      }
      m.forEach((v, d) => { tot[d] = (tot[d] || 0) + 1e6 + v; });
      n++;
    });
    const r = tot.map((v, d) => [d, v]).filter(Boolean).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const and = r.filter(e => e[1] > n * 1e6);
    return { r: (and[0] ? and : r).map(e => e[0]), terms };
  }

  if (typeof module === 'object') module.exports = { stem, norm, near, load, find };
  if (typeof document === 'undefined') return;

  const mk = t => document.createElement(t), form = document.querySelector('form.search-form');
  const [input, status, list, az] = ['q', 'search-status', 'search-results', 'search-az'].map(id => document.getElementById(id));
  if (!list) return;
  let ready, timer, said;
  const get = () => ready || (ready = fetch(form.dataset.index || 'indice.json').then(r => r.json()).then(load)
    .catch(e => { ready = 0; throw e; }));
  // <tag class=cls>text</tag>, words matching terms in <mark>; .hit: one did.
  const el = (tag, cls, text, terms) => {
    const e = mk(tag);
    let i = 0;
    e.className = cls;
    text.replace(/[\p{L}\p{M}\p{N}]+/gu, (w, at) => {
      if (norm(w).some(x => keep(x) && terms.has(stem(x)))) e.append(text.slice(i, at), e.hit = mk('mark')), e.hit.textContent = w, i = at + w.length;
    });
    e.append(text.slice(i));
    return e;
  };
  // The live region speaks once typing pauses.
  const say = (t, now) => {
    clearTimeout(said);
    if (now) status.textContent = '';
    said = setTimeout(() => { status.textContent = t; }, now ? 99 : 999);
  };
  const run = typing => {
    const q = input.value.trim();
    history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
    get().then(() => {
      const { r, terms } = find(q, typing && !/\s$/.test(input.value));
      list.textContent = '';
      for (const i of r) {
        const [u, t, s, ps] = ix.d[i], a = mk('a'), li = list.appendChild(mk('li'));
        a.href = ix.b + u;
        a.append(el('span', 'result-title', t, terms));
        li.append(a, el('p', 'result-summary', s, terms), ...ps.map(x => el('p', 'result-passage', x, terms)).filter(e => e.hit).slice(0, 1));
      }
      const k = r.length;
      if (az) az.hidden = k > 0;
      say(!q ? '' : k ? `${k} risultat${k > 1 ? 'i' : 'o'} per «${q}»`
        : `Nessun risultato per «${q}». Prova con un'altra parola.`, !typing);
    }, () => say(`La ricerca ora non funziona: usa l'elenco qui sotto.`, 1));
  };

  input.addEventListener('focus', () => get().catch(() => 0), { once: true });
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 150, 1); });
  form.addEventListener('submit', e => { e.preventDefault(); clearTimeout(timer); run(0); });
  const q0 = new URLSearchParams(location.search).get('q');
  if (q0) input.value = q0, run(0);
})();

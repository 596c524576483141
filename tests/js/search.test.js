// Node tests of search.js. Run by tests/search_js.rs, which sets
// SEARCH_JS (the script), STEMS ("word stem key,key" lines from
// rust-stemmers and fuzzy_keys) and INDEX (a folder with indice.json and
// indice/*.json built by index::build from a few demo docs).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const s = require(process.env.SEARCH_JS);

const dir = process.env.INDEX;
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'indice.json'), 'utf8'));
// The files search.js asked for, in order, as a browser would fetch them.
let fetched = [];
const fresh = () => {
  fetched = [];
  s.use(manifest, (name) => {
    fetched.push(name);
    return fs.promises.readFile(path.join(dir, manifest.p, name + '.json'), 'utf8').then(JSON.parse);
  });
};
fresh();
const urls = async (q, typing) => {
  const r = (await s.find(q, typing)).r;
  return Promise.all(r.map(async (d) => (await s.meta(d))[0]));
};

test('the script is at most 10 KB', () => {
  const size = fs.statSync(process.env.SEARCH_JS).size;
  assert.ok(size <= 10 * 1024, `${size} bytes`);
});

test('the stemmer and the typo keys agree with rust', () => {
  const lines = fs.readFileSync(process.env.STEMS, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 300, `${lines.length} words`);
  console.log(`# ${lines.length} words compared`);
  const bad = [];
  for (const [w, st, keys] of lines.map((l) => l.split(' '))) {
    if (s.stem(w) !== st) bad.push(`${w}: rust ${st}, js ${s.stem(w)}`);
    const js = s.fkeys(st).sort().join(',');
    if (js !== keys) bad.push(`${st}: rust keys ${keys}, js ${js}`);
  }
  assert.deepEqual(bad, []);
});

test('norm drops accents and case and splits at apostrophes', () => {
  assert.deepEqual(s.norm("Carta d'Identità"), ['carta', 'd', 'identita']);
  assert.deepEqual(s.norm('  PERCHÉ l’app IO? Sì!'), ['perche', 'l', 'app', 'io', 'si']);
  assert.deepEqual(s.norm('...'), []);
});

test('dist is the Damerau-Levenshtein distance up to 2', () => {
  for (const [a, b, d] of [
    ['bollettin', 'bolletin', 1], ['ident', 'idnet', 1], ['truf', 'truff', 1], ['cart', 'card', 1], ['ab', 'ba', 1],
    ['fishing', 'phishing', 2], ['fascicl', 'fasicol', 2], ['spid', 'spid', 0], ['abc', 'cba', 2], ['cart', 'crta', 2],
    ['', 'ab', 2], ['pag', 'pagam', 2], ['pag', 'pagame', 3], ['casa', 'pane', 3],
  ]) {
    assert.equal(s.dist(a, b), d, `${a} ${b}`);
    assert.equal(s.dist(b, a), d, `${b} ${a}`);
  }
});

test('a search fetches only the chunks it needs', async () => {
  fresh();
  await urls('spid');
  assert.deepEqual(fetched.filter((n) => n[0] === 'f'), [], 'no typo chunk for a word in the index');
  assert.ok(fetched.every((n) => /^[td]\d+$/.test(n)), fetched.join(' '));
  fetched = [];
  await urls('spid');
  assert.deepEqual(fetched, [], 'chunks are kept');
});

test('accents and case do not matter', async () => {
  const r = await urls('identita');
  assert.ok(r.includes('tutorial/spid/') && r.includes('tutorial/cie/'), r);
  assert.deepEqual(await urls('IDENTITÀ'), r);
  assert.deepEqual(await urls('Identità'), r);
});

test('singular and plural meet on the stem', async () => {
  assert.deepEqual(await urls('truffa'), ['tutorial/truffe/']);
  assert.deepEqual(await urls('iscrizioni'), ['tutorial/scuola/']);
  assert.deepEqual(await urls('pagamenti'), await urls('pagamento'));
});

test('synonyms from site.yaml work both ways, and are marked', async () => {
  assert.deepEqual(await urls('bollettini'), ['tutorial/pagopa/']);
  const cie = await urls("carta d'identità");
  assert.equal(cie[0], 'tutorial/cie/');
  assert.deepEqual(cie.slice().sort(), ['diario/calvairate/', 'eventi/sportello/', 'tutorial/cie/', 'tutorial/fascicolo/']);
  const f = await s.find('bollettini');
  assert.ok(f.terms.has('bollettin') && f.terms.has('avvis') && f.terms.has('pag'), [...f.terms]);
});

test('one typo is forgiven in words of five letters or more', async () => {
  assert.deepEqual(await urls('fasciclo'), ['tutorial/fascicolo/']);
  assert.deepEqual(await urls('trufe'), ['tutorial/truffe/']);
  assert.deepEqual(await urls('scoula'), ['tutorial/scuola/']);
  assert.deepEqual(await urls('spd'), []);
  assert.deepEqual(await urls('sipd'), [], 'four letters: no typo allowed');
});

test('two typos are forgiven when a word has eight letters or more', async () => {
  fresh();
  assert.deepEqual(await urls('fishing'), ['tutorial/truffe/']);
  assert.ok(fetched.some((n) => n[0] === 'f'), 'typo chunks fetched');
  assert.deepEqual(await urls('fasiccolo'), ['tutorial/fascicolo/']);
  assert.deepEqual(await urls('iscirzone'), ['tutorial/scuola/']);
  assert.deepEqual(await urls('scuolaaa'), ['tutorial/scuola/']);
  assert.deepEqual(await urls('trufee'), ['tutorial/truffe/']);
  assert.deepEqual(await urls('tuffre'), [], 'six letters: one typo only');
});

test('help desks and diary entries by weekday, place and Municipio', async () => {
  assert.deepEqual(await urls('sportello martedì'), ['eventi/sportello/']);
  assert.deepEqual(await urls('sportello martedi'), ['eventi/sportello/']);
  assert.deepEqual(await urls('Calvairate'), ['diario/calvairate/']);
  assert.deepEqual((await urls('municipio 4'))[0], 'diario/calvairate/');
  assert.deepEqual((await urls('via padova'))[0], 'eventi/sportello/');
});

test('all words first, then any of them', async () => {
  assert.deepEqual(await urls('spid telefono'), ['tutorial/spid/', 'eventi/sportello/']);
  assert.deepEqual(await urls('app io'), ['tutorial/pagopa/']);
  assert.deepEqual((await urls('scuola zzzzzz')), ['tutorial/scuola/']);
  assert.deepEqual(await urls('di la il'), []);
});

test('title words rank above body words', async () => {
  const r = await urls('telefono');
  assert.equal(r[0], 'tutorial/cie/');
  assert.deepEqual(r.slice().sort(), ['eventi/sportello/', 'tutorial/cie/', 'tutorial/pagopa/', 'tutorial/spid/', 'tutorial/truffe/']);
});

test('the word being typed matches as the start of a stem', async () => {
  assert.deepEqual(await urls('iscriz', true), ['tutorial/scuola/']);
  assert.deepEqual(await urls('scuo', true), ['tutorial/scuola/']);
  assert.deepEqual(await urls('scuo', false), []);
  assert.deepEqual(await urls('pagam', true), ['tutorial/pagopa/']);
  assert.deepEqual(await urls('pagam', false), []);
});

test('a result has what the page shows', async () => {
  assert.equal(manifest.b, '/');
  const [u, t, kind, sum, detail, text] = await s.meta(0);
  assert.equal(u, 'tutorial/spid/');
  assert.equal(t, 'Attivare lo SPID');
  assert.equal(kind, 0);
  assert.match(sum, /identità digitale/);
  assert.equal(detail, 'Livello: facile');
  assert.match(text, /^Cosa ti serve\nUn documento valido e la tessera sanitaria\./);
  const desk = await s.meta(6);
  assert.equal(desk[2], 2);
  assert.match(desk[4], /^Ogni martedì/);
});

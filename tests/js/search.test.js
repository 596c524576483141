// Node tests of search.js. Run by tests/search_js.rs, which sets
// SEARCH_JS (the script), STEMS ("word stem" lines from rust-stemmers) and
// INDEX (an index built by build_index from a few demo guides).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const s = require(process.env.SEARCH_JS);

test('the stemmer agrees with rust-stemmers', () => {
  const lines = fs.readFileSync(process.env.STEMS, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 300, `${lines.length} words`);
  console.log(`# ${lines.length} words compared`);
  const bad = lines.map(l => l.split(' ')).filter(([w, st]) => s.stem(w) !== st).map(([w, st]) => `${w}: rust ${st}, js ${s.stem(w)}`);
  assert.deepEqual(bad, []);
});

test('norm drops accents and case and splits at apostrophes', () => {
  assert.deepEqual(s.norm("Carta d'Identità"), ['carta', 'd', 'identita']);
  assert.deepEqual(s.norm('  PERCHÉ l’app IO? Sì!'), ['perche', 'l', 'app', 'io', 'si']);
  assert.deepEqual(s.norm('...'), []);
});

test('near is Damerau-Levenshtein distance 1', () => {
  for (const [a, b] of [['bollettin', 'bolletin'], ['ident', 'idnet'], ['truf', 'truff'], ['cart', 'card'], ['ab', 'ba']]) {
    assert.ok(s.near(a, b), `${a} ${b}`);
    assert.ok(s.near(b, a), `${b} ${a}`);
  }
  for (const [a, b] of [['spid', 'spid'], ['pag', 'pagam'], ['abc', 'cba'], ['cart', 'crta'], ['', 'ab']]) assert.ok(!s.near(a, b), `${a} ${b}`);
});

const index = JSON.parse(fs.readFileSync(process.env.INDEX, 'utf8'));
s.load(index);
const urls = (q, typing) => s.find(q, typing).r.map(i => index.d[i][0]);

test('accents and case do not matter', () => {
  const r = urls('identita');
  assert.ok(r.includes('spid/') && r.includes('cie/'), r);
  assert.deepEqual(urls('IDENTITÀ'), r);
  assert.deepEqual(urls('Identità'), r);
});

test('singular and plural meet on the stem', () => {
  assert.deepEqual(urls('truffa'), ['truffe/']);
  assert.deepEqual(urls('iscrizioni'), ['scuola/']);
  assert.deepEqual(urls('pagamenti'), urls('pagamento'));
});

test('synonyms from site.yaml work both ways', () => {
  assert.deepEqual(urls('bollettini'), ['pagopa/']);
  assert.deepEqual(urls("carta d'identità"), ['cie/', 'fascicolo/']);
  assert.ok(s.find('bollettini').terms.has('bollettin'));
});

test('one typo is forgiven in words of five letters or more', () => {
  assert.deepEqual(urls('fasciclo'), ['fascicolo/']);
  assert.deepEqual(urls('trufe'), ['truffe/']);
  assert.deepEqual(urls('scoula'), ['scuola/']);
  assert.deepEqual(urls('spd'), []);
  assert.deepEqual(urls('sipd'), [], 'four letters: no typo allowed');
});

test('all words first, then any of them', () => {
  assert.deepEqual(urls('spid telefono'), ['spid/']);
  assert.deepEqual(urls('app io'), ['pagopa/']);
  assert.deepEqual(urls('spid zzzzzz').sort(), ['fascicolo/', 'scuola/', 'spid/']);
  assert.deepEqual(urls('di la il'), []);
});

test('title words rank above body words', () => {
  const r = urls('telefono');
  assert.equal(r[0], 'cie/');
  assert.deepEqual(r.slice().sort(), ['cie/', 'pagopa/', 'spid/', 'truffe/']);
});

test('the word being typed matches as a prefix', () => {
  assert.deepEqual(urls('iscriz', true), ['scuola/']);
  assert.deepEqual(urls('scuo', true), ['scuola/']);
  assert.deepEqual(urls('scuo', false), []);
  assert.deepEqual(urls('pagam', true), ['pagopa/']);
  assert.deepEqual(urls('pagam', false), []);
});

test('the index has what the page shows', () => {
  assert.equal(index.b, '/tutorial/');
  const [u, t, sum, passages] = index.d[0];
  assert.equal(u, 'spid/');
  assert.equal(t, 'Attivare lo SPID');
  assert.match(sum, /identità digitale/);
  assert.ok(passages.some(p => p.includes('tessera sanitaria')), passages);
});

//! The search index behind `/cerca/`: pages in, one compact JSON file out.
//!
//! Owns the text analysis the search page relies on: [`normalize`]
//! (lowercase, accents gone, one space between words) and [`tokens`]
//! (normalized words minus Italian stop words, each reduced with the
//! Italian Snowball stemmer). `themes/agid/static/js/search.js` repeats the
//! same steps on the query in the browser (same stop words, a port of the
//! same stemmer), so both sides meet on stems. It does not render HTML and
//! reads no file: the caller writes the string to `cerca/indice.json`.
//!
//! The JSON (short keys, arrays instead of objects, to keep it small):
//!
//! ```text
//! { "v": 1,                                format version
//!   "b": "/",                              address prefix shared by every doc
//!   "d": [[address after b, title, summary, [passage, ...]], ...],
//!   "t": { stem: postings, ... },          sorted by stem
//!   "w": [stop word, ...] }
//! ```
//!
//! Postings list the docs holding a stem, in doc order, as one string of
//! numbers `gap * 4 + weight`. The gap counts the docs skipped since the
//! previous entry (the first entry counts from doc 0). Weights: 3 title,
//! 2 services or tags, 1 summary or a body word used 3+ times, 0 other body
//! words and the level. Each number is written in base 32, most significant
//! digit first: digits before the last one are the characters `#`..`B`
//! (0x23 + digit), the last one `]`..`|` (0x5D + digit), so the string
//! needs no escaping in JSON and numbers need no separator.
//!
//! Synonyms (groups of phrases from site.yaml) are expanded here, so the
//! browser knows nothing of them: a doc holding every stem of one phrase of
//! a group is also posted under the stems of the group's other phrases
//! ("avviso di pagamento" -> "bollettino"), weighted as the weakest stem of
//! the phrase it holds.
//!
//! Size: every doc's title, services, tags, summary (clipped) and level are
//! always indexed. Body words are ranked by tf-idf; the builder keeps as
//! many of them per doc, and as many short passages (sentences, windowed
//! around their best word), as fit in [`INDEX_BUDGET`]. A site of a few
//! dozen guides gets every body word; 1,000 guides of 600 words get their
//! most telling words and no passages (see the size test below).

use super::views::prefixed;
use crate::output::Output;
use crate::site::Site;

/// Where the search index goes.
pub const SEARCH_INDEX: &str = "cerca/indice.json";

/// Whether an output file is part of the search index.
pub fn is_index_file(path: &str) -> bool {
    path == SEARCH_INDEX
}

/// What the search index is made from, owned, so that it can be made on
/// another thread (serve does): it reads every tutorial.
pub struct SearchInput {
    docs: Vec<SearchDoc>,
    synonyms: Vec<Vec<String>>,
}

impl SearchInput {
    /// The files of the index.
    pub fn files(&self) -> Vec<Output> {
        // `<` and `>` escaped so no text of the index can read as markup anywhere.
        let json = build_index(&self.docs, &self.synonyms)
            .replace('<', "\\u003c")
            .replace('>', "\\u003e");
        vec![Output::bytes(SEARCH_INDEX, json)]
    }
}

/// What the search index of a site is made from: one document per tutorial.
pub fn input(site: &Site) -> SearchInput {
    let prefix = &site.prefix;
    let docs = site
        .tutorials
        .iter()
        .map(|&i| {
            let p = &site.pages[i];
            let t = p.tutorial();
            SearchDoc {
                url: prefixed(prefix, &p.path),
                title: p.common.title.clone(),
                summary: p.common.summary.clone().unwrap_or_default(),
                body: site.prose(i).collect::<Vec<_>>().join("\n"),
                services: t.map(|t| t.services.clone()).unwrap_or_default(),
                tags: p.common.tags.clone(),
                level: t.and_then(|t| t.level).map(|l| l.as_str().to_string()),
            }
        })
        .collect();
    SearchInput {
        docs,
        synonyms: site.config.synonyms.clone(),
    }
}

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

/// A page as the search index sees it.
#[derive(Clone, Debug, Default)]
pub struct SearchDoc {
    /// Address as linked from the site (`/tutorial/spid/`).
    pub url: String,
    pub title: String,
    pub summary: String,
    /// Plain text, no markup; blocks separated by newlines.
    pub body: String,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub level: Option<String>,
}

/// Italian stop words, normalized (no accents) and sorted. Shipped in the
/// index so the browser drops the same words. "io" is missing on purpose:
/// it is also the name of the public services app.
pub const STOP_WORDS: &[&str] = &[
    "ad", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche", "che", "chi", "ci", "coi",
    "col", "come", "con", "cui", "da", "dagli", "dai", "dal", "dall", "dalla", "dalle", "dallo",
    "degli", "dei", "del", "dell", "della", "delle", "dello", "di", "ed", "gli", "ha", "hai",
    "hanno", "ho", "il", "in", "la", "le", "li", "lo", "loro", "ma", "me", "mi", "mia", "mie",
    "miei", "mio", "ne", "negli", "nei", "nel", "nell", "nella", "nelle", "nello", "noi", "non",
    "od", "per", "perche", "piu", "quell", "quella", "quelle", "quelli", "quello", "quest",
    "questa", "queste", "questi", "questo", "se", "si", "sia", "sono", "su", "sua", "sue", "sugli",
    "sui", "sul", "sull", "sulla", "sulle", "sullo", "suo", "suoi", "te", "ti", "tra", "tu", "tua",
    "tue", "tuo", "tuoi", "un", "una", "uno", "vi", "voi",
];

/// The index aims to stay under this many bytes (see the module doc).
pub const INDEX_BUDGET: usize = 300_000;

/// Index levels, from leanest to richest: body words kept per doc, and
/// passages kept per doc.
const BODY_TERMS: [usize; 13] = [0, 4, 8, 12, 16, 20, 24, 32, 40, 56, 80, 120, usize::MAX];
const PASSAGES: [usize; 13] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 6];
const SUMMARY_CHARS: usize = 200;
const PASSAGE_CHARS: usize = 140;

/// Lowercase ASCII words separated by single spaces: accents removed
/// (deunicode), and anything that is not a letter or a digit, apostrophes
/// included, splits words ("Carta d'Identità" -> "carta d identita").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    for c in text.chars() {
        if c.is_ascii() || !c.is_alphanumeric() {
            push(c, &mut out);
        } else {
            deunicode::deunicode_char(c)
                .unwrap_or(" ")
                .chars()
                .for_each(|t| push(t, &mut out));
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Stemmed search words of `text`: normalized words of two or more
/// characters that are not stop words, each reduced by the Italian Snowball
/// stemmer ("bollettini" and "bollettino" both give "bollettin").
pub fn tokens(text: &str) -> Vec<String> {
    Analyzer::new().tokens(text)
}

fn is_stop(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Stemmer plus a cache: a corpus repeats the same words many times.
struct Analyzer {
    stemmer: Stemmer,
    cache: HashMap<String, String>,
}

impl Analyzer {
    fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::Italian),
            cache: HashMap::new(),
        }
    }

    /// Stems of the words in `normalized` (already normalized text).
    fn stems(&mut self, normalized: &str, out: &mut Vec<String>) {
        for w in normalized.split(' ').filter(|w| w.len() > 1 && !is_stop(w)) {
            let stemmer = &self.stemmer;
            let cached = self.cache.entry(w.to_string());
            out.push(
                cached
                    .or_insert_with(|| stemmer.stem(w).into_owned())
                    .clone(),
            );
        }
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.stems(&normalize(text), &mut out);
        out
    }

    /// The words of one sentence as (byte offset, stem); a word is a run of
    /// letters and digits, as in search.js when it marks matches.
    fn sentence(&mut self, text: &str) -> Sentence {
        let mut words = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let mut stems = Vec::new();
                    self.stems(&normalize(&text[s..i]), &mut stems);
                    words.extend(stems.into_iter().map(|st| (s, st)));
                    start = None;
                }
                _ => {}
            }
        }
        Sentence {
            text: text.to_string(),
            words,
        }
    }
}

struct Sentence {
    text: String,
    words: Vec<(usize, String)>,
}

/// One doc, analysed once; the size levels only choose from it.
/// One page's words, before document frequencies are known.
struct Analysed {
    fields: HashMap<String, u8>,
    sentences: Vec<Sentence>,
    /// Body stem -> count.
    tf: HashMap<String, u32>,
}

struct Prepared<'a> {
    doc: &'a SearchDoc,
    /// Stem -> weight, for title, services, tags, summary and level words.
    fields: HashMap<String, u8>,
    /// Body-only stems, best first: (stem, weight, tf-idf score).
    body: Vec<(String, u8, f64)>,
    sentences: Vec<Sentence>,
}

fn prepare<'a>(docs: &'a [SearchDoc], synonyms: &[Vec<Vec<String>>]) -> Vec<Prepared<'a>> {
    // Each page is analysed on its own (in parallel, one stem cache per
    // thread); document frequencies are summed after.
    let analysed: Vec<Analysed> = docs
        .par_iter()
        .map_init(Analyzer::new, |an, doc| {
            let mut fields = HashMap::new();
            let (services, tags) = (doc.services.join(" "), doc.tags.join(" "));
            let level = doc.level.as_deref().unwrap_or("");
            let texts = [
                (doc.title.as_str(), 3),
                (&services, 2),
                (&tags, 2),
                (&doc.summary, 1),
                (level, 0),
            ];
            for (text, weight) in texts {
                for s in an.tokens(text) {
                    bump(&mut fields, s, weight);
                }
            }
            let sentences: Vec<Sentence> = split_sentences(&doc.body)
                .into_iter()
                .map(|s| an.sentence(s))
                .collect();
            let mut tf: HashMap<String, u32> = HashMap::new();
            for (_, s) in sentences.iter().flat_map(|s| &s.words) {
                *tf.entry(s.clone()).or_default() += 1;
            }
            expand_synonyms(&mut fields, &tf, synonyms);
            Analysed {
                fields,
                sentences,
                tf,
            }
        })
        .collect();
    let mut prepared = Vec::with_capacity(docs.len());
    let mut tfs = Vec::with_capacity(docs.len());
    let mut df: HashMap<String, usize> = HashMap::new();
    for (
        doc,
        Analysed {
            fields,
            sentences,
            tf,
        },
    ) in docs.iter().zip(analysed)
    {
        let seen: HashSet<&String> = fields.keys().chain(tf.keys()).collect();
        for s in seen {
            *df.entry(s.clone()).or_default() += 1;
        }
        prepared.push(Prepared {
            doc,
            fields,
            body: Vec::new(),
            sentences,
        });
        tfs.push(tf);
    }
    let n = docs.len() as f64;
    for (p, tf) in prepared.iter_mut().zip(tfs) {
        for (s, count) in tf {
            let weight = u8::from(count >= 3);
            if let Some(w) = p.fields.get_mut(&s) {
                *w = (*w).max(weight);
            } else {
                let idf = (1.0 + n / df[&s] as f64).ln();
                p.body
                    .push((s, weight, (1.0 + f64::from(count).ln()) * idf));
            }
        }
        p.body
            .sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    }
    prepared
}

/// Adds to `fields` the stems of every synonym phrase whose group has
/// another phrase all of whose stems the doc holds (in `fields` or `tf`).
fn expand_synonyms(
    fields: &mut HashMap<String, u8>,
    tf: &HashMap<String, u32>,
    synonyms: &[Vec<Vec<String>>],
) {
    let weight = |s: &String| {
        let body = tf.get(s).map(|&n| u8::from(n >= 3));
        fields.get(s).copied().max(body)
    };
    let mut extra = Vec::new();
    for group in synonyms {
        for (i, phrase) in group.iter().enumerate() {
            let Some(held) = phrase.iter().map(weight).collect::<Option<Vec<u8>>>() else {
                continue;
            };
            let w = held.into_iter().min().unwrap_or(0);
            for (_, other) in group.iter().enumerate().filter(|&(j, _)| j != i) {
                extra.extend(other.iter().map(|s| (s.clone(), w)));
            }
        }
    }
    for (s, w) in extra {
        bump(fields, s, w);
    }
}

/// Sets `map[stem]` to `weight` unless it is already higher.
fn bump(map: &mut HashMap<String, u8>, stem: String, weight: u8) {
    let w = map.entry(stem).or_insert(weight);
    *w = (*w).max(weight);
}

/// Sentences of plain text: split after `.`, `!`, `?` followed by a space,
/// and at line ends.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut prev) = (0, ' ');
    for (i, c) in text.char_indices().chain([(text.len(), '\n')]) {
        if c == '\n' || (c.is_whitespace() && matches!(prev, '.' | '!' | '?')) {
            out.push(text[start..i].trim());
            start = i;
        }
        prev = c;
    }
    out.retain(|s| !s.is_empty());
    out
}

/// At most `max` characters of `text` around byte offset `at`, cut at
/// spaces, with "…" where something was left out.
fn window(text: &str, at: usize, max: usize) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    if n <= max {
        return text.to_string();
    }
    let pos = chars.iter().position(|&(b, _)| b >= at).unwrap_or(0);
    let mut a = pos.saturating_sub(max / 4);
    let mut e = (a + max).min(n);
    if e == n {
        a = n - max;
    }
    if a > 0 {
        a = (a..pos).find(|&k| chars[k].1 == ' ').map_or(a, |k| k + 1);
    }
    if e < n {
        e = (pos + 1..e).rev().find(|&k| chars[k].1 == ' ').unwrap_or(e);
    }
    let end = chars.get(e).map_or(text.len(), |&(b, _)| b);
    let mut out = String::new();
    if a > 0 {
        out.push('…');
    }
    out.push_str(text[chars[a].0..end].trim());
    if e < n {
        out.push('…');
    }
    out
}

/// Up to `max` sentences that together hold the most of the doc's best
/// `terms` body words, each windowed around its best uncovered word, in
/// reading order.
fn passages(p: &Prepared, terms: usize, max: usize) -> Vec<String> {
    let value: HashMap<&str, f64> = p
        .body
        .iter()
        .take(terms)
        .map(|(s, _, v)| (s.as_str(), *v))
        .collect();
    let mut covered: HashSet<&str> = HashSet::new();
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    while chosen.len() < max {
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, s) in p.sentences.iter().enumerate() {
            if chosen.iter().any(|&(c, _)| c == i) {
                continue;
            }
            let mut seen = HashSet::new();
            let (mut total, mut anchor, mut top) = (0.0, 0, 0.0);
            for (at, st) in &s.words {
                let v = value.get(st.as_str()).copied().unwrap_or(0.0);
                if v > 0.0 && !covered.contains(st.as_str()) && seen.insert(st.as_str()) {
                    total += v;
                    if v > top {
                        (top, anchor) = (v, *at);
                    }
                }
            }
            if total > best.map_or(0.0, |b| b.0) {
                best = Some((total, i, anchor));
            }
        }
        let Some((_, i, anchor)) = best else { break };
        covered.extend(p.sentences[i].words.iter().map(|(_, s)| s.as_str()));
        chosen.push((i, anchor));
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|(i, at)| window(&p.sentences[i].text, at, PASSAGE_CHARS))
        .collect()
}

/// Postings in the base-32 form described in the module doc.
fn encode_postings(list: &[(usize, u8)]) -> String {
    let mut out = String::new();
    let mut next = 0;
    for &(doc, weight) in list {
        let v = ((doc - next) as u64) * 4 + u64::from(weight.min(3));
        let digits = (1..13).find(|&k| v >> (5 * k) == 0).unwrap_or(13);
        for k in (0..digits).rev() {
            let digit = ((v >> (5 * k)) & 31) as u8;
            out.push(char::from(if k == 0 { 0x5D } else { 0x23 } + digit));
        }
        next = doc + 1;
    }
    out
}

/// The longest address prefix all docs share, up to and including a `/`.
fn common_base(docs: &[SearchDoc]) -> &str {
    let Some(first) = docs.first() else { return "" };
    let mut len = first.url.len();
    for d in docs {
        len = first.url[..len]
            .char_indices()
            .zip(d.url.chars())
            .find(|((_, a), b)| a != b)
            .map_or(len.min(d.url.len()), |((i, _), _)| i);
    }
    first.url[..len].rfind('/').map_or("", |i| &first.url[..=i])
}

fn render(prepared: &[Prepared], base: &str, level: usize) -> String {
    let (terms, max_passages) = (BODY_TERMS[level], PASSAGES[level]);
    let mut postings: BTreeMap<&str, Vec<(usize, u8)>> = BTreeMap::new();
    let mut docs = Vec::with_capacity(prepared.len());
    for (i, p) in prepared.iter().enumerate() {
        let body = p.body.iter().take(terms).map(|(s, w, _)| (s, w));
        for (s, w) in p.fields.iter().chain(body) {
            postings.entry(s.as_str()).or_default().push((i, *w));
        }
        let d = p.doc;
        let summary = window(d.summary.trim(), 0, SUMMARY_CHARS);
        docs.push((
            &d.url[base.len()..],
            d.title.as_str(),
            summary,
            passages(p, terms, max_passages),
        ));
    }
    let t: BTreeMap<&str, String> = postings
        .iter()
        .map(|(s, l)| (*s, encode_postings(l)))
        .collect();
    serde_json::json!({ "v": 1, "b": base, "d": docs, "t": t, "w": STOP_WORDS }).to_string()
}

/// Synonym groups as token lists: empty phrases and duplicates dropped,
/// groups left with fewer than two phrases dropped.
fn synonym_tokens(synonyms: &[Vec<String>], an: &mut Analyzer) -> Vec<Vec<Vec<String>>> {
    let mut groups = Vec::new();
    for group in synonyms {
        let mut alts: Vec<Vec<String>> = Vec::new();
        for t in group.iter().map(|phrase| an.tokens(phrase)) {
            if !t.is_empty() && !alts.contains(&t) {
                alts.push(t);
            }
        }
        if alts.len() > 1 {
            groups.push(alts);
        }
    }
    groups
}

/// The JSON written to `cerca/indice.json`: the richest index level that
/// fits in [`INDEX_BUDGET`] (the leanest one if none does). `synonyms` are
/// groups of equivalent phrases from site.yaml, e.g. `["carta d'identità",
/// "CIE"]`. Same input, same bytes.
pub fn build_index(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> String {
    build_with_level(docs, synonyms).0
}

fn build_with_level(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> (String, usize) {
    let mut an = Analyzer::new();
    let synonyms = synonym_tokens(synonyms, &mut an);
    let prepared = prepare(docs, &synonyms);
    let base = common_base(docs);
    let build = |level| render(&prepared, base, level);
    // Size grows with the level: binary search for the last one that fits.
    let (mut lo, mut hi) = (0, BODY_TERMS.len() - 1);
    let mut best = build(0);
    if best.len() >= INDEX_BUDGET {
        return (best, 0);
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let json = build(mid);
        if json.len() < INDEX_BUDGET {
            (lo, best) = (mid, json);
        } else {
            hi = mid - 1;
        }
    }
    (best, lo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc(url: &str, title: &str, summary: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            ..SearchDoc::default()
        }
    }

    /// Inverse of `encode_postings`, as search.js reads it.
    fn decode(s: &str) -> Vec<(usize, u8)> {
        let (mut out, mut next, mut v) = (Vec::new(), 0, 0u64);
        for c in s.bytes() {
            if c < 0x5D {
                v = v * 32 + u64::from(c - 0x23);
            } else {
                v = v * 32 + u64::from(c - 0x5D);
                let doc = next + (v / 4) as usize;
                out.push((doc, (v % 4) as u8));
                (next, v) = (doc + 1, 0);
            }
        }
        out
    }

    fn parse(json: &str) -> Value {
        serde_json::from_str(json).expect("valid JSON")
    }

    fn postings(index: &Value, stem: &str) -> Vec<(usize, u8)> {
        index["t"][stem].as_str().map(decode).unwrap_or_default()
    }

    fn stem(word: &str) -> String {
        let t = tokens(word);
        assert_eq!(t.len(), 1, "{word} gives one token");
        t[0].clone()
    }

    fn demo() -> Vec<SearchDoc> {
        vec![
            SearchDoc {
                services: vec!["SPID".into()],
                tags: vec!["identità digitale".into()],
                level: Some("facile".into()),
                ..doc(
                    "/tutorial/spid/",
                    "Come attivare lo SPID",
                    "Attiva l'identità digitale con l'app del gestore.",
                    "Cosa ti serve\nUn documento valido. La tessera sanitaria.\nScarica l'app del gestore e apri la pagina di registrazione. Inquadra il documento.",
                )
            },
            doc(
                "/tutorial/cie/",
                "Usare la CIE sul telefono",
                "Entra nei servizi con la CIE e il PIN.",
                "Avvicina la CIE al telefono. Scrivi il PIN di otto cifre.",
            ),
            doc(
                "/tutorial/pagopa/",
                "Pagare la TARI con PagoPA",
                "Paga l'avviso di pagamento dal telefono.",
                "Trova il codice avviso sul foglio. Paga con carta o conto.",
            ),
        ]
    }

    #[test]
    fn normalize_lowercases_drops_accents_and_splits_at_apostrophes() {
        assert_eq!(normalize("Carta d'Identità"), "carta d identita");
        assert_eq!(normalize("  PERCHÉ l’app  IO? Sì!"), "perche l app io si");
        assert_eq!(normalize("Città, più: è 730"), "citta piu e 730");
        assert_eq!(normalize("Straße “ok” — 😀"), "strasse ok");
        assert_eq!(normalize("...  "), "");
    }

    #[test]
    fn stop_words_are_sorted_normalized_and_keep_io() {
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(STOP_WORDS.iter().all(|w| normalize(w) == *w && w.len() > 1));
        assert!(!is_stop("io"));
        assert_eq!(tokens("l'app IO"), vec!["app", "io"]);
    }

    #[test]
    fn tokens_drop_stop_words_and_meet_on_stems() {
        assert_eq!(stem("bollettini"), stem("bollettino"));
        assert_eq!(stem("identità"), stem("identita"));
        assert_eq!(stem("IDENTITÀ"), stem("identita"));
        assert_eq!(stem("pagamenti"), stem("pagamento"));
        assert_eq!(stem("carte"), stem("carta"));
        assert_ne!(stem("carta"), stem("cartella"));
        assert_eq!(tokens("la carta di identità"), tokens("Carta d'identita"));
        assert_eq!(tokens("il, lo, la, di, e, a"), Vec::<String>::new());
    }

    #[test]
    fn postings_round_trip() {
        let list = vec![
            (0, 3),
            (1, 0),
            (2, 1),
            (9, 2),
            (40, 0),
            (1_000, 3),
            (70_000, 1),
        ];
        let s = encode_postings(&list);
        assert_eq!(decode(&s), list);
        assert!(!s.contains(['"', '\\']));
        assert_eq!(
            encode_postings(&[(0, 3), (1, 3)]),
            "``",
            "adjacent docs take one character each"
        );
    }

    #[test]
    fn index_has_docs_terms_synonyms_and_stop_words() {
        let synonyms = vec![vec!["carta d'identità".to_string(), "CIE".to_string()]];
        let index = parse(&build_index(&demo(), &synonyms));
        assert_eq!(index["v"], 1);
        assert_eq!(index["b"], "/tutorial/");
        let d = index["d"].as_array().unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(d[0][0], "spid/");
        assert_eq!(d[0][1], "Come attivare lo SPID");
        assert_eq!(d[0][2], "Attiva l'identità digitale con l'app del gestore.");
        assert!(d[0][3].is_array());
        // Weights: title 3, services and tags 2, summary 1, body 0, level 0.
        assert_eq!(postings(&index, "spid"), vec![(0, 3)]);
        assert_eq!(postings(&index, &stem("identità")), vec![(0, 2), (1, 3)]);
        assert_eq!(postings(&index, &stem("gestore")), vec![(0, 1)]);
        assert_eq!(postings(&index, &stem("tessera")), vec![(0, 0)]);
        assert_eq!(postings(&index, &stem("facile")), vec![(0, 0)]);
        assert_eq!(postings(&index, "cie"), vec![(1, 3)]);
        assert_eq!(postings(&index, &stem("telefono")), vec![(1, 3), (2, 1)]);
        assert!(index["t"].get("la").is_none(), "stop words are not indexed");
        assert_eq!(index["w"].as_array().unwrap().len(), STOP_WORDS.len());
        // "carta d'identità" = "CIE": doc 1 (CIE in its title) is also posted
        // under carta and identità (above); doc 2 has "carta" alone: no CIE.
        assert_eq!(postings(&index, &stem("carta")), vec![(1, 3), (2, 0)]);
    }

    #[test]
    fn synonyms_post_docs_under_the_other_phrases() {
        let groups = vec![vec![
            "bollettino".to_string(),
            "avviso di pagamento".to_string(),
        ]];
        let docs = vec![
            doc(
                "/a/",
                "Pagare un avviso",
                "Serve l'avviso di pagamento.",
                "",
            ),
            doc(
                "/b/",
                "Il bollettino postale",
                "",
                "Compila il bollettino. Paga il bollettino. Un bollettino.",
            ),
            doc(
                "/c/",
                "Un avviso",
                "Leggi l'avviso.",
                "Nessun pagamento qui? No.",
            ),
            doc("/e/", "Avvisi", "Solo avvisi, niente da pagare?", ""),
            doc("/d/", "Pagamenti", "", "avviso"),
        ];
        let index = parse(&build_index(&docs, &groups));
        // Docs 0, 2, 3, 4 hold avviso and pagamento (pagare, pagamenti share
        // the stem): posted under bollettino with the weaker of the weights.
        assert_eq!(
            postings(&index, &stem("bollettino")),
            vec![(0, 3), (1, 3), (2, 0), (3, 1), (4, 0)]
        );
        // Doc 1 holds bollettino (title): posted under avviso and pagamento.
        assert_eq!(
            postings(&index, &stem("avviso")),
            vec![(0, 3), (1, 3), (2, 3), (3, 3), (4, 0)]
        );
        assert_eq!(
            postings(&index, &stem("pagamento")),
            vec![(0, 3), (1, 3), (2, 0), (3, 1), (4, 3)]
        );
        let none = parse(&build_index(&docs, &[]));
        assert_eq!(postings(&none, &stem("bollettino")), vec![(1, 3)]);
    }

    #[test]
    fn synonym_groups_lose_empty_and_duplicate_phrases() {
        let groups = vec![
            vec![
                "bollettino".into(),
                "avviso di pagamento".into(),
                "Bollettini".into(),
            ],
            vec!["di".into(), "CIE".into()],
            vec![],
        ];
        let y = synonym_tokens(&groups, &mut Analyzer::new());
        assert_eq!(
            y,
            vec![vec![
                vec![stem("bollettino")],
                vec![stem("avviso"), stem("pagamento")]
            ]]
        );
    }

    #[test]
    fn passages_are_short_sentences_around_body_words() {
        let long = "Prima di iniziare controlla di avere tutto quello che serve, con calma e senza fretta, \
                    perché il gestore chiede una foto del documento e poi anche un video breve in cui leggi \
                    ad alta voce il codice che compare sullo schermo del telefono durante la registrazione.";
        assert!(window(long, long.find("video").unwrap(), 60).contains("video"));
        let w = window(long, long.find("registrazione").unwrap(), 60);
        assert!(
            w.starts_with('…') && w.ends_with("registrazione.") && w.chars().count() <= 61,
            "{w}"
        );
        assert_eq!(window("breve", 0, 60), "breve");

        let index = parse(&build_index(&demo(), &[]));
        let passages = index["d"][0][3].as_array().unwrap();
        assert!(!passages.is_empty() && passages.len() <= 6);
        let text: Vec<&str> = passages.iter().map(|p| p.as_str().unwrap()).collect();
        assert!(
            text.iter().any(|p| p.contains("tessera sanitaria")),
            "{text:?}"
        );
        assert!(text.iter().all(|p| p.chars().count() <= PASSAGE_CHARS + 2));
    }

    #[test]
    fn summaries_are_clipped() {
        let summary = "parola ".repeat(60);
        let index = parse(&build_index(&[doc("/a/", "A", &summary, "")], &[]));
        let s = index["d"][0][2].as_str().unwrap();
        assert!(
            s.ends_with('…') && s.chars().count() <= SUMMARY_CHARS + 1,
            "{s}"
        );
        assert_eq!(index["b"], "/a/");
        assert_eq!(index["d"][0][0], "");
    }

    /// Deterministic guides: a Zipf-like vocabulary of 12,000 made-up words
    /// plus stop words, ~600 words of body, realistic titles and summaries.
    fn generated(n: usize) -> Vec<SearchDoc> {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rnd = move |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        let syl = [
            "ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ra", "se", "ti", "vo", "za",
            "bri", "cla", "stro", "gno", "tte", "ssa", "nte", "men", "zio", "ver", "par", "col",
        ];
        let ends = [
            "a", "e", "i", "o", "are", "ato", "ione", "mente", "ità", "oso", "ando",
        ];
        let vocab: Vec<String> = (0..12_000)
            .map(|i| {
                let (a, b, c) = (i % 26, (i / 26) % 26, (i / 676) % 18);
                format!(
                    "{}{}{}",
                    syl[a],
                    syl[b],
                    if c < 11 { ends[c] } else { syl[c] }
                )
            })
            .collect();
        let word = |rnd: &mut dyn FnMut(usize) -> usize| -> String {
            if rnd(10) < 4 {
                return STOP_WORDS[rnd(STOP_WORDS.len())].to_string();
            }
            // log-uniform rank: P(r) ~ 1/r
            let r = (12_000f64.powf(rnd(10_000) as f64 / 10_000.0)) as usize;
            vocab[r.clamp(1, 12_000) - 1].clone()
        };
        let services = [
            "SPID",
            "CIE",
            "PagoPA",
            "IO",
            "Fascicolo del Cittadino",
            "FSE",
        ];
        let tags = [
            "truffe",
            "scuola",
            "salute",
            "pagamenti",
            "telefono",
            "email",
            "anziani",
            "casa",
        ];
        (0..n)
            .map(|i| {
                let sentence = |len: usize, rnd: &mut dyn FnMut(usize) -> usize| {
                    (0..len).map(|_| word(rnd)).collect::<Vec<_>>().join(" ")
                };
                let title = format!("Come {}", sentence(3 + rnd(3), &mut rnd));
                let summary = format!("{}.", sentence(12 + rnd(8), &mut rnd));
                let mut body = String::new();
                while body.split(' ').count() < 600 {
                    body.push_str(&sentence(8 + rnd(12), &mut rnd));
                    body.push_str(if rnd(4) == 0 { ".\n" } else { ". " });
                }
                let slug: String = normalize(&title).replace(' ', "-");
                SearchDoc {
                    url: format!("/tutorial/{slug}-{i}/"),
                    title,
                    summary,
                    body,
                    services: vec![services[rnd(services.len())].to_string()],
                    tags: (0..2).map(|_| tags[rnd(tags.len())].to_string()).collect(),
                    level: Some(["facile", "medio", "avanzato"][rnd(3)].to_string()),
                }
            })
            .collect()
    }

    #[test]
    fn a_thousand_guides_stay_under_300_kb() {
        let docs = generated(1_000);
        let synonyms = vec![vec!["carta d'identità".to_string(), "CIE".to_string()]];
        let (json, level) = build_with_level(&docs, &synonyms);
        let kept = (BODY_TERMS[level], PASSAGES[level]);
        eprintln!(
            "1,000 docs: {} bytes, level {level}, kept {kept:?}",
            json.len()
        );
        assert!(json.len() < 300_000, "{} bytes", json.len());
        // Compactness regression guard: besides titles and summaries, each
        // guide keeps at least its 24 most telling body words.
        assert!(BODY_TERMS[level] >= 24, "level {level}");
        let index = parse(&json);
        assert_eq!(index["d"].as_array().unwrap().len(), 1_000);
        let mut seen = HashSet::new();
        for list in index["t"].as_object().unwrap().values() {
            seen.extend(decode(list.as_str().unwrap()).into_iter().map(|(d, _)| d));
        }
        assert_eq!(seen.len(), 1_000, "every doc is findable");
    }

    #[test]
    fn a_small_site_keeps_every_body_word() {
        let docs = generated(40);
        let (json, level) = build_with_level(&docs, &[]);
        assert_eq!(level, BODY_TERMS.len() - 1, "{} bytes", json.len());
        let index = parse(&json);
        for (i, d) in docs.iter().enumerate() {
            for s in tokens(&d.body) {
                assert!(
                    postings(&index, &s).iter().any(|&(doc, _)| doc == i),
                    "{s} in doc {i}"
                );
            }
        }
        assert!(index["d"][0][3].as_array().unwrap().len() >= 3);
    }

    #[test]
    fn no_docs_give_an_empty_index() {
        let index = parse(&build_index(&[], &[vec!["a b".into(), "c d".into()]]));
        assert_eq!(index["b"], "");
        assert_eq!(index["d"], serde_json::json!([]));
        assert_eq!(index["t"], serde_json::json!({}));
    }

    #[test]
    fn same_input_same_bytes() {
        let docs = generated(30);
        assert_eq!(build_index(&docs, &[]), build_index(&docs, &[]));
    }
}

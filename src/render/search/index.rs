//! Docs in, index files out (format in the parent module's doc).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use std::hash::Hasher;

use super::text::{fuzzy_keys, synonym_groups, window, Analyzer, Fx, FxMap, Sym, NONE, STOP_WORDS};
use super::SearchDoc;

/// Bytes a term chunk aims at (it grows past it only for one long term).
pub const TERM_CHUNK: usize = 12 * 1024;
/// Bytes a typo-key chunk aims at.
pub const FUZZY_CHUNK: usize = 8 * 1024;

/// Characters kept of a summary, of a detail line, of the text a result's
/// excerpt is cut from (the start of the page's prose).
pub const SUMMARY_CHARS: usize = 200;
pub const DETAIL_CHARS: usize = 220;
pub const TEXT_CHARS: usize = 2_000;

/// What the browser may have to fetch at once, in bytes (uncompressed): the
/// manifest, fetched first by every search, and any one chunk. Past them the
/// index is still written, with a warning.
pub const MANIFEST_BUDGET: usize = 64 * 1024;
pub const CHUNK_BUDGET: usize = 64 * 1024;

/// Chunk targets and budgets, in bytes (the constants above; tests change them).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub term_chunk: usize,
    pub fuzzy_chunk: usize,
    pub manifest_budget: usize,
    pub chunk_budget: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            term_chunk: TERM_CHUNK,
            fuzzy_chunk: FUZZY_CHUNK,
            manifest_budget: MANIFEST_BUDGET,
            chunk_budget: CHUNK_BUDGET,
        }
    }
}

/// The index files, relative to `cerca/`, with their contents.
pub struct Built {
    /// `indice.json` first, then every chunk by name.
    pub files: Vec<(String, String)>,
    /// Files over their budget.
    pub over: Vec<Over>,
}

/// A run of pages: its analyser's stems, and each page's (stem number, weight).
type Run = (Vec<Arc<str>>, Vec<Vec<(Sym, u8)>>);

/// A file of the index over its budget: (file, bytes, budget, why).
pub type Over = (String, usize, usize, String);

/// Builds every file of the index. Same input, same bytes.
pub fn build(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Built {
    build_with(docs, synonyms, Limits::default())
}

/// [`build`] with other chunk targets and budgets.
pub fn build_with(docs: &[SearchDoc], synonyms: &[Vec<String>], limits: Limits) -> Built {
    let files = Mutex::new(Vec::new());
    let put = |name: String, text: String| {
        files.lock().expect("not poisoned").push((name, text));
        Ok::<(), std::convert::Infallible>(())
    };
    let Ok(over) = build_into(docs, synonyms, limits, &put);
    let mut files = files.into_inner().expect("not poisoned");
    files.sort_by_key(|f| (f.0 != "indice.json", natural(&f.0)));
    Built { files, over }
}

/// Builds every file of the index and hands each to `put` (name relative
/// to `cerca/`, text) as soon as it is made, the manifest last; returns the
/// files over their budget. Same input, same files.
pub fn build_into<E: Send>(
    docs: &[SearchDoc],
    synonyms: &[Vec<String>],
    limits: Limits,
    put: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<Vec<Over>, E> {
    let terms = terms_into(analyse_docs(docs, synonyms), limits, put)?;
    let results = results_into(docs, limits, put)?;
    manifest_into(terms, results, limits, put)
}

/// Every doc's words, analysed (in parallel): what [`terms_into`] files.
pub struct Analysed {
    runs: Vec<Run>,
    groups: Vec<Vec<Vec<String>>>,
}

/// The first part of the index, first half: every doc's words analysed.
pub fn analyse_docs(docs: &[SearchDoc], synonyms: &[Vec<String>]) -> Analysed {
    let groups = synonym_groups(synonyms);
    // Pages in parallel, in runs: each run numbers its stems its own way
    // (one analyser, its caches warm for the whole run).
    let run = docs
        .len()
        .div_ceil(rayon::current_num_threads() * 8)
        .max(64);
    let runs: Vec<Run> = docs
        .par_chunks(run)
        .map(|pages| {
            let mut an = Analyzer::new();
            let words = pages
                .iter()
                .map(|doc| analyse(&mut an, doc, &groups))
                .collect();
            (an.stems, words)
        })
        .collect();
    Analysed { runs, groups }
}

/// The first part, second half: the words filed in the term and typo
/// chunks (one core's work), each handed to `put` when made.
pub fn terms_into<E: Send>(
    analysed: Analysed,
    limits: Limits,
    put: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<Terms, E> {
    let Analysed { runs, groups } = analysed;
    let written = Written::new(limits, put);
    let files = term_files(runs, limits, &|name, text| written.put(name, text))?;
    Ok(Terms {
        files,
        groups,
        over: written.over(),
    })
}

/// The second part: the file of each result (what the browser shows of
/// it), in parallel; independent of the first, so it can be written while
/// other things are made.
pub fn results_into<E: Send>(
    docs: &[SearchDoc],
    limits: Limits,
    put: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<Results, E> {
    let base = common_base(docs);
    let written = Written::new(limits, put);
    let hashes = docs
        .par_iter()
        .enumerate()
        .with_max_len(16)
        .map(|(i, doc)| {
            written.put(
                format!("indice/d{i}.json"),
                meta(doc, &doc.url[base.len()..]),
            )
        })
        .collect::<Result<Vec<u64>, E>>()?;
    Ok(Results {
        hashes,
        base: base.to_string(),
        over: written.over(),
    })
}

/// The last part: the manifest, whose version hash is made of every other
/// file's, in a fixed order (term chunks, typo chunks, results). Returns
/// the files over their budget, the manifest included.
pub fn manifest_into<E>(
    terms: Terms,
    results: Results,
    limits: Limits,
    put: &(dyn Fn(String, String) -> Result<(), E> + Sync),
) -> Result<Vec<Over>, E> {
    let Terms {
        files:
            TermFiles {
                hashes,
                term_starts,
                fuzzy_starts,
            },
        groups,
        over: mut over_budget,
    } = terms;
    over_budget.extend(results.over);
    let mut hash = Fx::default();
    for h in hashes.iter().chain(&results.hashes) {
        hash.write_u64(*h);
    }
    let syn: Vec<Vec<&str>> = groups
        .iter()
        .map(|g| {
            let mut v: Vec<&str> = g.iter().flatten().map(String::as_str).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let manifest = serde_json::json!({
        "v": 2,
        "h": format!("{:016x}", hash.finish()),
        "p": "indice/",
        "b": results.base,
        "n": results.hashes.len(),
        "t": term_starts,
        "f": fuzzy_starts,
        "w": STOP_WORDS,
        "y": syn,
    });
    let mut manifest = manifest.to_string();
    escape_markup(&mut manifest);
    if manifest.len() > limits.manifest_budget {
        over_budget.push((
            "cerca/indice.json".into(),
            manifest.len(),
            limits.manifest_budget,
            format!(
                "{} blocchi di parole e {} di correzioni",
                term_starts.len(),
                fuzzy_starts.len()
            ),
        ));
    }
    put("indice.json".to_string(), manifest)?;
    over_budget.sort();
    Ok(over_budget)
}

/// The term and typo chunks of an index, written; what its manifest needs.
pub struct Terms {
    files: TermFiles,
    groups: Vec<Vec<Vec<String>>>,
    over: Vec<Over>,
}

/// The result files of an index, written: their hashes in doc order, and
/// the address prefix every doc shares (left out of each file).
pub struct Results {
    hashes: Vec<u64>,
    base: String,
    over: Vec<Over>,
}

/// Hands finished chunk files on: markup escaped, the size checked against
/// the budget, the text hashed for the manifest's version.
struct Written<'a, E> {
    limits: Limits,
    put: &'a (dyn Fn(String, String) -> Result<(), E> + Sync),
    over: Mutex<Vec<Over>>,
}

impl<'a, E> Written<'a, E> {
    fn new(limits: Limits, put: &'a (dyn Fn(String, String) -> Result<(), E> + Sync)) -> Self {
        Written {
            limits,
            put,
            over: Mutex::new(Vec::new()),
        }
    }

    fn put(&self, name: String, mut text: String) -> Result<u64, E> {
        escape_markup(&mut text);
        if text.len() > self.limits.chunk_budget {
            let why = biggest_entry(&text);
            let entry = (
                format!("cerca/{name}"),
                text.len(),
                self.limits.chunk_budget,
                why,
            );
            self.over.lock().expect("not poisoned").push(entry);
        }
        let mut hash = Fx::default();
        hash.write(name.as_bytes());
        hash.write(text.as_bytes());
        (self.put)(name, text)?;
        Ok(hash.finish())
    }

    fn over(self) -> Vec<Over> {
        self.over.into_inner().expect("not poisoned")
    }
}

/// The postings of every stem, in doc order, written as term chunks and
/// the typo chunks beside them; each file goes to `finish`.
fn term_files<E>(
    runs: Vec<Run>,
    limits: Limits,
    finish: &(dyn Fn(String, String) -> Result<u64, E> + Sync),
) -> Result<TermFiles, E> {
    // Postings, in doc order, encoded as they come: run numbers become
    // global ones, so only each run's vocabulary is hashed, not every word
    // of every page.
    let mut global: FxMap<Arc<str>, u32> = FxMap::default();
    let mut stems: Vec<Arc<str>> = Vec::new();
    let mut lists: Vec<Postings> = Vec::new();
    let mut d = 0u32;
    for (local, pages) in runs {
        let ids: Vec<u32> = local
            .iter()
            .map(|s| {
                *global.entry(Arc::clone(s)).or_insert_with(|| {
                    stems.push(Arc::clone(s));
                    lists.push(Postings::default());
                    stems.len() as u32 - 1
                })
            })
            .collect();
        for words in pages {
            for (id, w) in words {
                lists[ids[id as usize] as usize].push(d, w);
            }
            d += 1;
        }
    }
    drop(global);
    let mut terms: Vec<(&Arc<str>, &Postings)> = stems.iter().zip(&lists).collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut hashes: Vec<u64> = Vec::new();

    let term_entries = terms
        .iter()
        .map(|(s, list)| (&***s, json_str(s) + ":" + &json_str(&list.text)));
    let term_starts = chunk(term_entries, limits.term_chunk, "t", &mut |name, text| {
        hashes.push(finish(name, text)?);
        Ok(())
    })?;

    // Typo tolerance: alphabetic stems of four letters or more, found in two
    // pages or in a weighted field of one, filed under their keys.
    let mut keyed: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (s, list) in &terms {
        let useful = list.docs > 1 || list.weighted;
        if s.len() >= 4 && s.bytes().all(|b| b.is_ascii_lowercase()) && useful {
            for k in fuzzy_keys(s) {
                keyed.entry(k).or_default().push(s);
            }
        }
    }
    // A key longer than a chunk is split over several, each starting with it.
    let mut fuzzy_entries: Vec<(String, String)> = Vec::new();
    for (k, list) in &keyed {
        let mut part = String::new();
        for t in list {
            if !part.is_empty() && part.len() + t.len() > limits.fuzzy_chunk / 2 {
                fuzzy_entries.push((k.clone(), std::mem::take(&mut part)));
            }
            if !part.is_empty() {
                part.push(' ');
            }
            part.push_str(t);
        }
        fuzzy_entries.push((k.clone(), part));
    }
    let fuzzy_entries = fuzzy_entries
        .iter()
        .map(|(k, v)| (k.as_str(), json_str(k) + ":" + &json_str(v)));
    let fuzzy_starts = chunk(fuzzy_entries, limits.fuzzy_chunk, "f", &mut |name, text| {
        hashes.push(finish(name, text)?);
        Ok(())
    })?;
    Ok(TermFiles {
        hashes,
        term_starts,
        fuzzy_starts,
    })
}

/// The term and typo chunks as written: the files' hashes in order, and
/// the first key of each chunk.
struct TermFiles {
    hashes: Vec<u64>,
    term_starts: Vec<String>,
    fuzzy_starts: Vec<String>,
}

/// A stem's docs, encoded as they are added (see [`push_posting`]).
#[derive(Default)]
struct Postings {
    text: String,
    /// The doc after the last one added.
    next: u32,
    docs: u32,
    /// Whether a doc has it in a weighted field.
    weighted: bool,
}

impl Postings {
    fn push(&mut self, doc: u32, weight: u8) {
        push_posting(&mut self.text, doc - self.next, weight);
        self.next = doc + 1;
        self.docs += 1;
        self.weighted |= weight > 0;
    }
}

/// Sorts `indice/t10.json` after `indice/t9.json`.
fn natural(name: &str) -> (String, usize) {
    let digits = name.trim_end_matches(".json");
    let cut = digits.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (name[..cut].to_string(), digits[cut..].parse().unwrap_or(0))
}

/// The words of one page with their weights: 3 title, 2 services, tags,
/// place, Municipio, weekdays of a help desk, 1 summary, address, the kind
/// and body words used 3 times or more, 0 other body words and dates.
/// Synonyms (groups of phrases from site.yaml) are expanded here: a page
/// holding every stem of one phrase of a group is also posted under the
/// stems of the group's other phrases, weighted as the weakest stem it holds.
fn analyse(an: &mut Analyzer, doc: &SearchDoc, groups: &[Vec<Vec<String>>]) -> Vec<(Sym, u8)> {
    // Dense per-stem arrays instead of maps: a page is read word by word.
    let (mut weight, mut count) = (
        std::mem::take(&mut an.weight),
        std::mem::take(&mut an.count),
    );
    let mut touched: Vec<Sym> = Vec::new();
    let bump = |weight: &mut Vec<u8>,
                count: &mut Vec<u32>,
                touched: &mut Vec<Sym>,
                id: Sym,
                w: u8,
                body: bool| {
        let i = id as usize;
        if i >= weight.len() {
            weight.resize(i + 1, NONE);
            count.resize(i + 1, 0);
        }
        if weight[i] == NONE {
            touched.push(id);
            weight[i] = w;
        } else {
            weight[i] = weight[i].max(w);
        }
        count[i] += u32::from(body);
    };
    let texts = [(doc.title.as_str(), 3), (doc.summary.as_str(), 1)]
        .into_iter()
        .chain(doc.fields.iter().map(|(t, w)| (t.as_str(), (*w).min(3))));
    for (text, w) in texts {
        an.syms(text, |_, id| {
            bump(&mut weight, &mut count, &mut touched, id, w, false)
        });
    }
    doc.body.blocks(|text| {
        an.syms(text, |_, id| {
            bump(&mut weight, &mut count, &mut touched, id, 0, true)
        })
    });
    let mut extra = Vec::new();
    for group in groups {
        for (i, phrase) in group.iter().enumerate() {
            let held: Option<Vec<u8>> = phrase
                .iter()
                .map(|s| {
                    let k = an.known(s)? as usize;
                    let w = *weight.get(k)?;
                    (w != NONE).then(|| w.max(u8::from(count[k] >= 3)))
                })
                .collect();
            let Some(held) = held else { continue };
            let w = held.into_iter().min().unwrap_or(0);
            for (_, other) in group.iter().enumerate().filter(|&(j, _)| j != i) {
                extra.extend(other.iter().map(|s| (s.clone(), w)));
            }
        }
    }
    for (s, w) in extra {
        let id = an.intern(&s);
        bump(&mut weight, &mut count, &mut touched, id, w, false);
    }
    let words = touched
        .into_iter()
        .map(|id| {
            let i = id as usize;
            let w = weight[i].max(u8::from(count[i] >= 3));
            (weight[i], count[i]) = (NONE, 0);
            (id, w)
        })
        .collect();
    (an.weight, an.count) = (weight, count);
    words
}

/// A result as the browser shows it: `[address after the base, title, kind,
/// summary, detail, text]`; the browser cuts the excerpt from the summary or
/// the text (the page's prose, clipped).
fn meta(doc: &SearchDoc, url: &str) -> String {
    let row = (
        url,
        &doc.title,
        doc.kind as u8,
        window(doc.summary.trim(), 0, SUMMARY_CHARS),
        window(doc.detail.trim(), 0, DETAIL_CHARS),
        clip(doc.body.start_of(TEXT_CHARS).trim(), TEXT_CHARS),
    );
    serde_json::to_string(&row).unwrap_or_default()
}

/// The first `max` characters of `text`, cut at a space, with "…" if cut.
fn clip(text: &str, max: usize) -> String {
    // Where the character after the first `max` starts: at byte `max` when
    // those bytes are ASCII (most text), found char by char otherwise.
    let end = match text.as_bytes().get(..max) {
        None => None,
        Some(head) if head.is_ascii() => (text.len() > max).then_some(max),
        Some(_) => text.char_indices().nth(max).map(|(at, _)| at),
    };
    match end {
        None => text.to_string(),
        Some(end) => {
            let cut = text[..end].rfind(char::is_whitespace).unwrap_or(end);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

/// Splits sorted `(key, "json entry")` pairs into JSON object files of about
/// `target` bytes named `indice/{prefix}{i}.json`, handed to `put` in order;
/// returns the first key of each file (the first is always "").
fn chunk<'a, E>(
    entries: impl Iterator<Item = (&'a str, String)>,
    target: usize,
    prefix: &str,
    put: &mut dyn FnMut(String, String) -> Result<(), E>,
) -> Result<Vec<String>, E> {
    let mut starts = vec![String::new()];
    let mut body = String::new();
    for (k, entry) in entries {
        if !body.is_empty() && body.len() + entry.len() > target {
            let i = starts.len() - 1;
            put(format!("indice/{prefix}{i}.json"), format!("{{{body}}}"))?;
            body.clear();
            starts.push(k.to_string());
        }
        if !body.is_empty() {
            body.push(',');
        }
        body.push_str(&entry);
    }
    let i = starts.len() - 1;
    put(format!("indice/{prefix}{i}.json"), format!("{{{body}}}"))?;
    Ok(starts)
}

/// The key of the longest entry of a chunk, to name it in a warning.
fn biggest_entry(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    match v {
        serde_json::Value::Object(map) => map
            .iter()
            .max_by_key(|(_, v)| v.as_str().map_or(0, str::len))
            .map(|(k, v)| {
                let len = v.as_str().map_or(0, str::len);
                format!("la parola «{k}» da sola pesa {len} byte")
            })
            .unwrap_or_default(),
        _ => "le pagine di questo blocco hanno testi lunghi".into(),
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `<` and `>` escaped so no text of the index can read as markup anywhere.
fn escape_markup(json: &mut String) {
    if memchr::memchr2(b'<', b'>', json.as_bytes()).is_some() {
        *json = json.replace('<', "\\u003c").replace('>', "\\u003e");
    }
}

/// A whole postings list, as [`push_posting`] writes it (tests).
#[cfg(test)]
pub(crate) fn encode_postings(list: &[(u32, u8)]) -> String {
    let mut out = String::new();
    let mut next = 0;
    for &(doc, weight) in list {
        push_posting(&mut out, doc - next, weight);
        next = doc + 1;
    }
    out
}

/// Writes one entry of a postings list. A postings list names the docs
/// holding a stem, in doc order, as one string of numbers `gap * 4 + weight`
/// (the gap counts the docs skipped since the previous entry). Each number is
/// written in base 32, most significant digit first: digits before the last
/// one are the characters `#`..`B` (0x23 + digit), the last one `]`..`|`
/// (0x5D + digit), so the string needs no escaping in JSON and numbers need
/// no separator.
pub(crate) fn push_posting(out: &mut String, gap: u32, weight: u8) {
    let v = u64::from(gap) * 4 + u64::from(weight.min(3));
    let digits = (1..13).find(|&k| v >> (5 * k) == 0).unwrap_or(13);
    for k in (0..digits).rev() {
        let digit = ((v >> (5 * k)) & 31) as u8;
        out.push(char::from(if k == 0 { 0x5D } else { 0x23 } + digit));
    }
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

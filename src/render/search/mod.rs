//! The search index behind `/cerca/`: pages in, a small manifest and many
//! small chunks out, so that a search downloads only what its words need.
//!
//! Every page a citizen may look for is a doc: tutorials, events and weekly
//! help desks (by place, address, Municipio, weekday and date), diary
//! entries and plain pages. [`text`] owns the analysis (accents folded,
//! Italian stop words dropped, the Italian Snowball stemmer);
//! `themes/agid/static/js/search.js` repeats it on the query, so both sides
//! meet on stems. Nothing here renders HTML or reads a file.
//!
//! Files (JSON, short keys, `<` and `>` escaped):
//!
//! ```text
//! cerca/indice.json       the manifest, fetched first:
//!   { "v": 2, "h": version hash (chunks are fetched with ?v=h),
//!     "p": "indice/" (chunk folder, relative to the manifest),
//!     "b": address prefix shared by every doc, "n": docs,
//!     "t": [first stem of each term chunk], "f": [first key of each typo chunk],
//!     "w": [stop word, ...], "y": [[stem of a synonym group, ...], ...] }
//! cerca/indice/t{i}.json  term chunk: { stem: postings, ... }, stems sorted;
//!                          stem s is in the last chunk whose first stem <= s
//! cerca/indice/f{i}.json  typo chunk: { key: "stem stem ...", ... } (see
//!                          text::fuzzy_keys); a key may go on in the next
//!                          chunks, which then start with it
//! cerca/indice/d{i}.json  doc i: [address after b, title, kind, summary,
//!                          detail, text]
//! ```
//!
//! Kinds: 0 tutorial, 1 event, 2 weekly help desk, 3 diary entry, 4 page.
//! The detail line says when and where (events), the date and place (diary),
//! level and duration (tutorials). The text is the start of the page's prose
//! ([`index::TEXT_CHARS`]); the browser shows the summary, or the window of
//! the text holding most of the query's words, with those words in `<mark>`.
//!
//! Postings: see [`index::push_posting`]. Weights: 3 title; 2 services,
//! tags, place, Municipio, a help desk's weekdays; 1 summary, address, kind,
//! body words used 3+ times; 0 other body words, dates and the level.
//! Synonyms (groups of phrases from site.yaml) are expanded at build time:
//! a doc holding every stem of one phrase of a group is also posted under
//! the stems of the other phrases ("avviso di pagamento" -> "bollettino").
//!
//! Size is fixed before any page is analysed: every word of every doc is
//! indexed, chunks have fixed targets ([`index::TERM_CHUNK`] and the
//! others), each doc keeps a clipped summary and text. A search fetches the
//! manifest, one term chunk per word (two for the word being typed), up to
//! three typo chunks for a word not in the index, and one small file per
//! result shown (10 at a time). When the
//! manifest or a chunk exceeds its budget the index is still written and
//! [`SearchInput::files_and_warnings`] says so.

pub mod index;
pub mod text;

use super::views::prefixed;
use crate::calendar;
use crate::content::fields::EventState;
use crate::content::markdown::Analysis;
use crate::content::text::Text;
use crate::content::{Fields, Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::output::{Collect, Output, Sink, WriteError};
use crate::site::Site;
use index::Limits;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub use index::{CHUNK_BUDGET, MANIFEST_BUDGET};
pub use text::{fuzzy_keys, normalize, tokens, STOP_WORDS};

/// The manifest of the search index (the search page fetches it).
pub const SEARCH_INDEX: &str = "cerca/indice.json";
/// The folder of its chunks.
pub const INDEX_DIR: &str = "cerca/indice/";

/// Whether an output file is part of the search index.
pub fn is_index_file(path: &str) -> bool {
    path == SEARCH_INDEX || path.starts_with(INDEX_DIR)
}

/// What a result is, shown as a label before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocKind {
    #[default]
    Tutorial = 0,
    Event = 1,
    HelpDesk = 2,
    Diary = 3,
    Page = 4,
}

impl DocKind {
    /// The label search.js shows (same list there).
    pub const fn label(self) -> &'static str {
        match self {
            DocKind::Tutorial => "Guida",
            DocKind::Event => "Evento",
            DocKind::HelpDesk => "Sportello settimanale",
            DocKind::Diary => "Diario",
            DocKind::Page => "Pagina",
        }
    }
}

/// A page as the search index sees it.
#[derive(Clone, Debug, Default)]
pub struct SearchDoc {
    /// Address as linked from the site (`/tutorial/spid/`).
    pub url: String,
    pub kind: DocKind,
    pub title: String,
    pub summary: String,
    /// Plain text, no markup, block by block.
    pub body: DocBody,
    /// More words to find it by, each text with its weight (0 to 3).
    pub fields: Vec<(String, u8)>,
    /// One line shown under the title (when and where, level, date).
    pub detail: String,
}

/// The prose of a doc, read block by block: a page's text and analysis,
/// shared rather than copied (or read again when left in its file), or a
/// plain text.
#[derive(Clone, Debug)]
pub struct DocBody {
    text: Text,
    /// Where the body starts in `text`.
    start: usize,
    /// The body's blocks; `None`: the body is one block.
    analysis: Option<Arc<Analysis>>,
}

impl DocBody {
    /// The body of a page.
    pub fn of_page(page: &Page, analysis: &Arc<Analysis>) -> DocBody {
        DocBody {
            text: page.text.clone(),
            start: page.body_start,
            analysis: Some(Arc::clone(analysis)),
        }
    }

    /// Calls `f` with the text of every block, in order.
    pub fn blocks(&self, mut f: impl FnMut(&str)) {
        self.blocks_while(|t| {
            f(t);
            true
        });
    }

    /// [`DocBody::blocks`] until `f` returns false.
    fn blocks_while(&self, mut f: impl FnMut(&str) -> bool) {
        let text = self.text.get();
        let body = text.get(self.start..).unwrap_or("");
        match &self.analysis {
            Some(a) => a.prose_while(body, |_, t| f(t)),
            None => {
                f(body);
            }
        }
    }

    /// The blocks joined by line breaks, up to `chars` characters or a little more.
    pub fn start_of(&self, chars: usize) -> String {
        let mut out = String::new();
        let mut count = 0;
        self.blocks_while(|t| {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(t);
            count += t.chars().count() + 1;
            count <= chars
        });
        out
    }
}

impl Default for DocBody {
    fn default() -> DocBody {
        "".into()
    }
}

impl From<&str> for DocBody {
    fn from(text: &str) -> DocBody {
        DocBody {
            text: Text::held(text.into()),
            start: 0,
            analysis: None,
        }
    }
}

impl From<String> for DocBody {
    fn from(text: String) -> DocBody {
        text.as_str().into()
    }
}

/// What the search index is made from, owned, so that it can be made on
/// another thread (serve does).
pub struct SearchInput {
    docs: Vec<SearchDoc>,
    synonyms: Vec<Vec<String>>,
}

impl SearchInput {
    /// The files of the index.
    pub fn files(&self) -> Vec<Output> {
        self.files_and_warnings().0
    }

    /// The files of the index, and a warning for each file over its budget
    /// (the file is written all the same).
    pub fn files_and_warnings(&self) -> (Vec<Output>, Vec<Diagnostic>) {
        let files = Collect::default();
        let warnings = match self.write_into(&files) {
            Ok((_, warnings)) => warnings,
            Err(never) => unreachable!("memory takes every file: {never}"),
        };
        (files.into_files(), warnings)
    }

    /// Writes the files of the index into `sink` as they are made; returns
    /// how many, and a warning for each file over its budget.
    pub fn write_into(&self, sink: &dyn Sink) -> Result<(usize, Vec<Diagnostic>), WriteError> {
        let put = Counted::new(sink);
        let over = index::build_into(&self.docs, &self.synonyms, Limits::default(), &put.put())?;
        Ok((put.count(), warnings(over)))
    }

    /// The index in three parts, as [`SearchInput::write_into`] makes it:
    /// first the words of every doc, analysed (every core's work)...
    pub fn analyse(&self) -> index::Analysed {
        index::analyse_docs(&self.docs, &self.synonyms)
    }

    /// ...and filed in their chunks (one core's, beside other work)...
    pub fn terms_into(
        analysed: index::Analysed,
        sink: &dyn Sink,
    ) -> Result<Part<index::Terms>, WriteError> {
        let put = Counted::new(sink);
        let terms = index::terms_into(analysed, Limits::default(), &put.put())?;
        Ok(Part(terms, put.count()))
    }

    /// ...then the file of each result, which needs nothing from the first
    /// part and can be written beside other work; the docs are let go once
    /// written...
    pub fn results_into(&mut self, sink: &dyn Sink) -> Result<Part<index::Results>, WriteError> {
        let put = Counted::new(sink);
        let results = index::results_into(&self.docs, Limits::default(), &put.put())?;
        self.docs = Vec::new();
        Ok(Part(results, put.count()))
    }

    /// ...and last the manifest, versioned by all the others. Returns how
    /// many files the three parts wrote, and a warning for each file over
    /// its budget.
    pub fn manifest_into(
        terms: Part<index::Terms>,
        results: Part<index::Results>,
        sink: &dyn Sink,
    ) -> Result<(usize, Vec<Diagnostic>), WriteError> {
        let put = Counted::new(sink);
        let over = index::manifest_into(terms.0, results.0, Limits::default(), &put.put())?;
        Ok((terms.1 + results.1 + put.count(), warnings(over)))
    }

    /// The docs, in index order.
    pub fn docs(&self) -> &[SearchDoc] {
        &self.docs
    }
}

/// A part of the index, written, and how many files it took.
pub struct Part<T>(T, usize);

/// A sink for index files named relative to `cerca/`, counting them.
struct Counted<'a> {
    sink: &'a dyn Sink,
    count: AtomicUsize,
}

impl<'a> Counted<'a> {
    fn new(sink: &'a dyn Sink) -> Self {
        Counted {
            sink,
            count: AtomicUsize::new(0),
        }
    }

    fn put(&self) -> impl Fn(String, String) -> Result<(), WriteError> + Sync + '_ {
        |name: String, text: String| {
            self.count.fetch_add(1, Ordering::Relaxed);
            self.sink.put(Output::bytes(format!("cerca/{name}"), text))
        }
    }

    fn count(self) -> usize {
        self.count.into_inner()
    }
}

/// A warning for each index file over its budget.
fn warnings(over: Vec<index::Over>) -> Vec<Diagnostic> {
    over.into_iter()
        .map(|(file, bytes, budget, why)| {
            Diagnostic::warning(
                "content",
                "search-size",
                format!(
                    "l'indice di ricerca ha un file più grande del previsto: {file} pesa {} KB, \
                     il limite è {} KB ({why})",
                    bytes.div_ceil(1024),
                    budget / 1024
                ),
            )
            .hint(
                "la ricerca funziona lo stesso, ma su un telefono lento la prima ricerca \
                 richiede più tempo; se succede spesso, dillo a chi sviluppa pillole",
            )
        })
        .collect()
}

/// What the search index of a site is made from: one doc per tutorial,
/// event, diary entry and plain page, in that order.
pub fn input(site: &Site) -> SearchInput {
    let prefix = site.prefix.as_str();
    let pages = (0..site.pages.len()).filter(|&i| site.pages[i].kind == Kind::Page);
    let order = site
        .tutorials
        .iter()
        .chain(&site.events)
        .chain(&site.diary)
        .copied()
        .chain(pages);
    SearchInput {
        docs: order
            .collect::<Vec<usize>>()
            .into_par_iter()
            .map(|i| doc(site, prefix, i))
            .collect(),
        synonyms: site.config.synonyms.clone(),
    }
}

fn doc(site: &Site, prefix: &str, i: usize) -> SearchDoc {
    let p = &site.pages[i];
    let mut fields: Vec<(String, u8)> = Vec::new();
    let mut detail: Vec<String> = Vec::new();
    if !p.common.tags.is_empty() {
        fields.push((p.common.tags.join(", "), 2));
    }
    // The Municipio with its neighbourhoods: "Calvairate" finds what
    // happens in Municipio 4.
    let municipio = |n: i64| match site.config.neighbourhoods(n) {
        Some(names) => format!("Municipio {n}: {names}"),
        None => format!("Municipio {n}"),
    };
    let kind = match &p.fields {
        Fields::Tutorial(t) => {
            fields.push((t.services.join(", "), 2));
            if let Some(level) = t.level {
                fields.push((level.as_str().to_string(), 0));
                detail.push(format!("Livello: {}", level.as_str()));
            }
            if let Some(d) = &t.duration {
                detail.push(format!("Durata: {d}"));
            }
            DocKind::Tutorial
        }
        Fields::Event(e) => {
            let (start, end) = (e.start.0, e.end.0);
            // Its state as the page says it ("Annullato", "Concluso").
            let state = e.state(site.next_occurrence(i).is_none());
            if state != EventState::Scheduled {
                detail.push(state.label().to_string());
            }
            let when = match &e.repeat {
                Some(r) => {
                    let days: Vec<&str> = r.days.iter().map(|d| d.name_it()).collect();
                    fields.push((days.join(" "), 2));
                    calendar::repeat_rule_it(start, end, r)
                }
                None => calendar::span_it(start, end),
            };
            fields.push((calendar::date_it(start.date()), 0));
            detail.push(capitalise(&when));
            let place = [e.place_text(), e.address.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            if !place.is_empty() {
                detail.push(place);
            }
            fields.extend(e.place_text().map(|t| (t, 2)));
            fields.extend(e.address.clone().map(|t| (t, 1)));
            if let Some(n) = e.municipio {
                fields.push((municipio(n), 2));
                detail.push(format!("Municipio {n}"));
            }
            if e.repeat.is_some() {
                DocKind::HelpDesk
            } else {
                DocKind::Event
            }
        }
        Fields::Diary(d) => {
            if let Some(date) = p.common.date {
                fields.push((calendar::date_it(date.0), 0));
                detail.push(calendar::date_short_it(date.0));
            }
            if let Some(place) = &d.place {
                fields.push((place.clone(), 2));
                detail.push(place.clone());
            }
            if let Some(n) = d.municipio {
                fields.push((municipio(n), 2));
                detail.push(format!("Municipio {n}"));
            }
            DocKind::Diary
        }
        Fields::Page => DocKind::Page,
    };
    if kind != DocKind::Page {
        fields.push((kind.label().to_string(), 1));
    }
    fields.retain(|(t, _)| !t.trim().is_empty());
    SearchDoc {
        url: prefixed(prefix, &p.path),
        kind,
        title: p.common.title.clone(),
        summary: p.common.summary.clone().unwrap_or_default(),
        body: DocBody::of_page(p, &site.analysis[i]),
        fields,
        detail: detail.join(" · "),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;

//! Content: the pages of a site, read from `content/` and typed by kind.
//!
//! `load` reads the files, `front_matter` splits and types their headers,
//! `fields` holds the typed headers of each kind, `markdown` renders bodies,
//! `image` measures pictures, `slug` makes addresses, `text` holds a file's
//! text (or reads it back). This module turns one source file into one
//! [`Page`] (without its rendered body: addresses must be known first).

pub mod fields;
pub mod front_matter;
pub mod image;
pub mod load;
pub mod markdown;
pub mod slug;
pub mod text;

use crate::calendar;
use crate::diagnostics::Diagnostic;
use fields::*;
use front_matter::{parse_yaml, split, YamlDoc};
use load::Source;

/// The kind of a content file, decided by where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Home,
    Section,
    Page,
    Tutorial,
    Diary,
    Event,
}

/// Top-level folders with a kind of their own.
/// The example text `pillole new` and `pillole init` write for the editor
/// to replace; `check` warns while any of it is still in a page.
pub const PLACEHOLDERS: &[&str] = &[
    "Scrivi qui",
    "Racconta qui",
    "Una frase che dice cosa si impara.",
    "Una frase che racconta la tappa.",
    "Una frase che dice cosa si fa all'incontro.",
];

pub const TUTORIAL_SECTION: &str = "tutorial";
pub const DIARY_SECTION: &str = "diario";
pub const EVENT_SECTION: &str = "eventi";

/// Typed front matter of a page, by kind.
#[derive(Clone, Debug)]
pub enum Fields {
    Page,
    Tutorial(Box<TutorialFields>),
    Diary(Box<DiaryFields>),
    Event(Box<EventFields>),
}

/// One content file, parsed.
#[derive(Clone, Debug)]
pub struct Page {
    /// Path relative to the site root (`content/tutorial/spid.md`).
    pub source: String,
    pub kind: Kind,
    /// Folder of the source relative to content/ (`tutorial`, or the
    /// bundle's folder `tutorial/spid` for `tutorial/spid/index.md`).
    pub dir: String,
    /// The section this page is listed in (`tutorial`; `` for top-level pages).
    pub section: String,
    /// The last part of its address.
    pub slug: String,
    /// Site path, `/tutorial/spid/` (the home is `/`).
    pub path: String,
    pub is_bundle: bool,
    pub common: Common,
    pub fields: Fields,
    /// Where the body starts in `text` (bytes).
    pub body_start: usize,
    pub body_line: usize,
    /// The source text (shared, never copied; in a big build, left in its
    /// file: see [`text`]).
    pub text: text::Text,
}

impl Page {
    /// The 1-based line of the top-level `key:` in the front matter.
    pub fn header_line(&self, key: &str) -> Option<usize> {
        self.text
            .get()
            .lines()
            .take(self.body_line.saturating_sub(1))
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|n| n + 1)
    }

    /// The Markdown body: the text after the front matter.
    pub fn body(&self) -> text::Part {
        let text = self.text.get();
        let end = text.len();
        text::Part::new(text, self.body_start..end)
    }

    /// The front matter as written: the text before the body.
    pub fn front(&self) -> text::Part {
        let text = self.text.get();
        let end = self.body_start.min(text.len());
        text::Part::new(text, 0..end)
    }
    pub fn tutorial(&self) -> Option<&TutorialFields> {
        match &self.fields {
            Fields::Tutorial(t) => Some(t),
            _ => None,
        }
    }
    pub fn diary(&self) -> Option<&DiaryFields> {
        match &self.fields {
            Fields::Diary(d) => Some(d),
            _ => None,
        }
    }
    pub fn event(&self) -> Option<&EventFields> {
        match &self.fields {
            Fields::Event(e) => Some(e),
            _ => None,
        }
    }
    /// The date shown and sorted on: `updated`, else `date`, else the event's start.
    pub fn sort_date(&self) -> Option<chrono::NaiveDate> {
        if let Some(e) = self.event() {
            return Some(e.start.0.date());
        }
        self.common.date.map(|d| d.0)
    }
    pub fn last_updated(&self) -> Option<chrono::NaiveDate> {
        self.common
            .updated
            .or(self.common.date)
            .map(|d| d.0)
            .or_else(|| self.event().map(|e| e.start.0.date()))
    }
}

/// Whether a folder's pages are listed by a list of their own (the
/// tutorials, the diary, the events) rather than as a section.
pub fn has_own_list(dir: &str) -> bool {
    let top = dir.split('/').next().unwrap_or("");
    [TUTORIAL_SECTION, DIARY_SECTION, EVENT_SECTION].contains(&top)
}

/// Where a source file sits: its kind, folder, section and default slug.
struct Place {
    kind: Kind,
    dir: String,
    section: String,
    slug: String,
    is_bundle: bool,
}

fn place(source: &str) -> Place {
    let rel = source.strip_prefix("content/").unwrap_or(source);
    let parts: Vec<&str> = rel.split('/').collect();
    let file = parts.last().copied().unwrap_or("");
    let folders = &parts[..parts.len().saturating_sub(1)];
    let top = folders.first().copied().unwrap_or("");
    let kind_of_section = match top {
        TUTORIAL_SECTION => Kind::Tutorial,
        DIARY_SECTION => Kind::Diary,
        EVENT_SECTION => Kind::Event,
        _ => Kind::Page,
    };
    if file == "_index.md" {
        let dir = folders.join("/");
        let kind = if folders.is_empty() {
            Kind::Home
        } else {
            Kind::Section
        };
        let slug = folders.last().copied().unwrap_or("").to_string();
        let section = folders[..folders.len().saturating_sub(1)].join("/");
        return Place {
            kind,
            dir,
            section,
            slug,
            is_bundle: false,
        };
    }
    if file == "index.md" && !folders.is_empty() {
        let dir = folders.join("/");
        let section = folders[..folders.len() - 1].join("/");
        let slug = folders.last().copied().unwrap_or("").to_string();
        let kind = if folders.len() == 1 {
            Kind::Page
        } else {
            kind_of_section
        };
        return Place {
            kind,
            dir,
            section,
            slug,
            is_bundle: true,
        };
    }
    let stem = file.strip_suffix(".md").unwrap_or(file).to_string();
    let kind = if folders.is_empty() {
        Kind::Page
    } else {
        kind_of_section
    };
    Place {
        kind,
        dir: folders.join("/"),
        section: folders.join("/"),
        slug: stem,
        is_bundle: false,
    }
}

/// Parses one source file. Returns the page when its header could be read,
/// and every diagnostic found on the way.
pub fn parse(source: Source) -> (Option<Page>, Vec<Diagnostic>) {
    let file = source.path.as_str();
    let mut diags = Vec::new();
    let parts = match split(file, &source.text) {
        Ok(p) => p,
        Err(d) => return (None, vec![d]),
    };
    let doc = YamlDoc {
        file,
        text: parts.yaml,
        first_line: parts.yaml_line,
        fenced: true,
    };
    let place = place(file);
    let (common, fields) = match place.kind {
        Kind::Tutorial => typed::<TutorialFields>(&doc, TUTORIAL_KEYS, &mut diags, |f| {
            (f.common(), Fields::Tutorial(Box::new(f)))
        }),
        Kind::Diary => typed::<DiaryFields>(&doc, DIARY_KEYS, &mut diags, |f| {
            (f.common(), Fields::Diary(Box::new(f)))
        }),
        Kind::Event => typed::<EventFields>(&doc, EVENT_KEYS, &mut diags, |f| {
            (f.common(), Fields::Event(Box::new(f)))
        }),
        _ => typed::<PageFields>(&doc, PAGE_KEYS, &mut diags, |f| (f.common(), Fields::Page)),
    }
    .unzip_option();
    let (Some(common), Some(fields)) = (common, fields) else {
        return (None, diags);
    };
    validate(&doc, &common, &fields, &mut diags);
    let slug = match &common.slug {
        Some(s) => match slug::validate(s) {
            Ok(()) => s.clone(),
            Err(reason) => {
                diags.push(
                    Diagnostic::error(file, "bad-slug", reason)
                        .at(key_line(&doc, "slug"), 1)
                        .hint(format!(
                            "usa solo lettere minuscole, cifre e trattini, per esempio «{}»",
                            slug::slugify(s, "pagina")
                        )),
                );
                return (None, diags);
            }
        },
        None => slug::slugify(&place.slug, "pagina"),
    };
    let path = match place.kind {
        Kind::Home => "/".to_string(),
        Kind::Section => format!("/{}/", place.dir),
        _ if place.section.is_empty() => format!("/{slug}/"),
        _ => format!("/{}/{slug}/", place.section),
    };
    let page = Page {
        source: source.path.clone(),
        kind: place.kind,
        dir: place.dir,
        section: place.section,
        slug,
        path,
        is_bundle: place.is_bundle,
        common,
        fields,
        // The body is the end of the text.
        body_start: source.text.len() - parts.body.len(),
        body_line: parts.body_line,
        text: text::Text::held(source.text.clone()),
    };
    (Some(page), diags)
}

trait UnzipOption<A, B> {
    fn unzip_option(self) -> (Option<A>, Option<B>);
}
impl<A, B> UnzipOption<A, B> for Option<(A, B)> {
    fn unzip_option(self) -> (Option<A>, Option<B>) {
        match self {
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        }
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    doc: &YamlDoc,
    keys: &[&str],
    diags: &mut Vec<Diagnostic>,
    into: impl FnOnce(T) -> (Common, Fields),
) -> Option<(Common, Fields)> {
    let (value, d) = parse_yaml::<T>(doc, keys);
    diags.extend(d);
    value.map(into)
}

/// 1-based file line of a top-level key in the header (or the header's first line).
pub fn key_line(doc: &YamlDoc, key: &str) -> usize {
    doc.text
        .lines()
        .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
        .map(|i| doc.first_line + i)
        .unwrap_or(doc.first_line)
}

fn validate(doc: &YamlDoc, common: &Common, fields: &Fields, diags: &mut Vec<Diagnostic>) {
    let file = doc.file;
    if common.title.trim().is_empty() {
        diags.push(
            Diagnostic::error(file, "title-empty", "il titolo è vuoto")
                .at(key_line(doc, "title"), 1)
                .hint("scrivi un titolo breve che dica cosa si impara, per esempio «Come attivare lo SPID»"),
        );
    }
    for alias in &common.aliases {
        if let Err(reason) = slug::validate_alias(alias) {
            diags.push(
                Diagnostic::error(file, "front-matter", reason)
                    .at(key_line(doc, "aliases"), 1)
                    .hint(
                        "scrivi il vecchio indirizzo della pagina, per esempio `/vecchia-pagina/`",
                    ),
            );
        }
    }
    let municipio = match fields {
        Fields::Diary(d) => d.municipio,
        Fields::Event(e) => e.municipio,
        _ => None,
    };
    if let Some(m) = municipio {
        if !(1..=9).contains(&m) {
            diags.push(
                Diagnostic::error(
                    file,
                    "municipio-range",
                    format!("il municipio {m} non esiste: a Milano i municipi vanno da 1 a 9"),
                )
                .at(key_line(doc, "municipio"), 1)
                .hint("scrivi un numero da 1 a 9"),
            );
        }
    }
    if let Fields::Event(e) = fields {
        let start = e.start.0;
        let end = e.end.0;
        for (key, t) in [("start", start), ("end", end)] {
            if let Err(err) = calendar::to_rome(t) {
                diags.push(
                    Diagnostic::error(file, "time-nonexistent", err.to_string())
                        .at(key_line(doc, key), 1)
                        .hint("scegli un'ora che esiste quel giorno, per esempio le 3:30"),
                );
            }
        }
        if end <= start {
            diags.push(
                Diagnostic::error(
                    file,
                    "event-end-before-start",
                    "l'evento finisce prima di cominciare: `end` viene prima di `start`",
                )
                .at(key_line(doc, "end"), 1)
                .hint("controlla data e ora di `end`: deve essere dopo `start`"),
            );
        }
        if let Some(r) = &e.repeat {
            // A later week can fall in the spring gap even when the first date does not.
            let first_ok = calendar::to_rome(start).is_ok() && calendar::to_rome(end).is_ok();
            if let (true, Err(err)) = (first_ok, calendar::occurrences_rome(start, end, Some(r))) {
                diags.push(
                    Diagnostic::error(file, "time-nonexistent", err.to_string())
                        .at(key_line(doc, "repeat"), 1)
                        .hint("cambia l'ora dell'incontro, o aggiungi quel giorno a `except`"),
                );
            }
            if r.until < start.date() {
                diags.push(
                    Diagnostic::error(
                        file,
                        "repeat-until",
                        "la ripetizione finisce prima del primo incontro",
                    )
                    .at(key_line(doc, "repeat"), 1)
                    .hint("in `repeat`, `until` deve essere una data dopo `start`"),
                );
            } else if (r.until - start.date()).num_days() > calendar::MAX_REPEAT_DAYS {
                diags.push(
                    Diagnostic::error(
                        file,
                        "repeat-until",
                        format!(
                            "la ripetizione dura troppo: finisce il {}",
                            calendar::date_short_it(r.until)
                        ),
                    )
                    .at(key_line(doc, "repeat"), 1)
                    .hint(
                        "una ripetizione può durare al massimo 5 anni: controlla l'anno di `until`",
                    ),
                );
            }
            if r.days.is_empty() {
                diags.push(
                    Diagnostic::error(
                        file,
                        "repeat-days",
                        "la ripetizione non dice in quali giorni",
                    )
                    .at(key_line(doc, "repeat"), 1)
                    .hint("aggiungi per esempio `days: [martedì]`"),
                );
            }
        }
    }
    if let Fields::Tutorial(t) = fields {
        if let Some(v) = &t.video {
            if v.src.trim().is_empty() {
                diags.push(
                    Diagnostic::error(file, "video-src", "il video non ha il file (`src`)")
                        .at(key_line(doc, "video"), 1)
                        .hint("aggiungi `src: video.mp4` sotto `video`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn places_and_addresses() {
        let (p, d) = parse(src("content/tutorial/spid.md", "---\ntitle: SPID\n---\nx"));
        let p = p.unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            (p.kind, p.path.as_str(), p.section.as_str()),
            (Kind::Tutorial, "/tutorial/spid/", "tutorial")
        );
        let (p, _) = parse(src(
            "content/tutorial/cie/index.md",
            "---\ntitle: CIE\nslug: carta\n---\n",
        ));
        let p = p.unwrap();
        assert_eq!(
            (p.path.as_str(), p.dir.as_str(), p.is_bundle),
            ("/tutorial/carta/", "tutorial/cie", true)
        );
        let (p, _) = parse(src("content/chi-siamo.md", "---\ntitle: Noi\n---\n"));
        assert_eq!(p.unwrap().path, "/chi-siamo/");
        let (p, _) = parse(src("content/_index.md", "---\ntitle: Home\n---\n"));
        assert_eq!(p.unwrap().kind, Kind::Home);
        let (p, _) = parse(src("content/eventi/_index.md", "---\ntitle: Eventi\n---\n"));
        let p = p.unwrap();
        assert_eq!((p.kind, p.path.as_str()), (Kind::Section, "/eventi/"));
    }

    #[test]
    fn slug_with_dots_is_refused() {
        let (p, d) = parse(src(
            "content/tutorial/x.md",
            "---\ntitle: X\nslug: ../../etc\n---\n",
        ));
        assert!(p.is_none());
        assert_eq!(d[0].rule, "bad-slug");
        assert_eq!(d[0].line, 3);
    }

    #[test]
    fn event_errors_name_the_field_line() {
        let text =
            "---\ntitle: E\nstart: 2026-03-29T02:30\nend: 2026-03-29T01:00\nmunicipio: 12\n---\n";
        let (_, d) = parse(src("content/eventi/e.md", text));
        let rules: Vec<_> = d.iter().map(|d| (d.rule, d.line)).collect();
        assert!(rules.contains(&("time-nonexistent", 3)), "{rules:?}");
        assert!(rules.contains(&("event-end-before-start", 4)), "{rules:?}");
        assert!(rules.contains(&("municipio-range", 5)), "{rules:?}");
    }

    #[test]
    fn unknown_status_is_an_error_with_the_allowed_values() {
        let text = "---\ntitle: E\nstart: 2026-03-21T09:30\nend: 2026-03-21T12:30\nstatus: rimandato\n---\n";
        let (p, d) = parse(src("content/eventi/e.md", text));
        assert!(p.is_none());
        assert_eq!(d[0].line, 5, "{d:?}");
        assert!(d[0].hint.contains("cancelled"), "{d:?}");
    }

    #[test]
    fn invalid_date_is_reported_at_its_line() {
        let (p, d) = parse(src(
            "content/diario/x.md",
            "---\ntitle: X\ndate: 2026-02-30\n---\n",
        ));
        assert!(p.is_none());
        assert_eq!(d[0].line, 3, "{d:?}");
        assert!(d[0].message.contains("non esiste"), "{d:?}");
    }
}

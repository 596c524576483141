//! `pillole import SRC DEST`: a site made with Hugo, Jekyll, Zola, mdBook
//! or a plain folder of Markdown, written as a pillole site in DEST.
//!
//! This module checks the two folders (SRC is only read; DEST must be new
//! or empty, and not inside SRC), runs the steps and writes DEST: `layout`
//! recognises the generator, `walk` decides what goes where,
//! `front_matter` maps headers, `gatsby` reads a Gatsby site's pages kept
//! in YAML, `published` leaves out what the old site never published,
//! `addresses` finds the old addresses kept as aliases, `shortcodes` and
//! `blocks` convert template syntax, `markdown` fixes titles, headings,
//! alt texts and links, `report` says what was done and what needs a
//! person.

mod addresses;
mod blocks;
mod front_matter;
mod gatsby;
mod include;
pub mod layout;
mod markdown;
mod published;
pub mod report;
mod shortcodes;
mod walk;

use crate::cli_new::{SiteYaml, ACCESSIBILITY_PAGE};
use layout::{Layout, SourceSite};
use report::{Conversion, Report};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why an import did not start or could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// SRC is not there.
    #[error("non trovo la cartella {0}")]
    SrcMissing(String),
    /// SRC is a file.
    #[error("{0} non è una cartella: indica la cartella del vecchio sito")]
    SrcNotDir(String),
    /// DEST has files in it.
    #[error("la cartella {0} esiste e non è vuota: indica una cartella nuova, pillole la crea")]
    DestNotEmpty(String),
    /// DEST is SRC or inside it.
    #[error("la cartella {dest} è dentro il vecchio sito {src}: scegline una fuori")]
    DestInsideSrc { src: String, dest: String },
    /// A file or folder could not be read.
    #[error("non riesco a leggere {path}: {reason}")]
    Read { path: String, reason: String },
    /// DEST could not be written.
    #[error("non riesco a scrivere {path}: {reason}")]
    Write { path: String, reason: String },
}

/// Imports the site in `src` into the new folder `dest`.
pub fn import(src: &Path, dest: &Path) -> Result<Report, ImportError> {
    check_folders(src, dest)?;
    let site = layout::detect(src);
    let statics = theme_statics(dest);
    let plan = walk::plan(src, &site, &statics);
    let mut report = Report {
        layout: match (&site.config_file, site.gatsby) {
            (Some(f), true) => format!("Gatsby, una cartella di Markdown ({f})"),
            (Some(f), false) => format!("{} ({f})", site.layout.name()),
            (None, _) => site.layout.name().to_string(),
        },
        dest: dest.display().to_string(),
        ..Default::default()
    };
    let mut docs = read_docs(&site, &plan, &mut report);
    if site.gatsby {
        yaml_pages(src, &site, &plan, &mut docs);
    }
    let gathered = set_aside_unpublished(&site, &mut docs, &mut report);
    pages_that_were_folders(&mut docs);
    let index = Index::new(&docs, &gathered);
    let mut pages: Vec<Page> = docs
        .iter()
        .map(|d| convert(&site, src, d, &index, &mut report))
        .collect();
    let entries: Vec<(&str, Page)> = gathered
        .iter()
        .map(|d| {
            (
                d.title.as_str(),
                convert(&site, src, d, &index, &mut report),
            )
        })
        .collect();
    gather_entries(&mut pages, entries, &mut report);
    assign_aliases(&mut pages, &plan, &mut report);
    write_site(src, dest, &site, &plan, &pages, &mut report)?;
    notes(src, &site, &plan, &mut report);
    Ok(report)
}

/// SRC must be a readable folder; DEST new or empty, and not inside SRC.
fn check_folders(src: &Path, dest: &Path) -> Result<(), ImportError> {
    let shown = |p: &Path| p.display().to_string();
    if !src.exists() {
        return Err(ImportError::SrcMissing(shown(src)));
    }
    if !src.is_dir() {
        return Err(ImportError::SrcNotDir(shown(src)));
    }
    let src_abs = std::fs::canonicalize(src).map_err(|e| ImportError::Read {
        path: shown(src),
        reason: crate::io_reason(&e),
    })?;
    std::fs::read_dir(src).map_err(|e| ImportError::Read {
        path: shown(src),
        reason: crate::io_reason(&e),
    })?;
    if dest.exists() {
        let mut entries =
            std::fs::read_dir(dest).map_err(|_| ImportError::DestNotEmpty(shown(dest)))?;
        if entries.next().is_some() {
            return Err(ImportError::DestNotEmpty(shown(dest)));
        }
    }
    if absolute(dest).starts_with(&src_abs) {
        return Err(ImportError::DestInsideSrc {
            src: shown(src),
            dest: shown(dest),
        });
    }
    Ok(())
}

/// A path made absolute through its nearest existing folder (links resolved).
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            return rest.iter().rev().fold(c, |p: PathBuf, part| p.join(part));
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// The files of the default theme (`css/pillole.css`): imported files may not take their place.
fn theme_statics(dest: &Path) -> HashSet<String> {
    let (theme, _) = crate::render::theme::Theme::load(dest, crate::render::theme::DEFAULT_THEME);
    theme.statics().map(|(p, _)| p.to_string()).collect()
}

/// A document read and its header mapped.
struct Doc {
    source: walk::DocSource,
    split: front_matter::Split,
    mapped: front_matter::Mapped,
    /// Its title: the header's, else its first `#` heading, else its name.
    title: String,
    /// The address the old site gave it.
    old: Option<String>,
}

fn read_docs(site: &SourceSite, plan: &walk::Plan, report: &mut Report) -> Vec<Doc> {
    let mut docs = Vec::new();
    for d in &plan.docs {
        let text = std::fs::read(&d.abs)
            .map_err(|e| crate::io_reason(&e))
            .and_then(|b| crate::content::load::decode(&d.src_rel, b).map_err(|e| e.message));
        let text = match text {
            Ok(t) => t,
            Err(why) => {
                report.check(format!("documenti non letti ({why})"), d.src_rel.clone());
                continue;
            }
        };
        let split = front_matter::split(&text);
        let mapped = front_matter::map(&split.fields, site.layout);
        let title = mapped
            .title
            .clone()
            .or_else(|| markdown::title_and_headings(&split.body, true, None).title)
            .unwrap_or_else(|| humanize(&d.name));
        let old = addresses::old_address(
            site,
            &addresses::OldPage {
                content_rel: &d.content_rel,
                mapped: &mapped,
                name_date: d.name_date,
                name: &d.name,
                is_post: d.is_post,
                is_draft: d.is_draft,
                collection: d.collection.as_deref(),
                title: &title,
            },
        );
        docs.push(Doc {
            source: d.clone(),
            split,
            mapped,
            title,
            old,
        });
    }
    docs
}

/// A Gatsby site's pages made from YAML ([`gatsby`]), each the page of
/// its YAML file's folder (or, where that folder has one, an old address
/// of it).
fn yaml_pages(src: &Path, site: &SourceSite, plan: &walk::Plan, docs: &mut Vec<Doc>) {
    for page in gatsby::pages(src) {
        let folder = dir_of(&page.src_rel);
        // Where the folder's documents went (a folder may be renamed).
        let dest_dir = docs
            .iter()
            .find(|d| dir_of(&d.source.src_rel) == folder)
            .map(|d| dir_of(&d.source.dest_rel))
            .or_else(|| {
                plan.renamed.iter().find_map(|(from, to)| {
                    let rest = folder.strip_prefix(from.as_str())?;
                    (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
                })
            })
            .unwrap_or_else(|| folder.clone());
        let dest_rel = if dest_dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dest_dir}/_index.md")
        };
        if let Some(d) = docs.iter_mut().find(|d| d.source.dest_rel == dest_rel) {
            // Two old pages showed the same YAML: the first address that is
            // not pillole's own leads links, the others are kept as aliases.
            let lead = d.old.as_deref().is_some_and(|old| !made_by_pillole(old));
            let other = if lead {
                page.address
            } else {
                match d.old.replace(page.address) {
                    Some(old) => old,
                    None => continue,
                }
            };
            d.mapped.aliases.push(other);
            continue;
        }
        let mut fields = serde_json::Map::new();
        fields.insert("title".into(), page.title.clone().into());
        let split = front_matter::Split {
            fields,
            body: page.body,
            body_line: 1,
            error: None,
        };
        let mapped = front_matter::map(&split.fields, site.layout);
        let content_rel = if folder.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{folder}/_index.md")
        };
        let mut source = walk::doc(src.join(&page.src_rel), page.src_rel, content_rel, dest_rel);
        source.name = folder.rsplit('/').next().unwrap_or("").to_string();
        docs.push(Doc {
            source,
            split,
            mapped,
            title: page.title,
            old: Some(page.address),
        });
    }
}

/// Takes out the documents the old site never published as pages: those
/// left out are counted, those gathered into their section's page (a
/// glossary's terms) are returned.
fn set_aside_unpublished(site: &SourceSite, docs: &mut Vec<Doc>, report: &mut Report) -> Vec<Doc> {
    let headers: Vec<(&str, &serde_json::Map<String, serde_json::Value>)> = docs
        .iter()
        .map(|d| (d.source.content_rel.as_str(), &d.split.fields))
        .collect();
    let fates: HashMap<usize, published::Unpublished> =
        published::unpublished(site, &headers).into_iter().collect();
    if fates.is_empty() {
        return Vec::new();
    }
    let mut gathered = Vec::new();
    for (n, d) in std::mem::take(docs).into_iter().enumerate() {
        match fates.get(&n) {
            None => docs.push(d),
            Some(published::Unpublished::Gathered) => gathered.push(d),
            Some(published::Unpublished::Dropped) => report.check(
                "non portate: pagine non pubblicate nel vecchio sito",
                d.source.src_rel.clone(),
            ),
        }
    }
    gathered
}

/// The section page of a page's file (`a/_index.md` for `a/b.md`).
fn section_of(dest_rel: &str) -> String {
    match dir_of(dest_rel) {
        d if d.is_empty() => "_index.md".to_string(),
        d => format!("{d}/_index.md"),
    }
}

/// Each gathered page written at the end of its section's page, under its
/// title as a heading (the title [`Index`] made its link id from), by
/// title, as a glossary is read.
fn gather_entries(pages: &mut [Page], mut entries: Vec<(&str, Page)>, report: &mut Report) {
    entries.sort_by_key(|(title, _)| title.to_lowercase());
    for (title, e) in entries {
        let section = section_of(&e.dest_rel);
        let Some(page) = pages.iter_mut().find(|p| p.dest_rel == section) else {
            continue;
        };
        page.body = format!(
            "{}\n\n## {title}\n\n{}\n",
            page.body.trim_end(),
            e.body.trim()
        );
        report.count(Conversion::Gathered, 1);
    }
}

/// A page whose old address is the address of its new folder, or of a
/// folder above it (`/components/accordion/` for
/// `components/accordion/accordion.md`), becomes that folder's
/// `_index.md` when the folder has none: pillole gives that address to
/// the folder's list page.
fn pages_that_were_folders(docs: &mut [Doc]) {
    let is_section = |rel: &str| rel == "_index.md" || rel.ends_with("/_index.md");
    let mut with_index: HashSet<String> = docs
        .iter()
        .filter(|d| is_section(&d.source.dest_rel))
        .map(|d| dir_of(&d.source.dest_rel))
        .collect();
    // A page folder (`x/index.md`) already has its folder's address.
    let owns_folder =
        |rel: &str| rel == "index.md" || rel.ends_with("/index.md") || is_section(rel);
    with_index.extend(
        docs.iter()
            .filter(|d| owns_folder(&d.source.dest_rel))
            .map(|d| dir_of(&d.source.dest_rel)),
    );
    for d in docs.iter_mut() {
        if owns_folder(&d.source.dest_rel) {
            continue;
        }
        let olds: Vec<String> = d
            .old
            .iter()
            .cloned()
            .chain(
                d.mapped
                    .aliases
                    .iter()
                    .map(|a| addresses::resolve_alias(a, d.old.as_deref())),
            )
            .map(|o| o.trim_matches('/').to_string())
            .collect();
        let mut dir = dir_of(&d.source.dest_rel);
        while !dir.is_empty() {
            if !with_index.contains(&dir) && olds.contains(&dir) {
                d.source.dest_rel = format!("{dir}/_index.md");
                with_index.insert(dir);
                break;
            }
            dir = dir_of(&dir);
        }
    }
}

/// "primo-post" -> "Primo post".
fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Pagina".into(),
    }
}

/// Where every document went: by old path, file name, old address, post name.
struct Index {
    by_content: HashMap<String, String>,
    by_name: HashMap<String, Vec<String>>,
    /// Every document by its name without extension, lowercase (a page
    /// folder's `index.md` by the folder's name): its old path's parts
    /// (lowercase, the name last) and its new file.
    by_stem: HashMap<String, Vec<(Vec<String>, String)>>,
    by_address: HashMap<String, String>,
    posts: HashMap<String, String>,
    dest_docs: HashSet<String>,
    /// Gathered entries by their file's name (`front-matter`): their
    /// section page and heading id (`glossary/_index.md#front-matter`).
    terms: HashMap<String, String>,
}

impl Index {
    fn new(docs: &[Doc], gathered: &[Doc]) -> Index {
        let mut ix = Index {
            by_content: HashMap::new(),
            by_name: HashMap::new(),
            by_stem: HashMap::new(),
            by_address: HashMap::new(),
            posts: HashMap::new(),
            dest_docs: HashSet::new(),
            terms: HashMap::new(),
        };
        for d in gathered {
            let id = crate::content::markdown::github_slug(&d.title);
            ix.terms.insert(
                d.source.name.to_lowercase(),
                format!("{}#{id}", section_of(&d.source.dest_rel)),
            );
        }
        for d in docs {
            let s = &d.source;
            ix.by_content
                .insert(s.content_rel.clone(), s.dest_rel.clone());
            ix.by_content.insert(s.src_rel.clone(), s.dest_rel.clone());
            let file = s.content_rel.rsplit('/').next().unwrap_or("");
            ix.by_name
                .entry(file.to_string())
                .or_default()
                .push(s.dest_rel.clone());
            let mut parts: Vec<String> = s
                .content_rel
                .to_lowercase()
                .split('/')
                .map(str::to_string)
                .collect();
            if let Some(last) = parts.pop() {
                let stem = last.rsplit_once('.').map_or(last.as_str(), |(st, _)| st);
                if !matches!(stem, "index" | "_index" | "readme") {
                    parts.push(stem.to_string());
                }
            }
            if let Some(stem) = parts.last() {
                ix.by_stem
                    .entry(stem.clone())
                    .or_default()
                    .push((parts.clone(), s.dest_rel.clone()));
            }
            if let Some(old) = &d.old {
                ix.by_address
                    .insert(old.trim_end_matches('/').to_string(), s.dest_rel.clone());
            }
            if s.is_post || s.is_draft {
                let stem = file.rsplit_once('.').map_or(file, |(st, _)| st);
                ix.posts.insert(stem.to_string(), s.dest_rel.clone());
            }
            ix.dest_docs.insert(s.dest_rel.clone());
        }
        ix
    }

    /// The new file of an old address (`/a/b`), in any case: Hugo's
    /// addresses are lower case, its links need not be.
    fn by_old_address(&self, key: &str) -> Option<&String> {
        self.by_address
            .get(key)
            .or_else(|| self.by_address.get(&key.to_lowercase()))
    }

    /// A document named by a path: from the page's folder, from the
    /// content root, or (Hugo) by its file name when only one has it.
    fn find(&self, src_dir: &str, written: &str) -> Option<&String> {
        let written = written.trim_start_matches("@/");
        let mut bases = Vec::new();
        if let Some(root) = written.strip_prefix('/') {
            bases.push(root.to_string());
        } else {
            bases.extend(crate::content::markdown::normalize(src_dir, written));
            bases.push(written.to_string());
        }
        for base in &bases {
            let base = base.trim_end_matches('/');
            for cand in [
                base.to_string(),
                format!("{base}.md"),
                format!("{base}.markdown"),
                format!("{base}/index.md"),
                format!("{base}/_index.md"),
            ] {
                if let Some(found) = self.by_content.get(&cand) {
                    return Some(found);
                }
            }
        }
        let name = written.rsplit('/').next().unwrap_or(written);
        for cand in [name.to_string(), format!("{name}.md")] {
            if let Some([only]) = self.by_name.get(&cand).map(Vec::as_slice) {
                return Some(only);
            }
        }
        None
    }
}

/// How one page's links find their targets.
struct PageLinks<'a> {
    index: &'a Index,
    src_dir: String,
    dest_dir: String,
    abs_dir: PathBuf,
    src_root: &'a Path,
    /// The page's old address, against which old relative links were written.
    old: Option<&'a str>,
}

fn split_fragment(s: &str) -> (&str, &str) {
    match s.find('#') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

impl PageLinks<'_> {
    /// A link from this page to the new file `target` (`a/b.md`), with
    /// `fragment` (`#id`, or nothing).
    fn to_file(&self, target: &str, fragment: &str) -> String {
        format!(
            "{}{fragment}",
            markdown::relative_path(&self.dest_dir, target)
        )
    }
}

impl shortcodes::Links for PageLinks<'_> {
    fn document(&self, written: &str) -> Option<String> {
        let (path, fragment) = split_fragment(written);
        if path.is_empty() {
            return Some(fragment.to_string());
        }
        let target = self.index.find(&self.src_dir, path)?;
        Some(self.to_file(target, fragment))
    }

    fn post(&self, name: &str) -> Option<String> {
        let name = name.trim().rsplit('/').next().unwrap_or("");
        let target = self.index.posts.get(name)?;
        Some(self.to_file(target, ""))
    }

    fn include(&self, path: &str) -> Result<String, String> {
        include::include(self.src_root, &self.abs_dir, path)
    }
}

/// A converted page, ready to be written.
struct Page {
    dest_rel: String,
    header: front_matter::Header,
    body: String,
    /// Its pillole address.
    path: String,
    /// Old addresses, as site paths, to keep as aliases.
    old: Vec<String>,
}

fn dir_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

fn convert(site: &SourceSite, src: &Path, doc: &Doc, index: &Index, report: &mut Report) -> Page {
    let s = &doc.source;
    let file = format!("content/{}", s.dest_rel);
    let links = PageLinks {
        index,
        src_dir: dir_of(&s.content_rel),
        dest_dir: dir_of(&s.dest_rel),
        abs_dir: s.abs.parent().map(Path::to_path_buf).unwrap_or_default(),
        src_root: src,
        old: doc.old.as_deref(),
    };
    let converted = shortcodes::convert(&shortcodes::Body {
        layout: site.layout,
        text: &doc.split.body,
        first_line: doc.split.body_line,
        links: &links,
    });
    for (c, n) in &converted.counts {
        report.count(*c, *n);
    }
    for (what, line) in &converted.to_check {
        report.check(what.clone(), format!("{file}:{line}"));
    }
    if let Some(e) = &doc.split.error {
        report.check(
            format!("intestazioni non lette, tenuto il testo ({e})"),
            file.clone(),
        );
    }
    let m = &doc.mapped;
    // Jekyll reads a slug only in permalinks: a page with a permalink of
    // its own never used it (and pages of a collection often share one).
    let slug_unused = site.layout == Layout::Jekyll && m.url.is_some();
    for k in &m.mapped {
        if slug_unused && k == "slug" {
            *report.keys_dropped.entry(k.clone()).or_default() += 1;
            continue;
        }
        *report.keys_mapped.entry(k.clone()).or_default() += 1;
    }
    for k in &m.dropped {
        *report.keys_dropped.entry(k.clone()).or_default() += 1;
    }
    for v in &m.unreadable {
        report.check(
            "valori dell'intestazione non letti",
            format!("{file} ({v})"),
        );
    }
    let take_title = m.title.is_none() || site.layout == Layout::MdBook;
    let titled = markdown::title_and_headings(&converted.text, take_title, m.title.as_deref());
    if titled.relevelled {
        report.count(Conversion::Headings, 1);
    }
    let (body, missing_alt) = markdown::fill_alts(&titled.body);
    for _ in 0..missing_alt {
        report.check("immagini senza testo alternativo", file.clone());
    }
    let base_path = site
        .base_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let guessed = std::cell::RefCell::new(Vec::new());
    let rewrite = |dest: &str, words: &str| {
        rewrite_link(dest, &links, &base_path)
            .or_else(|| term_link(dest, words, &links))
            .or_else(|| {
                let link = link_by_name(dest, &links)?;
                guessed
                    .borrow_mut()
                    .push(format!("{file}: {dest} → {link}"));
                Some(link)
            })
    };
    let (body, relinked) = markdown::rewrite_links(&body, &rewrite);
    report.count(Conversion::Link, relinked);
    for place in guessed.into_inner() {
        report.check(
            "collegamenti a indirizzi che nessuna pagina aveva, portati alla pagina \
             con lo stesso nome di file: controlla che sia quella giusta",
            place,
        );
    }
    let is_section = s.dest_rel == "_index.md" || s.dest_rel.ends_with("/_index.md");
    let title = match (&m.title, titled.title) {
        // mdBook has no headers: its first heading is the title.
        (Some(_), Some(h)) if site.layout == Layout::MdBook && !h.is_empty() => h,
        (Some(t), _) => t.clone(),
        (None, Some(h)) if !h.is_empty() => h,
        _ if s.dest_rel == "_index.md" => site.title.clone().unwrap_or_else(|| "Home".into()),
        _ if is_section => humanize(dir_of(&s.dest_rel).rsplit('/').next().unwrap_or("")),
        _ => humanize(&s.name),
    };
    let slug = m.slug.as_deref().filter(|_| !slug_unused).map(|w| {
        if crate::content::slug::validate(w).is_ok() {
            w.to_string()
        } else {
            crate::content::slug::slugify(w, "pagina")
        }
    });
    let header = front_matter::Header {
        title,
        summary: m.summary.clone(),
        date: m.date.or(s.name_date),
        updated: m.updated,
        draft: m.draft || s.is_draft,
        tags: m.tags.clone(),
        slug,
        aliases: Vec::new(),
        order: m.order.or(s.order),
    };
    let path = pillole_address(&s.dest_rel, &header);
    let mut old: Vec<String> = doc.old.iter().cloned().collect();
    for a in &m.aliases {
        old.push(addresses::resolve_alias(a, doc.old.as_deref()));
    }
    Page {
        dest_rel: s.dest_rel.clone(),
        header,
        body: markdown::tidy(&body),
        path,
        old,
    }
}

/// A link destination written for the old site, as a path to the new
/// `.md` file: relative `.md` paths whose file moved, and old addresses.
fn rewrite_link(dest: &str, links: &PageLinks, base_path: &str) -> Option<String> {
    if dest.starts_with('#')
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
    {
        return None;
    }
    let (path, fragment) = split_fragment(dest);
    let index = links.index;
    if path.starts_with("@/") {
        // Zola's internal links, from the content folder.
        let target = index.find("", path)?;
        return Some(links.to_file(target, fragment));
    }
    if path.starts_with('/') {
        let site_path = path
            .strip_prefix(base_path)
            .filter(|p| !base_path.is_empty() && p.starts_with('/'))
            .unwrap_or(path);
        let key = site_path
            .strip_suffix("index.html")
            .unwrap_or(site_path)
            .trim_end_matches('/');
        let target = index.by_old_address(key)?;
        return Some(links.to_file(target, fragment));
    }
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        // An address written from the page's old one (`../glossario/`).
        let key = resolve_address(links.old?, path)?;
        let target = index.by_old_address(&key)?;
        return Some(links.to_file(target, fragment));
    }
    // Already a path to a new file (written by a conversion).
    if crate::content::markdown::normalize(&links.dest_dir, path)
        .is_some_and(|p| index.dest_docs.contains(&p))
    {
        return None;
    }
    let source = crate::content::markdown::normalize(&links.src_dir, path)?;
    let target = index.by_content.get(&source)?;
    let new = markdown::relative_path(&links.dest_dir, target);
    (new != path).then(|| format!("{new}{fragment}"))
}

/// A link to an address no page had (the old site made it in code, as
/// Gatsby's `/strategia/x` for `src/pages/strategia/x.md`), taken to the one
/// page whose file has the address's last part as its name.
fn link_by_name(dest: &str, links: &PageLinks) -> Option<String> {
    if dest.contains(':') || dest.starts_with('#') {
        return None;
    }
    let (path, fragment) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or(path).to_lowercase();
    let mut parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    let last = parts.pop()?;
    let name = last.strip_suffix(".html").unwrap_or(last);
    if name.contains('.') {
        return None;
    }
    parts.push(name);
    // Of the pages with that name, the one whose folders match most of the
    // address's, counted from its end; none if two match as well.
    let shared = |old: &[String]| {
        old.iter()
            .rev()
            .zip(parts.iter().rev())
            .take_while(|(a, b)| a == *b)
            .count()
    };
    let mut best: Option<(usize, &String)> = None;
    let mut tie = false;
    for (old, new) in links.index.by_stem.get(name)? {
        let n = shared(old);
        match best {
            Some((b, _)) if n < b => {}
            Some((b, _)) if n == b => tie = true,
            _ => {
                best = Some((n, new));
                tie = false;
            }
        }
    }
    match best {
        Some((_, new)) if !tie => Some(links.to_file(new, fragment)),
        _ => None,
    }
}

/// A link to a glossary term by its words (Hugo's documentation writes
/// `[front matter](g)`): a destination of one bare word that names no
/// page, whose text, or its singular, is a gathered entry's name.
fn term_link(dest: &str, words: &str, links: &PageLinks) -> Option<String> {
    let bare = !dest.is_empty() && !dest.contains(['/', '.', ':', '#', '?']);
    if !bare || links.index.terms.is_empty() {
        return None;
    }
    let name = crate::content::slug::slugify(&words.to_lowercase(), "");
    let singular = [
        name.strip_suffix("ies").map(|s| format!("{s}y")),
        name.strip_suffix("es").map(str::to_string),
        name.strip_suffix('s').map(str::to_string),
    ];
    let target = std::iter::once(Some(name.clone()))
        .chain(singular)
        .flatten()
        .find_map(|n| links.index.terms.get(&n))?;
    let (file, id) = target.split_once('#')?;
    Some(links.to_file(file, &format!("#{id}")))
}

/// A relative address (`../b/`) read from the page at `base` (`/a/x/`,
/// `/a/x.html`), as a site path without its last slash (`/a/b`);
/// `None` if it climbs above the site.
fn resolve_address(base: &str, relative: &str) -> Option<String> {
    if relative.is_empty() || relative.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    if !base.ends_with('/') {
        parts.pop();
    }
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    Some(format!("/{}", parts.join("/")))
}

/// The address pillole will give the page (its own parser decides).
fn pillole_address(dest_rel: &str, header: &front_matter::Header) -> String {
    let text = format!("{}\n", header.to_yaml());
    let (page, _) = crate::content::parse(crate::content::load::Source {
        path: format!("content/{dest_rel}"),
        text: text.into(),
    });
    match page {
        Some(p) => p.path,
        None => {
            let stem = dest_rel.trim_end_matches(".md");
            format!("/{stem}/")
        }
    }
}

/// Addresses pillole makes itself: an alias may not take them.
const MADE_BY_PILLOLE: &[&str] = &[
    "/tutorial/",
    "/diario/",
    "/eventi/",
    "/cerca/",
    "/offline/",
    "/tag/",
    "/servizi/",
    "/municipi/",
];

/// Whether pillole makes the page at `address` (or under it) itself.
fn made_by_pillole(address: &str) -> bool {
    MADE_BY_PILLOLE
        .iter()
        .any(|m| address.starts_with(m) || address == m.trim_end_matches('/'))
}

/// Keeps each old address that differs from the new one, is valid, and
/// is no other page's or file's address.
fn assign_aliases(pages: &mut [Page], plan: &walk::Plan, report: &mut Report) {
    let mut page_paths: HashSet<String> = pages
        .iter()
        .map(|p| p.path.trim_end_matches('/').to_string())
        .collect();
    // Every folder of pages has a list page at its address.
    for p in pages.iter() {
        let mut dir = dir_of(&p.dest_rel);
        while !dir.is_empty() {
            page_paths.insert(format!("/{dir}"));
            dir = dir_of(&dir);
        }
    }
    let files: HashSet<String> = plan
        .files
        .iter()
        .map(|f| format!("/{}", f.dest_rel))
        .collect();
    let mut used: HashSet<String> = HashSet::new();
    for page in pages.iter_mut() {
        let file = format!("content/{}", page.dest_rel);
        for old in std::mem::take(&mut page.old) {
            if old == "/"
                || addresses::same_address(&old, &page.path)
                || page.header.aliases.contains(&old)
            {
                continue;
            }
            if let Err(why) = crate::content::slug::validate_alias(&old) {
                report.check(format!("vecchi indirizzi non tenuti ({why})"), file.clone());
                continue;
            }
            let trimmed = old.trim_end_matches('/');
            let mut prefix = String::new();
            let mut on_a_file = false;
            for part in trimmed.trim_start_matches('/').split('/') {
                prefix.push('/');
                prefix.push_str(part);
                on_a_file |= files.contains(&prefix);
            }
            if on_a_file
                || made_by_pillole(&old)
                || page_paths.contains(trimmed)
                || !used.insert(trimmed.to_string())
            {
                report.check(
                    "vecchi indirizzi già usati da un'altra pagina o da pillole",
                    format!("{file} ({old})"),
                );
                continue;
            }
            page.header.aliases.push(old);
            report.aliases += 1;
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let fail = |e: std::io::Error| ImportError::Write {
        path: path.display().to_string(),
        reason: crate::io_reason(&e),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, bytes).map_err(fail)
}

fn write_site(
    src: &Path,
    dest: &Path,
    site: &SourceSite,
    plan: &walk::Plan,
    pages: &[Page],
    report: &mut Report,
) -> Result<(), ImportError> {
    let content = dest.join("content");
    std::fs::create_dir_all(&content).map_err(|e| ImportError::Write {
        path: content.display().to_string(),
        reason: crate::io_reason(&e),
    })?;
    let mut yaml = SiteYaml {
        title: site.title.clone().unwrap_or_else(|| {
            humanize(
                &src.canonicalize()
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_default(),
            )
        }),
        menu: menu(pages),
        // Links written for these generators point at GitHub-style ids.
        github_ids: matches!(site.layout, Layout::Hugo | Layout::Jekyll | Layout::MdBook),
        ..SiteYaml::default()
    };
    if let Some(d) = &site.description {
        yaml.description = d.clone();
    }
    if let Some(u) = &site.base_url {
        yaml.base_url = u.clone();
    } else {
        report.notes.push("site.yaml: scrivi in base_url l'indirizzo del sito pubblicato (ora è https://example.org).".into());
    }
    if let Some(l) = site.language.as_deref().filter(|l| !l.is_empty()) {
        yaml.language = l.to_string();
    }
    match &site.email {
        Some(e) => {
            yaml.contact_email = e.clone();
            yaml.feedback_email = e.clone();
        }
        None => report.notes.push(
            "site.yaml: scrivi i contatti e l'indirizzo per le segnalazioni (contacts, feedback): ora sono d'esempio.".into(),
        ),
    }
    write_file(
        &dest.join(crate::config::FILE_NAME),
        yaml.to_yaml().as_bytes(),
    )?;
    for p in pages {
        let text = format!("{}\n{}", p.header.to_yaml(), p.body);
        write_file(&content.join(&p.dest_rel), text.as_bytes())?;
    }
    report.documents = pages.len();
    for f in &plan.files {
        let to = content.join(&f.dest_rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ImportError::Write {
                path: parent.display().to_string(),
                reason: crate::io_reason(&e),
            })?;
        }
        match std::fs::copy(&f.abs, &to) {
            Ok(_) => report.files += 1,
            Err(e) => report.check(
                format!("file non copiati ({})", crate::io_reason(&e)),
                f.src_rel.clone(),
            ),
        }
    }
    let has = |rel: &str| pages.iter().any(|p| p.dest_rel == rel);
    if !has("_index.md") {
        let home = front_matter::Header {
            title: yaml.title.clone(),
            summary: site.description.clone(),
            ..Default::default()
        };
        let text = format!(
            "{}\n{}\n",
            home.to_yaml(),
            site.description.clone().unwrap_or_default()
        );
        write_file(&content.join("_index.md"), text.as_bytes())?;
        report.notes.push("Scritta la pagina iniziale content/_index.md: il vecchio sito non ne aveva una in Markdown.".into());
    }
    let taken = pages.iter().any(|p| {
        p.path == "/accessibilita/"
            || p.header
                .aliases
                .iter()
                .any(|a| a.trim_matches('/') == "accessibilita")
    });
    if !taken && !has("accessibilita.md") {
        write_file(
            &content.join("accessibilita.md"),
            ACCESSIBILITY_PAGE.as_bytes(),
        )?;
        report.notes.push(
            "Scritta content/accessibilita.md: completa la dichiarazione di accessibilità.".into(),
        );
    }
    Ok(())
}

/// The menu: the top folders of the site, by their order and title.
fn menu(pages: &[Page]) -> Vec<(String, String)> {
    let mut sections: BTreeMap<String, (i64, String, String)> = BTreeMap::new();
    for p in pages {
        let Some((top, _)) = p.dest_rel.split_once('/') else {
            continue;
        };
        let entry = sections
            .entry(top.to_string())
            .or_insert_with(|| (i64::MAX, humanize(top), format!("/{top}/")));
        if p.dest_rel == format!("{top}/_index.md") {
            entry.0 = p.header.order.unwrap_or(i64::MAX);
            entry.1 = p.header.title.clone();
            entry.2 = p.path.clone();
        }
    }
    let mut list: Vec<(i64, String, String)> = sections.into_values().collect();
    list.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    list.into_iter()
        .take(6)
        .map(|(_, name, url)| (name, url))
        .collect()
}

/// What was left out and why, folders renamed, parts of the old site that
/// pillole does not use.
fn notes(src: &Path, site: &SourceSite, plan: &walk::Plan, report: &mut Report) {
    if let (Some(f), Some(e)) = (&site.config_file, &site.config_error) {
        report.notes.push(format!(
            "Non riesco a leggere {f} ({e}): titolo e indirizzo in site.yaml sono d'esempio."
        ));
    }
    for (path, why) in &plan.skipped {
        report.check(format!("non portati: {why}"), path.clone());
    }
    for (from, to) in &plan.renamed {
        report.notes.push(format!(
            "La cartella {from}/ ora è {to}/: in pillole {from}/ ha un significato suo (eventi con data e ora, tutorial a passi)."
        ));
    }
    let unused: &[&str] = match site.layout {
        Layout::Hugo => &["layouts", "themes", "archetypes", "assets", "data", "i18n"],
        Layout::Zola => &["templates", "themes", "sass", "syntaxes"],
        Layout::Jekyll => &["_layouts", "_includes", "_sass", "_data", "_plugins"],
        Layout::MdBook => &["theme"],
        Layout::Plain => &[],
    };
    let found: Vec<String> = unused
        .iter()
        .filter(|d| src.join(d).is_dir())
        .map(|d| format!("{d}/"))
        .collect();
    if !found.is_empty() {
        report.notes.push(format!(
            "Non portati {}: modelli e dati del vecchio generatore; l'aspetto ora è quello di pillole.",
            found.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_from_the_old_one() {
        assert_eq!(
            resolve_address("/performance/how/", "../glossary/").as_deref(),
            Some("/performance/glossary")
        );
        assert_eq!(
            resolve_address("/a/b.html", "c.html").as_deref(),
            Some("/a/c.html")
        );
        assert_eq!(
            resolve_address("/a/", "./b/index.html").as_deref(),
            Some("/a/b")
        );
        assert_eq!(resolve_address("/a/", "../../x"), None);
        assert_eq!(resolve_address("/a/", "mailto:x"), None);
    }

    #[test]
    fn names_become_titles() {
        assert_eq!(humanize("primo-post_bello"), "Primo post bello");
        assert_eq!(humanize(""), "Pagina");
    }

    #[test]
    fn dest_inside_src_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("vecchio");
        std::fs::create_dir(&src).unwrap();
        let inside = src.join("nuovo");
        assert!(matches!(
            check_folders(&src, &inside),
            Err(ImportError::DestInsideSrc { .. })
        ));
        assert!(matches!(
            check_folders(&src, &src),
            Err(ImportError::DestNotEmpty(_)) | Err(ImportError::DestInsideSrc { .. })
        ));
        assert!(check_folders(&src, &dir.path().join("nuovo")).is_ok());
        assert!(matches!(
            check_folders(&dir.path().join("manca"), &dir.path().join("x")),
            Err(ImportError::SrcMissing(_))
        ));
    }
}

//! Rebuild: the site kept in memory between two saves (serve mode).
//!
//! A [`Workspace`] owns every input as last read (site.yaml, each Markdown
//! source with its parse diagnostics, the content files, the theme) and the
//! graph made from them. [`Workspace::update`] re-reads only the files a
//! change names, parses them, links again re-using the rendered bodies that
//! are still valid, checks again the pages it touched, and renders the HTML
//! outputs that show what changed (all of them after a template, static
//! file or site.yaml change). Feeds, calendars and the search index are
//! left to [`Workspace::render_files`], which serve runs when idle. It
//! writes nothing and serves nothing: `serve` publishes what it returns.

use crate::check;
use crate::check::links::Targets;
use crate::config::{self, Config};
use crate::content::load::{self, Asset, Source};
use crate::content::markdown::Target;
use crate::content::{self, Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::render::pages::{self, Job};
use crate::render::theme::Theme;
use crate::render::{self, Output, RenderOptions};
use crate::site::{self, Reuse, Site};
use chrono::NaiveDateTime;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What changed on disk since the last update.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Paths under content/, relative to the site root (`content/x.md`).
    pub content: BTreeSet<String>,
    /// site.yaml changed.
    pub config: bool,
    /// A template, a static file or a theme file changed.
    pub theme: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.config && !self.theme
    }

    pub fn merge(&mut self, other: Changes) {
        self.content.extend(other.content);
        self.config |= other.config;
        self.theme |= other.theme;
    }
}

/// What an update did.
pub enum Outcome {
    /// Nothing the site is made of changed.
    Unchanged,
    /// Only a content file (an image, a PDF) changed: it is read on request,
    /// so the pages only need reloading.
    Reload,
    /// New outputs to publish. With `full`, they replace every output.
    /// `later` says which other files to make again when idle
    /// ([`Workspace::render_later`]); the search index always is
    /// ([`Workspace::search_input`]).
    Rendered {
        outputs: Vec<Output>,
        full: bool,
        later: Later,
        report: Report,
    },
    /// The site has errors: the last good outputs stay.
    Failed(Report),
}

/// Files that an update left to make when idle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Later {
    #[default]
    Nothing,
    /// The feeds (they hold the pages' text).
    Feeds,
    /// Calendars, feeds, sitemap (front matter changed).
    Data,
}

/// What the search index is made from, owned, so that it can be made on
/// another thread: it reads every tutorial.
pub struct SearchInput {
    docs: Vec<crate::render::search::SearchDoc>,
    synonyms: Vec<Vec<String>>,
}

impl SearchInput {
    pub fn render(&self) -> Output {
        Output::bytes(
            pages::SEARCH_INDEX,
            pages::search_json(&self.docs, &self.synonyms),
        )
    }
}

/// Diagnostics of an update, for the terminal and the overlay.
#[derive(Default)]
pub struct Report {
    /// Errors that stop the build (shown in the overlay).
    pub fatal: Vec<Diagnostic>,
    /// Every diagnostic of the files this update read again.
    pub touched: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
}

/// A Markdown file as last read.
struct SourceFile {
    text: String,
    diagnostics: Vec<Diagnostic>,
    /// Parsing gave a page.
    parsed: bool,
}

/// What a page was when the published outputs were made.
struct PageKey {
    source: String,
    path: String,
    kind: Kind,
    front: u64,
    body: u64,
    services: Vec<String>,
    event: Option<String>,
}

impl PageKey {
    fn of(p: &Page) -> Self {
        PageKey {
            source: p.source.clone(),
            path: p.path.clone(),
            kind: p.kind,
            front: hash_of(front(p)),
            body: hash_of(&p.body),
            services: p.tutorial().map(|t| t.services.clone()).unwrap_or_default(),
            event: p.diary().and_then(|d| d.event.clone()),
        }
    }
}

/// What the published outputs were made from.
struct MadeFrom {
    pages: Vec<PageKey>,
    jobs: Vec<Job>,
}

/// What changed since the outputs were last published.
#[derive(Default)]
struct Dirty {
    sources: BTreeSet<String>,
    config: bool,
    theme: bool,
    assets: bool,
}

/// The site in memory. The serve loop owns it; nothing else changes it.
pub struct Workspace {
    root: PathBuf,
    now: NaiveDateTime,
    drafts: bool,
    render_opts: RenderOptions,
    config: Config,
    config_diags: Vec<Diagnostic>,
    config_text: Option<String>,
    load_diags: Vec<Diagnostic>,
    sources: std::collections::BTreeMap<String, SourceFile>,
    assets: Vec<Asset>,
    site: Option<Site>,
    link_diags: Vec<Diagnostic>,
    link_checks: HashMap<String, Vec<Diagnostic>>,
    page_checks: HashMap<String, Vec<Diagnostic>>,
    /// The link targets, with the signature of the graph they were made
    /// from (None when made after a quick update, so never taken as current).
    targets: Option<(Option<u64>, Targets)>,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    tera: Result<tera::Tera, Diagnostic>,
    made_from: Option<MadeFrom>,
    dirty: Dirty,
}

/// A page's link and content diagnostics, when checked again.
type Checked = (Option<Vec<Diagnostic>>, Option<Vec<Diagnostic>>);

/// How a changed path under content/ is handled.
enum Read {
    /// A known Markdown file with new text.
    Text(String),
    /// Same text as before, or a file that came and went.
    Nothing,
    /// A known content file changed in place.
    Asset,
    /// Files appeared or disappeared: walk content/ again.
    Rescan,
}

impl Workspace {
    /// A workspace with site.yaml and the theme read; the first
    /// [`update`](Self::update) (with no changes) reads the content.
    pub fn new(root: &Path, now: NaiveDateTime, drafts: bool, render_opts: RenderOptions) -> Self {
        let mut ws = Workspace {
            root: root.to_path_buf(),
            now,
            drafts,
            render_opts,
            config: Config::default(),
            config_diags: Vec::new(),
            config_text: None,
            load_diags: Vec::new(),
            sources: Default::default(),
            assets: Vec::new(),
            site: None,
            link_diags: Vec::new(),
            link_checks: HashMap::new(),
            page_checks: HashMap::new(),
            targets: None,
            theme: Theme {
                files: Default::default(),
            },
            theme_diags: Vec::new(),
            tera: Ok(tera::Tera::default()),
            made_from: None,
            dirty: Dirty::default(),
        };
        ws.load_config();
        ws.load_theme();
        ws.dirty.config = true;
        ws.dirty.theme = true;
        ws
    }

    /// The text of a file of the site, for showing lines in messages.
    pub fn source(&self, file: &str) -> Option<String> {
        if file == config::FILE_NAME {
            return self.config_text.clone();
        }
        if let Some(s) = self.sources.get(file) {
            return Some(s.text.clone());
        }
        let bytes = self.theme.get(file)?;
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }

    /// The address prefix of the site (the path of base_url, `` or `/docs`).
    pub fn prefix(&self) -> String {
        render::views::prefix_of(&self.config.base_url)
    }

    /// Number of pages in the graph.
    pub fn page_count(&self) -> usize {
        self.site.as_ref().map_or(0, |s| s.pages.len())
    }

    /// Applies a change and says what to publish.
    pub fn update(&mut self, changes: Changes) -> Outcome {
        let config = changes.config && self.load_config();
        let theme = (config || changes.theme) && self.load_theme();
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut fresh: Vec<Page> = Vec::new();
        let mut asset = false;
        let mut rescan = self.site.is_none();
        for path in &changes.content {
            match self.read(path) {
                Read::Text(text) => {
                    let (page, diags) = content::parse(Source {
                        path: path.clone(),
                        text: text.clone(),
                    });
                    self.sources.insert(
                        path.clone(),
                        SourceFile {
                            text,
                            diagnostics: diags,
                            parsed: page.is_some(),
                        },
                    );
                    fresh.extend(page);
                    changed.insert(path.clone());
                }
                Read::Nothing => {}
                Read::Asset => asset = true,
                Read::Rescan => rescan = true,
            }
        }
        if rescan {
            self.rescan(&mut changed, &mut fresh);
        }
        if changed.is_empty() && !rescan && !config && !theme {
            return if asset {
                Outcome::Reload
            } else {
                Outcome::Unchanged
            };
        }
        self.dirty.sources.extend(changed.iter().cloned());
        let patched = !rescan && !config && !theme && self.patch(&mut fresh);
        if !patched {
            self.relink(&changed, fresh);
            self.recheck(&changed, config);
        }
        self.render(&changed)
    }

    /// The files an update left for later. Call it only after a
    /// [`Outcome::Rendered`], before the next update.
    pub fn render_later(&self, later: Later) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let (Some(site), Ok(tera)) = (&self.site, &self.tera) else {
            return Ok(Vec::new());
        };
        match later {
            Later::Nothing => Ok(Vec::new()),
            Later::Feeds => Ok(pages::render_feeds(site)),
            Later::Data => pages::render_data_except_search(site, tera).map_err(|d| vec![d]),
        }
    }

    /// What the search index of the current graph is made from.
    pub fn search_input(&self) -> Option<SearchInput> {
        let site = self.site.as_ref()?;
        Some(SearchInput {
            docs: pages::search_docs(site),
            synonyms: site.config.synonyms.clone(),
        })
    }

    /// Reads site.yaml again; true when anything in it changed.
    fn load_config(&mut self) -> bool {
        let (config, diags) = config::load(&self.root);
        self.config_text = std::fs::read_to_string(self.root.join(config::FILE_NAME)).ok();
        if config == self.config && diags == self.config_diags {
            return false;
        }
        self.config = config;
        self.config_diags = diags;
        self.dirty.config = true;
        true
    }

    /// Reads the theme again; true when any of its files changed.
    fn load_theme(&mut self) -> bool {
        let (theme, diags) = Theme::load(&self.root, &self.config.theme);
        if theme.files == self.theme.files && diags == self.theme_diags {
            return false;
        }
        self.tera = render::templates(&theme);
        self.theme = theme;
        self.theme_diags = diags;
        self.dirty.theme = true;
        true
    }

    /// Reads one changed path under content/.
    fn read(&self, path: &str) -> Read {
        let abs = self.root.join(path);
        let known = self.sources.get(path);
        if path.ends_with(".md") && abs.is_file() {
            let Some(known) = known else {
                return Read::Rescan;
            };
            // Only a plain file inside the site; links are the loader's to judge.
            let plain = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_file());
            let inside = std::fs::canonicalize(&abs).is_ok_and(|p| p.starts_with(&self.root));
            if !plain || !inside {
                return Read::Rescan;
            }
            // Anything unusual (unreadable, too large, not UTF-8) goes through
            // the loader, which reports it.
            let Ok(meta) = std::fs::metadata(&abs) else {
                return Read::Rescan;
            };
            if meta.len() > load::MAX_MARKDOWN_BYTES {
                return Read::Rescan;
            }
            let Ok(bytes) = std::fs::read(&abs) else {
                return Read::Rescan;
            };
            return match load::decode(path, bytes) {
                Ok(text) if text == known.text => Read::Nothing,
                Ok(text) => Read::Text(text),
                Err(_) => Read::Rescan,
            };
        }
        let rel = path.strip_prefix("content/").unwrap_or(path);
        if abs.is_file() && !path.ends_with(".md") && self.assets.iter().any(|a| a.rel == rel) {
            return Read::Asset;
        }
        let inside = |p: &str| {
            p.len() > path.len() && p.starts_with(path) && p.as_bytes()[path.len()] == b'/'
        };
        let known_dir = self.sources.keys().any(|s| inside(s))
            || self
                .assets
                .iter()
                .any(|a| inside(&format!("content/{}", a.rel)));
        if abs.is_dir() && known_dir {
            // A folder's own event; its files report their changes.
            return Read::Nothing;
        }
        if !abs.exists()
            && known.is_none()
            && !known_dir
            && !self.assets.iter().any(|a| a.rel == rel)
        {
            // An editor's temporary file, already gone.
            return Read::Nothing;
        }
        Read::Rescan
    }

    /// Walks content/ again; parses only the files whose text changed.
    fn rescan(&mut self, changed: &mut BTreeSet<String>, fresh: &mut Vec<Page>) {
        let loaded = load::load(&self.root);
        self.load_diags = loaded.diagnostics;
        if loaded.assets != self.assets {
            self.dirty.assets = true;
            self.assets = loaded.assets;
        }
        let mut seen = HashSet::new();
        let mut to_parse = Vec::new();
        for s in loaded.sources {
            seen.insert(s.path.clone());
            let same = self.sources.get(&s.path).is_some_and(|f| f.text == s.text)
                && !changed.contains(&s.path);
            if !same {
                to_parse.push(s);
            }
        }
        let gone: Vec<String> = self
            .sources
            .keys()
            .filter(|k| !seen.contains(*k))
            .cloned()
            .collect();
        for k in gone {
            self.sources.remove(&k);
            fresh.retain(|p| p.source != k);
            changed.insert(k);
        }
        let parsed: Vec<(String, String, Option<Page>, Vec<Diagnostic>)> = to_parse
            .into_par_iter()
            .map(|s| {
                let (path, text) = (s.path.clone(), s.text.clone());
                let (page, diags) = content::parse(s);
                (path, text, page, diags)
            })
            .collect();
        for (path, text, page, diags) in parsed {
            fresh.retain(|p| p.source != path);
            self.sources.insert(
                path.clone(),
                SourceFile {
                    text,
                    diagnostics: diags,
                    parsed: page.is_some(),
                },
            );
            fresh.extend(page);
            changed.insert(path);
        }
    }

    /// The quick way for pages whose front matter did not change: their new
    /// version goes into the graph as it is (lists, tags and calendar come
    /// from front matter) and only they are checked again, with the pages
    /// that link to them when their headings changed. False, changing
    /// nothing, when that does not apply.
    fn patch(&mut self, fresh: &mut Vec<Page>) -> bool {
        let Some(site) = &mut self.site else {
            return false;
        };
        let mut at = Vec::with_capacity(fresh.len());
        for p in fresh.iter() {
            let Ok(i) = site
                .pages
                .binary_search_by(|q| q.source.as_str().cmp(&p.source))
            else {
                return false;
            };
            // Link diagnostics (an event that does not exist) are made
            // while linking: those pages are linked again.
            if front(&site.pages[i]) != front(p)
                || self.link_diags.iter().any(|d| d.file == p.source)
            {
                return false;
            }
            at.push(i);
        }
        let mut moved: Vec<String> = Vec::new();
        for (p, &i) in fresh.drain(..).zip(&at) {
            let ids = |r: &crate::content::markdown::Rendered| -> Vec<String> {
                r.headings.iter().map(|h| h.id.clone()).collect()
            };
            let before = ids(&site.rendered[i]);
            site.replace_body(i, p);
            if ids(&site.rendered[i]) != before {
                moved.push(site.pages[i].path.trim_end_matches('/').to_string());
            }
        }
        let site = &*site;
        if !moved.is_empty() || self.targets.is_none() {
            self.targets = Some((None, Targets::new(site)));
        }
        let Some((_, targets)) = &self.targets else {
            return false;
        };
        // Pages whose links may lead to an anchor that changed.
        let points_to_moved = |j: usize| {
            site.rendered[j].links.iter().any(|l| match &l.target {
                Target::Internal { url, .. } | Target::Absolute { url, .. } => {
                    moved.iter().any(|m| url.contains(m.as_str()))
                }
                _ => false,
            })
        };
        let links: Vec<(usize, Vec<Diagnostic>)> = (0..site.pages.len())
            .into_par_iter()
            .filter(|j| at.contains(j) || (!moved.is_empty() && points_to_moved(*j)))
            .map(|j| (j, check::links::check_page(site, targets, j)))
            .collect();
        for (j, d) in links {
            self.link_checks.insert(site.pages[j].source.clone(), d);
        }
        for &i in &at {
            self.page_checks.insert(
                site.pages[i].source.clone(),
                check::content::check_page(site, i),
            );
        }
        true
    }

    /// Links the pages again, re-using what the previous graph rendered.
    fn relink(&mut self, changed: &BTreeSet<String>, fresh: Vec<Page>) {
        let mut reuse = Reuse::default();
        let mut pool: Vec<Page> = Vec::with_capacity(self.sources.len());
        if let Some(old) = self.site.take() {
            reuse.content_paths = old.content_paths;
            reuse.prefix = render::views::prefix_of(&old.config.base_url);
            reuse.trust_html = old.config.trust_html;
            reuse.rendered.reserve(old.pages.len());
            for (page, rendered) in old.pages.into_iter().zip(old.rendered) {
                if changed.contains(&page.source) || !self.sources.contains_key(&page.source) {
                    continue;
                }
                reuse.rendered.insert(page.source.clone(), rendered);
                pool.push(page);
            }
        }
        let mut in_pool: HashSet<String> = pool.iter().map(|p| p.source.clone()).collect();
        for p in fresh {
            in_pool.insert(p.source.clone());
            pool.push(p);
        }
        // Pages the previous link left out (drafts, duplicate addresses).
        let missing: Vec<Source> = self
            .sources
            .iter()
            .filter(|(path, f)| f.parsed && !in_pool.contains(*path))
            .map(|(path, f)| Source {
                path: path.clone(),
                text: f.text.clone(),
            })
            .collect();
        pool.extend(missing.into_iter().filter_map(|s| content::parse(s).0));
        let (site, diags) = site::link_reusing(
            self.config.clone(),
            self.now,
            pool,
            self.assets.clone(),
            self.drafts,
            reuse,
        );
        self.link_diags = diags;
        self.site = Some(site);
    }

    /// Checks the changed pages again, and the links of every page when the
    /// addresses or anchors they may point to changed.
    fn recheck(&mut self, changed: &BTreeSet<String>, all: bool) {
        let Some(site) = &self.site else { return };
        let signature = targets_signature(site);
        let links_all = all
            || self
                .targets
                .as_ref()
                .is_none_or(|(s, _)| *s != Some(signature));
        if links_all {
            self.targets = Some((Some(signature), Targets::new(site)));
        }
        let Some((_, targets)) = &self.targets else {
            return;
        };
        let page_checks = &self.page_checks;
        let results: Vec<Checked> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let source = &site.pages[i].source;
                let fresh = all || changed.contains(source) || !page_checks.contains_key(source);
                let links =
                    (fresh || links_all).then(|| check::links::check_page(site, targets, i));
                let content = fresh.then(|| check::content::check_page(site, i));
                (links, content)
            })
            .collect();
        let mut link_checks = HashMap::with_capacity(site.pages.len());
        let mut page_checks = HashMap::with_capacity(site.pages.len());
        for (p, (links, content)) in site.pages.iter().zip(results) {
            let links =
                links.unwrap_or_else(|| self.link_checks.remove(&p.source).unwrap_or_default());
            let content =
                content.unwrap_or_else(|| self.page_checks.remove(&p.source).unwrap_or_default());
            link_checks.insert(p.source.clone(), links);
            page_checks.insert(p.source.clone(), content);
        }
        self.link_checks = link_checks;
        self.page_checks = page_checks;
    }

    /// Every diagnostic of the site, file by file.
    fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.config_diags
            .iter()
            .chain(&self.load_diags)
            .chain(self.sources.values().flat_map(|s| &s.diagnostics))
            .chain(&self.link_diags)
            .chain(self.link_checks.values().flatten())
            .chain(self.page_checks.values().flatten())
    }

    fn report(&self, changed: &BTreeSet<String>, config: bool, theme: bool) -> Report {
        let mut report = Report::default();
        let mut content_ok = true;
        for d in self.all_diagnostics() {
            if !d.is_error() {
                report.warnings += 1;
                continue;
            }
            report.errors += 1;
            if !check::rules::READING_RULES.contains(&d.rule) {
                report.fatal.push(d.clone());
                content_ok = false;
            }
        }
        // What the files read again say, warnings included.
        let mine =
            |d: &&Diagnostic| changed.contains(&d.file) || (config && d.file == config::FILE_NAME);
        report.touched.extend(
            self.config_diags
                .iter()
                .chain(&self.load_diags)
                .chain(&self.link_diags)
                .filter(mine)
                .cloned(),
        );
        for file in changed {
            let per_file = [
                self.sources.get(file).map(|s| &s.diagnostics),
                self.link_checks.get(file),
                self.page_checks.get(file),
            ];
            report
                .touched
                .extend(per_file.into_iter().flatten().flatten().cloned());
        }
        // Like `pillole build`: the theme is looked at once the content is good.
        if content_ok {
            for d in &self.theme_diags {
                if d.is_error() {
                    report.errors += 1;
                    report.fatal.push(d.clone());
                } else {
                    report.warnings += 1;
                }
                if theme {
                    report.touched.push(d.clone());
                }
            }
            if let Err(d) = &self.tera {
                report.errors += 1;
                report.fatal.push(d.clone());
                report.touched.push(d.clone());
            }
        }
        crate::diagnostics::sort(&mut report.fatal);
        crate::diagnostics::sort(&mut report.touched);
        report
    }

    fn render(&mut self, changed: &BTreeSet<String>) -> Outcome {
        let mut report = self.report(changed, self.dirty.config, self.dirty.theme);
        let (Some(site), Ok(tera)) = (&self.site, &self.tera) else {
            return Outcome::Failed(report);
        };
        if !report.fatal.is_empty() {
            return Outcome::Failed(report);
        }
        let jobs = pages::jobs(site);
        let scope = self.scope(site, &jobs);
        let full = scope.is_none();
        let (result, later) = match scope {
            None => (
                pages::render_all(site, tera, &self.render_opts).and_then(|mut out| {
                    out.extend(render::render_files_except_search(site, &self.theme, tera)?);
                    Ok(out)
                }),
                Later::Nothing,
            ),
            Some((some, later)) => (
                pages::render_jobs(site, tera, &self.render_opts, some),
                later,
            ),
        };
        match result {
            Ok(outputs) => {
                self.made_from = Some(MadeFrom {
                    pages: made_keys(site, self.made_from.take(), full, &self.dirty.sources),
                    jobs,
                });
                self.dirty = Dirty::default();
                Outcome::Rendered {
                    outputs,
                    full,
                    later,
                    report,
                }
            }
            Err(errors) => {
                report.errors += errors.len();
                report.fatal.extend(errors.iter().cloned());
                report.touched.extend(errors);
                Outcome::Failed(report)
            }
        }
    }

    /// The HTML jobs that show what changed since the last publish, with
    /// the files to make later, or None when everything must be made again.
    fn scope(&self, site: &Site, jobs: &[Job]) -> Option<(Vec<Job>, Later)> {
        let made = self.made_from.as_ref()?;
        if self.dirty.config || self.dirty.theme || self.dirty.assets || made.jobs != jobs {
            return None;
        }
        // Same pages at the same addresses, so the same indices.
        if made.pages.len() != site.pages.len()
            || made
                .pages
                .iter()
                .zip(&site.pages)
                .any(|(k, p)| k.source != p.source || k.path != p.path || k.kind != p.kind)
        {
            return None;
        }
        let mut cards: Vec<(usize, &PageKey)> = Vec::new();
        let mut bodies: Vec<usize> = Vec::new();
        for source in &self.dirty.sources {
            let Ok(i) = site
                .pages
                .binary_search_by(|p| p.source.as_str().cmp(source))
            else {
                continue;
            };
            let (old, new) = (&made.pages[i], PageKey::of(&site.pages[i]));
            if old.front != new.front {
                if matches!(new.kind, Kind::Home | Kind::Section) {
                    return None;
                }
                cards.push((i, old));
            } else if old.body != new.body {
                bodies.push(i);
            }
        }
        let lists =
            !cards.is_empty() || bodies.iter().any(|&i| site.pages[i].kind == Kind::Section);
        let home = lists || bodies.iter().any(|&i| site.pages[i].kind == Kind::Home);
        let mut own: HashSet<usize> = cards
            .iter()
            .map(|(i, _)| *i)
            .chain(bodies.iter().copied())
            .collect();
        let slugs = |names: &[String]| -> HashSet<String> {
            names
                .iter()
                .map(|n| crate::content::slug::slugify(n, ""))
                .collect()
        };
        let mut booklets: HashSet<String> = HashSet::new();
        for &i in &bodies {
            if let Some(t) = site.pages[i].tutorial() {
                booklets.extend(slugs(&t.services));
            }
        }
        if lists {
            // Section pages list their pages as cards.
            own.extend((0..site.pages.len()).filter(|&j| site.pages[j].kind == Kind::Section));
        }
        for &(i, old) in &cards {
            let page = &site.pages[i];
            // Guides that may show it among the related ones.
            let mut services = slugs(&old.services);
            if let Some(t) = page.tutorial() {
                services.extend(slugs(&t.services));
            }
            if !services.is_empty() {
                for &j in &site.tutorials {
                    let shares = site.pages[j]
                        .tutorial()
                        .is_some_and(|t| slugs(&t.services).iter().any(|s| services.contains(s)));
                    if shares {
                        own.insert(j);
                    }
                }
            }
            // The event a diary entry reports on, before and after.
            for name in old
                .event
                .iter()
                .chain(page.diary().and_then(|d| d.event.as_ref()))
            {
                own.extend(site.event_named(name));
            }
            // Diary entries that name this event.
            if page.kind == Kind::Event {
                own.extend(
                    site.diary
                        .iter()
                        .copied()
                        .filter(|&d| site.diary_event(&site.pages[d]) == Some(i)),
                );
            }
            // Pages below it carry its title in their breadcrumb.
            own.extend(
                (0..site.pages.len())
                    .filter(|&j| j != i && site.pages[j].path.starts_with(page.path.as_str())),
            );
        }
        let moved: HashSet<&str> = cards
            .iter()
            .map(|(i, _)| site.pages[*i].path.as_str())
            .collect();
        let some = jobs
            .iter()
            .filter(|job| match job {
                Job::Page(j) | Job::PrintSheet(j) | Job::Poster(j) => own.contains(j),
                Job::Alias(_, to) => moved.contains(to.as_str()),
                Job::Home => home,
                Job::Booklet(s) => lists || booklets.contains(s),
                Job::TutorialList
                | Job::Level(_)
                | Job::DiaryList(_)
                | Job::Events
                | Job::Archive
                | Job::Municipi
                | Job::Municipio(_)
                | Job::Terms(_)
                | Job::Term(..)
                | Job::Search
                | Job::NotFound => lists,
            })
            .cloned()
            .collect();
        let later = if !cards.is_empty() {
            Later::Data
        } else if bodies.is_empty() {
            Later::Nothing
        } else {
            Later::Feeds
        };
        Some((some, later))
    }
}

/// The keys of the published pages: all of them after a full render,
/// otherwise the old ones with the dirty sources updated.
fn made_keys(
    site: &Site,
    old: Option<MadeFrom>,
    full: bool,
    dirty: &BTreeSet<String>,
) -> Vec<PageKey> {
    match old {
        Some(mut made) if !full => {
            for (k, p) in made.pages.iter_mut().zip(&site.pages) {
                if dirty.contains(&p.source) {
                    *k = PageKey::of(p);
                }
            }
            made.pages
        }
        _ => site.pages.par_iter().map(PageKey::of).collect(),
    }
}

/// The front matter of a page as written (its text before the body).
fn front(p: &Page) -> &str {
    p.text
        .len()
        .checked_sub(p.body.len())
        .and_then(|n| p.text.get(..n))
        .unwrap_or(&p.text)
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A summary of what link checks look at: every address and every anchor.
/// When it is the same, a page's link diagnostics can only change with the
/// page itself.
fn targets_signature(site: &Site) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    site.config.base_url.hash(&mut h);
    site.config.diary_page_size.hash(&mut h);
    site.diary.len().hash(&mut h);
    for (p, r) in site.pages.iter().zip(&site.rendered) {
        p.path.hash(&mut h);
        p.kind.hash(&mut h);
        p.common.aliases.hash(&mut h);
        for heading in &r.headings {
            heading.id.hash(&mut h);
        }
    }
    site.asset_paths.hash(&mut h);
    for k in site.tags.keys().chain(site.services.keys()) {
        k.hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
impl Workspace {
    /// Every content diagnostic, sorted, as `pillole check` gives them.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.all_diagnostics().cloned().collect();
        crate::diagnostics::sort(&mut all);
        all
    }
}

#[cfg(test)]
mod tests {
    //! Every update must leave the same outputs and diagnostics as a build
    //! from scratch of the same files: these edits cover each way a change
    //! reaches other pages.
    use super::*;
    use crate::render::Body;
    use std::collections::BTreeMap;

    const INJECT: &str = "<!-- live -->";

    fn now() -> NaiveDateTime {
        crate::parse_now("2026-11-23T10:00").unwrap()
    }

    fn copy_demo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    type Files = BTreeMap<String, String>;

    fn key(body: &Body) -> String {
        match body {
            Body::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Body::Copy(p) => format!("copy of {}", p.display()),
        }
    }

    /// A build from scratch: outputs (or None when it fails) and diagnostics.
    fn reference(root: &Path) -> (Option<Files>, Vec<Diagnostic>) {
        let opts = crate::Options {
            root: root.to_path_buf(),
            drafts: false,
            base_url: None,
            now: now(),
        };
        let loaded = crate::load(&opts);
        let diags = loaded.diagnostics.clone();
        if !crate::fatal(&diags).is_empty() {
            return (None, diags);
        }
        let site = loaded.site.unwrap();
        let (theme, _) = Theme::load(root, &site.config.theme);
        let render_opts = RenderOptions {
            inject: Some(INJECT.into()),
        };
        let outputs = render::render(&site, &theme, &render_opts).ok();
        let files = outputs.map(|o| o.iter().map(|o| (o.path.clone(), key(&o.body))).collect());
        (files, diags)
    }

    struct Served {
        ws: Workspace,
        files: Files,
        ok: bool,
    }

    impl Served {
        fn start(root: &Path) -> Self {
            let root = std::fs::canonicalize(root).unwrap();
            let render_opts = RenderOptions {
                inject: Some(INJECT.into()),
            };
            let mut s = Served {
                ws: Workspace::new(&root, now(), false, render_opts),
                files: Files::new(),
                ok: false,
            };
            s.apply(Changes::default());
            s
        }

        /// Applies a change as the serve loop does, files made when idle included.
        fn apply(&mut self, changes: Changes) -> &'static str {
            match self.ws.update(changes) {
                Outcome::Unchanged => "unchanged",
                Outcome::Reload => "reload",
                Outcome::Failed(_) => {
                    self.ok = false;
                    "failed"
                }
                Outcome::Rendered {
                    outputs,
                    full,
                    later,
                    ..
                } => {
                    self.ok = true;
                    if full {
                        self.files.clear();
                    }
                    let later_files = self.ws.render_later(later).unwrap();
                    let index = self.ws.search_input().unwrap().render();
                    for o in outputs.iter().chain(&later_files).chain([&index]) {
                        self.files.insert(o.path.clone(), key(&o.body));
                    }
                    if full {
                        "full"
                    } else {
                        "some"
                    }
                }
            }
        }

        fn edit(&mut self, root: &Path, file: &str, from: &str, to: &str) -> &'static str {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} has no «{from}»");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            self.apply(content_change(file))
        }

        /// Same outputs and diagnostics as a build from scratch.
        fn assert_same(&self, root: &Path, what: &str) {
            let (files, diags) = reference(root);
            assert_eq!(self.ws.diagnostics(), diags, "{what}: diagnostics differ");
            match files {
                Some(files) => {
                    assert!(self.ok, "{what}: the build should succeed");
                    let ours: Vec<&String> = self.files.keys().collect();
                    let theirs: Vec<&String> = files.keys().collect();
                    assert_eq!(ours, theirs, "{what}: not the same files");
                    for (path, body) in &files {
                        assert!(self.files[path] == *body, "{what}: {path} differs");
                    }
                }
                None => assert!(!self.ok, "{what}: the build should fail"),
            }
        }
    }

    fn content_change(file: &str) -> Changes {
        Changes {
            content: BTreeSet::from([file.to_string()]),
            ..Default::default()
        }
    }

    #[test]
    fn page_edits_make_what_a_full_build_makes() {
        let dir = copy_demo();
        let root = dir.path();
        let mut s = Served::start(root);
        s.assert_same(root, "start");

        let spid = "content/tutorial/attivare-spid.md";
        let step = s.edit(
            root,
            spid,
            "## Prepara i documenti\n\n",
            "## Prepara i documenti\n\nUna frase nuova.\n\n",
        );
        assert_eq!(step, "some");
        s.assert_same(root, "body of a tutorial");

        assert_eq!(
            s.edit(
                root,
                spid,
                "title: \"Attiva lo SPID\"",
                "title: \"Attiva lo SPID adesso\""
            ),
            "some"
        );
        s.assert_same(root, "title of a tutorial");

        assert_eq!(
            s.edit(root, spid, "services: [SPID]", "services: [SPID, CIE]"),
            "some"
        );
        s.assert_same(root, "services of a tutorial");

        // A renamed heading breaks links to its anchor in other pages.
        assert_eq!(
            s.edit(
                root,
                spid,
                "## Scegli il gestore",
                "## Scegli chi ti dà lo SPID"
            ),
            "failed"
        );
        s.assert_same(root, "anchor gone");
        assert_eq!(
            s.edit(
                root,
                spid,
                "## Scegli chi ti dà lo SPID",
                "## Scegli il gestore"
            ),
            "some"
        );
        s.assert_same(root, "anchor back");

        let diary = "content/diario/tappa-municipio-1-sormani.md";
        assert_eq!(
            s.edit(root, diary, "title: \"Tappa 1:", "title: \"Prima tappa:"),
            "some"
        );
        s.assert_same(root, "title of a diary entry");
        assert_eq!(
            s.edit(
                root,
                diary,
                "event: incontro-spid-municipio-1",
                "event: incontro-spid-municipio-4"
            ),
            "some"
        );
        s.assert_same(root, "event of a diary entry");

        let event = "content/eventi/incontro-spid-municipio-4.md";
        assert_eq!(s.edit(root, event, "title: \"", "title: \"Nuovo: "), "some");
        s.assert_same(root, "title of an event");

        assert_eq!(
            s.edit(
                root,
                "content/tutorial/_index.md",
                "Ogni guida ti porta",
                "Ogni guida ti accompagna"
            ),
            "some"
        );
        s.assert_same(root, "body of a section");
        assert_eq!(
            s.edit(
                root,
                "content/_index.md",
                "Benvenuto!",
                "Benvenuta e benvenuto!"
            ),
            "some"
        );
        s.assert_same(root, "body of the home page");
        assert_eq!(
            s.edit(
                root,
                "content/_index.md",
                "summary: \"Guide brevi",
                "summary: \"Guide corte"
            ),
            "full"
        );
        s.assert_same(root, "front matter of the home page");

        // Broken front matter, then fixed: only that page again.
        assert_eq!(
            s.edit(root, diary, "title:", "title \"x\"\ntitle:"),
            "failed"
        );
        s.assert_same(root, "broken front matter");
        assert_eq!(s.edit(root, diary, "title \"x\"\ntitle:", "title:"), "some");
        s.assert_same(root, "fixed front matter");

        // Saving without changes changes nothing.
        assert_eq!(s.apply(content_change(diary)), "unchanged");
    }

    #[test]
    fn files_config_and_templates_make_what_a_full_build_makes() {
        let dir = copy_demo();
        let root = dir.path();
        let mut s = Served::start(root);

        // A new page, then the same page gone.
        let new = "content/tutorial/nuova-guida.md";
        let text = std::fs::read_to_string(root.join("content/tutorial/creare-email.md")).unwrap();
        std::fs::write(
            root.join(new),
            text.replace("title: \"", "title: \"Copia: "),
        )
        .unwrap();
        assert_eq!(s.apply(content_change(new)), "full");
        s.assert_same(root, "page added");
        std::fs::remove_file(root.join(new)).unwrap();
        assert_eq!(s.apply(content_change(new)), "full");
        s.assert_same(root, "page removed");

        // A new image, then an image changed in place.
        let image = "content/diario/tappa-municipio-4-calvairate/foto-3.svg";
        std::fs::copy(
            root.join("content/diario/tappa-municipio-4-calvairate/foto-1.svg"),
            root.join(image),
        )
        .unwrap();
        assert_eq!(s.apply(content_change(image)), "full");
        s.assert_same(root, "image added");
        std::fs::write(
            root.join(image),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap();
        assert_eq!(s.apply(content_change(image)), "reload");

        // site.yaml.
        let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        std::fs::write(
            root.join("site.yaml"),
            config.replace("diary_page_size: 4", "diary_page_size: 2"),
        )
        .unwrap();
        let changes = Changes {
            config: true,
            ..Default::default()
        };
        assert_eq!(s.apply(changes.clone()), "full");
        s.assert_same(root, "site.yaml");
        assert_eq!(s.apply(changes), "unchanged");

        // A template of the site overriding the theme's.
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let page =
            String::from_utf8(s.ws.theme.get("templates/page.html").unwrap().to_vec()).unwrap();
        std::fs::write(
            root.join("templates/page.html"),
            page.replace("{% endblock main %}", "<!-- mio -->{% endblock main %}"),
        )
        .unwrap();
        let changes = Changes {
            theme: true,
            ..Default::default()
        };
        assert_eq!(s.apply(changes.clone()), "full");
        s.assert_same(root, "template");
        assert!(s.files["chi-siamo/index.html"].contains("<!-- mio -->"));
        // A template error keeps the last good site.
        std::fs::write(root.join("templates/page.html"), "{% block x %}").unwrap();
        assert_eq!(s.apply(changes.clone()), "failed");
        assert!(s.files["chi-siamo/index.html"].contains("<!-- mio -->"));
        std::fs::remove_file(root.join("templates/page.html")).unwrap();
        assert_eq!(s.apply(changes), "full");
        s.assert_same(root, "template removed");
    }
}

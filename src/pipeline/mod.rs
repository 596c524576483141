//! The pipeline: config -> load -> parse -> link -> check -> render, the
//! one way `build`, `check` and `serve` make a site, kept warm between two
//! runs.
//!
//! A [`Pipeline`] owns every input as last read (site.yaml, the files of
//! content/ in `Sources`, the theme), the graph made from them, the
//! check diagnostics of every page ([`Checks`]) and, in serve mode, what
//! every published output read from the graph (`Made`). A build is the
//! pipeline run once with nothing kept; serve runs it again for each
//! change, and each stage does only what the change reaches:
//!
//! - load and parse read again only the files a change names (a content
//!   hash decides: saving a file unchanged does nothing);
//! - link puts a page whose front matter did not change into the graph as
//!   it is; otherwise the pages are linked again, keeping the body analyses
//!   still valid;
//! - check looks again at the changed pages and at the links that may lead
//!   to them;
//! - render makes again the routes whose reads (recorded while they were
//!   last made, see [`crate::reads`]) see something different, the new
//!   routes, and nothing else.
//!
//! It writes nothing and serves nothing: `build` hands the files to the
//! output folder, `serve` publishes them.

mod made;
mod sources;

use crate::check;
use crate::check::incremental::Checks;
use crate::config::{self, Config};
use crate::content::load::Source;
use crate::content::text::{self, Changed};
use crate::content::{self, Page};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::render::theme::Theme;
use crate::render::{self, Output, RenderCounts, RenderError, RenderOptions};
use crate::routes::{Route, RouteKind};
use crate::site::{self, Reuse, Site};
use chrono::NaiveDateTime;
use made::{Made, Since};
use sources::{Keep, Read as SourcesRead, Sources};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

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

/// How the pipeline is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Run once (`build`, `check`): nothing is kept for a next run.
    Once,
    /// Kept warm (`serve`): render records what each output reads; a page
    /// whose file breaks keeps its last good version and the last good
    /// templates stay in use, so the site stays browsable while it has
    /// errors.
    Warm,
}

/// What an update found.
pub enum Update {
    /// Nothing the site is made of changed.
    Unchanged,
    /// Only a content file (an image, a PDF) changed in place: it is read
    /// on request, so the pages only need reloading.
    Reload,
    /// The graph changed: render what [`Pipeline::plan`] says.
    Changed(Report),
}

/// Diagnostics of an update, for the terminal and the overlay.
#[derive(Default)]
pub struct Report {
    /// Errors that stop a build (shown in the overlay).
    pub fatal: Vec<Diagnostic>,
    /// Every diagnostic of the files this update read again.
    pub touched: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
}

/// The routes to make after an update, and the files that are gone.
#[derive(Default)]
pub struct Plan {
    /// The pages of the files that changed (and their print sheets): made
    /// first, so that the page being edited is there soonest.
    pub first: Vec<Route>,
    /// Every other route whose reads changed.
    pub rest: Vec<Route>,
    /// Output files of routes that no longer exist.
    pub removed: Vec<String>,
    /// Everything is made again (first run, templates, site.yaml): the
    /// outputs replace all the published ones, the theme's files included.
    pub full: bool,
}

/// What [`Pipeline::render_update`] made, besides the files it handed over.
pub struct Rendered {
    /// Template errors (the routes they stopped keep their last file).
    pub errors: Vec<Diagnostic>,
    /// Output files of routes that no longer exist.
    pub removed: Vec<String>,
    /// Everything was made again: the files not made are gone, but for
    /// the routes that failed and the search index.
    pub full: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.first.is_empty() && self.rest.is_empty() && self.removed.is_empty() && !self.full
    }
}

/// What changed since the outputs were last made.
#[derive(Default)]
struct Dirty {
    sources: BTreeSet<String>,
    /// The graph was linked again.
    relinked: bool,
    /// site.yaml or the theme: everything is made again.
    all: bool,
}

/// The site, from its files to its outputs. The caller owns it; nothing
/// else changes it.
pub struct Pipeline {
    root: PathBuf,
    now: NaiveDateTime,
    drafts: bool,
    base_url: Option<String>,
    mode: Mode,
    render_opts: RenderOptions,
    config: Config,
    config_diags: Vec<Diagnostic>,
    config_text: Option<String>,
    sources: Sources,
    site: Option<Site>,
    link_diags: Vec<Diagnostic>,
    checks: Checks,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    /// The templates, when they compile (in warm mode, the last that did).
    tera: Option<tera::Tera>,
    /// Why the current templates do not compile.
    tera_error: Option<Diagnostic>,
    made: Option<Made>,
    dirty: Dirty,
    /// Bytes of source text a run once holds in memory (see
    /// [`Pipeline::leave_texts_in_files`]).
    hold: usize,
    /// Source files found changed when a text left in its file was read
    /// back (see [`content::text`]).
    changed: Changed,
}

impl Pipeline {
    /// A pipeline with site.yaml read; the first [`update`](Self::update)
    /// (with no changes) reads the theme and the content.
    pub fn new(opts: &crate::Options, mode: Mode, render_opts: RenderOptions) -> Self {
        let mut p = Pipeline {
            root: opts.root.clone(),
            now: opts.now,
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            mode,
            render_opts,
            config: Config::default(),
            config_diags: Vec::new(),
            config_text: None,
            sources: Sources::default(),
            site: None,
            link_diags: Vec::new(),
            checks: Checks::default(),
            theme: Theme {
                files: Default::default(),
            },
            theme_diags: Vec::new(),
            tera: None,
            tera_error: None,
            made: None,
            dirty: Dirty::default(),
            hold: std::env::var("PILLOLE_HOLD_MB")
                .ok()
                .and_then(|mb| mb.trim().parse::<usize>().ok())
                .map_or(text::HOLD_LIMIT, |mb| mb.saturating_mul(1024 * 1024)),
            changed: Changed::default(),
        };
        crate::timed("config", || p.load_config());
        p.dirty.all = true;
        p
    }

    /// The text of a file of the site, for showing lines in messages.
    pub fn source(&self, file: &str) -> Option<String> {
        if file == config::FILE_NAME {
            return self.config_text.clone();
        }
        if let Some(s) = self.sources.files.get(file) {
            return Some(s.text.get().to_string());
        }
        let bytes = self.theme.get(file)?;
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }

    /// The address prefix of the site (the path of base_url, `` or `/docs`).
    pub fn prefix(&self) -> String {
        self.config.prefix()
    }

    /// Whether there is a site graph to render and its configuration has
    /// no errors (pages with errors can be left out; a bad site.yaml
    /// touches every page).
    pub fn can_leave_out_errors(&self) -> bool {
        self.site.is_some() && !self.config_diags.iter().any(|d| d.is_error())
    }

    /// Number of pages in the graph.
    pub fn page_count(&self) -> usize {
        self.site.as_ref().map_or(0, |s| s.pages.len())
    }

    /// Reads what a change names and runs parse, link and check again
    /// where it reaches.
    pub fn update(&mut self, changes: Changes) -> Update {
        let config = changes.config && self.load_config();
        // The first update reads the theme while it reads the pages.
        let theme_known = self.tera.is_some() || self.tera_error.is_some();
        let theme = theme_known && (config || changes.theme) && self.load_theme();
        let first = self.site.is_none();
        let keep = (self.mode == Mode::Once).then(|| Keep {
            limit: self.hold,
            root: &self.root,
            changed: &self.changed,
            read: Default::default(),
        });
        let mut read_sources = || {
            crate::timed("load", || {
                self.sources
                    .read(&self.root, &changes.content, first, keep.as_ref())
            })
        };
        let (theme, read) = if theme_known {
            (theme, read_sources())
        } else {
            // The first time, the templates compile while the pages are
            // read (finding the files is one core's work).
            let ((theme, diags, tera), read) = rayon::join(
                || {
                    let (theme, diags) = Theme::load(&self.root, &self.config.theme);
                    let tera = render::templates(&theme);
                    (theme, diags, tera)
                },
                read_sources,
            );
            self.set_theme(theme, diags, tera);
            (true, read)
        };
        let SourcesRead {
            changed,
            mut fresh,
            asset,
            rescanned: rescan,
            assets_changed,
        } = read;
        self.dirty.all |= assets_changed;
        if changed.is_empty() && !rescan && !config && !theme {
            return if asset {
                Update::Reload
            } else {
                Update::Unchanged
            };
        }
        if self.mode == Mode::Once {
            self.leave_texts_in_files(&mut fresh);
        }
        self.dirty.sources.extend(changed.iter().cloned());
        // A theme change alone leaves the graph as it is.
        let graph = first || config || rescan || !changed.is_empty();
        let patched = !rescan && !config && self.patch(&mut fresh);
        if graph && !patched {
            self.dirty.relinked = true;
            crate::timed("link", || self.relink(&changed, fresh));
            if let Some(site) = &self.site {
                crate::timed("check", || {
                    self.checks.after_link(site, &changed, first || config)
                });
                // Run once, nothing checks again: the pages' addresses and
                // anchors go before the pages are made.
                if self.mode == Mode::Once {
                    self.checks.forget_targets();
                }
            }
        }
        Update::Changed(self.report(&changed, config || first, theme || first))
    }

    /// Every diagnostic of the site, sorted, as `pillole check` gives them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.all_diagnostics().cloned().collect();
        all.extend(self.changed_while_running());
        crate::diagnostics::sort(&mut all);
        all
    }

    /// The errors that stop a build, sorted.
    pub fn fatal(&self) -> Vec<Diagnostic> {
        let mut fatal: Vec<Diagnostic> = self
            .all_diagnostics()
            .filter(|d| d.is_error() && !check::rules::READING_RULES.contains(&d.rule))
            .cloned()
            .collect();
        fatal.extend(self.changed_while_running());
        crate::diagnostics::sort(&mut fatal);
        fatal
    }

    /// Before the first update: the check stage keeps only the first
    /// `shown` of its warnings as it goes (see [`Pipeline::keep_first_warnings`]).
    pub fn show_first_warnings(&mut self, shown: usize) {
        if shown > 0 {
            self.checks.keep_first(shown);
        }
    }

    /// Drops every warning after the first `shown` in the order they are
    /// shown, and says how many went (with those the check stage dropped
    /// already): a build prints only those, and a big site's warnings would
    /// otherwise be held while its pages are made.
    pub fn keep_first_warnings(&mut self, shown: usize) -> usize {
        let dropped = self.checks.dropped();
        // The last warning shown, owned, so the lists can change.
        let (total, last) = {
            let mut order: Vec<(&str, usize, usize, &'static str, &str)> = self
                .all_diagnostics()
                .filter(|d| !d.is_error())
                .map(Diagnostic::order)
                .collect();
            if order.len() <= shown || shown == 0 {
                return dropped;
            }
            let (_, &mut (file, line, column, rule, message), _) =
                order.select_nth_unstable(shown - 1);
            let last = (file.to_string(), line, column, rule, message.to_string());
            (order.len(), last)
        };
        let last = (last.0.as_str(), last.1, last.2, last.3, last.4.as_str());
        let keep = |d: &Diagnostic| d.is_error() || d.order() <= last;
        self.config_diags.retain(keep);
        self.sources.load_diags.retain(keep);
        for file in self.sources.files.values_mut() {
            file.diagnostics.retain(keep);
        }
        self.link_diags.retain(keep);
        self.checks.retain(keep);
        dropped + total - self.all_diagnostics().filter(|d| !d.is_error()).count()
    }

    /// An error for each source file that changed while the site was being
    /// made, found when its text was read back from the file: what was made
    /// from it cannot be trusted.
    pub fn changed_while_running(&self) -> Vec<Diagnostic> {
        self.changed
            .files()
            .into_iter()
            .map(|file| {
                Diagnostic::error(
                    &file,
                    "unreadable",
                    "il file è cambiato mentre il sito veniva creato",
                )
                .hint("quando hai finito di modificarlo, ripeti il comando")
            })
            .collect()
    }

    /// The templates' diagnostics (a build looks at them once the content
    /// is good).
    pub fn theme_diagnostics(&self) -> Vec<Diagnostic> {
        let mut d = self.theme_diags.clone();
        d.extend(self.tera_error.clone());
        d
    }

    /// What the pipeline holds, for `build` and `check`.
    pub fn into_loaded(self) -> crate::Loaded {
        let changed = self.changed_while_running();
        let mut diagnostics = self.config_diags;
        diagnostics.extend(changed);
        diagnostics.extend(self.sources.load_diags);
        let mut sources: HashMap<String, content::text::Text> =
            HashMap::with_capacity(self.sources.files.len() + 1);
        for (path, file) in self.sources.files {
            diagnostics.extend(file.diagnostics);
            sources.insert(path, file.text);
        }
        diagnostics.extend(self.link_diags);
        diagnostics.extend(self.checks.into_diagnostics());
        crate::diagnostics::sort(&mut diagnostics);
        if let Some(text) = self.config_text {
            sources.insert(
                config::FILE_NAME.to_string(),
                content::text::Text::held(text.into()),
            );
        }
        // Templates too, for the lines their errors point at.
        for (path, bytes) in &self.theme.files {
            if let (true, Ok(text)) = (path.starts_with("templates/"), std::str::from_utf8(bytes)) {
                sources.insert(path.clone(), content::text::Text::held(text.into()));
            }
        }
        crate::Loaded {
            site: self.site,
            diagnostics,
            warnings_left_out: 0,
            sources,
        }
    }

    /// Every output of the site into `sink`, made at once and recording
    /// nothing (a build).
    pub fn render_into(&self, sink: &dyn Sink) -> Result<RenderCounts, RenderError> {
        let (Some(site), Some(tera)) = (&self.site, &self.tera) else {
            return Err(RenderError::Templates(
                self.tera_error.iter().cloned().collect(),
            ));
        };
        render::render_into(site, &self.theme, tera, &self.render_opts, sink)
    }

    /// The routes to make again after the updates so far.
    pub fn plan(&self) -> Plan {
        let Some(site) = &self.site else {
            return Plan::default();
        };
        let made = match &self.made {
            Some(made) if !self.dirty.all => made,
            _ => {
                return Plan {
                    rest: site
                        .routes
                        .list
                        .iter()
                        .filter(|r| r.kind != RouteKind::SearchIndex)
                        .cloned()
                        .collect(),
                    full: true,
                    ..Plan::default()
                }
            }
        };
        let since = Since {
            sources: &self.dirty.sources,
            relinked: self.dirty.relinked,
        };
        let (make, removed) = made.stale(site, &since);
        let mut plan = Plan {
            removed,
            ..Plan::default()
        };
        for route in make {
            let own = match route.kind {
                RouteKind::Page(i) | RouteKind::PrintSheet(i) => {
                    self.dirty.sources.contains(&site.pages[i].source)
                }
                _ => false,
            };
            if own {
                plan.first.push(route);
            } else {
                plan.rest.push(route);
            }
        }
        plan
    }

    /// Makes what the updates so far changed into `sink` (the plan of
    /// [`plan`](Self::plan): the pages of the changed files first, then
    /// the rest; with a full plan, the theme's files too) and marks it
    /// made. Returns what the caller must do besides: drop the files of
    /// routes gone, replace everything after a full plan.
    pub fn render_update(&mut self, sink: &dyn Sink) -> Rendered {
        let plan = self.plan();
        if plan.full && self.mode == Mode::Warm {
            // A full render starts the record afresh.
            self.made = Some(Made::default());
        }
        let mut errors = crate::timed("render first", || self.render(&plan.first, sink));
        errors.extend(crate::timed("render rest", || {
            self.render(&plan.rest, sink)
        }));
        if plan.full {
            for file in self.theme_files() {
                if let Err(e) = sink.put(file) {
                    errors.push(Diagnostic::error("public", "internal", e.to_string()));
                }
            }
        }
        if let Some(made) = &mut self.made {
            made.forget(&plan.removed);
        }
        self.dirty = Dirty::default();
        Rendered {
            errors,
            removed: plan.removed,
            full: plan.full,
        }
    }

    /// Makes the given routes into `sink` (in warm mode, recording what
    /// each read). Returns every template error (a route that failed made
    /// no file, and is made again at the next update).
    fn render(&mut self, routes: &[Route], sink: &dyn Sink) -> Vec<Diagnostic> {
        let (Some(site), Some(tera)) = (&self.site, &self.tera) else {
            return self.tera_error.iter().cloned().collect();
        };
        let record = self.mode == Mode::Warm;
        let counts = render::pages::render_into(
            site,
            tera,
            &self.render_opts,
            routes.iter().collect(),
            sink,
            record,
        );
        let counts = match counts {
            Ok(counts) => counts,
            Err(RenderError::Templates(d)) => return d,
            Err(RenderError::Write(e)) => {
                return vec![Diagnostic::error("public", "internal", e.to_string())]
            }
        };
        if let Some(made) = self.made.as_mut().filter(|_| record) {
            made.record(site, routes, counts.reads);
        }
        counts.errors
    }

    /// The output files of every route of the graph.
    pub fn route_files(&self) -> HashSet<String> {
        self.site
            .iter()
            .flat_map(|s| &s.routes.list)
            .map(|r| r.file())
            .collect()
    }

    /// The theme's static files and the code stylesheet.
    pub fn theme_files(&self) -> Vec<Output> {
        render::theme_files(&self.theme, &self.config)
    }

    /// What the search index of the current graph is made from.
    pub fn search_input(&self) -> Option<render::search::SearchInput> {
        self.site.as_ref().map(render::search::input)
    }

    /// In a run once, past [`text::HOLD_LIMIT`] bytes of source text (or
    /// the megabytes `PILLOLE_HOLD_MB` says), leaves every text in its file:
    /// each stage reads back what it needs. (Load has left those read past
    /// the limit already.) Serve holds every text.
    fn leave_texts_in_files(&mut self, fresh: &mut [Page]) {
        let total: usize = self.sources.files.values().map(|f| f.text.len()).sum();
        if total <= self.hold {
            return;
        }
        for (path, file) in &mut self.sources.files {
            file.text = file
                .text
                .left_in_file(self.root.join(path), path, &self.changed);
        }
        for page in fresh {
            if let Some(file) = self.sources.files.get(&page.source) {
                page.text = file.text.clone();
            }
        }
    }

    /// Reads site.yaml again; true when anything in it changed.
    fn load_config(&mut self) -> bool {
        let (mut config, diags) = config::load(&self.root);
        if let Some(url) = &self.base_url {
            config.base_url = url.clone();
        }
        self.config_text = std::fs::read_to_string(self.root.join(config::FILE_NAME)).ok();
        if config == self.config && diags == self.config_diags {
            return false;
        }
        self.config = config;
        self.config_diags = diags;
        self.dirty.all = true;
        true
    }

    /// Reads the theme again; true when any of its files changed.
    fn load_theme(&mut self) -> bool {
        let (theme, diags) = Theme::load(&self.root, &self.config.theme);
        if theme.files == self.theme.files && diags == self.theme_diags && self.tera.is_some() {
            return false;
        }
        let tera = render::templates(&theme);
        self.set_theme(theme, diags, tera);
        true
    }

    /// Takes a theme read and its templates as compiled.
    fn set_theme(
        &mut self,
        theme: Theme,
        diags: Vec<Diagnostic>,
        tera: Result<tera::Tera, Diagnostic>,
    ) {
        match tera {
            Ok(tera) => {
                self.tera = Some(tera);
                self.tera_error = None;
            }
            Err(d) => {
                if self.mode == Mode::Once {
                    self.tera = None;
                }
                self.tera_error = Some(d);
            }
        }
        self.theme = theme;
        self.theme_diags = diags;
        self.dirty.all = true;
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
            if *site.pages[i].front() != *p.front()
                || self.link_diags.iter().any(|d| d.file == p.source)
            {
                return false;
            }
            at.push(i);
        }
        let mut moved: Vec<String> = Vec::new();
        for (p, &i) in fresh.drain(..).zip(&at) {
            let ids = |r: &crate::content::markdown::Analysis| -> Vec<String> {
                r.headings.iter().map(|h| h.id.clone()).collect()
            };
            let before = ids(&site.analysis[i]);
            site.replace_body(i, p);
            if ids(&site.analysis[i]) != before {
                moved.push(site.pages[i].path.trim_end_matches('/').to_string());
            }
        }
        self.checks.after_patch(site, &at, &moved);
        true
    }

    /// Links the pages again, re-using what the previous graph analysed.
    /// In warm mode a page whose file no longer parses keeps its last good
    /// version.
    fn relink(&mut self, changed: &BTreeSet<String>, fresh: Vec<Page>) {
        let mut reuse = Reuse::default();
        let mut pool: Vec<Page> = Vec::with_capacity(self.sources.files.len());
        let replaced: HashSet<&str> = fresh.iter().map(|p| p.source.as_str()).collect();
        let keep_broken = self.mode == Mode::Warm;
        if let Some(old) = self.site.take() {
            reuse.content_paths = old.content_paths;
            reuse.prefix = old.prefix.clone();
            reuse.trust_html = old.config.trust_html;
            reuse.heading_ids = old.config.heading_ids;
            reuse.rendered.reserve(old.pages.len());
            for (page, analysis) in old.pages.into_iter().zip(old.analysis) {
                let gone = !self.sources.files.contains_key(&page.source);
                let broken =
                    changed.contains(&page.source) && !replaced.contains(page.source.as_str());
                if gone || replaced.contains(page.source.as_str()) || (broken && !keep_broken) {
                    continue;
                }
                if !changed.contains(&page.source) {
                    reuse.rendered.insert(page.source.clone(), analysis);
                }
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
            .files
            .iter()
            .filter(|(path, f)| f.parsed && !in_pool.contains(*path))
            .map(|(path, f)| Source {
                path: path.clone(),
                text: f.text.get(),
            })
            .collect();
        if !missing.is_empty() {
            use rayon::prelude::*;
            pool.extend(
                missing
                    .into_par_iter()
                    .filter_map(|s| content::parse(s).0)
                    .collect::<Vec<Page>>(),
            );
        }
        let (site, diags) = site::link_reusing(
            self.config.clone(),
            self.now,
            pool,
            self.sources.assets.clone(),
            self.drafts,
            reuse,
        );
        let mut site = site;
        site.unreadable = self
            .sources
            .files
            .iter()
            .filter(|(path, f)| !f.parsed && !in_pool.contains(*path))
            .map(|(path, _)| path.clone())
            .collect();
        self.link_diags = diags;
        self.site = Some(site);
    }

    /// Every diagnostic of the site, file by file.
    fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.config_diags
            .iter()
            .chain(&self.sources.load_diags)
            .chain(self.sources.files.values().flat_map(|s| &s.diagnostics))
            .chain(&self.link_diags)
            .chain(self.checks.iter())
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
                .chain(&self.sources.load_diags)
                .chain(&self.link_diags)
                .filter(mine)
                .cloned(),
        );
        for file in changed {
            let parse = self.sources.files.get(file).map(|s| &s.diagnostics);
            report.touched.extend(parse.into_iter().flatten().cloned());
            report.touched.extend(self.checks.of_file(file).cloned());
        }
        // Like `pillole build`: the theme is looked at once the content is good.
        if content_ok {
            for d in self.theme_diags.iter().chain(&self.tera_error) {
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
        }
        crate::diagnostics::sort(&mut report.fatal);
        crate::diagnostics::sort(&mut report.touched);
        report
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
    use std::path::Path;

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
        let loaded = crate::load(&options(root));
        let diags = loaded.diagnostics.clone();
        if !crate::fatal(&diags).is_empty() {
            return (None, diags);
        }
        let site = loaded.site.unwrap();
        let (theme, _) = Theme::load(root, &site.config.theme);
        let render_opts = RenderOptions {
            inject: Some(INJECT.into()),
        };
        let tera = render::templates(&theme).unwrap();
        let outputs = render::render(&site, &theme, &tera, &render_opts).ok();
        (outputs.as_deref().map(files_of), diags)
    }

    fn files_of(outputs: &[Output]) -> Files {
        outputs
            .iter()
            .map(|o| (o.path.clone(), key(&o.body)))
            .collect()
    }

    /// The pipeline run once over `root`, holding `hold` bytes of text.
    fn run_once(root: &Path, hold: usize) -> Pipeline {
        let render_opts = RenderOptions {
            inject: Some(INJECT.into()),
        };
        let mut p = Pipeline::new(&options(root), Mode::Once, render_opts);
        p.hold = hold;
        p.update(Changes::default());
        p
    }

    /// Every output of the pipeline's site.
    fn made(p: &Pipeline) -> Files {
        let sink = crate::output::Collect::default();
        p.render_into(&sink).unwrap();
        files_of(&sink.into_files())
    }

    fn options(root: &Path) -> crate::Options {
        crate::Options {
            root: root.to_path_buf(),
            drafts: false,
            base_url: None,
            now: now(),
        }
    }

    struct Served {
        ws: Pipeline,
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
                ws: Pipeline::new(&options(&root), Mode::Warm, render_opts),
                files: Files::new(),
                ok: false,
            };
            s.apply(Changes::default());
            s
        }

        /// Applies a change as the serve loop does, the search index included.
        fn apply(&mut self, changes: Changes) -> &'static str {
            let report = match self.ws.update(changes) {
                Update::Unchanged => return "unchanged",
                Update::Reload => return "reload",
                Update::Changed(report) => report,
            };
            let sink = crate::output::Collect::default();
            let made = self.ws.render_update(&sink);
            assert!(made.errors.is_empty(), "{:?}", made.errors);
            let outputs = sink.into_files();
            if made.full {
                self.files.clear();
            }
            for file in &made.removed {
                self.files.remove(file);
            }
            let index = self.ws.search_input().unwrap().files();
            self.files.retain(|k, _| !render::search::is_index_file(k));
            for o in outputs.iter().chain(&index) {
                self.files.insert(o.path.clone(), key(&o.body));
            }
            self.ok = report.fatal.is_empty();
            if !self.ok {
                "failed"
            } else if made.full {
                "full"
            } else {
                "some"
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

    /// Past what a run holds, load keeps the first texts it reads and
    /// leaves the rest in their files; once every file is read, the held
    /// ones are left too, and the site made is the same.
    #[test]
    fn texts_read_before_the_limit_are_left_after_it() {
        let dir = copy_demo();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (files, diags) = reference(&root);
        let p = run_once(&root, 4096);
        let total: usize = p.sources.files.values().map(|f| f.text.len()).sum();
        assert!(total > 4 * p.hold, "{total}");
        assert!(p.sources.files.values().all(|f| !f.text.is_held()));
        assert!(p
            .site
            .as_ref()
            .unwrap()
            .pages
            .iter()
            .all(|page| !page.text.is_held()));
        assert_eq!(Some(made(&p)), files);
        assert_eq!(p.diagnostics(), diags);
    }

    /// A run whose texts are left in their files (a site past what it holds)
    /// makes the outputs and diagnostics of one that holds them; a file
    /// changed while its text is read back is an error that stops the build.
    #[test]
    fn texts_left_in_their_files_make_the_same_site() {
        let dir = copy_demo();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (files, diags) = reference(&root);
        let p = run_once(&root, 0);
        let site = p.site.as_ref().unwrap();
        assert!(site.pages.len() > 10);
        assert!(site.pages.iter().all(|page| !page.text.is_held()));
        assert!(p.sources.files.values().all(|f| !f.text.is_held()));
        assert_eq!(Some(made(&p)), files);
        assert_eq!(p.diagnostics(), diags);
        assert!(p.changed_while_running().is_empty());

        // Same length, other words: found when read back.
        let file = "content/tutorial/creare-email.md";
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let edited = text.replacen("email", "posta", 1);
        assert_eq!(edited.len(), text.len());
        std::fs::write(root.join(file), edited).unwrap();
        // The build that reads it back stops before its output replaces
        // the previous one, and leaves no temporary folder.
        let out = root.join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("prima.html"), "prima").unwrap();
        match crate::render_and_write(&p, &options(&root), &out, &[]) {
            Err(crate::BuildError::Content(errors)) => {
                assert!(errors.iter().any(|d| d.file == file), "{errors:?}")
            }
            Err(crate::BuildError::Write(e)) => panic!("{e}"),
            Ok(_) => panic!("a build from a changed file went through"),
        }
        assert_eq!(
            std::fs::read_to_string(out.join("prima.html")).unwrap(),
            "prima"
        );
        let left: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let changed = p.changed_while_running();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(changed[0].file, file);
        assert!(changed[0].is_error());
        assert!(p.fatal().iter().any(|d| d.file == file));
        // `pillole check` reports it too.
        let loaded = p.into_loaded();
        assert!(loaded
            .diagnostics
            .iter()
            .any(|d| d.file == file && d.is_error()));
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
            "some"
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
        assert_eq!(s.apply(content_change(new)), "some");
        s.assert_same(root, "page added");
        std::fs::remove_file(root.join(new)).unwrap();
        assert_eq!(s.apply(content_change(new)), "some");
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
        // A picture a page shows redrawn at the same size: the page stays
        // as it is.
        let shown = "content/diario/tappa-municipio-4-calvairate/foto-1.svg";
        std::fs::write(
            root.join(shown),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 250\"/>",
        )
        .unwrap();
        assert_eq!(s.apply(content_change(shown)), "reload");
        // At another size: the page shows its new width and height.
        std::fs::write(
            root.join(shown),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 300\"/>",
        )
        .unwrap();
        assert_eq!(s.apply(content_change(shown)), "full");
        s.assert_same(root, "image resized");

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

//! Rebuild: the site kept in memory between two saves (serve mode).
//!
//! A [`Workspace`] owns every input as last read (site.yaml, the files of
//! content/ in [`Sources`], the theme), the graph made from them and its
//! check diagnostics. [`Workspace::update`] re-reads only the files a change
//! names; a page whose front matter did not change goes into the graph as
//! it is (no link), otherwise the pages are linked again re-using the
//! rendered bodies still valid; then it renders the HTML outputs that show
//! what changed ([`scope`](super::scope); all of them after a template,
//! static file or site.yaml change). Feeds and calendars are left to
//! [`Workspace::render_later`] and the search index to
//! [`Workspace::search_input`], which serve runs when idle. It writes
//! nothing and serves nothing: `serve` publishes what it returns.

use super::checks::Checks;
pub use super::scope::Later;
use super::scope::{self, MadeFrom};
use super::sources::{Read, Sources};
use crate::check;
use crate::config::{self, Config};
use crate::content::load::Source;
use crate::content::{self, Page};
use crate::diagnostics::Diagnostic;
use crate::render::pages;
use crate::render::theme::Theme;
use crate::render::{self, Output, RenderOptions};
use crate::site::{self, Reuse, Site};
use chrono::NaiveDateTime;
use std::collections::{BTreeSet, HashSet};
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

pub use crate::render::search::SearchInput;

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
    sources: Sources,
    site: Option<Site>,
    link_diags: Vec<Diagnostic>,
    checks: Checks,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    tera: Result<tera::Tera, Diagnostic>,
    made_from: Option<MadeFrom>,
    dirty: Dirty,
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
            sources: Sources::default(),
            site: None,
            link_diags: Vec::new(),
            checks: Checks::default(),
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
        if let Some(s) = self.sources.files.get(file) {
            return Some(s.text.to_string());
        }
        let bytes = self.theme.get(file)?;
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }

    /// The address prefix of the site (the path of base_url, `` or `/docs`).
    pub fn prefix(&self) -> String {
        self.config.prefix()
    }

    /// Number of pages in the graph.
    pub fn page_count(&self) -> usize {
        self.site.as_ref().map_or(0, |s| s.pages.len())
    }

    /// Applies a change and says what to publish.
    pub fn update(&mut self, changes: Changes) -> Outcome {
        let config = changes.config && self.load_config();
        let theme = (config || changes.theme) && self.load_theme();
        let read = self
            .sources
            .read(&self.root, &changes.content, self.site.is_none());
        self.dirty.assets |= read.assets_changed;
        let Read {
            changed,
            mut fresh,
            asset,
            rescanned: rescan,
            ..
        } = read;
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
            if let Some(site) = &self.site {
                self.checks.after_link(site, &changed, config);
            }
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
            Later::Feeds => Ok(render::data::render_feeds(site, tera)),
            Later::Data => render::data::render_all(site, tera).map_err(|d| vec![d]),
        }
    }

    /// What the search index of the current graph is made from.
    pub fn search_input(&self) -> Option<SearchInput> {
        let site = self.site.as_ref()?;
        Some(crate::render::search::input(site))
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
            if scope::front(&site.pages[i]) != scope::front(p)
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

    /// Links the pages again, re-using what the previous graph rendered.
    fn relink(&mut self, changed: &BTreeSet<String>, fresh: Vec<Page>) {
        let mut reuse = Reuse::default();
        let mut pool: Vec<Page> = Vec::with_capacity(self.sources.files.len());
        if let Some(old) = self.site.take() {
            reuse.content_paths = old.content_paths;
            reuse.prefix = old.prefix.clone();
            reuse.trust_html = old.config.trust_html;
            reuse.rendered.reserve(old.pages.len());
            for (page, rendered) in old.pages.into_iter().zip(old.analysis) {
                if changed.contains(&page.source) || !self.sources.files.contains_key(&page.source)
                {
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
            .files
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
            self.sources.assets.clone(),
            self.drafts,
            reuse,
        );
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
        let chosen = scope::scope(
            self.made_from.as_ref(),
            self.dirty.config || self.dirty.theme || self.dirty.assets,
            &self.dirty.sources,
            site,
            &jobs,
        );
        let full = chosen.is_none();
        let (result, later) = match chosen {
            None => (
                pages::render_jobs(site, tera, &self.render_opts, pages::jobs(site)).and_then(
                    |mut out| {
                        out.extend(render::render_files_except_search(site, &self.theme, tera)?);
                        Ok(out)
                    },
                ),
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
                    pages: scope::made_keys(site, self.made_from.take(), full, &self.dirty.sources),
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
                    let index = self.ws.search_input().unwrap().files();
                    for o in outputs.iter().chain(&later_files).chain(&index) {
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

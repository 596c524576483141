//! Reach: the pages a reader can get to from the home page by following
//! what the site shows: the menu, the footer, the lists (tutorials, diary,
//! events, topics, sections and folders) and the links written in pages.
//! A page no path reaches is a warning: readers will never find it.

use crate::content::markdown::Target;
use crate::content::{has_own_list, Kind};
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use std::collections::HashSet;

/// A warning for each published plain page or section page that no path
/// from the home page reaches.
pub fn unreachable(site: &Site) -> Vec<Diagnostic> {
    let mut walk = Walk {
        site,
        pages: vec![false; site.pages.len()],
        dirs: HashSet::new(),
        queue: Vec::new(),
    };
    // What every page shows: the lists in the header and footer (every
    // tutorial, diary entry and event, every page with a topic), the menu,
    // the accessibility statement, and the home page's own sections.
    for (i, p) in site.pages.iter().enumerate() {
        let listed = matches!(
            p.kind,
            Kind::Home | Kind::Tutorial | Kind::Diary | Kind::Event
        ) || (p.kind == Kind::Section && has_own_list(&p.dir))
            || !p.common.tags.is_empty();
        if listed {
            walk.page(i);
        }
    }
    let config = &site.config;
    for url in config
        .menu
        .iter()
        .map(|m| m.url.as_str())
        .chain(config.accessibility_url.as_deref())
    {
        walk.address(url);
    }
    walk.dir("");
    while let Some(i) = walk.queue.pop() {
        let p = &site.pages[i];
        if p.kind == Kind::Section {
            walk.dir(&p.dir);
        }
        for link in &site.analysis[i].links {
            if let Target::Internal { url, .. } | Target::Absolute { url, .. } = &link.target {
                walk.address(url);
            }
        }
    }
    // A page whose address the site makes itself has no route: its
    // duplicate-address error says so.
    let routed = |i: usize| !site.routes.page_conflicts.iter().any(|(p, _)| *p == i);
    site.pages
        .iter()
        .zip(&walk.pages)
        .enumerate()
        .filter(|(i, (p, reached))| {
            !**reached
                && matches!(p.kind, Kind::Page | Kind::Section)
                && !p.common.draft
                && routed(*i)
        })
        .map(|(_, pair)| pair)
        .map(|(p, _)| {
            Diagnostic::warning(
                &p.source,
                "unreachable-page",
                format!(
                    "nessun collegamento porta a questa pagina ({}): chi legge il sito non la trova",
                    p.path
                ),
            )
            .at(1, 1)
            .hint("collegala da un'altra pagina, mettila nel menu (site.yaml, `menu:`) o in una cartella con le pagine simili")
        })
        .collect()
}

/// The walk from the home page: pages and folders reached so far.
struct Walk<'a> {
    site: &'a Site,
    pages: Vec<bool>,
    dirs: HashSet<String>,
    /// Pages reached whose links are still to follow.
    queue: Vec<usize>,
}

impl Walk<'_> {
    fn page(&mut self, i: usize) {
        if !self.pages[i] {
            self.pages[i] = true;
            self.queue.push(i);
        }
    }

    /// A folder's list: its section page, its pages and its folders.
    fn dir(&mut self, dir: &str) {
        if !self.dirs.insert(dir.to_string()) {
            return;
        }
        let site = self.site;
        if let Some(&i) = site.section_index.get(dir) {
            self.page(i);
        }
        for &i in site.section_pages.get(dir).into_iter().flatten() {
            self.page(i);
        }
        for sub in site.subsections.get(dir).into_iter().flatten() {
            self.dir(sub);
        }
    }

    /// A site address: a page, or the list of a folder.
    fn address(&mut self, url: &str) {
        let prefix = self.site.prefix.as_str();
        let path = url
            .strip_prefix(prefix)
            .filter(|p| p.starts_with('/') && !prefix.is_empty())
            .unwrap_or(url);
        let path = path.split(['#', '?']).next().unwrap_or(path);
        let path = path.strip_suffix("index.html").unwrap_or(path);
        if let Some(&i) = self.site.by_path.get(path) {
            self.page(i);
        } else if let Some(dir) = path.strip_prefix('/').and_then(|p| p.strip_suffix('/')) {
            if self.site.folder_lists.iter().any(|d| d == dir) {
                self.dir(dir);
            }
        }
    }
}

//! Incremental checks: the check stage's diagnostics of every page, kept
//! by the pipeline between two runs, with the link targets they were made
//! against. A build checks every page once; serve checks again only what
//! an edit can change.
//!
//! After a link, the changed pages are checked again, and the links of
//! every page when an address or an anchor may have changed (a signature of
//! the targets says so). After a quick update of page bodies, only those
//! pages, and the pages linking to them when their headings changed.

use crate::check::{self, links::Targets};
use crate::content::markdown::Target;
use crate::diagnostics::{Diagnostic, FirstWarnings};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// A page's link and content diagnostics, when checked again.
type Checked = (Option<Vec<Diagnostic>>, Option<Vec<Diagnostic>>);

#[derive(Default)]
pub struct Checks {
    /// Source path -> link diagnostics.
    links: HashMap<String, Vec<Diagnostic>>,
    /// Source path -> structure and reading diagnostics.
    pages: HashMap<String, Vec<Diagnostic>>,
    /// The link targets, with the signature of the graph they were made
    /// from (None when made after a quick update, so never taken as current).
    targets: Option<(Option<u64>, Targets)>,
    /// Pages no path from the home page reaches (made whole each time:
    /// any link or list may change it).
    reach: Vec<Diagnostic>,
    /// Only the first warnings are kept (a build's), when set.
    first: Option<FirstWarnings>,
}

impl Checks {
    /// Every diagnostic.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.links
            .values()
            .flatten()
            .chain(self.pages.values().flatten())
            .chain(&self.reach)
    }

    /// Keeps the diagnostics `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Diagnostic) -> bool) {
        for list in self.links.values_mut().chain(self.pages.values_mut()) {
            list.retain(&mut keep);
        }
        self.reach.retain(keep);
    }

    /// Every diagnostic, moved out.
    pub fn into_diagnostics(self) -> impl Iterator<Item = Diagnostic> {
        self.links
            .into_values()
            .flatten()
            .chain(self.pages.into_values().flatten())
            .chain(self.reach)
    }

    /// From now on keeps only the first `shown` warnings in the order they
    /// are shown (and the errors), counting the others.
    pub fn keep_first(&mut self, shown: usize) {
        self.first = Some(FirstWarnings::new(shown));
    }

    /// How many warnings were counted and not kept (see [`Checks::keep_first`]).
    pub fn dropped(&self) -> usize {
        self.first.as_ref().map_or(0, FirstWarnings::dropped)
    }

    /// Drops the link targets (every address and anchor of the site); the
    /// next check makes them again.
    pub fn forget_targets(&mut self) {
        // Every address and anchor of the site, each its own allocation:
        // freed by the thread pool while this one goes on.
        if let Some(targets) = self.targets.take() {
            rayon::spawn(move || drop(targets));
        }
    }

    /// The diagnostics of one file.
    pub fn of_file<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        [self.links.get(file), self.pages.get(file)]
            .into_iter()
            .flatten()
            .flatten()
            .chain(self.reach.iter().filter(move |d| d.file == file))
    }

    /// Checks the changed pages again, and the links of every page when the
    /// addresses or anchors they may point to changed.
    pub fn after_link(&mut self, site: &Site, changed: &BTreeSet<String>, all: bool) {
        // Which pages no path reaches is found beside the pages' checks.
        let (reach, ()) = rayon::join(
            || check::reach::unreachable(site),
            || self.check_pages(site, changed, all),
        );
        self.reach = reach;
        if let Some(first) = &self.first {
            first.sift(&mut self.reach);
        }
    }

    /// [`Checks::after_link`] for each page.
    fn check_pages(&mut self, site: &Site, changed: &BTreeSet<String>, all: bool) {
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
        let (known, first) = (&self.pages, self.first.as_ref());
        let results: Vec<Checked> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                let source = &site.pages[i].source;
                let fresh = all || changed.contains(source) || !known.contains_key(source);
                let mut links =
                    (fresh || links_all).then(|| check::links::check_page(site, targets, i));
                let mut content = fresh.then(|| check::content::check_page(site, i));
                if let Some(first) = first {
                    links
                        .iter_mut()
                        .chain(&mut content)
                        .for_each(|l| first.sift(l));
                }
                (links, content)
            })
            .collect();
        let mut link_checks = HashMap::with_capacity(site.pages.len());
        let mut page_checks = HashMap::with_capacity(site.pages.len());
        for (p, (links, content)) in site.pages.iter().zip(results) {
            let links = links.unwrap_or_else(|| self.links.remove(&p.source).unwrap_or_default());
            let content =
                content.unwrap_or_else(|| self.pages.remove(&p.source).unwrap_or_default());
            link_checks.insert(p.source.clone(), links);
            page_checks.insert(p.source.clone(), content);
        }
        self.links = link_checks;
        self.pages = page_checks;
    }

    /// After pages `at` got a new body with the same front matter; `moved`
    /// are the addresses (without the last `/`) whose anchors changed.
    pub fn after_patch(&mut self, site: &Site, at: &[usize], moved: &[String]) {
        if !moved.is_empty() || self.targets.is_none() {
            self.targets = Some((None, Targets::new(site)));
        }
        let Some((_, targets)) = &self.targets else {
            return;
        };
        // Pages whose links may lead to an anchor that changed.
        let points_to_moved = |j: usize| {
            site.analysis[j].links.iter().any(|l| match &l.target {
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
            self.links.insert(site.pages[j].source.clone(), d);
        }
        for &i in at {
            self.pages.insert(
                site.pages[i].source.clone(),
                check::content::check_page(site, i),
            );
        }
        self.reach = check::reach::unreachable(site);
    }
}

/// A summary of what link checks look at: every address and every anchor.
/// When it is the same, a page's link diagnostics can only change with the
/// page itself.
fn targets_signature(site: &Site) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    site.config.base_url.hash(&mut h);
    // The pages of long lists come and go with their lengths.
    for route in &site.routes.list {
        route.path.hash(&mut h);
    }
    for (p, r) in site.pages.iter().zip(&site.analysis) {
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

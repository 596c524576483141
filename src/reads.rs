//! Reads: what each output read from the site graph, recorded while it is
//! made, so that the pipeline knows which outputs an edit touches without
//! anyone listing them by hand.
//!
//! Render reads the graph only through the accessors defined here (a test
//! holds `src/render/` to it); each notes a [`Read`] on the current thread
//! while [`recorded`] runs. [`Fingerprints`] tells, for a later graph,
//! whether what a read saw is still the same: same fingerprint, same
//! output. The site's configuration, `now` and the theme are read by every
//! output; the pipeline compares them itself.

use crate::content::markdown::Analysis;
use crate::content::Page;
use crate::routes::{Route, RouteKind};
use crate::site::{Occurrence, Site, Term};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A page, by the hash of its source path (stable while pages come and go).
pub type Key = u64;

/// One thing an output read from the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// A page's front matter, address and kind.
    Page(Key),
    /// A page's body.
    Body(Key),
    /// Where every page and content file is published (links in bodies,
    /// breadcrumbs, the route table).
    Addresses,
    /// One of the graph's lists.
    List(List),
    /// The dates of an event.
    Occurrences(Key),
    /// The diary entries that report on an event.
    Reports(Key),
    /// The tutorials shown as related to a tutorial.
    Related(Key),
}

/// The lists of the graph an output may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    /// Tutorials, and those of each level.
    Tutorials,
    /// Diary entries, and those of each Municipio.
    Diary,
    /// Events and every date of them.
    Events,
    /// Tags and services with their pages.
    Terms,
    /// The home page, section pages and what each section lists.
    Sections,
    /// Every page (a sitemap).
    All,
}

thread_local! {
    static RECORDING: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Runs `f`, returning what it read from the graph (sorted, once each).
/// Nested calls each get their own reads.
pub fn recorded<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = RECORDING.with(|r| r.borrow_mut().replace(Vec::new()));
    let value = f();
    let mut reads = RECORDING
        .with(|r| std::mem::replace(&mut *r.borrow_mut(), outer))
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (value, reads)
}

/// Notes reads made earlier on behalf of the output being made (a page's
/// view built once and shown by many lists).
pub fn replay(reads: &[Read]) {
    RECORDING.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.extend_from_slice(reads);
        }
    });
}

fn note(read: impl FnOnce() -> Read) {
    RECORDING.with(|r| {
        if let Some(v) = r.borrow_mut().as_mut() {
            v.push(read());
        }
    });
}

/// The key of a page.
pub fn key(source: &str) -> Key {
    hash_of(source)
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The graph as render reads it: every accessor notes what it read.
impl Site {
    /// Page `i` (its front matter; its body through [`Site::analysis_of`]
    /// or [`Site::body_text`]).
    pub fn page(&self, i: usize) -> &Page {
        let p = &self.pages[i];
        note(|| Read::Page(key(&p.source)));
        p
    }

    /// What page `i`'s body holds.
    pub fn analysis_of(&self, i: usize) -> &Arc<Analysis> {
        note(|| Read::Body(key(&self.pages[i].source)));
        &self.analysis[i]
    }

    /// Page `i`'s body as written, with the addresses its links lead to.
    pub fn body_text(&self, i: usize) -> crate::content::text::Part {
        note(|| Read::Body(key(&self.pages[i].source)));
        note(|| Read::Addresses);
        self.pages[i].body()
    }

    /// The page at a site address.
    pub fn page_at(&self, path: &str) -> Option<usize> {
        note(|| Read::Addresses);
        self.by_path.get(path).copied()
    }

    /// The route at a site address.
    pub fn route_at(&self, path: &str) -> Option<&Route> {
        note(|| Read::Addresses);
        self.routes.get(path)
    }

    /// Every route (the sitemap).
    pub fn all_routes(&self) -> &[Route] {
        note(|| Read::Addresses);
        note(|| Read::List(List::All));
        &self.routes.list
    }

    /// Where a content file (relative to content/) is published.
    pub fn content_address(&self, rel: &str) -> Option<&str> {
        note(|| Read::Addresses);
        self.content_paths.get(rel).map(String::as_str)
    }

    /// Tutorials, newest first.
    pub fn tutorials(&self) -> &[usize] {
        note(|| Read::List(List::Tutorials));
        &self.tutorials
    }

    /// The tutorials of a level of [`crate::routes::LEVELS`], in list order.
    pub fn level_list(&self, level: &str) -> &[usize] {
        note(|| Read::List(List::Tutorials));
        crate::routes::LEVELS
            .iter()
            .position(|&l| l == level)
            .map_or(&[], |k| &self.level_lists[k])
    }

    /// Diary entries, newest first.
    pub fn diary(&self) -> &[usize] {
        note(|| Read::List(List::Diary));
        &self.diary
    }

    /// The diary entries of Municipio `n` (1-9), newest first.
    pub fn municipio_diary(&self, n: i64) -> &[usize] {
        note(|| Read::List(List::Diary));
        usize::try_from(n - 1)
            .ok()
            .and_then(|k| self.municipio_diaries.get(k))
            .map_or(&[], Vec::as_slice)
    }

    /// Events, by first start.
    pub fn events(&self) -> &[usize] {
        note(|| Read::List(List::Events));
        &self.events
    }

    pub fn tags(&self) -> &BTreeMap<String, Term> {
        note(|| Read::List(List::Terms));
        &self.tags
    }

    pub fn services(&self) -> &BTreeMap<String, Term> {
        note(|| Read::List(List::Terms));
        &self.services
    }

    /// The home page, if the site has one.
    pub fn home(&self) -> Option<usize> {
        note(|| Read::List(List::Sections));
        self.home
    }

    /// A section's `_index.md` page.
    pub fn section_page(&self, section: &str) -> Option<usize> {
        note(|| Read::List(List::Sections));
        self.section_index.get(section).copied()
    }

    /// The folders a folder lists (`""`: those at the top, for the home page).
    pub fn subsections(&self, dir: &str) -> &[String] {
        note(|| Read::List(List::Sections));
        self.subsections.get(dir).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The pages a section lists.
    pub fn section_list(&self, section: &str) -> &[usize] {
        note(|| Read::List(List::Sections));
        self.section_pages
            .get(section)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The diary entries that report on event `i`.
    pub fn reports_on(&self, i: usize) -> &[usize] {
        note(|| Read::Reports(key(&self.pages[i].source)));
        &self.reports_of[i]
    }

    /// Occurrences that have not ended yet at `now`.
    pub fn upcoming(&self) -> impl Iterator<Item = &Occurrence> {
        note(|| Read::List(List::Events));
        self.occurrences.iter().filter(move |o| o.end >= self.now)
    }

    /// Events with no occurrence left, most recent first (see [`Site::past`]).
    pub fn past_events(&self) -> &[usize] {
        note(|| Read::List(List::Events));
        &self.past
    }

    /// The occurrences of a page (an event), by start.
    pub fn occurrences_of(&self, page: usize) -> impl Iterator<Item = &Occurrence> {
        if let Some(p) = self.pages.get(page) {
            note(|| Read::Occurrences(key(&p.source)));
        }
        self.occurrences_of
            .get(page)
            .into_iter()
            .flatten()
            .map(|&k| &self.occurrences[k])
    }

    /// The event a diary entry's `event:` names (a slug or a file path).
    pub fn event_named(&self, name: &str) -> Option<usize> {
        note(|| Read::List(List::Events));
        let slug = name.trim().trim_end_matches(".md");
        self.event_by_slug
            .get(slug.rsplit('/').next().unwrap_or(slug))
            .copied()
    }

    /// Up to [`RELATED`] other tutorials that share a service with
    /// tutorial `i`, in the order of the tutorial list.
    pub fn related_tutorials(&self, i: usize) -> Vec<usize> {
        note(|| Read::Related(key(&self.pages[i].source)));
        self.find_related(i, RELATED)
    }
}

/// What the reads of a graph see, computed when first asked and kept.
pub struct Fingerprints<'a> {
    site: &'a Site,
    by_key: HashMap<Key, usize>,
    seen: HashMap<Read, Option<u64>>,
}

impl<'a> Fingerprints<'a> {
    pub fn new(site: &'a Site) -> Self {
        Fingerprints {
            site,
            by_key: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (key(&p.source), i))
                .collect(),
            seen: HashMap::new(),
        }
    }

    /// The fingerprint of what `read` sees in this graph (None: the page
    /// it names is gone).
    pub fn of(&mut self, read: Read) -> Option<u64> {
        if let Some(&f) = self.seen.get(&read) {
            return f;
        }
        let f = self.compute(read);
        self.seen.insert(read, f);
        f
    }

    fn compute(&self, read: Read) -> Option<u64> {
        let site = self.site;
        let page = |k: Key| self.by_key.get(&k).map(|&i| (i, &site.pages[i]));
        let keys = |list: &[usize]| -> Vec<&str> {
            list.iter()
                .map(|&i| site.pages[i].source.as_str())
                .collect()
        };
        Some(match read {
            Read::Page(k) => {
                let (_, p) = page(k)?;
                hash_of(&(&*p.front(), &p.path, p.kind))
            }
            Read::Body(k) => hash_of(&*page(k)?.1.body()),
            Read::Addresses => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                for p in &site.pages {
                    (&p.source, &p.path).hash(&mut h);
                }
                site.asset_paths.hash(&mut h);
                for a in &site.assets {
                    a.picture.hash(&mut h);
                }
                site.prefix.hash(&mut h);
                for r in &site.routes.list {
                    r.path.hash(&mut h);
                }
                h.finish()
            }
            Read::List(list) => match list {
                List::Tutorials => {
                    let levels: Vec<Vec<&str>> = site.level_lists.iter().map(|l| keys(l)).collect();
                    hash_of(&(keys(&site.tutorials), levels))
                }
                List::Diary => {
                    let municipi: Vec<Vec<&str>> =
                        site.municipio_diaries.iter().map(|l| keys(l)).collect();
                    hash_of(&(keys(&site.diary), municipi))
                }
                List::Events => {
                    let dates: Vec<(&str, &chrono::NaiveDateTime, &chrono::NaiveDateTime)> = site
                        .occurrences
                        .iter()
                        .map(|o| (site.pages[o.page].source.as_str(), &o.start, &o.end))
                        .collect();
                    let slugs: BTreeMap<&String, &str> = site
                        .event_by_slug
                        .iter()
                        .map(|(s, &i)| (s, site.pages[i].source.as_str()))
                        .collect();
                    hash_of(&(keys(&site.events), dates, slugs))
                }
                List::Terms => {
                    let terms = |map: &BTreeMap<String, Term>| -> Vec<(String, String, Vec<&str>, Vec<&str>)> {
                        map.values()
                            .map(|t| (t.slug.clone(), t.name.clone(), keys(&t.pages), keys(&t.tutorials)))
                            .collect()
                    };
                    hash_of(&(terms(&site.tags), terms(&site.services)))
                }
                List::Sections => {
                    let index: Vec<(&String, &str)> = site
                        .section_index
                        .iter()
                        .map(|(s, &i)| (s, site.pages[i].source.as_str()))
                        .collect();
                    let lists: Vec<(&String, Vec<&str>)> = site
                        .section_pages
                        .iter()
                        .map(|(s, l)| (s, keys(l)))
                        .collect();
                    let home = site.home.map(|i| site.pages[i].source.as_str());
                    hash_of(&(index, lists, home, &site.subsections))
                }
                List::All => {
                    let fronts: Vec<_> = site.pages.iter().map(|p| p.front()).collect();
                    let all: Vec<(&str, &str)> = site
                        .pages
                        .iter()
                        .zip(&fronts)
                        .map(|(p, front)| (p.source.as_str(), &**front))
                        .collect();
                    hash_of(&all)
                }
            },
            Read::Occurrences(k) => {
                let (i, _) = page(k)?;
                let dates: Vec<_> = site.occurrences_of[i]
                    .iter()
                    .map(|&o| (site.occurrences[o].start, site.occurrences[o].end))
                    .collect();
                hash_of(&dates)
            }
            Read::Reports(k) => hash_of(&keys(&site.reports_of[page(k)?.0])),
            Read::Related(k) => {
                let (i, _) = page(k)?;
                hash_of(&keys(&site.find_related(i, RELATED)))
            }
        })
    }
}

/// How many related tutorials a tutorial page shows.
pub const RELATED: usize = 3;

/// What a route is, with pages named by key instead of by index (indices
/// move when pages come and go): two routes with the same identity and
/// the same reads make the same file.
pub fn identity(site: &Site, route: &Route) -> u64 {
    let k = |i: usize| key(&site.pages[i].source);
    let kind = match &route.kind {
        RouteKind::Page(i) => (1, k(*i)),
        RouteKind::PrintSheet(i) => (2, k(*i)),
        RouteKind::Poster(i) => (3, k(*i)),
        RouteKind::EventCalendar(i) => (4, k(*i)),
        RouteKind::Asset(a) => (5, hash_of(&site.assets[*a].abs)),
        RouteKind::ImageVariant(a, w) => (
            6,
            hash_of(&(&site.assets[*a].abs, w, &site.assets[*a].picture)),
        ),
        other => (0, hash_of(other)),
    };
    hash_of(&(&route.path, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Render reads the graph through the accessors above, never through
    /// its fields: a read that is not noted would leave a page stale in
    /// serve. (The search index is made whole after every change, so it
    /// may read the fields.)
    #[test]
    fn render_reads_the_graph_only_through_noted_accessors() {
        let fields = [
            "pages",
            "analysis",
            "by_path",
            "routes",
            "content_paths",
            "section_pages",
            "section_index",
            "subsections",
            "folder_lists",
            "occurrences",
            "occurrences_of",
            "event_by_slug",
            "reports_of",
            "tutorial_rank",
            "tutorials",
            "diary",
            "events",
            "tags",
            "services",
            "home",
        ];
        // Not reads of what a page says: how many pages there are, and the
        // routes a build makes (read before any route is made).
        let allowed = ["site.pages.len()", "site.routes.list.iter()"];
        let direct = |line: &str| -> bool {
            fields.iter().any(|f| {
                let needle = format!("site.{f}");
                line.match_indices(&needle).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + needle.len()..].chars().next();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        && !after.is_some_and(|c| c == '(' || c.is_alphanumeric() || c == '_')
                        && !allowed.iter().any(|a| line[at..].starts_with(a))
                })
            })
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // A chain split over lines reads as one (`site\n    .events`).
            let mut joined = String::with_capacity(text.len());
            for line in text.lines() {
                if line.trim_start().starts_with('.') {
                    joined.push_str(line.trim_start());
                } else {
                    joined.push('\n');
                    joined.push_str(line);
                }
            }
            for (n, line) in joined.lines().enumerate() {
                if direct(line) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "direct reads of the graph:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn recorded_reads_nest_and_replay() {
        let (_, outer) = recorded(|| {
            note(|| Read::Addresses);
            let (_, inner) = recorded(|| note(|| Read::List(List::Diary)));
            assert_eq!(inner, vec![Read::List(List::Diary)]);
            replay(&[Read::Body(7), Read::Addresses]);
        });
        assert_eq!(outer, vec![Read::Body(7), Read::Addresses]);
        // Outside a recording, reads are not kept anywhere.
        note(|| Read::Addresses);
        let (_, none) = recorded(|| ());
        assert!(none.is_empty());
    }
}

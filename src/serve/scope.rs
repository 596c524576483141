//! Scope: which outputs a change touches (serve mode).
//!
//! Keeps a key of every page as the published outputs were made (address,
//! kind, hashes of front matter and body, the services and event it names)
//! and, from the pages read since, picks the HTML jobs to make again: a
//! body shows on its own page, its print sheet and its service booklets; a
//! front matter change shows in every list and in the pages that show the
//! page (related guides, an event's reports, breadcrumbs). Anything that
//! moves pages or addresses, or a theme or site.yaml change, means all.

use crate::content::{Kind, Page};
use crate::render::pages::Job;
use crate::site::Site;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::hash::{Hash, Hasher};

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

/// What a page was when the published outputs were made.
pub(super) struct PageKey {
    source: String,
    path: String,
    kind: Kind,
    front: u64,
    body: u64,
    services: Vec<String>,
    event: Option<String>,
}

impl PageKey {
    pub(super) fn of(p: &Page) -> Self {
        PageKey {
            source: p.source.clone(),
            path: p.path.clone(),
            kind: p.kind,
            front: hash_of(front(p)),
            body: hash_of(p.body()),
            services: p.tutorial().map(|t| t.services.clone()).unwrap_or_default(),
            event: p.diary().and_then(|d| d.event.clone()),
        }
    }
}

/// What the published outputs were made from.
pub(super) struct MadeFrom {
    pub(super) pages: Vec<PageKey>,
    pub(super) jobs: Vec<Job>,
}

/// The HTML jobs that show what changed since the last publish, with
/// the files to make later, or None when everything must be made again.
/// `made` is what the published outputs were made from, `dirty` the
/// sources read since, `structure` true when the theme, site.yaml or
/// the content files changed.
pub(super) fn scope(
    made: Option<&MadeFrom>,
    structure: bool,
    dirty: &BTreeSet<String>,
    site: &Site,
    jobs: &[Job],
) -> Option<(Vec<Job>, Later)> {
    let made = made?;
    if structure || made.jobs != jobs {
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
    for source in dirty {
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
    let lists = !cards.is_empty() || bodies.iter().any(|&i| site.pages[i].kind == Kind::Section);
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
            // Data files are made again apart (`Later`).
            _ => false,
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

/// The keys of the published pages: all of them after a full render,
/// otherwise the old ones with the dirty sources updated.
pub(super) fn made_keys(
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
pub(super) fn front(p: &Page) -> &str {
    p.text.get(..p.body_start).unwrap_or(&p.text)
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

//! Made: what every published output was made from (warm mode), kept so
//! that an update finds the routes it touches without looking at all of
//! them.
//!
//! For each route, its identity and the render that made it; for each
//! [`Read`], what it saw then and the routes that read it. Every route
//! that read something is made again when that something changes, so one
//! fingerprint per read is enough. An update then checks only the reads an
//! edit can change (the pages of the changed files; after a link, the
//! lists and the other derived reads too) and, when the route table may
//! have changed, compares it route by route.

use crate::reads::{self, Fingerprints, Key, Read};
use crate::routes::{file_of, Route, RouteKind};
use crate::site::Site;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One made route.
struct Record {
    id: u32,
    /// The route's kind, with pages named by key.
    identity: u64,
    /// The render that made it (older entries in `readers` are stale).
    generation: u32,
}

#[derive(Default)]
pub(super) struct Made {
    routes: HashMap<String, Record>,
    /// Route paths by id.
    paths: Vec<String>,
    /// Read -> the routes that read it, with the render that did.
    readers: HashMap<Read, Vec<(u32, u32)>>,
    /// What each read saw when its readers were made.
    known: HashMap<Read, Option<u64>>,
    /// Routes that could not be made (a template error): tried again.
    unmade: BTreeSet<String>,
    generation: u32,
}

/// What the plan of an update needs to know of it.
pub(super) struct Since<'a> {
    /// The files read again.
    pub(super) sources: &'a BTreeSet<String>,
    /// The graph was linked again (lists, addresses and routes may differ).
    pub(super) relinked: bool,
}

impl Made {
    /// The routes to make again, and the output files of routes gone.
    pub(super) fn stale(&self, site: &Site, since: &Since) -> (Vec<Route>, Vec<String>) {
        let mut fingerprints = Fingerprints::new(site);
        let keys: HashSet<Key> = since.sources.iter().map(|s| reads::key(s)).collect();
        let mut stale: HashSet<u32> = HashSet::new();
        for (&read, &seen) in &self.known {
            let may_change = match read {
                // Made from the page's own file only.
                Read::Page(k) | Read::Body(k) | Read::Occurrences(k) => keys.contains(&k),
                _ => since.relinked,
            };
            if !may_change || fingerprints.of(read) == seen {
                continue;
            }
            for &(id, generation) in self.readers.get(&read).into_iter().flatten() {
                let live = self.routes.get(&self.paths[id as usize]);
                if live.is_some_and(|r| r.generation == generation) {
                    stale.insert(id);
                }
            }
        }
        let mut make: Vec<Route> = Vec::new();
        let mut removed = Vec::new();
        let wanted = |r: &Route| r.kind != RouteKind::SearchIndex;
        if since.relinked {
            let mut present: HashSet<&str> = HashSet::new();
            for route in site.routes.list.iter().filter(|r| wanted(r)) {
                present.insert(&route.path);
                let fresh = match self.routes.get(&route.path) {
                    Some(r) => stale.contains(&r.id) || r.identity != reads::identity(site, route),
                    None => true,
                };
                if fresh {
                    make.push(route.clone());
                }
            }
            removed = self
                .routes
                .keys()
                .filter(|path| !present.contains(path.as_str()))
                .map(|path| file_of(path))
                .collect();
        } else {
            let unmade = self.unmade.iter().map(String::as_str);
            let mut paths: Vec<&str> = stale
                .iter()
                .map(|&id| self.paths[id as usize].as_str())
                .chain(unmade)
                .collect();
            paths.sort_unstable();
            paths.dedup();
            make.extend(
                paths
                    .into_iter()
                    .filter_map(|p| site.routes.get(p))
                    .filter(|r| wanted(r))
                    .cloned(),
            );
        }
        (make, removed)
    }

    /// Notes what the given routes read when they were made; the routes
    /// without reads failed and are tried again next time.
    pub(super) fn record(&mut self, site: &Site, routes: &[Route], read: Vec<(String, Vec<Read>)>) {
        self.generation += 1;
        let generation = self.generation;
        let mut fingerprints = Fingerprints::new(site);
        let by_path: HashMap<&str, &Route> = routes.iter().map(|r| (r.path.as_str(), r)).collect();
        let mut made: HashSet<&str> = HashSet::with_capacity(read.len());
        for (path, reads) in read {
            let Some(route) = by_path.get(path.as_str()) else {
                continue;
            };
            made.insert(route.path.as_str());
            let id = match self.routes.get(&path) {
                Some(r) => r.id,
                None => {
                    self.paths.push(path.clone());
                    (self.paths.len() - 1) as u32
                }
            };
            for r in reads {
                let seen = fingerprints.of(r);
                self.known.insert(r, seen);
                self.readers.entry(r).or_default().push((id, generation));
            }
            self.unmade.remove(&path);
            let identity = reads::identity(site, route);
            self.routes.insert(
                path,
                Record {
                    id,
                    identity,
                    generation,
                },
            );
        }
        for route in routes {
            if !made.contains(route.path.as_str()) {
                self.routes.remove(&route.path);
                self.unmade.insert(route.path.clone());
            }
        }
    }

    /// Forgets the routes whose files are gone.
    pub(super) fn forget(&mut self, removed: &[String]) {
        if removed.is_empty() {
            return;
        }
        let removed: HashSet<&str> = removed.iter().map(String::as_str).collect();
        self.routes
            .retain(|path, _| !removed.contains(file_of(path).as_str()));
    }
}

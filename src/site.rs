//! The site graph (the link stage): every page with its address and
//! rendered body, the lists each section shows, tags, services, Municipi and
//! the expanded calendar of events.
//!
//! Built once from the parsed pages; later stages only read it. This is
//! where addresses become known, so it is also where Markdown bodies are
//! analysed (links to `.md` files need the addresses of their targets);
//! their HTML is made by render, page by page.

use crate::calendar;
use crate::config::{Config, HeadingIds};
use crate::content::load::Asset;
use crate::content::markdown::{self, Analysis, RenderOptions, Resolve};
use crate::content::slug::slugify;
use crate::content::{Kind, Page, DIARY_SECTION, EVENT_SECTION, TUTORIAL_SECTION};
use crate::diagnostics::Diagnostic;
use crate::routes::Routes;
use chrono::NaiveDateTime;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// A term of a taxonomy (a tag or a service) and the pages that have it.
#[derive(Clone, Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub pages: Vec<usize>,
    /// The tutorials among `pages`, in the order of the tutorial list.
    pub tutorials: Vec<usize>,
}

/// One dated occurrence of an event (a help desk has many).
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub page: usize,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

pub struct Site {
    pub config: Config,
    /// "Today", local Europe/Rome time.
    pub now: NaiveDateTime,
    pub pages: Vec<Page>,
    /// What each body holds (headings, steps, links, prose), same index as `pages`.
    pub analysis: Vec<Arc<Analysis>>,
    pub assets: Vec<Asset>,
    /// Output path of each asset, same index as `assets` (`/tutorial/x/foto.png`).
    pub asset_paths: Vec<String>,
    /// Output path of each picture whose size is known -> its width and height.
    pub image_sizes: HashMap<String, (u32, u32)>,
    /// Output path of each photo with smaller copies -> their paths and widths.
    pub image_variants: HashMap<String, Vec<(String, u32)>>,
    /// Site path -> page index.
    pub by_path: HashMap<String, usize>,
    pub home: Option<usize>,
    /// Section path (`tutorial`) -> its `_index.md` page.
    pub section_index: BTreeMap<String, usize>,
    /// Pages of each section, in the order its list shows them.
    pub section_pages: BTreeMap<String, Vec<usize>>,
    /// Folder (`""` for the top) -> the folders of pages inside it, other
    /// than the tutorials, the diary and the events (which have lists of
    /// their own), in list order.
    pub subsections: BTreeMap<String, Vec<String>>,
    /// Folders of pages without an `_index.md`: each still gets a list page.
    pub folder_lists: Vec<String>,
    /// Tutorials, newest first.
    pub tutorials: Vec<usize>,
    /// The tutorials of each level of [`crate::routes::LEVELS`], in the
    /// order of `tutorials`.
    pub level_lists: [Vec<usize>; 3],
    /// Diary entries, newest first.
    pub diary: Vec<usize>,
    /// The diary entries of each Municipio (1-9, at index 0-8), newest first.
    pub municipio_diaries: [Vec<usize>; 9],
    /// Events, by first start.
    pub events: Vec<usize>,
    /// Every occurrence of every event, by start.
    pub occurrences: Vec<Occurrence>,
    /// Events with no occurrence left at `now`, most recent first: by the
    /// end of their last date (a help desk that ran until yesterday comes
    /// before yesterday's one-off event).
    pub past: Vec<usize>,
    pub tags: BTreeMap<String, Term>,
    pub services: BTreeMap<String, Term>,
    /// Event slug -> page index.
    pub event_by_slug: HashMap<String, usize>,
    /// Content path (relative to content/) -> site address: how links
    /// written as file paths resolve.
    pub content_paths: HashMap<String, String>,
    /// Every address of the site and what it is made from.
    pub routes: Routes,
    /// The path of base_url, written before every site address (`` or `/giro`).
    pub prefix: String,
    /// Per page: its occurrences (indices into `occurrences`, by start).
    pub occurrences_of: Vec<Vec<usize>>,
    /// Per page: the diary entries that report on it (an event), newest first.
    pub reports_of: Vec<Vec<usize>>,
    /// Per page: its place in `tutorials` (tutorials only).
    pub tutorial_rank: Vec<Option<usize>>,
    /// Content files that could not be read (their own error says why):
    /// paths relative to the site root. Links to them are not reported too.
    pub unreadable: HashSet<String>,
}

/// Maps content paths to site addresses, for links written as file paths.
pub struct Resolver<'a> {
    map: &'a HashMap<String, String>,
    prefix: &'a str,
    images: &'a HashMap<String, (u32, u32)>,
    variants: &'a HashMap<String, Vec<(String, u32)>>,
}

impl Resolve for Resolver<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        let p = content_path.trim_end_matches('/');
        self.map.get(p).cloned()
    }

    fn prefix(&self) -> &str {
        self.prefix
    }

    fn image_size(&self, address: &str) -> Option<(u32, u32)> {
        self.images.get(address).copied()
    }

    fn image_variants(&self, address: &str) -> &[(String, u32)] {
        self.variants.get(address).map_or(&[], Vec::as_slice)
    }
}

/// Builds the graph. `drafts` keeps draft pages.
pub fn link(
    config: Config,
    now: NaiveDateTime,
    pages: Vec<Page>,
    assets: Vec<Asset>,
    drafts: bool,
) -> (Site, Vec<Diagnostic>) {
    link_reusing(config, now, pages, assets, drafts, Reuse::default())
}

/// Body analyses kept from an earlier link (serve mode), by source path.
///
/// The caller leaves out the pages whose body, folder or kind changed; a
/// kept body is used again only while the addresses it was made with are
/// the same (`content_paths` and the base_url prefix of the earlier graph)
/// and `trust_html` and `heading_ids` have not changed. Otherwise the page is rendered again.
#[derive(Default)]
pub struct Reuse {
    pub rendered: HashMap<String, Arc<Analysis>>,
    pub content_paths: HashMap<String, String>,
    pub prefix: String,
    pub trust_html: bool,
    pub heading_ids: HeadingIds,
}

/// [`link`], re-using the rendered bodies in `reuse` where they are still valid.
pub fn link_reusing(
    config: Config,
    now: NaiveDateTime,
    mut pages: Vec<Page>,
    assets: Vec<Asset>,
    drafts: bool,
    mut reuse: Reuse,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    pages.retain(|p| drafts || !p.common.draft);
    pages.sort_by(|a, b| a.source.cmp(&b.source));

    // Addresses must be unique.
    let mut by_path: HashMap<String, usize> = HashMap::with_capacity(pages.len());
    let mut keep = vec![true; pages.len()];
    for (i, p) in pages.iter().enumerate() {
        if let Some(&first) = by_path.get(&p.path) {
            // At the `slug:` that makes the address, when there is one.
            let line = p.header_line("slug").unwrap_or(1);
            diags.push(
                Diagnostic::error(
                    &p.source,
                    "duplicate-address",
                    format!(
                        "questa pagina avrebbe lo stesso indirizzo {} di {}",
                        p.path, pages[first].source
                    ),
                )
                .at(line, 1)
                .hint(format!(
                    "cambia il nome del file o scrivi uno `slug:` diverso da quello di {}",
                    pages[first].source
                )),
            );
            keep[i] = false;
        } else {
            by_path.insert(p.path.clone(), i);
        }
    }
    if keep.contains(&false) {
        let mut i = 0;
        pages.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        by_path = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.clone(), i))
            .collect();
    }

    // Content path -> address, for links written as file paths.
    let mut map: HashMap<String, String> = HashMap::with_capacity(pages.len() + assets.len());
    let mut bundles: Vec<(String, String)> = Vec::new();
    for p in &pages {
        let rel = p
            .source
            .strip_prefix("content/")
            .unwrap_or(&p.source)
            .to_string();
        map.insert(rel, p.path.clone());
        if p.is_bundle || p.kind == Kind::Section || p.kind == Kind::Home {
            map.insert(p.dir.clone(), p.path.clone());
        }
        if p.is_bundle {
            bundles.push((format!("{}/", p.dir), p.path.clone()));
        }
    }
    let asset_paths: Vec<String> = assets
        .iter()
        .map(|a| {
            bundles
                .iter()
                .find(|(dir, _)| a.rel.starts_with(dir.as_str()))
                .map(|(dir, path)| format!("{path}{}", &a.rel[dir.len()..]))
                .unwrap_or_else(|| format!("/{}", a.rel))
        })
        .collect();
    let mut image_sizes = HashMap::new();
    let mut image_variants = HashMap::new();
    for (a, path) in assets.iter().zip(&asset_paths) {
        map.insert(a.rel.clone(), path.clone());
        if let Some(info) = a.picture.info() {
            if let Some(size) = info.size {
                image_sizes.insert(path.clone(), size);
            }
            let variants: Vec<(String, u32)> = info
                .variant_widths()
                .into_iter()
                .map(|w| (crate::content::image::variant_path(path, w), w))
                .collect();
            if !variants.is_empty() {
                image_variants.insert(path.clone(), variants);
            }
        }
    }

    let prefix = config.prefix();
    let resolver = Resolver {
        map: &map,
        prefix: &prefix,
        images: &image_sizes,
        variants: &image_variants,
    };
    if reuse.trust_html != config.trust_html
        || reuse.heading_ids != config.heading_ids
        || reuse.prefix != prefix
        || reuse.content_paths != map
    {
        reuse.rendered.clear();
    }
    let mut kept: Vec<Option<Arc<Analysis>>> = pages
        .iter()
        .map(|p| reuse.rendered.remove(&p.source))
        .collect();
    let analysis: Vec<Arc<Analysis>> = pages
        .par_iter()
        .zip(kept.par_iter_mut())
        .map(|(p, kept)| {
            kept.take().unwrap_or_else(|| {
                Arc::new(markdown::analyse(
                    &p.body(),
                    &body_options(p, &config),
                    &resolver,
                ))
            })
        })
        .collect();

    let mut site = Site {
        config,
        now,
        pages,
        analysis,
        assets,
        asset_paths,
        image_sizes,
        image_variants,
        by_path,
        home: None,
        section_index: BTreeMap::new(),
        section_pages: BTreeMap::new(),
        subsections: BTreeMap::new(),
        folder_lists: Vec::new(),
        tutorials: Vec::new(),
        level_lists: Default::default(),
        diary: Vec::new(),
        municipio_diaries: Default::default(),
        events: Vec::new(),
        occurrences: Vec::new(),
        past: Vec::new(),
        tags: BTreeMap::new(),
        services: BTreeMap::new(),
        event_by_slug: HashMap::new(),
        content_paths: map,
        prefix,
        occurrences_of: Vec::new(),
        reports_of: Vec::new(),
        tutorial_rank: Vec::new(),
        routes: Routes::default(),
        unreadable: HashSet::new(),
    };
    site.make_lists();
    site.routes = Routes::new(&site);
    diags.extend(site.check_references());
    (site, diags)
}

/// How a page's Markdown body is read.
pub fn body_options<'a>(p: &'a Page, config: &Config) -> RenderOptions<'a> {
    RenderOptions {
        steps: p.kind == Kind::Tutorial,
        trust_html: config.trust_html,
        dir: &p.dir,
        first_line: p.body_line,
        github_ids: config.heading_ids == HeadingIds::Github,
    }
}

impl Site {
    /// Puts in a new version of page `i` whose front matter did not change
    /// (serve mode) and analyses its body. Lists, tags and the calendar come
    /// from front matter, so they stay as they are.
    pub fn replace_body(&mut self, i: usize, page: Page) {
        self.analysis[i] = Arc::new(markdown::analyse(
            &page.body(),
            &body_options(&page, &self.config),
            &self.resolver(),
        ));
        self.pages[i] = page;
    }

    /// Whether `address` (a site path, after the base_url prefix and
    /// without `index.html`) would be the page of a content file that could not be read:
    /// `/tutorial/attivare-spid/` for `content/tutorial/attivare-spid.md`.
    pub fn is_unreadable_address(&self, address: &str) -> bool {
        let address = address.trim_matches('/');
        !address.is_empty()
            && (self.unreadable.contains(&format!("content/{address}.md"))
                || self
                    .unreadable
                    .contains(&format!("content/{address}/index.md")))
    }

    /// How links written as file paths resolve to site addresses.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver {
            map: &self.content_paths,
            prefix: &self.prefix,
            images: &self.image_sizes,
            variants: &self.image_variants,
        }
    }

    fn make_lists(&mut self) {
        for (i, p) in self.pages.iter().enumerate() {
            match p.kind {
                Kind::Home => self.home = Some(i),
                Kind::Section => {
                    self.section_index.insert(p.dir.clone(), i);
                }
                _ => {}
            }
            if !matches!(p.kind, Kind::Home | Kind::Section) && !p.section.is_empty() {
                self.section_pages
                    .entry(p.section.clone())
                    .or_default()
                    .push(i);
            }
            match p.kind {
                Kind::Tutorial => self.tutorials.push(i),
                Kind::Diary => self.diary.push(i),
                Kind::Event => {
                    self.events.push(i);
                    self.event_by_slug.insert(p.slug.clone(), i);
                }
                _ => {}
            }
            for tag in &p.common.tags {
                add_term(&mut self.tags, tag, i);
            }
            if let Some(t) = p.tutorial() {
                for s in &t.services {
                    add_term(&mut self.services, s, i);
                }
            }
        }
        let pages = &self.pages;
        // Pages given an `order` come first, lowest first; then newest first.
        let list_order = |a: &usize, b: &usize| {
            let (pa, pb) = (&pages[*a], &pages[*b]);
            let rank = |o: Option<i64>| (o.is_none(), o.unwrap_or(0));
            rank(pa.common.order)
                .cmp(&rank(pb.common.order))
                .then_with(|| pb.sort_date().cmp(&pa.sort_date()))
                .then_with(|| pa.common.title.cmp(&pb.common.title))
        };
        self.tutorials.sort_by(list_order);
        self.diary.sort_by(list_order);
        for list in self.section_pages.values_mut() {
            list.sort_by(list_order);
        }
        self.make_subsections();
        let pages = &self.pages;
        self.events
            .sort_by_key(|&i| (pages[i].event().map(|e| e.start.0), i));
        for &i in &self.events {
            if let Some(e) = pages[i].event() {
                for (start, end) in calendar::occurrences(e.start.0, e.end.0, e.repeat.as_ref()) {
                    self.occurrences.push(Occurrence {
                        page: i,
                        start,
                        end,
                    });
                }
            }
        }
        self.occurrences.sort_by_key(|o| (o.start, o.page));
        self.make_indexes();
    }

    /// The folders inside each folder, and those without `_index.md`.
    /// Sections come in the order of their `_index.md` (`order`, then
    /// title), folders without one by name.
    fn make_subsections(&mut self) {
        let mut folders: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for dir in self.section_pages.keys().chain(self.section_index.keys()) {
            if dir.is_empty() || crate::content::has_own_list(dir) {
                continue;
            }
            let mut d = dir.as_str();
            while folders.insert(d) {
                match d.rsplit_once('/') {
                    Some((parent, _)) => d = parent,
                    None => break,
                }
            }
        }
        let key = |d: &str| match self.section_index.get(d) {
            Some(&i) => {
                let c = &self.pages[i].common;
                (c.order.is_none(), c.order.unwrap_or(0), c.title.clone())
            }
            None => (
                true,
                0,
                default_section_title(d.rsplit('/').next().unwrap_or(d)),
            ),
        };
        let mut subsections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for d in &folders {
            let parent = d.rsplit_once('/').map_or("", |(p, _)| p);
            subsections
                .entry(parent.to_string())
                .or_default()
                .push(d.to_string());
        }
        for list in subsections.values_mut() {
            list.sort_by_cached_key(|d| key(d));
        }
        self.folder_lists = folders
            .iter()
            .filter(|d| !self.section_index.contains_key(**d))
            .map(|d| d.to_string())
            .collect();
        self.subsections = subsections;
    }

    /// Indexes that let render find, in constant time, what it would
    /// otherwise scan the whole site for: the occurrences of an event, the
    /// reports on it, the rank of a tutorial.
    fn make_indexes(&mut self) {
        let n = self.pages.len();
        self.occurrences_of = vec![Vec::new(); n];
        for (k, o) in self.occurrences.iter().enumerate() {
            self.occurrences_of[o.page].push(k);
        }
        self.reports_of = vec![Vec::new(); n];
        for &d in &self.diary {
            if let Some(e) = self.diary_event(&self.pages[d]) {
                self.reports_of[e].push(d);
            }
        }
        self.level_lists = crate::routes::LEVELS.map(|level| {
            self.tutorials
                .iter()
                .copied()
                .filter(|&i| {
                    self.pages[i]
                        .tutorial()
                        .and_then(|t| t.level)
                        .is_some_and(|l| l.as_str() == level)
                })
                .collect()
        });
        self.municipio_diaries = Default::default();
        for &i in &self.diary {
            let municipio = self.pages[i].diary().and_then(|d| d.municipio);
            if let Some(list) = municipio
                .and_then(|n| usize::try_from(n - 1).ok())
                .and_then(|k| self.municipio_diaries.get_mut(k))
            {
                list.push(i);
            }
        }
        let mut past: Vec<usize> = self
            .events
            .iter()
            .copied()
            .filter(|&i| self.next_occurrence(i).is_none())
            .rev()
            .collect();
        past.sort_by_cached_key(|&i| {
            std::cmp::Reverse(
                self.occurrences_of[i]
                    .iter()
                    .map(|&k| self.occurrences[k].end)
                    .max(),
            )
        });
        self.past = past;
        self.tutorial_rank = vec![None; n];
        for (rank, &i) in self.tutorials.iter().enumerate() {
            self.tutorial_rank[i] = Some(rank);
            if let Some(t) = self.pages[i].tutorial() {
                for name in &t.services {
                    if let Some(term) = self.services.get_mut(&slugify(name, "")) {
                        if term.tutorials.last() != Some(&i) {
                            term.tutorials.push(i);
                        }
                    }
                }
            }
        }
    }

    /// Diary entries must report on an event that exists.
    fn check_references(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for p in &self.pages {
            let named = match (p.diary(), p.event()) {
                (Some(d), _) => d.event.as_deref().map(|e| ("event", e)),
                (_, Some(e)) => e.replaced_by.as_deref().map(|e| ("replaced_by", e)),
                _ => None,
            };
            let Some((key, event)) = named else { continue };
            if self.event_named(event).is_none() {
                diags.push(
                    Diagnostic::error(&p.source, "event-missing", format!("l'evento «{event}» non esiste"))
                        .at(p.header_line(key).unwrap_or(1), 1)
                        .hint(format!(
                            "scrivi il nome di un file di content/{EVENT_SECTION}/ senza .md, per esempio «{}»",
                            self.events.first().map(|&i| self.pages[i].slug.as_str()).unwrap_or("incontro-spid")
                        )),
                );
            }
        }
        diags
    }

    /// The event a diary entry reports on.
    pub fn diary_event(&self, page: &Page) -> Option<usize> {
        self.event_named(page.diary()?.event.as_deref()?)
    }

    /// The occurrences of an event that have not ended at `now`.
    pub fn upcoming_of(&self, page: usize) -> impl Iterator<Item = &Occurrence> {
        self.occurrences_of(page).filter(move |o| o.end >= self.now)
    }

    /// The next occurrence of an event, if any.
    pub fn next_occurrence(&self, page: usize) -> Option<&Occurrence> {
        self.upcoming_of(page).next()
    }

    /// Up to `n` other tutorials that share a service with tutorial `i`,
    /// in the order of the tutorial list (render asks through
    /// `related_tutorials`, which notes the read).
    pub(crate) fn find_related(&self, i: usize, n: usize) -> Vec<usize> {
        let Some(t) = self.pages[i].tutorial() else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        for name in &t.services {
            let Some(term) = self.services.get(&slugify(name, "")) else {
                continue;
            };
            // The first n of each service hold the first n of all.
            found.extend(
                term.tutorials
                    .iter()
                    .filter(|&&j| j != i)
                    .take(n)
                    .filter_map(|&j| self.tutorial_rank[j].map(|r| (r, j))),
            );
        }
        found.sort_unstable();
        found.dedup();
        found.into_iter().take(n).map(|(_, j)| j).collect()
    }
}

pub fn default_section_title(section: &str) -> String {
    match section {
        TUTORIAL_SECTION => "Tutorial".into(),
        DIARY_SECTION => "Diario".into(),
        EVENT_SECTION => "Eventi".into(),
        "municipi" => "Municipi".into(),
        "servizi" => "Servizi".into(),
        "tag" => "Argomenti".into(),
        "cerca" => "Cerca".into(),
        s => {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn add_term(terms: &mut BTreeMap<String, Term>, name: &str, page: usize) {
    let slug = slugify(name, "");
    if slug.is_empty() {
        return;
    }
    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
        name: name.trim().to_string(),
        slug,
        pages: Vec::new(),
        tutorials: Vec::new(),
    });
    if term.pages.last() != Some(&page) {
        term.pages.push(page);
    }
}

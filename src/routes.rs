//! The route table: every address the site will have, with what each is
//! made from. Made once by the link stage ([`Routes::new`]); render makes
//! one output per route, check validates links against it, the sitemap is
//! drawn from it, serve compares it across rebuilds. No other module lists
//! addresses.
//!
//! The theme's static files are not routes: they belong to the theme, not
//! to the content. The search index is one route (the file its page loads
//! first), whatever the number of files it is made of.

use crate::content::{Kind, DIARY_SECTION, EVENT_SECTION, TUTORIAL_SECTION};
use crate::site::Site;
use std::collections::HashMap;

/// A taxonomy with pages of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermKind {
    Tag,
    Service,
}

impl TermKind {
    /// The first part of its addresses (`/tag/…`, `/servizi/…`).
    pub fn base(self) -> &'static str {
        match self {
            TermKind::Tag => "tag",
            TermKind::Service => "servizi",
        }
    }
}

/// The feeds of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FeedKind {
    Diary,
    Tutorials,
}

/// Tutorial levels with a list page of their own.
pub const LEVELS: [&str; 3] = ["facile", "medio", "avanzato"];

/// What one address is made from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RouteKind {
    // HTML pages.
    Home,
    Page(usize),
    PrintSheet(usize),
    Poster(usize),
    /// Page `n` (from 1) of the list of tutorials.
    TutorialList(usize),
    /// Page `n` of the tutorials of a level.
    Level(&'static str, usize),
    /// Page `n` of the diary.
    DiaryList(usize),
    Events,
    /// Page `n` of the past events.
    Archive(usize),
    Municipi,
    /// Page `n` of a Municipio (1-9): its events on the first, then the
    /// rest of its diary entries.
    Municipio(i64, usize),
    Terms(TermKind),
    /// Page `n` of a term's pages, by the term's slug.
    Term(TermKind, String, usize),
    /// Every tutorial of a service, to print (by its slug).
    Booklet(String),
    Search,
    /// The page shown without internet for a page not kept.
    Offline,
    NotFound,
    /// The list page of a folder of pages without `_index.md`.
    FolderList(String),
    /// An old address (as written in `aliases`) and the page it leads to.
    Alias(String, String),
    // Data files.
    EventCalendar(usize),
    Calendar,
    MunicipioCalendar(i64),
    Feed(FeedKind),
    Sitemap,
    Robots,
    /// The search index: this is the file the search page loads first;
    /// the index may have more files beside it.
    SearchIndex,
    /// A content file copied as it is (by its index in `Site::assets`).
    Asset(usize),
    /// A smaller copy of a content photo: its asset and width in pixels.
    ImageVariant(usize, u32),
}

impl RouteKind {
    /// The content page the route is made from, for a page and what it has
    /// of its own (print sheet, poster, calendar file).
    pub fn page(&self) -> Option<usize> {
        match self {
            RouteKind::Page(i)
            | RouteKind::PrintSheet(i)
            | RouteKind::Poster(i)
            | RouteKind::EventCalendar(i) => Some(*i),
            _ => None,
        }
    }

    /// Whether the route is an HTML page made from a template.
    pub fn is_html(&self) -> bool {
        !matches!(
            self,
            RouteKind::EventCalendar(_)
                | RouteKind::Calendar
                | RouteKind::MunicipioCalendar(_)
                | RouteKind::Feed(_)
                | RouteKind::Sitemap
                | RouteKind::Robots
                | RouteKind::SearchIndex
                | RouteKind::Asset(_)
                | RouteKind::ImageVariant(..)
        )
    }
}

/// One address of the site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    /// Site path: `/tutorial/spid/`, `/eventi/calendario.ics`.
    pub path: String,
    pub kind: RouteKind,
}

impl Route {
    /// The file it is written to, relative to the output folder
    /// (`/x/` -> `x/index.html`).
    pub fn file(&self) -> String {
        file_of(&self.path)
    }
}

/// Output file of a site path (`/x/` -> `x/index.html`).
pub fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// Every route of a site, and the aliases that could not have one.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    pub list: Vec<Route>,
    /// Site path -> index in `list`.
    by_path: HashMap<String, usize>,
    /// (page, alias) pairs whose alias is an address the site already has
    /// (or needs a file as its folder): they get no route.
    pub alias_conflicts: Vec<(usize, String)>,
    /// (page, address) pairs where a page, its print sheet or poster would
    /// have an address the site makes itself (`/cerca/`, `/servizi/spid/`):
    /// the first route made keeps it.
    pub page_conflicts: Vec<(usize, String)>,
}

/// List pages that exist without a source file, with the path of each.
const LIST_PAGES: &[(&str, RouteKind)] = &[
    ("/eventi/", RouteKind::Events),
    ("/municipi/", RouteKind::Municipi),
    ("/cerca/", RouteKind::Search),
    ("/offline/", RouteKind::Offline),
    ("/404.html", RouteKind::NotFound),
];

impl Routes {
    /// The routes of a linked site (its lists, terms and calendar made).
    pub fn new(site: &Site) -> Self {
        let mut list = vec![Route {
            path: "/".into(),
            kind: RouteKind::Home,
        }];
        list.extend(LIST_PAGES.iter().map(|(path, kind)| Route {
            path: path.to_string(),
            kind: kind.clone(),
        }));
        let per = site.config.list_page_size;
        list.extend(paged(
            "/tutorial/",
            site.tutorials.len(),
            per,
            RouteKind::TutorialList,
        ));
        list.extend(paged(
            "/eventi/archivio/",
            site.past_events().len(),
            per,
            RouteKind::Archive,
        ));
        for l in LEVELS {
            let len = site.level_list(l).len();
            list.extend(paged(&format!("/tutorial/livello/{l}/"), len, per, |n| {
                RouteKind::Level(l, n)
            }));
        }
        for (i, p) in site.pages.iter().enumerate() {
            let page = Route {
                path: p.path.clone(),
                kind: RouteKind::Page(i),
            };
            match p.kind {
                // Made by Home and the list pages.
                Kind::Home => {}
                Kind::Section
                    if [TUTORIAL_SECTION, DIARY_SECTION, EVENT_SECTION]
                        .contains(&p.dir.as_str()) => {}
                Kind::Tutorial => {
                    list.push(page);
                    list.push(Route {
                        path: format!("{}stampa/", p.path),
                        kind: RouteKind::PrintSheet(i),
                    });
                }
                Kind::Event => {
                    list.push(page);
                    list.push(Route {
                        path: format!("{}locandina/", p.path),
                        kind: RouteKind::Poster(i),
                    });
                    list.push(Route {
                        path: format!("{}evento.ics", p.path),
                        kind: RouteKind::EventCalendar(i),
                    });
                }
                _ => list.push(page),
            }
        }
        list.extend(paged(
            "/diario/",
            site.diary.len(),
            site.config.diary_page_size,
            RouteKind::DiaryList,
        ));
        for n in 1..=9 {
            let len = site.municipio_diary(n).len();
            list.extend(paged(&format!("/municipi/municipio-{n}/"), len, per, |k| {
                RouteKind::Municipio(n, k)
            }));
            list.push(Route {
                path: format!("/municipi/municipio-{n}/calendario.ics"),
                kind: RouteKind::MunicipioCalendar(n),
            });
        }
        for (kind, terms) in [
            (TermKind::Tag, &site.tags),
            (TermKind::Service, &site.services),
        ] {
            list.push(Route {
                path: format!("/{}/", kind.base()),
                kind: RouteKind::Terms(kind),
            });
            for (slug, term) in terms {
                list.extend(paged(
                    &format!("/{}/{slug}/", kind.base()),
                    term.pages.len(),
                    per,
                    |n| RouteKind::Term(kind, slug.clone(), n),
                ));
            }
        }
        for slug in site.services.keys() {
            list.push(Route {
                path: format!("/servizi/{slug}/stampa/"),
                kind: RouteKind::Booklet(slug.clone()),
            });
        }
        list.extend([
            Route {
                path: "/eventi/calendario.ics".into(),
                kind: RouteKind::Calendar,
            },
            Route {
                path: "/diario/atom.xml".into(),
                kind: RouteKind::Feed(FeedKind::Diary),
            },
            Route {
                path: "/tutorial/atom.xml".into(),
                kind: RouteKind::Feed(FeedKind::Tutorials),
            },
            Route {
                path: "/sitemap.xml".into(),
                kind: RouteKind::Sitemap,
            },
            Route {
                path: "/robots.txt".into(),
                kind: RouteKind::Robots,
            },
            Route {
                path: "/cerca/indice.json".into(),
                kind: RouteKind::SearchIndex,
            },
        ]);
        list.extend(site.asset_paths.iter().enumerate().map(|(k, path)| Route {
            path: path.clone(),
            kind: RouteKind::Asset(k),
        }));
        for (k, a) in site.assets.iter().enumerate() {
            for w in a
                .picture
                .info()
                .map(|i| i.variant_widths())
                .unwrap_or_default()
            {
                list.push(Route {
                    path: crate::content::image::variant_path(&site.asset_paths[k], w),
                    kind: RouteKind::ImageVariant(k, w),
                });
            }
        }
        let mut routes = Routes {
            by_path: HashMap::with_capacity(list.len()),
            list: Vec::with_capacity(list.len()),
            alias_conflicts: Vec::new(),
            page_conflicts: Vec::new(),
        };
        for route in list {
            routes.push(route);
        }
        // A folder named like an address the site already has keeps it.
        for dir in &site.folder_lists {
            let path = format!("/{dir}/");
            if !routes.by_path.contains_key(&path) {
                routes.push(Route {
                    path,
                    kind: RouteKind::FolderList(dir.clone()),
                });
            }
        }
        routes.add_aliases(site);
        routes
    }

    /// Adds a route; one whose address is taken is left out (two files on
    /// one path), and noted when a page is one of the two.
    fn push(&mut self, route: Route) {
        if let Some(&first) = self.by_path.get(&route.path) {
            let page = route.kind.page().or(self.list[first].kind.page());
            if let Some(page) = page {
                self.page_conflicts.push((page, route.path));
            }
            return;
        }
        self.by_path.insert(route.path.clone(), self.list.len());
        self.list.push(route);
    }

    /// Aliases last: one that is already an address (or would need a file
    /// as its folder) would overwrite another output.
    fn add_aliases(&mut self, site: &Site) {
        for (i, p) in site.pages.iter().enumerate() {
            for alias in &p.common.aliases {
                let trimmed = alias.trim_matches('/');
                let mut prefix = String::new();
                let mut taken = false;
                for part in trimmed.split('/') {
                    prefix.push('/');
                    prefix.push_str(part);
                    taken |= self.by_path.contains_key(&prefix);
                }
                let path = format!("/{trimmed}/");
                if taken || self.by_path.contains_key(&path) {
                    self.alias_conflicts.push((i, alias.clone()));
                } else {
                    self.push(Route {
                        path,
                        kind: RouteKind::Alias(alias.clone(), p.path.clone()),
                    });
                }
            }
        }
    }

    /// The route at a site path.
    pub fn get(&self, path: &str) -> Option<&Route> {
        self.by_path.get(path).map(|&k| &self.list[k])
    }

    /// Whether the site has this address.
    pub fn contains(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// The routes of HTML pages.
    pub fn html(&self) -> impl Iterator<Item = &Route> {
        self.list.iter().filter(|r| r.kind.is_html())
    }
}

/// How many pages a list of `len` items takes, `per` a page (at least one:
/// an empty list still has its page).
pub fn page_count(len: usize, per: usize) -> usize {
    len.div_ceil(per.max(1)).max(1)
}

/// The address of page `n` (from 1) of the list at `base`: `base` itself,
/// then `base` + `pagina/n/` (`/diario/pagina/2/`).
pub fn page_path(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}pagina/{n}/")
    }
}

/// The address of the first page of the list whose page `n` is at `path`
/// (the inverse of [`page_path`]).
pub fn list_base(path: &str, n: usize) -> &str {
    if n == 1 {
        return path;
    }
    path.strip_suffix(&format!("pagina/{n}/")).unwrap_or(path)
}

/// The routes of the pages of a list of `len` items at `base`, `per` a page.
fn paged<'a>(
    base: &'a str,
    len: usize,
    per: usize,
    kind: impl Fn(usize) -> RouteKind + 'a,
) -> impl Iterator<Item = Route> + 'a {
    (1..=page_count(len, per)).map(move |n| Route {
        path: page_path(base, n),
        kind: kind(n),
    })
}

/// The addresses the sitemap lists: pages with a source file and the main
/// list pages.
pub fn in_sitemap(site: &Site) -> impl Iterator<Item = &Route> {
    site.all_routes().iter().filter(move |r| match &r.kind {
        RouteKind::Home => site.home().is_some(),
        RouteKind::Page(_)
        | RouteKind::TutorialList(1)
        | RouteKind::Events
        | RouteKind::Municipi
        | RouteKind::Search
        | RouteKind::FolderList(_) => true,
        RouteKind::DiaryList(n) => *n == 1,
        _ => false,
    })
}

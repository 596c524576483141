//! The HTML pages and data files of a site: which files exist (one job per
//! output) and the context each template gets.

use super::views::{breadcrumb, prefixed, Link, PageView, SiteView};
use super::{
    body, jsonld, print, template_error, Output, RenderCounts, RenderError, RenderOptions,
};
use crate::calendar;
use crate::content::markdown::BodyHtml;
use crate::content::{Kind, DIARY_SECTION, EVENT_SECTION, TUTORIAL_SECTION};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::reads::{self, Read};
use crate::routes::{self, Route, TermKind, LEVELS};
use crate::site::{Occurrence, Site};
use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::sync::OnceLock;
use tera::{Context, Tera, Value};

/// One HTML output to make: the kind of an HTML route.
pub use crate::routes::RouteKind as Job;

struct Ctx<'a> {
    site: &'a Site,
    tera: &'a Tera,
    /// The context every page starts from: the site's data, serialised once.
    base: Context,
    prefix: String,
    inject: Option<&'a str>,
    /// Record what each output reads (serve).
    record: bool,
    /// Each page's view, built the first time an output shows it (with
    /// what it read) and borrowed by every template that shows it.
    views: Vec<OnceLock<(PageView, Vec<Read>)>>,
    /// Each page's card, rendered the first time a list shows it.
    cards: Vec<OnceLock<Result<String, Diagnostic>>>,
    /// The site's footer (`site_footer.html`), made once: it shows the
    /// site's data only.
    footer: Result<Value, Diagnostic>,
    /// The site's header (`site_header.html`), made once for each way its
    /// menu shows where the reader is (see [`Ctx::header`]).
    headers: Mutex<HashMap<Vec<bool>, Result<Value, Diagnostic>>>,
    menu: Vec<Link>,
    /// How much work rendering took, in counts (see [`RenderCounts`]).
    bodies_made: AtomicUsize,
    cards_made: AtomicUsize,
}

/// A list of cards as templates get it: how many, and their HTML joined.
#[derive(Serialize)]
struct Cards {
    count: usize,
    html: String,
}

impl<'a> Ctx<'a> {
    fn new(site: &'a Site, tera: &'a Tera, opts: &'a RenderOptions, record: bool) -> Self {
        let view = SiteView::new(site);
        let mut base = Context::new();
        base.insert("site", &view);
        let footer = tera
            .render("site_footer.html", &base)
            .map(|html| Value::normal_string(&html))
            .map_err(|e| template_error(&e));
        Ctx {
            site,
            tera,
            base,
            footer,
            headers: Mutex::new(HashMap::new()),
            menu: view.menu,
            prefix: view.prefix,
            inject: opts.inject.as_deref(),
            record,
            views: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            bodies_made: AtomicUsize::new(0),
            cards_made: AtomicUsize::new(0),
        }
    }

    fn base(&self, path: &str, title: &str) -> Result<Context, Diagnostic> {
        let mut c = self.base.clone();
        self.rebase(&mut c, path, title)?;
        Ok(c)
    }

    /// Sets what [`Ctx::base`] gives a page at `path` in a context that has
    /// the site's data already (another page's context, made over).
    fn rebase(&self, c: &mut Context, path: &str, title: &str) -> Result<(), Diagnostic> {
        let current_path = prefixed(&self.prefix, path);
        c.insert_value("site_header", self.header(&current_path)?);
        c.insert_value("site_footer", self.footer.clone()?);
        c.insert("current_path", &current_path);
        c.insert("title", title);
        c.insert(
            "breadcrumb",
            &if path == "/" {
                Vec::new()
            } else {
                breadcrumb(self.site, path, title)
            },
        );
        Ok(())
    }

    /// The site's header for a page at `current_path`: a menu item is
    /// current when the address is in its section (the home item only on
    /// the home page), the search item on the search page, and the home
    /// page shows the site's tagline. Pages that agree on all three share
    /// one header, made the first time one of them asks.
    fn header(&self, current_path: &str) -> Result<Value, Diagnostic> {
        let home = format!("{}/", self.prefix);
        let mut key: Vec<bool> = self
            .menu
            .iter()
            .map(|m| current_path.starts_with(&m.url) && m.url != home)
            .collect();
        key.push(current_path.starts_with(&format!("{}/cerca/", self.prefix)));
        key.push(current_path == home);
        let made = |key: &[bool]| self.headers.lock().ok()?.get(key).cloned();
        if let Some(header) = made(&key) {
            return header;
        }
        let menu: Vec<MenuItem> = self
            .menu
            .iter()
            .zip(&key)
            .map(|(m, &current)| MenuItem {
                name: &m.name,
                url: &m.url,
                current,
            })
            .collect();
        let mut c = self.base.clone();
        c.insert("menu", &menu);
        c.insert("search_current", &key[self.menu.len()]);
        c.insert("home", &key[self.menu.len() + 1]);
        let header = self
            .tera
            .render("site_header.html", &c)
            .map(|html| Value::normal_string(&html))
            .map_err(|e| template_error(&e));
        if let Ok(mut headers) = self.headers.lock() {
            headers.insert(key, header.clone());
        }
        header
    }

    /// The view of page `i`, noted (with what building it read) as read
    /// by the output being made.
    fn view(&self, i: usize) -> &PageView {
        let (view, read) = self.views[i].get_or_init(|| {
            if self.record {
                reads::recorded(|| PageView::new(self.site, i))
            } else {
                (PageView::new(self.site, i), Vec::new())
            }
        });
        reads::replay(read);
        view
    }

    fn url(&self, path: &str) -> String {
        prefixed(&self.prefix, path)
    }

    /// The body of page `i` as HTML.
    fn body(&self, i: usize) -> BodyHtml {
        self.bodies_made.fetch_add(1, Ordering::Relaxed);
        body::html(self.site, i)
    }

    /// The card of one view (`card.html`).
    fn render_card(&self, view: &PageView) -> Result<String, Diagnostic> {
        self.cards_made.fetch_add(1, Ordering::Relaxed);
        let mut c = Context::new();
        c.insert("p", view);
        let mut card = self
            .tera
            .render("card.html", &c)
            .map_err(|e| template_error(&e))?;
        // Kept until the last list is made: without the room it grew with.
        card.shrink_to_fit();
        Ok(card)
    }

    /// The cards of events at the given occurrences (their date is the occurrence's).
    fn cards_at<'o>(
        &self,
        list: impl Iterator<Item = &'o Occurrence>,
    ) -> Result<Cards, Diagnostic> {
        let mut html = String::new();
        let mut count = 0;
        for o in list {
            html.push_str(&self.render_card(&self.view(o.page).clone().at(o))?);
            count += 1;
        }
        Ok(Cards { count, html })
    }

    /// The cards of these pages, each rendered once for the whole site.
    fn cards(&self, list: &[usize]) -> Result<Cards, Diagnostic> {
        let cards = list
            .iter()
            .map(|&i| {
                let view = self.view(i);
                let card = self.cards[i].get_or_init(|| self.render_card(view));
                card.as_deref().map_err(Clone::clone)
            })
            .collect::<Result<Vec<&str>, Diagnostic>>()?;
        // Joined at its size: a list of thousands grown by doubling was
        // copied again at each step, into fresh memory.
        let html = cards.concat();
        Ok(Cards {
            count: list.len(),
            html,
        })
    }

    /// Renders `template` into the file of `path`. The page is made in a
    /// buffer each thread keeps (grown once to the size of its largest
    /// page, up to [`KEPT_PAGE_BYTES`]) and copied out at its size: a
    /// buffer grown from small for each page was copied once per doubling,
    /// then checked again as UTF-8.
    fn render(&self, template: &str, path: &str, ctx: &Context) -> Result<Output, Diagnostic> {
        thread_local! {
            static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let html = PAGE.with(|page| {
            let mut page = page.borrow_mut();
            page.clear();
            self.tera
                .render_to(template, ctx, &mut *page)
                .map_err(|e| template_error(&e))?;
            let mut html = Vec::with_capacity(page.len() + self.inject.map_or(0, str::len));
            match self
                .inject
                .and_then(|snippet| Some((snippet, memchr::memmem::rfind(&page, b"</body>")?)))
            {
                Some((snippet, at)) => {
                    html.extend_from_slice(&page[..at]);
                    html.extend_from_slice(snippet.as_bytes());
                    html.extend_from_slice(&page[at..]);
                }
                None => html.extend_from_slice(&page),
            }
            // A list of thousands of cards is not kept room for.
            if page.capacity() > KEPT_PAGE_BYTES {
                *page = Vec::new();
            }
            Ok::<_, Diagnostic>(html)
        })?;
        Ok(Output::bytes(routes::file_of(path), html))
    }
}

/// The most room a thread keeps for making pages in ([`Ctx::render`]).
const KEPT_PAGE_BYTES: usize = 1 << 20;

/// An item of the main menu as the header shows it.
#[derive(Serialize)]
struct MenuItem<'a> {
    name: &'a str,
    url: &'a str,
    /// The page being made is in its section.
    current: bool,
}

#[derive(Serialize)]
struct StepView<'a> {
    number: usize,
    total: usize,
    title: &'a str,
    id: &'a str,
    html: &'a str,
}

#[derive(Serialize)]
struct MonthView {
    name: String,
    events: Cards,
}

/// One date of a weekly help desk, as the event page lists it.
#[derive(Serialize)]
struct DateView {
    /// Start instant with its offset, for `<time datetime>`.
    iso: String,
    /// "martedì 24 marzo 2026"
    text: String,
}

/// Where one page of a long list is among the others.
#[derive(Serialize)]
struct Pager {
    /// This page's number, from 1.
    current: usize,
    /// How many pages the list has.
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// How many items the whole list has.
    items: usize,
}

impl Pager {
    /// Page `n` of `list`, `per` a page, made at `path` (see
    /// [`routes::page_path`]): its items and its pager.
    fn slice<'l, T>(cx: &Ctx, path: &str, list: &'l [T], per: usize, n: usize) -> (&'l [T], Pager) {
        let base = routes::list_base(path, n);
        let total = routes::page_count(list.len(), per);
        let per = per.max(1);
        let from = ((n - 1) * per).min(list.len());
        let link = |k: usize| cx.url(&routes::page_path(base, k));
        let pager = Pager {
            current: n,
            total,
            prev: (n > 1).then(|| link(n - 1)),
            next: (n < total).then(|| link(n + 1)),
            items: list.len(),
        };
        (&list[from..(from + per).min(list.len())], pager)
    }

    /// The title of the page: `title` on the first, with its number on the others.
    fn title(&self, title: String) -> String {
        if self.current == 1 {
            title
        } else {
            format!("{title}, pagina {} di {}", self.current, self.total)
        }
    }
}

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
}

/// Renders the given routes in parallel, handing each file to `sink` as
/// soon as it is made. Collects every template error (the routes that
/// fail make no file); stops at the first file that cannot be written. With `record`, the counts say what each
/// route read ([`RenderCounts::reads`]).
pub fn render_into(
    site: &Site,
    tera: &Tera,
    opts: &RenderOptions,
    routes: Vec<&Route>,
    sink: &dyn Sink,
    record: bool,
) -> Result<RenderCounts, RenderError> {
    let ctx = Ctx::new(site, tera, opts, record);
    // The routes that gather many pages (lists, terms, calendars, the
    // sitemap) first: each is long, and made last it would leave one core
    // making it while the other waits.
    let mut routes = routes;
    routes.sort_by_key(|r| r.kind.page().is_some());
    let errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let read: Mutex<Vec<(String, Vec<Read>)>> = Mutex::new(Vec::new());
    let files = AtomicUsize::new(0);
    // A tutorial's print sheet is made with its page, from the same body.
    let pages: HashSet<usize> = routes
        .iter()
        .filter_map(|r| match r.kind {
            Job::Page(i) => Some(i),
            _ => None,
        })
        .collect();
    let sheets: HashMap<usize, &str> = routes
        .iter()
        .filter_map(|r| match r.kind {
            Job::PrintSheet(i) if pages.contains(&i) => Some((i, r.path.as_str())),
            _ => None,
        })
        .collect();
    routes
        .into_par_iter()
        .with_max_len(8)
        .try_for_each(|route| {
            let make = || match route.kind {
                Job::Page(i) => render_job(&ctx, route, sheets.get(&i).copied()),
                _ if route.kind.is_html() => render_job(&ctx, route, None),
                _ => super::data::render(site, tera, route).map(|f| vec![f]),
            };
            let made = match route.kind {
                Job::PrintSheet(i) if sheets.contains_key(&i) => return Ok(()),
                _ if record => {
                    let (made, seen) = reads::recorded(make);
                    let mut read = read.lock().unwrap_or_else(|e| e.into_inner());
                    if let Job::Page(i) = route.kind {
                        if let Some(sheet) = sheets.get(&i) {
                            read.push((sheet.to_string(), seen.clone()));
                        }
                    }
                    read.push((route.path.clone(), seen));
                    made
                }
                _ => make(),
            };
            match made {
                Ok(made) => made.into_iter().try_for_each(|file| {
                    files.fetch_add(1, Ordering::Relaxed);
                    sink.put(file)
                }),
                Err(d) => {
                    let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
                    if !errors.iter().any(|e| e.message == d.message) {
                        errors.push(d);
                    }
                    Ok(())
                }
            }
        })
        .map_err(RenderError::Write)?;
    let Ctx {
        views,
        cards,
        bodies_made,
        cards_made,
        ..
    } = ctx;
    // A view or a card per page, each many small allocations: freed on
    // every core rather than one after another on this one.
    rayon::join(
        || views.into_par_iter().for_each(drop),
        || cards.into_par_iter().for_each(drop),
    );
    Ok(RenderCounts {
        files: files.into_inner(),
        bodies: bodies_made.into_inner(),
        cards: cards_made.into_inner(),
        warnings: Vec::new(),
        errors: errors.into_inner().unwrap_or_else(|e| e.into_inner()),
        reads: read.into_inner().unwrap_or_else(|e| e.into_inner()),
    })
}

/// The HTML page of a route (a page's route with `sheet` also makes the
/// print sheet there).
fn render_job(cx: &Ctx, route: &Route, sheet: Option<&str>) -> Result<Vec<Output>, Diagnostic> {
    let site = cx.site;
    let path = route.path.as_str();
    let file = match route.kind.clone() {
        Job::Home => {
            let title = site
                .home()
                .map(|i| site.page(i).common.title.clone())
                .unwrap_or_else(|| site.config.title.clone());
            let mut c = cx.base(path, &title)?;
            if let Some(i) = site.home() {
                c.insert("page", cx.view(i));
                c.insert("content", &cx.body(i).intro);
            }
            let mut seen = Vec::new();
            // The next events people can go to.
            let next = site
                .upcoming()
                .filter(|o| {
                    takes_place(site, o.page) && !seen.contains(&o.page) && {
                        seen.push(o.page);
                        true
                    }
                })
                .take(3);
            c.insert("next_events", &cx.cards_at(next)?);
            c.insert(
                "latest_diary",
                &cx.cards(&site.diary()[..site.diary().len().min(3)])?,
            );
            let featured: Vec<usize> = site
                .tutorials()
                .iter()
                .copied()
                .filter(|&i| site.page(i).tutorial().is_some_and(|t| t.featured))
                .collect();
            c.insert("featured", &cx.cards(&featured)?);
            c.insert("subsections", &subsections(cx, ""));
            cx.render("index.html", path, &c)
        }
        Job::Page(i) => return page(cx, i, sheet),
        Job::PrintSheet(i) => print_sheet(cx, i, path, &cx.body(i)),
        Job::Poster(i) => {
            let p = site.page(i);
            let mut c = cx.base(path, &format!("Locandina: {}", p.common.title))?;
            let v = cx.view(i);
            c.insert(
                "qr",
                &print::qr_svg(
                    &v.abs_url,
                    &format!("Codice QR della pagina dell'evento: {}", v.abs_url),
                ),
            );
            c.insert("short_url", &short(&v.abs_url));
            c.insert("page", v);
            cx.render("poster.html", path, &c)
        }
        Job::TutorialList(n) => {
            let (title, intro) = section_text(cx, TUTORIAL_SECTION);
            let per = site.config.list_page_size;
            let (list, pager) = Pager::slice(cx, path, site.tutorials(), per, n);
            let mut c = cx.base(path, &pager.title(title))?;
            c.insert("intro", &intro);
            c.insert("pages", &cx.cards(list)?);
            c.insert("pager", &pager);
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("levels", &levels(cx, None));
            c.insert("feed_url", &cx.url("/tutorial/atom.xml"));
            cx.render("tutorials.html", path, &c)
        }
        Job::Level(level, n) => {
            let per = site.config.list_page_size;
            let (list, pager) = Pager::slice(cx, path, site.level_list(level), per, n);
            let mut c = cx.base(path, &pager.title(format!("Tutorial di livello {level}")))?;
            c.insert("intro", &format!("Le guide di livello {level}."));
            c.insert("pages", &cx.cards(list)?);
            c.insert("pager", &pager);
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("levels", &levels(cx, Some(level)));
            c.insert("feed_url", &cx.url("/tutorial/atom.xml"));
            cx.render("tutorials.html", path, &c)
        }
        Job::DiaryList(n) => {
            let (title, intro) = section_text(cx, DIARY_SECTION);
            let per = site.config.diary_page_size;
            let (list, pager) = Pager::slice(cx, path, site.diary(), per, n);
            let mut c = cx.base(path, &pager.title(title))?;
            c.insert("intro", &intro);
            c.insert("pages", &cx.cards(list)?);
            c.insert("pager", &pager);
            c.insert("feed_url", &cx.url("/diario/atom.xml"));
            cx.render("diary_list.html", path, &c)
        }
        Job::Events => {
            let (title, intro) = section_text(cx, EVENT_SECTION);
            let mut c = cx.base(path, &title)?;
            c.insert("intro", &intro);
            let (months, desks) = upcoming_by_month(cx, None)?;
            c.insert("months", &months);
            c.insert("desks", &desks);
            c.insert("municipi", &municipi(cx));
            c.insert("ics_url", &cx.url("/eventi/calendario.ics"));
            c.insert("archive_url", &cx.url("/eventi/archivio/"));
            cx.render("events.html", path, &c)
        }
        Job::Archive(n) => {
            let per = site.config.list_page_size;
            let (list, pager) = Pager::slice(cx, path, site.past_events(), per, n);
            let mut c = cx.base(path, &pager.title("Eventi passati".into()))?;
            let past: Vec<&PageView> = list.iter().map(|&i| cx.view(i)).collect();
            c.insert("pages", &past);
            c.insert("pager", &pager);
            cx.render("events_archive.html", path, &c)
        }
        Job::Municipi => {
            let mut c = cx.base(path, "Municipi")?;
            c.insert("municipi", &municipi(cx));
            cx.render("municipi.html", path, &c)
        }
        Job::Municipio(n, k) => {
            let per = site.config.list_page_size;
            let (diary, pager) = Pager::slice(cx, path, site.municipio_diary(n), per, k);
            let mut c = cx.base(path, &pager.title(format!("Municipio {n}")))?;
            if k == 1 {
                let (months, desks) = upcoming_by_month(cx, Some(n))?;
                c.insert("months", &months);
                c.insert("desks", &desks);
            }
            c.insert("number", &n);
            c.insert("neighbourhoods", &site.config.neighbourhoods(n));
            c.insert("diary", &cx.cards(diary)?);
            c.insert("pager", &pager);
            c.insert(
                "ics_url",
                &cx.url(&format!("/municipi/municipio-{n}/calendario.ics")),
            );
            cx.render("municipio.html", path, &c)
        }
        Job::Terms(kind) => {
            let title = if kind == TermKind::Tag {
                "Argomenti"
            } else {
                "Servizi"
            };
            let mut c = cx.base(path, title)?;
            c.insert("terms", &terms(cx, kind));
            c.insert("kind", kind.base());
            cx.render("terms.html", path, &c)
        }
        Job::Term(kind, slug, n) => {
            let map = if kind == TermKind::Tag {
                &site.tags()
            } else {
                &site.services()
            };
            let Some(term) = map.get(&slug) else {
                return Err(Diagnostic::error("content", "internal", "termine mancante"));
            };
            let per = site.config.list_page_size;
            let (list, pager) = Pager::slice(cx, path, &term.pages, per, n);
            let mut c = cx.base(path, &pager.title(term.name.clone()))?;
            c.insert("term", &term.name);
            c.insert(
                "description",
                &format!(
                    "Tutte le guide su {} da stampare, una dopo l'altra.",
                    term.name
                ),
            );
            c.insert("kind", kind.base());
            c.insert("pages", &cx.cards(list)?);
            c.insert("pager", &pager);
            if kind == TermKind::Service {
                let base = routes::list_base(path, n);
                c.insert("booklet_url", &cx.url(&format!("{base}stampa/")));
            }
            cx.render("term.html", path, &c)
        }
        Job::Booklet(slug) => {
            let Some(term) = site.services().get(&slug) else {
                return Err(Diagnostic::error(
                    "content",
                    "internal",
                    "servizio mancante",
                ));
            };
            let mut c = cx.base(path, &format!("Tutte le guide su {}", term.name))?;
            let sheets: Vec<serde_json::Value> = term
                .pages
                .iter()
                .filter(|&&i| site.page(i).kind == Kind::Tutorial)
                .map(|&i| {
                    let v = cx.view(i);
                    let body = cx.body(i);
                    let body = body.for_print();
                    serde_json::json!({
                        "qr": print::qr_svg(&v.abs_url, &format!("Codice QR della guida online: {}", v.abs_url)),
                        "short_url": short(&v.abs_url),
                        "content": body.intro,
                        "steps": steps(site, i, &body),
                        "page": v,
                    })
                })
                .collect();
            c.insert("term", &term.name);
            c.insert("sheets", &sheets);
            cx.render("booklet.html", path, &c)
        }
        Job::Search => {
            let mut c = cx.base(path, "Cerca nel sito")?;
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("index_url", &cx.url("/cerca/indice.json"));
            cx.render("search.html", path, &c)
        }
        Job::Offline => {
            let mut c = cx.base(path, "Sei senza internet")?;
            c.insert("breadcrumb", &Vec::<Link>::new());
            cx.render("offline.html", path, &c)
        }
        Job::NotFound => {
            let mut c = cx.base(path, "Pagina non trovata")?;
            c.insert("breadcrumb", &Vec::<Link>::new());
            cx.render("404.html", path, &c)
        }
        Job::FolderList(dir) => {
            let name = dir.rsplit('/').next().unwrap_or(&dir);
            let mut c = cx.base(path, &crate::site::default_section_title(name))?;
            c.insert("pages", &cx.cards(site.section_list(&dir))?);
            c.insert("subsections", &subsections(cx, &dir));
            cx.render("section.html", path, &c)
        }
        Job::Alias(_, to) => {
            let mut c = cx.base(path, "Pagina spostata")?;
            c.insert("target", &cx.url(&to));
            cx.render("alias.html", path, &c)
        }
        data => Err(Diagnostic::error(
            "content",
            "internal",
            format!("{data:?} non è una pagina HTML"),
        )),
    };
    file.map(|f| vec![f])
}

/// The print sheet of tutorial `i`, at `path`, from its body.
fn print_sheet(cx: &Ctx, i: usize, path: &str, body: &BodyHtml) -> Result<Output, Diagnostic> {
    let mut c = cx.base.clone();
    c.insert("page", cx.view(i));
    c.insert("content", &body.intro);
    c.insert("steps", &steps(cx.site, i, body));
    print_sheet_over(cx, i, path, body, c)
}

/// The print sheet of tutorial `i` made in `c`, a context with the site's
/// data, the page's view (`page`) and its body (`content`, `steps`) in it
/// (the page's own, once rendered: its other keys are taken out).
fn print_sheet_over(
    cx: &Ctx,
    i: usize,
    path: &str,
    body: &BodyHtml,
    mut c: Context,
) -> Result<Output, Diagnostic> {
    let site = cx.site;
    let p = site.page(i);
    // The body is in the context already, unless paper changes it.
    if let std::borrow::Cow::Owned(print) = body.for_print() {
        c.insert("content", &print.intro);
        c.insert("steps", &steps(site, i, &print));
    }
    for key in PAGE_ONLY {
        c.remove(key);
    }
    cx.rebase(
        &mut c,
        path,
        &format!("Scheda da stampare: {}", p.common.title),
    )?;
    let v = cx.view(i);
    c.insert(
        "qr",
        &print::qr_svg(
            &v.abs_url,
            &format!("Codice QR della guida online: {}", v.abs_url),
        ),
    );
    if let Some(video) = &v.video {
        let abs = if video.src.starts_with("http") {
            video.src.clone()
        } else {
            format!("{}{}", super::origin(&site.config.base_url), video.src)
        };
        c.insert("video_qr", &print::qr_svg(&abs, "Codice QR del video"));
    }
    c.insert("short_url", &short(&v.abs_url));
    cx.render("print_sheet.html", path, &c)
}

/// What [`page`] puts in a tutorial's context and its print sheet must not
/// have (a key added there for the page alone belongs here too; those both
/// have, the sheet sets again).
const PAGE_ONLY: [&str; 3] = ["has_code", "jsonld", "related"];

/// The page of `i`; with `sheet`, also its print sheet at that path (both
/// from one rendering of the body).
fn page(cx: &Ctx, i: usize, sheet: Option<&str>) -> Result<Vec<Output>, Diagnostic> {
    let site = cx.site;
    let p = site.page(i);
    let body = cx.body(i);
    let mut c = cx.base(&p.path, &p.common.title)?;
    let v = cx.view(i);
    c.insert("content", &body.intro);
    // The code stylesheet is loaded only by pages that show code.
    c.insert("has_code", &body.has_code());
    let template = match p.kind {
        Kind::Tutorial => {
            c.insert("steps", &steps(site, i, &body));
            c.insert("jsonld", &jsonld::to_script(&jsonld::howto(site, i, &body)));
            c.insert("related", &cx.cards(&site.related_tutorials(i))?);
            "tutorial.html"
        }
        Kind::Event => {
            c.insert("jsonld", &jsonld::to_script(&jsonld::event(site, i)));
            c.insert("dates", &upcoming_dates(site, i));
            c.insert("reports", &cx.cards(site.reports_on(i))?);
            "event.html"
        }
        Kind::Diary => "diary.html",
        Kind::Section => {
            c.insert("pages", &cx.cards(site.section_list(&p.dir))?);
            c.insert("subsections", &subsections(cx, &p.dir));
            "section.html"
        }
        _ => "page.html",
    };
    c.insert("page", v);
    let mut files = vec![cx.render(template, &p.path, &c)?];
    if let Some(path) = sheet {
        files.push(print_sheet_over(cx, i, path, &body, c)?);
    }
    Ok(files)
}

/// Every date of a repeating event that has not ended at `now` (empty for a
/// one-off event). The page lists them all, so they match the .ics RRULE.
fn upcoming_dates(site: &Site, i: usize) -> Vec<DateView> {
    if site
        .page(i)
        .event()
        .and_then(|e| e.repeat.as_ref())
        .is_none()
    {
        return Vec::new();
    }
    site.upcoming_of(i)
        .map(|o| DateView {
            iso: calendar::rfc3339_rome(o.start),
            text: calendar::date_it(o.start.date()),
        })
        .collect()
}

fn steps<'a>(site: &'a Site, i: usize, body: &'a BodyHtml) -> Vec<StepView<'a>> {
    let steps = &site.analysis_of(i).steps;
    steps
        .iter()
        .zip(&body.steps)
        .enumerate()
        .map(|(n, (s, html))| StepView {
            number: n + 1,
            total: steps.len(),
            title: &s.title,
            id: &s.id,
            html,
        })
        .collect()
}

/// The folders listed by folder `dir` (`""`: the home page), each with
/// its title, summary and address.
fn subsections(cx: &Ctx, dir: &str) -> Vec<serde_json::Value> {
    let site = cx.site;
    site.subsections(dir)
        .iter()
        .map(|d| {
            let (title, summary) = match site.section_page(d) {
                Some(i) => {
                    let c = &site.page(i).common;
                    (c.title.clone(), c.summary.clone())
                }
                None => {
                    let name = d.rsplit('/').next().unwrap_or(d);
                    (crate::site::default_section_title(name), None)
                }
            };
            serde_json::json!({
                "title": title,
                "summary": summary,
                "url": cx.url(&format!("/{d}/")),
            })
        })
        .collect()
}

fn section_text(cx: &Ctx, section: &str) -> (String, String) {
    let site = cx.site;
    match site.section_page(section) {
        Some(i) => (site.page(i).common.title.clone(), cx.body(i).intro),
        None => (crate::site::default_section_title(section), String::new()),
    }
}

fn terms(cx: &Ctx, kind: TermKind) -> Vec<TermView> {
    let map = if kind == TermKind::Tag {
        &cx.site.tags()
    } else {
        &cx.site.services()
    };
    map.values()
        .map(|t| TermView {
            name: t.name.clone(),
            url: cx.url(&format!("/{}/{}/", kind.base(), t.slug)),
            count: t.pages.len(),
        })
        .collect()
}

fn levels(cx: &Ctx, current: Option<&str>) -> Vec<serde_json::Value> {
    LEVELS
        .iter()
        .map(|l| serde_json::json!({"name": l, "url": cx.url(&format!("/tutorial/livello/{l}/")), "current": current == Some(*l)}))
        .collect()
}

/// Whether the event at page `i`, at an occurrence still to come, takes
/// place (not cancelled, not postponed to a date not yet decided).
fn takes_place(site: &Site, i: usize) -> bool {
    site.page(i)
        .event()
        .is_some_and(|e| e.state(false).takes_place())
}

fn municipi(cx: &Ctx) -> Vec<serde_json::Value> {
    (1..=9)
        .map(|n| {
            let count = cx
                .site
                .upcoming()
                .filter(|o| {
                    cx.site.page(o.page).event().and_then(|e| e.municipio) == Some(n)
                        && takes_place(cx.site, o.page)
                })
                .map(|o| o.page)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            serde_json::json!({"number": n, "url": cx.url(&format!("/municipi/municipio-{n}/")), "upcoming": count, "neighbourhoods": cx.site.config.neighbourhoods(n)})
        })
        .collect()
}

/// Upcoming one-off events grouped by month, and weekly help desks apart.
fn upcoming_by_month<'a>(
    cx: &'a Ctx,
    municipio: Option<i64>,
) -> Result<(Vec<MonthView>, Vec<&'a PageView>), Diagnostic> {
    let site = cx.site;
    let mut months: Vec<(String, Vec<&Occurrence>)> = Vec::new();
    let mut desks: Vec<&PageView> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for o in site.upcoming() {
        let Some(e) = site.page(o.page).event() else {
            continue;
        };
        if municipio.is_some() && e.municipio != municipio {
            continue;
        }
        if e.repeat.is_some() {
            if seen.insert(o.page) {
                desks.push(cx.view(o.page));
            }
            continue;
        }
        let name = capitalize(&calendar::month_it(o.start.year(), o.start.month()));
        match months.last_mut() {
            Some((m, list)) if *m == name => list.push(o),
            _ => months.push((name, vec![o])),
        }
    }
    let months = months
        .into_iter()
        .map(|(name, list)| {
            Ok(MonthView {
                name,
                events: cx.cards_at(list.into_iter())?,
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok((months, desks))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// An address without its scheme, for print.
fn short(url: &str) -> String {
    url.trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

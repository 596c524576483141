//! The HTML pages and data files of a site: which files exist (one job per
//! output) and the context each template gets.

use super::views::{breadcrumb, prefix_of, prefixed, Link, PageView, SiteView};
use super::{feeds, ical, jsonld, print, template_error, Output, RenderError, RenderOptions};
use crate::calendar;
use crate::content::fields::Status;
use crate::content::{Kind, DIARY_SECTION, EVENT_SECTION, TUTORIAL_SECTION};
use crate::diagnostics::Diagnostic;
use crate::output::{Collect, Sink};
use crate::site::{Occurrence, Site};
use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Mutex;
use std::sync::OnceLock;
use tera::{Context, Tera};

/// One HTML output to make. Public so that serve can make some of them
/// again after a change ([`jobs`], [`render_jobs`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Home,
    Page(usize),
    PrintSheet(usize),
    Poster(usize),
    TutorialList,
    Level(&'static str),
    DiaryList(usize),
    Events,
    Archive,
    Municipi,
    Municipio(i64),
    Terms(TermKind),
    Term(TermKind, String),
    Booklet(String),
    Search,
    NotFound,
    Alias(String, String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TermKind {
    Tag,
    Service,
}

impl TermKind {
    fn base(self) -> &'static str {
        match self {
            TermKind::Tag => "tag",
            TermKind::Service => "servizi",
        }
    }
}

const LEVELS: [&str; 3] = ["facile", "medio", "avanzato"];

/// Every HTML output of the site, as jobs to render.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::TutorialList,
        Job::Events,
        Job::Archive,
        Job::Municipi,
        Job::Search,
        Job::NotFound,
    ];
    jobs.extend(LEVELS.iter().map(|l| Job::Level(l)));
    for (i, p) in site.pages.iter().enumerate() {
        match p.kind {
            Kind::Home => {}
            Kind::Section
                if [TUTORIAL_SECTION, DIARY_SECTION, EVENT_SECTION].contains(&p.dir.as_str()) => {}
            Kind::Tutorial => {
                jobs.push(Job::Page(i));
                jobs.push(Job::PrintSheet(i));
            }
            Kind::Event => {
                jobs.push(Job::Page(i));
                jobs.push(Job::Poster(i));
            }
            _ => jobs.push(Job::Page(i)),
        }
        for alias in &p.common.aliases {
            jobs.push(Job::Alias(alias.clone(), p.path.clone()));
        }
    }
    let per_page = site.config.diary_page_size.max(1);
    let diary_pages = site.diary.len().div_ceil(per_page).max(1);
    jobs.extend((1..=diary_pages).map(Job::DiaryList));
    jobs.extend((1..=9).map(Job::Municipio));
    jobs.push(Job::Terms(TermKind::Tag));
    jobs.push(Job::Terms(TermKind::Service));
    jobs.extend(
        site.tags
            .keys()
            .map(|k| Job::Term(TermKind::Tag, k.clone())),
    );
    jobs.extend(
        site.services
            .keys()
            .map(|k| Job::Term(TermKind::Service, k.clone())),
    );
    jobs.extend(site.services.keys().map(|k| Job::Booklet(k.clone())));
    jobs
}

/// Output file of a site path (`/x/` -> `x/index.html`).
fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

struct Ctx<'a> {
    site: &'a Site,
    tera: &'a Tera,
    /// The context every page starts from: the site's data, serialised once.
    base: Context,
    prefix: String,
    inject: Option<&'a str>,
    /// Each page's view, built once and borrowed by every template that shows it.
    views: Vec<PageView>,
    /// Each page's card, rendered the first time a list shows it.
    cards: Vec<OnceLock<Result<String, Diagnostic>>>,
}

/// A list of cards as templates get it: how many, and their HTML joined.
#[derive(Serialize)]
struct Cards {
    count: usize,
    html: String,
}

impl<'a> Ctx<'a> {
    fn new(site: &'a Site, tera: &'a Tera, opts: &'a RenderOptions) -> Self {
        let view = SiteView::new(site);
        let mut base = Context::new();
        base.insert("site", &view);
        let views = (0..site.pages.len())
            .into_par_iter()
            .map(|i| PageView::new(site, i))
            .collect();
        Ctx {
            site,
            tera,
            base,
            prefix: view.prefix,
            inject: opts.inject.as_deref(),
            views,
            cards: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    fn base(&self, path: &str, title: &str) -> Context {
        let mut c = self.base.clone();
        c.insert("current_path", &prefixed(&self.prefix, path));
        c.insert("title", title);
        c.insert(
            "breadcrumb",
            &if path == "/" {
                Vec::new()
            } else {
                breadcrumb(self.site, path, title)
            },
        );
        c
    }

    fn url(&self, path: &str) -> String {
        prefixed(&self.prefix, path)
    }

    /// The card of one view (`card.html`).
    fn render_card(&self, view: &PageView) -> Result<String, Diagnostic> {
        let mut c = Context::new();
        c.insert("p", view);
        self.tera
            .render("card.html", &c)
            .map_err(|e| template_error(&e))
    }

    /// The cards of events at the given occurrences (their date is the occurrence's).
    fn cards_at<'o>(
        &self,
        list: impl Iterator<Item = &'o Occurrence>,
    ) -> Result<Cards, Diagnostic> {
        let mut html = String::new();
        let mut count = 0;
        for o in list {
            html.push_str(&self.render_card(&self.views[o.page].clone().at(o))?);
            count += 1;
        }
        Ok(Cards { count, html })
    }

    /// The cards of these pages, each rendered once for the whole site.
    fn cards(&self, list: &[usize]) -> Result<Cards, Diagnostic> {
        let mut html = String::new();
        for &i in list {
            let card = self.cards[i].get_or_init(|| self.render_card(&self.views[i]));
            html.push_str(card.as_ref().map_err(Clone::clone)?);
        }
        Ok(Cards {
            count: list.len(),
            html,
        })
    }

    fn render(&self, template: &str, path: &str, ctx: &Context) -> Result<Output, Diagnostic> {
        let mut html = self
            .tera
            .render(template, ctx)
            .map_err(|e| template_error(&e))?;
        if let Some(snippet) = self.inject {
            if let Some(pos) = html.rfind("</body>") {
                html.insert_str(pos, snippet);
            }
        }
        Ok(Output::bytes(file_of(path), html))
    }
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

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
}

/// Renders every HTML page, in parallel. Collects every template error.
pub fn render_all(
    site: &Site,
    tera: &Tera,
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    render_jobs(site, tera, opts, jobs(site))
}

/// Renders the given jobs, in parallel. Collects every template error.
pub fn render_jobs(
    site: &Site,
    tera: &Tera,
    opts: &RenderOptions,
    jobs: Vec<Job>,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let sink = Collect::default();
    match render_into(site, tera, opts, jobs, &sink) {
        Ok(_) => Ok(sink.into_files()),
        Err(RenderError::Templates(d)) => Err(d),
        Err(RenderError::Write(e)) => {
            Err(vec![Diagnostic::error("public", "write", e.to_string())])
        }
    }
}

/// Renders the given jobs in parallel, handing each file to `sink` as soon
/// as it is made. Collects every template error; stops at the first file
/// that cannot be written.
pub fn render_into(
    site: &Site,
    tera: &Tera,
    opts: &RenderOptions,
    jobs: Vec<Job>,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let ctx = Ctx::new(site, tera, opts);
    let errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let count = jobs.len();
    jobs.into_par_iter()
        .with_max_len(8)
        .try_for_each(|job| match render_job(&ctx, job) {
            Ok(file) => sink.put(file),
            Err(d) => {
                let mut errors = errors.lock().unwrap_or_else(|e| e.into_inner());
                if !errors.iter().any(|e| e.message == d.message) {
                    errors.push(d);
                }
                Ok(())
            }
        })
        .map_err(RenderError::Write)?;
    let errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    if errors.is_empty() {
        Ok(count)
    } else {
        Err(RenderError::Templates(errors))
    }
}

fn render_job(cx: &Ctx, job: Job) -> Result<Output, Diagnostic> {
    let site = cx.site;
    match job {
        Job::Home => {
            let title = site
                .home
                .map(|i| site.pages[i].common.title.clone())
                .unwrap_or_else(|| site.config.title.clone());
            let mut c = cx.base("/", &title);
            if let Some(i) = site.home {
                c.insert("page", &cx.views[i]);
                c.insert("content", &site.rendered[i].html);
            }
            let mut seen = Vec::new();
            let next = site
                .upcoming()
                .filter(|o| {
                    !seen.contains(&o.page) && {
                        seen.push(o.page);
                        true
                    }
                })
                .take(3);
            c.insert("next_events", &cx.cards_at(next)?);
            c.insert(
                "latest_diary",
                &cx.cards(&site.diary[..site.diary.len().min(3)])?,
            );
            let featured: Vec<usize> = site
                .tutorials
                .iter()
                .copied()
                .filter(|&i| site.pages[i].tutorial().is_some_and(|t| t.featured))
                .collect();
            c.insert("featured", &cx.cards(&featured)?);
            cx.render("index.html", "/", &c)
        }
        Job::Page(i) => page(cx, i),
        Job::PrintSheet(i) => {
            let p = &site.pages[i];
            let path = format!("{}stampa/", p.path);
            let mut c = cx.base(&path, &format!("Scheda da stampare: {}", p.common.title));
            let v = &cx.views[i];
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
                    format!("{}{}", origin(&site.config.base_url), video.src)
                };
                c.insert("video_qr", &print::qr_svg(&abs, "Codice QR del video"));
            }
            c.insert("short_url", &short(&v.abs_url));
            c.insert("page", v);
            c.insert("content", &site.rendered[i].html);
            c.insert("steps", &steps(site, i));
            cx.render("print_sheet.html", &path, &c)
        }
        Job::Poster(i) => {
            let p = &site.pages[i];
            let path = format!("{}locandina/", p.path);
            let mut c = cx.base(&path, &format!("Locandina: {}", p.common.title));
            let v = &cx.views[i];
            c.insert(
                "qr",
                &print::qr_svg(
                    &v.abs_url,
                    &format!("Codice QR della pagina dell'evento: {}", v.abs_url),
                ),
            );
            c.insert("short_url", &short(&v.abs_url));
            c.insert("page", v);
            cx.render("poster.html", &path, &c)
        }
        Job::TutorialList => {
            let path = "/tutorial/";
            let (title, intro) = section_text(site, TUTORIAL_SECTION);
            let mut c = cx.base(path, &title);
            c.insert("intro", &intro);
            c.insert("pages", &cx.cards(&site.tutorials)?);
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("levels", &levels(cx, None));
            c.insert("feed_url", &cx.url("/tutorial/atom.xml"));
            cx.render("tutorials.html", path, &c)
        }
        Job::Level(level) => {
            let path = format!("/tutorial/livello/{level}/");
            let list: Vec<usize> = site
                .tutorials
                .iter()
                .copied()
                .filter(|&i| {
                    site.pages[i]
                        .tutorial()
                        .and_then(|t| t.level)
                        .is_some_and(|l| l.as_str() == level)
                })
                .collect();
            let mut c = cx.base(&path, &format!("Tutorial di livello {level}"));
            c.insert("intro", &format!("Le guide di livello {level}."));
            c.insert("pages", &cx.cards(&list)?);
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("levels", &levels(cx, Some(level)));
            c.insert("feed_url", &cx.url("/tutorial/atom.xml"));
            cx.render("tutorials.html", &path, &c)
        }
        Job::DiaryList(n) => {
            let per = site.config.diary_page_size.max(1);
            let total = site.diary.len().div_ceil(per).max(1);
            let path = if n == 1 {
                "/diario/".to_string()
            } else {
                format!("/diario/pagina/{n}/")
            };
            let page_path = |k: usize| {
                if k == 1 {
                    cx.url("/diario/")
                } else {
                    cx.url(&format!("/diario/pagina/{k}/"))
                }
            };
            let (title, intro) = section_text(site, DIARY_SECTION);
            let title = if n == 1 {
                title
            } else {
                format!("{title}, pagina {n} di {total}")
            };
            let mut c = cx.base(&path, &title);
            c.insert("intro", &intro);
            let from = ((n - 1) * per).min(site.diary.len());
            let slice = &site.diary[from..(from + per).min(site.diary.len())];
            c.insert("pages", &cx.cards(slice)?);
            c.insert(
                "pager",
                &Pager {
                    current: n,
                    total,
                    prev: (n > 1).then(|| page_path(n - 1)),
                    next: (n < total).then(|| page_path(n + 1)),
                },
            );
            c.insert("feed_url", &cx.url("/diario/atom.xml"));
            cx.render("diary_list.html", &path, &c)
        }
        Job::Events => {
            let path = "/eventi/";
            let (title, intro) = section_text(site, EVENT_SECTION);
            let mut c = cx.base(path, &title);
            c.insert("intro", &intro);
            let (months, desks) = upcoming_by_month(cx, None)?;
            c.insert("months", &months);
            c.insert("desks", &desks);
            c.insert("municipi", &municipi(cx));
            c.insert("ics_url", &cx.url("/eventi/calendario.ics"));
            c.insert("archive_url", &cx.url("/eventi/archivio/"));
            cx.render("events.html", path, &c)
        }
        Job::Archive => {
            let path = "/eventi/archivio/";
            let mut c = cx.base(path, "Eventi passati");
            // Most recent first, by the end of the last date (a help desk
            // that ran until yesterday comes before yesterday's one-off event).
            let mut past = site.past_events();
            past.sort_by_cached_key(|&i| {
                std::cmp::Reverse(site.occurrences_of(i).map(|o| o.end).max())
            });
            let past: Vec<&PageView> = past.iter().map(|&i| &cx.views[i]).collect();
            c.insert("pages", &past);
            cx.render("events_archive.html", path, &c)
        }
        Job::Municipi => {
            let path = "/municipi/";
            let mut c = cx.base(path, "Municipi");
            c.insert("municipi", &municipi(cx));
            cx.render("municipi.html", path, &c)
        }
        Job::Municipio(n) => {
            let path = format!("/municipi/municipio-{n}/");
            let mut c = cx.base(&path, &format!("Municipio {n}"));
            let (months, desks) = upcoming_by_month(cx, Some(n))?;
            c.insert("number", &n);
            c.insert("months", &months);
            c.insert("desks", &desks);
            let diary: Vec<usize> = site
                .diary
                .iter()
                .copied()
                .filter(|&i| site.pages[i].diary().and_then(|d| d.municipio) == Some(n))
                .collect();
            c.insert("diary", &cx.cards(&diary)?);
            c.insert(
                "ics_url",
                &cx.url(&format!("/municipi/municipio-{n}/calendario.ics")),
            );
            cx.render("municipio.html", &path, &c)
        }
        Job::Terms(kind) => {
            let path = format!("/{}/", kind.base());
            let title = if kind == TermKind::Tag {
                "Argomenti"
            } else {
                "Servizi"
            };
            let mut c = cx.base(&path, title);
            c.insert("terms", &terms(cx, kind));
            c.insert("kind", kind.base());
            cx.render("terms.html", &path, &c)
        }
        Job::Term(kind, slug) => {
            let map = if kind == TermKind::Tag {
                &site.tags
            } else {
                &site.services
            };
            let Some(term) = map.get(&slug) else {
                return Err(Diagnostic::error("content", "internal", "termine mancante"));
            };
            let path = format!("/{}/{slug}/", kind.base());
            let mut c = cx.base(&path, &term.name);
            c.insert("term", &term.name);
            c.insert("kind", kind.base());
            c.insert("pages", &cx.cards(&term.pages)?);
            if kind == TermKind::Service {
                c.insert("booklet_url", &cx.url(&format!("{path}stampa/")));
            }
            cx.render("term.html", &path, &c)
        }
        Job::Booklet(slug) => {
            let Some(term) = site.services.get(&slug) else {
                return Err(Diagnostic::error(
                    "content",
                    "internal",
                    "servizio mancante",
                ));
            };
            let path = format!("/servizi/{slug}/stampa/");
            let mut c = cx.base(&path, &format!("Tutte le guide su {}", term.name));
            let sheets: Vec<serde_json::Value> = term
                .pages
                .iter()
                .filter(|&&i| site.pages[i].kind == Kind::Tutorial)
                .map(|&i| {
                    let v = &cx.views[i];
                    serde_json::json!({
                        "qr": print::qr_svg(&v.abs_url, &format!("Codice QR della guida online: {}", v.abs_url)),
                        "short_url": short(&v.abs_url),
                        "content": site.rendered[i].html,
                        "steps": steps(site, i),
                        "page": v,
                    })
                })
                .collect();
            c.insert("term", &term.name);
            c.insert("sheets", &sheets);
            cx.render("booklet.html", &path, &c)
        }
        Job::Search => {
            let path = "/cerca/";
            let mut c = cx.base(path, "Cerca nel sito");
            c.insert("services", &terms(cx, TermKind::Service));
            c.insert("index_url", &cx.url("/cerca/indice.json"));
            cx.render("search.html", path, &c)
        }
        Job::NotFound => {
            let mut c = cx.base("/404.html", "Pagina non trovata");
            c.insert("breadcrumb", &Vec::<Link>::new());
            cx.render("404.html", "/404.html", &c)
        }
        Job::Alias(from, to) => {
            let from = format!("/{}/", from.trim_matches('/'));
            let mut c = cx.base(&from, "Pagina spostata");
            c.insert("target", &cx.url(&to));
            cx.render("alias.html", &from, &c)
        }
    }
}

fn page(cx: &Ctx, i: usize) -> Result<Output, Diagnostic> {
    let site = cx.site;
    let p = &site.pages[i];
    let r = &site.rendered[i];
    let mut c = cx.base(&p.path, &p.common.title);
    let v = &cx.views[i];
    c.insert("content", &r.html);
    // The code stylesheet is loaded only by pages that show code.
    let has_code = std::iter::once(&r.html)
        .chain(r.steps.iter().map(|s| &s.html))
        .any(|h| h.contains(r#"<pre class="code""#));
    c.insert("has_code", &has_code);
    let template = match p.kind {
        Kind::Tutorial => {
            c.insert("steps", &steps(site, i));
            c.insert("jsonld", &jsonld::to_script(&jsonld::howto(site, i)));
            c.insert("related", &cx.cards(&site.related_tutorials(i, 3))?);
            "tutorial.html"
        }
        Kind::Event => {
            c.insert("jsonld", &jsonld::to_script(&jsonld::event(site, i)));
            c.insert("dates", &upcoming_dates(site, i));
            c.insert("reports", &cx.cards(&site.reports_of[i])?);
            "event.html"
        }
        Kind::Diary => "diary.html",
        Kind::Section => {
            let list = site
                .section_pages
                .get(&p.dir)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            c.insert("pages", &cx.cards(list)?);
            "section.html"
        }
        _ => "page.html",
    };
    c.insert("page", v);
    cx.render(template, &p.path, &c)
}

/// Every date of a repeating event that has not ended at `now` (empty for a
/// one-off event). The page lists them all, so they match the .ics RRULE.
fn upcoming_dates(site: &Site, i: usize) -> Vec<DateView> {
    if site.pages[i]
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

fn steps(site: &Site, i: usize) -> Vec<StepView<'_>> {
    let steps = &site.rendered[i].steps;
    steps
        .iter()
        .enumerate()
        .map(|(n, s)| StepView {
            number: n + 1,
            total: steps.len(),
            title: &s.title,
            id: &s.id,
            html: &s.html,
        })
        .collect()
}

fn section_text(site: &Site, section: &str) -> (String, String) {
    match site.section_index.get(section) {
        Some(&i) => (
            site.pages[i].common.title.clone(),
            site.rendered[i].html.clone(),
        ),
        None => (crate::site::default_section_title(section), String::new()),
    }
}

fn terms(cx: &Ctx, kind: TermKind) -> Vec<TermView> {
    let map = if kind == TermKind::Tag {
        &cx.site.tags
    } else {
        &cx.site.services
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

fn municipi(cx: &Ctx) -> Vec<serde_json::Value> {
    (1..=9)
        .map(|n| {
            let count = cx
                .site
                .upcoming()
                .filter(|o| cx.site.pages[o.page].event().and_then(|e| e.municipio) == Some(n))
                .map(|o| o.page)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            serde_json::json!({"number": n, "url": cx.url(&format!("/municipi/municipio-{n}/")), "upcoming": count})
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
        let Some(e) = site.pages[o.page].event() else {
            continue;
        };
        if municipio.is_some() && e.municipio != municipio {
            continue;
        }
        if e.repeat.is_some() {
            if seen.insert(o.page) {
                desks.push(&cx.views[o.page]);
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

fn origin(base: &str) -> String {
    url::Url::parse(base)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| base.to_string())
}

/// Calendars, feeds, sitemap and robots.txt (the search index is made
/// apart, see [`super::search::input`]).
pub fn render_data_except_search(site: &Site, tera: &Tera) -> Result<Vec<Output>, Diagnostic> {
    let mut out = Vec::new();
    let host = url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "pillole".into());
    let ics_event = |i: usize| -> Option<ical::IcsEvent> {
        let p = &site.pages[i];
        let e = p.event()?;
        let stamp = p
            .last_updated()
            .unwrap_or(e.start.0.date())
            .and_hms_opt(0, 0, 0)?;
        let location = [e.place.clone(), e.address.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        Some(ical::IcsEvent {
            uid: format!("{}@{host}", p.slug),
            summary: p.common.title.clone(),
            description: p.common.summary.clone().unwrap_or_default(),
            location,
            url: site.config.absolute(&p.path),
            start: e.start.0,
            end: e.end.0,
            status: match e.status {
                Status::Cancelled => ical::IcsStatus::Cancelled,
                Status::Postponed => ical::IcsStatus::Tentative,
                _ => ical::IcsStatus::Confirmed,
            },
            repeat: e.repeat.clone(),
            stamp,
        })
    };
    let all: Vec<ical::IcsEvent> = site.events.iter().filter_map(|&i| ics_event(i)).collect();
    for &i in &site.events {
        if let Some(e) = ics_event(i) {
            let path = format!("{}evento.ics", site.pages[i].path.trim_start_matches('/'));
            out.push(Output::bytes(
                path,
                ical::calendar(&site.pages[i].common.title, &[e]),
            ));
        }
    }
    out.push(Output::bytes(
        "eventi/calendario.ics",
        ical::calendar(&format!("Eventi · {}", site.config.title), &all),
    ));
    for n in 1..=9 {
        let list: Vec<ical::IcsEvent> = site
            .events
            .iter()
            .filter(|&&i| site.pages[i].event().and_then(|e| e.municipio) == Some(n))
            .filter_map(|&i| ics_event(i))
            .collect();
        out.push(Output::bytes(
            format!("municipi/municipio-{n}/calendario.ics"),
            ical::calendar(&format!("Municipio {n} · {}", site.config.title), &list),
        ));
    }
    out.extend(render_feeds(site));

    // Sitemap and robots.txt through templates, so a site can change them.
    let prefix = prefix_of(&site.config.base_url);
    let origin = origin(&site.config.base_url);
    let mut urls: Vec<serde_json::Value> = site
        .pages
        .iter()
        .map(|p| serde_json::json!({"loc": format!("{origin}{}", prefixed(&prefix, &p.path)), "lastmod": p.last_updated().map(|d| d.to_string())}))
        .collect();
    for extra in [
        "/tutorial/",
        "/diario/",
        "/eventi/",
        "/municipi/",
        "/cerca/",
    ] {
        if !site.by_path.contains_key(extra) {
            urls.push(serde_json::json!({"loc": format!("{origin}{}", prefixed(&prefix, extra)), "lastmod": null}));
        }
    }
    urls.sort_by(|a, b| a["loc"].as_str().cmp(&b["loc"].as_str()));
    let mut c = Context::new();
    c.insert("urls", &urls);
    c.insert(
        "sitemap_url",
        &format!("{origin}{}", prefixed(&prefix, "/sitemap.xml")),
    );
    out.push(Output::bytes(
        "sitemap.xml",
        tera.render("sitemap.xml", &c)
            .map_err(|e| template_error(&e))?,
    ));
    out.push(Output::bytes(
        "robots.txt",
        tera.render("robots.txt", &c)
            .map_err(|e| template_error(&e))?,
    ));
    Ok(out)
}

/// The Atom feeds of the diary and of the tutorials.
pub fn render_feeds(site: &Site) -> Vec<Output> {
    vec![
        Output::bytes(
            "diario/atom.xml",
            feeds::feed(site, "Diario", "/diario/", "/diario/atom.xml", &site.diary),
        ),
        Output::bytes(
            "tutorial/atom.xml",
            feeds::feed(
                site,
                "Tutorial",
                "/tutorial/",
                "/tutorial/atom.xml",
                &site.tutorials,
            ),
        ),
    ]
}

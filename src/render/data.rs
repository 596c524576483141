//! The data files of a site, one route at a time: iCalendar files (each
//! event, all events, each Municipio), the Atom feeds, the sitemap,
//! robots.txt and the content files copied as they are.

use super::views::prefixed;
use super::{feeds, ical, template_error, Body, Output};
use crate::content::fields::EventState;
use crate::diagnostics::Diagnostic;
use crate::routes::{FeedKind, Route, RouteKind};
use crate::site::Site;
use tera::{Context, Tera};

/// The file of a data route.
pub fn render(site: &Site, tera: &Tera, route: &Route) -> Result<Output, Diagnostic> {
    let file = route.file();
    let bytes = match &route.kind {
        RouteKind::EventCalendar(i) => {
            let events: Vec<ical::IcsEvent> = ics_event(site, *i).into_iter().collect();
            ical::calendar(&site.page(*i).common.title, &events)
        }
        RouteKind::Calendar => {
            let all: Vec<ical::IcsEvent> = site
                .events()
                .iter()
                .filter_map(|&i| ics_event(site, i))
                .collect();
            ical::calendar(&format!("Eventi · {}", site.config.title), &all)
        }
        RouteKind::MunicipioCalendar(n) => {
            let list: Vec<ical::IcsEvent> = site
                .events()
                .iter()
                .filter(|&&i| site.page(i).event().and_then(|e| e.municipio) == Some(*n))
                .filter_map(|&i| ics_event(site, i))
                .collect();
            ical::calendar(&format!("Municipio {n} · {}", site.config.title), &list)
        }
        RouteKind::Feed(FeedKind::Diary) => {
            feeds::feed(site, "Diario", "/diario/", "/diario/atom.xml", site.diary())
        }
        RouteKind::Feed(FeedKind::Tutorials) => feeds::feed(
            site,
            "Tutorial",
            "/tutorial/",
            "/tutorial/atom.xml",
            site.tutorials(),
        ),
        // Sitemap and robots.txt through templates, so a site can change them.
        RouteKind::Sitemap => tera
            .render("sitemap.xml", &sitemap_context(site))
            .map_err(|e| template_error(&e))?,
        RouteKind::Robots => tera
            .render("robots.txt", &sitemap_context(site))
            .map_err(|e| template_error(&e))?,
        RouteKind::ImageVariant(k, width) => {
            return Ok(super::images::variant(&site.assets[*k].abs, *width, file))
        }
        RouteKind::Asset(k) => {
            return Ok(Output {
                path: file,
                body: Body::Copy(site.assets[*k].abs.clone()),
            })
        }
        other => {
            return Err(Diagnostic::error(
                "content",
                "internal",
                format!("{other:?} non è un file di dati"),
            ))
        }
    };
    Ok(Output::bytes(file, bytes))
}

/// An event as the iCalendar writer takes it.
fn ics_event(site: &Site, i: usize) -> Option<ical::IcsEvent> {
    let host = url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "pillole".into());
    let p = site.page(i);
    let e = p.event()?;
    let stamp = p
        .last_updated()
        .unwrap_or(e.start.0.date())
        .and_hms_opt(0, 0, 0)?;
    let location = [e.place_text(), e.address.clone()]
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
        // A date a calendar holds is never "past": the state as if to come.
        status: match e.state(false) {
            EventState::Cancelled => ical::IcsStatus::Cancelled,
            EventState::Postponed => ical::IcsStatus::Tentative,
            _ => ical::IcsStatus::Confirmed,
        },
        repeat: e.repeat.clone(),
        stamp,
    })
}

/// What the sitemap and robots.txt templates get: the addresses of the
/// sitemap's routes, sorted, with the date each last changed.
fn sitemap_context(site: &Site) -> Context {
    let origin = super::origin(&site.config.base_url);
    let mut urls: Vec<serde_json::Value> = crate::routes::in_sitemap(site)
        .map(|r| {
            let lastmod = site
                .page_at(&r.path)
                .and_then(|i| site.page(i).last_updated())
                .map(|d| d.to_string());
            serde_json::json!({"loc": format!("{origin}{}", prefixed(&site.prefix, &r.path)), "lastmod": lastmod})
        })
        .collect();
    urls.sort_by(|a, b| a["loc"].as_str().cmp(&b["loc"].as_str()));
    let mut c = Context::new();
    c.insert("urls", &urls);
    c.insert(
        "sitemap_url",
        &format!("{origin}{}", prefixed(&site.prefix, "/sitemap.xml")),
    );
    c
}

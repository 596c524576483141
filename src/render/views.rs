//! Views: what templates see of the site. Plain serialisable structs made
//! from the graph, with every date already in Italian words and every
//! address already made, so templates only lay things out.

use crate::calendar;
use crate::content::{Kind, Page};
use crate::routes::RouteKind;
use crate::site::{Occurrence, Site};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    /// The host of `base_url` (`example.org`), shown on paper after links.
    pub host: String,
    pub language: String,
    pub menu: Vec<Link>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub feedback_href: String,
    pub accessibility_url: String,
    pub organisers: Vec<String>,
    /// Addresses are written under this prefix (the path of base_url).
    pub prefix: String,
}

impl SiteView {
    pub fn new(site: &Site) -> Self {
        let c = &site.config;
        let prefix = site.prefix.clone();
        let menu = if c.menu.is_empty() {
            vec![
                Link {
                    name: "Tutorial".into(),
                    url: "/tutorial/".into(),
                },
                Link {
                    name: "Diario".into(),
                    url: "/diario/".into(),
                },
                Link {
                    name: "Eventi".into(),
                    url: "/eventi/".into(),
                },
            ]
        } else {
            c.menu
                .iter()
                .map(|m| Link {
                    name: m.name.clone(),
                    url: m.url.clone(),
                })
                .collect()
        };
        let menu = menu
            .into_iter()
            .map(|m| Link {
                url: prefixed(&prefix, &m.url),
                name: m.name,
            })
            .collect();
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base().to_string(),
            host: c.base().split('/').nth(2).unwrap_or_default().to_string(),
            language: c.language.clone(),
            menu,
            email: c.contacts.email.clone(),
            phone: c.contacts.phone.clone(),
            address: c.contacts.address.clone(),
            feedback_href: c.feedback.href().unwrap_or_default(),
            accessibility_url: prefixed(
                &prefix,
                c.accessibility_url.as_deref().unwrap_or("/accessibilita/"),
            ),
            organisers: c.organisers.clone(),
            prefix,
        }
    }
}

/// A site path under the prefix; absolute URLs are left alone.
pub fn prefixed(prefix: &str, path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") {
        format!("{prefix}{path}")
    } else {
        path.to_string()
    }
}

/// A page as a card or as the page itself.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PageView {
    pub url: String,
    pub abs_url: String,
    pub kind: String,
    pub title: String,
    pub summary: Option<String>,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    pub updated_iso: Option<String>,
    pub updated_text: Option<String>,
    pub tags: Vec<Link>,
    // Tutorial
    pub level: Option<String>,
    pub duration: Option<String>,
    pub needs: Vec<String>,
    pub services: Vec<Link>,
    pub featured: bool,
    /// A draft, shown only when a build asks for drafts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    pub print_url: Option<String>,
    pub video: Option<VideoView>,
    // Diary entry and event
    pub place: Option<String>,
    pub municipio: Option<i64>,
    pub municipio_url: Option<String>,
    pub event: Option<Link>,
    // Event
    pub when_text: Option<String>,
    pub start_iso: Option<String>,
    pub end_iso: Option<String>,
    /// Its state today ([`crate::content::fields::EventState`]):
    /// `scheduled`, `full`, `cancelled`, `postponed`, `rescheduled`, `past`.
    pub status: Option<String>,
    pub status_label: Option<String>,
    /// Whether people can still come (booking and "add to calendar" shown).
    pub takes_place: bool,
    /// A postponed event's old date, shown struck out.
    pub previous_when_text: Option<String>,
    /// A cancelled event's replacement.
    pub replaced_by: Option<Link>,
    pub address: Option<String>,
    pub map_url: Option<String>,
    pub booking: Option<crate::content::fields::Booking>,
    pub repeat_text: Option<String>,
    /// The rule in a few words ("Ogni martedì, 9:30–12:30").
    pub repeat_short: Option<String>,
    pub ics_url: Option<String>,
    pub poster_url: Option<String>,
    pub is_past: bool,
    pub next_dates: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VideoView {
    pub src: String,
    pub captions: Option<String>,
    pub poster: Option<String>,
    pub transcript: Option<String>,
}

impl PageView {
    pub fn new(site: &Site, i: usize) -> Self {
        let p = site.page(i);
        let prefix = site.prefix.clone();
        let url = prefixed(&prefix, &p.path);
        let date = p.common.date.map(|d| d.0);
        let updated = p.last_updated();
        let mut v = PageView {
            abs_url: site.config.absolute(&p.path),
            kind: kind_name(p.kind).into(),
            title: p.common.title.clone(),
            summary: p.common.summary.clone(),
            draft: p.common.draft,
            date_iso: date.map(|d| d.to_string()),
            date_text: date.map(calendar::date_short_it),
            updated_iso: updated.map(|d| d.to_string()),
            updated_text: updated.map(calendar::date_short_it),
            tags: term_links(&prefix, "tag", &p.common.tags),
            url,
            ..Default::default()
        };
        if let Some(t) = p.tutorial() {
            v.level = t.level.map(|l| l.as_str().to_string());
            v.duration = t.duration.clone();
            v.needs = t.needs.clone();
            v.services = term_links(&prefix, "servizi", &t.services);
            v.featured = t.featured;
            v.print_url = Some(format!("{}stampa/", v.url));
            v.video = t.video.as_ref().map(|vid| VideoView {
                src: asset_url(site, p, &vid.src),
                captions: vid.captions.as_ref().map(|c| asset_url(site, p, c)),
                poster: vid.poster.as_ref().map(|c| asset_url(site, p, c)),
                transcript: vid.transcript.clone(),
            });
        }
        if let Some(d) = p.diary() {
            v.place = d.place.clone();
            v.municipio = d.municipio;
            v.event = site.diary_event(p).map(|e| Link {
                name: site.page(e).common.title.clone(),
                url: prefixed(&prefix, &site.page(e).path),
            });
        }
        if let Some(e) = p.event() {
            v.place = e.place_text();
            v.municipio = e.municipio;
            v.address = e.address.clone();
            v.map_url = map_url(e.place.as_deref(), e.address.as_deref());
            v.booking = e.booking.clone();
            v.ics_url = Some(format!("{}evento.ics", v.url));
            v.poster_url = Some(format!("{}locandina/", v.url));
            v.repeat_text = e
                .repeat
                .as_ref()
                .map(|r| calendar::repeat_rule_it(e.start.0, e.end.0, r));
            v.repeat_short = e
                .repeat
                .as_ref()
                .map(|r| calendar::repeat_short_it(e.start.0, e.end.0, r));
            let next = site.next_occurrence(i);
            let shown = next
                .map(|o| (o.start, o.end))
                .unwrap_or((e.start.0, e.end.0));
            v.when_text = Some(calendar::span_it(shown.0, shown.1));
            v.start_iso = Some(calendar::rfc3339_rome(shown.0));
            v.end_iso = Some(calendar::rfc3339_rome(shown.1));
            v.is_past = next.is_none();
            let state = e.state(v.is_past);
            v.status = Some(state.as_str().into());
            v.status_label = Some(state.label().into());
            v.takes_place = state.takes_place();
            v.previous_when_text = e
                .previous_start
                .map(|old| calendar::span_it(old.0, old.0 + (e.end.0 - e.start.0)));
            v.replaced_by = e
                .replaced_by
                .as_deref()
                .and_then(|name| site.event_named(name))
                .map(|r| Link {
                    name: site.page(r).common.title.clone(),
                    url: prefixed(&prefix, &site.page(r).path),
                });
            if e.repeat.is_some() {
                v.next_dates = site
                    .upcoming_of(i)
                    .take(4)
                    .map(|o| calendar::date_it(o.start.date()))
                    .collect();
            }
        }
        if let Some(m) = v.municipio {
            v.municipio_url = Some(prefixed(&prefix, &format!("/municipi/municipio-{m}/")));
        }
        v
    }

    /// The same page seen at one of its occurrences.
    pub fn at(mut self, o: &Occurrence) -> Self {
        self.when_text = Some(calendar::span_it(o.start, o.end));
        self.start_iso = Some(calendar::rfc3339_rome(o.start));
        self.end_iso = Some(calendar::rfc3339_rome(o.end));
        self
    }
}

pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Home => "home",
        Kind::Section => "section",
        Kind::Page => "page",
        Kind::Tutorial => "tutorial",
        Kind::Diary => "diary",
        Kind::Event => "event",
    }
}

fn term_links(prefix: &str, base: &str, names: &[String]) -> Vec<Link> {
    names
        .iter()
        .filter_map(|n| {
            let slug = crate::content::slug::slugify(n, "");
            (!slug.is_empty()).then(|| Link {
                name: n.trim().to_string(),
                url: format!("{prefix}/{base}/{slug}/"),
            })
        })
        .collect()
}

/// Address of a file named in front matter, relative to the page's folder.
fn asset_url(site: &Site, p: &Page, name: &str) -> String {
    if name.contains("://") || name.starts_with('/') {
        return name.to_string();
    }
    let prefix = site.prefix.clone();
    crate::content::markdown::normalize(&p.dir, name)
        .and_then(|rel| site.content_address(&rel).map(str::to_string))
        .map(|path| prefixed(&prefix, &path))
        .unwrap_or_else(|| format!("{}{}", prefixed(&prefix, &p.path), name))
}

/// A search on OpenStreetMap for a place: a plain link, no embedded map.
pub fn map_url(place: Option<&str>, address: Option<&str>) -> Option<String> {
    let query = address.or(place)?;
    let query: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    Some(format!(
        "https://www.openstreetmap.org/search?query={query}"
    ))
}

/// Whether a route is the list page of a section made without a source
/// file (it names a step of the breadcrumb trail).
fn is_section_list(kind: &RouteKind) -> bool {
    matches!(
        kind,
        RouteKind::TutorialList(1)
            | RouteKind::DiaryList(1)
            | RouteKind::Events
            | RouteKind::Municipi
            | RouteKind::Terms(_)
            | RouteKind::Search
            | RouteKind::FolderList(_)
    )
}

/// Breadcrumb trail above a page (the home is not in its own trail).
pub fn breadcrumb(site: &Site, path: &str, title: &str) -> Vec<Link> {
    let prefix = site.prefix.clone();
    let mut trail = vec![Link {
        name: "Home".into(),
        url: prefixed(&prefix, "/"),
    }];
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut acc = String::from("/");
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        acc.push_str(part);
        acc.push('/');
        let name = match site.page_at(&acc) {
            Some(i) => site.page(i).common.title.clone(),
            None if site
                .route_at(&acc)
                .is_some_and(|r| is_section_list(&r.kind)) =>
            {
                crate::site::default_section_title(part)
            }
            None => continue,
        };
        trail.push(Link {
            name,
            url: prefixed(&prefix, &acc),
        });
    }
    trail.push(Link {
        name: title.to_string(),
        url: prefixed(&prefix, path),
    });
    trail
}

//! Atom feeds (RFC 4287) for the diary and for new tutorials, written with
//! the atom_syndication crate. Ids are the pages' absolute addresses, so
//! they stay the same across builds; dates come from the content only.

use crate::site::Site;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone};

const MAX_ENTRIES: usize = 30;

fn instant(d: NaiveDate) -> FixedDateTime {
    let utc = chrono::FixedOffset::east_opt(0).expect("zero offset is valid");
    utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel.to_string());
    l.set_mime_type(mime.map(str::to_string));
    l
}

/// A feed of `pages` (already in the order to show), at `feed_path`, for
/// the list page at `list_path`.
pub fn feed(site: &Site, title: &str, list_path: &str, feed_path: &str, pages: &[usize]) -> String {
    let c = &site.config;
    let mut entries = Vec::new();
    for &i in pages.iter().take(MAX_ENTRIES) {
        let p = site.page(i);
        let url = c.absolute(&p.path);
        let updated = p
            .last_updated()
            .map(instant)
            .unwrap_or_else(|| instant(undated(site, pages)));
        let mut e = Entry::default();
        e.set_title(Text::plain(p.common.title.clone()));
        e.set_id(url.clone());
        e.set_updated(updated);
        e.set_published(p.common.date.map(|d| instant(d.0)));
        e.set_links(vec![link(url.clone(), "alternate", Some("text/html"))]);
        if let Some(s) = &p.common.summary {
            e.set_summary(Some(Text::plain(s.clone())));
        }
        let body = super::body::html(site, i);
        let mut html = body.intro;
        for (s, step) in site.analysis_of(i).steps.iter().zip(&body.steps) {
            html.push_str(&format!(
                "<h2>{}</h2>{}",
                super::escape::text(&s.title),
                step
            ));
        }
        let mut content = Content::default();
        content.set_content_type(Some("html".to_string()));
        content.set_value(Some(absolutize(&html, c.base())));
        e.set_content(Some(content));
        entries.push(e);
    }
    let updated = entries
        .iter()
        .map(|e| *e.updated())
        .max()
        .unwrap_or_else(|| instant(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")));
    let mut f = Feed::default();
    f.set_title(Text::plain(format!("{title} · {}", c.title)));
    f.set_id(c.absolute(list_path));
    f.set_updated(updated);
    f.set_lang(Some(c.language.clone()));
    f.set_links(vec![
        link(c.absolute(list_path), "alternate", Some("text/html")),
        link(c.absolute(feed_path), "self", Some("application/atom+xml")),
    ]);
    let author = c
        .organisers
        .first()
        .cloned()
        .unwrap_or_else(|| c.title.clone());
    let mut person = Person::default();
    person.set_name(author);
    f.set_authors(vec![person]);
    f.set_entries(entries);
    f.to_string()
}

/// The date given to an entry with no date of its own: the newest date of
/// the feed's pages, so the feed stays the same from one build to the next.
fn undated(site: &Site, pages: &[usize]) -> NaiveDate {
    pages
        .iter()
        .filter_map(|&i| site.page(i).last_updated())
        .max()
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date"))
}

/// Makes root-relative `href`/`src` absolute, as feed readers need. `base` is
/// base_url without its trailing slash; a site path already under its path
/// (`/giro/x/` for `https://host/giro`) keeps it, any other gets it added.
fn absolutize(html: &str, base: &str) -> String {
    let (origin, prefix) = match url::Url::parse(base) {
        Ok(u) => (
            u.origin().ascii_serialization(),
            u.path().trim_end_matches('/').to_string(),
        ),
        Err(_) => (base.to_string(), String::new()),
    };
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = ["href=\"/", "src=\"/"]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| (i, a.len() - 1)))
            .min();
        let Some((at, attr_len)) = next else {
            out.push_str(rest);
            return out;
        };
        let (head, tail) = rest.split_at(at + attr_len);
        out.push_str(head);
        // `tail` starts with the path's "/"; "//host" is already absolute.
        if tail.starts_with("//") {
            rest = tail;
            continue;
        }
        out.push_str(&origin);
        let under_prefix = !prefix.is_empty()
            && tail.starts_with(prefix.as_str())
            && tail[prefix.len()..].starts_with(['/', '"', '#', '?']);
        if !under_prefix {
            out.push_str(&prefix);
        }
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::absolutize;

    #[test]
    fn root_relative_links_become_absolute_under_base_url() {
        let html = r#"<a href="/eventi/x/">x</a><img src="/giro/diario/f.svg" alt="f"><a href="//cdn.example/y">y</a><a href="https://a.example/">a</a><a href="/giro">g</a>"#;
        assert_eq!(
            absolutize(html, "https://h.example/giro"),
            r#"<a href="https://h.example/giro/eventi/x/">x</a><img src="https://h.example/giro/diario/f.svg" alt="f"><a href="//cdn.example/y">y</a><a href="https://a.example/">a</a><a href="https://h.example/giro">g</a>"#
        );
        assert_eq!(
            absolutize(r#"<a href="/giro-2/">x</a>"#, "https://h.example/giro"),
            r#"<a href="https://h.example/giro/giro-2/">x</a>"#
        );
        assert_eq!(
            absolutize(r#"<a href="/x/">x</a>"#, "https://h.example"),
            r#"<a href="https://h.example/x/">x</a>"#
        );
    }
}

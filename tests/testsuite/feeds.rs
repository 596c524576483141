//! Diary, feeds and tutorial structured data end to end: the real binary
//! builds `tests/fixtures/diary-basic` (base_url under a path,
//! `https://diario.example.org/giro/`, and diary_page_size 2) and the Atom
//! feeds are read back with feed-rs, the JSON-LD with serde_json.
//!
//! The fixture has five diary entries (14 March to 26 September 2026), one
//! event, and three tutorials (20 January, 10 February updated 1 May, 1 March).

use crate::util::{Built, Site};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::fs;

const BASE: &str = "https://diario.example.org/giro/";
const PREFIX: &str = "/giro";

// ---------------------------------------------------------------- helpers

/// A fresh copy of the fixture in a temporary folder.
fn fixture() -> Site {
    Site::fixture("diary-basic")
}

fn site(now: &str) -> (Site, Built) {
    let s = fixture();
    let b = s.built(now, "public");
    (s, b)
}

/// Undoes HTML escaping (named and numeric entities).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&e| e < 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Values of one attribute (`href`, `src`) in a fragment, unescaped.
fn attrs(html: &str, name: &str) -> Vec<String> {
    html.split(&format!(" {name}=\""))
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').unwrap()]))
        .collect()
}

fn hrefs(html: &str) -> Vec<String> {
    attrs(html, "href")
}

fn jsonld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD script") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

/// Diary entry addresses linked from a page's `<main>`, in order.
fn diary_links(html: &str) -> Vec<String> {
    let list = format!("{PREFIX}/diario/");
    let mut out: Vec<String> = hrefs(main_of(html))
        .into_iter()
        .filter(|h| {
            h.starts_with(&list) && h != &list && !h.contains("/pagina/") && !h.ends_with(".xml")
        })
        .collect();
    out.dedup();
    out
}

fn parse_feed(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).expect("the Atom feed parses")
}

fn title(e: &feed_rs::model::Entry) -> String {
    e.title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

fn day(s: &str) -> DateTime<Utc> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

// ------------------------------------------------------------------ Atom

#[test]
fn diary_feed_parses_with_entries_newest_first() {
    let (_s, b) = site("2026-11-23T10:00");
    let xml = b.read("diario/atom.xml");
    let feed = parse_feed(&xml);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.id, format!("{BASE}diario/"));
    assert!(feed.title.unwrap().content.contains("Diario"));
    assert_eq!(feed.updated, Some(day("2026-09-26")));
    let self_link = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .expect("a self link");
    assert_eq!(self_link.href, format!("{BASE}diario/atom.xml"));
    assert!(!feed.authors.is_empty(), "RFC 4287: a feed has an author");

    let titles: Vec<String> = feed.entries.iter().map(title).collect();
    assert_eq!(
        titles,
        [
            "Tappa 5: caccia alla truffa al Lorenteggio",
            "Tappa 4: la CIE a Lambrate",
            "Tappa 3: la TARI alla Chiesa Rossa",
            "Tappa 2: piccoli gruppi a Calvairate",
            "Tappa 1: si parte dalla Sormani",
        ]
    );
    let updated: Vec<DateTime<Utc>> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(updated.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(updated[0], day("2026-09-26"));
    assert_eq!(updated[4], day("2026-03-14"));
    // `updated` is really in the XML (RFC 4287 requires it), once per entry and once for the feed.
    assert_eq!(xml.matches("<updated>").count(), feed.entries.len() + 1);
    for e in &feed.entries {
        assert!(e.id.starts_with(BASE), "{}", e.id);
        let alternate = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().unwrap_or("alternate") == "alternate")
            .expect("an alternate link");
        assert!(alternate.href.starts_with(BASE), "{}", alternate.href);
        assert_eq!(alternate.href, e.id);
        assert!(e.published.is_some());
        let rel = &alternate.href[BASE.len() - 1..];
        let file = format!("{}index.html", rel.trim_start_matches('/'));
        assert!(b.exists(&file), "{file} exists");
    }
    // Links and images inside the content are absolute, under base_url.
    let bodies: String = feed
        .entries
        .iter()
        .filter_map(|e| e.content.as_ref()?.body.clone())
        .collect();
    let links: Vec<String> = attrs(&bodies, "href")
        .into_iter()
        .chain(attrs(&bodies, "src"))
        .collect();
    assert!(
        links.contains(&format!("{BASE}tutorial/paga-avviso/")),
        "{links:?}"
    );
    assert!(
        links.contains(&format!("{BASE}diario/tappa-calvairate/foto.svg")),
        "{links:?}"
    );
    assert!(links.iter().all(|l| l.starts_with(BASE)), "{links:?}");
}

#[test]
fn tutorial_feed_parses_newest_first() {
    let (_s, b) = site("2026-11-23T10:00");
    let feed = parse_feed(&b.read("tutorial/atom.xml"));
    assert_eq!(feed.id, format!("{BASE}tutorial/"));
    let titles: Vec<String> = feed.entries.iter().map(title).collect();
    assert_eq!(
        titles,
        ["Paga un avviso pagoPA", "Attiva lo SPID", "Usa la CIE"]
    );
    let published: Vec<DateTime<Utc>> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert_eq!(
        published,
        [day("2026-03-01"), day("2026-02-10"), day("2026-01-20")]
    );
    let updated: Vec<DateTime<Utc>> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert_eq!(
        updated,
        [day("2026-03-01"), day("2026-05-01"), day("2026-01-20")]
    );
    assert_eq!(feed.updated, Some(day("2026-05-01")), "the latest change");
    for e in &feed.entries {
        assert!(e.links.iter().all(|l| l.href.starts_with(BASE)));
        assert!(e.id.starts_with(&format!("{BASE}tutorial/")));
    }
    // The steps are in the content.
    let spid = &feed.entries[1];
    let body = spid.content.as_ref().unwrap().body.clone().unwrap();
    assert!(text(&body).contains("Scegli il gestore"), "{body}");
    // The tutorial list announces its feed.
    let list = b.read("tutorial/index.html");
    assert!(hrefs(&list).contains(&format!("{PREFIX}/tutorial/atom.xml")));
}

#[test]
fn feeds_are_stable_across_builds() {
    let s = fixture();
    let a = s.built("2026-11-23T10:00", "a");
    let b = s.built("2027-02-01T18:30", "b");
    for rel in ["diario/atom.xml", "tutorial/atom.xml"] {
        let (fa, fb) = (a.read(rel), b.read(rel));
        assert_eq!(fa, fb, "{rel} is byte-identical");
        let (pa, pb) = (parse_feed(&fa), parse_feed(&fb));
        assert_eq!(pa.id, pb.id);
        let ids =
            |f: &feed_rs::model::Feed| f.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&pa), ids(&pb), "{rel}");
        let mut unique = ids(&pa);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), pa.entries.len(), "{rel}: ids are unique");
    }
}

// ----------------------------------------------------------------- diary

#[test]
fn diary_is_newest_first_and_paginated() {
    let (_s, b) = site("2026-11-23T10:00");
    let d = |slug: &str| format!("{PREFIX}/diario/{slug}/");
    let first = b.read("diario/index.html");
    assert_eq!(
        diary_links(&first),
        [d("tappa-lorenteggio"), d("tappa-lambrate")]
    );
    let second = b.read("diario/pagina/2/index.html");
    assert_eq!(
        diary_links(&second),
        [d("tappa-chiesa-rossa"), d("tappa-calvairate")]
    );
    let third = b.read("diario/pagina/3/index.html");
    assert_eq!(diary_links(&third), [d("tappa-sormani")]);
    assert!(!b.exists("diario/pagina/4/index.html"));
    assert!(
        !b.exists("diario/pagina/1/index.html"),
        "page 1 is /diario/"
    );

    // Next and previous links.
    let rel_link = |html: &str, rel: &str| -> Option<String> {
        let at = html.find(&format!("rel=\"{rel}\""))?;
        let start = html[..at].rfind("<a ")?;
        hrefs(&html[start..at]).into_iter().next()
    };
    assert_eq!(
        rel_link(&first, "next"),
        Some(format!("{PREFIX}/diario/pagina/2/"))
    );
    assert_eq!(rel_link(&first, "prev"), None);
    assert_eq!(rel_link(&second, "prev"), Some(format!("{PREFIX}/diario/")));
    assert_eq!(
        rel_link(&second, "next"),
        Some(format!("{PREFIX}/diario/pagina/3/"))
    );
    assert_eq!(rel_link(&third, "next"), None);
    assert!(text(main_of(&second)).contains("Pagina 2 di 3"));
    // Cards carry the date in Italian words, the place and the Municipio.
    let t = text(main_of(&first));
    assert!(t.contains("26 settembre 2026"), "{t}");
    assert!(t.contains("Biblioteca Lorenteggio"), "{t}");
    assert!(t.contains("Municipio 6"), "{t}");
}

#[test]
fn diary_entry_page_has_date_place_municipio_event_and_photo() {
    let (_s, b) = site("2026-11-23T10:00");
    let html = b.read("diario/tappa-sormani/index.html");
    let main = main_of(&html);
    let t = text(main);
    assert!(t.contains("14 marzo 2026"), "{t}");
    assert!(main.contains("<time datetime=\"2026-03-14\">"), "{main}");
    assert!(t.contains("Biblioteca Sormani"));
    let links = hrefs(main);
    assert!(
        links.contains(&format!("{PREFIX}/municipi/municipio-1/")),
        "{links:?}"
    );
    assert!(
        links.contains(&format!("{PREFIX}/eventi/incontro-sormani/")),
        "{links:?}"
    );
    // The event page links back to the report.
    let event = b.read("eventi/incontro-sormani/index.html");
    assert!(hrefs(main_of(&event)).contains(&format!("{PREFIX}/diario/tappa-sormani/")));
    // The Municipio page lists the entry.
    let m1 = b.read("municipi/municipio-1/index.html");
    assert!(diary_links(&m1).contains(&format!("{PREFIX}/diario/tappa-sormani/")));
    // Photos keep their alt text.
    let photo = b.read("diario/tappa-calvairate/index.html");
    assert!(
        photo.contains("alt=\"Due volontari e una signora al tavolo con un computer.\""),
        "{photo}"
    );
    assert!(b.exists("diario/tappa-calvairate/foto.svg"));
}

// ------------------------------------------------------- tutorial JSON-LD

#[test]
fn howto_steps_match_the_visible_step_headings() {
    let (_s, b) = site("2026-11-23T10:00");
    for (slug, count) in [("attiva-spid", 4), ("usa-cie", 2), ("paga-avviso", 2)] {
        let html = b.read(&format!("tutorial/{slug}/index.html"));
        let main = main_of(&html);
        // "Passo N di M" headings, in order, with their names.
        let visible: Vec<(String, String)> = main
            .split("<h2")
            .skip(1)
            .map(|h| text(&h[h.find('>').unwrap() + 1..h.find("</h2>").unwrap()]))
            .filter_map(|h| {
                let rest = h.strip_prefix("Passo ")?;
                let (counter, name) = rest.split_once(' ').and_then(|(n, r)| {
                    let (m, name) = r.strip_prefix("di ")?.split_once(' ')?;
                    Some((format!("{n} di {m}"), name.to_string()))
                })?;
                Some((counter, name))
            })
            .collect();
        assert_eq!(visible.len(), count, "{slug}: {visible:?}");
        for (i, (counter, _)) in visible.iter().enumerate() {
            assert_eq!(counter, &format!("{} di {count}", i + 1), "{slug}");
        }
        let ld = jsonld(&html);
        assert_eq!(ld["@type"], "HowTo", "{slug}");
        let steps = ld["step"].as_array().expect("steps");
        assert_eq!(steps.len(), visible.len(), "{slug}");
        for (n, (s, (_, name))) in steps.iter().zip(&visible).enumerate() {
            assert_eq!(s["@type"], "HowToStep");
            assert_eq!(s["position"], n + 1);
            assert_eq!(s["name"].as_str().unwrap(), name, "{slug} step {}", n + 1);
            assert!(s["url"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{BASE}tutorial/{slug}/#")));
        }
    }
    // Names with an apostrophe survive both sides.
    let ld = jsonld(&b.read("tutorial/attiva-spid/index.html"));
    assert_eq!(ld["step"][3]["name"], "Entra con l’app");
}

// ---------------------------------------------------------------- errors

fn build_error(rel: &str, body: &str) -> String {
    let s = fixture();
    s.write(rel, body);
    s.build_error("2026-11-23T10:00")
}

#[test]
fn error_diary_entry_names_a_missing_event() {
    let err = build_error(
        "content/diario/tappa-nuova.md",
        "---\ntitle: \"Tappa nuova\"\ndate: 2026-10-10\nplace: \"Biblioteca\"\nevent: incontro-che-non-esiste\n---\n\nTesto.\n",
    );
    assert!(err.contains("content/diario/tappa-nuova.md:5:"), "{err}");
    assert!(err.contains("incontro-che-non-esiste"), "{err}");
    assert!(err.contains("event-missing"), "{err}");
}

#[test]
fn error_diary_photo_without_alt_text() {
    let s = fixture();
    s.write(
        "content/diario/tappa-nuova/index.md",
        "---\ntitle: \"Tappa nuova\"\ndate: 2026-10-10\nplace: \"Biblioteca\"\n---\n\nTesto.\n\n![](foto.svg)\n",
    );
    fs::copy(
        s.path("content/diario/tappa-calvairate/foto.svg"),
        s.path("content/diario/tappa-nuova/foto.svg"),
    )
    .unwrap();
    let err = s.build_error("2026-11-23T10:00");
    assert!(
        err.contains("content/diario/tappa-nuova/index.md:9:"),
        "{err}"
    );
    assert!(err.contains("image-alt"), "{err}");
    assert!(!err.contains("image-missing"), "the photo exists: {err}");
}

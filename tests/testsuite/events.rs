//! Events end to end: the real binary builds `tests/fixtures/events-basic`
//! with a pinned `--now`, and its outputs are read back with real parsers
//! (`ical` for .ics, `rrule` to expand recurrences, serde_json for JSON-LD).
//!
//! The fixture has seven events: a winter one (21 March 2026), a summer one
//! (18 April 2026), a Tuesday help desk from 10 March to 28 April 2026 that
//! crosses the spring change and skips 7 April, and four in December 2026 /
//! January 2027 (postponed, cancelled, full, scheduled). Municipi 5, 6 and 8
//! have none.

use crate::util::{Built, Site};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::BufReader;

const HOST: &str = "eventi.example.org";

// ---------------------------------------------------------------- helpers

/// A fresh copy of the fixture in a temporary folder.
fn fixture() -> Site {
    Site::fixture("events-basic")
}

/// Every .ics file of the output, by relative path.
fn calendars(built: &Built) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(&built.dir) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "ics") {
            let rel = e.path().strip_prefix(&built.dir).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                fs::read(e.path()).unwrap(),
            );
        }
    }
    out
}

fn site(now: &str) -> (Site, Built) {
    let s = fixture();
    let b = s.built(now, "public");
    (s, b)
}

/// Undoes the HTML escaping of Tera and of the Markdown renderer.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                u32::from_str_radix(&entity[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
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

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

/// Visible text: tags dropped, entities undone, spaces collapsed.
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

/// Every `href` in a fragment, unescaped, in order.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').unwrap()]))
        .collect()
}

/// The fragment from the element with `id` to the end of its `</section>`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no id {id}"));
    let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

/// The `<time datetime>` values and texts inside the first `<ul class="CLASS">`.
fn listed_times(html: &str, class: &str) -> Vec<(String, String)> {
    let at = html
        .find(&format!("<ul class=\"{class}\""))
        .unwrap_or_else(|| panic!("no list {class}"));
    let list = &html[at..at + html[at..].find("</ul>").unwrap()];
    list.split("<time datetime=\"")
        .skip(1)
        .map(|s| {
            let iso = unescape(&s[..s.find('"').unwrap()]);
            let inner = &s[s.find('>').unwrap() + 1..s.find("</time>").unwrap()];
            (iso, text(inner))
        })
        .collect()
}

fn jsonld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD script") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

fn page_url(slug: &str) -> String {
    format!("/eventi/{slug}/")
}

// ------------------------------------------------------------- iCalendar

fn parse_ics(bytes: &[u8]) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(bytes));
    let cal = parser
        .next()
        .expect("one VCALENDAR")
        .expect("the .ics parses");
    assert!(parser.next().is_none(), "exactly one VCALENDAR");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    props
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {props:?}"))
}

fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    prop(props, name).value.as_deref().unwrap_or("")
}

fn param(p: &Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.join(","))
}

fn uids(cal: &IcalCalendar) -> BTreeSet<String> {
    cal.events
        .iter()
        .map(|e| value(&e.properties, "UID").to_string())
        .collect()
}

fn uid(slug: &str) -> String {
    format!("{slug}@{HOST}")
}

/// A local `YYYYMMDDTHHMMSS` with `TZID=Europe/Rome`, as a UTC instant.
fn instant(p: &Property) -> DateTime<Utc> {
    assert_eq!(param(p, "TZID").as_deref(), Some("Europe/Rome"), "{p:?}");
    let v = p.value.as_deref().unwrap();
    let local = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").unwrap();
    Rome.from_local_datetime(&local)
        .single()
        .expect("one instant")
        .with_timezone(&Utc)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Expands an event's DTSTART/RRULE/RDATE/EXDATE with the `rrule` crate.
fn expand(ev: &IcalEvent) -> Vec<DateTime<Utc>> {
    let mut spec = Vec::new();
    for name in ["DTSTART", "RRULE", "RDATE", "EXDATE"] {
        for p in ev.properties.iter().filter(|p| p.name == name) {
            let v = p.value.clone().unwrap();
            spec.push(match param(p, "TZID") {
                Some(z) => format!("{name};TZID={z}:{v}"),
                None => format!("{name}:{v}"),
            });
        }
    }
    let set: rrule::RRuleSet = spec
        .join("\n")
        .parse()
        .unwrap_or_else(|e| panic!("{e}: {spec:?}"));
    let result = set.all(1000);
    assert!(!result.limited);
    result.dates.iter().map(|t| t.with_timezone(&Utc)).collect()
}

/// The first onset in `year` of a VTIMEZONE STANDARD or DAYLIGHT block, as a
/// UTC instant, computed from the block alone (its DTSTART, RRULE and TZOFFSETFROM).
fn onset(props: &[Property], year: i32) -> DateTime<Utc> {
    let spec = format!(
        "DTSTART:{}\nRRULE:{}",
        value(props, "DTSTART"),
        value(props, "RRULE")
    );
    let set: rrule::RRuleSet = spec.parse().unwrap();
    let local = set
        .all(200)
        .dates
        .iter()
        .map(|d| d.naive_local())
        .find(|d| chrono::Datelike::year(d) == year)
        .expect("an onset that year");
    local_with_offset(local, value(props, "TZOFFSETFROM"))
}

/// `+0100` style offset applied to a local time.
fn local_with_offset(local: NaiveDateTime, offset: &str) -> DateTime<Utc> {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let h: i32 = offset[1..3].parse().unwrap();
    let m: i32 = offset[3..5].parse().unwrap();
    let fixed = chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60)).unwrap();
    fixed
        .from_local_datetime(&local)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn ics_instants_on_both_sides_of_the_spring_change() {
    let (_s, b) = site("2026-03-01T08:00");
    let march = parse_ics(&b.bytes("eventi/spid-marzo/evento.ics"));
    let april = parse_ics(&b.bytes("eventi/cie-aprile/evento.ics"));
    for cal in [&march, &april] {
        assert_eq!(value(&cal.properties, "VERSION"), "2.0");
        assert_eq!(cal.timezones.len(), 1, "one VTIMEZONE");
        assert_eq!(
            value(&cal.timezones[0].properties, "TZID"),
            "Europe/Rome",
            "the VTIMEZONE is the TZID used"
        );
        assert_eq!(cal.events.len(), 1);
        let ev = &cal.events[0].properties;
        assert!(value(ev, "DTSTAMP").ends_with('Z'), "DTSTAMP in UTC");
    }
    // chrono-tz: 9:30 in March is 8:30 UTC (+01:00), 10:00 in April is 8:00 UTC (+02:00).
    let ev = &march.events[0].properties;
    assert_eq!(value(ev, "DTSTART"), "20260321T093000");
    assert_eq!(instant(prop(ev, "DTSTART")), utc("2026-03-21T08:30:00Z"));
    assert_eq!(instant(prop(ev, "DTEND")), utc("2026-03-21T11:30:00Z"));
    let ev = &april.events[0].properties;
    assert_eq!(value(ev, "DTSTART"), "20260418T100000");
    assert_eq!(instant(prop(ev, "DTSTART")), utc("2026-04-18T08:00:00Z"));
    assert_eq!(instant(prop(ev, "DTEND")), utc("2026-04-18T10:30:00Z"));

    // The VTIMEZONE alone gives the same offsets: its 2026 onsets are chrono-tz's
    // (29 March and 25 October, 01:00 UTC), +01:00 before and +02:00 after.
    let tz = &march.timezones[0];
    let block = |kind: &str| {
        tz.transitions
            .iter()
            .find(|t| format!("{:?}", t.transition) == kind)
            .unwrap_or_else(|| panic!("no {kind}"))
    };
    let (std, dst) = (block("STANDARD"), block("DAYLIGHT"));
    assert_eq!(value(&std.properties, "TZOFFSETTO"), "+0100");
    assert_eq!(value(&dst.properties, "TZOFFSETTO"), "+0200");
    let summer_starts = onset(&dst.properties, 2026);
    let winter_starts = onset(&std.properties, 2026);
    assert_eq!(summer_starts, utc("2026-03-29T01:00:00Z"));
    assert_eq!(winter_starts, utc("2026-10-25T01:00:00Z"));
    for (at, want) in [
        ("2026-03-29T00:59:00Z", "+01:00"),
        ("2026-03-29T01:00:00Z", "+02:00"),
        ("2026-10-25T00:59:00Z", "+02:00"),
        ("2026-10-25T01:00:00Z", "+01:00"),
    ] {
        assert_eq!(utc(at).with_timezone(&Rome).format("%:z").to_string(), want);
    }
    let march_start = instant(prop(&march.events[0].properties, "DTSTART"));
    let april_start = instant(prop(&april.events[0].properties, "DTSTART"));
    assert!(march_start < summer_starts && april_start > summer_starts);
    let by_vtimezone = |local: &str, p: &Property| {
        let l = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").unwrap();
        let props = if instant(p) < summer_starts {
            &std.properties
        } else {
            &dst.properties
        };
        local_with_offset(l, value(props, "TZOFFSETTO"))
    };
    assert_eq!(
        by_vtimezone(
            "20260321T093000",
            prop(&march.events[0].properties, "DTSTART")
        ),
        march_start
    );
    assert_eq!(
        by_vtimezone(
            "20260418T100000",
            prop(&april.events[0].properties, "DTSTART")
        ),
        april_start
    );
}

#[test]
fn help_desk_rrule_expands_to_the_dates_the_page_lists() {
    let (_s, b) = site("2026-03-01T08:00");
    let cal = parse_ics(&b.bytes("eventi/sportello/evento.ics"));
    let ev = &cal.events[0];
    let rrule = value(&ev.properties, "RRULE");
    assert!(rrule.starts_with("FREQ=WEEKLY;BYDAY=TU;UNTIL="), "{rrule}");
    assert!(rrule.ends_with('Z'), "UNTIL in UTC: {rrule}");
    assert_eq!(value(&ev.properties, "EXDATE"), "20260407T093000");
    assert_eq!(
        param(prop(&ev.properties, "EXDATE"), "TZID").as_deref(),
        Some("Europe/Rome")
    );

    let expanded = expand(ev);
    let html = b.read("eventi/sportello/index.html");
    let listed = listed_times(main_of(&html), "event-dates");
    let listed_instants: Vec<DateTime<Utc>> = listed.iter().map(|(iso, _)| utc(iso)).collect();
    assert_eq!(expanded, listed_instants, "the .ics and the page agree");
    let days: Vec<&str> = listed.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        days,
        [
            "martedì 10 marzo 2026",
            "martedì 17 marzo 2026",
            "martedì 24 marzo 2026",
            "martedì 31 marzo 2026",
            "martedì 14 aprile 2026",
            "martedì 21 aprile 2026",
            "martedì 28 aprile 2026",
        ],
        "7 April is the exception"
    );
    // The same 9:30 wall-clock time on both sides of the change.
    assert_eq!(expanded[2], utc("2026-03-24T08:30:00Z"));
    assert_eq!(expanded[3], utc("2026-03-31T07:30:00Z"));
    assert!(expanded
        .iter()
        .all(|t| t.with_timezone(&Rome).format("%H:%M").to_string() == "09:30"));
    assert!(!expanded.iter().any(
        |t| t.with_timezone(&Rome).date_naive() == NaiveDate::from_ymd_opt(2026, 4, 7).unwrap()
    ));
}

#[test]
fn help_desk_shows_its_rule_and_next_dates() {
    let (_s, b) = site("2026-03-20T10:00");
    let rule =
        "ogni martedì, dalle 9:30 alle 12:30, fino al 28 aprile 2026, tranne il 7 aprile 2026";
    let page = b.read("eventi/sportello/index.html");
    let main = main_of(&page);
    assert!(text(main).contains(rule), "{}", text(main));
    let next: Vec<String> = listed_times(main, "next-dates")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        next,
        [
            "martedì 24 marzo 2026",
            "martedì 31 marzo 2026",
            "martedì 14 aprile 2026",
            "martedì 21 aprile 2026",
        ]
    );
    // The next dates are the first dates of the .ics expansion after now.
    let cal = parse_ics(&b.bytes("eventi/sportello/evento.ics"));
    let now = utc("2026-03-20T09:00:00Z");
    let from_ics: Vec<String> = expand(&cal.events[0])
        .into_iter()
        .filter(|t| *t > now)
        .take(4)
        .map(|t| t.with_timezone(&Rome).format("%d/%m").to_string())
        .collect();
    assert_eq!(from_ics, ["24/03", "31/03", "14/04", "21/04"]);

    // The events page and the Municipio page show the rule and the next dates too.
    for rel in ["eventi/index.html", "municipi/municipio-2/index.html"] {
        let t = text(main_of(&b.read(rel)));
        assert!(
            t.contains("Ogni martedì, dalle 9:30 alle 12:30, fino al 28 aprile 2026"),
            "{rel}: {t}"
        );
        assert!(
            t.contains("martedì 24 marzo 2026; martedì 31 marzo 2026"),
            "{rel}: {t}"
        );
        assert!(!t.contains("17 marzo 2026"), "{rel}: past date shown: {t}");
    }
}

#[test]
fn ics_statuses() {
    let (_s, b) = site("2026-03-01T08:00");
    let status = |slug: &str| {
        let cal = parse_ics(&b.bytes(&format!("eventi/{slug}/evento.ics")));
        value(&cal.events[0].properties, "STATUS").to_string()
    };
    assert_eq!(status("annullato"), "CANCELLED");
    assert_eq!(status("rinviato"), "TENTATIVE");
    assert_eq!(status("pieno"), "CONFIRMED");
    assert_eq!(status("spid-marzo"), "CONFIRMED");
    // The same in the all-events calendar.
    let all = parse_ics(&b.bytes("eventi/calendario.ics"));
    let cancelled = all
        .events
        .iter()
        .find(|e| value(&e.properties, "UID") == uid("annullato"))
        .unwrap();
    assert_eq!(value(&cancelled.properties, "STATUS"), "CANCELLED");
}

#[test]
fn ics_is_stable_across_builds() {
    let s = fixture();
    // Different "today": calendars depend on the content only.
    let a = calendars(&s.built("2026-03-01T08:00", "a"));
    let b = calendars(&s.built("2027-05-01T18:00", "b"));
    assert_eq!(a.len(), 7 + 1 + 9, "{:?}", a.keys());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between builds");
        let (ua, ub) = (uids(&parse_ics(bytes)), uids(&parse_ics(&b[path])));
        assert_eq!(ua, ub, "{path}");
    }
    let all = parse_ics(&a["eventi/calendario.ics"]);
    assert_eq!(uids(&all).len(), all.events.len(), "UIDs are unique");
    for e in &all.events {
        let stamp = value(&e.properties, "DTSTAMP");
        assert!(stamp.ends_with('Z') && stamp.len() == 16, "{stamp}");
    }
}

#[test]
fn ics_lines_are_crlf_and_at_most_75_octets() {
    let (_s, b) = site("2026-03-01T08:00");
    let mut folded = 0;
    for (path, bytes) in calendars(&b) {
        assert!(bytes.ends_with(b"\r\n"), "{path}");
        for (i, &c) in bytes.iter().enumerate() {
            if c == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "{path}: bare LF at {i}");
            }
            if c == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "{path}: bare CR at {i}");
            }
        }
        for line in bytes.split(|&c| c == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            assert!(
                line.len() <= 75,
                "{path}: {} octets: {}",
                line.len(),
                String::from_utf8_lossy(line)
            );
            if line.starts_with(b" ") {
                folded += 1;
            }
        }
        // Folds never split a UTF-8 character: each physical line is valid UTF-8.
        for line in bytes.split(|&c| c == b'\n') {
            assert!(std::str::from_utf8(line).is_ok(), "{path}: split character");
        }
    }
    assert!(folded > 0, "the fixture has lines long enough to fold");
    // Unfolded, the long accented summary comes back whole.
    let cal = parse_ics(&b.bytes("eventi/annullato/evento.ics"));
    let desc = value(&cal.events[0].properties, "DESCRIPTION");
    assert!(desc.contains("più caffè"), "{desc}");
}

#[test]
fn all_events_and_municipio_calendars_hold_the_right_events() {
    let (_s, b) = site("2026-11-23T10:00");
    let set = |slugs: &[&str]| -> BTreeSet<String> { slugs.iter().map(|s| uid(s)).collect() };
    let all = parse_ics(&b.bytes("eventi/calendario.ics"));
    // Past events too: a calendar subscription keeps its history.
    assert_eq!(
        uids(&all),
        set(&[
            "spid-marzo",
            "cie-aprile",
            "sportello",
            "annullato",
            "rinviato",
            "pieno",
            "gennaio"
        ])
    );
    assert_eq!(all.events.len(), 7);
    let want: [&[&str]; 9] = [
        &["spid-marzo"],
        &["sportello"],
        &["rinviato"],
        &["cie-aprile"],
        &[],
        &[],
        &["annullato", "gennaio"],
        &[],
        &["pieno"],
    ];
    for (n, slugs) in (1..=9).zip(want) {
        let cal = parse_ics(&b.bytes(&format!("municipi/municipio-{n}/calendario.ics")));
        assert_eq!(uids(&cal), set(slugs), "Municipio {n}");
        assert_eq!(cal.events.len(), slugs.len(), "Municipio {n}");
        assert_eq!(cal.timezones.len(), 1, "Municipio {n}");
    }
    for slug in ["spid-marzo", "sportello", "gennaio"] {
        let cal = parse_ics(&b.bytes(&format!("eventi/{slug}/evento.ics")));
        assert_eq!(uids(&cal), set(&[slug]));
        assert_eq!(
            value(&cal.events[0].properties, "URL"),
            format!("https://{HOST}/eventi/{slug}/")
        );
    }
}

// ------------------------------------------------------------------ HTML

fn links_to(html: &str, slug: &str) -> bool {
    hrefs(html).contains(&page_url(slug))
}

#[test]
fn upcoming_and_past_split_follows_now() {
    let s = fixture();
    let check = |now: &str, out: &str, upcoming: bool| {
        let b = s.built(now, out);
        let events = b.read("eventi/index.html");
        let archive = b.read("eventi/archivio/index.html");
        assert_eq!(
            links_to(main_of(&events), "spid-marzo"),
            upcoming,
            "/eventi/ at {now}"
        );
        assert_eq!(
            links_to(main_of(&archive), "spid-marzo"),
            !upcoming,
            "/eventi/archivio/ at {now}"
        );
        // Events still to come never go to the archive.
        assert!(links_to(main_of(&events), "gennaio"));
        assert!(!links_to(main_of(&archive), "gennaio"));
        // The events page links to the archive.
        assert!(hrefs(main_of(&events)).contains(&"/eventi/archivio/".to_string()));
    };
    check("2026-03-21T08:00", "before", true);
    check("2026-03-21T12:00", "during", true);
    check("2026-03-21T12:31", "after", false);
    // The help desk leaves the events page after its last date only.
    let b = s.built("2026-04-28T12:00", "desk");
    assert!(links_to(main_of(&b.read("eventi/index.html")), "sportello"));
    let b = s.built("2026-04-28T13:00", "desk-over");
    assert!(!links_to(
        main_of(&b.read("eventi/index.html")),
        "sportello"
    ));
    assert!(links_to(
        main_of(&b.read("eventi/archivio/index.html")),
        "sportello"
    ));
}

#[test]
fn upcoming_events_are_grouped_by_month_in_italian() {
    let (_s, b) = site("2026-11-23T10:00");
    let html = b.read("eventi/index.html");
    let main = main_of(&html);
    let headings: Vec<String> = main
        .split("<h2")
        .skip(1)
        .map(|h| text(&h[h.find('>').unwrap() + 1..h.find("</h2>").unwrap()]))
        .collect();
    let months: Vec<&String> = headings
        .iter()
        .filter(|h| h.ends_with("2026") || h.ends_with("2027"))
        .collect();
    assert_eq!(months, ["Dicembre 2026", "Gennaio 2027"], "{headings:?}");
    let pos = |needle: &str| {
        main.find(needle)
            .unwrap_or_else(|| panic!("{needle} not on /eventi/"))
    };
    let order = [
        pos(">Dicembre 2026<"),
        pos("/eventi/rinviato/"),
        pos("/eventi/annullato/"),
        pos(">Gennaio 2027<"),
        pos("/eventi/pieno/"),
        pos("/eventi/gennaio/"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let t = text(main);
    assert!(
        t.contains("sabato 5 dicembre 2026, dalle 15:00 alle 17:00"),
        "{t}"
    );
    for past in ["spid-marzo", "cie-aprile", "sportello"] {
        assert!(!links_to(main, past), "{past} is past");
    }
    // The archive has the past ones, most recent first.
    let archive = hrefs(main_of(&b.read("eventi/archivio/index.html")));
    let past: Vec<&String> = archive
        .iter()
        .filter(|h| h.starts_with("/eventi/") && h.matches('/').count() == 3 && *h != "/eventi/")
        .collect();
    assert_eq!(
        past,
        [
            "/eventi/sportello/",
            "/eventi/cie-aprile/",
            "/eventi/spid-marzo/"
        ]
    );
}

#[test]
fn event_page_says_when_where_and_how_to_book() {
    let (_s, b) = site("2026-03-01T08:00");
    let html = b.read("eventi/spid-marzo/index.html");
    let main = main_of(&html);
    let t = text(main);
    assert!(
        t.contains("sabato 21 marzo 2026, dalle 9:30 alle 12:30"),
        "{t}"
    );
    assert!(main.contains("<time datetime=\"2026-03-21T09:30:00+01:00\">"));
    assert!(t.contains("Biblioteca Sormani"));
    assert!(t.contains("Corso di Porta Vittoria 6, 20122 Milano"));
    assert!(t.contains("Municipio 1"));
    // A link to OpenStreetMap, never an embedded map.
    let links = hrefs(main);
    let map = links
        .iter()
        .find(|h| h.starts_with("https://www.openstreetmap.org/"))
        .expect("a link to OpenStreetMap");
    let query = url::Url::parse(map).unwrap();
    let q: Vec<(String, String)> = query.query_pairs().into_owned().collect();
    assert_eq!(
        q,
        [(
            "query".to_string(),
            "Corso di Porta Vittoria 6, 20122 Milano".to_string()
        )]
    );
    assert!(!html.contains("<iframe"));
    // How to book.
    assert!(links.contains(&"mailto:prenota@example.org".to_string()));
    assert!(links.contains(&"tel:0212345678".to_string()), "{links:?}");
    assert!(t.contains("Fino a esaurimento posti."));
    assert!(t.contains("Confermato"));
    // "Aggiungi al calendario" is the event's own .ics, which exists.
    let at = main.find("Aggiungi al calendario").expect("the button");
    let a = &main[main[..at].rfind("<a ").unwrap()..at];
    assert_eq!(hrefs(a), ["/eventi/spid-marzo/evento.ics"]);
    assert!(b.exists("eventi/spid-marzo/evento.ics"));
    assert!(main.contains("href=\"/municipi/municipio-1/\""));
}

#[test]
fn status_in_words_when_not_scheduled() {
    let (_s, b) = site("2026-11-23T10:00");
    let notice = |slug: &str| {
        let html = b.read(&format!("eventi/{slug}/index.html"));
        let main = main_of(&html).to_string();
        let at = main.find("class=\"notice").map(|i| {
            let end = i + main[i..].find("</div>").unwrap();
            text(&main[i..end])
        });
        (at, text(&main))
    };
    let (n, t) = notice("annullato");
    assert!(n.unwrap().contains("Annullato"));
    assert!(t.contains("Stato Annullato"), "{t}");
    let (n, t) = notice("pieno");
    assert!(n.unwrap().contains("Posti esauriti"));
    assert!(t.contains("Stato Posti esauriti"));
    let (n, t) = notice("rinviato");
    assert!(n.unwrap().contains("Rinviato"));
    assert!(t.contains("Stato Rinviato"));
    let (n, t) = notice("gennaio");
    assert!(n.is_none(), "no notice for a scheduled event: {n:?}");
    assert!(t.contains("Stato Confermato"));
    // The status shows on the cards of the events page too.
    let t = text(main_of(&b.read("eventi/index.html")));
    for label in ["Annullato", "Posti esauriti", "Rinviato"] {
        assert!(t.contains(label), "{label}: {t}");
    }
}

#[test]
fn municipio_pages_list_only_their_events_and_diary() {
    let (_s, b) = site("2026-03-01T08:00");
    let events = hrefs(main_of(&b.read("eventi/index.html")));
    for n in 1..=9 {
        let url = format!("/municipi/municipio-{n}/");
        assert!(events.contains(&url), "/eventi/ links {url}");
        assert!(b.exists(&format!("municipi/municipio-{n}/index.html")));
    }
    let listed = |n: u32| -> BTreeSet<String> {
        hrefs(main_of(
            &b.read(&format!("municipi/municipio-{n}/index.html")),
        ))
        .into_iter()
        .filter(|h| (h.starts_with("/eventi/") || h.starts_with("/diario/")) && h.ends_with('/'))
        .collect()
    };
    let set = |v: &[&str]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        listed(1),
        set(&["/eventi/spid-marzo/", "/diario/tappa-marzo/"])
    );
    assert_eq!(
        listed(2),
        set(&["/eventi/sportello/", "/diario/sportello-primo-giorno/"])
    );
    assert_eq!(
        listed(4),
        set(&["/eventi/cie-aprile/", "/diario/tappa-aprile/"])
    );
    assert_eq!(listed(7), set(&["/eventi/annullato/", "/eventi/gennaio/"]));
    assert_eq!(listed(5), set(&[]));
    // Each Municipio page offers its own calendar.
    let m7 = b.read("municipi/municipio-7/index.html");
    assert!(hrefs(main_of(&m7)).contains(&"/municipi/municipio-7/calendario.ics".to_string()));
}

#[test]
fn home_shows_next_three_events_latest_diary_and_featured_tutorials() {
    let (_s, b) = site("2026-03-01T08:00");
    let html = b.read("index.html");
    let main = main_of(&html);
    let pick = |id: &str, prefix: &str| -> Vec<String> {
        hrefs(section(main, id))
            .into_iter()
            .filter(|h| h.starts_with(prefix) && h != prefix)
            .collect()
    };
    assert_eq!(
        pick("prossimi", "/eventi/"),
        [
            "/eventi/sportello/",
            "/eventi/spid-marzo/",
            "/eventi/cie-aprile/"
        ]
    );
    assert_eq!(
        pick("dal-diario", "/diario/"),
        [
            "/diario/tappa-aprile/",
            "/diario/tappa-marzo/",
            "/diario/sportello-primo-giorno/"
        ]
    );
    let featured = pick("in-evidenza", "/tutorial/");
    assert_eq!(
        featured.iter().collect::<BTreeSet<_>>(),
        ["/tutorial/attiva-spid/", "/tutorial/usa-cie/"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
            .iter()
            .collect()
    );
    // Later, the next three are others: those people can still go to (the
    // postponed one without a date and the cancelled one are left out).
    let later = fixture();
    let b = later.built("2026-11-23T10:00", "later");
    let main = b.read("index.html");
    let next: Vec<String> = hrefs(section(main_of(&main), "prossimi"))
        .into_iter()
        .filter(|h| h.starts_with("/eventi/") && h != "/eventi/")
        .collect();
    assert_eq!(next, ["/eventi/pieno/", "/eventi/gennaio/"]);
}

// --------------------------------------------------------------- JSON-LD

#[test]
fn event_jsonld_has_offsets_place_and_status() {
    let (_s, b) = site("2026-03-01T08:00");
    let ld = |slug: &str| jsonld(&b.read(&format!("eventi/{slug}/index.html")));
    let winter = ld("spid-marzo");
    assert_eq!(winter["@context"], "https://schema.org");
    assert_eq!(winter["@type"], "Event");
    assert_eq!(winter["name"], "SPID in biblioteca");
    assert_eq!(winter["startDate"], "2026-03-21T09:30:00+01:00");
    assert_eq!(winter["endDate"], "2026-03-21T12:30:00+01:00");
    assert_eq!(winter["url"], format!("https://{HOST}/eventi/spid-marzo/"));
    let summer = ld("cie-aprile");
    assert_eq!(summer["startDate"], "2026-04-18T10:00:00+02:00");
    assert_eq!(summer["endDate"], "2026-04-18T12:30:00+02:00");
    // The JSON-LD instant is the .ics instant.
    for (slug, v) in [("spid-marzo", &winter), ("cie-aprile", &summer)] {
        let cal = parse_ics(&b.bytes(&format!("eventi/{slug}/evento.ics")));
        assert_eq!(
            utc(v["startDate"].as_str().unwrap()),
            instant(prop(&cal.events[0].properties, "DTSTART"))
        );
    }
    let loc = &winter["location"];
    assert_eq!(loc["@type"], "Place");
    assert_eq!(loc["name"], "Biblioteca Sormani");
    assert_eq!(loc["address"]["@type"], "PostalAddress");
    assert_eq!(loc["address"]["streetAddress"], "Corso di Porta Vittoria 6");
    assert_eq!(loc["address"]["postalCode"], "20122");
    assert_eq!(loc["address"]["addressLocality"], "Milano");
    assert_eq!(loc["address"]["addressCountry"], "IT");
    assert_eq!(winter["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        winter["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(winter["isAccessibleForFree"], true);
    assert_eq!(winter["offers"]["price"], "0");
    assert_eq!(winter["offers"]["priceCurrency"], "EUR");

    assert_eq!(
        ld("annullato")["eventStatus"],
        "https://schema.org/EventCancelled"
    );
    assert_eq!(
        ld("rinviato")["eventStatus"],
        "https://schema.org/EventPostponed"
    );
    let full = ld("pieno");
    assert_eq!(full["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(full["offers"]["availability"], "https://schema.org/SoldOut");

    // The help desk: its next date, and its weekly schedule.
    let desk = ld("sportello");
    assert_eq!(desk["startDate"], "2026-03-10T09:30:00+01:00");
    let sched = &desk["eventSchedule"];
    assert_eq!(sched["@type"], "Schedule");
    assert_eq!(sched["repeatFrequency"], "P1W");
    assert_eq!(
        sched["byDay"],
        serde_json::json!(["https://schema.org/Tuesday"])
    );
    assert_eq!(sched["endDate"], "2026-04-28");
    assert_eq!(sched["exceptDate"], serde_json::json!(["2026-04-07"]));
    assert_eq!(sched["scheduleTimezone"], "Europe/Rome");
    // After the change, the next date carries the summer offset.
    let summer = fixture();
    let b = summer.built("2026-03-30T08:00", "summer");
    let desk = jsonld(&b.read("eventi/sportello/index.html"));
    assert_eq!(desk["startDate"], "2026-03-31T09:30:00+02:00");
}

// ---------------------------------------------------------------- errors

/// Builds with one extra file and returns the messages; the build must fail
/// with exit code 1 and leave no output.
fn build_error(rel: &str, body: &str) -> String {
    let s = fixture();
    s.write(rel, body);
    s.build_error("2026-03-01T08:00")
}

const EVENT_HEAD: &str = "---\ntitle: \"Prova\"\nplace: \"Biblioteca\"\n";

#[test]
fn error_end_before_start() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!("{EVENT_HEAD}start: 2026-05-09T10:00\nend: 2026-05-09T09:00\n---\n\nTesto.\n"),
    );
    assert!(err.contains("content/eventi/prova.md:5:"), "{err}");
    assert!(err.contains("finisce prima di cominciare"), "{err}");
}

#[test]
fn error_replacement_that_does_not_exist() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!("{EVENT_HEAD}start: 2026-05-09T10:00\nend: 2026-05-09T12:00\nstatus: cancelled\nreplaced_by: maggio\n---\n\nTesto.\n"),
    );
    assert!(err.contains("content/eventi/prova.md:7:"), "{err}");
    assert!(err.contains("l'evento «maggio» non esiste"), "{err}");
}

#[test]
fn error_time_in_the_spring_gap() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!("{EVENT_HEAD}start: 2026-03-29T02:30\nend: 2026-03-29T04:00\n---\n\nTesto.\n"),
    );
    assert!(err.contains("content/eventi/prova.md:4:"), "{err}");
    assert!(err.contains("02:30 del 29 marzo 2026 non esiste"), "{err}");
}

#[test]
fn error_municipio_out_of_range() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!(
            "{EVENT_HEAD}start: 2026-05-09T10:00\nend: 2026-05-09T12:00\nmunicipio: 12\n---\n\nTesto.\n"
        ),
    );
    assert!(err.contains("content/eventi/prova.md:6:"), "{err}");
    assert!(err.contains("municipio 12 non esiste"), "{err}");
    assert!(err.contains("da 1 a 9"), "{err}");
}

#[test]
fn error_unknown_status_lists_the_allowed_values() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!(
            "{EVENT_HEAD}start: 2026-05-09T10:00\nend: 2026-05-09T12:00\nstatus: rimandato\n---\n\nTesto.\n"
        ),
    );
    assert!(err.contains("content/eventi/prova.md:6:"), "{err}");
    assert!(err.contains("rimandato"), "{err}");
    for allowed in ["scheduled", "cancelled", "full", "postponed"] {
        assert!(err.contains(allowed), "{allowed}: {err}");
    }
}

#[test]
fn error_unknown_day_in_repeat() {
    let err = build_error(
        "content/eventi/prova.md",
        &format!(
            "{EVENT_HEAD}start: 2026-05-05T10:00\nend: 2026-05-05T12:00\nrepeat:\n  days: [martedì, marzedì]\n  until: 2026-06-30\n---\n\nTesto.\n"
        ),
    );
    assert!(err.contains("content/eventi/prova.md:7:"), "{err}");
    assert!(
        err.contains("«marzedì» non è un giorno della settimana"),
        "{err}"
    );
}

#[test]
fn error_repeat_date_in_the_spring_gap() {
    // 22 March exists; the next Sunday at 2:30 does not.
    let err = build_error(
        "content/eventi/prova.md",
        &format!(
            "{EVENT_HEAD}start: 2026-03-22T02:30\nend: 2026-03-22T04:00\nrepeat:\n  days: [domenica]\n  until: 2026-04-05\n---\n\nTesto.\n"
        ),
    );
    assert!(err.contains("content/eventi/prova.md:6:"), "{err}");
    assert!(err.contains("02:30 del 29 marzo 2026 non esiste"), "{err}");
}

// ------------------------------------------------------------ event states

/// A site with one event in each state, all in Municipio 4, on
/// 23 November 2026 ("today" of every build here).
fn states_site() -> (Site, Built) {
    let s = Site::empty();
    s.write("site.yaml", fs::read(fixture().path("site.yaml")).unwrap());
    s.write(
        "content/_index.md",
        "---\ntitle: \"Giro\"\nsummary: \"Prova.\"\n---\n\nCiao.\n",
    );
    s.write(
        "content/eventi/_index.md",
        "---\ntitle: \"Eventi\"\n---\n\nGli incontri.\n",
    );
    let event = |slug: &str, head: &str| {
        s.write(
            &format!("content/eventi/{slug}.md"),
            format!("---\ntitle: \"Incontro {slug}\"\nsummary: \"Un incontro.\"\nplace: \"Biblioteca Calvairate\"\nmunicipio: 4\nbooking: {{email: prenota@example.org}}\n{head}---\n\nTesto.\n"),
        );
    };
    event(
        "confermato",
        "start: 2026-12-10T10:00\nend: 2026-12-10T12:00\n",
    );
    event(
        "annullato",
        "start: 2026-12-01T10:00\nend: 2026-12-01T12:00\nstatus: cancelled\nreplaced_by: confermato\n",
    );
    event(
        "rinviato",
        "start: 2026-12-05T10:00\nend: 2026-12-05T12:00\nstatus: postponed\n",
    );
    event(
        "spostato",
        "start: 2026-12-15T10:00\nend: 2026-12-15T12:00\nstatus: postponed\nprevious_start: 2026-12-02T10:00\n",
    );
    event(
        "concluso",
        "start: 2026-11-01T10:00\nend: 2026-11-01T12:00\n",
    );
    event(
        "sportello",
        "start: 2026-11-24T09:00\nend: 2026-11-24T12:00\nrepeat: {days: [martedì], until: 2027-02-23}\n",
    );
    let b = s.built("2026-11-23T10:00", "public");
    (s, b)
}

#[test]
fn every_event_state_on_every_surface() {
    let (_s, b) = states_site();
    let page = |slug: &str| b.read(&format!("eventi/{slug}/index.html"));
    // The page: the state first (right after the title), in words, and
    // booking and "add to calendar" only while people can come.
    let cases = [
        ("confermato", None, "Confermato", true),
        ("annullato", Some("Annullato. Questo incontro non si farà. Al suo posto: Incontro confermato."), "Annullato", false),
        ("rinviato", Some("Rinviato. La nuova data non è ancora decisa."), "Rinviato", false),
        ("spostato", Some("Nuova data: martedì 15 dicembre 2026, dalle 10:00 alle 12:00. Prima era mercoledì 2 dicembre 2026, dalle 10:00 alle 12:00."), "Nuova data", true),
        ("concluso", Some("Incontro concluso."), "Concluso", false),
    ];
    for (slug, notice, label, takes_place) in cases {
        let html = page(slug);
        let main = main_of(&html);
        let after_h1 = &main[main.find("</h1>").unwrap()..];
        let first = after_h1.find("event-state").map(|at| {
            let div = &after_h1[at..at + after_h1[at..].find("</div>").unwrap()];
            text(&div[div.find("<p>").unwrap()..]).replace(" .", ".")
        });
        assert_eq!(first.as_deref(), notice, "{slug}");
        if notice.is_some() {
            assert!(
                after_h1
                    .trim_start_matches("</h1>")
                    .trim_start()
                    .starts_with("<div class=\"notice"),
                "{slug}: state not first"
            );
        }
        let t = text(main);
        assert!(t.contains(&format!("Stato {label}")), "{slug}: {t}");
        assert_eq!(t.contains("Come prenotare"), takes_place, "{slug}: booking");
        assert_eq!(
            t.contains("Aggiungi al calendario"),
            takes_place,
            "{slug}: calendar"
        );
    }
    // The old date of a cancelled or postponed event is struck out.
    for slug in ["annullato", "rinviato"] {
        assert!(
            main_of(&page(slug)).contains("<p class=\"event-when\"><del>"),
            "{slug}"
        );
    }
    assert!(hrefs(&page("annullato")).contains(&page_url("confermato")));

    // Cards: the state is the first thing of the card.
    let list = b.read("eventi/index.html");
    for (slug, label) in [
        ("annullato", "Annullato"),
        ("rinviato", "Rinviato"),
        ("spostato", "Nuova data"),
    ] {
        let card = list
            .split("<li class=\"card")
            .find(|c| hrefs(c).contains(&page_url(slug)))
            .unwrap_or_else(|| panic!("no card of {slug}"));
        let card = &card[card.find('>').unwrap() + 1..];
        assert!(text(card).starts_with(label), "{slug}: {}", text(card));
    }
    // Home: the next events people can go to; the Municipio counts them alone.
    let home = main_of(&b.read("index.html")).to_string();
    let next: Vec<String> = hrefs(section(&home, "prossimi"))
        .into_iter()
        .filter(|h| h.starts_with("/eventi/") && h.len() > "/eventi/".len())
        .collect();
    assert_eq!(
        next,
        [
            page_url("sportello"),
            page_url("confermato"),
            page_url("spostato")
        ]
    );
    let municipi = text(main_of(&b.read("municipi/index.html")));
    assert!(
        municipi.contains("Municipio 4 3 incontri in programma"),
        "{municipi}"
    );

    // JSON-LD and iCalendar, parsed.
    let status = |slug: &str| {
        jsonld(&page(slug))["eventStatus"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("confermato"), "https://schema.org/EventScheduled");
    assert_eq!(status("annullato"), "https://schema.org/EventCancelled");
    assert_eq!(status("rinviato"), "https://schema.org/EventPostponed");
    assert_eq!(status("spostato"), "https://schema.org/EventRescheduled");
    let moved = jsonld(&page("spostato"));
    assert_eq!(moved["previousStartDate"], "2026-12-02T10:00:00+01:00");
    assert_eq!(moved["startDate"], "2026-12-15T10:00:00+01:00");
    let desk = jsonld(&page("sportello"));
    assert_eq!(desk["eventSchedule"]["repeatFrequency"], "P1W", "{desk:#}");
    let ics = |slug: &str| {
        let cal = parse_ics(&b.bytes(&format!("eventi/{slug}/evento.ics")));
        value(&cal.events[0].properties, "STATUS").to_string()
    };
    assert_eq!(
        ["confermato", "annullato", "rinviato", "spostato"].map(ics),
        ["CONFIRMED", "CANCELLED", "TENTATIVE", "CONFIRMED"]
    );

    // Posters: the state first and largest, the old date struck out, no
    // booking for an event that will not take place; a help desk leads
    // with its rule.
    let poster =
        |slug: &str| main_of(&b.read(&format!("eventi/{slug}/locandina/index.html"))).to_string();
    let p = poster("annullato");
    let first = &p[p.find("<p class=\"poster-site\">").unwrap()..];
    let first = &first[first.find("</p>").unwrap() + 4..];
    assert!(
        first
            .trim_start()
            .starts_with("<p class=\"poster-state\">Annullato</p>"),
        "{p}"
    );
    assert!(p.contains("<p class=\"poster-when\"><del>"), "{p}");
    assert!(!text(&p).contains("Come prenotare"), "{p}");
    assert!(
        text(&p).contains("Al suo posto: Incontro confermato."),
        "{p}"
    );
    let p = poster("spostato");
    assert!(
        p.contains("<p class=\"poster-state\">Nuova data</p>"),
        "{p}"
    );
    assert!(
        text(&p).contains("Prima era mercoledì 2 dicembre 2026"),
        "{p}"
    );
    let p = text(&poster("sportello"));
    let title = p.find("Incontro sportello").unwrap();
    assert!(
        p[title..].contains(
            "Un incontro. Ogni martedì, 9:00–12:00 Prossime aperture: martedì 24 novembre 2026;"
        ),
        "{p}"
    );
    // Search results say the state as the page does.
    // A result's metadata is an array that starts with its address
    // (relative to the index's base, here `/eventi/`); a file of the index
    // may hold one or several.
    fn find_doc<'v>(v: &'v Value, address: &str) -> Option<&'v Vec<Value>> {
        let list = v.as_array()?;
        if list.first().and_then(Value::as_str) == Some(address) {
            return Some(list);
        }
        list.iter().find_map(|x| find_doc(x, address))
    }
    let detail_of = |slug: &str| -> String {
        let address = format!("{slug}/");
        fs::read_dir(b.dir.join("cerca/indice"))
            .unwrap()
            .filter_map(|e| {
                serde_json::from_slice::<Value>(&fs::read(e.unwrap().path()).ok()?).ok()
            })
            .find_map(|v| {
                find_doc(&v, &address).and_then(|doc| doc.get(4)?.as_str().map(str::to_string))
            })
            .unwrap_or_else(|| panic!("no search result for {slug}"))
    };
    for (slug, label) in [
        ("annullato", "Annullato"),
        ("spostato", "Nuova data"),
        ("concluso", "Concluso"),
    ] {
        assert!(
            detail_of(slug).starts_with(label),
            "{slug}: {}",
            detail_of(slug)
        );
    }
    assert!(!detail_of("confermato").contains("Confermato"));

    // Posters and sheets are reached from a QR code: described, indexable.
    let head = b.read("eventi/annullato/locandina/index.html");
    assert!(
        head.contains("<meta name=\"description\" content=\"Un incontro.\">"),
        "{head}"
    );
    assert!(!head.contains("noindex"), "{head}");
}

#[test]
fn municipi_show_the_neighbourhoods_site_yaml_names() {
    let s = fixture();
    let yaml = crate::util::read(&s.path("site.yaml"));
    s.write(
        "site.yaml",
        format!("{yaml}municipi:\n  7: [Baggio, \"Quinto Romano\"]\n"),
    );
    let b = s.built("2026-11-23T10:00", "public");
    let list = text(main_of(&b.read("municipi/index.html")));
    assert!(list.contains("Municipio 7 Baggio, Quinto Romano"), "{list}");
    // A Municipio without names keeps its number alone.
    assert!(
        list.contains("Municipio 6 Nessun incontro in programma"),
        "{list}"
    );
    let page = text(main_of(&b.read("municipi/municipio-7/index.html")));
    assert!(
        page.contains("Municipio 7 Quartieri: Baggio, Quinto Romano."),
        "{page}"
    );
    let page = text(main_of(&b.read("municipi/municipio-6/index.html")));
    assert!(!page.contains("Quartieri"), "{page}");
}

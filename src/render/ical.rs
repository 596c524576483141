//! iCalendar (RFC 5545) output for events: the whole-site feed and the
//! per-event "Aggiungi al calendario" file.
//!
//! Components and properties are built with the `ics` crate, which writes CRLF
//! and never splits a UTF-8 character, but (0.5.8) puts up to 75 octets *after*
//! the leading space of a continuation line, i.e. 76 octets in all. So its
//! output is unfolded and folded again here ([`fold`]): every physical line is
//! at most 75 octets, and no fold leaves whitespace at the end of a line
//! (some parsers trim it, losing a space of the text).
//!
//! Times are written as local Europe/Rome with `TZID` plus one VTIMEZONE; DTSTAMP
//! and RRULE UNTIL are UTC. The output depends only on the input, so unchanged
//! content gives byte-identical files.

use crate::calendar::{self, Repeat};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use ics::components::{Parameter, Property};
use ics::properties::{
    CalScale, Description, DtEnd, DtStart, Location, Method, RRule, Status, Summary, TzName, URL,
};
use ics::{escape_text, Daylight, Event, ICalendar, Standard, TimeZone};

/// The zone every event time is written in.
const TZID: &str = "Europe/Rome";
/// The longest physical line, in octets, excluding CRLF (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;
const LOCAL_FORMAT: &str = "%Y%m%dT%H%M%S";
const UTC_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// What the calendar says about an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IcsStatus {
    Confirmed,
    Cancelled,
    /// Postponed: the date shown is not certain.
    Tentative,
}

impl IcsStatus {
    fn value(self) -> &'static str {
        match self {
            IcsStatus::Confirmed => "CONFIRMED",
            IcsStatus::Cancelled => "CANCELLED",
            IcsStatus::Tentative => "TENTATIVE",
        }
    }
}

/// One event (possibly a weekly help desk) as it goes into a calendar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable across builds, e.g. `incontro-spid-municipio-4@pillole.example.org`.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    /// Local Europe/Rome time of the first occurrence.
    pub start: NaiveDateTime,
    /// Local Europe/Rome end of the first occurrence.
    pub end: NaiveDateTime,
    pub status: IcsStatus,
    pub repeat: Option<Repeat>,
    /// UTC. A stable value (the file's `updated` or `date`), never the build time.
    pub stamp: NaiveDateTime,
}

/// How a (possibly repeating) event is expressed in RFC 5545 terms so that its
/// expansion equals [`calendar::occurrences`].
#[derive(Debug, PartialEq, Eq)]
struct Recurrence {
    dtstart: NaiveDateTime,
    rrule: Option<String>,
    /// The first date when it is not one of the weekly days (DTSTART must match the rule).
    rdate: Option<NaiveDateTime>,
    exdates: Vec<NaiveDateTime>,
}

fn recurrence(start: NaiveDateTime, repeat: Option<&Repeat>) -> Recurrence {
    let single = Recurrence {
        dtstart: start,
        rrule: None,
        rdate: None,
        exdates: Vec::new(),
    };
    let Some(r) = repeat else {
        return single;
    };
    let first = start.date();
    let at_start = |d: NaiveDate| d.and_time(start.time());
    let excluded = r.effective_except(first);
    let on_rule = r
        .days
        .contains(&calendar::Weekday::from_chrono(chrono::Datelike::weekday(
            &first,
        )));
    let rule_start = if on_rule {
        Some(first)
    } else {
        r.rule_dates_after(first).first().copied()
    };
    let Some(rule_start) = rule_start else {
        // Nothing but the first date.
        return Recurrence {
            exdates: excluded.into_iter().map(at_start).collect(),
            ..single
        };
    };
    let mut days = r.days.clone();
    days.sort();
    days.dedup();
    let byday: Vec<&str> = days.iter().map(|d| d.ical_code()).collect();
    let rrule = format!(
        "FREQ=WEEKLY;BYDAY={};UNTIL={}",
        byday.join(","),
        utc(r
            .until
            .and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")))
    );
    Recurrence {
        dtstart: at_start(rule_start),
        rrule: Some(rrule),
        rdate: (rule_start != first && !excluded.contains(&first)).then_some(start),
        exdates: excluded
            .into_iter()
            .filter(|d| *d != first || on_rule)
            .map(at_start)
            .collect(),
    }
}

/// A local Europe/Rome time as UTC `YYYYMMDDTHHMMSSZ` (a time in the spring gap
/// takes the offset in force before it).
fn utc(local: NaiveDateTime) -> String {
    let instant = match calendar::to_rome(local) {
        Ok(t) => t.naive_utc(),
        Err(_) => calendar::to_rome(local - Duration::hours(3))
            .map(|t| t.naive_utc() + Duration::hours(3))
            .unwrap_or(local),
    };
    instant.format(UTC_FORMAT).to_string()
}

fn local(t: NaiveDateTime) -> String {
    t.format(LOCAL_FORMAT).to_string()
}

/// Drops control characters that have no place in a content line (TEXT keeps
/// newlines and tabs, which `escape_text` and the line format handle).
fn clean(s: &str, keep_newlines: bool) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\t' || (keep_newlines && (c == '\n' || c == '\r')))
        .collect()
}

fn text(s: &str) -> String {
    escape_text(clean(s.trim(), true)).into_owned()
}

fn with_tzid<'a>(mut p: Property<'a>) -> Property<'a> {
    p.add(Parameter::new("TZID", TZID));
    p
}

fn rome_timezone() -> TimeZone<'static> {
    let mut standard = Standard::new("19701025T030000", "+0200", "+0100");
    standard.push(RRule::new("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
    standard.push(TzName::new("CET"));
    let mut daylight = Daylight::new("19700329T020000", "+0100", "+0200");
    daylight.push(RRule::new("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
    daylight.push(TzName::new("CEST"));
    let mut tz = TimeZone::standard(TZID, standard);
    tz.push(Property::new("X-LIC-LOCATION", TZID));
    tz.add_daylight(daylight);
    tz
}

fn vevent(e: &IcsEvent) -> Event<'static> {
    let rec = recurrence(e.start, e.repeat.as_ref());
    let duration = e.end - e.start;
    let mut ev = Event::new(text(&e.uid), e.stamp.format(UTC_FORMAT).to_string());
    ev.push(with_tzid(DtStart::new(local(rec.dtstart)).into()));
    ev.push(with_tzid(DtEnd::new(local(rec.dtstart + duration)).into()));
    if let Some(rule) = rec.rrule {
        ev.push(RRule::new(rule));
    }
    if let Some(rdate) = rec.rdate {
        ev.push(with_tzid(Property::new("RDATE", local(rdate))));
    }
    if !rec.exdates.is_empty() {
        let list: Vec<String> = rec.exdates.iter().map(|d| local(*d)).collect();
        ev.push(with_tzid(Property::new("EXDATE", list.join(","))));
    }
    ev.push(Summary::new(text(&e.summary)));
    if !e.description.trim().is_empty() {
        ev.push(Description::new(text(&e.description)));
    }
    if !e.location.trim().is_empty() {
        ev.push(Location::new(text(&e.location)));
    }
    let url = clean(e.url.trim(), false);
    if !url.is_empty() {
        ev.push(URL::new(url));
    }
    ev.push(Status::new(e.status.value()));
    ev
}

/// A complete VCALENDAR with one VTIMEZONE (Europe/Rome) and a VEVENT per
/// event, in the order given. Lines end in CRLF and are folded at 75 octets.
pub fn calendar(name: &str, events: &[IcsEvent]) -> String {
    let mut cal = ICalendar::new("2.0", "-//pillole//pillole//IT");
    cal.push(CalScale::new("GREGORIAN"));
    cal.push(Method::new("PUBLISH"));
    cal.push(Property::new("X-WR-CALNAME", text(name)));
    cal.push(Property::new("NAME", text(name)));
    cal.push(Property::new("X-WR-TIMEZONE", TZID));
    cal.add_timezone(rome_timezone());
    for e in events {
        cal.add_event(vevent(e));
    }
    refold(&cal.to_string())
}

/// Unfolds `ics`'s output and folds every line again with [`fold`].
fn refold(ics_text: &str) -> String {
    // `ics` folds with CRLF + one space; escaped TEXT and cleaned values hold no
    // raw CR or LF, so every "\r\n " in its output is a fold.
    let unfolded = ics_text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split_terminator("\r\n") {
        fold(line, &mut out);
    }
    out
}

/// Writes one content line folded so that each physical line (including the
/// leading space of a continuation) is at most 75 octets, never splitting a
/// UTF-8 character and never ending a physical line with whitespace.
fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let trimmed = rest[..cut].trim_end_matches([' ', '\t']).len();
        if trimmed > 0 {
            cut = trimmed;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Weekday;
    use std::io::BufReader;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn event(uid: &str, start: &str, end: &str, repeat: Option<Repeat>) -> IcsEvent {
        IcsEvent {
            uid: uid.to_string(),
            summary: "Sportello digitale".to_string(),
            description: "Aiuto con SPID e CIE.".to_string(),
            location: "Biblioteca Calvairate, Via Ciceri Visconti 1, 20137 Milano".to_string(),
            url: "https://pillole.example.org/eventi/sportello/".to_string(),
            start: dt(start),
            end: dt(end),
            status: IcsStatus::Confirmed,
            repeat,
            stamp: dt("2026-02-01T08:00"),
        }
    }

    /// Tuesdays and Thursdays across the spring change, with one holiday and
    /// one except date that is not an occurrence (a Saturday).
    fn help_desk() -> IcsEvent {
        let repeat = Repeat {
            days: vec![Weekday::Giovedi, Weekday::Martedi],
            until: d("2026-04-30"),
            except: vec![d("2026-04-25"), d("2026-04-02")],
        };
        event(
            "sportello-calvairate@pillole.example.org",
            "2026-03-10T09:30",
            "2026-03-10T12:30",
            Some(repeat),
        )
    }

    fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
        let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser.next().expect("one calendar").expect("parses");
        assert!(parser.next().is_none());
        cal
    }

    fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> &'a ical::property::Property {
        props
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn tzid(p: &ical::property::Property) -> Option<String> {
        let params = p.params.as_ref()?;
        params
            .iter()
            .find(|(k, _)| k == "TZID")
            .map(|(_, v)| v.join(","))
    }

    /// Expands the parsed event with the `rrule` crate and returns local start times.
    fn expand(ev: &ical::parser::ical::component::IcalEvent) -> Vec<NaiveDateTime> {
        let mut spec = Vec::new();
        for name in ["DTSTART", "RRULE", "RDATE", "EXDATE"] {
            if let Some(p) = ev.properties.iter().find(|p| p.name == name) {
                let value = p.value.clone().unwrap();
                spec.push(match tzid(p) {
                    Some(z) => format!("{name};TZID={z}:{value}"),
                    None => format!("{name}:{value}"),
                });
            }
        }
        let set: rrule::RRuleSet = spec
            .join("\n")
            .parse()
            .unwrap_or_else(|e| panic!("{e}: {spec:?}"));
        let result = set.all(500);
        assert!(!result.limited);
        result.dates.iter().map(|t| t.naive_local()).collect()
    }

    #[test]
    fn parses_with_a_real_parser() {
        let text = calendar("Eventi di pillole", &[help_desk()]);
        let cal = parse(&text);
        assert_eq!(
            prop(&cal.properties, "VERSION").value.as_deref(),
            Some("2.0")
        );
        assert_eq!(
            prop(&cal.properties, "PRODID").value.as_deref(),
            Some("-//pillole//pillole//IT")
        );
        assert_eq!(
            prop(&cal.properties, "METHOD").value.as_deref(),
            Some("PUBLISH")
        );
        assert_eq!(
            prop(&cal.properties, "CALSCALE").value.as_deref(),
            Some("GREGORIAN")
        );
        assert_eq!(
            prop(&cal.properties, "X-WR-CALNAME").value.as_deref(),
            Some("Eventi di pillole")
        );

        assert_eq!(cal.timezones.len(), 1);
        let tz = &cal.timezones[0];
        assert_eq!(
            prop(&tz.properties, "TZID").value.as_deref(),
            Some("Europe/Rome")
        );
        assert_eq!(tz.transitions.len(), 2);

        assert_eq!(cal.events.len(), 1);
        let ev = &cal.events[0].properties;
        assert_eq!(
            prop(ev, "UID").value.as_deref(),
            Some("sportello-calvairate@pillole.example.org")
        );
        assert_eq!(
            prop(ev, "DTSTAMP").value.as_deref(),
            Some("20260201T080000Z")
        );
        let start = prop(ev, "DTSTART");
        assert_eq!(start.value.as_deref(), Some("20260310T093000"));
        assert_eq!(tzid(start).as_deref(), Some("Europe/Rome"));
        let end = prop(ev, "DTEND");
        assert_eq!(end.value.as_deref(), Some("20260310T123000"));
        assert_eq!(tzid(end).as_deref(), Some("Europe/Rome"));
        // Until 30 April 23:59:59 CEST = 21:59:59 UTC.
        assert_eq!(
            prop(ev, "RRULE").value.as_deref(),
            Some("FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260430T215959Z")
        );
        // Only the except date that is an occurrence; at the start time.
        let ex = prop(ev, "EXDATE");
        assert_eq!(ex.value.as_deref(), Some("20260402T093000"));
        assert_eq!(tzid(ex).as_deref(), Some("Europe/Rome"));
        assert!(ev.iter().all(|p| p.name != "RDATE"));
        assert_eq!(prop(ev, "STATUS").value.as_deref(), Some("CONFIRMED"));
        assert_eq!(
            prop(ev, "SUMMARY").value.as_deref(),
            Some("Sportello digitale")
        );
        assert_eq!(
            prop(ev, "LOCATION").value.as_deref(),
            Some("Biblioteca Calvairate\\, Via Ciceri Visconti 1\\, 20137 Milano")
        );
        assert_eq!(
            prop(ev, "URL").value.as_deref(),
            Some("https://pillole.example.org/eventi/sportello/")
        );
    }

    #[test]
    fn vtimezone_block_for_rome() {
        let text = calendar("x", &[]);
        let block = "BEGIN:VTIMEZONE\r\nTZID:Europe/Rome\r\nX-LIC-LOCATION:Europe/Rome\r\n\
            BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZNAME:CET\r\nEND:STANDARD\r\n\
            BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
        assert!(text.contains(block), "{text}");
        assert!(text
            .starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pillole//pillole//IT\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
    }

    #[test]
    fn rrule_expands_to_the_html_dates_across_spring_change() {
        let e = help_desk();
        let cal = parse(&calendar("x", std::slice::from_ref(&e)));
        let got = expand(&cal.events[0]);
        let want: Vec<NaiveDateTime> = calendar::occurrences(e.start, e.end, e.repeat.as_ref())
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(want.len(), 15);
        assert!(want.contains(&dt("2026-03-26T09:30")) && want.contains(&dt("2026-03-31T09:30")));
        assert!(!want.contains(&dt("2026-04-02T09:30")));
        assert_eq!(got, want);
        assert_eq!(want.last(), Some(&dt("2026-04-30T09:30")));
    }

    #[test]
    fn rrule_expansion_when_first_date_is_off_rule_or_excluded() {
        // Saturday 21 March, then Tuesdays: DTSTART moves to the first Tuesday, RDATE keeps the 21st.
        let repeat = Repeat {
            days: vec![Weekday::Martedi],
            until: d("2026-04-14"),
            except: vec![],
        };
        let e = event(
            "a@x",
            "2026-03-21T10:00",
            "2026-03-21T11:00",
            Some(repeat.clone()),
        );
        let text = calendar("x", std::slice::from_ref(&e));
        assert!(text.contains("DTSTART;TZID=Europe/Rome:20260324T100000\r\n"));
        assert!(text.contains("DTEND;TZID=Europe/Rome:20260324T110000\r\n"));
        assert!(text.contains("RDATE;TZID=Europe/Rome:20260321T100000\r\n"));
        let want: Vec<NaiveDateTime> = calendar::occurrences(e.start, e.end, e.repeat.as_ref())
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(want.len(), 5);
        assert_eq!(expand(&parse(&text).events[0]), want);

        // The first Tuesday excluded, and a second Tuesday.
        let repeat = Repeat {
            except: vec![d("2026-03-24"), d("2026-04-07")],
            ..repeat
        };
        let e = event("b@x", "2026-03-24T10:00", "2026-03-24T11:00", Some(repeat));
        let text = calendar("x", std::slice::from_ref(&e));
        assert!(text.contains("EXDATE;TZID=Europe/Rome:20260324T100000,20260407T100000\r\n"));
        let want: Vec<NaiveDateTime> = calendar::occurrences(e.start, e.end, e.repeat.as_ref())
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(want, [dt("2026-03-31T10:00"), dt("2026-04-14T10:00")]);
        assert_eq!(expand(&parse(&text).events[0]), want);
    }

    #[test]
    fn until_before_the_next_date_gives_a_single_event() {
        let repeat = Repeat {
            days: vec![Weekday::Sabato],
            until: d("2026-03-22"),
            except: vec![],
        };
        let text = calendar(
            "x",
            &[event(
                "c@x",
                "2026-03-21T10:00",
                "2026-03-21T11:00",
                Some(repeat),
            )],
        );
        assert!(text.contains("FREQ=WEEKLY;BYDAY=SA;UNTIL=20260322T225959Z"));
        let ev = parse(&text).events.remove(0);
        assert_eq!(expand(&ev), [dt("2026-03-21T10:00")]);
        let repeat = Repeat {
            days: vec![Weekday::Lunedi],
            until: d("2026-03-22"),
            except: vec![],
        };
        let text = calendar(
            "x",
            &[event(
                "c@x",
                "2026-03-21T10:00",
                "2026-03-21T11:00",
                Some(repeat),
            )],
        );
        assert!(!text.contains("RRULE:FREQ=WEEKLY"));
        assert!(!text.contains("RDATE"));
    }

    fn assert_lines_ok(text: &str) {
        let bytes = text.as_bytes();
        assert!(text.ends_with("\r\n"));
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i}");
            }
            if *b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            assert!(
                !line.ends_with(' ') && !line.ends_with('\t'),
                "trailing blank: {line:?}"
            );
            assert!(!line.is_empty());
        }
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn folding_at_75_octets_keeps_utf8_intact() {
        let base: String = "à è ì ò ù € ".repeat(25);
        let summary: String = base.chars().take(299).chain(['€']).collect();
        assert_eq!(summary.chars().count(), 300);
        // Shift the text by 0..12 ASCII octets so folds land on every byte of each character.
        for shift in 0..12 {
            let long = format!("{}{}", "x".repeat(shift), summary);
            let mut e = help_desk();
            e.summary = long.clone();
            e.description = format!("{long}\n{long}");
            let text = calendar("Eventi di pillole", &[e]);
            assert_lines_ok(&text);
            assert!(text.matches("\r\n ").count() > 10);

            // Unfold on the raw bytes: every CRLF followed by one space goes away.
            let mut raw = Vec::new();
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i..].starts_with(b"\r\n ") {
                    i += 3;
                } else {
                    raw.push(b[i]);
                    i += 1;
                }
            }
            let unfolded = String::from_utf8(raw).expect("folds never split a character");
            let line = unfolded
                .lines()
                .find_map(|l| l.strip_prefix("SUMMARY:"))
                .unwrap();
            assert_eq!(line, long);
            let desc = unfolded
                .lines()
                .find_map(|l| l.strip_prefix("DESCRIPTION:"))
                .unwrap();
            assert_eq!(unescape(desc), format!("{long}\n{long}"));

            // A real parser (which trims line ends) gets the same text back.
            let cal = parse(&text);
            let ev = &cal.events[0].properties;
            assert_eq!(prop(ev, "SUMMARY").value.as_deref(), Some(long.as_str()));
        }
    }

    #[test]
    fn fold_limits_continuations_too() {
        let mut out = String::new();
        fold(&"a".repeat(75 + 74 + 74 + 3), &mut out);
        let lens: Vec<usize> = out.split_terminator("\r\n").map(str::len).collect();
        assert_eq!(lens, [75, 75, 75, 4]);
        let mut out = String::new();
        fold(&"€".repeat(40), &mut out); // 120 octets: 25 characters per physical line at most
        let lens: Vec<usize> = out.split_terminator("\r\n").map(str::len).collect();
        assert_eq!(lens, [75, 46]);
        let mut out = String::new();
        fold("SUMMARY:short", &mut out);
        assert_eq!(out, "SUMMARY:short\r\n");
    }

    #[test]
    fn text_is_escaped() {
        let mut e = help_desk();
        e.summary = " Pranzo, caffè; cartella C:\\dati \n".to_string();
        e.description = "Prima riga\nseconda riga\r\nterza\u{7} riga".to_string();
        e.location = String::new();
        e.url = String::new();
        let text = calendar("Eventi; Milano, 2026", &[e]);
        assert!(
            text.contains("\r\nSUMMARY:Pranzo\\, caffè\\; cartella C:\\\\dati\r\n"),
            "{text}"
        );
        assert!(
            text.contains("\r\nDESCRIPTION:Prima riga\\nseconda riga\\nterza riga\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nX-WR-CALNAME:Eventi\\; Milano\\, 2026\r\n"));
        assert!(!text.contains("\r\nLOCATION") && !text.contains("\r\nURL"));
        let cal = parse(&text);
        assert_eq!(
            cal.events[0]
                .properties
                .iter()
                .filter(|p| p.name == "DESCRIPTION")
                .count(),
            1
        );
    }

    #[test]
    fn output_is_byte_identical() {
        let mut cancelled = event("incontro@x", "2026-10-24T09:30", "2026-10-24T12:00", None);
        cancelled.status = IcsStatus::Cancelled;
        let events = [help_desk(), cancelled];
        let a = calendar("Eventi", &events);
        let b = calendar("Eventi", &events.clone());
        assert_eq!(a.as_bytes(), b.as_bytes());
        assert_lines_ok(&a);
        assert_eq!(a.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(a.matches("\r\nDTSTAMP:20260201T080000Z\r\n").count(), 2);
        assert_eq!(a.matches("\r\nDTSTAMP:").count(), 2);
    }

    #[test]
    fn statuses() {
        let mut e = event("x@x", "2026-10-24T09:30", "2026-10-24T12:00", None);
        e.status = IcsStatus::Cancelled;
        let text = calendar("x", std::slice::from_ref(&e));
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(!text.contains("RRULE:FREQ=WEEKLY") && !text.contains("EXDATE"));
        e.status = IcsStatus::Tentative;
        let ev = parse(&calendar("x", &[e])).events.remove(0);
        assert_eq!(
            prop(&ev.properties, "STATUS").value.as_deref(),
            Some("TENTATIVE")
        );
        // A winter date: DTEND local, UNTIL not present, DTSTAMP in UTC.
        assert_eq!(
            prop(&ev.properties, "DTEND").value.as_deref(),
            Some("20261024T120000")
        );
    }

    #[test]
    fn until_is_utc_in_winter_and_summer() {
        assert_eq!(utc(dt("2026-12-22T23:59")), "20261222T225900Z");
        assert_eq!(utc(dt("2026-06-30T23:59")), "20260630T215900Z");
        // In the spring gap the winter offset applies.
        assert_eq!(utc(dt("2026-03-29T02:30")), "20260329T013000Z");
    }
}

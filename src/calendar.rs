//! Time for events: the Europe/Rome zone, weekly recurrence and Italian date words.
//!
//! Event times in front matter are local Europe/Rome wall-clock times
//! (`NaiveDateTime`). Everything that needs a real instant (JSON-LD, `<time>`,
//! iCalendar UNTIL) goes through [`to_rome`], which refuses times that do not
//! exist (the spring gap) and picks the earlier instant for times that occur
//! twice (the autumn overlap).

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Timelike,
};
use chrono_tz::Tz;
use std::fmt;

/// The only zone pillole knows: every event happens in Milan.
pub const TZ: Tz = chrono_tz::Europe::Rome;

/// A repeat longer than this (from the first date to `until`) is probably a typo in the year.
const LONG_REPEAT_DAYS: i64 = 2 * 366;
/// The longest repeat accepted: past it `until` is an error, and no
/// expansion goes further (a year typo such as 8522 would otherwise expand
/// to hundreds of thousands of dates).
pub const MAX_REPEAT_DAYS: i64 = 5 * 366;

/// A day of the week, written in Italian in front matter (`martedì`, `giovedi`, `Sabato`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Lunedi,
    Martedi,
    Mercoledi,
    Giovedi,
    Venerdi,
    Sabato,
    Domenica,
}

const WEEK: [Weekday; 7] = [
    Weekday::Lunedi,
    Weekday::Martedi,
    Weekday::Mercoledi,
    Weekday::Giovedi,
    Weekday::Venerdi,
    Weekday::Sabato,
    Weekday::Domenica,
];

const DAY_NAMES: [&str; 7] = [
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];

const MONTH_NAMES: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

impl Weekday {
    fn index(self) -> usize {
        self as usize
    }

    pub fn from_chrono(d: chrono::Weekday) -> Self {
        WEEK[d.num_days_from_monday() as usize]
    }

    pub fn to_chrono(self) -> chrono::Weekday {
        use chrono::Weekday as W;
        [W::Mon, W::Tue, W::Wed, W::Thu, W::Fri, W::Sat, W::Sun][self.index()]
    }

    /// The Italian name, lowercase with its accent: "martedì".
    pub fn name_it(self) -> &'static str {
        DAY_NAMES[self.index()]
    }

    /// The RFC 5545 BYDAY code: "TU".
    pub fn ical_code(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.index()]
    }

    /// Parses an Italian day name: case-insensitive, the final accent optional
    /// (`lunedi`, `lunedí` and `lunedi'` are all accepted).
    pub fn parse_it(s: &str) -> Option<Self> {
        let mut norm: String = s
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if matches!(c, 'ì' | 'í') { 'i' } else { c })
            .collect();
        if norm.ends_with('\'') || norm.ends_with('’') || norm.ends_with('`') {
            norm.pop();
        }
        DAY_NAMES
            .iter()
            .position(|n| n.replace('ì', "i") == norm)
            .map(|i| WEEK[i])
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_it())
    }
}

impl<'de> serde::Deserialize<'de> for Weekday {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Weekday;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("un giorno della settimana, per esempio martedì")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Weekday, E> {
                Weekday::parse_it(v).ok_or_else(|| {
                    E::custom(format!(
                        "«{v}» non è un giorno della settimana: scrivi lunedì, martedì, \
                         mercoledì, giovedì, venerdì, sabato o domenica"
                    ))
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl serde::Serialize for Weekday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name_it())
    }
}

/// A weekly repeat: `start`/`end` of the event give the first date and the times.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    pub days: Vec<Weekday>,
    pub until: NaiveDate,
    #[serde(default)]
    pub except: Vec<NaiveDate>,
}

impl Repeat {
    fn has_day(&self, d: NaiveDate) -> bool {
        self.days.contains(&Weekday::from_chrono(d.weekday()))
    }

    /// Dates after `first` (exclusive) up to `until` (inclusive, and at most
    /// [`MAX_REPEAT_DAYS`] after `first`) on one of `days`, ignoring `except`.
    pub(crate) fn rule_dates_after(&self, first: NaiveDate) -> Vec<NaiveDate> {
        let last = first
            .checked_add_signed(Duration::days(MAX_REPEAT_DAYS))
            .map_or(self.until, |max| max.min(self.until));
        first
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= last)
            .filter(|d| self.has_day(*d))
            .collect()
    }

    /// The `except` dates that would otherwise be occurrences, sorted and without repeats.
    pub fn effective_except(&self, first: NaiveDate) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .except
            .iter()
            .copied()
            .filter(|d| *d == first || (*d > first && *d <= self.until && self.has_day(*d)))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// One concrete occurrence of an event, as real instants in Europe/Rome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
}

/// A local time that cannot be placed on the Europe/Rome clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// The time falls in the spring-forward gap (e.g. 2026-03-29 02:30).
    Nonexistent {
        local: NaiveDateTime,
        gap_start: NaiveTime,
        gap_end: NaiveTime,
    },
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Nonexistent {
                local,
                gap_start,
                gap_end,
            } => write!(
                f,
                "l'ora {} del {} non esiste: quel giorno gli orologi passano dalle {} alle {}; \
                 scegli un'altra ora",
                local.format("%H:%M"),
                date_short_it(local.date()),
                time_it(*gap_start),
                time_it(*gap_end),
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// Places a local wall-clock time in Europe/Rome. In the autumn overlap the
/// earlier instant (still summer time) is chosen; in the spring gap it is an error.
pub fn to_rome(local: NaiveDateTime) -> Result<DateTime<Tz>, TimeError> {
    match TZ.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(a, b) => Ok(a.min(b)),
        LocalResult::None => {
            let exists =
                |t: NaiveDateTime| !matches!(TZ.from_local_datetime(&t), LocalResult::None);
            let minute = Duration::minutes(1);
            let mut before = local;
            while !exists(before) {
                before -= minute;
            }
            let mut after = local;
            while !exists(after) {
                after += minute;
            }
            Err(TimeError::Nonexistent {
                local,
                gap_start: (before + minute).time(),
                gap_end: after.time(),
            })
        }
    }
}

/// All occurrences as local times. The first is always `start`'s date; then every
/// date after it on one of `repeat.days`, up to and including `until`; dates in
/// `except` are removed (the first too, if listed). Local times stay the same
/// every week, whatever the DST offset; each occurrence lasts `end - start`.
pub fn occurrences(
    start: NaiveDateTime,
    end: NaiveDateTime,
    repeat: Option<&Repeat>,
) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let duration = end - start;
    let Some(r) = repeat else {
        return vec![(start, end)];
    };
    std::iter::once(start.date())
        .chain(r.rule_dates_after(start.date()))
        .filter(|d| !r.except.contains(d))
        .map(|d| {
            let s = d.and_time(start.time());
            (s, s + duration)
        })
        .collect()
}

/// [`occurrences`] placed in Europe/Rome; fails if any of them falls in a DST gap.
pub fn occurrences_rome(
    start: NaiveDateTime,
    end: NaiveDateTime,
    repeat: Option<&Repeat>,
) -> Result<Vec<Occurrence>, TimeError> {
    occurrences(start, end, repeat)
        .into_iter()
        .map(|(s, e)| {
            Ok(Occurrence {
                start: to_rome(s)?,
                end: to_rome(e)?,
            })
        })
        .collect()
}

/// Warnings (Italian, for editors) about a repeat that is probably not what was meant.
pub fn check_repeat(start: NaiveDateTime, r: &Repeat) -> Vec<String> {
    let first = start.date();
    let mut out = Vec::new();
    if r.days.is_empty() {
        out.push("la ripetizione non ha giorni: scrivi per esempio days: [martedì]".to_string());
    } else if !r.has_day(first) {
        out.push(format!(
            "il primo incontro ({}) non cade in uno dei giorni della ripetizione ({})",
            date_it(first),
            join_it(
                &sorted_days(&r.days)
                    .iter()
                    .map(|d| d.name_it().to_string())
                    .collect::<Vec<_>>()
            ),
        ));
    }
    if r.until < first {
        out.push(format!(
            "la ripetizione finisce ({}) prima del primo incontro ({})",
            date_short_it(r.until),
            date_short_it(first)
        ));
    } else if (r.until - first).num_days() > LONG_REPEAT_DAYS {
        out.push(format!(
            "la ripetizione dura fino al {}: più di due anni, controlla l'anno",
            date_short_it(r.until)
        ));
    }
    let effective = r.effective_except(first);
    for d in &r.except {
        if !effective.contains(d) {
            out.push(format!(
                "la data esclusa {} non è una data dell'incontro",
                date_short_it(*d)
            ));
        }
    }
    out
}

/// "sabato 21 marzo 2026"
pub fn date_it(d: NaiveDate) -> String {
    format!(
        "{} {}",
        Weekday::from_chrono(d.weekday()).name_it(),
        date_short_it(d)
    )
}

/// "21 marzo 2026"
pub fn date_short_it(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTH_NAMES[d.month0() as usize],
        d.year()
    )
}

/// "9:30", "12:00": hours without a leading zero.
pub fn time_it(t: NaiveTime) -> String {
    format!("{}:{:02}", t.hour(), t.minute())
}

/// "marzo 2026" (lowercase; templates capitalise it when needed).
pub fn month_it(year: i32, month: u32) -> String {
    let name = MONTH_NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{name} {year}")
}

/// True when "l'" replaces the article before this day number (l'1, l'8, l'11).
fn day_elides(d: NaiveDate) -> bool {
    matches!(d.day(), 1 | 8 | 11)
}

/// Article (+ preposition) before a date: "dal 2", "dall'8", "al 30", "all'1", "il 24", "l'11".
fn before_date(prep: &str, d: NaiveDate) -> String {
    let (plain, elided) = match prep {
        "da" => ("dal ", "dall'"),
        "a" => ("al ", "all'"),
        _ => ("il ", "l'"),
    };
    let article = if day_elides(d) { elided } else { plain };
    format!("{article}{}", date_short_it(d))
}

/// Article + preposition before an hour: "dalle 9:30", "dall'1:30", "alle 12:00", "all'1:00".
fn before_time(prep: &str, t: NaiveTime) -> String {
    let (plain, elided) = if prep == "da" {
        ("dalle ", "dall'")
    } else {
        ("alle ", "all'")
    };
    let article = if t.hour() == 1 { elided } else { plain };
    format!("{article}{}", time_it(t))
}

/// "sabato 21 marzo 2026, dalle 9:30 alle 12:30"; across days:
/// "dal 21 marzo 2026 alle 9:30 al 22 marzo 2026 alle 12:30".
pub fn span_it(start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!(
            "{}, {} {}",
            date_it(start.date()),
            before_time("da", start.time()),
            before_time("a", end.time())
        )
    } else {
        format!(
            "{} {} {} {}",
            before_date("da", start.date()),
            before_time("a", start.time()),
            before_date("a", end.date()),
            before_time("a", end.time())
        )
    }
}

fn sorted_days(days: &[Weekday]) -> Vec<Weekday> {
    let mut v = days.to_vec();
    v.sort();
    v.dedup();
    v
}

/// "a", "a e b", "a, b e c"
fn join_it(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} e {}", init.join(", "), last),
    }
}

/// "ogni martedì e giovedì, dalle 9:30 alle 12:30, fino al 30 giugno 2027",
/// plus ", tranne l'8 dicembre 2026 e il 24 dicembre 2026" for the `except`
/// dates that would otherwise be occurrences.
pub fn repeat_rule_it(start: NaiveDateTime, end: NaiveDateTime, r: &Repeat) -> String {
    let days: Vec<String> = sorted_days(&r.days)
        .iter()
        .map(|d| d.name_it().to_string())
        .collect();
    let mut out = format!(
        "ogni {}, {} {}",
        join_it(&days),
        before_time("da", start.time()),
        before_time("a", end.time())
    );
    match (end.date() - start.date()).num_days() {
        0 => {}
        1 => out.push_str(" del giorno dopo"),
        n => out.push_str(&format!(" di {n} giorni dopo")),
    }
    out.push_str(&format!(", fino {}", before_date("a", r.until)));
    let except: Vec<String> = r
        .effective_except(start.date())
        .into_iter()
        .map(|d| before_date("il", d))
        .collect();
    if !except.is_empty() {
        out.push_str(&format!(", tranne {}", join_it(&except)));
    }
    out
}

/// The rule of a weekly help desk in a few words, for a poster's largest
/// line: "Ogni martedì, 9:30–12:30".
pub fn repeat_short_it(start: NaiveDateTime, end: NaiveDateTime, r: &Repeat) -> String {
    let days: Vec<String> = sorted_days(&r.days)
        .iter()
        .map(|d| d.name_it().to_string())
        .collect();
    format!(
        "Ogni {}, {}–{}",
        join_it(&days),
        time_it(start.time()),
        time_it(end.time())
    )
}

/// "2026-03-21T09:30:00+01:00", for JSON-LD and `<time datetime>`. A time in the
/// spring gap (validate with [`to_rome`] first) is given the offset in force before it.
pub fn rfc3339_rome(local: NaiveDateTime) -> String {
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";
    match to_rome(local) {
        Ok(t) => t.format(FORMAT).to_string(),
        Err(_) => {
            // The gap is at most a few hours long: the offset 3 hours earlier applies.
            let offset = TZ
                .offset_from_utc_datetime(&(local - Duration::hours(3)))
                .fix();
            let shifted = local - Duration::seconds(i64::from(offset.local_minus_utc()));
            DateTime::<FixedOffset>::from_naive_utc_and_offset(shifted, offset)
                .format(FORMAT)
                .to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }
    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }
    fn rep(days: &[Weekday], until: &str, except: &[&str]) -> Repeat {
        Repeat {
            days: days.to_vec(),
            until: d(until),
            except: except.iter().map(|s| d(s)).collect(),
        }
    }

    #[test]
    fn a_date_in_every_month() {
        let expected = [
            "giovedì 15 gennaio 2026",
            "domenica 15 febbraio 2026",
            "domenica 15 marzo 2026",
            "mercoledì 15 aprile 2026",
            "venerdì 15 maggio 2026",
            "lunedì 15 giugno 2026",
            "mercoledì 15 luglio 2026",
            "sabato 15 agosto 2026",
            "martedì 15 settembre 2026",
            "giovedì 15 ottobre 2026",
            "domenica 15 novembre 2026",
            "martedì 15 dicembre 2026",
        ];
        for (m, want) in (1..=12).zip(expected) {
            assert_eq!(date_it(NaiveDate::from_ymd_opt(2026, m, 15).unwrap()), want);
        }
        assert_eq!(date_it(d("2026-03-21")), "sabato 21 marzo 2026");
        assert_eq!(date_short_it(d("2026-03-01")), "1 marzo 2026");
        assert_eq!(month_it(2026, 3), "marzo 2026");
        assert_eq!(month_it(2027, 12), "dicembre 2027");
        assert_eq!(month_it(2027, 13), "? 2027");
    }

    #[test]
    fn times_have_no_leading_zero() {
        assert_eq!(time_it(t("09:30")), "9:30");
        assert_eq!(time_it(t("12:00")), "12:00");
        assert_eq!(time_it(t("00:05")), "0:05");
        assert_eq!(time_it(t("23:59")), "23:59");
    }

    #[test]
    fn spans_on_one_day_and_across_days() {
        assert_eq!(
            span_it(dt("2026-03-21T09:30"), dt("2026-03-21T12:30")),
            "sabato 21 marzo 2026, dalle 9:30 alle 12:30"
        );
        assert_eq!(
            span_it(dt("2026-03-21T09:30"), dt("2026-03-22T12:30")),
            "dal 21 marzo 2026 alle 9:30 al 22 marzo 2026 alle 12:30"
        );
        assert_eq!(
            span_it(dt("2026-03-08T22:00"), dt("2026-03-11T01:30")),
            "dall'8 marzo 2026 alle 22:00 all'11 marzo 2026 all'1:30"
        );
        assert_eq!(
            span_it(dt("2026-05-01T01:00"), dt("2026-05-01T11:00")),
            "venerdì 1 maggio 2026, dall'1:00 alle 11:00"
        );
    }

    #[test]
    fn repeat_rule_in_words_with_elision() {
        let r = rep(
            &[Weekday::Giovedi, Weekday::Martedi],
            "2027-06-30",
            &["2026-12-24", "2026-12-08"],
        );
        assert_eq!(
            repeat_rule_it(dt("2026-03-03T09:30"), dt("2026-03-03T12:30"), &r),
            "ogni martedì e giovedì, dalle 9:30 alle 12:30, fino al 30 giugno 2027, \
             tranne l'8 dicembre 2026 e il 24 dicembre 2026"
        );
        // l'1, l'11, all'8; three items; dates that are not occurrences are left out.
        let r = rep(
            &[
                Weekday::Venerdi,
                Weekday::Lunedi,
                Weekday::Mercoledi,
                Weekday::Lunedi,
            ],
            "2027-06-08",
            &["2027-01-01", "2026-12-11", "2026-12-02", "2026-12-12"],
        );
        assert_eq!(
            repeat_rule_it(dt("2026-10-05T15:00"), dt("2026-10-05T17:00"), &r),
            "ogni lunedì, mercoledì e venerdì, dalle 15:00 alle 17:00, fino all'8 giugno 2027, \
             tranne il 2 dicembre 2026, l'11 dicembre 2026 e l'1 gennaio 2027"
        );
        let r = rep(&[Weekday::Sabato], "2026-12-19", &[]);
        assert_eq!(
            repeat_rule_it(dt("2026-10-03T10:00"), dt("2026-10-03T12:00"), &r),
            "ogni sabato, dalle 10:00 alle 12:00, fino al 19 dicembre 2026"
        );
    }

    #[test]
    fn to_rome_around_the_2026_changes() {
        let cases = [
            ("2026-03-28T09:30", "2026-03-28T09:30:00+01:00"),
            ("2026-03-29T01:59", "2026-03-29T01:59:00+01:00"),
            ("2026-03-29T03:00", "2026-03-29T03:00:00+02:00"),
            ("2026-03-30T09:30", "2026-03-30T09:30:00+02:00"),
            ("2026-10-24T09:30", "2026-10-24T09:30:00+02:00"),
            ("2026-10-25T03:00", "2026-10-25T03:00:00+01:00"),
            ("2026-10-26T09:30", "2026-10-26T09:30:00+01:00"),
        ];
        for (local, want) in cases {
            assert_eq!(to_rome(dt(local)).unwrap().to_rfc3339(), want, "{local}");
            assert_eq!(rfc3339_rome(dt(local)), want);
        }
    }

    #[test]
    fn spring_gap_is_an_error_in_italian() {
        let err = to_rome(dt("2026-03-29T02:30")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "l'ora 02:30 del 29 marzo 2026 non esiste: quel giorno gli orologi passano \
             dalle 2:00 alle 3:00; scegli un'altra ora"
        );
        // Still printable for JSON-LD, with the winter offset.
        assert_eq!(
            rfc3339_rome(dt("2026-03-29T02:30")),
            "2026-03-29T02:30:00+01:00"
        );
    }

    #[test]
    fn autumn_overlap_takes_the_earlier_instant() {
        let t = to_rome(dt("2026-10-25T02:30")).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-25T02:30:00+02:00");
        assert_eq!(t.naive_utc(), dt("2026-10-25T00:30"));
    }

    #[test]
    fn occurrences_with_except_and_dst_keep_local_time() {
        let r = rep(
            &[Weekday::Martedi, Weekday::Giovedi],
            "2026-04-09",
            &["2026-04-02", "2026-04-03"],
        );
        let occ = occurrences(dt("2026-03-24T09:30"), dt("2026-03-24T12:30"), Some(&r));
        let starts: Vec<String> = occ
            .iter()
            .map(|(s, _)| s.format("%Y-%m-%dT%H:%M").to_string())
            .collect();
        assert_eq!(
            starts,
            [
                "2026-03-24T09:30",
                "2026-03-26T09:30",
                "2026-03-31T09:30",
                "2026-04-07T09:30",
                "2026-04-09T09:30"
            ]
        );
        assert!(occ.iter().all(|(s, e)| *e - *s == Duration::hours(3)));
        let rome =
            occurrences_rome(dt("2026-03-24T09:30"), dt("2026-03-24T12:30"), Some(&r)).unwrap();
        assert_eq!(rome[1].start.to_rfc3339(), "2026-03-26T09:30:00+01:00");
        assert_eq!(rome[2].start.to_rfc3339(), "2026-03-31T09:30:00+02:00");
        assert_eq!(rome[2].end.to_rfc3339(), "2026-03-31T12:30:00+02:00");
        // Same across the autumn change.
        let r = rep(&[Weekday::Sabato], "2026-10-31", &[]);
        let rome =
            occurrences_rome(dt("2026-10-24T09:30"), dt("2026-10-24T12:00"), Some(&r)).unwrap();
        let got: Vec<String> = rome.iter().map(|o| o.start.to_rfc3339()).collect();
        assert_eq!(
            got,
            ["2026-10-24T09:30:00+02:00", "2026-10-31T09:30:00+01:00"]
        );
    }

    #[test]
    fn occurrences_first_date_until_and_no_repeat() {
        // The first date counts even off-rule; `until` is inclusive.
        let r = rep(&[Weekday::Martedi], "2026-03-31", &[]);
        let occ = occurrences(dt("2026-03-21T10:00"), dt("2026-03-21T11:00"), Some(&r));
        let dates: Vec<NaiveDate> = occ.iter().map(|(s, _)| s.date()).collect();
        assert_eq!(dates, [d("2026-03-21"), d("2026-03-24"), d("2026-03-31")]);
        assert_eq!(check_repeat(dt("2026-03-21T10:00"), &r).len(), 1);
        // Excluding the first date removes it.
        let r = rep(&[Weekday::Martedi], "2026-03-31", &["2026-03-24"]);
        let occ = occurrences(dt("2026-03-24T10:00"), dt("2026-03-24T11:00"), Some(&r));
        assert_eq!(occ, [(dt("2026-03-31T10:00"), dt("2026-03-31T11:00"))]);
        assert_eq!(
            occurrences(dt("2026-03-24T10:00"), dt("2026-03-24T11:00"), None),
            [(dt("2026-03-24T10:00"), dt("2026-03-24T11:00"))]
        );
    }

    #[test]
    fn occurrence_in_the_gap_is_reported() {
        let r = rep(&[Weekday::Domenica], "2026-04-05", &[]);
        let err =
            occurrences_rome(dt("2026-03-22T02:30"), dt("2026-03-22T04:00"), Some(&r)).unwrap_err();
        assert!(
            matches!(err, TimeError::Nonexistent { local, .. } if local == dt("2026-03-29T02:30"))
        );
    }

    #[test]
    fn check_repeat_warnings() {
        let ok = rep(&[Weekday::Martedi], "2026-12-29", &["2026-12-08"]);
        assert!(check_repeat(dt("2026-03-03T09:30"), &ok).is_empty());
        let bad = rep(&[], "2025-12-29", &["2026-12-09"]);
        let w = check_repeat(dt("2026-03-03T09:30"), &bad);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[2].contains("9 dicembre 2026"));
        let long = rep(&[Weekday::Martedi], "2206-12-29", &[]);
        assert!(check_repeat(dt("2026-03-03T09:30"), &long)[0].contains("controlla l'anno"));
    }

    #[test]
    fn weekday_names_from_yaml() {
        let r: Repeat = serde_yaml::from_str(
            "days: [lunedì, Martedi, MERCOLEDÌ, giovedi', venerdí, sabato, Domenica]\nuntil: 2027-06-30\n",
        )
        .unwrap();
        assert_eq!(r.days, WEEK.to_vec());
        assert_eq!(r.until, d("2027-06-30"));
        assert!(r.except.is_empty());
        let err =
            serde_yaml::from_str::<Repeat>("days: [tuesday]\nuntil: 2027-06-30\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("«tuesday» non è un giorno della settimana"),
            "{err}"
        );
        assert!(err
            .to_string()
            .contains("lunedì, martedì, mercoledì, giovedì, venerdì, sabato o domenica"));
        assert!(serde_yaml::from_str::<Repeat>(
            "days: [sabato]\nuntil: 2027-06-30\nexcept: [2027-13-01]\n"
        )
        .is_err());
        assert!(
            serde_yaml::from_str::<Repeat>("days: [sabato]\nuntil: 2027-06-30\nexcpet: []\n")
                .is_err()
        );
        // Round trip writes the accented names.
        let yaml = serde_yaml::to_string(&r).unwrap();
        assert!(yaml.contains("lunedì") && yaml.contains("giovedì"));
        assert_eq!(serde_yaml::from_str::<Repeat>(&yaml).unwrap(), r);
    }

    #[test]
    fn weekday_codes() {
        assert_eq!(
            Weekday::from_chrono(chrono::Weekday::Sun),
            Weekday::Domenica
        );
        assert_eq!(Weekday::Giovedi.to_chrono(), chrono::Weekday::Thu);
        let codes: Vec<&str> = WEEK.iter().map(|w| w.ical_code()).collect();
        assert_eq!(codes, ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]);
    }
}

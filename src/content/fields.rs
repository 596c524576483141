//! Typed front matter of each kind of content file, and the value types
//! they share (dates, local times, levels, statuses).
//!
//! Each kind is its own struct so that a key that belongs to another kind is
//! reported as unknown. Values carry their own Italian error messages, which
//! serde passes through with the position of the offending line.

use crate::calendar::Repeat;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize};

/// A calendar date written `YYYY-MM-DD` (a time after it is allowed and dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(Date).map_err(serde::de::Error::custom)
    }
}

/// A local Europe/Rome time written `YYYY-MM-DDTHH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LocalTime(pub NaiveDateTime);

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_local_time(&s)
            .map(LocalTime)
            .map_err(serde::de::Error::custom)
    }
}

/// Parses `YYYY-MM-DD`, explaining what is wrong in Italian.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let day_part = s.split(['T', ' ']).next().unwrap_or(s);
    let parts: Vec<&str> = day_part.split('-').collect();
    let numbers: Option<Vec<u32>> =
        if parts.len() == 3 && parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2 {
            parts.iter().map(|p| p.parse().ok()).collect()
        } else {
            None
        };
    let Some(n) = numbers else {
        let example = match as_written_in_italy(s) {
            Some(fixed) => format!("qui: {fixed}"),
            None => "per esempio 2026-03-21".into(),
        };
        return Err(format!(
            "data scritta in modo non valido «{s}»: usa la forma AAAA-MM-GG, {example}"
        ));
    };
    if !(1..=12).contains(&n[1]) {
        return Err(format!(
            "data non valida «{s}»: il mese deve essere tra 01 e 12"
        ));
    }
    NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]).ok_or_else(|| {
        format!("la data «{s}» non esiste nel calendario: controlla il giorno del mese")
    })
}

/// `31/12/2026`, `31-12-2026` or `31.12.2026` (with a time after it or not)
/// written the way pillole reads it: `2026-12-31`, `2026-12-31T10:00`.
fn as_written_in_italy(s: &str) -> Option<String> {
    let (day, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim().replace('.', ":"))),
        None => (s, None),
    };
    let parts: Vec<u32> = day
        .split(['/', '-', '.'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [d, m, y] = parts[..] else { return None };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok().filter(|y| *y >= 1000)?, m, d)?;
    let date = date.format("%Y-%m-%d");
    Some(match time {
        Some(t) => {
            let t = chrono::NaiveTime::parse_from_str(&t, "%H:%M").ok()?;
            format!("{date}T{}", t.format("%H:%M"))
        }
        None => date.to_string(),
    })
}

/// Parses `YYYY-MM-DDTHH:MM` (also with a space, or with seconds).
pub fn parse_local_time(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    let date = parse_date(s)?;
    let time_part = s
        .get(10..)
        .map(|t| t.trim_start_matches(['T', ' ']))
        .unwrap_or("");
    if time_part.is_empty() {
        return Err(format!(
            "manca l'ora in «{s}»: scrivi data e ora, per esempio 2026-03-21T09:30"
        ));
    }
    let time = chrono::NaiveTime::parse_from_str(time_part, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time_part, "%H:%M:%S"))
        .map_err(|_| {
            format!("ora non valida in «{s}»: scrivi l'ora come 09:30 (da 00:00 a 23:59)")
        })?;
    Ok(date.and_time(time))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Facile,
    Medio,
    Avanzato,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Facile => "facile",
            Level::Medio => "medio",
            Level::Avanzato => "avanzato",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Scheduled,
    Cancelled,
    Full,
    Postponed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Cancelled => "cancelled",
            Status::Full => "full",
            Status::Postponed => "postponed",
        }
    }

    /// The status in words, for readers.
    pub fn label(self) -> &'static str {
        match self {
            Status::Scheduled => "Confermato",
            Status::Cancelled => "Annullato",
            Status::Full => "Posti esauriti",
            Status::Postponed => "Rinviato",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Booking {
    pub email: Option<String>,
    pub url: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Video {
    pub src: String,
    pub captions: Option<String>,
    pub poster: Option<String>,
    pub transcript: Option<String>,
}

/// Declares a front-matter struct with the keys every page has, plus its
/// own, and the list of all its keys (for unknown-key suggestions).
macro_rules! front_matter {
    ($(#[$doc:meta])* $name:ident, $keys:ident { $($(#[$fattr:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, PartialEq)]
        pub struct $name {
            pub title: String,
            #[serde(default)]
            pub summary: Option<String>,
            #[serde(default)]
            pub date: Option<Date>,
            #[serde(default)]
            pub updated: Option<Date>,
            #[serde(default)]
            pub draft: bool,
            #[serde(default)]
            pub tags: Vec<String>,
            #[serde(default)]
            pub slug: Option<String>,
            #[serde(default)]
            pub aliases: Vec<String>,
            #[serde(default)]
            pub order: Option<i64>,
            $($(#[$fattr])* pub $field: $ty,)*
        }

        pub const $keys: &[&str] = &[
            "title", "summary", "date", "updated", "draft", "tags", "slug", "aliases", "order",
            $(stringify!($field),)*
        ];

        impl $name {
            pub fn common(&self) -> Common {
                Common {
                    title: self.title.clone(),
                    summary: self.summary.clone(),
                    date: self.date,
                    updated: self.updated,
                    draft: self.draft,
                    tags: self.tags.clone(),
                    slug: self.slug.clone(),
                    aliases: self.aliases.clone(),
                    order: self.order,
                }
            }
        }
    };
}

/// The keys every page has.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    /// Place in its section's list: lower first, before pages without one.
    pub order: Option<i64>,
}

front_matter!(
    /// A plain page, a section's `_index.md` or the home page.
    PageFields, PAGE_KEYS {}
);

front_matter!(
    /// A tutorial: steps are the body's level-2 headings.
    TutorialFields, TUTORIAL_KEYS {
        #[serde(default)] level: Option<Level>,
        #[serde(default)] duration: Option<String>,
        #[serde(default)] needs: Vec<String>,
        #[serde(default)] services: Vec<String>,
        #[serde(default)] featured: bool,
        #[serde(default)] video: Option<Video>,
    }
);

front_matter!(
    /// A diary entry: a stop of the tour.
    DiaryFields, DIARY_KEYS {
        #[serde(default)] place: Option<String>,
        #[serde(default)] municipio: Option<i64>,
        #[serde(default)] event: Option<String>,
    }
);

front_matter!(
    /// An event: times are local Europe/Rome.
    EventFields, EVENT_KEYS {
        start: LocalTime,
        end: LocalTime,
        #[serde(default)] place: Option<String>,
        #[serde(default)] address: Option<String>,
        #[serde(default)] online: bool,
        #[serde(default)] municipio: Option<i64>,
        #[serde(default)] status: Status,
        /// A postponed event's old start (`start` is then its new date).
        #[serde(default)] previous_start: Option<LocalTime>,
        /// A cancelled event's replacement: another event's file name.
        #[serde(default)] replaced_by: Option<String>,
        #[serde(default)] booking: Option<Booking>,
        #[serde(default)] repeat: Option<Repeat>,
    }
);

/// What a reader must know first about an event today: whether it takes
/// place, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventState {
    Scheduled,
    Full,
    Cancelled,
    /// Postponed, the new date not yet decided.
    Postponed,
    /// Postponed to a new date (`start`), still to come.
    Rescheduled,
    /// Every date is over.
    Past,
}

impl EventState {
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Scheduled => "scheduled",
            EventState::Full => "full",
            EventState::Cancelled => "cancelled",
            EventState::Postponed => "postponed",
            EventState::Rescheduled => "rescheduled",
            EventState::Past => "past",
        }
    }

    /// The state in words, for readers.
    pub fn label(self) -> &'static str {
        match self {
            EventState::Scheduled => "Confermato",
            EventState::Full => "Posti esauriti",
            EventState::Cancelled => "Annullato",
            EventState::Postponed => "Rinviato",
            EventState::Rescheduled => "Nuova data",
            EventState::Past => "Concluso",
        }
    }

    /// Whether people can still come (it counts as upcoming; a calendar
    /// entry makes sense).
    pub fn takes_place(self) -> bool {
        matches!(
            self,
            EventState::Scheduled | EventState::Full | EventState::Rescheduled
        )
    }
}

impl EventFields {
    /// Its state, given whether all its dates are over.
    pub fn state(&self, past: bool) -> EventState {
        match self.status {
            Status::Cancelled => EventState::Cancelled,
            Status::Postponed if self.previous_start.is_none() => EventState::Postponed,
            _ if past => EventState::Past,
            Status::Postponed => EventState::Rescheduled,
            Status::Full => EventState::Full,
            Status::Scheduled => EventState::Scheduled,
        }
    }

    /// Its place, if one is written.
    fn written_place(&self) -> Option<&str> {
        self.place
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }

    /// Whether a place is written (an online event may have one too).
    pub fn has_place(&self) -> bool {
        self.written_place().is_some()
    }

    /// Where the event is, in words: its place, or "Online" for an event
    /// held on the internet.
    pub fn place_text(&self) -> Option<String> {
        match self.written_place() {
            Some(place) => Some(place.to_string()),
            None => self.online.then(|| "Online".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(parse_date("2026-02-28").is_ok());
        assert!(parse_date("2026-02-30").unwrap_err().contains("non esiste"));
        assert!(parse_date("2026-13-01").unwrap_err().contains("mese"));
        assert!(parse_date("21/03/2026").unwrap_err().contains("AAAA-MM-GG"));
        assert!(parse_date("21/03/2026")
            .unwrap_err()
            .contains("qui: 2026-03-21"));
        let e = parse_local_time("31/12/2026 10:00").unwrap_err();
        assert!(e.contains("qui: 2026-12-31T10:00"), "{e}");
        assert!(parse_local_time("1.2.2026 9.30")
            .unwrap_err()
            .contains("2026-02-01T09:30"));
        assert!(!parse_date("31/02/2026").unwrap_err().contains("qui:"));
        assert!(parse_date("").is_err());
    }

    #[test]
    fn local_times_need_a_valid_hour() {
        assert_eq!(
            parse_local_time("2026-03-21T09:30").unwrap().to_string(),
            "2026-03-21 09:30:00"
        );
        assert!(parse_local_time("2026-03-21 9:30").is_ok());
        assert!(parse_local_time("2026-03-21T25:00")
            .unwrap_err()
            .contains("ora non valida"));
        assert!(parse_local_time("2026-03-21")
            .unwrap_err()
            .contains("manca l'ora"));
    }

    #[test]
    fn key_lists_match_the_structs() {
        assert!(TUTORIAL_KEYS.contains(&"needs"));
        assert!(EVENT_KEYS.contains(&"repeat"));
        assert!(!PAGE_KEYS.contains(&"start"));
    }
}

//! Front matter of the imported documents: split off the old header (YAML
//! between `---`, TOML between `+++`, or a JSON object), map its keys to
//! pillole's (`description` -> `summary`, `categories` -> `tags`,
//! `weight` -> `order`, ...) and write pillole's YAML header.
//!
//! Every key it does not map is dropped and named, so the report can count
//! them: an imported site must not start with a warning per old key.
//! Addresses (aliases, the old `url`) are handed on as written;
//! `addresses` decides what they mean.

use super::layout::Layout;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// A source document split into its header and body.
#[derive(Debug, Default)]
pub struct Split {
    pub fields: Map<String, Value>,
    pub body: String,
    /// 1-based line of the source file where the body starts.
    pub body_line: usize,
    /// Why the header could not be read, if it could not.
    pub error: Option<String>,
}

/// Splits a document at its YAML, TOML or JSON header (if it has one).
pub fn split(text: &str) -> Split {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    if first == "---" || first == "+++" {
        let toml = first == "+++";
        let start = text.find('\n').map_or(text.len(), |i| i + 1);
        let mut offset = start;
        for (n, line) in (2..).zip(text[start..].split_inclusive('\n')) {
            let t = line.trim_end();
            if t == first || (!toml && t == "...") {
                let header = &text[start..offset];
                let parsed = if toml {
                    super::layout::toml_to_json(header)
                } else {
                    crate::content::front_matter::loose_yaml(header)
                };
                let (fields, error) = match parsed {
                    Ok(Value::Object(m)) => (m, None),
                    Ok(Value::Null) => (Map::new(), None),
                    Ok(_) => (
                        Map::new(),
                        Some("l'intestazione non è una tabella di voci".into()),
                    ),
                    Err(e) => (Map::new(), Some(e)),
                };
                return Split {
                    fields,
                    body: text[offset + line.len()..].to_string(),
                    body_line: n + 1,
                    error,
                };
            }
            offset += line.len();
        }
    }
    if text.starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Map<String, Value>>();
        if let Some(Ok(fields)) = stream.next() {
            let end = stream.byte_offset();
            let rest = &text[end..];
            let rest = rest.strip_prefix('\n').unwrap_or(rest);
            let consumed = &text[..text.len() - rest.len()];
            return Split {
                fields,
                body: rest.to_string(),
                body_line: consumed.matches('\n').count() + 1,
                error: None,
            };
        }
    }
    Split {
        fields: Map::new(),
        body: text.to_string(),
        body_line: 1,
        error: None,
    }
}

/// The old header mapped to pillole's keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapped {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub draft: bool,
    pub tags: Vec<String>,
    /// As written (checked and made valid by the caller).
    pub slug: Option<String>,
    /// Old addresses as written (`aliases`, `redirect_from`).
    pub aliases: Vec<String>,
    /// The address the old generator was told to use (`url`, `permalink`, `path`).
    pub url: Option<String>,
    pub order: Option<i64>,
    /// Jekyll's categories, which its addresses use.
    pub categories: Vec<String>,
    /// Keys mapped, by how (`description → summary`).
    pub mapped: Vec<String>,
    /// Keys dropped.
    pub dropped: Vec<String>,
    /// Values that could not be read (`date «ieri»`).
    pub unreadable: Vec<String>,
}

/// Maps a header's keys to pillole's.
pub fn map(fields: &Map<String, Value>, layout: Layout) -> Mapped {
    let mut m = Mapped::default();
    // Keys that give the same pillole key, in order of preference.
    let summary_keys = ["summary", "description", "excerpt", "subtitle"];
    let date_keys = ["date", "publishdate", "pubdate", "published"];
    let updated_keys = ["updated", "lastmod", "last_modified_at", "modified"];
    let order_keys = ["order", "weight", "nav_order"];
    let mut tag_lists: Vec<(u8, Vec<String>)> = Vec::new();
    for (key, value) in fields {
        let lower = key.to_ascii_lowercase();
        let k = lower.as_str();
        let label = |to: &str| {
            if k == to {
                to.to_string()
            } else {
                format!("{key} → {to}")
            }
        };
        let mut took = true;
        match k {
            "title" => match as_text(value) {
                Some(t) => m.title = Some(t),
                None => took = false,
            },
            _ if summary_keys.contains(&k) => {
                let first = summary_keys.iter().find(|s| {
                    fields
                        .iter()
                        .any(|(f, v)| f.eq_ignore_ascii_case(s) && as_text(v).is_some())
                });
                match (as_text(value), first) {
                    (Some(t), Some(f)) if *f == k => m.summary = Some(t),
                    _ => took = false,
                }
                if took {
                    m.mapped.push(label("summary"));
                }
                if !took {
                    m.dropped.push(key.clone());
                }
                continue;
            }
            "published" if value.is_boolean() => {
                if value == &Value::Bool(false) {
                    m.draft = true;
                }
                m.mapped.push(label("draft"));
                continue;
            }
            _ if date_keys.contains(&k) => {
                let first = date_keys.iter().find(|d| {
                    fields
                        .iter()
                        .any(|(f, v)| f.eq_ignore_ascii_case(d) && !v.is_boolean())
                });
                if first != Some(&k) {
                    m.dropped.push(key.clone());
                    continue;
                }
                match as_text(value).as_deref().map(parse_date) {
                    Some(Some(d)) => m.date = Some(d),
                    _ => {
                        m.unreadable.push(format!("{key} «{}»", plain(value)));
                        continue;
                    }
                }
                m.mapped.push(label("date"));
                continue;
            }
            _ if updated_keys.contains(&k) => {
                match as_text(value).as_deref().map(parse_date) {
                    Some(Some(d)) if m.updated.is_none_or(|u| d > u) => m.updated = Some(d),
                    Some(Some(_)) => {}
                    _ => {
                        m.unreadable.push(format!("{key} «{}»", plain(value)));
                        continue;
                    }
                }
                m.mapped.push(label("updated"));
                continue;
            }
            "draft" => {
                m.draft |= value == &Value::Bool(true) || as_text(value).as_deref() == Some("true")
            }
            "tags" | "categories" | "category" | "keywords" => {
                // Jekyll reads a string of tags as words.
                let split_words = layout == Layout::Jekyll && k != "keywords";
                let list = as_list(value, split_words);
                if matches!(k, "categories" | "category") {
                    m.categories.extend(list.iter().cloned());
                }
                // Own tags first, then categories, then keywords.
                let rank = match k {
                    "tags" => 0,
                    "keywords" => 2,
                    _ => 1,
                };
                tag_lists.push((rank, list));
                m.mapped.push(label("tags"));
                continue;
            }
            "taxonomies" => {
                for (name, list) in value.as_object().into_iter().flatten() {
                    let rank = if name == "tags" { 0 } else { 1 };
                    tag_lists.push((rank, as_list(list, false)));
                }
                m.mapped.push(label("tags"));
                continue;
            }
            "aliases" | "redirect_from" | "alias" => {
                m.aliases.extend(as_list(value, false));
                m.mapped.push(label("aliases"));
                continue;
            }
            "url" | "permalink" | "path" => match as_text(value) {
                Some(u) => {
                    m.url = Some(u);
                    m.mapped.push(label("aliases"));
                    continue;
                }
                None => took = false,
            },
            "slug" => match as_text(value) {
                Some(s) => m.slug = Some(s),
                None => took = false,
            },
            _ if order_keys.contains(&k) => {
                let n = match value {
                    Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                // Hugo and Zola read a weight of 0 as no weight.
                match n.filter(|n| *n != 0 || k != "weight") {
                    Some(n) if m.order.is_none() => {
                        m.order = Some(n);
                        m.mapped.push(label("order"));
                    }
                    _ => m.dropped.push(key.clone()),
                }
                continue;
            }
            _ => took = false,
        }
        if took {
            m.mapped.push(label(k));
        } else {
            m.dropped.push(key.clone());
        }
    }
    tag_lists.sort_by_key(|(rank, _)| *rank);
    m.tags = tag_lists.into_iter().flat_map(|(_, l)| l).collect();
    let mut seen = std::collections::HashSet::new();
    m.tags.retain(|t| seen.insert(t.to_lowercase()));
    m
}

/// A text value: strings, and numbers written as text.
fn as_text(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// A list of texts; one text is a list of one (or of its words).
fn as_list(v: &Value, split_words: bool) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(as_text).collect(),
        other => match as_text(other) {
            Some(s) if split_words => s.split_whitespace().map(str::to_string).collect(),
            Some(s) => vec![s],
            None => Vec::new(),
        },
    }
}

/// A value as it was written, for messages.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads a date in the forms generators accept: `2024-01-05`,
/// `2024-01-05T10:00:00+01:00`, `2024-01-05 10:00:00 +0100`, `2024/01/05`,
/// `05/01/2024`, `Fri, 05 Jan 2024 10:00:00 +0100`. The day is the one
/// written, whatever the time zone.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '/' || *c == '.')
        .collect();
    let numbers: Vec<&str> = head.split(['-', '/', '.']).collect();
    if let [a, b, c] = numbers[..] {
        let n = |x: &str| x.parse::<u32>().ok();
        let found = if a.len() == 4 {
            NaiveDate::from_ymd_opt(a.parse().ok()?, n(b)?, n(c)?)
        } else if c.len() == 4 {
            NaiveDate::from_ymd_opt(c.parse().ok()?, n(b)?, n(a)?)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    chrono::DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|d| d.date_naive())
}

/// The pillole header of an imported page.
#[derive(Clone, Debug, Default)]
pub struct Header {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<NaiveDate>,
    pub updated: Option<NaiveDate>,
    pub draft: bool,
    pub tags: Vec<String>,
    pub slug: Option<String>,
    pub aliases: Vec<String>,
    pub order: Option<i64>,
}

impl Header {
    /// The header as YAML between `---` lines.
    pub fn to_yaml(&self) -> String {
        use crate::cli_new::yaml_string as q;
        let mut out = format!("---\ntitle: {}\n", q(&self.title));
        if let Some(s) = &self.summary {
            out.push_str(&format!("summary: {}\n", q(s)));
        }
        if let Some(d) = self.date {
            out.push_str(&format!("date: {d}\n"));
        }
        if let Some(d) = self.updated {
            out.push_str(&format!("updated: {d}\n"));
        }
        if self.draft {
            out.push_str("draft: true\n");
        }
        for (key, list) in [("tags", &self.tags), ("aliases", &self.aliases)] {
            if !list.is_empty() {
                out.push_str(&format!("{key}:\n"));
                for item in list {
                    out.push_str(&format!("  - {}\n", q(item)));
                }
            }
        }
        if let Some(s) = &self.slug {
            out.push_str(&format!("slug: {s}\n"));
        }
        if let Some(n) = self.order {
            out.push_str(&format!("order: {n}\n"));
        }
        out.push_str("---\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(yaml: &str) -> Map<String, Value> {
        match crate::content::front_matter::loose_yaml(yaml).unwrap() {
            Value::Object(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn dates_in_the_usual_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 5);
        for s in [
            "2024-01-05",
            "2024-01-05T10:00:00+01:00",
            "2024-01-05 10:00:00 +0100",
            "2024/01/05",
            "05/01/2024",
            "2024-1-5",
            "Fri, 05 Jan 2024 10:00:00 +0100",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        assert_eq!(parse_date("ieri"), None);
        assert_eq!(parse_date("2024-02-30"), None);
    }

    #[test]
    fn headers_are_split_in_every_format() {
        let s = split("+++\ntitle = \"T\"\ndate = 2024-01-05\n+++\n\nBody\n");
        assert_eq!(s.fields["title"], "T");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 5);
        let s = split("---\ntitle: Y\n---\nB\n");
        assert_eq!((s.fields["title"].as_str(), s.body_line), (Some("Y"), 4));
        let s = split("{\n\"title\": \"J\"\n}\nB\n");
        assert_eq!(
            (s.fields["title"].as_str(), s.body.as_str()),
            (Some("J"), "B\n")
        );
        assert_eq!(s.body_line, 4);
        let s = split("# Only body\n");
        assert!(s.fields.is_empty());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn keys_are_mapped_merged_and_dropped() {
        let m = map(
            &fields("title: T\ndescription: D\nsubtitle: S\ntags: a\ncategories: [b, A]\nkeywords: [c]\nlastmod: 2024-02-01\npublished: false\nweight: 3\nlayout: post\nauthor: x\n"),
            Layout::Hugo,
        );
        assert_eq!(m.summary.as_deref(), Some("D"));
        assert_eq!(m.tags, ["a", "b", "c"].map(String::from).to_vec());
        assert!(m.draft);
        assert_eq!(m.order, Some(3));
        assert_eq!(m.updated, NaiveDate::from_ymd_opt(2024, 2, 1));
        let mut dropped = m.dropped.clone();
        dropped.sort();
        assert_eq!(dropped, ["author", "layout", "subtitle"]);
        assert!(m.mapped.contains(&"description → summary".to_string()));
    }

    #[test]
    fn jekyll_tag_strings_are_words() {
        let m = map(&fields("tags: uno due\n"), Layout::Jekyll);
        assert_eq!(m.tags, ["uno", "due"]);
        let m = map(&fields("tags: uno due\n"), Layout::Hugo);
        assert_eq!(m.tags, ["uno due"]);
    }

    #[test]
    fn header_is_yaml_pillole_reads() {
        let h = Header {
            title: "Un \"titolo\"".into(),
            date: NaiveDate::from_ymd_opt(2024, 1, 5),
            tags: vec!["a".into()],
            aliases: vec!["/x.html".into()],
            order: Some(2),
            ..Default::default()
        };
        let text = format!("{}\nTesto.\n", h.to_yaml());
        let (page, _) = crate::content::parse(crate::content::load::Source {
            path: "content/p.md".into(),
            text: text.into(),
        });
        let page = page.expect("pillole reads the header");
        assert_eq!(page.common.title, "Un \"titolo\"");
        assert_eq!(page.common.aliases, ["/x.html"]);
    }
}

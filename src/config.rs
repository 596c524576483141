//! Site configuration: `site.yaml` at the site root, read into typed structs.
//!
//! Owns the file's schema and its defaults. Unknown keys become warnings
//! (with the nearest known key), a missing feedback address is an error: the
//! accessibility statement needs somewhere to send reports. Command-line
//! overrides (`--base-url`) are applied by the caller after loading.

use crate::content::front_matter::{parse_yaml, YamlDoc};
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::path::Path;

pub const FILE_NAME: &str = "site.yaml";

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub menu: Vec<MenuItem>,
    pub contacts: Contacts,
    pub feedback: Feedback,
    pub accessibility_url: Option<String>,
    pub organisers: Vec<String>,
    pub diary_page_size: usize,
    pub list_page_size: usize,
    pub reading: Reading,
    pub trust_html: bool,
    pub synonyms: Vec<Vec<String>>,
    /// The neighbourhoods of each Municipio (`4: [Calvairate, Corvetto]`),
    /// shown with its number and found by search.
    pub municipi: std::collections::BTreeMap<i64, Vec<String>>,
    /// How heading ids are made from heading text.
    pub heading_ids: HeadingIds,
}

/// How heading ids are made: pillole's ASCII slugs, or GitHub's style
/// (lowercase, accents and other letters kept, punctuation removed, each
/// space a hyphen), which Hugo and mdBook share.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    #[default]
    Pillole,
    Github,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Pillole di digitale".into(),
            description: String::new(),
            base_url: "http://localhost".into(),
            language: "it".into(),
            theme: "agid".into(),
            menu: Vec::new(),
            contacts: Contacts::default(),
            feedback: Feedback::default(),
            accessibility_url: None,
            organisers: Vec::new(),
            diary_page_size: 10,
            list_page_size: 200,
            reading: Reading::default(),
            trust_html: false,
            synonyms: Vec::new(),
            municipi: std::collections::BTreeMap::new(),
            heading_ids: HeadingIds::Pillole,
        }
    }
}

pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "menu",
    "contacts",
    "feedback",
    "accessibility_url",
    "organisers",
    "diary_page_size",
    "list_page_size",
    "reading",
    "trust_html",
    "synonyms",
    "municipi",
    "heading_ids",
];

#[derive(Clone, Debug, Deserialize, PartialEq, serde::Serialize)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, serde::Serialize)]
#[serde(default)]
pub struct Contacts {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, serde::Serialize)]
#[serde(default)]
pub struct Feedback {
    pub email: Option<String>,
    pub url: Option<String>,
}

impl Config {
    /// The neighbourhoods of Municipio `n`, joined ("Calvairate, Corvetto"),
    /// if `site.yaml` names them.
    pub fn neighbourhoods(&self, n: i64) -> Option<String> {
        let names: Vec<&str> = self
            .municipi
            .get(&n)?
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }
}

impl Feedback {
    /// The link readers follow to report a problem.
    pub fn href(&self) -> Option<String> {
        match (&self.url, &self.email) {
            (Some(url), _) if !url.trim().is_empty() => Some(url.clone()),
            (_, Some(email)) if !email.trim().is_empty() => Some(format!("mailto:{email}")),
            _ => None,
        }
    }
}

/// Reading-level thresholds (Gulpease) and sentence length.
#[derive(Clone, Debug, Deserialize, PartialEq, serde::Serialize)]
#[serde(default)]
pub struct Reading {
    pub tutorial_min: f64,
    pub step_min: f64,
    pub sentence_max_words: usize,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            tutorial_min: 80.0,
            step_min: 60.0,
            sentence_max_words: 25,
        }
    }
}

/// Reads `site.yaml` under `root`. A missing file is an error; the caller
/// gets every diagnostic plus the best configuration it could make.
pub fn load(root: &Path) -> (Config, Vec<Diagnostic>) {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return (
                    Config::default(),
                    vec![
                        Diagnostic::error(FILE_NAME, "encoding", "il file non è in UTF-8")
                            .hint("salva il file con codifica UTF-8"),
                    ],
                )
            }
        },
        Err(e) => {
            return (
                Config::default(),
                vec![Diagnostic::error(
                    FILE_NAME,
                    "config-missing",
                    format!("non riesco a leggere site.yaml: {}", crate::io_reason(&e)),
                )
                .hint("crea site.yaml nella cartella del sito (lo fa `pillole init`)")],
            )
        }
    };
    from_str(&text)
}

/// Parses the text of `site.yaml`.
pub fn from_str(text: &str) -> (Config, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = YamlDoc {
        file: FILE_NAME,
        text,
        first_line: 1,
        fenced: false,
    };
    let (config, mut diags) = parse_yaml::<Config>(&doc, KEYS);
    let config = config.unwrap_or_default();
    if !diags.iter().any(|d| d.is_error()) {
        diags.extend(validate(&config, text));
    }
    (config, diags)
}

fn validate(config: &Config, text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if config.feedback.href().is_none() {
        let line = key_line(text, "feedback").unwrap_or(1);
        diags.push(
            Diagnostic::error(FILE_NAME, "feedback-missing", "manca l'indirizzo per le segnalazioni")
                .at(line, 1)
                .hint("aggiungi `feedback: {email: segnalazioni@esempio.it}`: la dichiarazione di accessibilità deve dire dove scrivere"),
        );
    }
    if url::Url::parse(&config.base_url).is_err() {
        let line = key_line(text, "base_url").unwrap_or(1);
        diags.push(
            Diagnostic::error(
                FILE_NAME,
                "bad-url",
                format!("base_url non è un indirizzo valido: {}", config.base_url),
            )
            .at(line, 1)
            .hint("scrivi l'indirizzo completo, per esempio https://pillole.esempio.it"),
        );
    }
    if config.diary_page_size == 0 || config.list_page_size == 0 {
        diags.push(
            Diagnostic::error(
                FILE_NAME,
                "bad-value",
                "la dimensione della pagina deve essere almeno 1",
            )
            .hint("usa un numero come 10"),
        );
    }
    diags
}

/// The 1-based line of a top-level key, if present.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
        .map(|i| i + 1)
}

impl Config {
    /// `base_url` without the trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of base_url without its trailing slash (`` or `/giro`
    /// for `https://x.org/giro/`): every site address is written under it.
    pub fn prefix(&self) -> String {
        url::Url::parse(&self.base_url)
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// An absolute URL for a site path such as `/tutorial/x/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base(), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_with_feedback_is_valid() {
        let (c, d) = from_str("title: Prova\nfeedback: {email: a@b.it}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.title, "Prova");
        assert_eq!(c.feedback.href().as_deref(), Some("mailto:a@b.it"));
    }

    #[test]
    fn missing_feedback_is_an_error() {
        let (_, d) = from_str("title: Prova\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, "feedback-missing");
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let (_, d) = from_str("title: Prova\ntitel: x\nfeedback: {email: a@b.it}\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].rule, "unknown-key");
        assert_eq!(d[0].line, 2);
        assert!(d[0].hint.contains("title"), "{}", d[0].hint);
    }

    #[test]
    fn comments_that_look_like_headings_are_comments() {
        // Only a content file's header can have taken in Markdown.
        let (config, d) = from_str("## Il sito\ntitle: Prova\n\nfeedback: {email: a@b.it}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(config.title, "Prova");
    }
}

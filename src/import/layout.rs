//! Which generator made the site being imported, and what its
//! configuration file says that pillole can use (title, address, language,
//! Jekyll's permalink style, Hugo's permalinks and folders, mdBook's source
//! folder).
//!
//! Recognition looks only at configuration files at the top of SRC; reading
//! them goes through [`read_loose`], which turns TOML, YAML or JSON into one
//! JSON value. What is done with the content is left to the other modules.

use serde_json::Value;
use std::path::Path;

/// The kind of site found in SRC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Hugo,
    Jekyll,
    Zola,
    MdBook,
    /// A folder of Markdown files and nothing else.
    Plain,
}

impl Layout {
    /// Its name, for the report.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Hugo => "Hugo",
            Layout::Jekyll => "Jekyll",
            Layout::Zola => "Zola",
            Layout::MdBook => "mdBook",
            Layout::Plain => "cartella di Markdown",
        }
    }
}

/// What the source configuration says.
#[derive(Clone, Debug)]
pub struct SourceSite {
    pub layout: Layout,
    /// The configuration file it was recognised by (`config.toml`).
    pub config_file: Option<String>,
    /// Why the configuration could not be read, if it could not.
    pub config_error: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The published address, with its path (`https://x.github.io/blog`).
    pub base_url: Option<String>,
    /// Two-letter language code.
    pub language: Option<String>,
    /// A contact address written in the configuration.
    pub email: Option<String>,
    /// Jekyll's site-wide `permalink` (a style name or a pattern).
    pub permalink: Option<String>,
    /// Hugo's `permalinks` by section (`posts` -> `/:year/:month/:title/`).
    pub permalinks: Vec<(String, String)>,
    /// Hugo's `uglyURLs`: pages at `/section/name.html`.
    pub ugly_urls: bool,
    /// Folder of the documents, relative to SRC (`content`, `src`, ``).
    pub content_dir: String,
    /// Folders of files copied as they are, relative to SRC.
    pub static_dirs: Vec<String>,
    /// Jekyll's `exclude` list.
    pub exclude: Vec<String>,
}

/// Recognises the site in `src` and reads its configuration.
pub fn detect(src: &Path) -> SourceSite {
    let has = |name: &str| src.join(name).is_file();
    let has_content = src.join("content").is_dir();
    let (layout, file) = if has("book.toml") {
        (Layout::MdBook, Some("book.toml"))
    } else if has("_config.yml") {
        (Layout::Jekyll, Some("_config.yml"))
    } else if has("_config.yaml") {
        (Layout::Jekyll, Some("_config.yaml"))
    } else if let Some(f) = ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"]
        .into_iter()
        .find(|f| has(f))
    {
        (Layout::Hugo, Some(f))
    } else if has_content && has("config.toml") && toml_has_base_url(&src.join("config.toml")) {
        (Layout::Zola, Some("config.toml"))
    } else if let Some(f) = ["config.toml", "config.yaml", "config.yml", "config.json"]
        .into_iter()
        .find(|f| has_content && has(f))
    {
        (Layout::Hugo, Some(f))
    } else {
        (Layout::Plain, None)
    };
    let (config, config_error) = match file {
        Some(f) => match read_loose(&src.join(f)) {
            Ok(v) => (v, None),
            Err(e) => (Value::Null, Some(e)),
        },
        None => (Value::Null, None),
    };
    from_config(layout, file.map(str::to_string), config, config_error)
}

/// Whether a Zola `config.toml` has `base_url` at its top.
fn toml_has_base_url(path: &Path) -> bool {
    read_loose(path).is_ok_and(|v| v.get("base_url").is_some())
}

fn from_config(
    layout: Layout,
    config_file: Option<String>,
    config: Value,
    config_error: Option<String>,
) -> SourceSite {
    let text = |v: Option<&Value>| -> Option<String> {
        v.and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    // Hugo's keys are case-insensitive: `baseURL`, `baseurl`.
    let get = |key: &str| -> Option<&Value> {
        config.as_object().and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    };
    let params = |key: &str| get("params").and_then(|p| p.get(key));
    let mut site = SourceSite {
        layout,
        config_file,
        config_error,
        title: None,
        description: None,
        base_url: None,
        language: None,
        email: None,
        permalink: None,
        permalinks: Vec::new(),
        ugly_urls: false,
        content_dir: String::new(),
        static_dirs: Vec::new(),
        exclude: Vec::new(),
    };
    match layout {
        Layout::Hugo => {
            site.title = text(get("title"));
            site.description = text(params("description")).or(text(get("description")));
            site.base_url = text(get("baseurl"));
            site.language = text(get("languagecode")).or(text(get("defaultcontentlanguage")));
            site.email = text(params("email"));
            site.ugly_urls = get("uglyurls").and_then(Value::as_bool).unwrap_or(false);
            if let Some(map) = get("permalinks").and_then(Value::as_object) {
                site.permalinks = map
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect();
            }
            site.content_dir = text(get("contentdir")).unwrap_or_else(|| "content".into());
            site.static_dirs = match get("staticdir") {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => vec!["static".into()],
            };
        }
        Layout::Zola => {
            site.title = text(get("title"));
            site.description = text(get("description"));
            site.base_url = text(get("base_url"));
            site.language = text(get("default_language"));
            site.email = text(get("extra").and_then(|e| e.get("email")));
            site.content_dir = "content".into();
            site.static_dirs = vec!["static".into()];
        }
        Layout::Jekyll => {
            site.title = text(get("title"));
            site.description = text(get("description"));
            let url = text(get("url")).unwrap_or_default();
            let base = text(get("baseurl")).unwrap_or_default();
            let joined = format!(
                "{}{}",
                url.trim_end_matches('/'),
                base.trim_end_matches('/')
            );
            site.base_url = (!url.is_empty()).then_some(joined);
            site.language = text(get("lang")).or(text(get("locale")));
            site.email = text(get("email"));
            site.permalink = text(get("permalink"));
            site.exclude = get("exclude")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(|s| s.trim_matches('/').to_string()))
                        .collect()
                })
                .unwrap_or_default();
        }
        Layout::MdBook => {
            let book = get("book");
            site.title = text(book.and_then(|b| b.get("title")));
            site.description = text(book.and_then(|b| b.get("description")));
            site.language = text(book.and_then(|b| b.get("language")));
            site.content_dir =
                text(book.and_then(|b| b.get("src"))).unwrap_or_else(|| "src".into());
            site.base_url = text(
                get("output")
                    .and_then(|o| o.get("html"))
                    .and_then(|h| h.get("site-url")),
            );
        }
        Layout::Plain => {}
    }
    site.language = site.language.map(|l| {
        l.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    site.base_url = site
        .base_url
        .filter(|u| url::Url::parse(u).is_ok_and(|u| u.has_host()));
    site.content_dir = site.content_dir.trim_matches('/').to_string();
    site
}

/// Reads a TOML, YAML or JSON file (by its extension) as a JSON value.
pub fn read_loose(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| crate::io_reason(&e))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "toml" => toml_to_json(&text),
        "json" => serde_json::from_str(&text).map_err(|e| e.to_string()),
        _ => crate::content::front_matter::loose_yaml(&text),
    }
}

/// TOML text as a JSON value (dates and times as they are written).
pub fn toml_to_json(text: &str) -> Result<Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(toml_value(toml::Value::Table(table)))
}

fn toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_value).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_value(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_dates_stay_as_written() {
        let v = toml_to_json("date = 2024-01-05T10:00:00+01:00\nd = 2024-01-05\n").unwrap();
        assert_eq!(v["date"], "2024-01-05T10:00:00+01:00");
        assert_eq!(v["d"], "2024-01-05");
    }

    #[test]
    fn jekyll_base_url_joins_url_and_baseurl() {
        let config =
            serde_json::json!({"url": "https://a.github.io/", "baseurl": "/blog", "lang": "it-IT"});
        let s = from_config(Layout::Jekyll, None, config, None);
        assert_eq!(s.base_url.as_deref(), Some("https://a.github.io/blog"));
        assert_eq!(s.language.as_deref(), Some("it"));
    }

    #[test]
    fn hugo_keys_ignore_case() {
        let config =
            serde_json::json!({"baseURL": "https://x.it/", "languageCode": "it-it", "title": "T"});
        let s = from_config(Layout::Hugo, None, config, None);
        assert_eq!(s.base_url.as_deref(), Some("https://x.it/"));
        assert_eq!(s.language.as_deref(), Some("it"));
        assert_eq!(s.content_dir, "content");
        assert_eq!(s.static_dirs, vec!["static".to_string()]);
    }
}

//! Which generator made the site being imported, and what its
//! configuration file says that pillole can use (title, address, language,
//! Jekyll's permalink style, Hugo's permalinks and folders, mdBook's source
//! folder).
//!
//! Recognition looks only at configuration files at the top of SRC (and at
//! Hugo's configuration folder, `config/_default/`); reading them goes
//! through [`read_loose`], which turns TOML, YAML or JSON into one JSON
//! value. What is done with the content is left to the other modules.

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
    /// Hugo's default language when its pages were published under
    /// `/<lang>/` (`defaultContentLanguageInSubdir`).
    pub lang_prefix: Option<String>,
    /// Folder of the documents, relative to SRC (`content`, `content/en`,
    /// `src`, ``): Hugo's mount or `contentDir` for the default language.
    pub content_dir: String,
    /// Folders of files copied as they are, relative to SRC, each with the
    /// folder it was published under (`` for the top of the site).
    pub static_dirs: Vec<(String, String)>,
    /// Jekyll's `exclude` list.
    pub exclude: Vec<String>,
    /// Hugo's site-wide `cascade`, as written.
    pub cascade: Option<Value>,
    /// Jekyll's collections (`_posts` is read on its own).
    pub collections: Vec<Collection>,
    /// Jekyll's `collections_dir`: the folder holding `_posts` and the
    /// collections (`` for the top of SRC).
    pub collections_dir: String,
    /// Jekyll's `defaults` that set a `permalink`.
    pub permalink_defaults: Vec<PermalinkDefault>,
    /// A folder of Markdown built by Gatsby (`gatsby-config.js`): its code
    /// is left out, `static/` is the top of the site, and its pages of
    /// YAML content are read by [`super::gatsby`].
    pub gatsby: bool,
}

/// A Jekyll collection, from `collections:` in `_config.yml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection {
    /// Its label: its documents are in `_<name>/`.
    pub name: String,
    /// Whether Jekyll wrote its documents as pages (`output: true`).
    pub output: bool,
    /// Its `permalink`, if it has one.
    pub permalink: Option<String>,
}

/// A `permalink` set by Jekyll's `defaults` for a scope.
#[derive(Clone, Debug, PartialEq)]
pub struct PermalinkDefault {
    /// The scope's `path` (`` for every file; may hold `*`).
    pub path: String,
    /// The scope's `type` (`pages`, `posts`, `drafts`, a collection).
    pub kind: Option<String>,
    pub permalink: String,
}

impl SourceSite {
    /// A site of this kind with nothing read from a configuration.
    pub fn new(layout: Layout) -> SourceSite {
        SourceSite {
            layout,
            config_file: None,
            config_error: None,
            title: None,
            description: None,
            base_url: None,
            language: None,
            email: None,
            permalink: None,
            permalinks: Vec::new(),
            ugly_urls: false,
            lang_prefix: None,
            content_dir: String::new(),
            static_dirs: Vec::new(),
            exclude: Vec::new(),
            cascade: None,
            collections: Vec::new(),
            collections_dir: String::new(),
            permalink_defaults: Vec::new(),
            gatsby: false,
        }
    }
}

/// Hugo's configuration folders, in the order they are merged: the
/// default one, then the one `hugo` builds with (production).
const HUGO_CONFIG_DIRS: &[&str] = &["config/_default", "config/production"];

/// The main file of Hugo's configuration folder
/// (`config/_default/hugo.toml`), if SRC has one.
fn hugo_config_dir_file(src: &Path) -> Option<String> {
    ["hugo", "config", "module"].iter().find_map(|stem| {
        ["toml", "yaml", "yml", "json"].iter().find_map(|ext| {
            let rel = format!("{}/{stem}.{ext}", HUGO_CONFIG_DIRS[0]);
            src.join(&rel).is_file().then_some(rel)
        })
    })
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
    let dir_file = hugo_config_dir_file(src);
    let (layout, file) = match (layout, file) {
        (Layout::Plain, None) if dir_file.is_some() => (Layout::Hugo, dir_file.as_deref()),
        other => other,
    };
    let gatsby = ["gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs"]
        .into_iter()
        .find(|f| has(f));
    if let (Layout::Plain, Some(f)) = (layout, gatsby) {
        let mut site = from_config(layout, Some(f.to_string()), Value::Null, None);
        site.gatsby = true;
        site.static_dirs = vec![("static".into(), String::new())];
        return site;
    }
    let read = match file {
        Some(f) if layout == Layout::Hugo => Some(read_hugo(src, f)),
        Some(f) => Some(read_loose(&src.join(f))),
        None => None,
    };
    let (config, config_error) = match read {
        Some(Ok(v)) => (v, None),
        Some(Err(e)) => (Value::Null, Some(e)),
        None => (Value::Null, None),
    };
    from_config(layout, file.map(str::to_string), config, config_error)
}

/// Hugo's configuration: the files of its configuration folders
/// (`hugo.toml` or `config.toml` at the top, any other file under its
/// name: `module.toml` is `[module]`), then `file` if it is at the top
/// of SRC. Later values win; tables are merged.
fn read_hugo(src: &Path, file: &str) -> Result<Value, String> {
    let mut merged = Value::Object(serde_json::Map::new());
    for dir in HUGO_CONFIG_DIRS {
        let Ok(entries) = std::fs::read_dir(src.join(dir)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // `hugo.toml` first, so that `module.toml` goes on top of its `[module]`.
        names.sort_by_key(|n| !(n.starts_with("hugo.") || n.starts_with("config.")));
        for name in names {
            let Some((stem, ext)) = name.rsplit_once('.') else {
                continue;
            };
            // `menus.en.toml` is one language's: not read.
            if stem.contains('.') || !["toml", "yaml", "yml", "json"].contains(&ext) {
                continue;
            }
            let value =
                read_loose(&src.join(dir).join(&name)).map_err(|e| format!("{dir}/{name}: {e}"))?;
            let value = if stem == "hugo" || stem == "config" {
                value
            } else {
                serde_json::json!({ stem: value })
            };
            merge(&mut merged, value);
        }
    }
    if !file.starts_with("config/") {
        merge(&mut merged, read_loose(&src.join(file))?);
    }
    Ok(merged)
}

/// Puts `over` on top of `base`: tables merged key by key (Hugo's keys
/// ignore case), anything else replaced.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                let existing = b
                    .keys()
                    .find(|bk| bk.eq_ignore_ascii_case(&k))
                    .cloned()
                    .unwrap_or(k);
                match b.get_mut(&existing) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(existing, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

/// A key of a table, ignoring case as Hugo does (`contentDir`, `contentdir`).
pub fn key_in<'a>(table: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// [`key_in`] of a value that is a table.
fn ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object().and_then(|m| key_in(m, key))
}

/// Texts of a value that is one text or a list of them.
fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Hugo's `[[module.mounts]]` whose target is `target` or a folder in
/// it: (source, the folder under `target`, its languages).
fn hugo_mounts(config: &Value, target: &str) -> Vec<(String, String, Vec<String>)> {
    let mounts = ci(config, "module")
        .and_then(|m| ci(m, "mounts"))
        .and_then(Value::as_array);
    mounts
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let to = ci(m, "target")?.as_str()?.trim().trim_matches('/');
            let under = if to == target {
                String::new()
            } else {
                to.strip_prefix(target)?.strip_prefix('/')?.to_string()
            };
            let source = ci(m, "source")?.as_str()?.trim();
            let source = source
                .trim_start_matches("./")
                .trim_matches('/')
                .to_string();
            let mut langs = texts(ci(m, "lang"));
            langs.extend(texts(
                ci(m, "sites")
                    .and_then(|s| ci(s, "matrix"))
                    .and_then(|x| ci(x, "languages")),
            ));
            Some((source, under, langs))
        })
        .collect()
}

/// Hugo's content folder for the default language: the `content` mount
/// for that language (or for none), else the language's `contentDir`,
/// else the site's, else `content`.
fn hugo_content_dir(config: &Value, default_lang: &str) -> String {
    let mounts: Vec<(String, Vec<String>)> = hugo_mounts(config, "content")
        .into_iter()
        .filter(|(_, under, _)| under.is_empty())
        .map(|(source, _, langs)| (source, langs))
        .collect();
    let for_lang = |(_, langs): &&(String, Vec<String>)| {
        langs
            .iter()
            .any(|l| l.eq_ignore_ascii_case(default_lang) || l == "*" || l == "**")
    };
    let mount = mounts
        .iter()
        .find(for_lang)
        .or_else(|| mounts.iter().find(|(_, langs)| langs.is_empty()))
        .or_else(|| mounts.first());
    if let Some((source, _)) = mount {
        return source.clone();
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    text(
        ci(config, "languages")
            .and_then(|l| ci(l, default_lang))
            .and_then(|l| ci(l, "contentdir")),
    )
    .or_else(|| text(ci(config, "contentdir")))
    .unwrap_or_else(|| "content".into())
}

/// Hugo's static folders: the `static` mounts if there are any (they
/// replace the default), else `staticDir`, else `static`.
fn hugo_static_dirs(config: &Value) -> Vec<(String, String)> {
    let mounts: Vec<(String, String)> = hugo_mounts(config, "static")
        .into_iter()
        .map(|(source, under, _)| (source, under))
        .collect();
    if !mounts.is_empty() {
        return mounts;
    }
    let dirs = texts(ci(config, "staticdir"));
    if dirs.is_empty() {
        vec![("static".into(), String::new())]
    } else {
        dirs.into_iter().map(|d| (d, String::new())).collect()
    }
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
    let get = |key: &str| ci(&config, key);
    let params = |key: &str| get("params").and_then(|p| p.get(key));
    let mut site = SourceSite {
        config_file,
        config_error,
        ..SourceSite::new(layout)
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
            let default_lang = text(get("defaultcontentlanguage")).unwrap_or_else(|| "en".into());
            site.content_dir = hugo_content_dir(&config, &default_lang);
            site.static_dirs = hugo_static_dirs(&config);
            site.cascade = get("cascade").cloned();
            if get("defaultcontentlanguageinsubdir").and_then(Value::as_bool) == Some(true) {
                site.lang_prefix = Some(default_lang.to_lowercase());
            }
        }
        Layout::Zola => {
            site.title = text(get("title"));
            site.description = text(get("description"));
            site.base_url = text(get("base_url"));
            site.language = text(get("default_language"));
            site.email = text(get("extra").and_then(|e| e.get("email")));
            site.content_dir = "content".into();
            site.static_dirs = vec![("static".into(), String::new())];
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
            site.collections = jekyll_collections(get("collections"));
            site.collections_dir = text(get("collections_dir"))
                .map(|d| d.trim_start_matches("./").trim_matches('/').to_string())
                .unwrap_or_default();
            site.permalink_defaults = jekyll_permalink_defaults(get("defaults"));
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

/// Jekyll's `collections:`, a table of labels and their settings or a
/// list of labels (which are then not written as pages).
fn jekyll_collections(value: Option<&Value>) -> Vec<Collection> {
    let plain = |name: &str| Collection {
        name: name.to_string(),
        output: false,
        permalink: None,
    };
    match value {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, settings)| Collection {
                output: settings.get("output").and_then(Value::as_bool) == Some(true),
                permalink: settings
                    .get("permalink")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
                ..plain(name)
            })
            .collect(),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(plain).collect(),
        _ => Vec::new(),
    }
}

/// Jekyll's `defaults:` entries whose values set a `permalink`.
fn jekyll_permalink_defaults(value: Option<&Value>) -> Vec<PermalinkDefault> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let permalink = entry.get("values")?.get("permalink")?.as_str()?.trim();
            let scope = entry.get("scope");
            let field = |k: &str| {
                scope
                    .and_then(|s| s.get(k))
                    .and_then(Value::as_str)
                    .map(str::trim)
            };
            Some(PermalinkDefault {
                path: field("path")
                    .unwrap_or("")
                    .trim_start_matches("./")
                    .trim_matches('/')
                    .to_string(),
                kind: field("type").filter(|t| !t.is_empty()).map(str::to_string),
                permalink: permalink.to_string(),
            })
        })
        .filter(|d| !d.permalink.is_empty())
        .collect()
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
        assert_eq!(s.static_dirs, vec![("static".to_string(), String::new())]);
    }

    #[test]
    fn hugo_content_mount_of_the_default_language() {
        let config = serde_json::json!({
            "defaultContentLanguage": "it",
            "module": {"mounts": [
                {"source": "assets", "target": "assets"},
                {"source": "content/en", "target": "content", "lang": "en"},
                {"source": "./content/it/", "target": "content",
                 "sites": {"matrix": {"languages": ["it"]}}},
                {"source": "node_modules/x/dist", "target": "static/js"},
            ]},
        });
        let s = from_config(Layout::Hugo, None, config, None);
        assert_eq!(s.content_dir, "content/it");
        assert_eq!(
            s.static_dirs,
            vec![("node_modules/x/dist".to_string(), "js".to_string())]
        );
        assert_eq!(s.lang_prefix, None);
        // Without a mount for its language, the one without a language.
        let config = serde_json::json!({"module": {"mounts": [
            {"source": "docs/de", "target": "content", "lang": "de"},
            {"source": "docs/all", "target": "content"},
        ]}});
        let s = from_config(Layout::Hugo, None, config, None);
        assert_eq!(s.content_dir, "docs/all");
    }

    #[test]
    fn hugo_content_dir_of_the_default_language() {
        let config = serde_json::json!({
            "defaultContentLanguage": "en",
            "defaultContentLanguageInSubdir": true,
            "contentDir": "altro",
            "languages": {"en": {"contentDir": "content/english"}, "it": {"contentDir": "content/it"}},
        });
        let s = from_config(Layout::Hugo, None, config, None);
        assert_eq!(s.content_dir, "content/english");
        assert_eq!(s.lang_prefix.as_deref(), Some("en"));
        let s = from_config(
            Layout::Hugo,
            None,
            serde_json::json!({"contentdir": "pagine"}),
            None,
        );
        assert_eq!(s.content_dir, "pagine");
    }

    #[test]
    fn hugo_config_folder_is_merged() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("config/_default");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::create_dir_all(dir.path().join("config/production")).unwrap();
        std::fs::write(
            d.join("hugo.toml"),
            "title = 'T'\nbaseURL = 'https://a.it/'\n",
        )
        .unwrap();
        std::fs::write(
            d.join("module.toml"),
            "[[mounts]]\nsource = 'content/it'\ntarget = 'content'\n",
        )
        .unwrap();
        std::fs::write(d.join("menus.en.toml"), "not toml at all [").unwrap();
        std::fs::write(
            dir.path().join("config/production/hugo.toml"),
            "baseurl = 'https://b.it/'\n",
        )
        .unwrap();
        let s = detect(dir.path());
        assert_eq!(s.layout, Layout::Hugo);
        assert_eq!(s.config_file.as_deref(), Some("config/_default/hugo.toml"));
        assert_eq!(s.config_error, None);
        assert_eq!(s.title.as_deref(), Some("T"));
        assert_eq!(s.base_url.as_deref(), Some("https://b.it/"));
        assert_eq!(s.content_dir, "content/it");
    }
}

//! Old addresses: the address each generator gave a page (Hugo's section
//! path and slug or `url`, Jekyll's permalink styles and patterns, Zola's
//! slugs and `path`, mdBook's `.html` files), and the written aliases made
//! into site paths pillole accepts.
//!
//! Takes a document's place and mapped header; gives paths such as
//! `/2024/01/05/ciao.html`. Whether a path is kept as an alias (it differs
//! from the pillole address, it is valid, nobody else has it) is decided by
//! the caller.

use super::front_matter::Mapped;
#[cfg(test)]
use super::layout::PermalinkDefault;
use super::layout::{Collection, Layout, SourceSite};
use chrono::{Datelike, NaiveDate};

/// A document as the old generator saw it.
pub struct OldPage<'a> {
    /// Path under the old content folder (`posts/ciao.md`, `_posts/2024-01-05-ciao.md`).
    pub content_rel: &'a str,
    pub mapped: &'a Mapped,
    /// The date in the file name (Jekyll posts, Zola).
    pub name_date: Option<NaiveDate>,
    /// The file name without its date and extension (`ciao`).
    pub name: &'a str,
    /// A Jekyll post (from `_posts/`).
    pub is_post: bool,
    /// A Jekyll draft (`_drafts/`): it had no address.
    pub is_draft: bool,
    /// The Jekyll collection it is a document of (not `posts`).
    pub collection: Option<&'a str>,
    pub title: &'a str,
}

/// The address the old generator gave this page, if it can be known.
pub fn old_address(site: &SourceSite, page: &OldPage) -> Option<String> {
    let (dirs, file) = split_path(page.content_rel);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let is_index = stem == "_index" || stem == "index" || stem.eq_ignore_ascii_case("readme");
    let address = match site.layout {
        Layout::Plain => return None,
        Layout::Hugo => {
            if let Some(url) = &page.mapped.url {
                return Some(as_site_path(url));
            }
            let mut parts: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
            let slug = page.mapped.slug.clone();
            let path = if stem == "index" {
                if let (Some(s), Some(last)) = (slug, parts.last_mut()) {
                    *last = s;
                }
                folder(&parts)
            } else if stem == "_index" {
                folder(&parts)
            } else if let Some((_, pattern)) = site
                .permalinks
                .iter()
                .find(|(s, _)| Some(s.as_str()) == dirs.first().copied())
            {
                hugo_pattern(pattern, page, &parts, stem)
            } else {
                parts.push(slug.unwrap_or_else(|| stem.to_string()));
                if site.ugly_urls {
                    format!("/{}.html", parts.join("/"))
                } else {
                    folder(&parts)
                }
            }
            .to_lowercase()
            .replace(' ', "-");
            match &site.lang_prefix {
                Some(lang) => format!("/{lang}{path}"),
                None => path,
            }
        }
        Layout::Zola => {
            if let Some(path) = &page.mapped.url {
                let p = as_site_path(path);
                return Some(if p.ends_with('/') || p.contains('.') {
                    p
                } else {
                    format!("{p}/")
                });
            }
            let mut parts: Vec<String> = dirs.iter().map(|d| slugify(d)).collect();
            if stem == "index" {
                if let (Some(s), Some(last)) = (&page.mapped.slug, parts.last_mut()) {
                    *last = slugify(s);
                }
            } else if stem != "_index" {
                parts.push(slugify(page.mapped.slug.as_deref().unwrap_or(page.name)));
            }
            folder(&parts)
        }
        Layout::MdBook => {
            let mut parts: Vec<&str> = dirs.clone();
            if is_index {
                return Some(folder(&parts));
            }
            parts.push(stem);
            format!("/{}.html", parts.join("/"))
        }
        Layout::Jekyll => {
            if page.is_draft {
                return None;
            }
            let rel = within_collections_dir(site, page.content_rel);
            let (dirs, _) = split_path(rel);
            let pretty_site = site
                .permalink
                .as_deref()
                .is_some_and(|p| p == "pretty" || p.ends_with('/'));
            let default = default_permalink(site, page, rel);
            let written = page.mapped.url.as_deref().or(default);
            if let Some(c) = page.collection {
                let own = site
                    .collections
                    .iter()
                    .find(|k| k.name == c)
                    .and_then(|k| k.permalink.as_deref());
                let template = match written {
                    Some(w) => w.to_string(),
                    None => collection_template(site, own),
                };
                let inner = rel
                    .strip_prefix(&format!("_{c}/"))
                    .unwrap_or(rel)
                    .rsplit_once('.')
                    .map_or(rel, |(p, _)| p);
                collection_pattern(&template, page, c, inner)
            } else if let Some(p) = written {
                jekyll_pattern(p, page, &dirs)
            } else if page.is_post {
                let style = site
                    .collections
                    .iter()
                    .find(|c| c.name == "posts")
                    .and_then(|c| c.permalink.as_deref())
                    .or(site.permalink.as_deref())
                    .unwrap_or("date");
                jekyll_pattern(style, page, &dirs)
            } else if is_index {
                folder(&dirs)
            } else if pretty_site {
                format!("/{}{stem}/", prefix(&dirs))
            } else {
                format!("/{}{stem}.html", prefix(&dirs))
            }
        }
    };
    Some(clean(&address))
}

/// `dirs/file` split at its last slash.
fn split_path(rel: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or("");
    (parts, file)
}

fn folder<S: AsRef<str>>(parts: &[S]) -> String {
    format!("/{}", prefix(parts))
}

fn prefix<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(|p| format!("{}/", p.as_ref()))
        .collect::<String>()
}

/// Slugs as Zola and pillole make them.
fn slugify(s: &str) -> String {
    crate::content::slug::slugify(s, "pagina")
}

/// Hugo's `urlize`: spaces to hyphens, only characters safe in a path.
fn urlize(s: &str) -> String {
    s.trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some('-'),
            c if c.is_alphanumeric() || "._-~+".contains(c) => Some(c),
            _ => None,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Expands Hugo's permalink tokens.
fn hugo_pattern(pattern: &str, page: &OldPage, dirs: &[String], stem: &str) -> String {
    let date = page.mapped.date.or(page.name_date);
    let slug = page
        .mapped
        .slug
        .clone()
        .unwrap_or_else(|| urlize(page.title));
    let filename = stem.to_string();
    let mut tokens: Vec<(&str, String)> = vec![
        (
            ":slugorcontentbasename",
            page.mapped.slug.clone().unwrap_or(filename.clone()),
        ),
        (
            ":slugorfilename",
            page.mapped.slug.clone().unwrap_or(filename.clone()),
        ),
        (":contentbasename", filename.clone()),
        (":filename", filename),
        (":sections", dirs.join("/")),
        (":section", dirs.first().cloned().unwrap_or_default()),
        (":title", urlize(page.title)),
        (":slug", slug),
    ];
    if let Some(d) = date {
        tokens.extend([
            (":year", format!("{:04}", d.year())),
            (":monthname", d.format("%B").to_string().to_lowercase()),
            (":month", format!("{:02}", d.month())),
            (":day", format!("{:02}", d.day())),
            (":yearday", d.ordinal().to_string()),
            (":weekday", d.weekday().num_days_from_sunday().to_string()),
        ]);
    }
    expand(pattern, &tokens)
}

/// Expands a Jekyll permalink style or pattern.
fn jekyll_pattern(style: &str, page: &OldPage, dirs: &[&str]) -> String {
    let pattern = match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    };
    // Folders above `_posts` are categories too.
    let mut categories: Vec<String> = dirs
        .iter()
        .take_while(|d| **d != "_posts" && **d != "_drafts")
        .map(|d| d.to_lowercase())
        .collect();
    for c in &page.mapped.categories {
        let c = c.to_lowercase();
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    let title = page
        .mapped
        .slug
        .clone()
        .unwrap_or_else(|| jekyll_slug(page.name));
    let mut tokens: Vec<(&str, String)> = vec![
        (":categories", categories.join("/")),
        (":output_ext", ".html".into()),
        (":title", title.clone()),
        (":slug", title),
        (":name", page.name.to_string()),
        (":basename", page.name.to_string()),
        (":path", dirs.join("/")),
        (":collection", "posts".into()),
    ];
    tokens.extend(date_tokens(page.mapped.date.or(page.name_date)));
    expand(pattern, &tokens)
}

/// Jekyll's date tokens.
fn date_tokens(date: Option<NaiveDate>) -> Vec<(&'static str, String)> {
    let Some(d) = date else {
        return Vec::new();
    };
    vec![
        (":year", format!("{:04}", d.year())),
        (":short_year", format!("{:02}", d.year() % 100)),
        (":i_month", d.month().to_string()),
        (":short_month", d.format("%b").to_string()),
        (":long_month", d.format("%B").to_string()),
        (":month", format!("{:02}", d.month())),
        (":i_day", d.day().to_string()),
        (":y_day", format!("{:03}", d.ordinal())),
        (":short_day", d.format("%a").to_string()),
        (":day", format!("{:02}", d.day())),
        (":week", format!("{:02}", d.iso_week().week())),
    ]
}

/// A path under SRC without Jekyll's `collections_dir` in front.
fn within_collections_dir<'a>(site: &SourceSite, rel: &'a str) -> &'a str {
    if site.collections_dir.is_empty() {
        return rel;
    }
    rel.strip_prefix(&site.collections_dir)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(rel)
}

/// The `permalink` Jekyll's `defaults` give a document at `rel` (under
/// SRC, without `collections_dir`): of the scopes that match its path and
/// type, the one with the longest path wins, then one with a type, then
/// the last written.
fn default_permalink<'a>(site: &'a SourceSite, page: &OldPage, rel: &str) -> Option<&'a str> {
    let kind = if page.is_draft {
        "drafts"
    } else if page.is_post {
        "posts"
    } else {
        page.collection.unwrap_or("pages")
    };
    site.permalink_defaults
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind.as_deref().is_none_or(|k| k == kind))
        .filter(|(_, d)| scope_matches(&d.path, rel))
        .max_by_key(|(n, d)| (d.path.len(), d.kind.is_some(), *n))
        .map(|(_, d)| d.permalink.as_str())
}

/// Whether a `defaults` scope path covers `rel`: it starts with it, or
/// with a path its `*` patterns match.
fn scope_matches(scope: &str, rel: &str) -> bool {
    if scope.is_empty() {
        return true;
    }
    if !scope.contains('*') {
        return rel.starts_with(scope);
    }
    let parts: Vec<&str> = rel.split('/').collect();
    (1..=parts.len()).any(|n| glob(scope, &parts[..n].join("/")))
}

/// `*` any characters but `/`, `**` any characters.
fn glob(pattern: &str, text: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("**") {
        return (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .any(|i| glob(rest, &text[i..]));
    }
    if let Some(rest) = pattern.strip_prefix('*') {
        let stop = text.find('/').unwrap_or(text.len());
        return (0..=stop)
            .filter(|i| text.is_char_boundary(*i))
            .any(|i| glob(rest, &text[i..]));
    }
    match (pattern.chars().next(), text.chars().next()) {
        (None, None) => true,
        (Some(p), Some(t)) if p == t => glob(&pattern[p.len_utf8()..], &text[t.len_utf8()..]),
        _ => false,
    }
}

/// A collection's permalink: its own (`own`), else `/:collection/:path`
/// ending as the site's permalink style does (Jekyll's
/// `add_permalink_suffix`).
fn collection_template(site: &SourceSite, own: Option<&str>) -> String {
    if let Some(p) = own {
        return p.to_string();
    }
    let style = site.permalink.as_deref().unwrap_or("date");
    let suffix = match style {
        "pretty" => "/",
        "date" | "ordinal" | "none" => ":output_ext",
        s if s.ends_with('/') => "/",
        s if s.ends_with(":output_ext") => ":output_ext",
        _ => "",
    };
    format!("/:collection/:path{suffix}")
}

/// The tokens of a collection's permalink for a file at `inner` (its path
/// in the collection's folder, without extension).
fn collection_tokens(
    page: Option<&OldPage>,
    collection: &str,
    inner: &str,
    output_ext: &str,
) -> Vec<(&'static str, String)> {
    let base = inner.rsplit('/').next().unwrap_or(inner);
    let mut tokens: Vec<(&str, String)> = vec![
        (":collection", collection.to_string()),
        (":path", format!("/{inner}")),
        (":output_ext", output_ext.to_string()),
        (":name", jekyll_slug_default(base)),
        (":basename", base.to_string()),
    ];
    let Some(page) = page else {
        // A file that is not a document has no title.
        tokens.extend([(":title", String::new()), (":slug", String::new())]);
        return tokens;
    };
    // Jekyll takes a date off the front of every document's name.
    let (name_date, undated) = super::walk::dated_name(base);
    let slug = page.mapped.slug.as_deref().unwrap_or(undated);
    let categories: Vec<String> = page
        .mapped
        .categories
        .iter()
        .map(|c| c.to_lowercase())
        .collect();
    tokens.extend([
        (":title", jekyll_slug(slug)),
        (":slug", jekyll_slug_default(slug)),
        (":categories", categories.join("/")),
    ]);
    tokens.extend(date_tokens(
        page.mapped.date.or(page.name_date).or(name_date),
    ));
    tokens
}

/// Expands a collection document's permalink.
fn collection_pattern(pattern: &str, page: &OldPage, collection: &str, inner: &str) -> String {
    expand(
        pattern,
        &collection_tokens(Some(page), collection, inner, ".html"),
    )
}

/// Where Jekyll wrote a file of a collection that is not a document (no
/// header): its permalink without `.html`, then the file's extension;
/// `rel` is its path in the collection's folder.
pub fn collection_file(site: &SourceSite, collection: &Collection, rel: &str) -> String {
    let (inner, ext) = match rel.rsplit_once('.') {
        Some((p, e)) if !p.ends_with('/') && !p.is_empty() => (p, format!(".{e}")),
        _ => (rel, String::new()),
    };
    let template = collection_template(site, collection.permalink.as_deref());
    let tokens = collection_tokens(None, &collection.name, inner, "");
    let path = expand(&template, &tokens);
    clean(&format!("{}{ext}", path.trim_end_matches('/')))
}

/// Jekyll's default `slugify`: runs of characters other than letters and
/// digits become one hyphen, lower case.
fn jekyll_slug_default(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A file name as Jekyll puts it in an address: runs of characters other
/// than letters, digits and `._~!$&'()+,;=@` become one hyphen.
fn jekyll_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Replaces `:token`s, longest names first (`:month` after `:monthname`).
fn expand(pattern: &str, tokens: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = tokens.iter().collect();
    sorted.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    let mut out = String::new();
    let mut rest = pattern;
    'outer: while !rest.is_empty() {
        if rest.starts_with(':') {
            for (token, value) in &sorted {
                if let Some(after) = rest.strip_prefix(token) {
                    out.push_str(value);
                    rest = after;
                    continue 'outer;
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A URL or path as written, as a site path: host, query and fragment off,
/// a leading slash, no `//`.
pub fn as_site_path(written: &str) -> String {
    let mut s = written.trim();
    if let Some(i) = s.find("://") {
        s = s[i + 3..].find('/').map_or("/", |j| &s[i + 3 + j..]);
    }
    let s = s.split(['?', '#']).next().unwrap_or("");
    clean(&format!("/{s}"))
}

/// Collapses `//`, and `x/index.html` to `x/` (the same file pillole writes).
fn clean(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    if let Some(dir) = out.strip_suffix("index.html") {
        if dir.ends_with('/') {
            return dir.to_string();
        }
    }
    out
}

/// Written aliases as site paths: absolute ones as they are, relative ones
/// under the folder of the page's old address (Hugo).
pub fn resolve_alias(written: &str, old: Option<&str>) -> String {
    let w = written.trim();
    if w.starts_with('/') || w.contains("://") {
        return as_site_path(w);
    }
    let base = old
        .and_then(|o| o.trim_end_matches('/').rsplit_once('/').map(|(d, _)| d))
        .unwrap_or("");
    as_site_path(&format!("{base}/{w}"))
}

/// Whether two site paths name the same page (`/a/b` is served as `/a/b/`).
pub fn same_address(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(layout: Layout) -> SourceSite {
        SourceSite::new(layout)
    }

    fn page<'a>(rel: &'a str, m: &'a Mapped, name: &'a str) -> OldPage<'a> {
        OldPage {
            content_rel: rel,
            mapped: m,
            name_date: NaiveDate::from_ymd_opt(2024, 1, 5),
            name,
            is_post: rel.contains("_posts/"),
            is_draft: false,
            collection: None,
            title: "Ciao Mondo",
        }
    }

    #[test]
    fn jekyll_posts_follow_the_permalink_style() {
        let mut s = site(Layout::Jekyll);
        let m = Mapped {
            categories: vec!["Notizie".into()],
            ..Default::default()
        };
        let p = page("_posts/2024-01-05-ciao-mondo.md", &m, "ciao-mondo");
        assert_eq!(
            old_address(&s, &p).unwrap(),
            "/notizie/2024/01/05/ciao-mondo.html"
        );
        s.permalink = Some("pretty".into());
        assert_eq!(
            old_address(&s, &p).unwrap(),
            "/notizie/2024/01/05/ciao-mondo/"
        );
        s.permalink = Some("/blog/:year/:title/".into());
        assert_eq!(old_address(&s, &p).unwrap(), "/blog/2024/ciao-mondo/");
        let m = Mapped::default();
        let about = page("chi-siamo.md", &m, "chi-siamo");
        s.permalink = None;
        assert_eq!(old_address(&s, &about).unwrap(), "/chi-siamo.html");
        let idx = page("docs/index.md", &m, "index");
        assert_eq!(old_address(&s, &idx).unwrap(), "/docs/");
    }

    #[test]
    fn hugo_uses_sections_slugs_and_permalinks() {
        let mut s = site(Layout::Hugo);
        let m = Mapped {
            slug: Some("Altro_Nome".into()),
            ..Default::default()
        };
        let p = page("posts/Primo Post.md", &m, "Primo Post");
        assert_eq!(old_address(&s, &p).unwrap(), "/posts/altro_nome/");
        let m = Mapped::default();
        let p = page("posts/Primo Post.md", &m, "Primo Post");
        assert_eq!(old_address(&s, &p).unwrap(), "/posts/primo-post/");
        s.lang_prefix = Some("en".into());
        assert_eq!(old_address(&s, &p).unwrap(), "/en/posts/primo-post/");
        s.lang_prefix = None;
        s.permalinks = vec![("posts".into(), "/:year/:month/:title/".into())];
        assert_eq!(old_address(&s, &p).unwrap(), "/2024/01/ciao-mondo/");
        let m = Mapped {
            url: Some("/vecchio/indirizzo.html".into()),
            ..Default::default()
        };
        assert_eq!(
            old_address(&s, &page("a.md", &m, "a")).unwrap(),
            "/vecchio/indirizzo.html"
        );
    }

    #[test]
    fn jekyll_collections_and_defaults() {
        let mut s = site(Layout::Jekyll);
        let plain = Collection {
            name: "schede".into(),
            output: true,
            permalink: None,
        };
        assert_eq!(
            collection_template(&s, plain.permalink.as_deref()),
            "/:collection/:path:output_ext"
        );
        assert_eq!(
            collection_file(&s, &plain, "spid/schema.png"),
            "/schede/spid/schema.png"
        );
        s.permalink = Some("/blog/:title/".into());
        assert_eq!(
            collection_template(&s, plain.permalink.as_deref()),
            "/:collection/:path/"
        );
        let m = Mapped::default();
        let mut p = page("_schede/spid/Come Fare.md", &m, "Come Fare");
        p.collection = Some("schede");
        assert_eq!(old_address(&s, &p).unwrap(), "/schede/spid/Come Fare/");
        s.collections = vec![Collection {
            permalink: Some("/:collection/:name:output_ext".into()),
            ..plain.clone()
        }];
        assert_eq!(old_address(&s, &p).unwrap(), "/schede/come-fare.html");
        // The date in front of a document's name is not in its title.
        s.collections.push(Collection {
            name: "notizie".into(),
            output: true,
            permalink: Some("/:collection/:year/:title".into()),
        });
        let mut p = page(
            "_notizie/2024-01-05-Ciao Mondo.md",
            &m,
            "2024-01-05-Ciao Mondo",
        );
        p.collection = Some("notizie");
        assert_eq!(old_address(&s, &p).unwrap(), "/notizie/2024/Ciao-Mondo");
        // collections_dir is not part of the path.
        s.collections_dir = "raccolte".into();
        let mut p = page("raccolte/_schede/a/b.md", &m, "b");
        p.collection = Some("schede");
        assert_eq!(old_address(&s, &p).unwrap(), "/schede/b.html");
        s.permalink_defaults = vec![
            PermalinkDefault {
                path: "".into(),
                kind: Some("schede".into()),
                permalink: "/tutte/:name/".into(),
            },
            PermalinkDefault {
                path: "_schede/*".into(),
                kind: None,
                permalink: "/dentro/:name/".into(),
            },
        ];
        assert_eq!(old_address(&s, &p).unwrap(), "/dentro/b/");
        s.permalink_defaults.pop();
        assert_eq!(old_address(&s, &p).unwrap(), "/tutte/b/");
        // Front matter wins over defaults.
        let own = Mapped {
            url: Some("/mia/".into()),
            ..Default::default()
        };
        let mut p = page("raccolte/_schede/a/b.md", &own, "b");
        p.collection = Some("schede");
        assert_eq!(old_address(&s, &p).unwrap(), "/mia/");
    }

    #[test]
    fn scope_globs() {
        assert!(scope_matches("", "a/b.md"));
        assert!(scope_matches("docs", "docs/a.md"));
        assert!(!scope_matches("docs", "altro/a.md"));
        assert!(scope_matches("docs/*/x", "docs/a/x/y.md"));
        assert!(!scope_matches("docs/*/x", "docs/a/b/x/y.md"));
        assert!(scope_matches("docs/**/x", "docs/a/b/x/y.md"));
    }

    #[test]
    fn zola_and_mdbook() {
        let s = site(Layout::Zola);
        let m = Mapped::default();
        assert_eq!(
            old_address(&s, &page("Blog/Primo.md", &m, "Primo")).unwrap(),
            "/blog/primo/"
        );
        let s = site(Layout::MdBook);
        assert_eq!(
            old_address(&s, &page("guida/uso.md", &m, "uso")).unwrap(),
            "/guida/uso.html"
        );
        assert_eq!(
            old_address(&s, &page("guida/README.md", &m, "README")).unwrap(),
            "/guida/"
        );
    }

    #[test]
    fn aliases_become_site_paths() {
        assert_eq!(
            resolve_alias("https://x.it/a/b.html?x=1#y", None),
            "/a/b.html"
        );
        assert_eq!(
            resolve_alias("vecchio/", Some("/posts/nuovo/")),
            "/posts/vecchio/"
        );
        assert_eq!(resolve_alias("/a//index.html", None), "/a/");
        assert!(same_address("/a/b", "/a/b/"));
    }
}

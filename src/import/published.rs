//! Documents the old site never published as pages, which the import
//! leaves out (and counts): Hugo's build options `build: {render: never}`
//! (or `link`, or the older `_build` and `render: false`) and `headless:
//! true` on a leaf bundle's `index.md`, written on the page or cascaded
//! from a section's `_index.md` (to the section itself and everything
//! below it, as Hugo does) or from the site's `cascade`.
//!
//! Such folders hold snippets that templates or shortcodes include, not
//! pages: importing them would make pages nobody could reach. Their other
//! files are still copied (a template may have published them). Drafts
//! are not decided here: they stay drafts.
//!
//! A page never rendered but still listed (`list: local` or `always`, the
//! default) in a section that is published is what Hugo sites use for a
//! glossary: its section page shows every such page as an entry. Those are
//! gathered into their section's page instead of left out.

use super::layout::{key_in as key, Layout, SourceSite};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The build options a header sets (`build`, or the older `_build`).
fn build_options(fields: &Map<String, Value>) -> Option<&Value> {
    key(fields, "build").or_else(|| key(fields, "_build"))
}

/// The build options a `cascade` passes down to every page: from its
/// entries without a target (a target picks pages by patterns the import
/// does not read, so those pages are imported).
fn cascaded_build(cascade: &Value) -> Option<&Value> {
    let entries: Vec<&Value> = match cascade {
        Value::Array(list) => list.iter().collect(),
        other => vec![other],
    };
    entries.into_iter().rev().find_map(|entry| {
        let fields = entry.as_object()?;
        let targeted = ["_target", "target"]
            .iter()
            .any(|t| key(fields, t).is_some_and(|v| v.as_object().is_none_or(|m| !m.is_empty())));
        if targeted {
            return None;
        }
        build_options(fields)
    })
}

/// Whether build options say Hugo did not write the page.
fn not_rendered(build: &Value) -> bool {
    let Some(render) = build.as_object().and_then(|b| key(b, "render")) else {
        return false;
    };
    match render {
        Value::Bool(b) => !b,
        Value::String(s) => {
            let s = s.trim().to_ascii_lowercase();
            s == "never" || s == "link" || s == "false"
        }
        _ => false,
    }
}

/// The folder of a content path (`a/b` for `a/b/c.md`, `` at the top).
fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// What becomes of a document the old site never published as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    /// Left out.
    Dropped,
    /// An entry of its section's page (a glossary term).
    Gathered,
}

/// Whether build options still list the page in its section.
fn listed(build: &Value) -> bool {
    match build.as_object().and_then(|b| key(b, "list")) {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => {
            let s = s.trim().to_ascii_lowercase();
            s == "local" || s == "always" || s == "true"
        }
        Some(_) => false,
    }
}

fn is_section_index(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or("");
    file.rsplit_once('.').map_or(file, |(s, _)| s) == "_index"
}

/// Which of `docs` (each its path under the old content folder and its
/// header) the old site never published as a page: their positions, and
/// whether each is left out or gathered into its section's page.
pub fn unpublished(
    site: &SourceSite,
    docs: &[(&str, &Map<String, Value>)],
) -> Vec<(usize, Unpublished)> {
    if site.layout != Layout::Hugo {
        return Vec::new();
    }
    // Each section's cascaded build options, by its folder.
    let mut cascades: HashMap<&str, &Value> = HashMap::new();
    for (rel, fields) in docs {
        let file = rel.rsplit('/').next().unwrap_or("");
        if file.rsplit_once('.').map_or(file, |(s, _)| s) != "_index" {
            continue;
        }
        if let Some(build) = key(fields, "cascade").and_then(cascaded_build) {
            cascades.insert(dir_of(rel), build);
        }
    }
    let site_wide = site.cascade.as_ref().and_then(cascaded_build);
    let mut out = Vec::new();
    for (n, (rel, fields)) in docs.iter().enumerate() {
        let file = rel.rsplit('/').next().unwrap_or("");
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let headless = stem == "index" && key(fields, "headless") == Some(&Value::Bool(true));
        let build = build_options(fields).or_else(|| {
            // The nearest section's cascade, from the page's own folder up.
            let mut dir = dir_of(rel);
            loop {
                if let Some(b) = cascades.get(dir) {
                    return Some(*b);
                }
                if dir.is_empty() {
                    return site_wide;
                }
                dir = dir_of(dir);
            }
        });
        if headless || build.is_some_and(not_rendered) {
            out.push((n, build.filter(|_| !headless)));
        }
    }
    let gone: Vec<&str> = out.iter().map(|(n, _)| docs[*n].0).collect();
    // A section whose own page is published, by its folder.
    let published_section = |dir: &str| {
        docs.iter()
            .any(|(rel, _)| is_section_index(rel) && dir_of(rel) == dir && !gone.contains(rel))
    };
    out.into_iter()
        .map(|(n, build)| {
            let rel = docs[n].0;
            let gathered = !is_section_index(rel)
                && build.is_some_and(listed)
                && published_section(dir_of(rel));
            let fate = if gathered {
                Unpublished::Gathered
            } else {
                Unpublished::Dropped
            };
            (n, fate)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(yaml: &str) -> Map<String, Value> {
        match crate::content::front_matter::loose_yaml(yaml).unwrap() {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            _ => panic!("not a map"),
        }
    }

    fn run(site: &SourceSite, docs: &[(&str, &str)]) -> Vec<String> {
        let headers: Vec<(&str, Map<String, Value>)> =
            docs.iter().map(|(r, y)| (*r, header(y))).collect();
        let refs: Vec<(&str, &Map<String, Value>)> = headers.iter().map(|(r, h)| (*r, h)).collect();
        unpublished(site, &refs)
            .into_iter()
            .map(|(n, fate)| match fate {
                Unpublished::Dropped => docs[n].0.to_string(),
                Unpublished::Gathered => format!("{} (raccolta)", docs[n].0),
            })
            .collect()
    }

    #[test]
    fn build_options_on_the_page_and_cascaded() {
        let site = SourceSite::new(Layout::Hugo);
        let docs = [
            ("_common/_index.md", "cascade:\n  build:\n    render: never\n    list: never\n"),
            ("_common/a.md", "title: A\n"),
            ("_common/deep/b.md", ""),
            ("glossario/_index.md", "build:\n  render: always\ncascade:\n  - build:\n      render: never\n      list: local\n"),
            ("glossario/termine.md", "title: T\n"),
            ("glossario/visibile.md", "build:\n  render: always\n"),
            ("pagina.md", "_build:\n  render: false\n"),
            ("link.md", "build:\n  render: link\n"),
            ("lista.md", "build:\n  list: never\n"),
            ("bundle/index.md", "headless: true\n"),
            ("sezione/_index.md", "headless: true\n"),
            ("mirata/_index.md", "cascade:\n  build:\n    render: never\n  _target:\n    path: /mirata/x\n"),
            ("mirata/y.md", ""),
            ("bozza.md", "draft: true\n"),
            // Listed, but its section has no page of its own.
            ("sparsa/_index.md", "cascade:\n  build:\n    render: never\n"),
            ("sparsa/voce.md", ""),
        ];
        assert_eq!(
            run(&site, &docs),
            [
                "_common/_index.md",
                "_common/a.md",
                "_common/deep/b.md",
                "glossario/termine.md (raccolta)",
                "pagina.md",
                "link.md",
                "bundle/index.md",
                "sparsa/_index.md",
                "sparsa/voce.md",
            ]
        );
    }

    #[test]
    fn the_sites_cascade_reaches_every_page() {
        let mut site = SourceSite::new(Layout::Hugo);
        site.cascade = Some(serde_json::json!([{"build": {"render": "never"}}]));
        let docs = [("a.md", ""), ("b.md", "build:\n  render: always\n")];
        assert_eq!(run(&site, &docs), ["a.md"]);
        site.layout = Layout::Zola;
        assert!(run(&site, &docs).is_empty());
    }
}

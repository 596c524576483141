//! The pages of a Gatsby site that live in YAML: a page of `src/pages/`
//! (`strategia-cloud-pa.js`, published at `/strategia-cloud-pa/`) shows,
//! through the layout it imports, a YAML file of a content folder
//! (`contents/strategy-page/strategy.yml`). That folder becomes the page:
//! the YAML's `title` and `body`, and its lists of terms (entries with an
//! `id`, a name and a description, as a glossary) as headings with that
//! id, so that links to `/glossario/#iaas` still arrive. The JavaScript is
//! only searched for the files it imports, never run.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Extensions of the JavaScript files a Gatsby site's pages are written in.
const SCRIPTS: [&str; 4] = ["js", "jsx", "ts", "tsx"];

/// A page made from a YAML file.
#[derive(Debug, PartialEq)]
pub struct YamlPage {
    /// The YAML file, relative to SRC (`contents/strategy-page/strategy.yml`).
    pub src_rel: String,
    /// The address the old site gave it (`/strategia-cloud-pa/`).
    pub address: String,
    pub title: String,
    /// Markdown: the YAML's `body`, then its terms.
    pub body: String,
}

/// The pages of `src/pages/` whose layout shows a YAML file with a title.
pub fn pages(src: &Path) -> Vec<YamlPage> {
    let Ok(entries) = std::fs::read_dir(src.join("src/pages")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| SCRIPTS.contains(&&*e.to_string_lossy()))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for page in files {
        let stem = page
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // The home page and the page of missing pages are pillole's own.
        if stem == "index" || stem == "404" || stem.starts_with('_') {
            continue;
        }
        let address = format!("/{stem}/");
        if let Some(p) =
            yaml_of(src, &page).and_then(|(path, v)| read_page(src, &path, &v, address))
        {
            out.push(p);
        }
    }
    out
}

/// The first YAML file with a `title` that `page` imports, itself or
/// through the files it imports from `src/` (its layout), read.
fn yaml_of(src: &Path, page: &Path) -> Option<(PathBuf, Value)> {
    let mut seen = Vec::new();
    let mut queue = vec![page.to_path_buf()];
    while let Some(file) = queue.pop() {
        if seen.contains(&file) || seen.len() > 20 {
            continue;
        }
        seen.push(file.clone());
        let Ok(code) = std::fs::read_to_string(&file) else {
            continue;
        };
        let dir = file.parent().unwrap_or(src);
        let mut code_files = Vec::new();
        for import in imports(&code) {
            let Some(target) = resolve(dir, &import) else {
                continue;
            };
            let is_yaml = import.ends_with(".yml") || import.ends_with(".yaml");
            if is_yaml {
                let titled = super::layout::read_loose(&target)
                    .ok()
                    .filter(|v| v.get("title").and_then(Value::as_str).is_some());
                if let Some(v) = titled {
                    return Some((target, v));
                }
            } else if target.starts_with(src.join("src")) {
                code_files.push(target);
            }
        }
        // Depth first, in the order written.
        queue.extend(code_files.into_iter().rev());
    }
    None
}

/// The relative paths a JavaScript file imports (`from '../x.js'`).
fn imports(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("from ") {
        rest = &rest[at + 5..];
        let trimmed = rest.trim_start();
        let Some(quote) = trimmed.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
            continue;
        };
        let inner = &trimmed[1..];
        if let Some(end) = inner.find(quote) {
            let path = &inner[..end];
            if path.starts_with('.') {
                out.push(path.to_string());
            }
        }
    }
    out
}

/// An imported path as a file (`..` taken away): as written, or with a
/// script extension.
fn resolve(dir: &Path, import: &str) -> Option<PathBuf> {
    let base = lexical(&dir.join(import));
    std::iter::once(base.clone())
        .chain(SCRIPTS.iter().map(|e| base.with_extension(e)))
        .find(|p| p.is_file())
}

/// `path` with `.` and `name/..` taken away, without asking the disk.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn read_page(src: &Path, yaml: &Path, v: &Value, address: String) -> Option<YamlPage> {
    let title = v.get("title")?.as_str()?.trim().to_string();
    let mut body = v
        .get("body")
        .and_then(Value::as_str)
        .map(|b| b.trim().to_string())
        .unwrap_or_default();
    if let Value::Object(map) = v {
        for list in map.values().filter_map(Value::as_array) {
            for term in list.iter().filter_map(term) {
                body.push_str(&format!("\n\n## {} {{#{}}}\n\n{}", term.0, term.1, term.2));
            }
        }
    }
    let src_rel = yaml
        .strip_prefix(src)
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    Some(YamlPage {
        src_rel,
        address,
        title,
        body: format!("{}\n", body.trim()),
    })
}

/// An entry with an id that a link may name, a name and a description:
/// (name, id, description).
fn term(entry: &Value) -> Option<(String, String, String)> {
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| entry.get(*k).and_then(Value::as_str))
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let id = text(&["id"])?;
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return None;
    }
    Some((
        text(&["name", "title"])?,
        id,
        text(&["description", "body"])?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_found_in_order_and_bare_packages_left_out() {
        let code = "import React from 'react';\nimport { X } from \"../layouts/X.js\";\n\
                    import content from '../../contents/a/a.yml';\nconst from = 1;";
        assert_eq!(imports(code), ["../layouts/X.js", "../../contents/a/a.yml"]);
    }

    #[test]
    fn an_import_is_found_without_its_dots() {
        let tmp = tempfile::tempdir().unwrap();
        let layouts = tmp.path().join("src/layouts");
        std::fs::create_dir_all(&layouts).unwrap();
        std::fs::write(layouts.join("Page.js"), "").unwrap();
        let pages = tmp.path().join("src/pages");
        assert_eq!(
            resolve(&pages, "./../layouts/Page"),
            Some(layouts.join("Page.js"))
        );
        assert_eq!(
            lexical(Path::new("../../site/src/pages/./../layouts/X.js")),
            Path::new("../../site/src/layouts/X.js")
        );
    }

    #[test]
    fn a_term_needs_an_id_a_name_and_a_description() {
        let v: Value = serde_yaml::from_str(
            "- {id: iaas, name: IaaS, description: \"Infrastruttura\n  come servizio\"}\n\
             - {id: 'no id', name: X, description: Y}\n- {name: Z, description: W}",
        )
        .unwrap();
        let found: Vec<_> = v.as_array().unwrap().iter().filter_map(term).collect();
        assert_eq!(
            found,
            [(
                "IaaS".to_string(),
                "iaas".to_string(),
                "Infrastruttura come servizio".to_string()
            )]
        );
    }
}

//! The theme: templates and static files, from the embedded default theme,
//! overridden file by file by `themes/<name>/` and then by the site's own
//! `templates/` and `static/` folders.
//!
//! An override that cannot be read is a warning and the default is kept.

use crate::content::load::{is_ignored, relative};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Name of the theme built into the binary.
pub const DEFAULT_THEME: &str = "agid";

/// Theme files by path (`templates/base.html`, `static/css/pillole.css`).
pub struct Theme {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded theme, then overrides found under `root`.
    pub fn load(root: &Path, name: &str) -> (Theme, Vec<Diagnostic>) {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut diags = Vec::new();
        if name == DEFAULT_THEME {
            for (path, bytes) in embedded::FILES {
                files.insert((*path).to_string(), bytes.to_vec());
            }
        }
        let theme_dir = root.join("themes").join(name);
        if name != DEFAULT_THEME && !theme_dir.is_dir() {
            diags.push(
                Diagnostic::error("site.yaml", "theme-missing", format!("il tema «{name}» non c'è nella cartella themes/"))
                    .hint(format!("togli la voce `theme` per usare il tema {DEFAULT_THEME}, o crea themes/{name}/")),
            );
        }
        overlay(root, &theme_dir, "", &mut files, &mut diags);
        overlay(
            root,
            &root.join("templates"),
            "templates/",
            &mut files,
            &mut diags,
        );
        overlay(
            root,
            &root.join("static"),
            "static/",
            &mut files,
            &mut diags,
        );
        (Theme { files }, diags)
    }

    pub fn templates(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().filter_map(|(path, bytes)| {
            let name = path.strip_prefix("templates/")?;
            Some((name, std::str::from_utf8(bytes).ok()?))
        })
    }

    pub fn statics(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter_map(|(path, bytes)| Some((path.strip_prefix("static/")?, bytes.as_slice())))
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| b.as_slice())
    }
}

fn overlay(
    root: &Path,
    dir: &Path,
    prefix: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let unreadable = |path: &Path, why: String| {
        Diagnostic::warning(
            relative(root, path),
            "theme-unreadable",
            format!("non riesco a leggere questo file del tema: {why}"),
        )
        .hint("uso il file del tema predefinito al suo posto")
    };
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let why = e.io_error().map_or_else(|| e.to_string(), crate::io_reason);
                diags.push(unreadable(&path, why));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = format!("{prefix}{}", relative(dir, entry.path()));
        match std::fs::read(entry.path()) {
            Ok(bytes) if rel.starts_with("templates/") && std::str::from_utf8(&bytes).is_err() => {
                diags.push(unreadable(
                    entry.path(),
                    "il modello non è scritto in UTF-8 (salvalo come UTF-8 dall'editor)".into(),
                ));
            }
            Ok(bytes) => {
                files.insert(rel, bytes);
            }
            Err(e) => diags.push(unreadable(entry.path(), crate::io_reason(&e))),
        }
    }
}

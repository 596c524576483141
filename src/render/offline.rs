//! Reading without internet: the service worker (`/sw.js`, its code in
//! `sw.js` beside this file) with the site's shell to keep and a version
//! that changes with the theme, and the web app manifest that makes the
//! site installable. The offline page itself is a page of the route table.

use super::theme::Theme;
use super::Output;
use crate::config::Config;
use std::hash::{Hash, Hasher};

const WORKER: &str = include_str!("sw.js");

/// Pages kept when the worker is installed (besides the theme's files).
const SHELL_PAGES: &[&str] = &[
    "/",
    "/offline/",
    "/tutorial/",
    "/cerca/",
    "/cerca/indice.json",
];

/// `sw.js` and `manifest.webmanifest`, for the theme and site given.
pub fn files(theme: &Theme, config: &Config) -> Vec<Output> {
    let prefix = config.prefix();
    let mut shell: Vec<String> = SHELL_PAGES.iter().map(|p| format!("{prefix}{p}")).collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    prefix.hash(&mut hasher);
    for (path, bytes) in theme.statics() {
        path.hash(&mut hasher);
        bytes.hash(&mut hasher);
        let shown = [".css", ".js", ".woff2", ".svg"]
            .iter()
            .any(|ext| path.ends_with(ext));
        if shown && path != "sw.js" {
            shell.push(format!("{prefix}/{path}"));
        }
    }
    let version = format!("{:016x}", hasher.finish());
    let worker = WORKER
        .replace("__VERSION__", &version)
        .replace("__PREFIX__", &prefix)
        .replace(
            "__SHELL__",
            &serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into()),
        );
    let manifest = serde_json::json!({
        "name": config.title,
        "short_name": short_name(&config.title),
        "description": config.description,
        "lang": config.language,
        "start_url": format!("{prefix}/"),
        "scope": format!("{prefix}/"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#003366",
        "icons": [
            {"src": format!("{prefix}/favicon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    });
    vec![
        Output::bytes("sw.js", worker.into_bytes()),
        Output::bytes(
            "manifest.webmanifest",
            serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
        ),
    ]
}

/// The name under an installed site's icon: the title, or its first words
/// up to 12 characters.
fn short_name(title: &str) -> String {
    let mut out = String::new();
    for word in title.split_whitespace() {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.chars().count() > 12 && !out.is_empty() {
            break;
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_fit_under_an_icon() {
        assert_eq!(short_name("Pillole di digitale"), "Pillole di");
        assert_eq!(short_name("Giro"), "Giro");
        assert_eq!(
            short_name("Supercalifragilistico del quartiere"),
            "Supercalifragilistico"
        );
    }
}

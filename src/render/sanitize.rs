//! Sanitising raw HTML written inside Markdown bodies.
//!
//! By default a body's HTML goes through ammonia: harmless tags are kept,
//! scripts, frames, styles, event handlers and script URLs are removed. The
//! allow-list also keeps the markup pillole itself writes around tables and
//! code, so a sanitised page looks the same as a clean one.

use std::collections::HashSet;
use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
            "abbr",
            "input",
            "section",
        ])
        .add_generic_attributes([
            "id",
            "class",
            "lang",
            "title",
            "role",
            "aria-label",
            "tabindex",
        ])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("abbr", ["title"])
        .link_rel(None)
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        b
    })
}

/// Cleans an HTML fragment.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_what_runs_and_keeps_what_reads() {
        let dirty = r#"<p onclick="x()">Ciao <a href="JaVaScRiPt:alert(1)">qui</a><script>alert(1)</script><iframe src="//x"></iframe><style>p{}</style><img src=x onerror=alert(1) alt="a"><a href="&#106;avascript:alert(1)">b</a><a href="data:text/html,<script>alert(1)</script>">c</a></p><div class="table-wrap" tabindex="0" role="region" aria-label="Tabella"></div>"#;
        let out = clean(dirty);
        for bad in [
            "onclick",
            "script",
            "iframe",
            "<style",
            "onerror",
            "javascript",
            "data:",
        ] {
            assert!(!out.to_ascii_lowercase().contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("Ciao"));
        assert!(out.contains(r#"class="table-wrap""#), "{out}");
    }
}

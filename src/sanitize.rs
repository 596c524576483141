//! Sanitising raw HTML written inside Markdown bodies: what is kept, what
//! is removed. `content::markdown` asks whether something would be removed
//! (to warn the editor); render cleans bodies with it.
//!
//! By default a body's HTML goes through ammonia: harmless tags are kept,
//! scripts, frames, styles, event handlers and script URLs are removed. The
//! allow-list also keeps the markup pillole itself writes around tables and
//! code, so a sanitised page looks the same as a clean one.

use std::collections::HashSet;
use std::sync::OnceLock;

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(allow_list)
}

/// The sanitiser's settings.
fn allow_list() -> ammonia::Builder<'static> {
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
    .add_tag_attributes("img", ["loading", "decoding", "srcset", "sizes"])
    .add_tag_attributes("abbr", ["title"])
    .link_rel(None)
    .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    b
}

/// Cleans an HTML fragment.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// What [`clean`] removes because it runs code, loads other pages or
/// restyles the page; [`removes_unsafe`] looks for it.
const UNSAFE_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "button", "textarea", "select", "base", "meta", "link", "svg", "math", "template", "noscript",
];

/// The sanitiser's allow-list plus everything in [`UNSAFE_TAGS`], `style`
/// and `on…` attributes, and script URLs.
fn permissive() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = allow_list();
        b.clean_content_tags(HashSet::new())
            .add_tags(UNSAFE_TAGS)
            .add_generic_attributes(["style"])
            .add_generic_attribute_prefixes(["on"])
            .add_url_schemes(["javascript", "vbscript", "data"]);
        b
    })
}

/// True when [`clean`] takes something unsafe out of `html`: what it keeps
/// differs from what a permissive clean of the same fragment keeps (this
/// sees through entities and tags split over lines), or the text names an
/// unsafe tag or an event handler that the HTML parser drops before either
/// clean sees it (`<body onload=…>` inside a fragment). Tags that are only
/// unknown (dropped by both) do not count.
pub fn removes_unsafe(html: &str) -> bool {
    clean(html) != permissive().clean(html).to_string() || names_unsafe(html)
}

/// A plain look at the text for unsafe tags, script URLs and `on…=`
/// attributes.
fn names_unsafe(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    UNSAFE_TAGS
        .iter()
        .any(|t| compact.contains(&format!("<{t}")))
        || ["javascript:", "vbscript:", "data:text/html"]
            .iter()
            .any(|s| compact.contains(s))
        || has_event_handler(&lower)
}

fn has_event_handler(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    let mut i = 0;
    while let Some(pos) = lower[i..].find("on") {
        let at = i + pos;
        let before_ok = at > 0
            && (bytes[at - 1].is_ascii_whitespace()
                || bytes[at - 1] == b'/'
                || bytes[at - 1] == b'"'
                || bytes[at - 1] == b'\'');
        let rest = &lower[at + 2..];
        let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        if before_ok
            && name_len > 0
            && rest[name_len..].trim_start().starts_with('=')
            && lower[..at].contains('<')
        {
            return true;
        }
        i = at + 2;
    }
    false
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
        assert!(removes_unsafe(dirty));
        assert!(out.contains(r#"class="table-wrap""#), "{out}");
    }

    #[test]
    fn unsafe_removals_are_told_apart_from_harmless_markup() {
        for bad in [
            "<script>",
            "<a href=\"&#106;avascript:alert(1)\">",
            "<a href=\"java&#9;script:x\">",
            "<a href=javascript&colon;x>",
            "<svg/onload=alert(1)>",
            "<p style=\"position:fixed\">",
            "<img src=x onerror=alert(1)>",
            "<body onload=alert(1)>",
        ] {
            assert!(removes_unsafe(bad), "{bad}");
        }
        for good in [
            "<b>ok</b>",
            "</a>",
            "<details><summary>Altro</summary>Testo</details>",
            "<abbr title=\"Sistema Pubblico di Identità Digitale\">SPID</abbr>",
            "<a href=\"https://www.spid.gov.it/\">SPID</a>",
            "<font>vecchio</font>",
        ] {
            assert!(!removes_unsafe(good), "{good}");
        }
    }
}

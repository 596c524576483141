//! Sanitising raw HTML written inside Markdown bodies: what is kept, what
//! is removed. `content::markdown` asks whether something would be removed
//! (to warn the editor); render cleans bodies with it.
//!
//! By default a body's HTML goes through ammonia: harmless tags are kept,
//! scripts, frames, styles, event handlers and script URLs are removed. The
//! allow-list also keeps the markup pillole itself writes around tables and
//! code, so a sanitised page looks the same as a clean one, and what makes
//! hand-written HTML accessible: `aria-*`, `role`, `lang`, `dir`, `title`,
//! labels, table headers and captions.
//!
//! What ammonia keeps is then tidied so that nothing left depends on what
//! was removed: a label whose field is gone loses its tag (its words stay),
//! a field no label names is removed, a hidden field too; and every table
//! is put in the same scrolling region as Markdown tables.

use crate::content::markdown::TABLE_REGION;
use crate::raw_html::{self, Tag};
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
        "label",
        "section",
    ])
    .add_generic_attributes(["id", "class", "lang", "dir", "title", "role", "tabindex"])
    .add_generic_attribute_prefixes(["aria-"])
    .add_tag_attributes(
        "input",
        [
            "type",
            "checked",
            "disabled",
            "value",
            "placeholder",
            "name",
        ],
    )
    .add_tag_attributes("label", ["for"])
    .add_tag_attributes("th", ["abbr"])
    // Form fields ammonia removes take their options and text with them
    // (a button keeps its words: they may be a heading's).
    .clean_content_tags(HashSet::from(["script", "style", "select", "textarea"]))
    .add_tag_attributes("ol", ["start"])
    .add_tag_attributes("img", ["loading", "decoding", "srcset", "sizes"])
    .add_tag_attributes("abbr", ["title"])
    .link_rel(None)
    .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    b
}

/// Cleans an HTML fragment.
pub fn clean(html: &str) -> String {
    tidy(&builder().clean(html).to_string())
}

/// Drops what depends on something removed, and wraps tables (see the
/// module's doc). `html` is ammonia's output or pillole's own: well
/// formed, lowercase. Also run on bodies without raw HTML that hold an
/// empty link (`[](x)`).
pub fn tidy(html: &str) -> String {
    if !["<label", "<input", "<table", "<a "]
        .iter()
        .any(|t| html.contains(t))
    {
        return html.to_string();
    }
    let tags: Vec<Tag> = raw_html::tags(html).collect();
    let is_field = |t: &Tag| t.name == "input" && !t.close && t.attr("type") != Some("hidden");
    let field_ids: HashSet<&str> = tags
        .iter()
        .filter(|t| is_field(t))
        .filter_map(|t| t.attr("id"))
        .collect();
    let labelled: HashSet<&str> = tags
        .iter()
        .filter(|t| t.name == "label" && !t.close)
        .filter_map(|t| t.attr("for"))
        .filter(|f| field_ids.contains(f))
        .collect();
    // (where, what to put instead of the bytes from where.start to where.end)
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut labels: Vec<bool> = Vec::new();
    let mut tables: Vec<bool> = Vec::new();
    let mut links: Vec<bool> = Vec::new();
    for t in &tags {
        match (t.name.as_str(), t.close) {
            // A link with nothing to read out cannot be named: its tag goes.
            ("a", false) => {
                let inner = html[t.range.end..]
                    .find("</a>")
                    .map_or("", |end| &html[t.range.end..t.range.end + end]);
                let named = ["aria-label", "aria-labelledby", "title"]
                    .iter()
                    .any(|a| t.attr(a).is_some_and(|v| !v.trim().is_empty()))
                    || !raw_html::text_of(inner).trim().is_empty()
                    || raw_html::tags(inner).any(|i| {
                        i.name == "img" && i.attr("alt").is_some_and(|a| !a.trim().is_empty())
                    });
                links.push(named);
                if !named {
                    edits.push((t.range.clone(), ""));
                }
            }
            ("a", true) => {
                let dropped = links.pop() == Some(false);
                edits.extend(dropped.then(|| (t.range.clone(), "")));
            }
            ("label", false) => {
                let keep = t.attr("for").is_none_or(|f| field_ids.contains(f));
                labels.push(keep);
                if !keep {
                    edits.push((t.range.clone(), ""));
                }
            }
            ("label", true) => {
                let dropped = labels.pop() == Some(false);
                edits.extend(dropped.then(|| (t.range.clone(), "")));
            }
            ("input", false) => {
                let named = ["aria-label", "aria-labelledby", "title"]
                    .iter()
                    .any(|a| t.attr(a).is_some_and(|v| !v.trim().is_empty()))
                    || t.attr("id").is_some_and(|id| labelled.contains(id))
                    || labels.contains(&true);
                if !is_field(t) || !named {
                    edits.push((t.range.clone(), ""));
                }
            }
            ("table", false) => {
                let wrap = tables.is_empty() && !html[..t.range.start].ends_with(TABLE_REGION);
                tables.push(wrap);
                if wrap {
                    edits.push((t.range.start..t.range.start, TABLE_REGION));
                }
            }
            ("table", true) => {
                let wrapped = tables.pop() == Some(true);
                edits.extend(wrapped.then_some((t.range.end..t.range.end, "</div>")));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(html.len() + edits.len() * TABLE_REGION.len());
    let mut at = 0;
    for (range, with) in edits {
        out.push_str(&html[at..range.start]);
        out.push_str(with);
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

/// What [`clean`] removes because it runs code, loads other pages or
/// restyles the page; [`removed`] looks for it.
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

/// What [`clean`] takes out of `html` that an editor should hear about,
/// named as written (`<script>`, `onclick`, `style`, `javascript:`);
/// empty when nothing. Beyond the names, something counts as removed when
/// what the sanitiser keeps differs from what a permissive clean of the
/// same fragment keeps (this sees through entities and tags split over
/// lines), or the text names an unsafe tag or an event handler that the
/// HTML parser drops before either clean sees it (`<body onload=…>` inside
/// a fragment). Tags that are only unknown (dropped by both) do not count.
pub fn removed(html: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    fn add(names: &mut Vec<String>, name: String) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for t in raw_html::tags(html).filter(|t| !t.close) {
        if UNSAFE_TAGS.contains(&t.name.as_str()) {
            add(&mut names, format!("<{}>", t.name));
        }
        for a in &t.attrs {
            let value = a.value.to_ascii_lowercase();
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            if a.name.starts_with("on") && a.name.len() > 2 {
                add(&mut names, a.name.clone());
            } else if a.name == "style" {
                add(&mut names, "style".into());
            } else if ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|s| value.starts_with(s))
            {
                add(
                    &mut names,
                    value.split(':').next().unwrap_or_default().to_string() + ":",
                );
            }
        }
    }
    let unsafe_removed =
        tidy(&permissive().clean(html).to_string()) != clean(html) || names_unsafe(html);
    if names.is_empty() && unsafe_removed {
        add(&mut names, "codice che esegue programmi".into());
    }
    names
}

/// How many form fields of `html` (a whole body's raw HTML) [`clean`]
/// removes because no label names them.
pub fn unlabelled_fields(html: &str) -> usize {
    let kept = builder().clean(html).to_string();
    kept.matches("<input").count() - tidy(&kept).matches("<input").count()
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
        assert!(!removed(dirty).is_empty());
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
            assert!(!removed(bad).is_empty(), "{bad}");
        }
        for good in [
            "<b>ok</b>",
            "</a>",
            "<details><summary>Altro</summary>Testo</details>",
            "<abbr title=\"Sistema Pubblico di Identità Digitale\">SPID</abbr>",
            "<a href=\"https://www.spid.gov.it/\">SPID</a>",
            "<font>vecchio</font>",
        ] {
            assert!(removed(good).is_empty(), "{good}");
        }
    }
}

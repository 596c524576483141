//! Front-matter mistakes editors make, one site each: the diagnostics
//! `pillole check --format json` gives (rule, file, line, message, hint),
//! the real mistake first and in plain Italian.

use crate::util::Site;
use serde_json::Value;

const SITE_YAML: &str =
    "title: \"Prova\"\nbase_url: \"https://example.org\"\nfeedback: {email: a@example.org}\n";

/// A site with one tutorial whose file is `text`.
fn site_with(text: &str) -> Site {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write("content/tutorial/prova.md", text);
    site
}

/// The diagnostics of `pillole check` on `site`, about the tutorial only.
#[track_caller]
fn diagnostics(site: &Site) -> Vec<Value> {
    let (_, list) = site.check_json();
    list.into_iter()
        .filter(|d| d["file"] == "content/tutorial/prova.md")
        .collect()
}

fn text(d: &Value, key: &str) -> String {
    d[key].as_str().unwrap_or_default().to_string()
}

#[track_caller]
fn assert_first(list: &[Value], severity: &str, rule: &str, line: u64) -> Value {
    let Some(first) = list.first() else {
        panic!("no diagnostics")
    };
    assert_eq!(
        (
            text(first, "severity"),
            text(first, "rule"),
            first["line"].as_u64()
        ),
        (severity.to_string(), rule.to_string(), Some(line)),
        "first diagnostic: {first:#}"
    );
    first.clone()
}

const BODY: &str = "\n## Apri l'app\n\nApri l'app sul telefono.\n";

#[test]
fn a_misspelt_title_is_named_where_it_is_written() {
    let site = site_with(&format!(
        "---\nsummary: Come fare.\ntitel: Prova\n---\n{BODY}"
    ));
    let list = diagnostics(&site);
    let first = assert_first(&list, "error", "front-matter", 3);
    assert!(text(&first, "message").contains("`title`"), "{first:#}");
    assert!(
        text(&first, "hint").contains("`titel`: forse volevi scrivere `title`?"),
        "{first:#}"
    );
    // The same key is not reported twice.
    assert_eq!(list.len(), 1, "{list:#?}");
}

#[test]
fn italian_keys_are_given_their_names() {
    let site = site_with(&format!(
        "---\ntitle: Prova\ndescrizione: Come fare.\netichette: [spid]\n---\n{BODY}"
    ));
    let list = diagnostics(&site);
    let hints: Vec<(u64, String)> = list
        .iter()
        .filter(|d| d["rule"] == "unknown-key")
        .map(|d| (d["line"].as_u64().unwrap(), text(d, "hint")))
        .collect();
    assert_eq!(
        hints,
        vec![
            (3, "forse volevi scrivere `summary`?".to_string()),
            (4, "forse volevi scrivere `tags`?".to_string()),
        ]
    );
}

/// The diagnostics of `pillole check` on a site with one event whose header is `yaml`.
#[track_caller]
fn event_diagnostics(yaml: &str) -> Vec<Value> {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write(
        "content/eventi/incontro.md",
        format!("---\n{yaml}---\n\nUn incontro.\n"),
    );
    let (_, list) = site.check_json();
    list.into_iter()
        .filter(|d| d["file"] == "content/eventi/incontro.md")
        .collect()
}

#[test]
fn italian_event_keys_and_values_are_given_their_names() {
    let mine = event_diagnostics(
        "title: Incontro\nstart: 2026-12-10T10:00\nend: 2026-12-10T12:00\nluogo: Biblioteca\nstatus: annullato\n",
    );
    let status = mine
        .iter()
        .find(|d| d["rule"] == "front-matter")
        .expect("the status is an error");
    assert_eq!(status["line"].as_u64(), Some(6), "{status:#}");
    assert!(text(status, "message").contains("«annullato»"));
    assert!(text(status, "hint").starts_with("forse volevi scrivere `cancelled`?"));
    let place = mine
        .iter()
        .find(|d| d["rule"] == "unknown-key")
        .expect("luogo is reported in the same run");
    assert_eq!(place["line"].as_u64(), Some(5));
    assert_eq!(text(place, "hint"), "forse volevi scrivere `place`?");
}

#[test]
fn a_date_written_the_italian_way_is_shown_corrected() {
    let list = event_diagnostics(
        "title: Incontro\nstart: 31/12/2026 10:00\nend: 2026-12-31T12:00\nplace: Biblioteca\n",
    );
    let d = list.first().expect("a diagnostic");
    assert_eq!(
        (text(d, "rule"), d["line"].as_u64()),
        ("front-matter".into(), Some(3))
    );
    assert!(
        text(d, "message").contains("qui: 2026-12-31T10:00"),
        "{d:#}"
    );
}

#[test]
fn a_tab_is_called_a_tab() {
    let site = site_with(&format!("---\ntitle: Prova\ntags:\n\t- spid\n---\n{BODY}"));
    let list = diagnostics(&site);
    let first = assert_first(&list, "error", "front-matter", 4);
    assert!(text(&first, "message").contains("Tab"), "{first:#}");
    assert!(text(&first, "hint").contains("spazi"), "{first:#}");
}

#[test]
fn yaml_messages_are_italian_only() {
    // A list item out of line, a second colon, an unclosed quote.
    for (yaml, line, says) in [
        ("title: Prova\ntags:\n   - spid\n  - cie\n", 5, "allineato"),
        (
            "title: Prova\nsummary: Come fare: i passi\n",
            3,
            "virgolette",
        ),
        ("title: \"Prova\nsummary: Come fare.\n", 2, "virgolette"),
    ] {
        let site = site_with(&format!("---\n{yaml}---\n{BODY}"));
        let list = diagnostics(&site);
        let first = assert_first(&list, "error", "front-matter", line);
        assert_eq!(list.len(), 1, "{list:#?}");
        let words = format!("{} {}", text(&first, "message"), text(&first, "hint"));
        assert!(words.contains(says), "{yaml:?}: {first:#}");
        for english in [
            "expected",
            "found",
            "while",
            "mapping",
            "indicator",
            "scalar",
        ] {
            assert!(!words.contains(english), "{yaml:?}: English left: {words}");
        }
    }
}

#[test]
fn a_missing_closing_fence_is_named_before_the_body() {
    // No `---` after the keys; a rule further down the body closes the
    // header, so the body's heading is read as YAML.
    let site = site_with("---\ntitle: Prova\nsummary: Come fare.\n\n## Apri l'app\n\nApri l'app: è facile.\n\n---\n\nFine.\n");
    let list = diagnostics(&site);
    let first = assert_first(&list, "error", "front-matter-unclosed", 5);
    assert!(text(&first, "message").contains("`---`"), "{first:#}");
    assert_eq!(list.len(), 1, "{list:#?}");
}

#[test]
fn a_page_that_cannot_be_read_is_still_a_link_target() {
    // One slip in prova.md; two pages link to it, as a file and as an address.
    let site = site_with(&format!(
        "---\ntitle: \"Prova\nsummary: Come fare.\n---\n{BODY}"
    ));
    site.write(
        "content/tutorial/altra.md",
        "---\ntitle: Altra\n---\n\n## Leggi\n\nLeggi [la guida di prova](prova.md) e [la stessa guida](/tutorial/prova/).\n",
    );
    site.write(
        "content/tutorial/terza.md",
        "---\ntitle: Terza\n---\n\n## Leggi\n\nLeggi [una guida che non c'è](nessuna.md).\n",
    );
    let (run, list) = site.check_json();
    let errors: Vec<(String, String)> = list
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (text(d, "rule"), text(d, "file")))
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "front-matter".to_string(),
                "content/tutorial/prova.md".to_string()
            ),
            // A link to a file that does not exist is still an error.
            (
                "broken-link".to_string(),
                "content/tutorial/terza.md".to_string()
            ),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_anchor_lists_the_anchors_that_exist() {
    let site = site_with(&format!(
        "---\ntitle: Prova\n---\n{BODY}\n## Entra con SPID\n\nEntra.\n"
    ));
    site.write(
        "content/tutorial/altra.md",
        "---\ntitle: Altra\n---\n\n## Leggi\n\nLeggi [come entrare](prova.md#entra-con-lo-spid).\n",
    );
    let (_, list) = site.check_json();
    let d = list
        .iter()
        .find(|d| d["rule"] == "broken-anchor")
        .expect("a broken anchor");
    assert_eq!(d["line"].as_u64(), Some(7));
    assert!(
        text(d, "hint").contains("i titoli della pagina sono: #apri-l-app, #entra-con-spid"),
        "{d:#}"
    );
}

//! Markup that sites brought over from other generators are written in:
//! definition lists, attribute lines, GitHub-style heading ids, and raw
//! HTML, which keeps what makes it accessible, loses what depends on what
//! was removed, has its tables scroll like Markdown ones and its links and
//! pictures checked and rewritten like Markdown ones.

use crate::util::Site;
use serde_json::Value;

const SITE_YAML: &str =
    "title: \"Prova\"\nbase_url: \"https://example.org\"\nfeedback: {email: a@example.org}\n";

/// A site with `pages`; the menu leads to each page at the top, so that
/// none is unreachable.
fn site<T: AsRef<[u8]>>(extra_yaml: &str, pages: &[(&str, T)]) -> Site {
    let site = Site::empty();
    let menu: String = pages
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("content/")?.strip_suffix(".md"))
        .filter(|name| !name.contains('/'))
        .map(|name| format!("  - {{name: {name}, url: /{name}/}}\n"))
        .collect();
    site.write("site.yaml", format!("{SITE_YAML}{extra_yaml}menu:\n{menu}"));
    for (path, text) in pages {
        site.write(path, text);
    }
    site
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\nsummary: \"Prova.\"\n---\n\n{body}")
}

/// The diagnostics of `file`, as (severity, rule, line).
fn diagnostics_of(list: &[Value], file: &str) -> Vec<(String, String, u64)> {
    list.iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn definition_lists_and_attribute_lines_read_as_their_generators_meant() {
    let body = "## Le parole\n{: #parole}\n\nSPID\n: l'identità digitale\n\nCIE\n: la carta d'identità elettronica\n{: .definizioni}\n\n{:toc}\n\n## Altro {#altro .grande}\n\nVedi [le parole](#parole).\n";
    let s = site("", &[("content/glossario.md", page("Glossario", body))]);
    s.build().success();
    let html = s.read_out("glossario/index.html");
    assert!(
        html.contains("<dl>") && html.contains("<dt>SPID</dt>"),
        "{html}"
    );
    assert!(
        html.contains("<dd>la carta d’identità elettronica</dd>"),
        "{html}"
    );
    for shown in ["{:", "{#", ".definizioni", "toc}"] {
        assert!(!html.contains(shown), "{shown} shown to readers");
    }
    assert!(html.contains("id=\"parole\""), "kramdown's id kept");
    assert!(html.contains("id=\"altro\""), "heading attribute kept");
    let (_, list) = s.check_json();
    assert!(
        diagnostics_of(&list, "content/glossario.md").is_empty(),
        "{list:?}"
    );
}

#[test]
fn github_heading_ids_keep_links_written_for_them() {
    let pages = [
        (
            "content/spid.md",
            page("SPID", "## Perché serve SPID?\n\nTesto.\n\n## Perché serve SPID?\n\nAncora.\n"),
        ),
        (
            "content/indice.md",
            page(
                "Indice",
                "Leggi [perché](spid.md#perché-serve-spid) e [ancora](spid.md#perché-serve-spid-1).\n",
            ),
        ),
    ];
    let github = site("heading_ids: github\n", &pages);
    github.build().success();
    let html = github.read_out("spid/index.html");
    assert!(html.contains("id=\"perché-serve-spid\""), "{html}");
    assert!(html.contains("id=\"perché-serve-spid-1\""), "{html}");
    // The same links with pillole's own ids are broken anchors.
    let own = site("", &pages);
    let (_, list) = own.check_json();
    let got = diagnostics_of(&list, "content/indice.md");
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.iter().all(|(_, rule, _)| rule == "broken-anchor"),
        "{got:?}"
    );
}

#[test]
fn raw_html_keeps_accessibility_and_drops_what_depends_on_what_was_removed() {
    let body = r#"Un modulo di prova.

<div role="note" aria-labelledby="titolo-nota" lang="en" dir="ltr" title="Nota">
<p id="titolo-nota">Note</p>
<span aria-hidden="true">★</span>
<label for="nome">Nome</label>
<input id="nome" type="text">
<label for="scelta">Scegli</label>
<select id="scelta"><option>Uno</option><option>Due</option></select>
<input type="text" id="orfano">
<input type="hidden" name="segreto" value="x">
<h3><button onclick="apri()">Apri la nota</button></h3>
<p>Scrivi a <a href="mailto:"></a>noi.</p>
</div>

<table><caption>Orari</caption><tr><th scope="col">Giorno</th></tr><tr><td>Lunedì</td></tr></table>

| Giorno | Ora |
|---|---|
| Martedì | 10 |
"#;
    let s = site("", &[("content/modulo.md", page("Modulo", body))]);
    s.build().success();
    let page = s.read_out("modulo/index.html");
    let start = page.find("Un modulo di prova").expect("the body");
    let end = start + page[start..].rfind("</table>").expect("the table") + 20;
    let html = &page[start..end];
    for kept in [
        r#"role="note""#,
        r#"aria-labelledby="titolo-nota""#,
        r#"lang="en""#,
        r#"dir="ltr""#,
        r#"aria-hidden="true""#,
        r#"<label for="nome">Nome</label>"#,
        r#"<input id="nome" type="text">"#,
        "<caption>Orari</caption>",
        r#"<th scope="col">"#,
    ] {
        assert!(html.contains(kept), "{kept} lost in\n{html}");
    }
    // The select is gone with its options, its label keeps only its word;
    // the field no label names and the hidden one are gone; the button too,
    // but its words stay (the heading is not left empty); a link with
    // nothing to read out loses its tag.
    for gone in [
        "<select",
        "Uno",
        r#"for="scelta""#,
        "orfano",
        "segreto",
        "<button",
        "mailto:",
    ] {
        assert!(!html.contains(gone), "{gone} left in\n{html}");
    }
    assert!(html.contains("Scegli"), "{html}");
    assert!(html.contains("<h3>Apri la nota</h3>"), "{html}");
    assert!(html.contains("Scrivi a noi."), "{html}");
    // The raw table scrolls in the same region as Markdown tables, once;
    // two regions of one page have two names.
    let region =
        r#"<div class="table-wrap" tabindex="0" role="region" aria-label="Tabella"><table>"#;
    assert_eq!(html.matches(region).count(), 1, "{html}");
    let second = r#"role="region" aria-label="Tabella 2"><table>"#;
    assert_eq!(html.matches(second).count(), 1, "{html}");
    // The editor is told what was removed, where.
    let (_, list) = s.check_json();
    let removed: Vec<&Value> = list
        .iter()
        .filter(|d| d["rule"] == "raw-html-removed")
        .collect();
    let messages: Vec<&str> = removed
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    let all = messages.join(" | ");
    for named in ["<select>", "<button>", "onclick", "senza etichetta"] {
        assert!(all.contains(named), "{named} not named in {all}");
    }
    let field_line = removed
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("senza etichetta"))
        .unwrap()["line"]
        .as_u64()
        .unwrap();
    assert_eq!(field_line, 12, "the line of the first field");
}

#[test]
fn links_and_pictures_in_raw_html_are_checked_and_rewritten() {
    let body = r#"<p>Leggi <a href="altro.md#passo">la pagina dei passi</a> e <a href="manca.md">questa</a>.</p>

<figure><img src="foto.png"><figcaption>Il tavolo</figcaption></figure>
<img src="decoro.png" alt="">
<a href='https://example.org/x'>clicca qui</a>
"#;
    let s = site(
        "",
        &[
            ("content/pagina.md", page("Pagina", body)),
            ("content/altro.md", page("Altro", "## Passo\n\nTesto.\n")),
            ("content/foto.png", "png".to_string()),
            ("content/decoro.png", "png".to_string()),
        ],
    );
    let (_, list) = s.check_json();
    let mut got = diagnostics_of(&list, "content/pagina.md");
    got.sort();
    let want: Vec<(String, String, u64)> = [
        ("error", "broken-link", 6),
        ("error", "image-alt", 8),
        ("warning", "link-text", 10),
    ]
    .iter()
    .map(|(s, r, l)| (s.to_string(), r.to_string(), *l))
    .collect();
    assert_eq!(got, want);
    // Fixed, the page builds and its raw links lead where Markdown ones do.
    s.write(
        "content/pagina.md",
        page(
            "Pagina",
            &body.replace("manca.md", "altro.md").replace(
                r#"<img src="foto.png">"#,
                r#"<img src="foto.png" alt="Il tavolo dei volontari">"#,
            ),
        ),
    );
    s.build().success();
    let html = s.read_out("pagina/index.html");
    assert!(html.contains(r#"href="/altro/#passo""#), "{html}");
    assert!(html.contains(r#"src="/foto.png""#), "{html}");
}

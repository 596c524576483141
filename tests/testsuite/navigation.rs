//! How readers reach every page of a site with nested folders: the order
//! editors give pages, sections listing their subsections, folders without
//! `_index.md`, and the warning about pages no link reaches.

use crate::util::Site;

const SITE_YAML: &str =
    "title: \"Prova\"\nbase_url: \"https://example.org\"\nfeedback: {email: a@example.org}\n";

fn page(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nsummary: \"Pagina {title}.\"\n{extra}---\n\nTesto di {title}.\n"
    )
}

/// Where each of `titles` first appears in `html` (panics when one is missing).
#[track_caller]
fn positions(html: &str, titles: &[&str]) -> Vec<usize> {
    titles
        .iter()
        .map(|t| {
            html.find(&format!(">{t}<"))
                .unwrap_or_else(|| panic!("{t} not listed in\n{html}"))
        })
        .collect()
}

#[test]
fn pages_with_an_order_come_first_lowest_first() {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write("content/guida/_index.md", page("Guida", ""));
    site.write(
        "content/guida/recente.md",
        page("Recente", "date: 2026-05-01\n"),
    );
    site.write("content/guida/secondo.md", page("Secondo", "order: 2\n"));
    site.write(
        "content/guida/primo.md",
        page("Primo", "order: 1\ndate: 2020-01-01\n"),
    );
    site.write(
        "content/guida/vecchia.md",
        page("Vecchia", "date: 2021-05-01\n"),
    );
    site.build().success();
    let list = site.read_out("guida/index.html");
    let at = positions(&list, &["Primo", "Secondo", "Recente", "Vecchia"]);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // `weight` (Hugo's name) is suggested as `order`.
    site.write("content/guida/pesata.md", page("Pesata", "weight: 3\n"));
    let (_, diags) = site.check_json();
    let d = diags
        .iter()
        .find(|d| d["file"] == "content/guida/pesata.md")
        .expect("a diagnostic about weight");
    assert!(d["hint"].as_str().unwrap().contains("order"), "{d}");
}

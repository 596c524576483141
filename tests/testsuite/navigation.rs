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

/// A site shaped like documentation brought over from another generator:
/// `guida/` has an `_index.md`, `guida/avanzate/` and `archivio/2019/` do
/// not, and one page sits at the top linked from nowhere.
fn nested_site() -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!("{SITE_YAML}menu:\n  - {{name: Guida, url: /guida/}}\n"),
    );
    site.write("content/guida/_index.md", page("Guida", "order: 1\n"));
    site.write("content/guida/primi-passi.md", page("Primi passi", ""));
    site.write("content/guida/avanzate/permessi.md", page("Permessi", ""));
    site.write("content/guida/avanzate/deleghe.md", page("Deleghe", ""));
    site.write("content/archivio/2019/vecchia.md", page("Vecchia", ""));
    site.write("content/dimenticata.md", page("Dimenticata", ""));
    site
}

#[test]
fn sections_list_their_folders_and_folders_without_index_get_a_list() {
    let site = nested_site();
    site.build().success();
    let read = |rel: &str| site.read_out(rel);
    // The section lists its folder, then its own pages.
    let guida = read("guida/index.html");
    assert!(guida.contains(r#"href="/guida/avanzate/""#), "{guida}");
    assert!(guida.contains(">Avanzate<"), "{guida}");
    positions(&guida, &["Sezioni", "Primi passi"]);
    // A folder without _index.md has a list page with its pages, and a way back.
    let avanzate = read("guida/avanzate/index.html");
    positions(&avanzate, &["Avanzate", "Deleghe", "Permessi"]);
    assert!(
        avanzate.contains(r#"<a href="/guida/">Guida</a>"#),
        "breadcrumb: {avanzate}"
    );
    // Nested empty folders too: archivio/ lists 2019/, which lists the page.
    let archivio = read("archivio/index.html");
    assert!(archivio.contains(r#"href="/archivio/2019/""#), "{archivio}");
    let anno = read("archivio/2019/index.html");
    positions(&anno, &["Vecchia"]);
    // The home page lists the top folders, those with an order first.
    let home = read("index.html");
    let at = positions(&home, &["Guida", "Archivio"]);
    assert!(at[0] < at[1], "{home}");
    // Every list page is in the sitemap.
    let sitemap = read("sitemap.xml");
    for path in ["/guida/avanzate/", "/archivio/", "/archivio/2019/"] {
        assert!(
            sitemap.contains(&format!("https://example.org{path}<")),
            "{path} not in sitemap"
        );
    }
}

#[test]
fn a_page_no_link_reaches_is_a_warning_until_one_does() {
    let site = nested_site();
    let (_, diags) = site.check_json();
    let unreachable: Vec<&str> = diags
        .iter()
        .filter(|d| d["rule"] == "unreachable-page")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    // Pages in folders are reached through the lists; the page at the top is not.
    assert_eq!(unreachable, ["content/dimenticata.md"]);
    let d = diags
        .iter()
        .find(|d| d["rule"] == "unreachable-page")
        .unwrap();
    assert_eq!(d["severity"], "warning");
    assert!(d["hint"].as_str().unwrap().contains("menu"), "{d}");
    // A link from a page that is reached is enough.
    site.write(
        "content/guida/primi-passi.md",
        page("Primi passi", "").replace(
            "Testo di Primi passi.",
            "Leggi [la pagina dimenticata](../dimenticata.md).",
        ),
    );
    let (_, diags) = site.check_json();
    assert!(
        !diags.iter().any(|d| d["rule"] == "unreachable-page"),
        "{diags:?}"
    );
}

/// Under a base_url with a path, a link written with that path reaches the
/// page, and one without it does not.
#[test]
fn a_link_under_the_base_path_reaches_a_page() {
    let site = nested_site();
    let yaml = format!("{SITE_YAML}menu:\n  - {{name: Guida, url: /guida/}}\n")
        .replace("https://example.org", "https://example.org/giro/");
    site.write("site.yaml", yaml);
    let unreachable = |site: &Site| -> Vec<String> {
        let (_, diags) = site.check_json();
        diags
            .iter()
            .filter(|d| d["rule"] == "unreachable-page")
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect()
    };
    let link = |to: &str| {
        page("Primi passi", "").replace(
            "Testo di Primi passi.",
            &format!("Leggi [la pagina dimenticata]({to})."),
        )
    };
    site.write(
        "content/guida/primi-passi.md",
        link("/altrove/dimenticata/"),
    );
    assert_eq!(unreachable(&site), ["content/dimenticata.md"]);
    site.write("content/guida/primi-passi.md", link("/giro/dimenticata/"));
    assert_eq!(unreachable(&site), Vec::<String>::new());
}

/// The levels' menu on the tutorials' lists marks the list being read: "all
/// levels" on the list of every tutorial, a level on its own list.
#[test]
fn the_levels_menu_marks_the_list_being_read() {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write(
        "content/tutorial/spid.md",
        "---\ntitle: \"Attiva lo SPID\"\nsummary: \"Come fare.\"\nlevel: facile\n---\n\n## Apri il sito\n\nApri il sito.\n",
    );
    site.build().success();
    let all = r#"aria-current="page">Tutti i livelli</a>"#;
    let easy = r#"aria-current="page">Facile</a>"#;
    let list = site.read_out("tutorial/index.html");
    assert!(list.contains(all), "{list}");
    assert!(!list.contains(easy), "{list}");
    let level = site.read_out("tutorial/livello/facile/index.html");
    assert!(level.contains(easy), "{level}");
    assert!(!level.contains(all), "{level}");
}

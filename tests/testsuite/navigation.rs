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

/// The titles of the cards of a list page, in order.
fn card_titles(html: &str) -> Vec<String> {
    html.split(r#"<span class="card-title">"#)
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or("").to_string())
        .collect()
}

/// The address a list page's "previous" or "next" link leads to.
fn pager_link(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!(r#"rel="{rel}""#))?;
    let start = html[..at].rfind("href=\"")? + "href=\"".len();
    Some(html[start..].split('"').next()?.to_string())
}

/// Long lists (every tutorial, a level, a tag or service, the past events)
/// come `list_page_size` cards a page, as the diary does with its own size:
/// page 1 at the list's address, the others at `pagina/N/`, each linked to
/// the next and the previous, every card on exactly one page.
#[test]
fn long_lists_are_split_into_pages_of_list_page_size() {
    let site = Site::empty();
    site.write("site.yaml", format!("{SITE_YAML}list_page_size: 2\n"));
    for (n, level) in [
        (1, "facile"),
        (2, "facile"),
        (3, "facile"),
        (4, "medio"),
        (5, "medio"),
    ] {
        site.write(
            &format!("content/tutorial/guida-{n}.md"),
            format!("---\ntitle: \"Guida {n}\"\nsummary: \"Come fare.\"\nlevel: {level}\ndate: 2026-0{n}-01\ntags: [spid]\nservices: [SPID]\n---\n\n## Apri il sito\n\nApri il sito.\n"),
        );
    }
    for n in 1..=3 {
        site.write(
            &format!("content/eventi/incontro-{n}.md"),
            format!("---\ntitle: \"Incontro {n}\"\nplace: \"Biblioteca\"\nstart: 2026-0{n}-10T10:00\nend: 2026-0{n}-10T12:00\n---\n\nTesto.\n"),
        );
    }
    for n in 1..=3 {
        site.write(
            &format!("content/diario/tappa-{n}.md"),
            format!("---\ntitle: \"Tappa {n}\"\nsummary: \"Una tappa.\"\ndate: 2026-0{n}-12\nmunicipio: 4\n---\n\nTesto.\n"),
        );
    }
    let out = site.out();
    site.build_as_of("2026-11-23T10:00", &out).success();
    // Two a page: tutorials newest first, a term's pages in their order.
    let guides = |n: usize| format!("Guida {n}");
    for (base, pages) in [
        ("tutorial/", vec![vec![5, 4], vec![3, 2], vec![1]]),
        ("tutorial/livello/facile/", vec![vec![3, 2], vec![1]]),
        ("tutorial/livello/medio/", vec![vec![5, 4]]),
        ("tag/spid/", vec![vec![1, 2], vec![3, 4], vec![5]]),
        ("servizi/spid/", vec![vec![1, 2], vec![3, 4], vec![5]]),
    ] {
        let at = |k: usize| {
            if k == 1 {
                format!("/{base}")
            } else {
                format!("/{base}pagina/{k}/")
            }
        };
        for (k, want) in pages.iter().enumerate().map(|(k, w)| (k + 1, w)) {
            let html = site.read_out(&format!("{}index.html", at(k).trim_start_matches('/')));
            let want: Vec<String> = want.iter().map(|&n| guides(n)).collect();
            assert_eq!(card_titles(&html), want, "{}", at(k));
            let prev = (k > 1).then(|| at(k - 1));
            let next = (k < pages.len()).then(|| at(k + 1));
            assert_eq!(pager_link(&html, "prev"), prev, "{}", at(k));
            assert_eq!(pager_link(&html, "next"), next, "{}", at(k));
            if pages.len() > 1 {
                assert!(
                    html.contains(&format!("Pagina {k} di {}", pages.len())),
                    "{}",
                    at(k)
                );
            } else {
                assert!(!html.contains("class=\"pagination\""), "{}", at(k));
            }
            if k > 1 {
                assert!(
                    html.contains(&format!(", pagina {k} di {}", pages.len())),
                    "the title says which page: {}",
                    at(k)
                );
            }
        }
        let after = at(pages.len() + 1);
        assert!(!out.join(after.trim_start_matches('/')).exists(), "{after}");
        assert!(
            !out.join(format!("{base}pagina/1")).exists(),
            "page 1 is /{base}"
        );
    }
    // The count is the whole list's, on every page.
    assert!(site
        .read_out("tutorial/pagina/3/index.html")
        .contains("<h2>5 guide</h2>"));
    assert!(site
        .read_out("tag/spid/pagina/2/index.html")
        .contains("5 pagine su «spid»"));
    // Past events: the one that ended last first.
    let archive = site.read_out("eventi/archivio/index.html");
    assert_eq!(card_titles(&archive), ["Incontro 3", "Incontro 2"]);
    let second = site.read_out("eventi/archivio/pagina/2/index.html");
    assert_eq!(card_titles(&second), ["Incontro 1"]);
    assert_eq!(
        pager_link(&second, "prev"),
        Some("/eventi/archivio/".into())
    );
    // A Municipio: its events and calendar on the first page, then the
    // rest of its diary.
    let first = site.read_out("municipi/municipio-4/index.html");
    assert_eq!(card_titles(&first), ["Tappa 3", "Tappa 2"]);
    assert!(first.contains("calendario.ics"), "{first}");
    let second = site.read_out("municipi/municipio-4/pagina/2/index.html");
    assert_eq!(card_titles(&second), ["Tappa 1"]);
    assert!(!second.contains("calendario.ics"), "{second}");
    assert_eq!(
        pager_link(&second, "prev"),
        Some("/municipi/municipio-4/".into())
    );
    assert!(!out.join("municipi/municipio-5/pagina/2").exists());
    // Only the first page of the list of tutorials is in the sitemap; the
    // check finds every link between the pages.
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("https://example.org/tutorial/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("/pagina/"), "{sitemap}");
    let (_, diags) = site.check_json();
    assert!(
        diags
            .iter()
            .all(|d| !d["rule"].as_str().unwrap_or("").contains("link")),
        "{diags:?}"
    );
}

//! The render engine as a whole: the demo site's output stays what it was
//! unless changed on purpose, and a site whose pages all link each other
//! and whose lists hold hundreds of cards costs work in proportion to its
//! size (asserted through the engine's own counts, never through timings);
//! the build writes the route table's files and no others; and the pipeline
//! flows one way (content, check, the site graph and the output never name
//! render).

use crate::util;

use pillole::output::Collect;
use pillole::render::{self, theme::Theme, RenderCounts, RenderOptions};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use util::{Site, NOW};

/// The stored list of the demo's output files with their SHA-256.
const DEMO_TREE: &str = "tests/fixtures/demo-tree.txt";

fn hashes(tree: &BTreeMap<String, Vec<u8>>) -> String {
    let mut out = String::new();
    for (path, bytes) in tree.iter().filter(|(p, _)| !p.ends_with('/')) {
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "{hex}  {path}").unwrap();
    }
    out
}

/// A deliberate change to the demo's output updates the stored list:
/// `UPDATE_DEMO_TREE=1 cargo test --test testsuite engine::`, and the commit says why.
#[test]
fn demo_output_is_the_stored_tree() {
    let demo = Site::demo();
    demo.build().success();
    let now = hashes(&util::tree(&demo.out()));
    let stored_path = util::repo_root().join(DEMO_TREE);
    if std::env::var_os("UPDATE_DEMO_TREE").is_some() {
        std::fs::write(&stored_path, &now).unwrap();
        return;
    }
    let stored = util::read(&stored_path);
    if stored != now {
        let old: BTreeMap<&str, &str> = stored
            .lines()
            .filter_map(|l| l.split_once("  ").map(|(h, p)| (p, h)))
            .collect();
        let new: BTreeMap<&str, &str> = now
            .lines()
            .filter_map(|l| l.split_once("  ").map(|(h, p)| (p, h)))
            .collect();
        let mut report = String::new();
        for (p, h) in &new {
            match old.get(p) {
                None => writeln!(report, "  new:     {p}").unwrap(),
                Some(o) if o != h => writeln!(report, "  changed: {p}").unwrap(),
                _ => {}
            }
        }
        for p in old.keys().filter(|p| !new.contains_key(*p)) {
            writeln!(report, "  gone:    {p}").unwrap();
        }
        panic!(
            "the demo's output differs from {DEMO_TREE}:\n{report}\
             If the change is deliberate, run UPDATE_DEMO_TREE=1 cargo test --test testsuite engine:: \
             and say why in the commit message."
        );
    }
}

/// A site of `n` tutorials that all link each other (n² links) and share
/// one service (a booklet of n), and `m` diary entries that share a tag
/// with the tutorials and all report on one event in one Municipio: the
/// tag page, the event's page and the Municipio's page each list thousands
/// of cards.
fn dense_site(n: usize, m: usize) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: \"Denso\"\nbase_url: \"https://example.org/\"\nfeedback:\n  email: a@example.org\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: \"Casa\"\n---\n\nBenvenuti.\n",
    );
    let links: String = (0..n)
        .map(|j| format!("- [Guida {j}](guida-{j}.md)\n"))
        .collect();
    for i in 0..n {
        site.write(
            &format!("content/tutorial/guida-{i}.md"),
            format!(
                "---\ntitle: \"Guida {i}\"\nsummary: \"Una guida.\"\ndate: 2026-01-{:02}\nlevel: facile\ntags: [comune]\nservices: [SPID]\n---\n\nIntro.\n\n## Primo passo\n\nApri il sito.\n\n## Le altre guide\n\n{links}",
                i % 28 + 1
            ),
        );
    }
    for i in 0..m {
        site.write(
            &format!("content/diario/tappa-{i}.md"),
            format!("---\ntitle: \"Tappa {i}\"\ndate: 2026-02-{:02}\nevent: incontro\nmunicipio: 3\ntags: [comune]\n---\n\nSiamo stati all'incontro.\n", i % 28 + 1),
        );
    }
    site.write(
        "content/eventi/incontro.md",
        "---\ntitle: \"Incontro\"\nstart: 2026-12-01T10:00\nend: 2026-12-01T12:00\nplace: \"Biblioteca\"\nmunicipio: 3\n---\n\nVieni.\n",
    );
    site
}

/// The linked graph of `site` and its theme, loaded as a build loads them,
/// without errors.
fn linked(site: &Site) -> (pillole::site::Site, Theme) {
    let opts = pillole::Options {
        root: site.root.clone(),
        drafts: false,
        base_url: None,
        now: pillole::parse_now(NOW).unwrap(),
    };
    let loaded = pillole::load(&opts);
    let fatal = pillole::fatal(&loaded.diagnostics);
    assert!(fatal.is_empty(), "{fatal:?}");
    let graph = loaded.site.expect("a site");
    let (theme, theme_diags) = Theme::load(&site.root, &graph.config.theme);
    assert!(theme_diags.is_empty(), "{theme_diags:?}");
    (graph, theme)
}

fn render_counts(site: &Site) -> (usize, RenderCounts) {
    let (graph, theme) = linked(site);
    let sink = Collect::default();
    let tera = render::templates(&theme).expect("templates");
    let counts = render::render_into(&graph, &theme, &tera, &RenderOptions::default(), &sink)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(counts.files, sink.into_files().len());
    (graph.pages.len(), counts)
}

#[test]
fn dense_links_and_long_lists_cost_work_in_proportion_to_the_site() {
    let (n, m) = (150, 1500);
    let site = dense_site(n, m);
    let (pages, counts) = render_counts(&site);
    assert_eq!(pages, n + m + 2);
    // Each card once, whatever the number of lists showing it; the event is
    // also shown at its date on the home page, the events page and its
    // Municipio's.
    assert!(counts.cards <= pages + 3, "{counts:?} for {pages} pages");
    assert!(
        counts.cards >= n + m,
        "{counts:?}: every tutorial and entry is shown"
    );
    // Each body once for its page and print sheet, again for the service's
    // booklet and the feeds' entries (at most 30 each).
    assert!(
        counts.bodies <= pages + n + 60,
        "{counts:?} for {pages} pages"
    );
    // The same site twice as large: the work doubles, it does not quadruple.
    let (pages2, counts2) = render_counts(&dense_site(2 * n, 2 * m));
    assert_eq!(pages2, 2 * (n + m) + 2);
    assert!(counts2.cards <= pages2 + 3, "{counts2:?}");
    assert!(
        counts2.bodies <= 2 * counts.bodies + 60,
        "{counts2:?} vs {counts:?}"
    );
    // The build writes every page and print sheet.
    site.build().success();
    let files = util::list_files(&site.out());
    for i in [0, n / 2, n - 1] {
        assert!(
            files.contains(&format!("tutorial/guida-{i}/index.html")),
            "guida-{i}"
        );
        assert!(
            files.contains(&format!("tutorial/guida-{i}/stampa/index.html")),
            "guida-{i} sheet"
        );
    }
    assert!(files.contains(&format!("diario/tappa-{}/index.html", m - 1)));
}

/// Code in six languages, about 2.4 KB a block.
fn code_block(k: usize) -> String {
    let samples = [
        ("rust", "use std::fs;\n\n/// Legge il file.\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n    let n: u32 = 42;\n    println!(\"{}\", fs::read_to_string(\"a.txt\")?.len() + n as usize);\n    Ok(())\n}\n"),
        ("python", "# Conta le righe.\ndef conta(nome: str) -> int:\n    with open(nome) as f:\n        return sum(1 for _ in f if _.strip() != \"\")\n\nprint(conta('a.txt') * 2)\n"),
        ("js", "// Apre il menu.\nconst menu = document.querySelector('#menu');\nmenu.addEventListener('click', (e) => {\n  e.preventDefault();\n  menu.classList.toggle('aperto', true);\n});\n"),
        ("json", "{\n  \"titolo\": \"Prova\",\n  \"passi\": [1, 2.5, true, null]\n}\n"),
        ("bash", "#!/bin/sh\n# Scarica e controlla.\nfor f in *.pdf; do\n  echo \"$f\" && sha256sum \"$f\" > \"$f.sha\"\ndone\n"),
        ("html", "<!-- Modulo -->\n<form action=\"/invia\" method=\"post\">\n  <label for=\"cf\">Codice fiscale</label>\n  <input id=\"cf\" name=\"cf\" required>\n</form>\n"),
    ];
    let (lang, code) = samples[k % samples.len()];
    let mut body = String::new();
    while body.len() < 2400 {
        body.push_str(code);
    }
    format!("```{lang}\n{body}```\n")
}

/// The issue's example: a tutorial of some 76 KB, most of it code, once
/// made a page of 470 KB (a span with a list of classes for every scope of
/// every token). Code is coloured with one short class per colour, and
/// only on the page: the structured data's step texts leave it out.
#[test]
fn a_tutorial_full_of_code_makes_a_page_near_its_own_size() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: \"Codice\"\nbase_url: \"https://example.org/\"\nfeedback:\n  email: a@example.org\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: \"Casa\"\n---\n\nBenvenuti.\n",
    );
    let mut source = String::from(
        "---\ntitle: \"Tanto codice\"\nsummary: \"Esempi.\"\n---\n\nEcco gli esempi.\n",
    );
    let mut k = 0;
    while source.len() < 76_000 {
        write!(
            source,
            "\n## Passo {k}\n\nScrivi queste righe.\n\n{}",
            code_block(k)
        )
        .unwrap();
        k += 1;
    }
    site.write("content/tutorial/codice.md", &source);
    site.build().success();
    let page = site.read_out("tutorial/codice/index.html");
    let sheet = site.read_out("tutorial/codice/stampa/index.html");
    for (what, html) in [("page", &page), ("print sheet", &sheet)] {
        assert!(
            html.len() <= 3 * source.len(),
            "the {what} is {} bytes for {} bytes of source",
            html.len(),
            source.len()
        );
        assert!(!html.contains("style=\""), "an inline style in the {what}");
    }
    // The code is coloured, with short classes that the stylesheet defines.
    assert!(page.contains(r#"<span class="hl-"#), "no coloured code");
    let css = site.read_out("css/syntax.css");
    let class = page
        .split(r#"<span class="hl-"#)
        .nth(1)
        .and_then(|s| s.split(['"', ' ']).next())
        .map(|n| format!("hl-{n}"))
        .unwrap();
    assert!(
        css.contains(&format!(".{class}{{")),
        "{class} is not in syntax.css"
    );
    // The structured data names every step but holds none of the code.
    let ld = page
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("structured data");
    let howto: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD");
    let steps = howto["step"].as_array().expect("steps");
    assert_eq!(steps.len(), k);
    assert_eq!(steps[0]["text"], "Scrivi queste righe.");
    assert!(ld.len() < 200 * k, "{} bytes of structured data", ld.len());
}

/// Whether a line of Rust (comment cut off) names the render module: a
/// `render::` path, or `render` among the names a `use` brings in.
fn names_render(code: &str, in_use: bool) -> bool {
    code.contains("render::")
        || (in_use
            && code
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == "render"))
}

#[test]
fn names_render_finds_paths_and_uses() {
    assert!(names_render(
        "    let h = crate::render::syntax::code(x);",
        false
    ));
    assert!(names_render("use super::render::views;", true));
    assert!(names_render("    content, render,", true));
    assert!(!names_render("    fn render(body: &str) -> Both {", false));
    assert!(!names_render("    content, rendering,", true));
}

/// The pipeline flows one way: content, check, the site graph and the
/// output never name the render module; render reads them.
#[test]
fn content_check_site_and_output_never_name_render() {
    let src = util::repo_root().join("src");
    let mut files = vec![src.join("site.rs"), src.join("output.rs")];
    for dir in ["content", "check"] {
        files.extend(
            walkdir::WalkDir::new(src.join(dir))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                .map(walkdir::DirEntry::into_path),
        );
    }
    assert!(files.len() > 10, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let mut in_use = false;
        for (n, line) in util::read(file).lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let trimmed = code.trim_start();
            in_use |= trimmed.starts_with("use ") || trimmed.starts_with("pub use ");
            if names_render(code, in_use) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
            in_use &= !code.contains(';');
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// One route table: the demo's build writes a file for every route of the
/// table and no page outside it (beside the theme's own files and the
/// search index's parts), and its sitemap lists addresses of the table.
#[test]
fn the_build_writes_the_route_table_and_nothing_else() {
    let demo = Site::demo();
    demo.build().success();
    let written: std::collections::BTreeSet<String> = util::list_files(&demo.out())
        .into_iter()
        .filter(|f| !f.ends_with('/'))
        .collect();
    let (graph, theme) = linked(&demo);
    let routes: std::collections::BTreeSet<String> =
        graph.routes.list.iter().map(|r| r.file()).collect();
    let statics: Vec<String> = render::theme_files(&theme, &graph.config)
        .into_iter()
        .map(|f| f.path)
        .collect();
    for route in &routes {
        assert!(written.contains(route), "{route} has a route but no file");
    }
    let outside: Vec<&String> = written
        .iter()
        .filter(|f| !routes.contains(*f) && !statics.contains(*f))
        .filter(|f| !f.starts_with("cerca/indice/"))
        .collect();
    assert!(outside.is_empty(), "written without a route: {outside:?}");
    assert!(routes.len() > 50, "{}", routes.len());

    let sitemap = util::read(&demo.out().join("sitemap.xml"));
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() > 20, "{sitemap}");
    let origin = render::origin(&graph.config.base_url);
    for loc in locs {
        let path = loc.strip_prefix(&origin).unwrap_or(loc);
        assert!(graph.routes.get(path).is_some(), "{loc} is not a route");
        assert!(
            written.contains(&pillole::routes::file_of(path)),
            "{loc} has no page"
        );
    }
}

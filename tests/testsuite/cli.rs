//! End-to-end tests of the `pillole` command (issue 2): the real binary run
//! on the demo site (the repository root, output sent to a temporary folder)
//! and on small fixture sites under `tests/fixtures/`, one behaviour each.
//!
//! Every run pins `--now`, clears the environment and works on a copy of its
//! fixture. Files that Git or an editor setup might refuse to keep (backup
//! files, symbolic links, non-UTF-8 bytes, CRLF, 3 MB, 40 folders) are made
//! by the test itself on a copy of `minimal/`.
//!
//! Run with `cargo test --test testsuite cli::`.

use crate::util;

use std::collections::BTreeSet;
use std::path::Path;
use util::{assert_same_tree, list_files, read, repo_root, tree, Site, NOW};

const SCRIPT: &str = "<script>alert(1)</script>";

// ---------------------------------------------------------------------------
// The demo site
// ---------------------------------------------------------------------------

/// The YAML header of a content file, as loose YAML.
fn front_matter(path: &Path) -> serde_yaml::Value {
    let text = read(path).replace("\r\n", "\n");
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let end = rest
        .find("\n---")
        .unwrap_or_else(|| panic!("{} has an unclosed front matter", path.display()));
    serde_yaml::from_str(&rest[..end])
        .unwrap_or_else(|e| panic!("{}: bad YAML: {e}", path.display()))
}

/// A demo page: its address slug and its front matter.
struct DemoPage {
    slug: String,
    /// The bundle folder, for pages written as `NAME/index.md`.
    bundle: Option<std::path::PathBuf>,
    fm: serde_yaml::Value,
}

/// The published (non-draft) pages of `content/<section>/` in the demo.
fn demo_pages(section: &str) -> Vec<DemoPage> {
    let dir = repo_root().join("content").join(section);
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("demo section missing") {
        let path = entry.expect("read_dir").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (stem, file, bundle) = if path.is_dir() && path.join("index.md").is_file() {
            (name.clone(), path.join("index.md"), Some(path.clone()))
        } else if name.ends_with(".md") && name != "_index.md" && !name.starts_with('.') {
            (name.trim_end_matches(".md").to_string(), path.clone(), None)
        } else {
            continue;
        };
        let fm = front_matter(&file);
        if fm["draft"].as_bool() == Some(true) {
            continue;
        }
        let slug = match fm["slug"].as_str() {
            Some(s) => s.to_string(),
            None => pillole::content::slug::slugify(&stem, "pagina"),
        };
        pages.push(DemoPage { slug, bundle, fm });
    }
    pages
}

/// Names listed under `key` (tags, services) in a set of pages.
fn names<'a>(pages: impl IntoIterator<Item = &'a DemoPage>, key: &str) -> BTreeSet<String> {
    pages
        .into_iter()
        .filter_map(|p| p.fm[key].as_sequence())
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[track_caller]
fn assert_files(out: &Path, rels: &[String]) {
    let missing: Vec<&String> = rels.iter().filter(|r| !out.join(r).is_file()).collect();
    if !missing.is_empty() {
        panic!(
            "missing in the output: {missing:?}\nfiles:\n{}",
            list_files(out).join("\n")
        );
    }
}

#[test]
fn demo_builds_every_address_without_warnings() {
    let site = Site::demo();
    let out = site.out();
    let run = site.build();
    run.success().no_diagnostics().stderr_lacks("warning");

    let mut expected: Vec<String> = [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "cerca/index.html",
        "diario/atom.xml",
        "tutorial/atom.xml",
        "tutorial/index.html",
        "eventi/calendario.ics",
        "tag/index.html",
        "servizi/index.html",
        "chi-siamo/index.html",
        "accessibilita/index.html",
        "tutorial/attivare-spid/index.html",
        "tutorial/attivare-spid/stampa/index.html",
    ]
    .map(String::from)
    .to_vec();
    for n in 1..=9 {
        expected.push(format!("municipi/municipio-{n}/index.html"));
        expected.push(format!("municipi/municipio-{n}/calendario.ics"));
    }

    let tutorials = demo_pages("tutorial");
    let events = demo_pages("eventi");
    let diary = demo_pages("diario");
    assert!(tutorials.len() >= 10, "the demo has at least 10 tutorials");
    assert!(events.len() >= 9, "the demo has at least 9 events");
    assert!(diary.len() >= 6, "the demo has at least 6 diary entries");
    for t in &tutorials {
        expected.push(format!("tutorial/{}/index.html", t.slug));
        expected.push(format!("tutorial/{}/stampa/index.html", t.slug));
    }
    for e in &events {
        expected.push(format!("eventi/{}/index.html", e.slug));
        expected.push(format!("eventi/{}/evento.ics", e.slug));
        expected.push(format!("eventi/{}/locandina/index.html", e.slug));
    }
    for d in &diary {
        expected.push(format!("diario/{}/index.html", d.slug));
    }
    for tag in names(tutorials.iter().chain(&events).chain(&diary), "tags") {
        let slug = pillole::content::slug::slugify(&tag, "");
        expected.push(format!("tag/{slug}/index.html"));
    }
    for service in names(&tutorials, "services") {
        let slug = pillole::content::slug::slugify(&service, "");
        expected.push(format!("servizi/{slug}/index.html"));
    }
    assert_files(&out, &expected);

    // One print sheet per tutorial file: the output has exactly the
    // tutorials of content/tutorial, no more and no fewer.
    let md_files = std::fs::read_dir(repo_root().join("content/tutorial"))
        .unwrap()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name.ends_with(".md") && name != "_index.md") || e.path().join("index.md").is_file()
        })
        .count();
    let sheets = std::fs::read_dir(out.join("tutorial"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("stampa/index.html").is_file())
        .count();
    assert_eq!(
        sheets, md_files,
        "tutorial pages in the output vs .md files in content/tutorial"
    );

    // Bundle files are copied next to their page, unchanged.
    let mut bundles = 0;
    for d in diary.iter().filter(|d| d.bundle.is_some()) {
        let dir = d.bundle.as_ref().unwrap();
        for f in std::fs::read_dir(dir).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                continue;
            }
            let copied = out.join("diario").join(&d.slug).join(&name);
            assert_eq!(
                std::fs::read(&copied).unwrap_or_else(|e| panic!("{}: {e}", copied.display())),
                std::fs::read(f.path()).unwrap(),
                "{name} copied next to diario/{}/",
                d.slug
            );
            bundles += 1;
        }
    }
    assert!(bundles > 0, "the demo diary has bundles with images");
    assert!(out
        .join("diario/tappa-municipio-4-calvairate/foto-1.svg")
        .is_file());

    // Nothing of the build is left beside the output.
    let beside: Vec<String> = std::fs::read_dir(site.tmp())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["out".to_string()]);
}

#[test]
fn demo_check_is_clean() {
    let (run, list) = Site::demo().check_json();
    run.success();
    if !list.is_empty() {
        run.fail("the demo site should have no diagnostics");
    }
}

#[test]
fn demo_builds_are_byte_identical() {
    let site = Site::demo();
    let mut trees = Vec::new();
    for name in ["uno", "due"] {
        let out = site.tmp().join(name);
        site.build_into(&out).success();
        trees.push(tree(&out));
    }
    assert!(trees[0].len() > 100, "the demo writes many files");
    assert_same_tree(&trees[0], &trees[1], "two builds of the demo");
}

// ---------------------------------------------------------------------------
// Front matter errors: file relative to the site root, and line
// ---------------------------------------------------------------------------

#[test]
fn front_matter_bad_indent_names_file_and_line() {
    let site = Site::fixture("front-matter-bad-indent");
    site.build()
        .code(1)
        .diagnostic(
            "errore",
            "front-matter",
            "content/tutorial/rientro-sbagliato.md",
            3,
        )
        .stderr_has("aiuto:")
        // Paths in messages are relative to the site root.
        .stderr_lacks(&format!("{}/content", site.root.display()));
    assert!(!site.out().exists(), "a failed first build writes nothing");
}

#[test]
fn front_matter_yaml_syntax_names_file_line_and_column() {
    let site = Site::fixture("front-matter-yaml-syntax");
    // `summary: Come fare: i passi`: the second colon, column 19.
    site.build()
        .code(1)
        .stderr_has("errore[front-matter]: content/tutorial/due-punti.md:3:19:")
        .stderr_has("virgolette");
}

#[test]
fn front_matter_missing_title_is_an_error() {
    let site = Site::fixture("front-matter-missing-title");
    site.build()
        .code(1)
        .diagnostic_on("errore", "front-matter", "content/tutorial/senza-titolo.md")
        .stderr_has("`title`");
}

#[test]
fn front_matter_impossible_date_is_an_error() {
    let site = Site::fixture("front-matter-impossible-date");
    site.build()
        .code(1)
        .diagnostic(
            "errore",
            "front-matter",
            "content/tutorial/data-impossibile.md",
            4,
        )
        .stderr_has("2026-02-30");
}

#[test]
fn front_matter_unknown_key_warns_with_suggestion_and_builds() {
    let site = Site::fixture("front-matter-unknown-key");
    site.build()
        .success()
        .diagnostic(
            "avviso",
            "unknown-key",
            "content/tutorial/chiave-sconosciuta.md",
            5,
        )
        .stderr_has("`levle`")
        .stderr_has("`level`")
        .stderr_lacks("errore[");
    assert!(site
        .out()
        .join("tutorial/chiave-sconosciuta/index.html")
        .is_file());
}

#[test]
fn check_json_has_the_contract_fields() {
    let site = Site::fixture("check-json-fields");
    let (run, list) = site.check_json();
    run.code(1);
    let find = |rule: &str| {
        list.iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| run.fail(format!("no {rule} diagnostic in the JSON")))
            .clone()
    };
    for d in &list {
        for field in ["file", "message", "hint", "rule", "severity"] {
            if !d[field].is_string() {
                run.fail(format!("{field} is not a string in {d}"));
            }
        }
        for field in ["line", "column"] {
            if d[field].as_u64().unwrap_or(0) < 1 {
                run.fail(format!("{field} is not a 1-based number in {d}"));
            }
        }
    }
    let date = find("front-matter");
    assert_eq!(date["file"], "content/tutorial/data-impossibile.md");
    assert_eq!(date["line"], 4);
    assert_eq!(date["column"], 1);
    assert_eq!(date["severity"], "error");
    assert!(date["message"].as_str().unwrap().contains("2026-02-30"));
    assert!(!date["hint"].as_str().unwrap().is_empty());

    let key = find("unknown-key");
    assert_eq!(key["file"], "content/tutorial/chiave-sconosciuta.md");
    assert_eq!(key["line"], 5);
    assert_eq!(key["column"], 1);
    assert_eq!(key["severity"], "warning");
    assert!(key["message"].as_str().unwrap().contains("levle"));
    assert!(key["hint"].as_str().unwrap().contains("`level`"));
    assert_eq!(list.len(), 2, "{list:#?}");
}

// ---------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------

#[test]
fn exit_code_0_on_success() {
    let site = Site::fixture("minimal");
    site.build().success().no_diagnostics();
    assert!(site.out().join("tutorial/prima-guida/index.html").is_file());
}

#[test]
fn exit_code_1_on_content_error() {
    let site = Site::fixture("front-matter-missing-title");
    site.build().code(1);
    let (run, _) = site.check_json();
    run.code(1);
}

#[test]
fn exit_code_2_on_usage_errors() {
    let site = Site::fixture("minimal");
    let cases: &[&[&str]] = &[
        &["build", "--no-such-flag"],
        &["new", "tutorial"],
        &["new", "ricetta", "Titolo"],
        &["init"],
        &["build", "--now", "2026-13-01T10:00"],
        &["build", "--now", "domani"],
        &["build", "--now", "2026-11-23"],
        &["check", "--format", "xml"],
        &["volare"],
        &[],
    ];
    for args in cases {
        site.run(args).code(2);
    }
    // Nothing was built or created by a refused command.
    assert!(!site.path("public").exists());
    assert!(!site.out().exists());
}

// ---------------------------------------------------------------------------
// Output: atomic, and never somewhere dangerous
// ---------------------------------------------------------------------------

/// Names in the temporary folder other than the site and its output.
#[track_caller]
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.tmp())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site" && n != "out")
        .collect()
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = Site::fixture("minimal");
    site.build().success();
    let before = tree(&site.out());
    assert!(before.contains_key("tutorial/prima-guida/index.html"));

    // Break a page: the load stage fails.
    site.write(
        "content/tutorial/prima-guida.md",
        "---\ntitle: \"Senza fine\n---\n\nTesto.\n",
    );
    site.build()
        .code(1)
        .diagnostic_on("errore", "front-matter", "content/tutorial/prima-guida.md");
    assert_same_tree(&before, &tree(&site.out()), "output after a failed build");
    assert_eq!(
        leftovers(&site),
        Vec::<String>::new(),
        "temporary folders left"
    );
}

/// A site template written for Tera 1 (macros imported and called) stops
/// the build at the line of its first macro tag, with the line shown and
/// a hint that names Tera 2's components.
#[test]
fn a_template_with_tera_1_macros_names_the_line_and_components() {
    let site = Site::fixture("minimal");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block main %}{{ m::cards(list=pages) }}{% endblock main %}\n",
    );
    site.build()
        .code(1)
        .diagnostic("errore", "template", "templates/page.html", 2)
        .stderr_has("2 | {% import \"macros.html\" as m %}")
        .stderr_has("componenti");
}

#[test]
fn failed_render_leaves_previous_output_untouched() {
    let site = Site::fixture("minimal");
    site.build().success();
    let before = tree(&site.out());

    // A broken site template: the render stage fails, after loading.
    site.write("templates/404.html", "{{ non_esiste.campo }}\n");
    site.build()
        .code(1)
        .diagnostic_on("errore", "template", "templates/404.html");
    assert_same_tree(&before, &tree(&site.out()), "output after a failed render");
    assert_eq!(
        leftovers(&site),
        Vec::<String>::new(),
        "temporary folders left"
    );
}

#[test]
fn successful_rebuild_replaces_output() {
    let site = Site::fixture("minimal");
    site.build().success();
    std::fs::write(site.out().join("vecchio.html"), "vecchio").unwrap();
    site.build().success();
    assert!(
        !site.out().join("vecchio.html").exists(),
        "a build replaces the whole output"
    );
    assert!(site.out().join("index.html").is_file());
    assert_eq!(
        leftovers(&site),
        Vec::<String>::new(),
        "temporary folders left"
    );
}

#[track_caller]
fn assert_refused(site: &Site, output: &Path) {
    let before = tree(&site.root);
    let run = site.build_into(output);
    run.code(1).stderr_has("errore");
    assert_same_tree(&before, &tree(&site.root), "the site after a refused build");
    assert!(site.path("content/tutorial/prima-guida.md").is_file());
    let beside = list_files(site.tmp());
    if beside
        .iter()
        .any(|f| f.contains(".new-") || f.contains(".old-"))
    {
        run.fail("a refused build left temporary folders");
    }
}

#[test]
fn refuses_output_equal_to_site_root() {
    let site = Site::fixture("minimal");
    assert_refused(&site, &site.root);
    // The same folder written another way.
    assert_refused(&site, &site.root.join("content/.."));
}

#[test]
fn refuses_output_equal_to_content() {
    let site = Site::fixture("minimal");
    assert_refused(&site, &site.path("content"));
    assert_refused(&site, &site.path("content/tutorial"));
}

#[test]
fn refuses_output_equal_to_parent_of_root() {
    let site = Site::fixture("minimal");
    assert_refused(&site, site.tmp());
    assert_refused(&site, Path::new("/"));
}

#[test]
fn refuses_relative_output_resolving_to_root() {
    let site = Site::fixture("minimal");
    let before = tree(&site.root);
    // Working directory is the site root: `.` and `..` are the root and its parent.
    for output in [".", "..", "./content/.."] {
        site.run(&["build", "--output", output, "--now", NOW])
            .code(1);
    }
    assert_same_tree(&before, &tree(&site.root), "the site after refused builds");
}

// ---------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------

/// A text file of a built tree.
#[track_caller]
fn tree_text<'a>(files: &'a std::collections::BTreeMap<String, Vec<u8>>, rel: &str) -> &'a str {
    let bytes = files
        .get(rel)
        .unwrap_or_else(|| panic!("no {rel} in the output"));
    std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel} is not UTF-8"))
}

#[test]
fn hostile_titles_are_escaped_in_every_output_file() {
    let site = Site::fixture("escaping-hostile-text");
    site.build().success();
    let out = site.out();
    let files = tree(&out);
    let mut checked = 0;
    for (rel, bytes) in &files {
        if rel.ends_with('/') || rel.ends_with(".ics") {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        checked += 1;
        if rel.ends_with(".json") {
            // Data, not markup: it must stay valid JSON. The search script
            // puts its strings in the page as text nodes, never as HTML.
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                panic!("{rel} is not valid JSON: {e}");
            }
            continue;
        }
        for bad in ["<script>alert", "<img src=x", "<!--<script>"] {
            assert!(!text.contains(bad), "{rel} contains unescaped {bad:?}");
        }
    }
    assert!(checked > 30, "html, xml, json and js files were checked");
    let script = tree_text(&files, "js/search.js");
    assert!(
        !script.contains("innerHTML") && !script.contains("insertAdjacentHTML"),
        "search results are inserted as text"
    );

    // The text is there, escaped, where people read it.
    let page = read(&out.join("tutorial/ostile/index.html"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;"),
        "the title is shown, escaped"
    );
    let feed = read(&out.join("tutorial/atom.xml"));
    assert!(
        feed.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{feed}"
    );

    // Structured data stays valid JSON, even for a title opening an HTML comment.
    for rel in [
        "tutorial/ostile/index.html",
        "tutorial/commento/index.html",
        "eventi/ostile/index.html",
    ] {
        let html = read(&out.join(rel));
        let start_tag = "<script type=\"application/ld+json\">";
        let start = html
            .find(start_tag)
            .unwrap_or_else(|| panic!("{rel}: no JSON-LD"))
            + start_tag.len();
        let len = html[start..].find("</script>").expect("JSON-LD not closed");
        let value: serde_json::Value = serde_json::from_str(&html[start..start + len])
            .unwrap_or_else(|e| panic!("{rel}: JSON-LD is not valid JSON: {e}"));
        let name = value["name"].as_str().unwrap_or_default();
        assert!(
            name.contains("<script>alert(1)"),
            "{rel}: name kept as text"
        );
    }

    // iCalendar is plain text, not markup: the title is kept as it is, but it
    // cannot add properties or events (line breaks are escaped).
    let ics = read(&out.join("eventi/ostile/evento.ics"));
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let calendar = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("evento.ics does not parse: {e}\n{ics}"));
    assert_eq!(calendar.events.len(), 1, "{ics}");
    let props = &calendar.events[0].properties;
    let value = |name: &str| {
        let all: Vec<&ical::property::Property> = props.iter().filter(|p| p.name == name).collect();
        assert_eq!(all.len(), 1, "one {name} in\n{ics}");
        all[0].value.clone().unwrap_or_default()
    };
    assert_eq!(value("SUMMARY"), SCRIPT);
    assert!(value("DESCRIPTION").contains("\\nEND:VEVENT"), "{ics}");
    assert!(
        !ics.lines().any(|l| l.starts_with("SUMMARY:finto")),
        "a line break in a value started a new property:\n{ics}"
    );
}

// ---------------------------------------------------------------------------
// Ignored files
// ---------------------------------------------------------------------------

#[test]
fn editor_leftovers_are_neither_pages_nor_copied() {
    let site = Site::fixture("minimal");
    // Broken front matter: if one of them were read as a page, the build
    // would fail; if copied, the marker would show up in the output.
    let text = "---\ntitle: [IGNORAMI\n---\n\nIGNORAMI\n";
    let names = [".DS_Store", ".#x.md", "x.md~", ".x.md.swp", "#x.md#"];
    for name in names {
        site.write(&format!("content/{name}"), text);
        site.write(&format!("content/tutorial/{name}"), text);
    }
    site.build().success().no_diagnostics();
    for (rel, bytes) in tree(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("IGNORAMI"),
            "{rel} holds an ignored file's text"
        );
        for name in names {
            assert!(!rel.contains(name), "{rel} copied from {name}");
        }
        assert!(!rel.contains("/x/") && !rel.starts_with("x/"), "{rel}");
    }
}

// ---------------------------------------------------------------------------
// Slugs
// ---------------------------------------------------------------------------

#[test]
fn slug_with_dot_dot_is_refused() {
    let site = Site::fixture("slug-dot-dot");
    site.build()
        .code(1)
        .diagnostic("errore", "bad-slug", "content/tutorial/fuga.md", 4)
        .stderr_has("../../etc");
    assert!(!site.out().exists());
    assert!(!site.tmp().join("etc").exists());
}

#[test]
fn duplicate_slugs_are_refused() {
    let site = Site::fixture("slug-duplicate");
    site.build()
        .code(1)
        // At the `slug:` line, naming the other file.
        .diagnostic("errore", "duplicate-address", "content/tutorial/uno.md", 4)
        .stderr_has("/tutorial/stessa-guida/")
        .stderr_has("content/tutorial/due.md");
}

#[test]
fn accented_title_makes_a_clean_address() {
    let site = Site::fixture("minimal");
    let root = site.root.to_str().unwrap().to_string();
    site.run(&[
        "new",
        "tutorial",
        "Perché l’app IO è così utile: l'identità",
        "--root",
        &root,
    ])
    .success();
    let file = "content/tutorial/perche-l-app-io-e-cosi-utile-l-identita.md";
    assert!(site.path(file).is_file(), "{file}");
    // A file named with accents and spaces gets a clean address too.
    site.write(
        "content/tutorial/Città e l'app IO.md",
        "---\ntitle: \"Città\"\nsummary: \"Una guida.\"\n---\n\nTesto.\n\n## Un passo\n\nFai così.\n",
    );
    site.build_drafts().success().stderr_lacks("errore[");
    for rel in [
        "tutorial/perche-l-app-io-e-cosi-utile-l-identita/index.html",
        "tutorial/citta-e-l-app-io/index.html",
    ] {
        assert!(site.out().join(rel).is_file(), "{rel}");
    }
}

// ---------------------------------------------------------------------------
// Robustness: no panic, a sensible exit, a message naming the file
// ---------------------------------------------------------------------------

#[test]
fn non_utf8_file_is_an_error() {
    let site = Site::fixture("minimal");
    site.write(
        "content/latino1.md",
        b"---\ntitle: \"Caff\xe8\"\n---\n\nTesto.\n",
    );
    site.build()
        .code(1)
        .diagnostic("errore", "encoding", "content/latino1.md", 2)
        .stderr_has("UTF-8");
}

#[test]
fn empty_file_is_an_error() {
    let site = Site::fixture("minimal");
    site.write("content/vuoto.md", "");
    site.build()
        .code(1)
        .diagnostic_on("errore", "front-matter-missing", "content/vuoto.md");
}

#[test]
fn file_of_only_dashes_is_an_error() {
    let site = Site::fixture("minimal");
    site.write("content/trattini.md", "---\n");
    site.build()
        .code(1)
        .diagnostic_on("errore", "front-matter-unclosed", "content/trattini.md");
}

#[test]
fn huge_file_is_refused() {
    let site = Site::fixture("minimal");
    let mut text = String::from("---\ntitle: \"Grande\"\n---\n\n");
    while text.len() < 33 * 1024 * 1024 {
        text.push_str("Una riga di testo ripetuta molte volte.\n");
    }
    site.write("content/grande.md", text);
    site.build()
        .code(1)
        .diagnostic_on("errore", "file-too-large", "content/grande.md");
}

/// A 5 MB page is built, with a warning that names it.
#[test]
fn large_page_is_built_with_a_warning() {
    let site = Site::fixture("minimal");
    let mut text = String::from("---\ntitle: \"Lunga\"\n---\n\n");
    while text.len() < 5 * 1024 * 1024 {
        text.push_str("Una riga di testo ripetuta molte volte.\n\n");
    }
    site.write("content/lunga.md", text);
    site.build()
        .success()
        .diagnostic_on("avviso", "file-large", "content/lunga.md");
    assert!(read(&site.out().join("lunga/index.html")).contains("Una riga di testo"));
}

#[test]
fn symlink_loop_is_reported_not_followed() {
    let site = Site::fixture("minimal");
    std::fs::create_dir_all(site.path("content/giro")).unwrap();
    std::os::unix::fs::symlink("..", site.path("content/giro/indietro")).unwrap();
    site.build()
        .code(1)
        .diagnostic_on("errore", "unreadable", "content/giro/indietro");
}

#[test]
fn symlink_outside_root_is_ignored_with_a_warning() {
    let site = Site::fixture("minimal");
    let outside = site.tmp().join("fuori");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("segreto.txt"), "SEGRETO").unwrap();
    std::fs::write(
        outside.join("pagina.md"),
        "---\ntitle: \"SEGRETO\"\n---\n\nSEGRETO\n",
    )
    .unwrap();
    // A file and a folder, both outside the site root.
    std::os::unix::fs::symlink(outside.join("segreto.txt"), site.path("content/file.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/cartella")).unwrap();
    site.build()
        .success()
        .diagnostic_on("avviso", "symlink-outside", "content/file.txt")
        .diagnostic_on("avviso", "symlink-outside", "content/cartella");
    for (rel, bytes) in tree(&site.out()) {
        assert!(
            !rel.contains("segreto") && !rel.contains("cartella") && !rel.contains("file.txt"),
            "{rel} comes from outside the site"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SEGRETO"),
            "{rel} holds text from outside the site"
        );
    }
}

#[test]
fn symlink_inside_root_is_followed() {
    let site = Site::fixture("minimal");
    site.write(
        "content/tutorial/immagine.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    std::os::unix::fs::symlink("tutorial/immagine.svg", site.path("content/stessa.svg")).unwrap();
    site.build().success().no_diagnostics();
    assert!(site.out().join("stessa.svg").is_file());
}

#[test]
fn very_deep_folders_are_refused() {
    let site = Site::fixture("minimal");
    let mut rel = String::from("content");
    for i in 1..=40 {
        rel.push_str(&format!("/d{i}"));
    }
    site.write(
        &format!("{rel}/profonda.md"),
        "---\ntitle: \"Profonda\"\n---\n\nTesto.\n",
    );
    site.build()
        .code(1)
        .stderr_has("errore[too-deep]: content/d1/d2/d3/");
}

#[test]
fn bom_and_crlf_build_and_keep_line_numbers() {
    let site = Site::fixture("minimal");
    let good = "\u{feff}---\r\ntitle: \"Con BOM e CRLF\"\r\nsummary: \"Una guida scritta su Windows.\"\r\ndate: 2026-01-12\r\n---\r\n\r\nTesto.\r\n\r\n## Un passo\r\n\r\nFai così.\r\n";
    site.write("content/tutorial/windows.md", good);
    site.build().success().no_diagnostics();
    let page = read(&site.out().join("tutorial/windows/index.html"));
    assert!(page.contains("Con BOM e CRLF"));
    assert!(!page.contains('\u{feff}'), "the BOM is not in the page");

    let bad = good.replace("2026-01-12", "2026-02-30");
    site.write("content/tutorial/windows.md", bad);
    site.build()
        .code(1)
        .diagnostic("errore", "front-matter", "content/tutorial/windows.md", 4);
}

// ---------------------------------------------------------------------------
// `pillole new` and `pillole init`
// ---------------------------------------------------------------------------

#[test]
fn new_tutorial_builds_and_never_overwrites() {
    let site = Site::fixture("minimal");
    let root = site.root.to_str().unwrap().to_string();
    let args = ["new", "tutorial", "Come attivare lo SPID", "--root", &root];
    site.run(&args).success();
    let file = site.path("content/tutorial/come-attivare-lo-spid.md");
    let written = std::fs::read(&file).expect("the new file exists");
    let text = String::from_utf8_lossy(&written).to_string();
    assert!(text.contains("title: \"Come attivare lo SPID\"\ndraft: true\n"));

    // A draft: left out of a build, and of its checks.
    site.build().success().no_diagnostics();
    assert!(!site.out().join("tutorial/come-attivare-lo-spid/").exists());
    // Built with --drafts, its example text is pointed out.
    site.build_drafts().success().diagnostic(
        "avviso",
        "placeholder",
        "content/tutorial/come-attivare-lo-spid.md",
        4,
    );
    let draft = site.read_out("tutorial/come-attivare-lo-spid/index.html");
    assert!(draft.contains("<strong>Bozza.</strong>"), "a draft says so");
    // Once the editor writes the guide, it is published without a word.
    let page = site.path("content/tutorial/come-attivare-lo-spid.md");
    let ready = text
        .replace("draft: true\n", "")
        .replace("Una frase che dice cosa si impara.", "Come avere lo SPID.")
        .replace(
            "Scrivi qui una breve introduzione.",
            "Ti serve un documento.",
        )
        .replace("Scrivi qui cosa fare, con frasi brevi.", "Apri il sito.")
        .replace("Scrivi qui cosa fare dopo.", "Scegli un gestore.");
    std::fs::write(&page, &ready).unwrap();
    site.build().success().no_diagnostics();
    let published = site.read_out("tutorial/come-attivare-lo-spid/index.html");
    assert!(
        !published.contains("Bozza"),
        "a published page has no banner"
    );
    std::fs::write(&page, &written).unwrap();

    site.run(&args)
        .code(1)
        .stderr_has("content/tutorial/come-attivare-lo-spid.md");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        written,
        "the file is unchanged"
    );
}

#[test]
fn new_diary_and_event_build() {
    let site = Site::fixture("minimal");
    let root = site.root.to_str().unwrap().to_string();
    site.run(&["new", "diario", "Tappa al Municipio 2", "--root", &root])
        .success();
    site.run(&["new", "evento", "Incontro sullo SPID", "--root", &root])
        .success();
    // An event left as written has no place: it cannot be published.
    site.build_drafts().code(1).diagnostic(
        "errore",
        "event-place",
        "content/eventi/incontro-sullo-spid.md",
        7,
    );
    let event = site.path("content/eventi/incontro-sullo-spid.md");
    let text = std::fs::read_to_string(&event).unwrap();
    std::fs::write(&event, text.replace("# online: true", "online: true")).unwrap();
    site.build_drafts()
        .success()
        .stderr_lacks("errore[")
        .diagnostic_on(
            "avviso",
            "placeholder",
            "content/diario/tappa-al-municipio-2.md",
        );
    assert!(site
        .out()
        .join("diario/tappa-al-municipio-2/index.html")
        .is_file());
    assert!(site
        .out()
        .join("eventi/incontro-sullo-spid/evento.ics")
        .is_file());
}

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let site = Site::empty();
    let dir = site.root.to_str().unwrap().to_string();
    site.run(&["init", &dir]).success();
    assert!(site.path("site.yaml").is_file());
    // Only the example text of its pages, to be written by the editor.
    let run = site.build();
    run.success()
        .stderr_lacks("errore[")
        .diagnostic("avviso", "placeholder", "content/chi-siamo.md", 6)
        .diagnostic("avviso", "placeholder", "content/accessibilita.md", 6);
    let warnings = run.stderr.matches("avviso[").count();
    let placeholders = run.stderr.matches("avviso[placeholder]").count();
    assert_eq!(warnings, placeholders, "{}", run.stderr);
    assert!(site.out().join("index.html").is_file());

    // A second init refuses and changes nothing.
    let before = tree(&site.root);
    site.run(&["init", &dir]).code(1);
    assert_same_tree(&before, &tree(&site.root), "the site after a second init");
}

// ---------------------------------------------------------------------------
// Links to .md files
// ---------------------------------------------------------------------------

#[test]
fn md_links_become_page_addresses() {
    let site = Site::fixture("md-links");
    site.build().success().no_diagnostics();
    let page = read(&site.out().join("tutorial/collegamenti/index.html"));
    for href in [
        "href=\"/tutorial/prima-guida/#apri-l-app\"",
        "href=\"/chi-siamo/\"",
        "href=\"/tutorial/prima-guida/\"",
    ] {
        assert!(page.contains(href), "{href} not in\n{page}");
    }
    assert!(!page.contains(".md\""), "no .md link left in\n{page}");
    let target = read(&site.out().join("tutorial/prima-guida/index.html"));
    assert!(target.contains("id=\"apri-l-app\""), "the anchor exists");
}

#[test]
fn md_link_to_missing_file_is_an_error() {
    let site = Site::fixture("md-link-missing");
    site.build()
        .code(1)
        .stderr_has("errore[broken-link]: content/tutorial/collegamento-rotto.md:12:22:")
        .stderr_has("non-esiste.md");
}

#[test]
fn code_stylesheet_is_loaded_only_where_code_is_shown() {
    let site = Site::fixture("minimal");
    site.write(
        "content/codice.md",
        "---\ntitle: Codice\n---\n\n```rust\nfn main() {}\n```\n",
    );
    site.build().success();
    let with_code = read(&site.out().join("codice/index.html"));
    assert!(with_code.contains("/css/syntax.css"), "{with_code}");
    assert!(with_code.contains("class=\"hl-"), "{with_code}");
    let home = read(&site.out().join("index.html"));
    assert!(!home.contains("/css/syntax.css"), "{home}");
    assert!(site.out().join("css/syntax.css").is_file());
}

#[test]
fn base_url_path_prefixes_links_written_in_bodies() {
    let site = Site::fixture("md-links");
    site.run(&[
        "build",
        "--output",
        site.out().to_str().unwrap(),
        "--now",
        "2026-11-23T10:00",
        "--base-url",
        "https://example.org/giro/",
    ])
    .success();
    let page = read(&site.out().join("tutorial/collegamenti/index.html"));
    assert!(
        page.contains("href=\"/giro/tutorial/prima-guida/#apri-l-app\""),
        "{page}"
    );
    assert!(page.contains("href=\"/giro/chi-siamo/\""), "{page}");
}

// ---------------------------------------------------------------------------
// Output to a reader that has gone
// ---------------------------------------------------------------------------

/// `pillole check --format json | head`: the reader closes the pipe while
/// pillole writes (its output is larger than a pipe holds, so it cannot be
/// written before); pillole ends quietly with success instead of panicking.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    let site = Site::fixture("minimal");
    for i in 0..400 {
        site.write(
            &format!("content/pagina-{i}.md"),
            format!("---\ntitle: \"Pagina {i}\"\n---\n\nVedi [la guida](manca-{i}.md).\n"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_pillole"))
        .args(["check", "--format", "json", "--now", NOW, "--root"])
        .arg(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pillole runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("pillole ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// `build` shows the first 50 warnings, in the order `check` gives them,
/// and counts the rest in its summary; `check` still has every one.
#[test]
fn build_shows_the_first_warnings_and_counts_them_all() {
    let site = Site::fixture("minimal");
    for i in 0..70 {
        // Nothing links these pages: one unreachable-page warning each.
        site.write(
            &format!("content/sola-{i:02}.md"),
            format!("---\ntitle: \"Pagina sola {i}\"\n---\n\nTesto.\n"),
        );
    }
    let (_, all) = site.check_json();
    let warnings: Vec<String> = all
        .iter()
        .filter(|d| d["severity"] == "warning")
        .map(|d| format!("{}:{}", d["file"].as_str().unwrap(), d["line"]))
        .collect();
    assert!(warnings.len() >= 70, "{warnings:?}");
    let run = site.build();
    run.success();
    let shown: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("avviso["))
        .collect();
    assert_eq!(shown.len(), 50, "{}", run.stderr);
    // The same first 50, in the same order.
    for (line, place) in shown.iter().zip(&warnings) {
        assert!(line.contains(&format!("{place}:")), "{line} is not {place}");
    }
    run.stderr_has(&format!(
        "… e altri {} avvisi: `pillole check` li mostra tutti.",
        warnings.len() - 50
    ));
    run.stderr_has(&format!("(0 errori, {} avvisi)", warnings.len()));
}

/// A guide of one step says "1 passo", on its page and on its print sheet.
#[test]
fn one_step_is_counted_in_the_singular() {
    let site = Site::fixture("minimal");
    site.write(
        "content/tutorial/un-passo.md",
        "---\ntitle: \"Un passo solo\"\nsummary: \"Una guida breve.\"\ndate: 2026-01-10\n---\n\nTesto.\n\n## Apri il telefono\n\nPremi il tasto.\n",
    );
    site.build().success();
    for page in [
        "tutorial/un-passo/index.html",
        "tutorial/un-passo/stampa/index.html",
    ] {
        let html = read(&site.out().join(page));
        assert!(html.contains("1 passo"), "{page}");
        assert!(!html.contains("1 passi"), "{page}");
    }
    let html = read(&site.out().join("tutorial/prima-guida/index.html"));
    assert!(html.contains("2 passi"));
}

/// An editor's lock file (`.#prima-guida.md`, a link to nowhere) is left
/// alone like any file an editor leaves behind: the site builds cleanly.
#[cfg(unix)]
#[test]
fn an_editor_lock_file_is_ignored() {
    let site = Site::fixture("minimal");
    std::os::unix::fs::symlink(
        "utente@pc.12345:1700000000",
        site.path("content/tutorial/.#prima-guida.md"),
    )
    .expect("a link");
    site.build().success().no_diagnostics();
}

/// Every page names the theme's icon, so browsers do not ask for a missing
/// `/favicon.ico`; the icon is written with the site.
#[test]
fn pages_name_the_theme_icon() {
    let site = Site::fixture("minimal");
    site.build().success();
    for page in [
        "index.html",
        "tutorial/prima-guida/index.html",
        "tutorial/prima-guida/stampa/index.html",
    ] {
        let html = read(&site.out().join(page));
        assert!(
            html.contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
            "{page}"
        );
    }
    assert!(read(&site.out().join("favicon.svg")).starts_with("<svg"));
}

/// Help and command-line mistakes are in Italian; a mistake exits with 2.
#[test]
fn usage_and_help_are_in_italian() {
    let site = Site::fixture("minimal");
    let help = site.run(&["build", "--help"]);
    help.success().stderr_lacks("Usage");
    assert!(
        help.stdout.contains("Uso: pillole build [OPZIONI]"),
        "{}",
        help.stdout
    );
    assert!(
        help.stdout.contains("Mostra questo aiuto"),
        "{}",
        help.stdout
    );
    assert!(!help.stdout.contains("Print help"), "{}", help.stdout);
    site.run(&["build", "--sbagliata"])
        .code(2)
        .stderr_has("errore: l'opzione «--sbagliata» non esiste")
        .stderr_has("Uso: pillole build [OPZIONI]")
        .stderr_lacks("Usage");
    site.run(&["check", "--format", "xml"])
        .code(2)
        .stderr_has("«xml» non va bene per --format");
}

/// A template saved in another encoding is named, and the theme's own is
/// used in its place (it was dropped without a word).
#[test]
fn a_template_not_in_utf8_is_named_and_replaced() {
    let site = Site::fixture("minimal");
    // "Perché" in Latin-1.
    site.write("templates/page.html", b"<p>Perch\xe9</p>".as_slice());
    site.build()
        .success()
        .diagnostic("avviso", "theme-unreadable", "templates/page.html", 1)
        .stderr_has("UTF-8");
    assert!(
        site.read_out("index.html").contains("<main"),
        "the default templates are used"
    );
}

// ---------------------------------------------------------------------------
// Sites with errors: --keep-going and check --summary
// ---------------------------------------------------------------------------

/// `minimal/` with a tutorial whose front matter is broken, a page linking
/// to it, and a page with a link that leads nowhere.
fn site_with_two_broken_pages() -> Site {
    let site = Site::fixture("minimal");
    site.write(
        "content/tutorial/rotta.md",
        "---\ntitle: [Guida rotta\n---\n\n## Primo passo\n\nApri il sito.\n",
    );
    site.write(
        "content/tutorial/seconda-guida.md",
        "---\ntitle: Seconda guida\nsummary: Una guida che rimanda alla guida rotta.\n---\n\n## Primo passo\n\nLeggi prima [la guida rotta](rotta.md).\n",
    );
    site.write(
        "content/chi-siamo.md",
        "---\ntitle: Chi siamo\nsummary: Chi fa questo sito.\n---\n\nScrivi a [noi](contatti.md) o leggi [la guida](tutorial/prima-guida.md).\n",
    );
    site
}

#[test]
fn keep_going_writes_every_page_that_can_be_made_and_still_fails() {
    let site = site_with_two_broken_pages();
    // Without the option: nothing written, and the option is suggested.
    site.build()
        .code(1)
        .stderr_has("pillole build --keep-going");
    assert!(!site.out().exists());

    let out = site.out();
    let run = site.run(&[
        "build",
        "--keep-going",
        "--root",
        site.root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    run.code(1)
        .diagnostic("errore", "front-matter", "content/tutorial/rotta.md", 2)
        .diagnostic("errore", "broken-link", "content/chi-siamo.md", 6)
        .stderr_has("senza le pagine con errori");
    // The pages without errors are there, the broken one is not.
    for page in [
        "index.html",
        "chi-siamo/index.html",
        "tutorial/prima-guida/index.html",
        "tutorial/seconda-guida/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    assert!(!out.join("tutorial/rotta").exists());
    // A link to the page left out is not a second error of its own.
    assert!(!run.stderr.contains("seconda-guida.md:"), "{}", run.stderr);
    let chi = site.read_out("chi-siamo/index.html");
    assert!(chi.contains("href=\"/tutorial/prima-guida/\""), "{chi}");

    // Errors in site.yaml still stop it: there is no site to build.
    site.write("site.yaml", "title: [rotto\n");
    std::fs::remove_dir_all(&out).unwrap();
    site.run(&[
        "build",
        "--keep-going",
        "--root",
        site.root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--now",
        NOW,
    ])
    .code(1)
    .stderr_has("non è stato creato");
    assert!(!out.exists());
}

#[test]
fn check_summary_counts_each_rule_with_its_first_places() {
    let site = site_with_two_broken_pages();
    for n in 0..5 {
        site.write(
            &format!("content/pagina-{n}.md"),
            format!(
                "---\ntitle: Pagina {n}\nsummary: Prova.\n---\n\nVai a [niente](niente-{n}.md).\n"
            ),
        );
    }
    let root = site.root.to_str().unwrap();
    let run = site.run(&["check", "--summary", "--root", root, "--now", NOW]);
    run.code(1);
    let text = &run.stderr;
    // Six broken links: the count, the rule's summary and the first three places.
    assert!(text.contains("broken-link: 6 errori · "), "{text}");
    assert!(
        text.contains(
            "content/chi-siamo.md:6, content/pagina-0.md:6, content/pagina-1.md:6 e altri 3"
        ),
        "{text}"
    );
    assert!(text.contains("front-matter: 1 errore · "), "{text}");
    // Errors come before warnings, and no diagnostic is printed in full.
    let errors_at = text.find("broken-link:").unwrap();
    if let Some(warning_at) = text.find("avvis") {
        assert!(errors_at < warning_at, "{text}");
    }
    assert!(!text.contains("aiuto:"), "{text}");

    let json = site.run(&[
        "check",
        "--summary",
        "--format",
        "json",
        "--root",
        root,
        "--now",
        NOW,
    ]);
    let groups: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let broken = groups
        .iter()
        .find(|g| g["rule"] == "broken-link")
        .expect("a broken-link group");
    assert_eq!(broken["count"], 6);
    assert_eq!(broken["severity"], "error");
    assert_eq!(broken["places"].as_array().unwrap().len(), 3);
    let total: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    let (_, all) = site.check_json();
    assert_eq!(total as usize, all.len());
}

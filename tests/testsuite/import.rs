//! `pillole import SRC DEST`: each fixture site under
//! `tests/fixtures/import/` (Hugo, Jekyll, Zola, mdBook, a plain folder)
//! is copied to a temporary folder, imported with the real binary, and
//! then built with `pillole build`. The tests read what was written (the
//! headers as YAML, the bodies, the report) and what was built (the pages,
//! the redirect pages at the old addresses, no template syntax left), and
//! check that SRC was not touched.
//!
//! Run with `cargo test --test testsuite import::`.

use crate::util::{self, list_files, read, repo_root, tree, NOW};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Keys an imported header may have.
const PILLOLE_KEYS: &[&str] = &[
    "title", "summary", "date", "updated", "draft", "tags", "slug", "aliases", "order",
];

/// A fixture imported into a temporary folder.
struct Imported {
    _tmp: tempfile::TempDir,
    tmp: PathBuf,
    /// The copy of the fixture (SRC).
    src: PathBuf,
    /// The new site (DEST).
    dest: PathBuf,
    run: util::Run,
    /// SRC's files before the import.
    before: BTreeMap<String, Vec<u8>>,
}

impl Imported {
    /// Copies `tests/fixtures/import/<name>` and imports it; the import must succeed.
    #[track_caller]
    fn new(name: &str) -> Imported {
        let tmp_dir = tempfile::Builder::new()
            .prefix("pillole-import-")
            .tempdir()
            .expect("temporary folder");
        let tmp = tmp_dir.path().to_path_buf();
        let src = tmp.join("vecchio");
        util::copy_dir(&repo_root().join("tests/fixtures/import").join(name), &src);
        let before = tree(&src);
        let dest = tmp.join("nuovo");
        let run = util::run_in(
            &tmp,
            &tmp,
            &["import".as_ref(), src.as_os_str(), dest.as_os_str()],
        );
        run.success();
        Imported {
            _tmp: tmp_dir,
            tmp,
            src,
            dest,
            run,
            before,
        }
    }

    /// The report printed on standard output.
    fn report(&self) -> &str {
        &self.run.stdout
    }

    /// A file written under DEST/content.
    #[track_caller]
    fn content(&self, rel: &str) -> String {
        read(&self.dest.join("content").join(rel))
    }

    #[track_caller]
    fn exists(&self, rel: &str) -> bool {
        self.dest.join("content").join(rel).exists()
    }

    /// The header of a written document, as YAML; only pillole's keys.
    #[track_caller]
    fn header(&self, rel: &str) -> serde_yaml::Value {
        let text = self.content(rel);
        let rest = text
            .strip_prefix("---\n")
            .unwrap_or_else(|| panic!("{rel} has no header:\n{text}"));
        let end = rest
            .find("\n---\n")
            .unwrap_or_else(|| panic!("{rel}: header not closed"));
        let value: serde_yaml::Value =
            serde_yaml::from_str(&rest[..end]).unwrap_or_else(|e| panic!("{rel}: bad YAML: {e}"));
        for key in value.as_mapping().expect("a mapping").keys() {
            let key = key.as_str().unwrap_or("");
            assert!(
                PILLOLE_KEYS.contains(&key),
                "{rel}: key {key:?} is not pillole's"
            );
        }
        value
    }

    /// The body of a written document (after its header).
    #[track_caller]
    fn body(&self, rel: &str) -> String {
        let text = self.content(rel);
        let rest = text.strip_prefix("---\n").expect("header");
        let end = rest.find("\n---\n").expect("header end");
        rest[end + 5..].to_string()
    }

    /// The 1-based line of the first line holding `needle` in a SRC file.
    #[track_caller]
    fn src_line(&self, rel: &str, needle: &str) -> usize {
        let text = read(&self.src.join(rel));
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{rel} has no {needle:?}"))
            + 1
    }

    /// The number after `label:` in the report.
    #[track_caller]
    fn count(&self, label: &str) -> usize {
        let prefix = format!("  {label}: ");
        self.report()
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no count {label:?} in the report:\n{}", self.report()))
    }

    /// A report line about `what`: its count and places.
    #[track_caller]
    fn to_check(&self, what: &str) -> String {
        self.report()
            .lines()
            .find(|l| l.trim_start().starts_with(what))
            .unwrap_or_else(|| panic!("no {what:?} in the report:\n{}", self.report()))
            .to_string()
    }

    /// SRC must be byte for byte as it was.
    #[track_caller]
    fn src_unchanged(&self) {
        util::assert_same_tree(&self.before, &tree(&self.src), "SRC after the import");
    }

    /// `pillole build` of DEST, which must succeed; returns the output folder.
    #[track_caller]
    fn build(&self) -> PathBuf {
        let out = self.tmp.join("public");
        let run = util::run_in(
            &self.tmp,
            &self.tmp,
            &[
                "build".as_ref(),
                "--root".as_ref(),
                self.dest.as_os_str(),
                "--output".as_ref(),
                out.as_os_str(),
                "--now".as_ref(),
                NOW.as_ref(),
            ],
        );
        run.success();
        no_template_syntax_in_html(&out);
        out
    }
}

fn list(v: &serde_yaml::Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Markdown without its fenced code blocks and inline code.
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let t = line.trim_start();
        let marker = if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            (Some(_), _) => {}
            (None, None) => {
                // Inline code: text between pairs of backticks goes.
                for (k, part) in line.split('`').enumerate() {
                    if k % 2 == 0 {
                        out.push_str(part);
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

#[track_caller]
fn no_template_syntax(rel: &str, md: &str) {
    let text = outside_code(md);
    for syntax in ["{{", "{%", "{:", "%}", "}}"] {
        assert!(
            !text.contains(syntax),
            "{rel}: {syntax} left outside code:\n{md}"
        );
    }
}

/// HTML without `<pre>` and `<code>` elements.
fn html_outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<pre", "<code"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = if tag == "<pre" { "</pre>" } else { "</code>" };
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
}

#[track_caller]
fn no_template_syntax_in_html(out: &Path) {
    let mut pages = 0;
    for f in list_files(out) {
        if !f.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = read(&out.join(&f));
        let text = html_outside_code(&html);
        for syntax in ["{{", "{%", "{:"] {
            assert!(!text.contains(syntax), "{f}: {syntax} in the built page");
        }
    }
    assert!(pages > 5, "too few pages built: {pages}");
}

/// Each of `files` was written into the output folder `out`.
#[track_caller]
fn built(out: &Path, files: &[&str]) {
    for file in files {
        assert!(out.join(file).is_file(), "{file} was not built");
    }
}

/// The redirect page written for an old address: `x.html` as a file, or
/// `x/index.html`.
#[track_caller]
fn redirect_at(out: &Path, old: &str, target: &str) {
    let rel = old.trim_start_matches('/');
    let file = out.join(rel);
    let page = if file.is_file() {
        file
    } else {
        out.join(rel).join("index.html")
    };
    let html = read(&page);
    assert!(
        html.contains("http-equiv=\"refresh\""),
        "{old}: not a redirect page"
    );
    assert!(
        html.contains(target),
        "{old}: does not lead to {target}:\n{html}"
    );
}

#[test]
fn hugo_site_is_imported_and_builds() {
    let s = Imported::new("hugo");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: Hugo (config.toml)."),
        "{}",
        s.report()
    );
    for f in [
        "_index.md",
        "chi-siamo.md",
        "posts/_index.md",
        "posts/primo-post.md",
        "posts/Terzo_Post.md",
        "posts/seconda/index.md",
        "posts/seconda/foto.png",
        "guide/spid/accesso.md",
        "images/logo.png",
        "docs/modulo.pdf",
    ] {
        assert!(s.exists(f), "{f} was not written");
    }
    assert!(!s.dest.join("layouts").exists() && !s.dest.join("static").exists());

    let h = s.header("posts/primo-post.md");
    assert_eq!(h["title"].as_str(), Some("Benvenuti allo sportello"));
    assert_eq!(h["summary"].as_str(), Some("Apre lo sportello digitale."));
    assert_eq!(h["date"].as_str(), Some("2024-01-05"));
    assert_eq!(h["updated"].as_str(), Some("2024-02-01"));
    assert_eq!(list(&h["tags"]), ["spid", "servizi", "cie"]);
    assert_eq!(h["slug"].as_str(), Some("benvenuti"));
    assert_eq!(h["order"].as_i64(), Some(3));
    assert!(
        h.get("draft").is_none() && h.get("aliases").is_none(),
        "{h:?}"
    );

    let h = s.header("chi-siamo.md");
    assert_eq!(list(&h["aliases"]), ["/about/"]);
    assert_eq!(h["order"].as_i64(), Some(2));
    assert_eq!(
        list(&s.header("posts/Terzo_Post.md")["aliases"]),
        ["/posts/terzo_post/"]
    );
    let h = s.header("posts/seconda/index.md");
    assert_eq!(list(&h["aliases"]), ["/vecchio/seconda.html"]);
    assert_eq!(h["date"].as_str(), Some("2024-02-20"));
    let seconda = s.body("posts/seconda/index.md");
    assert!(
        seconda.contains("## Cosa è successo") && seconda.contains("## Cosa faremo"),
        "{seconda}"
    );
    assert!(!seconda.lines().any(|l| l.starts_with("# ")), "{seconda}");

    let body = s.body("posts/primo-post.md");
    for expected in [
        "![Il logo dello sportello](/images/logo.png)\n\n*Il nuovo logo*",
        "> **Nota:** Porta un documento.",
        "> **Attenzione: Truffe**\n>\n> Nessuno ti chiede il PIN al telefono.",
        "```go\nfmt.Println(\"ciao\")\n```",
        "[chi siamo](../chi-siamo.md#contatti)",
        "[la guida](../guide/spid/accesso.md)",
        "[Guarda il video su YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)",
        "[Guarda il video su Vimeo](https://vimeo.com/76979871)",
        "<details>\n<summary>Orari dello sportello</summary>\n\nIl **martedì** dalle 9 alle 12.\n\n</details>",
        "Testo dentro le schede.",
        "```\n{{< note >}}\nTesto\n{{< /note >}}\n```",
        "`{{< youtube ID >}}`",
    ] {
        assert!(body.contains(expected), "primo-post.md lacks {expected:?}:\n{body}");
    }
    no_template_syntax("posts/primo-post.md", &body);
    let accesso = s.body("guide/spid/accesso.md");
    assert!(
        accesso.contains("> **Suggerimento:** Tieni il telefono **vicino**."),
        "{accesso}"
    );
    assert!(
        accesso.contains("[prima notizia](../../posts/primo-post.md)"),
        "{accesso}"
    );

    assert_eq!(s.count("figure"), 1);
    assert_eq!(s.count("note e avvisi"), 3);
    assert_eq!(s.count("blocchi di codice"), 1);
    assert_eq!(s.count("video"), 2);
    assert_eq!(s.count("dettagli (details)"), 1);
    assert_eq!(s.count("vecchi indirizzi tenuti come alias"), 3);
    let post = "content/posts/primo-post.md";
    let src = "content/posts/primo-post.md";
    assert_eq!(
        s.to_check("shortcode Hugo «tabs»"),
        format!(
            "  shortcode Hugo «tabs» (1): {post}:{}",
            s.src_line(src, "{{< tabs >}}")
        )
    );
    assert_eq!(
        s.to_check("shortcode Hugo «gist»"),
        format!(
            "  shortcode Hugo «gist» (1): {post}:{}",
            s.src_line(src, "{{< gist")
        )
    );
    let dropped = s.to_check("voci dell'intestazione tolte");
    assert!(
        dropped.contains("author 1") && dropped.contains("layout 1") && dropped.contains("toc 1"),
        "{dropped}"
    );
    assert!(
        s.report().contains("pillole check --root "),
        "{}",
        s.report()
    );
    s.src_unchanged();

    let site = read(&s.dest.join("site.yaml"));
    assert!(site.contains("title: \"Sportello digitale\""), "{site}");
    assert!(
        site.contains("base_url: \"https://www.comune-esempio.it/\""),
        "{site}"
    );

    let out = s.build();
    built(
        &out,
        &[
            "posts/benvenuti/index.html",
            "chi-siamo/index.html",
            "guide/spid/accesso/index.html",
            "posts/seconda/foto.png",
            "images/logo.png",
        ],
    );
    redirect_at(&out, "/about/", "/chi-siamo/");
    redirect_at(&out, "/posts/terzo_post/", "/posts/terzo-post/");
    redirect_at(&out, "/vecchio/seconda.html", "/posts/seconda/");
}

#[test]
fn hugo_mounts_and_config_folder_give_the_content_and_its_addresses() {
    let s = Imported::new("hugo-modules");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: Hugo (config/_default/hugo.toml)."),
        "{}",
        s.report()
    );
    // The mount of the default language is the content folder.
    for f in [
        "_index.md",
        "pratiche/_index.md",
        "pratiche/spid.md",
        "pratiche/Carta_Identita.md",
        "documenti/modulo.pdf",
        "img/logo.png",
    ] {
        assert!(s.exists(f), "{f} was not written");
    }
    for f in ["it", "en", "services", "logo.png"] {
        assert!(!s.exists(f), "{f} should not be in content/");
    }
    assert_eq!(
        s.header("_index.md")["title"].as_str(),
        Some("Servizi del Comune")
    );
    // Hugo published the page at /pratiche/carta_identita/, not under /it/.
    assert_eq!(
        list(&s.header("pratiche/Carta_Identita.md")["aliases"]),
        ["/pratiche/carta_identita/"]
    );
    assert!(s.header("pratiche/spid.md").get("aliases").is_none());
    // Links written with the old addresses find their pages.
    let spid = s.body("pratiche/spid.md");
    for expected in [
        "[carta d'identità](Carta_Identita.md)",
        "[orari dello sportello](Carta_Identita.md#orari)",
        "[modulo](/documenti/modulo.pdf)",
    ] {
        assert!(
            spid.contains(expected),
            "spid.md lacks {expected:?}:\n{spid}"
        );
    }
    let home = s.body("_index.md");
    assert!(
        home.contains("[entrare con lo SPID](pratiche/spid.md)"),
        "{home}"
    );
    let site = read(&s.dest.join("site.yaml"));
    assert!(site.contains("language: it\n"), "{site}");
    assert!(
        site.contains("base_url: \"https://servizi.comune-esempio.it/\""),
        "{site}"
    );
    s.src_unchanged();

    let out = s.build();
    built(
        &out,
        &[
            "pratiche/spid/index.html",
            "pratiche/carta-identita/index.html",
            "img/logo.png",
            "documenti/modulo.pdf",
        ],
    );
    redirect_at(
        &out,
        "/pratiche/carta_identita/",
        "/pratiche/carta-identita/",
    );
}

#[test]
fn hugo_pages_never_published_are_left_out_and_counted() {
    let s = Imported::new("hugo-modules");
    // Cascaded from a section (to the section itself and below), set on
    // the page, or a headless bundle: Hugo wrote none of these pages.
    for f in [
        "_comune/_index.md",
        "_comune/orari.md",
        "_comune/sotto/recapiti.md",
        "glossario/spid.md",
        "glossario/cie.md",
        "pratiche/nascosta/index.md",
        "pratiche/nascosta/_index.md",
    ] {
        assert!(!s.exists(f), "{f} was never published, and was imported");
    }
    let line = s.to_check("non portate: pagine non pubblicate nel vecchio sito");
    assert_eq!(
        line,
        "  non portate: pagine non pubblicate nel vecchio sito (4): content/it/_comune/_index.md, content/it/_comune/orari.md, content/it/_comune/sotto/recapiti.md, content/it/pratiche/nascosta/index.md"
    );
    // Glossary terms, never pages of their own but listed in their
    // section, are entries of the glossary's page, by title; links to a
    // term by its words (`[CIE](g)`, Hugo's documentation) reach them.
    let glossary = s.body("glossario/_index.md");
    assert!(
        glossary.ends_with("Le parole dei servizi digitali.\n\n## CIE\n\nCarta d'identità elettronica.\n\n## SPID\n\nSistema pubblico di identità digitale.\n"),
        "{glossary}"
    );
    assert_eq!(
        s.count("voci riunite nella pagina della loro sezione (glossari)"),
        2
    );
    assert!(
        s.body("pratiche/fuori-elenco.md").contains(
            "Serve la [CIE](../glossario/_index.md#cie) o lo [SPID](../glossario/_index.md#spid)."
        ),
        "{}",
        s.body("pratiche/fuori-elenco.md")
    );
    // The glossary's own page sets render: always over its cascade; a page
    // left out of lists was still published; a draft stays a draft.
    assert_eq!(
        s.header("glossario/_index.md")["title"].as_str(),
        Some("Glossario")
    );
    assert_eq!(
        s.header("pratiche/fuori-elenco.md")["title"].as_str(),
        Some("Ritiro della carta")
    );
    assert_eq!(s.header("pratiche/bozza.md")["draft"].as_bool(), Some(true));
    // A headless bundle's files are still copied.
    assert!(s.exists("pratiche/nascosta/mappa.png"));
    assert!(s.report().contains("Scritto in "), "{}", s.report());
    s.build();
}

#[test]
fn jekyll_site_is_imported_and_builds() {
    let s = Imported::new("jekyll");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: Jekyll (_config.yml)."),
        "{}",
        s.report()
    );
    for f in [
        "_index.md",
        "about.md",
        "docs/_index.md",
        "docs/guida.md",
        "docs/schema.png",
        "posts/benvenuti.md",
        "posts/secondo.md",
        "posts/bozza.md",
        "assets/img/logo.png",
        "assets/css/semplice.css",
    ] {
        assert!(s.exists(f), "{f} was not written");
    }
    for f in [
        "feed.xml",
        "assets/css/style.scss",
        "notes.txt",
        "Gemfile",
        "index.md",
        "_layouts",
        "_includes",
    ] {
        assert!(!s.exists(f), "{f} should not be in content/");
    }

    // kramdown's id under a heading moves onto the heading line.
    assert!(
        s.body("docs/guida.md")
            .contains("## Come si fa {#come-fare}\n"),
        "{}",
        s.body("docs/guida.md")
    );
    let h = s.header("posts/benvenuti.md");
    assert_eq!(h["date"].as_str(), Some("2024-01-05"));
    assert_eq!(list(&h["tags"]), ["spid", "cie", "notizie"]);
    assert_eq!(h["summary"].as_str(), Some("Il sito è nuovo."));
    assert_eq!(list(&h["aliases"]), ["/notizie/2024/01/05/benvenuti.html"]);
    let h = s.header("posts/secondo.md");
    assert_eq!(h["title"].as_str(), Some("Orari di febbraio"));
    assert_eq!(h["date"].as_str(), Some("2024-02-11"));
    assert_eq!(h["updated"].as_str(), Some("2024-03-01"));
    assert_eq!(h["draft"].as_bool(), Some(true));
    assert_eq!(list(&h["aliases"]), ["/2024/02/11/secondo.html"]);
    assert!(!s.body("posts/secondo.md").contains("# Orari"));
    let h = s.header("posts/bozza.md");
    assert_eq!(h["draft"].as_bool(), Some(true));
    assert!(h.get("aliases").is_none());
    assert_eq!(list(&s.header("about.md")["aliases"]), ["/chi-siamo/"]);
    let h = s.header("docs/guida.md");
    assert_eq!(list(&h["aliases"]), ["/docs/guida.html", "/vecchia-guida/"]);
    assert_eq!(h["order"].as_i64(), Some(2));
    assert_eq!(h["summary"].as_str(), Some("Come si attiva lo SPID."));
    assert_eq!(s.header("docs/_index.md")["order"].as_i64(), Some(1));
    assert_eq!(s.header("_index.md")["title"].as_str(), Some("Benvenuti"));

    let body = s.body("docs/guida.md");
    for expected in [
        "[chi siamo](../about.md) e [la notizia](../posts/benvenuti.md)",
        "[pagina di prima](../about.md) o alla [notizia vecchia](../posts/benvenuti.md)",
        "```ruby\nputs \"ciao\"\n```",
        "`{{ page.title }}`",
        "![Il logo](/assets/img/logo.png)\n\n*Il logo in alto a sinistra*",
        "[Guarda il video su YouTube](https://www.youtube.com/watch?v=abc123XYZ)",
        "<details>\n<summary>Serve la tessera sanitaria?</summary>\n\nSì, **serve** sempre.\n\n</details>",
        "Testo condizionato",
        "![Immagine senza descrizione](schema.png)",
        "```liquid\n{% if utente %}Ciao{% endif %}\n```",
    ] {
        assert!(body.contains(expected), "guida.md lacks {expected:?}:\n{body}");
    }
    no_template_syntax("docs/guida.md", &body);
    let about = s.body("about.md");
    assert!(!about.contains("TOC"), "{about}");
    assert!(
        about.contains("> **Attenzione:** Lo sportello è **gratuito**."),
        "{about}"
    );
    assert!(
        about.contains("![Logo dell'associazione](/assets/img/logo.png)"),
        "{about}"
    );
    no_template_syntax("about.md", &about);

    let guida = "content/docs/guida.md";
    for (what, needle) in [
        ("tag Liquid «if»", "{% if site.mostra %}"),
        (
            "espressione «{{ page.title }}»",
            "Il titolo è {{ page.title }}",
        ),
        ("include «boh.html»", "{% include boh.html %}"),
    ] {
        let line = s.src_line("docs/guida.md", needle);
        assert_eq!(s.to_check(what), format!("  {what} (1): {guida}:{line}"));
    }
    // Two in about.md, one (an id, moved onto its heading) in guida.md.
    assert_eq!(s.count("attributi kramdown tolti"), 3);
    assert_eq!(s.count("figure"), 1);
    assert_eq!(s.count("note e avvisi"), 1);
    assert_eq!(s.count("video"), 1);
    assert!(s.to_check("non portati: modello").contains("feed.xml"));
    assert!(s
        .to_check("immagini senza testo alternativo")
        .contains("content/docs/guida.md"));
    s.src_unchanged();

    let site = read(&s.dest.join("site.yaml"));
    assert!(site.contains("heading_ids: github\n"), "{site}");
    assert!(
        site.contains("base_url: \"https://digitale-insieme.github.io/sito\""),
        "{site}"
    );
    assert!(site.contains("email: ciao@digitale-insieme.it"), "{site}");

    let out = s.build();
    built(
        &out,
        &[
            "posts/benvenuti/index.html",
            "about/index.html",
            "docs/guida/index.html",
            "docs/index.html",
            "assets/img/logo.png",
        ],
    );
    assert!(
        !out.join("posts/secondo/index.html").exists(),
        "a draft was built"
    );
    redirect_at(
        &out,
        "/notizie/2024/01/05/benvenuti.html",
        "/sito/posts/benvenuti/",
    );
    redirect_at(&out, "/chi-siamo/", "/sito/about/");
    redirect_at(&out, "/docs/guida.html", "/sito/docs/guida/");
    redirect_at(&out, "/vecchia-guida/", "/sito/docs/guida/");
}

#[test]
fn jekyll_collections_are_imported_at_their_old_addresses() {
    let s = Imported::new("jekyll");
    // Every collection with output: true, under content/<collection>/.
    for f in [
        "schede/spid/accesso.md",
        "schede/vecchie/cie-cartacea.md",
        "comunicati/2024-orari-estivi.md",
        "comunicati/chiusura.md",
        "sportelli/centro.md",
        "uffici/anagrafe.md",
        // A file of a collection, where Jekyll wrote it (/:path/ + .png).
        "spid/schema.png",
    ] {
        assert!(s.exists(f), "{f} was not written");
    }
    // Its permalink was its folder's address: it is the folder's page.
    assert_eq!(
        s.header("schede/spid/_index.md")["title"].as_str(),
        Some("SPID")
    );
    for f in [
        "schede/spid/spid.md",
        "moduli/domanda.md",
        "schede/spid/guida/quando.md",
        "schede/spid/esempio.md",
        "schede/_bozza-interna.md",
        "schede/bozza-interna.md",
    ] {
        assert!(!s.exists(f), "{f} should not be a page");
    }
    let aliases = |rel: &str| list(&s.header(rel)["aliases"]);
    assert!(aliases("schede/spid/_index.md").is_empty());
    // With a permalink of its own, Jekyll never read its slug.
    assert!(s.header("schede/spid/_index.md").get("slug").is_none());
    assert_eq!(aliases("schede/spid/accesso.md"), ["/spid/accesso/"]);
    // defaults: the longest matching scope's permalink.
    assert_eq!(
        aliases("schede/vecchie/cie-cartacea.md"),
        ["/archivio/cie-cartacea/"]
    );
    assert_eq!(
        aliases("comunicati/2024-orari-estivi.md"),
        ["/comunicati/Orari-Estate"]
    );
    assert!(aliases("comunicati/chiusura.md").is_empty());
    assert_eq!(aliases("sportelli/centro.md"), ["/sportelli/centro.html"]);
    assert_eq!(aliases("uffici/anagrafe.md"), ["/anagrafe/"]);
    let body = s.body("schede/spid/accesso.md");
    for expected in [
        "[la scheda](_index.md)",
        "[la carta cartacea](../vecchie/cie-cartacea.md)",
        "[la chiusura estiva](../../comunicati/chiusura.md)",
        "(/spid/schema.png)",
    ] {
        assert!(
            body.contains(expected),
            "accesso.md lacks {expected:?}:\n{body}"
        );
    }
    assert_eq!(
        s.to_check("non portati: raccolta «moduli»"),
        "  non portati: raccolta «moduli» con output: false, non pubblicata nel vecchio sito (1): _moduli/domanda.md"
    );
    assert_eq!(
        s.to_check("non portati: testo senza intestazione in una raccolta"),
        "  non portati: testo senza intestazione in una raccolta: Jekyll non ne faceva una pagina (lo includono i modelli) (1): _schede/spid/guida/quando.md"
    );
    assert!(s
        .to_check("non portati: modello")
        .contains("_schede/spid/esempio.html"));

    let out = s.build();
    built(
        &out,
        &[
            "schede/spid/index.html",
            "schede/spid/accesso/index.html",
            "comunicati/orari-estate/index.html",
            "spid/schema.png",
        ],
    );
    redirect_at(&out, "/spid/accesso/", "/sito/schede/spid/accesso/");
    redirect_at(
        &out,
        "/archivio/cie-cartacea/",
        "/sito/schede/vecchie/cie-cartacea/",
    );
    redirect_at(&out, "/sportelli/centro.html", "/sito/sportelli/centro/");
}

#[test]
fn zola_site_is_imported_and_builds() {
    let s = Imported::new("zola");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: Zola (config.toml)."),
        "{}",
        s.report()
    );
    assert!(
        s.exists("blog/primo.md")
            && s.exists("files/orari.pdf")
            && s.exists("pagine/galleria/foto.png")
    );
    let h = s.header("blog/primo.md");
    assert_eq!(h["date"].as_str(), Some("2024-03-01"));
    assert_eq!(h["updated"].as_str(), Some("2024-03-05"));
    assert_eq!(list(&h["tags"]), ["incontri", "quartiere"]);
    assert_eq!(list(&h["aliases"]), ["/vecchio/primo/"]);
    assert_eq!(h["order"].as_i64(), Some(5));
    assert_eq!(
        list(&s.header("pagine/info.md")["aliases"]),
        ["/info-vecchia/"]
    );

    let body = s.body("blog/primo.md");
    for expected in [
        "> **Nota: Da sapere**\n>\n> Il prossimo incontro è a **aprile**.",
        "[Guarda il video su YouTube](https://www.youtube.com/watch?v=zola123)",
        "[informazioni](../pagine/info.md#orari)",
        "[galleria](../pagine/galleria/index.md)",
        "Testo dentro uno shortcode sconosciuto.",
        "> **Suggerimento:** Porta il tuo telefono.",
        "`{{ youtube(id=\"ID\") }}`",
    ] {
        assert!(
            body.contains(expected),
            "primo.md lacks {expected:?}:\n{body}"
        );
    }
    no_template_syntax("blog/primo.md", &body);
    let src = "content/blog/2024-03-01-primo.md";
    for (what, needle) in [
        ("shortcode Zola «boh»", "{% boh() %}"),
        ("shortcode Zola «altro»", "{{ altro(x=1) }}"),
    ] {
        let line = s.src_line(src, needle);
        assert_eq!(
            s.to_check(what),
            format!("  {what} (1): content/blog/primo.md:{line}")
        );
    }
    let dropped = s.to_check("voci dell'intestazione tolte");
    assert!(
        dropped.contains("extra 1") && dropped.contains("sort_by 2"),
        "{dropped}"
    );
    s.src_unchanged();

    let out = s.build();
    built(
        &out,
        &[
            "blog/primo/index.html",
            "pagine/info/index.html",
            "files/orari.pdf",
        ],
    );
    redirect_at(&out, "/vecchio/primo/", "/blog/primo/");
    redirect_at(&out, "/info-vecchia/", "/pagine/info/");
}

#[test]
fn mdbook_is_imported_in_summary_order_and_builds() {
    let s = Imported::new("mdbook");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: mdBook (book.toml)."),
        "{}",
        s.report()
    );
    let chapters = [
        ("_index.md", "Introduzione", None),
        ("capitolo-1/_index.md", "Primi passi", None),
        (
            "capitolo-1/telefono.md",
            "Preparare il telefono",
            Some("/capitolo-1/telefono.html"),
        ),
        ("uso.md", "Uso quotidiano", Some("/uso.html")),
    ];
    for (n, (rel, title, alias)) in chapters.iter().enumerate() {
        let h = s.header(rel);
        assert_eq!(h["title"].as_str(), Some(*title), "{rel}");
        assert_eq!(h["order"].as_i64(), Some(n as i64 + 1), "{rel}");
        assert_eq!(
            list(&h["aliases"]),
            alias.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
            "{rel}"
        );
        assert!(
            !s.body(rel).lines().any(|l| l.starts_with("# ")),
            "{rel} keeps a # heading"
        );
    }
    assert!(
        !s.exists("esempi/nota.md"),
        "a file only included became a page"
    );
    let intro = s.body("_index.md");
    assert!(
        intro.contains("[primi passi](capitolo-1/_index.md)"),
        "{intro}"
    );
    assert!(intro.contains("(uso.md#ogni-giorno)"), "{intro}");
    assert!(s.body("uso.md").contains("## Ogni giorno"));
    let telefono = s.body("capitolo-1/telefono.md");
    assert!(
        telefono.contains("```sh\necho \"aggiorna le app\"\n```"),
        "{telefono}"
    );
    assert!(
        telefono.contains("Ricorda di **salvare** le password."),
        "{telefono}"
    );
    assert!(!telefono.contains("non serve"), "{telefono}");
    no_template_syntax("capitolo-1/telefono.md", &telefono);
    assert_eq!(s.count("inclusioni"), 2);
    let line = s.src_line("src/uso.md", "{{#title");
    assert_eq!(
        s.to_check("comando mdBook «title»"),
        format!("  comando mdBook «title» (1): content/uso.md:{line}")
    );
    s.src_unchanged();

    let out = s.build();
    built(
        &out,
        &[
            "uso/index.html",
            "capitolo-1/index.html",
            "capitolo-1/telefono/index.html",
            "capitolo-1/schermata.png",
        ],
    );
    redirect_at(&out, "/uso.html", "/uso/");
    redirect_at(&out, "/capitolo-1/telefono.html", "/capitolo-1/telefono/");
}

#[test]
fn plain_folder_is_imported_and_builds() {
    let s = Imported::new("plain");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: cartella di Markdown."),
        "{}",
        s.report()
    );
    let h = s.header("_index.md");
    assert_eq!(h["title"].as_str(), Some("Appunti dello sportello"));
    assert!(s
        .body("_index.md")
        .contains("> **Nota:** Gli appunti sono aggiornati ogni mese."));
    assert_eq!(
        s.header("cartella/_index.md")["title"].as_str(),
        Some("Cartella degli esempi")
    );
    assert!(s.body("cartella/_index.md").contains("[qui](pagina.md)"));
    assert_eq!(
        s.header("cartella/pagina.md")["title"].as_str(),
        Some("Pagina")
    );
    assert_eq!(list(&s.header("guida.md")["tags"]), ["sportello"]);
    // Addresses the old site made in code, in Markdown and in raw HTML: to
    // the page with that file name (of two, the one whose folders match
    // more of the address, whatever the case), each reported for a person
    // to check.
    let guida = s.body("guida.md");
    assert!(
        guida.contains("[dell'anagrafe](servizi-importati/anagrafe.md)")
            && guida.contains("<a href=\"cartella/pagina.md\" class=\"btn\">"),
        "{guida}"
    );
    assert!(
        s.report()
            .contains("portati alla pagina con lo stesso nome di file")
            && s.report().contains("content/guida.md"),
        "{}",
        s.report()
    );
    assert!(s.exists("cartella/mappa.png") && !s.exists("README.md"));
    // A folder named like pages pillole makes itself (/servizi/) is renamed.
    assert!(s.exists("servizi-importati/anagrafe.md") && !s.exists("servizi"));
    assert!(s.report().contains("servizi"), "{}", s.report());
    for rel in [
        "_index.md",
        "guida.md",
        "cartella/_index.md",
        "cartella/pagina.md",
        "cartella/anagrafe.md",
    ] {
        assert!(
            s.header(rel).get("aliases").is_none(),
            "{rel}: a plain folder had no addresses"
        );
    }
    assert_eq!(s.count("vecchi indirizzi tenuti come alias"), 0);
    s.src_unchanged();
    let out = s.build();
    built(
        &out,
        &[
            "index.html",
            "guida/index.html",
            "cartella/index.html",
            "cartella/pagina/index.html",
            "cartella/mappa.png",
        ],
    );
}

#[test]
fn gatsby_site_is_imported_with_its_yaml_pages() {
    let s = Imported::new("gatsby");
    assert!(
        s.report()
            .starts_with("Sito riconosciuto: Gatsby, una cartella di Markdown (gatsby-config.js)."),
        "{}",
        s.report()
    );
    // The page its layout shows from YAML: title, text, terms as headings
    // with their ids, the old address kept.
    let glossary = "contents/glossary-page/_index.md";
    assert_eq!(
        s.header(glossary)["title"].as_str(),
        Some("Le parole dello sportello")
    );
    // Another old page showed it at an address pillole makes itself: not
    // kept, and said.
    assert_eq!(list(&s.header(glossary)["aliases"]), ["/glossario/"]);
    assert!(
        s.report()
            .contains("content/contents/glossary-page/_index.md (/cerca/)"),
        "{}",
        s.report()
    );
    let body = s.body(glossary);
    assert!(
        body.contains("Qui trovi il significato")
            && body
                .contains("## SPID {#spid}\n\nIl Sistema Pubblico di Identità Digitale: un nome")
            && body.contains("## CIE {#cie}"),
        "{body}"
    );
    assert_eq!(
        s.header("contents/guide/guida.md")["summary"].as_str(),
        Some("Una guida breve.")
    );
    // static/ is the top of the site; code, data and the repository's own
    // documents stay behind.
    assert!(s.exists("assets/mappa.png"));
    for gone in [
        "README.md",
        "package.json",
        "gatsby-config.js",
        "src/pages/glossario.js",
        "src/layouts/GlossaryPage.js",
        "contents/seo.yml",
        "contents/glossary-page/glossary.yml",
        "static/assets/mappa.png",
    ] {
        assert!(!s.exists(gone), "{gone} should not be imported");
    }
    assert!(
        !s.body("_index.md").contains("npm run build"),
        "the README is not the home page"
    );
    assert!(
        s.report()
            .contains("codice o dati del vecchio sito (Gatsby)"),
        "{}",
        s.report()
    );
    s.src_unchanged();
    // The old links to the glossary's terms and the picture at the top of
    // the site resolve (the build stops on a broken link or anchor).
    let out = s.build();
    built(
        &out,
        &[
            "glossario/index.html",
            "contents/glossary-page/index.html",
            "contents/guide/guida/index.html",
            "assets/mappa.png",
        ],
    );
    let page = std::fs::read_to_string(out.join("contents/glossary-page/index.html")).unwrap();
    assert!(page.contains("id=\"spid\"") && page.contains("id=\"cie\""));
}

#[test]
fn dest_must_be_new_and_outside_src() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let src = tmp.path().join("vecchio");
    util::copy_dir(&repo_root().join("tests/fixtures/import/plain"), &src);
    let before = tree(&src);
    let dest = tmp.path().join("nuovo");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("mio.txt"), "da non toccare").unwrap();
    let run = util::run_in(
        tmp.path(),
        tmp.path(),
        &["import".as_ref(), src.as_os_str(), dest.as_os_str()],
    );
    run.code(1).stderr_has("non è vuota");
    assert_eq!(list_files(&dest), ["mio.txt"]);
    assert_eq!(read(&dest.join("mio.txt")), "da non toccare");

    let inside = src.join("nuovo");
    let run = util::run_in(
        tmp.path(),
        tmp.path(),
        &["import".as_ref(), src.as_os_str(), inside.as_os_str()],
    );
    run.code(1).stderr_has("dentro il vecchio sito");
    assert!(!inside.exists());
    let run = util::run_in(
        tmp.path(),
        tmp.path(),
        &["import".as_ref(), src.as_os_str(), src.as_os_str()],
    );
    run.code(1);
    util::assert_same_tree(&before, &tree(&src), "SRC after refused imports");

    let run = util::run_in(tmp.path(), tmp.path(), &["import", "manca", "altro"]);
    run.code(1).stderr_has("non trovo la cartella manca");
    let run = util::run_in(tmp.path(), tmp.path(), &["import"]);
    run.code(2);
    // An empty DEST is fine.
    let empty = tmp.path().join("vuota");
    std::fs::create_dir(&empty).unwrap();
    util::run_in(
        tmp.path(),
        tmp.path(),
        &["import".as_ref(), src.as_os_str(), empty.as_os_str()],
    )
    .success();
    assert!(empty.join("site.yaml").is_file());
}

//! Property tests for hostile input (issue 9): front matter text is escaped
//! in every HTML, XML and SVG output, Markdown bodies cannot run code, slugs
//! stay safe and unique, calendar lines keep RFC 5545's shape, a build
//! writes only inside its output folder, and the same site builds to the
//! same bytes.
//!
//! Every property runs a fixed number of cases from a fixed seed, so a run
//! is reproducible and a failure prints the input that broke it. The checks
//! shared with the fuzz targets live in `fuzz/src/lib.rs`.
//!
//! Run with `cargo test --test testsuite properties::`.

use crate::fuzz_checks;

use fuzz_checks::{
    active_markup, assert_good_slug, assert_ics_lines, has_active_markup, list_tree,
    TrivialResolver, NOW, SITE_YAML,
};
use pillole::content::markdown::RenderOptions;
use pillole::content::slug;
use pillole::render::body::markdown;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A bounded, reproducible run: fixed seed, no files of past failures.
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        rng_seed: RngSeed::Fixed(0x9_0009),
        failure_persistence: None,
        max_shrink_iters: 512,
        ..ProptestConfig::default()
    }
}

// ---- sites on disk ---------------------------------------------------------

/// A site in a temporary folder, nested a few levels down so that anything
/// written above the site or its output folder shows up in [`Self::stray`].
struct TempSite {
    tmp: tempfile::TempDir,
}

const NEST: &str = "a/b/c";

impl TempSite {
    fn new() -> Self {
        let site = TempSite {
            tmp: tempfile::tempdir().expect("a temporary folder"),
        };
        std::fs::create_dir_all(site.root().join("content")).expect("mkdir");
        std::fs::write(site.root().join("site.yaml"), SITE_YAML).expect("write");
        site.write("_index.md", "---\ntitle: Casa\n---\nBenvenuti.\n");
        site
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join(NEST).join("site")
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join(NEST).join("out")
    }

    /// Writes a file under content/.
    fn write(&self, rel: &str, text: &str) {
        let path = self.root().join("content").join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn options(&self) -> pillole::Options {
        options(&self.root())
    }

    fn build_into(&self, out: &Path) -> (pillole::Loaded, Result<usize, pillole::BuildError>) {
        pillole::build(&self.options(), out, &Default::default())
    }

    /// Builds into [`Self::out`] and returns the files written, failing with
    /// the diagnostics when the build fails.
    fn build_ok(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let (loaded, result) = self.build_into(&self.out());
        if let Err(e) = result {
            panic!("build failed: {e:?}\n{:#?}", loaded.diagnostics);
        }
        read_tree(&self.out())
    }

    /// Everything in the temporary folder that is neither the site, nor the
    /// output, nor one of the folders holding them.
    fn stray(&self) -> Vec<PathBuf> {
        let keep = [Path::new(NEST).join("site"), Path::new(NEST).join("out")];
        list_tree(self.tmp.path())
            .into_iter()
            .filter(|p| !keep.iter().any(|k| p.starts_with(k)))
            .filter(|p| !Path::new(NEST).starts_with(p))
            .collect()
    }
}

fn options(root: &Path) -> pillole::Options {
    pillole::Options {
        root: root.to_path_buf(),
        drafts: false,
        base_url: None,
        now: pillole::parse_now(NOW).expect("valid now"),
    }
}

/// Every file under `dir` with its bytes.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    list_tree(dir)
        .into_iter()
        .filter(|p| dir.join(p).is_file())
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).expect("readable");
            (p, bytes)
        })
        .collect()
}

fn is_markup(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("html" | "xml" | "svg")
    )
}

/// A YAML scalar holding exactly `s` (JSON strings are YAML double-quoted
/// scalars).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

// ---- strategies -----------------------------------------------------------------

/// Text with at least one character HTML must escape, between plain words.
fn hostile_text() -> impl Strategy<Value = String> {
    let core = prop::sample::select(vec![
        "<",
        ">",
        "\"",
        "&",
        "<script>alert(1)</script>",
        "</title><script>x()</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='x()' a=\"",
        "&amp;",
        "&lt;b&gt;",
        "]]><x>",
        "</script>",
        "--><!--",
        "&#x3c;",
        "<b>grassetto</b>",
        "{{ site.title }}<",
        "\\u003c&",
    ]);
    (
        "[a-zA-Zàèéìòù ]{0,6}",
        core,
        "[a-zA-Z0-9<>\"&'/=;:àè ]{0,10}",
    )
        .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

/// Raw HTML and Markdown written to run code, in many spellings.
const ATTACKS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<IfRaMe src=\"//x.example\"></IfRaMe>",
    "<STYLE>*{color:red}</STYLE>",
    "<img SRC=x OnErRoR=alert(1)>",
    "<a HREF=\"&#X6A;AVASCRIPT:alert(1)\">a</a>",
    "<a href=\"&#x76;bscript:x\">a</a>",
    "<a href=\"data&colon;text/html,x\">a</a>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x\nonerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover=\"alert(1)\">x</div>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    "<a href=\"javascript:alert(1)\">a</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">a</a>",
    "<a href=\"&#106;avascript:alert(1)\">a</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">a</a>",
    "<a href=\"&#0000106avascript:alert(1)\">a</a>",
    "<a href=\"java&#9;script:alert(1)\">a</a>",
    "<a href=\"java&Tab;script:alert(1)\">a</a>",
    "<a href=\"java\tscript:alert(1)\">a</a>",
    "<a href=\"java\nscript:alert(1)\">a</a>",
    "<a href=\" javascript:alert(1)\">a</a>",
    "<a href=javascript&colon;alert(1)>a</a>",
    "<a href=\"vbscript:msgbox(1)\">a</a>",
    "<a href=\"VBScript:msgbox(1)\">a</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">a</a>",
    "<a href=\"DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">a</a>",
    "<iframe src=\"//x.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<style>body{display:none}</style>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<!--<script>alert(1)</script>-->",
    "<base href=\"javascript:/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](vbscript:x)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](#){onclick=alert(1)}",
    "## Titolo {#x onclick=alert(1)}",
    "## Titolo {.a onmouseover=alert(1)}",
];

/// Markdown glue between attacks.
const GLUE: &[&str] = &[
    "\n\n",
    "\n",
    " ",
    "Testo semplice. ",
    "\n\n## Un passo\n\n",
    "\n\n- ",
    "\n\n> ",
    "\n\n| a | b |\n|---|---|\n| ",
    " `",
    "\n\n```\n",
    "\n\n    ",
    "**",
    "<div>\n",
    "\n</div>\n",
    "<p ",
    "\"",
];

fn hostile_body() -> impl Strategy<Value = String> {
    body_of(ATTACKS.to_vec())
}

/// Raw HTML attacks (and heading attributes) only: Markdown script links are
/// build errors (`script-link`), which would stop a whole-site build.
fn hostile_html_body() -> impl Strategy<Value = String> {
    let html: Vec<&str> = ATTACKS
        .iter()
        .copied()
        .filter(|a| (a.starts_with('<') && !a.starts_with("<javascript:")) || a.starts_with("## "))
        .collect();
    body_of(html)
}

fn body_of(attacks: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(GLUE.to_vec()),
            prop::sample::select(attacks),
        ),
        1..6,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(g, a)| format!("{g}{a}"))
            .collect::<String>()
    })
}

// ---- 1. front matter text is escaped ----------------------------------------------------

proptest! {
    #![proptest_config(cases(48))]

    /// Any text in any front matter field appears in HTML, XML and SVG
    /// output only escaped; calendar files keep their line rules with it.
    #[test]
    fn front_matter_text_never_appears_unescaped(raw in prop::collection::vec(hostile_text(), 16)) {
        // A marker before and after makes each value unique and keeps its
        // edges from being trimmed.
        let f: Vec<String> = raw.iter().enumerate().map(|(i, s)| format!("Zq{i}{s}Qz")).collect();
        let site = TempSite::new();
        site.write("tutorial/guida.md", &format!(
            "---\ntitle: {}\nsummary: {}\ntags: [{}]\nneeds: [{}]\nservices: [{}]\ndate: 2026-10-01\n\
             duration: {}\n---\nIntroduzione.\n\n## Primo passo\n\nApri l'app.\n",
            q(&f[0]), q(&f[1]), q(&f[2]), q(&f[3]), q(&f[4]), q(&f[15]),
        ));
        site.write("eventi/incontro.md", &format!(
            "---\ntitle: {}\nsummary: {}\nstart: 2026-12-01T10:00\nend: 2026-12-01T12:00\n\
             place: {}\naddress: {}\nmunicipio: 3\nbooking: {{note: {}, email: a@example.org}}\n\
             tags: [{}]\n---\nUn incontro.\n",
            q(&f[5]), q(&f[6]), q(&f[7]), q(&f[8]), q(&f[9]), q(&f[10]),
        ));
        site.write("eventi/sportello.md", &format!(
            "---\ntitle: {}\nstart: 2026-12-01T09:00\nend: 2026-12-01T11:00\nplace: {}\n\
             repeat: {{days: [martedì, giovedì], until: 2027-02-25, except: [2026-12-24]}}\n---\nOgni settimana.\n",
            q(&f[11]), q(&f[12]),
        ));
        site.write("diario/tappa.md", &format!(
            "---\ntitle: {}\nsummary: {}\ndate: 2026-10-02\nplace: {}\nmunicipio: 3\nevent: incontro\n---\nTesto.\n",
            q(&f[13]), q(&f[14]), q(&f[12]),
        ));
        let files = site.build_ok();
        let mut markup = 0;
        for (path, bytes) in &files {
            if path.extension().is_some_and(|e| e == "ics") {
                assert_ics_lines(bytes);
            }
            if !is_markup(path) {
                continue;
            }
            markup += 1;
            let text = String::from_utf8_lossy(bytes);
            for value in &f {
                prop_assert!(
                    !text.contains(value.as_str()),
                    "{value:?} appears unescaped in {}", path.display()
                );
            }
        }
        prop_assert!(markup > 20, "only {markup} HTML/XML/SVG files");
        // The values did reach the pages, escaped.
        let page = String::from_utf8_lossy(&files[Path::new("tutorial/guida/index.html")]);
        prop_assert!(page.contains("Zq0"));
    }
}

// ---- 2. Markdown bodies cannot run code -------------------------------------------

proptest! {
    #![proptest_config(cases(1024))]

    /// With default settings no script, frame, style, event handler or script
    /// URL from a body reaches its HTML, and heading ids stay unique.
    #[test]
    fn markdown_bodies_never_run_code(body in hostile_body(), steps in any::<bool>()) {
        let opts = RenderOptions { steps, trust_html: false, dir: "tutorial", first_line: 5, github_ids: false };
        let (r, body_html) = markdown(&body, &opts, &TrivialResolver);
        for html in std::iter::once(&body_html.intro).chain(&body_html.steps) {
            prop_assert_eq!(has_active_markup(html), None, "{}", html);
        }
        let ids: BTreeSet<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.len(), r.headings.len());
    }
}

/// The active markup of every page of a site whose bodies are `body`.
fn site_markup(body: &str) -> BTreeMap<PathBuf, Vec<String>> {
    let site = TempSite::new();
    site.write(
        "tutorial/guida.md",
        &format!("---\ntitle: Guida\nsummary: Una guida.\n---\nIntro.\n\n## Passo\n\n{body}\n"),
    );
    site.write(
        "diario/tappa.md",
        &format!("---\ntitle: Tappa\ndate: 2026-10-02\nmunicipio: 2\n---\n{body}\n"),
    );
    site.write("pagina.md", &format!("---\ntitle: Pagina\n---\n{body}\n"));
    site.build_ok()
        .into_iter()
        .filter(|(p, _)| is_markup(p))
        .map(|(p, b)| (p, active_markup(&String::from_utf8_lossy(&b))))
        .collect()
}

proptest! {
    #![proptest_config(cases(24))]

    /// Through a whole build: every page has exactly the scripts of the
    /// same page with a harmless body (the theme's own).
    #[test]
    fn built_pages_run_only_the_themes_scripts(body in hostile_html_body()) {
        let baseline = site_markup("Testo semplice.");
        for (path, found) in site_markup(&body) {
            let expected = baseline.get(&path).cloned().unwrap_or_default();
            prop_assert_eq!(found, expected, "in {}", path.display());
        }
    }
}

/// Every attack alone, as its own paragraph: the sanitiser removes it and
/// the check warns (`raw-html-removed`) where it was raw HTML.
#[test]
fn each_attack_is_removed_and_reported() {
    let mut would_run = 0;
    for attack in ATTACKS {
        let body = format!("Prima.\n\n{attack}\n\nDopo.\n");
        let opts = RenderOptions {
            steps: false,
            trust_html: false,
            dir: "",
            first_line: 1,
            github_ids: false,
        };
        let (r, html) = markdown(&body, &opts, &TrivialResolver);
        assert_eq!(
            has_active_markup(&html.intro),
            None,
            "{attack}: {}",
            html.intro
        );
        // With trust_html the HTML is kept as written: what would run there
        // is what the sanitiser took out, and the check must say so.
        // Comments are dropped whole and run nothing: no warning for them.
        let (trusted, trusted_html) = markdown(
            &body,
            &RenderOptions {
                trust_html: true,
                ..opts
            },
            &TrivialResolver,
        );
        assert!(trusted.raw_html.is_empty());
        if has_active_markup(&trusted_html.intro).is_some() && !attack.starts_with("<!--") {
            would_run += 1;
            assert!(
                r.raw_html.iter().any(|h| h.unsafe_found()),
                "{attack}: no warning"
            );
        }
    }
    assert!(would_run >= 30, "only {would_run} attacks were live HTML");
}

/// Through `pillole check`'s pipeline: one `raw-html-removed` warning per
/// page with unsafe HTML, none for harmless HTML.
#[test]
fn check_warns_where_the_sanitiser_removed_something() {
    let site = TempSite::new();
    site.write(
        "cattiva.md",
        "---\ntitle: Cattiva\n---\nTesto.\n\n<a href=\"&#106;avascript:alert(1)\">apri</a>\n",
    );
    site.write(
        "buona.md",
        "---\ntitle: Buona\n---\nTesto.\n\n<details><summary>Altro</summary>\n\nDi più.\n\n</details>\n",
    );
    let loaded = pillole::load(&site.options());
    let warned: Vec<(&str, usize)> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.rule == "raw-html-removed")
        .map(|d| (d.file.as_str(), d.line))
        .collect();
    assert_eq!(warned, [("content/cattiva.md", 6)]);
}

// ---- 3. slugs ------------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(512))]

    /// Slugs made from any text are never empty and never a path.
    #[test]
    fn slugs_from_any_text_are_safe(text in prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9àèìòù'’ ./\\\\:\\-_\t\n\u{0}-\u{1f}]{0,40}",
        "[\\.\\-/\\\\ ]{0,12}",
    ]) {
        let s = slug::slugify(&text, "pagina");
        assert_good_slug(&s);
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        prop_assert!(slug::validate(&s).is_ok());
        if slug::validate(&text).is_ok() {
            assert_good_slug(&text);
        }
    }
}

/// A file stem that is not hidden and not a section or bundle index.
fn file_stem() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9àèìòù日本' _.\\-]{1,10}".prop_filter("a visible page", |s| {
        !s.starts_with('.') && !s.starts_with('#') && s != "_index" && s != "index"
    })
}

fn given_slug() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => Just(None),
        4 => "[a-z0-9\\-]{1,6}".prop_map(Some),
        1 => "[a-zA-Z0-9./\\\\ \\-]{0,6}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(cases(128))]

    /// Pages of one section with any file names and `slug:` values: every
    /// page kept has a safe slug, no two share one, and every file is
    /// either a page or reported (bad slug, duplicate address).
    #[test]
    fn slugs_stay_unique_within_a_section(
        files in prop::collection::btree_map(file_stem(), (hostile_text(), given_slug()), 1..7)
    ) {
        let site = TempSite::new();
        for (stem, (title, slug)) in &files {
            let slug_line = slug.as_ref().map(|s| format!("slug: {}\n", q(s))).unwrap_or_default();
            site.write(
                &format!("tutorial/{stem}.md"),
                &format!("---\ntitle: {}\n{slug_line}---\nTesto.\n", q(title)),
            );
        }
        let loaded = pillole::load(&site.options());
        let s = loaded.site.as_ref().expect("a site");
        let pages: Vec<_> = s.pages.iter().filter(|p| p.section == "tutorial").collect();
        let mut slugs = BTreeSet::new();
        for p in &pages {
            assert_good_slug(&p.slug);
            prop_assert!(slugs.insert(p.slug.clone()), "slug {} twice", p.slug);
            prop_assert_eq!(&p.path, &format!("/tutorial/{}/", p.slug));
        }
        let reported = loaded
            .diagnostics
            .iter()
            .filter(|d| matches!(d.rule, "bad-slug" | "duplicate-address"))
            .count();
        prop_assert_eq!(pages.len() + reported, files.len(), "{:#?}", loaded.diagnostics);
    }
}

// ---- 4. calendar files ----------------------------------------------------------------

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter),
        "[aé😀日 \t\r\n,;:\\\\\"]{0,160}",
    ]
}

proptest! {
    #![proptest_config(cases(512))]

    /// Any event text: every line at most 75 octets, ending in CRLF, whole
    /// UTF-8 characters on each side of every fold, and no text can start
    /// a component of its own.
    #[test]
    fn ics_lines_keep_their_shape(
        name in any_text(),
        texts in prop::collection::vec(any_text(), 5),
        day in 0i64..700,
        minutes in 0i64..(24 * 60),
        length in 1i64..600,
        repeat in prop::option::of((prop::collection::vec(0usize..7, 0..4), 0i64..400)),
    ) {
        use pillole::calendar::{Repeat, Weekday};
        use pillole::render::ical::{calendar, IcsEvent, IcsStatus};
        let week = [Weekday::Lunedi, Weekday::Martedi, Weekday::Mercoledi, Weekday::Giovedi,
            Weekday::Venerdi, Weekday::Sabato, Weekday::Domenica];
        let base = pillole::parse_now("2026-01-01T00:00").expect("valid");
        let start = base + chrono::Duration::days(day) + chrono::Duration::minutes(minutes);
        let event = IcsEvent {
            uid: texts[0].clone(),
            summary: texts[1].clone(),
            description: texts[2].clone(),
            location: texts[3].clone(),
            url: texts[4].clone(),
            start,
            end: start + chrono::Duration::minutes(length),
            status: IcsStatus::Confirmed,
            repeat: repeat.map(|(days, until)| Repeat {
                days: days.into_iter().map(|d| week[d]).collect(),
                until: start.date() + chrono::Duration::days(until),
                except: vec![start.date() + chrono::Duration::days(7)],
            }),
            stamp: base,
        };
        let out = calendar(&name, &[event.clone(), event]);
        assert_ics_lines(out.as_bytes());
        let unfolded = out.replace("\r\n ", "");
        let begins = unfolded.split("\r\n").filter(|l| l.starts_with("BEGIN:")).count();
        // VCALENDAR, VTIMEZONE, STANDARD, DAYLIGHT and two VEVENTs.
        prop_assert_eq!(begins, 6);
    }
}

// ---- 5. a build writes only inside its output folder -------------------------------------

/// Old addresses, some of them trying to climb out or to take another
/// page's place.
fn alias() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z]{3,8}/vecchia(/[a-z0-9\\-.]{1,8}){0,2}/?",
        1 => prop::sample::select(vec![
            "../../../../fuori",
            "/../../fuori/",
            "a/../../../fuori",
            "..",
            ".",
            "/",
            "",
            "a\\..\\..\\fuori",
            "/etc/passwd",
            "tutorial",
            "tutorial/guida",
            "eventi/calendario.ics",
            "sitemap.xml/x",
            "%2e%2e/%2e%2e/fuori",
            "a//b",
            "a b",
        ])
        .prop_map(str::to_string),
    ]
}

/// Addresses that lead somewhere in [`spec_site`]'s sites.
const GOOD_LINKS: &[&str] = &[
    "[La guida](guida.md)",
    "[Il primo passo](guida.md#primo-passo)",
    "[Tutte le guide](/tutorial/)",
    "[Il sito dello SPID](https://www.spid.gov.it/)",
    "![Il tasto Entra](foto.png)",
    "![Il tasto Entra](../tutorial/foto.png)",
];

/// Links and images with every kind of address.
fn link() -> impl Strategy<Value = String> {
    let dest = prop_oneof![
        "[a-z0-9\\-]{1,8}\\.md",
        "(\\.\\./){1,6}[a-z]{1,6}(\\.md|\\.png|/)?",
        "/(\\.\\./){0,4}[a-z]{0,6}/?",
        prop::sample::select(vec![
            "/etc/passwd",
            "file:///etc/passwd",
            "../../../../../../etc/passwd",
            "..%2f..%2f..%2fetc%2fpasswd",
            "%2e%2e/%2e%2e/fuori.md",
            "\\\\server\\share",
            "C:\\\\Windows\\\\x.png",
            "guida.md#primo-passo",
        ])
        .prop_map(str::to_string),
    ];
    let bad = (any::<bool>(), dest).prop_map(|(image, d)| {
        if image {
            format!("![Foto]({d})")
        } else {
            format!("[Vai alla pagina]({d})")
        }
    });
    prop_oneof![
        12 => prop::sample::select(GOOD_LINKS.to_vec()).prop_map(str::to_string),
        1 => bad,
    ]
}

fn page_spec() -> impl Strategy<Value = (String, Option<String>, Vec<String>, Vec<String>)> {
    (
        file_stem(),
        given_slug(),
        prop::collection::vec(alias(), 0..3),
        prop::collection::vec(link(), 0..4),
    )
}

/// A site of tutorials from specs, beside a guide and a picture that
/// links can lead to.
/// One generated page: title, slug, aliases, links.
type PageSpec = (String, Option<String>, Vec<String>, Vec<String>);

fn spec_site(specs: &[PageSpec]) -> TempSite {
    let site = TempSite::new();
    site.write(
        "tutorial/guida.md",
        "---\ntitle: Guida\nsummary: Una guida.\n---\nIntro.\n\n## Primo passo\n\nApri l'app.\n",
    );
    site.write("tutorial/foto.png", "non proprio un png");
    for (stem, slug, aliases, links) in specs {
        let slug_line = slug
            .as_ref()
            .map(|s| format!("slug: {}\n", q(s)))
            .unwrap_or_default();
        let aliases: Vec<String> = aliases.iter().map(|a| q(a)).collect();
        site.write(
            &format!("tutorial/{stem}.md"),
            &format!(
                "---\ntitle: Guida a {}\nsummary: Una guida.\n{slug_line}aliases: [{}]\n---\n\
                 Intro.\n\n## Primo passo\n\n{}\n",
                q(stem).trim_matches('"'),
                aliases.join(", "),
                links.join("\n\n"),
            ),
        );
    }
    site
}

proptest! {
    #![proptest_config(cases(64))]

    /// Whatever the slugs, aliases and links, a build (failed or not)
    /// writes nothing outside its output folder, leaves the site as it was,
    /// and a failed build leaves no output at all.
    #[test]
    fn builds_write_only_inside_their_output(specs in prop::collection::vec(page_spec(), 1..5)) {
        let site = spec_site(&specs);
        let before = read_tree(&site.root());
        let (loaded, result) = site.build_into(&site.out());
        prop_assert_eq!(site.stray(), Vec::<PathBuf>::new());
        prop_assert!(read_tree(&site.root()) == before, "the site changed");
        match result {
            Ok(n) => {
                let written = read_tree(&site.out());
                prop_assert_eq!(written.len(), n);
                // No alias took the place of the home page.
                let home = String::from_utf8_lossy(&written[Path::new("index.html")]);
                prop_assert!(home.contains("Benvenuti"));
            }
            Err(e) => {
                prop_assert!(!site.out().exists(), "{e:?}");
                prop_assert!(loaded.diagnostics.iter().any(|d| d.is_error()) || matches!(e, pillole::BuildError::Write(_)));
            }
        }
    }
}

// ---- 6. the same site gives the same bytes -------------------------------------------------

/// Builds `root` twice into fresh folders and compares every file.
fn assert_reproducible(opts: &pillole::Options) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut trees = Vec::new();
    for name in ["uno", "due"] {
        let out = tmp.path().join(name);
        let (loaded, result) = pillole::build(opts, &out, &Default::default());
        if let Err(e) = result {
            panic!("build failed: {e:?}\n{:#?}", loaded.diagnostics);
        }
        trees.push(read_tree(&out));
    }
    let (a, b) = (&trees[0], &trees[1]);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(
            bytes == &b[path],
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn the_demo_site_builds_to_the_same_bytes_twice() {
    assert_reproducible(&options(Path::new(env!("CARGO_MANIFEST_DIR"))));
}

proptest! {
    #![proptest_config(cases(12))]

    #[test]
    fn generated_sites_build_to_the_same_bytes_twice(
        pages in prop::collection::btree_map("[a-z]{3,8}", (hostile_text(), hostile_text()), 1..5),
        texts in prop::collection::vec(hostile_text(), 3),
    ) {
        let site = TempSite::new();
        for (stem, (title, tag)) in &pages {
            site.write(&format!("tutorial/{stem}.md"), &format!(
                "---\ntitle: {}\nsummary: Una guida.\ntags: [{}, comune]\naliases: [vecchie/{stem}]\n---\n\
                 Intro.\n\n## Primo passo\n\nVedi [la pagina dei tag](/tag/comune/).\n",
                q(title), q(tag),
            ));
        }
        site.write("eventi/sportello.md", &format!(
            "---\ntitle: {}\nstart: 2026-12-01T09:00\nend: 2026-12-01T11:00\nplace: {}\ntags: [{}]\n\
             repeat: {{days: [martedì], until: 2027-03-30}}\n---\nOgni settimana.\n",
            q(&texts[0]), q(&texts[1]), q(&texts[2]),
        ));
        assert_reproducible(&site.options());
    }
}

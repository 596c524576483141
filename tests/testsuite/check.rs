//! End-to-end tests of `pillole check` (issue 6): the real binary, `--format
//! json` parsed with serde_json, on copies of small fixture sites.
//!
//! - One fixture per rule (`tests/fixtures/check-RULE/`): exactly one
//!   diagnostic, asserted by file, line, column, severity and rule. A test
//!   fails when a rule of the catalogue has no case here.
//! - A clean fixture yields `[]`; the demo site passes `--strict`.
//! - The Gulpease index through the whole pipeline, against arithmetic
//!   written out in the comments.
//! - Exit codes (`--strict`), `pillole build` with reading-level warnings,
//!   the human form and `--color`.
//!
//! Run with `cargo test --test testsuite check::`.

use crate::util;

use pillole::check::rules::RULES;
use serde_json::Value;
use std::ffi::OsStr;
use util::{read, repo_root, Run, Site, NOW};

/// One diagnostic as the tests compare it.
#[derive(Debug, PartialEq)]
struct Found {
    file: String,
    line: u64,
    column: u64,
    severity: String,
    rule: String,
}

fn found(list: &[Value]) -> Vec<Found> {
    list.iter()
        .map(|d| Found {
            file: d["file"].as_str().unwrap_or("?").to_string(),
            line: d["line"].as_u64().unwrap_or(0),
            column: d["column"].as_u64().unwrap_or(0),
            severity: d["severity"].as_str().unwrap_or("?").to_string(),
            rule: d["rule"].as_str().unwrap_or("?").to_string(),
        })
        .collect()
}

/// How a case is run: `pillole check --format json`, or `pillole build`
/// for the rules of the render stage (which `check` does not reach).
#[derive(Clone, Copy, PartialEq)]
enum Cmd {
    Check,
    Build,
}

struct Case {
    fixture: &'static str,
    cmd: Cmd,
    file: &'static str,
    line: u64,
    column: u64,
    severity: &'static str,
    rule: &'static str,
}

macro_rules! cases {
    ($($test:ident: $cmd:ident $fixture:literal => $file:literal : $line:literal : $column:literal $severity:ident $rule:literal;)*) => {
        const CASES: &[Case] = &[$(Case {
            fixture: $fixture,
            cmd: Cmd::$cmd,
            file: $file,
            line: $line,
            column: $column,
            severity: stringify!($severity),
            rule: $rule,
        },)*];
        $(
            #[test]
            fn $test() {
                run_case($fixture);
            }
        )*
    };
}

// test name: command fixture => file:line:column severity rule
cases! {
    // Links and images. Columns point at the address for address problems
    // ("Prima leggi [la guida per lo SPID](" is 35 characters: spid.md is at 36)
    // and at the `[` or `![` for text problems.
    broken_link: Check "check-broken-link" => "content/pagina.md":5:36 error "broken-link";
    broken_anchor: Check "check-broken-anchor" => "content/pagina.md":5:31 error "broken-anchor";
    script_link: Check "check-script-link" => "content/pagina.md":5:25 error "script-link";
    malformed_url: Check "check-malformed-url" => "content/pagina.md":5:27 warning "malformed-url";
    image_missing: Check "check-image-missing" => "content/pagina.md":7:28 error "image-missing";
    image_alt: Check "check-image-alt" => "content/pagina.md":7:1 error "image-alt";
    image_alt_quality: Check "check-image-alt-quality" => "content/pagina.md":7:1 warning "image-alt-quality";
    link_text: Check "check-link-text" => "content/pagina.md":5:30 warning "link-text";
    // Structure.
    heading_skip: Check "check-heading-skip" => "content/pagina.md":9:1 warning "heading-skip";
    heading_h1: Check "check-heading-h1" => "content/pagina.md":7:1 error "heading-h1";
    tutorial_no_steps: Check "check-tutorial-no-steps" => "content/tutorial/prenota-cie.md":6:1 error "tutorial-no-steps";
    tutorial_no_summary: Check "check-tutorial-no-summary" => "content/tutorial/prenota-cie.md":2:1 warning "tutorial-no-summary";
    table_header: Check "check-table-header" => "content/pagina.md":7:1 warning "table-header";
    video_captions: Check "check-video-captions" => "content/tutorial/prenota-cie.md":4:1 error "video-captions";
    video_transcript: Check "check-video-transcript" => "content/tutorial/prenota-cie.md":4:1 warning "video-transcript";
    raw_html_removed: Check "check-raw-html-removed" => "content/pagina.md":7:1 warning "raw-html-removed";
    // Reading level. The long sentence starts the paragraph of line 14.
    reading_level: Check "check-reading-level" => "content/tutorial/prenota-cie.md":6:1 warning "reading-level";
    reading_level_step: Check "check-reading-level-step" => "content/tutorial/prenota-cie.md":12:1 warning "reading-level-step";
    long_sentence: Check "check-long-sentence" => "content/tutorial/prenota-cie.md":14:1 warning "long-sentence";
    // Front matter and site.yaml: `pillole check` reports every one of them.
    front_matter: Check "check-front-matter" => "content/pagina.md":3:1 error "front-matter";
    front_matter_missing: Check "check-front-matter-missing" => "content/pagina.md":1:1 error "front-matter-missing";
    front_matter_unclosed: Check "check-front-matter-unclosed" => "content/pagina.md":1:1 error "front-matter-unclosed";
    unknown_key: Check "check-unknown-key" => "content/pagina.md":3:1 warning "unknown-key";
    bad_slug: Check "check-bad-slug" => "content/pagina.md":3:1 error "bad-slug";
    title_empty: Check "check-title-empty" => "content/pagina.md":2:1 error "title-empty";
    municipio_range: Check "check-municipio-range" => "content/eventi/incontro-spid.md":7:1 error "municipio-range";
    time_nonexistent: Check "check-time-nonexistent" => "content/eventi/incontro-spid.md":4:1 error "time-nonexistent";
    event_end_before_start: Check "check-event-end-before-start" => "content/eventi/incontro-spid.md":5:1 error "event-end-before-start";
    repeat_until: Check "check-repeat-until" => "content/eventi/sportello.md":7:1 error "repeat-until";
    repeat_days: Check "check-repeat-days" => "content/eventi/sportello.md":7:1 error "repeat-days";
    video_src: Check "check-video-src" => "content/tutorial/prenota-cie.md":4:1 error "video-src";
    event_place: Check "check-event-place" => "content/eventi/incontro-spid.md":6:1 error "event-place";
    placeholder: Check "check-placeholder" => "content/pagina.md":7:1 warning "placeholder";
    // Orari is in the menu and links Dove siamo; nothing leads to Vecchia.
    unreachable_page: Check "check-unreachable-page" => "content/vecchia.md":1:1 warning "unreachable-page";
    event_missing: Check "check-event-missing" => "content/diario/tappa-baggio.md":5:1 error "event-missing";
    duplicate_address: Check "check-duplicate-address" => "content/sportello.md":3:1 error "duplicate-address";
    // A page at an address the site makes itself (the search page).
    reserved_address: Check "check-reserved-address" => "content/sportelli.md":3:1 error "duplicate-address";
    encoding: Check "check-encoding" => "content/pagina.md":5:1 error "encoding";
    content_missing: Check "check-content-missing" => "content":1:1 error "content-missing";
    config_missing: Check "check-config-missing" => "site.yaml":1:1 error "config-missing";
    feedback_missing: Check "check-feedback-missing" => "site.yaml":1:1 error "feedback-missing";
    bad_url: Check "check-bad-url" => "site.yaml":2:1 error "bad-url";
    bad_value: Check "check-bad-value" => "site.yaml":1:1 error "bad-value";
    // Theme and templates: only a build reaches them.
    theme_missing: Build "check-theme-missing" => "site.yaml":1:1 error "theme-missing";
    template: Build "check-template" => "templates/page.html":1:20 error "template";
}

/// Rules whose case builds its site in the test (files Git should not keep).
const MADE_BY_TESTS: &[&str] = &[
    "file-too-large",
    "file-large",
    "too-deep",
    "symlink-outside",
    "unreadable",
    // src/render/search/tests.rs: a file over its budget.
    "search-size",
    // images.rs: pictures of a given size and weight, made by the test.
    "image-large",
    "image-unreadable",
    // a_video_address_too_long_for_a_qr_code_is_a_warning: a 3 KB line.
    "qr-too-long",
    // cli.rs: a template not in UTF-8 (binary bytes Git should not diff).
    "theme-unreadable",
];

/// Rules no fixture can reach, and why.
const UNREACHABLE: &[(&str, &str)] = &[(
    "internal",
    "a state of the graph that content cannot produce",
)];

#[track_caller]
fn check_json_of(site: &Site, extra: &[&str]) -> (Run, Vec<Value>) {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("check"),
        OsStr::new("--root"),
        site.root.as_os_str(),
        OsStr::new("--now"),
        OsStr::new(NOW),
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let run = site.run(&args);
    let list: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| run.fail(format!("stdout is not a JSON array: {e}")));
    (run, list)
}

#[track_caller]
fn run_case(fixture: &str) {
    let case = CASES
        .iter()
        .find(|c| c.fixture == fixture)
        .expect("case in the table");
    let site = Site::fixture(fixture);
    let expected = Found {
        file: case.file.to_string(),
        line: case.line,
        column: case.column,
        severity: case.severity.to_string(),
        rule: case.rule.to_string(),
    };
    match case.cmd {
        Cmd::Check => {
            let (run, list) = check_json_of(&site, &[]);
            let got = found(&list);
            if got != [expected] {
                run.fail(format!(
                    "expected exactly one diagnostic {}:{}:{} {} {}, got {got:#?}",
                    case.file, case.line, case.column, case.severity, case.rule
                ));
            }
            let d = &list[0];
            for field in ["message", "hint"] {
                if d[field].as_str().is_none_or(|s| s.trim().is_empty()) {
                    run.fail(format!("empty {field}"));
                }
            }
            // Errors fail the check; a warning fails it only with --strict.
            run.code(if case.severity == "error" { 1 } else { 0 });
        }
        Cmd::Build => {
            let run = site.build();
            run.code(1)
                .diagnostic("errore", case.rule, case.file, case.line as usize);
            run.stderr_has(&format!(
                "errore[{}]: {}:{}:{}:",
                case.rule, case.file, case.line, case.column
            ));
        }
    }
}

#[test]
fn every_rule_of_the_catalogue_has_a_case() {
    for rule in RULES {
        let covered = CASES.iter().any(|c| c.rule == rule.id)
            || MADE_BY_TESTS.contains(&rule.id)
            || UNREACHABLE.iter().any(|(id, _)| *id == rule.id);
        assert!(
            covered,
            "rule `{}` has no fixture: add tests/fixtures/check-{} and a line to `cases!`",
            rule.id, rule.id
        );
    }
    for c in CASES {
        let rule = RULES
            .iter()
            .find(|r| r.id == c.rule)
            .unwrap_or_else(|| panic!("case for unknown rule {}", c.rule));
        let severity = format!("{:?}", rule.severity).to_lowercase();
        assert_eq!(severity, c.severity, "{}: catalogue severity", c.rule);
    }
}

// ---------------------------------------------------------------------------
// Cases made by the test
// ---------------------------------------------------------------------------

const SITE_YAML: &str =
    "title: \"Prova\"\nbase_url: \"https://example.org\"\nfeedback: {email: a@example.org}\n";

/// A site with one page; the menu leads to it and to the pages the tests
/// add (so that none is unreachable).
fn small_site() -> Site {
    let site = Site::empty();
    let menu: String = ["pagina", "grande", "lunga", "fuori", "d"]
        .iter()
        .map(|p| format!("  - {{name: {p}, url: /{p}/}}\n"))
        .collect();
    site.write("site.yaml", format!("{SITE_YAML}menu:\n{menu}"));
    site.write(
        "content/pagina.md",
        "---\ntitle: \"Orari\"\n---\n\nAperto il lunedì.\n",
    );
    site
}

#[track_caller]
fn assert_only(site: &Site, file: &str, severity: &str, rule: &str) {
    let (run, list) = check_json_of(site, &[]);
    let got: Vec<(String, String, String)> = found(&list)
        .into_iter()
        .map(|f| (f.file, f.severity, f.rule))
        .collect();
    if got != [(file.to_string(), severity.to_string(), rule.to_string())] {
        run.fail(format!("expected only {severity} {rule} on {file}"));
    }
}

#[test]
fn file_too_large() {
    let site = small_site();
    let body = "Aperto il lunedì.\n".repeat(32 * 1024 * 1024 / 18 + 10);
    site.write(
        "content/grande.md",
        format!("---\ntitle: \"Grande\"\n---\n\n{body}"),
    );
    assert_only(&site, "content/grande.md", "error", "file-too-large");
}

#[test]
fn file_large() {
    let site = small_site();
    let body = "Aperto il lunedì.\n".repeat(1024 * 1024 / 18 + 10);
    site.write(
        "content/lunga.md",
        format!("---\ntitle: \"Lunga\"\n---\n\n{body}"),
    );
    assert_only(&site, "content/lunga.md", "warning", "file-large");
}

#[test]
fn too_deep() {
    let site = small_site();
    let deep = "d/".repeat(40);
    site.write(
        &format!("content/{deep}pagina.md"),
        "---\ntitle: \"Giù\"\n---\n",
    );
    let (run, list) = check_json_of(&site, &[]);
    let got = found(&list);
    if got.len() != 1 || got[0].rule != "too-deep" || !got[0].file.starts_with("content/d/d/") {
        run.fail("expected one too-deep error");
    }
    run.code(1);
}

#[cfg(unix)]
#[test]
fn symlink_outside() {
    let site = small_site();
    let outside = site.tmp().join("fuori.md");
    std::fs::write(&outside, "---\ntitle: \"Fuori\"\n---\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/fuori.md")).unwrap();
    assert_only(&site, "content/fuori.md", "warning", "symlink-outside");
}

#[cfg(unix)]
#[test]
fn unreadable_link_loop() {
    let site = small_site();
    std::fs::create_dir_all(site.path("content/giro")).unwrap();
    std::os::unix::fs::symlink("..", site.path("content/giro/su")).unwrap();
    assert_only(&site, "content/giro/su", "error", "unreadable");
}

#[test]
fn video_captions_file_must_exist() {
    // Same tutorial, captions file gone: a video without captions.
    let site = Site::fixture("check-video-transcript");
    std::fs::remove_file(site.path("content/tutorial/cie.vtt")).unwrap();
    let (run, list) = check_json_of(&site, &[]);
    run.code(1);
    let got: Vec<(u64, String)> = found(&list).into_iter().map(|f| (f.line, f.rule)).collect();
    assert_eq!(
        got,
        [
            (4, "video-transcript".to_string()),
            (6, "video-captions".to_string())
        ]
    );
    assert!(list[1]["message"].as_str().unwrap().contains("«cie.vtt»"));
}

#[test]
fn a_video_address_too_long_for_a_qr_code_is_a_warning() {
    let site = Site::fixture("check-video-transcript");
    let file = "content/tutorial/prenota-cie.md";
    let long = format!("https://example.org/cie.mp4?t={}", "x".repeat(3000));
    let text = crate::util::read(&site.path(file)).replace("https://example.org/cie.mp4", &long);
    site.write(file, text);
    let (run, list) = check_json_of(&site, &[]);
    let qr: Vec<&Value> = list.iter().filter(|d| d["rule"] == "qr-too-long").collect();
    match qr[..] {
        [d] => {
            assert_eq!(
                (d["file"].as_str(), d["line"].as_u64()),
                (Some(file), Some(4))
            );
            assert!(
                d["message"].as_str().unwrap().contains("(3030 caratteri)"),
                "{d:#}"
            );
        }
        _ => run.fail("one qr-too-long warning"),
    }
    // The sheet comes out with the page's code and without the video's.
    site.build().success();
    let sheet = site.read_out("tutorial/prenota-cie/stampa/index.html");
    assert!(sheet.contains("Codice QR della guida online"), "{sheet}");
    assert!(!sheet.contains("Codice QR del video"), "{sheet}");
}

// ---------------------------------------------------------------------------
// Clean sites
// ---------------------------------------------------------------------------

#[test]
fn clean_fixture_has_no_diagnostics() {
    // Links to a .md file with an anchor, an external link, an image with
    // alt text, a table with a header and a readable tutorial.
    let site = Site::fixture("check-clean");
    let (run, list) = check_json_of(&site, &["--strict"]);
    if !list.is_empty() {
        run.fail("a clean site should give []");
    }
    run.success();
}

#[test]
fn demo_site_passes_strict() {
    let tmp = Site::empty();
    let report = tmp.tmp().join("lettura.json");
    let run = util::run_in(
        tmp.tmp(),
        tmp.tmp(),
        &[
            OsStr::new("check"),
            OsStr::new("--root"),
            repo_root().as_os_str(),
            OsStr::new("--now"),
            OsStr::new(NOW),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--strict"),
            OsStr::new("--reading-report"),
            report.as_os_str(),
        ],
    );
    run.success();
    let list: Vec<Value> =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| run.fail(format!("not JSON: {e}")));
    if !list.is_empty() {
        run.fail("the demo site should pass --strict with []");
    }
    // Every demo tutorial is reported, and reads at 80+ whole, 60+ per step.
    let report: Vec<Value> = serde_json::from_str(&read(&report)).expect("report is JSON");
    let tutorials = std::fs::read_dir(repo_root().join("content/tutorial"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.ends_with(".md") && name != "_index.md"
        })
        .count();
    assert_eq!(report.len(), tutorials, "one entry per tutorial");
    for t in &report {
        assert!(t["gulpease"].as_f64().unwrap() >= 80.0, "{t}");
        assert!(!t["steps"].as_array().unwrap().is_empty(), "{t}");
        for s in t["steps"].as_array().unwrap() {
            assert!(s["gulpease"].as_f64().unwrap() >= 60.0, "{t}");
        }
    }
}

// ---------------------------------------------------------------------------
// Gulpease through the whole pipeline
// ---------------------------------------------------------------------------

/// G = 89 + (300 × sentences − 10 × letters) / words, shown clamped to
/// 0..=100 with one decimal.
fn shown(letters: u64, words: u64, sentences: u64) -> f64 {
    let g = 89.0 + (300.0 * sentences as f64 - 10.0 * letters as f64) / words as f64;
    (g.clamp(0.0, 100.0) * 10.0).round() / 10.0
}

/// (letters, words, sentences, gulpease) of a report entry.
fn counts(v: &Value) -> (u64, u64, u64, f64) {
    (
        v["letters"].as_u64().unwrap(),
        v["words"].as_u64().unwrap(),
        v["sentences"].as_u64().unwrap(),
        v["gulpease"].as_f64().unwrap(),
    )
}

#[test]
fn gulpease_of_three_tutorials_matches_hand_counts() {
    let site = Site::fixture("check-gulpease");
    let path = site.tmp().join("lettura.json");
    let (run, list) = check_json_of(&site, &["--reading-report", path.to_str().unwrap()]);
    run.success();
    assert!(list.is_empty(), "all three pass: no diagnostics, {list:#?}");
    let report: Vec<Value> = serde_json::from_str(&read(&path)).expect("report is JSON");
    let files: Vec<&str> = report.iter().map(|t| t["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        [
            "content/tutorial/app-io.md",
            "content/tutorial/documenti.md",
            "content/tutorial/residenza.md"
        ]
    );

    // app-io.md: elision splits words; the heading is a sentence.
    //   "Con l'app IO paghi gli avvisi dal telefono."
    //     Con 3 + l 1 + app 3 + IO 2 + paghi 5 + gli 3 + avvisi 6 + dal 3 + telefono 8
    //     = 34 letters, 9 words, 1 sentence
    //   "## Paga l'avviso": Paga 4 + l 1 + avviso 6 = 11 letters, 3 words, 1 sentence
    //   "Tocca Pagamenti e inquadra il codice sull'avviso."
    //     Tocca 5 + Pagamenti 9 + e 1 + inquadra 8 + il 2 + codice 6 + sull 4 + avviso 6
    //     = 41 letters, 8 words, 1 sentence
    //   "Poi tocca Paga.": 3 + 5 + 4 = 12 letters, 3 words, 1 sentence
    //   whole: L = 34 + 11 + 41 + 12 = 98, W = 9 + 3 + 8 + 3 = 23, S = 4
    //     G = 89 + (1200 − 980) / 23 = 89 + 9.565… = 98.565… → 98.6
    //   step 1: L = 64, W = 14, S = 3
    //     G = 89 + (900 − 640) / 14 = 107.57… → shown 100
    let t = &report[0];
    assert_eq!(counts(t), (98, 23, 4, 98.6));
    assert_eq!(shown(98, 23, 4), 98.6);
    assert_eq!(counts(&t["steps"][0]), (64, 14, 3, 100.0));
    // Smart punctuation: the title is shown with a typographic apostrophe.
    assert_eq!(t["steps"][0]["title"], "Paga l’avviso");
    assert_eq!(t["steps"][0]["line"], 8);

    // documenti.md: the URL is removed; "9.30," and "2" are no words;
    // "es." does not end the sentence; inline code is not counted.
    //   "Porta i documenti giusti allo sportello (https://…/sportelli)."
    //     Porta 5 + i 1 + documenti 9 + giusti 6 + allo 4 + sportello 9
    //     = 34 letters, 6 words, 1 sentence
    //   "## Prepara i documenti": 7 + 1 + 9 = 17 letters, 3 words, 1 sentence
    //   "Lo sportello del Municipio 2 apre alle 9.30, es. il martedì."
    //     Lo 2 + sportello 9 + del 3 + Municipio 9 + apre 4 + alle 4 + es 2 + il 2
    //     + martedì 7 = 42 letters, 9 words, 1 sentence
    //   "Porta la tessera sanitaria e il modulo `A12` compilato."
    //     Porta 5 + la 2 + tessera 7 + sanitaria 9 + e 1 + il 2 + modulo 6
    //     + compilato 9 = 41 letters, 8 words, 1 sentence
    //   step 1: L = 17 + 42 + 41 = 100, W = 20, S = 3
    //     G = 89 + (900 − 1000) / 20 = 84.0
    //   whole: L = 134, W = 26, S = 4
    //     G = 89 + (1200 − 1340) / 26 = 89 − 5.384… = 83.615… → 83.6
    let t = &report[1];
    assert_eq!(counts(t), (134, 26, 4, 83.6));
    assert_eq!(shown(134, 26, 4), 83.6);
    assert_eq!(counts(&t["steps"][0]), (100, 20, 3, 84.0));

    // residenza.md: list items are sentences; the code block is removed.
    //   "Questa guida spiega come richiedere il certificato di residenza online."
    //     Questa 6 + guida 5 + spiega 6 + come 4 + richiedere 10 + il 2
    //     + certificato 11 + di 2 + residenza 9 + online 6 = 61 letters, 10 words
    //   "Ti servono:" 2 + 7 = 9, 2 words; "- lo SPID" 2 + 4 = 6, 2 words;
    //   "- il telefono" 2 + 8 = 10, 2 words: one sentence each
    //   "## Entra nel sito": 5 + 3 + 4 = 12 letters, 3 words, 1 sentence
    //   "Apri il sito dell'anagrafe e scegli il certificato di residenza."
    //     Apri 4 + il 2 + sito 4 + dell 4 + anagrafe 8 + e 1 + scegli 6 + il 2
    //     + certificato 11 + di 2 + residenza 9 = 53 letters, 11 words, 1 sentence
    //   step 1: L = 65, W = 14, S = 2
    //     G = 89 + (600 − 650) / 14 = 89 − 3.571… = 85.43… → 85.4
    //   whole: L = 61 + 9 + 6 + 10 + 65 = 151, W = 30, S = 6
    //     G = 89 + (1800 − 1510) / 30 = 89 + 9.666… = 98.67 → 98.7
    let t = &report[2];
    assert_eq!(counts(t), (151, 30, 6, 98.7));
    assert_eq!(shown(151, 30, 6), 98.7);
    assert_eq!(counts(&t["steps"][0]), (65, 14, 2, 85.4));
    assert_eq!(t["min"], 80.0);
    assert_eq!(t["steps"][0]["min"], 60.0);
}

#[test]
fn reading_level_warning_carries_the_index_and_the_longest_sentences() {
    // check-reading-level/content/tutorial/prenota-cie.md
    //   line 6: "La carta d'identità elettronica viene richiesta presso gli
    //     sportelli anagrafici comunali, previa prenotazione obbligatoria."
    //     La 2 + carta 5 + d 1 + identità 8 + elettronica 11 + viene 5 + richiesta 9
    //     + presso 6 + gli 3 + sportelli 9 + anagrafici 10 + comunali 8 + previa 6
    //     + prenotazione 12 + obbligatoria 12 = 107 letters, 15 words, 1 sentence
    //   step 1: "Accedi al portale" 6 + 2 + 7 = 15, 3 words;
    //     "Collegati al sito delle prenotazioni." 9 + 2 + 4 + 5 + 12 = 32, 5 words;
    //     "Entra con la tua identità digitale." 5 + 3 + 2 + 3 + 8 + 8 = 29, 6 words
    //     L = 76, W = 14, S = 3: G = 89 + (900 − 760) / 14 = 99.0
    //   step 2: "Seleziona la disponibilità" 9 + 2 + 13 = 24, 3 words;
    //     "Scegli il municipio più comodo." 6 + 2 + 9 + 3 + 6 = 26, 5 words;
    //     "Controlla i giorni liberi nel calendario." 9 + 1 + 6 + 6 + 3 + 10 = 35, 6 words
    //     L = 85, W = 14, S = 3: G = 89 + (900 − 850) / 14 = 92.57… → 92.6
    //   whole: L = 107 + 76 + 85 = 268, W = 43, S = 7
    //     G = 89 + (2100 − 2680) / 43 = 89 − 13.488… = 75.51… → 75.5 (< 80)
    let site = Site::fixture("check-reading-level");
    let (run, list) = check_json_of(&site, &[]);
    run.success();
    assert_eq!(shown(268, 43, 7), 75.5);
    let d = &list[0];
    assert_eq!(d["rule"], "reading-level");
    assert_eq!(d["gulpease"], 75.5);
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("75.5") && message.contains("80"),
        "{message}"
    );
    // The three longest sentences, with their lines; ties keep text order.
    let hint = d["hint"].as_str().unwrap();
    let at = |needle: &str| {
        hint.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {hint}"))
    };
    assert!(at("riga 6 (15 parole)") < at("riga 10 (6 parole)"));
    assert!(at("riga 10 (6 parole)") < at("riga 14 (6 parole)"));
    assert_eq!(hint.matches("riga ").count(), 3, "{hint}");

    // check-reading-level-step, step 2 (line 12):
    //   "Controlla i documenti" 9 + 1 + 9 = 19, 3 words
    //   "Presentati all'appuntamento munito della ricevuta di prenotazione, del
    //   documento scaduto e della documentazione integrativa eventualmente
    //   richiesta dall'amministrazione comunale competente."
    //     10 + 3 + 12 + 6 + 5 + 8 + 2 + 12 + 3 + 9 + 7 + 1 + 5 + 14 + 11 + 13 + 9
    //     + 4 + 15 + 8 + 10 = 167 letters, 21 words
    //   L = 186, W = 24, S = 2: G = 89 + (600 − 1860) / 24 = 89 − 52.5 = 36.5 (< 60)
    let site = Site::fixture("check-reading-level-step");
    let (run, list) = check_json_of(&site, &[]);
    run.success();
    assert_eq!(shown(186, 24, 2), 36.5);
    assert_eq!(list[0]["rule"], "reading-level-step");
    assert_eq!(list[0]["gulpease"], 36.5);
    assert!(list[0]["message"]
        .as_str()
        .unwrap()
        .contains("«Controlla i documenti»"));
    let hint = list[0]["hint"].as_str().unwrap();
    assert!(hint.contains("riga 14 (21 parole)"), "{hint}");
    assert!(hint.contains("riga 12 (3 parole)"), "{hint}");
}

#[test]
fn reading_report_to_stdout_needs_the_human_format() {
    let site = Site::fixture("check-gulpease");
    let (run, _) = check_json_of(&site, &[]);
    run.success();
    let run = site.run(&[
        "check",
        "--root",
        site.root.to_str().unwrap(),
        "--now",
        NOW,
        "--format",
        "json",
        "--reading-report",
        "-",
    ]);
    run.code(2).stderr_has("--reading-report FILE");
    let run = site.run(&[
        "check",
        "--root",
        site.root.to_str().unwrap(),
        "--now",
        NOW,
        "--reading-report",
        "-",
    ]);
    run.success();
    let report: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| run.fail(format!("stdout is not the report: {e}")));
    assert_eq!(report.len(), 3);
}

// ---------------------------------------------------------------------------
// Exit codes, build, human output
// ---------------------------------------------------------------------------

#[test]
fn strict_fails_on_a_warning() {
    for fixture in ["check-reading-level", "check-link-text"] {
        let site = Site::fixture(fixture);
        let (run, list) = check_json_of(&site, &[]);
        run.success();
        assert_eq!(list.len(), 1);
        let (run, list) = check_json_of(&site, &["--strict"]);
        run.code(1);
        assert_eq!(list.len(), 1);
        let run = site.run(&[
            "check",
            "--root",
            site.root.to_str().unwrap(),
            "--now",
            NOW,
            "--strict",
        ]);
        run.code(1).stderr_has("con --strict");
    }
}

#[test]
fn build_prints_reading_warnings_and_succeeds() {
    let site = Site::fixture("check-reading-level");
    let run = site.build();
    run.success()
        .diagnostic(
            "avviso",
            "reading-level",
            "content/tutorial/prenota-cie.md",
            6,
        )
        .stderr_has("Gulpease 75.5")
        .stderr_has("Sito creato");
    assert!(site.out().join("tutorial/prenota-cie/index.html").is_file());
}

#[test]
fn build_fails_on_a_content_error() {
    let site = Site::fixture("check-broken-link");
    site.build()
        .code(1)
        .diagnostic("errore", "broken-link", "content/pagina.md", 5);
    assert!(!site.out().exists());
}

#[test]
fn human_output_names_position_message_and_hint() {
    let site = Site::fixture("check-broken-link");
    let run = site.run(&[
        "check",
        "--root",
        site.root.to_str().unwrap(),
        "--now",
        NOW,
        "--color",
        "never",
    ]);
    run.code(1)
        .stderr_has(
            "content/pagina.md:5:36: il collegamento «spid.md» porta a una pagina che non esiste",
        )
        .stderr_has("aiuto: controlla il nome del file: cercavo content/spid.md")
        .stderr_has("Prima leggi [la guida per lo SPID](spid.md).")
        .stderr_has("Controllo finito: 1 errore, 0 avvisi.");
    if run.stderr.contains('\u{1b}') || run.stdout.contains('\u{1b}') {
        run.fail("--color never must not write escape sequences");
    }
    // The caret sits under the address.
    let caret = run
        .stderr
        .lines()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| run.fail("no caret line"));
    let source = run
        .stderr
        .lines()
        .find(|l| l.contains("Prima leggi"))
        .unwrap();
    assert_eq!(
        caret.find('^').unwrap(),
        source.find("spid.md)").unwrap(),
        "{}",
        run.stderr
    );
    assert_eq!(caret.matches('^').count(), "spid.md".len());

    let run = site.run(&[
        "check",
        "--root",
        site.root.to_str().unwrap(),
        "--now",
        NOW,
        "--color",
        "always",
    ]);
    run.code(1);
    if !run.stderr.contains('\u{1b}') {
        run.fail("--color always should colour the output");
    }
    // Not a terminal: auto means no colour.
    let run = site.run(&["check", "--root", site.root.to_str().unwrap(), "--now", NOW]);
    run.code(1).stderr_lacks("\u{1b}");
}

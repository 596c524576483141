//! Inputs that once broke a fuzz target, run through the same checks in the
//! normal test suite. Each target's inputs live in `tests/regressions/<target>/`;
//! the checks are the fuzz targets' own bodies (`fuzz/src/lib.rs`).

use crate::fuzz_checks;

use std::path::Path;

/// Runs `check` on every file kept for `target`; fails if there are none.
fn run(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for f in files {
        let bytes = std::fs::read(&f).expect("readable");
        let result = std::panic::catch_unwind(|| check(&bytes));
        assert!(result.is_ok(), "{} fails again", f.display());
    }
}

#[test]
fn markdown() {
    run("markdown", fuzz_checks::markdown);
}

#[test]
fn front_matter() {
    run("front_matter", fuzz_checks::front_matter);
}

/// Found by the front_matter target: `until: 8522-06-30` made every check of
/// the repeat walk hundreds of thousands of dates (seconds per file, and a
/// calendar listing them all). Now a clear error, and no expansion goes
/// past the limit.
#[test]
fn repeat_until_far_away_is_an_error() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/regressions/front_matter/repeat-until-year-8522.md"),
    )
    .expect("readable");
    let (_, diags) = pillole::content::parse(pillole::content::load::Source {
        path: "content/eventi/x.md".into(),
        text: text.into(),
    });
    let d = diags
        .iter()
        .find(|d| d.rule == "repeat-until")
        .unwrap_or_else(|| panic!("no repeat-until error in {diags:?}"));
    assert!(d.is_error());
    assert!(d.message.contains("8522"), "{}", d.message);
    let r = pillole::calendar::Repeat {
        days: vec![pillole::calendar::Weekday::Martedi],
        until: chrono::NaiveDate::from_ymd_opt(8522, 6, 30).unwrap(),
        except: Vec::new(),
    };
    let start = pillole::parse_now("2026-10-06T09:30").unwrap();
    let end = pillole::parse_now("2026-10-06T12:30").unwrap();
    let n = pillole::calendar::occurrences(start, end, Some(&r)).len();
    assert!(n <= 5 * 53 + 1, "{n} occurrences");
}

// ---- quadratic time on deep or repeated input ---------------------------------------
// Found by timing 100 KB inputs through the markdown target: each took
// seconds to minutes before its fix. The files above run through the fuzz
// checks; these tests pin the behaviour that replaced the slow path.

fn regression_input(target: &str, name: &str) -> String {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/regressions")
            .join(target)
            .join(name),
    )
    .expect("readable");
    // The markdown target's first byte holds its options.
    String::from_utf8(bytes[1..].to_vec()).expect("UTF-8")
}

/// A body's analysis and HTML (the introduction: these bodies have no steps).
fn render(body: &str) -> Rendered {
    let opts = pillole::content::markdown::RenderOptions {
        steps: false,
        trust_html: false,
        dir: "tutorial",
        first_line: 1,
        github_ids: false,
    };
    let (analysis, html) =
        pillole::render::body::markdown(body, &opts, &fuzz_checks::TrivialResolver);
    Rendered {
        analysis,
        html: html.intro,
    }
}

struct Rendered {
    analysis: pillole::content::markdown::Analysis,
    html: String,
}

impl std::ops::Deref for Rendered {
    type Target = pillole::content::markdown::Analysis;
    fn deref(&self) -> &Self::Target {
        &self.analysis
    }
}

/// The deepest nesting of any of `tags` in `html`.
fn max_nesting(html: &str, tags: &[&str]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let close = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tags.contains(&name.as_str()) {
            if close {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
                max = max.max(depth);
            }
        }
    }
    max
}

/// Heading ids were found by trying `a-2`, `a-3`... from 2 for every heading.
#[test]
fn many_equal_headings_get_numbered_ids() {
    let r = render(&regression_input("markdown", "same-heading-5000-times"));
    assert_eq!(r.headings.len(), 5000);
    assert_eq!(r.headings[0].id, "a");
    assert_eq!(r.headings[1].id, "a-2");
    assert_eq!(r.headings[4999].id, "a-5000");
    let r = render(&regression_input("markdown", "given-heading-id-5000-times"));
    assert_eq!(r.headings[4999].id, "x-5000");
    let r = render("## a-2\n\n## a\n\n## a\n\n## a\n");
    let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a-2", "a", "a-3", "a-4"]);
}

/// Raw HTML nested thousands deep made the sanitiser's parser quadratic.
#[test]
fn raw_html_deeper_than_the_limit_is_shown_as_text() {
    let limit = pillole::content::markdown::MAX_NESTING;
    // One line (one fragment) too deep is text as a whole; line by line,
    // the lines past the limit are.
    for (name, expected) in [("raw-div-nested-5000", 0), ("raw-div-lines-5000", limit)] {
        let r = render(&regression_input("markdown", name));
        let depth = max_nesting(&r.html, &["div"]);
        assert_eq!(depth, expected, "{name}");
        assert!(r.html.contains("&lt;div&gt;"), "{name}");
        assert!(r.html.contains('x'), "{name}");
    }
    // Trusted HTML is left as written.
    let deep = "<div>".repeat(100) + "x" + &"</div>".repeat(100);
    let opts = pillole::content::markdown::RenderOptions {
        steps: false,
        trust_html: true,
        dir: "",
        first_line: 1,
        github_ids: false,
    };
    let (_, r) = pillole::render::body::markdown(&deep, &opts, &fuzz_checks::TrivialResolver);
    assert_eq!(max_nesting(&r.intro, &["div"]), 100);
}

/// Lists, quotes and emphasis nested past the limit are flattened.
#[test]
fn markdown_nesting_is_flattened_at_the_limit() {
    let limit = pillole::content::markdown::MAX_NESTING;
    for (name, tags, text) in [
        ("list-nested-one-line-10000", &["ul", "ol"][..], "z"),
        ("quote-nested-one-line-10000", &["blockquote"][..], "y"),
        ("emphasis-nested-10000", &["em", "strong"][..], "w"),
    ] {
        let r = render(&regression_input("markdown", name));
        let depth = max_nesting(&r.html, tags);
        assert!(depth <= limit, "{name}: depth {depth}");
        assert!(r.html.contains(text), "{name}");
    }
}

/// Colouring code costs about a second per 100 KB: a page gets a budget.
#[test]
fn code_colouring_stops_at_the_page_budget() {
    let r = render(&regression_input("markdown", "code-blocks-over-budget"));
    let blocks: Vec<&str> = r.html.split("<pre class=\"code\"").skip(1).collect();
    assert_eq!(blocks.len(), 3);
    assert!(blocks[0].contains("hl-"), "the first block is coloured");
    assert!(
        !blocks[2].contains("hl-"),
        "the last block is past the budget"
    );
    assert!(blocks.iter().all(|b| b.contains("language-rust")));
}

/// Columns were counted from the start of the line for every event.
#[test]
fn link_columns_on_one_long_line() {
    let r = render(&"[a](b.md) ".repeat(2000));
    assert_eq!(r.links.len(), 2000);
    for (i, l) in r.links.iter().enumerate() {
        assert_eq!((l.line, l.column), (1, 1 + 10 * i));
    }
    let r = render("Già [a](b.md)\n\n## Città [c](d.md)\n");
    assert_eq!((r.links[0].line, r.links[0].column), (1, 5));
    assert_eq!((r.links[1].line, r.links[1].column), (3, 10));
    assert_eq!((r.headings[0].line, r.headings[0].column), (3, 1));
}

// ---- limits through the whole build ----------------------------------------------------

/// A site with `page` as its only tutorial and `site_yaml` as its settings.
fn build_one(site_yaml: &str, page: &str) -> (pillole::Loaded, bool, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content/tutorial")).expect("mkdir");
    std::fs::write(root.join("site.yaml"), site_yaml).expect("write");
    std::fs::write(
        root.join("content/_index.md"),
        "---\ntitle: Casa\n---\nCiao.\n",
    )
    .expect("write");
    std::fs::write(root.join("content/tutorial/x.md"), page).expect("write");
    let opts = pillole::Options {
        root,
        drafts: false,
        base_url: None,
        now: pillole::parse_now(fuzz_checks::NOW).expect("valid"),
    };
    let out = tmp.path().join("out");
    let (loaded, result) = pillole::build(&opts, &out, &Default::default());
    assert_eq!(result.is_ok(), out.exists());
    (loaded, result.is_ok(), tmp)
}

/// Each level refers nine times to the one before: 9^12 nodes if expanded.
fn alias_bomb() -> String {
    let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        let refs = vec![format!("*{prev}"); 9].join(", ");
        y.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
    }
    y
}

fn assert_refused(loaded: &pillole::Loaded, built: bool, file: &str) {
    assert!(!built);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.file == file && d.is_error())
        .unwrap_or_else(|| panic!("no error on {file}: {:#?}", loaded.diagnostics));
    assert_eq!(d.rule, "front-matter", "{d:?}");
}

fn assert_ignored(loaded: &pillole::Loaded, built: bool, file: &str) {
    assert!(built, "{:#?}", loaded.diagnostics);
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.file == file && d.rule == "unknown-key"));
}

/// Aliases are never expanded for keys pillole does not know (they are
/// skipped with a warning); a known key holding the bomb is a type error
/// at once (`serde_yaml`'s repetition limit refuses what would expand).
#[test]
fn yaml_alias_bombs_are_skipped_or_refused() {
    let page = format!("---\ntitle: X\n{}---\n## Passo\n\nTesto.\n", alias_bomb());
    let (loaded, built, _tmp) = build_one(fuzz_checks::SITE_YAML, &page);
    assert_ignored(&loaded, built, "content/tutorial/x.md");
    let page = format!(
        "---\ntitle: X\n{}tags: *b11\n---\n## Passo\n\nTesto.\n",
        alias_bomb()
    );
    let (loaded, built, _tmp) = build_one(fuzz_checks::SITE_YAML, &page);
    assert_refused(&loaded, built, "content/tutorial/x.md");
    let site_yaml = format!("{}{}synonyms: *b11\n", fuzz_checks::SITE_YAML, alias_bomb());
    let (loaded, built, _tmp) = build_one(&site_yaml, "---\ntitle: X\n---\n## Passo\n\nTesto.\n");
    assert_refused(&loaded, built, "site.yaml");
}

/// Deep nesting: skipped under an unknown key, a type error under a known
/// one; never a stack overflow.
#[test]
fn deeply_nested_yaml_is_skipped_or_refused() {
    let flow = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let block: String = (1..1000)
        .map(|i| format!("{}k:\n", "  ".repeat(i)))
        .collect();
    for (key, deep) in [("x: ", &flow), ("x:\n", &block)] {
        let page = format!("---\ntitle: X\n{key}{deep}\n---\n## Passo\n\nTesto.\n");
        let (loaded, built, _tmp) = build_one(fuzz_checks::SITE_YAML, &page);
        assert_ignored(&loaded, built, "content/tutorial/x.md");
    }
    for (key, deep) in [("tags: ", &flow), ("needs:\n", &block)] {
        let page = format!("---\ntitle: X\n{key}{deep}\n---\n## Passo\n\nTesto.\n");
        let (loaded, built, _tmp) = build_one(fuzz_checks::SITE_YAML, &page);
        assert_refused(&loaded, built, "content/tutorial/x.md");
    }
}

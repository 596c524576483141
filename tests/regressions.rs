//! Inputs that once broke a fuzz target, run through the same checks in the
//! normal test suite. Each target's inputs live in `tests/regressions/<target>/`;
//! the checks are the fuzz targets' own bodies (`fuzz/src/lib.rs`).

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

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
        text,
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

//! mdBook's `{{#include file}}`: the text of a file of SRC, whole or in
//! part (`file:3`, `file:2:10`, `file::10`, `file:name` between
//! `ANCHOR: name` and `ANCHOR_END: name`). A path that leads out of SRC
//! is refused: an import reads nothing but the old site.

use std::path::Path;

/// The text `arg` names, read from `dir` (a folder of `src`).
pub fn include(src: &Path, dir: &Path, arg: &str) -> Result<String, String> {
    let arg = arg.trim();
    let (file, selector) = split_selector(arg);
    let root = std::fs::canonicalize(src).map_err(|e| crate::io_reason(&e))?;
    let path = std::fs::canonicalize(dir.join(file))
        .map_err(|e| format!("{file}: {}", crate::io_reason(&e)))?;
    if !path.starts_with(&root) {
        return Err(format!("{file} è fuori dalla cartella del sito"));
    }
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("{file}: {}", crate::io_reason(&e)))?;
    select(&text, selector).ok_or_else(|| format!("{file}: non trovo «{}»", selector.unwrap_or("")))
}

/// `file.rs:2:10` -> (`file.rs`, `2:10`).
fn split_selector(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once(':') {
        Some((f, s)) => (f, Some(s)),
        None => (arg, None),
    }
}

/// The part of `text` a selector names; anchor lines are left out.
fn select(text: &str, selector: Option<&str>) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let is_anchor = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let keep = |ls: &[&str]| -> String {
        let mut out: Vec<&str> = ls.iter().copied().filter(|l| !is_anchor(l)).collect();
        while out.last().is_some_and(|l| l.trim().is_empty()) {
            out.pop();
        }
        out.join("\n")
    };
    let Some(sel) = selector.map(str::trim).filter(|s| !s.is_empty()) else {
        return Some(keep(&lines));
    };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    if sel.chars().all(|c| c.is_ascii_digit() || c == ':') {
        let (from, to) = match sel.split_once(':') {
            Some((a, b)) => (number(a).unwrap_or(1), number(b).unwrap_or(lines.len())),
            None => {
                let n = number(sel)?;
                (n, n)
            }
        };
        let from = from.max(1).min(lines.len() + 1);
        let to = to.min(lines.len()).max(from - 1);
        return Some(keep(&lines[from - 1..to]));
    }
    let start = lines
        .iter()
        .position(|l| l.contains(&format!("ANCHOR: {sel}")))?;
    let end = lines[start..]
        .iter()
        .position(|l| l.contains(&format!("ANCHOR_END: {sel}")))
        .map_or(lines.len(), |e| start + e);
    Some(keep(&lines[start + 1..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        let t = "uno\n// ANCHOR: x\ndue\n// ANCHOR_END: x\ntre\n";
        assert_eq!(select(t, None).unwrap(), "uno\ndue\ntre");
        assert_eq!(select(t, Some("1")).unwrap(), "uno");
        assert_eq!(select(t, Some("3:")).unwrap(), "due\ntre");
        assert_eq!(select(t, Some(":1")).unwrap(), "uno");
        assert_eq!(select(t, Some("x")).unwrap(), "due");
        assert_eq!(select(t, Some("nessuna")), None);
    }

    #[test]
    fn nothing_outside_src() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir(&src).unwrap();
        std::fs::write(dir.path().join("segreto.txt"), "no").unwrap();
        std::fs::write(src.join("a.txt"), "si").unwrap();
        assert_eq!(include(&src, &src, "a.txt").unwrap(), "si");
        assert!(include(&src, &src, "../segreto.txt")
            .unwrap_err()
            .contains("fuori"));
    }
}

//! Diagnostics: the one type every stage uses to report a problem in the
//! site's files, and the two ways of showing them (compiler-style text for
//! people, JSON for tools).
//!
//! A stage never stops at the first problem: it pushes a [`Diagnostic`] and
//! goes on. The build fails at the end when any of them is an error. Lines and
//! columns are 1-based and counted from the top of the file, front matter
//! included. Messages and hints are Italian; rule ids are stable kebab-case.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in one file of the site.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// Stable id of the rule, for example `yaml-syntax` or `image-alt`.
    pub rule: &'static str,
    /// What is wrong, in one Italian sentence.
    pub message: String,
    /// What to do about it.
    pub hint: String,
    /// Width of the offending text in bytes, for the caret (0: unknown).
    #[serde(skip)]
    pub width: usize,
    /// The Gulpease index, for reading-level diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gulpease: Option<f64>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, rule, message)
    }

    pub fn warning(
        file: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, rule, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: 1,
            column: 1,
            severity,
            rule,
            message: message.into(),
            hint: String::new(),
            width: 0,
            gulpease: None,
        }
    }

    /// Sets the position (1-based line and column).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, position and rule, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.order().cmp(&b.order()));
}

impl Diagnostic {
    /// Where it comes in the order diagnostics are shown: by file, line,
    /// column, rule and message.
    pub fn order(&self) -> (&str, usize, usize, &'static str, &str) {
        (&self.file, self.line, self.column, self.rule, &self.message)
    }
}

/// The first warnings in the order they are shown, found while pages are
/// checked in parallel: a warning that already has `shown` others before
/// it is counted and dropped at once. A build shows only the first few, and
/// a large site's warnings (hundreds of thousands of them, each with its
/// hint) would otherwise be held until they are counted.
pub struct FirstWarnings {
    shown: usize,
    /// The order of the first `shown` warnings so far, the last on top.
    first: std::sync::Mutex<std::collections::BinaryHeap<OwnedOrder>>,
    dropped: std::sync::atomic::AtomicUsize,
}

/// [`Diagnostic::order`], owned.
type OwnedOrder = (String, usize, usize, &'static str, String);

impl FirstWarnings {
    /// Keeps the first `shown` warnings (at least one).
    pub fn new(shown: usize) -> Self {
        FirstWarnings {
            shown: shown.max(1),
            first: Default::default(),
            dropped: Default::default(),
        }
    }

    /// Drops from `list` the warnings that cannot be among the first
    /// `shown`, counting them. Errors always stay.
    pub fn sift(&self, list: &mut Vec<Diagnostic>) {
        if list.iter().all(Diagnostic::is_error) {
            return;
        }
        let mut first = self.first.lock().unwrap_or_else(|e| e.into_inner());
        let before = list.len();
        list.retain(|d| {
            if d.is_error() {
                return true;
            }
            let (file, line, column, rule, message) = d.order();
            if first.len() == self.shown {
                let last = first.peek().expect("shown is at least one");
                if (file, line, column, rule, message)
                    >= (last.0.as_str(), last.1, last.2, last.3, last.4.as_str())
                {
                    return false;
                }
                first.pop();
            }
            first.push((file.to_string(), line, column, rule, message.to_string()));
            true
        });
        self.dropped
            .fetch_add(before - list.len(), std::sync::atomic::Ordering::Relaxed);
    }

    /// How many warnings were dropped.
    pub fn dropped(&self) -> usize {
        self.dropped.load(std::sync::atomic::Ordering::Relaxed)
    }
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Places shown for each rule in a summary.
const SUMMARY_PLACES: usize = 3;

/// The diagnostics of one rule, for `check --summary`.
#[derive(Debug, Serialize)]
pub struct RuleCount {
    pub rule: &'static str,
    pub severity: Severity,
    pub count: usize,
    /// What the rule looks for, in Italian (from the catalogue).
    pub summary: String,
    /// The first few places, `file:line`.
    pub places: Vec<String>,
}

/// Groups diagnostics by rule and severity: errors first, then the rules
/// with most diagnostics. `describe` gives a rule's one-line summary.
pub fn by_rule(diagnostics: &[Diagnostic], describe: &dyn Fn(&str) -> String) -> Vec<RuleCount> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    let mut groups: Vec<RuleCount> = Vec::new();
    for d in sorted {
        let group = match groups
            .iter_mut()
            .find(|g| g.rule == d.rule && g.severity == d.severity)
        {
            Some(g) => g,
            None => {
                groups.push(RuleCount {
                    rule: d.rule,
                    severity: d.severity,
                    count: 0,
                    summary: describe(d.rule),
                    places: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        group.count += 1;
        if group.places.len() < SUMMARY_PLACES {
            group.places.push(format!("{}:{}", d.file, d.line));
        }
    }
    groups.sort_by_key(|g| (g.severity, std::cmp::Reverse(g.count), g.rule));
    groups
}

/// [`by_rule`] for people: one line per rule with its count and summary,
/// then its first places.
pub fn to_summary(groups: &[RuleCount]) -> String {
    let mut out = String::new();
    for g in groups {
        let what = match (g.severity, g.count) {
            (Severity::Error, 1) => "1 errore".to_string(),
            (Severity::Error, n) => format!("{n} errori"),
            (_, 1) => "1 avviso".to_string(),
            (_, n) => format!("{n} avvisi"),
        };
        let more = g.count - g.places.len();
        let more = if more > 0 {
            format!(" e altri {more}")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{}: {what} · {}\n    {}{more}\n",
            g.rule,
            g.summary,
            g.places.join(", ")
        ));
    }
    out
}

/// Renders diagnostics as a JSON array.
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// Renders diagnostics for people, like compiler messages. `source` returns
/// the text of a file (relative path) so the offending line can be shown;
/// `color` turns on terminal colours.
pub fn to_human(
    diagnostics: &[Diagnostic],
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Diagnostics come sorted by file: each file's text is asked for once
    // for all of its diagnostics (a big site's text may be read back from
    // its file, see content::text).
    let mut last: Option<(&str, Option<String>)> = None;
    for d in diagnostics {
        if last.as_ref().is_none_or(|(file, _)| *file != d.file) {
            last = Some((&d.file, source(&d.file)));
        }
        let text = last.as_ref().and_then(|(_, text)| text.as_deref());
        out.push_str(&render_one(d, text, &renderer));
        out.push_str("\n\n");
    }
    out
}

fn render_one(d: &Diagnostic, text: Option<&str>, renderer: &Renderer) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name("errore"),
        Severity::Warning => Level::WARNING.with_name("avviso"),
    };
    // The first line says file, line, column and what is wrong, so that a
    // screen reader or a plain log has everything without the snippet.
    let title = format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
    let line_text = text
        .and_then(|t| t.lines().nth(d.line.saturating_sub(1)))
        .map(|l| l.trim_end_matches('\r').to_string());
    let group = level.primary_title(title).id(d.rule);
    let mut groups: Vec<Group> = Vec::new();
    if let Some(line_text) = line_text.filter(|l| !l.trim().is_empty()) {
        let start = column_to_byte(&line_text, d.column);
        let width = d.width.max(1);
        let end = (start + width).min(line_text.len()).max(start);
        let mut end = end;
        while !line_text.is_char_boundary(end) {
            end += 1;
        }
        let snippet = Snippet::source(line_text.clone())
            .line_start(d.line)
            .path(d.file.clone())
            .annotation(AnnotationKind::Primary.span(start..end));
        groups.push(group.element(snippet));
    } else {
        groups.push(Group::with_title(group));
    }
    if !d.hint.is_empty() {
        groups.push(Group::with_title(
            Level::HELP
                .with_name("aiuto")
                .secondary_title(d.hint.clone()),
        ));
    }
    renderer.render(&groups)
}

/// Byte offset of a 1-based character column in a line.
fn column_to_byte(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_warnings_keep_what_a_sorted_cut_keeps() {
        // Warnings of 30 files, 5 each, met in an order that is not theirs
        // and in lists of different lengths, as pages checked in parallel
        // hand them over; errors always stay.
        let mut all: Vec<Diagnostic> = (0..150)
            .map(|n| {
                let file = format!("content/{:02}.md", (n * 7) % 30);
                Diagnostic::warning(file, "reading-level", format!("avviso {}", n % 5))
                    .at(n % 4 + 1, 1)
            })
            .collect();
        all.push(Diagnostic::error("content/99.md", "yaml-syntax", "errore"));
        let first = FirstWarnings::new(12);
        let mut kept = Vec::new();
        for chunk in all.chunks(7) {
            let mut list = chunk.to_vec();
            first.sift(&mut list);
            kept.extend(list);
        }
        assert!(kept.iter().any(Diagnostic::is_error));
        let mut warnings: Vec<&Diagnostic> = all.iter().filter(|d| !d.is_error()).collect();
        warnings.sort_by(|a, b| a.order().cmp(&b.order()));
        let mut kept_warnings: Vec<&Diagnostic> = kept.iter().filter(|d| !d.is_error()).collect();
        kept_warnings.sort_by(|a, b| a.order().cmp(&b.order()));
        // Every one of the first 12 is kept, and the count adds up.
        assert_eq!(kept_warnings[..12], warnings[..12]);
        assert_eq!(kept_warnings.len() + first.dropped(), 150);
        assert!(first.dropped() > 100, "{}", first.dropped());
    }

    #[test]
    fn human_form_names_file_line_and_hint() {
        let d = Diagnostic::error("content/a.md", "yaml-syntax", "manca il titolo")
            .at(2, 1)
            .width(5)
            .hint("aggiungi `title:`");
        let text = to_human(&[d], &|_| Some("---\ntitel: x\n---\n".into()), false);
        assert!(text.contains("content/a.md:2:1: manca il titolo"), "{text}");
        assert!(text.contains("titel: x"), "{text}");
        assert!(text.contains("aiuto"), "{text}");
        assert!(text.contains("yaml-syntax"), "{text}");
    }

    #[test]
    fn json_has_the_contract_fields() {
        let d = Diagnostic::warning("content/a.md", "image-alt", "x")
            .at(3, 4)
            .hint("y");
        let v: serde_json::Value = serde_json::from_str(&to_json(&[d])).unwrap();
        let o = &v[0];
        assert_eq!(o["file"], "content/a.md");
        assert_eq!(o["line"], 3);
        assert_eq!(o["column"], 4);
        assert_eq!(o["severity"], "warning");
        assert_eq!(o["rule"], "image-alt");
        assert_eq!(o["hint"], "y");
    }
}

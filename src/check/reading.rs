//! Reading level of tutorials: measures the Gulpease index of each
//! tutorial's body and of each step (with [`readability`](super::readability)),
//! and turns it into warnings below the thresholds of `site.yaml`
//! (`reading-level`, `reading-level-step`, `long-sentence`).
//!
//! The same measurement gives [`report`]: the index of every tutorial, whole
//! and per step, passing or not, which `pillole check --reading-report`
//! writes as JSON. The diagnostics array stays diagnostics only (a clean site
//! gives `[]`); a reading-level warning carries the `gulpease` it is about.
//! These rules never fail `pillole build`; `pillole check --strict` fails on them.

use super::readability::{scan, Analysis, KeepText, TextBlock};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use serde::Serialize;

/// How many of the longest sentences a reading-level warning names.
const LONGEST: usize = 3;

/// The reading level of one tutorial, for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TutorialReading {
    /// Source file, relative to the site root.
    pub file: String,
    pub title: String,
    /// Line of the first sentence of the body.
    pub line: usize,
    /// The whole body's index as shown (clamped to 0..=100, one decimal);
    /// `None` when the body has no words.
    pub gulpease: Option<f64>,
    /// The threshold it is held to (`reading.tutorial_min`).
    pub min: f64,
    pub letters: usize,
    pub words: usize,
    pub sentences: usize,
    pub steps: Vec<StepReading>,
}

/// The reading level of one step of a tutorial.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReading {
    /// 1-based number of the step, as shown on the page.
    pub step: usize,
    pub title: String,
    /// Line of the step's heading.
    pub line: usize,
    pub gulpease: Option<f64>,
    /// `reading.step_min`.
    pub min: f64,
    pub letters: usize,
    pub words: usize,
    pub sentences: usize,
}

/// Counts of a tutorial: the whole body and each step.
struct Measure {
    whole: Analysis,
    steps: Vec<Analysis>,
}

/// Counts every prose block of page `i` (whose body is `body`) once, into
/// its step and the whole.
fn measure(site: &Site, i: usize, body: &str) -> Measure {
    // Texts for the warnings only: long sentences and the longest ones.
    let keep = KeepText {
        over: site.config.reading.sentence_max_words,
        longest: LONGEST,
    };
    let mut intro = Analysis::keeping(keep);
    let mut steps = vec![Analysis::keeping(keep); site.analysis[i].steps.len()];
    site.analysis[i].prose(body, |b, text| {
        let into = match b.step.and_then(|n| steps.get_mut(n as usize)) {
            Some(step) => step,
            None => &mut intro,
        };
        scan(
            &TextBlock {
                text,
                line: b.line as usize,
                is_unit: b.is_unit,
            },
            into,
        );
    });
    // Blocks come in text order, steps after the introduction.
    let mut whole = intro;
    for s in &steps {
        whole.merge(s.clone());
    }
    Measure { whole, steps }
}

/// The index of every tutorial, whole and per step, in file order.
pub fn report(site: &Site) -> Vec<TutorialReading> {
    let limits = &site.config.reading;
    (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == Kind::Tutorial)
        .map(|i| {
            let page = &site.pages[i];
            let m = measure(site, i, &page.body());
            TutorialReading {
                file: page.source.clone(),
                title: page.common.title.clone(),
                line: first_line(&m.whole, page.body_line),
                gulpease: m.whole.shown(),
                min: limits.tutorial_min,
                letters: m.whole.letters,
                words: m.whole.words,
                sentences: m.whole.sentences.len(),
                steps: m
                    .steps
                    .iter()
                    .zip(&site.analysis[i].steps)
                    .enumerate()
                    .map(|(n, (a, s))| StepReading {
                        step: n + 1,
                        title: s.title.clone(),
                        line: s.line,
                        gulpease: a.shown(),
                        min: limits.step_min,
                        letters: a.letters,
                        words: a.words,
                        sentences: a.sentences.len(),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn first_line(a: &Analysis, fallback: usize) -> usize {
    a.sentences.first().map_or(fallback, |s| s.line)
}

/// Reading-level warnings of tutorial page `i`, whose text is `source`.
pub fn check_page(site: &Site, i: usize, source: &str) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let r = &site.analysis[i];
    let file = page.source.as_str();
    let limits = &site.config.reading;
    let m = measure(site, i, source.get(page.body_start..).unwrap_or(""));
    let mut out = Vec::new();
    // Compared as shown, so that the message never says "80.0, sotto 80".
    if let Some(g) = m.whole.shown().filter(|&g| g < limits.tutorial_min) {
        let mut d = Diagnostic::warning(
            file,
            "reading-level",
            format!(
                "il testo è difficile da leggere: indice Gulpease {g:.1}, sotto {:.0}",
                limits.tutorial_min
            ),
        )
        .at(first_line(&m.whole, page.body_line), 1)
        .hint(hint(&m.whole));
        d.gulpease = Some(g);
        out.push(d);
    }
    for (n, (a, step)) in m.steps.iter().zip(&r.steps).enumerate() {
        if let Some(g) = a.shown().filter(|&g| g < limits.step_min) {
            let mut d = Diagnostic::warning(
                file,
                "reading-level-step",
                format!(
                    "il passo {} «{}» è difficile da leggere: indice Gulpease {g:.1}, sotto {:.0}",
                    n + 1,
                    step.title,
                    limits.step_min
                ),
            )
            .at(step.line, 1)
            .width(step.title.len() + 3)
            .hint(hint(a));
            d.gulpease = Some(g);
            out.push(d);
        }
    }
    for s in &m.whole.sentences {
        if s.words > limits.sentence_max_words {
            let (column, width) = sentence_column(source, s.line, &s.text);
            out.push(
                Diagnostic::warning(
                    file,
                    "long-sentence",
                    format!(
                        "questa frase ha {} parole (al massimo {})",
                        s.words, limits.sentence_max_words
                    ),
                )
                .at(s.line, column)
                .width(width)
                .hint(format!(
                    "dividila in frasi più brevi, una cosa per frase: «{}»",
                    short(&s.text)
                )),
            );
        }
    }
    out
}

/// The advice of a reading-level warning, naming the longest sentences.
fn hint(a: &Analysis) -> String {
    let longest = a
        .longest(LONGEST)
        .iter()
        .map(|s| {
            let words = if s.words == 1 { "parola" } else { "parole" };
            format!(
                "riga {} ({} {words}): «{}»",
                s.line,
                s.words,
                short(&s.text)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    format!("usa frasi più brevi e parole comuni; le frasi più lunghe sono: {longest}")
}

fn short(s: &str) -> String {
    match s.char_indices().nth(90) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

/// Column where a sentence starts on its line, and the width to the line's
/// end: found by the sentence's first characters (Markdown may hide them,
/// then column 1).
fn sentence_column(text: &str, line: usize, sentence: &str) -> (usize, usize) {
    let Some(src) = line.checked_sub(1).and_then(|n| text.lines().nth(n)) else {
        return (1, 0);
    };
    let first_word = sentence.split_whitespace().next().unwrap_or("");
    let prefix: String = sentence.chars().take(20).collect();
    let found = [prefix.as_str(), first_word]
        .iter()
        .filter(|p| !p.is_empty())
        .find_map(|p| src.find(*p));
    match found {
        Some(b) => (src[..b].chars().count() + 1, src.len() - b),
        None => (1, src.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_counts_one_word_in_the_singular() {
        let a = crate::check::readability::analyze(&[TextBlock {
            text: "Attenzione. Apri il menu.",
            line: 4,
            is_unit: false,
        }]);
        let h = hint(&a);
        assert!(h.contains("riga 4 (3 parole): «Apri il menu.»"), "{h}");
        assert!(h.contains("riga 4 (1 parola): «Attenzione.»"), "{h}");
    }

    #[test]
    fn sentence_column_finds_the_start_on_its_line() {
        let text = "---\ntitle: x\n---\nApri l'app. Apri il menu e poi tocca Entra.\n";
        assert_eq!(
            sentence_column(text, 4, "Apri il menu e poi tocca Entra."),
            (13, 31)
        );
        // Hidden by markup: the first word still finds it.
        assert_eq!(sentence_column("**Tocca** qui.", 1, "Tocca qui."), (3, 12));
        assert_eq!(sentence_column("x", 9, "Tocca"), (1, 0));
    }
}

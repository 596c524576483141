//! Structure and reading checks of one page: headings, tutorial steps and
//! summary, tables, video, removed HTML, and the reading level (Gulpease)
//! of tutorials, whole and step by step.

use super::readability::{analyze, Analysis, TextBlock};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub fn check_page(site: &Site, i: usize) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let r = &site.rendered[i];
    let file = page.source.as_str();
    let mut out = Vec::new();

    // Headings: no h1 in the body, no skipped level.
    let mut previous = 1u8;
    for h in &r.headings {
        if h.level == 1 {
            out.push(
                Diagnostic::error(
                    file,
                    "heading-h1",
                    format!("il titolo «{}» è di primo livello (#)", h.text),
                )
                .at(h.line, h.column)
                .hint(
                    "il titolo della pagina è già il primo livello: usa ## per i titoli nel testo",
                ),
            );
        } else if h.level > previous + 1 {
            out.push(
                Diagnostic::warning(
                    file,
                    "heading-skip",
                    format!(
                        "il titolo «{}» salta da livello {} a livello {}",
                        h.text, previous, h.level
                    ),
                )
                .at(h.line, h.column)
                .hint(format!(
                    "usa {} invece di {}",
                    "#".repeat(previous as usize + 1),
                    "#".repeat(h.level as usize)
                )),
            );
        }
        previous = h.level.max(1);
    }

    for t in r.tables.iter().filter(|t| !t.has_header) {
        out.push(Diagnostic::warning(file, "table-header", "la tabella non ha una riga di intestazione")
            .at(t.line, 1)
            .hint("scrivi nella prima riga il nome di ogni colonna: chi usa un lettore di schermo la sente prima di ogni valore"));
    }
    for h in r.raw_html.iter().filter(|h| h.unsafe_found) {
        out.push(Diagnostic::warning(file, "raw-html-removed", "in questo HTML c'erano parti non sicure (script, frame, stili o azioni): le ho tolte")
            .at(h.line, 1)
            .hint("scrivi il testo in Markdown; se il sito deve fidarsi del suo HTML, metti `trust_html: true` in site.yaml"));
    }

    if page.kind == Kind::Tutorial {
        let header_line = |key: &str| {
            page.text
                .lines()
                .position(|l| l.starts_with(key))
                .map(|n| n + 1)
                .unwrap_or(1)
        };
        if r.steps.is_empty() {
            out.push(Diagnostic::error(file, "tutorial-no-steps", "il tutorial non ha passi")
                .at(page.body_line, 1)
                .hint("scrivi ogni passo come titolo di secondo livello: `## Apri l'app IO`, poi il testo del passo"));
        }
        if page
            .common
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            out.push(
                Diagnostic::warning(
                    file,
                    "tutorial-no-summary",
                    "il tutorial non ha un riassunto (`summary`)",
                )
                .at(1, 1)
                .hint(
                    "aggiungi nell'intestazione `summary:` con una frase che dica cosa si impara",
                ),
            );
        }
        if let Some(v) = page.tutorial().and_then(|t| t.video.as_ref()) {
            if v.captions.as_deref().is_none_or(|c| c.trim().is_empty()) {
                out.push(Diagnostic::error(file, "video-captions", "il video non ha i sottotitoli")
                    .at(header_line("video"), 1)
                    .hint("aggiungi `captions: video.vtt` sotto `video`: chi non sente deve poter seguire"));
            }
            if v.transcript.as_deref().is_none_or(|c| c.trim().is_empty()) {
                out.push(
                    Diagnostic::warning(
                        file,
                        "video-transcript",
                        "il video non ha la trascrizione",
                    )
                    .at(header_line("video"), 1)
                    .hint("aggiungi `transcript:` con il testo di quello che si dice nel video"),
                );
            }
        }
        out.extend(reading_level(site, i));
    }
    out
}

fn blocks_of(site: &Site, i: usize, step: Option<Option<usize>>) -> Vec<TextBlock> {
    site.rendered[i]
        .blocks
        .iter()
        .filter(|b| step.is_none_or(|s| b.step == s))
        .map(|b| TextBlock {
            text: b.text.clone(),
            line: b.line,
            is_unit: b.is_unit,
        })
        .collect()
}

fn longest(a: &Analysis) -> String {
    a.longest(3)
        .iter()
        .map(|s| format!("riga {} ({} parole): «{}»", s.line, s.words, short(&s.text)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn short(s: &str) -> String {
    if s.chars().count() > 90 {
        format!("{}…", s.chars().take(90).collect::<String>())
    } else {
        s.to_string()
    }
}

fn reading_level(site: &Site, i: usize) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let r = &site.rendered[i];
    let file = page.source.as_str();
    let limits = &site.config.reading;
    let mut out = Vec::new();
    let whole = analyze(&blocks_of(site, i, None));
    if let Some(g) = whole.index() {
        if g < limits.tutorial_min {
            let mut d = Diagnostic::warning(
                file,
                "reading-level",
                format!(
                    "il testo è difficile da leggere: indice Gulpease {:.1}, sotto {:.0}",
                    super::readability::shown(g),
                    limits.tutorial_min
                ),
            )
            .at(page.body_line, 1)
            .hint(format!(
                "usa frasi più brevi e parole comuni; le frasi più lunghe: {}",
                longest(&whole)
            ));
            d.gulpease = Some(super::readability::shown(g));
            out.push(d);
        }
    }
    for (n, step) in r.steps.iter().enumerate() {
        let a = analyze(&blocks_of(site, i, Some(Some(n))));
        if let Some(g) = a.index() {
            if g < limits.step_min {
                let mut d = Diagnostic::warning(file, "reading-level-step", format!("il passo {} «{}» è difficile da leggere: indice Gulpease {:.1}, sotto {:.0}", n + 1, step.title, super::readability::shown(g), limits.step_min))
                    .at(step.line, 1)
                    .hint(format!("usa frasi più brevi e parole comuni; le frasi più lunghe: {}", longest(&a)));
                d.gulpease = Some(super::readability::shown(g));
                out.push(d);
            }
        }
    }
    for s in &whole.sentences {
        if s.words > limits.sentence_max_words {
            out.push(
                Diagnostic::warning(
                    file,
                    "long-sentence",
                    format!(
                        "questa frase ha {} parole (al massimo {})",
                        s.words, limits.sentence_max_words
                    ),
                )
                .at(s.line, 1)
                .hint(format!(
                    "dividila in due frasi più brevi: «{}»",
                    short(&s.text)
                )),
            );
        }
    }
    out
}

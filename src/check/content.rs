//! Structure checks of one page: headings, tutorial steps and summary,
//! tables, video, removed HTML. The reading level of tutorials is
//! [`super::reading`]'s.

use crate::content::fields::Status;
use crate::content::{Kind, PLACEHOLDERS};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

pub fn check_page(site: &Site, i: usize) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let r = &site.analysis[i];
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
    for h in r.raw_html.iter().filter(|h| h.unsafe_found()) {
        out.push(Diagnostic::warning(file, "raw-html-removed", format!("da questo HTML ho tolto ciò che non è sicuro o non si può usare: {}", h.removed.join(", ")))
            .at(h.line, 1)
            .hint("scrivi il testo in Markdown; se il sito deve fidarsi del suo HTML, metti `trust_html: true` in site.yaml"));
    }

    // Example text left from `pillole new`: one warning, at the first.
    // The first example phrase in the text, found in one pass over it.
    static FINDER: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(PLACEHOLDERS)
                .expect("the example phrases make an automaton")
        });
    let source = page.text.get();
    let placeholder = FINDER
        .find(&*source)
        .map(|m| (m.start(), PLACEHOLDERS[m.pattern().as_usize()]));
    if let Some((at, text)) = placeholder {
        let before = &source[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        out.push(
            Diagnostic::warning(
                file,
                "placeholder",
                format!("c'è ancora il testo di esempio «{text}»"),
            )
            .at(line, column)
            .width(text.len())
            .hint("sostituisci il testo di esempio con quello vero; quando la pagina è pronta, togli `draft: true` dall'intestazione"),
        );
    }

    if let Some(e) = page.event() {
        if e.place_text().is_none() && e.status != Status::Cancelled {
            let line = page.header_line("place").unwrap_or(1);
            out.push(
                Diagnostic::error(file, "event-place", "l'evento non dice dove si tiene")
                    .at(line, 1)
                    .hint("scrivi il luogo, per esempio `place: \"Biblioteca Calvairate\"` e `address:`; se l'incontro è su internet scrivi `online: true`"),
            );
        }
    }

    // Print sheets and posters carry the page's address as a QR code.
    if matches!(page.kind, Kind::Tutorial | Kind::Event) {
        let url = site.config.absolute(&page.path);
        if !crate::qr::fits(&url) {
            out.push(
                Diagnostic::warning(
                    file,
                    "qr-too-long",
                    format!(
                        "l'indirizzo della pagina è troppo lungo per un codice QR ({} caratteri): il foglio da stampare esce senza codice",
                        url.chars().count()
                    ),
                )
                .hint("accorcia il nome del file e delle cartelle che lo contengono"),
            );
        }
    }
    if let Some(src) = page
        .tutorial()
        .and_then(|t| t.video.as_ref())
        .map(|v| v.src.trim())
        .filter(|src| src.starts_with("http") && !crate::qr::fits(src))
    {
        out.push(
            Diagnostic::warning(
                file,
                "qr-too-long",
                format!(
                    "l'indirizzo del video è troppo lungo per un codice QR ({} caratteri): la scheda da stampare esce senza il codice del video",
                    src.chars().count()
                ),
            )
            .at(page.header_line("video").unwrap_or(1), 1)
            .hint("usa l'indirizzo breve del video (il tasto «Condividi» del sito del video lo dà)"),
        );
    }

    if page.kind == Kind::Tutorial {
        // The line of a top-level key of the front matter (or its first line).
        let header_line = |key: &str| page.header_line(key).unwrap_or(1);
        if r.steps.is_empty() {
            let line = r.blocks.first().map_or(page.body_line, |b| b.line as usize);
            out.push(Diagnostic::error(file, "tutorial-no-steps", "il tutorial non ha passi")
                .at(line, 1)
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
                .at(header_line("title"), 1)
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
            // Files named by the video must exist (a missing captions file
            // is a video without captions).
            let files = [
                ("src", Some(v.src.as_str())),
                ("captions", v.captions.as_deref()),
                ("poster", v.poster.as_deref()),
            ];
            for (key, name) in files {
                let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
                    continue;
                };
                if asset_exists(site, &page.dir, name) {
                    continue;
                }
                let d = match key {
                    "captions" => Diagnostic::error(
                        file,
                        "video-captions",
                        format!("il file dei sottotitoli «{name}» non esiste"),
                    ),
                    "poster" => Diagnostic::error(
                        file,
                        "image-missing",
                        format!("l'immagine di copertina del video «{name}» non esiste"),
                    ),
                    _ => Diagnostic::error(
                        file,
                        "broken-link",
                        format!("il file del video «{name}» non esiste"),
                    ),
                };
                let line = nested_key_line(&source, page.body_line, key)
                    .unwrap_or_else(|| header_line("video"));
                out.push(d.at(line, 1).hint(format!(
                    "metti il file nella cartella content/{} o correggi il nome",
                    page.dir
                )));
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
        out.extend(super::reading::check_page(site, i, &source));
    }
    out
}

/// True when `name`, written in a page of folder `dir`, is a file under
/// content/ (addresses with a scheme or a leading `/` are not checked here).
fn asset_exists(site: &Site, dir: &str, name: &str) -> bool {
    if name.contains("://") || name.starts_with('/') {
        return true;
    }
    crate::content::markdown::normalize(dir, name)
        .is_some_and(|rel| site.assets.iter().any(|a| a.rel == rel))
}

/// The line of an indented `key:` in the front matter (for keys under `video:`).
fn nested_key_line(text: &str, body_line: usize, key: &str) -> Option<usize> {
    text.lines()
        .take(body_line.saturating_sub(1))
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|n| n + 1)
}

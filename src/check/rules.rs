//! The catalogue of checks: every rule id pillole can report, its default
//! severity and what it is about. Ids are stable: tools and editors rely on
//! them, so a rule is never renamed.

use crate::diagnostics::Severity;

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line, Italian: what the rule looks for.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($id:literal, $sev:ident, $summary:literal;)*) => {
        pub const RULES: &[Rule] = &[$(Rule { id: $id, severity: Severity::$sev, summary: $summary },)*];
    };
}

rules! {
    "broken-link", Error, "collegamento a una pagina o a un file che non esiste";
    "broken-anchor", Error, "collegamento a un titolo (#ancora) che non c'è nella pagina";
    "script-link", Error, "collegamento `javascript:` o simile";
    "malformed-url", Warning, "indirizzo esterno scritto male";
    "image-missing", Error, "immagine che non esiste";
    "image-alt", Error, "immagine senza testo alternativo";
    "image-alt-quality", Warning, "testo alternativo che è un nome di file o dice solo «immagine»";
    "heading-skip", Warning, "un titolo salta un livello (per esempio da ## a ####)";
    "heading-h1", Error, "titolo di primo livello (#) nel testo: il titolo della pagina è già il primo";
    "tutorial-no-steps", Error, "tutorial senza passi (titoli ##)";
    "tutorial-no-summary", Warning, "tutorial senza `summary`";
    "link-text", Warning, "testo del collegamento vuoto o poco chiaro (per esempio «clicca qui»)";
    "table-header", Warning, "tabella senza riga di intestazione";
    "video-captions", Error, "video senza sottotitoli";
    "video-transcript", Warning, "video senza trascrizione";
    "reading-level", Warning, "testo difficile da leggere (indice Gulpease basso)";
    "reading-level-step", Warning, "passo difficile da leggere (indice Gulpease basso)";
    "long-sentence", Warning, "frase troppo lunga";
    "raw-html-removed", Warning, "HTML nel testo tolto perché non sicuro";
}

/// Rules about reading level: they never fail `pillole build`.
pub const READING_RULES: &[&str] = &["reading-level", "reading-level-step", "long-sentence"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert!(!r.summary.is_empty(), "{}", r.id);
        }
        for id in READING_RULES {
            assert!(seen.contains(id));
        }
    }
}

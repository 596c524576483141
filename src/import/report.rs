//! The import report: what was recognised and written, what was converted
//! (by rule, with counts), what needs a person (with the first `file:line`
//! places of each), and the commands to run next. Italian, plain text, for
//! standard output; the import module fills it, `to_text` writes it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A conversion with a pillole equivalent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Conversion {
    Figure,
    Note,
    Highlight,
    Link,
    Video,
    Details,
    Include,
    Kramdown,
    /// Headings given levels under the page's title with none skipped
    /// (`#` is the page's title in pillole).
    Headings,
    /// Pages never published on their own, written into their section's
    /// page (a glossary's terms).
    Gathered,
}

impl Conversion {
    pub const ALL: [Conversion; 10] = [
        Conversion::Figure,
        Conversion::Note,
        Conversion::Highlight,
        Conversion::Link,
        Conversion::Video,
        Conversion::Details,
        Conversion::Include,
        Conversion::Kramdown,
        Conversion::Headings,
        Conversion::Gathered,
    ];

    /// Its name in the report.
    pub fn label(self) -> &'static str {
        match self {
            Conversion::Figure => "figure",
            Conversion::Note => "note e avvisi",
            Conversion::Highlight => "blocchi di codice",
            Conversion::Link => "collegamenti",
            Conversion::Video => "video",
            Conversion::Details => "dettagli (details)",
            Conversion::Include => "inclusioni",
            Conversion::Kramdown => "attributi kramdown tolti",
            Conversion::Headings => "pagine con i livelli dei titoli sistemati",
            Conversion::Gathered => "voci riunite nella pagina della loro sezione (glossari)",
        }
    }
}

/// Places shown for each thing to look at; the rest are counted.
const PLACES_SHOWN: usize = 5;

/// Everything the import did.
#[derive(Debug, Default)]
pub struct Report {
    /// `Hugo (config.toml)`.
    pub layout: String,
    /// DEST as the user wrote it.
    pub dest: String,
    pub documents: usize,
    pub files: usize,
    pub converted: BTreeMap<Conversion, usize>,
    /// Header keys mapped, by how (`description → summary`).
    pub keys_mapped: BTreeMap<String, usize>,
    /// Old addresses kept as aliases.
    pub aliases: usize,
    /// Things a person must look at: what (Italian) -> `file:line` places.
    pub to_check: BTreeMap<String, Vec<String>>,
    /// Header keys dropped, by name.
    pub keys_dropped: BTreeMap<String, usize>,
    /// Other notes for a person, one sentence each.
    pub notes: Vec<String>,
}

impl Report {
    pub fn count(&mut self, c: Conversion, n: usize) {
        if n > 0 {
            *self.converted.entry(c).or_default() += n;
        }
    }

    /// Something to look at, at `place` (`content/a.md:12`, or a file).
    pub fn check(&mut self, what: impl Into<String>, place: impl Into<String>) {
        self.to_check
            .entry(what.into())
            .or_default()
            .push(place.into());
    }

    /// The report as text.
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "Sito riconosciuto: {}.", self.layout);
        let _ = writeln!(
            t,
            "Scritto in {}: {} documenti, {} altri file.",
            self.dest, self.documents, self.files
        );
        t.push_str("\nConvertito:\n");
        for c in Conversion::ALL {
            let n = self.converted.get(&c).copied().unwrap_or(0);
            let _ = writeln!(t, "  {}: {n}", c.label());
        }
        let mapped: usize = self.keys_mapped.values().sum();
        let _ = writeln!(t, "  voci dell'intestazione: {mapped}");
        for (k, n) in &self.keys_mapped {
            let _ = writeln!(t, "    {k}: {n}");
        }
        let _ = writeln!(t, "  vecchi indirizzi tenuti come alias: {}", self.aliases);
        t.push_str("\nDa guardare:\n");
        if self.to_check.is_empty() && self.keys_dropped.is_empty() && self.notes.is_empty() {
            t.push_str("  niente\n");
        }
        for (what, places) in &self.to_check {
            let shown: Vec<&str> = places
                .iter()
                .take(PLACES_SHOWN)
                .map(String::as_str)
                .collect();
            let more = places.len().saturating_sub(PLACES_SHOWN);
            let more = if more > 0 {
                format!(" e altri {more}")
            } else {
                String::new()
            };
            let _ = writeln!(t, "  {what} ({}): {}{more}", places.len(), shown.join(", "));
        }
        if !self.keys_dropped.is_empty() {
            let total: usize = self.keys_dropped.values().sum();
            let list: Vec<String> = self
                .keys_dropped
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            let _ = writeln!(
                t,
                "  voci dell'intestazione tolte ({total}): {}",
                list.join(", ")
            );
        }
        for note in &self.notes {
            let _ = writeln!(t, "  {note}");
        }
        let root = if self.dest.contains(char::is_whitespace) {
            format!("\"{}\"", self.dest)
        } else {
            self.dest.clone()
        };
        let _ = write!(
            t,
            "\nPoi:\n  pillole check --root {root} --summary\n  pillole serve --root {root}\n"
        );
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_cut_after_a_few() {
        let mut r = Report {
            layout: "Hugo (config.toml)".into(),
            dest: "nuovo".into(),
            ..Default::default()
        };
        for i in 1..=7 {
            r.check("shortcode Hugo «tabs»", format!("content/a.md:{i}"));
        }
        r.count(Conversion::Figure, 2);
        let text = r.to_text();
        assert!(text.contains("  figure: 2\n"), "{text}");
        assert!(text.contains("  video: 0\n"), "{text}");
        assert!(
            text.contains("shortcode Hugo «tabs» (7): content/a.md:1, content/a.md:2, content/a.md:3, content/a.md:4, content/a.md:5 e altri 2"),
            "{text}"
        );
        assert!(
            text.contains("pillole check --root nuovo --summary"),
            "{text}"
        );
    }
}

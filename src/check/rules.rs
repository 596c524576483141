//! The catalogue of diagnostics: every rule id pillole can report, from any
//! stage, with its default severity, a one-line Italian summary and a
//! developer doc (what it does / why it matters / example), in the manner of
//! cargo's lints. Ids are stable: tools and editors rely on them, so a rule
//! is never renamed. A test reads `src/` and fails when a stage emits an id
//! that is not here, with another severity, or when an entry is emitted
//! nowhere. This is a flat catalogue: it holds data, no checking logic.

use crate::diagnostics::Severity;

/// The pipeline stage that reports a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// `site.yaml`.
    Config,
    /// Walking and reading `content/`.
    Load,
    /// Front matter of one file.
    FrontMatter,
    /// The site graph: addresses, references between pages.
    Link,
    /// The content checks (`src/check/`).
    Check,
    /// Theme and templates.
    Render,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Config => "config",
            Stage::Load => "load",
            Stage::FrontMatter => "front matter",
            Stage::Link => "link",
            Stage::Check => "check",
            Stage::Render => "render",
        }
    }
}

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    /// One line, Italian: what the rule looks for.
    pub summary: &'static str,
    /// Developer doc, Markdown, English: `### What it does`,
    /// `### Why it matters`, `### Example`.
    pub doc: &'static str,
}

macro_rules! rules {
    ($($id:literal, $sev:ident, $stage:ident, $summary:literal, $doc:literal;)*) => {
        pub const RULES: &[Rule] = &[$(Rule {
            id: $id,
            severity: Severity::$sev,
            stage: Stage::$stage,
            summary: $summary,
            doc: $doc,
        },)*];
    };
}

rules! {
    // ---- site.yaml ----------------------------------------------------------
    "config-missing", Error, Config, "manca site.yaml o non si può leggere",
    "### What it does
Reports that `site.yaml` could not be read at the site root.

### Why it matters
Without it there is no title, address or feedback contact: the accessibility
statement could not say where to write.

### Example
`pillole check --root sito/` where `sito/site.yaml` does not exist.";

    "feedback-missing", Error, Config, "manca l'indirizzo per le segnalazioni (`feedback`)",
    "### What it does
Requires `feedback:` in `site.yaml` with an e-mail or a web address.

### Why it matters
The accessibility statement must tell readers where to report a barrier
(AgID guidelines); a site without that address is not publishable.

### Example
```yaml
title: Pillole
# feedback: {email: accessibilita@esempio.it}   <- missing
```";

    "bad-url", Error, Config, "`base_url` non è un indirizzo valido",
    "### What it does
Parses `base_url` in `site.yaml` as an absolute URL.

### Why it matters
Feeds, the sitemap, calendar files and QR codes carry absolute addresses;
a wrong one sends every printed poster to nowhere.

### Example
```yaml
base_url: pillole.esempio.it   # needs https://
```";

    "bad-value", Error, Config, "valore non ammesso in site.yaml",
    "### What it does
Rejects values that parse but make no sense, such as a page size of 0.

### Why it matters
A list with zero entries per page would never end.

### Example
```yaml
diary_page_size: 0
```";

    "theme-missing", Error, Render, "il tema indicato in site.yaml non c'è",
    "### What it does
Reports a `theme:` that is neither the embedded theme nor a folder in `themes/`.

### Why it matters
Without templates no page can be written.

### Example
```yaml
theme: agdi   # typo for agid
```";

    "theme-unreadable", Warning, Render, "un file del tema non si può leggere",
    "### What it does
Reports a file under the site's `themes/` or `templates/` that cannot be read;
the embedded theme's version is used instead.

### Why it matters
The site's own change silently missing from the output is worse than a warning.

### Example
A template saved with permissions that deny reading.";

    "template", Error, Render, "errore in un modello di pagina",
    "### What it does
Turns a Tera error (syntax, unknown variable or filter) into a diagnostic
naming the template.

### Why it matters
A broken template breaks every page that uses it.

### Example
```html
{{ page.titel | upper }}
```";

    "internal", Error, Render, "errore interno di pillole",
    "### What it does
Reports a state the graph should never be in (for example a term with no
entry). It is a bug in pillole, not in the content.

### Why it matters
Failing with a message is better than writing an incomplete site.

### Example
None: please report it with the site that caused it.";

    "search-size", Warning, Render, "l'indice di ricerca supera la misura prevista",
    "### What it does
Warns when a file of the search index (its manifest, a chunk of terms or of
results) is larger than its budget. The index is still written, whole.

### Why it matters
Readers on slow connections download the manifest and a few chunks before
the first result; large chunks make the first search slow.

### Example
A site of 100,000 pages whose manifest of chunk keys grows past its budget.";

    // ---- load -----------------------------------------------------------------
    "content-missing", Error, Load, "manca la cartella content/",
    "### What it does
Requires a `content/` folder beside `site.yaml`.

### Why it matters
Every page comes from it; an empty site is almost always a wrong `--root`.

### Example
`pillole build --root .` run one folder too high.";

    "unreadable", Error, Load, "un file o una cartella non si può leggere",
    "### What it does
Reports a file or folder under `content/` that cannot be read (permissions,
a dangling link).

### Why it matters
A page silently missing from the site breaks links and lists.

### Example
`content/tutorial/spid.md` owned by another user with mode 600.";

    "symlink-outside", Warning, Load, "collegamento simbolico che porta fuori dal sito",
    "### What it does
Skips symbolic links that lead outside the site root.

### Why it matters
A link to `/etc` or a home folder would publish private files.

### Example
`content/foto -> /home/utente/Immagini`.";

    "too-deep", Error, Load, "troppe cartelle una dentro l'altra",
    "### What it does
Stops walking below a fixed depth of folders.

### Why it matters
Deep trees are almost always a link loop or a copied backup; addresses that
long are unusable anyway.

### Example
`content/a/b/c/d/e/f/g/h/i/j/k/pagina.md`.";

    "file-too-large", Error, Load, "file di contenuto troppo grande",
    "### What it does
Refuses Markdown files over the size limit.

### Why it matters
A page that large is not a short tutorial, and could be a pasted export that
would slow every build.

### Example
A 10 MB `content/diario/log.md`.";

    "file-large", Warning, Load, "pagina molto lunga",
    "### What it does
Warns about Markdown files over 1 MB; the page is built all the same.

### Why it matters
A page that long loads slowly on a cheap phone and is hard to follow; split
into short pages it is easier to read, print and find.

### Example
A 5 MB `content/diario/archivio.md` pasted from an old site.";

    "image-large", Warning, Load, "immagine troppo pesante per un telefono",
    "### What it does
Warns about pictures under `content/` over 1 MB, or photos with a side over
2,000 px; the site is built all the same.

### Why it matters
A page shows a picture at most ~800 px wide. An 18 MB camera photo costs a
reader on a prepaid phone their data and a long wait for one step.

### Example
`content/tutorial/attivare-spid/schermata.jpg` of 8000 × 6000 px.";

    "image-unreadable", Warning, Load, "immagine di cui non si leggono le misure",
    "### What it does
Warns about a picture whose width and height cannot be read from the file.

### Why it matters
The file is damaged or is not what its name says (a `.jpg` that is a PDF):
browsers show a broken picture.

### Example
`content/diario/tappa/foto.png` saved half-way.";

    "qr-too-long", Warning, Check, "indirizzo troppo lungo per un codice QR",
    "### What it does
Warns when a tutorial's or event's address, or a tutorial's video address,
is too long to fit in a QR code.

### Why it matters
The print sheet and the poster would come out without the code that takes a
reader from the paper to the page.

### Example
```yaml
video:
  src: \"https://video.example.org/watch?v=...&list=...&t=...\"   # 3,000 characters
```";

    "encoding", Error, Load, "file non in UTF-8",
    "### What it does
Requires `site.yaml` and every Markdown file to be UTF-8, and points at the
first line with an invalid byte.

### Why it matters
Accented letters saved as Latin-1 would show as garbage to readers.

### Example
A file saved as Windows-1252: `citt\\xe0`.";

    // ---- front matter ------------------------------------------------------------
    "front-matter-missing", Error, FrontMatter, "il file non inizia con l'intestazione `---`",
    "### What it does
Requires every Markdown file to start with a `---` line.

### Why it matters
Without a header there is no title, and the page cannot be listed or linked.

### Example
```md
# Attiva lo SPID
Testo...
```";

    "front-matter-unclosed", Error, FrontMatter, "l'intestazione non è chiusa dalla seconda riga `---`",
    "### What it does
Requires the closing `---` after the header.

### Why it matters
Otherwise the whole body would be read as YAML.

### Example
```md
---
title: Attiva lo SPID

Testo...
```";

    "front-matter", Error, FrontMatter, "intestazione scritta male: voce mancante, tipo sbagliato, data non valida",
    "### What it does
Reports YAML syntax errors and values of the wrong type in a page header or in
`site.yaml`: a missing `title`, a date that is not `AAAA-MM-GG`, a value not
in the allowed list. Points at the offending key, counting lines from the top
of the file.

### Why it matters
A page with a broken header cannot be built; the editor needs the line and the
allowed values, in Italian.

### Example
```md
---
title: Attiva lo SPID
date: 10/02/2026
---
```";

    "unknown-key", Warning, FrontMatter, "voce sconosciuta nell'intestazione (con la voce più vicina)",
    "### What it does
Warns about a key no kind of page knows and suggests the nearest known key.

### Why it matters
A typo such as `sumary:` is otherwise silently ignored, and the page loses
its summary.

### Example
```yaml
sumary: Crea la tua identità digitale
```";

    "bad-slug", Error, FrontMatter, "`slug` con caratteri non ammessi",
    "### What it does
Requires a custom `slug:` to be lower-case letters, digits and hyphens.

### Why it matters
The slug is the page's address: it is printed on posters and read aloud.

### Example
```yaml
slug: Attiva SPID!
```";

    "title-empty", Error, FrontMatter, "titolo vuoto",
    "### What it does
Requires a non-blank `title`.

### Why it matters
The title is the page's h1, its `<title>` and its link text in every list.

### Example
```yaml
title: \"\"
```";

    "municipio-range", Error, FrontMatter, "municipio fuori da 1–9",
    "### What it does
Requires `municipio:` of diary entries and events to be 1 to 9.

### Why it matters
Milan has nine Municipi; a wrong number hides the page from its district list.

### Example
```yaml
municipio: 10
```";

    "time-nonexistent", Error, FrontMatter, "ora che non esiste (cambio dell'ora legale)",
    "### What it does
Rejects an event time that does not exist in Europe/Rome (the hour skipped
when summer time starts).

### Why it matters
Calendar files would show the event at a different hour on each device.

### Example
```yaml
start: 2026-03-29T02:30
```";

    "event-end-before-start", Error, FrontMatter, "l'evento finisce prima di cominciare",
    "### What it does
Requires an event's `end` to be after its `start`.

### Why it matters
Calendars would drop or misplace the event.

### Example
```yaml
start: 2026-05-12T15:00
end: 2026-05-12T13:00
```";

    "repeat-until", Error, FrontMatter, "la ripetizione finisce prima del primo incontro o dopo più di 5 anni",
    "### What it does
Requires `repeat.until` to be on or after the first `start`, and at most five
years after it.

### Why it matters
A help desk that repeats zero times would vanish from the calendar; one that
repeats until a mistyped year (8522) would fill every list with dates.

### Example
```yaml
start: 2026-05-12T15:00
repeat: {days: [martedì], until: 2026-04-01}
```";

    "repeat-days", Error, FrontMatter, "la ripetizione non dice in quali giorni",
    "### What it does
Requires `repeat.days` to list at least one weekday.

### Why it matters
Without days the weekly help desk has no dates.

### Example
```yaml
repeat: {days: [], until: 2026-12-20}
```";

    "video-src", Error, FrontMatter, "video senza file (`src`)",
    "### What it does
Requires `video.src` in a tutorial that has `video:`.

### Why it matters
An empty player is a dead control for keyboard and screen-reader users.

### Example
```yaml
video: {captions: spid.vtt}
```";

    // ---- site graph -------------------------------------------------------------
    "duplicate-address", Error, Link, "due pagine con lo stesso indirizzo",
    "### What it does
Reports two pages that would be written to the same address (same file name
in the same section, or the same `slug:`).

### Why it matters
One would silently overwrite the other.

### Example
`content/tutorial/spid.md` and `content/tutorial/altro.md` with `slug: spid`.";

    "event-missing", Error, Link, "la tappa del diario cita un evento che non esiste",
    "### What it does
Resolves `event:` of a diary entry to a file in `content/eventi/`.

### Why it matters
The entry links to its event; a wrong name would be a broken link.

### Example
```yaml
event: incontro-spid-municipio-99
```";

    // ---- content checks: links and images -------------------------------------------
    "broken-link", Error, Check, "collegamento a una pagina o a un file che non esiste",
    "### What it does
Resolves every internal link: paths to `.md` files become page addresses,
other paths must be files under `content/`, and site addresses (`/tutorial/x/`)
must be pages the build writes. External links are not fetched.

### Why it matters
A dead link strands a reader who followed the steps this far, often on a phone
with little patience for going back.

### Example
```md
Prima [attiva lo SPID](attiva-spid.md).   <!-- the file is attivare-spid.md -->
```";

    "broken-anchor", Error, Check, "collegamento a un titolo (#ancora) che non c'è nella pagina",
    "### What it does
Checks the `#fragment` of links to pages of the site (and of `#x` links in the
same page) against the ids of that page's headings.

### Why it matters
The reader lands at the top of a long page instead of the step named.

### Example
```md
Vedi [il passo 3](attivare-spid.md#scegli-il-gestor).
```";

    "script-link", Error, Check, "collegamento `javascript:` o simile",
    "### What it does
Refuses links and images whose address runs a script (`javascript:`,
`vbscript:`, `data:text/html`).

### Why it matters
They do nothing for assistive technology and are a way to attack readers.

### Example
```md
[Apri](javascript:alert(1))
```";

    "malformed-url", Warning, Check, "indirizzo esterno scritto male",
    "### What it does
Parses external addresses without fetching them: a host without a dot, spaces,
a `mailto:` without `@`.

### Why it matters
A copy-and-paste slip sends readers to an error page; the build cannot fetch
links (no network), but it can see a malformed one.

### Example
```md
[Il sito dello SPID](https://www.spid gov.it)
```";

    "image-missing", Error, Check, "immagine che non esiste",
    "### What it does
Requires images with a local address to exist under `content/` (or as a site
address the build writes).

### Why it matters
A missing picture in a step (\"tocca il tasto come in figura\") breaks the step.

### Example
```md
![Il tasto Entra con SPID](entra-spid.png)   <!-- file not in the folder -->
```";

    "image-alt", Error, Check, "immagine senza testo alternativo",
    "### What it does
Requires a text alternative for every image.

### Why it matters
WCAG 1.1.1: screen-reader users hear nothing, or the file name.

### Example
```md
![](schermata-io.png)
```";

    "image-alt-quality", Warning, Check, "testo alternativo che è un nome di file o dice solo «immagine»",
    "### What it does
Flags alternatives that are a file name (`IMG_2041.jpg`, `foto.png`) or only
say what the element is (\"immagine\", \"foto di ...\").

### Why it matters
Screen readers already say \"immagine\"; the alternative must say what the
picture shows and why it matters here.

### Example
```md
![foto di volontari](tavolo.jpg)
```";

    "link-text", Warning, Check, "testo del collegamento vuoto o poco chiaro (per esempio «clicca qui»)",
    "### What it does
Flags empty link texts and vague ones (\"clicca qui\", \"qui\", \"leggi di più\",
\"link\").

### Why it matters
WCAG 2.4.4: screen-reader users often list the links of a page out of context;
ten \"qui\" in a row say nothing.

### Example
```md
Per prenotare clicca [qui](https://www.prenotazionicie.interno.gov.it).
```";

    // ---- content checks: structure -----------------------------------------------
    "heading-skip", Warning, Check, "un titolo salta un livello (per esempio da ## a ####)",
    "### What it does
Warns when a heading is more than one level deeper than the one before it
(the page title counts as level 1).

### Why it matters
WCAG 1.3.1: screen-reader users move by headings; a jump suggests a missing
section.

### Example
```md
## Prepara i documenti
#### La tessera sanitaria
```";

    "heading-h1", Error, Check, "titolo di primo livello (#) nel testo: il titolo della pagina è già il primo",
    "### What it does
Refuses `#` headings in the body.

### Why it matters
The page title is the only h1; a second one breaks the outline every
assistive technology relies on.

### Example
```md
# Come attivare lo SPID
```";

    "tutorial-no-steps", Error, Check, "tutorial senza passi (titoli ##)",
    "### What it does
Requires a tutorial to have at least one level-2 heading: each one is a step.

### Why it matters
Steps are numbered, linkable and printable one by one; a tutorial without them
is a wall of text.

### Example
A file in `content/tutorial/` with only paragraphs.";

    "tutorial-no-summary", Warning, Check, "tutorial senza `summary`",
    "### What it does
Asks for a `summary:` in every tutorial.

### Why it matters
The summary is shown in lists, search results and link previews: it tells a
reader whether this is the guide they need before they open it.

### Example
```yaml
title: Attiva lo SPID
# summary: Crea la tua identità digitale ...   <- missing
```";

    "table-header", Warning, Check, "tabella senza riga di intestazione",
    "### What it does
Warns about tables whose first row is empty.

### Why it matters
WCAG 1.3.1: screen readers announce each cell with its column name; without
a header row the numbers have no meaning.

### Example
```md
|   |   |
|---|---|
| Lunedì | 9–12 |
```";

    "video-captions", Error, Check, "video senza sottotitoli",
    "### What it does
Requires `video.captions` (a WebVTT file) in tutorials with a video.

### Why it matters
WCAG 1.2.2: deaf and hard-of-hearing readers, and anyone on a bus without
earphones, must be able to follow.

### Example
```yaml
video: {src: spid.mp4, transcript: spid.txt}
```";

    "video-transcript", Warning, Check, "video senza trascrizione",
    "### What it does
Asks for `video.transcript` in tutorials with a video.

### Why it matters
A transcript can be read at one's own pace, printed, and searched; it also
serves deafblind readers using braille displays.

### Example
```yaml
video: {src: spid.mp4, captions: spid.vtt}
```";

    "raw-html-removed", Warning, Check, "HTML nel testo tolto perché non sicuro o inutilizzabile",
    "### What it does
Warns when raw HTML in a body held something the sanitiser removes (scripts,
frames, styles, event handlers, form fields and buttons, a field no label
names), naming what was removed.

### Why it matters
The page will not look like the editor expected, and the editor should know
why.

### Example
```md
<div onclick=\"apri()\">Apri</div>
```";

    "unreachable-page", Warning, Check, "nessun collegamento porta alla pagina",
    "### What it does
Warns about a plain page or a section page that no path from the home page
reaches: not in the menu, not in a section's list, not linked from a page
that is reached. Tutorials, diary entries, events and pages with topics are
always reached through their lists.

### Why it matters
Readers do not type addresses: a page nobody links to is a page nobody
reads. Sites brought over from other generators often have many.

### Example
`content/vecchia-pagina.md`, linked from nowhere.";

    "placeholder", Warning, Check, "c'è ancora il testo di esempio scritto da `pillole new`",
    "### What it does
Warns while a page still holds the example text `pillole new` and
`pillole init` write (\"Scrivi qui…\", \"Una frase che dice…\").

### Why it matters
A page published with its example text tells a citizen nothing and looks
abandoned. New pages are drafts until the editor removes `draft: true`;
this warning says what is left to write.

### Example
`Scrivi qui cosa fare, con frasi brevi.` under a step.";

    "event-place", Error, Check, "l'evento non dice dove si tiene (`place` oppure `online: true`)",
    "### What it does
Requires an event that is not cancelled to have a `place`, or
`online: true` when it is held on the internet.

### Why it matters
An event without a place cannot be reached: the reader would have to call
to find out where to go.

### Example
`place: \"\"` left empty by `pillole new evento`.";

    // ---- content checks: reading level -------------------------------------------------
    "reading-level", Warning, Check, "testo difficile da leggere (indice Gulpease basso)",
    "### What it does
Computes the Gulpease index of a tutorial's body (code, URLs and e-mail
addresses removed; counted as ACCESSIBILITY.md says) and warns below
`reading.tutorial_min` (80). The message names the three longest sentences
with their lines; the JSON object carries `gulpease`. Never fails a build;
fails `pillole check --strict`.

### Why it matters
Below 80 the text is hard for readers with primary schooling only, who are
many of this site's readers.

### Example
\"Per procedere all'attivazione dell'identità digitale è necessario che il
cittadino disponga di un documento di riconoscimento in corso di validità.\"";

    "reading-level-step", Warning, Check, "passo difficile da leggere (indice Gulpease basso)",
    "### What it does
The same index for each step (a level-2 heading and the text up to the next)
with the lower threshold `reading.step_min` (60).

### Why it matters
One dense step is where readers give up, even when the whole page scores well.

### Example
A step whose only paragraph is one 40-word bureaucratic sentence.";

    "long-sentence", Warning, Check, "frase troppo lunga",
    "### What it does
Warns about sentences longer than `reading.sentence_max_words` (25) words in a
tutorial.

### Why it matters
Long sentences are the main cause of a low index and are hard to keep in mind
while tapping on a phone.

### Example
\"Dopo aver scaricato l'app e aver inserito le credenziali che ti sono state
inviate per posta elettronica dal gestore che hai scelto nel passo precedente,
tocca il tasto che trovi in basso a destra per confermare.\"";
}

/// Rules about reading level: they never fail `pillole build`.
pub const READING_RULES: &[&str] = &["reading-level", "reading-level-step", "long-sentence"];

/// The catalogue entry of `id`.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The catalogue as a Markdown reference, one section per rule.
pub fn to_markdown() -> String {
    let mut out = String::from("# Diagnostics reported by pillole\n");
    for r in RULES {
        let severity = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "\n## `{}`\n\n{} · {} · «{}»\n\n{}\n",
            r.id,
            severity,
            r.stage.as_str(),
            r.summary,
            r.doc.replace("### ", "#### ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};
    use std::path::Path;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                !r.id.is_empty()
                    && r.id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert!(!r.summary.trim().is_empty(), "{}", r.id);
            for section in [
                "### What it does\n",
                "### Why it matters\n",
                "### Example\n",
            ] {
                let at = r.doc.find(section);
                assert!(at.is_some(), "{}: doc lacks {section:?}", r.id);
                let rest = &r.doc[at.unwrap_or(0) + section.len()..];
                let body = rest.split("### ").next().unwrap_or("");
                assert!(!body.trim().is_empty(), "{}: {section:?} is empty", r.id);
            }
        }
        for id in READING_RULES {
            let rule = find(id).unwrap_or_else(|| panic!("{id} is not in RULES"));
            assert_eq!(rule.severity, Severity::Warning, "{id}");
        }
        let md = to_markdown();
        assert!(RULES.iter().all(|r| md.contains(&format!("## `{}`", r.id))));
    }

    /// Every `Diagnostic::error(file, "id", …)` / `Diagnostic::warning(…)`
    /// outside test modules, as (place, severity, id).
    fn emitted() -> Vec<(String, Severity, String)> {
        let mut out = Vec::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                // Test modules make diagnostics with made-up ids.
                let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
                let name = path.strip_prefix(&root).unwrap_or(&path).display();
                for (call, severity) in [
                    ("Diagnostic::error(", Severity::Error),
                    ("Diagnostic::warning(", Severity::Warning),
                ] {
                    for (at, _) in code.match_indices(call) {
                        let line = code[..at].lines().count();
                        let place = format!("src/{name}:{line}");
                        let args = call_args(&code[at + call.len()..]);
                        let id = args.get(1).map(|a| a.trim()).unwrap_or("");
                        let id = id
                            .strip_prefix('"')
                            .and_then(|s| s.strip_suffix('"'))
                            .unwrap_or_else(|| {
                                panic!("{place}: the rule id must be a string literal, got {id:?}")
                            });
                        out.push((place, severity, id.to_string()));
                    }
                }
            }
        }
        out
    }

    /// The top-level arguments of a call, given the text after its `(`.
    fn call_args(text: &str) -> Vec<String> {
        let mut args = vec![String::new()];
        let mut depth = 0usize;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    let current = args.last_mut().expect("never empty");
                    current.push(c);
                    while let Some(d) = chars.next() {
                        current.push(d);
                        if d == '\\' {
                            current.extend(chars.next());
                        } else if d == '"' {
                            break;
                        }
                    }
                    continue;
                }
                // A char literal such as '(' (not a lifetime).
                '\'' => {
                    let current = args.last_mut().expect("never empty");
                    current.push(c);
                    let rest: String = chars.clone().take(3).collect();
                    let literal = rest.starts_with('\\') || rest.chars().nth(1) == Some('\'');
                    if literal {
                        while let Some(d) = chars.next() {
                            current.push(d);
                            if d == '\\' {
                                current.extend(chars.next());
                            } else if d == '\'' {
                                break;
                            }
                        }
                    }
                    continue;
                }
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    args.push(String::new());
                    continue;
                }
                _ => {}
            }
            args.last_mut().expect("never empty").push(c);
        }
        args
    }

    #[test]
    fn call_args_skip_strings_and_nesting() {
        let args =
            call_args(r#"relative(root, e.path()), "x-y", format!("a, ({b})", ')')).hint("z")"#);
        assert_eq!(args.len(), 3, "{args:?}");
        assert_eq!(args[1].trim(), "\"x-y\"");
    }

    #[test]
    fn every_emitted_rule_is_in_the_catalogue_with_its_severity() {
        let emitted = emitted();
        assert!(
            emitted.len() > 40,
            "the scan found only {} emissions",
            emitted.len()
        );
        let mut by_id: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (place, severity, id) in &emitted {
            let rule = find(id).unwrap_or_else(|| {
                panic!("{place}: rule `{id}` is not in src/check/rules.rs; add it with its doc")
            });
            assert_eq!(
                rule.severity, *severity,
                "{place}: `{id}` is emitted with another severity than the catalogue's"
            );
            by_id.entry(id).or_default().push(place);
        }
        for r in RULES {
            assert!(
                by_id.contains_key(r.id),
                "`{}` is in the catalogue but nothing emits it",
                r.id
            );
        }
    }
}

//! Front matter: splitting a content file into its YAML header and Markdown
//! body, and reading YAML into typed structs with diagnostics.
//!
//! This is the only place (with `config`) that touches the YAML crate, so
//! moving to another YAML reader is a change here. Positions are reported in
//! lines of the whole file. Keys the target struct does not know are warnings
//! that suggest the nearest known key; serde's messages are put into Italian.

use crate::diagnostics::Diagnostic;
use serde::de::DeserializeOwned;

/// A piece of YAML inside a file.
pub struct YamlDoc<'a> {
    /// File path relative to the site root.
    pub file: &'a str,
    pub text: &'a str,
    /// 1-based line of the file where `text` starts.
    pub first_line: usize,
    /// A content file's header between `---` fences (Markdown may follow,
    /// and may have been taken in when the closing fence is missing).
    pub fenced: bool,
}

/// A content file split in two.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Splits `text` (BOM removed, LF line ends) at its `---` fences.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(
            file,
            "front-matter-missing",
            "il file non inizia con l'intestazione tra due righe `---`",
        )
        .hint("scrivi in cima al file una riga `---`, poi `title: Il titolo`, poi un'altra riga `---`"));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line, l) in (2..).zip(text[offset..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &text[yaml_start.min(offset)..offset];
            let body_start = (offset + l.len()).min(text.len());
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(
        file,
        "front-matter-unclosed",
        "l'intestazione non è chiusa: manca la seconda riga `---`",
    )
    .hint("aggiungi una riga con soli tre trattini `---` dopo l'ultima voce dell'intestazione"))
}

/// Keys of nested maps, for suggestions: (parent key, known keys).
const NESTED_KEYS: &[(&str, &[&str])] = &[
    ("booking", &["email", "url", "phone", "note"]),
    ("repeat", &["days", "until", "except"]),
    ("video", &["src", "captions", "poster", "transcript"]),
    ("contacts", &["email", "phone", "address"]),
    ("feedback", &["email", "url"]),
    (
        "reading",
        &["tutorial_min", "step_min", "sentence_max_words"],
    ),
    ("menu", &["name", "url"]),
];

/// Keys editors write for ours: Italian names, and other generators' words
/// for the same thing. A suggestion is made only when ours is a key here.
const KEY_SYNONYMS: &[(&str, &str)] = &[
    ("titolo", "title"),
    ("nome", "title"),
    ("sottotitolo", "summary"),
    ("subtitle", "summary"),
    ("description", "summary"),
    ("descrizione", "summary"),
    ("riassunto", "summary"),
    ("sommario", "summary"),
    ("excerpt", "summary"),
    ("data", "date"),
    ("aggiornato", "updated"),
    ("lastmod", "updated"),
    ("bozza", "draft"),
    ("etichette", "tags"),
    ("tag", "tags"),
    ("categorie", "tags"),
    ("categories", "tags"),
    ("alias", "aliases"),
    ("weight", "order"),
    ("ordine", "order"),
    ("nav_order", "order"),
    ("livello", "level"),
    ("durata", "duration"),
    ("servono", "needs"),
    ("occorrente", "needs"),
    ("servizi", "services"),
    ("inizio", "start"),
    ("dalle", "start"),
    ("fine", "end"),
    ("alle", "end"),
    ("luogo", "place"),
    ("posto", "place"),
    ("sede", "place"),
    ("location", "place"),
    ("indirizzo", "address"),
    ("stato", "status"),
    ("prenotazione", "booking"),
    ("ripeti", "repeat"),
    ("giorni", "days"),
    ("fino", "until"),
    ("telefono", "phone"),
    ("evento", "event"),
];

/// Values editors write for ours (an event's `status`).
const VALUE_SYNONYMS: &[(&str, &str)] = &[
    ("annullato", "cancelled"),
    ("annullata", "cancelled"),
    ("cancellato", "cancelled"),
    ("canceled", "cancelled"),
    ("rinviato", "postponed"),
    ("rinviata", "postponed"),
    ("rimandato", "postponed"),
    ("completo", "full"),
    ("esaurito", "full"),
    ("pieno", "full"),
    ("confermato", "scheduled"),
    ("programmato", "scheduled"),
    ("previsto", "scheduled"),
];

/// Reads YAML of any shape (another generator's header or configuration)
/// as a JSON value: keys become strings, timestamps stay text. The error
/// is the YAML reader's message, for reports.
pub fn loose_yaml(text: &str) -> Result<serde_json::Value, String> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    Ok(yaml_to_json(value))
}

fn yaml_to_json(value: serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64().map_or(J::Null, J::from)
            }
        }
        Y::String(s) => J::String(s),
        Y::Sequence(items) => J::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => J::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = match yaml_to_json(k) {
                        J::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// What `key` may have meant among `candidates`: a known synonym, or the
/// closest key if it is close enough to be a typo.
pub fn suggest<'k>(key: &str, candidates: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_lowercase();
    KEY_SYNONYMS
        .iter()
        .chain(VALUE_SYNONYMS)
        .filter(|(theirs, _)| *theirs == lower)
        .find_map(|(_, ours)| candidates.iter().find(|c| *c == ours).copied())
        .or_else(|| nearest(&lower, candidates))
}

/// Deserializes `doc` into `T`. Returns the value when it could be read, and
/// every diagnostic: a YAML or type error (with position), and a warning per
/// unknown key.
pub fn parse_yaml<T: DeserializeOwned>(
    doc: &YamlDoc,
    known: &[&str],
) -> (Option<T>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let text = if doc.text.trim().is_empty() {
        "{}"
    } else {
        doc.text
    };
    let de = serde_yaml::Deserializer::from_str(text);
    let mut on_ignored = |path: serde_ignored::Path| unknown.push(path.to_string());
    let de = serde_ignored::Deserializer::new(de, &mut on_ignored);
    let result: Result<T, _> = serde_path_to_error::deserialize(de);
    match result {
        Ok(value) => {
            if let Some(line) = body_in_header(doc) {
                diags.push(unclosed_before(doc, line));
                return (None, diags);
            }
            for path in unknown {
                diags.push(unknown_key(doc, &path, known));
            }
            (Some(value), diags)
        }
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            // Where the YAML reader stopped, and where the offending key is:
            // errors raised by a value's own check only know the second.
            let located = inner
                .location()
                .map(|l| (doc.first_line + l.line() - 1, l.column()));
            let key = key_position(doc.text, &path).map(|(l, c)| (doc.first_line + l - 1, c));
            let (line, column) = match (located, key) {
                (Some(at), Some(k)) if at.0 > k.0 => at,
                (_, Some(k)) => k,
                (Some(at), None) => at,
                (None, None) => (doc.first_line, 1),
            };
            let raw = inner.to_string();
            let raw = raw.strip_prefix(&format!("{path}: ")).unwrap_or(&raw);
            if let Some(body) = body_in_header(doc) {
                diags.push(unclosed_before(doc, body));
                return (None, diags);
            }
            let source_line = doc
                .text
                .lines()
                .nth(line.saturating_sub(doc.first_line))
                .unwrap_or("");
            let (message, mut hint) = translate(raw, source_line);
            let (mut line, mut column) = (line, column);
            if raw.contains("quoted scalar") {
                // The reader stops where the file ends; the quote opened earlier.
                if let Some(l) = unclosed_quote(doc.text) {
                    (line, column) = (doc.first_line + l - 1, 1);
                }
            }
            // A required key is missing and an unknown key means it: the
            // mistake is that key.
            let mut meant = None;
            if let Some(field) = between(raw, "missing field `", "`") {
                meant = unknown
                    .iter()
                    .position(|u| !u.contains('.') && suggest(u, &[field]).is_some());
                if let Some(i) = meant {
                    let wrong = &unknown[i];
                    if let Some((l, c)) = find_key(doc.text, None, wrong) {
                        (line, column) = (doc.first_line + l - 1, c);
                    }
                    hint =
                        format!("alla riga {line} c'è `{wrong}`: forse volevi scrivere `{field}`?");
                }
            }
            diags.push(
                Diagnostic::error(doc.file, "front-matter", message)
                    .at(line, column)
                    .hint(hint),
            );
            // The other unknown keys read so far, in the same run.
            for (i, path) in unknown.iter().enumerate() {
                if Some(i) != meant {
                    diags.push(unknown_key(doc, path, known));
                }
            }
            (None, diags)
        }
    }
}

/// The 1-based line of `text` whose value opens a quote it does not close.
fn unclosed_quote(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let value = l.split_once(": ").map_or("", |(_, v)| v.trim());
            let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''));
            quote.is_some_and(|q| value.len() == 1 || !value.ends_with(q))
        })
        .map(|n| n + 1)
}

/// The closing `---` is missing and a rule further down the body closed
/// the header: the body starts at `line`.
fn unclosed_before(doc: &YamlDoc, line: usize) -> Diagnostic {
    Diagnostic::error(
        doc.file,
        "front-matter-unclosed",
        "l'intestazione non è chiusa: manca la riga `---` prima del testo",
    )
    .at(line, 1)
    .hint("aggiungi una riga con soli tre trattini `---` dopo l'ultima voce dell'intestazione, prima di questa riga")
}

/// The line of the file where Markdown starts inside the header, if the
/// header holds some: a heading, or a line of prose after a blank line,
/// before the first place the YAML reader could not read.
fn body_in_header(doc: &YamlDoc) -> Option<usize> {
    if !doc.fenced {
        return None;
    }
    let mut blank_before = false;
    for (i, l) in doc.text.lines().enumerate() {
        let t = l.trim_end();
        let markdown = t.starts_with("## ")
            || t.starts_with("### ")
            || (blank_before
                && !t.is_empty()
                && !t.starts_with([' ', '-', '#'])
                && !t.contains(": ")
                && !t.ends_with(':'));
        if markdown {
            return Some(doc.first_line + i);
        }
        blank_before = t.is_empty();
    }
    None
}

/// Position of the key named by a serde path such as `booking.email` or
/// `repeat.days[0]` (None for the document itself).
fn key_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let parts: Vec<&str> = path
        .split('.')
        .map(|p| p.split('[').next().unwrap_or(p))
        .filter(|p| !p.is_empty() && *p != "?")
        .collect();
    let key = parts.last()?;
    let parent = if parts.len() > 1 {
        Some(parts[parts.len() - 2])
    } else {
        None
    };
    find_key(text, parent, key)
}

fn unknown_key(doc: &YamlDoc, path: &str, known: &[&str]) -> Diagnostic {
    let parts: Vec<&str> = path
        .split('.')
        .filter(|p| p.parse::<usize>().is_err())
        .collect();
    let key = parts.last().copied().unwrap_or(path);
    let parent = if parts.len() > 1 {
        Some(parts[parts.len() - 2])
    } else {
        None
    };
    let candidates: &[&str] = match parent {
        None => known,
        Some(p) => NESTED_KEYS
            .iter()
            .find(|(k, _)| *k == p)
            .map(|(_, v)| *v)
            .unwrap_or(&[]),
    };
    let (line, column) = find_key(doc.text, parent, key)
        .map(|(l, c)| (doc.first_line + l - 1, c))
        .unwrap_or((doc.first_line, 1));
    let hint = match suggest(key, candidates) {
        Some(best) => format!("forse volevi scrivere `{best}`?"),
        None => format!("le voci possibili qui sono: {}", candidates.join(", ")),
    };
    Diagnostic::warning(
        doc.file,
        "unknown-key",
        format!("voce sconosciuta `{path}`: verrà ignorata"),
    )
    .at(line, column)
    .width(key.len())
    .hint(hint)
}

/// The known key closest to `key`, if it is close enough to be a typo.
pub fn nearest<'k>(key: &str, candidates: &[&'k str]) -> Option<&'k str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(key, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// 1-based (line, column) of `key:` in YAML text, inside `parent` if given.
fn find_key(text: &str, parent: Option<&str>, key: &str) -> Option<(usize, usize)> {
    let mut after = 0;
    if let Some(p) = parent {
        after = find_key(text, None, p).map(|(l, _)| l).unwrap_or(0);
    }
    for (i, line) in text
        .lines()
        .enumerate()
        .skip(after.saturating_sub(if parent.is_some() { 1 } else { 0 }))
    {
        let trimmed = line
            .trim_start()
            .trim_start_matches("- ")
            .trim_start_matches('{')
            .trim_start();
        let indent = line.len() - trimmed.len();
        if parent.is_none() && indent > 0 {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                return Some((i + 1, indent + 1));
            }
        }
        // Inline maps: `booking: {emial: x}`
        if parent.is_some() {
            if let Some(pos) = line.find(&format!("{key}:")) {
                return Some((i + 1, line[..pos].chars().count() + 1));
            }
        }
    }
    None
}

/// How to write a value that YAML would read as something else.
const QUOTES: &str = "se il valore contiene `:`, `#`, `@` o comincia con `*`, `&`, `!`, mettilo tra virgolette: `summary: \"Come fare: i passi\"`";

/// The YAML reader's syntax errors, by the words of its message: what the
/// editor reads instead, and the fix (empty: [`QUOTES`]). First match wins.
const YAML_SYNTAX: &[(&[&str], &str, &str)] = &[
    (
        &["did not find expected '-' indicator"],
        "un elemento dell'elenco non è allineato con gli altri",
        "metti ogni `- ` dell'elenco con lo stesso rientro (lo stesso numero di spazi) degli altri",
    ),
    (
        &["mapping values are not allowed"],
        "in questa riga c'è un secondo `:` che non fa parte del valore",
        "",
    ),
    (
        &["did not find expected key", "did not find expected node"],
        "questa riga ha un rientro diverso dalle voci vicine",
        "scrivi ogni voce all'inizio della riga, oppure con lo stesso rientro delle altre voci dello stesso gruppo",
    ),
    (
        &["quoted scalar", "unexpected end of stream"],
        "delle virgolette aperte non sono chiuse",
        "chiudi le virgolette alla fine del valore, sulla stessa riga",
    ),
    (
        &["could not find expected ':'"],
        "manca il `:` dopo il nome della voce",
        "scrivi ogni voce come `nome: valore`",
    ),
    (
        &["cannot start any token", "undefined alias"],
        "il valore comincia con un carattere che va scritto tra virgolette",
        "",
    ),
];

/// Puts serde's English messages into plain Italian, with a hint.
fn translate(raw: &str, source_line: &str) -> (String, String) {
    let msg = raw.split(" at line ").next().unwrap_or(raw).trim();
    if let Some(field) = between(msg, "missing field `", "`") {
        return (
            format!("manca la voce obbligatoria `{field}`"),
            format!("aggiungi una riga `{field}: ...` nell'intestazione"),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or("");
        let expected = rest
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .replace('`', "");
        let expected = expected.replace(" or ", ", ").replace("one of ", "");
        let allowed: Vec<&str> = expected.split(", ").map(str::trim).collect();
        let hint = match suggest(value, &allowed) {
            Some(ours) => {
                format!("forse volevi scrivere `{ours}`? I valori ammessi sono: {expected}")
            }
            None => format!("i valori ammessi sono: {expected}"),
        };
        return (format!("valore non ammesso «{value}»"), hint);
    }
    if msg.starts_with("invalid type") {
        let expected = msg.split("expected ").nth(1).unwrap_or("").to_string();
        let found = between(msg, "invalid type: ", ",").unwrap_or("");
        return (
            format!("tipo di valore sbagliato: {}", italian_type(found)),
            format!("qui serve {}", italian_type(&expected)),
        );
    }
    if msg.contains("duplicate entry") || msg.contains("duplicate field") {
        return (
            "la stessa voce compare due volte".into(),
            "tieni una sola riga per ogni voce".into(),
        );
    }
    if msg.contains("recursion limit") || msg.contains("repetition limit") {
        return (
            "l'intestazione è troppo annidata o ripete troppe volte gli stessi valori".into(),
            "semplifica l'intestazione: usa voci semplici, senza riferimenti `&` e `*`".into(),
        );
    }
    let indent = &source_line[..source_line.len() - source_line.trim_start().len()];
    if indent.contains('\t')
        || (msg.contains("cannot start any token") && source_line.contains('\t'))
    {
        return (
            "in questa riga c'è un carattere di tabulazione (il tasto Tab)".into(),
            "nell'intestazione i rientri si fanno solo con gli spazi: cancella il Tab e metti due spazi".into(),
        );
    }
    // On a list item's line, a key not found means the item is out of line.
    let syntax = if source_line.trim_start().starts_with('-') {
        msg.replace(
            "did not find expected key",
            "did not find expected '-' indicator",
        )
    } else {
        msg.to_string()
    };
    if let Some((_, message, hint)) = YAML_SYNTAX
        .iter()
        .find(|(needles, ..)| needles.iter().any(|n| syntax.contains(n)))
    {
        let hint = if hint.is_empty() { QUOTES } else { hint };
        return ((*message).into(), (*hint).into());
    }
    let syntax_words = [
        "did not find expected",
        "found unexpected",
        "while parsing",
        "while scanning",
    ];
    if syntax_words.iter().any(|w| msg.contains(w)) {
        return (
            "l'intestazione non è scritta correttamente in questa riga".into(),
            format!("controlla questa riga: ogni voce va scritta come `nome: valore`, con lo stesso rientro delle altre; {QUOTES}"),
        );
    }
    // Our own deserializers already speak Italian.
    (msg.to_string(), "correggi il valore e riprova".into())
}

fn italian_type(t: &str) -> String {
    let t = t.trim();
    match t {
        "a string" | "string" => "un testo".into(),
        "a sequence" | "sequence" => "un elenco".into(),
        "a map" | "map" => "un insieme di voci".into(),
        "a boolean" | "boolean" => "vero o falso (true/false)".into(),
        "u8" | "u32" | "u64" | "usize" | "i64" | "an integer" | "integer" => {
            "un numero intero".into()
        }
        "f64" | "a float" | "floating point" => "un numero".into(),
        _ if t.starts_with("string") => format!("un testo ({t})"),
        _ if t.starts_with("sequence") => "un elenco".into(),
        _ if t.starts_with("struct") || t.starts_with("map") => "un insieme di voci".into(),
        _ if t.starts_with("integer") => {
            format!("un numero ({})", t.trim_start_matches("integer "))
        }
        _ if t.starts_with("boolean") => format!("vero o falso ({t})"),
        _ => t.to_string(),
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn split_finds_yaml_and_body_lines() {
        let s = split("a.md", "---\ntitle: x\n---\n\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_reports_missing_and_unclosed() {
        assert_eq!(
            split("a.md", "title: x\n").unwrap_err().rule,
            "front-matter-missing"
        );
        assert_eq!(
            split("a.md", "---\ntitle: x\n").unwrap_err().rule,
            "front-matter-unclosed"
        );
        assert_eq!(split("a.md", "").unwrap_err().rule, "front-matter-missing");
    }

    #[test]
    fn yaml_error_line_is_counted_from_the_top_of_the_file() {
        let doc = YamlDoc {
            file: "a.md",
            text: "title: x\ntags: [a\n",
            first_line: 2,
            fenced: true,
        };
        let (v, d) = parse_yaml::<T>(&doc, &["title", "tags"]);
        assert!(v.is_none());
        assert_eq!(d.len(), 1);
        assert!(d[0].line >= 3, "{:?}", d[0]);
    }

    #[test]
    fn missing_title_is_named_in_italian() {
        let doc = YamlDoc {
            file: "a.md",
            text: "tags: [a]\n",
            first_line: 2,
            fenced: true,
        };
        let (_, d) = parse_yaml::<T>(&doc, &["title", "tags"]);
        assert!(d[0].message.contains("title"), "{:?}", d[0]);
        assert!(d[0].message.contains("manca"), "{:?}", d[0]);
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let doc = YamlDoc {
            file: "a.md",
            text: "title: x\ntagz: [a]\n",
            first_line: 2,
            fenced: true,
        };
        let (v, d) = parse_yaml::<T>(&doc, &["title", "tags"]);
        assert!(v.is_some());
        assert_eq!(d[0].rule, "unknown-key");
        assert_eq!(d[0].line, 3);
        assert!(d[0].hint.contains("`tags`"));
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            y.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        y.push_str("title: x\n");
        let doc = YamlDoc {
            file: "a.md",
            text: &y,
            first_line: 2,
            fenced: true,
        };
        let (_, d) = parse_yaml::<serde_yaml::Value>(&doc, &[]);
        assert!(d.iter().any(|d| d.is_error()), "{d:?}");
    }
}

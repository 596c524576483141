//! Link and image checks: every link written in a page must lead somewhere
//! (a page, a heading of a page, a file), script URLs are refused, images
//! need a text alternative, and link texts must make sense on their own.

use crate::content::markdown::{Link, Target};
use crate::diagnostics::Diagnostic;
use crate::routes::Routes;
use crate::site::Site;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// The anchors of each page, and how addresses are looked up in the
/// site's route table.
pub struct Targets {
    anchors: HashMap<String, HashSet<String>>,
    prefix: String,
}

impl Targets {
    pub fn new(site: &Site) -> Self {
        // A set of ids for every page: made on every core.
        let anchors = site
            .pages
            .par_iter()
            .zip(&site.analysis)
            .map(|(p, r)| {
                let mut ids: HashSet<String> = r
                    .headings
                    .iter()
                    .map(|h| h.id.clone())
                    .chain(r.term_ids.iter().cloned())
                    .collect();
                ids.insert("contenuto".into());
                (p.path.clone(), ids)
            })
            .collect();
        Targets {
            anchors,
            prefix: site.prefix.clone(),
        }
    }

    /// The site path of an address as written, without the `base_url`
    /// prefix and `index.html`.
    pub fn site_path<'a>(&self, path: &'a str) -> &'a str {
        let path = path
            .strip_prefix(self.prefix.as_str())
            .filter(|p| p.starts_with('/') && !self.prefix.is_empty())
            .unwrap_or(path);
        path.strip_suffix("index.html").unwrap_or(path)
    }

    fn exists(&self, routes: &Routes, path: &str) -> bool {
        let path = self.site_path(path);
        let last = path.rsplit('/').next().unwrap_or("");
        if path.ends_with('/') || last.contains('.') {
            routes.contains(path)
        } else {
            routes.contains(path) || routes.contains(&format!("{path}/"))
        }
    }

    fn has_anchor(&self, path: &str, id: &str) -> Option<bool> {
        Some(self.anchors_of(path)?.contains(id))
    }

    fn anchors_of(&self, path: &str) -> Option<&HashSet<String>> {
        let path = self.site_path(path);
        self.anchors.get(path).or_else(|| {
            self.anchors
                .get(&format!("{path}/"))
                .filter(|_| !path.ends_with('/'))
        })
    }

    /// How to write an anchor, and the ones the page at `path` has.
    fn anchor_hint(&self, path: &str) -> String {
        let mut ids: Vec<&str> = self
            .anchors_of(path)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|id| *id != "contenuto")
            .collect();
        ids.sort_unstable();
        if ids.is_empty() {
            return format!("{ANCHOR_HINT}; quella pagina non ha titoli");
        }
        let more = ids.len().saturating_sub(ANCHORS_LISTED);
        ids.truncate(ANCHORS_LISTED);
        let list: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
        let more = if more > 0 {
            format!(" e altri {more}")
        } else {
            String::new()
        };
        format!(
            "{ANCHOR_HINT}; i titoli della pagina sono: {}{more}",
            list.join(", ")
        )
    }
}

const VAGUE: &[&str] = &[
    "clicca qui",
    "qui",
    "qua",
    "leggi di più",
    "leggi di piu",
    "leggi tutto",
    "link",
    "clicca",
    "questo link",
    "premi qui",
    "vai",
    "scopri di più",
    "più informazioni",
    "click here",
    "here",
];

/// Anchors a broken-anchor hint lists at most.
const ANCHORS_LISTED: usize = 12;

const ANCHOR_HINT: &str = "controlla il titolo: l'ancora è il titolo in minuscolo, senza accenti, con i trattini al posto degli spazi";

pub fn check_page(site: &Site, targets: &Targets, i: usize) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let file = page.source.as_str();
    let mut out = Vec::new();
    for (_, alias) in site.routes.alias_conflicts.iter().filter(|(p, _)| *p == i) {
        let line = page.header_line("aliases").unwrap_or(1);
        out.push(
            Diagnostic::error(
                file,
                "duplicate-address",
                format!(
                    "l'alias «{alias}» è già l'indirizzo di un'altra pagina o di un file del sito"
                ),
            )
            .at(line, 1)
            .hint("togli questo alias o scegline uno che il sito non usa già"),
        );
    }
    for (_, path) in site.routes.page_conflicts.iter().filter(|(p, _)| *p == i) {
        let line = page.header_line("slug").unwrap_or(1);
        out.push(
            Diagnostic::error(
                file,
                "duplicate-address",
                format!("questa pagina avrebbe l'indirizzo {path}, che il sito usa già per un'altra pagina"),
            )
            .at(line, 1)
            .hint("cambia il nome del file o della sua cartella, o scrivi uno `slug:` diverso (indirizzi come /cerca/, /servizi/, /tag/ e /municipi/ li fa il sito)"),
        );
    }
    // The page's text, read when a diagnostic needs its columns.
    let source = std::cell::OnceCell::new();
    let source = || source.get_or_init(|| page.text.get());
    for link in &site.analysis[i].links {
        // Problems with the address point at the address.
        let at = |d: Diagnostic| {
            let (column, width) = find_in_line(source(), link, &link.dest)
                .unwrap_or((link.column, link.dest.len().max(1)));
            d.at(link.line, column).width(width)
        };
        let missing = |what: &str| {
            if link.is_image {
                Diagnostic::error(
                    file,
                    "image-missing",
                    format!("l'immagine «{}» non esiste", link.dest),
                )
            } else {
                Diagnostic::error(
                    file,
                    "broken-link",
                    format!(
                        "il collegamento «{}» porta a {what} che non esiste",
                        link.dest
                    ),
                )
            }
        };
        match &link.target {
            Target::Script => out.push(at(Diagnostic::error(file, "script-link", "questo collegamento esegue un programma (`javascript:`) invece di aprire una pagina")
                .hint("togli il collegamento o scrivi l'indirizzo di una pagina"))),
            // A page whose file could not be read: its own error says why.
            Target::Missing(p) if site.unreadable.contains(&format!("content/{p}")) => {}
            Target::Absolute { url, .. }
                if site.is_unreadable_address(targets.site_path(url)) => {}
            Target::Missing(p) => {
                let hint = if link.dest.to_ascii_lowercase().starts_with("www.") {
                    format!("è un indirizzo esterno? Scrivi https:// davanti: https://{}", link.dest)
                } else {
                    format!("controlla il nome del file: cercavo content/{p}")
                };
                out.push(at(missing("una pagina").hint(hint)));
            }
            Target::Absolute { url, .. } if !targets.exists(&site.routes, url) => {
                let hint = if link.is_image {
                    "controlla il nome: scrivi il percorso del file a partire dalla pagina, per esempio `foto.jpg` per un file nella stessa cartella"
                } else {
                    "scrivi il collegamento come percorso del file .md, per esempio `../tutorial/attivare-spid.md`"
                };
                out.push(at(missing("un indirizzo del sito").hint(hint)));
            }
            Target::Internal { url, fragment } | Target::Absolute { url, fragment } => {
                if let Some(f) = fragment.as_deref().filter(|f| !f.is_empty()) {
                    if targets.has_anchor(url, f) == Some(false) {
                        out.push(at(Diagnostic::error(file, "broken-anchor", format!("nella pagina {url} non c'è il titolo «#{f}»"))
                            .hint(targets.anchor_hint(url))));
                    }
                }
            }
            Target::SamePage(f) if !f.is_empty() && targets.has_anchor(&page.path, f) == Some(false) => {
                out.push(at(Diagnostic::error(file, "broken-anchor", format!("in questa pagina non c'è il titolo «#{f}»"))
                    .hint(targets.anchor_hint(&page.path))));
            }
            Target::External => {
                if let Some(reason) = malformed(&link.dest) {
                    out.push(at(Diagnostic::warning(file, "malformed-url", format!("l'indirizzo «{}» è scritto male: {reason}", link.dest))
                        .hint("copia l'indirizzo dalla barra del browser")));
                }
            }
            _ => {}
        }
        // Problems with the text point at the bracketed text.
        let text = if !link.checks_text {
            None
        } else if link.is_image {
            alt_text(file, link)
        } else {
            link_text(file, link)
        };
        out.extend(text.map(|d| {
            let width = bracket_width(source(), link).unwrap_or(1);
            d.at(link.line, link.column).width(width)
        }));
    }
    out
}

/// The source line `line` (1-based) of `text`.
fn source_line(text: &str, line: usize) -> Option<&str> {
    text.lines().nth(line.checked_sub(1)?)
}

/// Byte offset of the 1-based character `column` in `line`.
fn byte_of(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(b, _)| b)
}

/// Column and byte width of `needle` written on the link's line, at or after
/// the link's start (None when it is written elsewhere, as in reference links).
fn find_in_line(text: &str, link: &Link, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let line = source_line(text, link.line)?;
    let from = byte_of(line, link.column);
    let found = from + line.get(from..)?.find(needle)?;
    Some((
        link.column + line[from..found].chars().count(),
        needle.len(),
    ))
}

/// Byte width of `[text]` or `![text]` at the link's start, when on one line.
fn bracket_width(text: &str, link: &Link) -> Option<usize> {
    let line = source_line(text, link.line)?;
    let from = byte_of(line, link.column);
    let rest = line.get(from..)?;
    if !rest.starts_with('[') && !rest.starts_with("![") {
        return None;
    }
    rest.find(']').map(|end| end + 1)
}

/// Why an external address is malformed, in Italian; None when it looks right.
/// Nothing is fetched.
fn malformed(dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    if let Some(addr) = lower.strip_prefix("mailto:") {
        let addr = addr.split('?').next().unwrap_or("");
        let ok = addr
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !addr.contains(char::is_whitespace);
        return (!ok)
            .then(|| "l'indirizzo e-mail deve avere la forma nome@sito.it, senza spazi".into());
    }
    if let Some(number) = lower.strip_prefix("tel:") {
        let ok = number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && number.chars().filter(char::is_ascii_digit).count() >= 3;
        return (!ok).then(|| "il numero di telefono deve avere solo cifre, spazi e il +".into());
    }
    use url::ParseError as E;
    match url::Url::parse(dest) {
        Ok(u)
            if (u.scheme() == "http" || u.scheme() == "https")
                && u.host_str()
                    .is_none_or(|h| !h.contains('.') && h != "localhost") =>
        {
            Some("il nome del sito non ha il punto (per esempio .it)".into())
        }
        Ok(_) => None,
        Err(E::EmptyHost) => Some("manca il nome del sito".into()),
        Err(E::InvalidPort) => Some("il numero dopo i due punti (la porta) non è valido".into()),
        Err(E::InvalidIpv4Address | E::InvalidIpv6Address) => {
            Some("l'indirizzo IP non è valido".into())
        }
        Err(E::RelativeUrlWithoutBase) => Some("manca l'inizio, per esempio https://".into()),
        Err(E::IdnaError | E::InvalidDomainCharacter) => {
            Some("il nome del sito contiene caratteri non ammessi (spazi o simboli)".into())
        }
        Err(_) => Some("l'indirizzo non è valido".into()),
    }
}

fn alt_text(file: &str, link: &Link) -> Option<Diagnostic> {
    let alt = link.text.trim();
    let lower = alt.to_lowercase();
    if alt.is_empty() {
        return Some(Diagnostic::error(file, "image-alt", "l'immagine non ha un testo alternativo")
            .hint("scrivi tra le parentesi quadre cosa mostra l'immagine: ![Volontari al tavolo con i cittadini](foto.jpg)"));
    }
    let looks_like_file = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
        || lower.starts_with("img_")
        || lower.starts_with("dsc");
    let generic = ["immagine", "foto", "foto di", "figura", "image", "picture"]
        .contains(&lower.as_str())
        || lower.starts_with("immagine ")
        || lower.starts_with("foto di ");
    (looks_like_file || generic).then(|| {
        Diagnostic::warning(file, "image-alt-quality", format!("il testo alternativo «{alt}» non descrive l'immagine"))
            .hint("descrivi cosa si vede e perché conta, senza «immagine di» o «foto di»: chi usa un lettore di schermo sa già che è un'immagine")
    })
}

fn link_text(file: &str, link: &Link) -> Option<Diagnostic> {
    let text = link
        .text
        .trim()
        .trim_end_matches(['.', ':', '!'])
        .to_lowercase();
    if text.is_empty() {
        return Some(
            Diagnostic::warning(file, "link-text", "il collegamento non ha testo")
                .hint("scrivi tra le parentesi quadre dove porta il collegamento"),
        );
    }
    VAGUE.contains(&text.as_str()).then(|| {
        Diagnostic::warning(file, "link-text", format!("il testo «{}» non dice dove porta il collegamento", link.text.trim()))
            .hint("scrivi dove porta, per esempio «la guida per attivare lo SPID»: chi usa un lettore di schermo ascolta i collegamenti da soli")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_addresses_are_explained_in_italian() {
        for ok in [
            "https://www.spid.gov.it/cos-e-spid",
            "http://localhost:1111/",
            "mailto:info@comune.milano.it",
            "mailto:info@comune.milano.it?subject=Aiuto",
            "tel:+39 02 0202",
            "tel:(02) 88.45",
        ] {
            assert_eq!(malformed(ok), None, "{ok}");
        }
        let reason = |dest: &str| malformed(dest).unwrap_or_else(|| panic!("{dest} passed"));
        assert!(reason("https://spid/").contains("punto"));
        assert!(reason("https://www.spid gov.it").contains("caratteri"));
        assert!(reason("https://www.spid.gov.it:porta/").contains("porta"));
        assert!(reason("https://").contains("nome del sito"));
        assert!(reason("mailto:info.comune.it").contains("nome@sito.it"));
        assert!(reason("mailto:a @b.it").contains("senza spazi"));
        assert!(reason("tel:zero due").contains("cifre"));
    }

    #[test]
    fn positions_point_at_the_address_and_the_brackets() {
        let link = |line, column, dest: &str| Link {
            dest: dest.into(),
            target: Target::External,
            text: String::new(),
            is_image: false,
            line,
            column,
            step: None,
            checks_text: true,
            in_raw_html: false,
        };
        let text = "---\ntitle: x\n---\nVedi [qui](qui.md) e [là](qui.md#sù).\n";
        // The second link: "Vedi [qui](qui.md) e " is 21 characters.
        let l = link(4, 22, "qui.md#sù");
        assert_eq!(
            find_in_line(text, &l, &l.dest),
            Some((27, "qui.md#sù".len()))
        );
        assert_eq!(bracket_width(text, &l), Some("[là]".len()));
        // Written elsewhere (a reference link): no position.
        assert_eq!(
            find_in_line(text, &link(4, 1, "altro.md"), "altro.md"),
            None
        );
        assert_eq!(find_in_line(text, &link(99, 1, "qui.md"), "qui.md"), None);
        assert_eq!(bracket_width(text, &link(4, 2, "qui.md")), None);
    }
}

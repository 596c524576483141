//! Link and image checks: every link written in a page must lead somewhere
//! (a page, a heading of a page, a file), script URLs are refused, images
//! need a text alternative, and link texts must make sense on their own.

use crate::content::markdown::{Link, Target};
use crate::diagnostics::Diagnostic;
use crate::render::views::prefix_of;
use crate::site::Site;
use std::collections::{HashMap, HashSet};

/// Every address the site will have, and the anchors of each page.
pub struct Targets {
    paths: HashSet<String>,
    anchors: HashMap<String, HashSet<String>>,
    prefix: String,
}

/// List pages made without a source file, by exact address or by prefix.
const GENERATED: &[&str] = &[
    "/",
    "/tutorial/",
    "/diario/",
    "/eventi/",
    "/eventi/archivio/",
    "/municipi/",
    "/servizi/",
    "/tag/",
    "/cerca/",
    "/eventi/calendario.ics",
    "/diario/atom.xml",
    "/tutorial/atom.xml",
    "/sitemap.xml",
];
const GENERATED_PREFIXES: &[&str] = &[
    "/tutorial/livello/",
    "/diario/pagina/",
    "/municipi/municipio-",
    "/servizi/",
    "/tag/",
];

impl Targets {
    pub fn new(site: &Site) -> Self {
        let mut paths: HashSet<String> = site.pages.iter().map(|p| p.path.clone()).collect();
        paths.extend(site.asset_paths.iter().cloned());
        let mut anchors = HashMap::new();
        for (p, r) in site.pages.iter().zip(&site.rendered) {
            let mut ids: HashSet<String> = r.headings.iter().map(|h| h.id.clone()).collect();
            ids.insert("contenuto".into());
            anchors.insert(p.path.clone(), ids);
        }
        Targets {
            paths,
            anchors,
            prefix: prefix_of(&site.config.base_url),
        }
    }

    fn exists(&self, path: &str) -> bool {
        let path = path
            .strip_prefix(&self.prefix)
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path);
        let with_slash = if path.ends_with('/') || path.contains('.') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        self.paths.contains(path)
            || self.paths.contains(&with_slash)
            || GENERATED.contains(&path)
            || GENERATED_PREFIXES
                .iter()
                .any(|p| path.starts_with(p) && path.len() > p.len())
            || path.ends_with("/stampa/")
            || path.ends_with("/locandina/")
            || path.ends_with(".ics")
    }

    fn has_anchor(&self, path: &str, id: &str) -> Option<bool> {
        let path = path
            .strip_prefix(&self.prefix)
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path);
        self.anchors.get(path).map(|ids| ids.contains(id))
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

pub fn check_page(site: &Site, targets: &Targets, i: usize) -> Vec<Diagnostic> {
    let page = &site.pages[i];
    let file = page.source.as_str();
    let mut out = Vec::new();
    for link in &site.rendered[i].links {
        let at = |d: Diagnostic| d.at(link.line, link.column).width(link.dest.len().max(1));
        match &link.target {
            Target::Script => out.push(at(Diagnostic::error(file, "script-link", "questo collegamento esegue un programma (`javascript:`) invece di aprire una pagina")
                .hint("togli il collegamento o scrivi l'indirizzo di una pagina"))),
            Target::Missing(p) => {
                if link.is_image {
                    out.push(at(Diagnostic::error(file, "image-missing", format!("l'immagine «{}» non esiste", link.dest))
                        .hint(format!("controlla il nome del file: cercavo content/{p}"))));
                } else {
                    out.push(at(Diagnostic::error(file, "broken-link", format!("il collegamento «{}» porta a una pagina che non esiste", link.dest))
                        .hint(format!("controlla il nome del file: cercavo content/{p}"))));
                }
            }
            Target::Internal { url, fragment } | Target::Absolute { url, fragment } => {
                if matches!(link.target, Target::Absolute { .. }) && !targets.exists(url) {
                    out.push(at(Diagnostic::error(file, "broken-link", format!("il collegamento «{}» porta a un indirizzo del sito che non esiste", link.dest))
                        .hint("scrivi il collegamento come percorso del file .md, per esempio `../tutorial/attivare-spid.md`")));
                } else if let Some(f) = fragment.as_deref().filter(|f| !f.is_empty()) {
                    if targets.has_anchor(url, f) == Some(false) {
                        out.push(at(Diagnostic::error(file, "broken-anchor", format!("nella pagina {url} non c'è il titolo «#{f}»"))
                            .hint("controlla il titolo: l'ancora è il titolo in minuscolo, senza accenti, con i trattini al posto degli spazi")));
                    }
                }
            }
            Target::SamePage(f) if !f.is_empty() && targets.has_anchor(&page.path, f) == Some(false) => {
                {
                    out.push(at(Diagnostic::error(file, "broken-anchor", format!("in questa pagina non c'è il titolo «#{f}»"))
                        .hint("controlla il titolo: l'ancora è il titolo in minuscolo, senza accenti, con i trattini al posto degli spazi")));
                }
            }
            Target::External => {
                if let Some(reason) = malformed(&link.dest) {
                    out.push(at(Diagnostic::warning(file, "malformed-url", format!("l'indirizzo «{}» è scritto male: {reason}", link.dest))
                        .hint("copia l'indirizzo dalla barra del browser")));
                }
            }
            _ => {}
        }
        if link.is_image {
            out.extend(alt_text(file, link));
        } else {
            out.extend(link_text(file, link));
        }
    }
    out
}

fn malformed(dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        let addr = &dest[7..];
        return (!addr.contains('@') || addr.contains(' '))
            .then(|| "manca la @ o ci sono spazi".into());
    }
    if lower.starts_with("tel:") {
        return None;
    }
    match url::Url::parse(dest) {
        Ok(u)
            if (u.scheme() == "http" || u.scheme() == "https")
                && u.host_str()
                    .is_none_or(|h| !h.contains('.') && h != "localhost") =>
        {
            Some("il nome del sito non ha il punto (per esempio .it)".into())
        }
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

fn alt_text(file: &str, link: &Link) -> Option<Diagnostic> {
    let alt = link.text.trim();
    let lower = alt.to_lowercase();
    if alt.is_empty() {
        return Some(Diagnostic::error(file, "image-alt", "l'immagine non ha un testo alternativo")
            .at(link.line, link.column)
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
            .at(link.line, link.column)
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
                .at(link.line, link.column)
                .hint("scrivi tra le parentesi quadre dove porta il collegamento"),
        );
    }
    VAGUE.contains(&text.as_str()).then(|| {
        Diagnostic::warning(file, "link-text", format!("il testo «{}» non dice dove porta il collegamento", link.text.trim()))
            .at(link.line, link.column)
            .hint("scrivi dove porta, per esempio «la guida per attivare lo SPID»: chi usa un lettore di schermo ascolta i collegamenti da soli")
    })
}

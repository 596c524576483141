//! `pillole new` and `pillole init`: new content files with their front
//! matter filled in, and new sites that build with the embedded theme.
//! Neither ever overwrites a file.

use crate::content::slug::slugify;
use crate::content::{DIARY_SECTION, EVENT_SECTION, TUTORIAL_SECTION};
use chrono::NaiveDateTime;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    Tutorial,
    Diario,
    Evento,
}

/// Writes a new content file and returns its path.
pub fn new_page(
    root: &Path,
    kind: NewKind,
    title: &str,
    now: NaiveDateTime,
) -> Result<PathBuf, String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(
            "il titolo è vuoto: scrivi per esempio pillole new tutorial \"Come attivare lo SPID\""
                .into(),
        );
    }
    if !root.join("content").is_dir() {
        return Err(format!("non trovo la cartella content/ in {}: esegui il comando dalla cartella del sito o usa --root", root.display()));
    }
    let slug = slugify(title, "pagina");
    let section = match kind {
        NewKind::Tutorial => TUTORIAL_SECTION,
        NewKind::Diario => DIARY_SECTION,
        NewKind::Evento => EVENT_SECTION,
    };
    let dir = root.join("content").join(section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(&slug).join("index.md").exists() {
        return Err(format!("il file content/{section}/{slug}.md esiste già: scegli un altro titolo o modifica quel file"));
    }
    let date = now.date();
    let quoted = yaml_string(title);
    let text = match kind {
        NewKind::Tutorial => format!(
            "---\ntitle: {quoted}\ndraft: true\nsummary: \"Una frase che dice cosa si impara.\"\ndate: {date}\nlevel: facile\nduration: \"10 minuti\"\nneeds:\n  - \"Il tuo smartphone\"\nservices: []\ntags: []\n---\n\nScrivi qui una breve introduzione.\n\n## Primo passo\n\nScrivi qui cosa fare, con frasi brevi.\n\n## Secondo passo\n\nScrivi qui cosa fare dopo.\n"
        ),
        NewKind::Diario => format!(
            "---\ntitle: {quoted}\ndraft: true\nsummary: \"Una frase che racconta la tappa.\"\ndate: {date}\nplace: \"\"\nmunicipio: 1\n# event: nome-del-file-dell-evento\n---\n\nRacconta qui com'è andata.\n"
        ),
        NewKind::Evento => {
            let day = date + chrono::Days::new(7);
            format!(
                "---\ntitle: {quoted}\ndraft: true\nsummary: \"Una frase che dice cosa si fa all'incontro.\"\nstart: {day}T09:30\nend: {day}T12:30\nplace: \"\"\naddress: \"\"\n# online: true\nmunicipio: 1\nstatus: scheduled\nbooking:\n  note: \"Ingresso libero\"\n---\n\nScrivi qui a chi è rivolto l'incontro e cosa portare.\n"
            )
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        format!(
            "non riesco a creare {}: {}",
            dir.display(),
            crate::io_reason(&e)
        )
    })?;
    write_new(&path, &text)?;
    Ok(path)
}

/// A YAML double-quoted string.
pub(crate) fn yaml_string(s: &str) -> String {
    let escaped: String = s
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

/// Creates a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            format!(
                "non riesco a creare {}: {}",
                path.display(),
                crate::io_reason(&e)
            )
        })?;
    f.write_all(text.as_bytes()).map_err(|e| {
        format!(
            "non riesco a scrivere {}: {}",
            path.display(),
            crate::io_reason(&e)
        )
    })
}

/// The accessibility statement to write (`init`, and `import` when the old
/// site had none): `check` points at its example text until it is written.
pub(crate) const ACCESSIBILITY_PAGE: &str = "---\ntitle: \"Dichiarazione di accessibilità\"\nsummary: \"Quanto è accessibile questo sito e come segnalarci un problema.\"\n---\n\nScrivi qui la dichiarazione di accessibilità del sito.\n";

/// What `site.yaml` says, as `init` writes it (and `import` with the old
/// site's title, address and language).
pub(crate) struct SiteYaml {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    /// (name, address) of each menu entry.
    pub menu: Vec<(String, String)>,
    pub contact_email: String,
    pub feedback_email: String,
    /// Heading ids as GitHub makes them (`heading_ids: github`).
    pub github_ids: bool,
}

impl Default for SiteYaml {
    fn default() -> Self {
        let menu = [
            ("Tutorial", "/tutorial/"),
            ("Diario", "/diario/"),
            ("Eventi", "/eventi/"),
            ("Chi siamo", "/chi-siamo/"),
        ];
        SiteYaml {
            title: "Pillole di digitale".into(),
            description: "Guide passo passo per usare i servizi digitali.".into(),
            base_url: "https://example.org".into(),
            language: "it".into(),
            menu: menu
                .iter()
                .map(|(n, u)| (n.to_string(), u.to_string()))
                .collect(),
            contact_email: "info@example.org".into(),
            feedback_email: "segnalazioni@example.org".into(),
            github_ids: false,
        }
    }
}

impl SiteYaml {
    pub fn to_yaml(&self) -> String {
        // Plain words stay plain, as a person writes them; anything else is quoted.
        let plain = |s: &str| {
            !s.is_empty()
                && s.chars().all(|c| c.is_alphanumeric() || c == ' ')
                && !s.starts_with(' ')
                && !s.ends_with(' ')
        };
        let word = |s: &str| {
            if plain(s) {
                s.to_string()
            } else {
                yaml_string(s)
            }
        };
        let path = |s: &str| {
            if s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-_".contains(c))
            {
                s.to_string()
            } else {
                yaml_string(s)
            }
        };
        let mut out = format!(
            "title: {}\ndescription: {}\nbase_url: {}\nlanguage: {}\n",
            yaml_string(&self.title),
            yaml_string(&self.description),
            yaml_string(&self.base_url),
            word(&self.language)
        );
        if self.menu.is_empty() {
            out.push_str("menu: []\n");
        } else {
            out.push_str("menu:\n");
            for (name, url) in &self.menu {
                out.push_str(&format!(
                    "  - {{name: {}, url: {}}}\n",
                    word(name),
                    path(url)
                ));
            }
        }
        out.push_str(&format!(
            "contacts:\n  email: {}\nfeedback:\n  email: {}\naccessibility_url: /accessibilita/\norganisers:\n  - \"La tua associazione\"\n",
            path_or_quoted(&self.contact_email),
            path_or_quoted(&self.feedback_email)
        ));
        if self.github_ids {
            out.push_str("heading_ids: github\n");
        }
        out
    }
}

/// An e-mail address, plain when it is only letters, digits and `@._-`.
fn path_or_quoted(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@._-+".contains(c))
    {
        s.to_string()
    } else {
        yaml_string(s)
    }
}

/// Creates a new site skeleton in `dir` (which may exist but must not hold a site).
pub fn init(dir: &Path) -> Result<(), String> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        return Err(format!(
            "in {} c'è già un sito (site.yaml o content/): scegli una cartella vuota",
            dir.display()
        ));
    }
    let site_yaml = SiteYaml::default().to_yaml();
    let files: &[(&str, &str)] = &[
        ("site.yaml", site_yaml.as_str()),
        ("content/_index.md", "---\ntitle: \"Pillole di digitale\"\nsummary: \"Guide semplici per usare i servizi digitali.\"\n---\n\nBenvenuta, benvenuto. Qui trovi guide brevi, passo per passo.\n"),
        ("content/chi-siamo.md", "---\ntitle: \"Chi siamo\"\nsummary: \"Chi scrive queste guide.\"\n---\n\nScrivi qui chi siete e come contattarvi.\n"),
        ("content/accessibilita.md", ACCESSIBILITY_PAGE),
        ("content/tutorial/_index.md", "---\ntitle: \"Tutorial\"\n---\n\nGuide passo per passo.\n"),
        ("content/tutorial/prima-guida.md", "---\ntitle: \"La prima guida\"\nsummary: \"Un esempio di guida da cambiare.\"\ndate: 2026-01-01\nlevel: facile\nduration: \"5 minuti\"\nneeds:\n  - \"Il tuo smartphone\"\nservices: [Smartphone]\n---\n\nQuesta è una guida di esempio.\n\n## Apri il telefono\n\nPremi il tasto di accensione.\n\n## Apri l'app\n\nTocca l'icona dell'app.\n"),
        ("content/diario/_index.md", "---\ntitle: \"Diario\"\n---\n\nLe tappe del nostro viaggio.\n"),
        ("content/eventi/_index.md", "---\ntitle: \"Eventi\"\n---\n\nI prossimi incontri.\n"),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                format!(
                    "non riesco a creare {}: {}",
                    parent.display(),
                    crate::io_reason(&e)
                )
            })?;
        }
        write_new(&path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_site_yaml_is_unchanged() {
        assert_eq!(
            SiteYaml::default().to_yaml(),
            "title: \"Pillole di digitale\"\ndescription: \"Guide passo passo per usare i servizi digitali.\"\nbase_url: \"https://example.org\"\nlanguage: it\nmenu:\n  - {name: Tutorial, url: /tutorial/}\n  - {name: Diario, url: /diario/}\n  - {name: Eventi, url: /eventi/}\n  - {name: Chi siamo, url: /chi-siamo/}\ncontacts:\n  email: info@example.org\nfeedback:\n  email: segnalazioni@example.org\naccessibility_url: /accessibilita/\norganisers:\n  - \"La tua associazione\"\n"
        );
    }

    #[test]
    fn yaml_strings_are_escaped() {
        assert_eq!(yaml_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
    }
}

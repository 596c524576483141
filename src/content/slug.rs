//! Slugs: the readable, stable pieces of a page's address and of heading ids.
//!
//! "Apri l'app IO" becomes `apri-l-app-io`: lowercase ASCII (accents taken
//! off), every run of other characters (spaces, apostrophes, punctuation)
//! one `-`, so the words stay apart as they are in the text. A slug is never empty and never
//! holds `/`, `\`, `.` or control characters.

/// Makes a slug from any text; `fallback` is used when nothing is left.
pub fn slugify(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        let ascii: String = if c.is_ascii() {
            c.to_string()
        } else {
            deunicode::deunicode_char(c).unwrap_or("").to_string()
        };
        for a in ascii.chars() {
            if a.is_ascii_alphanumeric() {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(a.to_ascii_lowercase());
            } else {
                dash = true;
            }
        }
        if out.len() > 80 {
            break;
        }
    }
    if out.len() > 80 {
        out.truncate(80);
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// Checks a slug written by hand in front matter. Returns the reason it is
/// refused, in Italian.
pub fn validate(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("lo slug è vuoto".into());
    }
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        return Err(format!("lo slug «{slug}» contiene `/`, `\\` o `..`"));
    }
    if slug.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "lo slug «{slug}» contiene spazi o caratteri di controllo"
        ));
    }
    if slug.starts_with('.') {
        return Err(format!("lo slug «{slug}» inizia con un punto"));
    }
    if slugify(slug, "") != slug {
        return Err(format!(
            "lo slug «{slug}» deve avere solo lettere minuscole senza accenti, cifre e trattini (per esempio «{}»)",
            slugify(slug, "pagina")
        ));
    }
    Ok(())
}

/// Checks an alias (an old address of a page, written in front matter).
/// Returns the reason it is refused, in Italian.
pub fn validate_alias(alias: &str) -> Result<(), String> {
    let trimmed = alias.trim_matches('/');
    if trimmed.is_empty() {
        return Err(format!(
            "l'alias «{alias}» è vuoto o è la pagina principale"
        ));
    }
    if trimmed
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
    {
        return Err(format!(
            "l'alias «{alias}» contiene `//`, `.` o `..` come parte dell'indirizzo"
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '\\' | '?' | '#'))
    {
        return Err(format!(
            "l'alias «{alias}» contiene spazi, `\\`, `?`, `#` o caratteri di controllo"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_titles() {
        assert_eq!(slugify("Apri l'app IO", "x"), "apri-l-app-io");
        assert_eq!(
            slugify("Come attivare lo SPID", "x"),
            "come-attivare-lo-spid"
        );
        assert_eq!(
            slugify("Carta d’identità elettronica", "x"),
            "carta-d-identita-elettronica"
        );
        assert_eq!(slugify("Perché? Così!", "x"), "perche-cosi");
        assert_eq!(slugify("  --  ", "pagina"), "pagina");
        assert_eq!(slugify("../../etc/passwd", "x"), "etc-passwd");
        assert_eq!(slugify("日本語", "x"), "ri-ben-yu");
    }

    #[test]
    fn hand_written_slugs_are_checked() {
        assert!(validate("ok-slug-1").is_ok());
        assert!(validate("../x").is_err());
        assert!(validate("a/b").is_err());
        assert!(validate("A B").is_err());
        assert!(validate("").is_err());
        assert!(validate("città").is_err());
    }

    #[test]
    fn aliases_stay_inside_the_site() {
        assert!(validate_alias("/vecchia-pagina/").is_ok());
        assert!(validate_alias("guide/spid.html").is_ok());
        for bad in [
            "/",
            "",
            "../x",
            "a/../../b",
            "a\\b",
            "a//b",
            "./a",
            "a b",
            "a?b",
            "a\u{0}",
        ] {
            assert!(validate_alias(bad).is_err(), "{bad:?}");
        }
    }
}

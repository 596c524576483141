//! HTML escaping for what render writes outside the templates' own
//! autoescape (code, feed entries, a QR code's label) and for the templates
//! themselves: each escaper names the characters it replaces, and all of
//! them copy the runs between those characters whole.

/// Writes `input` into `out`, each byte `entity` names replaced by its
/// entity. Only ASCII bytes may be named: they are always a character
/// boundary, so the runs between them are whole characters.
fn escape_into(input: &str, out: &mut String, entity: fn(u8) -> Option<&'static str>) {
    let mut copied = 0;
    for (i, b) in input.bytes().enumerate() {
        if let Some(e) = entity(b) {
            out.push_str(&input[copied..i]);
            out.push_str(e);
            copied = i + 1;
        }
    }
    out.push_str(&input[copied..]);
}

fn escaped(input: &str, entity: fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_into(input, &mut out, entity);
    out
}

fn text_entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    }
}

/// Text inside an element: `&`, `<` and `>`.
pub fn text(input: &str) -> String {
    escaped(input, text_entity)
}

/// [`text`], written into `out`.
pub fn text_into(input: &str, out: &mut String) {
    escape_into(input, out, text_entity);
}

/// A double-quoted attribute's value: [`text`]'s characters and `"`.
pub fn attribute(input: &str) -> String {
    escaped(input, |b| match b {
        b'"' => Some("&quot;"),
        b => text_entity(b),
    })
}

/// Tera's HTML escaping, the same six characters (`/` included, so pages
/// stay byte for byte what Tera's own `escape_html` made); every value a
/// template shows goes through it.
pub fn tera(input: &str) -> String {
    escaped(input, |b| match b {
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        b'/' => Some("&#x2F;"),
        b => text_entity(b),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn escaping_is_teras() {
        for s in [
            "",
            "Città & <b>dintorni</b>",
            "l'app \"IO\" su https://io.italia.it/",
            "/&<>\"'",
            "nessun segno",
            "è/é",
        ] {
            assert_eq!(super::tera(s), tera::escape_html(s), "{s:?}");
        }
    }

    #[test]
    fn text_and_attributes_replace_their_characters_only() {
        assert_eq!(
            super::text("a & <b> \"c\" 'd' /"),
            "a &amp; &lt;b&gt; \"c\" 'd' /"
        );
        assert_eq!(
            super::attribute("a & <b> \"c\" 'd' /"),
            "a &amp; &lt;b&gt; &quot;c&quot; 'd' /"
        );
        let mut out = String::from("già: ");
        super::text_into("è<é", &mut out);
        assert_eq!(out, "già: è&lt;é");
    }

    proptest! {
        #[test]
        fn escaping_is_teras_on_any_text(s in any::<String>(), t in "[a-z&<>\"'/ àè]{0,40}") {
            prop_assert_eq!(super::tera(&s), tera::escape_html(&s));
            prop_assert_eq!(super::tera(&t), tera::escape_html(&t));
            // The narrower escapers agree with replacing character by character.
            let by_replace = t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            prop_assert_eq!(super::text(&t), by_replace.clone());
            prop_assert_eq!(super::attribute(&t), by_replace.replace('"', "&quot;"));
        }
    }
}

//! HTML escaping for what render writes outside the templates' own
//! autoescape (code, feed entries, a QR code's label) and for the templates
//! themselves: each escaper names the characters it replaces, and all of
//! them copy the runs between those characters whole.

/// Writes `input` into `out`, each byte `entity` names replaced by its
/// entity. Only ASCII bytes may be named: they are always a character
/// boundary, so the runs between them are whole characters.
fn escape_into(input: &str, out: &mut String, entity: fn(u8) -> Option<&'static str>) {
    for_each_run(input, entity, |run| out.push_str(run));
}

/// Calls `push` with the runs of `input` between the bytes `entity` names
/// and with those bytes' entities, in order.
fn for_each_run(input: &str, entity: fn(u8) -> Option<&'static str>, mut push: impl FnMut(&str)) {
    let mut copied = 0;
    for (i, b) in input.bytes().enumerate() {
        if let Some(e) = entity(b) {
            push(&input[copied..i]);
            push(e);
            copied = i + 1;
        }
    }
    push(&input[copied..]);
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

fn tera_entity(b: u8) -> Option<&'static str> {
    match b {
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        b => text_entity(b),
    }
}

/// The templates' HTML escaping: five characters, both quotes included,
/// so a value is safe in text and in any quoted attribute (`/` is left
/// as it is: it ends nothing in HTML); every value a template shows goes
/// through it (set with `Tera::set_escape_fn`).
pub fn tera(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    for_each_run(input, tera_entity, |run| {
        if result.is_ok() && !run.is_empty() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// [`super::tera`] into a string.
    fn tera(s: &str) -> String {
        let mut out = Vec::new();
        super::tera(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The five characters replaced one at a time.
    fn by_replace(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
    }

    #[test]
    fn templates_escape_five_characters() {
        for s in [
            "",
            "Città & <b>dintorni</b>",
            "l'app \"IO\" su https://io.italia.it/",
            "/&<>\"'",
            "nessun segno",
            "è/é",
        ] {
            assert_eq!(tera(s), by_replace(s), "{s:?}");
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
        fn escaping_replaces_its_characters_on_any_text(s in any::<String>(), t in "[a-z&<>\"'/ àè]{0,40}") {
            prop_assert_eq!(tera(&s), by_replace(&s));
            prop_assert_eq!(tera(&t), by_replace(&t));
            // The narrower escapers agree with replacing character by character.
            let narrow = t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            prop_assert_eq!(super::text(&t), narrow.clone());
            prop_assert_eq!(super::attribute(&t), narrow.replace('"', "&quot;"));
        }
    }
}

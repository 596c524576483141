//! Reading the tags of HTML written by hand in a body: their names,
//! attributes and where each value sits, without building a tree. Markdown
//! uses it to find the links and pictures of raw HTML (to check and
//! rewrite them like Markdown ones); the sanitiser uses it on its own
//! output to drop what no longer makes sense and to wrap tables.

use std::borrow::Cow;
use std::ops::Range;

/// One tag: `<a href="x">` or `</a>`.
#[derive(Debug)]
pub struct Tag<'a> {
    /// Lowercase.
    pub name: String,
    pub close: bool,
    pub attrs: Vec<Attr<'a>>,
    /// The whole tag, `<` to `>`.
    pub range: Range<usize>,
}

#[derive(Debug)]
pub struct Attr<'a> {
    /// Lowercase.
    pub name: String,
    /// The value with the common entities decoded (empty when there is none).
    pub value: Cow<'a, str>,
    /// Where the value is written, quotes excluded (None without a value).
    pub value_range: Option<Range<usize>>,
}

impl Tag<'_> {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_ref())
    }

    pub fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|a| a.name == name)
    }
}

/// The tags of `html`, in order; comments, doctypes and text are skipped.
/// A tag cut off before its `>` ends the list.
pub fn tags(html: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let start = at + html.get(at..)?.find('<')?;
        let rest = &html[start + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            at = comment
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        let (close, name_at) = match rest.strip_prefix('/') {
            Some(_) => (true, start + 2),
            None => (false, start + 1),
        };
        let name_len = html[name_at..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !html.as_bytes()[name_at].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = html[name_at..name_at + name_len].to_ascii_lowercase();
        let (attrs, end) = attributes(html, name_at + name_len)?;
        at = end;
        return Some(Tag {
            name,
            close,
            attrs,
            range: start..end,
        });
    })
}

/// The attributes from `from` to the tag's `>`, and the offset just past it.
fn attributes(html: &str, from: usize) -> Option<(Vec<Attr<'_>>, usize)> {
    let bytes = html.as_bytes();
    let mut i = from;
    let mut attrs = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some((attrs, i + 1)),
            _ => {
                let name_start = i;
                while i < bytes.len() && !b" \t\n\r\x0c/>=".contains(&bytes[i]) {
                    i += 1;
                }
                let name = html[name_start..i].to_ascii_lowercase();
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let mut value_range = None;
                if bytes.get(i) == Some(&b'=') {
                    i += 1;
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    let range = match bytes.get(i)? {
                        q @ (b'"' | b'\'') => {
                            let end = i + 1 + html[i + 1..].find(*q as char)?;
                            let r = i + 1..end;
                            i = end + 1;
                            r
                        }
                        _ => {
                            let s = i;
                            while i < bytes.len() && !b" \t\n\r\x0c>".contains(&bytes[i]) {
                                i += 1;
                            }
                            s..i
                        }
                    };
                    value_range = Some(range);
                }
                let value = value_range
                    .clone()
                    .map_or(Cow::Borrowed(""), |r| decode(&html[r]));
                if !name.is_empty() {
                    attrs.push(Attr {
                        name,
                        value,
                        value_range,
                    });
                }
            }
        }
    }
}

/// The entities attribute values usually hold.
fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// A value written back into a double-quoted attribute.
pub fn escape_value(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

/// The text of `html` with its tags taken out (for a link's words).
pub fn text_of(html: &str) -> String {
    let mut html = Cow::Borrowed(html);
    while let Some(start) = html.find("<!--") {
        let end = html[start..]
            .find("-->")
            .map_or(html.len(), |e| start + e + 3);
        html.to_mut().replace_range(start..end, "");
    }
    let html = html.as_ref();
    let mut out = String::new();
    let mut at = 0;
    for tag in tags(html) {
        out.push_str(&html[at..tag.range.start]);
        at = tag.range.end;
    }
    out.push_str(&html[at.min(html.len())..]);
    out.replace("&amp;", "&").replace("&nbsp;", " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_attributes_and_where_values_are() {
        let html = r#"<p>Vai <A HREF='spid.md#passo' class=x>qui</a><!-- <a href="no"> --><img src=foto.jpg alt="Un &quot;tavolo&quot;" hidden></p>"#;
        let tags: Vec<Tag> = tags(html).collect();
        let names: Vec<(&str, bool)> = tags.iter().map(|t| (t.name.as_str(), t.close)).collect();
        assert_eq!(
            names,
            [
                ("p", false),
                ("a", false),
                ("a", true),
                ("img", false),
                ("p", true)
            ]
        );
        let a = &tags[1];
        assert_eq!(a.attr("href"), Some("spid.md#passo"));
        assert_eq!(
            &html[a.attrs[0].value_range.clone().unwrap()],
            "spid.md#passo"
        );
        let img = &tags[3];
        assert_eq!(img.attr("src"), Some("foto.jpg"));
        assert_eq!(img.attr("alt"), Some("Un \"tavolo\""));
        assert!(img.has("hidden") && img.attr("hidden") == Some(""));
        assert_eq!(text_of(html), "Vai qui");
    }

    #[test]
    fn text_and_cut_tags_are_not_tags() {
        assert_eq!(tags("a < b e 3<4").count(), 0);
        assert_eq!(tags("<a href=\"x").count(), 0);
        assert_eq!(tags("<br/><br />").count(), 2);
    }
}

//! Markdown fixes after the template syntax is gone, read with
//! pulldown-cmark as pillole reads it: the title taken from the first `#`
//! heading, the other headings moved one level down (in pillole `#` is the
//! page's title), images without a text alternative given a visible
//! placeholder, and links to old files or old addresses written as
//! relative paths to the new `.md` files (which pillole rewrites and checks).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::ops::Range;

/// Text put where an image had no text alternative.
pub const NO_ALT: &str = "Immagine senza descrizione";

struct Edit {
    range: Range<usize>,
    text: String,
}

fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.range.start < at {
            continue;
        }
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.text);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, crate::content::markdown::options())
}

struct Heading {
    level: usize,
    range: Range<usize>,
    text: String,
}

fn headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut current: Option<Heading> = None;
    for (e, r) in parser(text).into_offset_iter() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(Heading {
                    level: level_number(level),
                    range: r,
                    text: String::new(),
                })
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut current {
                    h.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn level_number(l: HeadingLevel) -> usize {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// What [`title_and_headings`] did.
pub struct Titled {
    pub body: String,
    /// The first `#` heading's text, when it was taken as the title.
    pub title: Option<String>,
    /// Whether any heading changed level.
    pub relevelled: bool,
}

/// Takes the first `#` heading as the title when `take` is set, or drops
/// it when it repeats `title`; then gives the other headings levels that
/// start at 2 under the page's title and never skip one, keeping their
/// order of nesting (`#`, `##` become 2, 3; `###`, `#####` become 2, 3).
pub fn title_and_headings(text: &str, take: bool, title: Option<&str>) -> Titled {
    let list = headings(text);
    let mut edits = Vec::new();
    let mut taken = None;
    let first_h1 = list.iter().position(|h| h.level == 1);
    let mut removed = None;
    if let Some(k) = first_h1 {
        let h = &list[k];
        let same = title.is_some_and(|t| t.trim() == h.text.trim());
        if take || same {
            if take {
                taken = Some(h.text.trim().to_string());
            }
            edits.push(Edit {
                range: h.range.clone(),
                text: String::new(),
            });
            removed = Some(k);
        }
    }
    // (level written, level given) of the headings still open above.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut relevelled = false;
    for (k, h) in list.iter().enumerate() {
        if Some(k) == removed {
            continue;
        }
        while open.last().is_some_and(|&(written, _)| written >= h.level) {
            open.pop();
        }
        let level = (open.last().map_or(2, |&(_, given)| given + 1)).min(6);
        open.push((h.level, level));
        if level == h.level {
            continue;
        }
        relevelled = true;
        let source = &text[h.range.clone()];
        let hashes = source
            .find('#')
            .filter(|i| source[..*i].trim().is_empty())
            .map(|i| (i, source[i..].chars().take_while(|&c| c == '#').count()));
        match hashes {
            Some((at, n)) => edits.push(Edit {
                range: h.range.start + at..h.range.start + at + n,
                text: "#".repeat(level),
            }),
            // A setext heading (underlined): written as an ATX one.
            None => edits.push(Edit {
                range: h.range.clone(),
                text: format!("{} {}\n", "#".repeat(level), h.text.trim()),
            }),
        }
    }
    Titled {
        body: apply(text, edits),
        title: taken,
        relevelled,
    }
}

/// Gives images without a text alternative a placeholder; returns the
/// body and how many there were.
pub fn fill_alts(text: &str) -> (String, usize) {
    let mut edits = Vec::new();
    let mut open: Option<(Range<usize>, bool)> = None;
    for (e, r) in parser(text).into_offset_iter() {
        match e {
            Event::Start(Tag::Image { .. }) => open = Some((r, false)),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(o) = &mut open {
                    o.1 = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((r, false)) = open.take() {
                    if text[r.clone()].starts_with("![]") {
                        edits.push(Edit {
                            range: r.start + 2..r.start + 2,
                            text: NO_ALT.into(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let n = edits.len();
    (apply(text, edits), n)
}

/// Rewrites link and image destinations with `rewrite` (given the
/// destination and the link's text as plain words, empty for a reference
/// definition; it returns the new destination, or None to leave it);
/// returns the body and how many were rewritten.
pub fn rewrite_links(
    text: &str,
    rewrite: &dyn Fn(&str, &str) -> Option<String>,
) -> (String, usize) {
    let mut edits = Vec::new();
    let mut p = parser(text).into_offset_iter();
    // The link being read: its destination, where it starts, its text.
    let mut open: Option<(String, usize, String)> = None;
    for (e, r) in p.by_ref() {
        match e {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if open.is_none() =>
            {
                open = Some((dest_url.to_string(), r.start, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, words)) = &mut open {
                    words.push_str(&t);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                edits.extend(raw_html_links(&text[r.clone()], rewrite).map(|mut e| {
                    e.range = r.start + e.range.start..r.start + e.range.end;
                    e
                }));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                let Some((dest, start, words)) = open.take() else {
                    continue;
                };
                let Some(new) = rewrite(&dest, &words) else {
                    continue;
                };
                let source = &text[start..r.end];
                // The destination as written, after the link's `](`.
                if let Some(at) = source.rfind(&format!("]({dest}")).map(|i| i + 2) {
                    let start = start + at;
                    edits.push(Edit {
                        range: start..start + dest.len(),
                        text: new,
                    });
                } else if let Some(at) = source.rfind(&format!("](<{dest}>")).map(|i| i + 2) {
                    let start = start + at;
                    edits.push(Edit {
                        range: start..start + dest.len() + 2,
                        text: new,
                    });
                }
            }
            _ => {}
        }
    }
    for (_, def) in p.reference_definitions().iter() {
        let dest = def.dest.to_string();
        let Some(new) = rewrite(&dest, "") else {
            continue;
        };
        let source = &text[def.span.clone()];
        if let Some(at) = source.find(&dest) {
            let start = def.span.start + at;
            edits.push(Edit {
                range: start..start + dest.len(),
                text: new,
            });
        }
    }
    let n = edits.len();
    (apply(text, edits), n)
}

/// The edits `rewrite` makes to the links (`<a href>`) and pictures
/// (`<img src>`) of raw HTML, positioned in `html`.
fn raw_html_links<'a>(
    html: &'a str,
    rewrite: &'a dyn Fn(&str, &str) -> Option<String>,
) -> impl Iterator<Item = Edit> + 'a {
    crate::raw_html::tags(html)
        .filter(|t| !t.close)
        .filter_map(move |tag| {
            let wanted = match tag.name.as_str() {
                "a" => "href",
                "img" => "src",
                _ => return None,
            };
            let attr = tag.attrs.iter().find(|a| a.name == wanted)?;
            let range = attr.value_range.clone()?;
            let new = rewrite(&attr.value, "")?;
            Some(Edit {
                range,
                text: crate::raw_html::escape_value(&new),
            })
        })
}

/// Runs of empty lines outside code made one, and the end made one newline
/// (conversions leave room around the blocks they write).
pub fn tidy(text: &str) -> String {
    let code = super::shortcodes::code_ranges(text);
    let mut next_code = 0;
    let mut out = String::with_capacity(text.len());
    let mut newlines = 0;
    for (i, c) in text.char_indices() {
        while code.get(next_code).is_some_and(|r| r.end <= i) {
            next_code += 1;
        }
        let in_code = code.get(next_code).is_some_and(|r| r.start <= i);
        if c == '\n' && !in_code {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        out.push(c);
    }
    format!("{}\n", out.trim_start_matches('\n').trim_end())
}

/// `to` (a path under content/) relative to the folder `from_dir`.
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_taken_and_headings_relevelled() {
        let t = title_and_headings(
            "# Titolo\n\nTesto.\n\n# Parte\n\n## Sotto\n\nAltro\n=====\n",
            true,
            None,
        );
        assert_eq!(t.title.as_deref(), Some("Titolo"));
        assert!(t.relevelled);
        assert_eq!(t.body, "\nTesto.\n\n## Parte\n\n### Sotto\n\n## Altro\n");
        let t = title_and_headings("# Uguale\n\n## A\n", false, Some("Uguale"));
        assert_eq!(t.body, "\n## A\n");
        assert!(!t.relevelled);
        // Levels skipped in the source are closed, nesting kept.
        let t = title_and_headings(
            "### Primo\n\n##### Dentro\n\n###### Sotto\n\n### Secondo {#due}\n\n## Terzo\n",
            false,
            None,
        );
        assert!(t.relevelled);
        assert_eq!(
            t.body,
            "## Primo\n\n### Dentro\n\n#### Sotto\n\n## Secondo {#due}\n\n## Terzo\n"
        );
        let t = title_and_headings("```\n# no\n```\n", true, None);
        assert_eq!(t.title, None);
    }

    #[test]
    fn empty_alts_are_filled() {
        let (b, n) = fill_alts("![](a.png) ![ok](b.png)\n");
        assert_eq!(n, 1);
        assert_eq!(b, format!("![{NO_ALT}](a.png) ![ok](b.png)\n"));
    }

    #[test]
    fn links_of_raw_html_are_rewritten_but_not_in_code() {
        let (b, n) = rewrite_links(
            "<div><a class=\"btn\" href=\"/old.html?a=1&amp;b=2\">Vai</a></div>\n\n\
             Testo <img alt='x' src='/old.html'> e `<a href=\"/old.html\">`.\n\n\
             ```\n<a href=\"/old.html\">\n```\n",
            &|d, _| {
                d.starts_with("/old.html")
                    .then(|| d.replace("/old.html", "nuovo.md"))
            },
        );
        assert_eq!(n, 2);
        assert_eq!(
            b,
            "<div><a class=\"btn\" href=\"nuovo.md?a=1&amp;b=2\">Vai</a></div>\n\n\
             Testo <img alt='x' src='nuovo.md'> e `<a href=\"/old.html\">`.\n\n\
             ```\n<a href=\"/old.html\">\n```\n"
        );
    }

    #[test]
    fn links_are_rewritten_inline_and_by_reference() {
        let (b, n) = rewrite_links(
            "[a](/old.html#x) [b][r] `[c](/old.html)`\n\n[r]: /old.html\n",
            &|d, _| {
                d.starts_with("/old.html")
                    .then(|| d.replace("/old.html", "nuovo.md"))
            },
        );
        assert_eq!(n, 2);
        assert_eq!(
            b,
            "[a](nuovo.md#x) [b][r] `[c](/old.html)`\n\n[r]: nuovo.md\n"
        );
    }

    #[test]
    fn empty_lines_are_collapsed_outside_code() {
        assert_eq!(
            tidy("\n\na\n\n\n\nb\n```\nx\n\n\n\ny\n```\n\n"),
            "a\n\nb\n```\nx\n\n\n\ny\n```\n"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("posts", "guide/a.md"), "../guide/a.md");
        assert_eq!(relative_path("", "a.md"), "a.md");
        assert_eq!(relative_path("a/b", "a/c.md"), "../c.md");
    }
}

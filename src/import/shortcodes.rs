//! Template syntax in bodies: Hugo shortcodes (`{{< x >}}`, `{{% x %}}`),
//! Liquid tags and output (`{% x %}`, `{{ x }}`), Zola shortcodes
//! (`{{ f() }}`, `{% f() %}…{% end %}`), mdBook's `{{#include}}`, kramdown
//! attribute lines and GitHub's `> [!NOTE]`.
//!
//! One pass over the original body finds each tag outside code (found with
//! pulldown-cmark, as pillole reads Markdown) and gives it to [`dispatch`]:
//! those with a pillole equivalent become Markdown (`blocks` writes it);
//! the others lose their syntax, keep their inner content and are reported
//! at their source line. Code blocks and inline code are copied as they
//! are: documentation shows template code there on purpose.

use super::blocks::{self, Label};
use super::layout::Layout;
use super::report::Conversion;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// How links written with a generator's syntax find their page.
pub trait Links {
    /// A document named by a path (Hugo's `ref`, Zola's `@/`, Jekyll's
    /// `link`): the relative path from this page to its new file.
    fn document(&self, written: &str) -> Option<String>;
    /// A Jekyll post by its file name without extension (`post_url`).
    fn post(&self, name: &str) -> Option<String>;
    /// mdBook's `{{#include}}`: the text of a file next to this page.
    fn include(&self, path: &str) -> Result<String, String>;
}

/// A body to convert.
pub struct Body<'a> {
    pub layout: Layout,
    pub text: &'a str,
    /// 1-based line of the source file where the body starts.
    pub first_line: usize,
    pub links: &'a dyn Links,
}

/// A converted body and what was done to it.
#[derive(Debug, Default)]
pub struct Converted {
    pub text: String,
    pub counts: BTreeMap<Conversion, usize>,
    /// What a person must look at, with its 1-based line in the source file.
    pub to_check: Vec<(String, usize)>,
}

/// Converts the template syntax of a body.
pub fn convert(body: &Body) -> Converted {
    let mut s = Scanner {
        body,
        code: code_ranges(body.text),
        lines: line_starts(body.text),
        out: Converted::default(),
        captures: HashMap::new(),
    };
    let text = s.convert(0..body.text.len());
    let mut out = s.out;
    out.text = text;
    out
}

/// Byte ranges of code blocks and inline code.
pub fn code_ranges(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut ranges: Vec<Range<usize>> = Parser::new_ext(text, crate::content::markdown::options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Some(r),
            _ => None,
        })
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The arguments of a tag: named (`src="x"`) and positional (`"x"`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args(pub Vec<(Option<String>, String)>);

impl Args {
    /// The first named argument among `keys` that is not empty.
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(n, v)| n.as_deref() == Some(k) && !v.trim().is_empty())
                .map(|(_, v)| v.as_str())
        })
    }

    /// The `n`th positional argument.
    pub fn pos(&self, n: usize) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k.is_none())
            .nth(n)
            .map(|(_, v)| v.as_str())
    }

    /// A named argument, else the first positional one.
    pub fn named_or_first(&self, keys: &[&str]) -> Option<&str> {
        self.get(keys).or_else(|| self.pos(0))
    }
}

/// Reads `key="value" key=value "positional" positional`, also with commas
/// (Zola's `f(a=1, b="x")`).
pub fn parse_args(s: &str) -> Args {
    let mut args = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let (first, after) = value(rest);
        let after_t = after.trim_start();
        if let (Some(v), false) = (after_t.strip_prefix('='), quoted(rest)) {
            let (val, after) = value(v.trim_start());
            args.push((Some(first), val));
            rest = after;
        } else {
            args.push((None, first));
            rest = after;
        }
    }
    Args(args)
}

fn quoted(s: &str) -> bool {
    s.starts_with(['"', '\'', '`'])
}

/// One value: quoted (with `\"` escapes) or bare up to a space, comma or `=`.
fn value(s: &str) -> (String, &str) {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, q)) if quoted(s) => {
            let mut out = String::new();
            let mut escaped = false;
            for (i, c) in chars {
                if escaped {
                    out.push(c);
                    escaped = false;
                } else if c == '\\' && q != '`' {
                    escaped = true;
                } else if c == q {
                    return (out, &s[i + 1..]);
                } else {
                    out.push(c);
                }
            }
            (out, "")
        }
        _ => {
            let end = s
                .find(|c: char| c.is_whitespace() || c == ',' || c == '=')
                .unwrap_or(s.len());
            (s[..end].to_string(), &s[end..])
        }
    }
}

/// A tag found in a body.
#[derive(Clone, Debug, PartialEq)]
enum Tag {
    /// `{{< name args >}}`, `{{% name %}}`, `{{< /name >}}`.
    Hugo {
        name: String,
        args: Args,
        closing: bool,
    },
    /// `{{</* x */>}}`: a shortcode shown as text.
    HugoEscaped(String),
    /// `{% name rest %}`.
    Liquid { name: String, rest: String },
    /// `{% name(args) %}`: a Zola shortcode with a body.
    ZolaBody { name: String, args: Args },
    /// `{% end %}`.
    ZolaEnd,
    /// `{{ name(args) }}`.
    ZolaInline { name: String, args: Args },
    /// `{{ expression }}`.
    Output(String),
    /// `{{#include path}}`.
    MdBook { directive: String, arg: String },
}

/// How far a tag's closing delimiter is looked for.
const TAG_MAX: usize = 4096;

/// A name followed by `(…)`: Zola's call syntax.
fn call(inner: &str) -> Option<(String, Args)> {
    let open = inner.find('(')?;
    let name = inner[..open].trim();
    let valid = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let args = inner[open + 1..].trim_end().strip_suffix(')')?;
    valid.then(|| (name.to_string(), parse_args(args)))
}

/// The tag starting at `i` and where it ends.
fn tag_at(text: &str, i: usize, end: usize) -> Option<(usize, Tag)> {
    let rest = &text[i..end];
    let window = |from: usize, close: &str| -> Option<(usize, usize)> {
        // A tag is looked for in a window of the text that ends on a
        // character boundary (a box-drawing line may follow it).
        let mut limit = (from + TAG_MAX).min(rest.len());
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let at = rest.get(from..limit).and_then(|w| w.find(close))?;
        Some((from + at, from + at + close.len()))
    };
    if rest.starts_with("{{</*") || rest.starts_with("{{%/*") {
        let close = if rest.starts_with("{{<") {
            "*/>}}"
        } else {
            "*/%}}"
        };
        let (a, b) = window(5, close)?;
        let delim = if rest.starts_with("{{<") {
            ('<', '>')
        } else {
            ('%', '%')
        };
        let shown = format!("{{{{{} {} {}}}}}", delim.0, rest[5..a].trim(), delim.1);
        return Some((i + b, Tag::HugoEscaped(shown)));
    }
    if rest.starts_with("{{<") || rest.starts_with("{{%") {
        let close = if rest.starts_with("{{<") {
            ">}}"
        } else {
            "%}}"
        };
        let (a, b) = window(3, close)?;
        let inner = rest[3..a].trim().trim_end_matches('/').trim();
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(r) => (true, r.trim()),
            None => (false, inner),
        };
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        return Some((
            i + b,
            Tag::Hugo {
                name: inner[..name_end].to_string(),
                args: parse_args(&inner[name_end..]),
                closing,
            },
        ));
    }
    if let Some(r) = rest.strip_prefix("{{#") {
        let (a, b) = window(3, "}}")?;
        let inner = r[..a - 3].trim();
        let (directive, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        return Some((
            i + b,
            Tag::MdBook {
                directive: directive.to_string(),
                arg: arg.trim().to_string(),
            },
        ));
    }
    if rest.starts_with("{{") {
        let (a, b) = window(2, "}}")?;
        let inner = rest[2..a].trim().trim_matches('-').trim();
        if inner.is_empty() {
            return None;
        }
        let tag = match call(inner) {
            Some((name, args)) => Tag::ZolaInline { name, args },
            None => Tag::Output(inner.to_string()),
        };
        return Some((i + b, tag));
    }
    if rest.starts_with("{%") {
        let (a, b) = window(2, "%}")?;
        let inner = rest[2..a].trim().trim_matches('-').trim();
        if inner == "end" {
            return Some((i + b, Tag::ZolaEnd));
        }
        if let Some((name, args)) = call(inner) {
            return Some((i + b, Tag::ZolaBody { name, args }));
        }
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        return Some((
            i + b,
            Tag::Liquid {
                name: inner[..name_end].to_string(),
                rest: inner[name_end..].trim().to_string(),
            },
        ));
    }
    None
}

struct Scanner<'a> {
    body: &'a Body<'a>,
    code: Vec<Range<usize>>,
    lines: Vec<usize>,
    out: Converted,
    /// Liquid's `{% capture name %}` blocks read so far, by name.
    captures: HashMap<String, Range<usize>>,
}

impl Scanner<'_> {
    /// The source line of a byte of the body.
    fn line(&self, at: usize) -> usize {
        self.body.first_line + self.lines.partition_point(|&s| s <= at) - 1
    }

    fn count(&mut self, c: Conversion) {
        *self.out.counts.entry(c).or_default() += 1;
    }

    fn report(&mut self, what: String, at: usize) {
        let line = self.line(at);
        self.out.to_check.push((what, line));
    }

    /// The code range holding `at`, if any.
    fn code_at(&self, at: usize) -> Option<Range<usize>> {
        let k = self.code.partition_point(|r| r.end <= at);
        self.code.get(k).filter(|r| r.start <= at).cloned()
    }

    /// The closing tag matching an opening one, outside code: where it
    /// starts and ends. Opening tags of the same kind nest.
    fn closer(
        &self,
        from: usize,
        end: usize,
        opens: impl Fn(&Tag) -> bool,
        closes: impl Fn(&Tag) -> bool,
    ) -> Option<(usize, usize)> {
        let text = self.body.text;
        let mut depth = 0usize;
        let mut i = from;
        while i < end {
            if let Some(r) = self.code_at(i) {
                i = r.end.max(i + 1);
                continue;
            }
            let Some(rel) = text[i..end].find('{') else {
                break;
            };
            i += rel;
            if let Some(r) = self.code_at(i) {
                i = r.end.max(i + 1);
                continue;
            }
            match tag_at(text, i, end) {
                Some((next, tag)) => {
                    if closes(&tag) {
                        if depth == 0 {
                            return Some((i, next));
                        }
                        depth -= 1;
                    } else if opens(&tag) {
                        depth += 1;
                    }
                    i = next;
                }
                None => i += 1,
            }
        }
        None
    }

    /// Converts `range` of the body.
    fn convert(&mut self, range: Range<usize>) -> String {
        let text = self.body.text;
        let mut out = String::with_capacity(range.len());
        let mut i = range.start;
        while i < range.end {
            if let Some(r) = self.code_at(i) {
                let stop = r.end.min(range.end);
                out.push_str(&self.code_text(i..stop));
                i = stop;
                continue;
            }
            let at_line_start = i == 0 || text.as_bytes()[i - 1] == b'\n';
            if at_line_start {
                if let Some(next) = self.line_rule(i, range.end, &mut out) {
                    i = next;
                    continue;
                }
            }
            let rest = &text[i..range.end];
            if rest.starts_with('{') {
                if let Some((next, tag)) = tag_at(text, i, range.end) {
                    i = self.dispatch(i, next, tag, range.end, &mut out);
                    continue;
                }
                if let Some(next) = blocks::kramdown_span(rest) {
                    self.count(Conversion::Kramdown);
                    i += next;
                    continue;
                }
            }
            if rest.starts_with("<details") {
                if let Some(next) = self.details_html(i, range.end, &mut out) {
                    i = next;
                    continue;
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// Code as it is, except mdBook's includes (they are meant for code).
    fn code_text(&mut self, range: Range<usize>) -> String {
        let text = &self.body.text[range.clone()];
        if self.body.layout != Layout::MdBook || !text.contains("{{#") {
            return text.to_string();
        }
        let mut out = String::new();
        let mut i = range.start;
        while i < range.end {
            let rest = &self.body.text[i..range.end];
            let escaped = i > 0 && self.body.text.as_bytes()[i - 1] == b'\\';
            if rest.starts_with("{{#") && !escaped {
                if let Some((next, Tag::MdBook { directive, arg })) =
                    tag_at(self.body.text, i, range.end)
                {
                    out.push_str(&self.mdbook(i, &directive, &arg));
                    i = next;
                    continue;
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// Rules about whole lines: kramdown attribute lines, GitHub alerts.
    /// Returns where the scan goes on when one applied.
    fn line_rule(&mut self, i: usize, end: usize, out: &mut String) -> Option<usize> {
        let text = self.body.text;
        let line_end = text[i..end].find('\n').map_or(end, |n| i + n + 1);
        let line = text[i..line_end].trim();
        if blocks::is_kramdown_line(line) {
            if line == "{:toc}" || line.starts_with("{:toc ") {
                blocks::drop_toc_item(out);
            }
            self.count(Conversion::Kramdown);
            blocks::move_id_to_heading(line, out);
            return Some(line_end);
        }
        let (label, same_line) = blocks::github_alert(line)?;
        self.count(Conversion::Note);
        let indent = &text[i..i + text[i..].find('>').unwrap_or(0)];
        if !same_line.is_empty() {
            out.push_str(&format!("{indent}> **{}:** {same_line}\n", label.word()));
            return Some(line_end);
        }
        // The quote's next line gets the label.
        let next_end = text[line_end..end]
            .find('\n')
            .map_or(end, |n| line_end + n + 1);
        let next = text[line_end..next_end].trim_start();
        match next.strip_prefix('>').map(str::trim) {
            Some(content) if !content.is_empty() => {
                out.push_str(&format!("{indent}> **{}:** {content}\n", label.word()));
                Some(next_end)
            }
            _ => {
                out.push_str(&format!("{indent}> **{}:**\n", label.word()));
                Some(line_end)
            }
        }
    }

    /// Handles one tag found at `start..next`; returns where the scan goes on.
    fn dispatch(
        &mut self,
        start: usize,
        next: usize,
        tag: Tag,
        end: usize,
        out: &mut String,
    ) -> usize {
        match tag {
            Tag::HugoEscaped(shown) => {
                out.push_str(&blocks::inline_code(&shown));
                next
            }
            Tag::Hugo {
                name,
                args,
                closing,
            } => {
                if closing {
                    // The closing tag of a shortcode already reported.
                    return next;
                }
                self.hugo(start, next, &name, &args, end, out)
            }
            Tag::Liquid { name, rest } => self.liquid(start, next, &name, &rest, end, out),
            Tag::ZolaEnd => next,
            Tag::ZolaBody { name, args } => {
                let close = self.closer(
                    next,
                    end,
                    |t| matches!(t, Tag::ZolaBody { .. }),
                    |t| *t == Tag::ZolaEnd,
                );
                let (inner, after) = match close {
                    Some((a, b)) => (next..a, b),
                    None => (next..next, next),
                };
                self.container(start, &name, &args, inner, "shortcode Zola", out);
                after
            }
            Tag::ZolaInline { name, args } => {
                self.single(start, &name, &args, "shortcode Zola", out);
                next
            }
            Tag::Output(expr) => {
                if let Some((name, range, strip)) = self.captured(&expr) {
                    // Taken out while it is converted: a capture that shows
                    // itself is shown once, not forever.
                    let name = name.to_string();
                    let capture = self.captures.remove(&name);
                    let text = self.convert(range);
                    self.captures.extend(capture.map(|c| (name, c)));
                    out.push_str(if strip { text.trim() } else { &text });
                    self.count(Conversion::Include);
                    return next;
                }
                match blocks::liquid_output(&expr) {
                    Some(path) => {
                        self.count(Conversion::Link);
                        out.push_str(&path);
                    }
                    None => self.report(format!("espressione «{{{{ {expr} }}}}»"), start),
                }
                next
            }
            Tag::MdBook { directive, arg } => {
                let escaped = start > 0 && self.body.text.as_bytes()[start - 1] == b'\\';
                if escaped {
                    out.pop();
                    out.push_str(&blocks::inline_code(&self.body.text[start..next]));
                } else {
                    out.push_str(&self.mdbook(start, &directive, &arg));
                }
                next
            }
        }
    }

    fn hugo(
        &mut self,
        start: usize,
        next: usize,
        name: &str,
        args: &Args,
        end: usize,
        out: &mut String,
    ) -> usize {
        let paired = |s: &Self| {
            s.closer(
                next,
                end,
                |t| matches!(t, Tag::Hugo { name: n, closing: false, .. } if n == name),
                |t| matches!(t, Tag::Hugo { name: n, closing: true, .. } if n == name),
            )
        };
        match name {
            "highlight" => {
                if let Some((a, b)) = paired(self) {
                    let lang = args.pos(0).unwrap_or("");
                    blocks::emit_code(out, lang, &self.body.text[next..a]);
                    self.count(Conversion::Highlight);
                    return b;
                }
            }
            // Documentation sites' own code blocks (`code-toggle`, `code`).
            "code" | "code-toggle" | "code-sample" => {
                if let Some((a, b)) = paired(self) {
                    let file_ext = args
                        .get(&["file"])
                        .and_then(|f| f.rsplit_once('.'))
                        .map(|(_, e)| e);
                    let lang = args.get(&["lang"]).or(file_ext).unwrap_or("");
                    let lang = if args.get(&["fm"]) == Some("true") {
                        "toml"
                    } else {
                        lang
                    };
                    blocks::emit_code(out, lang, &self.body.text[next..a]);
                    self.count(Conversion::Highlight);
                    return b;
                }
            }
            "ref" | "relref" => {
                let written = args.named_or_first(&["path"]).unwrap_or("");
                out.push_str(&self.document_link(start, written));
                return next;
            }
            _ => {}
        }
        let (inner, after) = match paired(self) {
            Some((a, b)) => (next..a, b),
            None => (next..next, next),
        };
        self.container(start, name, args, inner, "shortcode Hugo", out);
        after
    }

    /// A tag that may have content (`inner`, empty when it has none):
    /// figures, notes, details and videos are converted, any other keeps
    /// its content and is reported as `kind «name»`.
    fn container(
        &mut self,
        start: usize,
        name: &str,
        args: &Args,
        inner: Range<usize>,
        kind: &str,
        out: &mut String,
    ) {
        let lower = name.to_ascii_lowercase();
        if let Some(label) = Label::of_shortcode(&lower, args) {
            let content = self.convert(inner);
            let content = args
                .get(&["content", "text", "message"])
                .map_or(content, str::to_string);
            let title = args.get(&["title"]);
            blocks::emit_block(out, &blocks::note(label, title, &content));
            self.count(Conversion::Note);
            return;
        }
        if lower == "details" {
            let summary = args
                .named_or_first(&["summary", "title"])
                .unwrap_or("Dettagli")
                .to_string();
            let content = self.convert(inner);
            blocks::emit_block(
                out,
                &blocks::details(&summary, args.get(&["open"]).is_some(), &content),
            );
            self.count(Conversion::Details);
            return;
        }
        let inner_empty = inner.is_empty();
        if inner_empty && self.single_known(start, &lower, args, out) {
            return;
        }
        self.report(format!("{kind} «{name}»"), start);
        let content = self.convert(inner);
        out.push_str(&content);
    }

    /// A tag without content: figures and videos; others are reported.
    fn single(&mut self, start: usize, name: &str, args: &Args, kind: &str, out: &mut String) {
        if !self.single_known(start, &name.to_ascii_lowercase(), args, out) {
            self.report(format!("{kind} «{name}»"), start);
        }
    }

    /// Figures and videos; false for any other name.
    fn single_known(&mut self, start: usize, name: &str, args: &Args, out: &mut String) -> bool {
        match name {
            "figure" | "fig" | "image" | "img" | "figure.html" | "image.html" | "img.html" => {
                let src = args.get(&["src", "image", "image_path", "url", "file", "path", "img"]);
                let Some(src) = src.map(blocks::strip_liquid) else {
                    return false;
                };
                let caption = args.get(&["caption", "description"]);
                let alt = args.get(&["alt"]).or(caption).or(args.get(&["title"]));
                if alt.is_none() {
                    self.report("figure senza testo alternativo".into(), start);
                }
                let figure = blocks::figure(&src, alt, caption);
                if figure.contains('\n') {
                    blocks::emit_block(out, &figure);
                } else {
                    out.push_str(&figure);
                }
                self.count(Conversion::Figure);
                true
            }
            "youtube" | "youtube.html" | "youtubeplayer.html" | "vimeo" | "vimeo.html"
            | "video" | "video.html" => {
                let id = args.named_or_first(&[
                    "id",
                    "youtube_id",
                    "video_id",
                    "youtubeid",
                    "youtubeId",
                ]);
                let Some(id) = id else { return false };
                let vimeo = name.starts_with("vimeo") || args.get(&["provider"]) == Some("vimeo");
                if name.starts_with("video")
                    && !vimeo
                    && args.get(&["provider"]).is_some_and(|p| p != "youtube")
                {
                    return false;
                }
                out.push_str(&blocks::video_link(id, vimeo));
                self.count(Conversion::Video);
                true
            }
            _ => false,
        }
    }

    fn liquid(
        &mut self,
        start: usize,
        next: usize,
        name: &str,
        rest: &str,
        end: usize,
        out: &mut String,
    ) -> usize {
        let closer_named = |s: &Self, close: &str| {
            s.closer(
                next,
                end,
                |_| false,
                |t| matches!(t, Tag::Liquid { name: n, .. } if n == close),
            )
        };
        match name {
            "highlight" => {
                if let Some((a, b)) = closer_named(self, "endhighlight") {
                    let lang = rest.split_whitespace().next().unwrap_or("");
                    let code = self.with_captures(&self.body.text[next..a]);
                    blocks::emit_code(out, lang, &code);
                    self.count(Conversion::Highlight);
                    return b;
                }
            }
            "raw" => {
                if let Some((a, b)) = closer_named(self, "endraw") {
                    out.push_str(&blocks::raw(&self.body.text[next..a]));
                    self.count(Conversion::Highlight);
                    return b;
                }
            }
            "for" | "tablerow" => {
                // A loop over the old site's data: its body is a template
                // (empty links and values once the tags are gone), so it
                // goes, and a person writes what it showed.
                let end_tag = format!("end{name}");
                let close = self.closer(
                    next,
                    end,
                    |t| matches!(t, Tag::Liquid { name: n, .. } if n == name),
                    |t| matches!(t, Tag::Liquid { name: n, .. } if *n == end_tag),
                );
                if let Some((_, b)) = close {
                    self.report(format!("ciclo Liquid «{name} {rest}» tolto"), start);
                    return b;
                }
            }
            "capture" => {
                // Shown where `{{ name }}` asks for it, not here.
                if let Some((a, b)) = closer_named(self, "endcapture") {
                    let name = rest.split_whitespace().next().unwrap_or("");
                    self.captures.insert(name.to_string(), next..a);
                    return b;
                }
            }
            "comment" => {
                if let Some((_, b)) = closer_named(self, "endcomment") {
                    self.report("commento Liquid tolto".into(), start);
                    return b;
                }
            }
            "include" | "include_relative" => {
                let (file, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let args = parse_args(args);
                let file_l = file.to_ascii_lowercase();
                let base = file_l.trim_end_matches(".html").trim_end_matches(".md");
                if let Some(label) = Label::of_shortcode(base, &args) {
                    let content = args.get(&["content", "text", "message"]).unwrap_or("");
                    let content = blocks::strip_liquid(content);
                    blocks::emit_block(out, &blocks::note(label, args.get(&["title"]), &content));
                    self.count(Conversion::Note);
                    return next;
                }
                if self.single_known(start, &file_l, &args, out) {
                    return next;
                }
                self.report(format!("include «{file}»"), start);
                return next;
            }
            "link" => {
                out.push_str(&self.document_link(start, rest.trim()));
                return next;
            }
            "post_url" => {
                let name = rest.trim();
                match self.body.links.post(name) {
                    Some(path) => {
                        self.count(Conversion::Link);
                        out.push_str(&path);
                    }
                    None => {
                        self.report(
                            format!("post_url a un articolo che non trovo «{name}»"),
                            start,
                        );
                    }
                }
                return next;
            }
            _ => {}
        }
        if !name.starts_with("end") {
            self.report(format!("tag Liquid «{name}»"), start);
        }
        next
    }

    /// The capture an output expression shows (`grid-1`, `grid-1 | strip`):
    /// its name, where it is and whether it is stripped; None for any
    /// other expression.
    fn captured<'e>(&self, expr: &'e str) -> Option<(&'e str, Range<usize>, bool)> {
        let mut parts = expr.split('|').map(str::trim);
        let name = parts.next()?;
        let range = self.captures.get(name)?.clone();
        let mut strip = false;
        for filter in parts {
            match filter {
                "strip" => strip = true,
                _ => return None,
            }
        }
        Some((name, range, strip))
    }

    /// Code with the captures it shows written in, as they were captured.
    fn with_captures(&self, code: &str) -> String {
        if self.captures.is_empty() || !code.contains("{{") {
            return code.to_string();
        }
        let mut out = String::with_capacity(code.len());
        let mut rest = code;
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
                break;
            };
            let expr = rest[open + 2..close].trim().trim_matches('-').trim();
            out.push_str(&rest[..open]);
            match self.captured(expr) {
                Some((_, range, strip)) => {
                    let text = &self.body.text[range];
                    out.push_str(if strip { text.trim() } else { text });
                }
                None => out.push_str(&rest[open..close + 2]),
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A link to another document, as a relative path to its new file.
    fn document_link(&mut self, start: usize, written: &str) -> String {
        let written = written.trim().trim_matches(['"', '\'']);
        match self.body.links.document(written) {
            Some(path) => {
                self.count(Conversion::Link);
                path
            }
            None => {
                self.report(
                    format!("collegamento a una pagina che non trovo «{written}»"),
                    start,
                );
                written.to_string()
            }
        }
    }

    /// `<details>` written in HTML: its summary kept, its content
    /// converted and set apart by blank lines so that it is read as Markdown.
    fn details_html(&mut self, start: usize, end: usize, out: &mut String) -> Option<usize> {
        let text = self.body.text;
        let open_end = start + text[start..end].find('>')? + 1;
        let open_tag = &text[start..open_end];
        if !(open_tag.starts_with("<details>") || open_tag.starts_with("<details ")) {
            return None;
        }
        let (inner_start, close_start, close_end) = blocks::details_span(text, open_end, end)?;
        let (summary, content_start) = blocks::summary_at(text, inner_start, close_start);
        let content = self.convert(content_start..close_start);
        let open = open_tag.contains(" open");
        blocks::emit_block(out, &blocks::details(&summary, open, &content));
        self.count(Conversion::Details);
        Some(close_end)
    }

    /// mdBook's directives: `include` inlines the file, others are reported.
    fn mdbook(&mut self, start: usize, directive: &str, arg: &str) -> String {
        match directive {
            "include" | "rustdoc_include" => match self.body.links.include(arg) {
                Ok(text) => {
                    self.count(Conversion::Include);
                    text
                }
                Err(why) => {
                    self.report(format!("inclusione non riuscita ({why})"), start);
                    String::new()
                }
            },
            other => {
                self.report(format!("comando mdBook «{other}»"), start);
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl Links for NoLinks {
        fn document(&self, written: &str) -> Option<String> {
            (written.starts_with("ok")).then(|| format!("../{written}"))
        }
        fn post(&self, name: &str) -> Option<String> {
            Some(format!("{name}.md"))
        }
        fn include(&self, path: &str) -> Result<String, String> {
            Ok(format!("INCLUSO {path}"))
        }
    }

    fn run(layout: Layout, text: &str) -> Converted {
        convert(&Body {
            layout,
            text,
            first_line: 5,
            links: &NoLinks,
        })
    }

    #[test]
    fn args_named_positional_and_calls() {
        let a = parse_args(r#"src="a b.png" alt='x' 12 "p" k=v"#);
        assert_eq!(a.get(&["src"]), Some("a b.png"));
        assert_eq!(a.get(&["alt"]), Some("x"));
        assert_eq!(a.pos(0), Some("12"));
        assert_eq!(a.pos(1), Some("p"));
        assert_eq!(a.get(&["k"]), Some("v"));
        let (name, args) = call(r#"youtube(id="abc", autoplay=true)"#).unwrap();
        assert_eq!((name.as_str(), args.get(&["id"])), ("youtube", Some("abc")));
    }

    #[test]
    fn hugo_shortcodes() {
        let c = run(
            Layout::Hugo,
            "Testo.\n\n{{< figure src=\"a.png\" caption=\"Il tasto\" >}}\n\n{{< note >}}\nAttento.\n{{< /note >}}\n\n{{< youtube abc >}}\n\n{{< tabs >}}\nDentro\n{{< /tabs >}}\n",
        );
        assert!(c.text.contains("![Il tasto](a.png)"), "{}", c.text);
        assert!(c.text.contains("*Il tasto*"), "{}", c.text);
        assert!(c.text.contains("> **Nota:** Attento."), "{}", c.text);
        assert!(c
            .text
            .contains("[Guarda il video su YouTube](https://www.youtube.com/watch?v=abc)"));
        assert!(c.text.contains("Dentro"), "{}", c.text);
        assert!(!c.text.contains("{{"), "{}", c.text);
        assert_eq!(c.to_check, vec![("shortcode Hugo «tabs»".to_string(), 15)]);
    }

    #[test]
    fn a_tag_is_found_when_wide_characters_follow_it() {
        // The tag's search window would end inside a box-drawing character
        // for one of these three shifts.
        for shift in 0..3 {
            let text = format!(
                "{{{{< code-toggle file=a.toml >}}}}\na = 1\n{{{{< /code-toggle >}}}}\n{}\n{}\n",
                "x".repeat(shift),
                "─".repeat(2000)
            );
            let c = run(Layout::Hugo, &text);
            assert!(c.text.starts_with("```toml\na = 1\n```"), "{}", c.text);
            assert!(!c.text.contains("{{"), "{}", c.text);
            assert!(c.to_check.is_empty(), "{:?}", c.to_check);
        }
    }

    #[test]
    fn code_is_left_alone() {
        let text = "```\n{{< note >}}\n```\n\nE `{{ site.title }}` qui.\n";
        let c = run(Layout::Hugo, text);
        assert_eq!(c.text, text);
        assert!(c.to_check.is_empty());
    }

    #[test]
    fn liquid_captures_are_shown_where_asked_and_in_code() {
        let c = run(
            Layout::Jekyll,
            "{% capture demo %}\n<div class=\"riga\">Uno</div>\n{% endcapture %}\n{{ demo }}\n\n{% highlight html %}\n{{ demo | strip }}\n{% endhighlight %}\n",
        );
        assert_eq!(
            c.text.matches("<div class=\"riga\">Uno</div>").count(),
            2,
            "{}",
            c.text
        );
        assert!(
            c.text
                .contains("```html\n<div class=\"riga\">Uno</div>\n```"),
            "{}",
            c.text
        );
        assert!(
            !c.text.contains("{{") && !c.text.contains("{%"),
            "{}",
            c.text
        );
        assert!(c.to_check.is_empty(), "{:?}", c.to_check);
        // A capture that shows itself ends.
        let c = run(
            Layout::Jekyll,
            "{% capture a %}x{{ a }}{% endcapture %}{{ a }} e {{ a }}\n",
        );
        assert!(c.text.starts_with("x"), "{}", c.text);
        assert!(c.text.contains(" e x"), "{}", c.text);
    }

    #[test]
    fn liquid_loops_go_with_their_body_and_are_reported() {
        let c = run(
            Layout::Jekyll,
            "Prima.\n\n<ul class=\"elenco\">\n  {% for f in site.data.files %}\n    <li><a href=\"{{ f.url }}\">{{ f.name }}</a></li>\n    {% for x in f.parts %}{{ x }}{% endfor %}\n  {% endfor %}\n</ul>\n\nDopo.\n",
        );
        assert_eq!(
            c.text,
            "Prima.\n\n<ul class=\"elenco\">\n  \n</ul>\n\nDopo.\n"
        );
        assert_eq!(
            c.to_check,
            vec![(
                "ciclo Liquid «for f in site.data.files» tolto".to_string(),
                8
            )]
        );
    }

    #[test]
    fn liquid_tags() {
        let c = run(
            Layout::Jekyll,
            "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n[a]({{ site.baseurl }}/x/) [b]({{ '/y' | relative_url }}) [c]({% link ok.md %}) [d]({% post_url 2020-01-01-ciao %})\n\n{% if x %}Tenuto{% endif %}\n\n{: .nota}\n",
        );
        assert!(c.text.contains("```ruby\nputs 1\n```"), "{}", c.text);
        assert!(
            c.text
                .contains("[a](/x/) [b](/y) [c](../ok.md) [d](2020-01-01-ciao.md)"),
            "{}",
            c.text
        );
        assert!(c.text.contains("Tenuto"));
        assert!(
            !c.text.contains("{%") && !c.text.contains("{:"),
            "{}",
            c.text
        );
        assert_eq!(c.to_check, vec![("tag Liquid «if»".to_string(), 11)]);
        assert_eq!(c.counts[&Conversion::Kramdown], 1);
    }

    #[test]
    fn zola_and_github() {
        let c = run(
            Layout::Zola,
            "{% note(title=\"Ciao\") %}\nDentro.\n{% end %}\n\n{{ youtube(id=\"xyz\") }}\n\n{% boh() %}\nResta\n{% end %}\n\n> [!WARNING]\n> Occhio.\n",
        );
        assert!(c.text.contains("> **Nota: Ciao**"), "{}", c.text);
        assert!(c.text.contains("watch?v=xyz"));
        assert!(c.text.contains("Resta"));
        assert!(c.text.contains("> **Attenzione:** Occhio."), "{}", c.text);
        assert_eq!(c.to_check, vec![("shortcode Zola «boh»".to_string(), 11)]);
    }

    #[test]
    fn mdbook_includes_also_in_code() {
        let c = run(Layout::MdBook, "```rust\n{{#include a.rs}}\n```\n");
        assert_eq!(c.text, "```rust\nINCLUSO a.rs\n```\n");
    }
}

//! The Markdown written in place of template syntax: notes as quotes with
//! an Italian label (`> **Nota:** …`), figures as an image and an italic
//! caption, fenced code, `<details>` with its content set apart, video
//! links; and the small readers the scanner needs for kramdown attributes,
//! GitHub alerts, Liquid output and HTML `<details>`.
//!
//! Pure text in, text out: where a tag is found and what is reported is
//! `shortcodes`' job.

use super::shortcodes::Args;

/// The label of a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Nota,
    Attenzione,
    Suggerimento,
    Importante,
}

impl Label {
    /// The bold word the quote starts with.
    pub fn word(self) -> &'static str {
        match self {
            Label::Nota => "Nota",
            Label::Attenzione => "Attenzione",
            Label::Suggerimento => "Suggerimento",
            Label::Importante => "Importante",
        }
    }

    /// The label of a type word (`warning`, `tip`, `info`...).
    fn of_word(word: &str) -> Option<Label> {
        Some(match word.to_ascii_lowercase().as_str() {
            "note" | "info" | "information" | "notice" | "nota" | "primary" | "secondary" => {
                Label::Nota
            }
            "warning" | "warn" | "caution" | "danger" | "error" | "alert" | "attenzione"
            | "avviso" => Label::Attenzione,
            "tip" | "hint" | "success" | "suggerimento" | "consiglio" => Label::Suggerimento,
            "important" | "importante" => Label::Importante,
            _ => return None,
        })
    }

    /// The label of a note shortcode or include (`note`, `warning`,
    /// `callout type="tip"`, `hint info`); None for other names.
    pub fn of_shortcode(name: &str, args: &Args) -> Option<Label> {
        let generic = matches!(
            name,
            "callout" | "alert" | "hint" | "notice" | "admonition" | "note" | "box"
        );
        let own = Label::of_word(name);
        if own.is_none() && !generic {
            return None;
        }
        let typed = args
            .get(&["type", "class", "kind", "level", "variant"])
            .or_else(|| if generic { args.pos(0) } else { None })
            .and_then(Label::of_word);
        typed.or(own).or(Some(Label::Nota))
    }
}

/// `> [!NOTE]` (GitHub's alerts): the label and any text after the marker.
pub fn github_alert(line: &str) -> Option<(Label, &str)> {
    let rest = line.trim_start().strip_prefix('>')?.trim_start();
    let rest = rest.strip_prefix("[!")?;
    let (word, after) = rest.split_once(']')?;
    let label = match word.to_ascii_uppercase().as_str() {
        "NOTE" => Label::Nota,
        "TIP" => Label::Suggerimento,
        "IMPORTANT" => Label::Importante,
        "WARNING" | "CAUTION" => Label::Attenzione,
        _ => return None,
    };
    Some((label, after.trim()))
}

/// A kramdown attribute line: `{: .class}`, `{:toc}`, `{::options …/}`.
pub fn is_kramdown_line(line: &str) -> bool {
    line.starts_with("{:") && line.ends_with('}') && !line[1..].contains('\n')
}

/// Kramdown's `{: #id}` under an ATX heading: the id goes on the heading
/// line as `{#id}`, which pillole reads, so links to it keep working.
pub fn move_id_to_heading(line: &str, out: &mut String) {
    let Some(id) = line
        .trim_start_matches(['{', ':'])
        .trim_end_matches('}')
        .split_whitespace()
        .find_map(|t| t.strip_prefix('#'))
        .filter(|id| !id.is_empty() && !id.contains(['{', '}']))
    else {
        return;
    };
    let body = out.trim_end_matches('\n');
    let start = body.rfind('\n').map_or(0, |n| n + 1);
    let heading = &body[start..];
    if heading.starts_with('#') && !heading.trim_end().ends_with('}') {
        let end = body.len();
        out.insert_str(end, &format!(" {{#{id}}}"));
    }
}

/// Removes the list item kramdown's `{:toc}` stands under (`* TOC`).
pub fn drop_toc_item(out: &mut String) {
    let body = out.strip_suffix('\n').unwrap_or(out);
    let start = body.rfind('\n').map_or(0, |i| i + 1);
    let line = body[start..].trim();
    let item = line
        .strip_prefix(['*', '-', '+'])
        .or_else(|| line.strip_prefix("1."))
        .map(str::trim);
    if item.is_some_and(|t| !t.is_empty() && t.split_whitespace().count() <= 4) {
        out.truncate(start);
    }
}

/// A kramdown attribute inside a line (`testo{: .classe}`): its length.
pub fn kramdown_span(rest: &str) -> Option<usize> {
    if !rest.starts_with("{:") {
        return None;
    }
    let end = rest.find(['}', '\n'])?;
    (rest.as_bytes()[end] == b'}').then_some(end + 1)
}

/// Text shown as inline code, with enough backticks around it.
pub fn inline_code(s: &str) -> String {
    let ticks = "`".repeat(longest_run(s, '`') + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for x in s.chars() {
        if x == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// Writes a block where the output stands: on a line of its own, each of
/// its lines under the same indentation and quote marks as the line the tag
/// was on (a tag inside a list item stays in the item), then an empty line.
pub fn emit_block(out: &mut String, block: &str) {
    let line_start = out.rfind('\n').map_or(0, |i| i + 1);
    let current = out[line_start..].to_string();
    let lead: String = current
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t' || *c == '>')
        .collect();
    if current.len() != lead.len() {
        out.push('\n');
        out.push_str(&lead);
    }
    let prefix = lead;
    for (n, line) in block.trim_end_matches('\n').split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            if line.is_empty() {
                out.push_str(prefix.trim_end());
            } else {
                out.push_str(&prefix);
            }
        }
        out.push_str(line);
    }
    out.push('\n');
    out.push_str(prefix.trim_end());
}

/// A code block where the output stands: fenced, or, on an indented line
/// inside raw HTML (where a fence would be shown as text), as one line of
/// `<pre><code>` with its line breaks written `&#10;`.
pub fn emit_code(out: &mut String, lang: &str, code: &str) {
    let line_start = out.rfind('\n').map_or(0, |i| i + 1);
    let current = &out[line_start..];
    let in_html = current.starts_with([' ', '\t'])
        && !current.trim_start().starts_with('>')
        && out[..line_start].trim_end().ends_with('>');
    if !in_html {
        return emit_block(out, &fence(lang, code));
    }
    let code = code.strip_prefix('\n').unwrap_or(code).trim_end();
    let escaped = code
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('{', "&#123;")
        .replace('\n', "&#10;");
    let lang: String = lang.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{lang}\"")
    };
    out.push_str(&format!(
        "<pre class=\"code\" tabindex=\"0\"><code{class}>{escaped}</code></pre>"
    ));
}

/// A fenced code block.
pub fn fence(lang: &str, code: &str) -> String {
    let code = code.strip_prefix('\n').unwrap_or(code);
    let code = code.trim_end();
    let ticks = "`".repeat(longest_run(code, '`').max(2) + 1);
    let lang: String = lang.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{ticks}{lang}\n{code}\n{ticks}\n")
}

/// The content of Liquid's `{% raw %}`: as it is when it holds no
/// template syntax or is already code; else made code, so that it is shown.
pub fn raw(inner: &str) -> String {
    let has_syntax = inner.contains("{{") || inner.contains("{%");
    let trimmed = inner.trim();
    if !has_syntax || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
        return inner.to_string();
    }
    if trimmed.contains('\n') {
        format!("\n{}", fence("", trimmed))
    } else {
        inline_code(trimmed)
    }
}

/// A note: a quote that starts with its bold label.
pub fn note(label: Label, title: Option<&str>, content: &str) -> String {
    let content = dedent(content.trim_matches('\n'));
    let content = content.trim();
    let mut lines: Vec<String> = Vec::new();
    let first = content.lines().next().unwrap_or("");
    let paragraph = !first.is_empty()
        && !first.starts_with(['#', '-', '*', '+', '>', '|', '<', '`', '~', ' '])
        && !first.chars().next().is_some_and(|c| c.is_ascii_digit());
    match title {
        Some(t) => {
            lines.push(format!("**{}: {}**", label.word(), one_line(t)));
            if !content.is_empty() {
                lines.push(String::new());
                lines.extend(content.lines().map(str::to_string));
            }
        }
        None if paragraph => {
            let mut it = content.lines();
            lines.push(format!("**{}:** {}", label.word(), it.next().unwrap_or("")));
            lines.extend(it.map(str::to_string));
        }
        None => {
            lines.push(format!("**{}:**", label.word()));
            if !content.is_empty() {
                lines.push(String::new());
                lines.extend(content.lines().map(str::to_string));
            }
        }
    }
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `<details>` with its summary on a line and its content set apart.
pub fn details(summary: &str, open: bool, content: &str) -> String {
    let content = dedent(content.trim_matches('\n'));
    let open = if open { " open" } else { "" };
    format!(
        "<details{open}>\n<summary>{}</summary>\n\n{}\n\n</details>\n",
        one_line(summary),
        content.trim()
    )
}

/// An image with its text alternative, and the caption in italics below.
pub fn figure(src: &str, alt: Option<&str>, caption: Option<&str>) -> String {
    let alt = alt.map(one_line).filter(|a| !a.is_empty());
    let alt = alt.unwrap_or_else(|| "Immagine senza descrizione".into());
    let alt = alt.replace('[', "\\[").replace(']', "\\]");
    let src = if src.contains([' ', '(', ')']) {
        format!("<{src}>")
    } else {
        src.to_string()
    };
    let mut out = format!("![{alt}]({src})");
    if let Some(c) = caption.map(one_line).filter(|c| !c.is_empty()) {
        let mark = if c.contains('*') { '_' } else { '*' };
        out.push_str(&format!("\n\n{mark}{c}{mark}"));
    }
    out
}

/// A link to a video on its site.
pub fn video_link(id: &str, vimeo: bool) -> String {
    let id = id.trim();
    if vimeo {
        let id = id.rsplit('/').next().unwrap_or(id);
        return format!("[Guarda il video su Vimeo](https://vimeo.com/{id})");
    }
    let id = id
        .split_once("v=")
        .map(|(_, v)| v.split('&').next().unwrap_or(v))
        .or_else(|| id.rsplit_once("youtu.be/").map(|(_, v)| v))
        .unwrap_or(id);
    format!("[Guarda il video su YouTube](https://www.youtube.com/watch?v={id})")
}

/// Liquid output that only builds a site address: `site.baseurl` (nothing),
/// `'/x' | relative_url` (`/x`). None for any other expression.
pub fn liquid_output(expr: &str) -> Option<String> {
    let parts: Vec<&str> = expr.split('|').map(str::trim).collect();
    let base = parts[0];
    let is_site = |s: &str| {
        matches!(
            s,
            "site.baseurl" | "site.url" | "site.base_url" | "base_url"
        )
    };
    if is_site(base) {
        return Some(String::new());
    }
    let filters_ok = parts[1..].iter().all(|f| {
        matches!(
            *f,
            "relative_url" | "absolute_url" | "prepend: site.baseurl" | "prepend: site.url"
        ) || f.starts_with("prepend: site.")
    });
    if parts.len() > 1 && filters_ok && (base.starts_with('\'') || base.starts_with('"')) {
        let path = base.trim_matches(['\'', '"']);
        return Some(if path.starts_with('/') || path.contains("://") {
            path.to_string()
        } else {
            format!("/{path}")
        });
    }
    None
}

/// A value with `{{ site.baseurl }}`-like output taken out.
pub fn strip_liquid(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        match rest[i..].find("}}") {
            Some(j) => {
                let expr = rest[i + 2..i + j].trim();
                out.push_str(&liquid_output(expr).unwrap_or_default());
                rest = &rest[i + j + 2..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where an HTML `<details>` opened before `from` ends: its content's
/// start, the closing tag's start and end. Nested ones are counted.
pub fn details_span(text: &str, from: usize, end: usize) -> Option<(usize, usize, usize)> {
    let mut depth = 0;
    let mut i = from;
    while i < end {
        let rest = &text[i..end];
        let next = rest
            .find("<details")
            .into_iter()
            .chain(rest.find("</details>"))
            .min()?;
        let at = i + next;
        if text[at..].starts_with("</details>") {
            if depth == 0 {
                return Some((from, at, at + "</details>".len()));
            }
            depth -= 1;
            i = at + "</details>".len();
        } else {
            depth += 1;
            i = at + "<details".len();
        }
    }
    None
}

/// The `<summary>` at the start of a details' content, and where the rest begins.
pub fn summary_at(text: &str, from: usize, to: usize) -> (String, usize) {
    let inner = &text[from..to];
    let lead = inner.len() - inner.trim_start().len();
    let rest = &inner[lead..];
    if let Some(after_open) = rest.strip_prefix("<summary") {
        if let Some(gt) = after_open.find('>') {
            let body = &after_open[gt + 1..];
            if let Some(close) = body.find("</summary>") {
                let used = lead + "<summary".len() + gt + 1 + close + "</summary>".len();
                return (body[..close].trim().to_string(), from + used);
            }
        }
    }
    ("Dettagli".into(), from)
}

/// Text on one line, spaces collapsed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes the indentation all non-empty lines share.
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_the_list_indentation() {
        let mut out = String::from("1. Primo\n   ");
        emit_block(&mut out, "> **Nota:** a\n>\n> b\n");
        assert_eq!(out, "1. Primo\n   > **Nota:** a\n   >\n   > b\n");
        let mut out = String::from("Testo ");
        emit_block(&mut out, "```\nx\n```\n");
        assert_eq!(out, "Testo \n```\nx\n```\n");
    }

    #[test]
    fn notes_put_the_label_first() {
        assert_eq!(
            note(Label::Nota, None, "\nCiao.\nSeconda.\n"),
            "> **Nota:** Ciao.\n> Seconda.\n"
        );
        assert_eq!(
            note(Label::Attenzione, None, "- uno\n"),
            "> **Attenzione:**\n>\n> - uno\n"
        );
        assert_eq!(note(Label::Nota, Some("T"), "x"), "> **Nota: T**\n>\n> x\n");
    }

    #[test]
    fn labels_of_names_and_types() {
        let none = Args::default();
        assert_eq!(
            Label::of_shortcode("warning", &none),
            Some(Label::Attenzione)
        );
        assert_eq!(Label::of_shortcode("tabs", &none), None);
        let a = super::super::shortcodes::parse_args("type=\"tip\"");
        assert_eq!(
            Label::of_shortcode("callout", &a),
            Some(Label::Suggerimento)
        );
        let a = super::super::shortcodes::parse_args("important");
        assert_eq!(Label::of_shortcode("hint", &a), Some(Label::Importante));
    }

    #[test]
    fn liquid_addresses() {
        assert_eq!(liquid_output("site.baseurl").as_deref(), Some(""));
        assert_eq!(
            liquid_output("'/x/' | relative_url").as_deref(),
            Some("/x/")
        );
        assert_eq!(liquid_output("page.title"), None);
        assert_eq!(strip_liquid("{{ site.baseurl }}/img/a.png"), "/img/a.png");
    }

    #[test]
    fn figures_and_videos() {
        assert_eq!(
            figure("a.png", Some("Alt"), Some("Cap")),
            "![Alt](a.png)\n\n*Cap*"
        );
        assert_eq!(
            figure("a b.png", None, None),
            "![Immagine senza descrizione](<a b.png>)"
        );
        assert!(video_link("https://www.youtube.com/watch?v=abc&t=1", false).ends_with("v=abc)"));
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn code_inside_raw_html_is_pre_not_a_fence_shown_as_text() {
        let mut out = String::from("<div class=\"codice\">\n  ");
        emit_code(&mut out, "html", "\n<p>{% include x.html %}</p>\n\nfine\n");
        assert!(
            out.ends_with("<pre class=\"code\" tabindex=\"0\"><code class=\"language-html\">&lt;p&gt;&#123;% include x.html %}&lt;/p&gt;&#10;&#10;fine</code></pre>"),
            "{out}"
        );
        let mut out = String::from("Testo.\n\n");
        emit_code(&mut out, "go", "fmt.Println()\n");
        assert!(out.contains("```go\nfmt.Println()\n```"), "{out}");
    }
}

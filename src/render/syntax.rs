//! Code highlighting: syntect marks code blocks up with CSS classes, and
//! this module writes the matching stylesheet.
//!
//! The stylesheet starts from a light syntect theme and darkens every colour
//! until it reaches 4.5:1 against the code background, so highlighted code is
//! as readable as the rest of the page. No inline styles are ever written.

use std::sync::OnceLock;
use syntect::highlighting::{Color, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Background of code blocks: the theme's `--code` (pillole.css).
pub const BACKGROUND: Color = Color {
    r: 0xf4,
    g: 0xf4,
    b: 0xf4,
    a: 0xff,
};
/// Minimum contrast of highlighted code against [`BACKGROUND`].
pub const MIN_CONTRAST: f64 = 4.5;
/// Longer code blocks are shown without colours (highlighting is the slow part).
const MAX_HIGHLIGHT_BYTES: usize = 20_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// [`highlight`], counting the bytes coloured against a page's `budget`.
pub fn highlight_within(code: &str, lang: &str, budget: &mut usize) -> String {
    let colour = code.len() <= *budget;
    if colour {
        *budget -= code.len();
    }
    code_block(code, lang, colour)
}

/// A code block as HTML: a focusable scroll container with classed spans.
pub fn highlight(code: &str, lang: &str) -> String {
    code_block(code, lang, true)
}

fn code_block(code: &str, lang: &str, colour: bool) -> String {
    let lang_class = if lang
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !lang.is_empty()
    {
        format!(r#" class="language-{lang}""#)
    } else {
        String::new()
    };
    let body = colour
        .then(|| highlighted(code, lang))
        .flatten()
        .unwrap_or_else(|| escape(code));
    format!(r#"<pre class="code" tabindex="0"><code{lang_class}>{body}</code></pre>"#)
}

fn highlighted(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_HIGHLIGHT_BYTES {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The stylesheet for highlighted code, colours adjusted for contrast.
pub fn stylesheet() -> String {
    let mut themes = ThemeSet::load_defaults();
    let Some(mut theme) = themes.themes.remove("InspiredGitHub") else {
        return String::new();
    };
    theme.settings.background = Some(BACKGROUND);
    theme.settings.foreground = Some(Color {
        r: 0x1a,
        g: 0x1a,
        b: 0x1a,
        a: 0xff,
    });
    for item in &mut theme.scopes {
        item.style.background = None;
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(darken_until(fg, BACKGROUND, MIN_CONTRAST));
        }
    }
    syntect::html::css_for_theme_with_class_style(&theme, STYLE).unwrap_or_default()
}

/// Relative luminance (WCAG 2).
pub fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let s = v as f64 / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// Contrast ratio between two colours (WCAG 2), from 1 to 21.
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

fn darken_until(mut c: Color, bg: Color, ratio: f64) -> Color {
    while contrast(c, bg) < ratio && (c.r > 0 || c.g > 0 || c.b > 0) {
        c.r = (c.r as f64 * 0.92) as u8;
        c.g = (c.g as f64 * 0.92) as u8;
        c.b = (c.b as f64 * 0.92) as u8;
    }
    c.a = 0xff;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_classed_not_styled() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlight("<script>\n", "nessuna-lingua");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn the_background_is_the_themes_code_background() {
        let css = include_str!("../../themes/agid/static/css/pillole.css");
        let at = css.find("--code:#").expect("pillole.css sets --code") + "--code:#".len();
        let hex = &css[at..at + 6];
        assert_eq!(
            hex,
            format!(
                "{:02x}{:02x}{:02x}",
                BACKGROUND.r, BACKGROUND.g, BACKGROUND.b
            )
        );
    }

    #[test]
    fn every_colour_of_the_stylesheet_reaches_4_5_to_1() {
        let css = stylesheet();
        let mut seen = 0;
        for hex in css.split("color: #").skip(1) {
            let h = &hex[..6];
            let c = Color {
                r: u8::from_str_radix(&h[0..2], 16).unwrap(),
                g: u8::from_str_radix(&h[2..4], 16).unwrap(),
                b: u8::from_str_radix(&h[4..6], 16).unwrap(),
                a: 255,
            };
            if c == BACKGROUND {
                continue;
            }
            seen += 1;
            assert!(
                contrast(c, BACKGROUND) >= MIN_CONTRAST,
                "#{h} is {:.2}:1",
                contrast(c, BACKGROUND)
            );
        }
        assert!(seen > 5, "{css}");
    }
}

//! Code highlighting: syntect marks code blocks up with CSS classes, and
//! this module writes the matching stylesheet.
//!
//! The stylesheet starts from a light syntect theme and darkens every colour
//! until it reaches 4.5:1 against the code background, so highlighted code is
//! as readable as the rest of the page. For readers whose device asks for a
//! dark scheme it repeats every rule with the colours lightened until they
//! reach 4.5:1 against the dark code background; in the theme's high
//! contrast mode (black on white) code is black. No inline styles are ever
//! written.

use std::sync::OnceLock;
use syntect::highlighting::{Color, Theme, ThemeSet};
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
/// Text of code blocks: the theme's `--text`.
const TEXT: Color = Color {
    r: 0x1a,
    g: 0x1a,
    b: 0x1a,
    a: 0xff,
};
/// Background of code blocks in the dark scheme: the theme's dark `--code`.
pub const DARK_BACKGROUND: Color = Color {
    r: 0x1c,
    g: 0x1f,
    b: 0x24,
    a: 0xff,
};
/// Text of code blocks in the dark scheme: the theme's dark `--text`.
const DARK_TEXT: Color = Color {
    r: 0xf0,
    g: 0xf0,
    b: 0xf0,
    a: 0xff,
};
/// Minimum contrast of highlighted code against its background, in both schemes.
pub const MIN_CONTRAST: f64 = 4.5;
/// Where the dark scheme's rules start in [`stylesheet`].
pub const DARK_RULES: &str = "@media (prefers-color-scheme:dark){";
/// The theme's high contrast mode is black on white, code included (its
/// rules are the most specific, so they win over both schemes').
const HIGH_CONTRAST_RULES: &str =
    ".high-contrast pre.code,.high-contrast pre.code span{color:#000!important}\n";
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

/// The stylesheet for highlighted code: the light scheme's rules, the same
/// rules for the dark scheme, then the high contrast mode's; every colour
/// adjusted for contrast against its scheme's code background.
pub fn stylesheet() -> String {
    let mut themes = ThemeSet::load_defaults();
    let Some(theme) = themes.themes.remove("InspiredGitHub") else {
        return String::new();
    };
    let light = recoloured(&theme, BACKGROUND, TEXT, darken_until);
    let dark = recoloured(&theme, DARK_BACKGROUND, DARK_TEXT, lighten_until);
    let css =
        |t: &Theme| syntect::html::css_for_theme_with_class_style(t, STYLE).unwrap_or_default();
    format!(
        "{}{DARK_RULES}\n{}}}\n{HIGH_CONTRAST_RULES}",
        css(&light),
        css(&dark)
    )
}

/// `theme` on `background` with `text`, each token colour moved by `adjust`
/// until it reaches [`MIN_CONTRAST`] against `background`.
fn recoloured(
    theme: &Theme,
    background: Color,
    text: Color,
    adjust: fn(Color, Color, f64) -> Color,
) -> Theme {
    let mut theme = theme.clone();
    theme.settings.background = Some(background);
    theme.settings.foreground = Some(text);
    for item in &mut theme.scopes {
        item.style.background = None;
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(adjust(fg, background, MIN_CONTRAST));
        }
    }
    theme
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

/// Moves `c` towards white, keeping its hue, until it reaches `ratio`
/// against the dark `bg`.
fn lighten_until(mut c: Color, bg: Color, ratio: f64) -> Color {
    let towards_white = |v: u8| v + ((255 - v) as f64 * 0.08).ceil() as u8;
    while contrast(c, bg) < ratio && (c.r < 255 || c.g < 255 || c.b < 255) {
        c.r = towards_white(c.r);
        c.g = towards_white(c.g);
        c.b = towards_white(c.b);
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

    /// The value of the first `--code:#` in `css`, as `rrggbb`.
    fn code_background(css: &str) -> &str {
        let at = css.find("--code:#").expect("pillole.css sets --code") + "--code:#".len();
        &css[at..at + 6]
    }

    fn hex(c: Color) -> String {
        format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    }

    #[test]
    fn the_backgrounds_are_the_themes_code_backgrounds() {
        let css = include_str!("../../themes/agid/static/css/pillole.css");
        assert_eq!(code_background(css), hex(BACKGROUND));
        let dark = css
            .find("@media (prefers-color-scheme:dark)")
            .expect("pillole.css has a dark scheme");
        assert_eq!(code_background(&css[dark..]), hex(DARK_BACKGROUND));
    }

    /// The rules of a part of the stylesheet: each selector list with the
    /// colour it sets (`None` when it sets none).
    fn rules(css: &str) -> Vec<(String, Option<Color>)> {
        css.split('}')
            .filter_map(|rule| {
                let (selectors, body) = rule.split_once('{')?;
                let colour = body.split("color: #").nth(1).map(|h| Color {
                    r: u8::from_str_radix(&h[0..2], 16).unwrap(),
                    g: u8::from_str_radix(&h[2..4], 16).unwrap(),
                    b: u8::from_str_radix(&h[4..6], 16).unwrap(),
                    a: 255,
                });
                let selectors = selectors.rsplit("*/").next().unwrap_or(selectors);
                Some((selectors.trim().to_string(), colour))
            })
            .filter(|(selectors, _)| !selectors.is_empty())
            .collect()
    }

    #[test]
    fn every_token_colour_reaches_4_5_to_1_in_both_schemes() {
        let css = stylesheet();
        let (light, rest) = css.split_once(DARK_RULES).expect("a dark part");
        let dark = rest
            .strip_suffix(HIGH_CONTRAST_RULES)
            .and_then(|r| r.strip_suffix("}\n"))
            .expect("the dark part closes before the high contrast rules");
        for (part, background) in [(light, BACKGROUND), (dark, DARK_BACKGROUND)] {
            let mut seen = 0;
            for (selectors, colour) in rules(part) {
                let Some(c) = colour.filter(|&c| c != background) else {
                    continue;
                };
                seen += 1;
                assert!(
                    contrast(c, background) >= MIN_CONTRAST,
                    "{selectors}: #{} is {:.2}:1 on #{}",
                    hex(c),
                    contrast(c, background),
                    hex(background)
                );
            }
            assert!(seen > 20, "{part}");
        }
        // The dark part recolours every rule of the light part, so no light
        // scheme colour is left on the dark background.
        let selectors = |part| rules(part).into_iter().map(|(s, _)| s).collect::<Vec<_>>();
        assert_eq!(selectors(light), selectors(dark));
    }

    #[test]
    fn lightened_colours_keep_their_hue() {
        // The light scheme's string blue, on the dark background.
        let blue = Color {
            r: 0x18,
            g: 0x36,
            b: 0x91,
            a: 0xff,
        };
        let c = lighten_until(blue, DARK_BACKGROUND, MIN_CONTRAST);
        assert!(contrast(c, DARK_BACKGROUND) >= MIN_CONTRAST);
        assert!(c.b > c.g && c.g > c.r, "#{}", hex(c));
    }
}

//! Code highlighting: syntect reads code blocks and colours them with a
//! theme; this module writes each piece of code in a span with one short
//! class per colour (`hl-3`) and per font style (`hl-b`, `hl-i`, `hl-u`),
//! and writes the matching stylesheet.
//!
//! The stylesheet gives each of the theme's colours darkened until it
//! reaches 4.5:1 against the code background, so highlighted code is as
//! readable as the rest of the page. For readers whose device asks for a
//! dark scheme it gives the same colours lightened until they reach 4.5:1
//! against the dark code background; in the theme's high contrast mode
//! (black on white) code is black. No inline styles are ever written.

use super::escape;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;
use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Background of code blocks: the theme's `--code` (pillole.css).
pub const BACKGROUND: Color = Color {
    r: 0xf4,
    g: 0xf4,
    b: 0xf4,
    a: 0xff,
};
/// Background of code blocks in the dark scheme: the theme's dark `--code`.
pub const DARK_BACKGROUND: Color = Color {
    r: 0x1c,
    g: 0x1f,
    b: 0x24,
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
/// The classes of the font styles, with their rules.
const FONT_STYLES: [(FontStyle, &str, &str); 3] = [
    (FontStyle::BOLD, "hl-b", "font-weight:bold"),
    (FontStyle::ITALIC, "hl-i", "font-style:italic"),
    (FontStyle::UNDERLINE, "hl-u", "text-decoration:underline"),
];
/// Longer code blocks are shown without colours (highlighting is the slow part).
const MAX_HIGHLIGHT_BYTES: usize = 20_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The colour theme, and its colours in the order of their classes
/// (`hl-0`, `hl-1`, ...). Its own text colour has no class: such code takes
/// the page's text colour.
struct Palette {
    theme: Theme,
    colours: Vec<Color>,
}

fn palette() -> &'static Palette {
    static PALETTE: OnceLock<Palette> = OnceLock::new();
    PALETTE.get_or_init(|| {
        let mut themes = ThemeSet::load_defaults();
        let theme = themes.themes.remove("InspiredGitHub").unwrap_or_default();
        let text = theme.settings.foreground;
        let mut colours: Vec<Color> = Vec::new();
        for fg in theme.scopes.iter().filter_map(|item| item.style.foreground) {
            if Some(fg) != text && !colours.contains(&fg) {
                colours.push(fg);
            }
        }
        Palette { theme, colours }
    })
}

/// The theme's selectors, ready to match scope stacks.
fn highlighter() -> &'static Highlighter<'static> {
    static HIGHLIGHTER: OnceLock<Highlighter<'static>> = OnceLock::new();
    HIGHLIGHTER.get_or_init(|| Highlighter::new(&palette().theme))
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
        .unwrap_or_else(|| escape::text(code));
    format!(r#"<pre class="code" tabindex="0"><code{lang_class}>{body}</code></pre>"#)
}

/// How a piece of code looks: its colour class, if any, and font styles.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Look {
    colour: Option<usize>,
    font: FontStyle,
}

impl Look {
    const PLAIN: Look = Look {
        colour: None,
        font: FontStyle::empty(),
    };

    fn of(palette: &Palette, style: Style) -> Look {
        Look {
            colour: palette.colours.iter().position(|&c| c == style.foreground),
            font: style.font_style,
        }
    }

    /// The opening tag of a span in this look.
    fn open(self, html: &mut String) {
        html.push_str(r#"<span class=""#);
        let mut first = true;
        if let Some(i) = self.colour {
            let _ = write!(html, "hl-{i}");
            first = false;
        }
        for (font, class, _) in FONT_STYLES {
            if self.font.contains(font) {
                if !first {
                    html.push(' ');
                }
                html.push_str(class);
                first = false;
            }
        }
        html.push_str(r#"">"#);
    }
}

/// Scope stacks seen, with their look (a theme's selectors are matched
/// once per stack, not once per token). Cleared when it grows past
/// [`LOOKS_KEPT`].
type Looks = HashMap<Vec<Scope>, Look>;
const LOOKS_KEPT: usize = 4096;

thread_local! {
    static LOOKS: RefCell<Looks> = RefCell::new(HashMap::new());
}

fn look_for(stack: &[Scope], looks: &mut Looks) -> Look {
    if let Some(&look) = looks.get(stack) {
        return look;
    }
    let palette = palette();
    let look = Look::of(palette, highlighter().style_for_stack(stack));
    if looks.len() >= LOOKS_KEPT {
        looks.clear();
    }
    looks.insert(stack.to_vec(), look);
    look
}

/// Writes `text` in `look`; pieces in a row with the same look share one
/// span, and code in the text's own look has none.
fn piece(html: &mut String, open: &mut Look, text: &str, look: Look) {
    if text.is_empty() {
        return;
    }
    if look != *open {
        if *open != Look::PLAIN {
            html.push_str("</span>");
        }
        if look != Look::PLAIN {
            look.open(html);
        }
        *open = look;
    }
    escape::text_into(text, html);
}

fn highlighted(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() || code.len() > MAX_HIGHLIGHT_BYTES {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut parser = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2);
    let mut open = Look::PLAIN;
    LOOKS.with_borrow_mut(|looks| {
        for line in LinesWithEndings::from(code) {
            let mut from = 0;
            for (at, op) in parser.parse_line(line, set).ok()? {
                let look = look_for(stack.as_slice(), looks);
                piece(&mut html, &mut open, &line[from..at], look);
                from = at;
                stack.apply(&op).ok()?;
            }
            let look = look_for(stack.as_slice(), looks);
            piece(&mut html, &mut open, &line[from..], look);
        }
        Some(())
    })?;
    if open != Look::PLAIN {
        html.push_str("</span>");
    }
    Some(html)
}

/// The stylesheet for highlighted code: the font styles, the colours of
/// the light scheme, the same classes for the dark scheme, then the high
/// contrast mode's rule; every colour adjusted for contrast against its
/// scheme's code background.
pub fn stylesheet() -> String {
    let palette = palette();
    let rules = |adjust: fn(Color, Color, f64) -> Color, background: Color| {
        let mut css = String::new();
        for (i, &c) in palette.colours.iter().enumerate() {
            let c = adjust(c, background, MIN_CONTRAST);
            let _ = writeln!(css, ".hl-{i}{{color:#{:02x}{:02x}{:02x}}}", c.r, c.g, c.b);
        }
        css
    };
    let mut css =
        String::from("/* Code colours: the InspiredGitHub theme, adjusted to 4.5:1. */\n");
    for (_, class, rule) in FONT_STYLES {
        let _ = writeln!(css, ".{class}{{{rule}}}");
    }
    css.push_str(&rules(darken_until, BACKGROUND));
    css.push_str(DARK_RULES);
    css.push('\n');
    css.push_str(&rules(lighten_until, DARK_BACKGROUND));
    css.push_str("}\n");
    css.push_str(HIGH_CONTRAST_RULES);
    css
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

    /// The looks kept per scope stack are the ones syntect's own
    /// highlighter gives token by token.
    #[test]
    fn looks_match_syntects_highlighter() {
        let samples = [
            ("rust", "use std::fs;\n/// Doc.\nfn main() -> Result<(), E> {\n    let s = \"a\\n{}\"; // x\n    Ok(())\n}\n"),
            ("python", "@dec\ndef f(a: int = 2) -> str:\n    \"\"\"Doc.\"\"\"\n    return f\"{a!r}\"  # c\n"),
            ("html", "<!-- c -->\n<a href=\"/x\" class='b'>T &amp; t</a>\n<script>let x = 1;</script>\n"),
            ("yaml", "# c\ntitle: \"P\"\nlist:\n  - 1\n  - true\n"),
        ];
        for (lang, code) in samples {
            let set = syntaxes();
            let syntax = set.find_syntax_by_token(lang).unwrap();
            let mut lines = syntect::easy::HighlightLines::new(syntax, &palette().theme);
            let (mut expected, mut open) = (String::new(), Look::PLAIN);
            for line in LinesWithEndings::from(code) {
                for (style, text) in lines.highlight_line(line, set).unwrap() {
                    piece(&mut expected, &mut open, text, Look::of(palette(), style));
                }
            }
            if open != Look::PLAIN {
                expected.push_str("</span>");
            }
            // Twice: with the looks yet to be found, then kept.
            for _ in 0..2 {
                assert_eq!(highlighted(code, lang).unwrap(), expected, "{lang}");
            }
            assert!(expected.contains("<span class=\"hl-"), "{lang}: {expected}");
        }
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
                let colour = body.split("color:#").nth(1).map(|h| Color {
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
            assert!(seen >= 8, "{part}");
        }
        // The dark part recolours every colour class of the light part, so
        // no light scheme colour is left on the dark background.
        let colour_classes = |part| {
            rules(part)
                .into_iter()
                .filter(|(_, c)| c.is_some())
                .map(|(s, _)| s)
                .collect::<Vec<_>>()
        };
        assert_eq!(colour_classes(light), colour_classes(dark));
        assert_eq!(colour_classes(light).len(), palette().colours.len());
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

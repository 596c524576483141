//! Markdown: reads a page body and collects what later stages need from it
//! ([`analyse`]: headings and their ids, tutorial steps, links, images,
//! tables, raw HTML and the prose for the reading-level check), and walks
//! it again for render, which turns it into HTML ([`to_html`]) through the
//! [`Html`] it gives (code colouring, sanitising).
//!
//! Both take the body text, the line where it starts in its file, and a
//! resolver that maps paths under content/ to site addresses. Analysis does
//! not decide whether a link is broken (that needs the whole site): it
//! records where each link leads and where it was written. Both walks share
//! one function, so ids and steps are the same in the facts and the HTML.

use crate::content::slug::slugify;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Maximum nesting of lists and quotes; deeper input is flattened into text.
pub const MAX_NESTING: usize = 64;

/// Maps a path relative to content/ (no leading `/`, already normalised) to
/// the site address of the page or file there, if one exists.
pub trait Resolve: Sync {
    fn resolve(&self, content_path: &str) -> Option<String>;

    /// The path of the site's base URL (`/giro` for `https://x.org/giro/`),
    /// written before every site address in links.
    fn prefix(&self) -> &str {
        ""
    }

    /// The width and height in pixels of the picture published at
    /// `address` (a site path, without the prefix), when known.
    fn image_size(&self, _address: &str) -> Option<(u32, u32)> {
        None
    }

    /// The smaller copies of the photo at `address` (site paths, without
    /// the prefix) and their widths.
    fn image_variants(&self, _address: &str) -> &[(String, u32)] {
        &[]
    }
}

pub struct RenderOptions<'a> {
    /// Split the body at level-2 headings into steps.
    pub steps: bool,
    /// Keep raw HTML as written instead of sanitising it.
    pub trust_html: bool,
    /// The folder of the source file, relative to content/ (`tutorial`).
    pub dir: &'a str,
    /// 1-based line of the file where the body starts.
    pub first_line: usize,
    /// Heading ids as GitHub, Hugo and mdBook make them (`perché-spid`)
    /// instead of pillole's ASCII slugs (`perche-spid`), so that links
    /// written for a site brought over keep working.
    pub github_ids: bool,
}

/// What render supplies to make HTML of a body.
pub trait Html: Sync {
    /// A code block as HTML, coloured while `budget` (bytes of code per
    /// page) lasts.
    fn code(&self, text: &str, lang: &str, budget: &mut usize) -> String;
    /// A body's HTML with its raw HTML made safe.
    fn clean(&self, html: &str) -> String;
}

/// A body as HTML: the introduction (or the whole body) and each step.
#[derive(Clone, Debug, Default)]
pub struct BodyHtml {
    pub intro: String,
    pub steps: Vec<String>,
}

impl BodyHtml {
    /// The same body for paper: pictures load at once (a printed page
    /// cannot wait for the reader to scroll).
    pub fn for_print(&self) -> std::borrow::Cow<'_, BodyHtml> {
        const LAZY: &str = r#" loading="lazy""#;
        let parts = || std::iter::once(&self.intro).chain(&self.steps);
        if !parts().any(|h| h.contains(LAZY)) {
            return std::borrow::Cow::Borrowed(self);
        }
        std::borrow::Cow::Owned(BodyHtml {
            intro: self.intro.replace(LAZY, ""),
            steps: self.steps.iter().map(|h| h.replace(LAZY, "")).collect(),
        })
    }

    /// Whether any part shows a code block (the page then loads the code stylesheet).
    pub fn has_code(&self) -> bool {
        std::iter::once(&self.intro)
            .chain(&self.steps)
            .any(|h| h.contains(r#"<pre class="code""#))
    }
}

/// What a body holds, without its HTML.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub steps: Vec<Step>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub tables: Vec<Table>,
    /// Lines where raw HTML was found, and whether something unsafe was removed.
    pub raw_html: Vec<RawHtml>,
    /// Ids of definition terms (`<dt>`), with GitHub-style ids only, as
    /// Goldmark's `autoDefinitionTermID` gives them.
    pub term_ids: Vec<String>,
    /// The prose, block by block; their text is read with [`Analysis::prose`].
    pub blocks: Vec<Block>,
    /// The pieces of text of every block, in order.
    pieces: Vec<Piece>,
    /// Text that is not a slice of the body (decoded entities, escapes).
    decoded: String,
}

impl Analysis {
    /// Gives back what the lists reserved but did not use (an analysis is
    /// kept for the whole build).
    fn shrink_to_fit(&mut self) {
        self.steps.shrink_to_fit();
        self.headings.shrink_to_fit();
        self.links.shrink_to_fit();
        self.tables.shrink_to_fit();
        self.raw_html.shrink_to_fit();
        self.term_ids.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.pieces.shrink_to_fit();
        self.decoded.shrink_to_fit();
    }

    /// Calls `f` with every prose block and its text (pieces joined, a line
    /// break for each break in the source). `body` is the text this analysis
    /// was made from; nothing is copied when a block is one piece.
    pub fn prose(&self, body: &str, mut f: impl FnMut(&Block, &str)) {
        self.prose_while(body, |b, t| {
            f(b, t);
            true
        });
    }

    /// [`Analysis::prose`] until `f` returns false.
    pub fn prose_while(&self, body: &str, mut f: impl FnMut(&Block, &str) -> bool) {
        let mut buf = String::new();
        for b in &self.blocks {
            let pieces = &self.pieces[b.pieces.start as usize..b.pieces.end as usize];
            let go_on = if let [one] = pieces {
                f(b, one.text(body, &self.decoded))
            } else {
                buf.clear();
                for p in pieces {
                    buf.push_str(p.text(body, &self.decoded));
                }
                f(b, &buf)
            };
            if !go_on {
                return;
            }
        }
    }
}

/// A piece of prose text, held as a place rather than a copy.
#[derive(Clone, Copy, Debug)]
enum Piece {
    /// Bytes of the body.
    Body(u32, u32),
    /// Bytes of [`Analysis::decoded`].
    Decoded(u32, u32),
    Newline,
}

impl Piece {
    fn text<'a>(self, body: &'a str, decoded: &'a str) -> &'a str {
        match self {
            Piece::Body(a, b) => body.get(a as usize..b as usize).unwrap_or(""),
            Piece::Decoded(a, b) => decoded.get(a as usize..b as usize).unwrap_or(""),
            Piece::Newline => "\n",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub title: String,
    pub id: String,
    pub line: usize,
}

#[derive(Clone, Debug)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// `https://…`, `mailto:`, `tel:`: left as written.
    External,
    /// `#id` in the same page.
    SamePage(String),
    /// A page or file of this site: its address and optional fragment.
    Internal {
        url: String,
        fragment: Option<String>,
    },
    /// A site address written as `/x/`: checked against the site later.
    Absolute {
        url: String,
        fragment: Option<String>,
    },
    /// A relative path that leads to nothing under content/.
    Missing(String),
    /// A `javascript:` or other script URL.
    Script,
}

#[derive(Clone, Debug)]
pub struct Link {
    pub dest: String,
    pub target: Target,
    pub text: String,
    pub is_image: bool,
    pub line: usize,
    pub column: usize,
    /// Index of the step the link is in (tutorials), if any.
    pub step: Option<usize>,
    /// Whether `text` is what readers get (false for a link of raw HTML
    /// whose words are not in the same fragment, or a picture marked as
    /// decorative with `alt=""`).
    pub checks_text: bool,
    /// Whether it is written in raw HTML (not a Markdown link or picture).
    pub in_raw_html: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub line: usize,
    pub has_header: bool,
}

#[derive(Clone, Debug)]
pub struct RawHtml {
    pub line: usize,
    /// What the sanitiser took out, named for the editor (empty: nothing).
    pub removed: Vec<String>,
}

impl RawHtml {
    pub fn unsafe_found(&self) -> bool {
        !self.removed.is_empty()
    }
}

/// A unit of prose for the reading-level check and the search index.
#[derive(Clone, Debug)]
pub struct Block {
    /// Its pieces in [`Analysis::pieces`].
    pieces: Range<u32>,
    pub line: u32,
    /// List items, headings and table cells count as a sentence on their own.
    pub is_unit: bool,
    /// The step it belongs to (tutorials), or None for the introduction.
    pub step: Option<u32>,
}

/// The Markdown extensions pillole reads (the importer finds code the same way).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
}

/// Kramdown's and Goldmark's attribute lines (`{: .note}`, `{:toc}`,
/// `{#id .class}`, `{class="h2"}` on a line of their own) are instructions
/// to other generators: readers must not see them. Returns the body with
/// each such line outside code blocks turned into spaces (so every offset
/// and line number stays the same), and the ids those lines give to the
/// heading just above them (by the attribute line's 0-based index), or
/// nothing when the body has none.
fn without_attribute_lines(body: &str) -> Option<(String, HashMap<usize, String>)> {
    // A line starting with `{`: found by its brace (rare in prose).
    let bytes = body.as_bytes();
    if !memchr::memchr_iter(b'{', bytes).any(|i| i == 0 || bytes[i - 1] == b'\n') {
        return None;
    }
    let mut text: Option<String> = None;
    let mut ids = HashMap::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let at = start;
        start += line.len();
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let fence_mark = trimmed.bytes().next().filter(|b| *b == b'`' || *b == b'~');
        if let Some(mark) = fence_mark {
            let run = trimmed.bytes().take_while(|b| *b == mark).count();
            if run >= 3 && indent < 4 {
                match fence {
                    None => fence = Some((mark, run)),
                    Some((m, n)) if m == mark && run >= n && trimmed.len() == run => fence = None,
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() || indent >= 4 || !is_attribute_line(trimmed) {
            continue;
        }
        if let Some(id) = attribute_id(trimmed) {
            ids.insert(index, id);
        }
        let text = text.get_or_insert_with(|| body.to_string());
        let end = at + line.trim_end_matches(['\n', '\r']).len();
        // As many spaces as bytes: offsets and lines stay where they were.
        text.replace_range(at..end, &" ".repeat(end - at));
    }
    text.map(|t| (t, ids))
}

/// The length of an attribute list at the start of `rest` (`{: .c}`,
/// `{target="_blank", rel='x'}`), on one line; None when there is none.
fn inline_attributes(rest: &str) -> Option<usize> {
    if !rest.starts_with('{') {
        return None;
    }
    let end = rest.find('}')?;
    let list = &rest[..=end];
    if list.contains('\n') {
        return None;
    }
    is_attribute_line(&list.replace(',', " ")).then_some(end + 1)
}

/// `{: .class #id key="v"}`, `{:toc}`, `{#id}`, `{.class}`, `{class="a b"}`.
fn is_attribute_line(line: &str) -> bool {
    let Some(inner) = line.strip_prefix('{').and_then(|l| l.strip_suffix('}')) else {
        return false;
    };
    if inner.starts_with(['{', '%', '<', '"']) {
        return false;
    }
    let inner = inner.strip_prefix(':').unwrap_or(inner).trim();
    if inner.is_empty() {
        return line.starts_with("{:");
    }
    attribute_tokens(inner).is_some_and(|tokens| {
        tokens.iter().all(|t| {
            let name_ok = |n: &str| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':'))
            };
            if let Some(name) = t.strip_prefix(['.', '#']) {
                name_ok(name)
            } else if let Some((key, _)) = t.split_once('=') {
                name_ok(key)
            } else {
                *t == "toc" || *t == "no_toc"
            }
        })
    })
}

/// The tokens of an attribute list, quotes kept together; None when a
/// quote is not closed.
fn attribute_tokens(inner: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    tokens.push(&inner[s..i]);
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if let Some(s) = start {
        tokens.push(&inner[s..]);
    }
    Some(tokens)
}

/// The `#id` of an attribute line, if it gives one.
fn attribute_id(line: &str) -> Option<String> {
    let inner = line.trim_start_matches(['{', ':']).trim_end_matches('}');
    attribute_tokens(inner)?
        .into_iter()
        .find_map(|t| t.strip_prefix('#').map(str::to_string))
}

/// Byte offset -> (line, column) in the body, shifted to file lines.
struct Lines {
    starts: Vec<usize>,
    first_line: usize,
    /// The last column counted: (line index, byte offset, column), so that
    /// columns asked for left to right on one long line cost its length
    /// once, not once per call.
    last: std::cell::Cell<(usize, usize, usize)>,
    /// The line index last found: events come mostly in order.
    cursor: std::cell::Cell<usize>,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines {
            starts,
            first_line,
            last: std::cell::Cell::new((0, 0, 1)),
            cursor: std::cell::Cell::new(0),
        }
    }

    /// The index of the line holding `offset`: the last line found or one
    /// of the few after it, else found by halving.
    fn index(&self, offset: usize) -> usize {
        let starts = &self.starts;
        let from = self.cursor.get();
        let found = if starts[from] <= offset {
            (from..starts.len().min(from + 4))
                .find(|&j| starts.get(j + 1).is_none_or(|&next| next > offset))
        } else {
            None
        };
        let i = found.unwrap_or_else(|| match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        });
        self.cursor.set(i);
        i
    }

    /// The file line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.first_line + self.index(offset)
    }

    fn at(&self, text: &str, offset: usize) -> (usize, usize) {
        let idx = self.index(offset);
        let (last_idx, last_offset, last_col) = self.last.get();
        let (from, base) = if last_idx == idx && last_offset <= offset {
            (last_offset, last_col)
        } else {
            (self.starts[idx], 1)
        };
        let col = text
            .get(from..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + base;
        self.last.set((idx, offset, col));
        (self.first_line + idx, col)
    }
}

struct OpenBlock {
    pieces: Vec<Piece>,
    /// Whether a piece holds more than whitespace.
    has_text: bool,
    line: usize,
    is_unit: bool,
}

/// A heading being read: its events are held until its text (and id) is known.
struct OpenHeading<'a> {
    start: usize,
    inner: Vec<Event<'a>>,
    text: String,
    given_id: Option<String>,
    classes: Vec<CowStr<'a>>,
}

/// A picture being read: its text alternative is gathered until its end,
/// then it is written as one `<img>` with its size.
struct OpenImage {
    src: String,
    title: String,
    alt: String,
    size: Option<(u32, u32)>,
    /// `srcset` candidates: smaller copies and the original, with widths.
    srcset: Vec<(String, u32)>,
    /// Pictures written inside its text (`![a ![b](c)](d)`) still open.
    nested: usize,
}

impl OpenImage {
    /// The `<img>` element: its size keeps the page from jumping while it
    /// loads, and it is fetched only when the reader scrolls near it.
    fn to_html(&self) -> String {
        use pulldown_cmark_escape::{escape_href, escape_html};
        let mut h = String::from("<img src=\"");
        let _ = escape_href(&mut h, &self.src);
        h.push_str("\" alt=\"");
        let _ = escape_html(&mut h, &self.alt);
        h.push('"');
        if !self.title.is_empty() {
            h.push_str(" title=\"");
            let _ = escape_html(&mut h, &self.title);
            h.push('"');
        }
        if !self.srcset.is_empty() {
            h.push_str(" srcset=\"");
            for (k, (src, w)) in self.srcset.iter().enumerate() {
                if k > 0 {
                    h.push_str(", ");
                }
                let _ = escape_href(&mut h, src);
                h.push_str(&format!(" {w}w"));
            }
            // A page's text is at most ~45rem wide; on a phone, the screen.
            h.push_str(r#"" sizes="(min-width: 48em) 45rem, 100vw""#);
        }
        if let Some((width, height)) = self.size {
            h.push_str(&format!(r#" width="{width}" height="{height}""#));
        }
        h.push_str(r#" loading="lazy" decoding="async">"#);
        h
    }
}

/// A raw HTML block being read, to look at it whole at its end.
struct OpenHtml {
    text: String,
    line: usize,
    flagged: bool,
}

struct OpenLink {
    index: usize,
}

/// Where text `t` of an event is: a slice of `body` when it is one, else
/// copied into `decoded`.
fn piece(body: &str, t: &str, decoded: &mut String) -> Piece {
    let offset = (t.as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
    if offset <= body.len() && t.len() <= body.len() - offset && body.len() < u32::MAX as usize {
        return Piece::Body(offset as u32, (offset + t.len()) as u32);
    }
    let start = decoded.len() as u32;
    decoded.push_str(t);
    Piece::Decoded(start, decoded.len() as u32)
}

/// Adds a piece to a block, as part of the one before when the body has
/// them side by side (a line break counts when the body has one there).
fn push_piece(pieces: &mut Vec<Piece>, next: Piece, body: &str) {
    if let Some(Piece::Body(_, end)) = pieces.last_mut() {
        match next {
            Piece::Body(start, to) if start == *end => return *end = to,
            Piece::Newline if body.as_bytes().get(*end as usize) == Some(&b'\n') => {
                return *end += 1;
            }
            _ => {}
        }
    }
    pieces.push(next);
}

/// What every table is put in: a region that scrolls sideways on a narrow
/// screen, reachable and named for keyboard and screen-reader users.
pub const TABLE_REGION: &str =
    r#"<div class="table-wrap" tabindex="0" role="region" aria-label="Tabella">"#;

/// What a Markdown body holds.
pub fn analyse(body: &str, opts: &RenderOptions, resolver: &dyn Resolve) -> Analysis {
    walk(body, opts, resolver, None).0
}

/// A Markdown body as HTML. `analysis` is the body's own ([`analyse`]
/// with the same options): its headings and terms keep the ids found there.
pub fn to_html(
    body: &str,
    analysis: &Analysis,
    opts: &RenderOptions,
    resolver: &dyn Resolve,
    html: &dyn Html,
) -> BodyHtml {
    walk(body, opts, resolver, Some((html, analysis))).1
}

/// Bytes of code coloured in one page, at most: past it code blocks are
/// shown without colours, so a page of many long blocks still builds quickly.
pub const PAGE_HIGHLIGHT_BYTES: usize = 20_000;

/// Reads a body; with `html`, also makes its HTML, taking the ids of
/// headings and terms from the body's analysis.
fn walk(
    body: &str,
    opts: &RenderOptions,
    resolver: &dyn Resolve,
    html: Option<(&dyn Html, &Analysis)>,
) -> (Analysis, BodyHtml) {
    let (html, known) = html.unzip();
    let blanked = without_attribute_lines(body);
    let (body, attribute_ids) = match &blanked {
        Some((text, ids)) => (text.as_str(), Some(ids)),
        None => (body, None),
    };
    let lines = Lines::new(body, opts.first_line);
    // The id an attribute line under a heading gives it (kramdown's
    // `## Titolo` then `{: #id}`).
    let id_below = |range: &Range<usize>| {
        let next = lines.index(range.end.saturating_sub(1)) + 1;
        attribute_ids.and_then(|ids| ids.get(&next).cloned())
    };
    let mut out = Analysis::default();
    // The HTML pass keeps only what its output needs from the analysis
    // (steps, ids, link targets): prose and link texts are the analysis's.
    let analysing = html.is_none();
    let mut ids: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut highlight_budget = PAGE_HIGHLIGHT_BYTES;
    // Output chunks: 0 is the introduction (or the whole body), then one per step.
    let mut chunks: Vec<Vec<Event>> = vec![Vec::new()];
    let mut heading: Option<OpenHeading> = None;
    let mut image: Option<OpenImage> = None;
    let mut code: Option<(String, String)> = None;
    let mut blocks: Vec<OpenBlock> = Vec::new();
    let mut spare_pieces: Vec<Vec<Piece>> = Vec::new();
    let mut links: Vec<OpenLink> = Vec::new();
    let mut in_table_head = false;
    let mut head_has_text = false;
    let mut depth = 0usize;
    let mut has_raw_html = false;
    let mut html_block: Option<OpenHtml> = None;
    // All the raw HTML, and the line of its first form field: fields no
    // label names are found once the whole body is read.
    let mut raw_text = String::new();
    let mut first_field: Option<usize> = None;
    // Open elements of the raw HTML so far.
    let mut raw_depth = 0usize;
    let mut item_depth = 0usize;

    // End of an attribute list written right after a link or picture
    // (`[x](y){: .c}`, `{target="_blank"}`): its text is left out.
    let mut attributes_end = 0;
    // The text of the definition term being read (GitHub-style ids only).
    let mut term: Option<String> = None;
    // Its events, held until its id is known (HTML only).
    let mut term_events: Option<Vec<Event>> = None;
    // Whether the open link has words so far, and whether a link had none
    // (HTML only).
    let mut link_has_words: Option<bool> = None;
    let mut wordless_link = false;
    // Headings given their id so far (HTML only).
    let mut headings_made = 0;
    // The analysis's Markdown links, in the order the HTML pass meets them
    // (the same body read the same way): where each leads is known already.
    let mut known_links = known.map(|k| k.links.iter().filter(|l| !l.in_raw_html));
    let mut known_target: Option<&Target> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let event = match event {
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(n) = inline_attributes(&body[range.end..]) {
                    attributes_end = range.end + n;
                }
                event
            }
            Event::Text(_) if range.end <= attributes_end => continue,
            Event::Text(t) if range.start < attributes_end => {
                if offset_in(body, &t) == Some(range.start) && t.len() == range.len() {
                    Event::Text(CowStr::Borrowed(&body[attributes_end..range.end]))
                } else {
                    continue;
                }
            }
            e => e,
        };
        // Columns are counted only where they are reported (links).
        let line = lines.line(range.start);
        // Whether this event's raw HTML is shown as text instead.
        let mut escaped = false;
        let step = if opts.steps && !out.steps.is_empty() {
            Some(out.steps.len() - 1)
        } else {
            None
        };
        // Definition terms get ids as headings do (GitHub-style ids only).
        match &event {
            Event::Start(Tag::DefinitionListTitle) if opts.github_ids => {
                term = Some(String::new());
            }
            Event::End(TagEnd::DefinitionListTitle) if opts.github_ids => {
                let text = term.take().unwrap_or_default();
                let id = match known.and_then(|k| k.term_ids.get(out.term_ids.len())) {
                    Some(id) => id.clone(),
                    None => unique_id(&mut ids, &mut next_suffix, github_slug(&text), 1),
                };
                out.term_ids.push(id);
            }
            _ => {}
        }
        // 1. Gather prose, links and structure from the source events.
        match &event {
            Event::Start(tag) => {
                match tag {
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::TableCell
                    | Tag::Item
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition => {
                        if matches!(
                            tag,
                            Tag::Item | Tag::DefinitionListTitle | Tag::DefinitionListDefinition
                        ) {
                            item_depth += 1;
                        }
                        let is_unit = !matches!(tag, Tag::Paragraph) || item_depth > 0;
                        blocks.push(OpenBlock {
                            pieces: spare_pieces.pop().unwrap_or_default(),
                            has_text: false,
                            line,
                            is_unit,
                        });
                    }
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        known_target = known_links
                            .as_mut()
                            .and_then(Iterator::next)
                            .map(|l| &l.target);
                        if known_target.is_none() {
                            out.links.push(markdown_link(
                                tag,
                                dest_url,
                                opts.dir,
                                resolver,
                                line,
                                lines.at(body, range.start).1,
                                step,
                            ));
                            links.push(OpenLink {
                                index: out.links.len() - 1,
                            });
                        }
                    }
                    Tag::Table(_) => out.tables.push(Table {
                        line,
                        has_header: false,
                    }),
                    Tag::TableHead => {
                        in_table_head = true;
                        head_has_text = false;
                    }
                    Tag::HtmlBlock => {
                        html_block = Some(OpenHtml {
                            text: String::new(),
                            line,
                            flagged: false,
                        });
                    }
                    _ => {}
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::TableCell
                    | TagEnd::Item
                    | TagEnd::DefinitionListTitle
                    | TagEnd::DefinitionListDefinition => {
                        if matches!(
                            end,
                            TagEnd::Item
                                | TagEnd::DefinitionListTitle
                                | TagEnd::DefinitionListDefinition
                        ) {
                            item_depth = item_depth.saturating_sub(1);
                        }
                        // A step's heading belongs to the step it opens.
                        let step = match end {
                            TagEnd::Heading(HeadingLevel::H2) if opts.steps => {
                                Some(out.steps.len())
                            }
                            _ => step,
                        };
                        if let Some(mut b) = blocks.pop() {
                            if b.has_text {
                                let start = out.pieces.len() as u32;
                                out.pieces.append(&mut b.pieces);
                                out.blocks.push(Block {
                                    pieces: start..out.pieces.len() as u32,
                                    line: b.line as u32,
                                    is_unit: b.is_unit,
                                    step: step.map(|s| s as u32),
                                });
                            }
                            b.pieces.clear();
                            spare_pieces.push(b.pieces);
                        }
                    }
                    TagEnd::Link | TagEnd::Image => {
                        links.pop();
                    }
                    // A tag written over several lines is only whole here.
                    TagEnd::HtmlBlock => {
                        if let Some(b) = html_block.take() {
                            if analysing && !b.flagged && !opts.trust_html {
                                let removed = crate::sanitize::removed(&b.text);
                                if !removed.is_empty() {
                                    out.raw_html.push(RawHtml {
                                        line: b.line,
                                        removed,
                                    });
                                }
                            }
                        }
                    }
                    TagEnd::TableHead => {
                        in_table_head = false;
                        if let Some(t) = out.tables.last_mut() {
                            t.has_header = head_has_text;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if code.is_none() => {
                if let Some(term) = term.as_mut() {
                    term.push_str(t);
                }
                if let Some(b) = blocks.last_mut().filter(|_| analysing) {
                    b.has_text |= !t.trim().is_empty();
                    let p = piece(body, t, &mut out.decoded);
                    push_piece(&mut b.pieces, p, body);
                }
                if analysing {
                    for l in &links {
                        out.links[l.index].text.push_str(t);
                    }
                }
                if in_table_head && !t.trim().is_empty() {
                    head_has_text = true;
                }
            }
            Event::Code(t) => {
                if let Some(term) = term.as_mut() {
                    term.push_str(t);
                }
                if analysing {
                    for l in &links {
                        out.links[l.index].text.push_str(t);
                    }
                }
                if in_table_head {
                    head_has_text = true;
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = blocks.last_mut().filter(|_| analysing) {
                    push_piece(&mut b.pieces, Piece::Newline, body);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                // Raw HTML nested deeper than the limit is shown as text:
                // parsing it costs the square of its depth.
                let (delta, peak) = html_depth(h);
                escaped = !opts.trust_html && raw_depth + peak > MAX_NESTING;
                if !escaped {
                    raw_depth = raw_depth.saturating_add_signed(delta);
                }
                if analysing && !opts.trust_html && !escaped {
                    let removed = crate::sanitize::removed(h);
                    if let Some(b) = html_block.as_mut() {
                        b.text.push_str(h);
                        b.flagged |= !removed.is_empty();
                    }
                    // A fragment with something unsafe is reported as such;
                    // its links are not read.
                    let links_of = if removed.is_empty() { h.as_ref() } else { "" };
                    out.raw_html.push(RawHtml { line, removed });
                    let base = offset_in(body, h).unwrap_or(range.start);
                    for link in raw_links(links_of) {
                        let target = classify(&link.dest, opts.dir, resolver);
                        // The sanitiser removes script addresses and says so.
                        if target == Target::Script {
                            continue;
                        }
                        out.links.push(Link {
                            target,
                            line: lines.line(base + link.at),
                            column: lines.at(body, base + link.at).1,
                            step,
                            dest: link.dest,
                            text: link.text,
                            is_image: link.is_image,
                            checks_text: link.checks_text,
                            in_raw_html: true,
                        });
                    }
                    raw_text.push_str(h);
                    if first_field.is_none() && h.to_ascii_lowercase().contains("<input") {
                        first_field = Some(line);
                    }
                }
            }
            _ => {}
        }

        // 2. Transform the event for output (only headings, for their ids,
        // when no HTML is made).
        let Some(html) = html else {
            match event {
                Event::Start(Tag::Heading { id, .. }) if heading.is_none() => {
                    heading = Some(OpenHeading {
                        start: range.start,
                        inner: Vec::new(),
                        text: String::new(),
                        given_id: id.map(|s| s.to_string()).or_else(|| id_below(&range)),
                        classes: Vec::new(),
                    });
                }
                Event::End(TagEnd::Heading(level)) => {
                    if let Some(h) = heading.take() {
                        close_heading(
                            h,
                            level,
                            &mut out,
                            &mut ids,
                            &mut next_suffix,
                            &lines,
                            body,
                            opts,
                        );
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = heading.as_mut() {
                        h.text.push_str(&t);
                    }
                }
                // Raw HTML shown as text is text of the heading too.
                Event::Html(t) | Event::InlineHtml(t) if escaped => {
                    if let Some(h) = heading.as_mut() {
                        h.text.push_str(&t);
                    }
                }
                _ => {}
            }
            continue;
        };
        if let Some(open) = image.as_mut() {
            match &event {
                Event::Start(Tag::Image { .. }) => open.nested += 1,
                Event::End(TagEnd::Image) if open.nested > 0 => open.nested -= 1,
                Event::Text(t) | Event::Code(t) => {
                    open.alt.push_str(t);
                    if let Some(h) = heading.as_mut() {
                        h.text.push_str(t);
                    }
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    open.alt.push_str(t);
                    if let Some(h) = heading.as_mut().filter(|_| escaped) {
                        h.text.push_str(t);
                    }
                }
                Event::SoftBreak | Event::HardBreak => open.alt.push(' '),
                _ => {}
            }
            if !matches!(event, Event::End(TagEnd::Image)) || open.nested > 0 {
                continue;
            }
        }
        // `[](x)`, `[![](foto.png)](x)`: a link with no words in it may
        // have nothing to read out; the body is tidied at the end.
        match &event {
            Event::Start(Tag::Link { .. }) => link_has_words = Some(false),
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(words) = link_has_words.as_mut() {
                    *words = true;
                }
            }
            Event::End(TagEnd::Link) => wordless_link |= link_has_words.take() == Some(false),
            _ => {}
        }
        // Most events (text, paragraphs, list items) go out as they are,
        // straight into the step being written.
        if code.is_none()
            && heading.is_none()
            && term_events.is_none()
            && matches!(
                event,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::Start(Tag::Paragraph | Tag::Item)
                    | Event::End(TagEnd::Paragraph | TagEnd::Item)
            )
        {
            chunks
                .last_mut()
                .expect("chunks is never empty")
                .push(event);
            continue;
        }
        let transformed: [Option<Event>; 2] = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(
                    &dest_url,
                    known_target.or(out.links.last().map(|l| &l.target)),
                    resolver.prefix(),
                );
                [
                    Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id,
                    })),
                    None,
                ]
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let target = known_target.or(out.links.last().map(|l| &l.target));
                let url = match target {
                    Some(Target::Internal { url, .. } | Target::Absolute { url, .. }) => {
                        Some(url.as_str())
                    }
                    _ => None,
                };
                let size = url.and_then(|u| resolver.image_size(u));
                let src = rewrite(&dest_url, target, resolver.prefix()).into_string();
                let mut srcset: Vec<(String, u32)> = url
                    .map(|u| resolver.image_variants(u))
                    .unwrap_or_default()
                    .iter()
                    .map(|(path, w)| (format!("{}{path}", resolver.prefix()), *w))
                    .collect();
                if let (false, Some((width, _))) = (srcset.is_empty(), size) {
                    srcset.push((src.clone(), width));
                }
                image = Some(OpenImage {
                    src,
                    title: title.into_string(),
                    alt: String::new(),
                    size,
                    srcset,
                    nested: 0,
                });
                [None, None]
            }
            Event::End(TagEnd::Image) => match image.take() {
                Some(open) => [Some(Event::Html(open.to_html().into())), None],
                None => [None, None],
            },
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                [None, None]
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
                [None, None]
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap_or_default();
                [
                    Some(Event::Html(
                        html.code(&text, &lang, &mut highlight_budget).into(),
                    )),
                    None,
                ]
            }
            Event::Start(Tag::Table(a)) => [
                Some(Event::Html(TABLE_REGION.into())),
                Some(Event::Start(Tag::Table(a))),
            ],
            // A task-list box is a picture with a name, not an unlabelled form control.
            Event::TaskListMarker(done) => [
                Some(Event::Html(
                    if done {
                        r#"<span class="task-box" role="img" aria-label="fatto">☑</span> "#
                    } else {
                        r#"<span class="task-box" role="img" aria-label="da fare">☐</span> "#
                    }
                    .into(),
                )),
                None,
            ],
            Event::End(TagEnd::Table) => [
                Some(Event::End(TagEnd::Table)),
                Some(Event::Html("</div>".into())),
            ],
            Event::Html(h) | Event::InlineHtml(h) if escaped => [Some(Event::Text(h)), None],
            Event::Html(h) => [
                Some(Event::Html(
                    rewrite_raw_links(&h, opts.dir, resolver).map_or(h, Into::into),
                )),
                None,
            ],
            Event::InlineHtml(h) => [
                Some(Event::InlineHtml(
                    rewrite_raw_links(&h, opts.dir, resolver).map_or(h, Into::into),
                )),
                None,
            ],
            Event::Start(
                Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough,
            ) if depth > MAX_NESTING => [None, None],
            Event::End(
                TagEnd::List(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough,
            ) if depth >= MAX_NESTING => [None, None],
            e => [Some(e), None],
        };

        // 3. Route: headings are buffered to get their id; level-2 headings of
        // tutorials open a new step.
        for e in transformed.into_iter().flatten() {
            match e {
                Event::Start(Tag::DefinitionListTitle) if opts.github_ids => {
                    term_events = Some(Vec::new());
                }
                Event::End(TagEnd::DefinitionListTitle) if term_events.is_some() => {
                    let inner = term_events.take().unwrap_or_default();
                    let id = out.term_ids.last().cloned().unwrap_or_default();
                    let chunk = chunks.last_mut().expect("chunks is never empty");
                    chunk.push(Event::Html(
                        format!("<dt id=\"{}\">", crate::raw_html::escape_value(&id)).into(),
                    ));
                    chunk.extend(inner);
                    chunk.push(Event::Html("</dt>\n".into()));
                }
                e if term_events.is_some() => {
                    if let Some(inner) = term_events.as_mut() {
                        inner.push(e);
                    }
                }
                Event::Start(Tag::Heading {
                    level: _,
                    id,
                    classes,
                    attrs: _,
                }) if heading.is_none() => {
                    heading = Some(OpenHeading {
                        start: range.start,
                        inner: Vec::new(),
                        text: String::new(),
                        given_id: id.map(|s| s.to_string()).or_else(|| id_below(&range)),
                        classes,
                    });
                }
                Event::End(TagEnd::Heading(level)) if heading.is_some() => {
                    let Some(mut open) = heading.take() else {
                        continue;
                    };
                    let inner = std::mem::take(&mut open.inner);
                    let classes = std::mem::take(&mut open.classes);
                    let id = match known.and_then(|k| k.headings.get(headings_made)) {
                        Some(h) => h.id.clone(),
                        None => close_heading(
                            open,
                            level,
                            &mut out,
                            &mut ids,
                            &mut next_suffix,
                            &lines,
                            body,
                            opts,
                        ),
                    };
                    headings_made += 1;
                    if opts.steps && level == HeadingLevel::H2 {
                        chunks.push(Vec::new());
                    } else {
                        let chunk = chunks.last_mut().expect("chunks is never empty");
                        chunk.push(Event::Start(Tag::Heading {
                            level,
                            id: Some(id.into()),
                            classes,
                            attrs: Vec::new(),
                        }));
                        chunk.extend(inner);
                        chunk.push(Event::End(TagEnd::Heading(level)));
                    }
                }
                e => {
                    if let Some(OpenHeading { inner, text, .. }) = heading.as_mut() {
                        if let Event::Text(t) | Event::Code(t) = &e {
                            text.push_str(t);
                        }
                        inner.push(e);
                    } else {
                        chunks.last_mut().expect("chunks is never empty").push(e);
                    }
                }
            }
        }
    }

    if let Some(line) = first_field {
        let n = crate::sanitize::unlabelled_fields(&raw_text);
        if n > 0 {
            out.raw_html.push(RawHtml {
                line,
                removed: vec![format!("{n} campi (<input>) senza etichetta")],
            });
        }
    }
    let Some(hooks) = html else {
        out.shrink_to_fit();
        return (out, BodyHtml::default());
    };
    let sanitize = has_raw_html && !opts.trust_html;
    let mut htmls = chunks.into_iter().map(|events| {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if sanitize {
            html = hooks.clean(&html);
        } else if !opts.trust_html && wordless_link && html.contains("\"></a>") {
            // A link with nothing to read out (`[](x)`) loses its tag.
            html = crate::sanitize::tidy(&html);
        }
        html
    });
    let intro = htmls.next().unwrap_or_default();
    let mut body = BodyHtml {
        intro,
        steps: htmls.collect(),
    };
    // Tables come from the Markdown or from raw HTML.
    if !out.tables.is_empty() || has_raw_html {
        name_tables_apart(&mut body);
        for html in std::iter::once(&mut body.intro).chain(body.steps.iter_mut()) {
            if html.contains("</th>") {
                *html = empty_headers_as_cells(html);
            }
        }
    }
    (out, body)
}

/// A header cell with nothing in it but spaces (the corner of a table
/// whose rows have headers, often a `&nbsp;`) written as a plain cell: a
/// screen reader has no header to announce there.
fn empty_headers_as_cells(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<th") {
        let after = &rest[at + 3..];
        let end = after.find('>').filter(|_| after.starts_with(['>', ' ']));
        // Where the cell's closing tag starts, if only spaces come before it.
        let close = end.and_then(|e| {
            let inside = &after[e + 1..];
            let mut left = inside.trim_start();
            while let Some(more) = ["&nbsp;", "&#160;"]
                .iter()
                .find_map(|n| left.strip_prefix(n))
            {
                left = more.trim_start();
            }
            left.starts_with("</th>")
                .then_some(e + 1 + inside.len() - left.len())
        });
        match end.zip(close) {
            Some((e, close)) => {
                out.push_str(&rest[..at]);
                out.push_str("<td");
                out.push_str(&after[..=e]);
                out.push_str("</td>");
                rest = &after[close + "</th>".len()..];
            }
            None => {
                out.push_str(&rest[..at + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Several tables in one page: each region gets its own name ("Tabella 2",
/// "Tabella 3"...), as regions of one page must be told apart.
fn name_tables_apart(body: &mut BodyHtml) {
    const LABEL: &str = r#"aria-label="Tabella">"#;
    let mut n = 0;
    for html in std::iter::once(&mut body.intro).chain(body.steps.iter_mut()) {
        if !html.contains(LABEL) {
            continue;
        }
        let mut out = String::with_capacity(html.len() + 16);
        let mut rest = html.as_str();
        while let Some(at) = rest.find(LABEL) {
            n += 1;
            out.push_str(&rest[..at]);
            if n == 1 {
                out.push_str(LABEL);
            } else {
                out.push_str(&format!(r#"aria-label="Tabella {n}">"#));
            }
            rest = &rest[at + LABEL.len()..];
        }
        out.push_str(rest);
        *html = out;
    }
}

/// Records a heading that has just ended (and the step it opens); returns its id.
#[allow(clippy::too_many_arguments)]
fn close_heading(
    open: OpenHeading,
    level: HeadingLevel,
    out: &mut Analysis,
    ids: &mut HashSet<String>,
    next_suffix: &mut HashMap<String, usize>,
    lines: &Lines,
    body: &str,
    opts: &RenderOptions,
) -> String {
    let (steps, github_ids) = (opts.steps, opts.github_ids);
    let text = open.text.trim().to_string();
    let base = open.given_id.unwrap_or_else(|| {
        if github_ids {
            github_slug(&text)
        } else {
            slugify(&text, "sezione")
        }
    });
    let id = unique_id(ids, next_suffix, base, if github_ids { 1 } else { 2 });
    let (line, column) = lines.at(body, open.start);
    out.headings.push(Heading {
        level: level as u8,
        text: text.clone(),
        id: id.clone(),
        line,
        column,
    });
    if steps && level == HeadingLevel::H2 {
        out.steps.push(Step {
            title: text,
            id: id.clone(),
            line,
        });
    }
    id
}

/// A heading id as GitHub makes it (and Hugo's and mdBook's defaults):
/// lowercase, letters, digits, `-` and `_` kept (accented letters too),
/// each space a `-`, everything else dropped.
pub fn github_slug(text: &str) -> String {
    let id: String = text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    if id.is_empty() {
        "sezione".to_string()
    } else {
        id
    }
}

/// `base`, or `base-2`, `base-3`... (from `first_suffix`) the first not taken. `next` remembers
/// where each base's search stopped (every suffix below it is taken), so
/// many equal headings cost linear time, not quadratic.
fn unique_id(
    ids: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
    base: String,
    first_suffix: usize,
) -> String {
    if ids.insert(base.clone()) {
        return base;
    }
    let n = next.entry(base.clone()).or_insert(first_suffix);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if ids.insert(id.clone()) {
            return id;
        }
    }
}

/// Where a link written in a page leads.
pub fn classify(dest: &str, dir: &str, resolver: &dyn Resolve) -> Target {
    let dest = dest.trim();
    if ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|scheme| starts_with_loosely(dest, scheme))
    {
        return Target::Script;
    }
    if let Some(frag) = dest.strip_prefix('#') {
        return Target::SamePage(frag.to_string());
    }
    if has_scheme(dest) || dest.starts_with("//") {
        return Target::External;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.starts_with('/') {
        return Target::Absolute {
            url: path.to_string(),
            fragment,
        };
    }
    let decoded = percent_decode(path);
    match normalize(dir, &decoded) {
        Some(p) => match resolver.resolve(&p) {
            Some(url) => Target::Internal { url, fragment },
            None => Target::Missing(p),
        },
        None => Target::Missing(decoded),
    }
}

/// Whether `dest` starts with `prefix` (lowercase ASCII) as a browser reads
/// a link's scheme: in any case, whitespace and control characters skipped.
fn starts_with_loosely(dest: &str, prefix: &str) -> bool {
    let mut read = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| c.to_ascii_lowercase());
    prefix.chars().all(|p| read.next() == Some(p))
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Joins a relative path to a folder under content/, resolving `.` and
/// `..`. None when it climbs out of content/.
pub fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    // Most paths have nothing to decode.
    if !s.bytes().any(|b| matches!(b, b'%' | b'&' | b'=')) {
        return s.to_string();
    }
    url::form_urlencoded::parse(s.replace('+', "%2B").as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn rewrite<'a>(dest: &CowStr<'a>, target: Option<&Target>, prefix: &str) -> CowStr<'a> {
    match target {
        Some(Target::Internal { url, fragment }) | Some(Target::Absolute { url, fragment }) => {
            match fragment {
                Some(f) => format!("{prefix}{url}#{f}").into(),
                None => format!("{prefix}{url}").into(),
            }
        }
        Some(Target::Script) => "#".into(),
        _ => dest.clone(),
    }
}

/// A Markdown link or picture as the analysis keeps it (its text is
/// added as the walk reads it).
fn markdown_link(
    tag: &Tag,
    dest_url: &str,
    dir: &str,
    resolver: &dyn Resolve,
    line: usize,
    column: usize,
    step: Option<usize>,
) -> Link {
    let email = matches!(
        tag,
        Tag::Link {
            link_type: LinkType::Email,
            ..
        }
    );
    Link {
        dest: if email {
            format!("mailto:{dest_url}")
        } else {
            dest_url.to_string()
        },
        target: if email {
            Target::External
        } else {
            classify(dest_url, dir, resolver)
        },
        text: String::new(),
        is_image: matches!(tag, Tag::Image { .. }),
        line,
        column,
        step,
        checks_text: true,
        in_raw_html: false,
    }
}

/// Where `part` starts in `body`, when it is a slice of it.
fn offset_in(body: &str, part: &str) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    (offset + part.len() <= body.len()).then_some(offset)
}

/// A link or picture written in raw HTML.
struct RawLink {
    dest: String,
    text: String,
    is_image: bool,
    checks_text: bool,
    /// Offset of its tag in the fragment.
    at: usize,
}

/// The attribute that holds where a raw tag leads: `a href`, `img src`.
fn address_attribute(tag: &str) -> Option<&'static str> {
    match tag {
        "a" => Some("href"),
        "img" => Some("src"),
        _ => None,
    }
}

/// The links and pictures of a raw HTML fragment, with their words: a
/// link's text up to its `</a>` in the same fragment, a picture's `alt`.
fn raw_links(html: &str) -> Vec<RawLink> {
    let mut found = Vec::new();
    if !html.contains('<') {
        return found;
    }
    for tag in crate::raw_html::tags(html).filter(|t| !t.close) {
        let Some(dest) = address_attribute(&tag.name).and_then(|a| tag.attr(a)) else {
            continue;
        };
        let is_image = tag.name == "img";
        let (text, checks_text) = if is_image {
            match tag.attr("alt") {
                Some(alt) if alt.trim().is_empty() => (String::new(), false),
                alt => (alt.unwrap_or_default().to_string(), true),
            }
        } else {
            let rest = &html[tag.range.end..];
            match rest.to_ascii_lowercase().find("</a") {
                Some(end) => (crate::raw_html::text_of(&rest[..end]), true),
                None => (String::new(), false),
            }
        };
        found.push(RawLink {
            dest: dest.to_string(),
            text,
            is_image,
            checks_text,
            at: tag.range.start,
        });
    }
    found
}

/// A raw HTML fragment with the addresses of its links and pictures
/// rewritten as Markdown ones are (`spid.md` → `/tutorial/spid/`); None
/// when nothing changes.
fn rewrite_raw_links(html: &str, dir: &str, resolver: &dyn Resolve) -> Option<String> {
    if !html.contains('<') {
        return None;
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for tag in crate::raw_html::tags(html).filter(|t| !t.close) {
        let Some(name) = address_attribute(&tag.name) else {
            continue;
        };
        for attr in tag.attrs.iter().filter(|a| a.name == name) {
            let Some(at) = attr.value_range.clone() else {
                continue;
            };
            let target = classify(&attr.value, dir, resolver);
            let dest = CowStr::from(attr.value.as_ref());
            let new = rewrite(&dest, Some(&target), resolver.prefix());
            if new.as_ref() != attr.value.as_ref() {
                let quoted = at.start > 0 && matches!(html.as_bytes()[at.start - 1], b'"' | b'\'');
                let value = crate::raw_html::escape_value(&new);
                edits.push((
                    at,
                    if quoted {
                        value
                    } else {
                        format!("\"{value}\"")
                    },
                ));
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut from = 0;
    for (range, with) in edits {
        out.push_str(&html[from..range.start]);
        out.push_str(&with);
        from = range.end;
    }
    out.push_str(&html[from..]);
    Some(out)
}

/// How a raw HTML fragment changes the depth of open elements: the change
/// at its end and the deepest it goes, counting neither void elements nor
/// those closed by their next sibling (`p`, `li`, `td`...).
fn html_depth(html: &str) -> (isize, usize) {
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
        "option", "optgroup", "rb", "rt", "rp",
    ];
    let (mut depth, mut peak) = (0isize, 0usize);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let (close, name_start) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name: String = name_start
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..end].ends_with('/');
        rest = &rest[end..];
        if FLAT.contains(&name.as_str()) || self_closing {
            continue;
        }
        if close {
            depth -= 1;
        } else {
            depth += 1;
            peak = peak.max(depth.max(0) as usize);
        }
    }
    (depth, peak)
}

/// The lines of a range, for callers that have offsets.
pub fn line_of(text: &str, first_line: usize, range: Range<usize>) -> usize {
    Lines::new(text, first_line).at(text, range.start).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_of_an_offset_is_found_in_any_order() {
        let text = "uno\n\ndue tre\nquattro\n\n\ncinque sei sette\nfine";
        let lines = Lines::new(text, 1);
        let by_count = |at: usize| text[..at].matches('\n').count();
        // Forward, backward, and jumping about.
        let mut order: Vec<usize> = (0..=text.len()).collect();
        order.extend((0..=text.len()).rev());
        order.extend((0..=text.len()).map(|i| i * 7 % (text.len() + 1)));
        for at in order {
            assert_eq!(lines.index(at), by_count(at), "offset {at}");
        }
    }

    struct Map;
    impl Resolve for Map {
        fn resolve(&self, p: &str) -> Option<String> {
            match p {
                "tutorial/spid.md" => Some("/tutorial/spid/".into()),
                "eventi/incontro.md" => Some("/eventi/incontro/".into()),
                "images/a.png" => Some("/images/a.png".into()),
                _ => None,
            }
        }
    }

    /// Both walks of a body, as one value for the assertions.
    struct Both {
        analysis: Analysis,
        html: String,
        step_html: Vec<String>,
    }

    impl std::ops::Deref for Both {
        type Target = Analysis;
        fn deref(&self) -> &Analysis {
            &self.analysis
        }
    }

    /// Code as plain text (colouring is render's), raw HTML cleaned.
    struct Plain;
    impl Html for Plain {
        fn code(&self, text: &str, _lang: &str, _budget: &mut usize) -> String {
            format!(
                "<pre class=\"code\"><code>{}</code></pre>",
                text.replace('<', "&lt;")
            )
        }
        fn clean(&self, html: &str) -> String {
            crate::sanitize::clean(html)
        }
    }

    fn render(body: &str, opts: &RenderOptions, map: &dyn Resolve) -> Both {
        let analysis = analyse(body, opts, map);
        let html = to_html(body, &analysis, opts, map, &Plain);
        Both {
            analysis,
            html: html.intro,
            step_html: html.steps,
        }
    }

    fn opts(steps: bool) -> RenderOptions<'static> {
        RenderOptions {
            steps,
            trust_html: false,
            dir: "tutorial",
            first_line: 5,
            github_ids: false,
        }
    }

    #[test]
    fn heading_ids_are_readable_and_unique() {
        let r = render("## Apri l'app IO\n\n## Apri l'app IO\n", &opts(false), &Map);
        assert_eq!(r.headings[0].id, "apri-l-app-io");
        assert_eq!(r.headings[1].id, "apri-l-app-io-2");
        assert!(r.html.contains(r#"<h2 id="apri-l-app-io">"#), "{}", r.html);
        assert_eq!(r.headings[1].line, 7);
    }

    #[test]
    fn tutorial_steps_come_from_level_two_headings() {
        let r = render(
            "Intro.\n\n## Primo\n\nUno.\n\n### Dettaglio\n\n## Secondo\n\nDue.\n",
            &opts(true),
            &Map,
        );
        assert_eq!(r.steps.len(), 2);
        assert_eq!(r.steps[0].title, "Primo");
        assert!(
            r.step_html[0].contains("<h3 id=\"dettaglio\">"),
            "{}",
            r.step_html[0]
        );
        assert!(r.html.contains("Intro."));
        assert!(!r.html.contains("Primo"));
        assert_eq!(r.steps[1].line, 13);
    }

    #[test]
    fn md_links_are_rewritten_to_addresses() {
        let r = render(
            "[a](spid.md) [b](../eventi/incontro.md#dove) [c](nessuno.md) ![d](../images/a.png) [e](https://x.it) [f](javascript:alert(1))",
            &opts(false),
            &Map,
        );
        assert!(r.html.contains(r#"href="/tutorial/spid/""#), "{}", r.html);
        assert!(
            r.html.contains(r#"href="/eventi/incontro/#dove""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"src="/images/a.png""#), "{}", r.html);
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert_eq!(
            r.links[2].target,
            Target::Missing("tutorial/nessuno.md".into())
        );
        assert_eq!(r.links[5].target, Target::Script);
        assert_eq!(r.links[0].line, 5);
        assert_eq!(r.links[1].column, 14);
    }

    #[test]
    fn script_schemes_are_found_as_a_browser_reads_them() {
        for dest in [
            "JaVaScRiPt:alert(1)",
            " java\tscript:alert(1)",
            "java\nscript:x",
            "VBScript:x",
            "Data:Text/HTML,<p>",
        ] {
            assert_eq!(classify(dest, "tutorial", &Map), Target::Script, "{dest:?}");
        }
        for dest in ["javascript", "data:image/png,x", "java-script:x"] {
            assert_ne!(classify(dest, "tutorial", &Map), Target::Script, "{dest:?}");
        }
    }

    #[test]
    fn link_paths_are_decoded_only_where_they_need_it() {
        let missing = |dest: &str| match classify(dest, "tutorial", &Map) {
            Target::Missing(p) => p,
            t => panic!("{dest}: {t:?}"),
        };
        assert_eq!(missing("guida%20spid.md"), "tutorial/guida spid.md");
        assert_eq!(missing("a+b.md"), "tutorial/a+b.md");
        assert_eq!(missing("a=b.md"), "tutorial/a=b.md");
        assert_eq!(missing("piano-2.md"), "tutorial/piano-2.md");
        assert_eq!(
            classify("sp%69d.md", "tutorial", &Map),
            Target::Internal {
                url: "/tutorial/spid/".into(),
                fragment: None
            }
        );
    }

    #[test]
    fn prose_blocks_skip_code_and_mark_units() {
        let body = "Testo &amp; *uno*\ndue.\n\n- voce\n  - dentro\n\n```\ncodice\n```\n";
        let r = render(body, &opts(false), &Map);
        let mut texts = Vec::new();
        r.analysis
            .prose(body, |b, t| texts.push((t.to_string(), b.is_unit)));
        let texts: Vec<_> = texts.iter().map(|(t, u)| (t.as_str(), *u)).collect();
        assert_eq!(
            texts,
            vec![
                ("Testo & uno\ndue.", false),
                ("dentro", true),
                ("voce", true)
            ]
        );
    }

    #[test]
    fn raw_html_is_sanitized_by_default() {
        let r = render(
            "<script>alert(1)</script>\n\n<b onclick=\"x()\">ok</b>\n",
            &opts(false),
            &Map,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(r.html.contains("<b>ok</b>"), "{}", r.html);
        assert!(r.raw_html.iter().any(|h| h.unsafe_found()));
    }

    #[test]
    fn unsafe_html_is_seen_through_entities_and_line_breaks() {
        for body in [
            "<a href=\"&#106;avascript:alert(1)\">x</a>\n",
            "Testo <a href=\"java&#9;script:x\">x</a>.\n",
            "<div\nonclick=\"x()\">a</div>\n",
        ] {
            let r = render(body, &opts(false), &Map);
            assert!(r.raw_html.iter().any(|h| h.unsafe_found()), "{body}");
        }
        let r = render(
            "<details><summary>Altro</summary>\nTesto</details>\n",
            &opts(false),
            &Map,
        );
        assert!(r.raw_html.iter().all(|h| !h.unsafe_found()));
    }

    #[test]
    fn tables_are_wrapped_and_headers_seen() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n|  |  |\n|---|---|\n| 1 | 2 |\n",
            &opts(false),
            &Map,
        );
        assert!(r.html.contains("table-wrap"));
        assert!(r.tables[0].has_header);
        assert!(!r.tables[1].has_header);
    }

    #[test]
    fn an_empty_header_cell_is_a_plain_cell() {
        let r = render(
            "|  | Lunedì | Martedì |\n|---|:-:|---|\n| Mattina | sì | no |\n\n<table><tr><th></th><th>x</th></tr></table>\n\n\
             &nbsp;| Orario\n:--|--\n| Sera | 18 |\n",
            &opts(false),
            &Map,
        );
        assert!(!r.html.contains("></th>"), "{}", r.html);
        assert!(r.html.contains("<td></td>"), "{}", r.html);
        assert_eq!(r.html.matches("<td></td>").count(), 3, "{}", r.html);
        // A corner holding only a no-break space, with its alignment.
        assert!(r.html.contains("<td></td><th>Orario</th>"), "{}", r.html);
        assert!(r.html.contains("<th>Lunedì</th>"), "{}", r.html);
    }

    #[test]
    fn task_boxes_have_a_name() {
        let r = render("- [ ] uno\n- [x] due\n", &opts(false), &Map);
        assert!(!r.html.contains("<input"), "{}", r.html);
        assert!(r.html.contains(r#"aria-label="da fare""#), "{}", r.html);
        assert!(r.html.contains(r#"aria-label="fatto""#), "{}", r.html);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let body = "> ".repeat(5000) + "x\n" + &"- ".repeat(5000);
        let r = render(&body, &opts(false), &Map);
        assert!(r.html.len() < 200_000);
    }

    /// The HTML gives headings and terms the ids of the analysis, the ones
    /// check validates links against, without working them out again.
    #[test]
    fn the_html_takes_its_ids_from_the_analysis() {
        let body = "## Apri l'app\n\nSPID\n: l'identità\n\n## Apri l'app\n";
        let o = RenderOptions {
            github_ids: true,
            ..opts(false)
        };
        let mut analysis = analyse(body, &o, &Map);
        assert_eq!(analysis.headings[1].id, "apri-lapp-1");
        assert_eq!(analysis.term_ids, ["spid"]);
        analysis.headings[1].id = "secondo".into();
        analysis.term_ids[0] = "termine".into();
        let html = to_html(body, &analysis, &o, &Map, &Plain).intro;
        assert!(html.contains(r#"<h2 id="apri-lapp">"#), "{html}");
        assert!(html.contains(r#"<h2 id="secondo">"#), "{html}");
        assert!(html.contains(r#"<dt id="termine">"#), "{html}");
    }

    /// Pieces that need (or look like they need) the last touches of the
    /// HTML pass: empty links, empty header cells, tables from Markdown and
    /// from raw HTML, in steps and out of them.
    const TOUCHY: &[&str] = &[
        "Testo [](x.md) e [qui](https://example.org).\n\n",
        "[](https://example.org \"titolo\")\n\n",
        "[![foto](a.png)](https://example.org)\n\n",
        "[![](a.png)](https://example.org) e [ ](y.md) e [`x`](z.md)\n\n",
        "|  | Lunedì |\n|---|---|\n| Mattina | sì |\n\n",
        "&nbsp;| Orario\n:--|--\n| Sera | 18 |\n\n",
        "<table><tr><th></th><th>x</th></tr></table>\n\n",
        "<p>un <a href=\"x\"></a> vuoto</p>\n\n",
        "## Un passo\n\n",
        "## Passo con [](x.md)\n\n",
        "Solo testo.\n\n",
        "```json\n{\"a\": \"\\\"></a>\"}\n```\n\n",
    ];

    /// Whether every link of `html` has a title, words or a picture with
    /// a description inside (what `sanitize::tidy` keeps).
    fn every_link_is_named(html: &str) -> bool {
        crate::raw_html::tags(html)
            .filter(|t| t.name == "a" && !t.close)
            .all(|t| {
                let inner = &html[t.range.end..];
                let inner = &inner[..inner.find("</a>").unwrap_or(inner.len())];
                t.attr("title").is_some_and(|v| !v.trim().is_empty())
                    || !crate::raw_html::text_of(inner).trim().is_empty()
                    || crate::raw_html::tags(inner)
                        .any(|i| i.name == "img" && i.attr("alt").is_some_and(|a| !a.is_empty()))
            })
    }

    proptest::proptest! {
        /// Links with nothing to read out go, empty header cells become
        /// plain cells and tables are named apart in every body that has
        /// them, however they are mixed.
        #[test]
        fn the_last_touches_reach_every_body(
            picks in proptest::collection::vec(0..TOUCHY.len(), 1..8),
            steps: bool,
            trust_html: bool,
        ) {
            let body: String = picks.iter().map(|&i| TOUCHY[i]).collect();
            let o = RenderOptions { trust_html, ..opts(steps) };
            let b = to_html(&body, &analyse(&body, &o, &Map), &o, &Map, &Plain);
            let all: Vec<&String> = std::iter::once(&b.intro).chain(&b.steps).collect();
            for html in &all {
                if !trust_html {
                    proptest::prop_assert!(every_link_is_named(html), "{}", html);
                }
                proptest::prop_assert_eq!(&empty_headers_as_cells(html), *html);
            }
            let named = all.iter().map(|h| h.matches(r#"aria-label="Tabella">"#).count());
            proptest::prop_assert!(named.sum::<usize>() <= 1);
        }
    }
}

#[cfg(test)]
mod real_world_tests {
    use super::tests_support::*;
    use super::*;

    #[test]
    fn a_link_with_nothing_to_read_out_loses_its_tag() {
        let r = render_plain("Scrivi a [](mailto:) noi o [qui](https://example.org).\n");
        assert!(!r.html.contains("mailto:"), "{}", r.html);
        assert!(
            r.html
                .contains("Scrivi a  noi o <a href=\"https://example.org\">qui</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn definition_lists_are_lists_of_terms() {
        let r = render_plain("SPID\n: l'identità digitale\n\nCIE\n: la carta d'identità\n");
        assert!(r.html.contains("<dl>"), "{}", r.html);
        assert!(r.html.contains("<dt>SPID</dt>"), "{}", r.html);
        assert!(
            r.html.contains("<dd>l’identità digitale</dd>"),
            "{}",
            r.html
        );
        // Terms and definitions are prose of their own for the reading level.
        let mut texts = Vec::new();
        r.analysis.prose(&r.body, |_, t| texts.push(t.to_string()));
        assert!(texts.iter().any(|t| t == "CIE"), "{texts:?}");
    }

    #[test]
    fn attribute_lines_are_read_not_shown() {
        let body = "Un paragrafo.\n{: .nota}\n\n* indice\n{:toc}\n\n## Perché SPID\n{: #perche}\n\nTesto.\n{class=\"h2 grande\"}\n\n```\n{: .resta}\n```\n\n{\"chiave\": 1}\n";
        let r = render_plain(body);
        for gone in ["{: .nota}", "{:toc}", "{: #perche}", "class=\"h2"] {
            assert!(!r.html.contains(gone), "{gone} shown in {}", r.html);
        }
        assert!(r.html.contains("<p>Un paragrafo.</p>"), "{}", r.html);
        // The id an attribute line gives the heading above it.
        assert_eq!(r.analysis.headings[0].id, "perche");
        // Inside code, and JSON, stay as written.
        assert!(r.html.contains("{: .resta}"), "{}", r.html);
        assert!(
            r.html.contains("{“chiave”: 1}") || r.html.contains("{\"chiave\": 1}"),
            "{}",
            r.html
        );
        // Lines stay where they were: the heading is on line 5 + 6.
        assert_eq!(r.analysis.headings[0].line, 11);
    }

    #[test]
    fn attributes_after_a_link_or_picture_are_read_not_shown() {
        let body = "Vai al [sito](https://example.org){class=\"a b\", rel='noreferrer', target='_blank'} oggi.\n\n![Logo](logo.png){: .piccolo} e `[x](y){: .resta}`.\n\nUn [link](x.md) {non attributo}.\n";
        let r = render_plain(body);
        assert!(
            !r.html.contains("noreferrer") && !r.html.contains("piccolo"),
            "{}",
            r.html
        );
        assert!(r.html.contains("</a> oggi."), "{}", r.html);
        assert!(r.html.contains("{: .resta}"), "code keeps it: {}", r.html);
        assert!(r.html.contains("{non attributo}"), "{}", r.html);
        let mut texts = Vec::new();
        r.analysis.prose(&r.body, |_, t| texts.push(t.to_string()));
        assert!(texts[0].starts_with("Vai al sito oggi"), "{texts:?}");
    }

    #[test]
    fn github_ids_keep_letters_and_drop_punctuation() {
        let mut opts = plain_opts();
        opts.github_ids = true;
        let r = render_with(
            "## Perché SPID?\n\n## Perché SPID?\n\n## L'app IO {#app}\n",
            &opts,
        );
        let ids: Vec<&str> = r.analysis.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["perché-spid", "perché-spid-1", "app"]);
        assert_eq!(github_slug("Passo 1: apri l'app"), "passo-1-apri-lapp");
        assert_eq!(github_slug("?!"), "sezione");
        let pillole = render_with("## Perché SPID?\n\n## Perché SPID?\n", &plain_opts());
        let ids: Vec<&str> = pillole
            .analysis
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .collect();
        assert_eq!(ids, ["perche-spid", "perche-spid-2"]);
    }

    #[test]
    fn github_ids_give_definition_terms_ids_too() {
        let mut opts = plain_opts();
        opts.github_ids = true;
        let r = render_with(
            "`locale`\n: la lingua\n\nPerché\n: il motivo\n\n## Perché\n",
            &opts,
        );
        assert_eq!(r.analysis.term_ids, ["locale", "perché"]);
        assert!(
            r.html
                .contains("<dt id=\"locale\"><code>locale</code></dt>"),
            "{}",
            r.html
        );
        assert_eq!(r.analysis.headings[0].id, "perché-1");
        // pillole's own ids leave terms as they are.
        let plain = render_plain("SPID\n: l'identità\n");
        assert!(plain.html.contains("<dt>SPID</dt>") && plain.analysis.term_ids.is_empty());
    }
}

#[cfg(test)]
mod tests_support {
    use super::*;

    pub struct Rendered {
        pub analysis: Analysis,
        pub html: String,
        pub body: String,
    }

    struct NoLinks;
    impl Resolve for NoLinks {
        fn resolve(&self, _: &str) -> Option<String> {
            None
        }
    }

    struct Clean;
    impl Html for Clean {
        fn code(&self, text: &str, _lang: &str, _budget: &mut usize) -> String {
            format!("<pre><code>{text}</code></pre>")
        }
        fn clean(&self, html: &str) -> String {
            crate::sanitize::clean(html)
        }
    }

    pub fn plain_opts() -> RenderOptions<'static> {
        RenderOptions {
            steps: false,
            trust_html: false,
            dir: "",
            first_line: 5,
            github_ids: false,
        }
    }

    pub fn render_with(body: &str, opts: &RenderOptions) -> Rendered {
        let analysis = analyse(body, opts, &NoLinks);
        Rendered {
            html: to_html(body, &analysis, opts, &NoLinks, &Clean).intro,
            analysis,
            body: body.to_string(),
        }
    }

    pub fn render_plain(body: &str) -> Rendered {
        render_with(body, &plain_opts())
    }
}

//! The bodies of the fuzz targets, one function per target, each taking the
//! raw fuzz input and panicking when an invariant breaks.
//!
//! The same file is compiled into the main crate's test suite
//! (`tests/testsuite/main.rs` includes it with `#[path]`), so every input kept
//! under `tests/regressions/<target>/` runs through exactly the code the
//! fuzzer ran. It may therefore use only `pillole`, `chrono`, `tempfile` and
//! `std`.

use pillole::content::front_matter::split;
use pillole::content::load::{decode, Source};
use pillole::content::markdown::{self, Resolve};
use pillole::content::slug;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// "Today" for every build: fixed, so runs are reproducible.
pub const NOW: &str = "2026-11-23T10:00";

/// One path per kind of content file (and a bundle and a deep page).
pub const PLACES: &[&str] = &[
    "content/tutorial/x.md",
    "content/tutorial/x/index.md",
    "content/diario/x.md",
    "content/eventi/x.md",
    "content/x.md",
    "content/x/index.md",
    "content/_index.md",
    "content/tutorial/_index.md",
    "content/a/b/c.md",
];

/// The whole input as a content file's text, as the loader would read it.
fn as_text(data: &[u8]) -> Option<String> {
    decode("content/x.md", data.to_vec()).ok()
}

/// Checks a site path: absolute, a folder, no climbing, no control characters.
pub fn assert_safe_site_path(path: &str) {
    assert!(path.starts_with('/'), "path {path:?}");
    assert!(path.ends_with('/'), "path {path:?}");
    assert!(!path.contains("//") || path == "/", "path {path:?}");
    assert!(!path.contains(".."), "path {path:?}");
    assert!(!path.contains('\\'), "path {path:?}");
    assert!(!path.chars().any(|c| c.is_control()), "path {path:?}");
}

/// Checks the rules every slug keeps.
pub fn assert_good_slug(s: &str) {
    assert!(!s.is_empty(), "empty slug");
    assert!(!s.contains('/') && !s.contains('\\'), "slug {s:?}");
    assert!(!s.contains(".."), "slug {s:?}");
    assert!(!s.starts_with('.'), "slug {s:?}");
    assert!(!s.chars().any(|c| c.is_control()), "slug {s:?}");
}

/// Front matter: split, then parse as every kind of page; diagnostics are
/// rendered for people the way the command line does.
pub fn front_matter(data: &[u8]) {
    let Some(text) = as_text(data) else { return };
    if let Ok(s) = split("content/x.md", &text) {
        assert!(text.ends_with(s.body));
        assert!(text.contains(s.yaml));
        assert!(s.body_line >= 3, "{s:?}");
        assert_eq!(s.yaml_line, 2);
    }
    for place in PLACES {
        let (page, diags) = pillole::content::parse(Source {
            path: place.to_string(),
            text: text.as_str().into(),
        });
        if let Some(p) = &page {
            assert_good_slug(&p.slug);
            assert_safe_site_path(&p.path);
            assert_eq!(p.source, *place);
            assert!(p.body_line >= 3);
        }
        for d in &diags {
            assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            assert!(!d.message.is_empty(), "{d:?}");
        }
        let shown = pillole::diagnostics::to_human(&diags, &|_| Some(text.clone()), false);
        assert_eq!(shown.is_empty(), diags.is_empty());
    }
}

/// site.yaml: any text gives a configuration and diagnostics, never a panic.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (config, diags) = pillole::config::from_str(text);
    if !diags.iter().any(|d| d.is_error()) {
        assert!(config.diary_page_size > 0 && config.list_page_size > 0);
        assert!(config.feedback.href().is_some());
    }
    let shown = pillole::diagnostics::to_human(&diags, &|_| Some(text.to_string()), false);
    assert_eq!(shown.is_empty(), diags.is_empty());
}

/// Every `.md` path resolves (to an address made from it), nothing else does.
pub struct TrivialResolver;

impl Resolve for TrivialResolver {
    fn resolve(&self, content_path: &str) -> Option<String> {
        content_path
            .strip_suffix(".md")
            .map(|p| format!("/{}/", slug::slugify(p, "pagina")))
    }
}

/// What in `html` could run: a `<script>`-like tag, an `on…` event handler
/// attribute, or a script URL in any attribute (ASCII case-insensitive,
/// character references decoded, whitespace inside the scheme ignored).
pub fn has_active_markup(html: &str) -> Option<String> {
    active_markup(html).into_iter().next()
}

/// Every piece of [`has_active_markup`] in `html`, in order.
pub fn active_markup(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for bad in ["<script", "<iframe", "<style", "<object", "<embed"] {
        found.extend(lower.matches(bad).map(str::to_string));
    }
    let mut rest = lower.as_str();
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let (attrs, next) = tag_attributes(after);
        for (name, value) in attrs {
            if name.starts_with("on") && name.len() > 2 {
                found.push(format!("{name}="));
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                if let Some(scheme) = script_scheme(&value) {
                    found.push(format!("{name}={scheme}"));
                }
            }
        }
        rest = &after[next..];
    }
    found
}

/// Attributes whose value a browser follows as an address.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "cite",
    "longdesc",
    "usemap",
    "codebase",
    "dynsrc",
    "lowsrc",
    "ping",
];

/// Reads the attributes of the tag whose text starts at `s` (just after
/// `<`). Returns them and the offset just after the tag.
fn tag_attributes(s: &str) -> (Vec<(String, String)>, usize) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut attrs = Vec::new();
    // The tag name.
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (attrs, (i + 1).min(b.len()));
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let name = s[name_start..i].to_string();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                i = v_start;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[v_start..i].to_string();
                i = (i + 1).min(b.len());
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[v_start..i].to_string();
            }
        }
        attrs.push((name, value));
    }
}

/// The script scheme a URL attribute value starts with, if any, read the
/// way browsers read URLs: leading and trailing controls and spaces
/// trimmed, tabs and line breaks removed anywhere (other characters inside
/// the scheme make it a relative address).
fn script_scheme(value: &str) -> Option<&'static str> {
    let decoded = decode_references(value);
    let compact: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .into_iter()
        .find(|s| compact.starts_with(s))
}

/// Decodes numeric character references and the few named ones that can
/// hide a scheme (`&colon;`, `&tab;`, `&newline;`).
fn decode_references(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let decoded = if let Some(num) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = name.strip_prefix('#') {
            num.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let skip = end + usize::from(after[end..].starts_with(';'));
                rest = &after[skip..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The Markdown pipeline. The first byte chooses the options (bit 0: split
/// into steps, bit 1: trust raw HTML, bits 2-3: the page's folder); the rest
/// is the body.
pub fn markdown(data: &[u8]) {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let dirs = ["tutorial", "", "diario/tappa", "eventi"];
    let opts = markdown::RenderOptions {
        steps: flags & 1 != 0,
        trust_html: flags & 2 != 0,
        dir: dirs[(flags as usize >> 2) & 3],
        first_line: 1 + (flags as usize >> 4),
        github_ids: flags & 64 != 0,
    };
    let (r, html) = pillole::render::body::markdown(body, &opts, &TrivialResolver);
    let mut ids = HashSet::new();
    for h in &r.headings {
        assert!(ids.insert(h.id.clone()), "duplicate heading id {:?}", h.id);
        assert!(!h.id.is_empty());
        assert!((1..=6).contains(&h.level));
        assert!(h.line >= opts.first_line && h.column >= 1);
    }
    if opts.steps {
        let step_ids: Vec<&str> = r.steps.iter().map(|s| s.id.as_str()).collect();
        for id in &step_ids {
            assert!(ids.contains(*id), "step id {id:?} is not a heading id");
        }
    } else {
        assert!(r.steps.is_empty());
    }
    let lines = body.lines().count() + opts.first_line + 1;
    for l in &r.links {
        assert!(l.line >= opts.first_line && l.line <= lines, "{l:?}");
    }
    if !opts.trust_html {
        let all = std::iter::once(html.intro.as_str()).chain(html.steps.iter().map(|s| s.as_str()));
        for html in all {
            if let Some(bad) = has_active_markup(html) {
                panic!("{bad} reached the output: {html}");
            }
        }
    }
}

/// Slugs: never empty, never a path, stable when made again.
pub fn slug(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = slug::slugify(text, "pagina");
    assert_good_slug(&s);
    assert!(s.len() <= 80, "{s}");
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{s}"
    );
    assert_eq!(slug::slugify(&s, "pagina"), s, "not idempotent");
    assert!(slug::validate(&s).is_ok(), "{s}");
    if slug::validate(text).is_ok() {
        assert_good_slug(text);
        assert!(!text.chars().any(char::is_whitespace));
    }
}

/// Reads a little-endian number from the front of `data`.
fn take(data: &mut &[u8], n: usize) -> u64 {
    let mut v = 0u64;
    for i in 0..n {
        let b = data.first().copied().unwrap_or(0);
        *data = data.get(1..).unwrap_or(&[]);
        v |= (b as u64) << (8 * i);
    }
    v
}

/// Splits the iCalendar input: 12 bytes of numbers (start, length, repeat),
/// then UTF-8 text cut at `|` into calendar name, uid, summary, description,
/// location and url, for up to three events.
pub fn ical(data: &[u8]) {
    use chrono::{Duration, NaiveDate, NaiveDateTime};
    use pillole::calendar::{Repeat, Weekday};
    use pillole::render::ical::{calendar, IcsEvent, IcsStatus};
    let mut d = data;
    let start_minutes = take(&mut d, 3) % (60 * 24 * 366 * 3);
    let length = take(&mut d, 2) % (60 * 24 * 3) + 1;
    let days = take(&mut d, 1) as u8;
    let until_days = take(&mut d, 2) % 800;
    let except_days = take(&mut d, 2) % 800;
    let status = take(&mut d, 1) % 3;
    let events_n = (take(&mut d, 1) % 3 + 1) as usize;
    let Ok(text) = std::str::from_utf8(d) else {
        return;
    };
    let mut fields = text.split('|');
    let mut next = || fields.next().unwrap_or("").to_string();
    let name = next();
    let base = NaiveDate::from_ymd_opt(2025, 1, 1)
        .expect("valid")
        .and_hms_opt(0, 0, 0)
        .expect("valid");
    let start: NaiveDateTime = base + Duration::minutes(start_minutes as i64);
    let week = [
        Weekday::Lunedi,
        Weekday::Martedi,
        Weekday::Mercoledi,
        Weekday::Giovedi,
        Weekday::Venerdi,
        Weekday::Sabato,
        Weekday::Domenica,
    ];
    let repeat = (days & 0x80 != 0).then(|| Repeat {
        days: week
            .iter()
            .enumerate()
            .filter(|(i, _)| days & (1 << i) != 0)
            .map(|(_, w)| *w)
            .collect(),
        until: start.date() + Duration::days(until_days as i64),
        except: vec![start.date() + Duration::days(except_days as i64)],
    });
    let events: Vec<IcsEvent> = (0..events_n)
        .map(|_| IcsEvent {
            uid: next(),
            summary: next(),
            description: next(),
            location: next(),
            url: next(),
            start,
            end: start + Duration::minutes(length as i64),
            status: [
                IcsStatus::Confirmed,
                IcsStatus::Cancelled,
                IcsStatus::Tentative,
            ][status as usize],
            repeat: repeat.clone(),
            stamp: base,
        })
        .collect();
    let out = calendar(&name, &events);
    assert_ics_lines(out.as_bytes());
    let unfolded = out.replace("\r\n ", "");
    let begins = unfolded
        .split("\r\n")
        .filter(|l| *l == "BEGIN:VEVENT")
        .count();
    assert_eq!(begins, events.len(), "a text field started a new event");
    let cal_lines = unfolded
        .split("\r\n")
        .filter(|l| l.starts_with("BEGIN:VCALENDAR") || l.starts_with("END:VCALENDAR"))
        .count();
    assert_eq!(cal_lines, 2);
}

/// Every physical line at most 75 octets, ending in CRLF, valid UTF-8 on
/// its own (no character split by a fold), no bare CR or LF.
pub fn assert_ics_lines(bytes: &[u8]) {
    assert!(bytes.ends_with(b"\r\n"), "no final CRLF");
    let mut rest = bytes;
    while !rest.is_empty() {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("every line ends in CRLF");
        let line = &rest[..end];
        assert!(line.len() <= 75, "line of {} octets", line.len());
        assert!(
            !line.contains(&b'\r') && !line.contains(&b'\n'),
            "bare CR/LF"
        );
        std::str::from_utf8(line).expect("a fold split a character");
        rest = &rest[end + 2..];
    }
}

/// The reading-level counter over blocks cut at blank lines; a block that
/// starts with `- ` or `#` is a unit (list item, heading).
pub fn readability(data: &[u8]) {
    use pillole::check::readability::{analyze, gulpease, shown, TextBlock};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut blocks = Vec::new();
    let mut line = 1;
    for part in text.split("\n\n") {
        blocks.push(TextBlock {
            text: part,
            line,
            is_unit: part.starts_with("- ") || part.starts_with('#'),
        });
        line += part.matches('\n').count() + 2;
    }
    let a = analyze(&blocks);
    let words: usize = a.sentences.iter().map(|s| s.words).sum();
    assert_eq!(words, a.words);
    assert!(a.letters <= text.chars().count());
    assert!(a
        .sentences
        .iter()
        .all(|s| s.words > 0 && s.line >= 1 && s.line <= line));
    match a.index() {
        Some(g) => {
            assert!(a.words > 0 && g.is_finite());
            let s = a.shown().expect("an index");
            assert!((0.0..=100.0).contains(&s));
            assert_eq!(Some(g), gulpease(a.letters, a.words, a.sentences.len()));
            assert_eq!(s, shown(g));
        }
        None => assert_eq!(a.words, 0),
    }
    let longest = a.longest(3);
    assert!(longest.windows(2).all(|w| w[0].words >= w[1].words));
}

/// The site.yaml of the one-page sites built by [`site_build`].
pub const SITE_YAML: &str = "title: Prova\nbase_url: https://pillole.example.org\nfeedback: {email: segnalazioni@example.org}\n";

/// Where the fuzzed page goes: events and diary entries need their own
/// fields, so a header with `start:` makes an event, one with
/// `municipio:` a diary entry, anything else a tutorial.
pub fn page_place(data: &[u8]) -> &'static str {
    let has = |k: &[u8]| data.windows(k.len()).any(|w| w == k);
    if has(b"\nstart:") {
        "content/eventi/x.md"
    } else if has(b"\nmunicipio:") {
        "content/diario/x.md"
    } else {
        "content/tutorial/x.md"
    }
}

/// Every file and folder under `dir`, relative, sorted.
pub fn list_tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap_or(&p).to_path_buf());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A folder for temporary sites: memory-backed when the system has one.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(t) = tempfile::tempdir_in(shm) {
            return t;
        }
    }
    tempfile::tempdir().expect("a temporary folder")
}

/// Builds a small site whose one page is `data` and checks that the build
/// returns (success or diagnostics), writes only its output folder, and
/// leaves the site untouched.
pub fn site_build(data: &[u8]) {
    let tmp = scratch();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let content = root.join("content");
    std::fs::create_dir_all(content.join("tutorial")).expect("mkdir");
    std::fs::create_dir_all(content.join("eventi")).expect("mkdir");
    std::fs::create_dir_all(content.join("diario")).expect("mkdir");
    std::fs::write(root.join("site.yaml"), SITE_YAML).expect("write");
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: Casa\n---\nBenvenuti.\n",
    )
    .expect("write");
    std::fs::write(root.join(page_place(data)), data).expect("write");
    let site_before = list_tree(&root);
    let opts = pillole::Options {
        root: root.clone(),
        drafts: false,
        base_url: None,
        now: pillole::parse_now(NOW).expect("valid now"),
    };
    let (loaded, result) = pillole::build(&opts, &out, &Default::default());
    let shown = pillole::diagnostics::to_human(&loaded.diagnostics, &|f| loaded.source(f), false);
    assert_eq!(shown.is_empty(), loaded.diagnostics.is_empty());
    let top: Vec<PathBuf> = list_tree(tmp.path())
        .into_iter()
        .filter(|p| p.components().count() == 1)
        .collect();
    match &result {
        Ok(n) => {
            assert!(*n > 0);
            assert_eq!(
                top,
                [PathBuf::from("out"), PathBuf::from("site")],
                "{top:?}"
            );
            let written = list_tree(&out);
            assert!(written.iter().any(|p| p == Path::new("index.html")));
        }
        Err(_) => assert_eq!(top, [PathBuf::from("site")], "{top:?}"),
    }
    assert_eq!(list_tree(&root), site_before, "the site folder changed");
}

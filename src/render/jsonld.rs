//! Structured data (schema.org JSON-LD): HowTo for tutorials, Event for
//! events. Serialised and escaped for a `<script>` element.

use crate::calendar::{self, Repeat};
use crate::content::fields::Status;
use crate::content::markdown::BodyHtml;
use crate::site::Site;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{json, Value};
use std::borrow::Cow;

/// JSON text safe inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` only occur inside JSON strings, where `\u003c` and friends keep
/// the JSON valid and leave the HTML parser nothing to end or open.
pub fn to_script(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    let bytes = json.as_bytes();
    let mut found = memchr::memchr3_iter(b'<', b'>', b'&', bytes).peekable();
    if found.peek().is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut copied = 0;
    for at in found {
        out.push_str(&json[copied..at]);
        out.push_str(match bytes[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        copied = at + 1;
    }
    out.push_str(&json[copied..]);
    out
}

/// A tutorial as schema.org's HowTo. Fields in the order a JSON object
/// of them has always been written (sorted by name).
#[derive(Serialize)]
pub struct HowTo<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    step: Vec<HowToStep<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    supply: Vec<HowToSupply<'a>>,
    url: String,
}

#[derive(Serialize)]
struct HowToStep<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    position: usize,
    text: String,
    url: String,
}

#[derive(Serialize)]
struct HowToSupply<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

pub fn howto<'a>(site: &'a Site, i: usize, body: &BodyHtml) -> HowTo<'a> {
    let p = site.page(i);
    let url = site.config.absolute(&p.path);
    let step = site
        .analysis_of(i)
        .steps
        .iter()
        .zip(&body.steps)
        .enumerate()
        .map(|(n, (s, html))| HowToStep {
            kind: "HowToStep",
            name: &s.title,
            position: n + 1,
            text: step_text(html),
            url: format!("{url}#{}", s.id),
        })
        .collect();
    let supply = p
        .tutorial()
        .map(|t| t.needs.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|n| HowToSupply {
            kind: "HowToSupply",
            name: n,
        })
        .collect();
    HowTo {
        context: "https://schema.org",
        kind: "HowTo",
        date_modified: p.last_updated().map(|d| d.to_string()),
        description: p.common.summary.as_deref(),
        in_language: &site.config.language,
        name: &p.common.title,
        step,
        supply,
        url,
    }
}

/// Most characters of a step's `text`.
const STEP_TEXT_MAX: usize = 300;

/// A step's `text`: its opening words, what to do. A step of up to
/// [`STEP_TEXT_MAX`] characters is given whole; a longer one its whole
/// sentences that fit, or, when its first sentence alone is longer, its
/// words that fit and `…`. The page's own text is at the step's `url`;
/// the whole text again here made a tutorial page a third heavier for
/// readers' phones, for search engines that no longer show it.
fn step_text(html: &str) -> String {
    // Four bytes a character at most: enough text to know where to cut.
    let text = plain(&without_code(html), 4 * (STEP_TEXT_MAX + 1));
    opening(text, STEP_TEXT_MAX)
}

/// `text` if it has at most `max` characters; else its whole sentences
/// that fit in `max`; else its words that fit, followed by `…`.
fn opening(mut text: String, max: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max) else {
        return text;
    };
    let fits = &text[..cut];
    let sentence_end = fits
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?' | '…') && text[i + c.len_utf8()..].starts_with(' ')
        })
        .map(|(i, c)| i + c.len_utf8());
    match sentence_end {
        Some(end) => text.truncate(end),
        None => {
            let end = fits.rfind(' ').unwrap_or(cut);
            text.truncate(end);
            text.truncate(text.trim_end_matches([',', ';', ':']).len());
            text.push('…');
        }
    }
    text
}

/// A step's HTML without its code blocks: a step's `text` is what to do,
/// and code, shown on the page, would only make every page that holds
/// much of it twice as heavy.
fn without_code(html: &str) -> Cow<'_, str> {
    if !html.contains("<pre") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</pre>") {
            Some(end) => rest = &rest[start + end + "</pre>".len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

pub fn event(site: &Site, i: usize) -> Value {
    let p = site.page(i);
    let Some(e) = p.event() else {
        return Value::Null;
    };
    let (start, end) = site
        .next_occurrence(i)
        .map(|o| (o.start, o.end))
        .unwrap_or((e.start.0, e.end.0));
    let status = match e.status {
        Status::Scheduled | Status::Full => "https://schema.org/EventScheduled",
        Status::Cancelled => "https://schema.org/EventCancelled",
        Status::Postponed if e.previous_start.is_some() => "https://schema.org/EventRescheduled",
        Status::Postponed => "https://schema.org/EventPostponed",
    };
    let availability = if e.status == Status::Full {
        "https://schema.org/SoldOut"
    } else {
        "https://schema.org/InStock"
    };
    let url = site.config.absolute(&p.path);
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": p.common.title,
        "url": url,
        "startDate": calendar::rfc3339_rome(start),
        "endDate": calendar::rfc3339_rome(end),
        "eventStatus": status,
        "eventAttendanceMode": match (e.online, e.has_place()) {
            (true, true) => "https://schema.org/MixedEventAttendanceMode",
            (true, false) => "https://schema.org/OnlineEventAttendanceMode",
            (false, _) => "https://schema.org/OfflineEventAttendanceMode",
        },
        "isAccessibleForFree": true,
        "inLanguage": site.config.language,
        "location": {
            "@type": "Place",
            "name": e.place_text().unwrap_or_default(),
            "address": postal_address(e.address.as_deref().unwrap_or_default()),
        },
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "availability": availability,
            "url": url,
        },
    });
    if let Some(s) = &p.common.summary {
        v["description"] = json!(s);
    }
    if let Some(old) = e.previous_start.filter(|_| e.status == Status::Postponed) {
        v["previousStartDate"] = json!(calendar::rfc3339_rome(old.0));
    }
    if let Some(r) = &e.repeat {
        v["eventSchedule"] = schedule(e.start.0, e.end.0, r);
    }
    if !site.config.organisers.is_empty() {
        v["organizer"] = json!(site
            .config
            .organisers
            .iter()
            .map(|o| json!({"@type": "Organization", "name": o}))
            .collect::<Vec<_>>());
    }
    v
}

/// An Italian address ("Via Padova 70, 20127 Milano") as a PostalAddress; the
/// postal code and town are split off when the address ends with them.
fn postal_address(address: &str) -> Value {
    let address = address.trim();
    let split = address.rsplit_once(',').and_then(|(street, tail)| {
        let (code, town) = tail.trim().split_once(' ')?;
        let is_cap = code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit());
        (is_cap && !town.trim().is_empty()).then(|| (street.trim(), code, town.trim()))
    });
    match split {
        Some((street, code, town)) => json!({
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": code,
            "addressLocality": town,
            "addressCountry": "IT",
        }),
        None => json!({
            "@type": "PostalAddress",
            "streetAddress": address,
            "addressLocality": "Milano",
            "addressCountry": "IT",
        }),
    }
}

/// A weekly help desk as a schema.org Schedule: the same rule as the .ics RRULE.
fn schedule(start: NaiveDateTime, end: NaiveDateTime, r: &Repeat) -> Value {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let mut days = r.days.clone();
    days.sort();
    days.dedup();
    let by_day: Vec<String> = days
        .iter()
        .map(|d| {
            let i = d.to_chrono().num_days_from_monday() as usize;
            format!("https://schema.org/{}", DAYS[i])
        })
        .collect();
    let except: Vec<String> = r
        .effective_except(start.date())
        .iter()
        .map(|d| d.to_string())
        .collect();
    let mut v = json!({
        "@type": "Schedule",
        "repeatFrequency": "P1W",
        "byDay": by_day,
        "startDate": start.date().to_string(),
        "endDate": r.until.to_string(),
        "startTime": start.format("%H:%M:%S").to_string(),
        "endTime": end.format("%H:%M:%S").to_string(),
        "scheduleTimezone": calendar::TZ.name(),
    });
    if !except.is_empty() {
        v["exceptDate"] = json!(except);
    }
    v
}

/// What a byte is to [`visible_run`]: visible ASCII, a byte that may end a
/// run (`<`, `&`, ASCII whitespace) or the first byte of a wider character.
const VISIBLE: u8 = 0;
const STOP: u8 = 1;
const WIDE: u8 = 2;
static PLAIN_BYTE: [u8; 256] = {
    let mut table = [VISIBLE; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            0x80.. => WIDE,
            // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, return, space.
            b'<' | b'&' | b'\t'..=b'\r' | b' ' => STOP,
            _ => VISIBLE,
        };
        b += 1;
    }
    table
};

/// How many bytes of `s` are visible text as [`plain`] writes it: up to a
/// tag, an entity or whitespace, except that one space between two visible
/// ASCII characters stays in the run (most text is words and single
/// spaces, copied whole).
fn visible_run(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match PLAIN_BYTE[usize::from(bytes[i])] {
            // Letters and digits, most of a text, a run at a time.
            VISIBLE => i += crate::ascii::run_len(&bytes[i..], true).max(1),
            WIDE => {
                let c = s[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    return i;
                }
                i += c.len_utf8();
            }
            _ => {
                let next = bytes.get(i + 1).map(|&b| PLAIN_BYTE[usize::from(b)]);
                if bytes[i] == b' ' && i > 0 && next == Some(VISIBLE) {
                    i += 2;
                } else {
                    return i;
                }
            }
        }
    }
    bytes.len()
}

/// Text of an HTML fragment, tags dropped and entities of the escaper
/// undone, whitespace collapsed: one pass, one allocation. Runs of plain
/// text are copied whole. Stops once the text is longer than `enough`
/// bytes (so it may end within a word).
pub fn plain(html: &str, enough: usize) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(html.len() / 2);
    // A space is written only before the next visible character.
    let mut space = false;
    let mut in_tag = false;
    let mut rest = html;
    while !rest.is_empty() && out.len() <= enough {
        if in_tag {
            match rest.find('>') {
                Some(end) => {
                    in_tag = false;
                    space = !out.is_empty();
                    rest = &rest[end + 1..];
                }
                None => break,
            }
            continue;
        }
        // Visible text up to the next tag, entity or space.
        let run = visible_run(rest);
        if run > 0 {
            if space {
                out.push(' ');
                space = false;
            }
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let mut len = c.len_utf8();
        let visible = match c {
            '<' => {
                in_tag = true;
                None
            }
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, ch)) => {
                    len = e.len();
                    Some(*ch)
                }
                None => Some('&'),
            },
            _ => {
                space = !out.is_empty();
                None
            }
        };
        if let Some(ch) = visible {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(ch);
        }
        rest = &rest[len..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{postal_address, to_script};
    use serde_json::json;
    use serde_json::Value;
    use std::borrow::Cow;

    /// What `plain` must give, the slow way: tags as spaces, the
    /// escaper's entities undone, whitespace collapsed and trimmed.
    fn plain_by_char(html: &str) -> String {
        let entities = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&amp;", '&'),
        ];
        let mut text = String::new();
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            if c == '<' {
                let Some(end) = rest.find('>') else { break };
                text.push(' ');
                rest = &rest[end + 1..];
                continue;
            }
            if let Some((e, ch)) = entities.iter().find(|(e, _)| rest.starts_with(e)) {
                text.push(*ch);
                rest = &rest[e.len()..];
                continue;
            }
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_agrees_with_a_char_by_char_reading() {
        for s in [
            "abc<d",
            "città&amp; e",
            "uno\u{a0}due tre",
            "tab\tqui e là",
            "vt\u{b}x y",
            "fine\u{2003} a b",
            "èé è é",
            "",
            "<",
            " a b  c   d ",
            "a\u{3000}b c",
            "a <b>c</b> d",
            "a<b>c</b>d e",
            "x &amp; y &lt;z&gt; &#39;w&#39; &quot;q&quot; &copy;",
            "parola. Poi\naltra\r\nriga\u{c}qui",
            "a \u{a0} b",
            "a b<br>c d &",
            "<p>Apri  <b>l&#39;app</b>\n &amp; premi &lt;Entra&gt;.</p>",
        ] {
            assert_eq!(super::plain(s, usize::MAX), plain_by_char(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_agrees_with_a_char_by_char_reading_on_any_text(
            s in "([a-zA-Z0-9]{1,12}|[ \t\n.,;<>&/=\"'!]|&amp;|&lt;|&#39;|<b>|</p>|è|\u{a0}|\u{3000}){0,40}"
        ) {
            proptest::prop_assert_eq!(super::plain(&s, usize::MAX), plain_by_char(&s));
        }

        #[test]
        fn script_text_is_the_json_with_three_characters_escaped(
            name in "([a-z ]{1,8}|[<>&\"\\/]|</script>|è|\u{2028}){0,20}"
        ) {
            let v = json!({"name": name, "n": 1});
            let by_char: String = serde_json::to_string(&v)
                .unwrap()
                .chars()
                .map(|c| match c {
                    '<' => "\\u003c".to_string(),
                    '>' => "\\u003e".to_string(),
                    '&' => "\\u0026".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(to_script(&v), by_char);
        }
    }

    #[test]
    fn step_text_leaves_code_blocks_out() {
        let html = r#"<p>Apri il terminale.</p><pre class="code" tabindex="0"><code>ls &lt;a&gt;</code></pre><p>Poi premi Invio.</p><pre>x"#;
        assert_eq!(
            super::plain(&super::without_code(html), usize::MAX),
            "Apri il terminale. Poi premi Invio."
        );
        assert!(matches!(super::without_code("<p>a</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_step_text_is_its_whole_sentences_that_fit() {
        use super::{opening, step_text, STEP_TEXT_MAX};
        let short = "Apri l'app IO. Tocca «Accedi».";
        assert_eq!(opening(short.to_string(), STEP_TEXT_MAX), short);
        // Exactly the limit: given whole.
        let full = "è".repeat(STEP_TEXT_MAX);
        assert_eq!(opening(full.clone(), STEP_TEXT_MAX), full);
        // Sentences past the limit are left out, whole.
        let long = "Apri l'app IO. Tocca «Accedi»! Scegli SPID? Poi entra.";
        assert_eq!(
            opening(long.to_string(), 40),
            "Apri l'app IO. Tocca «Accedi»!"
        );
        // A dot inside a word (an address) does not end a sentence.
        assert_eq!(
            opening("Vai su www.io.it e poi entra. Fine del passo.".into(), 35),
            "Vai su www.io.it e poi entra."
        );
        // A first sentence longer than the limit: its words that fit.
        assert_eq!(
            opening("Apri il sito del Comune, poi cerca la pagina".into(), 26),
            "Apri il sito del Comune…"
        );
        // From HTML: many long paragraphs stop early and still cut whole.
        let para = format!(
            "<p>{}</p>",
            "Questa è una frase lunga di prova. ".repeat(12)
        );
        let text = step_text(&para.repeat(50));
        assert!(text.chars().count() <= STEP_TEXT_MAX, "{text}");
        assert!(text.ends_with("di prova."), "{text}");
        assert_eq!(text.matches("Questa").count(), 8, "{text}");
    }

    #[test]
    fn script_text_escapes_what_could_end_the_element() {
        let v = json!({"name": "</script><b>a & b</b>", "n": 1});
        let s = to_script(&v);
        assert!(!s.contains(['<', '>', '&']), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        assert_eq!(to_script(&json!({"a": "b"})), r#"{"a":"b"}"#);
    }

    #[test]
    fn plain_drops_tags_undoes_entities_and_collapses_space() {
        assert_eq!(
            super::plain(
                "<p>Apri  <b>l&#39;app</b>\n &amp; premi &lt;Entra&gt;.</p>",
                usize::MAX
            ),
            "Apri l'app & premi <Entra>."
        );
        assert_eq!(super::plain("a&amp;lt;b", usize::MAX), "a&lt;b");
        assert_eq!(super::plain("  <br> x ", usize::MAX), "x");
    }

    #[test]
    fn addresses_split_postal_code_and_town() {
        assert_eq!(
            postal_address("Via Padova 70, 20127 Milano"),
            json!({"@type": "PostalAddress", "streetAddress": "Via Padova 70",
                   "postalCode": "20127", "addressLocality": "Milano", "addressCountry": "IT"})
        );
        assert_eq!(
            postal_address("Piazza Duomo"),
            json!({"@type": "PostalAddress", "streetAddress": "Piazza Duomo",
                   "addressLocality": "Milano", "addressCountry": "IT"})
        );
        assert_eq!(
            postal_address("Via Roma 1, Sesto San Giovanni")["streetAddress"],
            "Via Roma 1, Sesto San Giovanni"
        );
    }
}

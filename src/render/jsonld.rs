//! Structured data (schema.org JSON-LD): HowTo for tutorials, Event for
//! events. Built as JSON values and escaped for a `<script>` element.

use crate::calendar;
use crate::content::fields::Status;
use crate::site::Site;
use serde_json::{json, Value};

/// JSON text safe inside `<script type="application/ld+json">`.
pub fn to_script(value: &Value) -> String {
    value
        .to_string()
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
}

pub fn howto(site: &Site, i: usize) -> Value {
    let p = &site.pages[i];
    let r = &site.rendered[i];
    let url = site.config.absolute(&p.path);
    let steps: Vec<Value> = r
        .steps
        .iter()
        .enumerate()
        .map(|(n, s)| {
            json!({
                "@type": "HowToStep",
                "position": n + 1,
                "name": s.title,
                "url": format!("{url}#{}", s.id),
                "text": plain(&s.html),
            })
        })
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": p.common.title,
        "inLanguage": site.config.language,
        "url": url,
        "step": steps,
    });
    if let Some(s) = &p.common.summary {
        v["description"] = json!(s);
    }
    if let Some(t) = p.tutorial() {
        if !t.needs.is_empty() {
            v["supply"] = json!(t
                .needs
                .iter()
                .map(|n| json!({"@type": "HowToSupply", "name": n}))
                .collect::<Vec<_>>());
        }
    }
    if let Some(d) = p.last_updated() {
        v["dateModified"] = json!(d.to_string());
    }
    v
}

pub fn event(site: &Site, i: usize) -> Value {
    let p = &site.pages[i];
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
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": true,
        "inLanguage": site.config.language,
        "location": {
            "@type": "Place",
            "name": e.place.clone().unwrap_or_default(),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": e.address.clone().unwrap_or_default(),
                "addressLocality": "Milano",
                "addressCountry": "IT",
            },
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

/// Text of an HTML fragment, tags dropped and entities of the escaper undone.
pub fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

//! Render: the graph in, every output file out, as `(path, bytes)`.
//!
//! Pure: reads nothing from disk but the asset paths it passes on for
//! copying, writes nothing. HTML pages go through Tera (autoescape on) in
//! parallel; calendars, feeds, the search index, the sitemap and the
//! stylesheets are made by their own modules.

pub mod body;
pub mod data;
pub mod escape;
pub mod feeds;
pub mod ical;
pub mod images;
pub mod jsonld;
pub mod offline;
pub mod pages;
pub mod print;
pub mod search;
pub mod syntax;
pub mod theme;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::output::{Collect, Sink, WriteError};
use crate::routes::{Route, RouteKind};
use crate::site::Site;
use theme::Theme;

pub use crate::output::{Body, Output};

/// Options that change what is rendered (not the content).
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// A snippet added before `</body>` of every page (live reload in serve mode).
    pub inject: Option<String>,
}

/// Makes a Tera instance from the theme's templates.
pub fn templates(theme: &Theme) -> Result<tera::Tera, Diagnostic> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape::tera);
    let list: Vec<(&str, &str)> = theme.templates().collect();
    tera.add_raw_templates(list)
        .map_err(|e| template_error(&e))?;
    Ok(tera)
}

/// A Tera error as a diagnostic (template errors are the theme's, not
/// content's): at the template, line and column Tera names, when it names
/// them (the first of them, when it found several).
pub fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let hint = if written_for_tera_1(&message) {
        "i modelli usano Tera 2: al posto delle macro usa i componenti, \
         `{% component nome(x) %}…{% endcomponent nome %}` e `{{ <nome x={valore}/> }}`, \
         senza `{% import %}` (vedi i modelli del tema)"
    } else {
        "correggi il modello nella cartella templates/ del sito, o toglilo per usare quello del tema"
    };
    let error = |file: String, what: &str| {
        Diagnostic::error(
            file,
            "template",
            format!("errore nel modello di pagina: {what}"),
        )
        .hint(hint)
    };
    if let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) = e.kind()
    {
        let span = report.span();
        let width = if span.end_line == span.start_line {
            span.end_col.saturating_sub(span.start_col)
        } else {
            0
        };
        return error(format!("templates/{}", report.filename()), report.message())
            .at(span.start_line, span.start_col + 1)
            .width(width);
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    // Errors found across the templates come as Tera's reports, one after
    // the other: "error: WHAT", then " --> NAME:LINE:COLUMN".
    let first = message.lines().next().unwrap_or("");
    let place = message.lines().find_map(|l| {
        let (name, at) = l.trim_start().strip_prefix("--> ")?.split_once(':')?;
        let (line, column) = at.split_once(':')?;
        Some((name, line.parse().ok()?, column.parse().ok()?))
    });
    if let (Some(what), Some((name, line, column))) = (first.strip_prefix("error: "), place) {
        return error(format!("templates/{name}"), what).at(line, column);
    }
    let file = message
        .split('\'')
        .nth(1)
        .filter(|n| n.ends_with(".html") || n.ends_with(".xml") || n.ends_with(".txt"))
        .map_or_else(|| "templates".to_string(), |n| format!("templates/{n}"));
    error(file, &message)
}

/// Whether a Tera error report shows a template written for Tera 1: a
/// macro defined or imported, or called as `m::name(`.
fn written_for_tera_1(report: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    report.contains("{% macro")
        || report.contains("{% import")
        || report.match_indices("::").any(|(at, _)| {
            let after = &report[at + 2..];
            let args = after.trim_start_matches(ident);
            report[..at].ends_with(ident)
                && args.len() < after.len()
                && args.trim_start().starts_with('(')
        })
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Errors in the theme's templates: every one of them.
    Templates(Vec<Diagnostic>),
    /// A file could not be written.
    Write(WriteError),
}

/// What rendering did, in counts. Rendering is linear in the size of the
/// site when `bodies` stays near the number of pages (each body is made
/// into HTML once for its page and print sheet, again only for booklets,
/// section lists and feeds) and `cards` at most one per page plus one per
/// event date shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderCounts {
    pub files: usize,
    pub bodies: usize,
    pub cards: usize,
    /// Warnings about what was made (a search index over its budget).
    pub warnings: Vec<Diagnostic>,
    /// Template errors, every one of them (the routes they stopped made no file).
    pub errors: Vec<Diagnostic>,
    /// What each route read, by its path (when asked to record).
    pub reads: Vec<(String, Vec<crate::reads::Read>)>,
}

/// Renders the whole site into `sink`, file by file as each is made:
/// the search index, every route of the site's route table and the
/// theme's static files. Returns the number of files.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
    opts: &RenderOptions,
    sink: &dyn Sink,
) -> Result<RenderCounts, RenderError> {
    let routes: Vec<&Route> = site
        .routes
        .list
        .iter()
        .filter(|r| r.kind != RouteKind::SearchIndex)
        .collect();
    // The search index's words are analysed first, as a stage of its own
    // with every core; their chunks and the file of each result are
    // written beside the pages, and the manifest, versioned by every other
    // file of the index, after them.
    let mut input = search::input(site);
    let analysed = crate::timed("search index", || input.analyse());
    let (made, parts) = crate::timed("render routes", || {
        rayon::join(
            || pages::render_into(site, tera, opts, routes, sink, false),
            || {
                let terms = search::SearchInput::terms_into(analysed, sink)?;
                Ok((terms, input.results_into(sink)?))
            },
        )
    });
    let index = parts
        .and_then(|(terms, results)| search::SearchInput::manifest_into(terms, results, sink))
        .map_err(RenderError::Write);
    let statics = theme_files(theme, &site.config)
        .into_iter()
        .map(|f| sink.put(f).map(|()| 1))
        .sum::<Result<usize, WriteError>>()
        .map_err(RenderError::Write)?;
    let made = made?;
    if !made.errors.is_empty() {
        return Err(RenderError::Templates(made.errors));
    }
    let (index, warnings) = index?;
    Ok(RenderCounts {
        files: made.files + index + statics,
        warnings,
        ..made
    })
}

/// Renders the whole site in memory.
pub fn render(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let sink = Collect::default();
    match render_into(site, theme, tera, opts, &sink) {
        Ok(_) => Ok(sink.into_files()),
        Err(RenderError::Templates(d)) => Err(d),
        // Memory takes every file.
        Err(RenderError::Write(e)) => {
            Err(vec![Diagnostic::error("public", "internal", e.to_string())])
        }
    }
}

/// The theme's static files, the generated code stylesheet, the service
/// worker and the web app manifest.
pub fn theme_files(theme: &Theme, config: &crate::config::Config) -> Vec<Output> {
    let mut outputs: Vec<Output> = theme
        .statics()
        .map(|(path, bytes)| Output::bytes(path, bytes.to_vec()))
        .collect();
    outputs.push(Output::bytes("css/syntax.css", syntax::stylesheet()));
    outputs.extend(offline::files(theme, config));
    outputs
}

/// The origin of an address (`https://example.org` of `https://example.org/giro/`).
pub fn origin(base: &str) -> String {
    url::Url::parse(base)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::written_for_tera_1;

    #[test]
    fn tera_1_templates_are_told_from_other_errors() {
        for old in [
            "2 | {{ m::cards(list=pages) }}",
            "1 | {% import \"macros.html\" as m %}",
            "1 | {% macro card(p) %}",
            "{{ e::upcoming (months=months) }}",
        ] {
            assert!(written_for_tera_1(old), "{old}");
        }
        for other in [
            "1 | <style>a::after{content:\" (\" attr(href) \")\"}</style>",
            "error: Unknown filter `maiuscolo`",
            "Variable `non_esiste` is not defined",
            "ends with m::",
        ] {
            assert!(!written_for_tera_1(other), "{other}");
        }
    }
}

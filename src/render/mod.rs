//! Render: the graph in, every output file out, as `(path, bytes)`.
//!
//! Pure: reads nothing from disk but the asset paths it passes on for
//! copying, writes nothing. HTML pages go through Tera (autoescape on) in
//! parallel; calendars, feeds, the search index, the sitemap and the
//! stylesheets are made by their own modules.

pub mod body;
pub mod feeds;
pub mod ical;
pub mod jsonld;
pub mod pages;
pub mod print;
pub mod search;
pub mod syntax;
pub mod theme;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::output::{Collect, Sink, WriteError};
use crate::site::Site;
use rayon::prelude::*;
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
    let list: Vec<(&str, &str)> = theme.templates().collect();
    tera.add_raw_templates(list)
        .map_err(|e| template_error(&e))?;
    Ok(tera)
}

/// A Tera error as a diagnostic (template errors are the theme's, not content's).
pub fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let file = message
        .split('\'')
        .nth(1)
        .filter(|n| n.ends_with(".html") || n.ends_with(".xml") || n.ends_with(".txt"))
        .map(|n| format!("templates/{n}"))
        .unwrap_or_else(|| "templates".to_string());
    Diagnostic::error(file, "template", format!("errore nel modello di pagina: {message}"))
        .hint("correggi il modello nella cartella templates/ del sito, o toglilo per usare quello del tema")
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// Errors in the theme's templates: every one of them.
    Templates(Vec<Diagnostic>),
    /// A file could not be written.
    Write(WriteError),
}

/// Renders the whole site into `sink`, file by file as each is made.
/// Returns the number of files.
pub fn render_into(
    site: &Site,
    theme: &Theme,
    opts: &RenderOptions,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let tera = templates(theme).map_err(|d| RenderError::Templates(vec![d]))?;
    // Pages and the other files (the search index is the long one) side by side.
    let (pages, files) = rayon::join(
        || {
            crate::timed("render pages", || {
                pages::render_into(site, &tera, opts, pages::jobs(site), sink)
            })
        },
        || {
            crate::timed("render files", || {
                let files = render_files(site, theme, &tera).map_err(RenderError::Templates)?;
                let count = files.len();
                files
                    .into_par_iter()
                    .try_for_each(|f| sink.put(f))
                    .map_err(RenderError::Write)?;
                Ok(count)
            })
        },
    );
    Ok(pages? + files?)
}

/// Renders the whole site in memory.
pub fn render(
    site: &Site,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let sink = Collect::default();
    match render_into(site, theme, opts, &sink) {
        Ok(_) => Ok(sink.into_files()),
        Err(RenderError::Templates(d)) => Err(d),
        // Memory takes every file.
        Err(RenderError::Write(e)) => {
            Err(vec![Diagnostic::error("public", "internal", e.to_string())])
        }
    }
}

/// Every output but the HTML pages: calendars, feeds, sitemap, search
/// index, the theme's static files and the content files to copy.
pub fn render_files(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut outputs = render_files_except_search(site, theme, tera)?;
    let input = search::input(site);
    outputs.extend(crate::timed("search index", || input.files()));
    Ok(outputs)
}

/// [`render_files`] without the search index (serve makes it on the side).
pub fn render_files_except_search(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut outputs = pages::render_data_except_search(site, tera).map_err(|d| vec![d])?;
    // Theme static files, then the generated code stylesheet.
    for (path, bytes) in theme.statics() {
        outputs.push(Output::bytes(path, bytes.to_vec()));
    }
    outputs.push(Output::bytes("css/syntax.css", syntax::stylesheet()));
    // Content files (images, captions, PDFs).
    for (asset, path) in site.assets.iter().zip(&site.asset_paths) {
        outputs.push(Output {
            path: path.trim_start_matches('/').to_string(),
            body: Body::Copy(asset.abs.clone()),
        });
    }
    Ok(outputs)
}

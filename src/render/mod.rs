//! Render: the graph in, every output file out, as `(path, bytes)`.
//!
//! Pure: reads nothing from disk but the asset paths it passes on for
//! copying, writes nothing. HTML pages go through Tera (autoescape on) in
//! parallel; calendars, feeds, the search index, the sitemap and the
//! stylesheets are made by their own modules.

pub mod feeds;
pub mod ical;
pub mod jsonld;
pub mod pages;
pub mod print;
pub mod sanitize;
pub mod search;
pub mod syntax;
pub mod theme;
pub mod views;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
use std::path::PathBuf;
use theme::Theme;

/// What goes in one output file.
#[derive(Clone, Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file copied as it is from this path.
    Copy(PathBuf),
}

/// One output file: its path relative to the output folder (`tutorial/x/index.html`).
#[derive(Clone, Debug)]
pub struct Output {
    pub path: String,
    pub body: Body,
}

impl Output {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            body: Body::Bytes(bytes.into()),
        }
    }
}

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

/// Renders the whole site.
pub fn render(
    site: &Site,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let tera = templates(theme).map_err(|d| vec![d])?;
    // Pages and the other files (the search index is the long one) side by side.
    let (pages, files) = rayon::join(
        || crate::timed("render pages", || pages::render_all(site, &tera, opts)),
        || crate::timed("render files", || render_files(site, theme, &tera)),
    );
    let mut outputs = pages?;
    outputs.extend(files?);
    Ok(outputs)
}

/// Every output but the HTML pages: calendars, feeds, sitemap, search
/// index, the theme's static files and the content files to copy.
pub fn render_files(
    site: &Site,
    theme: &Theme,
    tera: &tera::Tera,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut outputs = render_files_except_search(site, theme, tera)?;
    let docs = pages::search_docs(site);
    outputs.push(Output::bytes(
        pages::SEARCH_INDEX,
        crate::timed("search index", || {
            pages::search_json(&docs, &site.config.synonyms)
        }),
    ));
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

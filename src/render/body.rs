//! Page bodies as HTML, made when a page is rendered and dropped after:
//! code coloured by [`super::syntax`], raw HTML cleaned by
//! [`crate::sanitize`], links rewritten to the site's addresses.

use crate::content::markdown::{self, BodyHtml, Html};
use crate::site::{body_options, Site};

/// Render's side of Markdown: code colouring and sanitising.
struct RenderHtml;

impl Html for RenderHtml {
    fn code(&self, text: &str, lang: &str, budget: &mut usize) -> String {
        super::syntax::highlight_within(text, lang, budget)
    }

    fn clean(&self, html: &str) -> String {
        crate::sanitize::clean(html)
    }
}

/// The body of page `i` as HTML.
pub fn html(site: &Site, i: usize) -> BodyHtml {
    let p = site.page(i);
    markdown::to_html(
        &site.body_text(i),
        site.analysis_of(i),
        &body_options(p, &site.config),
        &site.resolver(),
        &RenderHtml,
    )
}

/// A body on its own, read and made into HTML with the site's own
/// colouring and sanitising (tests and fuzzing).
pub fn markdown(
    body: &str,
    opts: &markdown::RenderOptions,
    resolver: &dyn markdown::Resolve,
) -> (markdown::Analysis, BodyHtml) {
    let analysis = markdown::analyse(body, opts, resolver);
    let html = markdown::to_html(body, &analysis, opts, resolver, &RenderHtml);
    (analysis, html)
}

//! Check: reads the site graph and reports what would hurt readers (broken
//! links, missing alt text, hard-to-read text). Adds diagnostics, changes
//! nothing. `pillole check` runs the stages up to here and writes nothing.
//!
//! `links` checks addresses, images and link texts; `content` the structure
//! of a page; `reading` the reading level of tutorials (counted by
//! `readability`). Every rule id any stage reports is listed in
//! [`rules::RULES`] with its default severity and developer doc.

pub mod content;
pub mod links;
pub mod readability;
pub mod reading;
pub mod rules;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
use rayon::prelude::*;

/// Runs every rule over every page.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let targets = links::Targets::new(site);
    (0..site.pages.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut d = links::check_page(site, &targets, i);
            d.extend(content::check_page(site, i));
            d
        })
        .collect()
}

//! Check: reads the site graph and reports what would hurt readers (broken
//! links, missing alt text, hard-to-read text). Adds diagnostics, changes
//! nothing. `pillole check` runs the stages up to here and writes nothing.
//!
//! `links` checks addresses, images and link texts; `content` the structure
//! of a page; `reading` the reading level of tutorials (counted by
//! `readability`); `reach` the pages no path from the home page reaches;
//! `incremental` keeps every page's diagnostics between
//! two runs of the pipeline. Every rule id any stage reports is listed in
//! [`rules::RULES`] with its default severity and developer doc.

pub mod content;
pub mod incremental;
pub mod links;
pub mod reach;
pub mod readability;
pub mod reading;
pub mod rules;

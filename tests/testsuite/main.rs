//! pillole's integration tests, in one binary so the crate is linked once:
//! each module is the suite of one part (`cargo test --test testsuite cli::`
//! runs one), `util` holds the helpers they share.

#[allow(dead_code)] // The fuzz targets use the rest.
#[path = "../../fuzz/src/lib.rs"]
mod fuzz_checks;
mod util;

mod check;
mod cli;
mod engine;
mod events;
mod feeds;
mod front_matter;
mod images;
mod import;
mod imported_markup;
mod incremental;
mod navigation;
mod properties;
mod regressions;
mod search_js;
mod serve;

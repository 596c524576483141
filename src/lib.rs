//! pillole: a static site generator for accessible step-by-step tutorials,
//! the diary of a digital-help tour, and its events.
//!
//! The pipeline, one module per stage, data flowing one way:
//! `config` -> `content::load` -> `content` (parse) -> `site` (link) ->
//! `check` -> `render` -> `output` (write). [`pipeline`] runs the stages
//! and keeps what serve needs between two runs; [`build`] and [`load`] run
//! it once; `main.rs` only parses the command line.

// A Diagnostic is returned by value on cold paths (bad input); boxing it
// everywhere would make every stage noisier for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod ascii;
pub mod calendar;
pub mod check;
pub mod cli_new;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod import;
pub mod output;
pub mod pipeline;
pub mod qr;
pub mod raw_html;
pub mod reads;
pub mod render;
pub mod routes;
pub mod sanitize;
pub mod serve;
pub mod site;

use chrono::NaiveDateTime;
use diagnostics::Diagnostic;
use std::path::{Path, PathBuf};

/// What a build or check is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// "Today", local Europe/Rome time.
    pub now: NaiveDateTime,
}

/// The result of loading a site up to the check stage.
pub struct Loaded {
    pub site: Option<site::Site>,
    pub diagnostics: Vec<Diagnostic>,
    /// Warnings a build counted but did not keep (it shows only the first
    /// [`BUILD_WARNINGS_SHOWN`]).
    pub warnings_left_out: usize,
    /// Source texts by relative path, for showing lines in messages
    /// (shared with the pages, never copied).
    pub sources: std::collections::HashMap<String, content::text::Text>,
}

impl Loaded {
    pub fn source(&self, file: &str) -> Option<String> {
        self.sources.get(file).map(|t| t.get().to_string())
    }
}

/// The current local time in Rome, to the minute.
pub fn now_in_rome() -> NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now()
        .with_timezone(&calendar::TZ)
        .naive_local();
    now.with_second(0)
        .and_then(|n| n.with_nanosecond(0))
        .unwrap_or(now)
}

/// Parses `--now` (`YYYY-MM-DDTHH:MM`, Europe/Rome).
pub fn parse_now(s: &str) -> Result<NaiveDateTime, String> {
    content::fields::parse_local_time(s)
}

/// A plain reason for an I/O error, in Italian where we know it.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "il file o la cartella non esiste".into(),
        PermissionDenied => "permesso negato".into(),
        AlreadyExists => "esiste già".into(),
        _ => e.to_string(),
    }
}

/// Runs config, load, parse, link and check (the pipeline, once).
pub fn load(opts: &Options) -> Loaded {
    loaded_pipeline(opts, render::RenderOptions::default(), 0).into_loaded()
}

/// The pipeline run once; with `shown` above 0, the check stage keeps only
/// that many of its warnings (the first, in the order they are shown).
fn loaded_pipeline(
    opts: &Options,
    render_opts: render::RenderOptions,
    shown: usize,
) -> pipeline::Pipeline {
    let mut p = pipeline::Pipeline::new(opts, pipeline::Mode::Once, render_opts);
    p.show_first_warnings(shown);
    p.update(pipeline::Changes::default());
    p
}

/// Runs one stage; with `PILLOLE_TIMINGS` set, prints how long it took
/// and the peak memory of the process so far (for profiling builds of
/// large sites, as Zola's build log does).
pub(crate) fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let cpu = cpu_ms();
    let value = f();
    if std::env::var_os("PILLOLE_TIMINGS").is_some() {
        let peak = peak_memory_mb().map_or(String::new(), |mb| format!(", picco {mb} MB"));
        let cpu = match (cpu, cpu_ms()) {
            (Some(a), Some(b)) => format!(", CPU {} ms", b - a),
            _ => String::new(),
        };
        eprintln!("{stage}: {} ms{cpu}{peak}", start.elapsed().as_millis());
    }
    value
}

/// CPU time the process has used so far, all threads (Linux: user and
/// system time of /proc/self/stat, in clock ticks of 10 ms).
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may hold spaces: state is the 3rd.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks * 10)
}

/// The most memory the process has held so far (Linux: VmHWM), in MB.
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// The diagnostics that stop a build: errors, except reading-level ones.
pub fn fatal(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.is_error() && !check::rules::READING_RULES.contains(&d.rule))
        .cloned()
        .collect()
}

/// Why a build produced no output.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the site's files: every one of them.
    Content(Vec<Diagnostic>),
    /// The output folder could not be written.
    Write(output::WriteError),
}

/// What a build does when some pages have errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnErrors {
    /// Write nothing: the previous output stays as it was.
    #[default]
    Stop,
    /// Write every page that can be made; the pages with errors are left
    /// out (and reported). Errors in site.yaml or the templates still stop
    /// the build.
    KeepGoing,
}

/// Builds the site into `output`. Returns the diagnostics (warnings only
/// on success) and the number of files written.
pub fn build(
    opts: &Options,
    output: &Path,
    render_opts: &render::RenderOptions,
) -> (Loaded, Result<usize, BuildError>) {
    build_with(opts, output, render_opts, OnErrors::Stop)
}

/// Warnings `build` shows in full (and keeps); `check` shows them all.
pub const BUILD_WARNINGS_SHOWN: usize = 50;

/// [`build`], choosing what errors in pages do. With
/// [`OnErrors::KeepGoing`] a build that wrote its output returns `Ok` even
/// when the diagnostics hold errors. Only the first
/// [`BUILD_WARNINGS_SHOWN`] warnings are kept; the rest are counted.
pub fn build_with(
    opts: &Options,
    output: &Path,
    render_opts: &render::RenderOptions,
    on_errors: OnErrors,
) -> (Loaded, Result<usize, BuildError>) {
    if let Err(e) = output::check_output(&opts.root, output) {
        return (
            Loaded {
                site: None,
                diagnostics: Vec::new(),
                warnings_left_out: 0,
                sources: Default::default(),
            },
            Err(BuildError::Write(e)),
        );
    }
    let mut pipeline = loaded_pipeline(opts, render_opts.clone(), BUILD_WARNINGS_SHOWN);
    let fatal = pipeline.fatal();
    let keep_going = on_errors == OnErrors::KeepGoing && pipeline.can_leave_out_errors();
    let warnings_left_out = pipeline.keep_first_warnings(BUILD_WARNINGS_SHOWN);
    let loaded = |pipeline: pipeline::Pipeline| crate::Loaded {
        warnings_left_out,
        ..pipeline.into_loaded()
    };
    if !fatal.is_empty() && !keep_going {
        return (loaded(pipeline), Err(BuildError::Content(fatal)));
    }
    let theme_diags = pipeline.theme_diagnostics();
    let result = render_and_write(&pipeline, opts, output, &theme_diags);
    let mut loaded = loaded(pipeline);
    loaded
        .diagnostics
        .extend(theme_diags.iter().filter(|d| !d.is_error()).cloned());
    match result {
        Ok((count, warnings)) => {
            loaded.diagnostics.extend(warnings);
            (loaded, Ok(count))
        }
        Err(BuildError::Content(errors)) => {
            // A file changed while read back is already among them.
            let new: Vec<Diagnostic> = errors
                .iter()
                .filter(|e| !loaded.diagnostics.contains(e))
                .cloned()
                .collect();
            loaded.diagnostics.extend(new);
            (loaded, Err(BuildError::Content(errors)))
        }
        Err(e) => (loaded, Err(e)),
    }
}

/// Renders into a staging folder and swaps it in; the number of files and
/// the warnings about what was made.
fn render_and_write(
    pipeline: &pipeline::Pipeline,
    opts: &Options,
    output: &Path,
    theme_diags: &[Diagnostic],
) -> Result<(usize, Vec<Diagnostic>), BuildError> {
    let errors: Vec<Diagnostic> = theme_diags
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    let staging = output::Staging::begin(&opts.root, output).map_err(BuildError::Write)?;
    let counts = match timed("render", || pipeline.render_into(&staging)) {
        Ok(counts) => counts,
        Err(render::RenderError::Templates(errors)) => return Err(BuildError::Content(errors)),
        Err(render::RenderError::Write(e)) => return Err(BuildError::Write(e)),
    };
    // A source file that changed while it was read back: what was made
    // from it cannot be trusted, and the previous output stays.
    let changed = pipeline.changed_while_running();
    if !changed.is_empty() {
        return Err(BuildError::Content(changed));
    }
    timed("swap", || staging.commit()).map_err(BuildError::Write)?;
    Ok((counts.files, counts.warnings))
}

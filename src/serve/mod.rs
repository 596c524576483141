//! Serve: the preview server behind `pillole serve`.
//!
//! Keeps the [`Pipeline`] warm (in memory, never into public/), serves what
//! it makes over HTTP on 127.0.0.1 unless told otherwise, watches the
//! site's files and hands each change to the pipeline, which makes again
//! only what the change reaches; then tells open pages to reload
//! (server-sent events). Errors never stop it: every page that can be made
//! is served, a broken page keeps its last good version, and the errors
//! are in a panel on every page and in the terminal.
//!
//! The loop in [`run`] owns the pipeline; request threads only read what
//! it publishes in [`server::Shared`]. No stage runs here.

pub mod overlay;
pub mod server;
pub mod watcher;

use crate::diagnostics::{self, Diagnostic};
use crate::output::{Sink, WriteError};
use crate::pipeline::{Changes, Mode, Pipeline, Report, Update};
use crate::render::{Body, Output, RenderOptions};
use chrono::NaiveDateTime;
use server::{Served, Shared};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Threads answering requests (page, styles, images arrive together).
const THREADS: usize = 4;
/// Warnings listed in the terminal at once; past this, only counted.
const MAX_WARNINGS_SHOWN: usize = 20;

/// What `pillole serve` is asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Open the preview in the browser once ready.
    pub open: bool,
    /// "Today" (Europe/Rome); now when not given.
    pub now: Option<NaiveDateTime>,
    pub drafts: bool,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("la porta {port} è già in uso: scegli un'altra porta con --port")]
    PortInUse { port: u16 },
    #[error("non riesco ad aprire l'indirizzo {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("non trovo la cartella del sito {root}: {reason}")]
    Root { root: PathBuf, reason: String },
    #[error("non riesco a seguire le modifiche dei file: {reason}")]
    Watch { reason: String },
}

/// Runs the preview server until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&opts.root).map_err(|e| ServeError::Root {
        root: opts.root.clone(),
        reason: crate::io_reason(&e),
    })?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse { port: opts.port },
        _ => ServeError::Bind {
            addr,
            reason: crate::io_reason(&e),
        },
    })?;
    // Answers go out as soon as they are written: without this, a page
    // asked on a kept-alive connection waits for the browser's delayed
    // acknowledgement (40 ms) between its headers and its body. Linux gives
    // the setting to every connection the listener accepts.
    let _ = socket2::SockRef::from(&listener).set_tcp_nodelay(true);
    let color = use_color();
    eprintln!("Preparo l'anteprima di {}…", root.display());
    // Watch before the first build, so that a save during it is not lost.
    let mut watcher = watcher::Watcher::start(&root).map_err(|e| ServeError::Watch {
        reason: e.to_string(),
    })?;
    let options = crate::Options {
        root: root.clone(),
        drafts: opts.drafts,
        base_url: None,
        now: opts.now.unwrap_or_else(crate::now_in_rome),
    };
    let mut ws = Pipeline::new(&options, Mode::Warm, RenderOptions::default());
    let shared = Arc::new(Shared::default());

    let started = Instant::now();
    let update = ws.update(Changes::default());
    let mut idle = Idle::default();
    idle.note(apply(&mut ws, &shared, update, started, None, color));

    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|e| ServeError::Bind {
            addr,
            reason: e.to_string(),
        })?;
    server::start(server, Arc::clone(&shared), THREADS);
    let url = address(opts.bind, opts.port, &ws.prefix());
    eprintln!("Anteprima su {url} (Ctrl+C per fermare).");
    if opts.bind.is_unspecified() {
        eprintln!(
            "Dagli altri dispositivi della rete usa l'indirizzo di questo computer al posto di localhost."
        );
    }
    if opts.open {
        open_browser(&url);
    }

    let stopped = || ServeError::Watch {
        reason: "il controllo dei file si è fermato".into(),
    };
    let mut pending: Option<Changes> = None;
    loop {
        // A change, or (when work waits for a quiet moment) a short wait.
        let changes = match pending.take() {
            Some(c) => Some(c),
            None if idle.waiting() => match watcher.changes.recv_timeout(IDLE_CHECK) {
                Ok(c) => Some(c),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Err(stopped()),
            },
            None => Some(watcher.changes.recv().map_err(|_| stopped())?),
        };
        if let Some(mut changes) = changes {
            while let Ok(more) = watcher.changes.try_recv() {
                changes.merge(more);
            }
            watcher.refresh();
            let started = Instant::now();
            let what = describe(&root, &changes);
            let update = ws.update(changes);
            idle.note(apply(&mut ws, &shared, update, started, Some(&what), color));
        }
        // The search index, once nothing else waits.
        if idle.waiting() {
            match watcher.changes.try_recv() {
                Ok(more) => pending = Some(more),
                Err(TryRecvError::Disconnected) => return Err(stopped()),
                Err(TryRecvError::Empty) => idle.work(&ws, &shared),
            }
        }
    }
}

/// How often the loop looks at waiting work while files are quiet.
const IDLE_CHECK: Duration = Duration::from_millis(100);

/// What an update left for a quiet moment: the search index.
#[derive(Default)]
struct Idle {
    index: bool,
    /// A thread of its own for the search index, so that it never holds up
    /// the shared pool the next update runs on.
    pool: Option<rayon::ThreadPool>,
    /// The search index is being made.
    busy: Arc<AtomicBool>,
}

impl Idle {
    fn note(&mut self, rendered: bool) {
        self.index |= rendered;
    }

    fn waiting(&self) -> bool {
        self.index
    }

    fn work(&mut self, ws: &Pipeline, shared: &Arc<Shared>) {
        // One index at a time: the next one starts when this one is done.
        if !self.index || self.busy.load(Ordering::Acquire) {
            return;
        }
        if self.pool.is_none() {
            self.pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "pillole-indice".into())
                .build()
                .ok();
        }
        let input = ws.search_input();
        if let (None, Some(input)) = (&self.pool, &input) {
            // No thread to spare: make it here.
            let files = input.files();
            shared.publish(|p| replace_index(&mut p.files, files));
        }
        if let (Some(pool), Some(input)) = (&self.pool, input) {
            let shared = Arc::clone(shared);
            let busy = Arc::clone(&self.busy);
            busy.store(true, Ordering::Release);
            pool.spawn(move || {
                let files = input.files();
                shared.publish(|p| replace_index(&mut p.files, files));
                busy.store(false, Ordering::Release);
            });
        }
        self.index = false;
    }
}

/// Hands an update to the pipeline's render, publishes what it makes (the
/// pages of the changed files first), tells the pages and the terminal.
/// True when anything was made (the search index follows).
fn apply(
    ws: &mut Pipeline,
    shared: &Shared,
    update: Update,
    started: Instant,
    what: Option<&str>,
    color: bool,
) -> bool {
    let prefix = ws.prefix();
    let mut report = match update {
        Update::Unchanged => return false,
        Update::Reload => {
            shared.publish(|p| p.generation += 1);
            shared.reload();
            if let Some(what) = what {
                eprintln!("{what}: ricarico le pagine.");
            }
            return false;
        }
        Update::Changed(report) => report,
    };
    // Each file is served as soon as it is made: the pages of the changed
    // files come first.
    let sink = Publish {
        shared,
        pages: AtomicUsize::new(0),
        made: Mutex::new(HashSet::new()),
    };
    let made = ws.render_update(&sink);
    let errors = made.errors;
    if made.full {
        // Files of routes that are gone; a route that failed keeps its
        // last good file, and the search index stays until the new one.
        let routes = ws.route_files();
        let published = sink.made.into_inner().unwrap_or_else(|e| e.into_inner());
        shared.publish(|p| {
            p.files.retain(|k, _| {
                published.contains(k)
                    || routes.contains(k)
                    || crate::render::search::is_index_file(k)
            })
        });
    }
    let pages = sink.pages.into_inner();
    report.errors += errors.len();
    report.fatal.extend(errors.iter().cloned());
    report.touched.extend(errors);
    let source = |f: &str| ws.source(f);
    let panel = (!report.fatal.is_empty()).then(|| overlay::panel(&report.fatal, &source));
    let had_errors = shared.read_panel();
    shared.publish(|p| {
        for file in &made.removed {
            p.files.remove(file);
        }
        p.prefix = prefix;
        p.panel = panel.map(Arc::from);
        p.generation += 1;
    });
    let elapsed = started.elapsed().as_millis();
    shared.reload();
    print_touched(&report, &source, color, what.is_none());
    let pages = if pages == 1 {
        "1 pagina".to_string()
    } else {
        format!("{pages} pagine")
    };
    if !report.fatal.is_empty() {
        eprint!("{}", diagnostics::to_human(&report.fatal, &source, color));
        eprintln!(
            "{}: il sito ha {}. Nel browser vedi le pagine che si possono fare, con gli errori in evidenza.",
            what.unwrap_or("Avvio"),
            summary(&report)
        );
        return true;
    }
    match what {
        None => eprintln!(
            "Sito pronto in {elapsed} ms: {} pagine, {pages} HTML ({}).",
            ws.page_count(),
            summary(&report)
        ),
        Some(what) if had_errors => eprintln!(
            "{what}: errori corretti, aggiornate {pages} in {elapsed} ms ({})",
            summary(&report)
        ),
        Some(what) => eprintln!(
            "{what}: aggiornate {pages} in {elapsed} ms ({}).",
            summary(&report)
        ),
    }
    true
}

impl Shared {
    fn read_panel(&self) -> bool {
        self.published
            .read()
            .map(|p| p.panel.is_some())
            .unwrap_or(false)
    }
}

/// Warnings of the files just read (errors are printed with the panel).
fn print_touched(
    report: &Report,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
    start: bool,
) {
    let warnings: Vec<Diagnostic> = report
        .touched
        .iter()
        .filter(|d| !report.fatal.contains(d))
        .cloned()
        .collect();
    if warnings.is_empty() {
        return;
    }
    if warnings.len() > MAX_WARNINGS_SHOWN {
        eprintln!(
            "{} avvisi{}: per vederli tutti usa `pillole check`.",
            warnings.len(),
            if start { "" } else { " nei file cambiati" }
        );
    } else {
        eprint!("{}", diagnostics::to_human(&warnings, source, color));
    }
}

fn summary(report: &Report) -> String {
    let errors = match report.errors {
        1 => "1 errore".to_string(),
        n => format!("{n} errori"),
    };
    let warnings = match report.warnings {
        1 => "1 avviso".to_string(),
        n => format!("{n} avvisi"),
    };
    format!("{errors}, {warnings}")
}

/// The changed files, for the terminal (not the temporary files an editor
/// makes and removes while saving).
fn describe(root: &std::path::Path, changes: &Changes) -> String {
    let files: Vec<&String> = changes
        .content
        .iter()
        .filter(|p| p.ends_with(".md") || root.join(p).is_file())
        .collect();
    let mut parts: Vec<String> = files.iter().take(3).map(|p| p.to_string()).collect();
    if files.len() > 3 {
        parts.push(format!("e altri {} file", files.len() - 3));
    }
    if changes.config {
        parts.push(crate::config::FILE_NAME.into());
    }
    if changes.theme {
        parts.push("modelli e file statici".into());
    }
    if parts.is_empty() {
        parts.push("content".into());
    }
    parts.join(", ")
}

/// Publishes each file as it is made.
struct Publish<'a> {
    shared: &'a Shared,
    /// HTML pages published.
    pages: AtomicUsize,
    /// Every file published.
    made: Mutex<HashSet<String>>,
}

impl Sink for Publish<'_> {
    fn put(&self, file: Output) -> Result<(), WriteError> {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.path.clone());
        let (path, served) = served(file);
        self.shared.publish(|p| {
            p.files.insert(path, served);
        });
        Ok(())
    }
}

/// Puts a new search index in place of the old one, whole (an index that
/// shrank leaves no stale chunk behind).
fn replace_index(files: &mut HashMap<String, Served>, index: Vec<Output>) {
    files.retain(|k, _| !crate::render::search::is_index_file(k));
    files.extend(index.into_iter().map(served));
}

fn served(o: Output) -> (String, Served) {
    let v = match o.body {
        Body::Bytes(b) => Served::of(b),
        Body::Copy(p) => Served::File(p),
    };
    (o.path, v)
}

fn address(bind: IpAddr, port: u16, prefix: &str) -> String {
    let host = if bind.is_unspecified() {
        "localhost".to_string()
    } else if bind.is_ipv6() {
        format!("[{bind}]")
    } else {
        bind.to_string()
    };
    format!("http://{host}:{port}{prefix}/")
}

fn use_color() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("Non riesco ad aprire il browser: apri tu {url}"),
    }
}

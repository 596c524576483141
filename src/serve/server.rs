//! Server: answers HTTP requests from the site published in memory.
//!
//! Serves only the outputs of the last good build, found by exact path
//! (`/x/` is `x/index.html`); nothing on disk is looked up from a request,
//! so `..`, encoded or not, can only miss. Malformed paths (`..`, encoded
//! slashes or backslashes, NUL) get 400, unknown ones the site's own
//! 404 page. `/__pillole/events` is a server-sent-events stream for live
//! reload. While the site has errors, every HTML page carries the error
//! panel. Takes the published state from [`Shared`]; changes nothing.

use super::overlay::{self, EVENTS_PATH};
use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// One file of the published site.
#[derive(Clone, Debug)]
pub enum Served {
    Bytes(Arc<Vec<u8>>),
    /// A large file, kept compressed (see [`Served::of`]).
    Packed(Arc<Vec<u8>>),
    /// A content file, read when asked for.
    File(PathBuf),
}

/// Files larger than this are kept compressed (LZ4, fast both ways): a
/// 10,000-page site holds about 290 MB of HTML.
const PACK_OVER: usize = 2048;

impl Served {
    /// A file's bytes as kept for serving.
    pub fn of(mut bytes: Vec<u8>) -> Served {
        if bytes.len() > PACK_OVER {
            let mut packed = lz4_flex::compress_prepend_size(&bytes);
            packed.shrink_to_fit();
            return Served::Packed(Arc::new(packed));
        }
        // Kept for the whole session: no spare capacity.
        bytes.shrink_to_fit();
        Served::Bytes(Arc::new(bytes))
    }

    /// The bytes of a file kept in memory (None for a content file on disk).
    pub fn bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self {
            Served::Bytes(b) => Some(std::borrow::Cow::Borrowed(b.as_slice())),
            Served::Packed(p) => lz4_flex::decompress_size_prepended(p)
                .ok()
                .map(std::borrow::Cow::Owned),
            Served::File(_) => None,
        }
    }
}

/// The site as served.
#[derive(Default)]
pub struct Published {
    /// Output path (`tutorial/spid/index.html`) -> file.
    pub files: HashMap<String, Served>,
    /// The error panel, while the site has errors.
    pub panel: Option<Arc<str>>,
    /// Address prefix of the site (`` or `/docs`).
    pub prefix: String,
    /// Counts the changes, so a page can tell it missed one.
    pub generation: u64,
}

/// What the serve loop and the request threads share.
#[derive(Default)]
pub struct Shared {
    pub published: RwLock<Published>,
    clients: Mutex<Vec<Sender<u64>>>,
}

impl Shared {
    /// Changes the published site.
    pub fn publish(&self, change: impl FnOnce(&mut Published)) {
        let mut p = self
            .published
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        change(&mut p);
    }

    /// Tells every open page to reload; returns how many were told.
    pub fn reload(&self) -> usize {
        let generation = self.read(|p| p.generation);
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        clients.retain(|c| c.send(generation).is_ok());
        clients.len()
    }

    fn read<T>(&self, f: impl FnOnce(&Published) -> T) -> T {
        f(&self
            .published
            .read()
            .unwrap_or_else(PoisonError::into_inner))
    }
}

/// Answers requests on `threads` threads until the process ends.
pub fn start(server: tiny_http::Server, shared: Arc<Shared>, threads: usize) {
    let server = Arc::new(server);
    for _ in 0..threads.max(1) {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &shared);
            }
        });
    }
}

/// Why a request path is refused.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// Malformed or trying to climb out: 400.
    BadRequest,
}

/// The decoded path of a request target, or why it is refused. Refuses
/// `.` and `..` segments (plain or percent-encoded), encoded `/` and `\`,
/// backslashes, NUL and control characters, and invalid UTF-8.
pub fn clean_path(target: &str) -> Result<String, Refused> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') || raw.contains('\\') || raw.chars().any(|c| c.is_control()) {
        return Err(Refused::BadRequest);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refused::BadRequest)?;
            let hex = std::str::from_utf8(hex).map_err(|_| Refused::BadRequest)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| Refused::BadRequest)?;
            // An encoded separator would make one segment look like two.
            if b == b'/' || b == b'\\' || b == 0 || b.is_ascii_control() {
                return Err(Refused::BadRequest);
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).map_err(|_| Refused::BadRequest)?;
    if path.split('/').any(|s| s == ".." || s == ".") || path.contains('\\') {
        return Err(Refused::BadRequest);
    }
    Ok(path)
}

/// The content type of an output path.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" {
        return "application/atom+xml";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "vtt" => "text/vtt; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes("X-Pillole", "1").expect("valid header"))
}

fn plain(status: u16, text: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn handle(request: Request, shared: &Shared) {
    let target = request.url().to_string();
    if target.split('?').next() == Some(EVENTS_PATH) {
        return events(request, shared);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r =
            plain(405, "Metodo non ammesso: usa GET.\n").with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(r);
        return;
    }
    let path = match clean_path(&target) {
        Ok(p) => p,
        Err(Refused::BadRequest) => {
            let _ = request.respond(plain(400, "Indirizzo non valido.\n"));
            return;
        }
    };
    let answer = shared.read(|p| lookup(p, &path));
    match answer {
        Answer::Redirect(to) => {
            let r = plain(301, "Spostato.\n").with_header(header("Location", &to));
            let _ = request.respond(r);
        }
        Answer::File {
            status,
            key,
            served,
            panel,
        } => send(request, status, &key, served, panel.as_deref()),
        Answer::Missing { panel } => {
            let (status, body) = match panel {
                Some(panel) => (503, overlay::error_page(&panel)),
                None => (404, "<!doctype html><html lang=\"it\"><meta charset=\"utf-8\"><title>Pagina non trovata</title><p>Pagina non trovata.</p></html>\n".to_string()),
            };
            let r = Response::from_data(body.into_bytes())
                .with_status_code(StatusCode(status))
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(r);
        }
    }
}

enum Answer {
    Redirect(String),
    File {
        status: u16,
        key: String,
        served: Served,
        panel: Option<Arc<str>>,
    },
    /// No such file and no 404 page (no good build yet).
    Missing {
        panel: Option<Arc<str>>,
    },
}

/// Finds the file for a decoded request path.
fn lookup(p: &Published, path: &str) -> Answer {
    let panel = p.panel.clone();
    let rel = if p.prefix.is_empty() {
        Some(path)
    } else if path == p.prefix || path == "/" {
        return Answer::Redirect(format!("{}/", p.prefix));
    } else {
        path.strip_prefix(p.prefix.as_str())
            .filter(|r| r.starts_with('/'))
    };
    if let Some(rel) = rel {
        let rel = rel.trim_start_matches('/');
        let key = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        if let Some(served) = p.files.get(&key) {
            return Answer::File {
                status: 200,
                key,
                served: served.clone(),
                panel,
            };
        }
        if !rel.is_empty()
            && !rel.ends_with('/')
            && p.files.contains_key(&format!("{rel}/index.html"))
        {
            return Answer::Redirect(format!("{path}/"));
        }
    }
    match p.files.get("404.html") {
        Some(served) => Answer::File {
            status: 404,
            key: "404.html".into(),
            served: served.clone(),
            panel,
        },
        None => Answer::Missing { panel },
    }
}

/// A single `bytes=` range of a body of `len` bytes: `(start, end)` inclusive.
fn range(spec: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = spec.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None; // several ranges: send the whole body
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let r = if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        if n == 0 || len == 0 {
            return Some(Err(()));
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let start: u64 = a.parse().ok()?;
        let end = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>().ok()?.min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Some(Err(()));
        }
        (start, end)
    };
    Some(Ok(r))
}

/// A page as sent: live reload (and the errors, while there are any)
/// added before `</body>`, so that the published files are the build's own.
fn with_snippets(html: &[u8], panel: Option<&str>) -> Vec<u8> {
    static RELOAD: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let reload = RELOAD.get_or_init(overlay::live_reload_script);
    match panel {
        Some(panel) => overlay::inject(html, &format!("{panel}{reload}")),
        None => overlay::inject(html, reload),
    }
}

fn send(request: Request, status: u16, key: &str, served: Served, panel: Option<&str>) {
    let kind = content_type(key);
    let html = kind.starts_with("text/html");
    // The body as a reader, and its length.
    let (mut reader, len): (Box<dyn ReadSeek + Send>, u64) = match served {
        Served::Packed(_) => {
            let body = served.bytes().map(|b| b.into_owned()).unwrap_or_default();
            let body = if html {
                with_snippets(&body, panel)
            } else {
                body
            };
            let len = body.len() as u64;
            (Box::new(Cursor::new(body)), len)
        }
        Served::Bytes(bytes) if html => {
            let body = with_snippets(&bytes, panel);
            let len = body.len() as u64;
            (Box::new(Cursor::new(body)), len)
        }
        Served::Bytes(bytes) => {
            let len = bytes.len() as u64;
            (Box::new(Cursor::new(SharedBytes(bytes))), len)
        }
        Served::File(path) => match std::fs::File::open(&path).and_then(|f| {
            let len = f.metadata()?.len();
            Ok((f, len))
        }) {
            Ok((f, len)) => (Box::new(f), len),
            Err(_) => {
                let _ = request.respond(plain(404, "File non trovato.\n"));
                return;
            }
        },
    };
    let wanted = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Range"))
        .map(|h| h.value.as_str().to_string());
    let mut headers = vec![
        header("Content-Type", kind),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
        header("Accept-Ranges", "bytes"),
    ];
    let (status, start, length) = match wanted
        .as_deref()
        .filter(|_| status == 200)
        .and_then(|s| range(s, len))
    {
        Some(Ok((start, end))) => {
            headers.push(header(
                "Content-Range",
                &format!("bytes {start}-{end}/{len}"),
            ));
            (206, start, end - start + 1)
        }
        Some(Err(())) => {
            let r = plain(416, "Intervallo non valido.\n")
                .with_header(header("Content-Range", &format!("bytes */{len}")));
            let _ = request.respond(r);
            return;
        }
        None => (status, 0, len),
    };
    if start > 0 && reader.seek(SeekFrom::Start(start)).is_err() {
        let _ = request.respond(plain(500, "Errore di lettura.\n"));
        return;
    }
    let body = reader.take(length);
    let response = Response::new(
        StatusCode(status),
        headers,
        body,
        usize::try_from(length).ok(),
        None,
    )
    .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}

/// Bytes shared with the published site, readable without a copy.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Keeps a server-sent-events stream open: `hello` with the current
/// generation at once, `reload` at every change, a comment now and then so
/// that closed pages are noticed.
fn events(request: Request, shared: &Shared) {
    let generation = shared.read(|p| p.generation);
    let mut writer = request.into_writer();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\nevent: hello\ndata: {generation}\n\n"
    );
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    let (tx, rx) = channel::<u64>();
    shared
        .clients
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(tx);
    std::thread::spawn(move || loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(g) => format!("event: reload\ndata: {g}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": attesa\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_encoded_separators_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a%2f..%2f..%2fetc/passwd",
            "/a%5c..%5cb",
            "/a\\..\\b",
            "/a%00.html",
            "/./a",
            "/%zz",
            "/%",
            "relative",
            "/%c3%28",
        ] {
            assert_eq!(clean_path(bad), Err(Refused::BadRequest), "{bad}");
        }
        // Double encoding decodes once: a name that exists nowhere.
        assert_eq!(clean_path("/%252e%252e/x").unwrap(), "/%2e%2e/x");
        assert_eq!(
            clean_path("/tutorial/spid/?a=1").unwrap(),
            "/tutorial/spid/"
        );
        assert_eq!(clean_path("/caff%C3%A8/").unwrap(), "/caffè/");
    }

    #[test]
    fn lookup_serves_index_redirects_folders_and_falls_back_to_404() {
        let mut p = Published::default();
        for k in ["index.html", "a/index.html", "404.html", "css/x.css"] {
            p.files.insert(
                k.to_string(),
                Served::Bytes(Arc::new(k.as_bytes().to_vec())),
            );
        }
        assert!(
            matches!(lookup(&p, "/"), Answer::File { status: 200, ref key, .. } if key == "index.html")
        );
        assert!(
            matches!(lookup(&p, "/a/"), Answer::File { status: 200, ref key, .. } if key == "a/index.html")
        );
        assert!(matches!(lookup(&p, "/a"), Answer::Redirect(ref to) if to == "/a/"));
        assert!(matches!(
            lookup(&p, "/nope"),
            Answer::File { status: 404, .. }
        ));
        p.prefix = "/docs".into();
        assert!(matches!(lookup(&p, "/"), Answer::Redirect(ref to) if to == "/docs/"));
        assert!(matches!(
            lookup(&p, "/docs/css/x.css"),
            Answer::File { status: 200, .. }
        ));
        assert!(matches!(
            lookup(&p, "/css/x.css"),
            Answer::File { status: 404, .. }
        ));
    }

    #[test]
    fn ranges() {
        assert_eq!(range("bytes=0-9", 100), Some(Ok((0, 9))));
        assert_eq!(range("bytes=90-", 100), Some(Ok((90, 99))));
        assert_eq!(range("bytes=-10", 100), Some(Ok((90, 99))));
        assert_eq!(range("bytes=100-", 100), Some(Err(())));
        assert_eq!(range("bytes=0-1,5-6", 100), None);
        assert_eq!(range("items=0-1", 100), None);
    }

    #[test]
    fn large_files_are_kept_compressed_and_given_back_whole() {
        let page: Vec<u8> = (0..20_000u32)
            .flat_map(|n| format!("<p>riga {n}</p>\n").into_bytes())
            .collect();
        let kept = Served::of(page.clone());
        let Served::Packed(packed) = &kept else {
            panic!("a large page is not packed");
        };
        assert!(
            packed.len() * 4 < page.len(),
            "{} of {}",
            packed.len(),
            page.len()
        );
        assert_eq!(kept.bytes().unwrap().as_ref(), page.as_slice());
        let small = Served::of(b"<p>ciao</p>".to_vec());
        assert!(matches!(small, Served::Bytes(_)));
        assert_eq!(small.bytes().unwrap().as_ref(), b"<p>ciao</p>");
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type("eventi/calendario.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("diario/atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("x/y.VTT"), "text/vtt; charset=utf-8");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
    }
}

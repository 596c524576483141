//! `pillole serve` end to end: the real binary on a free port of 127.0.0.1,
//! serving a copy of the demo site, spoken to with plain HTTP/1.1 over
//! `TcpStream`. Every wait has a deadline; every server is killed when its
//! test ends (the guard's `Drop`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-23T10:00";
/// Long enough for a debug build on a busy machine; never reached when all is well.
const START: Duration = Duration::from_secs(90);
const WAIT: Duration = Duration::from_secs(30);
const PAGE: &str = "content/tutorial/attivare-spid.md";
const PAGE_URL: &str = "/tutorial/attivare-spid/";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the demo site in `<tmp>/site`, with room beside it.
struct Site {
    tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn demo() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("pillole-serve-")
            .tempdir()
            .unwrap();
        let root = tmp.path().join("site");
        copy_dir(&repo().join("content"), &root.join("content"));
        std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).unwrap();
        Site { tmp, root }
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    /// Replaces text in a file the way an editor saves it.
    #[track_caller]
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no «{from}»");
        std::fs::write(self.root.join(rel), text.replacen(from, to, 1)).unwrap();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The running server; killed on drop.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &Site) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pillole"))
            .args(["serve", "--port", &port.to_string(), "--now", NOW, "--root"])
            .arg(&site.root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server { child, port, log };
        let deadline = Instant::now() + START;
        while !server.log().contains("Anteprima su") {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server stopped ({status}):\n{}", server.log());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, path)
    }

    /// The page at `path` once `ok` holds for it. A save can reach the
    /// watcher in two bursts (truncate, then write) on a busy machine, so
    /// the first reload may show a state in between.
    #[track_caller]
    fn page_when(&self, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.get(path).text();
            if ok(&text) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: {what} did not happen:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    stream
}

/// Reads the status line and headers.
fn read_head(reader: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    (status, headers)
}

/// One GET with the request target written exactly as given.
fn request(port: u16, target: &str) -> Response {
    let mut stream = connect(port);
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader);
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).unwrap();
        }
        None => {
            reader.read_to_end(&mut body).unwrap();
        }
    }
    Response {
        status,
        headers,
        body,
    }
}

/// An open server-sent-events stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = connect(port);
        write!(
            stream,
            "GET /__pillole/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let (status, headers) = read_head(&mut reader);
        assert_eq!(status, 200);
        assert!(headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("content-type")
                && v.starts_with("text/event-stream")));
        let mut events = Events { reader };
        events.next_named("hello");
        events
    }

    /// Waits for the next event with this name; returns its data.
    #[track_caller]
    fn next_named(&mut self, name: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut event = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no «{name}» event in time");
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("no «{name}» event in time: {e}"));
            assert!(n > 0, "the event stream closed");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if event == name {
                    return data.to_string();
                }
            }
        }
    }
}

#[test]
fn edit_reload_break_and_fix() {
    let site = Site::demo();
    let server = Server::start(&site);

    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Attiva lo SPID"));
    assert!(html.contains("/__pillole/events"), "no live-reload script");
    assert!(!html.contains("role=\"alert\""));

    // An edit of the Markdown: a reload event, then the new text.
    let mut events = Events::open(server.port);
    site.edit(
        PAGE,
        "## Prepara i documenti\n",
        "## Prepara i documenti\n\nQuesta frase è nuova di zecca.\n",
    );
    events.next_named("reload");
    server.page_when(PAGE_URL, "the new text", |h| {
        h.contains("Questa frase è nuova di zecca.")
    });

    // Broken front matter: the overlay names the file; the last good page stays.
    site.edit(PAGE, "title:", "title \"senza due punti\"\ntitle:");
    events.next_named("reload");
    let html = server.page_when(PAGE_URL, "the overlay", |h| h.contains("role=\"alert\""));
    assert_eq!(server.get(PAGE_URL).status, 200);
    assert!(html.contains(PAGE), "the overlay does not name the file");
    assert!(html.contains("riga "), "the overlay does not give the line");
    assert!(
        html.contains("Questa frase è nuova di zecca."),
        "the last good page is gone"
    );
    // Every page shows it, and the terminal says the same.
    assert!(server.get("/").text().contains("role=\"alert\""));
    assert!(server.log().contains(PAGE));

    // Fixed: the page comes back without the overlay.
    site.edit(PAGE, "title \"senza due punti\"\ntitle:", "title:");
    events.next_named("reload");
    let html = server.page_when(PAGE_URL, "the overlay going away", |h| {
        !h.contains("role=\"alert\"")
    });
    assert!(html.contains("Questa frase è nuova di zecca."));
    assert!(!server.get("/").text().contains("role=\"alert\""));
}

#[test]
fn path_traversal_never_leaves_the_site() {
    let site = Site::demo();
    std::fs::write(site.tmp.path().join("segreto.txt"), "SEGRETO-FUORI").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.tmp.path().join("segreto.txt"),
        site.root.join("content/tutorial/collegato.txt"),
    )
    .unwrap();
    let server = Server::start(&site);
    assert_eq!(server.get("/").status, 200);
    for target in [
        "/../segreto.txt",
        "/../../../../etc/passwd",
        "/tutorial/../../segreto.txt",
        "/%2e%2e/segreto.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/tutorial/%2e%2e/%2e%2e/segreto.txt",
        "/..%2fsegreto.txt",
        "/%2e%2e%2fsegreto.txt",
        "/%252e%252e/segreto.txt",
        "/%252e%252e%252fsegreto.txt",
        "/..%5csegreto.txt",
        "/..\\segreto.txt",
        "/%00/segreto.txt",
        "/index.html%00.txt",
        "//etc/passwd",
        "/site.yaml",
        "/content/_index.md",
        "/tutorial/collegato.txt",
    ] {
        let r = server.get(target);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: status {}",
            r.status
        );
        let text = r.text();
        assert!(
            !text.contains("SEGRETO-FUORI"),
            "{target} leaked a file outside the site"
        );
        assert!(!text.contains("root:x:0"), "{target} leaked /etc/passwd");
        assert!(!text.contains("base_url"), "{target} leaked site.yaml");
    }
}

#[test]
fn content_types_and_not_found() {
    let site = Site::demo();
    std::fs::write(
        site.root.join("content/tutorial/sottotitoli.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\nCiao\n",
    )
    .unwrap();
    let server = Server::start(&site);
    for (path, kind) in [
        ("/eventi/calendario.ics", "text/calendar"),
        ("/sitemap.xml", "application/xml"),
        ("/diario/atom.xml", "application/atom+xml"),
        (
            "/diario/tappa-municipio-4-calvairate/foto-1.svg",
            "image/svg+xml",
        ),
        ("/tutorial/sottotitoli.vtt", "text/vtt"),
        ("/fonts/titillium-web-latin-400-normal.woff2", "font/woff2"),
        ("/css/pillole.css", "text/css"),
        (PAGE_URL, "text/html"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        let got = r.header("content-type").unwrap_or("");
        assert!(got.starts_with(kind), "{path}: {got}, not {kind}");
        assert!(!r.body.is_empty(), "{path} is empty");
    }
    assert!(server
        .get("/tutorial/sottotitoli.vtt")
        .text()
        .starts_with("WEBVTT"));
    // The search index is made on the side, soon after start.
    server.page_when("/cerca/indice.json", "the search index", |t| {
        t.starts_with('{')
    });
    let r = server.get("/cerca/indice.json");
    assert_eq!(r.header("content-type"), Some("application/json"));

    // The site's own 404 page, with status 404.
    let r = server.get("/questa-pagina-non-esiste/");
    assert_eq!(r.status, 404);
    let not_found = server.get("/404.html").text();
    assert!(not_found.contains("Pagina non trovata"));
    assert_eq!(r.text(), not_found);

    // A folder without its slash is sent to the address with it.
    let r = server.get("/tutorial");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/tutorial/"));
}

#[test]
fn port_in_use_exits_with_a_message() {
    let site = Site::demo();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pillole"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&site.root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve did not stop on a port in use");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "la porta {port} è già in uso: scegli un'altra porta con --port"
        )),
        "{stderr}"
    );
    drop(taken);
}

/// A page as built: the live-reload script serve adds before `</body>` taken out.
fn without_reload_script(html: &str) -> String {
    let start = "<script>\n(function () {\n  var key = \"pillole-scroll:\"";
    match html.find(start) {
        Some(at) => {
            let end = html[at..]
                .find("</script>\n")
                .map_or(html.len(), |e| at + e + 10);
            format!("{}{}", &html[..at], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn after_edits_served_pages_equal_a_fresh_build() {
    let site = Site::demo();
    let server = Server::start(&site);
    // A body, a title shown in lists, and a new page.
    site.edit(
        PAGE,
        "## Prepara i documenti\n",
        "## Prepara i documenti\n\nUna frase in più.\n",
    );
    site.edit(
        PAGE,
        "title: \"Attiva lo SPID\"",
        "title: \"Attiva lo SPID oggi\"",
    );
    let new = site
        .read("content/tutorial/creare-email.md")
        .replace("title: \"", "title: \"Copia: ");
    std::fs::write(site.root.join("content/tutorial/copia-email.md"), new).unwrap();
    server.page_when("/tutorial/", "the new title and the new page", |h| {
        h.contains("Attiva lo SPID oggi") && h.contains("Copia: ")
    });

    let out = site.tmp.path().join("out");
    let built = Command::new(env!("CARGO_BIN_EXE_pillole"))
        .args(["build", "--now", NOW, "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let want = std::fs::read(entry.path()).unwrap();
        // Files made after the pages (the search index) may still be on their way.
        let deadline = Instant::now() + WAIT;
        loop {
            let got = server.get(&format!("/{rel}"));
            let body = if rel.ends_with(".html") {
                without_reload_script(&got.text()).into_bytes()
            } else {
                got.body
            };
            if (got.status != 404 || rel == "404.html") && body == want {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "/{rel} served differs from the build:\n--- served\n{}\n--- built\n{}",
                String::from_utf8_lossy(&body),
                String::from_utf8_lossy(&want)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        compared += 1;
    }
    assert!(compared > 100, "only {compared} files compared");
}

#[test]
fn a_site_that_starts_broken_serves_its_good_pages_with_the_errors() {
    let site = Site::demo();
    let broken = "content/tutorial/creare-email.md";
    site.edit(broken, "title:", "title \"senza due punti\"\ntitle:");
    let server = Server::start(&site);
    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200, "a good page is served");
    let html = page.text();
    assert!(html.contains("Attiva lo SPID"));
    assert!(html.contains("role=\"alert\""), "no overlay on a good page");
    assert!(html.contains(broken), "the overlay does not name the file");
    // The broken page was never good: its address shows the overlay too.
    let missing = server.get("/tutorial/creare-email/");
    assert!(missing.text().contains(broken));
    assert_ne!(missing.status, 500);
    // Fixed: the page appears and the overlay goes.
    site.edit(broken, "title \"senza due punti\"\ntitle:", "title:");
    server.page_when("/tutorial/creare-email/", "the fixed page", |h| {
        h.contains("<h1") && !h.contains("role=\"alert\"")
    });
}

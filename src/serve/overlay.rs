//! Overlay: what serve adds to pages, and only in serve mode.
//!
//! The live-reload script (rendered into every page through
//! `RenderOptions::inject`) listens to `/__pillole/events` and reloads the
//! page, keeping its scroll position. The error panel is added to every
//! HTML page served while the site has errors: a fixed panel with
//! `role="alert"` naming file, line, message and hint in Italian, with the
//! same text the terminal shows.

use crate::diagnostics::{self, Diagnostic};

/// Address of the server-sent events stream.
pub const EVENTS_PATH: &str = "/__pillole/events";

/// How many errors the panel lists; the rest are counted.
const MAX_LISTED: usize = 20;

/// The live-reload script, added before `</body>` of every page.
pub fn live_reload_script() -> String {
    format!(
        r#"<script>
(function () {{
  var key = "pillole-scroll:" + location.pathname;
  try {{
    var y = sessionStorage.getItem(key);
    if (y !== null) {{
      sessionStorage.removeItem(key);
      var back = function () {{ window.scrollTo(0, parseInt(y, 10) || 0); }};
      back();
      window.addEventListener("load", back);
    }}
  }} catch (e) {{}}
  if (!window.EventSource) return;
  var seen = null;
  var events = new EventSource("{EVENTS_PATH}");
  function reload() {{
    try {{ sessionStorage.setItem(key, String(window.scrollY)); }} catch (e) {{}}
    events.close();
    location.reload();
  }}
  events.addEventListener("hello", function (e) {{
    if (seen !== null && e.data !== seen) reload();
    seen = e.data;
  }});
  events.addEventListener("reload", reload);
}})();
</script>
"#
    )
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The error panel for these errors. `source` gives a file's text, to show
/// the line as the terminal does.
pub fn panel(errors: &[Diagnostic], source: &dyn Fn(&str) -> Option<String>) -> String {
    let mut items = String::new();
    for d in errors.iter().take(MAX_LISTED) {
        let terminal = diagnostics::to_human(std::slice::from_ref(d), source, false);
        let hint = if d.hint.is_empty() {
            String::new()
        } else {
            format!(
                r#"<p style="margin:.25em 0"><strong>Cosa fare:</strong> {}</p>"#,
                escape(&d.hint)
            )
        };
        items.push_str(&format!(
            r#"<li style="margin:0 0 1em"><p style="margin:0 0 .25em"><strong>{file}</strong>, riga {line}, colonna {column}</p><p style="margin:.25em 0">{message}</p>{hint}<pre style="margin:.5em 0 0;padding:.5em;background:#f2f2f2;color:#1a1a1a;white-space:pre-wrap;overflow-wrap:anywhere;font:0.95rem/1.4 ui-monospace,Menlo,Consolas,monospace">{terminal}</pre></li>"#,
            file = escape(&d.file),
            line = d.line,
            column = d.column,
            message = escape(&d.message),
            terminal = escape(terminal.trim_end()),
        ));
    }
    let more = if errors.len() > MAX_LISTED {
        format!(
            r#"<p style="margin:.5em 0">E {}: li trovi tutti nel terminale.</p>"#,
            count(errors.len() - MAX_LISTED, "altro errore", "altri errori")
        )
    } else {
        String::new()
    };
    format!(
        r#"<div id="pillole-errori" role="alert" aria-labelledby="pillole-errori-titolo" lang="it" style="position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:70vh;overflow:auto;box-sizing:border-box;margin:0;padding:1em 1.25em;background:#fff;color:#1a1a1a;border-bottom:.4em solid #b00020;box-shadow:0 .25em 1em rgba(0,0,0,.35);font:1.125rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:left"><h2 id="pillole-errori-titolo" style="margin:0 0 .5em;font-size:1.375rem;line-height:1.3;color:#b00020">Il sito ha {title}: vedi l'ultima versione senza errori</h2><p style="margin:0 0 .75em">Correggi il file e salvalo: la pagina si aggiorna da sola.</p><ol style="margin:0;padding-left:1.5em">{items}</ol>{more}<button type="button" onclick="this.parentNode.remove()" style="margin-top:.5em;padding:.5em 1em;font:inherit;color:#fff;background:#1a1a1a;border:0;border-radius:.25em;cursor:pointer">Nascondi</button></div>"#,
        title = count(errors.len(), "errore", "errori"),
    )
}

/// `html` with `snippet` added before its last `</body>` (or at the end).
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A page for when no version of the site could be built yet.
pub fn error_page(panel: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Il sito ha errori</title>\n</head>\n<body>\n<main style=\"font:1.125rem/1.5 system-ui,sans-serif;padding:1em\"><h1>Il sito non si può ancora mostrare</h1><p>Correggi gli errori: la pagina si aggiorna da sola.</p></main>\n{panel}\n{}</body>\n</html>\n",
        live_reload_script()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_names_file_line_and_hint_and_escapes() {
        let d = Diagnostic::error("content/x.md", "yaml-syntax", "manca <qualcosa>")
            .at(3, 2)
            .hint("scrivi \"title\"");
        let html = panel(&[d], &|_| Some("---\ntitle x\n:\n".to_string()));
        assert!(html.contains(r#"role="alert""#));
        assert!(html.contains("<strong>content/x.md</strong>, riga 3, colonna 2"));
        assert!(html.contains("manca &lt;qualcosa&gt;"));
        assert!(html.contains("Cosa fare:</strong> scrivi &quot;title&quot;"));
        assert!(html.contains("Il sito ha 1 errore"));
    }

    #[test]
    fn inject_goes_before_the_last_body_end() {
        assert_eq!(
            inject(b"<body>a</body></html>", "X"),
            b"<body>aX</body></html>".to_vec()
        );
        assert_eq!(inject(b"plain", "X"), b"plainX".to_vec());
    }
}

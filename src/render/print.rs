//! Print helpers: QR codes as inline SVG for the step sheets and posters
//! (the codes themselves are [`crate::qr`]'s), one path of dark runs.

use crate::qr::qr_modules;

/// Quiet zone around the code, in modules (the standard asks for 4).
const QUIET: usize = 4;

/// An inline SVG QR code for `url`, labelled for screen readers.
pub fn qr_svg(url: &str, label: &str) -> String {
    let Some((modules, width)) = qr_modules(url.as_bytes()) else {
        return String::new();
    };
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(modules.len() * 4);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] {
                let start = x;
                while x < width && row[x] {
                    x += 1;
                }
                let run = x - start;
                path.push('M');
                push_number(&mut path, start + QUIET);
                path.push(' ');
                push_number(&mut path, y + QUIET);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
            } else {
                x += 1;
            }
        }
    }
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img" aria-label="{label}" width="240" height="240" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{path}"/></svg>"##
    )
}

/// Writes `n` in decimal (a code's coordinates: a few thousand runs a
/// sheet, where `write!` was most of the cost of drawing it).
fn push_number(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_is_inline_svg_with_a_label() {
        let s = qr_svg(
            "https://pillole.example.org/tutorial/spid/",
            "Codice QR <x>",
        );
        assert!(s.starts_with("<svg"), "{s}");
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains("Codice QR &lt;x&gt;"));
        assert!(s.ends_with("</svg>"));
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 177, 1234, usize::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}

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
    // One line of stroke per run of dark modules, a row at a time: the
    // first run of a row from its start, the next ones from where the last
    // ended (the line's centre is half a module down).
    let mut path = String::with_capacity(modules.len() * 2);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        let mut pen: Option<usize> = None;
        while let Some(gap) = row[x..].iter().position(|&dark| dark) {
            let start = x + gap;
            x = start + row[start..].iter().take_while(|&&dark| dark).count();
            match pen {
                None => {
                    path.push('M');
                    push_number(&mut path, start + QUIET);
                    path.push(' ');
                    push_number(&mut path, y + QUIET);
                    path.push_str(".5h");
                }
                Some(end) => {
                    path.push('m');
                    push_number(&mut path, start - end);
                    path.push_str(" 0h");
                }
            }
            push_number(&mut path, x - start);
            pen = Some(x);
        }
    }
    let label = super::escape::attribute(label);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img" aria-label="{label}" width="240" height="240" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#ffffff"/><path fill="none" stroke="#000000" d="{path}"/></svg>"##
    )
}

/// Writes `n` in decimal (a code's coordinates: a few thousand runs a
/// sheet, where `write!` was most of the cost of drawing it).
fn push_number(out: &mut String, n: usize) {
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    while rest > 0 {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
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

    /// The dark modules the path of `svg` strokes, row by row.
    fn stroked(svg: &str, width: usize) -> Vec<bool> {
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut modules = vec![false; width * width];
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = d;
        let number = |s: &str| -> (usize, usize) {
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            (s[..n].parse().unwrap(), n)
        };
        while let Some(op) = rest.chars().next() {
            rest = &rest[1..];
            let (a, n) = number(rest);
            rest = &rest[n..];
            match op {
                'M' => {
                    let (b, m) = number(&rest[1..]);
                    assert!(rest[1 + m..].starts_with(".5"), "{d}");
                    rest = &rest[1 + m + 2..];
                    (x, y) = (a - QUIET, b - QUIET);
                }
                'm' => {
                    assert!(rest.starts_with(" 0"), "{d}");
                    rest = &rest[2..];
                    x += a;
                }
                'h' => {
                    for m in x..x + a {
                        modules[y * width + m] = true;
                    }
                    x += a;
                }
                _ => panic!("unexpected {op} in {d}"),
            }
        }
        modules
    }

    #[test]
    fn the_path_strokes_exactly_the_dark_modules() {
        for url in [
            "https://pillole.example.org/tutorial/spid/",
            &format!("https://example.org/{}", "x".repeat(300)),
        ] {
            let (modules, width) = qr_modules(url.as_bytes()).unwrap();
            let svg = qr_svg(url, "Codice QR");
            assert!(svg.contains(r##"fill="none" stroke="#000000""##), "{svg}");
            assert_eq!(stroked(&svg, width), modules, "{url}");
        }
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

//! Print helpers: QR codes as inline SVG for the step sheets and posters.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline SVG QR code for `url`, labelled for screen readers.
pub fn qr_svg(url: &str, label: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let image = image.trim_start_matches(r#"<?xml version="1.0" standalone="yes"?>"#);
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    image.replacen(
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1""#,
        &format!(r#"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" role="img" aria-label="{label}""#),
        1,
    )
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
}

//! QR codes: the modules of the code printed on step sheets and posters,
//! and whether an address fits in one (check warns before a sheet comes out
//! without its code).
//!
//! The qrcode crate encodes the data (mode, error correction, placement);
//! the mask is fixed instead of chosen by trying all eight, which was most
//! of the cost of a large build.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{bits, ec, Color, EcLevel};

/// The error correction of every code: a printed sheet can be creased.
const LEVEL: EcLevel = EcLevel::M;
/// The mask every code uses; any of the eight is valid for a reader.
const MASK: MaskPattern = MaskPattern::Checkerboard;
/// Bytes that always fit in the largest code at [`LEVEL`] (version 40).
const ALWAYS_FITS: usize = 2331;

/// The modules of a QR code for `data` (row by row, true = dark) and its width.
pub fn qr_modules(data: &[u8]) -> Option<(Vec<bool>, usize)> {
    let bits = bits::encode_auto(data, LEVEL).ok()?;
    let version = bits.version();
    let (codewords, ec_codewords) =
        ec::construct_codewords(&bits.into_bytes(), version, LEVEL).ok()?;
    let mut canvas = Canvas::new(version, LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec_codewords);
    canvas.apply_mask(MASK);
    let width = version.width().try_into().ok()?;
    Some((
        canvas
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
        width,
    ))
}

/// Whether `data` fits in a QR code.
pub fn fits(data: &str) -> bool {
    data.len() <= ALWAYS_FITS || bits::encode_auto(data.as_bytes(), LEVEL).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fits_is_what_encodes() {
        for len in [10, ALWAYS_FITS, ALWAYS_FITS + 1, 4000, 8000] {
            let url = format!("https://example.org/{}", "é".repeat(len / 2));
            assert_eq!(fits(&url), qr_modules(url.as_bytes()).is_some(), "{len}");
        }
        assert!(fits(&"a".repeat(ALWAYS_FITS)));
        assert!(!fits(&"a".repeat(8000)));
    }
}

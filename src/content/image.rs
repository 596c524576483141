//! Images: what the site knows of a picture under content/ without
//! decoding it — its weight in bytes and its size in pixels, read from the
//! file's header ([`imagesize`] for photos and drawings in pixels, the
//! root element's `width`/`height` or `viewBox` for SVG) — and the warning
//! for pictures too heavy for a reader's phone.

use crate::diagnostics::Diagnostic;
use std::io::Read;
use std::path::Path;

/// Pictures heavier than this are reported (a phone photo made for the
/// web weighs 100–300 KB).
pub const LARGE_IMAGE_BYTES: u64 = 1024 * 1024;
/// Pictures with a side longer than this, in pixels, are reported (a page
/// shows them at most ~800 px wide, twice that on sharp screens).
pub const LARGE_IMAGE_SIDE: u32 = 2000;

/// The weight and size of a picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ImageInfo {
    /// Its weight in bytes, kept only when over [`LARGE_IMAGE_BYTES`] (the
    /// one weight the site reports), so that a picture saved again at the
    /// same size is the same picture for the pages that show it.
    pub heavy: Option<u64>,
    /// Width and height in pixels, or for a drawing (SVG) the size it
    /// declares, if it declares one.
    pub size: Option<(u32, u32)>,
    /// A drawing, sharp at any size: its pixels do not weigh.
    pub vector: bool,
    /// For a photo made into smaller copies: its length and modification
    /// time, so that a photo saved again makes its copies again.
    pub stamp: Option<(u64, std::time::SystemTime)>,
}

/// Widths of the smaller copies made of a photo (JPEG or PNG) wider than
/// them: a phone takes the one that fits its screen.
pub const VARIANT_WIDTHS: &[u32] = &[480, 960, 1600];

/// Whether pictures named so are made into smaller copies.
pub fn resizable(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png"))
}

impl ImageInfo {
    /// The widths of its smaller copies (none for drawings and small photos).
    pub fn variant_widths(&self) -> Vec<u32> {
        match (self.stamp, self.size) {
            (Some(_), Some((width, _))) => VARIANT_WIDTHS
                .iter()
                .copied()
                .filter(|&w| w < width)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The address of a copy `width` pixels wide (`/x/foto.jpg` -> `/x/foto-480w.jpg`).
pub fn variant_path(path: &str, width: u32) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("{stem}-{width}w.{ext}"),
        _ => format!("{path}-{width}w"),
    }
}

/// What a file under content/ is, as a picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Picture {
    /// Not a picture (a PDF, a text file...).
    None,
    /// A picture whose size could not be read (damaged, or not what its
    /// name says).
    Unreadable,
    Image(ImageInfo),
}

impl Picture {
    pub fn info(&self) -> Option<&ImageInfo> {
        match self {
            Picture::Image(info) => Some(info),
            _ => None,
        }
    }
}

/// File name endings of the pictures a page can show.
const RASTER: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff", "heic", "heif",
];

/// Reads the picture at `path` (relative to content/ for its name, `abs`
/// to read it).
pub fn measure(rel: &str, abs: &Path) -> Picture {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let vector = ext == "svg";
    if !vector && !RASTER.contains(&ext.as_str()) {
        return Picture::None;
    }
    let Ok(meta) = std::fs::metadata(abs) else {
        return Picture::Unreadable;
    };
    let bytes = meta.len();
    let stamp = resizable(rel).then(|| (bytes, meta.modified().unwrap_or(std::time::UNIX_EPOCH)));
    let size = if vector {
        svg_size(abs)
    } else {
        imagesize::size(abs)
            .ok()
            .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
    };
    let size = size.filter(|&(w, h)| w > 0 && h > 0);
    if size.is_none() && !vector {
        return Picture::Unreadable;
    }
    Picture::Image(ImageInfo {
        heavy: Some(bytes).filter(|&b| b > LARGE_IMAGE_BYTES),
        size,
        vector,
        stamp,
    })
}

/// The size an SVG file declares on its root element: `width` and
/// `height` in pixels, or else its `viewBox`.
fn svg_size(abs: &Path) -> Option<(u32, u32)> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(abs)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    svg_size_of(&String::from_utf8_lossy(&head))
}

fn svg_size_of(head: &str) -> Option<(u32, u32)> {
    let start = head.find("<svg")?;
    let tag = &head[start..];
    let tag = &tag[..tag.find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let mut rest = tag;
        loop {
            let at = rest.find(name)?;
            let before = rest[..at].chars().next_back();
            rest = &rest[at + name.len()..];
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start();
            let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let value = &value[1..];
            return Some(&value[..value.find(quote)?]);
        }
    };
    let pixels = |v: &str| -> Option<f64> {
        let v = v.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
    };
    let whole = |n: f64| (n.round() as u32).max(1);
    if let (Some(w), Some(h)) = (
        attr("width").and_then(pixels),
        attr("height").and_then(pixels),
    ) {
        return Some((whole(w), whole(h)));
    }
    let view: Vec<f64> = attr("viewBox")?
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite() => {
            Some((whole(w), whole(h)))
        }
        _ => None,
    }
}

/// A warning for a picture a phone would load slowly, or whose size
/// cannot be read. `file` is its path relative to the site root.
pub fn diagnostic(file: &str, picture: &Picture) -> Option<Diagnostic> {
    let info = match picture {
        Picture::None => return None,
        Picture::Unreadable => {
            return Some(
                Diagnostic::warning(
                    file,
                    "image-unreadable",
                    "non riesco a leggere le misure di questa immagine: il file è rovinato o non è l'immagine che il nome dice",
                )
                .hint("aprila con un programma per le foto e salvala di nuovo come JPEG o PNG"),
            )
        }
        Picture::Image(info) => info,
    };
    let pixels = info.size.filter(|_| !info.vector);
    let wide = pixels.is_some_and(|(w, h)| w.max(h) > LARGE_IMAGE_SIDE);
    if info.heavy.is_none() && !wide {
        return None;
    }
    let weight = info
        .heavy
        .map(|b| format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)).replace('.', ","));
    let what = match (weight, pixels) {
        (Some(weight), Some((w, h))) => format!("{weight}, {w} × {h} px"),
        (Some(weight), None) => weight,
        (None, Some((w, h))) => format!("{w} × {h} px"),
        (None, None) => String::new(),
    };
    let hint = if info.vector {
        "semplifica il disegno o salvalo come immagine PNG o JPEG più leggera".to_string()
    } else {
        format!(
            "riducila a {} px sul lato più lungo e salvala come JPEG di qualità 80: peserà qualche centinaio di KB",
            LARGE_IMAGE_SIDE * 4 / 5
        )
    };
    Some(
        Diagnostic::warning(
            file,
            "image-large",
            format!("l'immagine è troppo grande ({what}): su un telefono con pochi dati si carica lentamente"),
        )
        .hint(hint),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_size_from_width_and_height_or_view_box() {
        assert_eq!(
            svg_size_of(
                r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120px" height='80'>"#
            ),
            Some((120, 80))
        );
        assert_eq!(
            svg_size_of(r#"<svg viewBox="0 0 400 250" role="img">"#),
            Some((400, 250))
        );
        // Sizes in other units fall back to the view box.
        assert_eq!(
            svg_size_of(r#"<svg width="100%" height="10em" viewBox="0,0,40.4,25">"#),
            Some((40, 25))
        );
        // `stroke-width` is not `width`.
        assert_eq!(
            svg_size_of(r#"<svg stroke-width="3" viewBox="0 0 4 2">"#),
            Some((4, 2))
        );
        assert_eq!(svg_size_of(r#"<svg role="img">"#), None);
        assert_eq!(svg_size_of(r#"<svg viewBox="0 0 0 10">"#), None);
        assert_eq!(svg_size_of("<html>"), None);
    }

    #[test]
    fn photos_wider_than_a_copy_get_it() {
        let photo = |width, stamp: bool| ImageInfo {
            heavy: None,
            size: Some((width, width / 2)),
            vector: false,
            stamp: stamp.then_some((1, std::time::UNIX_EPOCH)),
        };
        assert_eq!(photo(3000, true).variant_widths(), [480, 960, 1600]);
        assert_eq!(photo(1000, true).variant_widths(), [480, 960]);
        assert_eq!(photo(480, true).variant_widths(), Vec::<u32>::new());
        assert_eq!(photo(3000, false).variant_widths(), Vec::<u32>::new());
        assert_eq!(variant_path("/x/foto.jpg", 480), "/x/foto-480w.jpg");
        assert!(resizable("a/B.JPG") && resizable("c.png") && !resizable("d.svg"));
    }

    #[test]
    fn heavy_or_wide_pictures_are_reported_drawings_only_by_weight() {
        let photo = |bytes: u64, width, height, vector| {
            diagnostic(
                "content/f.jpg",
                &Picture::Image(ImageInfo {
                    heavy: Some(bytes).filter(|&b| b > LARGE_IMAGE_BYTES),
                    size: Some((width, height)),
                    vector,
                    stamp: None,
                }),
            )
            .map(|d| d.rule)
        };
        assert_eq!(photo(200_000, 1600, 1200, false), None);
        assert_eq!(photo(2_000_000, 1600, 1200, false), Some("image-large"));
        assert_eq!(photo(200_000, 8000, 6000, false), Some("image-large"));
        assert_eq!(photo(200_000, 8000, 6000, true), None);
        assert_eq!(
            diagnostic("content/f.jpg", &Picture::Unreadable).map(|d| d.rule),
            Some("image-unreadable")
        );
        assert_eq!(diagnostic("content/f.pdf", &Picture::None), None);
    }
}

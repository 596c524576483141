//! Smaller copies of content photos: a JPEG or PNG resized to a width (the
//! `image` crate decodes, resizes and encodes; JPEG at quality 80), kept in
//! a cache by the photo's content so that later builds reuse them.

use super::Output;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::ImageFormat;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// JPEG quality of the copies: no difference a reader sees at their size.
const JPEG_QUALITY: u8 = 80;

/// Where copies are kept between builds.
fn cache_dir() -> PathBuf {
    std::env::temp_dir().join("pillole-immagini")
}

/// The copy of the photo at `source`, `width` pixels wide, written to
/// `file`. A photo that cannot be decoded is copied as it is (its size was
/// read, so the page stays right; check reports damaged pictures).
pub fn variant(source: &Path, width: u32, file: String) -> Output {
    let Ok(bytes) = std::fs::read(source) else {
        return Output::bytes(file, Vec::new());
    };
    let jpeg = !file.to_ascii_lowercase().ends_with(".png");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (&bytes, width, jpeg, JPEG_QUALITY, 1u8).hash(&mut hasher);
    let cached = cache_dir().join(format!(
        "{:016x}-{width}.{}",
        hasher.finish(),
        if jpeg { "jpg" } else { "png" }
    ));
    if let Ok(made) = std::fs::read(&cached) {
        return Output::bytes(file, made);
    }
    let Some(made) = resize(&bytes, width, jpeg) else {
        return Output::bytes(file, bytes);
    };
    // Written beside and renamed: a build never reads half a copy.
    if std::fs::create_dir_all(cache_dir()).is_ok() {
        let part = cached.with_extension(format!("part{}", std::process::id()));
        if std::fs::write(&part, &made).is_ok() {
            let _ = std::fs::rename(&part, &cached);
        }
    }
    Output::bytes(file, made)
}

fn resize(bytes: &[u8], width: u32, jpeg: bool) -> Option<Vec<u8>> {
    let img = image::load_from_memory(bytes).ok()?;
    let height = ((img.height() as u64 * width as u64) / img.width().max(1) as u64).max(1) as u32;
    let small = img.resize_exact(width, height, FilterType::Triangle);
    let mut out = Vec::new();
    if jpeg {
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&small.to_rgb8())
            .ok()?;
    } else {
        small
            .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
            .ok()?;
    }
    Some(out)
}

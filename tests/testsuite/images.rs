//! Pictures under content/: a warning for those too heavy for a phone or
//! that cannot be read, and width, height and lazy loading on every picture
//! a page shows (read from the file), loaded at once on paper.

use crate::util::Site;
use serde_json::Value;

const SITE_YAML: &str =
    "title: \"Prova\"\nbase_url: \"https://example.org\"\nfeedback: {email: a@example.org}\n";

/// A PNG file's signature and header, declaring `width` × `height`,
/// padded with zeros to `bytes` (only the header is ever read).
fn png(width: u32, height: u32, bytes: usize) -> Vec<u8> {
    let mut f = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    f.extend(width.to_be_bytes());
    f.extend(height.to_be_bytes());
    f.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    f.resize(bytes.max(f.len()), 0);
    f
}

/// A site with the tutorial `content/tutorial/prova/index.md` showing
/// `pictures` (file names in its folder) in its one step.
fn site_showing(pictures: &[(&str, Vec<u8>)], extra: &str) -> Site {
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    let mut body = String::from(
        "---\ntitle: \"Prova\"\nsummary: \"Come fare.\"\n---\n\nPrima di cominciare.\n\n## Apri l'app\n\n",
    );
    for (name, bytes) in pictures {
        site.write(&format!("content/tutorial/prova/{name}"), bytes);
        body.push_str(&format!("![Il tasto verde in basso]({name})\n\n"));
    }
    body.push_str(extra);
    site.write("content/tutorial/prova/index.md", body);
    site
}

fn field<'a>(d: &'a Value, key: &str) -> &'a str {
    d[key].as_str().unwrap_or_default()
}

#[test]
fn heavy_huge_or_damaged_pictures_are_warnings_that_say_what_to_do() {
    let site = site_showing(
        &[
            ("giusta.png", png(800, 600, 200)),
            ("enorme.png", png(8000, 6000, 200)),
            ("pesante.png", png(800, 600, 1_300_000)),
            ("rotta.jpg", b"non sono una foto".to_vec()),
        ],
        "",
    );
    let (run, list) = site.check_json();
    let got: Vec<(&str, &str, &str)> = list
        .iter()
        .map(|d| (field(d, "severity"), field(d, "rule"), field(d, "file")))
        .collect();
    let folder = "content/tutorial/prova";
    assert_eq!(
        got,
        [
            ("warning", "image-large", &*format!("{folder}/enorme.png")),
            ("warning", "image-large", &*format!("{folder}/pesante.png")),
            (
                "warning",
                "image-unreadable",
                &*format!("{folder}/rotta.jpg")
            ),
        ],
        "{}",
        run.stdout
    );
    assert!(
        field(&list[0], "message").contains("8000 × 6000 px"),
        "{:#}",
        list[0]
    );
    assert!(field(&list[0], "hint").contains("1600 px"), "{:#}", list[0]);
    assert!(
        field(&list[1], "message").contains("1,2 MB"),
        "{:#}",
        list[1]
    );
    assert!(
        field(&list[2], "hint").contains("salvala di nuovo"),
        "{:#}",
        list[2]
    );
    // Warnings: the site is built all the same.
    site.build().success();
}

#[test]
fn pictures_carry_their_size_and_load_when_scrolled_to_but_at_once_on_paper() {
    let drawing =
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 250"><title>x</title></svg>"#;
    let site = site_showing(
        &[
            ("schermata.png", png(720, 1280, 300)),
            ("disegno.svg", drawing.as_bytes().to_vec()),
        ],
        "",
    );
    site.build().success();
    let page = site.read_out("tutorial/prova/index.html");
    for img in [
        r#"<img src="/tutorial/prova/schermata.png" alt="Il tasto verde in basso" srcset="/tutorial/prova/schermata-480w.png 480w, /tutorial/prova/schermata.png 720w" sizes="(min-width: 48em) 45rem, 100vw" width="720" height="1280" loading="lazy" decoding="async">"#,
        r#"<img src="/tutorial/prova/disegno.svg" alt="Il tasto verde in basso" width="400" height="250" loading="lazy" decoding="async">"#,
    ] {
        assert!(page.contains(img), "{img} not in:\n{page}");
    }
    let sheet = site.read_out("tutorial/prova/stampa/index.html");
    assert!(
        sheet.contains(r#"src="/tutorial/prova/schermata.png" alt="Il tasto verde in basso" srcset="/tutorial/prova/schermata-480w.png 480w, /tutorial/prova/schermata.png 720w" sizes="(min-width: 48em) 45rem, 100vw" width="720" height="1280" decoding="async">"#),
        "{sheet}"
    );
    assert!(!sheet.contains("loading="), "{sheet}");
}

#[test]
fn a_page_with_raw_html_keeps_the_size_and_the_text_alternative_stays_text() {
    // Raw HTML sends the body through the sanitiser; an alternative with
    // markup and quotes stays text inside the attribute.
    let site = Site::empty();
    site.write("site.yaml", SITE_YAML);
    site.write("content/foto.png", png(640, 480, 100));
    site.write(
        "content/pagina.md",
        "---\ntitle: \"Orari\"\n---\n\n<b>Aperto</b> il lunedì.\n\n![Il \"tasto\" <b>verde</b> *grande*](foto.png \"Titolo\")\n",
    );
    site.build().success();
    let page = site.read_out("pagina/index.html");
    assert!(
        page.contains(r#"<img src="/foto.png" alt="Il “tasto” &lt;b&gt;verde&lt;/b&gt; grande" title="Titolo" srcset="/foto-480w.png 480w, /foto.png 640w" sizes="(min-width: 48em) 45rem, 100vw" width="640" height="480" loading="lazy" decoding="async">"#),
        "{page}"
    );
}

/// A 3000 × 2000 photo-like JPEG (gradients and grain), as a camera makes.
fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(3000, 2000, |x, y| {
        let grain = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 7) % 24;
        image::Rgb([
            (x * 255 / 3000) as u8 ^ grain as u8,
            (y * 255 / 2000) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

#[test]
fn a_large_photo_is_offered_in_smaller_copies_a_phone_takes() {
    let original = photo();
    let site = site_showing(&[("foto.jpg", original.clone())], "");
    site.build().success();
    let page = site.read_out("tutorial/prova/index.html");
    let srcset = "/tutorial/prova/foto-480w.jpg 480w, /tutorial/prova/foto-960w.jpg 960w, /tutorial/prova/foto-1600w.jpg 1600w, /tutorial/prova/foto.jpg 3000w";
    assert!(
        page.contains(&format!(
            r#"srcset="{srcset}" sizes="(min-width: 48em) 45rem, 100vw" width="3000" height="2000""#
        )),
        "{page}"
    );
    for (w, h) in [(480, 320), (960, 640), (1600, 1066)] {
        let bytes =
            std::fs::read(site.out().join(format!("tutorial/prova/foto-{w}w.jpg"))).unwrap();
        let img = image::load_from_memory(&bytes).expect("a JPEG");
        assert_eq!((img.width(), img.height()), (w, h));
    }
    // What a 360 px phone takes (the 480 px copy at one pixel per point,
    // 960 px on a sharper screen) is a fraction of the original.
    let size = |w: u32| {
        std::fs::metadata(site.out().join(format!("tutorial/prova/foto-{w}w.jpg")))
            .unwrap()
            .len() as f64
    };
    let full = original.len() as f64;
    assert!(size(480) <= full * 0.05, "{} of {full}", size(480));
    assert!(size(960) <= full * 0.25, "{} of {full}", size(960));
    // The original is still published, as written.
    assert_eq!(
        std::fs::read(site.out().join("tutorial/prova/foto.jpg")).unwrap(),
        original
    );
}

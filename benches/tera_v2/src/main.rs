//! Renders the theme's tutorial page with Tera 1.20 and Tera 2 from the same
//! context (`ctx.json`, a real page's, dumped by pillole) and prints the time
//! of each, with and without building the context. See run.sh.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: tera-v2-bench DIR [RENDERS]");
    let n: usize = args.next().map_or(20_000, |s| s.parse().expect("a number"));
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).expect(f);
    let json: serde_json::Value = serde_json::from_str(&read("ctx.json")).expect("ctx.json");
    let obj = json.as_object().expect("a JSON object");

    let mut t1 = tera1::Tera::default();
    t1.add_raw_templates(vec![
        ("base.html", read("v1/base.html")),
        ("tutorial.html", read("v1/tutorial.html")),
    ])
    .expect("Tera 1 templates");
    t1.autoescape_on(vec![".html"]);
    let mut t2 = tera::Tera::default();
    t2.add_raw_templates(vec![
        ("base.html", read("v2/base.html")),
        ("tutorial.html", read("v2/tutorial.html")),
    ])
    .expect("Tera 2 templates");
    t2.autoescape_on(vec![".html"]);

    // Every render builds its context from the same values, as a build does.
    let c1 = || {
        let mut c = tera1::Context::new();
        for (k, v) in obj {
            c.insert(k.as_str(), v);
        }
        c
    };
    let c2 = || {
        let mut c = tera::Context::new();
        for (k, v) in obj {
            c.insert(k.clone(), v);
        }
        c
    };
    let a = t1.render("tutorial.html", &c1()).expect("Tera 1 renders");
    let b = t2.render("tutorial.html", &c2()).expect("Tera 2 renders");
    // Tera 2 does not escape `/` (the header in the context was made by
    // Tera 1 and does); the pages are otherwise the same.
    let plain = |s: &str| s.replace("&#x2F;", "/");
    let same = plain(&a)
        .split_whitespace()
        .eq(plain(&b).split_whitespace());
    println!(
        "same page (`/` unescaped, whitespace aside): {same}; {} and {} bytes",
        a.len(),
        b.len()
    );
    let us = |t: std::time::Duration| t.as_secs_f64() * 1e6 / n as f64;
    for round in 1..=3 {
        let s = Instant::now();
        for _ in 0..n {
            std::hint::black_box(c1());
        }
        let k1 = s.elapsed();
        let s = Instant::now();
        for _ in 0..n {
            std::hint::black_box(c2());
        }
        let k2 = s.elapsed();
        let mut out = Vec::new();
        let s = Instant::now();
        for _ in 0..n {
            out.clear();
            t1.render_to("tutorial.html", &c1(), &mut out)
                .expect("Tera 1 renders");
        }
        let r1 = s.elapsed();
        let s = Instant::now();
        for _ in 0..n {
            out.clear();
            t2.render_to("tutorial.html", &c2(), &mut out)
                .expect("Tera 2 renders");
        }
        let r2 = s.elapsed();
        println!(
            "round {round}: context + page: Tera 1 {:.1} us, Tera 2 {:.1} us; page alone: Tera 1 {:.1} us, Tera 2 {:.1} us",
            us(r1),
            us(r2),
            us(r1) - us(k1),
            us(r2) - us(k2)
        );
    }
}

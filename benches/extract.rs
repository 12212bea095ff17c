//! Extracting an article from a web page: the largest of Readability's
//! test pages, and a 5 MB page (the Wikipedia test page with its article
//! body repeated), next to a baseline measured in the same run: parsing the
//! page into a DOM, which any extraction pays first. Prints each figure,
//! the ratio to the baseline, and one `figure:` line per figure for scripts.

use factmark::web;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Median wall time of five runs, in ms.
fn timed(mut work: impl FnMut()) -> f64 {
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn page(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/web-pages")
        .join(name)
        .join("source.html");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Wikipedia page with its article body repeated to at least `bytes`.
fn big_page(bytes: usize) -> Vec<u8> {
    let source = String::from_utf8(page("wikipedia")).unwrap_or_default();
    let open = r#"<div id="mw-content-text" lang="en" dir="ltr" class="mw-content-ltr">"#;
    let start = source.find(open).map_or(0, |at| at + open.len());
    let footer = source
        .find(r#"<div class="printfooter">"#)
        .unwrap_or(source.len());
    let end = source[..footer]
        .rfind("</div>")
        .unwrap_or(footer)
        .max(start);
    let body = &source[start..end];
    let copies = (bytes.saturating_sub(source.len()) / body.len().max(1)) + 2;
    format!(
        "{}{}{}",
        &source[..start],
        body.repeat(copies),
        &source[end..]
    )
    .into_bytes()
}

fn measure(name: &str, bytes: &[u8]) {
    let html = String::from_utf8_lossy(bytes).into_owned();
    let parse = timed(|| {
        black_box(dom_query::Document::from(html.as_str()));
    });
    let mut chars = 0;
    let extract = timed(|| {
        let got = web::article_from_page(bytes, None, Some("http://fakehost/test/page.html"));
        chars = got.map_or(0, |w| w.article.text().chars().count());
    });
    println!(
        "{name}: {:.1} MB, {chars} chars of article: extract {extract:.1} ms, parse alone {parse:.1} ms, \
         ratio {:.2}",
        bytes.len() as f64 / 1e6,
        extract / parse
    );
    println!("figure: extract_{name}_ms {extract:.1}");
    println!("figure: parse_{name}_ms {parse:.1}");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web-pages");
    let names: Vec<String> = std::fs::read_dir(&root)
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.path().join("source.html").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let largest = names
        .iter()
        .max_by_key(|name| page(name).len())
        .map_or("wikipedia", String::as_str);
    measure(largest, &page(largest));
    measure("5mb", &big_page(5 * 1024 * 1024));
}

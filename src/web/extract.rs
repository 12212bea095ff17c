//! A page's article, found the way Firefox's reader view finds it: the
//! `dom_smoothie` port of Mozilla's Readability picks the content and reads
//! the metadata (title, byline, site, published and modified times, language,
//! direction); this module turns the content into factmark's article text
//! (one paragraph per paragraph, heading, list item, quote or table cell,
//! separated by blank lines) and tidies each detail into one line.
//!
//! Measured against Readability's own test pages (see
//! `tests/web_extract.rs`), `dom_smoothie` matched the expected text and every
//! expected metadata field on all ten; of the Rust ports tried it also built
//! fastest with the fewest crates. Like every port it is slow on absurdly
//! deep nesting, so pages are measured first ([`nesting_depth`]) and refused
//! past [`MAX_DEPTH`].

use crate::model::{ArticleDetails, Detail, TextDirection, normalize_when, one_line};
use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability, ReadabilityError};

/// Real pages nest 20–200 elements deep; at a few thousand every reader
/// view port takes seconds, at 100 000 minutes. Deeper pages are refused.
pub const MAX_DEPTH: usize = 1_000;

/// Elements in a page Readability will look at (a 5 MB Wikipedia article
/// has about 60 000).
const MAX_ELEMENTS: usize = 400_000;

/// The fewest words an article has (a short news brief has 50).
const MIN_ARTICLE_WORDS: usize = 20;

/// The longest title and detail kept, in chars (longer ones are cut), well
/// inside what a file may hold.
pub const MAX_TITLE_CHARS: usize = 1_000;
const MAX_DETAIL_CHARS: usize = 1_000;

/// An article taken from a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    pub title: String,
    /// Paragraphs separated by a blank line, ending with a newline.
    pub text: String,
    /// What the page says of itself; the page source is not set here.
    pub details: ArticleDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error(
        "the page nests its elements more than {MAX_DEPTH} deep, far deeper than any real page"
    )]
    TooDeep,
    #[error("the page has more than {0} elements, more than factmark reads")]
    TooManyElements(usize),
    #[error(
        "no article was found on the page (it may be a front page, a list, or need JavaScript)"
    )]
    NoArticle,
}

/// Finds the article in `html`; `address` is where the page lives, if
/// known (relative links and the canonical address are resolved against it).
pub fn extract(html: &str, address: Option<&str>) -> Result<Extracted, ExtractError> {
    if nesting_depth(html) > MAX_DEPTH {
        return Err(ExtractError::TooDeep);
    }
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let base = address.and_then(|a| url::Url::parse(a).ok());
    let document_url = base.as_ref().map(url::Url::as_str);
    let mut readability = Readability::new(html, document_url, Some(config.clone()))
        // An address the crate will not take is only a missing base.
        .or_else(|_| Readability::new(html, None, Some(config)))
        .map_err(|_| ExtractError::NoArticle)?;
    let canonical = canonical_address(&readability.doc, base.as_ref());
    let article = readability.parse().map_err(|e| match e {
        ReadabilityError::TooManyElements(_, max) => ExtractError::TooManyElements(max),
        ReadabilityError::GrabFailed | ReadabilityError::BadDocumentURL => ExtractError::NoArticle,
    })?;
    let paragraphs = html_paragraphs(&article.content);
    // Given no article, Readability falls back to what text there is (a
    // menu, a cookie notice): too little to be one.
    let words: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    if words < MIN_ARTICLE_WORDS {
        return Err(ExtractError::NoArticle);
    }
    let mut text = paragraphs.join("\n\n");
    text.push('\n');
    let mut details = ArticleDetails::default();
    let url = canonical.or(article.url).or_else(|| base.map(String::from));
    let values = [
        (Detail::Url, url),
        (Detail::Byline, article.byline),
        (Detail::SiteName, article.site_name),
        (
            Detail::Published,
            article.published_time.map(|t| normalize_when(&t)),
        ),
        (
            Detail::Modified,
            article.modified_time.map(|t| normalize_when(&t)),
        ),
        (Detail::Lang, article.lang),
        (
            Detail::Dir,
            article
                .dir
                .and_then(|d| TextDirection::parse(&d))
                .map(|d| d.key().to_owned()),
        ),
    ];
    for (detail, value) in values {
        if let Some(value) = value.map(|v| one_line(&v, MAX_DETAIL_CHARS))
            && !value.is_empty()
            && detail.accepts(&value)
        {
            details.set(detail, value);
        }
    }
    let title = one_line(&article.title, MAX_TITLE_CHARS);
    Ok(Extracted {
        title,
        text,
        details,
    })
}

/// `<link rel="canonical">`, else `og:url`, made absolute; only web addresses.
fn canonical_address(doc: &Document, base: Option<&url::Url>) -> Option<String> {
    let link = doc.select("link[rel~=canonical][href]").attr("href");
    let og = doc
        .select("meta[property='og:url'][content]")
        .attr("content");
    [link, og].into_iter().flatten().find_map(|href| {
        let href = href.trim();
        let url = match base {
            Some(base) => base.join(href).ok()?,
            None => url::Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https").then(|| url.to_string())
    })
}

/// Elements whose text stands on its own: each starts a new paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Elements whose text is never the article's.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "button",
    "select", "textarea",
];

/// The paragraphs of an HTML fragment, as [`extract`] makes them (tests
/// compare an expected reader view the same way).
pub fn html_paragraphs(html: &str) -> Vec<String> {
    paragraphs(&Document::fragment(html))
}

/// The article's paragraphs, white space collapsed. Walks the tree with a
/// stack of its own, so no nesting can exhaust the thread's stack.
fn paragraphs(doc: &Document) -> Vec<String> {
    enum Step<'a> {
        Enter(NodeRef<'a>),
        /// A block ends: what was gathered is a paragraph.
        Close,
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut stack = vec![Step::Enter(doc.root())];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Close => {
                flush(&mut current, &mut out);
                continue;
            }
            Step::Enter(node) => node,
        };
        if node.is_text() {
            current.push_str(&node.text());
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        let name = name.as_ref();
        if node.is_element() && SKIPPED.contains(&name) {
            continue;
        }
        let block = BLOCKS.contains(&name);
        if block {
            flush(&mut current, &mut out);
            stack.push(Step::Close);
        }
        let children: Vec<NodeRef> = node.children_it(true).collect();
        stack.extend(children.into_iter().map(Step::Enter));
    }
    flush(&mut current, &mut out);
    out
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let paragraph = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !paragraph.is_empty() {
        out.push(paragraph);
    }
    current.clear();
}

/// Elements that never contain others (a `/>` on any other element is
/// ignored by HTML, outside SVG and MathML).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "!doctype",
];

/// Elements whose end tag may be left out: the parser closes them, so an
/// unclosed one does not make a page deeper.
const END_OPTIONAL: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rt", "rp", "rb", "rtc", "html", "head", "body",
];

/// How deep a page's elements nest, read from its tags without building a
/// tree: cheap on any page, so the expensive parse never starts on a
/// hostile one. It follows the parser where it matters for depth: an end
/// tag closes the nearest open element of its name and a stray one closes
/// nothing; `/>` closes only void and SVG/MathML elements; a comment ends
/// at `-->` or `--!>`. On broken markup it is a close guess. It stops
/// counting past [`MAX_DEPTH`], so its work stays linear in the page.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut open: Vec<String> = Vec::new();
    // How many of each name are open, and of them SVG or MathML: a stray
    // end tag and a `/>` are then judged without walking the stack.
    let mut open_names: std::collections::HashMap<String, usize> = Default::default();
    let mut foreign = 0usize;
    let (mut deepest, mut at) = (0usize, 0usize);
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        at += offset + 1;
        let rest = &html[at..];
        if let Some(comment) = rest.strip_prefix("!--") {
            let end = [
                comment.find("-->").map(|e| e + 3),
                comment.find("--!>").map(|e| e + 4),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(comment.len());
            at += 3 + end;
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest.find('>').unwrap_or(rest.len());
        at += end;
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if open_names.get(&name).is_some_and(|&n| n > 0)
                && let Some(found) = open.iter().rposition(|n| *n == name)
            {
                for closed in open.drain(found..) {
                    if closed == "svg" || closed == "math" {
                        foreign -= 1;
                    }
                    if let Some(n) = open_names.get_mut(&closed) {
                        *n -= 1;
                    }
                }
            }
            continue;
        }
        if END_OPTIONAL.contains(&name.as_str()) || (foreign > 0 && rest[..end].ends_with('/')) {
            continue;
        }
        // Script and style hold text that may look like tags.
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            at += find_ignoring_case(&html[at..], &close).unwrap_or(html.len() - at);
            continue;
        }
        if name == "svg" || name == "math" {
            foreign += 1;
        }
        *open_names.entry(name.clone()).or_insert(0) += 1;
        open.push(name);
        deepest = deepest.max(open.len());
        if deepest > MAX_DEPTH {
            break;
        }
    }
    deepest
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en" dir="ltr"><head>
        <title>Talks were satisfactory, envoy says - Example News</title>
        <link rel="canonical" href="/world/talks">
        <meta property="og:site_name" content="Example News">
        <meta name="author" content="Erin
            Cunningham">
        <meta property="article:published_time" content="2015-07-24T05:36:09+0100">
        </head><body>
        <nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>Talks were satisfactory, envoy says</h1>
        <p>Russia's envoy called the peace talks <b>satisfactory</b> on Friday, a word
        Ukraine's delegation rejected within the hour.</p>
        <h2>What was agreed</h2>
        <ul><li>A second round of talks next month in Geneva.</li>
        <li>An exchange of prisoners before the end of the year.</li></ul>
        <p>Ukraine's foreign minister said the talks had produced nothing of substance
        and that the claim of progress was premature, a view shared by observers.</p>
        <script>var ad = "<p>not the article</p>";</script>
        <p>Both sides are expected to meet again, officials said on condition of anonymity,
        though no date has been set and the agenda remains unclear to all involved.</p>
        </article><footer>© Example News</footer></body></html>"#;

    #[test]
    fn the_article_comes_with_paragraphs_headings_list_items_and_details() {
        let got = extract(PAGE, Some("https://news.example/world/talks?utm=x"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            got.title.starts_with("Talks were satisfactory"),
            "{}",
            got.title
        );
        let paragraphs: Vec<&str> = got.text.trim_end().split("\n\n").collect();
        assert!(paragraphs.contains(&"What was agreed"), "{paragraphs:?}");
        assert!(paragraphs.contains(&"A second round of talks next month in Geneva."));
        assert!(paragraphs[0].starts_with("Russia's envoy called the peace talks satisfactory"));
        assert!(!got.text.contains("Home"), "navigation dropped");
        assert!(!got.text.contains("not the article"), "scripts dropped");
        assert!(!got.text.contains('©'), "footer dropped");
        let d = &got.details;
        assert_eq!(d.get(Detail::Url), "https://news.example/world/talks");
        assert_eq!(d.get(Detail::Byline), "Erin Cunningham", "one line");
        assert_eq!(d.get(Detail::SiteName), "Example News");
        assert_eq!(d.get(Detail::Published), "2015-07-24T05:36:09+01:00");
        assert_eq!(d.get(Detail::Lang), "en");
        assert_eq!(d.get(Detail::Dir), "ltr");
    }

    #[test]
    fn a_page_without_an_article_says_so() {
        assert_eq!(
            extract("<html><body><nav>Home</nav></body></html>", None),
            Err(ExtractError::NoArticle)
        );
        assert_eq!(extract("<p></p>", None), Err(ExtractError::NoArticle));
    }

    #[test]
    fn depth_is_read_from_tags_and_absurd_nesting_is_refused_at_once() {
        assert_eq!(nesting_depth("<div><div><p>a<p>b</div></div>"), 2);
        assert_eq!(nesting_depth("<div><br><img src=x><hr/></div>"), 1);
        assert_eq!(
            nesting_depth("<script>if (a<b) { '<div><div>' }</script><div></div>"),
            1
        );
        assert_eq!(nesting_depth("<!-- <div><div> --><span></span>"), 1);
        let deep = "<div>".repeat(100_000);
        let started = std::time::Instant::now();
        assert_eq!(extract(&deep, None), Err(ExtractError::TooDeep));
        assert_eq!(
            nesting_depth(&deep),
            MAX_DEPTH + 1,
            "counting stops past the limit"
        );
        // A deep stack and a flood of stray end tags stay quick.
        let flood = format!("{}{}", "<div>".repeat(MAX_DEPTH), "</x>".repeat(200_000));
        assert_eq!(nesting_depth(&flood), MAX_DEPTH);
        assert!(started.elapsed().as_secs() < 5, "refused before parsing");
    }

    #[test]
    fn deep_but_real_nesting_is_walked_without_recursion() {
        let html = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(900),
            "</div>".repeat(900)
        );
        let doc = Document::from(html.as_str());
        assert_eq!(paragraphs(&doc), ["deep text"]);
    }

    #[test]
    fn details_are_one_clean_line_of_bounded_length() {
        let page = format!(
            "<html><head><meta name=author content=\"Erin\u{1b}[31m \u{202e}C\n\">\
             <meta property=og:site_name content=\"{}\"></head><body><article><p>{}</p>\
             </article></body></html>",
            "é".repeat(5_000),
            "word ".repeat(60)
        );
        let got = extract(&page, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.details.get(Detail::Byline), "Erin [31m C");
        assert!(got.details.get(Detail::SiteName).chars().count() <= MAX_DETAIL_CHARS + 1);
    }
}

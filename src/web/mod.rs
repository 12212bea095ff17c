//! Articles from the web: a saved page's bytes decoded ([`page`]), its
//! article found the way a browser's reader view finds it ([`extract`]),
//! and pages fetched from an address ([`fetch`]). Nothing here knows of
//! egui; the window and the command line both use it.

pub mod extract;
pub mod fetch;
pub mod page;

use crate::format::{self, FormatError};
use crate::model::{Article, ArticleDetails, PageSource, fingerprint_bytes};
use std::path::Path;

/// An article taken from a web page, with what the page says of itself and
/// which page it was.
#[derive(Clone, Debug)]
pub struct WebArticle {
    pub article: Article,
    pub details: ArticleDetails,
}

/// Why no article came of a page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    File(#[from] FormatError),
    #[error(transparent)]
    Page(#[from] page::PageError),
    #[error(transparent)]
    Extract(#[from] extract::ExtractError),
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    #[error("the article found is too large: {0}")]
    Article(FormatError),
}

/// The article in a page's bytes; `http_charset` is the server's word on
/// their character set, `address` where the page lives.
pub fn article_from_page(
    bytes: &[u8],
    http_charset: Option<&str>,
    address: Option<&str>,
) -> Result<WebArticle, WebError> {
    let decoded = page::decode(bytes, http_charset)?;
    let extracted = extract::extract(&decoded.html, address)?;
    format::check_article_text(&extracted.text).map_err(WebError::Article)?;
    let mut details = extracted.details;
    details.page = Some(PageSource {
        file: None,
        sha256: fingerprint_bytes(bytes),
        fetched_from: None,
        fetched_at: None,
    });
    Ok(WebArticle {
        article: Article::new(extracted.title, &extracted.text),
        details,
    })
}

/// The article in a saved page (read with the size limit of pages).
pub fn read_page_file(path: &Path) -> Result<WebArticle, WebError> {
    let bytes = format::read_bounded(path, page::MAX_PAGE_BYTES)?;
    let mut web = article_from_page(&bytes, None, None)?;
    if web.article.title().trim().is_empty() {
        web.article
            .set_title(format::article_title_from_path(path, ""));
    }
    Ok(web)
}

/// The article in a fetched page, the fetch recorded.
pub fn article_from_fetched(fetched: &fetch::Fetched) -> Result<WebArticle, WebError> {
    let charset = fetched
        .content_type
        .as_deref()
        .and_then(page::charset_of_content_type);
    let mut web = article_from_page(&fetched.body, charset, Some(&fetched.url))?;
    if let Some(page) = web.details.page.as_mut() {
        page.fetched_from = Some(fetched.url.clone());
        page.fetched_at = Some(fetched.fetched_at);
    }
    if web.article.title().trim().is_empty() {
        web.article.set_title(crate::model::one_line(
            &fetched.url,
            extract::MAX_TITLE_CHARS,
        ));
    }
    Ok(web)
}

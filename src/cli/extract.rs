//! `factmark extract PAGE.html|URL [--json]`: the article a saved page or an
//! address holds, as the window would open it: its text, or with `--json`
//! one object with the text and the details (null when the page does not
//! say).

use crate::model::Detail;
use crate::web::{self, WebArticle, WebError, fetch};
use std::path::Path;

pub fn run(source: &str, json: bool) -> Result<String, String> {
    let web = read(source).map_err(|e| format!("{source}: {e}"))?;
    if !json {
        return Ok(web.article.text().to_owned());
    }
    let details = &web.details;
    let value = |detail: Detail| {
        let value = details.get(detail);
        (!value.is_empty()).then(|| value.to_owned())
    };
    let page = details.page.as_ref();
    let object = serde_json::json!({
        "title": web.article.title(),
        "byline": value(Detail::Byline),
        "site_name": value(Detail::SiteName),
        "url": value(Detail::Url),
        "published": value(Detail::Published),
        "modified": value(Detail::Modified),
        "lang": value(Detail::Lang),
        "dir": value(Detail::Dir),
        "page_sha256": page.map(|p| p.sha256.clone()),
        "fetched_from": page.and_then(|p| p.fetched_from.clone()),
        "fetched_at": page.and_then(|p| p.fetched_at).map(|t| t.to_string()),
        "text": web.article.text(),
    });
    serde_json::to_string_pretty(&object)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|e| format!("could not write the JSON: {e}"))
}

fn read(source: &str) -> Result<WebArticle, WebError> {
    if fetch::names_a_scheme(source) {
        let fetched = fetch::fetch(source, &fetch::FetchLimits::default(), &|| false, &|_| {})?;
        return web::article_from_fetched(&fetched);
    }
    web::read_page_file(Path::new(source))
}

//! schema.org ClaimReview, as fact-checkers publish it and Google's Fact
//! Check Explorer reads it: one JSON-LD object per claim with a verdict.
//!
//! Google requires `claimReviewed`, `reviewRating` (with `alternateName`),
//! `url` and `author`; it recommends `itemReviewed` (the claim, its author
//! and where it appeared) and `datePublished`. Numbers on the scale become
//! `ratingValue`, `bestRating` and `worstRating`.
//!
//! [`markup_page`] gives the same reviews in the flat shape of Google's
//! Fact Check Tools (a `ClaimReviewMarkupPage`), for upload there.

use super::{Exported, Publisher};
use crate::model::{
    AnnotationSet, ArticleDetails, Claim, Detail, normalize_when, parse_when, scale_span,
};
use serde_json::{Value, json};

/// When the article (so the claim in it) was published, as an ISO 8601
/// date or date-time; a date typed some other way is left out rather than
/// published as something a reader of the markup cannot parse.
fn claim_date(details: &ArticleDetails) -> Option<String> {
    let published = details.get(Detail::Published);
    parse_when(published).map(|_| normalize_when(published))
}

/// The article's address, when it is an absolute web address.
fn appearance_url(details: &ArticleDetails) -> Option<&str> {
    Some(details.get(Detail::Url)).filter(|url| super::is_web_address(url))
}

/// The ClaimReview objects of every claim with a verdict, as one JSON list.
pub fn export(set: &AnnotationSet, publisher: &Publisher) -> Exported {
    let reviews: Vec<Value> = set
        .claims()
        .iter()
        .filter_map(|claim| review(set, claim, publisher))
        .collect();
    let skipped = set.claims().len() - reviews.len();
    let mut text = serde_json::to_string_pretty(&reviews).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    Exported {
        text,
        written: reviews.len(),
        skipped,
    }
}

fn review(set: &AnnotationSet, claim: &Claim, publisher: &Publisher) -> Option<Value> {
    let verdict = claim.verdict.as_ref()?;
    let rated = set.rating(&verdict.rating)?;
    let mut rating_value = json!({
        "@type": "Rating",
        "alternateName": rated.label,
    });
    if let (Some(value), Some((worst, best))) = (rated.value, scale_span(set.ratings())) {
        rating_value["ratingValue"] = json!(value);
        rating_value["bestRating"] = json!(best);
        rating_value["worstRating"] = json!(worst);
    }
    if !verdict.explanation.trim().is_empty() {
        rating_value["ratingExplanation"] = json!(verdict.explanation);
    }
    let details = &set.details;
    let known = |detail: Detail| Some(details.get(detail)).filter(|v| !v.is_empty());
    let mut item = json!({ "@type": "Claim" });
    if let Some(party) = claim.claimant.as_ref().and_then(|p| set.party(p)) {
        let mut author = json!({ "@type": party.kind.schema_type(), "name": party.name });
        if let Some(title) = party.kind.job_title() {
            author["jobTitle"] = json!(title);
        }
        item["author"] = author;
    }
    if let Some(published) = claim_date(details) {
        item["datePublished"] = json!(published);
    }
    if let Some(url) = appearance_url(details) {
        let mut appearance = json!({
            "@type": "CreativeWork",
            "url": url,
            "headline": set.article.title(),
        });
        if let Some(byline) = known(Detail::Byline) {
            appearance["author"] = json!({ "@type": "Person", "name": byline });
        }
        if let Some(site) = known(Detail::SiteName) {
            appearance["publisher"] = json!({ "@type": "Organization", "name": site });
        }
        item["appearance"] = json!([appearance.clone()]);
        item["firstAppearance"] = appearance;
    }
    let mut author = json!({ "@type": "Organization", "name": publisher.name });
    if !publisher.url.is_empty() {
        author["url"] = json!(publisher.url);
    }
    Some(json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": publisher.claim_url(&claim.id.0).unwrap_or_default(),
        "claimReviewed": claim.anchor.exact,
        "datePublished": claim.modified.strftime("%Y-%m-%d").to_string(),
        "author": author,
        "reviewRating": rating_value,
        "itemReviewed": item,
    }))
}

/// The reviews as one `ClaimReviewMarkupPage` of Google's Fact Check Tools
/// API: the page (the review's address without its `#id`), its author, and
/// one flat `claimReviewMarkup` per claim with a verdict.
pub fn markup_page(set: &AnnotationSet, publisher: &Publisher) -> Exported {
    let mut markups = Vec::new();
    for claim in set.claims() {
        let Some(verdict) = &claim.verdict else {
            continue;
        };
        let Some(rated) = set.rating(&verdict.rating) else {
            continue;
        };
        let mut rating_value = json!({ "textualRating": rated.label });
        if let (Some(value), Some((worst, best))) = (rated.value, scale_span(set.ratings())) {
            rating_value["ratingValue"] = json!(value);
            rating_value["worstRating"] = json!(worst);
            rating_value["bestRating"] = json!(best);
        }
        if !verdict.explanation.trim().is_empty() {
            rating_value["ratingExplanation"] = json!(verdict.explanation);
        }
        let mut markup = json!({
            "claimReviewed": claim.anchor.exact,
            "url": publisher.claim_url(&claim.id.0).unwrap_or_default(),
            "rating": rating_value,
        });
        if let Some(party) = claim.claimant.as_ref().and_then(|p| set.party(p)) {
            markup["claimAuthor"] = json!({ "name": party.name });
            if let Some(title) = party.kind.job_title() {
                markup["claimAuthor"]["jobTitle"] = json!(title);
            }
        }
        if let Some(published) = claim_date(&set.details) {
            markup["claimDate"] = json!(published);
        }
        if let Some(url) = appearance_url(&set.details) {
            markup["claimAppearances"] = json!([url]);
            markup["claimFirstAppearance"] = json!(url);
        }
        markups.push(markup);
    }
    let written = markups.len();
    let page_url = publisher.claim_url.split('#').next().unwrap_or_default();
    let page = json!({
        "pageUrl": page_url,
        "claimReviewAuthor": { "name": publisher.name },
        "claimReviewMarkups": markups,
    });
    let mut text = serde_json::to_string_pretty(&page).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    Exported {
        written,
        skipped: set.claims().len() - written,
        text,
    }
}

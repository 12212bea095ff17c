//! W3C Web Annotation (JSON-LD), one annotation per claim, motivation
//! `assessing`, as a JSON list.
//!
//! - The target is the article (its address when known, else its text's
//!   fingerprint as `urn:sha256:…`) with a `TextQuoteSelector` (the quote and
//!   its context) and a `TextPositionSelector`, whose offsets count Unicode
//!   code points, as factmark's do (browsers' DOM offsets count UTF-16
//!   units: they differ past the Basic Multilingual Plane). A `TimeState`
//!   says when the claim was last made on that version of the text.
//! - Bodies, each a `TextualBody` with a purpose: the status (`classifying`),
//!   the verdict and its explanation (`assessing`), the claimant and each
//!   stance (`tagging`), the note (`commenting`), and the evidence: a link
//!   (a `SpecificResource` for `linking`, its source the link) or a quote
//!   (`describing`).

use super::{Exported, is_web_address};
use crate::model::{AnnotationSet, Claim, Detail, Stance};
use serde_json::{Value, json};

const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

pub fn export(set: &AnnotationSet) -> Exported {
    let annotations: Vec<Value> = set
        .claims()
        .iter()
        .filter_map(|claim| annotation(set, claim))
        .collect();
    let mut text = serde_json::to_string_pretty(&annotations).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    Exported {
        written: annotations.len(),
        skipped: set.claims().len() - annotations.len(),
        text,
    }
}

/// `None` for a claim not placed in the article: it has no position.
fn annotation(set: &AnnotationSet, claim: &Claim) -> Option<Value> {
    let span = claim.span()?;
    let (sha256, _) = set.article_fingerprint();
    let source = match set.details.get(Detail::Url) {
        url if is_web_address(url) => url.to_owned(),
        _ => format!("urn:sha256:{sha256}"),
    };
    let textual = |purpose: &str, value: String| json!({ "type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain" });
    let mut bodies = vec![textual("classifying", claim.status.label().to_owned())];
    if let Some(verdict) = &claim.verdict {
        let label = set.verdict_label(Some(verdict));
        let value = if verdict.explanation.trim().is_empty() {
            label.to_owned()
        } else {
            format!("{label}: {}", verdict.explanation)
        };
        bodies.push(textual("assessing", value));
    }
    if let Some(id) = &claim.claimant {
        bodies.push(textual(
            "tagging",
            format!("claimant: {}", set.party_name(id)),
        ));
    }
    for (id, stance) in &claim.stances {
        let stance = match stance {
            Stance::Agrees => "agrees",
            Stance::Disputes => "disputes",
        };
        bodies.push(textual(
            "tagging",
            format!("{} {stance}", set.party_name(id)),
        ));
    }
    if !claim.note.trim().is_empty() {
        bodies.push(textual("commenting", claim.note.clone()));
    }
    for evidence in &claim.evidence {
        if is_web_address(&evidence.url) {
            // A purpose belongs to a specific resource, not to the bare link.
            bodies.push(
                json!({ "type": "SpecificResource", "source": evidence.url, "purpose": "linking" }),
            );
        }
        if !evidence.quote.trim().is_empty() {
            bodies.push(textual("describing", evidence.quote.clone()));
        }
    }
    let mut quote = json!({ "type": "TextQuoteSelector", "exact": claim.anchor.exact });
    if !claim.anchor.prefix.is_empty() {
        quote["prefix"] = json!(claim.anchor.prefix);
    }
    if !claim.anchor.suffix.is_empty() {
        quote["suffix"] = json!(claim.anchor.suffix);
    }
    let time = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut annotation = json!({
        "@context": CONTEXT,
        "id": format!("urn:factmark:{sha256}:{}", claim.id.0),
        "type": "Annotation",
        "motivation": "assessing",
        "created": time(claim.created),
        "modified": time(claim.modified),
        "generator": { "id": "https://crates.io/crates/factmark", "type": "Software", "name": "factmark" },
        "body": bodies,
        "target": {
            "source": source,
            "selector": [
                quote,
                { "type": "TextPositionSelector", "start": span.start, "end": span.end },
            ],
            "state": { "type": "TimeState", "sourceDate": time(claim.modified) },
        },
    });
    if !claim.author.trim().is_empty() {
        annotation["creator"] = json!({ "type": "Person", "name": claim.author });
    }
    Some(annotation)
}

//! Annotations made elsewhere, taken in as claims: W3C Web Annotation
//! JSON(-LD) (factmark's own `w3c` export among them) and Hypothesis API
//! JSON, as one annotation, a list, a collection or a search response
//! (`{"total": N, "rows": [...]}`).
//!
//! Positions are only a hint: every claim is placed again on the article by
//! its quote and context (`anchor::place_claims`), as when a file is
//! opened. Hypothesis counts positions in UTF-16 units (JavaScript strings)
//! and W3C annotations in code points; both are turned into factmark's
//! code points before that. What an annotation holds that a claim has no
//! place for is counted in the report, never silently dropped.

use crate::anchor;
use crate::model::{
    Anchor, AnchorState, AnnotationSet, Article, Claim, ClaimId, Evidence, Party, PartyId, Rating,
    RatingId, Stance, Status, StatusOrigin, Verdict, default_scale,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// What an import came to.
#[derive(Debug)]
pub struct Imported {
    pub set: AnnotationSet,
    /// Annotations read.
    pub annotations: usize,
    /// What had no place in a claim: a description, and how many times.
    pub left_out: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error(
        "no annotations: expected an annotation, a list of them, a collection or a search response"
    )]
    NoAnnotations,
}

pub fn import(json: &str, article: Article) -> Result<Imported, ImportError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| ImportError::NotJson(e.to_string()))?;
    let annotations = annotations_in(&value);
    if annotations.is_empty() {
        return Err(ImportError::NoAnnotations);
    }
    let mut state = Builder {
        ratings: default_scale().to_vec(),
        ..Builder::default()
    };
    for (n, annotation) in annotations.iter().enumerate() {
        state.annotation(&article, n, annotation);
    }
    let mut claims = state.claims;
    anchor::place_claims(&article, &mut claims);
    crate::model::snap_to_graphemes(&article, &mut claims);
    let mut set = AnnotationSet::from_parts(article, state.parties, claims);
    set.set_ratings(state.ratings);
    Ok(Imported {
        set,
        annotations: annotations.len(),
        left_out: state.left_out,
    })
}

/// The annotations in any of the shapes tools write.
fn annotations_in(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().filter(|v| v.is_object()).collect(),
        Value::Object(object) => {
            let listed = object
                .get("rows")
                .or_else(|| object.get("items"))
                .or_else(|| object.get("first").and_then(|f| f.get("items")));
            match listed {
                Some(Value::Array(items)) => items.iter().filter(|v| v.is_object()).collect(),
                _ if object.contains_key("target") => vec![value],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

#[derive(Default)]
struct Builder {
    claims: Vec<Claim>,
    parties: Vec<Party>,
    /// The default scale, and a rating for each other label the
    /// annotations assess with.
    ratings: Vec<Rating>,
    ids: HashSet<String>,
    left_out: BTreeMap<String, usize>,
}

impl Builder {
    fn leave_out(&mut self, what: impl Into<String>) {
        *self.left_out.entry(what.into()).or_insert(0) += 1;
    }

    /// The rating labelled `label`, added to the scale when it has none
    /// (another publisher's scale comes in label by label); `None` for a
    /// blank or overlong label, or a full scale.
    fn rating(&mut self, label: &str) -> Option<RatingId> {
        let label = label.trim();
        if let Some(known) = self.ratings.iter().find(|r| r.label == label) {
            return Some(known.id.clone());
        }
        let fits = !label.is_empty()
            && label.len() <= crate::format::limits::MAX_NAME_BYTES
            && self.ratings.len() < crate::format::limits::MAX_RATINGS;
        fits.then(|| {
            let rating = Rating::labelled(label, &self.ratings);
            let id = rating.id.clone();
            self.ratings.push(rating);
            id
        })
    }

    fn party(&mut self, name: &str) -> PartyId {
        if let Some(p) = self.parties.iter().find(|p| p.name == name) {
            return p.id.clone();
        }
        let party = Party::named(name, &self.parties);
        let id = party.id.clone();
        self.parties.push(party);
        id
    }

    fn annotation(&mut self, article: &Article, n: usize, annotation: &Value) {
        let w3c = annotation.get("@context").is_some();
        let Some((exact, prefix, suffix, position)) = text_target(annotation) else {
            self.leave_out("annotations without a quote of the text (page notes, other media)");
            return;
        };
        let range = position.and_then(|(start, end)| {
            if w3c {
                Some(start..end)
            } else {
                Some(utf16_to_chars(article.text(), start)?..utf16_to_chars(article.text(), end)?)
            }
        });
        let (start, end) = range.map_or((0, 0), |r| (r.start, r.end));
        let author = text(annotation, "user")
            .map(|u| {
                u.trim_start_matches("acct:")
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .or_else(|| {
                annotation
                    .get("creator")
                    .and_then(|c| text(c, "name"))
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let time = |key: &str| {
            text(annotation, key)
                .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        };
        let created = time("created");
        let modified = text(annotation, "modified")
            .or_else(|| text(annotation, "updated"))
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .unwrap_or(created);
        let mut claim = Claim {
            id: ClaimId(self.claim_id(annotation, n)),
            anchor: Anchor {
                start,
                end,
                exact,
                prefix,
                suffix,
            },
            anchor_state: AnchorState::Exact,
            status: Status::Unreviewed,
            status_origin: StatusOrigin::Suggested,
            claimant: None,
            stances: BTreeMap::new(),
            note: text(annotation, "text").unwrap_or_default().to_owned(),
            evidence: Vec::new(),
            verdict: None,
            author,
            created,
            modified,
            conflict: None,
        };
        if let Some(Value::Array(tags)) = annotation.get("tags") {
            let tags: Vec<&str> = tags.iter().filter_map(Value::as_str).collect();
            if !tags.is_empty() {
                self.leave_out(format!("tags ({})", tags.join(", ")));
            }
        }
        for body in bodies(annotation) {
            self.body(&mut claim, body);
        }
        self.claims.push(claim);
    }

    /// The claim id factmark exported, else one made from the annotation's.
    fn claim_id(&mut self, annotation: &Value, n: usize) -> String {
        let given = text(annotation, "id").unwrap_or_default();
        let ours = given
            .strip_prefix("urn:factmark:")
            .and_then(|rest| rest.rsplit(':').next())
            .map(str::to_owned);
        let made = ours.unwrap_or_else(|| {
            let tail: String = given
                .rsplit(['/', ':', '#'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .take(40)
                .collect();
            if tail.is_empty() {
                format!("i-{n}")
            } else {
                format!("i-{tail}")
            }
        });
        let mut id = made.clone();
        let mut k = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{made}-{k}");
            k += 1;
        }
        id
    }

    /// One body, read the way factmark's `w3c` export writes it.
    fn body(&mut self, claim: &mut Claim, body: &Value) {
        let purpose = text(body, "purpose").unwrap_or("commenting");
        let value = text(body, "value").unwrap_or_default();
        match purpose {
            "classifying" => match Status::ALL.into_iter().find(|s| s.label() == value) {
                Some(status) => {
                    claim.status = status;
                    claim.status_origin = StatusOrigin::Chosen;
                }
                None => self.leave_out(format!("classifications other than a status (“{value}”)")),
            },
            "assessing" => {
                let (label, explanation) = value.split_once(": ").unwrap_or((value, ""));
                match self.rating(label) {
                    Some(rating) => {
                        claim.verdict = Some(Verdict {
                            rating,
                            explanation: explanation.to_owned(),
                        });
                    }
                    None => self.leave_out("assessments without a rating a scale can hold"),
                }
            }
            "tagging" => {
                if let Some(name) = value.strip_prefix("claimant: ") {
                    claim.claimant = Some(self.party(name));
                } else if let Some(name) = value.strip_suffix(" agrees") {
                    let party = self.party(name);
                    claim.stances.insert(party, Stance::Agrees);
                } else if let Some(name) = value.strip_suffix(" disputes") {
                    let party = self.party(name);
                    claim.stances.insert(party, Stance::Disputes);
                } else {
                    self.leave_out(format!("tags (“{value}”)"));
                }
            }
            "linking" => {
                let url = text(body, "source")
                    .or_else(|| text(body, "id"))
                    .unwrap_or_default();
                claim.evidence.push(Evidence {
                    url: url.to_owned(),
                    ..Evidence::default()
                });
            }
            "describing" => match claim.evidence.last_mut() {
                // A quote right after its link is the same evidence.
                Some(last) if last.quote.is_empty() && !last.url.is_empty() => {
                    last.quote = value.to_owned();
                }
                _ => claim.evidence.push(Evidence {
                    quote: value.to_owned(),
                    ..Evidence::default()
                }),
            },
            "commenting" if claim.note.is_empty() => claim.note = value.to_owned(),
            "commenting" => {
                claim.note.push_str("\n\n");
                claim.note.push_str(value);
            }
            other => self.leave_out(format!("bodies with the purpose “{other}”")),
        }
    }
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key)?.as_str()
}

/// The body or bodies of an annotation (one object, a list, or a plain
/// `bodyValue`).
fn bodies(annotation: &Value) -> Vec<&Value> {
    match annotation.get("body") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(body @ Value::Object(_)) => vec![body],
        _ => Vec::new(),
    }
}

type TextTarget = (String, String, String, Option<(usize, usize)>);

/// The quote (with its context) and position an annotation's target has.
fn text_target(annotation: &Value) -> Option<TextTarget> {
    let targets: Vec<&Value> = match annotation.get("target")? {
        Value::Array(items) => items.iter().collect(),
        target => vec![target],
    };
    for target in targets {
        let selectors: Vec<&Value> = match target.get("selector") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(selector) => vec![selector],
            None => continue,
        };
        let of_type = |kind: &str| selectors.iter().find(|s| text(s, "type") == Some(kind));
        let Some(quote) = of_type("TextQuoteSelector") else {
            continue;
        };
        let exact = text(quote, "exact").unwrap_or_default();
        if exact.is_empty() {
            continue;
        }
        let position = of_type("TextPositionSelector").and_then(|p| {
            let start = usize::try_from(p.get("start")?.as_u64()?).ok()?;
            let end = usize::try_from(p.get("end")?.as_u64()?).ok()?;
            (start <= end).then_some((start, end))
        });
        return Some((
            exact.to_owned(),
            text(quote, "prefix").unwrap_or_default().to_owned(),
            text(quote, "suffix").unwrap_or_default().to_owned(),
            position,
        ));
    }
    None
}

/// The char offset at `units` UTF-16 code units into `text`, if it falls on
/// a char boundary within it.
fn utf16_to_chars(text: &str, units: usize) -> Option<usize> {
    let mut counted = 0;
    for (chars, c) in text.chars().enumerate() {
        if counted == units {
            return Some(chars);
        }
        counted += c.len_utf16();
        if counted > units {
            return None;
        }
    }
    (counted == units).then(|| text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_become_code_points() {
        let text = "a😀b";
        assert_eq!(utf16_to_chars(text, 0), Some(0));
        assert_eq!(utf16_to_chars(text, 1), Some(1));
        assert_eq!(utf16_to_chars(text, 2), None, "inside the surrogate pair");
        assert_eq!(utf16_to_chars(text, 3), Some(2));
        assert_eq!(utf16_to_chars(text, 4), Some(3));
        assert_eq!(utf16_to_chars(text, 5), None);
    }

    #[test]
    fn what_is_not_annotations_is_refused() {
        let article = || Article::new("t", "text");
        assert!(matches!(
            import("{", article()),
            Err(ImportError::NotJson(_))
        ));
        assert_eq!(
            import("{\"total\": 0, \"rows\": []}", article()).err(),
            Some(ImportError::NoAnnotations)
        );
        assert_eq!(
            import("42", article()).err(),
            Some(ImportError::NoAnnotations)
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            import(&deep, article()),
            Err(ImportError::NotJson(_))
        ));
    }

    #[test]
    fn an_imported_claim_never_cuts_a_grapheme_cluster() {
        // "ได้" is a consonant, a vowel and a tone mark: a quote ending
        // before the mark (as in another tool's file) takes it in.
        let text = "ประชาชาติได้ยืนยัน";
        let json = r#"{"type": "Annotation", "target": {"selector": [
            {"type": "TextQuoteSelector", "exact": "ประชาชาติได"},
            {"type": "TextPositionSelector", "start": 0, "end": 11}]}}"#;
        let imported = import(json, Article::new("t", text)).unwrap_or_else(|e| panic!("{e}"));
        let claim = &imported.set.claims()[0];
        assert_eq!(claim.anchor.exact, "ประชาชาติได้");
        assert_eq!(claim.anchor.range(), 0..12);
    }
}

//! What the fact-checker concluded about a claim. Agreed/Disputed says where
//! the parties stand; a verdict says what the checker found: a rating from
//! a rating scale (labels, each with an optional number, which ClaimReview
//! calls `ratingValue`, and a colour) and a short explanation.
//!
//! For now every file uses [`default_scale`]; a publisher's own scale,
//! stored in the file, is to come.

use super::Rgb;
use std::sync::LazyLock;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RatingId(pub String);

impl std::fmt::Display for RatingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One label of a rating scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    pub id: RatingId,
    pub label: String,
    /// Its place on the scale, higher meaning truer, when the publisher
    /// numbers its ratings; `None` for a label off the scale ("Unproven").
    pub value: Option<u32>,
    pub color: Rgb,
}

/// A claim's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Verdict {
    pub rating: RatingId,
    /// Why this rating, in a sentence or two (ClaimReview's rating
    /// explanation).
    pub explanation: String,
}

/// The labels most fact-checkers use, numbered from 1 (False) to 6 (True),
/// Unproven off the scale.
pub fn default_scale() -> &'static [Rating] {
    &DEFAULT_SCALE
}

/// A rating of [`default_scale`] by its id.
pub fn rating(id: &RatingId) -> Option<&'static Rating> {
    default_scale().iter().find(|r| &r.id == id)
}

static DEFAULT_SCALE: LazyLock<Vec<Rating>> = LazyLock::new(|| {
    let rating = |id: &str, label: &str, value: Option<u32>, color: [u8; 3]| Rating {
        id: RatingId(id.to_owned()),
        label: label.to_owned(),
        value,
        color: Rgb(color),
    };
    vec![
        rating("true", "True", Some(6), [0x1e, 0x8e, 0x3e]),
        rating("mostly-true", "Mostly true", Some(5), [0x6a, 0xa8, 0x4f]),
        rating("half-true", "Half true", Some(4), [0xc9, 0xa2, 0x27]),
        rating("misleading", "Misleading", Some(3), [0xe0, 0x7b, 0x24]),
        rating("mostly-false", "Mostly false", Some(2), [0xd3, 0x54, 0x3c]),
        rating("false", "False", Some(1), [0xb0, 0x1e, 0x2a]),
        rating("unproven", "Unproven", None, [0x80, 0x80, 0x80]),
    ]
});

/// A verdict's rating label, for lists and reports ("no verdict" when none).
pub fn verdict_label(verdict: Option<&Verdict>) -> &'static str {
    verdict
        .and_then(|v| rating(&v.rating))
        .map_or("no verdict", |r| r.label.as_str())
}

/// The numbers a scale spans (ClaimReview's `worstRating` and
/// `bestRating`), when any rating has one.
pub fn scale_span(scale: &[Rating]) -> Option<(u32, u32)> {
    let values = scale.iter().filter_map(|r| r.value);
    let worst = values.clone().min()?;
    let best = values.max()?;
    Some((worst, best))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scale_runs_from_false_to_true_with_unproven_off_it() {
        let scale = default_scale();
        assert_eq!(scale_span(scale), Some((1, 6)));
        assert_eq!(
            rating(&RatingId("false".into())).map(|r| r.label.as_str()),
            Some("False")
        );
        assert!(rating(&RatingId("pants-on-fire".into())).is_none());
        let ids: Vec<&str> = scale.iter().map(|r| r.id.0.as_str()).collect();
        assert_eq!(ids.len(), 7);
        assert!(ids.contains(&"unproven"));
        let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "ids are unique");
        assert_eq!(
            scale_span(&scale[6..]),
            None,
            "a scale without numbers spans none"
        );
    }
}

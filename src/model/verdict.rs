//! What the fact-checker concluded about a claim, and who publishes it.
//! Agreed/Disputed says where the parties stand; a verdict says what the
//! checker found: a rating from the file's rating scale (the publisher's own
//! labels, each with an optional number, which ClaimReview calls
//! `ratingValue`, and a colour) and a short explanation. A new file starts
//! with [`default_scale`]; the scale and the [`Publisher`] are stored in the
//! file, so a desk shares them.

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
    /// Set by a merge where the two sides disagree about this rating, as
    /// for a party.
    pub conflict: Option<RatingConflict>,
}

/// How the two sides of a merge disagree about a rating.
#[derive(Clone, Debug, PartialEq)]
pub enum RatingConflict {
    /// Both changed (or both added) it differently: the rating holds ours.
    Theirs {
        label: String,
        value: Option<u32>,
        color: Rgb,
    },
    /// One side deleted it while the other changed it or a verdict uses it:
    /// it was kept.
    Deleted,
}

impl Rating {
    /// False when it, or the other version its conflict mark records, has
    /// no label (a scale needs a word for every rating).
    pub(crate) fn is_labelled(&self) -> bool {
        let theirs_blank = matches!(&self.conflict,
            Some(RatingConflict::Theirs { label, .. }) if label.trim().is_empty());
        !self.label.trim().is_empty() && !theirs_blank
    }

    /// One version of a rating for a person reading a conflict:
    /// `“Mostly false” (2, #d3543c)`.
    pub fn describe_version(label: &str, value: Option<u32>, color: Rgb) -> String {
        let value = value.map_or("no number".to_owned(), |v| v.to_string());
        format!("“{label}” ({value}, {})", color.to_hex())
    }

    /// A rating labelled `label` to join `scale`: an id from the label
    /// (numbered when taken), no number, and a neutral colour.
    pub fn labelled(label: &str, scale: &[Rating]) -> Rating {
        let slug = super::slug(label);
        let base = if slug.is_empty() {
            "rating".to_owned()
        } else {
            slug
        };
        let mut id = RatingId(base.clone());
        let mut n = 2;
        while scale.iter().any(|r| r.id == id) {
            id = RatingId(format!("{base}-{n}"));
            n += 1;
        }
        Rating {
            id,
            label: label.trim().to_owned(),
            value: None,
            color: Rgb([0x80, 0x80, 0x80]),
            conflict: None,
        }
    }
}

/// Who publishes the fact-checks made in a file: ClaimReview's `author`
/// and each review's `url`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    /// The publisher's site.
    pub url: String,
    /// A review's address; `{id}` is replaced by the claim id.
    pub claim_url: String,
    /// Their profile, when a merge found both sides changed it differently
    /// (this one holds ours).
    pub conflict: Option<Box<Publisher>>,
}

impl Publisher {
    /// A publisher by name and review address template; its site is the
    /// template's origin.
    pub fn new(name: String, claim_url: String) -> Self {
        Self {
            name,
            url: Self::site_of(&claim_url),
            claim_url,
            conflict: None,
        }
    }

    /// The site a review address template lives on: its origin (empty when
    /// it is not an address).
    pub fn site_of(claim_url: &str) -> String {
        url::Url::parse(claim_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }

    /// Nothing recorded at all (then the file says nothing of it).
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.url.is_empty()
            && self.claim_url.is_empty()
            && self.conflict.is_none()
    }

    /// A review's address, when the profile has a template.
    pub fn claim_url(&self, id: &str) -> Option<String> {
        let template = self.claim_url.trim();
        (!template.is_empty()).then(|| template.replace("{id}", id))
    }
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

static DEFAULT_SCALE: LazyLock<Vec<Rating>> = LazyLock::new(|| {
    let rating = |id: &str, label: &str, value: Option<u32>, color: [u8; 3]| Rating {
        id: RatingId(id.to_owned()),
        label: label.to_owned(),
        value,
        color: Rgb(color),
        conflict: None,
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
            scale
                .iter()
                .find(|r| r.id.0 == "false")
                .map(|r| r.label.as_str()),
            Some("False")
        );
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

    #[test]
    fn a_new_rating_gets_a_free_id_from_its_label() {
        let scale = default_scale();
        let new = Rating::labelled("  Pants on fire ", scale);
        assert_eq!(
            (new.id.0.as_str(), new.label.as_str()),
            ("pants-on-fire", "Pants on fire")
        );
        assert_eq!(Rating::labelled("True", scale).id.0, "true-2");
        assert_eq!(Rating::labelled("!!", scale).id.0, "rating");
    }

    #[test]
    fn a_publisher_fills_its_review_addresses() {
        let p = Publisher::new("Desk".into(), "https://checks.example.org/2026/{id}".into());
        assert_eq!(p.url, "https://checks.example.org");
        assert_eq!(
            p.claim_url("c1").as_deref(),
            Some("https://checks.example.org/2026/c1")
        );
        assert_eq!(Publisher::default().claim_url("c1"), None);
        assert!(Publisher::default().is_empty() && !p.is_empty());
    }
}

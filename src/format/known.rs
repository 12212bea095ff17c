//! Article texts factmark holds itself, found by their fingerprint: a file
//! naming one opens on it without reading the path it records (which may lie
//! outside the file's folder, as the example's `../assets/articles/…` does).

use crate::model::{fingerprint, normalize_text};
use std::sync::OnceLock;

/// The reference article (Russia and Ukraine's peace talks), built in so the
/// app always has something to show and the example file always opens.
pub const REFERENCE_ARTICLE: &str = include_str!("../../assets/articles/peace-talks.txt");

/// The text of an article factmark holds whose normalised text has `sha256`.
pub fn known_article(sha256: &str) -> Option<&'static str> {
    static REFERENCE: OnceLock<(String, String)> = OnceLock::new();
    let (text, sha) = REFERENCE.get_or_init(|| {
        let text = normalize_text(REFERENCE_ARTICLE);
        let sha = fingerprint(&text);
        (text, sha)
    });
    (sha == sha256).then_some(text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_article_is_known_by_its_fingerprint() {
        let sha = fingerprint(&normalize_text(REFERENCE_ARTICLE));
        assert_eq!(
            sha, "4c0079181c8f815cc58e7851936a1b5aeef8a8ee92fe131808ecbcfc5cd05c6b",
            "the example file records this fingerprint"
        );
        assert!(known_article(&sha).is_some_and(|t| t.contains("satisfactory")));
        assert_eq!(known_article(&"0".repeat(64)), None);
    }
}

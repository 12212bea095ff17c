//! Finding a claim's quote again in an article that may have changed since the
//! claim was made. Order of work: the stored offsets; then an exact search for
//! the quote, choosing among occurrences by surrounding context and closeness to
//! the old offset; otherwise the claim is unplaced (kept, never dropped).

use crate::model::{Anchor, AnchorState, Article, Claim};
use std::ops::Range;

/// Where an anchor lands in `article`, and how it got there.
pub fn locate(article: &Article, anchor: &Anchor) -> (AnchorState, Option<Range<usize>>) {
    if anchor.start < anchor.end && anchor.holds_in(article) {
        return (AnchorState::Exact, Some(anchor.range()));
    }
    match best_exact_occurrence(article, anchor) {
        Some(range) => (
            AnchorState::Moved {
                from: anchor.range(),
            },
            Some(range),
        ),
        None => (AnchorState::Orphaned, None),
    }
}

/// Re-places a claim in `article`: moved claims get fresh offsets and context.
pub fn place_claim(article: &Article, claim: &mut Claim) {
    let (state, range) = locate(article, &claim.anchor);
    if let (AnchorState::Moved { .. }, Some(range)) = (&state, range) {
        claim.anchor = Anchor::capture(article, range);
    }
    claim.anchor_state = state;
}

/// Occurrences of the quote, best first by context, then by distance.
fn best_exact_occurrence(article: &Article, anchor: &Anchor) -> Option<Range<usize>> {
    if anchor.exact.is_empty() {
        return None;
    }
    let text = article.text();
    let quote_chars = anchor.exact.chars().count();
    let mut best: Option<((usize, usize), Range<usize>)> = None;
    let mut from = 0;
    while let Some(found) = text[from..].find(&anchor.exact) {
        let byte = from + found;
        let start = article.char_of_byte(byte);
        let range = start..start + quote_chars;
        let context = context_agreement(article, anchor, &range);
        let distance = start.abs_diff(anchor.start);
        // Higher context agreement wins; among equals, the nearest.
        let key = (usize::MAX - context, distance);
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, range));
        }
        // Step one char forward so overlapping occurrences are found too.
        from = byte + text[byte..].chars().next().map_or(1, char::len_utf8);
    }
    best.map(|(_, range)| range)
}

/// How many chars of stored prefix/suffix context match around `range`.
fn context_agreement(article: &Article, anchor: &Anchor, range: &Range<usize>) -> usize {
    let prefix = anchor
        .prefix
        .chars()
        .rev()
        .zip(article.chars_before(range.start))
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = anchor
        .suffix
        .chars()
        .zip(article.chars_from(range.end))
        .take_while(|(a, b)| a == b)
        .count();
    prefix + suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor_in(text: &str, quote: &str, nth: usize) -> Anchor {
        let article = Article::new("t", text);
        let byte = text.match_indices(quote).nth(nth).map_or(0, |(b, _)| b);
        let start = article.char_of_byte(byte);
        Anchor::capture(&article, start..start + quote.chars().count())
    }

    #[test]
    fn unchanged_text_is_exact() {
        let text = "Russia called the talks “satisfactory,” though Ukraine disagreed.";
        let anchor = anchor_in(text, "satisfactory", 0);
        let (state, range) = locate(&Article::new("t", text), &anchor);
        assert_eq!(state, AnchorState::Exact);
        assert_eq!(range, Some(anchor.range()));
    }

    #[test]
    fn inserted_text_moves_the_claim() {
        let text = "Medinsky called the talks “satisfactory,” though Ukraine disagreed.";
        let anchor = anchor_in(text, "satisfactory", 0);
        let edited = Article::new("t", &format!("A new first sentence. {text}"));
        let (state, range) = locate(&edited, &anchor);
        assert_eq!(
            state,
            AnchorState::Moved {
                from: anchor.range()
            }
        );
        let range = range.unwrap_or_default();
        assert_eq!(edited.slice(range), "satisfactory");
    }

    #[test]
    fn repeated_quotes_are_told_apart_by_context() {
        let text = "Ukraine said no. Later, Russia said no. Finally Ukraine said no again.";
        let second = anchor_in(text, "said no", 1);
        let edited_text = format!("Intro. {}", text.replace("Finally", "At last"));
        let edited = Article::new("t", &edited_text);
        let (_, range) = locate(&edited, &second);
        let range = range.unwrap_or_default();
        let expected = edited_text.find("Russia said no").unwrap_or(0) + "Russia ".len();
        assert_eq!(range.start, edited.char_of_byte(expected));
    }

    #[test]
    fn deleted_quote_is_orphaned_and_keeps_its_anchor() {
        let text = "The talks were “satisfactory,” said Medinsky.";
        let article = Article::new("t", text);
        let mut claim_anchor = anchor_in(text, "satisfactory", 0);
        let edited = Article::new("t", "The talks were short.");
        assert_eq!(locate(&edited, &claim_anchor).0, AnchorState::Orphaned);
        claim_anchor.end = 10_000;
        assert_eq!(
            locate(&article, &claim_anchor).0,
            AnchorState::Moved {
                from: claim_anchor.range()
            }
        );
    }
}

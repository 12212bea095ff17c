//! Finding claims' quotes again in an article that may have changed since the
//! claims were made, and saying honestly how sure we are.
//!
//! Order of work, for all claims of a file at once:
//! 1. the stored offsets still hold the quote: **exact**;
//! 2. the quote occurs elsewhere (one Aho-Corasick pass finds every quote's
//!    occurrences): the occurrence whose surrounding text best matches the
//!    stored context wins, ties go to the one nearest the expected place: **moved**;
//! 3. approximate search (Myers' bit-parallel edit distance) near the expected
//!    place, then at places where pieces of the quote still occur: a match
//!    within the error budget, scored on quote, context and position, above
//!    [`MIN_FUZZY_SCORE`]: **fuzzy** (shown, but awaiting confirmation);
//! 4. otherwise **orphaned**: kept with its stored anchor, never dropped.
//!
//! A wrong place is worse than an orphan: quotes shorter than [`SHORT_QUOTE`]
//! chars are placed only when their context agrees, since a short quote alone
//! (a name, a number) occurs in many places.

mod myers;

use crate::model::{Anchor, AnchorState, Article, Claim};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// Quotes shorter than this (in chars) need agreeing context to be placed.
pub const SHORT_QUOTE: usize = 20;
/// Fuzzy placements scoring below this (0..=1) are orphaned instead.
pub const MIN_FUZZY_SCORE: f32 = 0.72;
/// Context agreement (0..=1) a short quote needs.
const SHORT_QUOTE_CONTEXT: f32 = 0.6;
/// Context agreement (0..=1) an exact quote found elsewhere needs on both sides
/// to count as moved without asking; below it, it is offered as a fuzzy match.
const MOVED_CONTEXT: f32 = 0.3;
/// An exact quote found further than this (chars) from where the claim should
/// be is offered for confirmation instead of being moved silently.
const FAR_MOVE: usize = 20_000;
/// How far from the expected place the first approximate search looks, in chars.
const NEAR_WINDOW: usize = 3000;
/// Occurrences kept per quote; very common short quotes are cut off here.
const MAX_OCCURRENCES: usize = 2000;
/// Longer quotes are not searched approximately (the cost grows with quote
/// length times window length); they are placed exactly or orphaned.
const MAX_FUZZY_QUOTE: usize = 2000;
/// Length of the pieces of a quote used to find far-away candidates.
const SEED_CHARS: usize = 10;
/// Exact occurrences scored per claim: the ones nearest the expected place.
/// Bounds the work for files full of claims on one common word.
const SCORED_OCCURRENCES: usize = 256;
/// Approximate-search work allowed for one placement of a whole file, in
/// 64-char words compared (a few seconds at most). Beyond it the remaining
/// claims are left unplaced (kept in the file, re-attachable) instead of
/// making a hostile or pathological file take minutes to open.
const FUZZY_WORK_BUDGET: usize = 300_000_000;

/// Where one anchor landed.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub state: AnchorState,
    /// Where it is shown now (`None` when orphaned).
    pub range: Option<Range<usize>>,
    /// Confidence in 0..=1 (1 for exact and unambiguous moves).
    pub score: f32,
}

impl Located {
    fn orphan() -> Self {
        Self {
            state: AnchorState::Orphaned,
            range: None,
            score: 0.0,
        }
    }
}

/// Allowed edits for a quote of `len` chars: about one in five.
fn error_budget(len: usize) -> usize {
    (len / 5).max(1)
}

/// Locates every anchor in `article`. The result is in the order of `anchors`.
pub fn locate_all(article: &Article, anchors: &[&Anchor]) -> Vec<Located> {
    let mut out = vec![None; anchors.len()];
    // Work in old-offset order, so each claim's expected place can follow the
    // shift of the claim placed before it.
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| anchors[i].start);

    for &i in &order {
        let a = anchors[i];
        if a.start < a.end && a.holds_in(article) {
            out[i] = Some(Located {
                state: AnchorState::Exact,
                range: Some(a.range()),
                score: 1.0,
            });
        } else if a.exact.is_empty() {
            out[i] = Some(Located::orphan());
        }
    }

    let pending: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| out[i].is_none())
        .collect();
    let occurrences = find_quotes(article, anchors, &pending);
    let no_occurrences = Vec::new();
    let mut shift: isize = 0;
    let mut needs_fuzzy = Vec::new();
    for &i in &order {
        let a = anchors[i];
        if let Some(done) = &out[i] {
            if let Some(range) = &done.range {
                shift = range.start as isize - a.start as isize;
            }
            continue;
        }
        let expected = expected_start(a, shift);
        let all = occurrences.get(a.exact.as_str()).unwrap_or(&no_occurrences);
        match best_exact(article, a, nearest(all, expected), expected) {
            Some((found, context))
                if context >= MOVED_CONTEXT && found.start.abs_diff(expected) <= FAR_MOVE =>
            {
                shift = found.start as isize - a.start as isize;
                let state = AnchorState::Moved { from: a.range() };
                out[i] = Some(Located {
                    state,
                    range: Some(found),
                    score: 1.0,
                });
            }
            // The words are there but their surroundings are not, or they are
            // far from where the claim should be (a duplicated passage?): say
            // so and let the user confirm, rather than moving it silently.
            Some((found, _)) => match score_match(article, a, found, 0, expected) {
                Some(located) => out[i] = Some(located),
                None => needs_fuzzy.push((i, expected)),
            },
            None => needs_fuzzy.push((i, expected)),
        }
    }

    let seeds = find_seeds(article, anchors, &needs_fuzzy);
    let mut work = 0usize;
    for (i, expected) in needs_fuzzy {
        let a = anchors[i];
        let len = a.exact.chars().count();
        let seed_count = seeds.get(&i).map_or(0, Vec::len);
        let words = len.div_ceil(64).max(1);
        work = work.saturating_add(words * (2 * NEAR_WINDOW + len + seed_count * 3 * len));
        if work > FUZZY_WORK_BUDGET {
            out[i] = Some(Located::orphan());
            continue;
        }
        let located = fuzzy_near(article, a, expected)
            .or_else(|| {
                fuzzy_at_seeds(
                    article,
                    a,
                    expected,
                    seeds.get(&i).map_or(&[][..], Vec::as_slice),
                )
            })
            .unwrap_or_else(Located::orphan);
        out[i] = Some(located);
    }
    out.into_iter()
        .map(|l| l.unwrap_or_else(Located::orphan))
        .collect()
}

/// Re-places claims in `article`: moved claims get fresh offsets and context;
/// fuzzy ones keep their stored anchor until the user confirms.
pub fn place_claims(article: &Article, claims: &mut [Claim]) {
    let anchors: Vec<&Anchor> = claims.iter().map(|c| &c.anchor).collect();
    let located = locate_all(article, &anchors);
    for (claim, found) in claims.iter_mut().zip(located) {
        if let (AnchorState::Moved { .. }, Some(range)) = (&found.state, &found.range) {
            claim.anchor = Anchor::capture(article, range.clone());
        }
        claim.anchor_state = match found.state {
            AnchorState::Fuzzy { at, .. } => AnchorState::Fuzzy {
                at,
                score: found.score,
            },
            other => other,
        };
    }
}

fn expected_start(anchor: &Anchor, shift: isize) -> usize {
    let start = anchor.start.min(isize::MAX as usize) as isize;
    start.saturating_add(shift).max(0) as usize
}

/// A multi-pattern searcher whose size grows with the patterns' total length
/// only (a contiguous NFA, never a DFA that a few huge quotes could blow up).
fn automaton<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
}

/// At most [`SCORED_OCCURRENCES`] of the (sorted) occurrences, those nearest `expected`.
fn nearest(sorted: &[usize], expected: usize) -> &[usize] {
    if sorted.len() <= SCORED_OCCURRENCES {
        return sorted;
    }
    let at = sorted.partition_point(|&s| s < expected);
    let start = at
        .saturating_sub(SCORED_OCCURRENCES / 2)
        .min(sorted.len() - SCORED_OCCURRENCES);
    &sorted[start..start + SCORED_OCCURRENCES]
}

/// Char offsets (ascending) of every occurrence of each pending claim's quote,
/// in one pass, once per distinct quote.
fn find_quotes<'a>(
    article: &Article,
    anchors: &[&'a Anchor],
    pending: &[usize],
) -> std::collections::HashMap<&'a str, Vec<usize>> {
    let mut quotes: Vec<&str> = pending.iter().map(|&i| anchors[i].exact.as_str()).collect();
    quotes.sort_unstable();
    quotes.dedup();
    let mut by_quote: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    if let Ok(automaton) = automaton(&quotes) {
        for hit in automaton.find_overlapping_iter(article.text()) {
            let list = by_quote
                .entry(quotes[hit.pattern().as_usize()])
                .or_default();
            if list.len() < MAX_OCCURRENCES {
                list.push(article.char_of_byte(hit.start()));
            }
        }
    }
    by_quote
}

/// The best exact occurrence and the context agreement of its weaker side, or
/// `None` when there is none, or the quote is short and its context disagrees.
fn best_exact(
    article: &Article,
    anchor: &Anchor,
    starts: &[usize],
    expected: usize,
) -> Option<(Range<usize>, f32)> {
    let len = anchor.exact.chars().count();
    // Context decides, but nearness to where the claim should be counts too:
    // an edit next to the claim spoils its context, while an untouched copy of
    // the passage elsewhere (duplicated text) keeps it.
    let rank =
        |context: f32, distance: usize| 0.6 * context + 0.4 / (1.0 + distance as f32 / 2000.0);
    let mut best: Option<(f32, (f32, f32), Range<usize>)> = None;
    for &start in starts {
        let range = start..start + len;
        let context = exact_context_agreement(article, anchor, &range);
        let score = rank(context.0, start.abs_diff(expected));
        if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
            best = Some((score, context, range));
        }
    }
    let (_, (both, weaker), range) = best?;
    (len >= SHORT_QUOTE || both >= SHORT_QUOTE_CONTEXT).then_some((range, weaker))
}

/// How much of the stored context matches char for char around `range`:
/// (share of both sides together, share on the weaker side), each in 0..=1.
/// A side with no stored context (the article's start or end) agrees fully.
fn exact_context_agreement(article: &Article, anchor: &Anchor, range: &Range<usize>) -> (f32, f32) {
    let (prefix_len, suffix_len) = (anchor.prefix.chars().count(), anchor.suffix.chars().count());
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
    let share = |matched: usize, stored: usize| {
        if stored == 0 {
            1.0
        } else {
            matched as f32 / stored as f32
        }
    };
    let both = if prefix_len + suffix_len == 0 {
        0.5
    } else {
        share(prefix + suffix, prefix_len + suffix_len)
    };
    (
        both,
        share(prefix, prefix_len).min(share(suffix, suffix_len)),
    )
}

/// Context similarity (0..=1) by edit distance, for approximate matches.
fn fuzzy_context_similarity(article: &Article, anchor: &Anchor, range: &Range<usize>) -> f32 {
    let prefix: Vec<char> = anchor.prefix.chars().collect();
    let suffix: Vec<char> = anchor.suffix.chars().collect();
    if prefix.is_empty() && suffix.is_empty() {
        return 0.5;
    }
    let mut before: Vec<char> = article
        .chars_before(range.start)
        .take(prefix.len())
        .collect();
    before.reverse();
    let after: Vec<char> = article.chars_from(range.end).take(suffix.len()).collect();
    let errors = myers::distance(&prefix, &before) + myers::distance(&suffix, &after);
    1.0 - errors as f32 / (prefix.len() + suffix.len()) as f32
}

/// Scores an approximate match; `None` when it falls short of the rules.
fn score_match(
    article: &Article,
    anchor: &Anchor,
    range: Range<usize>,
    errors: usize,
    expected: usize,
) -> Option<Located> {
    let len = anchor.exact.chars().count();
    let quote = 1.0 - errors as f32 / len.max(1) as f32;
    let context = fuzzy_context_similarity(article, anchor, &range);
    let nearness = 1.0 / (1.0 + range.start.abs_diff(expected) as f32 / 5000.0);
    let score = 0.6 * quote + 0.3 * context + 0.1 * nearness;
    let short_ok = len >= SHORT_QUOTE || context >= SHORT_QUOTE_CONTEXT;
    (score >= MIN_FUZZY_SCORE && short_ok).then(|| Located {
        state: AnchorState::Fuzzy {
            at: range.clone(),
            score,
        },
        range: Some(range),
        score,
    })
}

/// Approximate search in `window` (article chars) for the quote; among equal
/// matches the one nearest `near` wins, and the score counts the distance from
/// `expected`.
fn fuzzy_in_window(
    article: &Article,
    anchor: &Anchor,
    window: Range<usize>,
    near: usize,
    expected: usize,
) -> Option<Located> {
    let pattern: Vec<char> = anchor.exact.chars().collect();
    if pattern.len() > MAX_FUZZY_QUOTE {
        return None;
    }
    let text: Vec<char> = article.slice(window.clone()).chars().collect();
    let budget = error_budget(pattern.len());
    let prefer_end = (near + pattern.len()).saturating_sub(window.start);
    let (end, errors) = myers::search(&pattern, &text, budget, prefer_end)?;
    // The start: search the reversed quote backwards from the end.
    let from = end.saturating_sub(pattern.len() + errors);
    let reversed_pattern: Vec<char> = pattern.iter().rev().copied().collect();
    let reversed_text: Vec<char> = text[from..end].iter().rev().copied().collect();
    let (back, _) = myers::search(&reversed_pattern, &reversed_text, errors, pattern.len())?;
    let range = window.start + end - back..window.start + end;
    score_match(article, anchor, range, errors, expected)
}

fn fuzzy_near(article: &Article, anchor: &Anchor, expected: usize) -> Option<Located> {
    let len = anchor.exact.chars().count();
    let start = expected.saturating_sub(NEAR_WINDOW);
    let end = (expected + len + NEAR_WINDOW).min(article.char_count());
    fuzzy_in_window(article, anchor, start..end, expected, expected)
}

/// Pieces of each quote that may still occur verbatim after an edit.
fn seeds_of(quote: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = quote.chars().collect();
    if chars.len() < 2 * SEED_CHARS {
        return Vec::new();
    }
    let last = chars.len() - SEED_CHARS;
    [0, last / 2, last]
        .into_iter()
        .map(|at| (at, chars[at..at + SEED_CHARS].iter().collect()))
        .collect()
}

/// Candidate starts far from the expected place, from verbatim pieces of each quote.
fn find_seeds(
    article: &Article,
    anchors: &[&Anchor],
    pending: &[(usize, usize)],
) -> std::collections::HashMap<usize, Vec<usize>> {
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for &(i, _) in pending {
        for (offset, seed) in seeds_of(&anchors[i].exact) {
            patterns.push(seed);
            owners.push((i, offset));
        }
    }
    let mut out: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    let Ok(automaton) = automaton(&patterns) else {
        return out;
    };
    for hit in automaton.find_overlapping_iter(article.text()) {
        let (owner, offset) = owners[hit.pattern().as_usize()];
        let list = out.entry(owner).or_default();
        if list.len() < 64 {
            list.push(article.char_of_byte(hit.start()).saturating_sub(offset));
        }
    }
    out
}

fn fuzzy_at_seeds(
    article: &Article,
    anchor: &Anchor,
    expected: usize,
    candidates: &[usize],
) -> Option<Located> {
    let len = anchor.exact.chars().count();
    let slack = error_budget(len) + 2;
    let mut starts = candidates.to_vec();
    starts.sort_unstable();
    starts.dedup_by(|a, b| a.abs_diff(*b) <= slack);
    starts
        .into_iter()
        .filter_map(|start| {
            let window =
                start.saturating_sub(slack)..(start + len + slack).min(article.char_count());
            fuzzy_in_window(article, anchor, window, start, expected)
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
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

    fn locate(article: &Article, anchor: &Anchor) -> Located {
        locate_all(article, &[anchor]).remove(0)
    }

    const TEXT: &str = "Meanwhile, Russian envoy Vladimir Medinsky called the talks “satisfactory,” \
                        though Ukraine strongly disagreed. Both countries agreed to release 1,000 prisoners.";

    #[test]
    fn unchanged_text_is_exact() {
        let anchor = anchor_in(TEXT, "satisfactory", 0);
        let found = locate(&Article::new("t", TEXT), &anchor);
        assert_eq!(found.state, AnchorState::Exact);
        assert_eq!(found.range, Some(anchor.range()));
    }

    #[test]
    fn inserted_text_moves_the_claim() {
        let anchor = anchor_in(TEXT, "satisfactory", 0);
        let edited = Article::new("t", &format!("A new first sentence. {TEXT}"));
        let found = locate(&edited, &anchor);
        assert_eq!(
            found.state,
            AnchorState::Moved {
                from: anchor.range()
            }
        );
        assert_eq!(
            edited.slice(found.range.unwrap_or_default()),
            "satisfactory"
        );
    }

    #[test]
    fn repeated_quotes_are_told_apart_by_context() {
        let text = "Ukraine said no to the plan. Later, Russia said no to the offer. Finally Ukraine said no again.";
        let second = anchor_in(text, "said no", 1);
        let edited_text = format!("Intro. {}", text.replace("Finally", "At last"));
        let edited = Article::new("t", &edited_text);
        let found = locate(&edited, &second).range.unwrap_or_default();
        let expected = edited_text.find("Russia said no").unwrap_or(0) + "Russia ".len();
        assert_eq!(found.start, edited.char_of_byte(expected));
    }

    #[test]
    fn a_typo_fix_is_a_fuzzy_match() {
        let text = "One of Russia’s key conditions was the withdrawl of Ukrainian troops from a large section.";
        let anchor = anchor_in(
            text,
            "key conditions was the withdrawl of Ukrainian troops",
            0,
        );
        let fixed = text.replace("withdrawl", "withdrawal");
        let edited = Article::new("t", &fixed);
        let found = locate(&edited, &anchor);
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        let range = found.range.unwrap_or_default();
        assert_eq!(
            edited.slice(range),
            "key conditions was the withdrawal of Ukrainian troops"
        );
        assert!(found.score > 0.9, "{}", found.score);
    }

    #[test]
    fn deleted_text_is_orphaned_not_misplaced() {
        let anchor = anchor_in(TEXT, "Both countries agreed to release 1,000 prisoners", 0);
        let edited = Article::new(
            "t",
            &TEXT.replace(" Both countries agreed to release 1,000 prisoners.", ""),
        );
        assert_eq!(locate(&edited, &anchor).state, AnchorState::Orphaned);
    }

    #[test]
    fn a_short_quote_without_its_context_is_orphaned() {
        let anchor = anchor_in(TEXT, "Ukraine", 0);
        // "Ukraine" still occurs, but in an unrelated sentence.
        let edited = Article::new(
            "t",
            "A different story entirely. Ukraine was not mentioned before.",
        );
        assert_eq!(locate(&edited, &anchor).state, AnchorState::Orphaned);
    }

    #[test]
    fn far_moves_are_found_through_seeds() {
        let quote = "the negotiations collapsed in less than two hours";
        let text = format!("Start. But {quote}. End.");
        let anchor = anchor_in(&text, quote, 0);
        let filler = "Unrelated reporting about other matters fills this page. ".repeat(200);
        let edited_text =
            format!("{filler}Start. But the negotiations collapsed in under two hours. End.");
        let edited = Article::new("t", &edited_text);
        let found = locate(&edited, &anchor);
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        assert_eq!(
            edited.slice(found.range.unwrap_or_default()),
            "the negotiations collapsed in under two hours"
        );
    }

    #[test]
    fn offsets_past_the_end_still_relocate() {
        let mut anchor = anchor_in(TEXT, "satisfactory", 0);
        anchor.start = 100_000;
        anchor.end = 100_012;
        let article = Article::new("t", TEXT);
        let found = locate(&article, &anchor);
        // Found by its quote and context; so far from the stored offset it asks first.
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        assert_eq!(
            article.slice(found.range.unwrap_or_default()),
            "satisfactory"
        );
    }

    #[test]
    fn hostile_offsets_and_huge_quotes_are_orphaned_without_overflow_or_hang() {
        let article = Article::new("t", TEXT);
        let moved = anchor_in(TEXT, "satisfactory", 0);
        let mut shifted = moved.clone();
        shifted.start = 3;
        shifted.end = 15;
        let absurd = Anchor {
            start: usize::MAX - 1,
            end: usize::MAX,
            exact: "nowhere to be found".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        let huge = Anchor {
            start: 0,
            end: 50_000,
            exact: "x".repeat(50_000),
            prefix: String::new(),
            suffix: String::new(),
        };
        let found = locate_all(&article, &[&shifted, &absurd, &huge]);
        assert!(matches!(found[0].state, AnchorState::Moved { .. }));
        assert_eq!(found[1].state, AnchorState::Orphaned);
        assert_eq!(found[2].state, AnchorState::Orphaned);
    }

    #[test]
    fn unicode_quotes_reanchor_by_chars() {
        let text = "Le président a dit « très satisfaisant ». 日本語のテキスト「満足」と述べた。 \
                    قال المبعوث إن المحادثات مرضية. e\u{301}te\u{301} passe\u{301}.";
        for quote in [
            "« très satisfaisant »",
            "「満足」",
            "المحادثات مرضية",
            "e\u{301}te\u{301}",
        ] {
            let anchor = anchor_in(text, quote, 0);
            let edited = Article::new("t", &format!("Préambule ajouté. {text}"));
            let found = locate(&edited, &anchor);
            assert!(
                matches!(found.state, AnchorState::Moved { .. }),
                "{quote}: {found:?}"
            );
            assert_eq!(edited.slice(found.range.unwrap_or_default()), quote);
        }
    }

    #[test]
    fn only_the_occurrences_nearest_the_expected_place_are_scored() {
        let all: Vec<usize> = (0..1000).map(|i| i * 10).collect();
        let near = nearest(&all, 5000);
        assert_eq!(near.len(), SCORED_OCCURRENCES);
        assert!(near.contains(&5000) && near[0] < 5000 && near[near.len() - 1] > 5000);
        assert_eq!(nearest(&all, 0)[0], 0);
        assert_eq!(nearest(&all, usize::MAX).last(), Some(&9990));
        assert_eq!(nearest(&all[..10], 50), &all[..10]);
    }
}

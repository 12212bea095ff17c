//! Finding claims' quotes again in an article that may have changed since the
//! claims were made, and saying honestly how sure we are.
//!
//! Order of work, for all claims of a file at once:
//! 1. the stored offsets still hold the quote: **exact**;
//! 2. the quote occurs elsewhere (one pass of `occurrences.rs` finds every
//!    quote's first occurrences): the occurrence whose surrounding text best
//!    matches the stored context wins, ties go to the one nearest the expected
//!    place: **moved**;
//! 3. approximate search (Myers' bit-parallel edit distance) near the expected
//!    place, then at places where pieces of the quote still occur: a match
//!    within the error budget, scored on quote, context and position, above
//!    [`MIN_FUZZY_SCORE`]: **fuzzy** (shown, but awaiting confirmation);
//! 4. otherwise **orphaned**: kept with its stored anchor, never dropped.
//!
//! A wrong place is worse than an orphan: quotes shorter than [`SHORT_QUOTE`]
//! chars are placed only when their context agrees, since a short quote alone
//! (a name, a number) occurs in many places.
//!
//! All of it draws on one work budget in proportion to the input (see
//! `work.rs`). A claim whose search the budget does not cover is orphaned and
//! counted in [`Placements::unsearched`]; a claim that is searched gets the
//! same answer as with no budget at all.

mod myers;
mod occurrences;
mod work;

use crate::model::{Anchor, AnchorState, Article, Claim};
use std::ops::Range;
use work::{Budget, CHAR, DISTANCE_CELL, MYERS_STEP, OFFSET_LOOKUP, OutOfWork};

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
/// Candidate places kept per claim from the pieces of its quote.
const SEED_CANDIDATES: usize = 64;
/// Exact occurrences scored per claim: the ones nearest the expected place.
/// Bounds the work for files full of claims on one common word.
const SCORED_OCCURRENCES: usize = 256;

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

/// Where every anchor of one file landed.
#[derive(Clone, Debug, PartialEq)]
pub struct Placements {
    /// One per anchor, in the order given.
    pub located: Vec<Located>,
    /// How many of the orphaned anchors were never searched for because the
    /// work allowed for this article and these quotes ran out. Only
    /// pathological files (periodic text, thousands of nested quotes) get here.
    pub unsearched: usize,
}

/// Allowed edits for a quote of `len` chars: about one in five.
fn error_budget(len: usize) -> usize {
    (len / 5).max(1)
}

/// Locates every anchor in `article`, within a work budget in proportion to
/// the article's and the quotes' length.
pub fn locate_all(article: &Article, anchors: &[&Anchor]) -> Placements {
    let lens: Vec<usize> = anchors.iter().map(|a| a.exact.chars().count()).collect();
    let input = lens
        .iter()
        .fold(article.char_count(), |a, &b| a.saturating_add(b));
    locate_within(article, anchors, &lens, Budget::for_input(input))
}

/// [`locate_all`] within `budget`; `lens` are the quotes' lengths in chars.
fn locate_within(
    article: &Article,
    anchors: &[&Anchor],
    lens: &[usize],
    mut budget: Budget,
) -> Placements {
    // `None` until the claim is searched; still `None` at the end: unsearched.
    let mut out: Vec<Option<Located>> = vec![None; anchors.len()];
    // Work in old-offset order, so each claim's expected place can follow the
    // shift of the claim placed before it.
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| anchors[i].start);

    // Claims whose stored offsets were checked and no longer hold.
    let mut pending = vec![false; anchors.len()];
    for &i in &order {
        let a = anchors[i];
        if a.exact.is_empty() {
            out[i] = Some(Located::orphan());
        } else if budget
            .take(a.exact.len() * CHAR + 2 * OFFSET_LOOKUP)
            .is_err()
        {
            break;
        } else if a.start < a.end && a.holds_in(article) {
            out[i] = Some(Located {
                state: AnchorState::Exact,
                range: Some(a.range()),
                score: 1.0,
            });
        } else {
            pending[i] = true;
        }
    }

    let mut quotes: Vec<&str> = (0..anchors.len())
        .filter(|&i| pending[i])
        .map(|i| anchors[i].exact.as_str())
        .collect();
    quotes.sort_unstable();
    quotes.dedup();
    let occurrences = occurrences::find_first(article, &quotes, MAX_OCCURRENCES, &mut budget);
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
        if !pending[i] {
            continue;
        }
        let Some(Some(all)) = quotes
            .binary_search(&a.exact.as_str())
            .ok()
            .map(|q| &occurrences[q])
        else {
            continue;
        };
        let expected = expected_start(a, shift);
        let Ok(best) = best_exact(
            article,
            a,
            lens[i],
            nearest(all, expected),
            expected,
            &mut budget,
        ) else {
            continue;
        };
        match best {
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
            Some((found, _)) => {
                match score_match(article, a, lens[i], found, 0, expected, &mut budget) {
                    Ok(Some(located)) => out[i] = Some(located),
                    Ok(None) => needs_fuzzy.push((i, expected)),
                    Err(OutOfWork) => {}
                }
            }
            None => needs_fuzzy.push((i, expected)),
        }
    }

    // Longer quotes are not searched approximately: they stay orphaned.
    needs_fuzzy.retain(|&(i, _)| {
        let fits = lens[i] <= MAX_FUZZY_QUOTE;
        if !fits {
            out[i] = Some(Located::orphan());
        }
        fits
    });
    let seeds = find_seeds(article, anchors, &needs_fuzzy, &mut budget);
    for ((i, expected), candidates) in needs_fuzzy.into_iter().zip(seeds) {
        let Some(candidates) = candidates else {
            continue;
        };
        let a = anchors[i];
        let located = fuzzy_near(article, a, expected, &mut budget).and_then(|near| match near {
            Some(found) => Ok(Some(found)),
            None => fuzzy_at_seeds(article, a, expected, &candidates, &mut budget),
        });
        if let Ok(found) = located {
            out[i] = Some(found.unwrap_or_else(Located::orphan));
        }
    }
    let unsearched = out.iter().filter(|l| l.is_none()).count();
    Placements {
        located: out
            .into_iter()
            .map(|l| l.unwrap_or_else(Located::orphan))
            .collect(),
        unsearched,
    }
}

/// Re-places claims in `article`: moved claims get fresh offsets and context;
/// fuzzy ones keep their stored anchor until the user confirms. Returns how
/// many claims were left orphaned unsearched ([`Placements::unsearched`]).
pub fn place_claims(article: &Article, claims: &mut [Claim]) -> usize {
    let anchors: Vec<&Anchor> = claims.iter().map(|c| &c.anchor).collect();
    let placements = locate_all(article, &anchors);
    for (claim, found) in claims.iter_mut().zip(placements.located) {
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
    placements.unsearched
}

fn expected_start(anchor: &Anchor, shift: isize) -> usize {
    let start = anchor.start.min(isize::MAX as usize) as isize;
    start.saturating_add(shift).max(0) as usize
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

/// The best exact occurrence among `starts` (sorted) and the context agreement
/// of its weaker side, or `None` when there is none, or the quote is short and
/// its context disagrees.
fn best_exact(
    article: &Article,
    anchor: &Anchor,
    len: usize,
    starts: &[usize],
    expected: usize,
    budget: &mut Budget,
) -> Result<Option<(Range<usize>, f32)>, OutOfWork> {
    // Context decides, but nearness to where the claim should be counts too:
    // an edit next to the claim spoils its context, while an untouched copy of
    // the passage elsewhere (duplicated text) keeps it.
    let rank =
        |context: f32, distance: usize| 0.6 * context + 0.4 / (1.0 + distance as f32 / 2000.0);
    let context = StoredContext::of(anchor);
    // Nearest first, so the scan can stop once no farther occurrence could
    // rank higher even with perfect context. The winner is the one a scan of
    // all of them would pick: highest rank, then lowest start.
    let (mut before, mut after) = starts.split_at(starts.partition_point(|&s| s < expected));
    let mut best: Option<(f32, (f32, f32), usize)> = None;
    loop {
        let start = match (before.last(), after.first()) {
            (Some(&b), Some(&a)) if expected - b <= a - expected => b,
            (Some(&b), None) => b,
            (_, Some(&a)) => a,
            (None, None) => break,
        };
        if before.last() == Some(&start) {
            before = &before[..before.len() - 1];
        } else {
            after = &after[1..];
        }
        let distance = start.abs_diff(expected);
        if best
            .as_ref()
            .is_some_and(|(b, _, _)| rank(1.0, distance) < *b)
        {
            break;
        }
        let (agreement, compared) = context.agreement(article, &(start..start + len));
        // Charged once done: a comparison is short and stops at the first
        // difference, which a charge for the whole context would not see.
        budget.take(compared * CHAR + 2 * OFFSET_LOOKUP)?;
        let score = rank(agreement.0, distance);
        if best
            .as_ref()
            .is_none_or(|&(b, _, s)| score > b || (score == b && start < s))
        {
            best = Some((score, agreement, start));
        }
    }
    let Some((_, (both, weaker), start)) = best else {
        return Ok(None);
    };
    Ok((len >= SHORT_QUOTE || both >= SHORT_QUOTE_CONTEXT).then_some((start..start + len, weaker)))
}

/// A claim's stored context with its lengths in chars.
struct StoredContext<'a> {
    anchor: &'a Anchor,
    prefix_len: usize,
    suffix_len: usize,
}

impl<'a> StoredContext<'a> {
    fn of(anchor: &'a Anchor) -> Self {
        Self {
            anchor,
            prefix_len: anchor.prefix.chars().count(),
            suffix_len: anchor.suffix.chars().count(),
        }
    }

    /// How much of the stored context matches char for char around `range`:
    /// (share of both sides together, share on the weaker side), each in 0..=1,
    /// and how many chars were compared. A side with no stored context (the
    /// article's start or end) agrees fully.
    fn agreement(&self, article: &Article, range: &Range<usize>) -> ((f32, f32), usize) {
        let (prefix_len, suffix_len) = (self.prefix_len, self.suffix_len);
        let prefix = self
            .anchor
            .prefix
            .chars()
            .rev()
            .zip(article.chars_before(range.start))
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = self
            .anchor
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
        let weaker = share(prefix, prefix_len).min(share(suffix, suffix_len));
        ((both, weaker), prefix + suffix + 2)
    }
}

/// Context similarity (0..=1) by edit distance, for approximate matches.
fn fuzzy_context_similarity(
    article: &Article,
    anchor: &Anchor,
    range: &Range<usize>,
    budget: &mut Budget,
) -> Result<f32, OutOfWork> {
    let prefix: Vec<char> = anchor.prefix.chars().collect();
    let suffix: Vec<char> = anchor.suffix.chars().collect();
    if prefix.is_empty() && suffix.is_empty() {
        return Ok(0.5);
    }
    let table = prefix.len() * prefix.len() + suffix.len() * suffix.len();
    budget.take(table * DISTANCE_CELL + 2 * OFFSET_LOOKUP)?;
    let mut before: Vec<char> = article
        .chars_before(range.start)
        .take(prefix.len())
        .collect();
    before.reverse();
    let after: Vec<char> = article.chars_from(range.end).take(suffix.len()).collect();
    let errors = myers::distance(&prefix, &before) + myers::distance(&suffix, &after);
    Ok(1.0 - errors as f32 / (prefix.len() + suffix.len()) as f32)
}

/// Scores an approximate match; `None` when it falls short of the rules.
fn score_match(
    article: &Article,
    anchor: &Anchor,
    len: usize,
    range: Range<usize>,
    errors: usize,
    expected: usize,
    budget: &mut Budget,
) -> Result<Option<Located>, OutOfWork> {
    let quote = 1.0 - errors as f32 / len.max(1) as f32;
    let context = fuzzy_context_similarity(article, anchor, &range, budget)?;
    let nearness = 1.0 / (1.0 + range.start.abs_diff(expected) as f32 / 5000.0);
    let score = 0.6 * quote + 0.3 * context + 0.1 * nearness;
    let short_ok = len >= SHORT_QUOTE || context >= SHORT_QUOTE_CONTEXT;
    Ok((score >= MIN_FUZZY_SCORE && short_ok).then(|| Located {
        state: AnchorState::Fuzzy {
            at: range.clone(),
            score,
        },
        range: Some(range),
        score,
    }))
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
    budget: &mut Budget,
) -> Result<Option<Located>, OutOfWork> {
    let pattern: Vec<char> = anchor.exact.chars().collect();
    if pattern.len() > MAX_FUZZY_QUOTE {
        return Ok(None);
    }
    // Both searches, forwards over the window and backwards over the match.
    let steps = (window.len() + 2 * pattern.len()).saturating_mul(pattern.len().div_ceil(64));
    budget.take(steps.saturating_mul(MYERS_STEP) + window.len() * CHAR + 2 * OFFSET_LOOKUP)?;
    let text: Vec<char> = article.slice(window.clone()).chars().collect();
    let errors_allowed = error_budget(pattern.len());
    let prefer_end = (near + pattern.len()).saturating_sub(window.start);
    let Some((end, errors)) = myers::search(&pattern, &text, errors_allowed, prefer_end) else {
        return Ok(None);
    };
    // The start: search the reversed quote backwards from the end.
    let from = end.saturating_sub(pattern.len() + errors);
    let reversed_pattern: Vec<char> = pattern.iter().rev().copied().collect();
    let reversed_text: Vec<char> = text[from..end].iter().rev().copied().collect();
    let Some((back, _)) = myers::search(&reversed_pattern, &reversed_text, errors, pattern.len())
    else {
        return Ok(None);
    };
    let range = window.start + end - back..window.start + end;
    score_match(
        article,
        anchor,
        pattern.len(),
        range,
        errors,
        expected,
        budget,
    )
}

fn fuzzy_near(
    article: &Article,
    anchor: &Anchor,
    expected: usize,
    budget: &mut Budget,
) -> Result<Option<Located>, OutOfWork> {
    let len = anchor.exact.chars().count();
    let start = expected.saturating_sub(NEAR_WINDOW);
    let end = (expected + len + NEAR_WINDOW).min(article.char_count());
    fuzzy_in_window(article, anchor, start..end, expected, expected, budget)
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

/// Candidate starts far from the expected place, from verbatim pieces of each
/// pending claim's quote: the first [`SEED_CANDIDATES`] in text order, or
/// `None` for a claim whose pieces the budget did not cover.
fn find_seeds(
    article: &Article,
    anchors: &[&Anchor],
    pending: &[(usize, usize)],
    budget: &mut Budget,
) -> Vec<Option<Vec<usize>>> {
    let claim_seeds: Vec<Vec<(usize, String)>> = pending
        .iter()
        .map(|&(i, _)| seeds_of(&anchors[i].exact))
        .collect();
    // Periodic text makes many claims share their pieces: search each once.
    let mut patterns: Vec<&str> = claim_seeds
        .iter()
        .flatten()
        .map(|(_, s)| s.as_str())
        .collect();
    patterns.sort_unstable();
    patterns.dedup();
    let found = occurrences::find_first(article, &patterns, SEED_CANDIDATES, budget);
    claim_seeds
        .iter()
        .map(|seeds| {
            let mut hits = Vec::new();
            for (k, (offset, seed)) in seeds.iter().enumerate() {
                let at = patterns.binary_search(&seed.as_str()).ok()?;
                let starts = found[at].as_ref()?;
                hits.extend(starts.iter().map(|&s| (s, k, s.saturating_sub(*offset))));
            }
            // In the order the pieces occur in the text, as one search over
            // all of them would find them.
            hits.sort_unstable();
            Some(
                hits.into_iter()
                    .take(SEED_CANDIDATES)
                    .map(|(_, _, candidate)| candidate)
                    .collect(),
            )
        })
        .collect()
}

fn fuzzy_at_seeds(
    article: &Article,
    anchor: &Anchor,
    expected: usize,
    candidates: &[usize],
    budget: &mut Budget,
) -> Result<Option<Located>, OutOfWork> {
    let len = anchor.exact.chars().count();
    let slack = error_budget(len) + 2;
    let mut starts = candidates.to_vec();
    starts.sort_unstable();
    starts.dedup_by(|a, b| a.abs_diff(*b) <= slack);
    let mut best: Option<Located> = None;
    for start in starts {
        let window = start.saturating_sub(slack)..(start + len + slack).min(article.char_count());
        let Some(found) = fuzzy_in_window(article, anchor, window, start, expected, budget)? else {
            continue;
        };
        // Among equal scores the last wins.
        if best
            .as_ref()
            .is_none_or(|b| found.score.total_cmp(&b.score).is_ge())
        {
            best = Some(found);
        }
    }
    Ok(best)
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
        locate_all(article, &[anchor]).located.remove(0)
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
        let found = locate_all(&article, &[&shifted, &absurd, &huge]).located;
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

    /// Every char offset where `quote` starts in `text`, overlapping ones included.
    fn starts_of(article: &Article, quote: &str) -> Vec<usize> {
        let text = article.text();
        (0..text.len())
            .filter(|&b| text.is_char_boundary(b) && text[b..].starts_with(quote))
            .map(|b| article.char_of_byte(b))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_nearest_first_scan_picks_what_scoring_every_occurrence_would(
            text in "[ab ]{1,300}",
            quote in "[ab]{1,4}",
            prefix in "[ab ]{0,6}",
            suffix in "[ab ]{0,6}",
            // Far from every occurrence, distances round alike in f32 and
            // scores tie: the lowest start must still win.
            expected in proptest::prop_oneof![0usize..320, 1_000_000_000usize..1_000_000_300],
        ) {
            let article = Article::new("t", &text);
            let anchor = Anchor { start: 0, end: 0, exact: quote.clone(), prefix, suffix };
            let len = quote.chars().count();
            let starts = starts_of(&article, &quote);
            // Score them all, the first of the best winning.
            let context = StoredContext::of(&anchor);
            let rank = |c: f32, d: usize| 0.6 * c + 0.4 / (1.0 + d as f32 / 2000.0);
            let mut all: Option<(f32, (f32, f32), usize)> = None;
            for &start in &starts {
                let (agreement, _) = context.agreement(&article, &(start..start + len));
                let score = rank(agreement.0, start.abs_diff(expected));
                if all.as_ref().is_none_or(|(b, _, _)| score > *b) {
                    all = Some((score, agreement, start));
                }
            }
            let want = all.and_then(|(_, (both, weaker), start)| {
                (len >= SHORT_QUOTE || both >= SHORT_QUOTE_CONTEXT)
                    .then_some((start..start + len, weaker))
            });
            let mut budget = Budget::units(u64::MAX);
            let got = best_exact(&article, &anchor, len, &starts, expected, &mut budget);
            proptest::prop_assert_eq!(got.ok(), Some(want));
        }
    }

    #[test]
    fn seeds_are_the_first_pieces_of_each_quote_in_text_order() {
        let periodic = "ab".repeat(500);
        let prose = format!(
            "{} {TEXT} {TEXT}",
            "Unrelated reporting fills the page. ".repeat(20)
        );
        for text in [periodic.as_str(), prose.as_str()] {
            let article = Article::new("t", text);
            let quotes = [
                "abababababababababababab",
                "bababababababababababababababa",
                "ababababcababababababab",
                "Russian envoy Vladimir Medinsky called the talks",
                "Unrelated reporting fills the page. Unrelated",
                "too short",
            ];
            let anchors: Vec<Anchor> = quotes
                .iter()
                .map(|q| Anchor {
                    start: 0,
                    end: 0,
                    exact: (*q).into(),
                    prefix: String::new(),
                    suffix: String::new(),
                })
                .collect();
            let refs: Vec<&Anchor> = anchors.iter().collect();
            let pending: Vec<(usize, usize)> = (0..anchors.len()).map(|i| (i, 0)).collect();
            let found = find_seeds(&article, &refs, &pending, &mut Budget::units(u64::MAX));
            for (quote, found) in quotes.iter().zip(found) {
                let mut want: Vec<(usize, usize, usize)> = seeds_of(quote)
                    .iter()
                    .enumerate()
                    .flat_map(|(k, (offset, seed))| {
                        starts_of(&article, seed)
                            .into_iter()
                            .map(move |s| (s, k, s.saturating_sub(*offset)))
                    })
                    .collect();
                want.sort_unstable();
                let want: Vec<usize> = want.iter().take(SEED_CANDIDATES).map(|w| w.2).collect();
                assert_eq!(found, Some(want), "{quote}");
            }
        }
    }

    /// Claims of every kind: exact, moved, fuzzy (near and far), orphaned.
    fn mixed_claims() -> (Article, Vec<Anchor>) {
        let filler = "Unrelated reporting about other matters fills this page. ".repeat(40);
        let original = format!(
            "{TEXT} {filler}Start. But the negotiations collapsed in less than two hours. End."
        );
        let anchors = [
            "satisfactory",
            "Ukraine strongly disagreed",
            "Both countries agreed to release 1,000 prisoners",
            "the negotiations collapsed in less than two hours",
            "other matters",
            "Medinsky",
        ]
        .iter()
        .map(|q| anchor_in(&original, q, 0))
        .collect();
        let edited = format!(
            "A new first paragraph.\n\n{}",
            original
                .replace("strongly disagreed", "strongly disgareed")
                .replace("less than", "under")
                .replace(" Both countries agreed to release 1,000 prisoners.", "")
        );
        (Article::new("t", &edited), anchors)
    }

    #[test]
    fn a_claim_is_searched_to_the_end_or_left_unsearched() {
        let (article, anchors) = mixed_claims();
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let lens: Vec<usize> = anchors.iter().map(|a| a.exact.chars().count()).collect();
        let unbounded = locate_within(&article, &refs, &lens, Budget::units(u64::MAX));
        assert_eq!(unbounded.unsearched, 0);
        let placed = unbounded
            .located
            .iter()
            .filter(|l| l.range.is_some())
            .count();
        assert!(placed >= 4, "{unbounded:?}");
        let mut last_unsearched = 0;
        let mut units = u64::MAX;
        while units > 0 {
            let bounded = locate_within(&article, &refs, &lens, Budget::units(units));
            let mut lost = 0;
            for (got, want) in bounded.located.iter().zip(&unbounded.located) {
                if got != want {
                    assert_eq!(got, &Located::orphan(), "{units} units");
                    lost += 1;
                }
            }
            assert!(lost <= bounded.unsearched, "{units} units: {bounded:?}");
            assert!(
                bounded.unsearched >= last_unsearched,
                "less work, fewer searched"
            );
            last_unsearched = bounded.unsearched;
            units /= 3;
        }
        assert_eq!(last_unsearched, anchors.len(), "no work, nothing searched");
    }
}

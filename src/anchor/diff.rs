//! Placing claims through a diff of the article's old and new text, when the
//! old text (the one the claims were made on) is known: no guessing for the
//! claims an edit did not touch.
//!
//! The diff (`imara-diff`'s Myers) is by words, and each changed stretch
//! again by chars: a diff by chars alone matches up letters of unrelated
//! words and so reports untouched claims as edited. A claim whose chars lie
//! outside every changed stretch lands at its mapped range with certainty:
//! **exact** when its offsets did not change, **moved** otherwise. A claim an
//! edit touched lightly (no more changed chars than the fuzzy search's error
//! budget) is **fuzzy** at the mapped range and reported with its quote's old
//! and new text ([`QuoteChange`]). A claim whose quote is mostly gone from
//! where it was (deleted, or moved with its paragraph), or whose stored quote
//! the old text does not hold, is searched for by quote and context
//! ([`super::locate_all`]), the only fallback.

use super::{Located, Placements, apply_placements, error_budget, locate_all};
use crate::model::{Anchor, AnchorState, Article, Claim};
use imara_diff::{Algorithm, Diff, InternedInput, TokenSource};
use std::ops::Range;

/// How an edit changed a claim's quote.
#[derive(Clone, Debug, PartialEq)]
pub struct QuoteChange {
    /// The quote in the old text (the stored one).
    pub old: String,
    /// The text at the claim's mapped range in the new text.
    pub new: String,
}

/// Where claims landed through a diff, and how their quotes changed.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffPlacements {
    pub placements: Placements,
    /// One per anchor: the change, for claims the diff placed with an edited quote.
    pub changes: Vec<Option<QuoteChange>>,
}

/// Tokens of a diff: borrowed slices (words, or chars).
#[derive(Clone, Copy)]
struct Tokens<'a, T>(&'a [T]);

impl<'a, T: Copy + Eq + std::hash::Hash> TokenSource for Tokens<'a, T> {
    type Token = T;
    type Tokenizer = std::iter::Copied<std::slice::Iter<'a, T>>;

    fn tokenize(&self) -> Self::Tokenizer {
        self.0.iter().copied()
    }

    fn estimate_tokens(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }
}

/// A text's words (runs of alphanumerics) and other chars, one token each,
/// and where each token starts (plus the end), in chars.
fn words(chars: &[char]) -> (Vec<&[char]>, Vec<usize>) {
    let mut tokens = Vec::new();
    let mut starts = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let len = if chars[at].is_alphanumeric() {
            chars[at..].iter().take_while(|c| c.is_alphanumeric()).count()
        } else {
            1
        };
        tokens.push(&chars[at..at + len]);
        starts.push(at);
        at += len;
    }
    starts.push(chars.len());
    (tokens, starts)
}

/// The changed stretches between two token lists (Myers), as index ranges.
fn hunks<T: Copy + Eq + std::hash::Hash>(
    before: &[T],
    after: &[T],
) -> Vec<(Range<usize>, Range<usize>)> {
    let input = InternedInput::new(Tokens(before), Tokens(after));
    let mut diff = Diff::compute(Algorithm::Myers, &input);
    diff.postprocess_no_heuristic(&input);
    let to = |r: Range<u32>| r.start as usize..r.end as usize;
    diff.hunks().map(|h| (to(h.before), to(h.after))).collect()
}

/// The changed stretches between two texts, in char offsets, in order.
struct Hunks(Vec<(Range<usize>, Range<usize>)>);

impl Hunks {
    /// A diff by words, each changed stretch then diffed by chars, so that
    /// letters of unrelated words are never matched up. `None` when a text
    /// is too long for the diff's 32-bit token counts.
    fn between(old: &Article, new: &Article) -> Option<Self> {
        let limit = u32::MAX as usize / 2;
        if old.char_count() > limit || new.char_count() > limit {
            return None;
        }
        let before: Vec<char> = old.text().chars().collect();
        let after: Vec<char> = new.text().chars().collect();
        let (old_words, old_starts) = words(&before);
        let (new_words, new_starts) = words(&after);
        let mut out = Vec::new();
        for (b, a) in hunks(&old_words, &new_words) {
            let b = old_starts[b.start]..old_starts[b.end];
            let a = new_starts[a.start]..new_starts[a.end];
            if b.is_empty() || a.is_empty() {
                out.push((b, a));
                continue;
            }
            out.extend(
                hunks(&before[b.clone()], &after[a.clone()])
                    .into_iter()
                    .map(|(x, y)| (b.start + x.start..b.start + x.end, a.start + y.start..a.start + y.end)),
            );
        }
        Some(Self(out))
    }

    /// The new offset of old offset `at`, which no hunk holds strictly inside;
    /// text inserted exactly there goes before it when `is_start`.
    fn map(&self, at: usize, is_start: bool) -> usize {
        let before = self.0.partition_point(|(b, _)| {
            b.end < at || (b.end == at && (is_start || !b.is_empty()))
        });
        match before.checked_sub(1).map(|k| &self.0[k]) {
            Some((b, a)) => at - b.end + a.end,
            None => at,
        }
    }

    /// Where a claim on `range` of the old text lands: its new range and how
    /// many of its chars the hunks deleted and inserted (none: untouched).
    fn place(&self, range: &Range<usize>) -> (Range<usize>, usize, usize) {
        let first = self.0.partition_point(|(b, _)| b.end < range.start);
        let mut start = self.map(range.start, true);
        let mut end = None;
        let (mut deleted, mut inserted) = (0, 0);
        for (b, a) in &self.0[first..] {
            if b.start >= range.end {
                break;
            }
            // Deletes overlapping the claim, or inserts strictly inside it.
            let overlaps = b.end > range.start || (b.is_empty() && b.start > range.start);
            if !overlaps {
                continue;
            }
            deleted += b.end.min(range.end) - b.start.max(range.start);
            inserted += a.len();
            if b.start < range.start {
                start = a.start;
            }
            if b.end > range.end {
                end = Some(a.end);
            }
        }
        let end = end.unwrap_or_else(|| self.map(range.end, false));
        (start..end.max(start), deleted, inserted)
    }
}

/// Places every anchor in `new` through a diff from `old`, the text the
/// anchors were made on (see the module doc). Falls back to
/// [`locate_all`] for every anchor when a text is too long to diff.
pub fn place_through_diff(old: &Article, new: &Article, anchors: &[&Anchor]) -> DiffPlacements {
    let mut changes = vec![None; anchors.len()];
    let Some(hunks) = Hunks::between(old, new) else {
        return DiffPlacements {
            placements: locate_all(new, anchors),
            changes,
        };
    };
    let mut located: Vec<Option<Located>> = vec![None; anchors.len()];
    for (i, a) in anchors.iter().enumerate() {
        let len = a.end.saturating_sub(a.start);
        if len == 0 || !a.holds_in(old) {
            continue;
        }
        let (range, deleted, inserted) = hunks.place(&a.range());
        if deleted + inserted == 0 {
            let state = if range == a.range() {
                AnchorState::Exact
            } else {
                AnchorState::Moved { from: a.range() }
            };
            located[i] = Some(Located {
                state,
                range: Some(range),
                score: 1.0,
            });
        } else if deleted.max(inserted) <= error_budget(len) && !range.is_empty() {
            let score = 1.0 - (deleted.max(inserted) as f32 / len as f32).min(1.0);
            changes[i] = Some(QuoteChange {
                old: a.exact.clone(),
                new: new.slice(range.clone()).to_owned(),
            });
            located[i] = Some(Located {
                state: AnchorState::Fuzzy {
                    at: range.clone(),
                    score,
                },
                range: Some(range),
                score,
            });
        }
    }
    let rest: Vec<usize> = (0..anchors.len())
        .filter(|&i| located[i].is_none())
        .collect();
    let searched = locate_all(new, &rest.iter().map(|&i| anchors[i]).collect::<Vec<_>>());
    for (&i, found) in rest.iter().zip(searched.located) {
        located[i] = Some(found);
    }
    DiffPlacements {
        placements: Placements {
            located: located
                .into_iter()
                .map(|l| l.unwrap_or_else(Located::orphan))
                .collect(),
            unsearched: searched.unsearched,
        },
        changes,
    }
}

/// [`place_through_diff`] for a file's claims, like [`super::place_claims`]:
/// moved claims get fresh offsets and context, changed ones stay fuzzy until
/// the user confirms. Returns each claim's quote change and how many claims
/// were left orphaned unsearched.
pub fn place_claims_through_diff(
    old: &Article,
    new: &Article,
    claims: &mut [Claim],
) -> (Vec<Option<QuoteChange>>, usize) {
    let anchors: Vec<&Anchor> = claims.iter().map(|c| &c.anchor).collect();
    let placed = place_through_diff(old, new, &anchors);
    let unsearched = placed.placements.unsearched;
    apply_placements(new, claims, placed.placements.located);
    (placed.changes, unsearched)
}

//! Placing claims through a diff of the article's old and new text, when the
//! old text (the one the claims were made on) is known: no guessing for the
//! claims an edit did not touch.
//!
//! The diff (`imara-diff`'s Myers) is by words, and each short changed
//! stretch (a typo, a changed word) again by chars: a diff by chars matches
//! up letters of unrelated words and so reports untouched claims as edited. A claim whose chars lie
//! outside every changed stretch lands at its mapped range with certainty:
//! **exact** when its offsets did not change, **moved** otherwise. A claim an
//! edit touched lightly (no more changed chars than the fuzzy search's error
//! budget) is **fuzzy** at the mapped range and reported with its quote's old
//! and new text ([`QuoteChange`]). A claim deleted where it was whose quote
//! (or quote and context), found once in the old text, is inserted again,
//! once, elsewhere (a moved paragraph) is **moved** there. Any other claim (its quote mostly gone
//! from where it was, or a stored quote the old text does not hold) is
//! searched for by quote and context ([`super::locate_all`]), the only
//! fallback.

use super::work::Budget;
use super::{
    Located, MIN_FUZZY_SCORE, Placements, apply_placements, error_budget, locate_all, occurrences,
};
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
            chars[at..]
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .count()
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

/// The changed stretches between two token lists, as index ranges.
fn hunks<T: Copy + Eq + std::hash::Hash>(
    algorithm: Algorithm,
    before: &[T],
    after: &[T],
) -> Vec<(Range<usize>, Range<usize>)> {
    let input = InternedInput::new(Tokens(before), Tokens(after));
    let mut diff = Diff::compute(algorithm, &input);
    diff.postprocess_no_heuristic(&input);
    let to = |r: Range<u32>| r.start as usize..r.end as usize;
    diff.hunks().map(|h| (to(h.before), to(h.after))).collect()
}

/// The changed stretches between two texts, in char offsets, in order.
struct Hunks(Vec<(Range<usize>, Range<usize>)>);

impl Hunks {
    /// A diff by words, each short changed stretch then diffed by chars, so
    /// that letters of unrelated words are never matched up. `None` when a text
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
        for (b, a) in hunks(Algorithm::Histogram, &old_words, &new_words) {
            let b = old_starts[b.start]..old_starts[b.end];
            let a = new_starts[a.start]..new_starts[a.end];
            // Only a stretch small enough to be a typo is diffed by chars.
            if b.len().max(a.len()) > TYPO_STRETCH || b.is_empty() || a.is_empty() {
                out.push((b, a));
                continue;
            }
            out.extend(
                hunks(Algorithm::Myers, &before[b.clone()], &after[a.clone()])
                    .into_iter()
                    .map(|(x, y)| {
                        (
                            b.start + x.start..b.start + x.end,
                            a.start + y.start..a.start + y.end,
                        )
                    }),
            );
        }
        Some(Self(out))
    }

    /// The new offset of old offset `at`, which no hunk holds strictly inside;
    /// text inserted exactly there goes before it when `is_start`.
    fn map(&self, at: usize, is_start: bool) -> usize {
        let before = self
            .0
            .partition_point(|(b, _)| b.end < at || (b.end == at && (is_start || !b.is_empty())));
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

    /// The inserted stretches, joined across the odd word the diff kept in
    /// the middle of a moved paragraph.
    fn inserted(&self) -> Vec<Range<usize>> {
        let mut inserted: Vec<Range<usize>> = Vec::new();
        for (_, a) in self.0.iter().filter(|(_, a)| !a.is_empty()) {
            match inserted.last_mut() {
                Some(last) if a.start <= last.end + NEIGHBOURS => last.end = a.end,
                _ => inserted.push(a.clone()),
            }
        }
        inserted
    }
}

/// The passages a claim on `range` of `old` is looked for by among the
/// inserted text: its quote (when long enough to tell), or its quote with
/// the text on both sides or on one (a moved paragraph keeps the claim's
/// context on the side within it).
fn passages(old: &Article, range: &Range<usize>) -> Vec<Range<usize>> {
    let before = range.start.saturating_sub(MOVED_CONTEXT);
    let after = (range.end + MOVED_CONTEXT).min(old.char_count());
    [
        range.clone(),
        before..after,
        before..range.end,
        range.start..after,
    ]
    .into_iter()
    .filter(|r| r.len() >= MOVED_PASSAGE)
    .collect()
}

/// Where a claim the diff deleted was put in again (a moved paragraph): one
/// of its [`passages`] that occurred once in the old text (`once_in_old`,
/// sorted), found once in the `inserted` stretches of the new.
fn moved(
    old: &Article,
    new: &Article,
    inserted: &[Range<usize>],
    once_in_old: &[&str],
    range: &Range<usize>,
) -> Option<Range<usize>> {
    passages(old, range).into_iter().find_map(|passage| {
        let text = old.slice(passage.clone());
        once_in_old.binary_search(&text).ok()?;
        let mut found = inserted.iter().flat_map(|stretch| {
            let base = new.byte_of_char(stretch.start);
            new.slice(stretch.clone())
                .match_indices(text)
                .map(move |(byte, _)| new.char_of_byte(base + byte))
        });
        let start = found.next()? + (range.start - passage.start);
        found.next().is_none().then_some(start..start + range.len())
    })
}

/// Chars of old text on each side of a claim looked for with it among the
/// inserted text, and the least that makes a passage worth looking for.
const MOVED_CONTEXT: usize = 16;
const MOVED_PASSAGE: usize = 12;
/// Changed stretches up to this many chars (on the longer side) are diffed
/// again by chars: a typo or a changed word, not a replaced passage.
const TYPO_STRETCH: usize = 40;
/// Chars next to an untouched claim that must be untouched too on one side.
const NEIGHBOURS: usize = 4;

/// Where `quote` starts in `window` of `article`, when it occurs there
/// exactly once.
fn intact_near(article: &Article, quote: &str, window: Range<usize>) -> Option<usize> {
    let text = article.slice(window.clone());
    let mut found = text.match_indices(quote).map(|(byte, _)| byte);
    let byte = found.next()?;
    found
        .next()
        .is_none()
        .then(|| article.char_of_byte(article.byte_of_char(window.start) + byte))
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
    // Claims mostly deleted where they were: moved, perhaps.
    let mut deleted_here = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        let len = a.end.saturating_sub(a.start);
        if len == 0 || !a.holds_in(old) {
            continue;
        }
        let (mut range, deleted, inserted) = hunks.place(&a.range());
        // An edit next to the claim that the diff could put inside it or
        // beside it (a doubled letter at its edge, a moved paragraph opening
        // with the same word as its new neighbour) leaves the quote whole,
        // found once near the mapped place.
        let slack = deleted + inserted;
        // A short word the diff kept while the text on both sides of it went
        // (a moved paragraph's "I" matched up with another "I") is no proof.
        let kept = |r: Range<usize>| {
            let (_, deleted, inserted) = hunks.place(&r);
            deleted + inserted == 0
        };
        let with_neighbours = len >= MOVED_PASSAGE
            || kept(a.start.saturating_sub(NEIGHBOURS)..a.end)
            || kept(a.start..(a.end + NEIGHBOURS).min(old.char_count()));
        let untouched = slack == 0 && with_neighbours
            || slack > 0
                && deleted < len
                && intact_near(
                    new,
                    &a.exact,
                    range.start.saturating_sub(slack)..range.end + slack,
                )
                .map(|start| range = start..start + len)
                .is_some();
        if untouched {
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
        } else if slack == 0 {
            // Kept alone: left to the search.
        } else if deleted * 2 >= len {
            deleted_here.push(i);
        } else if let Some(score) = (deleted.max(inserted) <= error_budget(len)
            && !range.is_empty())
        .then(|| 1.0 - (deleted.max(inserted) as f32 / len as f32).min(1.0))
        .filter(|&score| score >= MIN_FUZZY_SCORE)
        {
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
    // Passages that occurred once in the old text, found in one pass: a
    // passage the old text repeats could have moved from anywhere.
    let mut texts: Vec<&str> = deleted_here
        .iter()
        .flat_map(|&i| passages(old, &anchors[i].range()))
        .map(|r| old.slice(r))
        .collect();
    texts.sort_unstable();
    texts.dedup();
    let input = texts
        .iter()
        .fold(old.char_count(), |n, t| n.saturating_add(t.len()));
    let counts = occurrences::find_first(old, &texts, 2, &mut Budget::for_input(input));
    let once_in_old: Vec<&str> = texts
        .iter()
        .zip(counts)
        .filter_map(|(t, found)| (found?.len() == 1).then_some(*t))
        .collect();
    let inserted = hunks.inserted();
    for &i in &deleted_here {
        let a = anchors[i];
        if let Some(range) = moved(old, new, &inserted, &once_in_old, &a.range()) {
            located[i] = Some(Located {
                state: AnchorState::Moved { from: a.range() },
                range: Some(range),
                score: 1.0,
            });
        }
    }
    let rest: Vec<usize> = (0..anchors.len())
        .filter(|&i| located[i].is_none())
        .collect();
    let searched = locate_all(new, &rest.iter().map(|&i| anchors[i]).collect::<Vec<_>>());
    for (&i, found) in rest.iter().zip(searched.located) {
        // The diff shows this claim's text deleted: a copy found elsewhere
        // as it was stands (a passage the old text repeated), but a look-alike
        // is another passage, not the claim rewritten.
        // (`deleted_here` is in claim order.)
        let deleted = deleted_here.binary_search(&i).is_ok();
        located[i] = Some(
            if deleted && matches!(found.state, AnchorState::Fuzzy { .. }) {
                Located::orphan()
            } else {
                found
            },
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationSet, EditContext};

    const OLD: &str = "The envoy called the talks satisfactory. Ukraine strongly disagreed with him.\n\n\
                       Both countries agreed to release prisoners.\n\n\
                       Markets rose on the news of the exchange.";

    fn claim_on(article: &Article, quote: &str) -> Anchor {
        let byte = article
            .text()
            .find(quote)
            .unwrap_or_else(|| panic!("{quote}"));
        let start = article.char_of_byte(byte);
        Anchor::capture(article, start..start + quote.chars().count())
    }

    #[test]
    fn a_deleted_claim_is_orphaned_though_a_look_alike_stands_elsewhere() {
        let kept = "Markets rose on the news of the exchange, traders said on Monday.\n\n";
        let ours = "The envoy called the second round of talks satisfactory and fruitful.\n\n";
        let twin = "The envoy called the second round of talks satisfactory and useful.\n\n";
        let old = Article::new("t", &format!("{kept}{ours}{kept}{twin}{kept}"));
        let new = Article::new("t", &format!("{kept}{kept}{twin}{kept}"));
        let anchor = claim_on(
            &old,
            "The envoy called the second round of talks satisfactory and fruitful.",
        );
        let searched = crate::anchor::locate_all(&new, &[&anchor]);
        assert!(
            matches!(searched.located[0].state, AnchorState::Fuzzy { .. }),
            "the trap is set: {:?}",
            searched.located[0]
        );
        let placed = place_through_diff(&old, &new, &[&anchor]);
        assert_eq!(placed.placements.located[0].state, AnchorState::Orphaned);
    }

    #[test]
    fn untouched_claims_land_edited_ones_report_their_change_deleted_ones_go() {
        let old = Article::new("t", OLD);
        let quotes = [
            "called the talks satisfactory",
            "Ukraine strongly disagreed",
            "Both countries agreed to release prisoners",
            "Markets rose",
        ];
        let anchors: Vec<Anchor> = quotes.iter().map(|q| claim_on(&old, q)).collect();
        let edited = format!(
            "Update: corrected.\n\n{}",
            OLD.replace("strongly disagreed", "strongly disgareed")
                .replace("Both countries agreed to release prisoners.\n\n", "")
        );
        let new = Article::new("t", &edited);
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let placed = place_through_diff(&old, &new, &refs);
        let found = &placed.placements.located;
        let shift = "Update: corrected.\n\n".len();
        assert_eq!(
            found[0].state,
            AnchorState::Moved {
                from: anchors[0].range()
            }
        );
        assert_eq!(
            found[0].range,
            Some(anchors[0].start + shift..anchors[0].end + shift)
        );
        assert!(
            matches!(found[1].state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        assert_eq!(
            placed.changes[1],
            Some(QuoteChange {
                old: "Ukraine strongly disagreed".into(),
                new: "Ukraine strongly disgareed".into(),
            })
        );
        assert_eq!(found[2].state, AnchorState::Orphaned);
        assert!(matches!(found[3].state, AnchorState::Moved { .. }));
        assert_eq!(placed.changes.iter().flatten().count(), 1);
    }

    #[test]
    fn a_moved_paragraph_is_found_among_the_inserted_text() {
        let old = Article::new("t", OLD);
        let paragraphs: Vec<&str> = OLD.split("\n\n").collect();
        let swapped = format!(
            "{}\n\n{}\n\n{}",
            paragraphs[2], paragraphs[0], paragraphs[1]
        );
        let new = Article::new("t", &swapped);
        let anchors = [
            claim_on(&old, "Both countries agreed to release prisoners."),
            claim_on(&old, "Markets rose on the news of the exchange."),
            claim_on(&old, "talks"),
        ];
        // The diff keeps the first two paragraphs and has the last one
        // deleted at the end and inserted at the start.
        let hunks = Hunks::between(&old, &new).unwrap_or_else(|| panic!("diffable"));
        let len = anchors[1].exact.chars().count();
        let mut once: Vec<&str> = passages(&old, &anchors[1].range())
            .into_iter()
            .map(|r| old.slice(r))
            .collect();
        once.sort_unstable();
        let found = moved(&old, &new, &hunks.inserted(), &once, &anchors[1].range());
        assert_eq!(found, Some(0..len));
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let placed = place_through_diff(&old, &new, &refs);
        for (anchor, found) in anchors.iter().zip(&placed.placements.located) {
            let range = found.range.clone().unwrap_or_default();
            assert_eq!(new.slice(range), anchor.exact, "{found:?}");
            assert!(!found.needs_review(), "{found:?}");
        }
    }

    #[test]
    fn claims_through_a_diff_get_fresh_anchors_when_moved() {
        let old = Article::new("t", OLD);
        let set = AnnotationSet::new(old.clone());
        let ctx = EditContext {
            author: "t".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        let start = claim_on(&old, "Markets rose").start;
        let mut claims = vec![
            set.new_claim(start..start + 12, &ctx)
                .unwrap_or_else(|e| panic!("{e}")),
        ];
        let new = Article::new("t", &format!("Lead.\n\n{OLD}"));
        let (changes, unsearched) = place_claims_through_diff(&old, &new, &mut claims);
        assert_eq!((changes, unsearched), (vec![None], 0));
        assert_eq!(
            claims[0].anchor,
            Anchor::capture(&new, start + 7..start + 19)
        );
        assert!(matches!(claims[0].anchor_state, AnchorState::Moved { .. }));
    }
}

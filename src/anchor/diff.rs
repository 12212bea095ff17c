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
//! once, elsewhere (a moved paragraph) is **moved** there. Where the diff's
//! alignment is one of several equal ones (a stretch only taken out or put
//! in that could slide along repeated text, two look-alike lines lined up
//! letter by letter), the claims go by the reading that keeps lines whole
//! or asks. Any other claim (its quote mostly gone
//! from where it was, or a stored quote the old text does not hold) is
//! searched for by quote and context ([`super::locate_all`]), the only
//! fallback.

use super::myers::distance;
use super::work::{Budget, CHAR, DIFF_CELL, DIFF_TOKEN, DISTANCE_CELL, OFFSET_LOOKUP, OutOfWork};
use super::{
    Located, MIN_FUZZY_SCORE, Offsets, Placements, StoredContext, apply_placements, error_budget,
    fuzzy_in_window, locate_all, locate_from, occurrences, whole_line, without_noise,
};
use crate::model::{Anchor, AnchorState, Article, CONTEXT_CHARS, Claim};
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

/// The changed stretches between two token lists, as index ranges, in
/// order, with the work taken from `budget`.
///
/// A diff's worst case is quadratic (imara-diff's Histogram falls back to
/// Myers wherever every token is common: 100,000 words of a 50-word
/// vocabulary took 10 s), so it is never run on a stretch it could not
/// afford. A large stretch is first cut at the tokens that occur exactly
/// once on each side and in the same order (patience diff's anchors), which
/// in edited prose leaves stretches of a paragraph or so; a stretch the
/// budget still does not cover (periodic text, a table of digits) is
/// reported changed whole, and its claims are searched for instead.
fn token_hunks<T: Copy + Eq + std::hash::Hash>(
    algorithm: Algorithm,
    before: &[T],
    after: &[T],
    budget: &mut Budget,
) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut diff = Differ {
        algorithm,
        budget,
        out: &mut out,
    };
    diff.split(before, after, (0, 0), 0);
    out
}

/// Worst-case work of diffing `n` tokens against `m` (measured on random
/// tokens from a small vocabulary, the slowest input found).
fn diff_cost(n: usize, m: usize) -> usize {
    n.min(m).saturating_mul(n + m) / 2 * DIFF_CELL + (n + m) * DIFF_TOKEN
}

/// Above this cost a stretch is cut at its unique tokens before it is diffed.
const CUT_ABOVE: usize = 1_000_000;
/// How many times a stretch may be cut again within a cut.
const MAX_CUTS: usize = 4;

/// One [`token_hunks`] run: where its hunks go, and the work left.
struct Differ<'a> {
    algorithm: Algorithm,
    budget: &'a mut Budget,
    out: &'a mut Vec<(Range<usize>, Range<usize>)>,
}

impl Differ<'_> {
    /// Diffs `before` against `after`, which start at `b0` and `a0` of the
    /// whole token lists, after `cuts` cuts.
    fn split<T: Copy + Eq + std::hash::Hash>(
        &mut self,
        before: &[T],
        after: &[T],
        (b0, a0): (usize, usize),
        cuts: usize,
    ) {
        let prefix = before.iter().zip(after).take_while(|(x, y)| x == y).count();
        let (before, after) = (&before[prefix..], &after[prefix..]);
        let suffix = before
            .iter()
            .rev()
            .zip(after.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let before = &before[..before.len() - suffix];
        let after = &after[..after.len() - suffix];
        let (b0, a0) = (b0 + prefix, a0 + prefix);
        let whole = (b0..b0 + before.len(), a0..a0 + after.len());
        if before.is_empty() || after.is_empty() {
            if !(before.is_empty() && after.is_empty()) {
                self.out.push(whole);
            }
            return;
        }
        let cost = diff_cost(before.len(), after.len());
        if cost > CUT_ABOVE && cuts < MAX_CUTS {
            let anchors = unique_in_order(before, after, self.budget);
            if !anchors.is_empty() {
                let (mut b, mut a) = (0, 0);
                for (next_b, next_a) in anchors.into_iter().chain([(before.len(), after.len())]) {
                    let at = (b0 + b, a0 + a);
                    self.split(&before[b..next_b], &after[a..next_a], at, cuts + 1);
                    (b, a) = (next_b + 1, next_a + 1);
                }
                return;
            }
        }
        if self.budget.take(cost).is_err() {
            self.out.push(whole);
            return;
        }
        let input = InternedInput::new(Tokens(before), Tokens(after));
        let mut diff = Diff::compute(self.algorithm, &input);
        diff.postprocess_no_heuristic(&input);
        let to = |r: Range<u32>, at: usize| at + r.start as usize..at + r.end as usize;
        self.out
            .extend(diff.hunks().map(|h| (to(h.before, b0), to(h.after, a0))));
    }
}

/// The tokens found exactly once in `before` and once in `after`, as index
/// pairs, the longest run of them in the same order on both sides (so the
/// stretches between them line up). Empty when the budget does not cover it.
fn unique_in_order<T: Copy + Eq + std::hash::Hash>(
    before: &[T],
    after: &[T],
    budget: &mut Budget,
) -> Vec<(usize, usize)> {
    if budget
        .take((before.len() + after.len()).saturating_mul(DIFF_TOKEN))
        .is_err()
    {
        return Vec::new();
    }
    // Per token: where it was seen on each side, `None` once seen twice.
    type Seen = Option<Option<usize>>;
    let mut seen: std::collections::HashMap<T, (Seen, Seen)> = std::collections::HashMap::new();
    let once = |slot: &mut Seen, at: usize| {
        *slot = match slot {
            None => Some(Some(at)),
            Some(_) => Some(None),
        }
    };
    for (at, &token) in before.iter().enumerate() {
        once(&mut seen.entry(token).or_default().0, at);
    }
    for (at, &token) in after.iter().enumerate() {
        if let Some(entry) = seen.get_mut(&token) {
            once(&mut entry.1, at);
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .into_values()
        .filter_map(|(b, a)| Some((b??, a??)))
        .collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest subsequence of `pairs` (sorted by their first index) whose
/// second indices increase too (patience sorting, O(n log n)).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // `tails[k]`: the pair index ending the best run of length k + 1 so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; pairs.len()];
    for (i, &(_, a)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < a);
        if k > 0 {
            previous[i] = tails[k - 1];
        }
        match tails.get_mut(k) {
            Some(tail) => *tail = i,
            None => tails.push(i),
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(usize::MAX);
    while at != usize::MAX {
        run.push(pairs[at]);
        at = previous[at];
    }
    run.reverse();
    run
}

/// The changed stretches between two texts (old, new), in char offsets, in
/// order: a diff by words, each short changed stretch then diffed by chars,
/// so that letters of unrelated words are never matched up.
fn changed_stretches(
    before: &[char],
    after: &[char],
    budget: &mut Budget,
) -> Vec<(Range<usize>, Range<usize>)> {
    changed_stretches_where(before, after, budget, |_, _| true)
}

/// [`changed_stretches`], a short stretch's diff by chars kept only where
/// `by_chars` takes it, given the stretch's longer side's length (else the
/// stretch is changed whole).
fn changed_stretches_where(
    before: &[char],
    after: &[char],
    budget: &mut Budget,
    by_chars: impl Fn(usize, &[(Range<usize>, Range<usize>)]) -> bool,
) -> Vec<(Range<usize>, Range<usize>)> {
    let (old_words, old_starts) = words(before);
    let (new_words, new_starts) = words(after);
    let mut out = Vec::new();
    for (b, a) in token_hunks(Algorithm::Histogram, &old_words, &new_words, budget) {
        let b = old_starts[b.start]..old_starts[b.end];
        let a = new_starts[a.start]..new_starts[a.end];
        // Only a stretch small enough to be a typo is diffed by chars.
        if b.len().max(a.len()) > TYPO_STRETCH || b.is_empty() || a.is_empty() {
            out.push((b, a));
            continue;
        }
        let letters = token_hunks(
            Algorithm::Myers,
            &before[b.clone()],
            &after[a.clone()],
            budget,
        );
        if !by_chars(b.len().max(a.len()), &letters) {
            out.push((b, a));
            continue;
        }
        out.extend(letters.into_iter().map(|(x, y)| {
            (
                b.start + x.start..b.start + x.end,
                a.start + y.start..a.start + y.end,
            )
        }));
    }
    out
}

/// Moves each stretch only deleted or only inserted to whole lines where
/// the text lets it slide there: a deleted "B\nA " after "A " reads the same
/// as "A B\n" deleted before it, but only the second keeps a line that went
/// (two lines swapped, both opening with the same words) out of the line
/// that stayed. Otherwise, to the start of a line; else where the diff put it.
/// Returns how far each stretch could still slide, left and right, from
/// where it ends up (none for a stretch that replaced text).
fn slide_to_lines(
    hunks: &mut [(Range<usize>, Range<usize>)],
    before: &[char],
    after: &[char],
) -> Vec<(usize, usize)> {
    let mut room = vec![(0, 0); hunks.len()];
    for k in 0..hunks.len() {
        let (b, a) = hunks[k].clone();
        // The side that holds the stretch: the old text's, or the new's.
        let in_old = match (b.is_empty(), a.is_empty()) {
            (false, true) => true,
            (true, false) => false,
            _ => continue,
        };
        let side =
            |h: &(Range<usize>, Range<usize>)| if in_old { h.0.clone() } else { h.1.clone() };
        let (text, r) = if in_old {
            (before, b.clone())
        } else {
            (after, a.clone())
        };
        // The kept text around it, up to the changes on either side.
        let lo = k.checked_sub(1).map_or(0, |j| side(&hunks[j]).end);
        let hi = hunks.get(k + 1).map_or(text.len(), |h| side(h).start);
        let mut left = 0;
        while r.start - left > lo && text[r.start - left - 1] == text[r.end - left - 1] {
            left += 1;
        }
        let mut right = 0;
        while r.end + right < hi && text[r.start + right] == text[r.end + right] {
            right += 1;
        }
        let starts_line = |at: usize| at == 0 || text[at - 1] == '\n';
        let shifts =
            || (r.start - left..=r.start + right).map(|start| start as isize - r.start as isize);
        let nearest = |fits: &dyn Fn(usize) -> bool| {
            shifts()
                .filter(|&d| fits(r.start.wrapping_add_signed(d)))
                .min_by_key(|d| d.unsigned_abs())
        };
        let whole_lines = |start: usize| starts_line(start) && text[start + r.len() - 1] == '\n';
        let shift = nearest(&whole_lines)
            .or_else(|| nearest(&starts_line))
            .unwrap_or(0);
        let moved =
            |r: &Range<usize>| r.start.wrapping_add_signed(shift)..r.end.wrapping_add_signed(shift);
        hunks[k] = (moved(&b), moved(&a));
        room[k] = (
            left.wrapping_add_signed(shift),
            right.wrapping_add_signed(-shift),
        );
    }
    room
}

/// Work allowed for [`quote_changes`]: about 2 ms, as it runs while a
/// window is drawn. A stretch it does not cover is shown changed whole.
const QUOTE_DIFF_WORK: u64 = 2_000_000;

/// What changed between a claim's stored quote (`old`) and the text where it
/// was found (`new`): the changed stretches as char ranges of each, in order,
/// found the way two versions of an article are diffed (by words, a short
/// changed stretch again by chars). Bounded: a stretch past the work allowed
/// counts as changed whole.
pub fn quote_changes(old: &str, new: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let before: Vec<char> = old.chars().collect();
    let after: Vec<char> = new.chars().collect();
    // A word's letters are shown changed one by one only when most of them
    // stayed (a typo, a digit); a word replaced is shown replaced.
    let typo = |len: usize, letters: &[(Range<usize>, Range<usize>)]| {
        let (old, new) = letters
            .iter()
            .fold((0, 0), |(o, n), (b, a)| (o + b.len(), n + a.len()));
        2 * old.max(new) <= len
    };
    changed_stretches_where(&before, &after, &mut Budget::units(QUOTE_DIFF_WORK), typo)
}

/// The changed stretches between two texts, in char offsets, in order, and
/// how many chars the stretches before each one deleted and inserted (so a
/// claim's count is two lookups, however many stretches it spans).
struct Hunks {
    hunks: Vec<(Range<usize>, Range<usize>)>,
    /// How far each stretch only deleted or only inserted could slide,
    /// left and right, through text that reads the same ([`slide_to_lines`]).
    room: Vec<(usize, usize)>,
    deleted_before: Vec<usize>,
    inserted_before: Vec<usize>,
}

impl Hunks {
    /// A diff by words, each short changed stretch then diffed by chars, so
    /// that letters of unrelated words are never matched up. `None` when a text
    /// is too long for the diff's 32-bit token counts.
    fn between(old: &Article, new: &Article, budget: &mut Budget) -> Option<Self> {
        let limit = u32::MAX as usize / 2;
        if old.char_count() > limit || new.char_count() > limit {
            return None;
        }
        let before: Vec<char> = old.text().chars().collect();
        let after: Vec<char> = new.text().chars().collect();
        let mut out = changed_stretches(&before, &after, budget);
        let room = slide_to_lines(&mut out, &before, &after);
        let running = |len: fn(&(Range<usize>, Range<usize>)) -> usize| {
            std::iter::once(0)
                .chain(out.iter().scan(0, move |sum, h| {
                    *sum += len(h);
                    Some(*sum)
                }))
                .collect()
        };
        Some(Self {
            deleted_before: running(|(b, _)| b.len()),
            inserted_before: running(|(_, a)| a.len()),
            hunks: out,
            room,
        })
    }

    /// The new offset of old offset `at`, which no hunk holds strictly inside;
    /// text inserted exactly there goes before it when `is_start`.
    fn map(&self, at: usize, is_start: bool) -> usize {
        let before = self
            .hunks
            .partition_point(|(b, _)| b.end < at || (b.end == at && (is_start || !b.is_empty())));
        match before.checked_sub(1).and_then(|k| self.hunks.get(k)) {
            Some((b, a)) => at - b.end + a.end,
            None => at,
        }
    }

    /// Where a claim on `range` of the old text lands: its new range and how
    /// many of its chars the hunks deleted and inserted (none: untouched).
    fn place(&self, range: &Range<usize>) -> (Range<usize>, usize, usize) {
        // The stretches that delete chars of the claim or insert strictly
        // inside it (an insert at its start goes before it).
        let first = self.hunks.partition_point(|(b, _)| b.end <= range.start);
        let last = self.hunks.partition_point(|(b, _)| b.start < range.end);
        if first >= last {
            let start = self.map(range.start, true);
            return (start..self.map(range.end, false).max(start), 0, 0);
        }
        let ((first_b, first_a), (last_b, last_a)) = (&self.hunks[first], &self.hunks[last - 1]);
        let deleted = self.deleted_before[last]
            - self.deleted_before[first]
            - range.start.saturating_sub(first_b.start)
            - last_b.end.saturating_sub(range.end);
        let inserted = self.inserted_before[last] - self.inserted_before[first];
        let start = if first_b.start < range.start {
            first_a.start
        } else {
            self.map(range.start, true)
        };
        let end = if last_b.end > range.end {
            last_a.end
        } else {
            self.map(range.end, false)
        };
        (start..end.max(start), deleted, inserted)
    }

    /// The old text's changed stretches, in order.
    fn deleted(&self) -> Vec<Range<usize>> {
        self.hunks
            .iter()
            .map(|(b, _)| b.clone())
            .filter(|b| !b.is_empty())
            .collect()
    }

    /// Whether the diff kept at least `least` chars on both sides of `range`
    /// of the old text together, up to the nearest changes (an insert at an
    /// edge counts as a change there, unless it puts in whole lines). Only
    /// the changes within `least` chars of the range are looked at.
    fn kept_around(
        &self,
        range: &Range<usize>,
        least: usize,
        (old, new): (&Article, &Article),
    ) -> bool {
        let k = self.hunks.partition_point(|(b, _)| b.end <= range.start);
        let before = self.hunks[..k]
            .iter()
            .rev()
            .take_while(|(b, _)| b.end + least > range.start)
            .find(|h| !lines_put_in(new, h))
            .map_or(range.start.saturating_sub(least), |(b, _)| b.end)
            .min(range.start);
        let k = self.hunks.partition_point(|(b, _)| b.start < range.end);
        let after = self.hunks[k..]
            .iter()
            .take_while(|(b, _)| b.start < range.end + least)
            .find(|h| !lines_put_in(new, h))
            .map_or((range.end + least).min(old.char_count()), |(b, _)| b.start);
        (range.start - before) + after.saturating_sub(range.end) >= least
    }

    /// Whether the diff kept `range` of the old text as it was, whole lines
    /// put in within it aside (a paragraph put in before a word that opens
    /// its line leaves the line before it its neighbour).
    fn kept_but_for_lines(&self, range: &Range<usize>, new: &Article) -> bool {
        let first = self.hunks.partition_point(|(b, _)| b.end <= range.start);
        let last = self.hunks.partition_point(|(b, _)| b.start < range.end);
        self.hunks[first..last.max(first)]
            .iter()
            .all(|h| lines_put_in(new, h))
    }

    /// The same diff read from the new text to the old.
    fn inverse(&self) -> Self {
        Self {
            hunks: self
                .hunks
                .iter()
                .map(|(b, a)| (a.clone(), b.clone()))
                .collect(),
            deleted_before: self.inserted_before.clone(),
            inserted_before: self.deleted_before.clone(),
            room: self.room.clone(),
        }
    }

    /// Where a claim on `range` of the old text went when the diff lined it
    /// up, letter by letter, with a line much like it that swapped places
    /// with it (two prices in a list: "… cost over $8,300" and "… cost more
    /// than $3,200"): `mapped` (the diff's place) holds that other line's
    /// old text whole, and its quote stands whole once near, where the diff
    /// put the other line. (`self` is the diff read from the new text to
    /// the old: see [`Hunks::inverse`].)
    fn swapped_with_look_alike(
        &self,
        (old, new): (&Article, &Article),
        (range, mapped): (&Range<usize>, &Range<usize>),
        quote: &str,
        budget: &mut Budget,
    ) -> Option<Range<usize>> {
        let reach = range.len() + MOVED_CONTEXT;
        let window = mapped.start.saturating_sub(reach)..mapped.end + reach;
        let at = intact_near(new, quote, window, budget)?;
        let found = at..at + range.len();
        let (other, _, _) = self.place(&found);
        let apart = other.end <= range.start || range.end <= other.start;
        let other_text = old.slice(other);
        (apart && other_text != quote && new.slice(mapped.clone()) == other_text).then_some(found)
    }

    /// Where `range` of the new text stood in the old, when the diff kept
    /// it whole.
    fn kept_from(&self, range: Range<usize>) -> Option<usize> {
        // The changes before it; the next one must start at its end or after
        // (a deletion strictly inside it splits it in the old text).
        let k = self.hunks.partition_point(|(_, a)| a.end <= range.start);
        if self.hunks.get(k).is_some_and(|(_, a)| a.start < range.end) {
            return None;
        }
        Some(match k.checked_sub(1).map(|j| &self.hunks[j]) {
            Some((b, a)) => range.start - a.end + b.end,
            None => range.start,
        })
    }

    /// Where a claim on `range` of the old text went when the diff took it
    /// out whole and put the same text in again a few chars away, nothing
    /// else changed between ("isn't the" now "isn' tthe"): a transposition
    /// typo beside it. Whether the space or the letter moved, the letter
    /// put in is the claim's.
    fn transposed(&self, new: &Article, range: &Range<usize>, quote: &str) -> Option<Range<usize>> {
        let k = self.hunks.partition_point(|(b, _)| b.start < range.start);
        let (b, a) = self.hunks.get(k)?;
        if b != range || !a.is_empty() {
            return None;
        }
        let near = |(b, a): &(Range<usize>, Range<usize>)| {
            let gap = if b.start >= range.end {
                b.start - range.end
            } else {
                range.start.saturating_sub(b.end)
            };
            b.is_empty() && gap <= NEIGHBOURS && new.slice(a.clone()) == quote
        };
        let before = k.checked_sub(1).and_then(|j| self.hunks.get(j));
        let after = self.hunks.get(k + 1);
        let mut found = before.into_iter().chain(after).filter(|h| near(h));
        let (Some((b, a)), None) = (found.next(), found.next()) else {
            return None;
        };
        // Put in next to a copy of itself ("tt"), the text inserted could
        // be either copy: the one on the claim's side is the letter moved.
        let len = a.len();
        let mut at = a.start;
        if b.start >= range.end {
            while at >= len && new.slice(at - len..at) == quote {
                at -= len;
            }
        } else {
            while at + 2 * len <= new.char_count() && new.slice(at + len..at + 2 * len) == quote {
                at += len;
            }
        }
        Some(at..at + len)
    }

    /// Where a claim on `range` of the old text stands when the stretch the
    /// diff deleted around it reads the same slid off it: "t.co/A… t.co/B"
    /// now "t.co/B", the deletion of "A… t.co/" as good as "co/A… t." The
    /// text kept there is the claim's or its copy's, as each alignment says.
    fn slid_off(&self, range: &Range<usize>) -> Option<Range<usize>> {
        // The stretch holding the claim, if one does: the first ending at
        // its end or after.
        let k = self.hunks.partition_point(|(b, _)| b.end < range.end);
        let (b, a) = self.hunks.get(k)?;
        if !a.is_empty() || b.start > range.start {
            return None;
        }
        // Slid left until it ends where the claim starts, or right until it
        // starts where the claim ends.
        let (left, right) = self.room[k];
        let start = if b.end - range.start <= left {
            a.start - (b.end - range.start)
        } else if range.end - b.start <= right {
            a.start + (range.start - b.start)
        } else {
            return None;
        };
        Some(start..start + range.len())
    }

    /// The inserted stretches, joined across the odd word the diff kept in
    /// the middle of a moved paragraph.
    fn inserted(&self) -> Vec<Range<usize>> {
        let mut inserted: Vec<Range<usize>> = Vec::new();
        for (_, a) in self.hunks.iter().filter(|(_, a)| !a.is_empty()) {
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
    let context = [
        range.clone(),
        before..after,
        before..range.end,
        range.start..after,
    ];
    // The claim's line, and the line from the quote to one end (a typo
    // on the other side): a short line moved whole ("WATCH:") is its own
    // passage, however short.
    let (line_start, line_end) = line_ends(old, range);
    let lines = [
        line_start.zip(line_end).map(|(s, e)| s..e),
        line_start.map(|s| s..range.end),
        line_end.map(|e| range.start..e),
    ];
    let mut out: Vec<Range<usize>> = context
        .into_iter()
        .filter(|r| r.len() >= MOVED_PASSAGE)
        .collect();
    for line in lines.into_iter().flatten() {
        if !out.contains(&line) && (line.len() >= MOVED_PASSAGE || whole_line(old, &line)) {
            out.push(line);
        }
    }
    out
}

/// Where the line holding `range` starts and ends, each when within
/// [`CONTEXT_CHARS`] of it (a line break, or the text's edge).
fn line_ends(text: &Article, range: &Range<usize>) -> (Option<usize>, Option<usize>) {
    let reach = |chars: &mut dyn Iterator<Item = char>| {
        let mut n = 0;
        for c in chars.take(CONTEXT_CHARS + 1) {
            if c == '\n' {
                return Some(n);
            }
            n += 1;
        }
        (n <= CONTEXT_CHARS).then_some(n)
    };
    (
        reach(&mut text.chars_before(range.start)).map(|n| range.start - n),
        reach(&mut text.chars_from(range.end)).map(|n| range.end + n),
    )
}

/// The lines the diff changed, in both texts, to find a claim's line moved
/// and edited in (a price line swapped with its neighbour and typo'd,
/// "Scroll down for video" now "Scroll doown for video" above the paragraph
/// it followed), within a work budget of its own: running out here leaves
/// the claims to the search, never the search without work.
struct EditedLines {
    /// In text order.
    old: Vec<Line>,
    /// Indexes into `old`, by length.
    old_by_len: Vec<usize>,
    /// By length.
    new: Vec<Line>,
    budget: Budget,
}

/// A line of a text: its chars and how many of them fall in each of
/// [`CHAR_CLASSES`] classes, for a cheap bound on its edit distance to
/// another line.
struct Line {
    range: Range<usize>,
    chars: Vec<char>,
    classes: [u16; CHAR_CLASSES],
}

const CHAR_CLASSES: usize = 64;
/// Lines up to this many chars are looked for edited.
const EDITED_LINE: usize = 400;
/// Edits a line may have had, at most: a typo or two, a changed word.
const MOST_TYPOS: usize = 8;
/// Work set apart for finding edited lines, in [`Budget`] units (20 ms):
/// what it leaves goes back to the search.
const EDITED_LINES_WORK: u64 = 20_000_000;

impl Line {
    fn new(text: &Article, range: Range<usize>) -> Self {
        let chars: Vec<char> = text.slice(range.clone()).chars().collect();
        let mut classes = [0u16; CHAR_CLASSES];
        for &c in &chars {
            classes[c as usize % CHAR_CLASSES] += 1;
        }
        Self {
            range,
            chars,
            classes,
        }
    }

    /// Whether `other` is within `edits` edits of this line: a class count
    /// apart by more rules it out before the edit distance is computed.
    fn within(&self, other: &Line, edits: usize, budget: &mut Budget) -> Result<bool, OutOfWork> {
        if self.chars.len().abs_diff(other.chars.len()) > edits {
            return Ok(false);
        }
        let (mut more, mut fewer) = (0, 0);
        for (a, b) in self.classes.iter().zip(&other.classes) {
            more += a.saturating_sub(*b) as usize;
            fewer += b.saturating_sub(*a) as usize;
        }
        budget.take(CHAR_CLASSES * CHAR)?;
        if more.max(fewer) > edits {
            return Ok(false);
        }
        budget.take(self.chars.len() * other.chars.len() * DISTANCE_CELL)?;
        Ok(distance(&self.chars, &other.chars) <= edits)
    }
}

impl EditedLines {
    fn new(old: &Article, new: &Article, hunks: &Hunks, mut budget: Budget) -> Self {
        let old_lines = Self::changed(old, hunks.hunks.iter().map(|(b, _)| b.clone()), &mut budget);
        let new_lines = Self::changed(new, hunks.hunks.iter().map(|(_, a)| a.clone()), &mut budget);
        let (old, mut new) = match (old_lines, new_lines) {
            (Ok(old), Ok(new)) => (old, new),
            _ => (Vec::new(), Vec::new()),
        };
        let mut old_by_len: Vec<usize> = (0..old.len()).collect();
        old_by_len.sort_by_key(|&i| old[i].chars.len());
        new.sort_by_key(|l| l.chars.len());
        Self {
            old,
            old_by_len,
            new,
            budget,
        }
    }

    /// The lines of `text` holding or next to `stretches` (sorted,
    /// disjoint; empty where the diff only took chars out or only put them
    /// in), each once, in order; blank ones and those over [`EDITED_LINE`]
    /// chars left out.
    fn changed(
        text: &Article,
        stretches: impl Iterator<Item = Range<usize>>,
        budget: &mut Budget,
    ) -> Result<Vec<Line>, OutOfWork> {
        let mut out = Vec::new();
        let mut done = 0;
        for s in stretches {
            if s.end < done {
                continue;
            }
            let from = s.start.max(done);
            budget.take((s.end - from + 2 * EDITED_LINE) * CHAR)?;
            let mut at = from - text.chars_before(from).take_while(|&c| c != '\n').count();
            while at <= s.end && at <= text.char_count() {
                let len = text.chars_from(at).take_while(|&c| c != '\n').count();
                if len <= EDITED_LINE && !text.slice(at..at + len).trim().is_empty() {
                    out.push(Line::new(text, at..at + len));
                }
                at += len + 1;
            }
            done = at;
        }
        Ok(out)
    }

    /// Where a claim the diff deleted stands in its line moved and edited:
    /// its old line, one the diff changed, is within a typo or two of
    /// exactly one changed line of the new text and of no other changed old
    /// one, and the claim's quote stands untouched in it.
    fn place<'a>(
        &'a mut self,
        (old, new): (&Article, &Article),
        anchor: &Anchor,
    ) -> Option<Range<usize>> {
        let range = anchor.range();
        let k = self.old.partition_point(|l| l.range.end < range.start);
        let line = self
            .old
            .get(k)
            .filter(|l| l.range.start <= range.start && range.end <= l.range.end)?;
        if line.chars.len() < MOVED_PASSAGE {
            return None;
        }
        let typos = (line.chars.len() / 10).clamp(2, MOST_TYPOS);
        // Of `lines` by length, from the first long enough, those within
        // `edits` of the claim's line. Out of work, a line not compared may
        // be one: none is found.
        let budget = &mut self.budget;
        let len = line.chars.len();
        let mut near = |lines: &mut dyn Iterator<Item = &'a Line>, edits: usize| {
            let mut found = Vec::new();
            for other in lines.take_while(|l| l.chars.len() <= len + edits) {
                if line.within(other, edits, budget).ok()? {
                    found.push(other);
                }
            }
            Some(found)
        };
        let first = self.new.partition_point(|l| l.chars.len() + typos < len);
        let [moved] = near(&mut self.new[first..].iter(), typos)?[..] else {
            return None;
        };
        // The old line alone among the changed ones: no near twin of it.
        let old_lines = &self.old;
        let from = self
            .old_by_len
            .partition_point(|&i| old_lines[i].chars.len() + 2 * typos < len);
        if near(
            &mut self.old_by_len[from..].iter().map(|&i| &old_lines[i]),
            2 * typos,
        )?
        .len()
            != 1
        {
            return None;
        }
        // The claim through the two lines' own diff, untouched by it.
        let lines = Hunks::between(
            &Article::new("old line", old.slice(line.range.clone())),
            &Article::new("new line", new.slice(moved.range.clone())),
            &mut self.budget,
        )?;
        let at = range.start - line.range.start..range.end - line.range.start;
        let (within, deleted, inserted) = lines.place(&at);
        let place = moved.range.start + within.start..moved.range.start + within.end;
        (deleted + inserted == 0 && new.slice(place.clone()) == anchor.exact).then_some(place)
    }
}

/// Whether `hunk` only puts in whole lines: nothing of the old text taken
/// out, the new text at a line's start before it and a line break ending it.
fn lines_put_in(new: &Article, (b, a): &(Range<usize>, Range<usize>)) -> bool {
    b.is_empty()
        && !a.is_empty()
        && new.chars_before(a.start).next().is_none_or(|c| c == '\n')
        && new.chars_before(a.end).next() == Some('\n')
}

/// Where a claim the diff deleted was put in again (a moved paragraph, a
/// line the text repeats moved away from its twin): one of its [`passages`]
/// that stands as often in the new text as in the old, the claim's own
/// occurrence the only one the diff deleted and one occurrence the only one
/// wholly within the `inserted` stretches (`deleted`: the old text's
/// changed stretches). A passage that stood more than once is the claim's
/// only as its whole line as stored, moved: a common phrase put in
/// elsewhere is another passage.
fn moved(
    (old, new): (&Article, &Article),
    (deleted, inserted): (&[Range<usize>], &[Range<usize>]),
    counted: &Counted,
    anchor: &Anchor,
) -> Option<Range<usize>> {
    let range = &anchor.range();
    passages(old, range).into_iter().find_map(|passage| {
        let (in_old, in_new) = counted.get(old, passage.clone())?;
        let len = passage.len();
        let complete = in_old.len() == in_new.len() && in_new.len() < REPEATS_COUNTED;
        let within = |stretches: &[Range<usize>], at: usize| {
            let k = stretches.partition_point(|s| s.end < at + len);
            stretches.get(k).is_some_and(|s| s.start <= at)
        };
        let mut lost = in_old.iter().filter(|&&at| touches(deleted, at..at + len));
        let mut put_in = in_new.iter().filter(|&&at| within(inserted, at));
        let (Some(&own), None, Some(&at), None) =
            (lost.next(), lost.next(), put_in.next(), put_in.next())
        else {
            return None;
        };
        // A passage too short to tell by itself is a whole line moved whole.
        let short_line_moved = passage.len() >= MOVED_PASSAGE
            || whole_line(new, &(at..at + len)) && whole_line(old, &passage);
        if !short_line_moved {
            return None;
        }
        let start = at + (range.start - passage.start);
        let place = start..start + range.len();
        let line_moved = || passage == *range && StoredContext::of(anchor).line_around(new, &place);
        (complete && own == passage.start && (in_old.len() == 1 || line_moved())).then_some(place)
    })
}

/// Whether `quote` is too little to place by itself where the diff kept it:
/// under [`MOVED_PASSAGE`] chars, or a single word.
fn one_word(quote: &str) -> bool {
    quote.chars().nth(MOVED_PASSAGE - 1).is_none() || !quote.trim().contains(char::is_whitespace)
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
/// exactly once (and the budget covers reading the window).
fn intact_near(
    article: &Article,
    quote: &str,
    window: Range<usize>,
    budget: &mut Budget,
) -> Option<usize> {
    let window = window.start..window.end.min(article.char_count());
    budget
        .take(window.len().saturating_mul(CHAR) + 2 * OFFSET_LOOKUP)
        .ok()?;
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
    let quotes = anchors
        .iter()
        .fold(0usize, |n, a| n.saturating_add(a.exact.len()));
    let mut budget = Budget::for_input(
        old.char_count()
            .saturating_add(new.char_count())
            .saturating_add(quotes),
    );
    let Some(hunks) = Hunks::between(old, new, &mut budget) else {
        return DiffPlacements {
            placements: locate_all(new, anchors),
            changes,
        };
    };
    let backwards = hunks.inverse();
    let mut located: Vec<Option<Located>> = vec![None; anchors.len()];
    // Claims mostly deleted where they were: moved, perhaps.
    let mut deleted_here = Vec::new();
    // Short claims the diff kept without their neighbours, on their line as
    // it was: certain if that line stands once in the new text.
    let mut alone_on_line: Vec<(usize, Range<usize>, String)> = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        let len = a.end.saturating_sub(a.start);
        if len == 0 || !a.holds_in(old) {
            continue;
        }
        let (mut range, deleted, inserted) = hunks.place(&a.range());
        // An edit next to the claim that the diff could put inside it or
        // beside it (a doubled letter at its edge, a moved paragraph opening
        // with the same word as its new neighbour) leaves the quote whole,
        // found once near the mapped place. Not where the diff kept another
        // copy of the quote the old text had, away from the claim: the
        // window is as wide as the change, and that copy is its own passage
        // (a line repeated right next to the claim's, "L\nL", may be either).
        let slack = deleted + inserted;
        // A short word, or one word however long, the diff kept while the
        // text on both sides of it went (a moved paragraph's "I" matched up
        // with another "I", a deleted sentence's "subscription" with the
        // next one's) is no proof.
        let kept = |r: Range<usize>| hunks.kept_but_for_lines(&r, new);
        let with_neighbours = !one_word(&a.exact)
            || kept(a.start.saturating_sub(NEIGHBOURS)..a.end)
            || kept(a.start..(a.end + NEIGHBOURS).min(old.char_count()));
        let untouched = slack == 0 && with_neighbours
            || slack > 0
                && deleted < len
                && intact_near(
                    new,
                    &a.exact,
                    range.start.saturating_sub(slack)..range.end + slack,
                    &mut budget,
                )
                .filter(|&start| {
                    hunks.kept_from(start..start + len).is_none_or(|from| {
                        from == a.start
                            || old
                                .slice(a.end.min(from + len)..a.start.max(from))
                                .trim()
                                .is_empty()
                    })
                })
                .map(|start| range = start..start + len)
                .is_some();
        if untouched {
            located[i] = Some(Located::sure(a, range));
        } else if slack == 0 {
            // Kept alone: left to the search, unless its line stands there.
            let context = StoredContext::of(a);
            if context.line_around(new, &range) {
                alone_on_line.extend(context.line(&a.exact).map(|line| (i, range, line)));
            }
        } else if deleted * 2 >= len {
            deleted_here.push(i);
        } else if let Some(went) = backwards.swapped_with_look_alike(
            (old, new),
            (&a.range(), &range),
            &a.exact,
            &mut budget,
        ) {
            located[i] = Some(Located::sure(a, went));
        } else if deleted.max(inserted) <= error_budget(len) && !range.is_empty() {
            // Where a changed stretch crosses the claim's edge, the diff's
            // edge is one choice among equal ones ("The bogus" now "The
            // bgous", the paragraph before swapped: the diff kept "The " with
            // the paragraph's other words): the quote's best alignment around
            // the diff's place says where the claim starts and ends, and what
            // lines up with it only by chance is left out.
            let diff_errors = deleted.max(inserted);
            let pattern: Vec<char> = a.exact.chars().collect();
            let window = range.start.saturating_sub(diff_errors)
                ..(range.end + diff_errors).min(new.char_count());
            let (range, errors) =
                match fuzzy_in_window(new, &pattern, window, range.end, &mut budget) {
                    Ok(Some(found)) if found.errors <= diff_errors => (found.range, found.errors),
                    Ok(_) => (range, diff_errors),
                    Err(_) => continue,
                };
            let score = 1.0 - (errors as f32 / len as f32).min(1.0);
            if score < MIN_FUZZY_SCORE {
                continue;
            }
            let context = StoredContext::of(a);
            let Ok(range) = without_noise(new, &context, &a.exact, range, errors, &mut budget)
            else {
                continue;
            };
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
    // The parts that tell a repeat, of the claims placed and of those
    // deleted here, counted in one pass over the text around the changes;
    // the passages a deleted claim is looked for by among the inserted text,
    // in one pass over each text.
    let placed: Vec<usize> = (0..anchors.len())
        .filter(|&i| located[i].is_some())
        .collect();
    let repeats = Repeats::new(
        old,
        new,
        &hunks,
        placed
            .iter()
            .chain(&deleted_here)
            .flat_map(|&i| telling_parts(old, anchors[i].range())),
        &mut budget,
    );
    let counted = Counted::new(
        old,
        new,
        deleted_here
            .iter()
            .flat_map(|&i| passages(old, &anchors[i].range())),
        &mut budget,
    );
    let doubted = doubt_repeated((old, new), &hunks, anchors, &placed, &repeats, &mut located);
    // A line the diff kept that stands once in the new text ("Update!", its
    // neighbouring lines changed) is the claim's, wherever the diff put it.
    let lines: Vec<&str> = alone_on_line.iter().map(|(.., l)| l.as_str()).collect();
    let line_counts = occurrences::find_first(new, &lines, 2, &mut budget);
    for ((i, range, _), found) in alone_on_line.into_iter().zip(line_counts) {
        if found.is_some_and(|at| at.len() == 1) {
            located[i] = Some(Located::sure(anchors[i], range));
        }
    }
    let inserted = hunks.inserted();
    let deleted = hunks.deleted();
    let mut edited_lines = None;
    for &i in &deleted_here {
        let a = anchors[i];
        // Found once, but a part of it stands again elsewhere: around an
        // edited copy of its quote (a typo at its own place, the paragraph
        // moved), which the search weighs against the intact one.
        let went = hunks.transposed(new, &a.range(), &a.exact).or_else(|| {
            let copied = repeated_in_new(old, a, &repeats) || partly_kept(&hunks, a);
            if copied {
                return None;
            }
            moved((old, new), (&deleted, &inserted), &counted, a).or_else(|| {
                edited_lines
                    .get_or_insert_with(|| {
                        let part = budget.set_apart(EDITED_LINES_WORK);
                        EditedLines::new(old, new, &hunks, part)
                    })
                    .place((old, new), a)
            })
        });
        located[i] = went
            .map(|range| Located::sure(a, range))
            .or_else(|| hunks.slid_off(&a.range()).map(Located::in_doubt_at));
    }
    if let Some(edited) = edited_lines {
        budget.rejoin(edited.budget);
    }
    // A claim in doubt is searched for from where the claim before it went
    // (the diff's place may be the copy); with no neighbour placed for
    // certain there is no other view of its place than the diff's.
    let neighbours = Neighbours::new(anchors, &located);
    let doubted: Vec<(usize, Range<usize>, usize)> = doubted
        .into_iter()
        .filter_map(|(i, place)| match neighbours.expected_start(anchors[i]) {
            Some(start) => Some((i, place, start)),
            None => {
                located[i] = Some(Located::in_doubt_at(place));
                None
            }
        })
        .collect();
    let rest: Vec<usize> = (0..anchors.len())
        .filter(|&i| located[i].is_none())
        .collect();
    // Searched for from where the diff maps them, not from their old
    // offsets: the claims the diff placed are not there to show the search
    // how far the text around moved.
    let mapped: Vec<Anchor> = rest
        .iter()
        .map(|&i| {
            let (range, _, _) = hunks.place(&anchors[i].range());
            let start = match doubted.binary_search_by_key(&i, |(d, ..)| *d) {
                Ok(k) => doubted[k].2,
                Err(_) => range.start,
            };
            Anchor {
                start,
                end: start + (range.end - range.start),
                ..anchors[i].clone()
            }
        })
        .collect();
    let searched = locate_from(new, &mapped.iter().collect::<Vec<_>>(), Offsets::Mapped);
    for (&i, mut found) in rest.iter().zip(searched.located) {
        if let (AnchorState::Exact | AnchorState::Moved { .. }, Some(range)) =
            (&found.state, found.range.clone())
        {
            found = Located::sure(anchors[i], range);
        }
        // The diff shows this claim's text deleted. Found in text the diff
        // kept, it is on a copy that stood there before (a passage the old
        // text repeated). Found in what the diff shows put in, alone or with
        // one side of it, it may be the claim's own text moved (a paragraph
        // or a line swapped with its neighbour, the context on both sides
        // changed, its first word matched up with the next paragraph's), as
        // the search judges it, when its quote stands there whole: a
        // look-alike is another passage, not the claim rewritten.
        // (`deleted_here` is in claim order.)
        let deleted = deleted_here.binary_search(&i).is_ok();
        let moved_here = found.range.as_ref().is_some_and(|r| {
            let with_sides = [
                r.clone(),
                r.start.saturating_sub(MOVED_CONTEXT)..r.end,
                r.start..r.end + MOVED_CONTEXT,
            ];
            new.slice(r.clone()) == anchors[i].exact
                && with_sides.iter().any(|w| mostly_within(&inserted, w))
        });
        let diff_place = doubted
            .binary_search_by_key(&i, |(d, ..)| *d)
            .ok()
            .map(|k| doubted[k].1.clone());
        // Part of its quote the diff kept where it was: edited there, so a
        // copy found whole elsewhere is new text as much as the claim; asked.
        let typo_here = deleted && !found.needs_review() && partly_kept(&hunks, anchors[i]);
        located[i] = Some(match diff_place {
            _ if deleted && !moved_here => Located::orphan(),
            _ if typo_here => Located::in_doubt_at(found.range.clone().unwrap_or_default()),
            // In doubt, the diff and the search from the neighbours' shift,
            // each comparing its own way, agree: a certain place. Otherwise
            // the diff's place is offered.
            Some(place) if found.needs_review() || found.range.as_ref() != Some(&place) => {
                Located::in_doubt_at(place)
            }
            _ => found,
        });
    }
    DiffPlacements {
        placements: Placements {
            located: located
                .into_iter()
                .zip(anchors)
                .map(|(l, a)| l.unwrap_or_else(Located::orphan).checked(new, a))
                .collect(),
            unsearched: searched.unsearched,
        },
        changes,
    }
}

/// Whether `anchor` is one word of which the diff kept some letters where
/// it was: a typo there (the diff matches letters only within a short
/// changed stretch), not a moved word.
fn partly_kept(hunks: &Hunks, anchor: &Anchor) -> bool {
    let (_, deleted, _) = hunks.place(&anchor.range());
    deleted < anchor.range().len() && anchor.exact.chars().all(char::is_alphanumeric)
}

/// Whether most of `range` lies in the sorted, disjoint `stretches`. (Where
/// a stretch the diff put in begins and ends is one choice among equal ones:
/// a moved sentence's last "." may be matched up with a kept one.)
fn mostly_within(stretches: &[Range<usize>], range: &Range<usize>) -> bool {
    let first = stretches.partition_point(|s| s.end <= range.start);
    let covered: usize = stretches[first..]
        .iter()
        .take_while(|s| s.start < range.end)
        .map(|s| s.end.min(range.end) - s.start.max(range.start))
        .sum();
    2 * covered > range.len()
}

/// The parts of a claim on `r` of `old` whose count tells that the new text
/// repeats it: the old neighbours on each side ([`MOVED_CONTEXT`] chars; at
/// the text's edge, what there is with the quote's end next to it), and a
/// long quote's head and tail alone. Counted one side at a time: a copy
/// with both sides, and the claim's own place with one side changed, stand
/// once each in the new text, as the passage with both sides did in the
/// old. Around an edited copy of the quote (a typo at the claim's own
/// place) the neighbours, or the half of the quote the edit missed, stand
/// twice. (A sure placement holds the quote: its neighbours standing
/// around it are the passage standing there.)
fn telling_parts(old: &Article, r: Range<usize>) -> impl Iterator<Item = Range<usize>> + use<> {
    let before = r.start.saturating_sub(MOVED_CONTEXT)..r.start;
    let after = r.end..(r.end + MOVED_CONTEXT).min(old.char_count());
    let before = if before.len() == MOVED_CONTEXT {
        before
    } else {
        before.start..r.end.min(r.start + PASSAGE_QUOTE)
    };
    let after = if after.len() == MOVED_CONTEXT {
        after
    } else {
        r.start.max(r.end.saturating_sub(PASSAGE_QUOTE))..after.end
    };
    let half = PASSAGE_QUOTE.min(r.len() / 2);
    let halves = [r.start..r.start + half, r.end - half..r.end];
    [before, after].into_iter().chain(
        halves
            .into_iter()
            .filter(move |_| r.len() >= 2 * MOVED_PASSAGE),
    )
}

/// Where each of some passages of the old text stands in the old and in the
/// new text, the first [`REPEATS_COUNTED`] times.
struct Counted<'a> {
    texts: Passages<'a>,
    in_old: Vec<Option<Vec<usize>>>,
    in_new: Vec<Option<Vec<usize>>>,
}

/// The distinct texts of some passages of the old text, sorted: what is
/// looked for, each once.
struct Passages<'a>(Vec<&'a str>);

impl<'a> Passages<'a> {
    fn new(old: &'a Article, passages: impl Iterator<Item = Range<usize>>) -> Self {
        let mut texts: Vec<&str> = passages.map(|r| old.slice(r)).collect();
        texts.sort_unstable();
        texts.dedup();
        Self(texts)
    }

    /// Where `passage` of the old text is listed, if it is.
    fn index(&self, old: &Article, passage: Range<usize>) -> Option<usize> {
        self.0.binary_search(&old.slice(passage)).ok()
    }
}

impl<'a> Counted<'a> {
    fn new(
        old: &'a Article,
        new: &Article,
        passages: impl Iterator<Item = Range<usize>>,
        budget: &mut Budget,
    ) -> Self {
        let texts = Passages::new(old, passages);
        let in_old = occurrences::find_first(old, &texts.0, REPEATS_COUNTED, budget);
        let in_new = occurrences::find_first(new, &texts.0, REPEATS_COUNTED, budget);
        Self {
            texts,
            in_old,
            in_new,
        }
    }

    /// Where `passage` (one of those counted) starts in the old text and in
    /// the new; `None` when it was not counted (out of work).
    fn get(&self, old: &Article, passage: Range<usize>) -> Option<(&[usize], &[usize])> {
        let k = self.texts.index(old, passage)?;
        Some((self.in_old[k].as_deref()?, self.in_new[k].as_deref()?))
    }
}

/// How often each of some passages of the old text stands where the two
/// texts differ: its occurrences that a changed stretch touches, in the old
/// text (lost) and in the new (gained). Every other occurrence lies in text
/// the two share, and stands in both; so a passage stands more often in the
/// new text than in the old exactly when it gained more than it lost, and
/// only the text around the changed stretches is read, a fraction of both
/// texts (one full pass over each took half the time of a whole placement).
struct Repeats<'a> {
    texts: Passages<'a>,
    lost: Vec<Option<usize>>,
    gained: Vec<Option<usize>>,
}

impl<'a> Repeats<'a> {
    fn new(
        old: &'a Article,
        new: &Article,
        hunks: &Hunks,
        passages: impl Iterator<Item = Range<usize>>,
        budget: &mut Budget,
    ) -> Self {
        let texts = Passages::new(old, passages);
        let (before, after): (Vec<Range<usize>>, Vec<Range<usize>>) =
            hunks.hunks.iter().cloned().unzip();
        Self {
            lost: touched(old, &texts.0, &before, budget),
            gained: touched(new, &texts.0, &after, budget),
            texts,
        }
    }

    /// Whether `passage` (one of those counted) stands more often in the
    /// new text than in the old; `None` when it was not counted (out of
    /// work).
    fn more_in_new(&self, old: &Article, passage: Range<usize>) -> Option<bool> {
        let k = self.texts.index(old, passage)?;
        Some(self.gained[k]? > self.lost[k]?)
    }
}

/// Occurrences of `texts` in `article` found around the changed stretches,
/// at most: enough that the first [`REPEATS_COUNTED`] touching one are
/// among them (the others found lie beside a change, in shared text).
const NEAR_CHANGES_FOUND: usize = 4 * REPEATS_COUNTED;

/// How many times (at most [`REPEATS_COUNTED`]) each of `texts` stands in
/// `article` touching one of the `changed` stretches (char ranges in order:
/// holding one of its chars, or, empty, strictly inside it); `None` where
/// the budget did not cover the search.
fn touched(
    article: &Article,
    texts: &[&str],
    changed: &[Range<usize>],
    budget: &mut Budget,
) -> Vec<Option<usize>> {
    let lens: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let reach = lens
        .iter()
        .max()
        .map_or(0, |&longest| longest.saturating_sub(1));
    let mut around: Vec<Range<usize>> = Vec::new();
    for stretch in changed {
        let near = stretch.start.saturating_sub(reach)
            ..stretch.end.saturating_add(reach).min(article.char_count());
        match around.last_mut() {
            Some(last) if near.start <= last.end => last.end = last.end.max(near.end),
            _ => around.push(near),
        }
    }
    occurrences::find_first_within(article, texts, NEAR_CHANGES_FOUND, &around, budget)
        .into_iter()
        .zip(lens)
        .map(|(found, len)| {
            let found = found?;
            Some(
                found
                    .into_iter()
                    .filter(|&start| touches(changed, start..start + len))
                    .count()
                    .min(REPEATS_COUNTED),
            )
        })
        .collect()
}

/// Whether one of the `changed` stretches (char ranges in order) touches
/// `occurrence`: holds one of its chars, or, empty, lies strictly inside it.
/// The first stretch ending past the occurrence's start touches it when it
/// starts before the occurrence ends; no later one starts sooner.
fn touches(changed: &[Range<usize>], occurrence: Range<usize>) -> bool {
    let from = changed.partition_point(|c| c.end <= occurrence.start);
    changed.get(from).is_some_and(|c| c.start < occurrence.end)
}

/// Whether one of the [`telling_parts`] of `anchor` stands more often in
/// the new text than in the old (or was not counted).
fn repeated_in_new(old: &Article, anchor: &Anchor, repeats: &Repeats) -> bool {
    telling_parts(old, anchor.range()).any(|r| repeats.more_in_new(old, r).unwrap_or(true))
}

/// The diff's alignment is one choice among equal ones where the new text
/// repeats a passage the old did not (a paragraph quoted again): a claim it
/// placed with certainty one of whose [`telling_parts`] stands more often
/// in the new text than in the old is in doubt. A short quote without its
/// old neighbours where the diff put it (a "to" the diff matched up with
/// another "to") is left to the search, unless the diff kept a run of
/// [`MOVED_CONTEXT`] chars around it, its two sides together ("WATCH:\n\n
/// Follow Chuck on T", a paragraph put in before it and a typo after).
///
/// A placement with an edited quote is only capped below bulk confirmation.
///
/// Returns the claims in doubt, in order, each with the diff's place; they
/// are left unplaced, for the search to compare that place with the others.
fn doubt_repeated(
    (old, new): (&Article, &Article),
    hunks: &Hunks,
    anchors: &[&Anchor],
    placed: &[usize],
    repeats: &Repeats,
    located: &mut [Option<Located>],
) -> Vec<(usize, Range<usize>)> {
    let mut doubted = Vec::new();
    'claims: for &i in placed {
        let Some(found) = located[i].as_mut() else {
            continue;
        };
        let Some(placed) = found.range.clone() else {
            continue;
        };
        let start = anchors[i].start;
        let (mut more_in_new, mut stands_there) = (false, false);
        for r in telling_parts(old, anchors[i].range()) {
            // Not counted (out of work): the diff's word stands.
            let Some(more) = repeats.more_in_new(old, r.clone()) else {
                continue 'claims;
            };
            more_in_new |= more;
            let there = (placed.start + r.start).checked_sub(start);
            stands_there |= there.is_some_and(|at| new.slice(at..at + r.len()) == old.slice(r));
        }
        if more_in_new && found.needs_review() {
            // An edited quote the diff placed: never confirmed in bulk.
            *found = Located::in_doubt_at(placed).capped(found.score);
        } else if more_in_new {
            located[i] = None;
            doubted.push((i, placed));
        } else if !found.needs_review()
            && one_word(&anchors[i].exact)
            && !stands_there
            && !hunks.kept_around(&anchors[i].range(), MOVED_CONTEXT, (old, new))
        {
            located[i] = None;
        }
    }
    doubted
}

/// The claims placed with certainty, in old order, for the shift of the
/// text around a claim.
struct Neighbours {
    /// Old start and new start of each, sorted by old start.
    placed: Vec<(usize, usize)>,
}

impl Neighbours {
    fn new(anchors: &[&Anchor], located: &[Option<Located>]) -> Self {
        let mut placed: Vec<(usize, usize)> = anchors
            .iter()
            .zip(located)
            .filter_map(|(a, l)| {
                let l = l.as_ref().filter(|l| !l.needs_review())?;
                Some((a.start, l.range.as_ref()?.start))
            })
            .collect();
        placed.sort_unstable();
        Self { placed }
    }

    /// Where `anchor` would start had it moved as the nearest claim before
    /// it did (or, first of all, the nearest after it).
    fn expected_start(&self, anchor: &Anchor) -> Option<usize> {
        let k = self.placed.partition_point(|(old, _)| *old < anchor.start);
        let (old, new) = k
            .checked_sub(1)
            .and_then(|before| self.placed.get(before))
            .or(self.placed.get(k))?;
        (anchor.start + new).checked_sub(*old)
    }
}

/// How many times a passage is counted in each text, at most: enough to
/// tell a passage the new text repeats more often than the old.
const REPEATS_COUNTED: usize = 8;
/// How much of a long quote its passage holds.
const PASSAGE_QUOTE: usize = 24;

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
    use crate::anchor::tests::far_text;
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
    fn a_claim_in_a_passage_the_new_text_repeats_is_in_doubt() {
        let passage = "Officials said the regional talks would resume in Geneva next week.";
        let old = Article::new("t", &format!("{passage}\n\nMarkets rose on the news.\n"));
        // The passage quoted again at the end: which copy is the claim's?
        let new = Article::new("t", &format!("{}\n{passage}\n", old.text()));
        let claim = claim_on(&old, "talks would resume");
        let placed = place_through_diff(&old, &new, &[&claim]);
        let found = &placed.placements.located[0];
        assert!(found.needs_review(), "{found:?}");
        assert_eq!(
            found.range,
            Some(claim.range()),
            "the diff's place is offered"
        );
        // Once only, it is certain.
        let new = Article::new("t", &format!("Update.\n{}", old.text()));
        let placed = place_through_diff(&old, &new, &[&claim]);
        assert!(!placed.placements.located[0].needs_review());
    }

    #[test]
    fn the_longest_run_in_order_is_kept() {
        let pairs = [(0, 3), (1, 0), (2, 1), (3, 4), (4, 2), (5, 5)];
        assert_eq!(
            longest_increasing(&pairs),
            vec![(1, 0), (2, 1), (4, 2), (5, 5)]
        );
        assert_eq!(longest_increasing(&[]), vec![]);
    }

    #[test]
    fn a_long_text_is_cut_at_its_unique_words_and_each_edit_found() {
        // 4,000 distinct words, three of them replaced: too costly to diff
        // whole, so cut; every edit is still its own one-word hunk.
        let before: Vec<u32> = (0..4_000).collect();
        let mut after = before.clone();
        for at in [10, 2_000, 3_999] {
            after[at] += 10_000;
        }
        assert!(diff_cost(before.len(), after.len()) > CUT_ABOVE);
        let found = token_hunks(
            Algorithm::Histogram,
            &before,
            &after,
            &mut Budget::for_input(0),
        );
        assert_eq!(
            found,
            vec![
                (10..11, 10..11),
                (2_000..2_001, 2_000..2_001),
                (3_999..4_000, 3_999..4_000)
            ]
        );
    }

    #[test]
    fn a_stretch_the_budget_does_not_cover_is_changed_whole() {
        // No token occurs once: nothing to cut at, and too costly to diff.
        let before: Vec<u32> = (0..4_000).map(|i| i % 7).collect();
        let mut after = before.clone();
        after[5] = 9;
        after[3_990] = 9;
        let mut budget = Budget::units(1_000);
        let found = token_hunks(Algorithm::Histogram, &before, &after, &mut budget);
        assert_eq!(
            found,
            vec![(5..3_991, 5..3_991)],
            "the common ends are kept"
        );
        // With the work allowed, the two edits alone.
        let found = token_hunks(
            Algorithm::Histogram,
            &before,
            &after,
            &mut Budget::for_input(0),
        );
        assert_eq!(found, vec![(5..6, 5..6), (3_990..3_991, 3_990..3_991)]);
    }

    #[test]
    fn a_claim_over_many_hunks_counts_each_one_once() {
        let old = Article::new("t", "one two three four five six seven");
        let new = Article::new("t", "one 2 three 4 five 6 seven and more");
        let hunks = Hunks::between(&old, &new, &mut Budget::for_input(0))
            .unwrap_or_else(|| panic!("diffable"));
        // "two three four five six": "two", "four", "six" deleted (10 chars),
        // "2", "4", "6" inserted.
        let (range, deleted, inserted) = hunks.place(&(4..27));
        assert_eq!((deleted, inserted), (10, 3));
        assert_eq!(new.slice(range), "2 three 4 five 6");
        // Half of "two" to half of "six": the claim's own chars only.
        let (_, deleted, _) = hunks.place(&(5..25));
        assert_eq!(deleted, 2 + 4 + 1);
        assert_eq!(hunks.place(&(8..13)).1, 0, "\"three\" untouched");
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
    fn a_change_across_a_claims_edge_leaves_the_neighbours_words_out() {
        let old = Article::new(
            "t",
            "Ukraine strongly disagreed with him about the outcome of the long meeting. \
             Markets fell sharply on the news.",
        );
        let claim = claim_on(
            &old,
            "Ukraine strongly disagreed with him about the outcome of the long meeting",
        );
        // The claim's last word and the next sentence's start went, replaced
        // by other words: one changed stretch across the claim's end.
        let new = Article::new(
            "t",
            "Ukraine strongly disagreed with him about the outcome of the long war, prices sharply on the news.",
        );
        let placed = place_through_diff(&old, &new, &[&claim]);
        let found = &placed.placements.located[0];
        assert!(found.needs_review(), "{found:?}");
        let range = found.range.clone().unwrap_or_default();
        assert_eq!(
            new.slice(range),
            "Ukraine strongly disagreed with him about the outcome of the long",
            "{found:?}"
        );
        assert_eq!(
            placed.changes[0].as_ref().map(|c| c.new.as_str()),
            Some("Ukraine strongly disagreed with him about the outcome of the long")
        );
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
        let hunks = Hunks::between(&old, &new, &mut Budget::for_input(0))
            .unwrap_or_else(|| panic!("diffable"));
        let len = anchors[1].exact.chars().count();
        let budget = &mut Budget::for_input(0);
        let counted = Counted::new(
            &old,
            &new,
            passages(&old, &anchors[1].range()).into_iter(),
            budget,
        );
        let placed = moved(
            (&old, &new),
            (&hunks.deleted(), &hunks.inserted()),
            &counted,
            &anchors[1],
        );
        assert_eq!(placed, Some(0..len));
        let refs: Vec<&Anchor> = anchors.iter().collect();
        let placed = place_through_diff(&old, &new, &refs);
        for (anchor, found) in anchors.iter().zip(&placed.placements.located) {
            let range = found.range.clone().unwrap_or_default();
            assert_eq!(new.slice(range), anchor.exact, "{found:?}");
            assert!(!found.needs_review(), "{found:?}");
        }
    }

    #[test]
    #[allow(
        clippy::single_range_in_vec_init,
        reason = "lists of char ranges, often of one"
    )]
    fn a_passage_counts_where_a_change_touches_it_not_beside_one() {
        let article = Article::new("t", "ab ab ab ab");
        let count = |changed: &[Range<usize>]| {
            touched(&article, &["ab"], changed, &mut Budget::for_input(100))[0]
        };
        // A char of it changed, or text put in strictly inside it.
        assert_eq!(count(&[1..2]), Some(1));
        assert_eq!(count(&[4..4]), Some(1));
        // Text put in at its edge or changed next to it leaves it whole.
        assert_eq!(count(&[3..3, 5..6]), Some(0));
        assert_eq!(count(&[1..4, 7..10]), Some(4));
        assert_eq!(count(&[]), Some(0));
    }

    #[test]
    fn a_quotes_change_is_the_words_and_letters_that_changed() {
        let shown = |old: &str, new: &str| -> Vec<(String, String)> {
            let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
            quote_changes(old, new)
                .into_iter()
                .map(|(b, a)| (o[b].iter().collect(), n[a].iter().collect()))
                .collect()
        };
        assert_eq!(
            shown(
                "Both countries agreed to release 1,000 prisoners",
                "Both countries agreed to release 1,200 prisoners"
            ),
            [("0".into(), "2".into())]
        );
        // Letters of unrelated words are not matched up: a word replaced
        // is one change.
        assert_eq!(
            shown("talks were satisfactory", "talks were a failure"),
            [("satisfactory".into(), "a failure".into())]
        );
        assert_eq!(
            shown("no interest in a truce", "no intrest in truce"),
            [("e".into(), "".into()), (" a".into(), "".into())]
        );
        assert!(quote_changes("same", "same").is_empty());
        // A stretch past the work allowed is changed whole, quickly.
        let old: String = (0..200_000).map(|k| ["ab ", "cd "][k % 7 % 2]).collect();
        let new: String = (0..200_000).map(|k| ["ab ", "cd "][k % 5 % 2]).collect();
        let changes = quote_changes(&old, &new);
        assert!(!changes.is_empty());
    }

    /// `quotes` claimed on `old`, placed in `new` through the diff.
    fn placed_through_diff(old: &str, new: &str, quotes: &[&str]) -> Vec<Located> {
        let (old, new) = (Article::new("t", old), Article::new("t", new));
        let anchors: Vec<Anchor> = quotes.iter().map(|q| claim_on(&old, q)).collect();
        let refs: Vec<&Anchor> = anchors.iter().collect();
        place_through_diff(&old, &new, &refs).placements.located
    }

    #[test]
    fn a_last_paragraph_swapped_with_the_one_before_is_moved_though_claims_around_it_stayed() {
        // The claims before and after the moved paragraph are left to the
        // search (a typo in one, the other's neighbourhood changed) and stay
        // where the diff maps them: equally far from their mapped places,
        // which says nothing about the text between (the diff shows what was
        // put in there).
        let old = "\"It really did devastate me.\"\n\n\
                   \"The chances of its recovery were slim\" he said, but the file was found on Friday.\n\n\
                   \"The next morning we called Stan to deliver the good news,\" he said.";
        let new = "\"It reallyy did devastate me.\"\n\n\
                   \"The next morning we called Stan to deliver the good news,\" he said.\n\
                   \"The chances of its recovery were slim\" he said, but the file was found on Friday.\n\n";
        let moved = "\"The next morning we called Stan to deliver the good news,\" he said.";
        let found = placed_through_diff(old, new, &["really", "chances", moved]);
        let start = new.find(moved).unwrap_or_default();
        let want = start..start + moved.chars().count();
        assert_eq!(found[2].range, Some(want), "{found:?}");
        assert!(!found[2].needs_review(), "{found:?}");
    }

    #[test]
    fn a_deleted_claim_is_orphaned_though_its_passage_stands_again_as_it_was() {
        // The old text had the paragraph twice, after the same paragraph; the
        // claim's copy went. The copy left has the claim's quote and one side
        // of its context, which the search alone takes for the claim moved.
        let kept = "Markets rose on the news of the exchange, traders said on Monday.";
        let twice = "The envoy called the second round of talks satisfactory and fruitful.";
        let old = format!("{kept}\n\n{twice}\n\n{kept}\n\n{twice}\n\nThe end.");
        let new = format!("{kept}\n\n{kept}\n\n{twice}\n\nThe end.");
        let searched = crate::anchor::locate_all(
            &Article::new("t", &new),
            &[&claim_on(&Article::new("t", &old), twice)],
        );
        assert!(
            !searched.located[0].needs_review(),
            "the trap is set: {:?}",
            searched.located[0]
        );
        let found = placed_through_diff(&old, &new, &[twice]);
        assert_eq!(found[0].state, AnchorState::Orphaned, "{found:?}");
    }

    const COPIED: &str = "Tan said she stayed for so long because she 'needed time to think'\n\n\
                          Worker Jiang Li said: 'We work in shifts here.'";

    /// The article with [`COPIED`], and the same with a paragraph put in
    /// right after the claim's "think'" and the passage copied before
    /// (`copy_first`) or after it.
    fn copied_passage(copy_first: bool) -> (String, String) {
        let old = format!("Tan was found safe.\n\n{COPIED}\n\nThe end.");
        let edited = COPIED.replace(
            "\n\nWorker",
            "\n\nHe added: 'She was a paying customer.'\nWorker",
        );
        let new = if copy_first {
            format!("{COPIED}\n\nTan was found safe.\n\n{edited}")
        } else {
            format!("Tan was found safe.\n\n{edited}\n\n{COPIED}")
        };
        (old, new)
    }

    #[test]
    fn a_short_claim_with_a_paragraph_put_in_after_it_is_offered_at_its_place_not_a_copy() {
        // At the claim's own place the side before it stands, and the diff
        // kept it there: the diff's place, asked about (the quote with that
        // side stands twice now), not the copy further on with both sides.
        let (old, new) = copied_passage(false);
        let found = placed_through_diff(&old, &new, &["think"]);
        let start = new.find("think").unwrap_or_default();
        assert_eq!(found[0].range, Some(start..start + 5), "{found:?}");
        assert!(found[0].needs_review(), "{found:?}");
    }

    #[test]
    fn a_claim_the_diff_lines_up_with_a_copy_of_its_passage_is_in_doubt() {
        // The copy first, the diff keeps it and has the claim's own place put
        // in: the quote with the side before it stands twice, once before.
        let (old, new) = copied_passage(true);
        let found = placed_through_diff(&old, &new, &["think"]);
        assert!(found[0].needs_review(), "{found:?}");
    }

    #[test]
    fn a_line_swapped_with_its_neighbour_is_offered_where_it_went() {
        // Both of the claim's context sides changed and the diff shows its
        // text deleted and put in a line further: asked about, not dropped.
        let old =
            "Are you shocked by this story?\nYes\nNo\nVote\nView Results\nThe sisters say so.";
        let new =
            "Are you shocked by this story?Yes\nVote\nNo\n\nView Results\nThe sisters say so.";
        let found = placed_through_diff(old, new, &["Vote"]);
        let start = new.find("Vote").unwrap_or_default();
        assert_eq!(found[0].range, Some(start..start + 4), "{found:?}");
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

    const STAYED: &str = "Officials said the regional talks would resume in Geneva next week.";

    #[test]
    fn a_claim_in_a_passage_copied_far_away_is_certain_where_its_neighbour_says_so() {
        // The passage quoted again far on: the diff keeps the claim at its
        // place, and the search from the shift of the claim before it finds
        // it there whole with all its context, the copy beyond reach. Two
        // ways of looking agree: no question.
        let old = format!("Markets rose on the news.\n\n{STAYED}\n\nThe end.");
        let new = format!(
            "Update: new figures.\n\n{old}\n\n{}{STAYED}\n",
            far_text(4_000)
        );
        let found = placed_through_diff(&old, &new, &["Markets rose", "talks would resume"]);
        let start = new.find("talks would resume").unwrap_or_default();
        assert_eq!(found[1].range, Some(start..start + 18), "{found:?}");
        assert!(!found[1].needs_review(), "{found:?}");
    }

    #[test]
    fn a_claim_edited_in_a_passage_the_new_text_repeats_is_not_confirmed_in_bulk() {
        // A typo in the claim, and the passage, typo and all, quoted again:
        // the diff's suggestion is one of two, never confirmed with others.
        let edited = STAYED.replace("would", "wuold");
        let old = format!("Markets rose on the news.\n\n{STAYED}\n\nThe end.");
        let new = format!("Markets rose on the news.\n\n{edited}\n\nThe end.\n\n{edited}\n");
        let found = placed_through_diff(&old, &new, &["talks would resume in Geneva"]);
        assert!(
            matches!(found[0].state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        assert!(
            found[0].score < super::super::BULK_CONFIRM_SCORE,
            "{found:?}"
        );
    }

    /// The placement in `new` of a claim on `at` (chars) of `old`.
    fn placed_at(old: &str, new: &str, at: Range<usize>) -> Located {
        let (old, new) = (Article::new("t", old), Article::new("t", new));
        let anchor = Anchor::capture(&old, at);
        place_through_diff(&old, &new, &[&anchor])
            .placements
            .located
            .remove(0)
    }

    #[test]
    fn two_lines_opening_alike_swapped_are_moved_whole() {
        // The diff keeps the line after the claim's and the claim's opening
        // words with it; slid to whole lines, its deletion is the claim's
        // line, moved.
        let steel = "Jaeger-LeCoultre Reverso Squadra Hometime in stainless steel: $8,550 list, $6,800 street";
        let gold = "Jaeger-LeCoultre Reverso Squadra Hometime in 18k pink gold: $23,300 list, $18,400 street";
        let intro = "The Jaeger-LeCoultre Reverso Squadra Hometime measures 50.5 mm: $14,750 extra for 18k gold";
        let old = format!("{intro}\n{steel}\n{gold}\nThis list could go on and on.");
        let new = format!("{intro}\n{gold}\n{steel}\n\nThis list could go on and on.");
        let start = old.find(steel).unwrap_or_default();
        let found = placed_at(&old, &new, start..start + steel.len());
        let want = new.find(steel).unwrap_or_default();
        assert_eq!(found.range, Some(want..want + steel.len()), "{found:?}");
        assert!(!found.needs_review(), "{found:?}");
    }

    #[test]
    fn a_letter_swapped_with_the_space_after_it_is_the_letter_put_in() {
        let old = "Surprisingly, this isn't the first time it has happened.";
        let new = "Surprisingly, this isn' tthe first time it has happened.";
        let t = old.find("t the").unwrap_or_default();
        let found = placed_at(old, new, t..t + 1);
        let want = new.find("tthe").unwrap_or_default();
        assert_eq!(found.range, Some(want..want + 1), "{found:?}");
        assert!(!found.needs_review(), "{found:?}");
    }

    #[test]
    fn a_claim_a_deletion_could_leave_standing_is_asked_about_there() {
        // "co/A… t." or "A… t.co/" went: the same text either way, and only
        // the second leaves the claim's "co" standing.
        let old = "Posts: http://t.co/AAAA so scary. And http://t.co/BBBB omg.";
        let new = "Posts: http://t.co/BBBB omg.";
        let co = old.rfind("co/").unwrap_or_default();
        let found = placed_at(old, new, co..co + 2);
        let want = new.find("co/").unwrap_or_default();
        assert_eq!(found.range, Some(want..want + 2), "{found:?}");
        assert!(found.needs_review(), "{found:?}");
    }

    #[test]
    fn two_look_alike_lines_swapped_each_land_on_their_own() {
        // Letter by letter the diff makes each line an edit of the other.
        let over = "A 42x36x10 mm rectangle of 18-karat gold would cost over $8,300";
        let more = "A 42x36x10 mm rectangle of 18-karat gold would cost more than $3,200";
        let old = format!("The case alone is costly.\n\n{over}\n{more}\nNow a thinner one.");
        let new = format!("The case alone is costly.\n\n{more}\n{over}\n\nNow a thinner one.");
        for quote in [over, more] {
            let start = old.find(quote).unwrap_or_default();
            let found = placed_at(&old, &new, start..start + quote.len());
            let want = new.find(quote).unwrap_or_default();
            assert_eq!(
                found.range,
                Some(want..want + quote.len()),
                "{quote}: {found:?}"
            );
            assert!(!found.needs_review(), "{quote}: {found:?}");
        }
    }

    #[test]
    fn a_line_moved_and_typod_is_found_in_its_new_place() {
        // Seed 128: the caption line moved up a paragraph and typo'd; the
        // diff deletes it where it was and puts it in above.
        let old = "Tapeworm found after eating too much sashimi.\n\n\
                   Scroll down for video\n\n\
                   One man's love of sashimi nearly killed him, doctors said.";
        let new = "Scroll doown for video\n\
                   Tapeworm found after eating too much sashimi.\n\n\n\n\
                   One man's love of sashimi nearly killed him, doctors said.";
        let start = old.find("Scroll").unwrap_or_default();
        let found = placed_at(old, new, start..start + "Scroll".len());
        assert_eq!(found.range, Some(0..6), "{found:?}");
        assert!(!found.needs_review(), "{found:?}");
        // After the typo in its line, shifted by the letter put in.
        let start = old.find("for video").unwrap_or_default();
        let found = placed_at(old, new, start..start + "for video".len());
        assert_eq!(found.range, Some(13..22), "{found:?}");
        assert!(!found.needs_review(), "{found:?}");
    }

    #[test]
    fn a_word_with_a_paragraph_put_in_before_its_line_is_kept_with_the_line_before() {
        // Seed 68: "On" opens its line; a paragraph put in before it and a
        // typo a word after it leave few chars kept next to it, but the
        // line before still stands before what was put in.
        let old = "Families have returned to their homes, the agency said.\n\n\
                   POLITICAL CRISIS\n\n\
                   On Monday, the newly elected parliament asked the premier to stay.";
        let new = old.replace(
            "On Monday, ",
            "No one shall be held in slavery or servitude.\nOn Monday ,",
        );
        let start = old.find("On Monday").unwrap_or_default();
        let found = placed_at(old, &new, start..start + 2);
        let want = new.find("On Monday").unwrap_or_default();
        assert_eq!(found.range, Some(want..want + 2), "{found:?}");
        assert!(!found.needs_review(), "{found:?}");
    }
}

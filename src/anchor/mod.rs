//! Finding claims' quotes again in an article that may have changed since the
//! claims were made, and saying honestly how sure we are.
//!
//! When the article's old text is known, [`place_through_diff`] (`diff.rs`)
//! maps every claim through a diff of the two texts: untouched claims land
//! with certainty, changed ones are reported with their quote's old and new
//! text, moved ones are found among the inserted text. What follows is the
//! search used when the old text is unknown, and for the claims a diff cannot
//! place (deleted ones, which it orphans).
//!
//! Order of work, for all claims of a file at once:
//! 1. the stored offsets still hold the quote **and** its stored context on
//!    both sides: **exact** (a short quote at its old offsets proves nothing
//!    once the text around it changed);
//! 2. every other claim gathers candidate places near where it should be (the
//!    stored offset shifted as much as the claim before it moved): the quote's
//!    exact occurrences in that window (and, for far moves, its first
//!    occurrences in the whole article, from one pass of `occurrences.rs`),
//!    the places its stored context still marks (the prefix's end, the
//!    suffix's start) searched for the quote with a few edits allowed, the
//!    quote and those pieces of context together, edits allowed, at the
//!    expected place (typos in both pieces hide it from their exact search),
//!    the quote's length of text next to a piece of context when the quote
//!    is edited past the search's allowance there ("video" now "viedo"),
//!    and an approximate search of the window (Myers' bit-parallel edit
//!    distance). A match holding none of the quote counts only with both
//!    sides of context around it, and none reaching into those sides;
//! 3. all candidates are ranked on one scale, in matching chars: the quote's
//!    length less a few chars for each edit in it, plus each side's context
//!    similarity times its length, plus a few chars' worth for nearness. The
//!    winner is **exact** (at its stored offsets) or **moved** (elsewhere)
//!    without asking when its quote is intact, at least one side of its
//!    context is intact (not the side away from a copy of the quote that
//!    stood right next to it: "L\nL") or its line as stored (the quote with
//!    the stored context out to the line breaks) stands whole, and only
//!    once, as in a moved paragraph, it is near, no other place comes close
//!    (a copy of the passage, context and all, beyond the near window does
//!    not count against a quote whole at its place with all its stored
//!    context: a news body published twice) nor shares its intact side with
//!    the quote there edited (the passage twice), the quote was not taken
//!    out at its own place while this place kept its old neighbours (a
//!    copy), and the claim's context does not stand elsewhere around other
//!    words (its own place, rewritten;
//!    whole other lines between its old neighbouring lines, its line found
//!    once elsewhere, are a swapped paragraph instead);
//!    otherwise, scoring at least
//!    [`MIN_FUZZY_SCORE`], it is **fuzzy** (shown, awaiting confirmation; at
//!    [`BULK_CONFIRM_SCORE`] and above, safe to confirm all at once, which
//!    a quote whose figures changed, or that runs into a word where the
//!    quote ended one, never is);
//!    A place found in part inside the span between the two sides of the
//!    claim's stored context is widened to that span (a sentence put into
//!    the quote's middle); when the winner is further than `FAR_MOVE`, the
//!    best place near is suggested instead, if it is worth suggesting: a copy
//!    of the passage far away is not the claim's own edited place, and when
//!    a quarter of the quote or more still stands by one side of its context
//!    (the rest deleted) the far copy is not suggested at all, nor is any
//!    copy when the claim's context stands at its place around other words,
//!    most of them not the quote's (the claim rewritten there). A suggested
//!    place leaves out what lines up with the quote only by chance at an
//!    edge its context no longer follows (`edges.rs`: a deletion that took
//!    the quote's end and the next sentence's start);
//! 4. a claim none of these places is searched at the places where pieces
//!    of its quote still occur anywhere, ranked and judged the same way;
//! 5. otherwise **orphaned**: kept with its stored anchor, never dropped;
//! 6. last, a claim placed where the claims placed without asking around
//!    it show the same text stood before, away from the claim's own old
//!    place, is orphaned: that text is another copy of the passage
//!    (`vouched.rs`).
//!
//! A wrong place is worse than an orphan: quotes shorter than [`SHORT_QUOTE`]
//! chars are suggested only when their context agrees, since a short quote
//! alone (a name, a number) occurs in many places.
//!
//! All of it draws on one work budget in proportion to the input (see
//! `work.rs`). A claim whose search the budget does not cover is orphaned and
//! counted in [`Placements::unsearched`]; a claim that is searched gets the
//! same answer as with no budget at all.

mod diff;
mod edges;
mod myers;
mod occurrences;
mod vouched;
mod work;

pub use diff::{
    DiffPlacements, QuoteChange, place_claims_through_diff, place_through_diff, quote_changes,
};

use crate::model::{Anchor, AnchorState, Article, Claim};
use std::ops::Range;
use work::{Budget, CHAR, DISTANCE_CELL, MYERS_STEP, OFFSET_LOOKUP, OutOfWork};

/// Quotes shorter than this (in chars) need agreeing context to be suggested.
pub const SHORT_QUOTE: usize = 20;
/// Fuzzy placements scoring below this (0..=1) are orphaned instead.
pub const MIN_FUZZY_SCORE: f32 = 0.72;
/// Fuzzy placements scoring at least this (a few chars of a quote changed at
/// a place whose context holds) are offered for confirmation all at once:
/// none of 22,516 was wrong on 144 seeds of the generated scenarios of
/// `tests/reanchor_accuracy.rs`. Below it the
/// user should look at each.
pub const BULK_CONFIRM_SCORE: f32 = 0.9;
/// What a fuzzy place chosen among look-alikes (another place comes close,
/// the claim's context stands elsewhere too), found far away, or whose
/// figures differ from the quote's scores at most, however well it matches:
/// below [`BULK_CONFIRM_SCORE`], so the user looks at each. Near-duplicate
/// news bodies (the FNC-1 corpus) put an intact copy of a deleted passage,
/// context and all, far away.
const AMBIGUOUS_SCORE: f32 = 0.85;
/// Quotes up to this many chars are a letter or two: found running into a
/// word where they were a word, they are part of another.
const LETTER_WORD: usize = 2;
/// Chars next to such a quote on its line that must stand for a side of its
/// context to tell its place.
const LETTER_NEIGHBOURS: usize = 4;
/// Quote similarity (0..=1) below which a match is only a piece of the
/// quote, widened to what stands between the claim's context.
const FOUND_IN_PART: f32 = 0.9;
/// Context agreement (0..=1) a short quote needs to be suggested.
const SHORT_QUOTE_CONTEXT: f32 = 0.6;
/// A quote of at least this many chars found only once in the article, a
/// paragraph (a line) of its own then and now, moves without its context.
const UNIQUE_PARAGRAPH: usize = 12;
/// Similarity (0..=1) at which one side of the context counts as intact.
const INTACT_SIDE: f32 = 0.9;
/// By how many chars of rank a winner placed without asking must beat every
/// other place: a passage repeated nearby is the user's call.
const CLEAR_MARGIN: f32 = 8.0;
/// What one edit in the quote costs, in chars of rank: a changed quote is
/// stronger evidence against a place than a changed char of context.
const QUOTE_EDIT_COST: f32 = 3.0;
/// What nearness to the expected place is worth at most, in chars of rank:
/// enough to prefer the edited quote at its place over a copy elsewhere
/// whose context is equally intact, not enough to outweigh context.
const NEAR_BONUS: f32 = 6.0;
/// Distance (chars) at which nearness is worth half of [`NEAR_BONUS`].
const NEAR_HALF: f32 = 1000.0;
/// A quote found further than this (chars) from where the claim should be is
/// offered for confirmation instead of being moved silently.
const FAR_MOVE: usize = 20_000;
/// Chars from a claim's expected place within which a candidate stands at
/// the claim's own place (the neighbours' shift misses it by a few edits).
const AT_PLACE: usize = 64;
/// How far from the expected place the quote and its context are looked for, in chars.
const NEAR_WINDOW: usize = 3000;
/// Context compared on each side, at most: the stored chars nearest the quote.
const CONTEXT_COMPARED: usize = 32;
/// Length of the pieces of context next to the quote looked for near the
/// expected place; a side with less stored context is not looked for.
const CONTEXT_KEY: usize = 12;
/// Places kept per piece of context: the ones nearest the expected place.
const CONTEXT_HITS: usize = 8;
/// Occurrences of a quote kept in the whole article, for far moves.
const MAX_OCCURRENCES: usize = 2000;
/// Longer quotes are not searched approximately (the cost grows with quote
/// length times window length); they are placed exactly or orphaned.
const MAX_FUZZY_QUOTE: usize = 2000;
/// Bytes of a quote looked for in the whole article (at a char boundary):
/// enough to occur only a few times in prose.
const PIECE_BYTES: usize = 32;
/// Occurrences of a quote's piece at which the quote itself is checked;
/// quotes whose piece occurs more often are searched in full.
const CHECKED_PIECES: usize = 16;
/// Length of the pieces of a quote used to find far-away candidates.
const SEED_CHARS: usize = 10;
/// Candidate places kept per claim from the pieces of its quote.
const SEED_CANDIDATES: usize = 64;
/// Exact occurrences looked at per claim: the ones nearest the expected place.
/// Bounds the work for files full of claims on one common word.
const SCORED_OCCURRENCES: usize = 256;
/// Exact occurrences whose context is compared by edit distance: the best
/// ones by char-for-char context agreement.
const EXACT_SHORTLIST: usize = 4;

/// Where one anchor landed.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub state: AnchorState,
    /// Where it is shown now (`None` when orphaned).
    pub range: Option<Range<usize>>,
    /// Confidence in 0..=1: 1 for exact and moved; for fuzzy, 0.6 × quote
    /// similarity + 0.3 × context similarity + 0.1 × nearness, at least
    /// [`MIN_FUZZY_SCORE`] (the same as [`AnchorState::Fuzzy`]'s `score`).
    pub score: f32,
}

impl Located {
    /// `anchor` placed for certain on `range`: exact at its stored offsets,
    /// moved elsewhere.
    fn sure(anchor: &Anchor, range: Range<usize>) -> Self {
        let state = if range == anchor.range() {
            AnchorState::Exact
        } else {
            AnchorState::Moved {
                from: anchor.range(),
            }
        };
        Self {
            state,
            range: Some(range),
            score: 1.0,
        }
    }

    /// A fuzzy suggestion at `range`, an intact quote among look-alikes.
    fn in_doubt_at(range: Range<usize>) -> Self {
        Self {
            state: AnchorState::Fuzzy {
                at: range.clone(),
                score: AMBIGUOUS_SCORE,
            },
            range: Some(range),
            score: AMBIGUOUS_SCORE,
        }
    }

    /// This placement with its score at most `score`.
    fn capped(mut self, score: f32) -> Self {
        self.score = self.score.min(score);
        if let AnchorState::Fuzzy { score: s, .. } = &mut self.state {
            *s = s.min(score);
        }
        self
    }

    /// This placement, below bulk confirmation when it is a fuzzy match
    /// whose figures differ from the quote's ("1,000" now "1,200": a
    /// changed number is a changed fact), or that runs into a word where
    /// the quote ended one (a deleted "s" of "HBO's service" found as the
    /// first letter of "service"), for the user to look at.
    fn checked(self, article: &Article, anchor: &Anchor) -> Self {
        fn digits(text: &str) -> impl Iterator<Item = char> + '_ {
            text.chars().filter(|c| c.is_numeric())
        }
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let quote = &anchor.exact;
        let word_joined = |at: &Range<usize>| {
            let joins = |stored: Option<char>, found: Option<char>, edge: Option<char>| {
                word(edge) && !word(stored) && word(found)
            };
            joins(
                anchor.prefix.chars().next_back(),
                article.chars_before(at.start).next(),
                quote.chars().next(),
            ) || joins(
                anchor.suffix.chars().next(),
                article.chars_from(at.end).next(),
                quote.chars().next_back(),
            )
        };
        match &self.state {
            AnchorState::Fuzzy { at, .. }
                if !digits(quote).eq(digits(article.slice(at.clone()))) || word_joined(at) =>
            {
                self.capped(AMBIGUOUS_SCORE)
            }
            _ => self,
        }
    }

    fn orphan() -> Self {
        Self {
            state: AnchorState::Orphaned,
            range: None,
            score: 0.0,
        }
    }

    /// Whether the user is asked about this placement (fuzzy or orphaned).
    pub fn needs_review(&self) -> bool {
        matches!(
            self.state,
            AnchorState::Fuzzy { .. } | AnchorState::Orphaned
        )
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

impl Placements {
    /// How many claims the user is asked about: fuzzy ones to confirm,
    /// orphaned ones to place or let go.
    pub fn needing_review(&self) -> usize {
        self.located.iter().filter(|l| l.needs_review()).count()
    }
}

/// Allowed edits for a quote of `len` chars: about one in five.
fn error_budget(len: usize) -> usize {
    (len / 5).max(1)
}

/// What the anchors' offsets are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Offsets {
    /// Where each claim stood in the text it was saved against.
    Old,
    /// Mapped into the new text through a diff ([`diff`]): claims the same
    /// distance from their mapped place show nothing about what was put in
    /// between, the diff does; no [`vouched`] pass.
    Mapped,
}

/// Locates every anchor in `article`, within a work budget in proportion to
/// the article's and the quotes' length.
pub fn locate_all(article: &Article, anchors: &[&Anchor]) -> Placements {
    locate_from(article, anchors, Offsets::Old)
}

/// [`locate_all`] for anchors whose offsets are `offsets`.
pub(crate) fn locate_from(article: &Article, anchors: &[&Anchor], offsets: Offsets) -> Placements {
    let lens: Vec<usize> = anchors.iter().map(|a| a.exact.chars().count()).collect();
    let input = lens
        .iter()
        .fold(article.char_count(), |a, &b| a.saturating_add(b));
    locate_within(article, anchors, &lens, offsets, Budget::for_input(input))
}

/// [`locate_from`] within `budget`; `lens` are the quotes' lengths in chars.
fn locate_within(
    article: &Article,
    anchors: &[&Anchor],
    lens: &[usize],
    offsets: Offsets,
    mut budget: Budget,
) -> Placements {
    // `None` until the claim is searched; still `None` at the end: unsearched.
    let mut out: Vec<Option<Located>> = vec![None; anchors.len()];
    // Work in old-offset order, so each claim's expected place can follow the
    // shift of the claim placed before it.
    let mut order: Vec<usize> = (0..anchors.len()).collect();
    order.sort_by_key(|&i| anchors[i].start);
    let contexts: Vec<StoredContext> = anchors.iter().map(|a| StoredContext::of(a)).collect();

    // Claims whose stored offsets or context were checked and no longer hold.
    let mut pending = vec![false; anchors.len()];
    for &i in &order {
        let a = anchors[i];
        if a.exact.is_empty() {
            out[i] = Some(Located::orphan());
            continue;
        }
        let cost = a.exact.len() * CHAR + 4 * OFFSET_LOOKUP + 2 * CONTEXT_COMPARED * CHAR;
        if budget.take(cost).is_err() {
            break;
        }
        if a.start < a.end
            && a.holds_in(article)
            && contexts[i].runs(article, &a.range()).0 == contexts[i].chars()
        {
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
    let occurrences = find_quotes(article, &quotes, &mut budget);
    let mut shift: isize = 0;
    let mut needs_seeds = Vec::new();
    // Claims placed for certain with neither side of their context: a
    // paragraph of its own found once.
    let mut paragraph_alone = Vec::new();
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
        let Some(Some(far)) = quotes
            .binary_search(&a.exact.as_str())
            .ok()
            .map(|q| &occurrences[q])
        else {
            continue;
        };
        let claim = Claimed {
            anchor: a,
            context: &contexts[i],
            len: lens[i],
            expected: expected_start(a, shift),
            unique: far.len() == 1,
        };
        let Ok(candidates) = claim.candidates_near(article, far, &mut budget) else {
            continue;
        };
        let Ok(choice) = claim.choose(article, candidates, &mut budget) else {
            continue;
        };
        // A place between the claim's context that is not worth suggesting
        // leaves the claim orphaned: its own place is known, and a look-alike
        // elsewhere is not it.
        let own_place = choice.as_ref().is_some_and(Choice::own_place_known);
        let no_side = choice
            .as_ref()
            .is_some_and(|c| c.best.prefix.max(c.best.suffix) < INTACT_SIDE);
        match choice.and_then(|c| claim.judge(&c)) {
            None if own_place => out[i] = Some(Located::orphan()),
            Some(located) => {
                if no_side && !located.needs_review() {
                    paragraph_alone.push((i, claim.expected));
                }
                // Later claims follow only a placement made without asking.
                if let (AnchorState::Exact | AnchorState::Moved { .. }, Some(range)) =
                    (&located.state, &located.range)
                {
                    shift = range.start as isize - a.start as isize;
                }
                out[i] = Some(located);
            }
            None if lens[i] <= MAX_FUZZY_QUOTE => needs_seeds.push((i, claim.expected)),
            // Longer quotes are not searched approximately: they stay orphaned.
            None => out[i] = Some(Located::orphan()),
        }
    }

    // One pass over the article for both: claims not found near, and
    // paragraphs found once without their neighbours (checked for look-alikes
    // below).
    let searched = needs_seeds.len();
    let mut seeds = find_seeds(
        article,
        anchors,
        &[needs_seeds.as_slice(), &paragraph_alone].concat(),
        &mut budget,
    );
    let rivals = seeds.split_off(searched);
    let claimed = |i: usize, expected, unique| Claimed {
        anchor: anchors[i],
        context: &contexts[i],
        len: lens[i],
        expected,
        unique,
    };
    for ((i, expected), candidates) in needs_seeds.into_iter().zip(seeds) {
        let Some(candidates) = candidates else {
            continue;
        };
        let claim = claimed(i, expected, false);
        let found = claim
            .candidates_at_seeds(article, &candidates, &mut budget)
            .and_then(|c| claim.choose(article, c, &mut budget));
        if let Ok(choice) = found {
            out[i] = Some(
                choice
                    .and_then(|c| claim.judge(&c))
                    .unwrap_or_else(Located::orphan),
            );
        }
    }
    // A paragraph found once whole but with neither neighbour is as likely
    // a copy (a pull quote) while the claim's own, edited, stands elsewhere:
    // a look-alike anywhere puts it in doubt.
    for ((i, expected), seeds) in paragraph_alone.into_iter().zip(rivals) {
        let Some(placed) = out[i].as_ref().and_then(|l| l.range.clone()) else {
            continue;
        };
        let claim = claimed(i, expected, true);
        let rival = seeds.ok_or(OutOfWork).and_then(|seeds| {
            let found = claim.candidates_at_seeds(article, &seeds, &mut budget)?;
            Ok(found
                .iter()
                .any(|c| c.range.end <= placed.start || placed.end <= c.range.start))
        });
        if rival.unwrap_or(true) {
            out[i] = Some(Located::in_doubt_at(placed));
        }
    }
    // A place the claims around it show held other text before: a copy of
    // the passage that was there all along, the claim's own copy deleted.
    if offsets == Offsets::Old {
        for i in vouched::on_others_text(&placements_of(anchors, &out)) {
            out[i] = Some(Located::orphan());
        }
    }
    let unsearched = out.iter().filter(|l| l.is_none()).count();
    Placements {
        located: out
            .into_iter()
            .zip(anchors)
            .map(|(l, a)| l.unwrap_or_else(Located::orphan).checked(article, a))
            .collect(),
        unsearched,
    }
}

/// Each claim's old and new place, for `vouched.rs`.
fn placements_of(anchors: &[&Anchor], out: &[Option<Located>]) -> Vec<Option<vouched::Placement>> {
    anchors
        .iter()
        .zip(out)
        .map(|(a, l)| {
            let l = l.as_ref()?;
            Some(vouched::Placement {
                old: a.range(),
                new: l.range.clone()?,
                sure: !l.needs_review(),
            })
        })
        .collect()
}

/// Re-places claims in `article`: moved claims get fresh offsets and context;
/// fuzzy ones keep their stored anchor until the user confirms. Returns how
/// many claims were left orphaned unsearched ([`Placements::unsearched`]).
pub fn place_claims(article: &Article, claims: &mut [Claim]) -> usize {
    let anchors: Vec<&Anchor> = claims.iter().map(|c| &c.anchor).collect();
    let placements = locate_all(article, &anchors);
    apply_placements(article, claims, placements.located);
    placements.unsearched
}

/// Gives each claim its placement: moved claims get fresh offsets and
/// context; fuzzy ones keep their stored anchor until the user confirms.
fn apply_placements(article: &Article, claims: &mut [Claim], located: Vec<Located>) {
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

/// What nearness to the expected place is worth, in chars of rank.
fn near_bonus(distance: usize) -> f32 {
    NEAR_BONUS / (1.0 + distance as f32 / NEAR_HALF)
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

/// The window around `expected` searched for a quote of `len` chars.
fn near_window(article: &Article, expected: usize, len: usize) -> Range<usize> {
    let end = expected
        .saturating_add(len + NEAR_WINDOW)
        .min(article.char_count());
    expected.saturating_sub(NEAR_WINDOW).min(end)..end
}

/// Char offsets in `window` where `needle` starts (overlapping ones
/// included), the `cap` nearest `near`: half found forwards from it, half
/// backwards, so a word occurring everywhere costs `cap` finds, not a scan
/// of every occurrence.
fn starts_near(
    article: &Article,
    window: &Range<usize>,
    needle: &str,
    near: usize,
    cap: usize,
    budget: &mut Budget,
) -> Result<Vec<usize>, OutOfWork> {
    if needle.is_empty() || window.is_empty() {
        return Ok(Vec::new());
    }
    let near = near.clamp(window.start, window.end);
    let text = article.slice(window.clone());
    let split = article.byte_of_char(near) - article.byte_of_char(window.start);
    budget.take(text.len() * CHAR + 3 * OFFSET_LOOKUP)?;
    let step = |at: usize| text[at..].chars().next().map_or(1, char::len_utf8);
    let mut bytes = Vec::new();
    let mut from = split;
    while bytes.len() < cap.div_ceil(2) {
        let Some(at) = text[from..].find(needle) else {
            break;
        };
        budget.take(needle.len() * CHAR)?;
        bytes.push(from + at);
        from += at + step(from + at);
    }
    // Backwards: starts before `near`; each next match ends before the last.
    let boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut to = boundary((split + needle.len()).saturating_sub(1).min(text.len()));
    for _ in 0..cap / 2 {
        let Some(at) = text[..to].rfind(needle) else {
            break;
        };
        budget.take(needle.len() * CHAR)?;
        bytes.push(at);
        to = boundary(at + needle.len() - 1);
    }
    bytes.sort_unstable();
    bytes.dedup();
    let base = article.byte_of_char(window.start);
    Ok(bytes
        .into_iter()
        .map(|b| article.char_of_byte(base + b))
        .collect())
}

/// A claim's stored context, the chars nearest the quote on each side
/// (at most [`CONTEXT_COMPARED`]), nearest first.
struct StoredContext {
    prefix: Vec<char>,
    suffix: Vec<char>,
}

impl StoredContext {
    fn of(anchor: &Anchor) -> Self {
        Self {
            prefix: anchor.prefix.chars().rev().take(CONTEXT_COMPARED).collect(),
            suffix: anchor.suffix.chars().take(CONTEXT_COMPARED).collect(),
        }
    }

    /// Chars of context compared, both sides together.
    fn chars(&self) -> usize {
        self.prefix.len() + self.suffix.len()
    }

    /// How many chars of stored context match char for char outward from
    /// `range`, both sides together, and how many chars were compared.
    fn runs(&self, article: &Article, range: &Range<usize>) -> (usize, usize) {
        let run = |stored: &[char], found: &mut dyn Iterator<Item = char>| {
            stored
                .iter()
                .zip(found)
                .take_while(|(a, b)| **a == *b)
                .count()
        };
        let prefix = run(&self.prefix, &mut article.chars_before(range.start));
        let suffix = run(&self.suffix, &mut article.chars_from(range.end));
        (prefix + suffix, prefix + suffix + 2)
    }

    /// Whether the stored context's [`CONTEXT_KEY`] chars nearest the quote
    /// (all of a shorter side, if any) stand right before and right after
    /// `range`.
    fn key_sides_at(&self, article: &Article, range: &Range<usize>) -> (bool, bool) {
        let stands = |key: &[char], found: &mut dyn Iterator<Item = char>| {
            !key.is_empty() && key.iter().zip(found).filter(|(a, b)| **a == *b).count() == key.len()
        };
        let (before, after) = self.keys();
        (
            stands(before, &mut article.chars_before(range.start)),
            stands(after, &mut article.chars_from(range.end)),
        )
    }

    /// Whether the stored context next to the quote on its line (up to a
    /// line break, at most [`LETTER_NEIGHBOURS`] chars) stands right next to
    /// `range`, before and after: false where none is stored.
    fn line_neighbours_at(&self, article: &Article, range: &Range<usize>) -> (bool, bool) {
        let stands = |stored: &[char], found: &mut dyn Iterator<Item = char>| {
            let line: Vec<char> = stored
                .iter()
                .take(LETTER_NEIGHBOURS)
                .take_while(|&&c| c != '\n')
                .copied()
                .collect();
            !line.is_empty() && found.take(line.len()).eq(line)
        };
        (
            stands(&self.prefix, &mut article.chars_before(range.start)),
            stands(&self.suffix, &mut article.chars_from(range.end)),
        )
    }

    /// Which sides of a one-word quote's context can tell its place: not
    /// the side of a line break when the word opens (or ends) a longer line,
    /// which says only that a line starts there ("Bary was an aspiring
    /// rapper…", a paragraph's first sentence, deleted and the next one
    /// opening "Bary’s songs…"). A word that is its whole line is told by
    /// either.
    fn word_sides_tell(&self) -> (bool, bool) {
        let line_edge = |side: &[char]| side.first().is_none_or(|&c| c == '\n');
        let (starts, ends) = (line_edge(&self.prefix), line_edge(&self.suffix));
        (!starts || ends, !ends || starts)
    }

    /// How many chars of stored context lie on the quote's line on each
    /// side, when a line break (or the article's edge: no context stored)
    /// ends the line within the stored context on both.
    fn line_sides(&self) -> Option<(usize, usize)> {
        let side = |stored: &[char]| {
            (stored.iter().position(|&c| c == '\n')).or(stored.is_empty().then_some(0))
        };
        Some((side(&self.prefix)?, side(&self.suffix)?))
    }

    /// The claim's line as stored: `quote` with the stored context out to
    /// the line breaks ([`Self::line_sides`]).
    fn line(&self, quote: &str) -> Option<String> {
        let (before, after) = self.line_sides()?;
        let mut line: String = self.prefix[..before].iter().rev().collect();
        line.push_str(quote);
        line.extend(&self.suffix[..after]);
        Some(line)
    }

    /// Whether the claim's line as stored stands around `range`, a line of
    /// its own (a line break or the article's edge on each side).
    fn line_around(&self, article: &Article, range: &Range<usize>) -> bool {
        self.line_sides().is_some_and(|(before, after)| {
            line_stands(&self.prefix[..before], article.chars_before(range.start))
                && line_stands(&self.suffix[..after], article.chars_from(range.end))
        })
    }

    /// The stored context's [`CONTEXT_KEY`] chars nearest the quote on each
    /// side (all of a shorter side), nearest first.
    fn keys(&self) -> (&[char], &[char]) {
        (
            &self.prefix[..self.prefix.len().min(CONTEXT_KEY)],
            &self.suffix[..self.suffix.len().min(CONTEXT_KEY)],
        )
    }

    /// Similarity (0..=1, by edit distance) of each side of the stored context
    /// to the text on that side of `range`: (prefix, suffix). A side with no
    /// stored context (the quote was at the article's edge) agrees fully
    /// where the candidate is at the edge too, half elsewhere.
    fn similarity(
        &self,
        article: &Article,
        range: &Range<usize>,
        budget: &mut Budget,
    ) -> Result<(f32, f32), OutOfWork> {
        budget.take(self.chars() * CHAR + 2 * OFFSET_LOOKUP)?;
        let before: Vec<char> = article
            .chars_before(range.start)
            .take(self.prefix.len().max(1))
            .collect();
        let after: Vec<char> = article
            .chars_from(range.end)
            .take(self.suffix.len().max(1))
            .collect();
        Ok((
            side_similarity(&self.prefix, &before, budget)?,
            side_similarity(&self.suffix, &after, budget)?,
        ))
    }
}

/// How alike a side of stored context is to the text found there (both
/// nearest the quote first), 0..=1.
fn side_similarity(stored: &[char], found: &[char], budget: &mut Budget) -> Result<f32, OutOfWork> {
    if stored.is_empty() {
        return Ok(if found.is_empty() { 1.0 } else { 0.5 });
    }
    let found = &found[..found.len().min(stored.len())];
    if stored == found {
        return Ok(1.0);
    }
    budget.take(stored.len() * found.len().max(1) * DISTANCE_CELL)?;
    let errors = myers::distance(stored, found);
    Ok(1.0 - (errors as f32 / stored.len() as f32).min(1.0))
}

/// A place the quote may be: its range and the edits between the quote and
/// the text there.
#[derive(Clone, Debug, PartialEq)]
struct Candidate {
    range: Range<usize>,
    errors: usize,
    kind: Kind,
}

/// What a [`Candidate`] stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// The quote, perhaps edited.
    Quote,
    /// Not the quote: the place between its stored context's two sides.
    BetweenContext,
    /// Not the quote: a quarter of it or more (and [`CONTEXT_KEY`] chars),
    /// unedited, right next to
    /// one side of its stored context; the rest of it deleted.
    Remnant,
}

/// A candidate ranked on the one scale all candidates share.
#[derive(Clone, Debug)]
struct Scored {
    range: Range<usize>,
    errors: usize,
    /// Quote similarity, 0..=1.
    quote: f32,
    /// Each side's context similarity, 0..=1.
    prefix: f32,
    suffix: f32,
    /// Quote chars less [`QUOTE_EDIT_COST`] per edit, plus matching chars of
    /// context, plus [`near_bonus`].
    rank: f32,
    distance: usize,
}

/// The best-ranked candidate and the rank of the best one elsewhere.
struct Choice {
    best: Scored,
    runner_up: Option<f32>,
    /// The claim's context stands elsewhere around other words.
    rewritten_elsewhere: bool,
    /// The quote was taken out at the claim's place, `best` lying away.
    emptied_at_place: bool,
    /// Another place holds the quote, perhaps edited, beside the same side
    /// of context as `best`'s intact one.
    twin: bool,
    /// When `best` is further than [`FAR_MOVE`]: the best-ranked place
    /// within it; when further than [`AT_PLACE`]: a place within that with
    /// the quote nearly whole. Either puts `best` in doubt.
    near: Option<Scored>,
    /// `best` is all that stands between the two sides of the claim's
    /// context, or what is left of the quote by one side of it: the claim's
    /// own place, however changed.
    between_context: bool,
    /// A [`Kind::Remnant`] of the quote stands near: the claim's own place.
    remnant_near: bool,
    /// `best` is on the claim's line as stored, at least
    /// [`UNIQUE_PARAGRAPH`] chars long, which occurs once in the article.
    line_once: bool,
    /// Whether each side of context (before, after) may tell `best`'s
    /// place: for a quote of a letter or two, only where its stored
    /// neighbours on its line stand right next to it
    /// ([`StoredContext::line_neighbours_at`]); for a longer word, not the
    /// side of a line break it opens or ends a line by
    /// ([`StoredContext::word_sides_tell`]).
    sides_tell: (bool, bool),
    /// `best` is away from the claim's place, where its context stands
    /// around other words, most of them not the quote's: the claim's own
    /// place, rewritten.
    rewritten_at_place: bool,
}

impl Choice {
    /// The claim's own place is known, changed past suggesting: a claim
    /// not placed there is orphaned, not searched for elsewhere.
    fn own_place_known(&self) -> bool {
        self.between_context || self.remnant_near || self.rewritten_at_place
    }

    /// `best` is a copy of the passage while the claim's own place stands
    /// near: in part, with `best` far away, or rewritten.
    fn own_place_away(&self) -> bool {
        (self.remnant_near && self.best.distance > FAR_MOVE) || self.rewritten_at_place
    }
}

/// One claim being searched for.
struct Claimed<'a> {
    anchor: &'a Anchor,
    context: &'a StoredContext,
    len: usize,
    expected: usize,
    /// The quote occurs exactly once in the whole article.
    unique: bool,
}

impl Claimed<'_> {
    /// Candidate places near the expected one (and exact occurrences in
    /// `far`, the quote's first occurrences anywhere, sorted).
    fn candidates_near(
        &self,
        article: &Article,
        far: &[usize],
        budget: &mut Budget,
    ) -> Result<Vec<Candidate>, OutOfWork> {
        // The common case, a claim shifted as much as the one before it: its
        // quote, found nowhere else, and its context right at the expected
        // place, which no other place can outrank.
        let here = self.expected..self.expected.saturating_add(self.len);
        budget.take(self.anchor.exact.len() * CHAR + 2 * OFFSET_LOOKUP)?;
        if self.unique && article.slice(here.clone()) == self.anchor.exact {
            let (agreement, compared) = self.context.runs(article, &here);
            budget.take(compared * CHAR + 2 * OFFSET_LOOKUP)?;
            if agreement == self.context.chars() {
                return Ok(vec![Candidate {
                    range: here,
                    errors: 0,
                    kind: Kind::Quote,
                }]);
            }
        }
        let window = near_window(article, self.expected, self.len);
        // The window is searched on its own: a common word's first
        // occurrences in the article may all lie elsewhere.
        let mut starts = starts_near(
            article,
            &window,
            &self.anchor.exact,
            self.expected,
            SCORED_OCCURRENCES,
            budget,
        )?;
        starts.extend_from_slice(nearest(far, self.expected));
        starts.sort_unstable();
        starts.dedup();
        let exact = self.top_exact(article, nearest(&starts, self.expected), budget)?;
        let mut candidates: Vec<Candidate> = exact
            .iter()
            .map(|&(_, start)| Candidate {
                range: start..start + self.len,
                errors: 0,
                kind: Kind::Quote,
            })
            .collect();
        // An intact quote in intact context near its place needs no other
        // candidate: no edited quote can outrank it. Further away, an edited
        // quote at the claim's place (a copy of the passage elsewhere kept
        // the old words) may, so the search goes on.
        let full = self.context.chars() as f32;
        if exact.first().is_some_and(|&(rank, start)| {
            rank - near_bonus(start.abs_diff(self.expected)) >= full
                && start.abs_diff(self.expected) <= AT_PLACE
        }) {
            return Ok(candidates);
        }
        if self.len > MAX_FUZZY_QUOTE {
            return Ok(candidates);
        }
        let pattern: Vec<char> = self.anchor.exact.chars().collect();
        let slack = error_budget(self.len) + 2;
        // Where the context still stands, the quote should be next to it,
        // perhaps edited: prefix pieces mark its start, suffix pieces its end.
        let mut context_starts = Vec::new();
        if self.context.prefix.len() >= CONTEXT_KEY {
            let key: String = self.context.prefix[..CONTEXT_KEY].iter().rev().collect();
            for hit in starts_near(article, &window, &key, self.expected, CONTEXT_HITS, budget)? {
                let start = hit + CONTEXT_KEY;
                let end = (start + self.len + slack).min(article.char_count());
                context_starts.push(start);
                let kept = same_run(&pattern, article.chars_from(start), budget)?;
                candidates.extend(self.remnant(start..start + kept));
                let found =
                    fuzzy_in_window(article, &pattern, start..end, start + self.len, budget)?;
                if found.is_none() {
                    candidates.extend(self.edited_at_key(article, &pattern, start, budget)?);
                }
                candidates.extend(found);
            }
        }
        let mut context_ends = Vec::new();
        if self.context.suffix.len() >= CONTEXT_KEY {
            let key: String = self.context.suffix[..CONTEXT_KEY].iter().collect();
            let near = self.expected + self.len;
            for end in starts_near(article, &window, &key, near, CONTEXT_HITS, budget)? {
                let region = end.saturating_sub(self.len + slack)..end;
                context_ends.push(end);
                let kept = same_run(pattern.iter().rev(), article.chars_before(end), budget)?;
                candidates.extend(self.remnant(end - kept..end));
                let found = fuzzy_in_window(article, &pattern, region, end, budget)?;
                if found.is_none() && end >= self.len {
                    candidates.extend(self.edited_at_key(
                        article,
                        &pattern,
                        end - self.len,
                        budget,
                    )?);
                }
                candidates.extend(found);
            }
        }
        // Neither side's key at the claim's place: look there for both, and
        // the quote, with edits. (Context shorter than a key adds nothing to
        // the window's own search.)
        let has_key = self.context.prefix.len().max(self.context.suffix.len()) >= CONTEXT_KEY;
        let key_at_place = context_starts
            .iter()
            .any(|s| s.abs_diff(self.expected) <= AT_PLACE)
            || context_ends
                .iter()
                .any(|e| e.abs_diff(self.expected + self.len) <= AT_PLACE);
        if has_key && !key_at_place {
            candidates.extend(self.edited_at_place(article, &pattern, budget)?);
        }
        // Both sides' context standing with other words between: the claim's
        // own place, rewritten or emptied. No candidate, but an unedited copy
        // elsewhere is then not taken for the claim without asking.
        for &start in &context_starts {
            if let Some(&end) = context_ends
                .iter()
                .find(|&&e| e >= start && e - start <= 2 * self.len + slack)
            {
                candidates.push(Candidate {
                    range: start..end,
                    errors: 0,
                    kind: Kind::BetweenContext,
                });
            }
        }
        candidates.extend(fuzzy_in_window(
            article,
            &pattern,
            window,
            self.expected + self.len,
            budget,
        )?);
        Ok(candidates)
    }

    /// The quote, edited, at the claim's expected place, found through the
    /// passage it stood in: its [`CONTEXT_KEY`] chars of context on each side
    /// and the quote, looked for with edits allowed. Typos in both keys and
    /// the quote ("9-1-1 when she found" → "9-1-1ewhen sh efound") hide the
    /// place from the keys' exact search, and the window's search prefers an
    /// intact copy of a short quote elsewhere (fewest edits): without this,
    /// that copy would be moved to without a rival.
    fn edited_at_place(
        &self,
        article: &Article,
        pattern: &[char],
        budget: &mut Budget,
    ) -> Result<Option<Candidate>, OutOfWork> {
        let (before, after) = self.context.keys();
        if before.is_empty() && after.is_empty() {
            return Ok(None);
        }
        let passage: Vec<char> = before
            .iter()
            .rev()
            .chain(pattern)
            .chain(after)
            .copied()
            .collect();
        let passage_end = self.expected + self.len + after.len();
        let reach = AT_PLACE + error_budget(passage.len());
        let window = self.expected.saturating_sub(before.len() + reach)
            ..passage_end.saturating_add(reach).min(article.char_count());
        let Some(found) = fuzzy_in_window(article, &passage, window, passage_end, budget)? else {
            return Ok(None);
        };
        // The quote lies between the keys, give or take the passage's edits.
        let start = found.range.start + before.len();
        let end = found.range.end.saturating_sub(after.len());
        let inner =
            start.saturating_sub(found.errors)..(end + found.errors).min(article.char_count());
        fuzzy_in_window(article, pattern, inner, end, budget)
    }

    /// The quote edited past the approximate search's allowance, right by a
    /// key of its context ("video" now "viedo": two edits in five chars):
    /// the text of the quote's length from `start`, when more than half of
    /// the quote stands in it. It may be the claim's own place, a rival to
    /// a copy of the passage elsewhere that kept the old words.
    fn edited_at_key(
        &self,
        article: &Article,
        pattern: &[char],
        start: usize,
        budget: &mut Budget,
    ) -> Result<Option<Candidate>, OutOfWork> {
        let range = start..start + self.len;
        if range.end > article.char_count() {
            return Ok(None);
        }
        budget.take(self.len * self.len * DISTANCE_CELL + self.len * CHAR)?;
        let found: Vec<char> = article.slice(range.clone()).chars().collect();
        let errors = myers::distance(pattern, &found);
        Ok((2 * errors < self.len).then_some(Candidate {
            range,
            errors,
            kind: Kind::Quote,
        }))
    }

    /// Whether the claim's line as stored ([`StoredContext::line_sides`]) is
    /// at least [`UNIQUE_PARAGRAPH`] chars and occurs once in `article`.
    fn line_once(&self, article: &Article, budget: &mut Budget) -> Result<bool, OutOfWork> {
        let Some(line) = self.context.line(&self.anchor.exact) else {
            return Ok(false);
        };
        if line.chars().count() < UNIQUE_PARAGRAPH {
            return Ok(false);
        }
        if line.len() == self.anchor.exact.len() {
            return Ok(self.unique);
        }
        budget.take(article.text().len() * CHAR)?;
        Ok(article.text().match_indices(&line).nth(1).is_none())
    }

    /// `piece`, a run of the quote's chars by one side of its context, as a
    /// [`Kind::Remnant`] if it is one: a part, long enough to be no chance.
    fn remnant(&self, piece: Range<usize>) -> Option<Candidate> {
        let least = (self.len / 4).max(CONTEXT_KEY);
        (piece.len() >= least && piece.len() < self.len).then(|| Candidate {
            errors: self.len - piece.len(),
            range: piece,
            kind: Kind::Remnant,
        })
    }

    /// The exact occurrences among `starts` (sorted) that rank best by
    /// char-for-char context agreement, at most [`EXACT_SHORTLIST`], best
    /// first (ties: lowest start), with that rank.
    fn top_exact(
        &self,
        article: &Article,
        starts: &[usize],
        budget: &mut Budget,
    ) -> Result<Vec<(f32, usize)>, OutOfWork> {
        let expected = self.expected;
        let full = self.context.chars() as f32;
        // Nearest first, so the scan can stop once no farther occurrence could
        // rank in even with perfect context.
        let (mut before, mut after) = starts.split_at(starts.partition_point(|&s| s < expected));
        let mut top: Vec<(f32, usize)> = Vec::with_capacity(EXACT_SHORTLIST + 1);
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
            let bonus = near_bonus(start.abs_diff(expected));
            if top.len() == EXACT_SHORTLIST && full + bonus < top[EXACT_SHORTLIST - 1].0 {
                break;
            }
            let (agreement, compared) = self.context.runs(article, &(start..start + self.len));
            // Charged once done: a comparison is short and stops at the first
            // difference, which a charge for the whole context would not see.
            budget.take(compared * CHAR + 2 * OFFSET_LOOKUP)?;
            let rank = agreement as f32 + bonus;
            let at = top.partition_point(|&(r, s)| r > rank || (r == rank && s < start));
            top.insert(at, (rank, start));
            top.truncate(EXACT_SHORTLIST);
        }
        Ok(top)
    }

    /// Candidates at the places where pieces of the quote occur anywhere.
    fn candidates_at_seeds(
        &self,
        article: &Article,
        seeds: &[usize],
        budget: &mut Budget,
    ) -> Result<Vec<Candidate>, OutOfWork> {
        let pattern: Vec<char> = self.anchor.exact.chars().collect();
        let slack = error_budget(self.len) + 2;
        let mut starts = seeds.to_vec();
        starts.sort_unstable();
        starts.dedup_by(|a, b| a.abs_diff(*b) <= slack);
        let mut candidates = Vec::new();
        for start in starts {
            let window =
                start.saturating_sub(slack)..(start + self.len + slack).min(article.char_count());
            candidates.extend(fuzzy_in_window(
                article,
                &pattern,
                window,
                start + self.len,
                budget,
            )?);
        }
        Ok(candidates)
    }

    /// Ranks every candidate on one scale: the best, and the best of those
    /// that do not overlap it.
    fn choose(
        &self,
        article: &Article,
        candidates: Vec<Candidate>,
        budget: &mut Budget,
    ) -> Result<Option<Choice>, OutOfWork> {
        let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
        let (places, mut candidates): (Vec<Candidate>, Vec<Candidate>) =
            candidates.into_iter().partition(|c| c.kind != Kind::Quote);
        let (rewritten, remnants): (Vec<Candidate>, Vec<Candidate>) = places
            .into_iter()
            .partition(|c| c.kind == Kind::BetweenContext);
        // Where both sides of the claim's context stand, their keys are the
        // context there, not the quote: a match reaching into them (a deleted
        // "a" found again in the next word, "grand") is not the claim.
        let keys_around = |r: &Range<usize>| {
            [
                r.start.saturating_sub(CONTEXT_KEY)..r.start,
                r.end..r.end.saturating_add(CONTEXT_KEY),
            ]
        };
        candidates.retain(|c| {
            !rewritten
                .iter()
                .flat_map(|r| keys_around(&r.range))
                .any(|key| overlaps(&c.range, &key))
        });
        candidates.sort_unstable_by_key(|c| (c.range.start, c.range.end, c.errors));
        candidates.dedup_by(|a, b| a.range == b.range);
        let score = |c: Candidate, budget: &mut Budget| -> Result<Scored, OutOfWork> {
            let (prefix, suffix) = self.context.similarity(article, &c.range, budget)?;
            let quote = 1.0 - (c.errors as f32 / self.len.max(1) as f32).min(1.0);
            let distance = c.range.start.abs_diff(self.expected);
            let rank = self.len as f32 - QUOTE_EDIT_COST * c.errors as f32
                + prefix * self.context.prefix.len() as f32
                + suffix * self.context.suffix.len() as f32
                + near_bonus(distance);
            Ok(Scored {
                range: c.range,
                errors: c.errors,
                quote,
                prefix,
                suffix,
                rank,
                distance,
            })
        };
        let mut scored = Vec::with_capacity(candidates.len());
        for c in candidates {
            let s = score(c, budget)?;
            // A match holding none of the quote (a one-letter quote "found"
            // as another letter) is the claim's place only where both sides
            // of its context stand: one side alone is where the text next to
            // the claim went (the paragraph after it moved away).
            if s.errors < self.len || s.prefix.min(s.suffix) >= INTACT_SIDE {
                scored.push(s);
            }
        }
        let best_of = |of: &mut dyn Iterator<Item = &Scored>| {
            // Highest rank; among equals the lowest start (the sort above).
            of.reduce(|a, b| if b.rank > a.rank { b } else { a })
                .cloned()
        };
        // What stands between the two sides of the claim's context, as
        // places of their own: an edited quote found in part or not at all
        // (a sentence put in its middle is more than the search allows) is
        // all of it, and near, such a place is the claim's own.
        let pattern: Vec<char> = self.anchor.exact.chars().collect();
        let mut spans = Vec::new();
        for r in rewritten.iter().filter(|r| !r.range.is_empty()) {
            let found: Vec<char> = article.slice(r.range.clone()).chars().collect();
            budget.take(pattern.len() * found.len() * DISTANCE_CELL)?;
            let errors = myers::distance(&pattern, &found);
            spans.push(score(
                Candidate {
                    range: r.range.clone(),
                    errors,
                    kind: Kind::Quote,
                },
                budget,
            )?);
        }
        // A place found in part (many edits: only a piece of the quote
        // matched) is widened to the span around it, keeping its rank; so
        // is one found with few edits when the span still holds the quote
        // with edits for fewer than half its chars (a sentence put in). A
        // span of other words around a near-copy is not the claim.
        let widened = |part: Scored| match spans.iter().find(|w| {
            part.errors > 0
                && (part.quote < FOUND_IN_PART || 2 * w.errors < self.len)
                && w.range.start <= part.range.start
                && part.range.end <= w.range.end
                && w.range != part.range
        }) {
            Some(whole) => (
                Scored {
                    rank: part.rank,
                    ..whole.clone()
                },
                true,
            ),
            None => (part, false),
        };
        let (best, between_context) = match best_of(&mut scored.iter()) {
            Some(best) => widened(best),
            None => match best_of(&mut spans.iter()) {
                Some(whole) => (whole, true),
                None => {
                    let mut left = Vec::with_capacity(remnants.len());
                    for r in &remnants {
                        left.push(score(r.clone(), budget)?);
                    }
                    match best_of(&mut left.iter()) {
                        Some(remnant) => (remnant, true),
                        None => return Ok(None),
                    }
                }
            },
        };
        // The quote whole at the claim's place with every stored char of its
        // context: a copy of the passage, context and all, beyond the near
        // window is another telling of the story (a news body repeated), not
        // a rival. Within it, the neighbours' shift may miss by a copy.
        let whole_at_place = best.errors == 0
            && best.distance <= AT_PLACE
            && best.prefix.min(best.suffix) >= 1.0
            && self.context.chars() >= CONTEXT_COMPARED;
        // Another place with the quote half there or more, on the same side
        // of context as intact as the best's: the passage stands twice, and
        // only the quote's edits tell the two apart.
        // So does a copy of the quote right next to the best, only white
        // space between, on the side whose context does not hold, with more
        // of that side's context than the best ("L\n\nL", a line now
        // repeated), or anywhere with that side intact (two price lines
        // swapped, each "street" with one side): either may be the claim.
        let intact = |side: f32| side >= INTACT_SIDE;
        let blank_between = |a: &Range<usize>, b: &Range<usize>| {
            a.end <= b.start
                && b.start - a.end <= CONTEXT_KEY
                && article.slice(a.end..b.start).trim().is_empty()
        };
        let twin = best.prefix.min(best.suffix) < INTACT_SIDE
            && scored.iter().any(|s| {
                !overlaps(&s.range, &best.range)
                    && (2 * s.errors < self.len
                        && (intact(best.prefix) && intact(s.prefix)
                            || intact(best.suffix) && intact(s.suffix))
                        || s.errors == 0
                            && (blank_between(&best.range, &s.range) && s.suffix > best.suffix
                                || blank_between(&s.range, &best.range) && s.prefix > best.prefix
                                || intact(best.prefix) && intact(s.suffix)
                                || intact(best.suffix) && intact(s.prefix)))
            });
        let runner_up = scored
            .iter()
            .filter(|s| !overlaps(&s.range, &best.range))
            .filter(|s| !(whole_at_place && s.distance > NEAR_WINDOW))
            .map(|s| s.rank)
            .reduce(f32::max);
        // Other words between the claim's context elsewhere: rewritten
        // there. (Nothing between is no evidence: a deleted claim and a
        // moved one leave the same trace.)
        let line_once = best.errors == 0
            && self.context.line_around(article, &best.range)
            && best.prefix.max(best.suffix) < INTACT_SIDE
            && self.line_once(article, budget)?;
        // Whole lines between the claim's old neighbouring lines, the claim's
        // line found whole once elsewhere: other paragraphs moved or put in
        // there, and the claim's moved away (a rewrite is told by the span's
        // own words, a paragraph's place by its line breaks).
        let other_lines = |r: &Range<usize>| line_once && whole_line(article, r);
        let rewritten_elsewhere = rewritten.iter().any(|r| {
            !r.range.is_empty() && !overlaps(&r.range, &best.range) && !other_lines(&r.range)
        });
        // Both sides of the claim's context at its place with nothing (or
        // blank) between: the quote was taken out there. Deleted, or cut and
        // put elsewhere; but a place away with its old neighbours too is a
        // copy of the passage as likely.
        let emptied_at_place = best.distance > AT_PLACE
            && best.prefix.max(best.suffix) >= INTACT_SIDE
            && rewritten.iter().any(|r| {
                r.range.start.abs_diff(self.expected) <= AT_PLACE
                    && article.slice(r.range.clone()).trim().is_empty()
            });
        // Part of the quote by its context, the rest deleted: the claim's
        // own place, not a copy of the passage far away. So is the claim's
        // context at its place around other words, most of them not the
        // quote's: the claim rewritten there. (Only a line break between is
        // the trace a moved or deleted paragraph leaves.)
        let rewritten_at_place = best.distance > AT_PLACE
            && spans.iter().any(|w| {
                2 * w.errors >= self.len
                    && w.distance <= AT_PLACE
                    && !overlaps(&w.range, &best.range)
                    && !article.slice(w.range.clone()).trim().is_empty()
                    && !other_lines(&w.range)
            });
        let remnant_near = !remnants.is_empty();
        // The quote found nearly whole at the claim's expected place, the
        // best place elsewhere: a copy of the passage (a pull quote) that kept
        // the old words where the claim's own were edited, or the claim
        // itself with its neighbourhood edited. Either may be the claim.
        let at_place = |s: &&Scored| {
            s.distance <= AT_PLACE
                && s.quote >= FOUND_IN_PART
                && s.prefix.min(s.suffix) >= INTACT_SIDE
                && !overlaps(&s.range, &best.range)
        };
        let near = if best.distance > FAR_MOVE {
            best_of(
                &mut scored
                    .iter()
                    .chain(&spans)
                    .filter(|s| s.distance <= FAR_MOVE),
            )
        } else if best.distance > AT_PLACE {
            best_of(&mut scored.iter().filter(at_place))
        } else {
            None
        }
        .map(|near| widened(near).0);
        let best = self.without_noise(article, best, budget)?;
        // A letter or two is told by its neighbours on its own line: the
        // line before standing says nothing of a deleted paragraph's first
        // word ("A former hostage…" gone, "A British rapper…" after the same
        // line now), nor a side whose nearest chars went ("“We have…"
        // deleted, "We all…" after the same words, its quote mark gone). A
        // longer word is not told by a line break alone.
        let sides_tell = if self.anchor.exact.chars().nth(LETTER_WORD).is_none() {
            budget.take(2 * LETTER_NEIGHBOURS * CHAR + 2 * OFFSET_LOOKUP)?;
            self.context.line_neighbours_at(article, &best.range)
        } else if self.anchor.exact.trim().contains(char::is_whitespace) {
            (true, true)
        } else {
            self.context.word_sides_tell()
        };
        let near = match near {
            Some(near) => Some(self.without_noise(article, near, budget)?),
            None => None,
        };
        Ok(Some(Choice {
            best,
            runner_up,
            rewritten_elsewhere,
            emptied_at_place,
            twin,
            rewritten_at_place,
            near,
            between_context,
            remnant_near,
            line_once,
            sides_tell,
        }))
    }

    /// `place` without the noise at its edges ([`without_noise`]).
    fn without_noise(
        &self,
        article: &Article,
        mut place: Scored,
        budget: &mut Budget,
    ) -> Result<Scored, OutOfWork> {
        place.range = without_noise(
            article,
            self.context,
            &self.anchor.exact,
            place.range,
            place.errors,
            budget,
        )?;
        Ok(place)
    }

    /// What the chosen place is worth: exact or moved without asking, a fuzzy
    /// suggestion, or nothing.
    fn judge(&self, choice: &Choice) -> Option<Located> {
        let b = &choice.best;
        // Only the claim's own place, near, may be suggested then.
        if choice.own_place_away() {
            return choice
                .near
                .as_ref()
                .and_then(|near| self.suggest(near, true));
        }
        let clear = choice.runner_up.is_none_or(|r| b.rank - r >= CLEAR_MARGIN);
        // Chosen among look-alikes, or far away: which place is the claim's
        // own is in doubt, however well it matches.
        let in_doubt = !clear
            || choice.rewritten_elsewhere
            || choice.emptied_at_place
            || choice.twin
            || b.distance > FAR_MOVE
            || choice.near.is_some();
        // A moved paragraph keeps neither neighbour: the claim's line found
        // whole and only once (the quote a paragraph of its own, or a word of
        // a line such as "Print version") is as sure as one intact side.
        let (before_tells, after_tells) = choice.sides_tell;
        let one_side_intact = ((b.prefix >= INTACT_SIDE && before_tells
            || b.suffix >= INTACT_SIDE && after_tells)
            && !self.beside_own_copy(b))
            || choice.line_once;
        if b.errors == 0 && one_side_intact && !in_doubt {
            return Some(Located::sure(self.anchor, b.range.clone()));
        }
        // A place near the claim's own that is worth suggesting is, rather
        // than a copy far away that kept the old words.
        choice
            .near
            .as_ref()
            .and_then(|near| self.suggest(near, true))
            .or_else(|| self.suggest(b, in_doubt))
    }

    /// Whether the side of `b` whose context does not hold stood right next
    /// to a copy of the quote, only white space between ("L\nL", a line
    /// repeated): the side that holds tells the two copies apart no more,
    /// as either one may have gone.
    fn beside_own_copy(&self, b: &Scored) -> bool {
        let quote: Vec<char> = self.anchor.exact.chars().collect();
        // `stored` nearest first; `quote` in the same direction.
        let next_to = |stored: &[char], quote: &mut dyn Iterator<Item = &char>| {
            let gap = stored.iter().take_while(|c| c.is_whitespace()).count();
            gap > 0 && quote.eq(stored[gap..].iter().take(self.len))
        };
        (b.prefix < INTACT_SIDE && next_to(&self.context.prefix, &mut quote.iter().rev()))
            || (b.suffix < INTACT_SIDE && next_to(&self.context.suffix, &mut quote.iter()))
    }

    /// `s` as a fuzzy suggestion, if it is worth one; `in_doubt`: chosen
    /// among look-alikes, so never confirmable in bulk.
    fn suggest(&self, b: &Scored, in_doubt: bool) -> Option<Located> {
        let (prefix_len, suffix_len) = (self.context.prefix.len(), self.context.suffix.len());
        let context = if prefix_len + suffix_len == 0 {
            0.5
        } else {
            (b.prefix * prefix_len as f32 + b.suffix * suffix_len as f32)
                / (prefix_len + suffix_len) as f32
        };
        let nearness = 1.0 / (1.0 + b.distance as f32 / 5000.0);
        let mut score = 0.6 * b.quote + 0.3 * context + 0.1 * nearness;
        // Neither side of its context intact: a look-alike sentence as
        // likely as the claim ("was murdered after testifying" in the
        // article's summary line, the claim's own sentence deleted).
        if in_doubt || b.prefix.max(b.suffix) < INTACT_SIDE {
            score = score.min(AMBIGUOUS_SCORE);
        }
        let short_ok = self.len >= SHORT_QUOTE || context >= SHORT_QUOTE_CONTEXT;
        (score >= MIN_FUZZY_SCORE && short_ok).then(|| Located {
            state: AnchorState::Fuzzy {
                at: b.range.clone(),
                score,
            },
            range: Some(b.range.clone()),
            score,
        })
    }
}

/// Whether `range` of `article` is a whole line: a line break or the
/// article's edge on each side.
fn whole_line(article: &Article, range: &Range<usize>) -> bool {
    line_stands(&[], article.chars_before(range.start))
        && line_stands(&[], article.chars_from(range.end))
}

/// Whether `found` (the text on one side of a place, nearest first) holds
/// `stored` and then a line break or the article's edge.
fn line_stands(stored: &[char], mut found: impl Iterator<Item = char>) -> bool {
    stored.iter().all(|&c| found.next() == Some(c)) && found.next().is_none_or(|c| c == '\n')
}

/// `range`, where `quote` was found with `errors` edits, without the text
/// at its edges that does not line up with the quote (`edges.rs`): what a
/// deletion of the quote's edge left next to it. An edge the claim's stored
/// context still follows is the quote's own (a reworded last word), however
/// it lines up. A quote of one line found across a line break (a line
/// such as "Reuters" put in right before it) is its longest line.
fn without_noise(
    article: &Article,
    context: &StoredContext,
    quote: &str,
    range: Range<usize>,
    errors: usize,
    budget: &mut Budget,
) -> Result<Range<usize>, OutOfWork> {
    if errors == 0 {
        return Ok(range);
    }
    budget.take(range.len() * CHAR + OFFSET_LOOKUP)?;
    let range = if quote.contains('\n') {
        range
    } else {
        let mut start = range.start;
        let mut longest = range.start..range.start;
        for line in article.slice(range.clone()).split('\n') {
            let len = line.chars().count();
            if len > longest.len() {
                longest = start..start + len;
            }
            start += len + 1;
        }
        longest
    };
    budget.take(2 * CONTEXT_KEY * CHAR + 2 * OFFSET_LOOKUP)?;
    let (before, after) = context.key_sides_at(article, &range);
    if before && after {
        return Ok(range);
    }
    let quote: Vec<char> = quote.chars().collect();
    let cells = edges::edge_cells(quote.len(), range.len(), errors);
    budget.take(cells * DISTANCE_CELL + range.len() * CHAR)?;
    let found: Vec<char> = article.slice(range.clone()).chars().collect();
    let (noise_before, noise_after) = edges::noise_at_edges(&quote, &found, errors);
    // The space between the claim and the noise left out goes with it.
    let kept = |at: &[char]| at.iter().take_while(|c| c.is_whitespace()).count();
    let (mut start, mut end) = (0, found.len());
    if !before && noise_before > 0 {
        start = noise_before;
        start += kept(&found[start..]);
    }
    if !after && noise_after > 0 {
        end = found.len() - noise_after;
        let tail: Vec<char> = found[start.min(end)..end].iter().rev().copied().collect();
        end -= kept(&tail);
    }
    Ok(range.start + start..range.start + end.max(start))
}

/// How many of `quote`'s chars `text` starts with, in order.
fn same_run<'q>(
    quote: impl IntoIterator<Item = &'q char>,
    text: impl Iterator<Item = char>,
    budget: &mut Budget,
) -> Result<usize, OutOfWork> {
    let run = quote
        .into_iter()
        .zip(text)
        .take_while(|(a, b)| **a == *b)
        .count();
    budget.take((run + 1) * CHAR + OFFSET_LOOKUP)?;
    Ok(run)
}

/// Approximate search in `window` (article chars) for `pattern`: the match
/// with the fewest edits within [`error_budget`], among equals the one
/// ending nearest `prefer_end`.
fn fuzzy_in_window(
    article: &Article,
    pattern: &[char],
    window: Range<usize>,
    prefer_end: usize,
    budget: &mut Budget,
) -> Result<Option<Candidate>, OutOfWork> {
    if pattern.len() > MAX_FUZZY_QUOTE || window.is_empty() {
        return Ok(None);
    }
    // Both searches, forwards over the window and backwards over the match.
    let steps = (window.len() + 2 * pattern.len()).saturating_mul(pattern.len().div_ceil(64));
    budget.take(steps.saturating_mul(MYERS_STEP) + window.len() * CHAR + 2 * OFFSET_LOOKUP)?;
    let text: Vec<char> = article.slice(window.clone()).chars().collect();
    let errors_allowed = error_budget(pattern.len());
    let prefer_end = prefer_end.saturating_sub(window.start);
    let Some((end, errors)) = myers::search(pattern, &text, errors_allowed, prefer_end) else {
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
    Ok(Some(Candidate {
        range: window.start + end - back..window.start + end,
        errors,
        kind: Kind::Quote,
    }))
}

/// The first [`MAX_OCCURRENCES`] occurrences of each of `quotes` (distinct,
/// non-empty), as [`occurrences::find_first`] gives them, found through each
/// quote's first [`PIECE_BYTES`]: every occurrence of a quote is one of its
/// piece's, so a piece found only a few times is checked at those places,
/// and the automaton holds the pieces, a fraction of the quotes' length.
/// Quotes whose piece is common are then searched in full.
fn find_quotes(article: &Article, quotes: &[&str], budget: &mut Budget) -> Vec<Option<Vec<usize>>> {
    fn piece(quote: &str) -> &str {
        &quote[..quote.floor_char_boundary(PIECE_BYTES)]
    }
    let mut pieces: Vec<&str> = quotes.iter().map(|q| piece(q)).collect();
    pieces.sort_unstable();
    pieces.dedup();
    let found = occurrences::find_first(article, &pieces, MAX_OCCURRENCES, budget);
    let mut out = vec![None; quotes.len()];
    let mut common = Vec::new();
    for (k, quote) in quotes.iter().enumerate() {
        let p = piece(quote);
        let Some(starts) = pieces
            .binary_search(&p)
            .ok()
            .and_then(|at| found[at].as_ref())
        else {
            continue;
        };
        if p.len() == quote.len() {
            out[k] = Some(starts.clone());
        } else if starts.len() <= CHECKED_PIECES {
            // Fewer than the cap: every place the quote could start.
            if budget
                .take(starts.len() * (quote.len() * CHAR + OFFSET_LOOKUP))
                .is_err()
            {
                break;
            }
            let text = article.text();
            out[k] = Some(
                starts
                    .iter()
                    .copied()
                    .filter(|&s| text[article.byte_of_char(s)..].starts_with(quote))
                    .collect(),
            );
        } else {
            common.push(k);
        }
    }
    if !common.is_empty() {
        let full: Vec<&str> = common.iter().map(|&k| quotes[k]).collect();
        for (k, found) in common.into_iter().zip(occurrences::find_first(
            article,
            &full,
            MAX_OCCURRENCES,
            budget,
        )) {
            out[k] = found;
        }
    }
    out
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

    /// The text `found` suggests for the user to confirm.
    fn suggested<'a>(article: &'a Article, found: &Located) -> &'a str {
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
        article.slice(found.range.clone().unwrap_or_default())
    }

    /// Chars of the `nth` `quote` in `text`.
    fn chars_of(text: &str, quote: &str, nth: usize) -> Range<usize> {
        anchor_in(text, quote, nth).range()
    }

    /// Numbered paragraphs of about `chars` chars, none like another.
    pub(super) fn far_text(chars: usize) -> String {
        (0..)
            .map(|n| format!("Paragraph {n} of the background says nothing new.\n\n"))
            .scan(0, |len, p| {
                *len += p.len();
                (*len <= chars).then_some(p)
            })
            .collect()
    }

    #[test]
    fn a_one_letter_quote_moved_with_its_paragraph_is_not_rivalled_by_its_old_neighbour() {
        // Seed 9: the paragraph after "counter-offensive." moved on; what
        // follows the claim's old prefix now ("S" of "Separately") holds
        // none of the quote and is no rival for the quote with its suffix.
        let first =
            "Insurgents sacked the town in July but were driven out by an army counter-offensive.";
        let claimed = "A member of pro-government Civilian Joint Task Force vigilantes said so.";
        let other = "Separately, Maiduguri resident Andrew Tada said the insurgents left.";
        let original = format!("{first}\n\n{claimed}\n\n{other}");
        let anchor = anchor_in(&original, "A", 0);
        assert_eq!(anchor.start, first.len() + 2);
        let edited = format!("{first}\n\n{other}\n{claimed}");
        let found = locate(&Article::new("t", &edited), &anchor);
        let at = chars_of(&edited, "A member", 0).start;
        assert_eq!(found.range, Some(at..at + 1), "{found:?}");
        assert!(
            matches!(found.state, AnchorState::Moved { .. }),
            "{found:?}"
        );
    }

    #[test]
    fn a_deleted_letter_is_not_found_again_inside_the_next_word() {
        // Seed 9: "before a grand jury" lost its "a"; the "a" of "grand"
        // lines up by edit distance, but it stands in the claim's context.
        let original = format!(
            "{}Deandre Joshua was murdered after testifying before a grand jury in Ferguson, police said.",
            far_text(300)
        );
        let anchor = anchor_in(&original, " a ", 0);
        let anchor = Anchor::capture(
            &Article::new("t", &original),
            anchor.start + 1..anchor.start + 2,
        );
        assert_eq!(anchor.exact, "a");
        let edited = original.replacen("before a grand", "before  grand", 1);
        let found = locate(&Article::new("t", &edited), &anchor);
        let grand = chars_of(&edited, "grand", 0);
        assert!(
            found
                .range
                .as_ref()
                .is_none_or(|r| r.end <= grand.start || r.start >= grand.end),
            "{found:?}"
        );
    }

    #[test]
    fn a_word_opening_a_line_is_not_placed_by_the_line_before_alone() {
        // Seed 216: a paragraph's first sentence deleted, the next opening
        // with the same word. The line before stands; all it says is that a
        // line starts there.
        let original = format!(
            "{}Scotland Yard told Billboard.\n\nBary was an aspiring rapper whose music was \
             played on the radio. Bary’s songs have been posted online.\n\nMore.",
            far_text(600)
        );
        let anchor = anchor_in(&original, "Bary", 0);
        let edited = original.replacen(
            "Bary was an aspiring rapper whose music was played on the radio. ",
            "",
            1,
        );
        let found = locate(&Article::new("t", &edited), &anchor);
        assert!(found.needs_review(), "{found:?}");
        // A word that is its whole line is told by the line around it.
        let original = format!(
            "{}Told Billboard.\n\nPregnant\n\nLate on Wednesday, he said.",
            far_text(600)
        );
        let anchor = anchor_in(&original, "Pregnant", 0);
        let edited = original.replacen("Told Billboard.", "Another line put here.", 1);
        let found = locate(&Article::new("t", &edited), &anchor);
        assert!(!found.needs_review(), "{found:?}");
    }

    #[test]
    fn a_letter_found_running_into_a_word_it_ended_is_never_confirmed_in_bulk() {
        // Seed 34: the "s" of "HBO's service" deleted (and "service" now
        // "servica"): the first letter of "service" lines up with the
        // quote and most of its context, but the quote ended a word.
        let original = format!(
            "{}The introduction of HBO's service will be a major victory for cord cutters.",
            far_text(600)
        );
        let anchor = anchor_in(&original, "s service", 0);
        let anchor = Anchor::capture(
            &Article::new("t", &original),
            anchor.start..anchor.start + 1,
        );
        let edited = original.replacen("HBO's service", "HBO' servica", 1);
        let found = locate(&Article::new("t", &edited), &anchor);
        assert!(found.range.is_some(), "the trap is set: {found:?}");
        assert!(found.score < BULK_CONFIRM_SCORE, "{found:?}");
    }

    #[test]
    fn a_word_of_a_line_found_once_with_its_line_moves_without_its_neighbours() {
        // Seed 9: "Print version", a line of its own, went up the page;
        // the lines around it changed on both sides.
        let original = format!(
            "{}\n\nafter the Chernobyl nuclear disaster.\n\n \nPrint version\n+  - Font Size\nSend to friend\n{}",
            far_text(400),
            far_text(300)
        );
        let anchor = anchor_in(&original, "version", 0);
        let edited = format!(
            "{}\n\nNikolai is a very kind and friendly boy.\n\nPrint version\nStories about magnets began to appear.\n{}",
            far_text(380),
            far_text(300)
        );
        let found = locate(&Article::new("t", &edited), &anchor);
        assert_eq!(
            found.range,
            Some(chars_of(&edited, "version", 0)),
            "{found:?}"
        );
        assert!(
            matches!(found.state, AnchorState::Moved { .. }),
            "{found:?}"
        );
        // Twice in the text, the line proves nothing.
        let twice = format!("{edited}\nPrint version\n");
        let found = locate(&Article::new("t", &twice), &anchor);
        assert!(found.needs_review() || found.range.is_none(), "{found:?}");
    }

    #[test]
    fn a_line_swapped_up_with_a_paragraph_put_in_after_its_old_place_is_moved() {
        // Seed 16: the claim's line and the one before it swapped, and a
        // paragraph put in where the claim was: other lines between its old
        // neighbours, not the claim rewritten.
        let before = "Kim, who has gained weight, had been seen walking with a limp, which would imply an earlier injury.";
        let claimed = "Kim needs about 100 days to recuperate, said the source, whose information could not be verified.";
        let after =
            "'Kim Jong Un is in total control,' said the source, who has close ties to Pyongyang.";
        let put_in = "Everyone has the right to rest and leisure, including reasonable limitation of working hours.";
        let original = format!(
            "{}\n{before}\n{claimed}\n{after}\n{}",
            far_text(300),
            far_text(200)
        );
        let anchor = anchor_in(&original, claimed, 0);
        let edited = format!(
            "{}\n\n{claimed}\n{before}\n{put_in}\n{after}\n{}",
            far_text(300),
            far_text(200)
        );
        let found = locate(&Article::new("t", &edited), &anchor);
        assert_eq!(
            found.range,
            Some(chars_of(&edited, claimed, 0)),
            "{found:?}"
        );
        assert!(
            matches!(found.state, AnchorState::Moved { .. }),
            "{found:?}"
        );
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
    fn a_changed_figure_is_never_confirmed_in_bulk() {
        let quote = "Both countries agreed to release 1,000 prisoners.";
        let anchor = anchor_in(TEXT, quote, 0);
        let score = |edited: &str| {
            let old = Article::new("t", TEXT);
            let new = Article::new("t", &TEXT.replace(quote, edited));
            let searched = locate(&new, &anchor);
            let followed = place_through_diff(&old, &new, &[&anchor])
                .placements
                .located[0]
                .clone();
            assert_eq!(suggested(&new, &searched), edited);
            assert_eq!(suggested(&new, &followed), edited);
            (searched.score, followed.score)
        };
        // A typo: safe to confirm with the others.
        let (searched, followed) = score("Both countries agreed to release 1,000 prisonners.");
        assert!(
            searched.min(followed) >= BULK_CONFIRM_SCORE,
            "{searched} {followed}"
        );
        // One digit changed, however close the rest: the user looks at it.
        let (searched, followed) = score("Both countries agreed to release 1,200 prisoners.");
        assert!(
            searched.max(followed) < BULK_CONFIRM_SCORE,
            "{searched} {followed}"
        );
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
        assert_eq!(
            suggested(&edited, &found),
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
        assert_eq!(
            suggested(&edited, &found),
            "the negotiations collapsed in under two hours"
        );
    }

    #[test]
    fn a_twin_far_away_is_offered_but_never_confirmed_in_bulk() {
        // The claim's passage is deleted; a copy of the same story, context
        // and all, stands 30,000 chars on (a news body published twice).
        let story = "The envoy said the talks were satisfactory, and Kyiv disagreed strongly.";
        let filler = "Unrelated reporting about other matters fills this page. ".repeat(40);
        let text = format!("{filler}{story} {filler}");
        let anchor = anchor_in(&text, "the talks were satisfactory", 0);
        let far = "Other pages of the same site, one after another, on and on. ".repeat(500);
        let edited = Article::new("t", &format!("{filler}{far}{filler}{story} {filler}"));
        let found = locate(&edited, &anchor);
        assert_eq!(suggested(&edited, &found), "the talks were satisfactory");
        assert!(found.score < BULK_CONFIRM_SCORE, "{found:?}");
    }

    #[test]
    fn a_story_told_twice_far_apart_moves_each_claim_with_its_own_copy() {
        // A news body published twice (as in the FNC-1 corpus): each claim's
        // quote and context stand at both copies. Text put in before both
        // shifts them; each claim moves to its own copy without asking.
        let story = "Officials in the capital reported that the envoy said the talks were \
                     satisfactory, and Kyiv disagreed strongly with that view.";
        let between = "Other pages of the same site, one after another, on and on. ".repeat(80);
        let text = format!("Start. {story} {between}{story} End.");
        let quote = "the talks were satisfactory";
        let edited_text = format!("A new first paragraph, put in.\n{text}");
        let edited = Article::new("t", &edited_text);
        for nth in 0..2 {
            let anchor = anchor_in(&text, quote, nth);
            let found = locate(&edited, &anchor);
            assert_eq!(
                found.state,
                AnchorState::Moved {
                    from: anchor.range()
                },
                "copy {nth}"
            );
            let want = edited_text
                .match_indices(quote)
                .nth(nth)
                .map_or(0, |(b, _)| b);
            assert_eq!(
                found.range.map(|r| r.start),
                Some(edited.char_of_byte(want))
            );
        }
        // Within the near window the neighbours' shift may miss by a copy:
        // which one is the claim's is the user's call.
        let close = format!("Start. {story} {} {story} End.", &between[..600]);
        let anchor = anchor_in(&close, quote, 0);
        let found = locate(&Article::new("t", &format!("Put in. {close}")), &anchor);
        assert!(
            matches!(found.state, AnchorState::Fuzzy { .. }),
            "{found:?}"
        );
    }

    #[test]
    fn a_claim_whose_end_was_cut_with_the_next_sentence_ends_where_its_words_do() {
        let text = "I definitely have had hair pulled. The seam on my iPhone where the \
                    aluminum meets the glass is definitely catching my hair. When the iPhone 6 \
                    and 6 Plus were first released, pictures of bent handsets spread.";
        let quote =
            "The seam on my iPhone where the aluminum meets the glass is definitely catchin";
        let anchor = anchor_in(text, quote, 0);
        // A deletion from inside the quote into the next sentence.
        let edited = Article::new("t", &text.replace("catching my hair. Wh", ""));
        let found = locate(&edited, &anchor);
        assert_eq!(
            suggested(&edited, &found),
            "The seam on my iPhone where the aluminum meets the glass is definitely",
            "the space before the noise goes with it"
        );
        // A reworded last word, its context standing after it, stays whole.
        let reworded = Article::new("t", &text.replace("catchin", "catchxyz"));
        let found = locate(&reworded, &anchor);
        assert_eq!(
            reworded.slice(found.range.unwrap_or_default()),
            "The seam on my iPhone where the aluminum meets the glass is definitely catchxyz"
        );
    }

    #[test]
    fn a_claim_cut_short_at_its_place_is_not_offered_at_a_copy_far_away() {
        // A news body published twice; at the claim's copy, the end of the
        // quote and what followed were deleted. The other copy, intact, is
        // not the claim's.
        let story = "Analysts said the watch was priced at $4,999, but classifies segment ASP \
                     closer to $7,500 after adding in straps made from precious metals. Based on \
                     current pricing the gold models lead.";
        let quote = "but classifies segment ASP closer to $7,500 after adding in straps made";
        let far = "Other pages of the same site, one after another, on and on. ".repeat(500);
        let text = format!("{story}\n{far}\n{story}");
        let anchor = anchor_in(&text, quote, 0);
        let cut = story.replace(
            " after adding in straps made from precious metals. Based on current",
            " current",
        );
        let edited = Article::new("t", &format!("{cut}\n{far}\n{story}"));
        let found = locate(&edited, &anchor);
        assert!(
            found
                .range
                .as_ref()
                .is_none_or(|r| r.end < cut.chars().count()),
            "{found:?}"
        );
    }

    #[test]
    fn a_deleted_claim_is_not_offered_at_a_copy_its_neighbours_show_was_there_before() {
        // A news body published twice; at the claim's copy its sentence was
        // deleted. The other copy's claims, placed without asking, are as far
        // apart as they were: the sentence between them stood there before.
        let story = "Officials in the capital reported the news on Monday. The envoy said \
                     the talks were satisfactory, and nothing more. Kyiv disagreed strongly \
                     with that view.";
        let far = "Other pages of the same site, one after another, on and on. ".repeat(500);
        let text = format!("{story}\n{far}\n{story}");
        let claim = anchor_in(&text, "the talks were satisfactory", 0);
        let before = anchor_in(&text, "Officials in the capital reported", 1);
        let after = anchor_in(&text, "Kyiv disagreed strongly", 1);
        let cut = story.replace(
            "The envoy said the talks were satisfactory, and nothing more. ",
            "",
        );
        let edited = Article::new("t", &format!("Put in first.\n{cut}\n{far}\n{story}"));
        let found = locate_all(&edited, &[&claim, &before, &after]).located;
        assert_eq!(found[0].state, AnchorState::Orphaned, "{:?}", found[0]);
        assert!(matches!(found[1].state, AnchorState::Moved { .. }));
        assert!(matches!(found[2].state, AnchorState::Moved { .. }));
        // Alone, the claim has nothing to tell the copy from a move: it is
        // offered there, in doubt, never confirmable in bulk.
        let alone = locate(&edited, &claim);
        assert_eq!(suggested(&edited, &alone), "the talks were satisfactory");
        assert!(alone.score < BULK_CONFIRM_SCORE);
    }

    #[test]
    fn a_claim_rewritten_at_its_place_is_not_offered_at_a_copy_nearby() {
        // A tweet quoted twice in a story; at the claim's copy, other words
        // now stand between its context. The other copy is not the claim's.
        let quote = "\"It has pulled out my goatee hairs.\"";
        let between = "Other paragraphs of the story, one after another. ".repeat(12);
        let text =
            format!("This is a real problem. Haha. {quote} Hurts! {between}Again: {quote} Ow.");
        let anchor = anchor_in(&text, quote, 0);
        let rewritten = text.replacen(
            "It has pulled out my goatee hairs.",
            "Something else entirely was said here.",
            1,
        );
        let found = locate(&Article::new("t", &rewritten), &anchor);
        assert_eq!(found.state, AnchorState::Orphaned, "{found:?}");
    }

    #[test]
    fn a_paragraph_moved_away_leaves_only_a_line_break_not_a_rewrite() {
        // Two paragraphs swapped, line breaks put in after them: the claim's
        // old neighbours now stand one line break apart. No other words
        // between, so that is no rewritten claim, and the moved paragraph
        // is found.
        let quote = "He is now being cared for at the charity's centre in Glasgow.";
        let before =
            "They arrived at the scene on Friday, long after the storm had passed the town.";
        let text = format!("Intro.\n\n{before}\n\n{quote}\n\nThe next paragraph is here.");
        let anchor = anchor_in(&text, quote, 0);
        let swapped = format!("Intro.\n\n{quote}\n{before}\n\n\n\n\nThe next paragraph is here.");
        let edited = Article::new("t", &swapped);
        let found = locate(&edited, &anchor);
        assert_eq!(
            found.range.clone().map(|r| edited.slice(r)),
            Some(quote),
            "{found:?}"
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
        assert_eq!(suggested(&article, &found), "satisfactory");
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
        fn the_nearest_first_scan_keeps_what_ranking_every_occurrence_would(
            text in "[ab ]{1,300}",
            quote in "[ab]{1,4}",
            prefix in "[ab ]{0,6}",
            suffix in "[ab ]{0,6}",
            // Far from every occurrence, distances round alike in f32 and
            // ranks tie: the lowest starts must still win.
            expected in proptest::prop_oneof![0usize..320, 1_000_000_000usize..1_000_000_300],
        ) {
            let article = Article::new("t", &text);
            let anchor = Anchor { start: 0, end: 0, exact: quote.clone(), prefix, suffix };
            let len = quote.chars().count();
            let starts = starts_of(&article, &quote);
            let context = StoredContext::of(&anchor);
            // Rank them all; best first, the lowest start first among equals.
            let mut all: Vec<(f32, usize)> = starts
                .iter()
                .map(|&start| {
                    let (agreement, _) = context.runs(&article, &(start..start + len));
                    (agreement as f32 + near_bonus(start.abs_diff(expected)), start)
                })
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            all.truncate(EXACT_SHORTLIST);
            let claim = Claimed { anchor: &anchor, context: &context, len, expected, unique: false };
            let got = claim.top_exact(&article, &starts, &mut Budget::units(u64::MAX));
            proptest::prop_assert_eq!(got.ok(), Some(all));
        }

        #[test]
        fn starts_near_finds_the_occurrences_nearest_the_place(
            text in "[ab é]{0,120}",
            needle in "[ab é]{1,3}",
            window_start in 0usize..130,
            window_len in 0usize..130,
            near in 0usize..130,
            cap in 1usize..12,
        ) {
            let article = Article::new("t", &text);
            let end = (window_start + window_len).min(article.char_count());
            let window = window_start.min(end)..end;
            let len = needle.chars().count();
            let inside: Vec<usize> = starts_of(&article, &needle)
                .into_iter()
                .filter(|&s| s >= window.start && s + len <= window.end)
                .collect();
            let near_in = near.clamp(window.start, window.end);
            let after: Vec<usize> =
                inside.iter().copied().filter(|&s| s >= near_in).take(cap.div_ceil(2)).collect();
            let mut want: Vec<usize> =
                inside.iter().copied().filter(|&s| s < near_in).rev().take(cap / 2).collect();
            want.extend(after);
            want.sort_unstable();
            let got = starts_near(&article, &window, &needle, near, cap, &mut Budget::units(u64::MAX));
            proptest::prop_assert_eq!(got.ok(), Some(want));
        }
    }

    #[test]
    fn quotes_found_through_their_pieces_are_found_as_in_full() {
        // Pieces rare and common (a long shared opening), quotes shorter than
        // a piece, absent ones, multibyte text.
        let opening = "The ministry said in a statement on Tuesday that";
        let mut text = String::new();
        for k in 0..40 {
            text.push_str(&format!("{opening} talks number {k} had failed. «日本語» "));
        }
        let article = Article::new("t", &text);
        let mut quotes = [
            format!("{opening} talks number 7 had failed"),
            format!("{opening} talks number 70 had failed"),
            "talks number 3".to_owned(),
            "«日本語» The ministry said in a statement".to_owned(),
            "had failed.".to_owned(),
            "talks number 12 had failed. «日本語» The ministry".to_owned(),
            "talks number 12 had failed. «日本語» Nothing more".to_owned(),
            "absent from the text".to_owned(),
        ];
        quotes.sort_unstable();
        let quotes: Vec<&str> = quotes.iter().map(String::as_str).collect();
        let unbounded = || Budget::units(u64::MAX);
        assert_eq!(
            find_quotes(&article, &quotes, &mut unbounded()),
            occurrences::find_first(&article, &quotes, MAX_OCCURRENCES, &mut unbounded())
        );
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
        let unbounded = locate_within(
            &article,
            &refs,
            &lens,
            Offsets::Old,
            Budget::units(u64::MAX),
        );
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
            let bounded = locate_within(&article, &refs, &lens, Offsets::Old, Budget::units(units));
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

    const PARAGRAPH: &str = "Many readers believed the report and wrote in to say so.";

    #[test]
    fn a_paragraph_found_once_without_its_neighbours_moves_unless_a_look_alike_stands() {
        let old = format!("Intro.\n\n{PARAGRAPH}\n\nMiddle.\n\nEnd.");
        let anchor = anchor_in(&old, PARAGRAPH, 0);
        // Moved to the top, its neighbours changed on both sides: moved.
        let moved = Article::new("t", &format!("{PARAGRAPH}\n\nIntro.\n\nOther.\n\nEnd."));
        let found = locate(&moved, &anchor);
        assert!(
            matches!(found.state, AnchorState::Moved { .. }),
            "{found:?}"
        );
        // The same, and the paragraph with a typo further on: which one is
        // the claim's (the other a copy) the text does not tell.
        let typo = PARAGRAPH.replace("believed", "beleived");
        let twice = Article::new(
            "t",
            &format!("{PARAGRAPH}\n\nIntro.\n\nOther.\n\n{typo}\n\nMore.\n\nEnd."),
        );
        let found = locate(&twice, &anchor);
        assert!(found.needs_review(), "{found:?}");
        assert!(found.score < BULK_CONFIRM_SCORE, "{found:?}");
    }
}

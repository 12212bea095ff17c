//! Scripted edits with known answers, shared by the re-anchoring accuracy test
//! and the re-anchoring benchmark: an edit is a list of splices on the original
//! text, so where each claim must land is computed, not guessed.

use factmark::anchor::Located;
use factmark::model::AnchorState;
use std::ops::Range;

/// Replace `delete` chars at `at` with `insert` (offsets into the original).
#[derive(Clone, Debug)]
pub struct Splice {
    pub at: usize,
    pub delete: usize,
    pub insert: String,
}

pub fn apply(original: &str, splices: &[Splice]) -> String {
    let chars: Vec<char> = original.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    let mut sorted = splices.to_vec();
    sorted.sort_by_key(|s| s.at);
    for s in &sorted {
        out.extend(&chars[at..s.at]);
        out.push_str(&s.insert);
        at = s.at + s.delete;
    }
    out.extend(&chars[at..]);
    out
}

/// Where an original offset ends up. Text inserted exactly at a claim's start
/// goes before the claim; text inserted exactly at its end goes after it.
fn map(offset: usize, splices: &[Splice], is_end: bool) -> usize {
    let mut shift: isize = 0;
    for s in splices {
        let before = if s.delete == 0 {
            s.at < offset || (s.at == offset && !is_end)
        } else {
            s.at + s.delete <= offset
        };
        if before {
            shift += s.insert.chars().count() as isize - s.delete as isize;
        }
    }
    (offset as isize + shift) as usize
}

#[derive(Debug, PartialEq)]
pub enum Expect {
    At(Range<usize>),
    Orphan,
    AtOrOrphan(Range<usize>),
}

pub fn expectation(claim: &Range<usize>, splices: &[Splice]) -> Expect {
    let touched: Vec<&Splice> = splices
        .iter()
        // Deletes overlapping the claim, or inserts strictly inside it.
        .filter(|s| s.at < claim.end && (s.at + s.delete > claim.start || s.at > claim.start))
        .collect();
    let new_range = map(claim.start, splices, false)..map(claim.end, splices, true);
    if touched.is_empty() {
        return Expect::At(new_range);
    }
    let deleted: usize = touched
        .iter()
        .map(|s| {
            (s.at + s.delete)
                .min(claim.end)
                .saturating_sub(s.at.max(claim.start))
        })
        .sum();
    let inserted: usize = touched.iter().map(|s| s.insert.chars().count()).sum();
    let changed = deleted.max(inserted);
    if deleted * 2 >= claim.len() {
        Expect::Orphan
    } else if changed * 12 <= claim.len() {
        Expect::At(new_range)
    } else {
        Expect::AtOrOrphan(new_range)
    }
}

/// Placements scored against the known answers.
#[derive(Default, Debug)]
pub struct Tally {
    pub claims: usize,
    pub correct: usize,
    pub orphaned_as_expected: usize,
    pub missed: usize,
    /// Exact or moved placements somewhere else: silently wrong.
    pub wrong: usize,
    /// Fuzzy suggestions somewhere else: shown as needing confirmation.
    pub wrong_suggestions: usize,
    pub states: [usize; 4],
    /// Print each wrong placement to stderr (tests do; benchmarks count).
    pub log_wrong: bool,
}

pub fn check(found: &Located, expect: &Expect, tally: &mut Tally, context: &str) {
    tally.claims += 1;
    tally.states[match found.state {
        AnchorState::Exact => 0,
        AnchorState::Moved { .. } => 1,
        AnchorState::Fuzzy { .. } => 2,
        AnchorState::Orphaned | AnchorState::Excerpt { .. } => 3,
    }] += 1;
    // A fuzzy match may settle a char or two off at an edited boundary.
    let close = |a: &Range<usize>, b: &Range<usize>| {
        a.start.abs_diff(b.start) <= 2 && a.end.abs_diff(b.end) <= 2
    };
    match (expect, &found.range) {
        (Expect::Orphan, None) | (Expect::AtOrOrphan(_), None) => tally.orphaned_as_expected += 1,
        (Expect::At(_), None) => tally.missed += 1,
        (Expect::At(want) | Expect::AtOrOrphan(want), Some(got)) if close(want, got) => {
            tally.correct += 1
        }
        (_, Some(got)) if matches!(found.state, AnchorState::Fuzzy { .. }) => {
            tally.wrong_suggestions += 1;
            if tally.log_wrong {
                eprintln!(
                    "wrong suggestion {context}: expected {expect:?}, suggested {got:?} ({:?})",
                    found.state
                );
            }
        }
        (_, Some(got)) => {
            tally.wrong += 1;
            if tally.log_wrong {
                eprintln!(
                    "WRONG {context}: expected {expect:?}, placed at {got:?} ({:?})",
                    found.state
                );
            }
        }
    }
}

//! Text the other claims vouch for: where a place found for a claim is shown,
//! by the claims placed around it, to hold text that stood there before.
//!
//! With the old text unknown, a claim whose sentence was deleted but whose
//! passage stands elsewhere too (a news body published twice, a pull quote
//! that was there all along) looks just like a claim moved there: the quote
//! and its context are found, only not where they were. The claims placed
//! without asking tell the two apart. When the nearest such claims on either
//! side of the place are shifted by the same amount, the stretch between them
//! is as long as it was, so nothing was put into it: it held the same text in
//! the old article, at the same shift. If the claim's own old place lies
//! outside that stretch, the text found is another copy that was already
//! there, and the claim's own copy is gone. (Text moved in from elsewhere
//! would lengthen the stretch, unless as much of it went at the same time, a
//! swap of two passages of exactly the same length.)
//!
//! A claim moved within the stretch (paragraphs swapped between two placed
//! claims) has its old place inside it and is left alone.

use std::ops::Range;

/// Where a claim was and where it was found, in chars.
#[derive(Clone, Debug)]
pub struct Placement {
    pub old: Range<usize>,
    pub new: Range<usize>,
    /// Placed without asking (exact or moved): its edges vouch for the text
    /// around them.
    pub sure: bool,
}

/// A placed claim's edge: its offset now and then.
#[derive(Clone, Copy, Debug)]
struct Edge {
    new: usize,
    old: usize,
    claim: usize,
}

impl Edge {
    /// In `i128`: a hostile file's old offsets may be anywhere in `usize`.
    fn shift(&self) -> i128 {
        self.new as i128 - self.old as i128
    }
}

/// The claims among `placements` (by index) found on text that the sure
/// claims around it show stood there before, away from the claim's own old
/// place. A claim at its stored offsets is not questioned.
pub fn on_others_text(placements: &[Option<Placement>]) -> Vec<usize> {
    let mut edges: Vec<Edge> = placements
        .iter()
        .enumerate()
        .filter_map(|(claim, p)| p.as_ref().filter(|p| p.sure).map(|p| (claim, p)))
        .flat_map(|(claim, p)| {
            [
                Edge {
                    new: p.new.start,
                    old: p.old.start,
                    claim,
                },
                Edge {
                    new: p.new.end,
                    old: p.old.end,
                    claim,
                },
            ]
        })
        .collect();
    edges.sort_unstable_by_key(|e| (e.new, e.old));
    placements
        .iter()
        .enumerate()
        .filter_map(|(claim, p)| p.as_ref().map(|p| (claim, p)))
        .filter(|(claim, p)| p.new != p.old && stood_there_before(&edges, *claim, p))
        .map(|(claim, _)| claim)
        .collect()
}

/// `p`'s place lies between edges of other claims all shifted alike, and
/// its own old place outside the stretch they bound.
fn stood_there_before(edges: &[Edge], claim: usize, p: &Placement) -> bool {
    let others = |e: &&Edge| e.claim != claim;
    let before = edges.partition_point(|e| e.new <= p.new.start);
    let after = edges.partition_point(|e| e.new < p.new.end).max(before);
    let Some(first) = edges[..before].iter().rev().find(others) else {
        return false;
    };
    let Some(last) = edges[after..].iter().find(others) else {
        return false;
    };
    let shift = first.shift();
    // Every other edge in the stretch too (a claim overlapping the place).
    let same_shift = edges[before..after]
        .iter()
        .filter(others)
        .chain([first, last])
        .all(|e| e.shift() == shift);
    same_shift && (p.old.end <= first.old || p.old.start >= last.old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sure(old: Range<usize>, new: Range<usize>) -> Option<Placement> {
        Some(Placement {
            old,
            new,
            sure: true,
        })
    }

    fn unsure(old: Range<usize>, new: Range<usize>) -> Option<Placement> {
        Some(Placement {
            old,
            new,
            sure: false,
        })
    }

    #[test]
    fn a_claim_found_between_claims_that_kept_their_distance_came_from_there() {
        // Claims 0 and 2 both shifted by 10, 100 chars apart as before;
        // claim 1 was at 500 and is found between them.
        let placements = [
            sure(1000..1010, 1010..1020),
            unsure(500..520, 1050..1070),
            sure(1090..1100, 1100..1110),
        ];
        assert_eq!(on_others_text(&placements), vec![1]);
        // Moved without asking, the same.
        let placements = [
            sure(1000..1010, 1010..1020),
            sure(500..520, 1050..1070),
            sure(1090..1100, 1100..1110),
        ];
        assert_eq!(on_others_text(&placements), vec![1]);
    }

    #[test]
    fn a_stretch_that_grew_or_a_claim_from_inside_it_is_no_evidence() {
        // Text put in between (the claim's paragraph moved there).
        let grown = [
            sure(1000..1010, 1010..1020),
            unsure(500..520, 1050..1070),
            sure(1090..1100, 1120..1130),
        ];
        assert!(on_others_text(&grown).is_empty());
        // Paragraphs swapped between the two: the claim was inside already.
        let swapped = [
            sure(1000..1010, 1010..1020),
            sure(1060..1080, 1030..1050),
            sure(1090..1100, 1100..1110),
        ];
        assert!(on_others_text(&swapped).is_empty());
        // Nothing placed on one side.
        let open = [sure(1000..1010, 1010..1020), unsure(500..520, 1050..1070)];
        assert!(on_others_text(&open).is_empty());
        // Only claims placed without asking vouch for the text.
        let guessed = [
            unsure(1000..1010, 1010..1020),
            unsure(500..520, 1050..1070),
            sure(1090..1100, 1100..1110),
        ];
        assert!(on_others_text(&guessed).is_empty());
    }

    #[test]
    fn a_claim_inside_another_claim_is_judged_by_that_claims_old_place() {
        // A word of claim 0's sentence: there before when the claim was
        // elsewhere, its own place when it was inside that sentence then.
        let elsewhere = [sure(1000..1100, 900..1000), unsure(200..210, 950..960)];
        assert_eq!(on_others_text(&elsewhere), vec![1]);
        let inside = [sure(1000..1100, 900..1000), sure(1050..1060, 950..960)];
        assert!(on_others_text(&inside).is_empty());
    }

    #[test]
    fn hostile_old_offsets_and_empty_places_neither_overflow_nor_panic() {
        // Old offsets past `isize::MAX`, and an empty place at an edge.
        let high = usize::MAX / 2 + 1;
        let placements = [
            sure(high..high + 10, 0..10),
            unsure(0..5, 20..25),
            sure(high + 50..high + 60, 50..60),
            unsure(7..7, 10..10),
        ];
        assert_eq!(on_others_text(&placements), vec![1, 3]);
    }

    #[test]
    fn a_claim_at_its_stored_offsets_is_not_questioned() {
        // Outside the stretch its neighbours bound, then, but its quote and
        // context held at its offsets: as sure as anything found.
        let placements = [
            sure(0..10, 1000..1010),
            sure(1050..1060, 1050..1060),
            sure(90..100, 1090..1100),
        ];
        assert!(on_others_text(&placements).is_empty());
    }
}

//! The highlight overlay: the article cut at every claim boundary into spans,
//! each knowing which claims cover it. Views paint spans (which never overlap)
//! instead of claims (which may overlap and nest).

use super::AnnotationSet;
use std::ops::Range;

/// A maximal run of text covered by the same set of claims.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlaySpan {
    pub range: Range<usize>,
    /// Indices into `AnnotationSet::claims()` of the claims covering this span.
    members: Range<usize>,
}

/// Spans in text order, rebuilt when `AnnotationSet::anchors_revision` changes.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    spans: Vec<OverlaySpan>,
    /// Claim indices of all spans, back to back (see `OverlaySpan::members`).
    members: Vec<u32>,
}

impl Overlay {
    /// Sweeps over every claim boundary. Claims are kept in start order, so only
    /// the ends need sorting; the two sorted lists are then merged.
    pub fn build(set: &AnnotationSet) -> Self {
        let starts: Vec<(usize, u32)> = set
            .claims()
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                c.span()
                    .filter(|s| !s.is_empty())
                    .map(|s| (s.start, i as u32))
            })
            .collect();
        let mut ends: Vec<(usize, u32)> = starts
            .iter()
            .map(|&(start, i)| (set.claims()[i as usize].span().map_or(start, |s| s.end), i))
            .collect();
        ends.sort_unstable();
        let mut overlay = Overlay {
            spans: Vec::with_capacity(starts.len() * 2),
            members: Vec::with_capacity(starts.len() * 2),
        };
        let mut active: Vec<u32> = Vec::new();
        let (mut s, mut e) = (0, 0);
        let mut at = 0;
        while e < ends.len() {
            // Ends come before starts at the same offset.
            let take_start = s < starts.len() && starts[s].0 < ends[e].0;
            let offset = if take_start { starts[s].0 } else { ends[e].0 };
            if offset > at && !active.is_empty() {
                let first = overlay.members.len();
                overlay.members.extend_from_slice(&active);
                overlay.spans.push(OverlaySpan {
                    range: at..offset,
                    members: first..overlay.members.len(),
                });
            }
            at = offset;
            if take_start {
                active.push(starts[s].1);
                s += 1;
            } else {
                let claim = ends[e].1;
                if let Some(pos) = active.iter().position(|&c| c == claim) {
                    active.swap_remove(pos);
                }
                e += 1;
            }
        }
        overlay
    }

    pub fn spans(&self) -> &[OverlaySpan] {
        &self.spans
    }

    /// Spans that intersect `range`.
    pub fn spans_in(&self, range: Range<usize>) -> &[OverlaySpan] {
        let first = self.spans.partition_point(|s| s.range.end <= range.start);
        let last = self.spans.partition_point(|s| s.range.start < range.end);
        &self.spans[first..last.max(first)]
    }

    /// Claim indices covering `span`, in no particular order.
    pub fn claims_of(&self, span: &OverlaySpan) -> &[u32] {
        &self.members[span.members.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Edit, EditContext};

    #[test]
    fn overlapping_claims_split_into_disjoint_spans() {
        let mut set = AnnotationSet::new(Article::new("t", "0123456789"));
        let ctx = EditContext {
            author: "t".into(),
            now: Default::default(),
        };
        for range in [2..6, 4..8, 5..6] {
            let claim = set.new_claim(range, &ctx).unwrap_or_else(|e| panic!("{e}"));
            set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let overlay = Overlay::build(&set);
        let ranges: Vec<_> = overlay.spans().iter().map(|s| s.range.clone()).collect();
        assert_eq!(ranges, vec![2..4, 4..5, 5..6, 6..8]);
        let counts: Vec<_> = overlay
            .spans()
            .iter()
            .map(|s| overlay.claims_of(s).len())
            .collect();
        assert_eq!(counts, vec![1, 2, 3, 1]);
        assert_eq!(overlay.spans_in(0..2).len(), 0);
        assert_eq!(overlay.spans_in(5..7).len(), 2);
        assert_eq!(overlay.spans_in(8..10).len(), 0);
    }

    #[test]
    fn only_anchor_changes_invalidate_the_overlay() {
        let mut set = AnnotationSet::new(Article::new("t", "0123456789"));
        let ctx = EditContext {
            author: "t".into(),
            now: Default::default(),
        };
        let claim = set.new_claim(2..6, &ctx).unwrap_or_else(|e| panic!("{e}"));
        let id = claim.id.clone();
        set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        let before = set.anchors_revision();
        let undo = set
            .apply(
                Edit::SetStatus {
                    claim: id.clone(),
                    status: crate::model::Status::Disputed,
                },
                &ctx,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        set.apply(undo, &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            set.anchors_revision(),
            before,
            "status edits and their undo keep the overlay"
        );
        set.apply(Edit::RemoveClaim(id), &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(set.anchors_revision(), before);
    }
}

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

/// Spans in text order, built once per document revision.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    spans: Vec<OverlaySpan>,
    /// Claim indices of all spans, back to back (see `OverlaySpan::members`).
    members: Vec<u32>,
    revision: u64,
}

impl Overlay {
    /// Sweeps over every claim boundary: O(n log n) plus the size of the output.
    pub fn build(set: &AnnotationSet) -> Self {
        let mut events: Vec<(usize, bool, u32)> = Vec::with_capacity(set.claims().len() * 2);
        for (i, claim) in set.claims().iter().enumerate() {
            if claim.anchor_state.is_placed() && claim.anchor.start < claim.anchor.end {
                events.push((claim.anchor.start, true, i as u32));
                events.push((claim.anchor.end, false, i as u32));
            }
        }
        // Ends sort before starts at the same offset (false < true).
        events.sort_unstable();
        let mut overlay = Overlay {
            revision: set.revision(),
            ..Default::default()
        };
        let mut active: Vec<u32> = Vec::new();
        let mut at = 0;
        for (offset, is_start, claim) in events {
            if offset > at && !active.is_empty() {
                let first = overlay.members.len();
                overlay.members.extend_from_slice(&active);
                overlay.spans.push(OverlaySpan {
                    range: at..offset,
                    members: first..overlay.members.len(),
                });
            }
            at = offset;
            if is_start {
                active.push(claim);
            } else if let Some(pos) = active.iter().position(|&c| c == claim) {
                active.swap_remove(pos);
            }
        }
        overlay
    }

    /// The document revision this overlay was built from.
    pub fn revision(&self) -> u64 {
        self.revision
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
}

//! Comparing two annotators' work on one article: which claims correspond,
//! how they differ, and how much the annotators agree.
//!
//! Claims correspond when they have the same id (both started from one file),
//! or else when their spans overlap enough: Jaccard overlap (shared chars over
//! chars covered by either) of at least [`SPAN_MATCH_OVERLAP`], paired greedily,
//! best overlap first, one to one.

use super::{AnchorState, AnnotationSet, Claim, Status};
use std::ops::Range;

/// Minimum Jaccard overlap for two spans to count as the same claim.
pub const SPAN_MATCH_OVERLAP: f64 = 0.5;

/// Two corresponding claims: indices into each set's `claims()`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimPair {
    pub a: usize,
    pub b: usize,
    /// Jaccard overlap of their spans (0 when either is unplaced).
    pub overlap: f64,
    pub same_id: bool,
}

/// How the claims of two sets correspond.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<ClaimPair>,
    /// Indices of claims with no counterpart.
    pub only_a: Vec<usize>,
    pub only_b: Vec<usize>,
}

/// Jaccard overlap of two char ranges.
pub fn overlap(a: &Range<usize>, b: &Range<usize>) -> f64 {
    let shared = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// Where a claim sits in the article: shown span, or for a missing article
/// the recorded one (stand-in texts differ from file to file).
fn article_span(claim: &Claim) -> Option<Range<usize>> {
    match claim.anchor_state {
        AnchorState::Excerpt { .. } => Some(claim.anchor.range()),
        _ => claim.span(),
    }
}

fn span_overlap(a: &Claim, b: &Claim) -> f64 {
    match (article_span(a), article_span(b)) {
        (Some(x), Some(y)) => overlap(&x, &y),
        _ => 0.0,
    }
}

/// Pairs the claims of `a` and `b`: by id first, then by span overlap.
pub fn align(a: &AnnotationSet, b: &AnnotationSet) -> Alignment {
    let (ca, cb) = (a.claims(), b.claims());
    let mut taken_a = vec![false; ca.len()];
    let mut taken_b = vec![false; cb.len()];
    let mut pairs = Vec::new();
    for (i, claim) in ca.iter().enumerate() {
        if let Some(j) = b.claim_position(&claim.id) {
            pairs.push(ClaimPair {
                a: i,
                b: j,
                overlap: span_overlap(claim, &cb[j]),
                same_id: true,
            });
            taken_a[i] = true;
            taken_b[j] = true;
        }
    }
    // Independently created claims: candidate pairs above the threshold, best first.
    // Both lists are in text order, so only spans that can overlap are compared.
    let mut candidates = Vec::new();
    for (i, x) in ca.iter().enumerate().filter(|(i, _)| !taken_a[*i]) {
        let Some(xs) = article_span(x) else { continue };
        for (j, y) in cb.iter().enumerate().filter(|(j, _)| !taken_b[*j]) {
            let Some(ys) = article_span(y) else { continue };
            if ys.start >= xs.end {
                break;
            }
            let o = overlap(&xs, &ys);
            if o >= SPAN_MATCH_OVERLAP {
                candidates.push((o, i, j));
            }
        }
    }
    candidates.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    for (o, i, j) in candidates {
        if !taken_a[i] && !taken_b[j] {
            taken_a[i] = true;
            taken_b[j] = true;
            pairs.push(ClaimPair {
                a: i,
                b: j,
                overlap: o,
                same_id: false,
            });
        }
    }
    pairs.sort_by_key(|p| (p.a, p.b));
    Alignment {
        pairs,
        only_a: (0..ca.len()).filter(|i| !taken_a[*i]).collect(),
        only_b: (0..cb.len()).filter(|j| !taken_b[*j]).collect(),
    }
}

/// Agreement between annotator A (the reference) and annotator B.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// Claims whose spans match (overlap at least [`SPAN_MATCH_OVERLAP`]).
    pub span_matches: usize,
    pub claims_a: usize,
    pub claims_b: usize,
    /// Span matches over B's claims, over A's claims, and their harmonic mean.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Share of span-matched claims with the same status.
    pub status_observed: f64,
    /// Cohen's kappa of the statuses of span-matched claims; `None` when it is
    /// undefined (no matched claims, or both annotators used one status only).
    pub status_kappa: Option<f64>,
}

/// Span and status agreement of two annotators' claims.
pub fn agreement(a: &AnnotationSet, b: &AnnotationSet, alignment: &Alignment) -> Agreement {
    let matched: Vec<&ClaimPair> = alignment
        .pairs
        .iter()
        .filter(|p| p.overlap >= SPAN_MATCH_OVERLAP)
        .collect();
    let (n_a, n_b, m) = (a.claims().len(), b.claims().len(), matched.len());
    let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
    let (precision, recall) = (ratio(m, n_b), ratio(m, n_a));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let statuses: Vec<(Status, Status)> = matched
        .iter()
        .map(|p| (a.claims()[p.a].status, b.claims()[p.b].status))
        .collect();
    let (observed, kappa) = cohen_kappa(&statuses);
    Agreement {
        span_matches: m,
        claims_a: n_a,
        claims_b: n_b,
        precision,
        recall,
        f1,
        status_observed: observed,
        status_kappa: kappa,
    }
}

/// Observed agreement and Cohen's kappa for paired labels.
fn cohen_kappa(pairs: &[(Status, Status)]) -> (f64, Option<f64>) {
    if pairs.is_empty() {
        return (0.0, None);
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(x, y)| x == y).count() as f64 / n;
    let share = |pick: fn(&(Status, Status)) -> Status, s: Status| {
        pairs.iter().filter(|p| pick(p) == s).count() as f64 / n
    };
    let expected: f64 = Status::ALL
        .iter()
        .map(|&s| share(|p| p.0, s) * share(|p| p.1, s))
        .sum();
    if (1.0 - expected).abs() < f64::EPSILON {
        return (observed, None);
    }
    (observed, Some((observed - expected) / (1.0 - expected)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Edit, EditContext};

    fn set_with(claims: &[(Range<usize>, Status)]) -> AnnotationSet {
        let mut set = AnnotationSet::new(Article::new("t", &"x".repeat(200)));
        let ctx = EditContext {
            author: "a".into(),
            now: Default::default(),
        };
        for (k, (range, status)) in claims.iter().enumerate() {
            let mut claim = set
                .new_claim(range.clone(), &ctx)
                .unwrap_or_else(|e| panic!("{e}"));
            claim.id = crate::model::ClaimId(format!("c-{k}-{}", range.start));
            claim.status = *status;
            set.apply(Edit::AddClaim(Box::new(claim)), &ctx)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        set
    }

    #[test]
    fn jaccard_overlap() {
        assert_eq!(overlap(&(0..10), &(0..10)), 1.0);
        assert_eq!(overlap(&(0..10), &(5..15)), 5.0 / 15.0);
        assert_eq!(overlap(&(0..10), &(10..20)), 0.0);
        assert_eq!(overlap(&(0..0), &(0..0)), 0.0);
    }

    #[test]
    fn figures_worked_out_by_hand() {
        use Status::*;
        // A: four claims. B: three overlapping A's (one only 2/12 = 0.17, below
        // the rule) and one of its own.
        let a = set_with(&[
            (0..10, Disputed),
            (20..30, Agreed),
            (40..50, Disputed),
            (60..70, Unreviewed),
        ]);
        let b = set_with(&[
            (0..10, Disputed),
            (21..30, Agreed),
            (48..58, Agreed),
            (100..110, Disputed),
        ]);
        let alignment = align(&a, &b);
        assert_eq!(alignment.pairs.len(), 2, "{alignment:?}");
        assert_eq!(alignment.only_a, vec![2, 3]);
        assert_eq!(alignment.only_b, vec![2, 3]);
        let g = agreement(&a, &b, &alignment);
        // 2 matches; precision 2/4, recall 2/4, F1 0.5.
        assert_eq!(
            (g.span_matches, g.precision, g.recall, g.f1),
            (2, 0.5, 0.5, 0.5)
        );
        // Matched statuses (Disputed, Disputed), (Agreed, Agreed): po = 1,
        // pe = 0.5*0.5 + 0.5*0.5 = 0.5, kappa = (1 - 0.5) / (1 - 0.5) = 1.
        assert_eq!(g.status_observed, 1.0);
        assert_eq!(g.status_kappa, Some(1.0));
    }

    #[test]
    fn kappa_worked_out_by_hand() {
        use Status::*;
        // 10 matched claims. A: 6 Disputed, 4 Agreed. B: 5 Disputed, 5 Agreed.
        // They agree on 4 Disputed + 3 Agreed = 7: po = 0.7.
        // pe = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4.
        let pairs = [
            (Disputed, Disputed),
            (Disputed, Disputed),
            (Disputed, Disputed),
            (Disputed, Disputed),
            (Disputed, Agreed),
            (Disputed, Agreed),
            (Agreed, Agreed),
            (Agreed, Agreed),
            (Agreed, Agreed),
            (Agreed, Disputed),
        ];
        let (po, kappa) = cohen_kappa(&pairs);
        assert!((po - 0.7).abs() < 1e-12);
        assert!((kappa.unwrap_or(f64::NAN) - 0.4).abs() < 1e-12, "{kappa:?}");
        assert_eq!(
            cohen_kappa(&[(Agreed, Agreed)]),
            (1.0, None),
            "one category only: undefined"
        );
        assert_eq!(cohen_kappa(&[]), (0.0, None));
    }

    #[test]
    fn same_ids_pair_even_when_spans_moved() {
        let a = set_with(&[(0..10, Status::Agreed)]);
        let mut b = set_with(&[(0..10, Status::Disputed)]);
        let ctx = EditContext {
            author: "b".into(),
            now: Default::default(),
        };
        let id = b.claims()[0].id.clone();
        let anchor = crate::model::Anchor::capture(&b.article, 50..60);
        b.apply(Edit::SetAnchor { claim: id, anchor }, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        let alignment = align(&a, &b);
        assert_eq!(alignment.pairs.len(), 1);
        assert!(alignment.pairs[0].same_id);
        assert_eq!(
            agreement(&a, &b, &alignment).span_matches,
            0,
            "a moved span is not a span match"
        );
    }
}

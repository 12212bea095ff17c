//! Comparing two annotators' work on one article: which claims correspond,
//! how they differ, and how much the annotators agree.
//!
//! Claims correspond when they have the same id (both started from one file),
//! or else when their spans overlap enough: Jaccard overlap (shared chars over
//! chars covered by either) of at least [`SPAN_MATCH_OVERLAP`], paired greedily,
//! best overlap first, one to one (equal overlaps: A's earlier claim first,
//! then B's).
//!
//! Pairing by span takes O(n log n) time and O(n) memory whatever the spans.
//! Nested or repeated spans can make nearly every pair overlap enough (n²
//! candidate pairs), so no list of candidates is built. Each claim instead
//! searches the other file for its best unpaired span, and the greedy pairs
//! are found as mutual best choices by following best choices from claim to
//! claim (a nearest-neighbour chain: each claim joins the chain once, so
//! there are at most twice as many searches as claims). A search walks the
//! other file's spans sorted by (start, end) outward from the claim's own
//! span, skipping paired ones. An overlap of `o` needs starts at most
//! `len · (1 − o) / o` apart (`len` the claim's length; for 0.5, one length),
//! so each direction of the walk stops once its spans start too far away to
//! beat the best found.
//!
//! A search looks at no more than [`SEARCH_LIMIT`] unpaired spans. Below that
//! cap the pairs are exactly those of the greedy rule. A search reaches it
//! only when more unpaired spans of the other file than that start close
//! enough to the claim's to beat the best overlap found so far (dozens of
//! nested or repeated spans); it then takes the best of the spans it looked
//! at, those nearest in start and end. So past the cap a claim can be paired
//! with a span that overlaps it less than the rule's choice (or, at an equal
//! overlap, with a later claim), or be left unpaired when none of those spans
//! overlaps enough; and the claims that would have had those spans can pair
//! differently in turn. Pairs by id are never affected.

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
    /// How many span overlaps the pairing by span computed: at most
    /// [`SEARCH_LIMIT`] per search, and at most twice as many searches as
    /// claims (see the module docs).
    pub span_comparisons: usize,
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

/// Pairs the claims of `a` and `b`: by id first, then by span overlap (see
/// the module docs).
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
    let mut sides = [Spans::new(ca, &taken_a), Spans::new(cb, &taken_b)];
    let mut span_comparisons = 0;
    // The chain of best choices: each claim's best unpaired span is the next
    // link, on the other side, and overlaps it more than it overlaps the link
    // before it. Two links that choose each other are a greedy pair.
    let mut chain: Vec<Link> = Vec::new();
    for first in 0..sides[0].sorted.len() {
        if !sides[0].free.is_free(first) {
            continue;
        }
        sides[0].in_chain[first] = true;
        chain.push(Link {
            side: 0,
            pos: first,
            overlap: 0.0,
        });
        while let Some(&top) = chain.last() {
            let other = 1 - top.side;
            let (start, end, _) = sides[top.side].sorted[top.pos];
            let found = sides[other].best_match(&(start..end), &mut span_comparisons);
            let prev = chain.len().checked_sub(2).map(|k| chain[k]);
            let extends = found.filter(|&(overlap, pos)| {
                let beats_prev = prev.is_none_or(|p| {
                    let (index, prev_index) = (sides[other].index(pos), sides[other].index(p.pos));
                    overlap > top.overlap || (overlap == top.overlap && index < prev_index)
                });
                // Only a capped search can find a link already in the chain.
                beats_prev && !sides[other].in_chain[pos]
            });
            if let Some((overlap, pos)) = extends {
                sides[other].in_chain[pos] = true;
                chain.push(Link {
                    side: other,
                    pos,
                    overlap,
                });
                continue;
            }
            chain.pop();
            sides[top.side].free.take(top.pos);
            // Nothing beats the link before: they choose each other (or a
            // capped search found nothing better; the pair overlaps enough).
            if let Some(p) = prev {
                chain.pop();
                sides[p.side].free.take(p.pos);
                let (x, y) = if top.side == 0 { (top, p) } else { (p, top) };
                let (i, j) = (sides[0].index(x.pos), sides[1].index(y.pos));
                taken_a[i] = true;
                taken_b[j] = true;
                pairs.push(ClaimPair {
                    a: i,
                    b: j,
                    overlap: top.overlap,
                    same_id: false,
                });
            }
        }
    }
    pairs.sort_by_key(|p| (p.a, p.b));
    Alignment {
        pairs,
        only_a: (0..ca.len()).filter(|i| !taken_a[*i]).collect(),
        only_b: (0..cb.len()).filter(|j| !taken_b[*j]).collect(),
        span_comparisons,
    }
}

/// Most unpaired spans one search for a claim's best match looks at (see the
/// module docs for what changes when a search reaches it).
pub const SEARCH_LIMIT: usize = 64;

/// A claim in the chain of best choices: its side (0 for A, 1 for B), its
/// position in that side's [`Spans`], and its overlap with the link before
/// it, whose best choice it is (unused for the first link).
#[derive(Clone, Copy)]
struct Link {
    side: usize,
    pos: usize,
    overlap: f64,
}

/// One set's placed claims not paired by id, sorted by span, for finding the
/// best match of a span of the other set.
struct Spans {
    /// (start, end, claim index), sorted.
    sorted: Vec<(usize, usize, usize)>,
    /// Positions still unpaired (a claim that found no match is taken too).
    free: FreeSlots,
    in_chain: Vec<bool>,
}

impl Spans {
    fn new(claims: &[Claim], paired: &[bool]) -> Self {
        let mut sorted: Vec<_> = claims
            .iter()
            .enumerate()
            .filter(|(i, _)| !paired[*i])
            .filter_map(|(i, c)| {
                // An empty span overlaps nothing.
                article_span(c)
                    .filter(|s| s.start < s.end)
                    .map(|s| (s.start, s.end, i))
            })
            .collect();
        sorted.sort_unstable();
        Self {
            free: FreeSlots::new(sorted.len()),
            in_chain: vec![false; sorted.len()],
            sorted,
        }
    }

    fn index(&self, pos: usize) -> usize {
        self.sorted[pos].2
    }

    /// The unpaired span overlapping `span` best (the earliest claim among
    /// equals), as (overlap, position), if one overlaps at least
    /// [`SPAN_MATCH_OVERLAP`]; looks at [`SEARCH_LIMIT`] spans at most.
    fn best_match(&mut self, span: &Range<usize>, comparisons: &mut usize) -> Option<(f64, usize)> {
        let len = span.len() as f64;
        let at = self
            .sorted
            .partition_point(|&(s, e, _)| (s, e) < (span.start, span.end));
        // Two cursors: spans sorted after `span` (rightwards) and before it.
        let mut right = self.free.next(at);
        let mut left = at.checked_sub(1).and_then(|p| self.free.prev(p));
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..SEARCH_LIMIT {
            // A span starting `d` chars away overlaps at most len / (len + d),
            // and `d` only grows as a cursor moves on.
            let needed = best.map_or(SPAN_MATCH_OVERLAP, |(o, _)| o);
            let sorted = &self.sorted;
            let start_gap = |p: usize| sorted[p].0.abs_diff(span.start);
            let in_reach = |p: &usize| len / (len + start_gap(*p) as f64) >= needed;
            (right, left) = (right.filter(in_reach), left.filter(in_reach));
            let distance = |p: usize| start_gap(p) + sorted[p].1.abs_diff(span.end);
            let pos = match (left, right) {
                (None, None) => break,
                (Some(l), Some(r)) if distance(l) < distance(r) => l,
                (_, Some(p)) | (Some(p), None) => p,
            };
            if right == Some(pos) {
                right = self.free.next(pos + 1);
            } else {
                left = pos.checked_sub(1).and_then(|p| self.free.prev(p));
            }
            *comparisons += 1;
            let (start, end, index) = self.sorted[pos];
            let o = overlap(span, &(start..end));
            let better = best.map_or(o >= SPAN_MATCH_OVERLAP, |(b, at)| {
                o > b || (o == b && index < self.sorted[at].2)
            });
            if better {
                best = Some((o, pos));
                // Only the same span overlaps fully, and the rightward cursor
                // meets its copies in claim order: nothing can do better.
                if o == 1.0 {
                    break;
                }
            }
        }
        best
    }
}

/// Slots `0..len`, each free or taken, with the nearest free slot either way
/// found in amortised near-constant time (union-find with path halving).
struct FreeSlots {
    /// `next[p] == p` when slot `p` is free, else a slot further right;
    /// `next[len]` is a sentinel that stays free.
    next: Vec<usize>,
    /// The same leftwards, shifted by one: `prev[p + 1]` is about slot `p`,
    /// and `prev[0]` is the sentinel.
    prev: Vec<usize>,
}

impl FreeSlots {
    fn new(len: usize) -> Self {
        Self {
            next: (0..=len).collect(),
            prev: (0..=len).collect(),
        }
    }

    fn is_free(&self, p: usize) -> bool {
        self.next[p] == p
    }

    fn take(&mut self, p: usize) {
        self.next[p] = p + 1;
        self.prev[p + 1] = p;
    }

    /// The first free slot at or after `p`.
    fn next(&mut self, p: usize) -> Option<usize> {
        let q = Self::root(&mut self.next, p);
        (q + 1 < self.next.len()).then_some(q)
    }

    /// The last free slot at or before `p`.
    fn prev(&mut self, p: usize) -> Option<usize> {
        Self::root(&mut self.prev, p + 1).checked_sub(1)
    }

    fn root(links: &mut [usize], mut p: usize) -> usize {
        while links[p] != p {
            links[p] = links[links[p]];
            p = links[p];
        }
        p
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

//! Annotation sets for comparing two annotators' files at scale, and the
//! span pairing rule done exhaustively, as factmark did before it searched
//! spans sorted by start: shared by `tests/compare_scale.rs` and
//! `benches/compare.rs`.

use crate::rng::Rng;
use factmark::model::agreement::{Alignment, ClaimPair, SPAN_MATCH_OVERLAP, overlap};
use factmark::model::{
    Anchor, AnchorState, AnnotationSet, Article, Claim, ClaimId, Party, PartyId, Rgb, Stance,
    Status, StatusOrigin,
};
use std::ops::Range;

/// A claim over `range` without its quote: comparing never reads the text,
/// and the quotes of nested spans would take memory quadratic in their number.
pub fn claim(id: String, range: Range<usize>) -> Claim {
    Claim {
        id: ClaimId(id),
        anchor: Anchor {
            start: range.start,
            end: range.end,
            exact: String::new(),
            prefix: String::new(),
            suffix: String::new(),
        },
        anchor_state: AnchorState::Exact,
        status: Status::Unreviewed,
        status_origin: StatusOrigin::Suggested,
        claimant: None,
        stances: Default::default(),
        note: String::new(),
        evidence: Vec::new(),
        verdict: None,
        author: String::new(),
        created: jiff::Timestamp::UNIX_EPOCH,
        modified: jiff::Timestamp::UNIX_EPOCH,
        conflict: None,
    }
}

/// Claims over `ranges` with ids `{prefix}-0`, `{prefix}-1`, …
pub fn claims(prefix: &str, ranges: &[Range<usize>]) -> Vec<Claim> {
    let each = ranges.iter().enumerate();
    each.map(|(k, r)| claim(format!("{prefix}-{k}"), r.clone()))
        .collect()
}

/// A set on an article of `chars` chars.
pub fn set(chars: usize, parties: Vec<Party>, claims: Vec<Claim>) -> AnnotationSet {
    AnnotationSet::from_parts(Article::new("t", &"x".repeat(chars)), parties, claims)
}

/// `n` nested spans on each side, each containing the next: the same spans
/// under different ids, so every pair of spans within 2x of each other's
/// length overlaps enough.
pub fn nested(n: usize) -> (AnnotationSet, AnnotationSet) {
    let ranges: Vec<Range<usize>> = (0..n).map(|k| k..2 * n - k).collect();
    (
        set(2 * n, Vec::new(), claims("a", &ranges)),
        set(2 * n, Vec::new(), claims("b", &ranges)),
    )
}

/// `n` claims on each side, all covering one char (up to 1,000 chars either
/// side of it), independently drawn: most pairs overlap enough.
pub fn all_overlapping(n: usize, rng: &mut Rng) -> (AnnotationSet, AnnotationSet) {
    let mut ranges = || -> Vec<Range<usize>> {
        let mut one = || 1_000 - rng.below(1_000)..1_001 + rng.below(1_000);
        (0..n).map(|_| one()).collect()
    };
    let (a, b) = (ranges(), ranges());
    (
        set(2_001, Vec::new(), claims("a", &a)),
        set(2_001, Vec::new(), claims("b", &b)),
    )
}

/// `n` claims on each side spread over a long article (10 to 120 chars, 40
/// chars of article per claim), made independently: B has A's spans, a third
/// of them moved by up to 3 chars at either end, one in twenty dropped and as
/// many new ones. Statuses, claimants and stances differ now and then, and B
/// names the same two parties by ids of its own.
pub fn spread(n: usize, rng: &mut Rng) -> (AnnotationSet, AnnotationSet) {
    let chars = 40 * n + 200;
    let parties = |ids: [&str; 2]| -> Vec<Party> {
        let names = ["Russia", "Ukraine"];
        let each = ids.iter().zip(names);
        each.map(|(id, name)| Party {
            id: PartyId((*id).into()),
            name: name.into(),
            color: Rgb([1, 2, 3]),
            kind: Default::default(),
            conflict: None,
        })
        .collect()
    };
    let (mine, theirs) = (parties(["russia", "ukraine"]), parties(["ru", "ua"]));
    let random_span = |rng: &mut Rng| {
        let start = rng.below(chars - 150);
        start..start + 10 + rng.below(111)
    };
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for k in 0..n {
        let mut x = claim(format!("a-{k}"), random_span(rng));
        x.status = *rng.pick(&Status::ALL);
        x.status_origin = StatusOrigin::Chosen;
        if rng.chance(4) {
            let p = rng.below(2);
            x.claimant = Some(mine[p].id.clone());
            x.stances.insert(mine[1 - p].id.clone(), Stance::Disputes);
        }
        if rng.chance(20) {
            b.push(claim(format!("b-{k}"), random_span(rng)));
        } else {
            let mut range = x.anchor.range();
            if rng.chance(3) {
                let shift = |at: usize, rng: &mut Rng| (at + rng.below(7)).saturating_sub(3);
                range = shift(range.start, rng)..shift(range.end, rng).max(range.start + 4);
            }
            let mut y = claim(format!("b-{k}"), range);
            y.status = if rng.chance(5) {
                *rng.pick(&Status::ALL)
            } else {
                x.status
            };
            y.status_origin = StatusOrigin::Chosen;
            let to_theirs = |p: &PartyId| theirs[usize::from(p != &mine[0].id)].id.clone();
            y.claimant = x.claimant.as_ref().map(to_theirs);
            y.stances = x.stances.iter().map(|(p, s)| (to_theirs(p), *s)).collect();
            b.push(y);
        }
        a.push(x);
    }
    (set(chars, mine, a), set(chars, theirs, b))
}

/// The rule done exhaustively: ids first, then every pair of placed spans
/// overlapping enough, best first (earlier claim of A, then of B, on ties),
/// one to one. Quadratic in time and in memory when most pairs overlap.
pub fn exhaustive_align(a: &AnnotationSet, b: &AnnotationSet) -> Alignment {
    let (ca, cb) = (a.claims(), b.claims());
    let mut taken_a = vec![false; ca.len()];
    let mut taken_b = vec![false; cb.len()];
    let mut pairs = Vec::new();
    for (i, x) in ca.iter().enumerate() {
        if let Some(j) = b.claim_position(&x.id) {
            let spans = x.span().zip(cb[j].span());
            pairs.push(ClaimPair {
                a: i,
                b: j,
                overlap: spans.map_or(0.0, |(s, t)| overlap(&s, &t)),
                same_id: true,
            });
            taken_a[i] = true;
            taken_b[j] = true;
        }
    }
    let mut candidates = Vec::new();
    for (i, x) in ca.iter().enumerate().filter(|(i, _)| !taken_a[*i]) {
        let Some(xs) = x.span() else { continue };
        for (j, y) in cb.iter().enumerate().filter(|(j, _)| !taken_b[*j]) {
            let Some(ys) = y.span() else { continue };
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
        span_comparisons: 0,
    }
}

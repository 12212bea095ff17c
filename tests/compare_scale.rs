//! Comparing two annotators' files at scale (`factmark diff`, the Compare
//! window): pairing claims by span stays within a linear bound of work and
//! well under 200 MB for nested, all-overlapping and 200,000-claim inputs,
//! and on inputs too small to reach the search cap it pairs exactly as the
//! exhaustive greedy rule does.
//!
//! Time bounds are generous (a debug build on a busy machine); the work
//! bound is the one the alignment documents, so a quadratic search cannot
//! come back unnoticed. Peak memory is counted (`common/heap.rs`), and a
//! run holding more than 2 GB fails at once.

#[path = "common/heap.rs"]
mod heap;
#[path = "common/rng.rs"]
mod rng;
#[path = "common/spans.rs"]
mod spans;

use factmark::model::agreement::{self, Alignment, SEARCH_LIMIT};
use factmark::model::compare::{self, RowKind};
use factmark::model::{AnchorState, AnnotationSet, Article, EditContext};
use rng::Rng;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

/// One measured run at a time: peaks are per run, and the machine is shared.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `work` on its own thread, failing when it takes longer than `limit`;
/// returns its result and the peak heap it added, in MB.
fn measured<T: Send + 'static>(
    what: &str,
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> (T, f64) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(heap::peak_mb(work));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|e| panic!("{what}: not done within {limit:?} ({e})"))
}

/// The documented bound: at most two searches per claim, each comparing at
/// most `SEARCH_LIMIT` spans.
fn assert_linear_work(alignment: &Alignment, a: &AnnotationSet, b: &AnnotationSet) {
    let bound = 2 * SEARCH_LIMIT * (a.claims().len() + b.claims().len());
    assert!(
        alignment.span_comparisons <= bound,
        "{} span comparisons, more than {bound}",
        alignment.span_comparisons
    );
}

#[test]
fn nested_claims_with_different_ids_pair_one_to_one_in_linear_work_and_little_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (a, b) = spans::nested(20_000);
    let ((alignment, comparison, a, b), peak_mb) =
        measured("20,000 nested claims", Duration::from_secs(60), move || {
            let alignment = agreement::align(&a, &b);
            let comparison = compare::compare(&a, &b);
            (alignment, comparison, a, b)
        });
    assert_linear_work(&alignment, &a, &b);
    // Every claim pairs with the same span on the other side, as the rule says.
    assert_eq!(alignment.pairs.len(), 20_000);
    assert!(
        alignment
            .pairs
            .iter()
            .all(|p| p.a == p.b && p.overlap == 1.0 && !p.same_id)
    );
    assert!(comparison.rows.iter().all(|r| r.kind == RowKind::Same));
    assert!(peak_mb < 100.0, "align and compare took {peak_mb:.0} MB");
}

#[test]
fn two_hundred_thousand_claims_compare_in_linear_work() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    type Workload = fn(usize, &mut Rng) -> (AnnotationSet, AnnotationSet);
    let workloads: [(&str, Workload); 2] = [
        ("spread", spans::spread),
        ("all overlapping", spans::all_overlapping),
    ];
    for (name, workload) in workloads {
        let (a, b) = workload(200_000, &mut Rng(11));
        let ((comparison, alignment, a), peak_mb) =
            measured(name, Duration::from_secs(120), move || {
                let comparison = compare::compare(&a, &b);
                let alignment = agreement::align(&a, &b);
                assert_linear_work(&alignment, &a, &b);
                (comparison, alignment, a)
            });
        assert!(peak_mb < 300.0, "{name}: compare took {peak_mb:.0} MB");
        let paired = comparison.agreement.span_matches;
        // Spread: 19 in 20 of B's claims are A's, moved by 3 chars at most.
        // All overlapping: every claim has thousands of spans to pair with.
        assert!(paired >= a.claims().len() * 9 / 10, "{name}: {paired}");
        assert_eq!(paired, alignment.pairs.len(), "{name}");
    }
}

/// Small random sets with fewer claims than `SEARCH_LIMIT`, so no search
/// reaches it: repeated, nested and random spans, B's often A's moved by a
/// few chars, some ids shared, some claims orphaned. Half the sets place
/// spans on a 4-char grid, where equal overlaps (ties) are common.
fn random_pair(rng: &mut Rng) -> (AnnotationSet, AnnotationSet) {
    let unit = if rng.chance(2) { 4 } else { 1 };
    let side = |prefix: &str, other: &[factmark::model::Claim], rng: &mut Rng| {
        let mut claims: Vec<factmark::model::Claim> = Vec::new();
        for k in 0..rng.below(SEARCH_LIMIT / 2) {
            let own = claims.get(rng.below(claims.len().max(1)));
            let theirs = other.get(rng.below(other.len().max(1)));
            let range = match (own, theirs) {
                (Some(c), _) if rng.chance(5) => c.anchor.range(),
                (Some(c), _) if rng.chance(4) => {
                    let (s, e) = (c.anchor.start, c.anchor.end);
                    let start = s + rng.below(e - s);
                    start..start + 1 + rng.below(e - start)
                }
                (_, Some(c)) if rng.chance(2) => {
                    let moved =
                        |at: usize, rng: &mut Rng| (at + unit * rng.below(3)).saturating_sub(unit);
                    let start = moved(c.anchor.start, rng);
                    start..moved(c.anchor.end, rng).max(start + unit)
                }
                _ => {
                    let start = unit * rng.below(290 / unit);
                    start..start + unit * (1 + rng.below(40 / unit))
                }
            };
            let id = match other.get(k) {
                Some(c) if rng.chance(6) => c.id.0.clone(),
                _ => format!("{prefix}-{k}"),
            };
            let mut claim = spans::claim(id, range);
            if rng.chance(10) {
                claim.anchor_state = AnchorState::Orphaned;
            }
            claims.push(claim);
        }
        spans::set(340, Vec::new(), claims)
    };
    let a = side("a", &[], rng);
    let b = side("b", a.claims(), rng);
    (a, b)
}

#[test]
fn below_the_search_cap_pairs_exactly_as_the_exhaustive_rule() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut rng = Rng(2024);
    let mut span_pairs = 0;
    // Many cases: a tie deep in a chain of best choices is rare.
    for case in 0..50_000 {
        let (a, b) = random_pair(&mut rng);
        let found = agreement::align(&a, &b);
        let expected = spans::exhaustive_align(&a, &b);
        assert_eq!(
            (&found.pairs, &found.only_a, &found.only_b),
            (&expected.pairs, &expected.only_a, &expected.only_b),
            "case {case}: A {:?}\nB {:?}",
            a.claims().iter().map(|c| c.span()).collect::<Vec<_>>(),
            b.claims().iter().map(|c| c.span()).collect::<Vec<_>>()
        );
        span_pairs += found.pairs.iter().filter(|p| !p.same_id).count();
    }
    assert!(span_pairs > 10_000, "the cases pair by span: {span_pairs}");
}

#[test]
fn past_the_search_cap_a_claim_takes_the_best_span_it_looked_at() {
    // A: 10..1010. B: 9..1010, overlapping it 1000/1001, then copies of
    // 11..1010 (999/1000): as near, and sorted after A's span, so the
    // search meets the copies first and 9..1010 only after all of them.
    let a = spans::set(1_100, Vec::new(), vec![spans::claim("a".into(), 10..1_010)]);
    let b_with = |copies: usize| {
        let ranges = std::iter::once(9..1_010).chain(std::iter::repeat_n(11..1_010, copies));
        spans::set(
            1_100,
            Vec::new(),
            spans::claims("b", &ranges.collect::<Vec<_>>()),
        )
    };
    let best = |alignment: Alignment| {
        let pairs = alignment.pairs.iter();
        pairs.map(|p| (p.b, p.overlap)).collect::<Vec<_>>()
    };
    let rule = vec![(0, 1000.0 / 1001.0)];
    let below_cap = b_with(SEARCH_LIMIT - 1);
    assert_eq!(best(agreement::align(&a, &below_cap)), rule);
    let at_cap = b_with(SEARCH_LIMIT);
    assert_eq!(best(spans::exhaustive_align(&a, &at_cap)), rule);
    assert_eq!(
        best(agreement::align(&a, &at_cap)),
        vec![(1, 999.0 / 1000.0)]
    );
}

#[test]
fn diff_of_files_of_nested_claims_runs_in_little_memory() {
    use factmark::format;
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // 20,000 claims nested around one point of a 4,000-char article, within
    // the file limits: 2 to 100 chars, so about 200 of each length.
    let words = ["officials ", "said ", "the ", "talks ", "failed. "];
    let text: String = (0..1_000).map(|k| words[k % words.len()]).collect();
    let article = Article::new("t", &text[..4_000]);
    let article_path = dir.path().join("article.txt");
    std::fs::write(&article_path, article.text()).unwrap_or_else(|e| panic!("{e}"));
    let ctx = EditContext {
        author: "a".into(),
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut files = Vec::new();
    for side in ["a", "b"] {
        let empty = AnnotationSet::new(article.clone());
        let claims = (0..20_000).map(|k| {
            let half = (50 - k / 400).max(1);
            let mut claim = empty
                .new_claim(2_000 - half..2_000 + half, &ctx)
                .unwrap_or_else(|e| panic!("{e}"));
            claim.id = factmark::model::ClaimId(format!("{side}-{k}"));
            claim
        });
        let set = AnnotationSet::from_parts(article.clone(), Vec::new(), claims.collect());
        let path = dir.path().join(format!("{side}.ron"));
        format::save_annotations(&path, &set, Some(&article_path), false)
            .unwrap_or_else(|e| panic!("{e}"));
        files.push(path);
    }
    let (code, peak_mb) = measured("factmark diff", Duration::from_secs(120), move || {
        let diff = factmark::cli::Command::Diff {
            a: files[0].clone(),
            b: files[1].clone(),
        };
        factmark::cli::run(diff)
    });
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    assert!(peak_mb < 200.0, "factmark diff took {peak_mb:.0} MB");
}

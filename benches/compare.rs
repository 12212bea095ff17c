//! Comparing two annotators' files (`factmark diff`, the Compare window) at
//! scale, on sets whose claims have different ids on each side, so every pair
//! is found by span: nested spans (each containing the next), 200,000 claims
//! spread over a long article, and 200,000 all covering one char.
//!
//! For each: factmark's alignment and whole comparison, the span overlaps it
//! computed and its peak heap, next to two baselines measured in the same
//! run: pairing by id only (one hash lookup per claim, the least any
//! alignment does), and the exhaustive greedy rule factmark used before
//! (every pair of spans; only at sizes where it fits in memory, with
//! factmark timed again at that size). Where factmark's search cap is
//! reached, it also reports how its pairs differ from the exhaustive rule's.
//! Ends with one `figure:` line per figure for scripts.

#[path = "../tests/common/heap.rs"]
mod heap;
#[path = "../tests/common/rng.rs"]
mod rng;
#[path = "../tests/common/spans.rs"]
mod spans;

use factmark::model::AnnotationSet;
use factmark::model::agreement::{self, Alignment};
use factmark::model::compare;
use rng::Rng;
use std::hint::black_box;
use std::time::Instant;

type Workload = fn(usize) -> (AnnotationSet, AnnotationSet);

/// Median wall time of three runs, in ms, and the last result.
fn timed<T>(mut work: impl FnMut() -> T) -> (f64, T) {
    let mut runs = Vec::new();
    let mut result = None;
    for _ in 0..3 {
        let start = Instant::now();
        result = Some(black_box(work()));
        runs.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(f64::total_cmp);
    (
        runs[1],
        result.unwrap_or_else(|| unreachable!("three runs")),
    )
}

/// The baseline every alignment pays: one id lookup per claim.
fn id_only(a: &AnnotationSet, b: &AnnotationSet) -> usize {
    let found = a
        .claims()
        .iter()
        .filter(|c| b.claim_position(&c.id).is_some());
    found.count()
}

fn mean_overlap(alignment: &Alignment) -> f64 {
    let sum: f64 = alignment.pairs.iter().map(|p| p.overlap).sum();
    sum / alignment.pairs.len().max(1) as f64
}

fn main() {
    let workloads: [(&str, Workload, usize, usize); 4] = [
        ("nested_20k", spans::nested, 20_000, 2_000),
        ("nested_200k", spans::nested, 200_000, 5_000),
        (
            "spread_200k",
            |n| spans::spread(n, &mut Rng(7)),
            200_000,
            10_000,
        ),
        (
            "overlapping_200k",
            |n| spans::all_overlapping(n, &mut Rng(7)),
            200_000,
            3_000,
        ),
    ];
    let mut figures = Vec::new();
    for (name, workload, n, exhaustive_n) in workloads {
        let (a, b) = workload(n);
        let (align_ms, alignment) = timed(|| agreement::align(&a, &b));
        let (compare_ms, rows) = timed(|| compare::compare(&a, &b).rows.len());
        let (_, align_mb) = heap::peak_mb(|| agreement::align(&a, &b));
        let (_, compare_mb) = heap::peak_mb(|| compare::compare(&a, &b));
        let (id_ms, _) = timed(|| id_only(&a, &b));
        println!(
            "{name}: {n} claims each side, {} pairs, {rows} rows, {} span overlaps computed \
             ({:.1} per claim)",
            alignment.pairs.len(),
            alignment.span_comparisons,
            alignment.span_comparisons as f64 / (2 * n) as f64
        );
        println!(
            "  factmark: align {align_ms:.1} ms ({align_mb:.1} MB peak), compare {compare_ms:.1} ms \
             ({compare_mb:.1} MB peak); id-only baseline {id_ms:.2} ms, ratio align/baseline {:.1}",
            align_ms / id_ms
        );
        figures.push(format!(
            "figure: {name} factmark_align_ms={align_ms:.3} factmark_compare_ms={compare_ms:.3} \
             baseline_id_only_ms={id_ms:.3} ratio={:.4}",
            align_ms / id_ms
        ));
        drop((a, b));

        let (a, b) = workload(exhaustive_n);
        let (ours_ms, ours) = timed(|| agreement::align(&a, &b));
        let ((old_ms, old), old_mb) = heap::peak_mb(|| timed(|| spans::exhaustive_align(&a, &b)));
        let differ = ours.pairs.iter().filter(|p| !old.pairs.contains(p)).count();
        println!(
            "  at {exhaustive_n} claims: factmark {ours_ms:.2} ms, exhaustive rule {old_ms:.1} ms \
             ({old_mb:.0} MB peak), ratio exhaustive/factmark {:.0}",
            old_ms / ours_ms
        );
        println!(
            "  pairs: factmark {} (mean overlap {:.4}), exhaustive {} (mean overlap {:.4}); \
             {differ} of factmark's pairs are not the rule's",
            ours.pairs.len(),
            mean_overlap(&ours),
            old.pairs.len(),
            mean_overlap(&old)
        );
        figures.push(format!(
            "figure: {name}_at_{exhaustive_n} factmark_align_ms={ours_ms:.3} \
             baseline_exhaustive_ms={old_ms:.3} ratio={:.4} pairs_not_the_rules={differ}",
            ours_ms / old_ms
        ));
    }
    for f in figures {
        println!("{f}");
    }
}

//! Re-anchoring's work is bounded by its input: pathological files (periodic
//! articles, nested quotes, a huge quote, many claims on one word, near
//! misses on periodic text, huge contexts, a diff of text with no unique
//! word) finish in bounded time, and every
//! claim is either placed where it may be or orphaned: never misplaced, never
//! dropped. The sizes here are small enough for a debug build; the benchmark
//! (`benches/reanchor.rs`) times the same workloads up to the file limits.

#[path = "common/adversarial.rs"]
mod adversarial;
#[path = "common/rng.rs"]
mod rng;

use adversarial::{Outcome, Workload};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: each workload takes well under a second in a debug build, and
/// took minutes to hours before re-anchoring had a work budget.
const BOUND: Duration = Duration::from_secs(20);

/// Re-anchors the workload on its own thread and fails the test if it takes
/// longer than [`BOUND`], without waiting for it to finish.
fn run(workload: Workload) -> Outcome {
    let name = workload.name;
    let claims = workload.anchors.len();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let start = Instant::now();
        let placements = workload.place();
        let elapsed = start.elapsed();
        let _ = send.send((workload.judge(&placements), elapsed));
    });
    let (outcome, elapsed) = receive
        .recv_timeout(BOUND)
        .unwrap_or_else(|e| panic!("{name}: not done after {BOUND:?} ({e})"));
    println!("{name}: {elapsed:?}, {outcome:?}");
    assert_eq!(outcome.claims, claims, "{name}: every claim has a result");
    assert!(outcome.wrong.is_empty(), "{name}: {:#?}", outcome.wrong);
    assert!(
        outcome.wrong_suggestions * 100 <= claims,
        "{name}: more than 1% wrong suggestions: {outcome:?}"
    );
    outcome
}

#[test]
fn periodic_runs_are_placed_verbatim_in_bounded_time() {
    let outcome = run(adversarial::periodic_runs(200_000, 300));
    assert_eq!(outcome.placed, 300, "{outcome:?}");
}

#[test]
fn a_huge_quote_with_runs_nested_in_it_is_placed_in_bounded_time() {
    let outcome = run(adversarial::huge_quote(300_000, 100_000, 300));
    assert_eq!(outcome.placed, 301, "{outcome:?}");
}

#[test]
fn near_misses_on_periodic_text_are_suggested_in_bounded_time() {
    let outcome = run(adversarial::periodic_near_misses(200_000, 2_000));
    assert_eq!(outcome.placed, 2_000, "{outcome:?}");
}

#[test]
fn many_claims_on_one_word_are_placed_or_orphaned() {
    run(adversarial::one_common_word(200_000, 2_000));
}

#[test]
fn many_quotes_are_all_moved_well_within_the_budget() {
    let outcome = run(adversarial::many_quotes(2_000_000, 20_000, 80));
    assert_eq!(outcome.placed, 20_000, "{outcome:?}");
    assert_eq!(outcome.unsearched, 0, "{outcome:?}");
}

#[test]
fn claims_with_huge_contexts_are_placed_by_them_or_orphaned() {
    let outcome = run(adversarial::huge_contexts(100_000, 50));
    assert_eq!(
        outcome.placed, 25,
        "the ones whose context is there: {outcome:?}"
    );
}

#[test]
fn a_diff_of_text_with_no_unique_word_stays_within_its_budget() {
    let outcome = run(adversarial::small_vocabulary_through_a_diff(100_000, 1_000));
    assert!(outcome.placed * 2 > outcome.claims, "{outcome:?}");
}

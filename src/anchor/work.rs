//! The work one re-anchoring may do, in proportion to its input.
//!
//! Every step of [`super::locate_all`] (checking stored offsets, building and
//! running the exact search, scoring occurrences, approximate search, context
//! comparison) takes its cost from one [`Budget`] before it runs, or, when
//! the step is small and its cost known only once done, right after. A
//! pathological file (periodic text, thousands of nested quotes, huge
//! contexts) runs out instead of running for minutes, and whatever was not
//! reached is left orphaned, never dropped.
//!
//! A unit is about a nanosecond of work on the slow cores these costs were
//! measured on. The budget is [`BASE_UNITS`] (0.8 s, so that small files never
//! run short) plus [`UNITS_PER_INPUT_CHAR`] per char of article and quotes
//! (another 0.8 s at the file limits, 64 MB of article and 16 MB of quotes):
//! re-anchoring any file within the limits stops within about 2 s. The
//! re-anchoring benchmark (10,000 claims after 400 edits on a 3.7 MB article)
//! uses a fifth of its budget.

/// Work allowed per char of input (article and quotes), in units.
const UNITS_PER_INPUT_CHAR: u64 = 10;
/// Work allowed whatever the input.
const BASE_UNITS: u64 = 800_000_000;

/// Cost of one text byte run through the exact-search automaton, plus
/// [`SCAN_BYTE_PER_PATTERN_MB`] per MB of patterns in it: a step is a random
/// access into the automaton, slower the less of it fits in the caches
/// (measured: 15 ns a byte with 1 MB of patterns, 100 ns with 16 MB).
pub const SCAN_BYTE: usize = 14;
pub const SCAN_BYTE_PER_PATTERN_MB: usize = 6;
/// Cost of one pattern byte put into the automaton (sorting, trie, links),
/// growing the same way (50 ns a byte for 1 MB of patterns, 140 for 16 MB).
pub const BUILD_BYTE: usize = 40;
pub const BUILD_BYTE_PER_PATTERN_MB: usize = 10;
/// Cost of one occurrence kept: also memory held until the end, which this
/// bounds to a few hundred MB.
pub const KEPT_OCCURRENCE: usize = 40;
/// Cost of one char read or compared directly.
pub const CHAR: usize = 1;
/// Cost of finding a char offset's byte (a short scan from a checkpoint).
pub const OFFSET_LOOKUP: usize = 24;
/// Cost of one char through one 64-char block of the bit-parallel search.
pub const MYERS_STEP: usize = 5;
/// Cost of one cell of the edit-distance table used to compare contexts.
pub const DISTANCE_CELL: usize = 1;
/// Cost of one token of a text diff (interned, counted, compared), and of
/// one cell of its worst case, `min(n, m) * (n + m) / 2` for `n` tokens
/// against `m` (measured: 10 s for 100,000 random words of a 50-word
/// vocabulary on each side, 10^10 cells).
pub const DIFF_TOKEN: usize = 40;
pub const DIFF_CELL: usize = 1;

/// The work ran out before this step; what it was for is left unsearched.
#[derive(Debug)]
pub struct OutOfWork;

/// What is left of the work allowed for one re-anchoring.
#[derive(Debug)]
pub struct Budget {
    left: u64,
}

impl Budget {
    /// The budget for an input of `chars` chars (article plus quotes).
    pub fn for_input(chars: usize) -> Self {
        let chars = u64::try_from(chars).unwrap_or(u64::MAX);
        Self {
            left: BASE_UNITS.saturating_add(chars.saturating_mul(UNITS_PER_INPUT_CHAR)),
        }
    }

    /// Takes `units` for a step about to run, or refuses when fewer are left.
    /// A refusal empties the budget: what follows the first step that did not
    /// fit is not searched either, so which claims were searched depends on
    /// their order only, never on how big the later steps happen to be.
    pub fn take(&mut self, units: usize) -> Result<(), OutOfWork> {
        let units = u64::try_from(units).unwrap_or(u64::MAX);
        match self.left.checked_sub(units) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(OutOfWork)
            }
        }
    }

    /// A budget of exactly `units`: for work of its own size (a quote's
    /// diff drawn in a window), and for tests of what running out does.
    pub fn units(units: u64) -> Self {
        Self { left: units }
    }

    /// Up to `units` of this budget, set apart for a step that may run out
    /// without ending the rest: what it leaves goes back with
    /// [`Budget::rejoin`].
    pub fn set_apart(&mut self, units: u64) -> Self {
        let units = units.min(self.left);
        self.left -= units;
        Self { left: units }
    }

    /// Takes back what is left of a part [`Budget::set_apart`] from this one.
    pub fn rejoin(&mut self, part: Self) {
        self.left = self.left.saturating_add(part.left);
    }

    #[cfg(test)]
    pub fn left(&self) -> u64 {
        self.left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_the_input_and_empties_on_the_first_refusal() {
        let small = Budget::for_input(0).left();
        assert!(Budget::for_input(1_000_000).left() > small);
        assert_eq!(
            Budget::for_input(usize::MAX).left(),
            u64::MAX,
            "saturates, never wraps"
        );
        let mut budget = Budget::for_input(0);
        assert!(budget.take(10).is_ok());
        assert_eq!(budget.left(), small - 10);
        assert!(budget.take(usize::MAX).is_err());
        assert!(budget.take(1).is_err(), "nothing runs after a refusal");
    }

    #[test]
    fn a_part_set_apart_runs_out_alone_and_gives_back_what_it_left() {
        let mut budget = Budget::units(100);
        let mut part = budget.set_apart(30);
        assert_eq!(budget.left(), 70);
        assert!(part.take(40).is_err());
        assert!(budget.take(10).is_ok(), "the rest runs on");
        budget.rejoin(part);
        assert_eq!(budget.left(), 60);
        let mut part = budget.set_apart(1_000);
        assert_eq!(
            (budget.left(), part.left()),
            (0, 60),
            "never more than there is"
        );
        assert!(part.take(20).is_ok());
        budget.rejoin(part);
        assert_eq!(budget.left(), 40);
    }
}

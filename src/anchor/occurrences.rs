//! Where many patterns occur in an article, in one pass: an Aho-Corasick
//! automaton over the UTF-8 bytes that keeps the first `cap` occurrences of
//! each pattern, overlapping ones included.
//!
//! Built here rather than taken from the `aho-corasick` crate because the
//! crate's costs are not bounded by the input's size when only a few
//! occurrences per pattern are wanted: its automaton copies into every state
//! the matches of all the state's suffixes (quotes `a`×1..1000 and one quote
//! `a`×1,000,000 make a billion entries before the search starts), and its
//! overlapping search reports every occurrence, kept or not (300 quotes `a`×k
//! on an article of 1,000,000 `a`s make 300 million reports).
//!
//! Here each state links instead to the nearest shorter pattern ending where
//! it does (its dictionary link). At each text position the patterns ending
//! there are visited from the longest down, and the visit stops at the first
//! one that already has `cap` occurrences: every shorter one is its suffix, so
//! it ended at each of those places too and has its `cap` as well. Building
//! costs about the total pattern length (plus sorting the patterns),
//! searching the text length plus the occurrences kept, and both are taken
//! from the work budget.

use super::work::{
    BUILD_BYTE, BUILD_BYTE_PER_PATTERN_MB, Budget, CHAR, KEPT_OCCURRENCE, SCAN_BYTE,
    SCAN_BYTE_PER_PATTERN_MB,
};
use crate::model::Article;

const ROOT: u32 = 0;
/// No state (or no pattern).
const NONE: u32 = u32::MAX;
/// Text bytes scanned per budget check.
const SCAN_CHUNK: usize = 1 << 16;

/// One state of the automaton: what a step through the text reads.
#[derive(Clone, Copy, Default)]
struct State {
    /// The state of the longest proper suffix that is also in the trie.
    fail: u32,
    /// Where the children are listed in `child_bytes`/`child_states`, when
    /// there are two or more; a single child is the next state.
    table: u32,
    children: u16,
    /// The byte on the edge into this state.
    byte: u8,
    /// [`ENDS`] and [`OUTPUT`].
    flags: u8,
}

/// A pattern ends at this state.
const ENDS: u8 = 1;
/// A pattern ends at this state or at one down its failure links.
const OUTPUT: u8 = 2;

/// A trie of the patterns with failure and dictionary links. States are
/// numbered depth first, so a state's first child is the next state and a run
/// of text along one pattern reads memory in order.
struct Automaton {
    states: Vec<State>,
    /// The pattern ending at each state.
    pattern: Vec<u32>,
    /// The nearest state down the failure links that ends a pattern.
    dict: Vec<u32>,
    /// The children of states with two or more, in byte order.
    child_bytes: Vec<u8>,
    child_states: Vec<u32>,
    /// Transitions from the root, taken by most text bytes.
    root: Box<[u32; 256]>,
}

impl Automaton {
    /// `None` when the patterns are too many or too long for 32-bit state ids.
    fn new(patterns: &[&[u8]]) -> Option<Self> {
        let total: usize = patterns.iter().map(|p| p.len()).sum();
        if total >= NONE as usize - 1 {
            return None;
        }
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        order.sort_unstable_by_key(|&p| patterns[p as usize]);
        // The trie, inserting the patterns in sorted order: each shares with
        // the one before it the path of their common prefix.
        let mut states = Vec::with_capacity(total + 1);
        states.push(State::default());
        let mut pattern = Vec::with_capacity(total + 1);
        pattern.push(NONE);
        let mut parent = Vec::with_capacity(total + 1);
        parent.push(ROOT);
        let mut path = vec![ROOT];
        let mut previous: &[u8] = &[];
        for &p in &order {
            let bytes = patterns[p as usize];
            let common = bytes
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(common + 1);
            for &byte in &bytes[common..] {
                let up = path[path.len() - 1];
                states[up as usize].children += 1;
                path.push(states.len() as u32);
                states.push(State {
                    byte,
                    ..State::default()
                });
                pattern.push(NONE);
                parent.push(up);
            }
            let end = path[path.len() - 1] as usize;
            pattern[end] = p;
            states[end].flags = ENDS | OUTPUT;
            previous = bytes;
        }
        let mut child_count = 0;
        for state in states.iter_mut().filter(|s| s.children >= 2) {
            state.table = child_count;
            child_count += u32::from(state.children);
        }
        let mut child_bytes = vec![0; child_count as usize];
        let mut child_states = vec![0; child_count as usize];
        let mut filled = vec![0u32; states.len()];
        let mut root = Box::new([ROOT; 256]);
        // Depth-first order lists each state's children in byte order.
        for (child, &up) in parent.iter().enumerate().skip(1) {
            let (up, byte) = (up as usize, states[child].byte);
            if up == ROOT as usize {
                root[usize::from(byte)] = child as u32;
            }
            if states[up].children >= 2 {
                let at = (states[up].table + filled[up]) as usize;
                child_bytes[at] = byte;
                child_states[at] = child as u32;
                filled[up] += 1;
            }
        }
        drop((parent, filled));
        let mut automaton = Self {
            dict: vec![NONE; states.len()],
            states,
            pattern,
            child_bytes,
            child_states,
            root,
        };
        automaton.link();
        Some(automaton)
    }

    /// Failure and dictionary links, breadth first: a state's links lead to
    /// shallower states, whose own are then known.
    fn link(&mut self) {
        let mut queue = Vec::with_capacity(self.states.len());
        queue.push(ROOT);
        let mut head = 0;
        while let Some(&state) = queue.get(head) {
            head += 1;
            let s = self.states[state as usize];
            for k in 0..u32::from(s.children) {
                let child = if s.children == 1 {
                    state + 1
                } else {
                    self.child_states[(s.table + k) as usize]
                };
                let fail = if state == ROOT {
                    ROOT
                } else {
                    self.next(s.fail, self.states[child as usize].byte)
                };
                let flags = self.states[fail as usize].flags;
                let dict = if flags & ENDS != 0 {
                    fail
                } else if flags & OUTPUT != 0 {
                    self.dict[fail as usize]
                } else {
                    NONE
                };
                let c = &mut self.states[child as usize];
                c.fail = fail;
                if dict != NONE {
                    c.flags |= OUTPUT;
                    self.dict[child as usize] = dict;
                }
                queue.push(child);
            }
        }
    }

    /// The state after `byte` from `state`, following failure links.
    fn next(&self, mut state: u32, byte: u8) -> u32 {
        loop {
            if state == ROOT {
                return self.root[usize::from(byte)];
            }
            let s = self.states[state as usize];
            if s.children == 1 {
                if self.states[state as usize + 1].byte == byte {
                    return state + 1;
                }
            } else if s.children >= 2 {
                let table = s.table as usize..s.table as usize + usize::from(s.children);
                if let Ok(k) = self.child_bytes[table.clone()].binary_search(&byte) {
                    return self.child_states[table.start + k];
                }
            }
            state = s.fail;
        }
    }

    /// The longest pattern ending at `state`, as the state where it ends.
    fn longest_match(&self, state: u32) -> u32 {
        let flags = self.states[state as usize].flags;
        if flags & ENDS != 0 {
            state
        } else if flags & OUTPUT != 0 {
            self.dict[state as usize]
        } else {
            NONE
        }
    }
}

/// The first `cap` occurrences of each pattern, as char offsets of their
/// starts in ascending order (overlapping occurrences included), or `None`
/// for a pattern whose search the budget did not cover. Patterns must be
/// distinct and non-empty.
pub fn find_first(
    article: &Article,
    patterns: &[&str],
    cap: usize,
    budget: &mut Budget,
) -> Vec<Option<Vec<usize>>> {
    let whole = 0..article.char_count();
    find_first_within(article, patterns, cap, std::slice::from_ref(&whole), budget)
}

/// [`find_first`] over the stretches `within` only (char ranges, in order,
/// not overlapping): the occurrences that lie wholly inside one of them.
pub fn find_first_within(
    article: &Article,
    patterns: &[&str],
    cap: usize,
    within: &[std::ops::Range<usize>],
    budget: &mut Budget,
) -> Vec<Option<Vec<usize>>> {
    let unsearched = || vec![None; patterns.len()];
    let bytes: Vec<&[u8]> = patterns.iter().map(|p| p.as_bytes()).collect();
    let total: usize = bytes.iter().map(|p| p.len()).sum();
    let megabytes = total >> 20;
    let build_byte = BUILD_BYTE + BUILD_BYTE_PER_PATTERN_MB.saturating_mul(megabytes);
    let scan_byte = SCAN_BYTE + SCAN_BYTE_PER_PATTERN_MB.saturating_mul(megabytes);
    if cap == 0 || budget.take(total.saturating_mul(build_byte)).is_err() {
        return unsearched();
    }
    let Some(automaton) = Automaton::new(&bytes) else {
        return unsearched();
    };
    let chars: Vec<usize> = patterns.iter().map(|p| p.chars().count()).collect();
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    let mut open = patterns.len();
    let mut complete = true;
    'scan: for stretch in within {
        let mut state = ROOT;
        // Chars that have started so far; every match ends on a char boundary.
        let mut chars_seen = stretch.start;
        for chunk in article.slice(stretch.clone()).as_bytes().chunks(SCAN_CHUNK) {
            if open == 0 {
                break 'scan;
            }
            if budget.take(chunk.len().saturating_mul(scan_byte)).is_err() {
                complete = false;
                break 'scan;
            }
            for &byte in chunk {
                chars_seen += usize::from(byte & 0xC0 != 0x80);
                state = automaton.next(state, byte);
                let mut at = automaton.longest_match(state);
                while at != NONE {
                    let p = automaton.pattern[at as usize] as usize;
                    let full = found[p].len() >= cap;
                    if budget
                        .take(if full { CHAR } else { KEPT_OCCURRENCE })
                        .is_err()
                    {
                        complete = false;
                        break 'scan;
                    }
                    if full {
                        break;
                    }
                    found[p].push(chars_seen - chars[p]);
                    if found[p].len() == cap {
                        open -= 1;
                    }
                    at = automaton.dict[at as usize];
                }
            }
        }
    }
    found
        .into_iter()
        .map(|list| (complete || list.len() >= cap).then_some(list))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence by brute force, first `cap` of each.
    fn brute(text: &str, patterns: &[&str], cap: usize) -> Vec<Option<Vec<usize>>> {
        let article = Article::new("t", text);
        patterns
            .iter()
            .map(|p| {
                let starts = (0..=text.len().saturating_sub(p.len()))
                    .filter(|&b| text.is_char_boundary(b) && text[b..].starts_with(p))
                    .map(|b| article.char_of_byte(b))
                    .take(cap)
                    .collect();
                Some(starts)
            })
            .collect()
    }

    fn search(text: &str, patterns: &[&str], cap: usize) -> Vec<Option<Vec<usize>>> {
        let article = Article::new("t", text);
        find_first(&article, patterns, cap, &mut Budget::for_input(1_000))
    }

    #[test]
    fn within_stretches_only_the_occurrences_wholly_inside_one_count() {
        let text = "“niet” said Russia; “niet” said Ukraine; “niet” again";
        let article = Article::new("t", text);
        let all = find_first(
            &article,
            &["“niet”", "said"],
            10,
            &mut Budget::for_input(1_000),
        );
        assert_eq!(all[0], Some(vec![0, 20, 41]));
        // The second stretch cuts the second "said" in half; the first
        // holds the first occurrences of both whole.
        let within = find_first_within(
            &article,
            &["“niet”", "said"],
            10,
            &[0..12, 20..29, 41..60],
            &mut Budget::for_input(1_000),
        );
        assert_eq!(within, vec![Some(vec![0, 20, 41]), Some(vec![7])]);
    }

    #[test]
    fn finds_overlapping_and_nested_occurrences_like_brute_force() {
        let text = "said no. Russia said no to the offer; “niet” said Russia, saying no. aaaa";
        let patterns = [
            "said no",
            "no",
            "Russia said no",
            "aa",
            "a",
            "said",
            "“niet”",
            "absent",
            "o",
            "aaaa",
        ];
        for cap in [1, 2, 3, 100] {
            assert_eq!(
                search(text, &patterns, cap),
                brute(text, &patterns, cap),
                "cap {cap}"
            );
        }
    }

    #[test]
    fn multibyte_text_gives_char_offsets() {
        let text = "日本語のテキスト「満足」と述べた。満足 é\u{301}té";
        let patterns = ["満足", "「満足」", "é", "\u{301}t", "。"];
        assert_eq!(search(text, &patterns, 10), brute(text, &patterns, 10));
    }

    #[test]
    fn nested_runs_on_periodic_text_stop_at_the_cap() {
        let text = "a".repeat(100_000);
        let mut runs: Vec<String> = (1..=300).map(|k| "a".repeat(k)).collect();
        let article = Article::new("t", &text);
        let work = |patterns: &[&str]| {
            let mut budget = Budget::for_input(0);
            let before = budget.left();
            let found = find_first(&article, patterns, 5, &mut budget);
            for (k, list) in found.iter().take(300).enumerate() {
                assert_eq!(list.as_deref(), Some(&[0, 1, 2, 3, 4][..]), "a×{}", k + 1);
            }
            before - budget.left()
        };
        // Stops once every pattern has its five: one chunk, not 300 × 100,000 reports.
        let all_found = work(&runs.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(all_found < 3_000_000, "{all_found}");
        // With one pattern never found the scan goes on to the end, but each
        // position reports nothing past the longest run, which has its five.
        runs.push("b".into());
        let to_the_end = work(&runs.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(to_the_end < 5_000_000, "{to_the_end}");
    }

    #[test]
    fn a_search_the_budget_does_not_cover_is_unknown_not_empty() {
        let text = "ab".repeat(200_000);
        let article = Article::new("t", &text);
        let patterns = ["ab", "ba", "abc"];
        let mut budget = Budget::for_input(0);
        // Leave room to build, scan one chunk and keep the 2 × 50 found in it.
        let room = 7 * BUILD_BYTE + SCAN_CHUNK * SCAN_BYTE + 100 * KEPT_OCCURRENCE;
        budget
            .take(budget.left() as usize - room)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let found = find_first(&article, &patterns, 50, &mut budget);
        assert_eq!(
            found[0].as_ref().map(Vec::len),
            Some(50),
            "capped: complete"
        );
        assert_eq!(found[1].as_ref().map(Vec::len), Some(50));
        assert_eq!(found[2], None, "never found, but not searched to the end");
        assert!(budget.take(1).is_err());
    }
}

//! Where an approximate match of a quote really ends.
//!
//! The approximate search finds the text with the fewest edits against the
//! quote, and at an edge that is often too much: when a deletion took the
//! quote's last words and the next sentence's first, the text after the cut
//! (other words) costs the same as the deleted words, or less, since a few of
//! its chars line up with the quote's by chance. The match then runs on into
//! the next sentence, or starts in the last one. An edit ending a quote is
//! in the quote's text or beside it; only what still lines up with the quote
//! belongs to the claim.
//!
//! So each edge of a match is aligned with the same edge of the quote, and
//! the text at the edge that lines up worse than [`NOISE_MARGIN`] edits over
//! its matching chars is left out, up to the last char that matches. A typo
//! at the edge (a char changed or put in) stays: it is next to the quote's
//! own chars, lined up. A reworded last word looks the same as noise; the
//! caller keeps an edge that the claim's stored context still follows.

/// Chars of the quote aligned at each edge beyond twice the match's edits:
/// noise is at most one edit a char, and past it the quote's own chars must
/// line up for a while to show where the noise ends.
const EDGE_LINED_UP: usize = 16;
/// By how many edits the text left out must outnumber its matching chars.
const NOISE_MARGIN: usize = 3;

/// How many chars to leave out at the start and at the end of `found`, an
/// approximate match of `quote` with `errors` edits. Costs about
/// [`edge_cells`] cells of an edit-distance table.
pub fn noise_at_edges(quote: &[char], found: &[char], errors: usize) -> (usize, usize) {
    if errors == 0 {
        return (0, 0);
    }
    let (q, f) = edge_lens(quote.len(), found.len(), errors);
    let reversed = |s: &[char]| s.iter().rev().copied().collect::<Vec<char>>();
    let end = noise_after(&quote[quote.len() - q..], &found[found.len() - f..]);
    let start = noise_after(&reversed(&quote[..q]), &reversed(&found[..f]));
    // Both edges together never take the whole match.
    if start + end >= found.len() {
        return (0, 0);
    }
    (start, end)
}

/// Cells of the tables [`noise_at_edges`] fills.
pub fn edge_cells(quote_len: usize, found_len: usize, errors: usize) -> usize {
    let (q, f) = edge_lens(quote_len, found_len, errors);
    2 * (q + 1) * (f + 1)
}

/// Chars of the quote and of the match aligned at each edge.
fn edge_lens(quote_len: usize, found_len: usize, errors: usize) -> (usize, usize) {
    let q = quote_len.min(2 * errors + EDGE_LINED_UP);
    (q, found_len.min(q + errors))
}

/// One step of an alignment, from the end inwards.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Match,
    /// A char changed, put in (text only) or taken out (quote only).
    Changed {
        text_chars: usize,
    },
}

/// How many chars at the end of `text` line up with the end of `quote` so
/// badly that they are not the quote's. The two are aligned end to end; the
/// text may start anywhere (its start belongs to the rest of the match).
fn noise_after(quote: &[char], text: &[char]) -> usize {
    let steps = alignment_from_end(quote, text);
    // Walking inwards, a cut just outside a matching char leaves out what
    // was walked; the best cut leaves out the most edits net of matches.
    let (mut edits, mut matches, mut chars) = (0usize, 0usize, 0usize);
    let mut best = (NOISE_MARGIN - 1, 0);
    for step in steps {
        if step == Step::Match && edits > matches + best.0 {
            best = (edits - matches, chars);
        }
        match step {
            Step::Match => {
                matches += 1;
                chars += 1;
            }
            Step::Changed { text_chars } => {
                edits += 1;
                chars += text_chars;
            }
        }
    }
    best.1
}

/// An alignment of all of `quote` with a suffix of `text`, fewest edits,
/// ends together; its steps from the end inwards.
fn alignment_from_end(quote: &[char], text: &[char]) -> Vec<Step> {
    // Reversed, so the ends are row and column 0: cost[i][j] aligns the last
    // i chars of the quote with the last j of the text.
    let (n, m) = (quote.len(), text.len());
    let q = |i: usize| quote[n - 1 - i];
    let t = |j: usize| text[m - 1 - j];
    let width = m + 1;
    let mut cost = vec![0usize; (n + 1) * width];
    for (j, cell) in cost[..width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        cost[i * width] = i;
        for j in 1..=m {
            let diagonal = cost[(i - 1) * width + j - 1] + usize::from(q(i - 1) != t(j - 1));
            let up = cost[(i - 1) * width + j] + 1;
            let left = cost[i * width + j - 1] + 1;
            cost[i * width + j] = diagonal.min(up).min(left);
        }
    }
    // All of the quote, any length of text: the cheapest cell of the last row.
    let mut j = (0..=m)
        .min_by_key(|&j| (cost[n * width + j], j))
        .unwrap_or(0);
    let mut i = n;
    // Traced back from the inner end, then reversed to run from the end.
    let mut steps = Vec::with_capacity(n + m);
    while i > 0 || j > 0 {
        let here = cost[i * width + j];
        if i > 0 && j > 0 {
            let same = q(i - 1) == t(j - 1);
            if here == cost[(i - 1) * width + j - 1] + usize::from(!same) {
                steps.push(if same {
                    Step::Match
                } else {
                    Step::Changed { text_chars: 1 }
                });
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if i > 0 && here == cost[(i - 1) * width + j] + 1 {
            steps.push(Step::Changed { text_chars: 0 });
            i -= 1;
        } else {
            steps.push(Step::Changed { text_chars: 1 });
            j = j.saturating_sub(1);
        }
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn noise(quote: &str, found: &str, errors: usize) -> (usize, usize) {
        noise_at_edges(&chars(quote), &chars(found), errors)
    }

    #[test]
    fn the_next_sentence_after_a_deleted_end_is_left_out() {
        // "is definitely catching my hair" was deleted with the next
        // sentence's first word; the search ran on into "e iPhone 6 an".
        let quote = "the aluminum meets the glass is definitely catchin";
        let found = "the aluminum meets the glasse iPhone 6 an";
        assert_eq!(noise(quote, found, 17), (0, "e iPhone 6 an".len()));
    }

    #[test]
    fn the_last_sentence_before_a_deleted_start_is_left_out() {
        let quote = "when a gunbattle broke out, the commissioner said";
        let found = "the Guerrerle broke out, the commissioner said";
        assert_eq!(noise(quote, found, 13), ("the Guerrer".len(), 0));
    }

    #[test]
    fn typos_at_the_edges_stay_in() {
        assert_eq!(
            noise("the withdrawl", "the withdrawal", 1),
            (0, 0),
            "a char put in"
        );
        assert_eq!(noise("Ukrainian troops", "Ukrainian troopq", 1), (0, 0));
        assert_eq!(noise("sofa.", "soaf.", 2), (0, 0), "two chars swapped");
    }

    #[test]
    fn a_reworded_last_word_looks_like_noise() {
        // Only the context after it tells it from a deleted end (the caller's
        // part).
        assert_eq!(
            noise(
                "Ukraine strongly disagreed",
                "Ukraine strongly dischanged",
                6
            ),
            (0, "changed".len())
        );
    }

    #[test]
    fn an_intact_match_and_a_match_of_noise_alone_are_kept() {
        assert_eq!(noise("satisfactory", "satisfactory", 0), (0, 0));
        assert_eq!(noise("abcdef", "uvwxyz", 6), (0, 0));
    }
}

//! Approximate string search with Myers' bit-parallel algorithm (1999), in the
//! multi-word block form (Hyyrö 2003) so patterns of any length work.
//!
//! `search` finds where `pattern` matches inside `text` with the fewest edits
//! (Levenshtein distance; the match may start and end anywhere in the text).

/// Per-block bit vectors of pattern positions holding each char.
///
/// The pattern is shifted down by `pad` rows so its last char sits on the last
/// bit of the last block; the `pad` rows above it are wildcards that cost
/// nothing, so they change no score and the last row is the pattern's own.
struct Peq {
    chars: Vec<char>,
    /// `masks[c * blocks + b]` for the c-th distinct char.
    masks: Vec<u64>,
    blocks: usize,
    pad: usize,
}

impl Peq {
    fn new(pattern: &[char]) -> Self {
        let blocks = pattern.len().div_ceil(64).max(1);
        let pad = blocks * 64 - pattern.len();
        let mut chars: Vec<char> = pattern.to_vec();
        chars.sort_unstable();
        chars.dedup();
        let mut masks = vec![0u64; chars.len() * blocks];
        for (i, c) in pattern.iter().enumerate() {
            if let Ok(k) = chars.binary_search(c) {
                let row = i + pad;
                masks[k * blocks + row / 64] |= 1 << (row % 64);
            }
        }
        Self {
            chars,
            masks,
            blocks,
            pad,
        }
    }

    /// Bits of the wildcard rows at the top of block 0.
    fn padding(&self) -> u64 {
        if self.pad == 0 {
            0
        } else {
            !0u64 >> (64 - self.pad)
        }
    }

    /// Masks for text char `c` (wildcard rows always match).
    fn masks_for(&self, c: char, out: &mut [u64]) {
        match self.chars.binary_search(&c) {
            Ok(k) => out.copy_from_slice(&self.masks[k * self.blocks..(k + 1) * self.blocks]),
            Err(_) => out.fill(0),
        }
        out[0] |= self.padding();
    }
}

/// One column step of one 64-row block; returns the horizontal delta out of the block.
#[inline]
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i8) -> i8 {
    const HIGH: u64 = 1 << 63;
    let h_in_neg = u64::from(h_in < 0);
    let xv = eq | *mv;
    let eq = eq | h_in_neg;
    let xh = ((eq & *pv).wrapping_add(*pv) ^ *pv) | eq;
    let mut ph = *mv | !(xh | *pv);
    let mut mh = *pv & xh;
    let h_out = if ph & HIGH != 0 {
        1
    } else if mh & HIGH != 0 {
        -1
    } else {
        0
    };
    ph <<= 1;
    mh <<= 1;
    mh |= h_in_neg;
    ph |= u64::from(h_in > 0);
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    h_out
}

/// The best match of `pattern` in `text`: (end index, exclusive; edit distance).
/// Among equally good ends, the one nearest `prefer_end`. `None` if the best
/// match needs more than `max_errors` edits.
pub fn search(
    pattern: &[char],
    text: &[char],
    max_errors: usize,
    prefer_end: usize,
) -> Option<(usize, usize)> {
    if pattern.is_empty() {
        return None;
    }
    let peq = Peq::new(pattern);
    let blocks = peq.blocks;
    // Column 0: the wildcard rows are 0 (no vertical step), each real row +1.
    let mut pv = vec![!0u64; blocks];
    pv[0] &= !peq.padding();
    let mut mv = vec![0u64; blocks];
    let mut eq = vec![0u64; blocks];
    let mut score = pattern.len();
    let mut best: Option<(usize, usize)> = None;
    for (i, &c) in text.iter().enumerate() {
        peq.masks_for(c, &mut eq);
        let mut h = 0i8;
        for b in 0..blocks {
            h = advance(&mut pv[b], &mut mv[b], eq[b], h);
        }
        score = score.saturating_add_signed(h as isize);
        let end = i + 1;
        let better = match best {
            None => true,
            Some((e, d)) => {
                score < d || (score == d && end.abs_diff(prefer_end) < e.abs_diff(prefer_end))
            }
        };
        if score <= max_errors && better {
            best = Some((end, score));
        }
    }
    best
}

/// Levenshtein distance, for short strings (context comparison).
pub fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(row[j] + 1).min(up + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The same search by dynamic programming, to check the bit-parallel one.
    fn dp_best(pattern: &[char], text: &[char]) -> usize {
        let mut col: Vec<usize> = (0..=pattern.len()).collect();
        let mut best = col[pattern.len()];
        for &t in text {
            let mut prev = col.clone();
            prev[0] = 0;
            for (j, &p) in pattern.iter().enumerate() {
                prev[j + 1] = (col[j] + usize::from(p != t))
                    .min(col[j + 1] + 1)
                    .min(prev[j] + 1);
            }
            col = prev;
            best = best.min(col[pattern.len()]);
        }
        best
    }

    #[test]
    fn finds_exact_and_edited_matches() {
        let text = chars("Medinsky called the talks “satisfactory,” though Ukraine disagreed");
        let exact = search(&chars("satisfactory"), &text, 0, 0);
        assert_eq!(exact, Some((39, 0)));
        let typo = search(&chars("satisfactroy"), &text, 3, 0).map(|(_, d)| d);
        assert_eq!(typo, Some(2));
        assert_eq!(search(&chars("xyzzy plugh"), &text, 2, 0), None);
    }

    #[test]
    fn long_patterns_match_the_dynamic_programming_answer() {
        let base = "One of Russia’s key conditions was the withdrawal of Ukrainian troops from a large \
                    section of its own territory. Ukrainian negotiators rejected the proposal.";
        let text = chars(&format!("Intro text here. {base} Outro text."));
        let edits = [
            base.to_owned(),
            base.replace("withdrawal", "withdrawl"),
            base.replace("key conditions", "main demands"),
            base.replace("Ukrainian", "Ukrainien"),
        ];
        for pattern in edits {
            let p = chars(&pattern);
            let expected = dp_best(&p, &text);
            let found = search(&p, &text, p.len(), 0).map(|(_, d)| d);
            assert_eq!(found, Some(expected), "{pattern}");
        }
    }

    #[test]
    fn ties_prefer_the_end_nearest_the_hint() {
        let text = chars("said no. said no. said no.");
        assert_eq!(
            search(&chars("said no"), &text, 0, 17).map(|(e, _)| e),
            Some(16)
        );
        assert_eq!(
            search(&chars("said no"), &text, 0, 0).map(|(e, _)| e),
            Some(7)
        );
    }

    #[test]
    fn levenshtein_distance() {
        assert_eq!(distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(distance(&chars(""), &chars("abc")), 3);
        assert_eq!(distance(&chars("日本語"), &chars("日本語")), 0);
    }
}

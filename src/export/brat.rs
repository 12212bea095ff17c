//! brat's standoff format: a `.ann` beside the article as `.txt`. Each
//! claim is a text-bound annotation `Claim` (offsets in characters, as brat
//! counts them; a span across lines is split into fragments at each line
//! break, which brat requires), its status and verdict are attributes, and
//! its claimant, stances and note one annotator's note.

use super::Exported;
use crate::model::{AnnotationSet, one_line};
use std::fmt::Write as _;

pub fn export(set: &AnnotationSet) -> Exported {
    let text: Vec<char> = set.article.text().chars().collect();
    let mut out = String::new();
    let (mut attribute, mut note) = (0, 0);
    let mut written = 0;
    for claim in set.claims() {
        let Some(span) = claim.span() else {
            continue;
        };
        written += 1;
        let t = format!("T{written}");
        let fragments = fragments(&text, span.start, span.end);
        let offsets: Vec<String> = fragments.iter().map(|(s, e)| format!("{s} {e}")).collect();
        let shown: Vec<String> = fragments
            .iter()
            .map(|&(s, e)| text[s..e].iter().collect())
            .collect();
        let _ = writeln!(out, "{t}\tClaim {}\t{}", offsets.join(";"), shown.join(" "));
        attribute += 1;
        let _ = writeln!(out, "A{attribute}\tStatus {t} {}", claim.status.label());
        if let Some(verdict) = &claim.verdict {
            attribute += 1;
            let _ = writeln!(out, "A{attribute}\tVerdict {t} {}", verdict.rating.0);
        }
        let mut parts = Vec::new();
        if let Some(id) = &claim.claimant {
            parts.push(format!("claimant {}", set.party_name(id)));
        }
        for (id, stance) in &claim.stances {
            parts.push(format!("{} {}", set.party_name(id), stance.label()));
        }
        if !claim.note.trim().is_empty() {
            parts.push(claim.note.clone());
        }
        if !parts.is_empty() {
            note += 1;
            // A note is one line of the file: line breaks and tabs become spaces.
            let joined = one_line(&parts.join("; "), 100_000);
            let _ = writeln!(out, "#{note}\tAnnotatorNotes {t}\t{joined}");
        }
    }
    Exported {
        skipped: set.claims().len() - written,
        written,
        text: out,
    }
}

/// `start..end` split at line breaks, each piece without them (empty
/// pieces dropped).
fn fragments(text: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = start;
    for (i, _) in text
        .iter()
        .enumerate()
        .take(end)
        .skip(start)
        .filter(|(_, c)| **c == '\n')
    {
        if i > from {
            out.push((from, i));
        }
        from = i + 1;
    }
    if end > from {
        out.push((from, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fragments;

    #[test]
    fn a_span_across_lines_becomes_fragments_without_the_breaks() {
        let text: Vec<char> = "ab\n\ncd e".chars().collect();
        assert_eq!(fragments(&text, 0, 8), [(0, 2), (4, 8)]);
        assert_eq!(fragments(&text, 1, 2), [(1, 2)]);
    }
}

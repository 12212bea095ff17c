//! `factmark diff A.ron B.ron`: what two annotators did differently, and how
//! much they agree.

use super::Shown;
use crate::format;
use crate::model::agreement::SPAN_MATCH_OVERLAP;
use crate::model::compare::{self, Difference, RowKind};
use crate::model::{AnnotationSet, Claim, PartyId};
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::Path;

/// A claim's quote as the output shows it: its first 50 chars on one line.
struct Quote<'c>(&'c Claim);

impl fmt::Display for Quote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote: String = self.0.anchor.exact.chars().take(50).collect();
        write!(f, "“{}”", Shown(&quote.replace('\n', " ")))
    }
}

/// Party names by id, looked up once per file rather than once per claim,
/// and the file's rating labels.
struct Names<'s>(HashMap<&'s PartyId, &'s str>, &'s AnnotationSet);

impl<'s> Names<'s> {
    fn of(set: &'s AnnotationSet) -> Self {
        Self(
            set.parties().iter().map(|p| (&p.id, &*p.name)).collect(),
            set,
        )
    }

    /// A party's name (its id when the file does not name it), or "nobody".
    fn of_party(&self, id: Option<&'s PartyId>) -> &'s str {
        id.map_or("nobody", |p| self.0.get(p).copied().unwrap_or(&p.0))
    }

    /// A claim's rating label, or "no verdict".
    fn of_verdict(&self, claim: &'s Claim) -> &'s str {
        self.1.verdict_label(claim.verdict.as_ref())
    }

    fn write_stances(&self, out: &mut String, claim: &'s Claim) {
        if claim.stances.is_empty() {
            out.push_str("none");
        }
        for (k, (p, s)) in claim.stances.iter().enumerate() {
            let sep = if k == 0 { "" } else { ", " };
            let _ = write!(out, "{sep}{} {}", Shown(self.of_party(Some(p))), s.label());
        }
    }
}

/// One phrase per field in which corresponding claims differ, joined by "; ".
fn write_phrases(
    out: &mut String,
    (a, x): (&Names, &Claim),
    (b, y): (&Names, &Claim),
    diffs: &[Difference],
) {
    for (k, d) in diffs.iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        let _ = match d {
            Difference::Status => write!(out, "status {} → {}", x.status.label(), y.status.label()),
            Difference::Claimant => write!(
                out,
                "claimant {} → {}",
                Shown(a.of_party(x.claimant.as_ref())),
                Shown(b.of_party(y.claimant.as_ref()))
            ),
            Difference::Stances => {
                out.push_str("stances ");
                a.write_stances(out, x);
                out.push_str(" → ");
                b.write_stances(out, y);
                Ok(())
            }
            Difference::Span => write!(out, "span {} → {}", Quote(x), Quote(y)),
            Difference::Note => write!(out, "note differs"),
            Difference::Evidence => write!(
                out,
                "evidence {} item(s) → {}",
                x.evidence.len(),
                y.evidence.len()
            ),
            Difference::Verdict => write!(out, "verdict {} → {}", a.of_verdict(x), b.of_verdict(y)),
        };
    }
}

pub fn run(file_a: &Path, file_b: &Path) -> Result<String, String> {
    let load =
        |f: &Path| format::load_annotations(f, None).map_err(|e| format!("{}: {e}", f.display()));
    let (mut a, mut b) = (load(file_a)?.set, load(file_b)?.set);
    let mut out = String::new();
    // Spans are only comparable on one text: a file whose article is missing
    // is placed on the other's.
    match (a.missing_article.is_some(), b.missing_article.is_some()) {
        (false, true) => (b, _) = format::ParsedFile::from_set(&b).bind(a.article.clone()),
        (true, false) => (a, _) = format::ParsedFile::from_set(&a).bind(b.article.clone()),
        (true, true) => {
            let _ = writeln!(
                out,
                "note: neither article was found, so spans are compared as recorded"
            );
        }
        (false, false) => {}
    }
    if a.article_fingerprint().0 != b.article_fingerprint().0 {
        let _ = writeln!(
            out,
            "note: the two files were opened against different article texts"
        );
    }
    let comparison = compare::compare(&a, &b);
    let (names_a, names_b) = (Names::of(&a), Names::of(&b));
    let mut only = String::new();
    for row in &comparison.rows {
        let (x, y) = (
            row.mine.map(|i| &a.claims()[i]),
            row.theirs.map(|j| &b.claims()[j]),
        );
        match (&row.kind, x, y) {
            (RowKind::Differs(diffs), Some(x), Some(y)) => {
                let _ = write!(out, "~ {} {}: ", Shown(&x.id.0), Quote(x));
                write_phrases(&mut out, (&names_a, x), (&names_b, y), diffs);
                out.push('\n');
            }
            (RowKind::OnlyMine, Some(c), _) | (RowKind::OnlyTheirs, _, Some(c)) => {
                let (mark, side) = if x.is_some() { ("-", "A") } else { ("+", "B") };
                let _ = writeln!(
                    only,
                    "{mark} {} {} ({}) only in {side}",
                    Shown(&c.id.0),
                    Quote(c),
                    c.status.label()
                );
            }
            _ => {}
        }
    }
    out.push_str(&only);
    let g = &comparison.agreement;
    let _ = writeln!(
        out,
        "span agreement (Jaccard overlap ≥ {SPAN_MATCH_OVERLAP}): {} of {} (A) and {} (B) claims match; \
         precision={:.3} recall={:.3} f1={:.3}",
        g.span_matches, g.claims_a, g.claims_b, g.precision, g.recall, g.f1
    );
    let kappa = g
        .status_kappa
        .map_or_else(|| "undefined".to_owned(), |k| format!("{k:.3}"));
    let _ = writeln!(
        out,
        "status agreement on matched claims: observed={:.3} kappa={kappa}",
        g.status_observed
    );
    Ok(out)
}

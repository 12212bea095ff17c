//! `factmark diff A.ron B.ron`: what two annotators did differently, and how
//! much they agree.

use crate::format;
use crate::model::agreement::SPAN_MATCH_OVERLAP;
use crate::model::compare::{self, Difference, RowKind};
use crate::model::{AnnotationSet, Claim};
use std::fmt::Write as _;
use std::path::Path;

fn quote(claim: &Claim) -> String {
    let q: String = claim.anchor.exact.chars().take(50).collect();
    format!("“{}”", q.replace('\n', " "))
}

fn party_name(set: &AnnotationSet, id: Option<&crate::model::PartyId>) -> String {
    id.map_or_else(
        || "nobody".to_owned(),
        |p| set.party(p).map_or(p.0.clone(), |p| p.name.clone()),
    )
}

fn stances(set: &AnnotationSet, claim: &Claim) -> String {
    if claim.stances.is_empty() {
        return "none".to_owned();
    }
    let each = claim
        .stances
        .iter()
        .map(|(p, s)| format!("{} {}", party_name(set, Some(p)), s.label()));
    each.collect::<Vec<_>>().join(", ")
}

/// One phrase per field in which corresponding claims differ.
fn phrases(
    a: &AnnotationSet,
    x: &Claim,
    b: &AnnotationSet,
    y: &Claim,
    diffs: &[Difference],
) -> Vec<String> {
    diffs
        .iter()
        .map(|d| match d {
            Difference::Status => format!("status {} → {}", x.status.label(), y.status.label()),
            Difference::Claimant => format!(
                "claimant {} → {}",
                party_name(a, x.claimant.as_ref()),
                party_name(b, y.claimant.as_ref())
            ),
            Difference::Stances => format!("stances {} → {}", stances(a, x), stances(b, y)),
            Difference::Span => format!("span {} → {}", quote(x), quote(y)),
            Difference::Note => "note differs".to_owned(),
            Difference::Evidence => format!(
                "evidence {} item(s) → {}",
                x.evidence.len(),
                y.evidence.len()
            ),
        })
        .collect()
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
    let mut only = String::new();
    for row in &comparison.rows {
        let (x, y) = (
            row.mine.map(|i| &a.claims()[i]),
            row.theirs.map(|j| &b.claims()[j]),
        );
        match (&row.kind, x, y) {
            (RowKind::Differs(diffs), Some(x), Some(y)) => {
                let text = phrases(&a, x, &b, y, diffs).join("; ");
                let _ = writeln!(out, "~ {} {}: {text}", x.id, quote(x));
            }
            (RowKind::OnlyMine, Some(c), _) | (RowKind::OnlyTheirs, _, Some(c)) => {
                let (mark, side) = if x.is_some() { ("-", "A") } else { ("+", "B") };
                let _ = writeln!(
                    only,
                    "{mark} {} {} ({}) only in {side}",
                    c.id,
                    quote(c),
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

//! `factmark diff A.ron B.ron`: what two annotators did differently, and how
//! much they agree.

use crate::format;
use crate::model::agreement::{self, SPAN_MATCH_OVERLAP};
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

/// The differences between two claims, one phrase each.
fn differences(a: &AnnotationSet, x: &Claim, b: &AnnotationSet, y: &Claim) -> Vec<String> {
    let mut out = Vec::new();
    if x.status != y.status {
        out.push(format!(
            "status {} → {}",
            x.status.label(),
            y.status.label()
        ));
    }
    if x.claimant != y.claimant {
        out.push(format!(
            "claimant {} → {}",
            party_name(a, x.claimant.as_ref()),
            party_name(b, y.claimant.as_ref())
        ));
    }
    let parties: std::collections::BTreeSet<_> = x.stances.keys().chain(y.stances.keys()).collect();
    for p in parties {
        let (s, t) = (x.stances.get(p), y.stances.get(p));
        if s != t {
            let label = |v: Option<&crate::model::Stance>| v.map_or("no stance", |s| s.label());
            out.push(format!(
                "{} {} → {}",
                party_name(a, Some(p)),
                label(s),
                label(t)
            ));
        }
    }
    if x.span() != y.span() {
        out.push(format!("span {} → {}", quote(x), quote(y)));
    }
    if x.note != y.note {
        out.push("note differs".to_owned());
    }
    if x.evidence != y.evidence {
        out.push(format!(
            "evidence {} item(s) → {}",
            x.evidence.len(),
            y.evidence.len()
        ));
    }
    out
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
    let alignment = agreement::align(&a, &b);
    for pair in &alignment.pairs {
        let (x, y) = (&a.claims()[pair.a], &b.claims()[pair.b]);
        let diffs = differences(&a, x, &b, y);
        if !diffs.is_empty() {
            let _ = writeln!(out, "~ {} {}: {}", x.id, quote(x), diffs.join("; "));
        }
    }
    for (mark, side, set, only) in [
        ("-", "A", &a, &alignment.only_a),
        ("+", "B", &b, &alignment.only_b),
    ] {
        for &i in only {
            let c = &set.claims()[i];
            let _ = writeln!(
                out,
                "{mark} {} {} ({}) only in {side}",
                c.id,
                quote(c),
                c.status.label()
            );
        }
    }
    let g = agreement::agreement(&a, &b, &alignment);
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

//! One row per claim, for spreadsheets (RFC 4180: comma separated, fields
//! quoted when they hold a comma, a quote or a line break). A cell that a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a
//! carriage return first) is written with a leading `'`, so a quote from an
//! article cannot become a command in a colleague's spreadsheet.

use super::Exported;
use crate::model::{AnnotationSet, Claim};

const HEADER: [&str; 12] = [
    "id",
    "quote",
    "start",
    "end",
    "status",
    "verdict",
    "explanation",
    "claimant",
    "stances",
    "note",
    "evidence",
    "author",
];

pub fn export(set: &AnnotationSet) -> Exported {
    let mut text = line(HEADER.iter().map(|h| (*h).to_owned()));
    for claim in set.claims() {
        text.push_str(&line(row(set, claim)));
    }
    Exported {
        text,
        written: set.claims().len(),
        skipped: 0,
    }
}

fn row(set: &AnnotationSet, claim: &Claim) -> impl Iterator<Item = String> {
    let span = claim.span();
    let stances: Vec<String> = claim
        .stances
        .iter()
        .map(|(p, s)| format!("{} {}", set.party_name(p), s.label()))
        .collect();
    let evidence: Vec<String> = claim
        .evidence
        .iter()
        .map(|e| {
            if e.url.is_empty() {
                e.quote.clone()
            } else {
                e.url.clone()
            }
        })
        .collect();
    [
        claim.id.0.clone(),
        claim.anchor.exact.clone(),
        span.as_ref()
            .map_or_else(String::new, |s| s.start.to_string()),
        span.as_ref()
            .map_or_else(String::new, |s| s.end.to_string()),
        claim.status.label().to_owned(),
        claim
            .verdict
            .as_ref()
            .map_or_else(String::new, |v| set.verdict_label(Some(v)).to_owned()),
        claim
            .verdict
            .as_ref()
            .map_or_else(String::new, |v| v.explanation.clone()),
        claim
            .claimant
            .as_ref()
            .map_or_else(String::new, |p| set.party_name(p)),
        stances.join("; "),
        claim.note.clone(),
        evidence.join(" | "),
        claim.author.clone(),
    ]
    .into_iter()
}

fn line(cells: impl Iterator<Item = String>) -> String {
    let mut out = cells.map(|c| cell(&c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("-5"), "'-5");
    }
}

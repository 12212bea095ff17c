//! A report for an editor, in Markdown: where the article appeared, a table
//! of every claim against every party's stance, then each claim with its
//! quote in context, status, verdict, note and evidence. Every value from
//! the file is escaped, so a quote cannot turn into markup (or, where the
//! report is rendered to HTML, into a script or a link).

use super::{Exported, claims_summary, flat, reported_details};
use crate::model::{AnnotationSet, Claim, Stance};
use std::fmt::Write as _;

pub fn export(set: &AnnotationSet) -> Exported {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", text(set.article.title()));
    for (label, value) in reported_details(set) {
        let _ = writeln!(out, "- **{label}:** {}", text(value));
    }
    let _ = writeln!(out, "- **Claims:** {}\n", claims_summary(set));
    stance_table(&mut out, set);
    for (n, claim) in set.claims().iter().enumerate() {
        claim_section(&mut out, set, n + 1, claim);
    }
    Exported {
        text: out,
        written: set.claims().len(),
        skipped: 0,
    }
}

/// Claims down, parties across: + agrees, × disputes, C the claimant.
fn stance_table(out: &mut String, set: &AnnotationSet) {
    if set.claims().is_empty() {
        return;
    }
    let _ = write!(out, "| # | Claim | Status | Verdict |");
    for party in set.parties() {
        let _ = write!(out, " {} |", text(&party.name));
    }
    let _ = write!(out, "\n|---|---|---|---|");
    for _ in set.parties() {
        out.push_str("---|");
    }
    out.push('\n');
    for (n, claim) in set.claims().iter().enumerate() {
        let quote = crate::model::one_line(&claim.anchor.exact, 60);
        let _ = write!(
            out,
            "| {} | “{}” | {} | {} |",
            n + 1,
            text(&quote),
            claim.status.label(),
            set.verdict_label(claim.verdict.as_ref())
        );
        for party in set.parties() {
            let mut marks = Vec::new();
            if claim.claimant.as_ref() == Some(&party.id) {
                marks.push("claimant");
            }
            match claim.stances.get(&party.id) {
                Some(Stance::Agrees) => marks.push("agrees"),
                Some(Stance::Disputes) => marks.push("disputes"),
                None => {}
            }
            let _ = write!(out, " {} |", marks.join(", "));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn claim_section(out: &mut String, set: &AnnotationSet, n: usize, claim: &Claim) {
    let _ = writeln!(
        out,
        "## {n}. “{}”\n",
        text(&crate::model::one_line(&claim.anchor.exact, 80))
    );
    let _ = writeln!(
        out,
        "> …{}**{}**{}…\n",
        text(&flat(&claim.anchor.prefix)),
        text(&flat(&claim.anchor.exact)),
        text(&flat(&claim.anchor.suffix))
    );
    let _ = writeln!(out, "- **Status:** {}", claim.status.label());
    if let Some(verdict) = &claim.verdict {
        let _ = write!(out, "- **Verdict:** {}", set.verdict_label(Some(verdict)));
        if !verdict.explanation.trim().is_empty() {
            let _ = write!(out, " — {}", text(&flat(&verdict.explanation)));
        }
        out.push('\n');
    }
    if let Some(id) = &claim.claimant {
        let _ = writeln!(out, "- **Claimant:** {}", text(&set.party_name(id)));
    }
    for (id, stance) in &claim.stances {
        let _ = writeln!(out, "- {} {}", text(&set.party_name(id)), stance.label());
    }
    if !claim.note.trim().is_empty() {
        let _ = writeln!(out, "- **Note:** {}", text(&flat(&claim.note)));
    }
    for evidence in &claim.evidence {
        let supports = evidence.supports.as_ref().map_or_else(String::new, |p| {
            format!(" (supports {})", text(&set.party_name(p)))
        });
        let _ = writeln!(
            out,
            "- **Evidence:** {} {}{supports}",
            text(&evidence.url),
            text(&flat(&evidence.quote))
        );
    }
    out.push('\n');
}

/// A value as Markdown text: markup characters escaped, HTML as entities.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn values_cannot_become_markup() {
        assert_eq!(
            text("<script>alert(1)</script> [x](javascript:y) *b* | c"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y) \\*b\\* \\| c"
        );
    }
}

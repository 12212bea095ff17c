//! `factmark stats FILE`: claims by status, party and anchor state, and merge
//! conflicts.

use super::Shown;
use crate::format;
use crate::model::{Stance, Status};
use std::fmt::Write as _;
use std::path::Path;

pub fn run(file: &Path) -> Result<String, String> {
    let loaded =
        format::load_annotations(file, None).map_err(|e| format!("{}: {e}", file.display()))?;
    let set = &loaded.set;
    let claims = set.claims();
    let counts = set.counts();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} claims, {} parties",
        Shown(set.article.title()),
        counts.claims,
        set.parties().len()
    );
    let _ = writeln!(out, "\nby status");
    for status in Status::ALL {
        let _ = writeln!(out, "  {:<12} {}", status.label(), counts.status(status));
    }
    let _ = writeln!(out, "\nby party          claimant  agrees  disputes");
    for party in set.parties() {
        let claimant = claims
            .iter()
            .filter(|c| c.claimant.as_ref() == Some(&party.id))
            .count();
        let stance = |s: Stance| {
            claims
                .iter()
                .filter(|c| c.stances.get(&party.id) == Some(&s))
                .count()
        };
        let _ = writeln!(
            out,
            "  {:<16} {claimant:>8}  {:>6}  {:>8}",
            Shown(&party.name).to_string(),
            stance(Stance::Agrees),
            stance(Stance::Disputes)
        );
    }
    let a = &counts.anchors;
    let _ = writeln!(out, "\nby anchor state");
    for (state, n) in [
        ("exact", a.exact),
        ("moved", a.moved),
        ("fuzzy", a.fuzzy),
        ("excerpt", a.excerpt),
        ("orphaned", a.orphaned),
    ] {
        let _ = writeln!(out, "  {state:<12} {n}");
    }
    if a.excerpt > 0 {
        let _ = writeln!(
            out,
            "  (excerpt: the article is missing; shown in the context the file records)"
        );
    }
    if counts.conflicts() > 0 {
        let _ = writeln!(out, "\nmerge conflicts");
        let _ = writeln!(out, "  claims       {}", counts.claim_conflicts);
        let _ = writeln!(out, "  parties      {}", counts.party_conflicts);
        let _ = writeln!(out, "  details      {}", counts.detail_conflicts);
    }
    Ok(out)
}

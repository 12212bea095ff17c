//! `factmark stats FILE`: claims by status, party and anchor state.

use super::Shown;
use crate::format;
use crate::model::{AnchorState, Stance, Status};
use std::fmt::Write as _;
use std::path::Path;

pub fn run(file: &Path) -> Result<String, String> {
    let loaded =
        format::load_annotations(file, None).map_err(|e| format!("{}: {e}", file.display()))?;
    let set = &loaded.set;
    let claims = set.claims();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} claims, {} parties",
        Shown(set.article.title()),
        claims.len(),
        set.parties().len()
    );
    let _ = writeln!(out, "\nby status");
    for status in Status::ALL {
        let n = claims.iter().filter(|c| c.status == status).count();
        let _ = writeln!(out, "  {:<12} {n}", status.label());
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
    let _ = writeln!(out, "\nby anchor state");
    let count = |f: fn(&AnchorState) -> bool| claims.iter().filter(|c| f(&c.anchor_state)).count();
    let _ = writeln!(
        out,
        "  exact        {}",
        count(|s| matches!(s, AnchorState::Exact))
    );
    let _ = writeln!(
        out,
        "  moved        {}",
        count(|s| matches!(s, AnchorState::Moved { .. }))
    );
    let _ = writeln!(
        out,
        "  fuzzy        {}",
        count(|s| matches!(s, AnchorState::Fuzzy { .. }))
    );
    let _ = writeln!(
        out,
        "  orphaned     {}",
        count(|s| matches!(s, AnchorState::Orphaned))
    );
    Ok(out)
}

//! `factmark merge BASE OURS THEIRS [-o OUT]`: a three-way merge usable as a
//! git merge driver. Clean merges exit 0; conflicts are written into the file
//! (both versions kept and marked) and exit 1, as git expects.

use super::read_file;
use crate::format::{self, ParsedFile};
use crate::model::merge::{self, Conflict};
use std::fmt::Write as _;
use std::path::Path;

/// Merges and writes the result; returns the report and whether it was clean.
pub fn run(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    output: Option<&Path>,
) -> Result<(String, bool), String> {
    let (b, o, t) = (read_file(base)?, read_file(ours)?, read_file(theirs)?);
    let mut merged = merge::merge(
        (&b.parties, &b.claims),
        (&o.parties, &o.claims),
        (&t.parties, &t.claims),
    );
    merged.mark_conflicts();
    let mut report = String::new();
    for conflict in &merged.conflicts {
        let line = match conflict {
            Conflict::Claim { ours, fields, .. } => format!(
                "conflict: claim {} was changed on both sides ({}); both versions are kept, marked as conflicting",
                ours.id,
                fields.join(", ")
            ),
            Conflict::DeletedAndChanged {
                kept,
                deleted_by_ours,
            } => format!(
                "conflict: claim {} was deleted by {} and changed by {}; the changed claim is kept, marked",
                kept.id,
                if *deleted_by_ours { "ours" } else { "theirs" },
                if *deleted_by_ours { "theirs" } else { "ours" }
            ),
            Conflict::Party { ours, theirs } => format!(
                "conflict: party {} is “{}” ({}) here and “{}” ({}) there; ours is kept",
                ours.id,
                ours.name,
                ours.color.to_hex(),
                theirs.name,
                theirs.color.to_hex()
            ),
        };
        let _ = writeln!(report, "{line}");
    }
    let clean = merged.conflicts.is_empty();
    // Everyone who worked on either side is a contributor; the article text
    // stays carried if either side carried it.
    let mut contributors = o.contributors.clone();
    contributors.extend(t.contributors.iter().cloned());
    let result = ParsedFile {
        parties: merged.parties,
        claims: merged.claims,
        contributors,
        embedded: o.embedded.clone().or(t.embedded),
        ..o
    };
    let text = result.to_ron().map_err(|e| e.to_string())?;
    let target = output.unwrap_or(ours);
    format::write_atomic(target, text.as_bytes()).map_err(|e| e.to_string())?;
    let _ = writeln!(
        report,
        "merged {} claims into {}{}",
        result.claims.len(),
        target.display(),
        if clean {
            String::new()
        } else {
            format!(" with {} conflict(s)", merged.conflicts.len())
        }
    );
    Ok((report, clean))
}

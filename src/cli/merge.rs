//! `factmark merge BASE OURS THEIRS [-o OUT]`: a three-way merge usable as a
//! git merge driver. Clean merges exit 0; conflicts are written into the file
//! (both versions kept and marked) and exit 1, as git expects. An empty BASE
//! (git passes one when both branches added the file) means that both sides
//! added everything.
//!
//! Nothing is written unless the result opens again (see
//! [`format::merge_files`]). When no such file can be made (an input is
//! unreadable or from a newer factmark, or the result would be refused), the
//! reason is printed, OURS is left as it was and the exit code is [`FAILED`]:
//! git takes a driver's exit code above 128 as a failed merge (not a
//! conflict) and stops without committing anything.

use super::{Shown, read_file};
use crate::format::{self, ParsedFile};
use crate::model::merge::Conflict;
use crate::model::{Party, Rating};
use std::fmt::Write as _;
use std::path::Path;

/// The exit code when no merged file could be written.
pub const FAILED: u8 = 255;

/// Merges and writes the result; returns the report and whether it was clean.
/// On error nothing was written.
pub fn run(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    output: Option<&Path>,
) -> Result<(String, bool), String> {
    let (b, o, t) = (read_base(base)?, read_file(ours)?, read_file(theirs)?);
    let merged = format::merge_files(b.as_ref(), &o, &t).map_err(|e| {
        format!(
            "could not merge: {e}. Nothing was written; {} is unchanged",
            ours.display()
        )
    })?;
    let mut report = String::new();
    for conflict in &merged.conflicts {
        let _ = writeln!(report, "conflict: {}", describe(conflict));
    }
    let clean = merged.conflicts.is_empty();
    let target = output.unwrap_or(ours);
    format::write_atomic(target, merged.text.as_bytes()).map_err(|e| e.to_string())?;
    let _ = writeln!(
        report,
        "merged {} claims into {}{}",
        merged.file.claims.len(),
        target.display(),
        if clean {
            String::new()
        } else {
            format!(" with {} conflict(s)", merged.conflicts.len())
        }
    );
    Ok((report, clean))
}

/// The common ancestor, or `None` when git passes an empty one: both sides
/// added the file.
fn read_base(path: &Path) -> Result<Option<ParsedFile>, String> {
    let text = format::read_text(path).map_err(|e| e.to_string())?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Ok(None);
    }
    read_file(path).map(Some)
}

fn describe(conflict: &Conflict) -> String {
    let side = |ours: bool| if ours { "ours" } else { "theirs" };
    match conflict {
        Conflict::Claim { ours, fields, .. } => format!(
            "claim {} was changed on both sides ({}); both versions are kept, marked as conflicting",
            Shown(&ours.id.0),
            fields.join(", ")
        ),
        Conflict::DeletedAndChanged {
            kept,
            deleted_by_ours,
        } => format!(
            "claim {} was deleted by {} and changed by {}; the changed claim is kept, marked",
            Shown(&kept.id.0),
            side(*deleted_by_ours),
            side(!*deleted_by_ours)
        ),
        Conflict::Party { ours, theirs } => format!(
            "party {} is {} in ours and {} in theirs; ours is kept, theirs is recorded with it, \
             marked",
            Shown(&ours.id.0),
            Shown(&Party::describe_version(&ours.name, ours.color, &ours.kind)),
            Shown(&Party::describe_version(
                &theirs.name,
                theirs.color,
                &theirs.kind
            )),
        ),
        Conflict::Rating { ours, theirs } => format!(
            "rating {} is {} in ours and {} in theirs; ours is kept, theirs is recorded with it, \
             marked",
            Shown(&ours.id.0),
            Shown(&Rating::describe_version(
                &ours.label,
                ours.value,
                ours.color
            )),
            Shown(&Rating::describe_version(
                &theirs.label,
                theirs.value,
                theirs.color
            )),
        ),
        Conflict::RatingDeleted {
            kept,
            deleted_by_ours,
        } => format!(
            "rating {} was deleted by {} but is changed or still used by {}; it is kept, marked",
            Shown(&kept.id.0),
            side(*deleted_by_ours),
            side(!*deleted_by_ours)
        ),
        Conflict::Publisher { ours, theirs } => format!(
            "the publisher is “{}” <{}> in ours and “{}” <{}> in theirs; ours is kept, theirs is \
             recorded with it, marked",
            Shown(&ours.name),
            Shown(&ours.claim_url),
            Shown(&theirs.name),
            Shown(&theirs.claim_url)
        ),
        Conflict::PartyDeleted {
            kept,
            deleted_by_ours,
        } => format!(
            "party {} was deleted by {} but is changed or still used by {}; it is kept, marked",
            Shown(&kept.id.0),
            side(*deleted_by_ours),
            side(!*deleted_by_ours)
        ),
        Conflict::Detail {
            detail,
            ours,
            theirs,
        } => format!(
            "the article's {} is “{}” in ours and “{}” in theirs; ours is kept, theirs is \
             recorded with it, marked",
            detail.key(),
            Shown(ours),
            Shown(theirs)
        ),
    }
}

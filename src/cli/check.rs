//! `factmark check FILE...`: validate annotation files, one line per problem
//! (merge conflicts on claims, parties and article details are problems too).

use super::Shown;
use crate::format::{self, ArticleOrigin};
use crate::model::{AnchorState, Party, PartyConflict, Rating, RatingConflict};
use std::fmt::Write as _;
use std::path::Path;

/// Checks every file; returns the report and whether everything was fine.
pub fn run(files: &[std::path::PathBuf]) -> (String, bool) {
    let mut out = String::new();
    let mut all_ok = true;
    for file in files {
        all_ok &= check_one(file, &mut out);
    }
    (out, all_ok)
}

fn check_one(file: &Path, out: &mut String) -> bool {
    // A path can hold a line break too (a file named by a checkout).
    let name = file.display().to_string();
    let name = Shown(&name);
    match format::load_annotations(file, None) {
        Ok(loaded) => {
            let set = &loaded.set;
            let mut problems = 0;
            let unchecked = match &loaded.article {
                ArticleOrigin::Missing(None) => Some("the file records no article".to_owned()),
                ArticleOrigin::Missing(Some(path)) => {
                    Some(format!("the article was not found at {}", path.display()))
                }
                ArticleOrigin::Unconfirmed {
                    named,
                    resolved,
                    doubt,
                } => Some(format!(
                    "the article path {} leads to {} and was not read ({})",
                    named.display(),
                    resolved.display(),
                    doubt.reason()
                )),
                ArticleOrigin::File(_)
                | ArticleOrigin::Embedded
                | ArticleOrigin::Known
                | ArticleOrigin::Page(_) => None,
            };
            for (detail, theirs) in &set.details.conflicts {
                problems += 1;
                let _ = writeln!(
                    out,
                    "{name}: merge conflict: the article's {} is “{}” here and “{}” in the other \
                     version",
                    detail.key(),
                    Shown(set.details.get(*detail)),
                    Shown(theirs)
                );
            }
            for party in set.parties() {
                let what = match &party.conflict {
                    None => continue,
                    Some(PartyConflict::Theirs { name, color, kind }) => format!(
                        "is {} here and {} in the other version",
                        Shown(&Party::describe_version(
                            &party.name,
                            party.color,
                            &party.kind
                        )),
                        Shown(&Party::describe_version(name, *color, kind)),
                    ),
                    Some(PartyConflict::Deleted) => "was deleted on one side of a merge and \
                                                     changed or still used on the other"
                        .to_owned(),
                };
                problems += 1;
                let _ = writeln!(
                    out,
                    "{name}: merge conflict: party {} {what}",
                    Shown(&party.id.0)
                );
            }
            for rating in set.ratings() {
                let what = match &rating.conflict {
                    None => continue,
                    Some(RatingConflict::Theirs {
                        label,
                        value,
                        color,
                    }) => format!(
                        "is {} here and {} in the other version",
                        Shown(&Rating::describe_version(
                            &rating.label,
                            rating.value,
                            rating.color
                        )),
                        Shown(&Rating::describe_version(label, *value, *color)),
                    ),
                    Some(RatingConflict::Deleted) => "was deleted on one side of a merge and \
                                                      changed or still used on the other"
                        .to_owned(),
                };
                problems += 1;
                let _ = writeln!(
                    out,
                    "{name}: merge conflict: rating {} {what}",
                    Shown(&rating.id.0)
                );
            }
            if let Some(theirs) = &set.publisher.conflict {
                problems += 1;
                let _ = writeln!(
                    out,
                    "{name}: merge conflict: the publisher is “{}” <{}> here and “{}” <{}> in the \
                     other version",
                    Shown(&set.publisher.name),
                    Shown(&set.publisher.claim_url),
                    Shown(&theirs.name),
                    Shown(&theirs.claim_url)
                );
            }
            for claim in set.claims() {
                let quote: String = claim.anchor.exact.chars().take(60).collect();
                let (id, quote) = (Shown(&claim.id.0), Shown(&quote));
                if let Some(other) = &claim.conflict {
                    problems += 1;
                    let what = if other == &claim.id {
                        "was deleted on one side of a merge and changed on the other".to_owned()
                    } else {
                        format!("conflicts with {}", Shown(&other.0))
                    };
                    let _ = writeln!(out, "{name}: merge conflict: claim {id} {what}: “{quote}”");
                }
                let problem = match &claim.anchor_state {
                    AnchorState::Exact
                    | AnchorState::Moved { .. }
                    | AnchorState::Excerpt { .. } => {
                        continue;
                    }
                    AnchorState::Fuzzy { score, .. } => {
                        format!(
                            "claim {id} changed in the article and needs confirming ({:.0}% sure)",
                            score * 100.0
                        )
                    }
                    AnchorState::Orphaned => {
                        format!("claim {id} is not found in the article")
                    }
                };
                problems += 1;
                let _ = writeln!(out, "{name}: {problem}: “{quote}”");
            }
            if let Some(why) = unchecked {
                let _ = writeln!(
                    out,
                    "{name}: valid, {} claims; {why}, so anchors were not checked",
                    set.claims().len()
                );
                return problems == 0;
            }
            if !loaded.report.fingerprint_matches {
                let _ = writeln!(
                    out,
                    "{name}: the article text differs from the one the file was saved against"
                );
            }
            let r = &loaded.report;
            if r.unsearched > 0 {
                problems += 1;
                let _ = writeln!(
                    out,
                    "{name}: {} claims were not searched for: re-anchoring stopped at its work \
                     limit (periodic text, thousands of nested quotes or huge contexts); they \
                     are kept with their stored anchors",
                    r.unsearched
                );
            }
            let counts = set.counts();
            let a = &counts.anchors;
            let _ = writeln!(
                out,
                "{name}: {} claims, {} parties; exact={} moved={} fuzzy={} orphaned={}",
                counts.claims,
                set.parties().len(),
                a.exact,
                a.moved,
                a.fuzzy,
                a.orphaned
            );
            problems == 0
        }
        Err(err) => {
            let _ = writeln!(out, "{name}: {err}");
            false
        }
    }
}

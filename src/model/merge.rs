//! Three-way merge of annotations: what two people changed since a common
//! base is combined; where both changed the same thing differently, both
//! versions are reported as a conflict and nothing is dropped silently.
//!
//! Claims are matched by id. Within a claim, each field merges on its own: a
//! field changed on one side only takes that side's value, so one person's new
//! note and another's status change combine cleanly.

use super::{AnnotationSet, Claim, ClaimId, Edit, Party, PartyId};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Something both sides changed differently since the base.
#[derive(Clone, Debug, PartialEq)]
pub enum Conflict {
    /// Both edited the same fields of a claim; `merged` holds ours for them.
    Claim {
        ours: Box<Claim>,
        theirs: Box<Claim>,
        fields: Vec<&'static str>,
    },
    /// One side deleted a claim the other changed; the changed one is kept.
    DeletedAndChanged {
        kept: Box<Claim>,
        deleted_by_ours: bool,
    },
    /// Both edited a party differently; ours is kept.
    Party { ours: Party, theirs: Party },
}

/// The merged parties and claims, and what could not be merged automatically.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    pub parties: Vec<Party>,
    pub claims: Vec<Claim>,
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// Marks conflicts in the claims themselves, so a file can carry them to a
    /// person who resolves them: a claim both sides changed differently keeps
    /// the merged version under its id and gains a copy `ID~theirs` with their
    /// version, each naming the other; a claim deleted on one side and changed
    /// on the other names itself.
    pub fn mark_conflicts(&mut self) {
        for conflict in &self.conflicts {
            match conflict {
                Conflict::Claim { theirs, .. } => {
                    let mut copy_id = ClaimId(format!("{}~theirs", theirs.id));
                    while self.claims.iter().any(|c| c.id == copy_id) {
                        copy_id = ClaimId(format!("{copy_id}~"));
                    }
                    if let Some(merged) = self.claims.iter_mut().find(|c| c.id == theirs.id) {
                        merged.conflict = Some(copy_id.clone());
                    }
                    let mut copy = (**theirs).clone();
                    copy.conflict = Some(theirs.id.clone());
                    copy.id = copy_id;
                    self.claims.push(copy);
                }
                Conflict::DeletedAndChanged { kept, .. } => {
                    if let Some(claim) = self.claims.iter_mut().find(|c| c.id == kept.id) {
                        claim.conflict = Some(kept.id.clone());
                    }
                }
                Conflict::Party { .. } => {}
            }
        }
        self.claims
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }
}

/// Three-way merge of one field: `None` when both sides changed it differently.
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges one claim present in all three; the list names conflicting fields.
fn merge_claim(base: &Claim, ours: &Claim, theirs: &Claim) -> (Claim, Vec<&'static str>) {
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    macro_rules! field {
        ($name:ident) => {
            match pick(&base.$name, &ours.$name, &theirs.$name) {
                Some(value) => merged.$name = value,
                None => conflicts.push(stringify!($name)),
            }
        };
    }
    field!(anchor);
    field!(status);
    field!(status_origin);
    field!(claimant);
    field!(stances);
    field!(note);
    field!(evidence);
    // The latest change wins the timestamp; the creator never changes.
    merged.modified = ours.modified.max(theirs.modified);
    (merged, conflicts)
}

/// The content a person edits: everything but timestamps and runtime state.
fn same_content(a: &Claim, b: &Claim) -> bool {
    a.anchor == b.anchor
        && a.status == b.status
        && a.status_origin == b.status_origin
        && a.claimant == b.claimant
        && a.stances == b.stances
        && a.note == b.note
        && a.evidence == b.evidence
}

fn by_id<K: Ord + Clone, T>(items: &[T], key: impl Fn(&T) -> &K) -> BTreeMap<K, &T> {
    items.iter().map(|item| (key(item).clone(), item)).collect()
}

/// Merges parties and claims changed on two sides since `base`.
pub fn merge(
    base: (&[Party], &[Claim]),
    ours: (&[Party], &[Claim]),
    theirs: (&[Party], &[Claim]),
) -> Merged {
    let mut out = Merged::default();

    let (b, o, t) = (
        by_id(base.1, |c: &Claim| &c.id),
        by_id(ours.1, |c: &Claim| &c.id),
        by_id(theirs.1, |c: &Claim| &c.id),
    );
    let ids: BTreeSet<&ClaimId> = o.keys().chain(t.keys()).chain(b.keys()).collect();
    for id in ids {
        match (b.get(id), o.get(id), t.get(id)) {
            (Some(base), Some(ours), Some(theirs)) => {
                let (merged, fields) = merge_claim(base, ours, theirs);
                if !fields.is_empty() {
                    out.conflicts.push(Conflict::Claim {
                        ours: Box::new((*ours).clone()),
                        theirs: Box::new((*theirs).clone()),
                        fields,
                    });
                }
                out.claims.push(merged);
            }
            // Deleted on one side: gone if the other side left it alone.
            (Some(base), Some(kept), None) | (Some(base), None, Some(kept)) => {
                if !same_content(base, kept) {
                    out.conflicts.push(Conflict::DeletedAndChanged {
                        kept: Box::new((*kept).clone()),
                        deleted_by_ours: !o.contains_key(id),
                    });
                    out.claims.push((*kept).clone());
                }
            }
            (Some(_), None, None) => {}
            // Added on one side, or on both.
            (None, Some(added), None) | (None, None, Some(added)) => {
                out.claims.push((*added).clone())
            }
            (None, Some(ours), Some(theirs)) => {
                out.claims.push((*ours).clone());
                if !same_content(ours, theirs) {
                    // Both added the same id: every differing field conflicts.
                    let (_, fields) = merge_claim(ours, ours, theirs);
                    out.conflicts.push(Conflict::Claim {
                        ours: Box::new((*ours).clone()),
                        theirs: Box::new((*theirs).clone()),
                        fields: if fields.is_empty() {
                            vec!["content"]
                        } else {
                            fields
                        },
                    });
                }
            }
            (None, None, None) => {}
        }
    }
    out.claims.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    // After the claims, so a party a merged claim still uses is kept.
    merge_parties(base.0, ours.0, theirs.0, &mut out);
    out
}

fn merge_parties(base: &[Party], ours: &[Party], theirs: &[Party], out: &mut Merged) {
    let (b, t) = (
        by_id(base, |p: &Party| &p.id),
        by_id(theirs, |p: &Party| &p.id),
    );
    let o = by_id(ours, |p: &Party| &p.id);
    // Our order first, then parties only they added.
    let order: Vec<&PartyId> = ours
        .iter()
        .map(|p| &p.id)
        .chain(
            theirs
                .iter()
                .map(|p| &p.id)
                .filter(|id| !o.contains_key(*id)),
        )
        .collect();
    for id in order {
        let party = match (b.get(id), o.get(id), t.get(id)) {
            (Some(base), Some(ours), Some(theirs)) => match pick(*base, *ours, *theirs) {
                Some(p) => Some(p.clone()),
                None => {
                    out.conflicts.push(Conflict::Party {
                        ours: (*ours).clone(),
                        theirs: (*theirs).clone(),
                    });
                    Some((*ours).clone())
                }
            },
            // Deleted by one side and unchanged by the other: deleted.
            (Some(base), Some(kept), None) | (Some(base), None, Some(kept)) if base == kept => None,
            (_, Some(p), _) | (_, None, Some(p)) => Some((*p).clone()),
            _ => None,
        };
        out.parties.extend(party);
    }
    // A party still used by a merged claim is kept even if one side deleted it.
    let used: BTreeSet<&PartyId> = out
        .claims
        .iter()
        .flat_map(|c| {
            c.claimant
                .iter()
                .chain(c.stances.keys())
                .chain(c.evidence.iter().filter_map(|e| e.supports.as_ref()))
        })
        .collect();
    for id in used {
        if !out.parties.iter().any(|p| &p.id == id)
            && let Some(p) = o.get(id).or_else(|| t.get(id)).or_else(|| b.get(id))
        {
            out.parties.push((*p).clone());
        }
    }
}

/// The one edit that turns `current` into `parties` and `claims` (a merge
/// result), so taking in a colleague's changes is a single undoable step.
/// `None` when there is nothing to change.
pub fn edit_towards(current: &AnnotationSet, parties: &[Party], claims: &[Claim]) -> Option<Edit> {
    let mut edits = Vec::new();
    for party in parties {
        match current.party(&party.id) {
            None => edits.push(Edit::AddParty {
                party: party.clone(),
                index: None,
            }),
            Some(old) => {
                if old.name != party.name {
                    edits.push(Edit::RenameParty {
                        party: party.id.clone(),
                        name: party.name.clone(),
                    });
                }
                if old.color != party.color {
                    edits.push(Edit::RecolorParty {
                        party: party.id.clone(),
                        color: party.color,
                    });
                }
            }
        }
    }
    for claim in claims {
        match current.claim(&claim.id) {
            None => edits.push(Edit::AddClaim(Box::new(claim.clone()))),
            Some(old) if old != claim => edits.push(Edit::PutClaim(Box::new(claim.clone()))),
            Some(_) => {}
        }
    }
    let kept: HashSet<&ClaimId> = claims.iter().map(|c| &c.id).collect();
    for claim in current.claims().iter().filter(|c| !kept.contains(&c.id)) {
        edits.push(Edit::RemoveClaim(claim.id.clone()));
    }
    // Last, when no remaining claim refers to them.
    let kept: HashSet<&PartyId> = parties.iter().map(|p| &p.id).collect();
    for party in current.parties().iter().filter(|p| !kept.contains(&p.id)) {
        edits.push(Edit::RemoveParty(party.id.clone()));
    }
    match edits.len() {
        0 => None,
        1 => edits.pop(),
        _ => Some(Edit::Batch(edits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationSet, Article, Edit, EditContext, Stance, Status};

    const TEXT: &str = "Medinsky called the talks “satisfactory,” though Ukraine strongly disagreed. \
                        Both countries agreed to release 1,000 prisoners.";

    fn ctx(who: &str) -> EditContext {
        EditContext {
            author: who.into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    fn base() -> AnnotationSet {
        let mut set = AnnotationSet::new(Article::new("t", TEXT));
        for name in ["Russia", "Ukraine"] {
            let party = set.new_party(name);
            let _ = set.apply(Edit::AddParty { party, index: None }, &ctx("base"));
        }
        for quote in [
            "satisfactory",
            "Both countries agreed to release 1,000 prisoners",
        ] {
            let start = set.article.find(quote, 0).unwrap_or_default();
            let claim = set
                .new_claim(start, &ctx("base"))
                .unwrap_or_else(|e| panic!("{e}"));
            let _ = set.apply(Edit::AddClaim(Box::new(claim)), &ctx("base"));
        }
        set
    }

    fn edited(
        from: &AnnotationSet,
        who: &str,
        edits: impl FnOnce(&AnnotationSet) -> Vec<Edit>,
    ) -> AnnotationSet {
        let mut set = from.clone();
        for edit in edits(&set) {
            set.apply(edit, &ctx(who)).unwrap_or_else(|e| panic!("{e}"));
        }
        set
    }

    fn run(b: &AnnotationSet, o: &AnnotationSet, t: &AnnotationSet) -> Merged {
        merge(
            (b.parties(), b.claims()),
            (o.parties(), o.claims()),
            (t.parties(), t.claims()),
        )
    }

    #[test]
    fn edits_to_different_fields_and_claims_combine() {
        let b = base();
        let first = b.claims()[0].id.clone();
        let second = b.claims()[1].id.clone();
        let ours = edited(&b, "ana", |_| {
            vec![Edit::SetStatus {
                claim: first.clone(),
                status: Status::Disputed,
            }]
        });
        let theirs = edited(&b, "ben", |_| {
            vec![
                Edit::SetNote {
                    claim: first.clone(),
                    note: "Ukraine disagreed".into(),
                },
                Edit::SetStatus {
                    claim: second.clone(),
                    status: Status::Agreed,
                },
            ]
        });
        let m = run(&b, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let get = |id: &ClaimId| {
            m.claims
                .iter()
                .find(|c| &c.id == id)
                .cloned()
                .unwrap_or_else(|| panic!("{id}"))
        };
        assert_eq!(get(&first).status, Status::Disputed);
        assert_eq!(get(&first).note, "Ukraine disagreed");
        assert_eq!(get(&second).status, Status::Agreed);
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_keeping_both() {
        let b = base();
        let id = b.claims()[0].id.clone();
        let ours = edited(&b, "ana", |_| {
            vec![Edit::SetStatus {
                claim: id.clone(),
                status: Status::Disputed,
            }]
        });
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetStatus {
                claim: id.clone(),
                status: Status::Agreed,
            }]
        });
        let m = run(&b, &ours, &theirs);
        assert_eq!(m.claims.len(), 2);
        match m.conflicts.as_slice() {
            [
                Conflict::Claim {
                    ours,
                    theirs,
                    fields,
                },
            ] => {
                assert_eq!(
                    (ours.status, theirs.status),
                    (Status::Disputed, Status::Agreed)
                );
                assert!(fields.contains(&"status"));
            }
            other => panic!("{other:?}"),
        }
        let mut marked = m.clone();
        marked.mark_conflicts();
        assert_eq!(marked.claims.len(), 3, "both versions are kept");
        let copy = marked
            .claims
            .iter()
            .find(|c| c.id.0.ends_with("~theirs"))
            .cloned();
        let copy = copy.unwrap_or_else(|| panic!("no copy"));
        assert_eq!(
            (copy.status, copy.conflict.as_ref()),
            (Status::Agreed, Some(&id))
        );
        let ours = marked
            .claims
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("ours"));
        assert_eq!(
            (ours.status, ours.conflict),
            (Status::Disputed, Some(copy.id.clone()))
        );
    }

    #[test]
    fn deletions_and_additions_merge_and_delete_versus_change_keeps_the_claim() {
        let b = base();
        let first = b.claims()[0].id.clone();
        let second = b.claims()[1].id.clone();
        let ukraine = crate::model::PartyId("ukraine".into());
        // Ours deletes the first claim; theirs adds a claim and edits the second.
        let ours = edited(&b, "ana", |_| vec![Edit::RemoveClaim(first.clone())]);
        let theirs = edited(&b, "ben", |set| {
            let start = set
                .article
                .find("strongly disagreed", 0)
                .unwrap_or_default();
            let mut claim = set
                .new_claim(start, &ctx("ben"))
                .unwrap_or_else(|e| panic!("{e}"));
            claim.id = ClaimId("c-ben".into());
            vec![
                Edit::AddClaim(Box::new(claim)),
                Edit::SetStance {
                    claim: second.clone(),
                    party: ukraine.clone(),
                    stance: Some(Stance::Agrees),
                },
            ]
        });
        let m = run(&b, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let ids: Vec<_> = m.claims.iter().map(|c| c.id.0.as_str()).collect();
        assert!(
            !ids.contains(&first.0.as_str())
                && ids.contains(&"c-ben")
                && ids.contains(&second.0.as_str())
        );
        // Theirs changes the claim ours deleted: kept, and reported.
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetNote {
                claim: first.clone(),
                note: "keep me".into(),
            }]
        });
        let m = run(&b, &ours, &theirs);
        assert!(
            m.claims
                .iter()
                .any(|c| c.id == first && c.note == "keep me")
        );
        assert!(matches!(
            m.conflicts.as_slice(),
            [Conflict::DeletedAndChanged {
                deleted_by_ours: true,
                ..
            }]
        ));
    }

    #[test]
    fn parties_merge_and_a_used_party_is_never_dropped() {
        let b = base();
        let id = b.claims()[0].id.clone();
        let russia = crate::model::PartyId("russia".into());
        let ours = edited(&b, "ana", |_| vec![Edit::RemoveParty(russia.clone())]);
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetClaimant {
                claim: id.clone(),
                party: Some(russia.clone()),
            }]
        });
        let m = run(&b, &ours, &theirs);
        assert!(
            m.parties.iter().any(|p| p.id == russia),
            "the claimant's party stays"
        );
        let renamed_o = edited(&b, "ana", |_| {
            vec![Edit::RenameParty {
                party: russia.clone(),
                name: "Russian Federation".into(),
            }]
        });
        let renamed_t = edited(&b, "ben", |_| {
            vec![Edit::RenameParty {
                party: russia.clone(),
                name: "Moscow".into(),
            }]
        });
        let m = run(&b, &renamed_o, &renamed_t);
        assert!(matches!(m.conflicts.as_slice(), [Conflict::Party { .. }]));
        assert_eq!(
            m.parties
                .iter()
                .find(|p| p.id == russia)
                .map(|p| p.name.as_str()),
            Some("Russian Federation")
        );
    }

    #[test]
    fn a_merge_result_applies_as_one_undoable_edit() {
        let b = base();
        let first = b.claims()[0].id.clone();
        let ours = edited(&b, "ana", |_| {
            vec![Edit::SetStatus {
                claim: first.clone(),
                status: Status::Disputed,
            }]
        });
        let theirs = edited(&b, "ben", |set| {
            let party = set.new_party("Turkey");
            vec![
                Edit::RemoveClaim(set.claims()[1].id.clone()),
                Edit::RenameParty {
                    party: set.parties()[0].id.clone(),
                    name: "Russian Federation".into(),
                },
                Edit::AddParty { party, index: None },
            ]
        });
        let m = run(&b, &ours, &theirs);
        let mut doc = crate::model::Document::new(ours.clone());
        let edit = edit_towards(&ours, &m.parties, &m.claims);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().claims(), m.claims.as_slice());
        assert_eq!(doc.set().parties(), m.parties.as_slice());
        assert_eq!(edit_towards(doc.set(), &m.parties, &m.claims), None);
        doc.undo(&ctx("ana")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &ours);
    }
}

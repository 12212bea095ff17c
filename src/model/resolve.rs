//! Decisions a person makes about what re-anchoring or a merge left open:
//! confirming a claim's new place, and resolving the merge conflict of a
//! claim, a party, a rating or the publisher. Each is built here as one undoable [`Edit`], the same
//! whichever view (editor, parties window, command line) offers it.

use super::{
    Anchor, AnchorState, AnnotationSet, ClaimId, Edit, EditError, Party, PartyConflict, PartyId,
    Rating, RatingConflict, RatingId,
};

/// What to do with a claim carrying a merge conflict mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimResolution {
    /// Keep this claim as it is, unmarked. When it is one of a pair (two
    /// people changed it differently) the other version is deleted.
    Keep,
    /// Delete this claim. The other version of a pair stays, unmarked.
    Delete,
}

/// Which version of a party, a rating or the publisher carrying a merge
/// conflict mark to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionChoice {
    /// Keep the version here (for one that one side deleted: keep it).
    KeepMine,
    /// Take the other side's version.
    TakeTheirs,
}

impl AnnotationSet {
    /// The edit that moves a fuzzy claim's anchor to where its text was
    /// found, so the file records the new place.
    pub fn confirm_placement(&self, claim: &ClaimId) -> Result<Edit, EditError> {
        let found = self
            .claim(claim)
            .ok_or_else(|| EditError::UnknownClaim(claim.clone()))?;
        match &found.anchor_state {
            AnchorState::Fuzzy { at, .. } => Ok(Edit::SetAnchor {
                claim: claim.clone(),
                anchor: Anchor::capture(&self.article, at.clone()),
            }),
            _ => Err(EditError::NothingToConfirm(claim.clone())),
        }
    }

    /// One edit confirming every fuzzy claim found with a score of at least
    /// `min_score` (see [`Self::confirm_placement`]); `None` when there is none.
    pub fn confirm_placements(&self, min_score: f32) -> Option<Edit> {
        let mut edits: Vec<Edit> = self
            .claims()
            .iter()
            .filter(|c| matches!(c.anchor_state, AnchorState::Fuzzy { score, .. } if score >= min_score))
            .filter_map(|c| self.confirm_placement(&c.id).ok())
            .collect();
        match edits.len() {
            0 => None,
            1 => edits.pop(),
            _ => Some(Edit::Batch(edits)),
        }
    }

    /// The edit that resolves the merge conflict `claim` carries.
    pub fn resolve_claim_conflict(
        &self,
        claim: &ClaimId,
        choice: ClaimResolution,
    ) -> Result<Edit, EditError> {
        let found = self
            .claim(claim)
            .ok_or_else(|| EditError::UnknownClaim(claim.clone()))?;
        let other = found
            .conflict
            .as_ref()
            .ok_or_else(|| EditError::NoClaimConflict(claim.clone()))?;
        if choice == ClaimResolution::Delete {
            // Deleting one of a pair clears the other's mark (see `Edit::RemoveClaim`).
            return Ok(Edit::RemoveClaim(claim.clone()));
        }
        let mut kept = found.clone();
        kept.conflict = None;
        let keep = Edit::PutClaim(Box::new(kept));
        // A claim naming itself was deleted on one side: nothing else to remove.
        if other == claim || self.claim(other).is_none() {
            return Ok(keep);
        }
        Ok(Edit::Batch(vec![Edit::RemoveClaim(other.clone()), keep]))
    }

    /// The edit that resolves the merge conflict `party` carries.
    pub fn resolve_party_conflict(
        &self,
        party: &PartyId,
        choice: VersionChoice,
    ) -> Result<Edit, EditError> {
        let found = self
            .party(party)
            .ok_or_else(|| EditError::UnknownParty(party.clone()))?;
        let mut resolved = Party {
            conflict: None,
            ..found.clone()
        };
        match (&found.conflict, choice) {
            (None, _) => return Err(EditError::NoConflict(format!("party {party}"))),
            (Some(_), VersionChoice::KeepMine) => {}
            (Some(PartyConflict::Theirs { name, color, kind }), VersionChoice::TakeTheirs) => {
                (resolved.name, resolved.color, resolved.kind) =
                    (name.clone(), *color, kind.clone());
            }
            (Some(PartyConflict::Deleted), VersionChoice::TakeTheirs) => {
                return Err(EditError::NoOtherVersion(format!("party {party}")));
            }
        }
        Ok(Edit::PutParty(resolved))
    }

    /// The edit that resolves the merge conflict `rating` carries.
    pub fn resolve_rating_conflict(
        &self,
        rating: &RatingId,
        choice: VersionChoice,
    ) -> Result<Edit, EditError> {
        let found = self
            .rating(rating)
            .ok_or_else(|| EditError::UnknownRating(rating.clone()))?;
        let mut resolved = Rating {
            conflict: None,
            ..found.clone()
        };
        match (&found.conflict, choice) {
            (None, _) => return Err(EditError::NoConflict(format!("rating {rating}"))),
            (Some(_), VersionChoice::KeepMine) => {}
            (
                Some(RatingConflict::Theirs {
                    label,
                    value,
                    color,
                }),
                VersionChoice::TakeTheirs,
            ) => {
                (resolved.label, resolved.value, resolved.color) = (label.clone(), *value, *color);
            }
            (Some(RatingConflict::Deleted), VersionChoice::TakeTheirs) => {
                return Err(EditError::NoOtherVersion(format!("rating {rating}")));
            }
        }
        Ok(Edit::PutRating(resolved))
    }

    /// The edit that resolves the publisher's merge conflict.
    pub fn resolve_publisher_conflict(&self, choice: VersionChoice) -> Result<Edit, EditError> {
        let theirs = self
            .publisher
            .conflict
            .as_deref()
            .ok_or_else(|| EditError::NoConflict("the publisher".to_owned()))?;
        let mut resolved = match choice {
            VersionChoice::KeepMine => self.publisher.clone(),
            VersionChoice::TakeTheirs => theirs.clone(),
        };
        resolved.conflict = None;
        Ok(Edit::SetPublisher(resolved))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::merge::{self, Conflict};
    use crate::model::{Article, Document, EditContext, Rgb, Status};

    const TEXT: &str = "Medinsky called the talks “satisfactory,” though Ukraine strongly disagreed. \
                        Both countries agreed to release 1,000 prisoners.";

    fn ctx() -> EditContext {
        EditContext {
            author: "tester".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    fn apply(set: &mut AnnotationSet, edit: Edit) {
        set.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
    }

    /// A set with two parties and one claim on each quote.
    fn set_with(quotes: &[&str]) -> AnnotationSet {
        let mut set = AnnotationSet::new(Article::new("t", TEXT));
        for name in ["Russia", "Ukraine"] {
            let party = set.new_party(name);
            apply(&mut set, Edit::AddParty { party, index: None });
        }
        for quote in quotes {
            let range = set
                .article
                .find(quote, 0)
                .unwrap_or_else(|| panic!("{quote}"));
            let claim = set
                .new_claim(range, &ctx())
                .unwrap_or_else(|e| panic!("{e}"));
            apply(&mut set, Edit::AddClaim(Box::new(claim)));
        }
        set
    }

    /// `claim` shown at `quote` with `score`, its stored anchor elsewhere, as
    /// re-anchoring leaves a claim whose text changed.
    fn make_fuzzy(set: &mut AnnotationSet, claim: &ClaimId, quote: &str, score: f32) {
        let at = set.article.find(quote, 0).unwrap_or_default();
        let mut fuzzy = set.claim(claim).cloned().unwrap_or_else(|| panic!("claim"));
        fuzzy.anchor.exact = format!("{}x", fuzzy.anchor.exact);
        fuzzy.anchor_state = AnchorState::Fuzzy { at, score };
        apply(set, Edit::PutClaim(Box::new(fuzzy)));
    }

    #[test]
    fn confirming_a_placement_anchors_the_claim_where_it_was_found() {
        let mut set = set_with(&["satisfactory", "1,000 prisoners"]);
        let (first, second) = (set.claims()[0].id.clone(), set.claims()[1].id.clone());
        make_fuzzy(&mut set, &first, "the talks", 0.9);
        make_fuzzy(&mut set, &second, "1,000 prisoners", 0.6);
        let mut doc = Document::new(set.clone());
        let edit = set
            .confirm_placement(&first)
            .unwrap_or_else(|e| panic!("{e}"));
        doc.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
        let confirmed = doc.set().claim(&first).cloned();
        let confirmed = confirmed.unwrap_or_else(|| panic!("claim"));
        assert_eq!(confirmed.anchor_state, AnchorState::Exact);
        assert_eq!(confirmed.anchor.exact, "the talks");
        assert!(confirmed.anchor.holds_in(&doc.set().article));
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &set);
        // Only a fuzzy claim has a place awaiting confirmation.
        assert_eq!(
            doc.set().confirm_placement(&ClaimId("nope".into())),
            Err(EditError::UnknownClaim(ClaimId("nope".into())))
        );
        let exact = set_with(&["satisfactory"]);
        let id = exact.claims()[0].id.clone();
        assert_eq!(
            exact.confirm_placement(&id),
            Err(EditError::NothingToConfirm(id))
        );
        assert_eq!(exact.confirm_placements(0.0), None);
    }

    #[test]
    fn confirming_placements_in_bulk_takes_those_at_or_above_the_score() {
        let mut set = set_with(&["satisfactory", "1,000 prisoners", "Ukraine"]);
        let ids: Vec<ClaimId> = set.claims().iter().map(|c| c.id.clone()).collect();
        make_fuzzy(&mut set, &ids[0], "the talks", 0.9);
        make_fuzzy(&mut set, &ids[2], "1,000 prisoners", 0.6);
        let fuzzy = |set: &AnnotationSet| -> Vec<f32> {
            let scores = set.claims().iter().filter_map(|c| match c.anchor_state {
                AnchorState::Fuzzy { score, .. } => Some(score),
                _ => None,
            });
            scores.collect()
        };
        let mut doc = Document::new(set.clone());
        let one = set.confirm_placements(0.9);
        assert!(matches!(one, Some(Edit::SetAnchor { .. })), "{one:?}");
        let all = set.confirm_placements(0.6);
        assert!(
            matches!(&all, Some(Edit::Batch(edits)) if edits.len() == 2),
            "{all:?}"
        );
        doc.apply(all.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(fuzzy(doc.set()).is_empty());
        assert_eq!(doc.set().confirm_placements(0.0), None);
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &set, "one step undoes them all");
        assert_eq!(set.confirm_placements(0.95), None);
    }

    /// A set where a merge left claim 0 as a pair (ours Agreed, theirs
    /// Disputed) and claim 1 deleted on one side and changed on the other.
    fn conflicted() -> (AnnotationSet, ClaimId, ClaimId, ClaimId) {
        let base = set_with(&["satisfactory", "1,000 prisoners"]);
        let (paired, deleted) = (base.claims()[0].id.clone(), base.claims()[1].id.clone());
        let side = |status, note: Option<&str>| {
            let mut set = base.clone();
            apply(
                &mut set,
                Edit::SetStatus {
                    claim: paired.clone(),
                    status,
                },
            );
            match note {
                Some(note) => apply(
                    &mut set,
                    Edit::SetNote {
                        claim: deleted.clone(),
                        note: note.into(),
                    },
                ),
                None => apply(&mut set, Edit::RemoveClaim(deleted.clone())),
            }
            set
        };
        let (ours, theirs) = (
            side(Status::Agreed, None),
            side(Status::Disputed, Some("why")),
        );
        let mut merged = merge::merge((&base).into(), (&ours).into(), (&theirs).into());
        assert_eq!(merged.conflicts.len(), 2, "{:?}", merged.conflicts);
        merged.mark_conflicts();
        let mut set = ours.clone();
        let edit = merge::edit_towards(&ours, &merged);
        apply(&mut set, edit.unwrap_or(Edit::Batch(vec![])));
        let copy = ClaimId(format!("{paired}~theirs"));
        (set, paired, copy, deleted)
    }

    #[test]
    fn keeping_one_version_of_a_pair_deletes_the_other_and_undo_restores_both() {
        let (set, ours, theirs, _) = conflicted();
        for (keep, drop, status) in [
            (&ours, &theirs, Status::Agreed),
            (&theirs, &ours, Status::Disputed),
        ] {
            let mut doc = Document::new(set.clone());
            let edit = set.resolve_claim_conflict(keep, ClaimResolution::Keep);
            doc.apply(edit.unwrap_or_else(|e| panic!("{e}")), &ctx())
                .unwrap_or_else(|e| panic!("{e}"));
            let kept = doc.set().claim(keep).cloned();
            let kept = kept.unwrap_or_else(|| panic!("{keep} kept"));
            assert_eq!((kept.status, kept.conflict), (status, None));
            assert!(doc.set().claim(drop).is_none(), "{drop} deleted");
            doc.set()
                .check_invariants()
                .unwrap_or_else(|e| panic!("{e}"));
            doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(doc.set(), &set, "both versions back, marked");
        }
        // Deleting one version keeps the other, unmarked.
        let mut doc = Document::new(set.clone());
        let edit = set.resolve_claim_conflict(&ours, ClaimResolution::Delete);
        doc.apply(edit.unwrap_or_else(|e| panic!("{e}")), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.set().claim(&ours).is_none());
        assert_eq!(
            doc.set().claim(&theirs).map(|c| c.conflict.clone()),
            Some(None)
        );
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &set);
    }

    #[test]
    fn a_claim_deleted_on_one_side_is_kept_or_deleted() {
        let (set, _, _, deleted) = conflicted();
        assert_eq!(
            set.claim(&deleted).and_then(|c| c.conflict.clone()),
            Some(deleted.clone()),
            "marked as naming itself"
        );
        let mut doc = Document::new(set.clone());
        let keep = set.resolve_claim_conflict(&deleted, ClaimResolution::Keep);
        assert!(matches!(keep, Ok(Edit::PutClaim(_))), "{keep:?}");
        doc.apply(keep.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        let kept = doc.set().claim(&deleted).cloned();
        let kept = kept.unwrap_or_else(|| panic!("kept"));
        assert_eq!((kept.note.as_str(), kept.conflict), ("why", None));
        assert_eq!(doc.set().claims().len(), set.claims().len());
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &set);
        let delete = set.resolve_claim_conflict(&deleted, ClaimResolution::Delete);
        assert_eq!(delete, Ok(Edit::RemoveClaim(deleted.clone())));
        // Without a mark there is nothing to resolve.
        let plain = set_with(&["satisfactory"]);
        let id = plain.claims()[0].id.clone();
        assert_eq!(
            plain.resolve_claim_conflict(&id, ClaimResolution::Keep),
            Err(EditError::NoClaimConflict(id))
        );
    }

    #[test]
    fn a_party_conflict_keeps_mine_or_takes_theirs_in_one_undoable_step() {
        let base = set_with(&[]);
        let russia = base.parties()[0].id.clone();
        let renamed = |name: &str| {
            let mut set = base.clone();
            apply(
                &mut set,
                Edit::RenameParty {
                    party: russia.clone(),
                    name: name.into(),
                },
            );
            apply(
                &mut set,
                Edit::RecolorParty {
                    party: russia.clone(),
                    color: Rgb([name.len() as u8, 0, 0]),
                },
            );
            set
        };
        let (ours, theirs) = (renamed("Moscow"), renamed("Russian Federation"));
        let mut merged = merge::merge((&base).into(), (&ours).into(), (&theirs).into());
        assert!(matches!(
            merged.conflicts.as_slice(),
            [Conflict::Party { .. }]
        ));
        merged.mark_conflicts();
        let mut set = ours.clone();
        let edit = merge::edit_towards(&ours, &merged);
        apply(&mut set, edit.unwrap_or(Edit::Batch(vec![])));
        for (choice, name, color) in [
            (VersionChoice::KeepMine, "Moscow", Rgb([6, 0, 0])),
            (
                VersionChoice::TakeTheirs,
                "Russian Federation",
                Rgb([18, 0, 0]),
            ),
        ] {
            let mut doc = Document::new(set.clone());
            let edit = set.resolve_party_conflict(&russia, choice);
            doc.apply(edit.unwrap_or_else(|e| panic!("{e}")), &ctx())
                .unwrap_or_else(|e| panic!("{e}"));
            let party = doc.set().party(&russia).cloned();
            let party = party.unwrap_or_else(|| panic!("party"));
            assert_eq!(
                (party.name.as_str(), party.color, party.conflict),
                (name, color, None),
                "{choice:?}"
            );
            doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(doc.set(), &set, "{choice:?}: both versions back");
        }
        // A party one side deleted is kept; it has no other version to take.
        let mut deleted = set.clone();
        let mut party = deleted
            .party(&russia)
            .cloned()
            .unwrap_or_else(|| panic!("party"));
        party.conflict = Some(PartyConflict::Deleted);
        apply(&mut deleted, Edit::PutParty(party.clone()));
        let keep = deleted.resolve_party_conflict(&russia, VersionChoice::KeepMine);
        let unmarked = Party {
            conflict: None,
            ..party
        };
        assert_eq!(keep, Ok(Edit::PutParty(unmarked)));
        assert_eq!(
            deleted.resolve_party_conflict(&russia, VersionChoice::TakeTheirs),
            Err(EditError::NoOtherVersion(format!("party {russia}")))
        );
        assert_eq!(
            base.resolve_party_conflict(&russia, VersionChoice::KeepMine),
            Err(EditError::NoConflict(format!("party {russia}")))
        );
    }

    #[test]
    fn a_marked_rating_and_publisher_resolve_to_either_version() {
        use crate::model::{Publisher, Rating, RatingConflict, RatingId, Rgb};
        let mut set = AnnotationSet::new(crate::model::Article::new("t", "text"));
        let id = RatingId("false".into());
        let mut marked = set.rating(&id).cloned().unwrap_or_else(|| panic!("false"));
        marked.conflict = Some(RatingConflict::Theirs {
            label: "Wrong".into(),
            value: Some(0),
            color: Rgb([1, 2, 3]),
        });
        apply(&mut set, Edit::PutRating(marked.clone()));
        let take = set.resolve_rating_conflict(&id, VersionChoice::TakeTheirs);
        let theirs = Rating {
            label: "Wrong".into(),
            value: Some(0),
            color: Rgb([1, 2, 3]),
            conflict: None,
            ..marked.clone()
        };
        assert_eq!(take, Ok(Edit::PutRating(theirs)));
        let keep = set.resolve_rating_conflict(&id, VersionChoice::KeepMine);
        let mine = Rating {
            conflict: None,
            ..marked.clone()
        };
        assert_eq!(keep, Ok(Edit::PutRating(mine)));
        marked.conflict = Some(RatingConflict::Deleted);
        apply(&mut set, Edit::PutRating(marked));
        assert_eq!(
            set.resolve_rating_conflict(&id, VersionChoice::TakeTheirs),
            Err(EditError::NoOtherVersion("rating false".into()))
        );
        // The publisher keeps one of its two versions.
        let ours = Publisher::new("Ours".into(), "https://ours.example/{id}".into());
        let theirs = Publisher::new("Theirs".into(), "https://theirs.example/{id}".into());
        assert_eq!(
            set.resolve_publisher_conflict(VersionChoice::KeepMine),
            Err(EditError::NoConflict("the publisher".into()))
        );
        apply(
            &mut set,
            Edit::SetPublisher(Publisher {
                conflict: Some(Box::new(theirs.clone())),
                ..ours.clone()
            }),
        );
        assert_eq!(
            set.resolve_publisher_conflict(VersionChoice::TakeTheirs),
            Ok(Edit::SetPublisher(theirs))
        );
        assert_eq!(
            set.resolve_publisher_conflict(VersionChoice::KeepMine),
            Ok(Edit::SetPublisher(ours))
        );
    }
}

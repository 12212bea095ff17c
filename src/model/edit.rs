//! Every change a user makes is an [`Edit`]. Applying one returns its inverse,
//! which is how undo/redo, the dirty flag and autosave all come from one place.

use super::{AnchorState, StatusOrigin, claim::Anchor};
use super::{
    AnnotationSet, Claim, ClaimId, Detail, Evidence, Party, PartyId, PartyKind, Publisher, Rating,
    RatingId, Rgb, Stance, Status, Verdict,
};
use jiff::Timestamp;

/// Who makes an edit and when; the model never reads a clock itself.
#[derive(Clone, Debug)]
pub struct EditContext {
    pub author: String,
    pub now: Timestamp,
}

/// One user-level change to an [`AnnotationSet`].
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddClaim(Box<Claim>),
    RemoveClaim(ClaimId),
    /// Replaces a claim wholesale (undo, merge decisions); does not touch `modified`.
    PutClaim(Box<Claim>),
    SetStatus {
        claim: ClaimId,
        status: Status,
    },
    /// Hands the status back to the stance-based suggestion.
    UseSuggestedStatus {
        claim: ClaimId,
    },
    SetClaimant {
        claim: ClaimId,
        party: Option<PartyId>,
    },
    SetStance {
        claim: ClaimId,
        party: PartyId,
        stance: Option<Stance>,
    },
    SetNote {
        claim: ClaimId,
        note: String,
    },
    /// Moves a claim to new text (re-attaching an unplaced claim).
    SetAnchor {
        claim: ClaimId,
        anchor: Anchor,
    },
    AddEvidence {
        claim: ClaimId,
        evidence: Evidence,
    },
    SetEvidence {
        claim: ClaimId,
        index: usize,
        evidence: Evidence,
    },
    RemoveEvidence {
        claim: ClaimId,
        index: usize,
    },
    /// Adds a party at `index` (or at the end).
    AddParty {
        party: Party,
        index: Option<usize>,
    },
    RenameParty {
        party: PartyId,
        name: String,
    },
    RecolorParty {
        party: PartyId,
        color: Rgb,
    },
    /// Replaces a party's name, colour and conflict mark (merge results,
    /// resolving a party conflict).
    PutParty(Party),
    /// Removes a party and every reference to it from claims.
    RemoveParty(PartyId),
    /// Makes a party a person (with a job title) or an organisation.
    SetPartyKind {
        party: PartyId,
        kind: PartyKind,
    },
    /// Adds a rating to the scale at `index` (or at the end).
    AddRating {
        rating: Rating,
        index: Option<usize>,
    },
    /// Replaces a rating's label, number, colour and conflict mark.
    PutRating(Rating),
    /// Removes a rating from the scale and every verdict given with it.
    RemoveRating(RatingId),
    /// Replaces the publisher profile.
    SetPublisher(Publisher),
    SetTitle(String),
    /// Gives a claim a verdict (a rating of the scale and why), or takes it away.
    SetVerdict {
        claim: ClaimId,
        verdict: Option<Verdict>,
    },
    /// Rewrites the explanation of a claim's verdict (typing is one step).
    SetExplanation {
        claim: ClaimId,
        explanation: String,
    },
    /// Sets one of the article's details (a conflict mark on it stays).
    SetDetail {
        detail: Detail,
        value: String,
    },
    /// Replaces a detail with its conflict mark (merge results, resolving a
    /// detail conflict).
    PutDetail {
        detail: Detail,
        value: String,
        conflict: Option<String>,
    },
    /// Several edits applied (and undone) as one step.
    Batch(Vec<Edit>),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("no claim with id {0}")]
    UnknownClaim(ClaimId),
    #[error("the scale has no rating {0}")]
    UnknownRating(RatingId),
    #[error("claim {0} has no verdict to explain")]
    NoVerdict(ClaimId),
    #[error("no party with id {0}")]
    UnknownParty(PartyId),
    #[error("a claim with id {0} already exists")]
    DuplicateClaim(ClaimId),
    #[error("a party with id {0} already exists")]
    DuplicateParty(PartyId),
    #[error("claim {0} has no evidence item {1}")]
    NoEvidence(ClaimId, usize),
    #[error("the selected text is empty or outside the article")]
    InvalidAnchor,
    #[error("{0}: not a value it can have")]
    InvalidDetail(&'static str),
    #[error("a party needs a name")]
    EmptyName,
    #[error("a rating needs a label")]
    EmptyLabel,
    #[error("a rating with id {0} already exists")]
    DuplicateRating(RatingId),
    #[error("the article is missing: locate it before adding or moving claims")]
    ArticleMissing,
    #[error("claim {0} has no new place awaiting confirmation")]
    NothingToConfirm(ClaimId),
    #[error("claim {0} carries no merge conflict")]
    NoClaimConflict(ClaimId),
    /// Names what carries no mark: "party russia", "the publisher".
    #[error("{0} carries no merge conflict")]
    NoConflict(String),
    #[error("{0} was deleted on one side of the merge: there is no other version to take")]
    NoOtherVersion(String),
}

impl Edit {
    /// A short description for the Undo/Redo menu items.
    pub fn label(&self) -> &'static str {
        match self {
            Edit::AddClaim(_) => "add claim",
            Edit::RemoveClaim(_) => "delete claim",
            Edit::PutClaim(_) => "restore claim",
            Edit::SetStatus { .. } | Edit::UseSuggestedStatus { .. } => "set status",
            Edit::SetClaimant { .. } => "set claimant",
            Edit::SetStance { .. } => "set stance",
            Edit::SetNote { .. } => "edit note",
            Edit::SetAnchor { .. } => "re-attach claim",
            Edit::AddEvidence { .. } => "add evidence",
            Edit::SetEvidence { .. } => "edit evidence",
            Edit::RemoveEvidence { .. } => "remove evidence",
            Edit::AddParty { .. } => "add party",
            Edit::RenameParty { .. } => "rename party",
            Edit::RecolorParty { .. } => "recolour party",
            Edit::PutParty(_) => "change party",
            Edit::RemoveParty(_) => "delete party",
            Edit::SetPartyKind { .. } => "describe party",
            Edit::AddRating { .. } => "add rating",
            Edit::PutRating(_) => "change rating",
            Edit::RemoveRating(_) => "delete rating",
            Edit::SetPublisher(_) => "edit publisher",
            Edit::SetTitle(_) => "rename article",
            Edit::SetDetail { .. } | Edit::PutDetail { .. } => "edit article details",
            Edit::SetVerdict { .. } => "set verdict",
            Edit::SetExplanation { .. } => "edit rating explanation",
            Edit::Batch(_) => "several changes",
        }
    }

    /// Edits with the same key, made one after another, undo as one step
    /// (typing a note is one edit per keystroke).
    pub(crate) fn coalesce_key(&self) -> Option<String> {
        match self {
            Edit::SetNote { claim, .. } => Some(format!("note:{claim}")),
            Edit::SetExplanation { claim, .. } => Some(format!("explanation:{claim}")),
            Edit::SetEvidence { claim, index, .. } => Some(format!("evidence:{claim}:{index}")),
            Edit::RenameParty { party, .. } => Some(format!("party-name:{party}")),
            Edit::RecolorParty { party, .. } => Some(format!("party-color:{party}")),
            Edit::SetPartyKind { party, .. } => Some(format!("party-kind:{party}")),
            Edit::PutRating(rating) => Some(format!("rating:{}", rating.id)),
            Edit::SetPublisher(_) => Some("publisher".to_owned()),
            Edit::SetTitle(_) => Some("title".to_owned()),
            Edit::SetDetail { detail, .. } => Some(format!("detail:{}", detail.key())),
            _ => None,
        }
    }
}

impl AnnotationSet {
    /// Applies `edit` and returns the edit that undoes it. On error nothing changed.
    pub fn apply(&mut self, edit: Edit, ctx: &EditContext) -> Result<Edit, EditError> {
        // Only these can make a claim name a conflict partner; checked once the
        // whole edit is done, as a merge adds the two claims of a pair in turn.
        let names_partners = matches!(edit, Edit::AddClaim(_) | Edit::PutClaim(_) | Edit::Batch(_));
        let inverse = self.apply_inner(edit, ctx)?;
        if names_partners && let Some(missing) = self.missing_conflict_partner() {
            // Such a claim would be saved to a file that never opens again.
            let _ = self.apply_inner(inverse, ctx);
            return Err(EditError::UnknownClaim(missing));
        }
        self.bump_revision();
        Ok(inverse)
    }

    fn missing_conflict_partner(&self) -> Option<ClaimId> {
        self.claims()
            .iter()
            .filter_map(|c| c.conflict.as_ref())
            .find(|id| self.claim(id).is_none())
            .cloned()
    }

    fn apply_inner(&mut self, edit: Edit, ctx: &EditContext) -> Result<Edit, EditError> {
        match edit {
            Edit::AddClaim(claim) => {
                self.validate_new_claim(&claim)?;
                let id = claim.id.clone();
                self.insert_claim(*claim);
                Ok(Edit::RemoveClaim(id))
            }
            Edit::RemoveClaim(id) => {
                let claim = self
                    .take_claim(&id)
                    .ok_or_else(|| EditError::UnknownClaim(id.clone()))?;
                let mut restore = vec![Edit::AddClaim(Box::new(claim))];
                // Deleting one side of a merge conflict resolves it: a claim
                // still naming a deleted one would make the file unloadable.
                for other in self
                    .claims
                    .iter_mut()
                    .filter(|c| c.conflict.as_ref() == Some(&id))
                {
                    restore.push(Edit::PutClaim(Box::new(other.clone())));
                    other.conflict = None;
                }
                Ok(match restore.len() {
                    1 => restore.remove(0),
                    _ => Edit::Batch(restore),
                })
            }
            Edit::PutClaim(claim) => {
                // Checked as strictly as a new claim: a claim put here that
                // AddClaim would refuse could be deleted but never restored.
                self.validate_placement(&claim)?;
                self.check_parties_exist(&claim)?;
                let id = claim.id.clone();
                let old = self.put_claim(*claim).ok_or(EditError::UnknownClaim(id))?;
                Ok(Edit::PutClaim(Box::new(old)))
            }
            Edit::SetAnchor { claim, anchor } => {
                if self.missing_article.is_some() {
                    return Err(EditError::ArticleMissing);
                }
                if anchor.start >= anchor.end || !anchor.holds_in(&self.article) {
                    return Err(EditError::InvalidAnchor);
                }
                let old = self
                    .take_claim(&claim)
                    .ok_or_else(|| EditError::UnknownClaim(claim.clone()))?;
                let mut new = old.clone();
                new.anchor = anchor;
                new.anchor_state = super::AnchorState::Exact;
                new.modified = ctx.now;
                self.insert_claim(new);
                Ok(Edit::PutClaim(Box::new(old)))
            }
            Edit::SetStatus { claim, status } => self.change_claim(&claim, ctx, |c| {
                c.status = status;
                c.status_origin = StatusOrigin::Chosen;
                Ok(())
            }),
            Edit::UseSuggestedStatus { claim } => self.change_claim(&claim, ctx, |c| {
                c.status_origin = StatusOrigin::Suggested;
                c.refresh_suggested_status();
                Ok(())
            }),
            Edit::SetClaimant { claim, party } => {
                if let Some(p) = &party {
                    self.require_party(p)?;
                }
                self.change_claim(&claim, ctx, |c| {
                    c.claimant = party;
                    Ok(())
                })
            }
            Edit::SetStance {
                claim,
                party,
                stance,
            } => {
                self.require_party(&party)?;
                self.change_claim(&claim, ctx, |c| {
                    match stance {
                        Some(s) => c.stances.insert(party, s),
                        None => c.stances.remove(&party),
                    };
                    c.refresh_suggested_status();
                    Ok(())
                })
            }
            Edit::SetNote { claim, note } => self.change_claim(&claim, ctx, |c| {
                c.note = note;
                Ok(())
            }),
            Edit::SetVerdict { claim, verdict } => {
                if let Some(v) = &verdict
                    && self.rating(&v.rating).is_none()
                {
                    return Err(EditError::UnknownRating(v.rating.clone()));
                }
                self.change_claim(&claim, ctx, |c| {
                    c.verdict = verdict;
                    Ok(())
                })
            }
            Edit::SetExplanation { claim, explanation } => {
                self.change_claim(&claim, ctx, |c| match c.verdict.as_mut() {
                    Some(verdict) => {
                        verdict.explanation = explanation;
                        Ok(())
                    }
                    None => Err(EditError::NoVerdict(c.id.clone())),
                })
            }
            Edit::AddEvidence { claim, evidence } => {
                self.require_evidence_party(&evidence)?;
                self.change_claim(&claim, ctx, |c| {
                    c.evidence.push(evidence);
                    Ok(())
                })
            }
            Edit::SetEvidence {
                claim,
                index,
                evidence,
            } => {
                self.require_evidence_party(&evidence)?;
                let id = claim.clone();
                self.change_claim(&claim, ctx, |c| {
                    let slot = c
                        .evidence
                        .get_mut(index)
                        .ok_or(EditError::NoEvidence(id, index))?;
                    *slot = evidence;
                    Ok(())
                })
            }
            Edit::RemoveEvidence { claim, index } => {
                let id = claim.clone();
                self.change_claim(&claim, ctx, |c| {
                    if index >= c.evidence.len() {
                        return Err(EditError::NoEvidence(id, index));
                    }
                    c.evidence.remove(index);
                    Ok(())
                })
            }
            Edit::AddParty { party, index } => {
                if party.name.trim().is_empty() || !party.conflict_names_filled() {
                    return Err(EditError::EmptyName);
                }
                if self.party(&party.id).is_some() {
                    return Err(EditError::DuplicateParty(party.id));
                }
                let id = party.id.clone();
                let at = index.unwrap_or(self.parties.len()).min(self.parties.len());
                self.parties.insert(at, party);
                Ok(Edit::RemoveParty(id))
            }
            Edit::RenameParty { party, name } => {
                if name.trim().is_empty() {
                    return Err(EditError::EmptyName);
                }
                let p = self.party_mut(&party)?;
                let old = std::mem::replace(&mut p.name, name);
                Ok(Edit::RenameParty { party, name: old })
            }
            Edit::RecolorParty { party, color } => {
                let p = self.party_mut(&party)?;
                let old = std::mem::replace(&mut p.color, color);
                Ok(Edit::RecolorParty { party, color: old })
            }
            Edit::PutParty(party) => {
                if party.name.trim().is_empty() || !party.conflict_names_filled() {
                    return Err(EditError::EmptyName);
                }
                let p = self.party_mut(&party.id)?;
                Ok(Edit::PutParty(std::mem::replace(p, party)))
            }
            Edit::RemoveParty(id) => {
                let index = self
                    .parties
                    .iter()
                    .position(|p| p.id == id)
                    .ok_or_else(|| EditError::UnknownParty(id.clone()))?;
                let party = self.parties.remove(index);
                let mut restore = vec![Edit::AddParty {
                    party,
                    index: Some(index),
                }];
                for claim in self.claims.iter_mut().filter(|c| c.uses_party(&id)) {
                    restore.push(Edit::PutClaim(Box::new(claim.clone())));
                    if claim.claimant.as_ref() == Some(&id) {
                        claim.claimant = None;
                    }
                    claim.stances.remove(&id);
                    for evidence in &mut claim.evidence {
                        if evidence.supports.as_ref() == Some(&id) {
                            evidence.supports = None;
                        }
                    }
                    claim.refresh_suggested_status();
                    claim.modified = ctx.now;
                }
                Ok(Edit::Batch(restore))
            }
            Edit::SetPartyKind { party, kind } => {
                let p = self.party_mut(&party)?;
                let old = std::mem::replace(&mut p.kind, kind);
                Ok(Edit::SetPartyKind { party, kind: old })
            }
            Edit::AddRating { rating, index } => {
                if !rating.is_labelled() {
                    return Err(EditError::EmptyLabel);
                }
                if self.rating(&rating.id).is_some() {
                    return Err(EditError::DuplicateRating(rating.id));
                }
                let id = rating.id.clone();
                let at = index.unwrap_or(self.ratings.len()).min(self.ratings.len());
                self.ratings.insert(at, rating);
                Ok(Edit::RemoveRating(id))
            }
            Edit::PutRating(rating) => {
                if !rating.is_labelled() {
                    return Err(EditError::EmptyLabel);
                }
                let r = self
                    .ratings
                    .iter_mut()
                    .find(|r| r.id == rating.id)
                    .ok_or_else(|| EditError::UnknownRating(rating.id.clone()))?;
                Ok(Edit::PutRating(std::mem::replace(r, rating)))
            }
            Edit::RemoveRating(id) => {
                let index = self
                    .ratings
                    .iter()
                    .position(|r| r.id == id)
                    .ok_or_else(|| EditError::UnknownRating(id.clone()))?;
                let rating = self.ratings.remove(index);
                let mut restore = vec![Edit::AddRating {
                    rating,
                    index: Some(index),
                }];
                let rated = |c: &Claim| c.verdict.as_ref().is_some_and(|v| v.rating == id);
                for claim in self.claims.iter_mut().filter(|c| rated(c)) {
                    restore.push(Edit::PutClaim(Box::new(claim.clone())));
                    claim.verdict = None;
                    claim.modified = ctx.now;
                }
                Ok(Edit::Batch(restore))
            }
            Edit::SetPublisher(publisher) => Ok(Edit::SetPublisher(std::mem::replace(
                &mut self.publisher,
                publisher,
            ))),
            Edit::SetTitle(title) => {
                let old = self.article.title().to_owned();
                self.article.set_title(title);
                Ok(Edit::SetTitle(old))
            }
            Edit::SetDetail { detail, value } => {
                if !detail.accepts(&value) {
                    return Err(EditError::InvalidDetail(detail.label()));
                }
                let old = self.details.set(detail, value);
                Ok(Edit::SetDetail { detail, value: old })
            }
            Edit::PutDetail {
                detail,
                value,
                conflict,
            } => {
                if !detail.accepts(&value)
                    || conflict.as_deref().is_some_and(|c| !detail.accepts(c))
                {
                    return Err(EditError::InvalidDetail(detail.label()));
                }
                let old = self.details.set(detail, value);
                let old_conflict = match conflict {
                    Some(theirs) => self.details.conflicts.insert(detail, theirs),
                    None => self.details.conflicts.remove(&detail),
                };
                Ok(Edit::PutDetail {
                    detail,
                    value: old,
                    conflict: old_conflict,
                })
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply_inner(edit, ctx) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            // Roll back what this batch already did, newest first.
                            for inverse in inverses.into_iter().rev() {
                                let _ = self.apply_inner(inverse, ctx);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    /// Changes one claim in place; the inverse restores the whole old claim.
    fn change_claim(
        &mut self,
        id: &ClaimId,
        ctx: &EditContext,
        change: impl FnOnce(&mut Claim) -> Result<(), EditError>,
    ) -> Result<Edit, EditError> {
        let claim = self
            .claim_mut(id)
            .ok_or_else(|| EditError::UnknownClaim(id.clone()))?;
        let old = claim.clone();
        change(claim)?;
        claim.modified = ctx.now;
        Ok(Edit::PutClaim(Box::new(old)))
    }

    fn require_party(&self, id: &PartyId) -> Result<(), EditError> {
        match self.party(id) {
            Some(_) => Ok(()),
            None => Err(EditError::UnknownParty(id.clone())),
        }
    }

    fn require_evidence_party(&self, evidence: &Evidence) -> Result<(), EditError> {
        match &evidence.supports {
            Some(p) => self.require_party(p),
            None => Ok(()),
        }
    }

    fn party_mut(&mut self, id: &PartyId) -> Result<&mut Party, EditError> {
        self.parties
            .iter_mut()
            .find(|p| &p.id == id)
            .ok_or_else(|| EditError::UnknownParty(id.clone()))
    }

    fn check_parties_exist(&self, claim: &Claim) -> Result<(), EditError> {
        for party in claim.named_parties() {
            self.require_party(party)?;
        }
        Ok(())
    }

    fn validate_new_claim(&self, claim: &Claim) -> Result<(), EditError> {
        if self.claim(&claim.id).is_some() {
            return Err(EditError::DuplicateClaim(claim.id.clone()));
        }
        self.validate_placement(claim)?;
        self.check_parties_exist(claim)
    }

    /// Whether the claim's anchor and shown span fit this article (or the
    /// stand-in for a missing one).
    pub(super) fn validate_placement(&self, claim: &Claim) -> Result<(), EditError> {
        // Exact and moved claims must sit on their quote; fuzzy and excerpt claims
        // keep their old anchor by design, so only their shown span is checked.
        // Over a stand-in article only claims from the file (undo) come back.
        let shown_span_fits =
            |at: &std::ops::Range<usize>| at.start < at.end && at.end <= self.article.char_count();
        let valid = match (&claim.anchor_state, self.missing_article.is_some()) {
            (AnchorState::Exact | AnchorState::Moved { .. }, false) => {
                claim.anchor.start < claim.anchor.end && claim.anchor.holds_in(&self.article)
            }
            (AnchorState::Fuzzy { at, .. }, false) => shown_span_fits(at),
            (AnchorState::Excerpt { at }, true) => shown_span_fits(at),
            (AnchorState::Orphaned, _) => true,
            _ => return Err(EditError::ArticleMissing),
        };
        if !valid {
            return Err(EditError::InvalidAnchor);
        }
        Ok(())
    }
}

//! A document is an annotation set plus its undo history and saved state.

use super::{AnnotationSet, Edit, EditContext, EditError, History};

/// The one place edits are applied: keeps history and the dirty flag in step.
#[derive(Clone, Debug)]
pub struct Document {
    set: AnnotationSet,
    history: History,
    /// History state at the last save; `None` when that state was discarded.
    saved_state: Option<u64>,
}

impl Document {
    pub fn new(set: AnnotationSet) -> Self {
        Self {
            set,
            history: History::default(),
            saved_state: Some(0),
        }
    }

    pub fn set(&self) -> &AnnotationSet {
        &self.set
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Applies a user edit and records it for undo.
    pub fn apply(&mut self, edit: Edit, ctx: &EditContext) -> Result<(), EditError> {
        let inverse = self.set.apply(edit.clone(), ctx)?;
        self.history.record(&edit, inverse);
        Ok(())
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, ctx: &EditContext) -> Result<Option<&'static str>, EditError> {
        let Some((inverse, label, before, after)) = self.history.pop_undo() else {
            return Ok(None);
        };
        match self.set.apply(inverse.clone(), ctx) {
            Ok(redo) => {
                self.history.push_redo(redo, label, before, after);
                Ok(Some(label))
            }
            Err(err) => {
                self.history.push_undo(inverse, label, before, after);
                Err(err)
            }
        }
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self, ctx: &EditContext) -> Result<Option<&'static str>, EditError> {
        let Some((edit, label, before, after)) = self.history.pop_redo() else {
            return Ok(None);
        };
        match self.set.apply(edit.clone(), ctx) {
            Ok(undo) => {
                self.history.push_undo(undo, label, before, after);
                Ok(Some(label))
            }
            Err(err) => {
                self.history.push_redo(edit, label, before, after);
                Err(err)
            }
        }
    }

    /// Ends typing coalescing so the next edit is its own undo step.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.history.state())
    }

    pub fn mark_saved(&mut self) {
        self.saved_state = Some(self.history.state());
    }

    /// The history state now: a save in the background remembers it and
    /// marks exactly that state saved ([`Self::mark_saved_at`]) when done.
    pub fn state(&self) -> u64 {
        self.history.state()
    }

    /// Marks `state` as the one on disk. Edits made since (while a save ran
    /// in the background) stay unsaved.
    pub fn mark_saved_at(&mut self, state: u64) {
        self.saved_state = Some(state);
    }

    /// Records someone who worked on the document; written with the next
    /// save. Not an edit: it is a fact about the file, not undoable content.
    pub fn note_contributor(&mut self, name: &str) {
        if !self.set.contributors.contains(name) {
            self.set.contributors.insert(name.to_owned());
        }
    }

    /// Records where the page the article came from was kept, as the file
    /// now records it. Not an edit, for the same reason.
    pub fn note_page_file(&mut self, file: Option<&str>) {
        if let Some(page) = self.set.details.page.as_mut() {
            page.file = file.map(str::to_owned);
        }
    }

    /// Marks the document as changed even though no edit was made (e.g. the
    /// anchors were re-placed on load and the file should be rewritten).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, ClaimId, PartyId, Rgb, Stance, Status, StatusOrigin};
    use jiff::Timestamp;

    const TEXT: &str = "Russian envoy Vladimir Medinsky called the talks “satisfactory,” though \
                        Ukraine strongly disagreed. Both countries agreed to release 1,000 prisoners.";

    fn ctx() -> EditContext {
        EditContext {
            author: "tester".into(),
            now: Timestamp::from_second(1_700_000_000).unwrap_or_default(),
        }
    }

    fn offset_of(set: &AnnotationSet, needle: &str) -> std::ops::Range<usize> {
        let byte = set.article.text().find(needle).unwrap_or(0);
        let start = set.article.char_of_byte(byte);
        start..start + needle.chars().count()
    }

    fn doc_with_parties() -> Document {
        let mut doc = Document::new(AnnotationSet::new(Article::new("Peace talks", TEXT)));
        for name in ["Russia", "Ukraine"] {
            let party = doc.set().new_party(name);
            doc.apply(Edit::AddParty { party, index: None }, &ctx())
                .unwrap_or_default();
        }
        doc.mark_saved();
        doc
    }

    fn add_claim(doc: &mut Document, quote: &str) -> ClaimId {
        let range = offset_of(doc.set(), quote);
        let claim = doc
            .set()
            .new_claim(range, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        let id = claim.id.clone();
        doc.apply(Edit::AddClaim(Box::new(claim)), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        id
    }

    #[test]
    fn the_reference_claim_is_disputed_by_ukraine() {
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "satisfactory");
        let russia = PartyId("russia".into());
        let ukraine = PartyId("ukraine".into());
        let set_stance = |party: &PartyId, stance| Edit::SetStance {
            claim: id.clone(),
            party: party.clone(),
            stance: Some(stance),
        };
        doc.apply(
            Edit::SetClaimant {
                claim: id.clone(),
                party: Some(russia.clone()),
            },
            &ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        doc.apply(set_stance(&russia, Stance::Agrees), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().claim(&id).map(|c| c.status), Some(Status::Agreed));
        doc.apply(set_stance(&ukraine, Stance::Disputes), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        let claim = doc
            .set()
            .claim(&id)
            .cloned()
            .unwrap_or_else(|| panic!("claim"));
        assert_eq!(claim.status, Status::Disputed);
        assert_eq!(claim.anchor.exact, "satisfactory");
        assert_eq!(claim.claimant, Some(russia));
        assert_eq!(claim.stances.get(&ukraine), Some(&Stance::Disputes));
    }

    #[test]
    fn suggestions_never_override_a_chosen_status() {
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "1,000 prisoners");
        doc.apply(
            Edit::SetStatus {
                claim: id.clone(),
                status: Status::Agreed,
            },
            &ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let stance = Edit::SetStance {
            claim: id.clone(),
            party: PartyId("ukraine".into()),
            stance: Some(Stance::Disputes),
        };
        doc.apply(stance, &ctx()).unwrap_or_else(|e| panic!("{e}"));
        let claim = doc
            .set()
            .claim(&id)
            .cloned()
            .unwrap_or_else(|| panic!("claim"));
        assert_eq!(
            (claim.status, claim.status_origin),
            (Status::Agreed, StatusOrigin::Chosen)
        );
        doc.apply(Edit::UseSuggestedStatus { claim: id.clone() }, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc.set().claim(&id).map(|c| c.status),
            Some(Status::Disputed)
        );
    }

    #[test]
    fn undo_all_restores_the_original_and_redo_replays() {
        let mut doc = doc_with_parties();
        let original = doc.set().clone();
        let id = add_claim(&mut doc, "satisfactory");
        add_claim(&mut doc, "Medinsky called the talks “satisfactory,”");
        doc.apply(
            Edit::SetNote {
                claim: id.clone(),
                note: "a".into(),
            },
            &ctx(),
        )
        .unwrap_or_default();
        doc.apply(
            Edit::SetNote {
                claim: id.clone(),
                note: "ab".into(),
            },
            &ctx(),
        )
        .unwrap_or_default();
        doc.apply(Edit::RemoveParty(PartyId("russia".into())), &ctx())
            .unwrap_or_default();
        doc.apply(
            Edit::RecolorParty {
                party: PartyId("ukraine".into()),
                color: Rgb([1, 2, 3]),
            },
            &ctx(),
        )
        .unwrap_or_default();
        doc.apply(Edit::RemoveClaim(id.clone()), &ctx())
            .unwrap_or_default();
        let edited = doc.set().clone();
        assert!(doc.is_dirty());
        // Six steps: the two note keystrokes coalesce into one.
        for _ in 0..6 {
            assert!(matches!(doc.undo(&ctx()), Ok(Some(_))));
        }
        assert_eq!(doc.set(), &original);
        assert!(!doc.is_dirty(), "back at the saved state");
        while let Ok(Some(_)) = doc.redo(&ctx()) {}
        assert_eq!(doc.set(), &edited);
        assert!(doc.is_dirty());
    }

    #[test]
    fn removing_a_party_clears_its_references_and_undo_restores_them() {
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "satisfactory");
        let russia = PartyId("russia".into());
        doc.apply(
            Edit::SetClaimant {
                claim: id.clone(),
                party: Some(russia.clone()),
            },
            &ctx(),
        )
        .unwrap_or_default();
        doc.apply(
            Edit::SetStance {
                claim: id.clone(),
                party: russia.clone(),
                stance: Some(Stance::Agrees),
            },
            &ctx(),
        )
        .unwrap_or_default();
        assert_eq!(doc.set().claims_using_party(&russia), 1);
        let before = doc.set().clone();
        doc.apply(Edit::RemoveParty(russia.clone()), &ctx())
            .unwrap_or_default();
        let claim = doc
            .set()
            .claim(&id)
            .cloned()
            .unwrap_or_else(|| panic!("claim"));
        assert_eq!(claim.claimant, None);
        assert!(claim.stances.is_empty());
        assert_eq!(claim.status, Status::Unreviewed);
        assert!(doc.set().party(&russia).is_none());
        let _ = doc.undo(&ctx());
        assert_eq!(doc.set(), &before);
    }

    #[test]
    fn invalid_edits_change_nothing() {
        let mut doc = doc_with_parties();
        let before = doc.set().clone();
        let unknown = ClaimId("c-nope".into());
        assert!(
            doc.apply(
                Edit::SetNote {
                    claim: unknown.clone(),
                    note: "x".into()
                },
                &ctx()
            )
            .is_err()
        );
        let id = add_claim(&mut doc, "satisfactory");
        let after_add = doc.set().clone();
        let bad_party = Edit::SetStance {
            claim: id.clone(),
            party: PartyId("mars".into()),
            stance: None,
        };
        assert!(doc.apply(bad_party, &ctx()).is_err());
        let batch = Edit::Batch(vec![
            Edit::SetNote {
                claim: id.clone(),
                note: "kept?".into(),
            },
            Edit::RemoveEvidence {
                claim: id.clone(),
                index: 3,
            },
        ]);
        assert!(doc.apply(batch, &ctx()).is_err());
        assert_eq!(doc.set(), &after_add, "a failed batch rolls back");
        assert!(doc.set().new_claim(5..5, &ctx()).is_err());
        assert!(doc.set().new_claim(0..9999, &ctx()).is_err());
        let _ = doc.undo(&ctx());
        assert_eq!(doc.set(), &before);
    }

    #[test]
    fn a_verdict_is_set_explained_in_one_step_and_undone_apart_from_the_status() {
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "satisfactory");
        let verdict = |rating: &str| {
            Some(crate::model::Verdict {
                rating: crate::model::RatingId(rating.into()),
                explanation: String::new(),
            })
        };
        let set_verdict = |v| Edit::SetVerdict {
            claim: id.clone(),
            verdict: v,
        };
        assert!(matches!(
            doc.apply(set_verdict(verdict("pants-on-fire")), &ctx()),
            Err(EditError::UnknownRating(_))
        ));
        assert!(matches!(
            doc.apply(
                Edit::SetExplanation {
                    claim: id.clone(),
                    explanation: "x".into()
                },
                &ctx()
            ),
            Err(EditError::NoVerdict(_))
        ));
        doc.apply(set_verdict(verdict("misleading")), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        doc.seal_history();
        for typed in ["U", "Uk", "Ukraine disagreed"] {
            doc.apply(
                Edit::SetExplanation {
                    claim: id.clone(),
                    explanation: typed.into(),
                },
                &ctx(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let claim = |doc: &Document| doc.set().claim(&id).cloned().unwrap_or_else(|| panic!());
        let rated = claim(&doc);
        assert_eq!(
            rated.verdict.as_ref().map(|v| v.explanation.as_str()),
            Some("Ukraine disagreed")
        );
        assert_eq!(
            rated.status,
            Status::Unreviewed,
            "the status is the parties'"
        );
        assert_eq!(
            doc.set().verdict_label(rated.verdict.as_ref()),
            "Misleading"
        );
        // The typing is one step; the verdict another.
        doc.undo(&ctx()).unwrap_or_default();
        assert_eq!(
            claim(&doc).verdict.map(|v| v.explanation),
            Some(String::new())
        );
        doc.undo(&ctx()).unwrap_or_default();
        assert_eq!(claim(&doc).verdict, None);
    }

    #[test]
    fn a_scale_of_its_own_is_edited_and_deleting_a_rating_in_use_is_undone() {
        use crate::model::{Rating, RatingId, Verdict};
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "satisfactory");
        let pants = Rating {
            value: Some(0),
            ..Rating::labelled("Pants on fire", doc.set().ratings())
        };
        doc.apply(
            Edit::AddRating {
                rating: pants.clone(),
                index: Some(0),
            },
            &ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().ratings()[0], pants);
        let rated = Verdict {
            rating: pants.id.clone(),
            explanation: "no truce".into(),
        };
        let set_verdict = Edit::SetVerdict {
            claim: id.clone(),
            verdict: Some(rated.clone()),
        };
        doc.apply(set_verdict, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc.set()
                .verdict_label(doc.set().claim(&id).and_then(|c| c.verdict.as_ref())),
            "Pants on fire"
        );
        // Refused: a second rating with its id, a blank label, an unknown one.
        let blank = Rating {
            label: " ".into(),
            ..pants.clone()
        };
        for (edit, why) in [
            (
                Edit::AddRating {
                    rating: pants.clone(),
                    index: None,
                },
                "already exists",
            ),
            (Edit::PutRating(blank), "needs a label"),
            (
                Edit::RemoveRating(RatingId("nope".into())),
                "no rating nope",
            ),
        ] {
            let err = doc.apply(edit, &ctx()).err().map(|e| e.to_string());
            assert!(err.as_deref().is_some_and(|e| e.contains(why)), "{err:?}");
        }
        doc.seal_history();
        let before = doc.set().clone();
        doc.apply(Edit::RemoveRating(pants.id.clone()), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.set().rating(&pants.id).is_none());
        assert_eq!(doc.set().claim(&id).and_then(|c| c.verdict.clone()), None);
        doc.set()
            .check_invariants()
            .unwrap_or_else(|e| panic!("{e}"));
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &before, "the rating and its verdict are back");
        assert_eq!(
            doc.set().claim(&id).and_then(|c| c.verdict.clone()),
            Some(rated)
        );
    }

    #[test]
    fn a_claim_never_cuts_a_grapheme_cluster() {
        let text = "Ok 👍🏽 then प्रतिनिधि said";
        let set = AnnotationSet::new(Article::new("t", text));
        let chars: Vec<char> = text.chars().collect();
        let at = |needle: &str| {
            let byte = text.find(needle).unwrap_or_default();
            text[..byte].chars().count()
        };
        // Only the thumb, without its skin tone: the claim takes both.
        let thumb = at("👍");
        let claim = set
            .new_claim(thumb..thumb + 1, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claim.anchor.exact, "👍🏽");
        // From inside प्र (its second char): the cluster is taken whole.
        let word = at("प्रतिनिधि");
        let claim = set
            .new_claim(word + 1..word + 5, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claim.anchor.exact, "प्रति");
        assert_eq!(chars.len(), set.article.char_count());
    }

    #[test]
    fn deleting_a_fuzzy_claim_can_be_undone() {
        let mut doc = doc_with_parties();
        let id = add_claim(&mut doc, "satisfactory");
        // As after re-anchoring: shown at a new place, stored anchor unchanged
        // (and no longer holding in this text).
        let mut claim = doc
            .set()
            .claim(&id)
            .cloned()
            .unwrap_or_else(|| panic!("claim"));
        claim.anchor.start += 1;
        claim.anchor.end += 1;
        let at = offset_of(doc.set(), "satisfactory");
        claim.anchor_state = crate::model::AnchorState::Fuzzy { at, score: 0.9 };
        doc.apply(Edit::PutClaim(Box::new(claim)), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        let before = doc.set().clone();
        doc.apply(Edit::RemoveClaim(id), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(doc.undo(&ctx()), Ok(Some(_))));
        assert_eq!(doc.set(), &before);
    }

    #[test]
    fn overlapping_claims_are_found_innermost_first() {
        let mut doc = doc_with_parties();
        let inner = add_claim(&mut doc, "satisfactory");
        let outer = add_claim(&mut doc, "called the talks “satisfactory,”");
        let at = offset_of(doc.set(), "satisfactory").start + 2;
        let ids: Vec<_> = doc
            .set()
            .claims_at(at)
            .into_iter()
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(ids, vec![inner, outer]);
        let starts: Vec<_> = doc.set().claims().iter().map(|c| c.anchor.start).collect();
        assert!(
            starts.windows(2).all(|w| w[0] <= w[1]),
            "claims stay in text order"
        );
    }

    #[test]
    fn new_parties_get_unique_ids_and_colours() {
        let doc = doc_with_parties();
        let p = doc.set().new_party("Russia");
        assert_eq!(p.id, PartyId("russia-2".into()));
        assert!(doc.set().parties().iter().all(|q| q.color != p.color));
        assert_eq!(
            doc.set().new_party("  U.S. State Dept. ").id,
            PartyId("u-s-state-dept".into())
        );
        assert_eq!(doc.set().new_party("!!!").id, PartyId("party".into()));
    }
}

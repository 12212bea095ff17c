//! Three-way merges of annotations (see [`crate::model::merge`]) as files
//! and documents: [`merge_files`] writes the merged file `factmark merge`
//! produces, [`merge_into`] takes a file's changes into an open document as
//! one undoable edit. Both merge and mark conflicts the same way.

use super::{FormatError, ParsedFile, from_ron};
use crate::anchor;
use crate::model::merge::{self, Conflict, Merged, Side};
use crate::model::{AnnotationSet, Edit};
use std::collections::BTreeSet;

/// Merges `theirs` into `ours` since `base`, conflicts marked in the result.
fn merge_marked(base: Side, ours: Side, theirs: Side) -> Merged {
    let mut merged = merge::merge(base, ours, theirs);
    merged.mark_conflicts();
    merged
}

/// A merged annotation file (see [`merge_files`]).
#[derive(Clone, Debug)]
pub struct MergedFile {
    pub file: ParsedFile,
    /// The file's text; it has been read back and opens as `file`.
    pub text: String,
    /// What the two sides changed differently (marked in `file`).
    pub conflicts: Vec<Conflict>,
}

/// Three-way merge of annotation files, as `factmark merge` writes it: the
/// parties and claims merged with their conflicts marked (see
/// [`crate::model::merge`]), the article (and any carried text) of ours, else
/// the text theirs carries, and everyone who worked on either side. `base` is
/// `None` when both sides added the file. The text is read back before it is
/// returned: a merge that would give a file factmark refuses, or one that
/// reads back differently, is an error and nothing is to be written.
pub fn merge_files(
    base: Option<&ParsedFile>,
    ours: &ParsedFile,
    theirs: &ParsedFile,
) -> Result<MergedFile, FormatError> {
    let merged = merge_marked(
        base.map_or(Side::empty(), ParsedFile::side),
        ours.side(),
        theirs.side(),
    );
    let mut contributors = ours.contributors.clone();
    contributors.extend(theirs.contributors.iter().cloned());
    let file = ParsedFile {
        title: ours.title.clone(),
        source: ours.source.clone(),
        sha256: ours.sha256.clone(),
        chars: ours.chars,
        embedded: ours.embedded.clone().or_else(|| theirs.embedded.clone()),
        known_text: None,
        details: merged.details,
        contributors,
        publisher: merged.publisher,
        parties: merged.parties,
        ratings: merged.ratings,
        claims: merged.claims,
    };
    let text = file.to_ron()?;
    let again = from_ron(&text)
        .map_err(|e| FormatError::Invalid(format!("the merged file would not open again ({e})")))?;
    if again.parties != file.parties
        || again.claims != file.claims
        || again.details != file.details
        || again.ratings != file.ratings
        || again.publisher != file.publisher
    {
        return Err(FormatError::Invalid(
            "the merged file would not read back as merged".to_owned(),
        ));
    }
    Ok(MergedFile {
        file,
        text,
        conflicts: merged.conflicts,
    })
}

/// A file's changes, ready to be taken into an open document (see [`merge_into`]).
#[derive(Clone, Debug)]
pub struct MergedInto {
    /// The one undoable edit that takes their changes in; `None` when the
    /// document already holds them.
    pub edit: Option<Edit>,
    /// What both sides changed differently (marked in the edit's result).
    pub conflicts: Vec<Conflict>,
    /// Who worked on their file and not yet on the document, for
    /// [`crate::model::Document::note_contributor`].
    pub contributors: BTreeSet<String>,
    /// One sentence saying what the merge did, for a status line.
    pub summary: String,
}

/// The three-way merge of the open document `current` (ours) with the
/// annotation file text `disk_text` (theirs), as one edit. `base_text` is the
/// file as the document was opened or last saved; `None` when it is not
/// known, and then the document counts as the base (their changes are
/// taken wherever they differ). The merged claims are placed on the
/// document's article. Refused while the article is missing: claims are
/// merged on its text.
pub fn merge_into(
    current: &AnnotationSet,
    base_text: Option<&str>,
    disk_text: &str,
) -> Result<MergedInto, FormatError> {
    if current.missing_article.is_some() {
        return Err(FormatError::ArticleMissing);
    }
    let theirs = from_ron(disk_text).map_err(|e| e.within("the file on disk"))?;
    let base = base_text
        .map(from_ron)
        .transpose()
        .map_err(|e| e.within("the file as opened"))?;
    let ours = Side::from(current);
    let base = base.as_ref().map_or(ours, ParsedFile::side);
    let mut merged = merge_marked(base, ours, theirs.side());
    anchor::place_claims(&current.article, &mut merged.claims);
    let edit = merge::edit_towards(current, &merged);
    let known = current.all_contributors();
    let contributors = theirs
        .contributors
        .into_iter()
        .filter(|c| !known.contains(c))
        .collect();
    let summary = match (&edit, merged.conflicts.len()) {
        (None, _) => "Their changes were already in yours.".to_owned(),
        (Some(_), 0) => "Merged their changes.".to_owned(),
        (Some(_), n) => format!(
            "Merged their changes with {n} conflict(s): claims and parties tagged conflict \
             keep both versions."
        ),
    };
    Ok(MergedInto {
        edit,
        conflicts: merged.conflicts,
        contributors,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::to_ron;
    use crate::model::{
        AnchorState, Article, Claim, ClaimId, Document, EditContext, MissingArticle, PartyConflict,
        Status,
    };

    const TEXT: &str = "Medinsky called the talks “satisfactory,” though Ukraine strongly disagreed. \
                        Both countries agreed to release 1,000 prisoners.";

    fn ctx(who: &str) -> EditContext {
        EditContext {
            author: who.into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    fn edited(set: &AnnotationSet, who: &str, edits: Vec<Edit>) -> AnnotationSet {
        let mut set = set.clone();
        for edit in edits {
            set.apply(edit, &ctx(who)).unwrap_or_else(|e| panic!("{e}"));
        }
        set
    }

    fn base() -> AnnotationSet {
        let set = AnnotationSet::new(Article::new("t", TEXT));
        let party = set.new_party("Russia");
        let mut set = edited(&set, "base", vec![Edit::AddParty { party, index: None }]);
        for quote in ["satisfactory", "1,000 prisoners"] {
            let range = set.article.find(quote, 0).unwrap_or_default();
            let claim = set.new_claim(range, &ctx("base"));
            let claim = claim.unwrap_or_else(|e| panic!("{e}"));
            set = edited(&set, "base", vec![Edit::AddClaim(Box::new(claim))]);
        }
        set
    }

    fn ron(set: &AnnotationSet) -> String {
        to_ron(set, None).unwrap_or_else(|e| panic!("{e}"))
    }

    fn status(id: &ClaimId, status: Status) -> Edit {
        Edit::SetStatus {
            claim: id.clone(),
            status,
        }
    }

    #[test]
    fn their_changes_come_in_as_one_undoable_edit_with_conflicts_marked() {
        let b = base();
        let (first, second) = (b.claims()[0].id.clone(), b.claims()[1].id.clone());
        let russia = b.parties()[0].id.clone();
        let ours = edited(&b, "ana", vec![status(&first, Status::Agreed)]);
        let mut theirs = edited(
            &b,
            "ben",
            vec![
                status(&first, Status::Disputed),
                Edit::SetNote {
                    claim: second.clone(),
                    note: "checked".into(),
                },
                Edit::RenameParty {
                    party: russia.clone(),
                    name: "Moscow".into(),
                },
            ],
        );
        theirs.contributors.insert("ben".into());
        let merged = merge_into(&ours, Some(&ron(&b)), &ron(&theirs));
        let merged = merged.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
        assert!(merged.summary.contains("1 conflict"), "{}", merged.summary);
        assert_eq!(merged.contributors, BTreeSet::from(["ben".to_owned()]));
        let mut doc = Document::new(ours.clone());
        doc.apply(merged.edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        let set = doc.set();
        let claim = |id: &ClaimId| set.claim(id).cloned().unwrap_or_else(|| panic!("{id}"));
        let copy = ClaimId(format!("{first}~theirs"));
        assert_eq!(claim(&first).status, Status::Agreed, "ours kept");
        assert_eq!(claim(&first).conflict.as_ref(), Some(&copy));
        assert_eq!(claim(&copy).status, Status::Disputed, "theirs beside it");
        assert_eq!(claim(&second).note, "checked");
        assert_eq!(set.party(&russia).map(|p| p.name.as_str()), Some("Moscow"));
        assert!(set.claims().iter().all(|c| c.anchor_state.is_placed()));
        set.check_invariants().unwrap_or_else(|e| panic!("{e}"));
        doc.undo(&ctx("ana")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &ours);
    }

    #[test]
    fn without_a_base_the_document_is_the_base_and_nothing_new_changes_nothing() {
        let b = base();
        let first = b.claims()[0].id.clone();
        let theirs = edited(&b, "ben", vec![status(&first, Status::Disputed)]);
        let merged = merge_into(&b, None, &ron(&theirs)).unwrap_or_else(|e| panic!("{e}"));
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        let mut set = b.clone();
        set.apply(merged.edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.claim(&first).map(|c| c.status), Some(Status::Disputed));
        let same = merge_into(&set, Some(&ron(&b)), &ron(&theirs));
        let same = same.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(same.edit, None);
        assert_eq!(same.summary, "Their changes were already in yours.");
    }

    #[test]
    fn their_claims_are_placed_on_the_documents_article() {
        // They added a claim on a copy of the article with a line on top.
        let b = base();
        let copy = AnnotationSet::new(Article::new("t", &format!("Updated.\n{TEXT}")));
        let range = copy
            .article
            .find("strongly disagreed", 0)
            .unwrap_or_default();
        let mut claim = copy
            .new_claim(range, &ctx("ben"))
            .unwrap_or_else(|e| panic!("{e}"));
        claim.id = ClaimId("c-ben".into());
        let mut theirs = b.clone();
        theirs.article = copy.article.clone();
        let theirs = edited(&theirs, "ben", vec![Edit::AddClaim(Box::new(claim))]);
        let merged = merge_into(&b, Some(&ron(&b)), &ron(&theirs));
        let merged = merged.unwrap_or_else(|e| panic!("{e}"));
        let mut set = b.clone();
        set.apply(merged.edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        let placed = set.claim(&ClaimId("c-ben".into())).cloned();
        let placed = placed.unwrap_or_else(|| panic!("their claim"));
        assert!(
            matches!(placed.anchor_state, AnchorState::Moved { .. }),
            "{placed:?}"
        );
        assert_eq!(
            set.article.slice(placed.anchor.range()),
            "strongly disagreed"
        );
    }

    #[test]
    fn a_merge_is_refused_over_a_stand_in_and_bad_files_are_named() {
        let b = base();
        let missing = AnnotationSet::with_missing_article(
            "t",
            MissingArticle {
                sha256: "0".repeat(64),
                chars: 9,
            },
            b.parties().to_vec(),
            b.claims().to_vec(),
        );
        let err = merge_into(&missing, None, &ron(&b))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("locate the article first: claims are merged on its text")
        );
        let err = merge_into(&b, None, "(format: \"brat\", version: 1)");
        let err = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.starts_with("the file on disk: this is not a factmark file"),
            "{err}"
        );
        let err = merge_into(&b, Some(""), &ron(&b));
        let err = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "the file as opened: invalid file: the file is empty");
    }

    #[test]
    fn files_and_documents_merge_alike() {
        let b = base();
        let (first, russia) = (b.claims()[0].id.clone(), b.parties()[0].id.clone());
        let ours = edited(&b, "ana", vec![Edit::RemoveParty(russia.clone())]);
        let theirs = edited(
            &b,
            "ben",
            vec![
                Edit::SetClaimant {
                    claim: first.clone(),
                    party: Some(russia.clone()),
                },
                status(&first, Status::Disputed),
            ],
        );
        let parsed = |set: &AnnotationSet| from_ron(&ron(set)).unwrap_or_else(|e| panic!("{e}"));
        let file = merge_files(Some(&parsed(&b)), &parsed(&ours), &parsed(&theirs));
        let file = file.unwrap_or_else(|e| panic!("{e}"));
        let into = merge_into(&ours, Some(&ron(&b)), &ron(&theirs));
        let into = into.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(into.conflicts, file.conflicts);
        let mut set = ours.clone();
        set.apply(into.edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.parties(), file.file.parties.as_slice());
        assert_eq!(
            set.party(&russia).and_then(|p| p.conflict.clone()),
            Some(PartyConflict::Deleted)
        );
        let ids = |claims: &[Claim]| claims.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(set.claims()), ids(&file.file.claims));
    }
}

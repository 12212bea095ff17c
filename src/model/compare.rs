//! A colleague's annotations next to mine: which claims correspond, how they
//! differ, and taking their work in claim by claim. Accepting theirs or
//! keeping both is an ordinary [`Edit`], so every decision can be undone;
//! keeping mine changes nothing.
//!
//! Their file names parties by its own ids. A party of theirs is the same as
//! one of mine when the id matches, or else the name (ignoring case); parties
//! only they have are added with the claims that use them.

use super::agreement::{self, Agreement, Alignment};
use super::{
    AnnotationSet, Claim, ClaimId, Edit, Evidence, Party, PartyId, Stance, Status, Verdict,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// A field in which two corresponding claims differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Difference {
    Span,
    Status,
    Claimant,
    Stances,
    Note,
    Evidence,
    Verdict,
}

impl Difference {
    pub fn label(self) -> &'static str {
        match self {
            Difference::Span => "span",
            Difference::Status => "status",
            Difference::Claimant => "claimant",
            Difference::Stances => "stances",
            Difference::Note => "note",
            Difference::Evidence => "evidence",
            Difference::Verdict => "verdict",
        }
    }
}

/// How one of my claims and one of theirs relate.
#[derive(Clone, Debug, PartialEq)]
pub enum RowKind {
    /// Corresponding claims with the same content.
    Same,
    Differs(Vec<Difference>),
    OnlyMine,
    OnlyTheirs,
}

/// One line of the comparison; indices point into each set's `claims()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub mine: Option<usize>,
    pub theirs: Option<usize>,
    pub kind: RowKind,
    /// Nothing left to decide: their version is already among my claims as
    /// a separate claim, or (for a claim only I have) mine is a copy of one
    /// of theirs — what "keep both" leaves behind.
    pub theirs_kept: bool,
}

/// The whole comparison, rows in my text order, then claims only they have.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Row>,
    pub agreement: Agreement,
}

impl Comparison {
    /// Rows that still ask for a decision.
    pub fn open_rows(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.kind != RowKind::Same && !r.theirs_kept)
            .count()
    }
}

/// Maps their party ids to mine.
fn party_map(mine: &AnnotationSet, theirs: &AnnotationSet) -> HashMap<PartyId, PartyId> {
    let my_ids: HashSet<&PartyId> = mine.parties().iter().map(|p| &p.id).collect();
    let by_name: HashMap<String, &PartyId> = mine
        .parties()
        .iter()
        .map(|p| (p.name.trim().to_lowercase(), &p.id))
        .collect();
    theirs
        .parties()
        .iter()
        .map(|p| {
            let id = if my_ids.contains(&p.id) {
                p.id.clone()
            } else {
                by_name
                    .get(&p.name.trim().to_lowercase())
                    .map_or_else(|| p.id.clone(), |id| (*id).clone())
            };
            (p.id.clone(), id)
        })
        .collect()
}

/// Their claim with party ids translated to mine; borrowed (no copy) when it
/// names no party whose id differs.
fn translate<'c>(claim: &'c Claim, map: &HashMap<PartyId, PartyId>) -> Cow<'c, Claim> {
    let renamed = |p: &PartyId| map.get(p).is_some_and(|mine| mine != p);
    if !claim.named_parties().any(renamed) {
        return Cow::Borrowed(claim);
    }
    let to_mine = |p: &PartyId| map.get(p).cloned().unwrap_or_else(|| p.clone());
    let mut out = claim.clone();
    out.claimant = claim.claimant.as_ref().map(to_mine);
    out.stances = claim
        .stances
        .iter()
        .map(|(p, s)| (to_mine(p), *s))
        .collect::<BTreeMap<_, _>>();
    for e in &mut out.evidence {
        e.supports = e.supports.as_ref().map(to_mine);
    }
    Cow::Owned(out)
}

/// The fields of a claim that [`differences`] compares, borrowed. Equal
/// contents have no differences, so claims can be looked up by content.
struct Content<'c> {
    span: Option<Range<usize>>,
    status: Status,
    claimant: Option<&'c PartyId>,
    stances: &'c BTreeMap<PartyId, Stance>,
    note: &'c str,
    evidence: &'c [Evidence],
    verdict: Option<&'c Verdict>,
}

impl<'c> Content<'c> {
    fn of(claim: &'c Claim) -> Self {
        Self {
            span: claim.span(),
            status: claim.status,
            claimant: claim.claimant.as_ref(),
            stances: &claim.stances,
            note: &claim.note,
            evidence: &claim.evidence,
            verdict: claim.verdict.as_ref(),
        }
    }

    /// Each field, and whether it differs.
    fn checks(&self, other: &Self) -> [(Difference, bool); 7] {
        [
            (Difference::Span, self.span != other.span),
            (Difference::Status, self.status != other.status),
            (Difference::Claimant, self.claimant != other.claimant),
            (Difference::Stances, self.stances != other.stances),
            (Difference::Note, self.note != other.note),
            (Difference::Evidence, self.evidence != other.evidence),
            (Difference::Verdict, self.verdict != other.verdict),
        ]
    }
}

impl PartialEq for Content<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.checks(other).iter().all(|(_, differs)| !differs)
    }
}

impl Eq for Content<'_> {}

impl Hash for Content<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (
            &self.span,
            self.status,
            self.claimant,
            self.stances,
            self.note,
            self.verdict,
        )
            .hash(state);
        state.write_usize(self.evidence.len());
        for e in self.evidence {
            (&e.url, &e.quote, &e.supports).hash(state);
        }
    }
}

/// The fields in which two claims (parties already translated) differ.
pub fn differences(mine: &Claim, theirs: &Claim) -> Vec<Difference> {
    let checks = Content::of(mine).checks(&Content::of(theirs));
    checks
        .into_iter()
        .filter_map(|(d, differs)| differs.then_some(d))
        .collect()
}

/// Compares my claims with theirs (both placed on my article).
pub fn compare(mine: &AnnotationSet, theirs: &AnnotationSet) -> Comparison {
    let alignment = agreement::align(mine, theirs);
    let agreement = agreement::agreement(mine, theirs, &alignment);
    let map = party_map(mine, theirs);
    // My claims by content, to see whether their version is already among
    // mine: how many have it, and one's id (ids are unique, so when two have
    // it, one is not the claim it is compared with).
    let mut my_contents: HashMap<Content, (usize, &ClaimId)> = HashMap::new();
    for claim in mine.claims() {
        my_contents
            .entry(Content::of(claim))
            .and_modify(|(n, _)| *n += 1)
            .or_insert((1, &claim.id));
    }
    let kept = |theirs: &Claim, except: Option<&ClaimId>| {
        my_contents
            .get(&Content::of(theirs))
            .is_some_and(|&(n, id)| n > 1 || Some(id) != except)
    };
    // Their claims with my party ids; copies only of those that need new ids.
    let renamed: Vec<(usize, Claim)> = (theirs.claims().iter().enumerate())
        .filter_map(|(j, c)| match translate(c, &map) {
            Cow::Owned(t) => Some((j, t)),
            Cow::Borrowed(_) => None,
        })
        .collect();
    let mut translated: Vec<&Claim> = theirs.claims().iter().collect();
    for (j, t) in &renamed {
        translated[*j] = t;
    }
    // Their claims by content, to recognise my copies of them ("keep both").
    let their_contents: HashSet<Content> = translated.iter().map(|c| Content::of(c)).collect();
    let is_copy_of_theirs = |m: &Claim| their_contents.contains(&Content::of(m));
    let Alignment {
        pairs,
        only_a,
        only_b,
        ..
    } = alignment;
    let mut rows: Vec<Row> = pairs
        .iter()
        .map(|pair| {
            let (m, t) = (&mine.claims()[pair.a], translated[pair.b]);
            let diffs = differences(m, t);
            let kind = if diffs.is_empty() {
                RowKind::Same
            } else {
                RowKind::Differs(diffs)
            };
            Row {
                mine: Some(pair.a),
                theirs: Some(pair.b),
                theirs_kept: kind != RowKind::Same && kept(t, Some(&m.id)),
                kind,
            }
        })
        .collect();
    rows.extend(only_a.into_iter().map(|i| Row {
        mine: Some(i),
        theirs: None,
        kind: RowKind::OnlyMine,
        theirs_kept: is_copy_of_theirs(&mine.claims()[i]),
    }));
    rows.sort_by_key(|r| r.mine);
    rows.extend(only_b.into_iter().map(|j| Row {
        mine: None,
        theirs: Some(j),
        kind: RowKind::OnlyTheirs,
        theirs_kept: kept(translated[j], None),
    }));
    Comparison { rows, agreement }
}

/// What the user chose for a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Their version replaces mine (or is added, or mine is removed when
    /// they do not have it).
    AcceptTheirs,
    /// Their version is added beside mine as a separate claim.
    KeepBoth,
}

/// A claim id not used in `mine`, based on `id`.
fn free_id(mine: &AnnotationSet, id: &ClaimId) -> ClaimId {
    let mut candidate = id.clone();
    let mut n = 2;
    while mine.claim(&candidate).is_some() {
        candidate = ClaimId(format!("{id}~{n}"));
        n += 1;
    }
    candidate
}

/// The edit that carries out `decision` on `row`, as one undoable step; `None`
/// when the decision does not apply to the row (or changes nothing).
pub fn decide(
    mine: &AnnotationSet,
    theirs: &AnnotationSet,
    row: &Row,
    decision: Decision,
) -> Option<Edit> {
    decide_with(mine, theirs, &party_map(mine, theirs), row, decision)
}

/// [`decide`] with their party ids already mapped to mine.
fn decide_with(
    mine: &AnnotationSet,
    theirs: &AnnotationSet,
    map: &HashMap<PartyId, PartyId>,
    row: &Row,
    decision: Decision,
) -> Option<Edit> {
    let their_claim = row
        .theirs
        .map(|j| translate(&theirs.claims()[j], map).into_owned());
    let my_claim = row.mine.map(|i| &mine.claims()[i]);
    let claim_edit = match (decision, my_claim, their_claim) {
        (Decision::AcceptTheirs, Some(m), Some(mut t)) => {
            // Their content under my id: the claim stays the same claim.
            t.id = m.id.clone();
            t.created = m.created;
            t.conflict = None;
            Edit::PutClaim(Box::new(t))
        }
        (Decision::AcceptTheirs, Some(m), None) => Edit::RemoveClaim(m.id.clone()),
        (Decision::AcceptTheirs, None, Some(mut t))
        | (Decision::KeepBoth, Some(_), Some(mut t)) => {
            t.id = free_id(mine, &t.id);
            t.conflict = None;
            Edit::AddClaim(Box::new(t))
        }
        _ => return None,
    };
    // Parties their claim needs that I do not have come with it.
    let mut edits: Vec<Edit> = Vec::new();
    if let Edit::PutClaim(claim) | Edit::AddClaim(claim) = &claim_edit {
        let needed = theirs.parties().iter().filter(|p| {
            let id = map.get(&p.id).unwrap_or(&p.id);
            mine.party(id).is_none() && claim.uses_party(id)
        });
        edits.extend(needed.map(|p: &Party| Edit::AddParty {
            party: p.clone(),
            index: None,
        }));
    }
    edits.push(claim_edit);
    Some(if edits.len() == 1 {
        edits.remove(0)
    } else {
        Edit::Batch(edits)
    })
}

/// Carries out `decision` on every row given, as one undoable edit: parties
/// their claims need are added once, and added claims never share an id.
pub fn decide_all<'a>(
    mine: &AnnotationSet,
    theirs: &AnnotationSet,
    rows: impl IntoIterator<Item = &'a Row>,
    decision: Decision,
) -> Option<Edit> {
    let map = party_map(mine, theirs);
    let mut parties = Vec::new();
    let mut claims = Vec::new();
    let mut added_parties = HashSet::new();
    let mut added_ids = HashSet::new();
    for edit in rows
        .into_iter()
        .filter_map(|row| decide_with(mine, theirs, &map, row, decision))
    {
        let parts = match edit {
            Edit::Batch(parts) => parts,
            single => vec![single],
        };
        for part in parts {
            match part {
                Edit::AddParty { ref party, .. } => {
                    if added_parties.insert(party.id.clone()) {
                        parties.push(part);
                    }
                }
                Edit::AddClaim(mut claim) => {
                    while !added_ids.insert(claim.id.clone()) || mine.claim(&claim.id).is_some() {
                        claim.id = ClaimId(format!("{}~", claim.id));
                    }
                    claims.push(Edit::AddClaim(claim));
                }
                other => claims.push(other),
            }
        }
    }
    if claims.is_empty() {
        return None;
    }
    parties.extend(claims);
    Some(Edit::Batch(parties))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Document, EditContext, Party, Rgb, Stance, Status, StatusOrigin};
    use jiff::Timestamp;
    use std::ops::Range;

    const TEXT: &str = "Russian envoy Vladimir Medinsky called the talks “satisfactory,” though \
                        Ukraine strongly disagreed. Both countries agreed to release 1,000 prisoners. \
                        Russia demanded a withdrawal.";

    fn ctx() -> EditContext {
        EditContext {
            author: "me".into(),
            now: Timestamp::UNIX_EPOCH,
        }
    }

    fn party(id: &str, name: &str) -> Party {
        Party {
            id: PartyId(id.into()),
            name: name.into(),
            color: Rgb([1, 2, 3]),
            kind: Default::default(),
            conflict: None,
        }
    }

    fn claim(set: &AnnotationSet, id: &str, range: Range<usize>, status: Status) -> Claim {
        let mut c = set
            .new_claim(range, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        c.id = ClaimId(id.into());
        c.status = status;
        c.status_origin = StatusOrigin::Chosen;
        c
    }

    fn find(needle: &str) -> Range<usize> {
        let article = Article::new("t", TEXT);
        article.find(needle, 0).unwrap_or(0..0)
    }

    /// Mine: "satisfactory" Disputed (id c1), prisoners Agreed (c2).
    /// Theirs: c1 Agreed with Ukraine (their id "ua", same name) disputing,
    /// the prisoners sentence made independently (id t2, same span, same
    /// status), and the withdrawal (t3) only they have, with a party "kremlin".
    fn pair() -> (AnnotationSet, AnnotationSet) {
        let article = Article::new("t", TEXT);
        let empty = AnnotationSet::new(article.clone());
        let mine = AnnotationSet::from_parts(
            article.clone(),
            vec![party("ukraine", "Ukraine")],
            vec![
                claim(&empty, "c1", find("satisfactory"), Status::Disputed),
                claim(&empty, "c2", find("Both countries agreed"), Status::Agreed),
            ],
        );
        let mut t1 = claim(&empty, "c1", find("satisfactory"), Status::Agreed);
        t1.stances.insert(PartyId("ua".into()), Stance::Disputes);
        let t2 = claim(&empty, "t2", find("Both countries agreed"), Status::Agreed);
        let mut t3 = claim(&empty, "t3", find("Russia demanded"), Status::Disputed);
        t3.claimant = Some(PartyId("kremlin".into()));
        let theirs = AnnotationSet::from_parts(
            article,
            vec![party("ua", "ukraine "), party("kremlin", "Kremlin")],
            vec![t1, t2, t3],
        );
        (mine, theirs)
    }

    #[test]
    fn rows_match_by_id_then_overlap_and_name_differences() {
        let (mine, theirs) = pair();
        let cmp = compare(&mine, &theirs);
        let kinds: Vec<_> = cmp.rows.iter().map(|r| r.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                RowKind::Differs(vec![Difference::Status, Difference::Stances]),
                RowKind::Same,
                RowKind::OnlyTheirs,
            ]
        );
        assert_eq!(cmp.open_rows(), 2);
        assert_eq!(cmp.agreement.span_matches, 2);
    }

    #[test]
    fn accepting_theirs_takes_their_content_under_my_id_and_undoes() {
        let (mine, theirs) = pair();
        let mut doc = Document::new(mine.clone());
        let cmp = compare(&mine, &theirs);
        let edit = decide(&mine, &theirs, &cmp.rows[0], Decision::AcceptTheirs);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        let c1 = doc.set().claim(&ClaimId("c1".into())).cloned();
        assert_eq!(c1.as_ref().map(|c| c.status), Some(Status::Agreed));
        // Their "ua" is my "ukraine": no new party.
        let ukraine = PartyId("ukraine".into());
        assert_eq!(
            c1.and_then(|c| c.stances.get(&ukraine).copied()),
            Some(Stance::Disputes)
        );
        assert_eq!(doc.set().parties().len(), 1);
        assert_eq!(compare(doc.set(), &theirs).rows[0].kind, RowKind::Same);
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &mine);
    }

    #[test]
    fn claims_only_they_have_come_with_their_parties() {
        let (mine, theirs) = pair();
        let mut doc = Document::new(mine.clone());
        let cmp = compare(&mine, &theirs);
        let edit = decide(&mine, &theirs, &cmp.rows[2], Decision::AcceptTheirs);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.set().party(&PartyId("kremlin".into())).is_some());
        assert!(doc.set().claim(&ClaimId("t3".into())).is_some());
        assert_eq!(compare(doc.set(), &theirs).open_rows(), 1);
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &mine);
    }

    #[test]
    fn keeping_both_adds_their_version_beside_mine() {
        let (mine, theirs) = pair();
        let mut doc = Document::new(mine.clone());
        let cmp = compare(&mine, &theirs);
        let edit = decide(&mine, &theirs, &cmp.rows[0], Decision::KeepBoth);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().claims().len(), 3);
        let mine_c1 = doc.set().claim(&ClaimId("c1".into())).map(|c| c.status);
        let copy = doc.set().claim(&ClaimId("c1~2".into())).map(|c| c.status);
        assert_eq!(
            (mine_c1, copy),
            (Some(Status::Disputed), Some(Status::Agreed))
        );
        let after = compare(doc.set(), &theirs);
        assert!(after.rows[0].theirs_kept, "the row counts as decided");
        assert_eq!(after.open_rows(), 1);
    }

    #[test]
    fn decisions_that_do_not_apply_give_nothing() {
        let (mine, theirs) = pair();
        let cmp = compare(&mine, &theirs);
        assert_eq!(
            decide(&mine, &theirs, &cmp.rows[2], Decision::KeepBoth),
            None
        );
        let only_mine = Row {
            mine: Some(0),
            theirs: None,
            kind: RowKind::OnlyMine,
            theirs_kept: false,
        };
        assert_eq!(
            decide(&mine, &theirs, &only_mine, Decision::AcceptTheirs),
            Some(Edit::RemoveClaim(ClaimId("c1".into())))
        );
    }

    #[test]
    fn all_their_claims_come_in_one_step_with_each_party_once() {
        let (mine, mut theirs) = pair();
        // A second claim only they have, by the same new party.
        let empty = AnnotationSet::new(mine.article.clone());
        let mut t4 = claim(&empty, "t4", find("Ukraine strongly"), Status::Disputed);
        t4.claimant = Some(PartyId("kremlin".into()));
        let mut claims = theirs.claims().to_vec();
        claims.push(t4);
        theirs =
            AnnotationSet::from_parts(theirs.article.clone(), theirs.parties().to_vec(), claims);
        let cmp = compare(&mine, &theirs);
        let only_theirs = cmp.rows.iter().filter(|r| r.kind == RowKind::OnlyTheirs);
        let edit = decide_all(&mine, &theirs, only_theirs, Decision::AcceptTheirs);
        let mut doc = Document::new(mine.clone());
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().claims().len(), 4);
        assert_eq!(doc.set().parties().len(), 2, "Kremlin added once");
        doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &mine);
    }
}

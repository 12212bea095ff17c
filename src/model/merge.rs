//! Three-way merge of annotations: what two people changed since a common
//! base is combined; where both changed the same thing differently, both
//! versions are kept and the conflict is marked, never dropped silently.
//!
//! Claims and parties are matched by id. Within a claim or a party each field
//! merges on its own: a field changed on one side only takes that side's
//! value, so one person's new note and another's status change combine
//! cleanly, and so do a rename and a recolour of one party. Without a base
//! (both sides added the same file) there is nothing to compare with: what
//! both added under one id, differently, conflicts.
//!
//! [`Merged::mark_conflicts`] writes the conflicts into the claims and parties
//! themselves. The marked result is always a valid set: every party a claim
//! uses (their conflicting versions included) is kept, and every conflict mark
//! names a claim that is there.

use super::{
    AnnotationSet, ArticleDetails, Claim, ClaimId, Detail, Edit, Party, PartyConflict, PartyId,
    Publisher, Rating, RatingConflict, RatingId,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Something both sides changed differently since the base.
#[derive(Clone, Debug, PartialEq)]
pub enum Conflict {
    /// Both edited the same fields of a claim (or both added it with
    /// different content); `merged` holds ours for them.
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
    /// Both edited (or both added) a party differently; `merged` holds ours
    /// for the fields that differ.
    Party { ours: Party, theirs: Party },
    /// One side deleted a party the other changed or a merged claim still
    /// uses; it is kept.
    PartyDeleted { kept: Party, deleted_by_ours: bool },
    /// Both edited (or both added) a rating of the scale differently.
    Rating { ours: Rating, theirs: Rating },
    /// One side deleted a rating the other changed or a verdict uses.
    RatingDeleted { kept: Rating, deleted_by_ours: bool },
    /// Both changed the publisher profile differently; `merged` holds ours.
    Publisher { ours: Publisher, theirs: Publisher },
    /// Both changed one of the article's details differently; `merged`
    /// holds ours.
    Detail {
        detail: Detail,
        ours: String,
        theirs: String,
    },
}

/// One version of what merges: the article's details, the publisher, the
/// parties, the rating scale and the claims.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub details: &'a ArticleDetails,
    pub publisher: &'a Publisher,
    pub parties: &'a [Party],
    pub ratings: &'a [Rating],
    pub claims: &'a [Claim],
}

static NO_DETAILS: ArticleDetails = ArticleDetails::NONE;
static NO_PUBLISHER: Publisher = Publisher {
    name: String::new(),
    url: String::new(),
    claim_url: String::new(),
    conflict: None,
};

impl Side<'_> {
    /// Nothing at all: the base when both sides added the file.
    pub fn empty() -> Side<'static> {
        Side {
            details: &NO_DETAILS,
            publisher: &NO_PUBLISHER,
            parties: &[],
            ratings: &[],
            claims: &[],
        }
    }
}

impl<'a> From<&'a AnnotationSet> for Side<'a> {
    fn from(set: &'a AnnotationSet) -> Self {
        Side {
            details: &set.details,
            publisher: &set.publisher,
            parties: set.parties(),
            ratings: set.ratings(),
            claims: set.claims(),
        }
    }
}

/// The merged details, parties and claims, and what could not be merged
/// automatically.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    pub details: ArticleDetails,
    pub publisher: Publisher,
    pub parties: Vec<Party>,
    pub ratings: Vec<Rating>,
    pub claims: Vec<Claim>,
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// Marks conflicts in the claims and parties themselves, so a file can
    /// carry them to a person who resolves them: a claim both sides changed
    /// differently keeps the merged version under its id and gains a copy
    /// `ID~theirs` with their version, each naming the other; a claim deleted
    /// on one side and changed on the other names itself. A party records
    /// their name, colour and kind, or that one side deleted it; a rating
    /// likewise. A detail records their value, the publisher their profile.
    pub fn mark_conflicts(&mut self) {
        let mut ids: HashSet<ClaimId> = self.claims.iter().map(|c| c.id.clone()).collect();
        for conflict in &self.conflicts {
            let (party, mark) = match conflict {
                Conflict::Claim { theirs, .. } => {
                    let mut copy_id = ClaimId(format!("{}~theirs", theirs.id));
                    while ids.contains(&copy_id) {
                        copy_id = ClaimId(format!("{copy_id}~"));
                    }
                    ids.insert(copy_id.clone());
                    if let Some(merged) = self.claims.iter_mut().find(|c| c.id == theirs.id) {
                        merged.conflict = Some(copy_id.clone());
                    }
                    let mut copy = (**theirs).clone();
                    copy.conflict = Some(theirs.id.clone());
                    copy.id = copy_id;
                    self.claims.push(copy);
                    continue;
                }
                Conflict::DeletedAndChanged { kept, .. } => {
                    if let Some(claim) = self.claims.iter_mut().find(|c| c.id == kept.id) {
                        claim.conflict = Some(kept.id.clone());
                    }
                    continue;
                }
                Conflict::Party { theirs, .. } => (
                    &theirs.id,
                    PartyConflict::Theirs {
                        name: theirs.name.clone(),
                        color: theirs.color,
                        kind: theirs.kind.clone(),
                    },
                ),
                Conflict::Rating { theirs, .. } => {
                    let mark = RatingConflict::Theirs {
                        label: theirs.label.clone(),
                        value: theirs.value,
                        color: theirs.color,
                    };
                    mark_rating(&mut self.ratings, &theirs.id, mark);
                    continue;
                }
                Conflict::RatingDeleted { kept, .. } => {
                    mark_rating(&mut self.ratings, &kept.id, RatingConflict::Deleted);
                    continue;
                }
                Conflict::Publisher { theirs, .. } => {
                    let mut theirs = theirs.clone();
                    theirs.conflict = None;
                    self.publisher.conflict = Some(Box::new(theirs));
                    continue;
                }
                Conflict::PartyDeleted { kept, .. } => (&kept.id, PartyConflict::Deleted),
                Conflict::Detail { detail, theirs, .. } => {
                    self.details.conflicts.insert(*detail, theirs.clone());
                    continue;
                }
            };
            if let Some(party) = self.parties.iter_mut().find(|p| &p.id == party) {
                party.conflict = Some(mark);
            }
        }
        self.claims
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }
}

fn mark_rating(ratings: &mut [Rating], id: &RatingId, mark: RatingConflict) {
    if let Some(rating) = ratings.iter_mut().find(|r| &r.id == id) {
        rating.conflict = Some(mark);
    }
}

/// Three-way merge of one field: `None` when both sides changed it
/// differently (or, with no base, when they differ at all).
fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges a conflict mark. Where the sides disagree a mark is kept rather
/// than dropped: a conflict stays visible until a person resolves it.
fn pick_mark<T: PartialEq + Clone>(
    base: Option<&Option<T>>,
    ours: &Option<T>,
    theirs: &Option<T>,
) -> Option<T> {
    pick(base, ours, theirs).unwrap_or_else(|| ours.clone().or_else(|| theirs.clone()))
}

/// Merges one claim both sides have; the list names conflicting fields.
fn merge_claim(base: Option<&Claim>, ours: &Claim, theirs: &Claim) -> (Claim, Vec<&'static str>) {
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    macro_rules! field {
        ($name:ident) => {
            match pick(base.map(|b| &b.$name), &ours.$name, &theirs.$name) {
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
    field!(verdict);
    merged.conflict = pick_mark(base.map(|b| &b.conflict), &ours.conflict, &theirs.conflict);
    // The latest change wins the timestamp; the creator never changes.
    merged.modified = ours.modified.max(theirs.modified);
    (merged, conflicts)
}

/// Whether a claim is as it was in the base: everything a person edits
/// (not timestamps or runtime state), and its conflict mark.
fn untouched(base: &Claim, kept: &Claim) -> bool {
    base.anchor == kept.anchor
        && base.status == kept.status
        && base.status_origin == kept.status_origin
        && base.claimant == kept.claimant
        && base.stances == kept.stances
        && base.note == kept.note
        && base.evidence == kept.evidence
        && base.verdict == kept.verdict
        && base.conflict == kept.conflict
}

fn by_id<K: Ord + Clone, T>(items: &[T], key: impl Fn(&T) -> &K) -> BTreeMap<K, &T> {
    items.iter().map(|item| (key(item).clone(), item)).collect()
}

/// Merges details, parties and claims changed on two sides since `base`.
/// With an empty base ([`Side::empty`]) everything counts as added.
pub fn merge(base: Side, ours: Side, theirs: Side) -> Merged {
    let mut out = Merged::default();
    merge_details(base.details, ours.details, theirs.details, &mut out);
    let (b, o, t) = (
        by_id(base.claims, |c: &Claim| &c.id),
        by_id(ours.claims, |c: &Claim| &c.id),
        by_id(theirs.claims, |c: &Claim| &c.id),
    );
    let ids: BTreeSet<&ClaimId> = o.keys().chain(t.keys()).chain(b.keys()).collect();
    for id in ids {
        match (b.get(id).copied(), o.get(id).copied(), t.get(id).copied()) {
            // Changed on one side or both, or added on both.
            (base, Some(ours), Some(theirs)) => {
                let (merged, fields) = merge_claim(base, ours, theirs);
                if !fields.is_empty() {
                    out.conflicts.push(Conflict::Claim {
                        ours: Box::new(ours.clone()),
                        theirs: Box::new(theirs.clone()),
                        fields,
                    });
                }
                out.claims.push(merged);
            }
            // Deleted on one side: gone if the other side left it alone.
            (Some(base), Some(kept), None) | (Some(base), None, Some(kept)) => {
                if !untouched(base, kept) {
                    out.conflicts.push(Conflict::DeletedAndChanged {
                        kept: Box::new(kept.clone()),
                        deleted_by_ours: !o.contains_key(id),
                    });
                    out.claims.push(kept.clone());
                }
            }
            (None, Some(added), None) | (None, None, Some(added)) => out.claims.push(added.clone()),
            (_, None, None) => {}
        }
    }
    // A mark can name a claim this merge removed (one side resolved a
    // conflict that the other still carries): the claim stays marked, as
    // having lost its other version, so the file still opens.
    let kept: HashSet<ClaimId> = out.claims.iter().map(|c| c.id.clone()).collect();
    for claim in &mut out.claims {
        if claim
            .conflict
            .as_ref()
            .is_some_and(|other| !kept.contains(other))
        {
            claim.conflict = Some(claim.id.clone());
        }
    }
    out.claims.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    // After the claims, so that every party and rating a merged claim uses is kept.
    let mut conflicts = Vec::new();
    let used: HashSet<&PartyId> = merged_claims(&out).flat_map(Claim::named_parties).collect();
    let parties = merge_listed(
        base.parties,
        ours.parties,
        theirs.parties,
        &used,
        &mut conflicts,
    );
    let used: HashSet<&RatingId> = merged_claims(&out)
        .filter_map(|c| c.verdict.as_ref().map(|v| &v.rating))
        .collect();
    let ratings = merge_listed(
        base.ratings,
        ours.ratings,
        theirs.ratings,
        &used,
        &mut conflicts,
    );
    (out.parties, out.ratings) = (parties, ratings);
    out.conflicts.extend(conflicts);
    merge_publisher(base.publisher, ours.publisher, theirs.publisher, &mut out);
    out
}

/// Each detail merges on its own; a base that knows nothing of a detail
/// makes one side's new value simply taken. The page stays ours: it is
/// where ours' article text came from.
fn merge_details(
    base: &ArticleDetails,
    ours: &ArticleDetails,
    theirs: &ArticleDetails,
    out: &mut Merged,
) {
    let mut merged = ours.clone();
    for detail in Detail::ALL {
        let (o, t) = (ours.get(detail), theirs.get(detail));
        match pick(Some(&base.get(detail)), &o, &t) {
            Some(value) => {
                merged.set(detail, value.to_owned());
            }
            None => out.conflicts.push(Conflict::Detail {
                detail,
                ours: o.to_owned(),
                theirs: t.to_owned(),
            }),
        }
        let mark = |d: &ArticleDetails| d.conflicts.get(&detail).cloned();
        let kept = pick_mark(Some(&mark(base)), &mark(ours), &mark(theirs));
        match kept {
            Some(theirs) => merged.conflicts.insert(detail, theirs),
            None => merged.conflicts.remove(&detail),
        };
    }
    merged.page = ours.page.clone().or_else(|| theirs.page.clone());
    out.details = merged;
}

/// What a file lists by id besides its claims (its parties, its rating
/// scale): merged alike, entry by entry and field by field, with conflicts
/// marked in the entry itself.
trait Listed: Clone + PartialEq + Sized {
    type Id: Ord + Clone + std::hash::Hash;
    fn id(&self) -> &Self::Id;
    /// Three-way merge of an entry both sides have; true when a field
    /// conflicts (the merged entry holds ours for it).
    fn merge3(base: Option<&Self>, ours: &Self, theirs: &Self) -> (Self, bool);
    /// The conflicts for an entry both changed, or one deleted and the other kept.
    fn changed_on_both(ours: &Self, theirs: &Self) -> Conflict;
    fn deleted_on_one(kept: &Self, deleted_by_ours: bool) -> Conflict;
    /// The entry of `set` with this id.
    fn in_set<'a>(set: &'a AnnotationSet, id: &Self::Id) -> Option<&'a Self>;
    fn all(set: &AnnotationSet) -> &[Self];
    fn add(self) -> Edit;
    fn put(self) -> Edit;
    fn remove(id: Self::Id) -> Edit;
}

impl Listed for Party {
    type Id = PartyId;
    fn id(&self) -> &PartyId {
        &self.id
    }
    fn merge3(base: Option<&Party>, ours: &Party, theirs: &Party) -> (Party, bool) {
        let mut merged = ours.clone();
        let name = pick(base.map(|b| &b.name), &ours.name, &theirs.name);
        let color = pick(base.map(|b| &b.color), &ours.color, &theirs.color);
        let kind = pick(base.map(|b| &b.kind), &ours.kind, &theirs.kind);
        merged.conflict = pick_mark(base.map(|b| &b.conflict), &ours.conflict, &theirs.conflict);
        let conflicting = name.is_none() || color.is_none() || kind.is_none();
        merged.name = name.unwrap_or(merged.name);
        merged.color = color.unwrap_or(merged.color);
        merged.kind = kind.unwrap_or(merged.kind);
        (merged, conflicting)
    }
    fn changed_on_both(ours: &Party, theirs: &Party) -> Conflict {
        Conflict::Party {
            ours: ours.clone(),
            theirs: theirs.clone(),
        }
    }
    fn deleted_on_one(kept: &Party, deleted_by_ours: bool) -> Conflict {
        Conflict::PartyDeleted {
            kept: kept.clone(),
            deleted_by_ours,
        }
    }
    fn in_set<'a>(set: &'a AnnotationSet, id: &PartyId) -> Option<&'a Party> {
        set.party(id)
    }
    fn all(set: &AnnotationSet) -> &[Party] {
        set.parties()
    }
    fn add(self) -> Edit {
        Edit::AddParty {
            party: self,
            index: None,
        }
    }
    fn put(self) -> Edit {
        Edit::PutParty(self)
    }
    fn remove(id: PartyId) -> Edit {
        Edit::RemoveParty(id)
    }
}

impl Listed for Rating {
    type Id = RatingId;
    fn id(&self) -> &RatingId {
        &self.id
    }
    fn merge3(base: Option<&Rating>, ours: &Rating, theirs: &Rating) -> (Rating, bool) {
        let mut merged = ours.clone();
        let label = pick(base.map(|b| &b.label), &ours.label, &theirs.label);
        let value = pick(base.map(|b| &b.value), &ours.value, &theirs.value);
        let color = pick(base.map(|b| &b.color), &ours.color, &theirs.color);
        merged.conflict = pick_mark(base.map(|b| &b.conflict), &ours.conflict, &theirs.conflict);
        let conflicting = label.is_none() || value.is_none() || color.is_none();
        merged.label = label.unwrap_or(merged.label);
        merged.value = value.unwrap_or(merged.value);
        merged.color = color.unwrap_or(merged.color);
        (merged, conflicting)
    }
    fn changed_on_both(ours: &Rating, theirs: &Rating) -> Conflict {
        Conflict::Rating {
            ours: ours.clone(),
            theirs: theirs.clone(),
        }
    }
    fn deleted_on_one(kept: &Rating, deleted_by_ours: bool) -> Conflict {
        Conflict::RatingDeleted {
            kept: kept.clone(),
            deleted_by_ours,
        }
    }
    fn in_set<'a>(set: &'a AnnotationSet, id: &RatingId) -> Option<&'a Rating> {
        set.rating(id)
    }
    fn all(set: &AnnotationSet) -> &[Rating] {
        set.ratings()
    }
    fn add(self) -> Edit {
        Edit::AddRating {
            rating: self,
            index: None,
        }
    }
    fn put(self) -> Edit {
        Edit::PutRating(self)
    }
    fn remove(id: RatingId) -> Edit {
        Edit::RemoveRating(id)
    }
}

/// Merges one list; `used` are the ids merged claims still refer to, which
/// are kept even when one side deleted them.
fn merge_listed<T: Listed>(
    base: &[T],
    ours: &[T],
    theirs: &[T],
    used: &HashSet<&T::Id>,
    conflicts: &mut Vec<Conflict>,
) -> Vec<T> {
    let (b, o, t) = (by_id(base, T::id), by_id(ours, T::id), by_id(theirs, T::id));
    // Our order first, then entries only they have.
    let order = ours
        .iter()
        .chain(theirs.iter().filter(|e| !o.contains_key(e.id())))
        .map(T::id);
    let mut merged = Vec::new();
    for id in order {
        let entry = match (b.get(id).copied(), o.get(id).copied(), t.get(id).copied()) {
            (base, Some(ours), Some(theirs)) => {
                let (entry, conflicting) = T::merge3(base, ours, theirs);
                if conflicting {
                    conflicts.push(T::changed_on_both(ours, theirs));
                }
                Some(entry)
            }
            // Deleted on one side: gone if the other left it alone and no
            // merged claim needs it.
            (Some(base), Some(kept), None) | (Some(base), None, Some(kept)) => {
                if base == kept && !used.contains(id) {
                    None
                } else {
                    conflicts.push(T::deleted_on_one(kept, !o.contains_key(id)));
                    Some(kept.clone())
                }
            }
            (None, Some(added), None) | (None, None, Some(added)) => Some(added.clone()),
            (_, None, None) => None,
        };
        merged.extend(entry);
    }
    merged
}

/// Claims the merge keeps, and their versions of conflicting claims: what
/// the parties and ratings kept must cover.
fn merged_claims(out: &Merged) -> impl Iterator<Item = &Claim> {
    let their_versions = out.conflicts.iter().filter_map(|c| match c {
        Conflict::Claim { theirs, .. } => Some(&**theirs),
        _ => None,
    });
    out.claims.iter().chain(their_versions)
}

/// The publisher merges field by field; where both changed it differently
/// ours is kept and theirs recorded beside it.
fn merge_publisher(base: &Publisher, ours: &Publisher, theirs: &Publisher, out: &mut Merged) {
    let mut merged = ours.clone();
    let name = pick(Some(&base.name), &ours.name, &theirs.name);
    let url = pick(Some(&base.url), &ours.url, &theirs.url);
    let claim_url = pick(Some(&base.claim_url), &ours.claim_url, &theirs.claim_url);
    merged.conflict = pick_mark(Some(&base.conflict), &ours.conflict, &theirs.conflict);
    if name.is_none() || url.is_none() || claim_url.is_none() {
        out.conflicts.push(Conflict::Publisher {
            ours: ours.clone(),
            theirs: theirs.clone(),
        });
    }
    merged.name = name.unwrap_or(merged.name);
    merged.url = url.unwrap_or(merged.url);
    merged.claim_url = claim_url.unwrap_or(merged.claim_url);
    out.publisher = merged;
}

/// The edits that turn `current`'s list into `merged`'s: additions and
/// changes now, removals returned for after the claims that refer to them.
fn edits_towards<T: Listed>(
    current: &AnnotationSet,
    merged: &[T],
    edits: &mut Vec<Edit>,
) -> Vec<Edit> {
    for entry in merged {
        match T::in_set(current, entry.id()) {
            None => edits.push(entry.clone().add()),
            Some(old) if old != entry => edits.push(entry.clone().put()),
            Some(_) => {}
        }
    }
    let kept: HashSet<&T::Id> = merged.iter().map(T::id).collect();
    T::all(current)
        .iter()
        .filter(|e| !kept.contains(e.id()))
        .map(|e| T::remove(e.id().clone()))
        .collect()
}

/// The one edit that turns `current` into `merged` (a marked merge result
/// with `current` as ours), so taking in a colleague's changes is a single
/// undoable step. `None` when there is nothing to change.
pub fn edit_towards(current: &AnnotationSet, merged: &Merged) -> Option<Edit> {
    let claims = &merged.claims;
    let mut edits = Vec::new();
    if current.publisher != merged.publisher {
        edits.push(Edit::SetPublisher(merged.publisher.clone()));
    }
    for detail in Detail::ALL {
        let (value, conflict) = (
            merged.details.get(detail),
            merged.details.conflicts.get(&detail),
        );
        if current.details.get(detail) != value
            || current.details.conflicts.get(&detail) != conflict
        {
            edits.push(Edit::PutDetail {
                detail,
                value: value.to_owned(),
                conflict: conflict.cloned(),
            });
        }
    }
    // Parties and ratings first, so that every claim put next finds the
    // parties and ratings it uses; their removals last, when no remaining
    // claim refers to them.
    let mut removals = edits_towards(current, &merged.parties, &mut edits);
    removals.extend(edits_towards(current, &merged.ratings, &mut edits));
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
    edits.extend(removals);
    match edits.len() {
        0 => None,
        1 => edits.pop(),
        _ => Some(Edit::Batch(edits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationSet, Article, Edit, EditContext, Rgb, Stance, Status};

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
        merge(b.into(), o.into(), t.into())
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
    fn a_verdict_merges_with_other_fields_and_two_different_ones_conflict() {
        let b = base();
        let id = b.claims()[0].id.clone();
        let verdict = |rating: &str| Edit::SetVerdict {
            claim: id.clone(),
            verdict: Some(crate::model::Verdict {
                rating: crate::model::RatingId(rating.into()),
                explanation: String::new(),
            }),
        };
        let ours = edited(&b, "ana", |_| vec![verdict("false")]);
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetNote {
                claim: id.clone(),
                note: "checked".into(),
            }]
        });
        let m = run(&b, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let merged = m.claims.iter().find(|c| c.id == id);
        assert_eq!(
            merged.map(|c| (c.note.as_str(), b.verdict_label(c.verdict.as_ref()))),
            Some(("checked", "False"))
        );
        let theirs = edited(&b, "ben", |_| vec![verdict("true")]);
        let m = run(&b, &ours, &theirs);
        let fields: Vec<&Vec<&str>> = m
            .conflicts
            .iter()
            .filter_map(|c| match c {
                Conflict::Claim { fields, .. } => Some(fields),
                _ => None,
            })
            .collect();
        assert_eq!(fields, [&vec!["verdict"]]);
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

    fn party(id: &str) -> PartyId {
        PartyId(id.into())
    }

    fn marked(b: &AnnotationSet, o: &AnnotationSet, t: &AnnotationSet) -> Merged {
        let mut m = run(b, o, t);
        m.mark_conflicts();
        m
    }

    /// The marked result as a set, checked as every edit's result is.
    fn valid_set(m: &Merged, ours: &AnnotationSet) -> AnnotationSet {
        let set =
            AnnotationSet::from_parts(ours.article.clone(), m.parties.clone(), m.claims.clone());
        set.check_invariants().unwrap_or_else(|e| panic!("{e}"));
        set
    }

    fn party_in(m: &Merged, id: &PartyId) -> Party {
        let found = m.parties.iter().find(|p| &p.id == id).cloned();
        found.unwrap_or_else(|| panic!("party {id}"))
    }

    #[test]
    fn a_party_used_by_the_other_side_is_kept_and_its_deletion_marked() {
        let b = base();
        let id = b.claims()[0].id.clone();
        let russia = party("russia");
        let ours = edited(&b, "ana", |_| vec![Edit::RemoveParty(russia.clone())]);
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetClaimant {
                claim: id.clone(),
                party: Some(russia.clone()),
            }]
        });
        let m = marked(&b, &ours, &theirs);
        assert_eq!(party_in(&m, &russia).conflict, Some(PartyConflict::Deleted));
        assert!(matches!(
            m.conflicts.as_slice(),
            [Conflict::PartyDeleted {
                deleted_by_ours: true,
                ..
            }]
        ));
        valid_set(&m, &ours);
        // Deleted on one side and left alone on the other: gone, no conflict.
        let m = marked(&b, &ours, &b);
        assert!(m.conflicts.is_empty() && m.parties.iter().all(|p| p.id != russia));
    }

    #[test]
    fn their_conflicting_version_keeps_the_parties_it_uses() {
        let b = edited(&base(), "base", |set| {
            vec![Edit::SetStance {
                claim: set.claims()[0].id.clone(),
                party: party("ukraine"),
                stance: Some(Stance::Disputes),
            }]
        });
        let id = b.claims()[0].id.clone();
        let ours = edited(&b, "ana", |_| vec![Edit::RemoveParty(party("ukraine"))]);
        let theirs = edited(&b, "ben", |_| {
            vec![Edit::SetStance {
                claim: id.clone(),
                party: party("russia"),
                stance: Some(Stance::Agrees),
            }]
        });
        let m = marked(&b, &ours, &theirs);
        let copy = m.claims.iter().find(|c| c.id.0.ends_with("~theirs"));
        let copy = copy.unwrap_or_else(|| panic!("their version"));
        assert!(copy.stances.contains_key(&party("ukraine")));
        assert_eq!(
            party_in(&m, &party("ukraine")).conflict,
            Some(PartyConflict::Deleted)
        );
        valid_set(&m, &ours);
        let mut doc = crate::model::Document::new(ours.clone());
        let edit = edit_towards(&ours, &m);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().parties(), m.parties.as_slice());
    }

    #[test]
    fn parties_merge_field_by_field_and_conflicts_keep_their_version() {
        let b = base();
        let russia = party("russia");
        let rename = |name: &str| {
            let name = name.to_owned();
            edited(&b, "x", |_| {
                vec![Edit::RenameParty {
                    party: party("russia"),
                    name,
                }]
            })
        };
        let recoloured = edited(&b, "ben", |_| {
            vec![Edit::RecolorParty {
                party: party("russia"),
                color: Rgb([1, 2, 3]),
            }]
        });
        let m = marked(&b, &rename("Russian Federation"), &recoloured);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let merged = party_in(&m, &russia);
        assert_eq!(
            (merged.name.as_str(), merged.color, merged.conflict),
            ("Russian Federation", Rgb([1, 2, 3]), None)
        );
        let ours = rename("Russian Federation");
        let m = marked(&b, &ours, &rename("Moscow"));
        assert!(matches!(m.conflicts.as_slice(), [Conflict::Party { .. }]));
        let mut doc = crate::model::Document::new(ours.clone());
        let edit = edit_towards(&ours, &m);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc.set().parties(),
            m.parties.as_slice(),
            "marked in mine too"
        );
        let merged = party_in(&m, &russia);
        assert_eq!(merged.name, "Russian Federation", "ours is kept");
        assert_eq!(
            merged.conflict,
            Some(PartyConflict::Theirs {
                name: "Moscow".into(),
                color: merged.color,
                kind: merged.kind.clone(),
            }),
            "theirs is recorded"
        );
    }

    #[test]
    fn both_adding_a_party_under_one_id_differently_is_a_conflict() {
        let b = base();
        let add = |name: &str| {
            let name = name.to_owned();
            edited(&b, "x", move |set| {
                let mut party = set.new_party(&name);
                party.id = PartyId("eu".into());
                vec![Edit::AddParty { party, index: None }]
            })
        };
        let m = marked(&b, &add("EU"), &add("European Union"));
        let eu = party_in(&m, &party("eu"));
        assert_eq!(eu.name, "EU");
        assert!(
            matches!(&eu.conflict, Some(PartyConflict::Theirs { name, .. }) if name == "European Union")
        );
        let m = marked(&b, &add("EU"), &add("EU"));
        assert!(m.conflicts.is_empty(), "the same party added twice");
    }

    #[test]
    fn with_an_empty_base_everything_both_added_differently_conflicts() {
        let b = base();
        let first = b.claims()[0].id.clone();
        let theirs = edited(&b, "ben", |_| {
            vec![
                Edit::SetNote {
                    claim: first.clone(),
                    note: "ben".into(),
                },
                Edit::RenameParty {
                    party: party("russia"),
                    name: "Moscow".into(),
                },
            ]
        });
        let m = merge(Side::empty(), (&b).into(), (&theirs).into());
        let fields: Vec<_> = m
            .conflicts
            .iter()
            .filter_map(|c| match c {
                Conflict::Claim { fields, .. } => Some(fields.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(fields, vec![vec!["note"]], "the differing field is named");
        assert!(
            m.conflicts
                .iter()
                .any(|c| matches!(c, Conflict::Party { .. }))
        );
        assert_eq!(m.claims.len(), 2, "the claims both have once");
    }

    #[test]
    fn a_conflict_resolved_on_one_side_leaves_no_dangling_mark() {
        // A base holding a conflict pair: ours and its copy `~theirs`.
        let b = base();
        let id = b.claims()[0].id.clone();
        let status = |status| {
            edited(&b, "x", |_| {
                vec![Edit::SetStatus {
                    claim: id.clone(),
                    status,
                }]
            })
        };
        let m = marked(&b, &status(Status::Agreed), &status(Status::Disputed));
        let paired = valid_set(&m, &b);
        let copy = ClaimId(format!("{id}~theirs"));
        // One side keeps the copy; the other writes a note on it.
        let resolved = edited(&paired, "ana", |set| {
            let mut kept = set.claim(&copy).cloned().unwrap_or_else(|| panic!("copy"));
            kept.conflict = None;
            vec![
                Edit::RemoveClaim(id.clone()),
                Edit::PutClaim(Box::new(kept)),
            ]
        });
        let noted = edited(&paired, "ben", |_| {
            vec![Edit::SetNote {
                claim: copy.clone(),
                note: "later".into(),
            }]
        });
        for (ours, theirs) in [(&resolved, &noted), (&noted, &resolved)] {
            let m = marked(&paired, ours, theirs);
            assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
            let set = valid_set(&m, ours);
            let kept = set.claim(&copy).cloned().unwrap_or_else(|| panic!("copy"));
            assert_eq!((kept.note.as_str(), kept.conflict), ("later", None));
            assert!(set.claim(&id).is_none());
        }
        // A mark naming a claim the other side deleted (left by a merge
        // with a third branch) becomes a mark of the claim itself.
        let second = b.claims()[1].id.clone();
        let pointing = edited(&b, "ana", |set| {
            let mut claim = set.claim(&id).cloned().unwrap_or_else(|| panic!("claim"));
            claim.conflict = Some(second.clone());
            vec![Edit::PutClaim(Box::new(claim))]
        });
        let deleted = edited(&b, "ben", |_| vec![Edit::RemoveClaim(second.clone())]);
        let set = valid_set(&marked(&b, &pointing, &deleted), &pointing);
        assert_eq!(
            set.claim(&id).and_then(|c| c.conflict.clone()),
            Some(id.clone())
        );
        // Each side keeps a different version: both stay, marked.
        let kept_ours = edited(&paired, "ben", |set| {
            let mut kept = set.claim(&id).cloned().unwrap_or_else(|| panic!("ours"));
            kept.conflict = None;
            vec![
                Edit::RemoveClaim(copy.clone()),
                Edit::PutClaim(Box::new(kept)),
            ]
        });
        let m = marked(&paired, &resolved, &kept_ours);
        let set = valid_set(&m, &resolved);
        assert_eq!(m.conflicts.len(), 2, "{:?}", m.conflicts);
        for kept in [&id, &copy] {
            assert_eq!(
                set.claim(kept).and_then(|c| c.conflict.clone()).as_ref(),
                Some(kept)
            );
        }
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
        let edit = edit_towards(&ours, &m);
        doc.apply(edit.unwrap_or(Edit::Batch(vec![])), &ctx("ana"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set().claims(), m.claims.as_slice());
        assert_eq!(doc.set().parties(), m.parties.as_slice());
        assert_eq!(edit_towards(doc.set(), &m), None);
        doc.undo(&ctx("ana")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.set(), &ours);
    }
}

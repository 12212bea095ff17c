//! Property test of the three-way merge, on the paths that use it: the git
//! merge driver (`format::merge_files` on parsed files, its text read back
//! and bound to the article as `factmark check` does) and the app's *Merge
//! their changes into mine* (`merge::edit_towards` applied to my set).
//!
//! A random base (parties, claims, conflict pairs and marks left by earlier
//! merges) is edited twice, as ours and as theirs: claim fields changed,
//! claims added (from a small pool of ids, so both sides add the same one),
//! moved and deleted, parties added (colliding ids), renamed, recoloured and
//! deleted, people given job titles, ratings of the scale relabelled,
//! renumbered, added and deleted, the publisher changed, conflicts resolved.
//! One case in eight has no base (both added the
//! file). Every merge must give a file that opens, lose no change of either
//! side silently (each changed field is merged, or kept in a marked
//! conflict), give that side back when both sides are the same, and turn
//! into one edit that applies to ours and yields the merged set.
//!
//! Knobs: `FACTMARK_MERGE_CASES` (default 5000, about 15 s in a debug build;
//! each run draws new cases, and a failure prints the smallest input found).

use factmark::anchor;
use factmark::format::{self, ParsedFile};
use factmark::model::merge::{self, Conflict};
use factmark::model::{
    AnnotationSet, Article, Claim, ClaimId, Detail, Document, Edit, EditContext, Evidence, Party,
    PartyConflict, PartyId, PartyKind, Publisher, Rating, RatingConflict, RatingId, Rgb, Stance,
    Status, StatusOrigin, VersionChoice,
};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

const ARTICLE: &str = include_str!("../assets/articles/peace-talks.txt");
/// Small pools, so that both sides often pick the same id or value.
const PARTY_IDS: [&str; 5] = ["russia", "ukraine", "eu", "un", "nato"];
const NAMES: [&str; 4] = ["Russia", "EU", "European Union", "Kyiv"];
const NOTES: [&str; 4] = ["", "checked", "disputed by Kyiv", "needs “a” source"];
const COLOURS: [Rgb; 3] = [
    Rgb([0xc0, 0x39, 0x2b]),
    Rgb([0x2e, 0x6f, 0xd8]),
    Rgb([1, 2, 3]),
];
const NEW_CLAIM_IDS: [&str; 3] = ["c-new-0", "c-new-1", "c-new-2"];
const JOB_TITLES: [&str; 3] = ["", "Envoy", "Foreign Minister"];
/// Labels for ratings, and ids of new ones (one collides with the default scale).
const LABELS: [&str; 3] = ["Pants on fire", "False", "Needs context"];
const NEW_RATING_IDS: [&str; 3] = ["pants-on-fire", "needs-context", "false"];
const PUBLISHERS: [(&str, &str); 3] = [
    ("", ""),
    ("Example Checks", "https://checks.example/{id}"),
    ("Desk", "https://desk.example/reviews#{id}"),
];
/// One merge in this many is also checked by running `factmark check`.
const CHECK_EVERY: usize = 150;

fn cases() -> u32 {
    std::env::var("FACTMARK_MERGE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000)
}

fn article() -> Article {
    Article::new("Peace talks", ARTICLE)
}

fn ctx(author: &str, second: i64) -> EditContext {
    EditContext {
        author: author.into(),
        now: jiff::Timestamp::from_second(second).unwrap_or_else(|e| panic!("{e}")),
    }
}

type Ref = u8;

fn pick<T: Clone>(items: &[T], r: Ref) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(r) % items.len()].clone())
}

/// A span of 1 to 60 chars of the article.
fn span(article: &Article, start: usize, len: usize) -> Range<usize> {
    let n = article.char_count();
    let start = start % (n - 1);
    start..(start + 1 + len % 60).min(n)
}

// ---------------------------------------------------------------------------
// Generators

#[derive(Clone, Debug)]
struct ClaimGen {
    start: usize,
    len: usize,
    status: Option<Status>,
    claimant: Option<Ref>,
    stances: Vec<(Ref, Stance)>,
    note: Ref,
    evidence: Option<Ref>,
}

#[derive(Clone, Debug)]
struct BaseGen {
    /// Id, name and colour, each an index into its pool.
    parties: Vec<(Ref, Ref, Ref)>,
    claims: Vec<ClaimGen>,
    /// Claims paired as conflicting by an earlier merge (a claim and itself:
    /// deleted on one side, changed on the other).
    pairs: Vec<(Ref, Ref)>,
    /// Parties marked by an earlier merge: their version, or deleted.
    party_marks: Vec<(Ref, Option<(Ref, Ref)>)>,
}

#[derive(Clone, Debug)]
enum EditGen {
    Status(Ref, Status),
    Note(Ref, Ref),
    Claimant(Ref, Option<Ref>),
    Stance(Ref, Ref, Option<Stance>),
    Evidence(Ref, Option<Ref>),
    Move(Ref, usize, usize),
    RemoveClaim(Ref),
    AddClaim(Ref, usize, usize, Option<Ref>),
    AddParty(Ref, Ref, Ref),
    Rename(Ref, Ref),
    Recolour(Ref, Ref),
    RemoveParty(Ref),
    /// Keep this version of a marked claim (the other is deleted).
    Resolve(Ref),
    /// Keep mine / take theirs for a marked party (take: delete, if deleted).
    ResolveParty(Ref, bool),
    /// A mark as a merge on this side (with a third branch) could leave it,
    /// naming another claim or the claim itself.
    Mark(Ref, Ref),
    /// One of the article's details set to one of a few values (or none).
    Detail(Ref, Ref),
    /// Keep mine / take theirs for a marked detail, as the details panel does.
    ResolveDetail(Ref, bool),
    /// A claim's verdict set to one of the scale's ratings, or taken away.
    Verdict(Ref, Ref),
    /// A party made an organisation (`None`) or a person with a job title.
    Kind(Ref, Option<Ref>),
    /// A rating relabelled, and renumbered (`None`: off the scale).
    Rating(Ref, Ref, Option<u8>),
    AddRating(Ref, Ref),
    RemoveRating(Ref),
    /// Keep mine / take theirs for a marked rating (take: delete, if deleted).
    ResolveRating(Ref, bool),
    Publisher(Ref),
    ResolvePublisher(bool),
}

fn stance() -> impl Strategy<Value = Stance> {
    prop_oneof![Just(Stance::Agrees), Just(Stance::Disputes)]
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn claim_gen() -> impl Strategy<Value = ClaimGen> {
    (
        any::<usize>(),
        any::<usize>(),
        prop::option::of(status()),
        prop::option::of(any::<Ref>()),
        prop::collection::vec((any::<Ref>(), stance()), 0..3),
        any::<Ref>(),
        prop::option::weighted(0.3, any::<Ref>()),
    )
        .prop_map(
            |(start, len, status, claimant, stances, note, evidence)| ClaimGen {
                start,
                len,
                status,
                claimant,
                stances,
                note,
                evidence,
            },
        )
}

fn base_gen() -> impl Strategy<Value = BaseGen> {
    (
        prop::collection::vec((any::<Ref>(), any::<Ref>(), any::<Ref>()), 0..4),
        prop::collection::vec(claim_gen(), 0..7),
        prop::collection::vec((any::<Ref>(), any::<Ref>()), 0..3),
        prop::collection::vec(
            (any::<Ref>(), prop::option::of((any::<Ref>(), any::<Ref>()))),
            0..2,
        ),
    )
        .prop_map(|(parties, claims, pairs, party_marks)| BaseGen {
            parties,
            claims,
            pairs,
            party_marks,
        })
}

fn edit_gen() -> impl Strategy<Value = EditGen> {
    let r = any::<Ref>;
    prop_oneof![
        3 => (r(), status()).prop_map(|(c, s)| EditGen::Status(c, s)),
        3 => (r(), r()).prop_map(|(c, n)| EditGen::Note(c, n)),
        2 => (r(), prop::option::of(r())).prop_map(|(c, p)| EditGen::Claimant(c, p)),
        3 => (r(), r(), prop::option::of(stance())).prop_map(|(c, p, s)| EditGen::Stance(c, p, s)),
        1 => (r(), prop::option::of(r())).prop_map(|(c, p)| EditGen::Evidence(c, p)),
        1 => (r(), any::<usize>(), any::<usize>()).prop_map(|(c, s, l)| EditGen::Move(c, s, l)),
        2 => r().prop_map(EditGen::RemoveClaim),
        2 => (r(), any::<usize>(), any::<usize>(), prop::option::of(r()))
            .prop_map(|(id, s, l, p)| EditGen::AddClaim(id, s, l, p)),
        2 => (r(), r(), r()).prop_map(|(id, n, c)| EditGen::AddParty(id, n, c)),
        2 => (r(), r()).prop_map(|(p, n)| EditGen::Rename(p, n)),
        2 => (r(), r()).prop_map(|(p, c)| EditGen::Recolour(p, c)),
        2 => r().prop_map(EditGen::RemoveParty),
        2 => r().prop_map(EditGen::Resolve),
        1 => (r(), any::<bool>()).prop_map(|(p, t)| EditGen::ResolveParty(p, t)),
        1 => (r(), r()).prop_map(|(c, o)| EditGen::Mark(c, o)),
        3 => (r(), r()).prop_map(|(d, v)| EditGen::Detail(d, v)),
        1 => (r(), any::<bool>()).prop_map(|(d, t)| EditGen::ResolveDetail(d, t)),
        3 => (r(), r()).prop_map(|(c, v)| EditGen::Verdict(c, v)),
        2 => (r(), prop::option::of(r())).prop_map(|(p, k)| EditGen::Kind(p, k)),
        2 => (r(), r(), prop::option::of(0u8..3)).prop_map(|(r, l, v)| EditGen::Rating(r, l, v)),
        1 => (r(), r()).prop_map(|(id, l)| EditGen::AddRating(id, l)),
        1 => r().prop_map(EditGen::RemoveRating),
        1 => (r(), any::<bool>()).prop_map(|(r, t)| EditGen::ResolveRating(r, t)),
        2 => r().prop_map(EditGen::Publisher),
        1 => any::<bool>().prop_map(EditGen::ResolvePublisher),
    ]
}

fn edits() -> impl Strategy<Value = Vec<EditGen>> {
    prop::collection::vec(edit_gen(), 0..7)
}

// ---------------------------------------------------------------------------
// Building sets

fn build_base(g: &BaseGen) -> AnnotationSet {
    let article = article();
    let scratch = AnnotationSet::new(article.clone());
    let mut parties: Vec<Party> = Vec::new();
    for &(id, name, colour) in &g.parties {
        let id = PartyId(PARTY_IDS[usize::from(id) % PARTY_IDS.len()].into());
        if parties.iter().all(|p| p.id != id) {
            parties.push(Party {
                id,
                name: NAMES[usize::from(name) % NAMES.len()].into(),
                color: COLOURS[usize::from(colour) % COLOURS.len()],
                kind: PartyKind::Organization,
                conflict: None,
            });
        }
    }
    for (p, mark) in &g.party_marks {
        let count = parties.len();
        if let Some(party) = parties.get_mut(usize::from(*p) % count.max(1)) {
            party.conflict = Some(match mark {
                Some((name, colour)) => PartyConflict::Theirs {
                    name: NAMES[usize::from(*name) % NAMES.len()].into(),
                    color: COLOURS[usize::from(*colour) % COLOURS.len()],
                    kind: PartyKind::Organization,
                },
                None => PartyConflict::Deleted,
            });
        }
    }
    let ids: Vec<PartyId> = parties.iter().map(|p| p.id.clone()).collect();
    let party = |r: &Ref| pick(&ids, *r);
    let mut claims: Vec<Claim> = Vec::new();
    for (i, c) in g.claims.iter().enumerate() {
        let mut claim = scratch
            .new_claim(span(&article, c.start, c.len), &ctx("base", 1_000))
            .unwrap_or_else(|e| panic!("{e}"));
        claim.id = ClaimId(format!("c-{i}"));
        claim.claimant = c.claimant.as_ref().and_then(party);
        claim.stances = c
            .stances
            .iter()
            .filter_map(|(p, s)| Some((party(p)?, *s)))
            .collect();
        if let Some(status) = c.status {
            (claim.status, claim.status_origin) = (status, StatusOrigin::Chosen);
        } else {
            claim.status = factmark::model::suggested_status(&claim.stances);
        }
        claim.note = NOTES[usize::from(c.note) % NOTES.len()].into();
        claim.evidence = c
            .evidence
            .iter()
            .map(|p| Evidence {
                url: "https://example.org/a".into(),
                quote: "a quote".into(),
                supports: party(p),
            })
            .collect();
        claims.push(claim);
    }
    let count = claims.len();
    for &(a, b) in &g.pairs {
        if count == 0 {
            break;
        }
        let (a, b) = (usize::from(a) % count, usize::from(b) % count);
        claims[a].conflict = Some(claims[b].id.clone());
        claims[b].conflict = Some(claims[a].id.clone());
    }
    let set = AnnotationSet::from_parts(article, parties, claims);
    set.check_invariants()
        .unwrap_or_else(|e| panic!("base: {e}"));
    set
}

/// The edit a generated one stands for on `set`; `None` when it has nothing
/// to act on.
fn resolve(set: &AnnotationSet, g: &EditGen, ctx: &EditContext) -> Option<Edit> {
    let claim_ids: Vec<ClaimId> = set.claims().iter().map(|c| c.id.clone()).collect();
    let party_ids: Vec<PartyId> = set.parties().iter().map(|p| p.id.clone()).collect();
    let claim = |r: &Ref| pick(&claim_ids, *r);
    let party = |r: &Ref| pick(&party_ids, *r);
    Some(match g {
        EditGen::Status(c, status) => Edit::SetStatus {
            claim: claim(c)?,
            status: *status,
        },
        EditGen::Note(c, n) => Edit::SetNote {
            claim: claim(c)?,
            note: NOTES[usize::from(*n) % NOTES.len()].into(),
        },
        EditGen::Claimant(c, p) => Edit::SetClaimant {
            claim: claim(c)?,
            party: match p {
                Some(p) => Some(party(p)?),
                None => None,
            },
        },
        EditGen::Stance(c, p, stance) => Edit::SetStance {
            claim: claim(c)?,
            party: party(p)?,
            stance: *stance,
        },
        EditGen::Evidence(c, p) => Edit::AddEvidence {
            claim: claim(c)?,
            evidence: Evidence {
                url: String::new(),
                quote: "more".into(),
                supports: p.as_ref().and_then(party),
            },
        },
        EditGen::Move(c, start, len) => Edit::SetAnchor {
            claim: claim(c)?,
            anchor: factmark::model::Anchor::capture(
                &set.article,
                span(&set.article, *start, *len),
            ),
        },
        EditGen::RemoveClaim(c) => Edit::RemoveClaim(claim(c)?),
        EditGen::AddClaim(id, start, len, claimant) => {
            let mut new = set.new_claim(span(&set.article, *start, *len), ctx).ok()?;
            new.id = ClaimId(NEW_CLAIM_IDS[usize::from(*id) % NEW_CLAIM_IDS.len()].into());
            new.claimant = claimant.as_ref().and_then(party);
            Edit::AddClaim(Box::new(new))
        }
        EditGen::AddParty(id, name, colour) => Edit::AddParty {
            party: Party {
                id: PartyId(PARTY_IDS[usize::from(*id) % PARTY_IDS.len()].into()),
                name: NAMES[usize::from(*name) % NAMES.len()].into(),
                color: COLOURS[usize::from(*colour) % COLOURS.len()],
                kind: PartyKind::Organization,
                conflict: None,
            },
            index: None,
        },
        EditGen::Rename(p, name) => Edit::RenameParty {
            party: party(p)?,
            name: NAMES[usize::from(*name) % NAMES.len()].into(),
        },
        EditGen::Recolour(p, colour) => Edit::RecolorParty {
            party: party(p)?,
            color: COLOURS[usize::from(*colour) % COLOURS.len()],
        },
        EditGen::RemoveParty(p) => Edit::RemoveParty(party(p)?),
        // As the claim editor does: "Keep this version" / "Keep it".
        EditGen::Resolve(r) => {
            let marked: Vec<&Claim> = set
                .claims()
                .iter()
                .filter(|c| c.conflict.is_some())
                .collect();
            let mut kept = pick(&marked, *r)?.clone();
            let other = kept.conflict.take()?;
            let keep = Edit::PutClaim(Box::new(kept.clone()));
            if other == kept.id {
                keep
            } else {
                Edit::Batch(vec![Edit::RemoveClaim(other), keep])
            }
        }
        // As the parties window does.
        EditGen::ResolveParty(r, take) => {
            let marked: Vec<&Party> = set
                .parties()
                .iter()
                .filter(|p| p.conflict.is_some())
                .collect();
            let mut party = pick(&marked, *r)?.clone();
            match (party.conflict.take()?, take) {
                (PartyConflict::Deleted, true) => Edit::RemoveParty(party.id),
                (PartyConflict::Theirs { name, color, kind }, true) => Edit::PutParty(Party {
                    name,
                    color,
                    kind,
                    ..party
                }),
                (_, false) => Edit::PutParty(party),
            }
        }
        EditGen::Detail(d, v) => {
            let detail = Detail::ALL[usize::from(*d) % Detail::ALL.len()];
            let values = match detail {
                Detail::Dir => ["", "ltr", "rtl", "rtl"],
                _ => ["", "Reuters", "2015-07-24", "https://example.org/a"],
            };
            Edit::SetDetail {
                detail,
                value: values[usize::from(*v) % values.len()].into(),
            }
        }
        EditGen::ResolveDetail(r, take) => {
            let marked: Vec<(&Detail, &String)> = set.details.conflicts.iter().collect();
            let (detail, theirs) = pick(&marked, *r)?;
            Edit::PutDetail {
                detail: *detail,
                value: if *take {
                    theirs.clone()
                } else {
                    set.details.get(*detail).to_owned()
                },
                conflict: None,
            }
        }
        EditGen::Verdict(c, v) => {
            let scale = set.ratings();
            let pick = usize::from(*v) % (scale.len() + 1);
            Edit::SetVerdict {
                claim: claim(c)?,
                verdict: scale.get(pick).map(|r| factmark::model::Verdict {
                    rating: r.id.clone(),
                    explanation: format!("rated {}", r.label),
                }),
            }
        }
        EditGen::Kind(p, k) => Edit::SetPartyKind {
            party: party(p)?,
            kind: match k {
                None => PartyKind::Organization,
                Some(t) => PartyKind::Person {
                    job_title: JOB_TITLES[usize::from(*t) % JOB_TITLES.len()].into(),
                },
            },
        },
        EditGen::Rating(r, label, value) => {
            let mut changed = pick(set.ratings(), *r)?;
            changed.label = LABELS[usize::from(*label) % LABELS.len()].into();
            changed.value = value.map(u32::from);
            Edit::PutRating(changed)
        }
        EditGen::AddRating(id, label) => Edit::AddRating {
            rating: Rating {
                id: RatingId(NEW_RATING_IDS[usize::from(*id) % NEW_RATING_IDS.len()].into()),
                label: LABELS[usize::from(*label) % LABELS.len()].into(),
                value: None,
                color: COLOURS[usize::from(*label) % COLOURS.len()],
                conflict: None,
            },
            index: None,
        },
        EditGen::RemoveRating(r) => Edit::RemoveRating(pick(set.ratings(), *r)?.id),
        // As the rating scale window does.
        EditGen::ResolveRating(r, take) => {
            let marked: Vec<&Rating> = set
                .ratings()
                .iter()
                .filter(|r| r.conflict.is_some())
                .collect();
            let rating = pick(&marked, *r)?;
            match (&rating.conflict, take) {
                (Some(RatingConflict::Deleted), true) => Edit::RemoveRating(rating.id.clone()),
                (_, true) => set
                    .resolve_rating_conflict(&rating.id, VersionChoice::TakeTheirs)
                    .ok()?,
                (_, false) => set
                    .resolve_rating_conflict(&rating.id, VersionChoice::KeepMine)
                    .ok()?,
            }
        }
        EditGen::Publisher(v) => {
            let (name, template) = PUBLISHERS[usize::from(*v) % PUBLISHERS.len()];
            Edit::SetPublisher(Publisher::new(name.into(), template.into()))
        }
        EditGen::ResolvePublisher(take) => set
            .resolve_publisher_conflict(if *take {
                VersionChoice::TakeTheirs
            } else {
                VersionChoice::KeepMine
            })
            .ok()?,
        EditGen::Mark(c, other) => {
            let mut marked = set.claim(&claim(c)?)?.clone();
            marked.conflict = claim(other);
            Edit::PutClaim(Box::new(marked))
        }
    })
}

/// `base` edited by one side. Edits the model refuses are left out, as the
/// app would never have made them.
fn side(base: &AnnotationSet, gens: &[EditGen], ctx: &EditContext) -> AnnotationSet {
    let mut set = base.clone();
    for g in gens {
        if let Some(edit) = resolve(&set, g, ctx) {
            let _ = set.apply(edit, ctx);
        }
    }
    set.check_invariants()
        .unwrap_or_else(|e| panic!("{}: {e}", ctx.author));
    set
}

/// A set as the merge driver gets it: saved, then read.
fn as_file(set: &AnnotationSet) -> ParsedFile {
    let text = format::to_ron(set, Some("peace-talks.txt")).unwrap_or_else(|e| panic!("{e}"));
    format::from_ron(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

// ---------------------------------------------------------------------------
// The properties

type Checked = Result<(), TestCaseError>;

fn fail(what: String) -> TestCaseError {
    TestCaseError::fail(what)
}

/// Content fields of a claim, named, in a form that compares.
fn fields(c: &Claim) -> [(&'static str, String); 8] {
    [
        ("anchor", format!("{:?}", c.anchor)),
        ("status", format!("{:?}", c.status)),
        ("status_origin", format!("{:?}", c.status_origin)),
        ("claimant", format!("{:?}", c.claimant)),
        ("stances", format!("{:?}", c.stances)),
        ("note", format!("{:?}", c.note)),
        ("evidence", format!("{:?}", c.evidence)),
        ("verdict", format!("{:?}", c.verdict)),
    ]
}

fn untouched(base: &Claim, now: &Claim) -> bool {
    fields(base) == fields(now) && base.conflict == now.conflict
}

/// Every change `side` made since `base` is in `result`: merged, or (theirs
/// only, where ours differs) kept in a marked conflict. Deleting what the
/// other side changed leaves it marked.
fn nothing_lost(
    base: &ParsedFile,
    side: &ParsedFile,
    is_ours: bool,
    result: &ParsedFile,
    conflicts: &[Conflict],
) -> Checked {
    let who = if is_ours { "ours" } else { "theirs" };
    for detail in Detail::ALL {
        let mine = side.details.get(detail);
        if mine == base.details.get(detail) || result.details.get(detail) == mine {
            continue;
        }
        // Their value is kept beside ours.
        if is_ours || result.details.conflicts.get(&detail).map(String::as_str) != Some(mine) {
            return Err(fail(format!(
                "{who}'s {} {mine:?} is lost: {:?}",
                detail.key(),
                result.details
            )));
        }
    }
    let claims: BTreeMap<&ClaimId, &Claim> = result.claims.iter().map(|c| (&c.id, c)).collect();
    let base_claims: BTreeMap<&ClaimId, &Claim> = base.claims.iter().map(|c| (&c.id, c)).collect();
    for mine in &side.claims {
        let before = base_claims.get(&mine.id);
        if before.is_some_and(|b| untouched(b, mine)) {
            continue;
        }
        let got = claims
            .get(&mine.id)
            .ok_or_else(|| fail(format!("{who}'s changed claim {} is gone", mine.id)))?;
        for ((field, value), (_, merged)) in fields(mine).iter().zip(fields(got)) {
            let changed =
                before.is_none_or(|b| fields(b).iter().any(|(f, v)| f == field && v != value));
            if !changed || *value == merged {
                continue;
            }
            // Their value lives on in the copy the merged claim names.
            let copy = got
                .conflict
                .as_ref()
                .filter(|other| *other != &got.id)
                .and_then(|other| claims.get(other));
            let kept = copy.is_some_and(|copy| {
                copy.conflict.as_ref() == Some(&got.id)
                    && fields(copy).iter().any(|(f, v)| f == field && v == value)
            });
            if is_ours || !kept {
                return Err(fail(format!(
                    "{who}'s {field} of claim {} is lost: {value} became {merged}",
                    mine.id
                )));
            }
        }
    }
    let side_claims: BTreeMap<&ClaimId, &Claim> = side.claims.iter().map(|c| (&c.id, c)).collect();
    for gone in base
        .claims
        .iter()
        .filter(|c| !side_claims.contains_key(&c.id))
    {
        if let Some(kept) = claims.get(&gone.id) {
            let reported = conflicts.iter().any(|c| {
                matches!(c, Conflict::DeletedAndChanged { kept, deleted_by_ours }
                    if kept.id == gone.id && *deleted_by_ours == is_ours)
            });
            if kept.conflict.as_ref() != Some(&gone.id) || !reported {
                return Err(fail(format!(
                    "{who} deleted claim {}, which is back unmarked",
                    gone.id
                )));
            }
        }
    }
    for mine in &side.parties {
        let before = base.parties.iter().find(|p| p.id == mine.id);
        if before == Some(mine) {
            continue;
        }
        let got = result
            .parties
            .iter()
            .find(|p| p.id == mine.id)
            .ok_or_else(|| fail(format!("{who}'s changed party {} is gone", mine.id)))?;
        let changed = |f: fn(&Party) -> String| before.is_none_or(|b| f(b) != f(mine));
        let lost = |f: fn(&Party) -> String| changed(f) && f(got) != f(mine);
        let name = |p: &Party| p.name.clone();
        let colour = |p: &Party| p.color.to_hex();
        let kind = |p: &Party| p.kind.describe();
        if lost(name) || lost(colour) || lost(kind) {
            let recorded = PartyConflict::Theirs {
                name: mine.name.clone(),
                color: mine.color,
                kind: mine.kind.clone(),
            };
            if is_ours || got.conflict.as_ref() != Some(&recorded) {
                return Err(fail(format!(
                    "{who}'s version of party {} ({:?}, {}) is lost: {got:?}",
                    mine.id,
                    mine.name,
                    mine.color.to_hex()
                )));
            }
        }
    }
    for gone in base
        .parties
        .iter()
        .filter(|b| side.parties.iter().all(|p| p.id != b.id))
    {
        if let Some(kept) = result.parties.iter().find(|p| p.id == gone.id) {
            let reported = conflicts.iter().any(|c| {
                matches!(c, Conflict::PartyDeleted { kept, deleted_by_ours }
                    if kept.id == gone.id && *deleted_by_ours == is_ours)
            });
            if kept.conflict != Some(PartyConflict::Deleted) || !reported {
                return Err(fail(format!(
                    "{who} deleted party {}, which is back unmarked",
                    gone.id
                )));
            }
        }
    }
    ratings_kept(base, side, is_ours, result, conflicts)?;
    publisher_kept(base, side, is_ours, result)
}

/// [`nothing_lost`] for the rating scale: each rating a side changed is in
/// the result, or (theirs, where ours differs) recorded in its mark; a
/// rating it deleted is gone, or back marked as deleted.
fn ratings_kept(
    base: &ParsedFile,
    side: &ParsedFile,
    is_ours: bool,
    result: &ParsedFile,
    conflicts: &[Conflict],
) -> Checked {
    let who = if is_ours { "ours" } else { "theirs" };
    let version = |r: &Rating| (r.label.clone(), r.value, r.color);
    for mine in &side.ratings {
        let before = base.ratings.iter().find(|r| r.id == mine.id);
        if before == Some(mine) {
            continue;
        }
        let got = result
            .ratings
            .iter()
            .find(|r| r.id == mine.id)
            .ok_or_else(|| fail(format!("{who}'s changed rating {} is gone", mine.id)))?;
        if version(got) == version(mine) {
            continue;
        }
        let recorded = RatingConflict::Theirs {
            label: mine.label.clone(),
            value: mine.value,
            color: mine.color,
        };
        // Fields merge one by one: only a field both changed keeps ours.
        let merged_fieldwise = before.is_some_and(|b| {
            (mine.label == b.label || got.label == mine.label)
                && (mine.value == b.value || got.value == mine.value)
                && (mine.color == b.color || got.color == mine.color)
        });
        if !merged_fieldwise && (is_ours || got.conflict.as_ref() != Some(&recorded)) {
            return Err(fail(format!(
                "{who}'s version of rating {} ({mine:?}) is lost: {got:?}",
                mine.id
            )));
        }
    }
    for gone in base
        .ratings
        .iter()
        .filter(|b| side.ratings.iter().all(|r| r.id != b.id))
    {
        if let Some(kept) = result.ratings.iter().find(|r| r.id == gone.id) {
            let reported = conflicts.iter().any(|c| {
                matches!(c, Conflict::RatingDeleted { kept, deleted_by_ours }
                    if kept.id == gone.id && *deleted_by_ours == is_ours)
            });
            if kept.conflict != Some(RatingConflict::Deleted) || !reported {
                return Err(fail(format!(
                    "{who} deleted rating {}, which is back unmarked",
                    gone.id
                )));
            }
        }
    }
    Ok(())
}

/// Each publisher field a side changed is in the result, or (theirs) in
/// the version its mark records.
fn publisher_kept(
    base: &ParsedFile,
    side: &ParsedFile,
    is_ours: bool,
    result: &ParsedFile,
) -> Checked {
    let who = if is_ours { "ours" } else { "theirs" };
    let fields = |p: &Publisher| [p.name.clone(), p.url.clone(), p.claim_url.clone()];
    let (before, mine, got) = (
        fields(&base.publisher),
        fields(&side.publisher),
        fields(&result.publisher),
    );
    let recorded = result.publisher.conflict.as_deref().map(fields);
    for i in 0..3 {
        if mine[i] == before[i] || got[i] == mine[i] {
            continue;
        }
        if is_ours || recorded.as_ref().is_none_or(|r| r[i] != mine[i]) {
            return Err(fail(format!(
                "{who}'s publisher {:?} is lost: {:?}",
                side.publisher, result.publisher
            )));
        }
    }
    Ok(())
}

/// A conflict is reported only where both sides changed one field (of a
/// claim or party) differently, or one deleted what the other changed:
/// changes to different fields combine.
fn conflicts_are_real(base: &ParsedFile, result: &ParsedFile, conflicts: &[Conflict]) -> Checked {
    let base_claim = |id: &ClaimId| base.claims.iter().find(|c| &c.id == id);
    let base_party = |id: &PartyId| base.parties.iter().find(|p| &p.id == id);
    for conflict in conflicts {
        let real = match conflict {
            Conflict::Claim {
                ours,
                theirs,
                fields: named,
            } => {
                let before = base_claim(&ours.id).map(fields);
                let (o, t) = (fields(ours), fields(theirs));
                !named.is_empty()
                    && named.iter().all(|name| {
                        let i = o.iter().position(|(f, _)| f == name);
                        i.is_some_and(|i| {
                            o[i].1 != t[i].1
                                && before
                                    .as_ref()
                                    .is_none_or(|b| b[i].1 != o[i].1 && b[i].1 != t[i].1)
                        })
                    })
            }
            Conflict::DeletedAndChanged { kept, .. } => {
                base_claim(&kept.id).is_some_and(|b| !untouched(b, kept))
            }
            Conflict::Party { ours, theirs } => {
                let before = base_party(&ours.id);
                let both_changed = |f: fn(&Party) -> String| {
                    f(ours) != f(theirs)
                        && before.is_none_or(|b| f(b) != f(ours) && f(b) != f(theirs))
                };
                both_changed(|p| p.name.clone())
                    || both_changed(|p| p.color.to_hex())
                    || both_changed(|p| p.kind.describe())
            }
            Conflict::PartyDeleted { kept, .. } => base_party(&kept.id)
                .is_some_and(|b| b != kept || result.claims.iter().any(|c| c.uses_party(&kept.id))),
            Conflict::Detail {
                detail,
                ours,
                theirs,
            } => {
                let before = base.details.get(*detail);
                ours != theirs && before != ours && before != theirs
            }
            Conflict::Rating { ours, theirs } => {
                let before = base.ratings.iter().find(|r| r.id == ours.id);
                let both_changed = |f: fn(&Rating) -> String| {
                    f(ours) != f(theirs)
                        && before.is_none_or(|b| f(b) != f(ours) && f(b) != f(theirs))
                };
                both_changed(|r| r.label.clone())
                    || both_changed(|r| format!("{:?}", r.value))
                    || both_changed(|r| r.color.to_hex())
            }
            Conflict::RatingDeleted { kept, .. } => {
                base.ratings.iter().any(|b| b.id == kept.id && b != kept)
                    || result
                        .claims
                        .iter()
                        .any(|c| c.verdict.as_ref().is_some_and(|v| v.rating == kept.id))
            }
            Conflict::Publisher { ours, theirs } => {
                let b = &base.publisher;
                let both = |f: fn(&Publisher) -> &String| {
                    f(ours) != f(theirs) && f(b) != f(ours) && f(b) != f(theirs)
                };
                both(|p| &p.name) || both(|p| &p.url) || both(|p| &p.claim_url)
            }
        };
        if !real {
            return Err(fail(format!("not a real conflict: {conflict:?}")));
        }
    }
    Ok(())
}

/// Conflict marks merge like fields: where one side left a claim's mark as
/// it was, the other side's mark holds (a conflict resolved on one side stays
/// resolved); where both changed it differently, a mark is kept. Claims this
/// merge found in conflict are marked anew instead. A mark naming a claim the
/// merge removed names the claim itself.
fn marks_merged(
    base: &ParsedFile,
    ours: &ParsedFile,
    theirs: &ParsedFile,
    result: &ParsedFile,
    conflicts: &[Conflict],
) -> Checked {
    let in_result = |id: &ClaimId| result.claims.iter().find(|c| &c.id == id);
    let mut new_marks: Vec<&ClaimId> = Vec::new();
    for conflict in conflicts {
        match conflict {
            Conflict::Claim { ours, .. } => {
                new_marks.push(&ours.id);
                // Their version, the copy the merged claim names.
                new_marks.extend(in_result(&ours.id).and_then(|c| c.conflict.as_ref()));
            }
            Conflict::DeletedAndChanged { kept, .. } => new_marks.push(&kept.id),
            _ => {}
        }
    }
    for claim in result.claims.iter().filter(|c| !new_marks.contains(&&c.id)) {
        let mark = |file: &ParsedFile| {
            let found = file.claims.iter().find(|c| c.id == claim.id);
            found.map(|c| c.conflict.clone())
        };
        let want = match (mark(base), mark(ours), mark(theirs)) {
            (b, Some(o), Some(t)) if o != t && b.as_ref() == Some(&o) => t,
            (b, Some(o), Some(t)) if o != t && b.as_ref() != Some(&t) => o.or(t),
            (_, Some(o), _) => o,
            (_, None, Some(t)) => t,
            (_, None, None) => continue,
        };
        let lost_partner = want
            .as_ref()
            .is_some_and(|other| in_result(other).is_none());
        let want = if lost_partner {
            Some(claim.id.clone())
        } else {
            want
        };
        if claim.conflict != want {
            return Err(fail(format!(
                "claim {} is marked {:?}, should be {want:?}",
                claim.id, claim.conflict
            )));
        }
    }
    Ok(())
}

/// Every conflict the merge reports is marked in the file it writes.
fn conflicts_marked(result: &ParsedFile, conflicts: &[Conflict]) -> Checked {
    for conflict in conflicts {
        let marked = match conflict {
            Conflict::Claim { theirs, .. } => result
                .claims
                .iter()
                .any(|c| c.id == theirs.id && c.conflict.as_ref().is_some_and(|o| o != &c.id)),
            Conflict::DeletedAndChanged { kept, .. } => result
                .claims
                .iter()
                .any(|c| c.id == kept.id && c.conflict.as_ref() == Some(&kept.id)),
            Conflict::Party { theirs, .. } => result.parties.iter().any(|p| {
                p.id == theirs.id && matches!(p.conflict, Some(PartyConflict::Theirs { .. }))
            }),
            Conflict::PartyDeleted { kept, .. } => result
                .parties
                .iter()
                .any(|p| p.id == kept.id && p.conflict == Some(PartyConflict::Deleted)),
            Conflict::Detail {
                detail,
                ours,
                theirs,
            } => {
                result.details.get(*detail) == ours
                    && result.details.conflicts.get(detail) == Some(theirs)
            }
            Conflict::Rating { theirs, .. } => result.ratings.iter().any(|r| {
                r.id == theirs.id && matches!(r.conflict, Some(RatingConflict::Theirs { .. }))
            }),
            Conflict::RatingDeleted { kept, .. } => result
                .ratings
                .iter()
                .any(|r| r.id == kept.id && r.conflict == Some(RatingConflict::Deleted)),
            Conflict::Publisher { .. } => result.publisher.conflict.is_some(),
        };
        if !marked {
            return Err(fail(format!("not marked in the file: {conflict:?}")));
        }
    }
    Ok(())
}

/// The merged text opens the way `factmark check` opens it: read, bound to
/// the article (every claim is on it) and over a stand-in when it is missing.
fn opens(text: &str) -> Result<ParsedFile, TestCaseError> {
    let parsed = format::from_ron(text).map_err(|e| fail(format!("refused: {e}\n{text}")))?;
    let (set, report) = parsed.clone().bind(article());
    set.check_invariants()
        .map_err(|e| fail(format!("bound: {e}")))?;
    if report.exact != set.claims().len() {
        return Err(fail(format!("claims moved: {report:?}")));
    }
    let (missing, _) = parsed.clone().bind_missing();
    missing
        .check_invariants()
        .map_err(|e| fail(format!("over a stand-in: {e}")))?;
    Ok(parsed)
}

/// Runs the real `factmark check` on the merged text, beside the article.
fn factmark_check(text: &str, marked: bool) -> Checked {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("peace-talks.txt"), ARTICLE).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("merged.ron");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let report = String::from_utf8_lossy(&out.stdout);
    let listed = report.contains("merge conflict");
    if !report.contains("orphaned=0")
        || out.status.code() != Some(i32::from(marked))
        || listed != marked
    {
        return Err(fail(format!(
            "factmark check ({:?}):\n{report}",
            out.status.code()
        )));
    }
    Ok(())
}

/// *Merge their changes into mine*, as the app does it: one edit that
/// applies to my set, gives the merged parties and claims, and undoes.
fn app_merge(base: &ParsedFile, ours: &AnnotationSet, theirs: &ParsedFile) -> Checked {
    let mut merged = merge::merge(base.side(), ours.into(), theirs.side());
    merged.mark_conflicts();
    anchor::place_claims(&ours.article, &mut merged.claims);
    let mut doc = Document::new(ours.clone());
    let me = ctx("ana", 3_000);
    let edit = merge::edit_towards(ours, &merged);
    let applied = edit.is_some();
    if let Some(edit) = edit {
        doc.apply(edit, &me)
            .map_err(|e| fail(format!("the merge edit does not apply: {e}")))?;
    }
    let set = doc.set();
    set.check_invariants()
        .map_err(|e| fail(format!("after the merge edit: {e}")))?;
    if set.details != merged.details {
        return Err(fail(format!(
            "the merge edit gives other details: {:?}\nwanted {:?}",
            set.details, merged.details
        )));
    }
    if set.ratings() != merged.ratings.as_slice() || set.publisher != merged.publisher {
        return Err(fail(format!(
            "the merge edit gives another scale or publisher:\n{:?} {:?}\nwanted {:?} {:?}",
            set.ratings(),
            set.publisher,
            merged.ratings,
            merged.publisher
        )));
    }
    if set.parties() != merged.parties.as_slice() || set.claims() != merged.claims.as_slice() {
        return Err(fail(format!(
            "the merge edit gives another set:\nparties {:?}\nwanted  {:?}\nclaims {:?}\nwanted {:?}",
            set.parties(),
            merged.parties,
            set.claims().iter().map(|c| &c.id).collect::<Vec<_>>(),
            merged.claims.iter().map(|c| &c.id).collect::<Vec<_>>()
        )));
    }
    if applied {
        doc.undo(&me).map_err(|e| fail(format!("undo: {e}")))?;
    }
    if doc.set() != ours {
        return Err(fail("undo does not give my set back".into()));
    }
    Ok(())
}

static RUN: AtomicUsize = AtomicUsize::new(0);

fn merge_case(base: &BaseGen, ours: &[EditGen], theirs: &[EditGen], no_base: bool) -> Checked {
    let start = build_base(base);
    let ours_set = side(&start, ours, &ctx("ana", 2_000));
    let theirs_set = side(&start, theirs, &ctx("ben", 2_500));
    let (o, t) = (as_file(&ours_set), as_file(&theirs_set));
    let b = as_file(&start);
    // Without a base, both added the file: compare with an empty one.
    let compared = match no_base {
        true => ParsedFile {
            details: Default::default(),
            publisher: Default::default(),
            parties: Vec::new(),
            ratings: Vec::new(),
            claims: Vec::new(),
            ..b.clone()
        },
        false => b.clone(),
    };
    let merged = format::merge_files((!no_base).then_some(&b), &o, &t)
        .map_err(|e| fail(format!("the merge driver fails: {e}")))?;
    let result = opens(&merged.text)?;
    conflicts_marked(&result, &merged.conflicts)?;
    conflicts_are_real(&compared, &result, &merged.conflicts)?;
    marks_merged(&compared, &o, &t, &result, &merged.conflicts)?;
    nothing_lost(&compared, &o, true, &result, &merged.conflicts)?;
    nothing_lost(&compared, &t, false, &result, &merged.conflicts)?;
    if RUN
        .fetch_add(1, Ordering::Relaxed)
        .is_multiple_of(CHECK_EVERY)
    {
        let marked = result.claims.iter().any(|c| c.conflict.is_some())
            || result.parties.iter().any(|p| p.conflict.is_some())
            || result.ratings.iter().any(|r| r.conflict.is_some())
            || result.publisher.conflict.is_some()
            || !result.details.conflicts.is_empty();
        factmark_check(&merged.text, marked)?;
    }
    // Both sides the same, or only one side changed: that side.
    for (theirs, what) in [(&o, "identical sides"), (&compared, "theirs unchanged")] {
        let same = format::merge_files(Some(&compared), &o, theirs)
            .map_err(|e| fail(format!("{what}: {e}")))?;
        if !same.conflicts.is_empty()
            || same.file.details != o.details
            || same.file.publisher != o.publisher
            || same.file.parties != o.parties
            || same.file.ratings != o.ratings
            || same.file.claims != o.claims
        {
            return Err(fail(format!("{what}: not ours: {:?}", same.conflicts)));
        }
    }
    app_merge(&compared, &ours_set, &t)
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn merges_open_lose_nothing_and_apply_to_ours(
        base in base_gen(),
        ours in edits(),
        theirs in edits(),
        no_base in prop::bool::weighted(0.125),
    ) {
        merge_case(&base, &ours, &theirs, no_base)?;
    }
}

//! Property tests for the model: any sequence of edits (including ones that
//! fail), undos and redos keeps the annotation set consistent and can be undone
//! back to the start and redone again; any annotation set survives
//! save → load unchanged, byte for byte.
//!
//! Generated edits name claims and parties by index; the index is turned into
//! a real id (or, now and then, an unknown one) when the edit is applied, so
//! most edits succeed and the failures that remain are the interesting kind.

use factmark::format;
use factmark::model::{
    Anchor, AnchorState, AnnotationSet, Article, Claim, ClaimId, Detail, Document, Edit,
    EditContext, Evidence, Party, PartyId, PartyKind, Publisher, Rating, RatingId, Rgb, Stance,
    Status, StatusOrigin,
};
use jiff::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

const ARTICLE: &str = include_str!("../assets/articles/peace-talks.txt");
/// Added to the reference article so spans also cut through two- to four-byte chars.
const EXTRA: &str = "\nCafé owners in Kyiv called the talks “satisfactory” — “not quite,” \
                     said Zoë. 1,000 prisoners 🕊 were named.\n";

fn article_text() -> String {
    format!("{ARTICLE}{EXTRA}")
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Failures are turned into named regression tests below instead.
        failure_persistence: None,
        ..Config::default()
    }
}

/// A few fixed authors and clocks: redoing with another one must change nothing.
fn contexts() -> Vec<EditContext> {
    [
        ("tester", 1_700_000_000),
        ("Zoë “Z”", 1_700_003_600),
        ("", 0),
    ]
    .into_iter()
    .map(|(author, second)| EditContext {
        author: author.to_owned(),
        now: Timestamp::from_second(second).unwrap_or_else(|e| panic!("{e}")),
    })
    .collect()
}

// ---------------------------------------------------------------------------
// Generators

/// Strings that stress the file format: quotes, backslashes, newlines, control
/// and multi-byte chars, RON syntax, plus any char at all.
fn text(max: usize) -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        'a', 'Z', ' ', ' ', '\n', '\r', '\t', '"', '\'', '\\', '“', '”', '’', 'é', 'ü', '—', '🕊',
        '#', 'r', '(', ')', '{', '}', '[', ']', ',', ':', '/', '*', '\u{0}', '\u{7f}', '\u{2028}',
        '\u{feff}', '\u{301}',
    ]);
    prop::collection::vec(prop_oneof![4 => tricky, 1 => any::<char>()], 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A reference to a claim or party: mostly an existing one, sometimes an unknown id.
type Ref = u8;

fn pick<T: Clone>(items: &[T], r: Ref) -> Option<T> {
    if items.is_empty() || r % 8 == 7 {
        return None;
    }
    items.get(usize::from(r / 8) % items.len()).cloned()
}

fn claim_ref(set: &AnnotationSet, r: Ref) -> ClaimId {
    let ids: Vec<ClaimId> = set.claims().iter().map(|c| c.id.clone()).collect();
    pick(&ids, r).unwrap_or_else(|| ClaimId("c-unknown".into()))
}

fn party_ref(set: &AnnotationSet, r: Ref) -> PartyId {
    let ids: Vec<PartyId> = set.parties().iter().map(|p| p.id.clone()).collect();
    pick(&ids, r).unwrap_or_else(|| PartyId("nobody".into()))
}

/// Mostly a claim that has evidence to change.
fn claim_with_evidence(set: &AnnotationSet, r: Ref) -> ClaimId {
    let ids: Vec<ClaimId> = set
        .claims()
        .iter()
        .filter(|c| !c.evidence.is_empty())
        .map(|c| c.id.clone())
        .collect();
    match ids.is_empty() {
        true => claim_ref(set, r),
        false => pick(&ids, r).unwrap_or_else(|| ClaimId("c-unknown".into())),
    }
}

/// An evidence item of the claim, or one past its last.
fn evidence_index(set: &AnnotationSet, claim: &ClaimId, r: Ref) -> usize {
    let items = set.claim(claim).map_or(0, |c| c.evidence.len());
    let items: Vec<usize> = (0..items).collect();
    pick(&items, r).unwrap_or(items.len())
}

/// Where a generated claim is placed (some placements are invalid on purpose).
#[derive(Clone, Debug)]
enum Place {
    Exact,
    Moved {
        from: usize,
    },
    Fuzzy {
        start: usize,
        len: usize,
    },
    /// A fuzzy match shown past the end of the article.
    FuzzyOutside,
    /// A stand-in excerpt: valid only while the article is missing.
    Excerpt {
        start: usize,
        len: usize,
    },
    Orphaned,
    /// Claims to sit exactly on a quote that is not there.
    Stale,
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        8 => Just(Place::Exact),
        1 => any::<usize>().prop_map(|from| Place::Moved { from }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(start, len)| Place::Fuzzy { start, len }),
        1 => Just(Place::FuzzyOutside),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(start, len)| Place::Excerpt { start, len }),
        1 => Just(Place::Orphaned),
        1 => Just(Place::Stale),
    ]
}

/// A span of 1 to 40 chars inside the article (empty when `len` says so, to
/// exercise the empty-selection error).
fn span(article: &Article, start: usize, len: usize) -> Range<usize> {
    let n = article.char_count();
    let start = start % n.max(1);
    if len % 50 == 49 {
        return start..start;
    }
    start..(start + 1 + len % 40).min(n)
}

fn placed(article: &Article, mut anchor: Anchor, place: &Place) -> (Anchor, AnchorState) {
    let n = article.char_count();
    let state = match place {
        Place::Exact => AnchorState::Exact,
        Place::Moved { from } => {
            let from = from % n.max(1);
            AnchorState::Moved {
                from: from..from + anchor.exact.chars().count(),
            }
        }
        Place::Fuzzy { start, len } => AnchorState::Fuzzy {
            at: span(article, *start, *len),
            score: 0.8,
        },
        Place::FuzzyOutside => AnchorState::Fuzzy {
            at: n..n + 3,
            score: 0.8,
        },
        Place::Excerpt { start, len } => AnchorState::Excerpt {
            at: span(article, *start, *len),
        },
        Place::Orphaned => AnchorState::Orphaned,
        Place::Stale => {
            anchor.exact.push('~');
            AnchorState::Exact
        }
    };
    (anchor, state)
}

#[derive(Clone, Debug)]
struct EvidenceGen {
    url: String,
    quote: String,
    supports: Option<Ref>,
}

fn evidence() -> impl Strategy<Value = EvidenceGen> {
    (
        prop_oneof![Just("https://example.org/a?b=1".to_owned()), text(12)],
        text(16),
        prop::option::of(any::<Ref>()),
    )
        .prop_map(|(url, quote, supports)| EvidenceGen {
            url,
            quote,
            supports,
        })
}

fn make_evidence(set: &AnnotationSet, e: &EvidenceGen) -> Evidence {
    Evidence {
        url: e.url.clone(),
        quote: e.quote.clone(),
        supports: e.supports.map(|r| party_ref(set, r)),
    }
}

fn stance() -> impl Strategy<Value = Stance> {
    prop_oneof![Just(Stance::Agrees), Just(Stance::Disputes)]
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

/// One field change of a claim put back wholesale with [`Edit::PutClaim`].
#[derive(Clone, Debug)]
enum Change {
    Note(String),
    Status(Status, bool),
    Claimant(Option<Ref>),
    Stances(Vec<(Ref, Stance)>),
    Evidence(Vec<EvidenceGen>),
    Anchor {
        start: usize,
        len: usize,
        place: Place,
    },
    Conflict(Option<Ref>),
    Author(String, i64),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        text(20).prop_map(Change::Note),
        (status(), any::<bool>()).prop_map(|(s, chosen)| Change::Status(s, chosen)),
        prop::option::of(any::<Ref>()).prop_map(Change::Claimant),
        prop::collection::vec((any::<Ref>(), stance()), 0..4).prop_map(Change::Stances),
        prop::collection::vec(evidence(), 0..3).prop_map(Change::Evidence),
        (any::<usize>(), any::<usize>(), place()).prop_map(|(start, len, place)| Change::Anchor {
            start,
            len,
            place
        }),
        prop::option::of(any::<Ref>()).prop_map(Change::Conflict),
        (text(8), 0..2_000_000_000i64).prop_map(|(a, t)| Change::Author(a, t)),
    ]
}

/// An [`Edit`] with its ids still to be chosen.
#[derive(Clone, Debug)]
enum Gen {
    AddClaim {
        start: usize,
        len: usize,
        place: Place,
        claimant: Option<Ref>,
        stances: Vec<(Ref, Stance)>,
        duplicate: bool,
    },
    RemoveClaim(Ref),
    PutClaim(Ref, Vec<Change>),
    SetStatus(Ref, Status),
    UseSuggestedStatus(Ref),
    SetClaimant(Ref, Option<Ref>),
    SetStance(Ref, Ref, Option<Stance>),
    SetNote(Ref, String),
    SetAnchor {
        claim: Ref,
        start: usize,
        len: usize,
        stale: bool,
    },
    AddEvidence(Ref, EvidenceGen),
    SetEvidence(Ref, Ref, EvidenceGen),
    RemoveEvidence(Ref, Ref),
    AddParty {
        name: String,
        index: Option<usize>,
        duplicate: bool,
        color: [u8; 3],
    },
    RenameParty(Ref, String),
    RecolorParty(Ref, [u8; 3]),
    RemoveParty(Ref),
    SetTitle(String),
    SetDetail(usize, String),
    PutDetail(usize, String, Option<String>),
    /// A rating by its place on the scale past its end (unknown: refused), or none.
    SetVerdict(Ref, Option<usize>),
    SetExplanation(Ref, String),
    Batch(Vec<Gen>),
}

fn gen_leaf() -> impl Strategy<Value = Gen> {
    let r = any::<Ref>;
    prop_oneof![
        8 => (any::<usize>(), any::<usize>(), place(), prop::option::weighted(0.3, r()),
              prop::option::weighted(0.3, (r(), stance())).prop_map(Vec::from_iter),
              prop::bool::weighted(0.05))
            .prop_map(|(start, len, place, claimant, stances, duplicate)| Gen::AddClaim {
                start, len, place, claimant, stances, duplicate,
            }),
        2 => r().prop_map(Gen::RemoveClaim),
        2 => (r(), prop::collection::vec(change(), 1..3)).prop_map(|(c, ch)| Gen::PutClaim(c, ch)),
        2 => (r(), status()).prop_map(|(c, s)| Gen::SetStatus(c, s)),
        1 => r().prop_map(Gen::UseSuggestedStatus),
        2 => (r(), prop::option::of(r())).prop_map(|(c, p)| Gen::SetClaimant(c, p)),
        3 => (r(), r(), prop::option::of(stance())).prop_map(|(c, p, s)| Gen::SetStance(c, p, s)),
        3 => (r(), text(20)).prop_map(|(c, n)| Gen::SetNote(c, n)),
        1 => (r(), any::<usize>(), any::<usize>(), prop::bool::weighted(0.2))
            .prop_map(|(claim, start, len, stale)| Gen::SetAnchor { claim, start, len, stale }),
        2 => (r(), evidence()).prop_map(|(c, e)| Gen::AddEvidence(c, e)),
        2 => (r(), r(), evidence()).prop_map(|(c, i, e)| Gen::SetEvidence(c, i, e)),
        1 => (r(), r()).prop_map(|(c, i)| Gen::RemoveEvidence(c, i)),
        4 => (text(10), prop::option::of(0..6usize), prop::bool::weighted(0.1), any::<[u8; 3]>())
            .prop_map(|(name, index, duplicate, color)| Gen::AddParty { name, index, duplicate, color }),
        1 => (r(), text(10)).prop_map(|(p, n)| Gen::RenameParty(p, n)),
        1 => (r(), any::<[u8; 3]>()).prop_map(|(p, c)| Gen::RecolorParty(p, c)),
        1 => r().prop_map(Gen::RemoveParty),
        1 => text(12).prop_map(Gen::SetTitle),
        // Text may hold line breaks and a direction may be nonsense: refused.
        2 => (any::<usize>(), detail_value()).prop_map(|(d, v)| Gen::SetDetail(d, v)),
        1 => (any::<usize>(), detail_value(), prop::option::of(detail_value()))
            .prop_map(|(d, v, c)| Gen::PutDetail(d, v, c)),
        2 => (r(), prop::option::of(0..9usize)).prop_map(|(c, v)| Gen::SetVerdict(c, v)),
        2 => (r(), text(20)).prop_map(|(c, e)| Gen::SetExplanation(c, e)),
    ]
}

fn detail_value() -> impl Strategy<Value = String> {
    prop_oneof![3 => text(12), 1 => Just("rtl".to_owned()), 1 => Just(String::new())]
}

fn detail(n: usize) -> Detail {
    Detail::ALL[n % Detail::ALL.len()]
}

/// Mostly single edits; some batches, a few with batches inside.
fn gen_edit() -> impl Strategy<Value = Gen> {
    let batch = prop::collection::vec(gen_leaf(), 0..5)
        .prop_map(Gen::Batch)
        .boxed();
    let nested = prop::collection::vec(prop_oneof![3 => gen_leaf(), 1 => batch.clone()], 0..4)
        .prop_map(Gen::Batch);
    prop_oneof![16 => gen_leaf(), 2 => batch, 1 => nested]
}

/// A claim over `range`, made as the app makes one; while the article is
/// missing (no new claims possible) a copy of one from the file instead.
fn fresh_claim(set: &AnnotationSet, range: Range<usize>, ctx: &EditContext, n: usize) -> Claim {
    set.new_claim(range.clone(), ctx).unwrap_or_else(|_| Claim {
        id: ClaimId(format!("c-gen-{n}")),
        anchor: Anchor::capture(&set.article, range),
        anchor_state: AnchorState::Exact,
        status: Status::Unreviewed,
        status_origin: StatusOrigin::Suggested,
        claimant: None,
        stances: BTreeMap::new(),
        note: String::new(),
        evidence: Vec::new(),
        verdict: None,
        author: ctx.author.clone(),
        created: ctx.now,
        modified: ctx.now,
        conflict: None,
    })
}

/// Turns a generated edit into a real one against the current state.
fn resolve(set: &AnnotationSet, g: &Gen, ctx: &EditContext, counter: &mut usize) -> Edit {
    *counter += 1;
    let claim = |r: &Ref| claim_ref(set, *r);
    let party = |r: &Ref| party_ref(set, *r);
    match g {
        Gen::AddClaim {
            start,
            len,
            place,
            claimant,
            stances,
            duplicate,
        } => {
            let mut new = fresh_claim(set, span(&set.article, *start, *len), ctx, *counter);
            if set.missing_article.is_some()
                && let Some(copy) = pick(set.claims(), *start as u8)
            {
                // A claim from the file coming back, as after a merge.
                new = Claim { id: new.id, ..copy };
            } else {
                (new.anchor, new.anchor_state) = placed(&set.article, new.anchor, place);
            }
            new.claimant = claimant.as_ref().map(party);
            new.stances = stances.iter().map(|(p, s)| (party(p), *s)).collect();
            if *duplicate && let Some(existing) = set.claims().first() {
                new.id = existing.id.clone();
            }
            Edit::AddClaim(Box::new(new))
        }
        Gen::RemoveClaim(c) => Edit::RemoveClaim(claim(c)),
        Gen::PutClaim(c, changes) => {
            let id = claim(c);
            let mut new = match set.claim(&id) {
                Some(old) => old.clone(),
                None => fresh_claim(set, 0..1, ctx, *counter),
            };
            new.id = id;
            for change in changes {
                match change {
                    Change::Note(note) => new.note = note.clone(),
                    Change::Status(status, chosen) => {
                        new.status = *status;
                        new.status_origin = if *chosen {
                            StatusOrigin::Chosen
                        } else {
                            StatusOrigin::Suggested
                        };
                    }
                    Change::Claimant(p) => new.claimant = p.as_ref().map(party),
                    Change::Stances(stances) => {
                        new.stances = stances.iter().map(|(p, s)| (party(p), *s)).collect();
                    }
                    Change::Evidence(items) => {
                        new.evidence = items.iter().map(|e| make_evidence(set, e)).collect();
                    }
                    Change::Anchor { start, len, place } => {
                        let range = span(&set.article, *start, *len);
                        let anchor = Anchor::capture(&set.article, range);
                        (new.anchor, new.anchor_state) = placed(&set.article, anchor, place);
                    }
                    // Merges pair conflicting claims; a claim may name itself.
                    Change::Conflict(r) => {
                        new.conflict = r.map(|r| {
                            let ids: Vec<ClaimId> =
                                set.claims().iter().map(|c| c.id.clone()).collect();
                            pick(&ids, r).unwrap_or_else(|| new.id.clone())
                        });
                    }
                    Change::Author(author, second) => {
                        new.author = author.clone();
                        new.created =
                            Timestamp::from_second(*second).unwrap_or_else(|e| panic!("{e}"));
                    }
                }
            }
            Edit::PutClaim(Box::new(new))
        }
        Gen::SetStatus(c, status) => Edit::SetStatus {
            claim: claim(c),
            status: *status,
        },
        Gen::UseSuggestedStatus(c) => Edit::UseSuggestedStatus { claim: claim(c) },
        Gen::SetClaimant(c, p) => Edit::SetClaimant {
            claim: claim(c),
            party: p.as_ref().map(party),
        },
        Gen::SetStance(c, p, stance) => Edit::SetStance {
            claim: claim(c),
            party: party(p),
            stance: *stance,
        },
        Gen::SetNote(c, note) => Edit::SetNote {
            claim: claim(c),
            note: note.clone(),
        },
        Gen::SetVerdict(c, rating) => Edit::SetVerdict {
            claim: claim(c),
            verdict: rating.map(|n| factmark::model::Verdict {
                rating: set.ratings().get(n).map_or_else(
                    || factmark::model::RatingId("off-the-scale".into()),
                    |r| r.id.clone(),
                ),
                explanation: String::new(),
            }),
        },
        Gen::SetExplanation(c, explanation) => Edit::SetExplanation {
            claim: claim(c),
            explanation: explanation.clone(),
        },
        Gen::SetAnchor {
            claim: c,
            start,
            len,
            stale,
        } => {
            let mut anchor = Anchor::capture(&set.article, span(&set.article, *start, *len));
            if *stale {
                anchor.start += 1;
            }
            Edit::SetAnchor {
                claim: claim(c),
                anchor,
            }
        }
        Gen::AddEvidence(c, e) => Edit::AddEvidence {
            claim: claim(c),
            evidence: make_evidence(set, e),
        },
        Gen::SetEvidence(c, i, e) => {
            let claim = claim_with_evidence(set, *c);
            Edit::SetEvidence {
                index: evidence_index(set, &claim, *i),
                claim,
                evidence: make_evidence(set, e),
            }
        }
        Gen::RemoveEvidence(c, i) => {
            let claim = claim_with_evidence(set, *c);
            Edit::RemoveEvidence {
                index: evidence_index(set, &claim, *i),
                claim,
            }
        }
        Gen::AddParty {
            name,
            index,
            duplicate,
            color,
        } => {
            let mut new = set.new_party(name);
            // `new_party` trims; keep the name as typed (it may be blank).
            new.name = name.clone();
            new.color = Rgb(*color);
            if *duplicate && let Some(existing) = set.parties().first() {
                new.id = existing.id.clone();
            }
            Edit::AddParty {
                party: new,
                index: *index,
            }
        }
        Gen::RenameParty(p, name) => Edit::RenameParty {
            party: party(p),
            name: name.clone(),
        },
        Gen::RecolorParty(p, color) => Edit::RecolorParty {
            party: party(p),
            color: Rgb(*color),
        },
        Gen::RemoveParty(p) => Edit::RemoveParty(party(p)),
        Gen::SetTitle(title) => Edit::SetTitle(title.clone()),
        Gen::SetDetail(d, value) => Edit::SetDetail {
            detail: detail(*d),
            value: value.clone(),
        },
        Gen::PutDetail(d, value, conflict) => Edit::PutDetail {
            detail: detail(*d),
            value: value.clone(),
            conflict: conflict.clone(),
        },
        // Resolved up front, against the state before the batch, as a caller
        // building one would: later parts may then fail and roll it back.
        Gen::Batch(parts) => Edit::Batch(
            parts
                .iter()
                .map(|part| resolve(set, part, ctx, counter))
                .collect(),
        ),
    }
}

#[derive(Clone, Debug)]
enum Op {
    Edit(Gen, usize),
    Undo(usize),
    Redo(usize),
    Seal,
    MarkSaved,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        14 => (gen_edit(), 0..3usize).prop_map(|(g, c)| Op::Edit(g, c)),
        3 => (0..3usize).prop_map(Op::Undo),
        2 => (0..3usize).prop_map(Op::Redo),
        1 => Just(Op::Seal),
        1 => Just(Op::MarkSaved),
    ]
}

// ---------------------------------------------------------------------------
// Random annotation sets (for save/load, and as starting points)

#[derive(Clone, Debug)]
struct ClaimGen {
    start: usize,
    len: usize,
    id: Option<String>,
    status: Status,
    chosen: bool,
    claimant: Option<Ref>,
    stances: Vec<(Ref, Stance)>,
    note: String,
    evidence: Vec<EvidenceGen>,
    author: String,
    created: Timestamp,
    modified: Timestamp,
    conflict: Option<Ref>,
}

/// A rating's label, number and colour.
type RatingGen = (String, Option<u32>, [u8; 3]);

#[derive(Clone, Debug)]
struct SetGen {
    /// `None`: the reference article (with multi-byte additions).
    article: Option<String>,
    title: String,
    parties: Vec<(String, String, [u8; 3])>,
    /// Per party: a person's job title, or an organisation.
    kinds: Vec<Option<String>>,
    /// A scale of the publisher's own, or the default.
    scale: Option<Vec<RatingGen>>,
    /// The publisher's name, site and review address.
    publisher: (String, String, String),
    claims: Vec<ClaimGen>,
    contributors: Vec<String>,
    embed: bool,
    /// Ids as generated, control characters and all; otherwise only the
    /// kind of id factmark writes (no control characters).
    raw_ids: bool,
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    let min = Timestamp::MIN.as_second();
    let max = Timestamp::MAX.as_second();
    prop_oneof![
        3 => (1_000_000_000..2_000_000_000i64, 0..1_000_000_000i32),
        1 => (min..=max, 0..1_000_000_000i32),
    ]
    .prop_map(move |(s, ns)| {
        // The very last second has no room for nanoseconds.
        let ns = if s == max { 0 } else { ns };
        Timestamp::new(s, ns).unwrap_or_else(|e| panic!("{s}.{ns}: {e}"))
    })
}

fn claim_gen() -> impl Strategy<Value = ClaimGen> {
    (
        (
            any::<usize>(),
            any::<usize>(),
            prop::option::weighted(0.2, text(8)),
            status(),
            any::<bool>(),
            prop::option::of(any::<Ref>()),
            prop::collection::vec((any::<Ref>(), stance()), 0..4),
        ),
        (
            text(40),
            prop::collection::vec(evidence(), 0..3),
            text(8),
            timestamp(),
            timestamp(),
            prop::option::weighted(0.1, any::<Ref>()),
        ),
    )
        .prop_map(
            |(
                (start, len, id, status, chosen, claimant, stances),
                (note, evidence, author, created, modified, conflict),
            )| ClaimGen {
                start,
                len,
                id,
                status,
                chosen,
                claimant,
                stances,
                note,
                evidence,
                author,
                created,
                modified,
                conflict,
            },
        )
}

fn set_gen() -> impl Strategy<Value = SetGen> {
    let article = prop_oneof![
        3 => Just(None),
        // Short texts from a small alphabet: the same quote at many places.
        1 => prop::collection::vec(prop::sample::select(vec!['a', 'b', ' ', '\n', '“', 'é', '🕊']), 1..200)
            .prop_map(|c| Some(c.into_iter().collect::<String>())),
    ];
    (
        article,
        text(12),
        prop::collection::vec((text(6), text(10), any::<[u8; 3]>()), 0..5),
        (
            prop::collection::vec(prop::option::of(text(8)), 0..5),
            prop::option::weighted(
                0.3,
                prop::collection::vec(
                    (text(8), prop::option::of(any::<u32>()), any::<[u8; 3]>()),
                    1..6,
                ),
            ),
            (text(8), text(10), text(10)),
        ),
        prop::collection::vec(claim_gen(), 0..10),
        prop::collection::vec(text(6), 0..3),
        any::<bool>(),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(
                article,
                title,
                parties,
                (kinds, scale, publisher),
                claims,
                contributors,
                embed,
                raw_ids,
            )| {
                SetGen {
                    article,
                    title,
                    parties,
                    kinds,
                    scale,
                    publisher,
                    claims,
                    contributors,
                    embed,
                    raw_ids,
                }
            },
        )
}

/// Builds the set a [`SetGen`] describes, as a file's loader would accept it.
fn build_set(g: &SetGen) -> AnnotationSet {
    let mut text = g.article.clone().unwrap_or_else(article_text);
    if Article::new("", &text).char_count() == 0 {
        text = article_text();
    }
    let article = Article::new(g.title.clone(), &text);
    let scratch = AnnotationSet::new(article.clone());
    let id_from = |id: &str| match g.raw_ids {
        true => id.to_owned(),
        false => id.chars().filter(|c| !c.is_control()).collect(),
    };
    let mut parties: Vec<Party> = Vec::new();
    for (i, (id, name, color)) in g.parties.iter().enumerate() {
        let id = &id_from(id);
        let id = if id.is_empty() || parties.iter().any(|p| &p.id.0 == id) {
            format!("{id}#{i}")
        } else {
            id.clone()
        };
        parties.push(Party {
            id: PartyId(id),
            // Any name a person can type, as long as it is not blank.
            name: format!("{name}P"),
            color: Rgb(*color),
            kind: match g.kinds.get(i) {
                Some(Some(job_title)) => PartyKind::Person {
                    job_title: job_title.clone(),
                },
                _ => PartyKind::Organization,
            },
            conflict: None,
        });
    }
    let party_ids: Vec<PartyId> = parties.iter().map(|p| p.id.clone()).collect();
    let party = |r: &Ref| pick(&party_ids, *r).unwrap_or_else(|| party_ids[0].clone());
    let mut claims: Vec<Claim> = Vec::new();
    for (i, c) in g.claims.iter().enumerate() {
        let ctx = EditContext {
            author: c.author.clone(),
            now: c.created,
        };
        let mut range = span(&scratch.article, c.start, c.len);
        if range.is_empty() {
            range.end = (range.start + 1).min(scratch.article.char_count());
            range.start = range.end - 1;
        }
        let mut claim = scratch
            .new_claim(range, &ctx)
            .unwrap_or_else(|e| panic!("new claim: {e}"));
        if let Some(id) = &c.id {
            claim.id = ClaimId(id_from(id));
        }
        if claim.id.0.is_empty() || claims.iter().any(|o| o.id == claim.id) {
            claim.id = ClaimId(format!("{}#{i}", claim.id));
        }
        claim.status = c.status;
        claim.status_origin = if c.chosen {
            StatusOrigin::Chosen
        } else {
            StatusOrigin::Suggested
        };
        if !party_ids.is_empty() {
            claim.claimant = c.claimant.as_ref().map(party);
            claim.stances = c.stances.iter().map(|(p, s)| (party(p), *s)).collect();
            claim.evidence = c
                .evidence
                .iter()
                .map(|e| Evidence {
                    url: e.url.clone(),
                    quote: e.quote.clone(),
                    supports: e.supports.as_ref().map(party),
                })
                .collect();
        }
        claim.note = c.note.clone();
        claim.modified = c.modified;
        claims.push(claim);
    }
    let ids: Vec<ClaimId> = claims.iter().map(|c| c.id.clone()).collect();
    for (claim, c) in claims.iter_mut().zip(&g.claims) {
        claim.conflict = c
            .conflict
            .map(|r| pick(&ids, r).unwrap_or_else(|| claim.id.clone()));
    }
    let mut set = AnnotationSet::from_parts(article, parties, claims);
    if let Some(scale) = &g.scale {
        let ratings = scale
            .iter()
            .enumerate()
            .map(|(i, (label, value, color))| Rating {
                id: RatingId(format!("r{i}")),
                label: format!("{label}R"),
                value: *value,
                color: Rgb(*color),
                conflict: None,
            });
        set.set_ratings(ratings.collect());
    }
    let (name, url, claim_url) = g.publisher.clone();
    set.publisher = Publisher {
        name,
        url,
        claim_url,
        conflict: None,
    };
    set.contributors = g
        .contributors
        .iter()
        .map(|c| format!("{}x", c.trim()))
        .collect();
    set
}

/// `saves/peace-talks.ron` on the reference article (plus [`EXTRA`], after
/// every claim, so they all stay in place).
fn example_set() -> AnnotationSet {
    let parsed = format::from_ron(include_str!("../saves/peace-talks.ron"))
        .unwrap_or_else(|e| panic!("example: {e}"));
    let (mut set, report) = parsed.bind(Article::new("", &article_text()));
    assert_eq!(report.exact, set.claims().len(), "example: {report:?}");
    set.article_source = Some("a.txt".into());
    set.contributors = set.all_contributors();
    set
}

/// The same set with its article missing, as opened without it.
fn with_missing_article(set: &AnnotationSet) -> AnnotationSet {
    let text = format::to_ron(set, Some("a.txt")).unwrap_or_else(|e| panic!("{e}"));
    let parsed = format::from_ron(&text).unwrap_or_else(|e| panic!("{e}"));
    parsed.bind_missing().0
}

// ---------------------------------------------------------------------------
// Checks

/// Says where two sets differ (an `assert_eq!` of whole sets is unreadable).
fn difference(got: &AnnotationSet, want: &AnnotationSet) -> Option<String> {
    if got == want {
        return None;
    }
    if got.article != want.article {
        return Some(format!(
            "article {:?} {} vs {:?} {}",
            got.article.title(),
            got.article.sha256(),
            want.article.title(),
            want.article.sha256()
        ));
    }
    if got.details != want.details {
        return Some(format!(
            "details {:?}\n  vs {:?}",
            got.details, want.details
        ));
    }
    if got.parties() != want.parties() {
        return Some(format!(
            "parties {:?}\n  vs {:?}",
            got.parties(),
            want.parties()
        ));
    }
    let (a, b) = (got.claims(), want.claims());
    if a.len() != b.len() {
        let ids = |cs: &[Claim]| cs.iter().map(|c| c.id.0.clone()).collect::<Vec<_>>();
        return Some(format!("claims {:?}\n  vs {:?}", ids(a), ids(b)));
    }
    if let Some((x, y)) = a.iter().zip(b).find(|(x, y)| x != y) {
        return Some(format!("claim {x:#?}\n  vs {y:#?}"));
    }
    Some(format!(
        "source/contributors/missing: {:?} {:?} {:?}\n  vs {:?} {:?} {:?}",
        got.article_source,
        got.contributors,
        got.missing_article,
        want.article_source,
        want.contributors,
        want.missing_article
    ))
}

fn same(got: &AnnotationSet, want: &AnnotationSet, what: &str) -> Result<(), TestCaseError> {
    match difference(got, want) {
        None => Ok(()),
        Some(diff) => Err(TestCaseError::fail(format!("{what}: {diff}"))),
    }
}

fn invariants(doc: &Document, what: &str) -> Result<(), TestCaseError> {
    doc.set()
        .check_invariants()
        .map_err(|e| TestCaseError::fail(format!("{what}: {e}")))
}

/// Claims by id with the runtime-only placement left out.
fn stored_claims(set: &AnnotationSet) -> BTreeMap<String, Claim> {
    set.claims()
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.anchor_state = AnchorState::Exact;
            (c.id.0.clone(), c)
        })
        .collect()
}

/// Any state edits can reach saves to a file that opens again with the same content.
fn saves_and_reopens(set: &AnnotationSet) -> Result<(), TestCaseError> {
    let text = format::to_ron(set, Some("a.txt"))
        .map_err(|e| TestCaseError::fail(format!("save: {e}")))?;
    let parsed = format::from_ron(&text)
        .map_err(|e| TestCaseError::fail(format!("the saved file does not open: {e}\n{text}")))?;
    let reopened = match set.missing_article {
        Some(_) => parsed.bind_missing().0,
        None => parsed.bind(Article::new("", set.article.text())).0,
    };
    prop_assert_eq!(reopened.article.title(), set.article.title());
    prop_assert_eq!(reopened.parties(), set.parties());
    prop_assert_eq!(&reopened.details, &set.details);
    prop_assert_eq!(&reopened.contributors, &set.all_contributors());
    let (got, want) = (stored_claims(&reopened), stored_claims(set));
    if got != want {
        let diff = got.iter().zip(&want).find(|(a, b)| a != b);
        return Err(TestCaseError::fail(format!(
            "claims differ after reopening: {diff:#?}"
        )));
    }
    reopened
        .check_invariants()
        .map_err(|e| TestCaseError::fail(format!("reopened: {e}")))
}

/// Applies `ops`, checking after every step; then undoes everything, redoes it
/// all, and saves and reopens the result.
fn run(start: AnnotationSet, ops: &[Op]) -> Result<(), TestCaseError> {
    let ctxs = contexts();
    let mut doc = Document::new(start.clone());
    invariants(&doc, "start")?;
    // History promises "equal ids mean equal documents": every state id seen
    // must come back with the same content.
    let mut states: HashMap<u64, AnnotationSet> = HashMap::new();
    states.insert(doc.history().state(), start.clone());
    let mut saved = start.clone();
    let mut counter = 0;
    for (step, op) in ops.iter().enumerate() {
        let before = doc.set().clone();
        let state_before = doc.history().state();
        let what = format!("step {step} {op:?}");
        match op {
            Op::Edit(g, c) => {
                let edit = resolve(doc.set(), g, &ctxs[*c], &mut counter);
                if let Err(err) = doc.apply(edit.clone(), &ctxs[*c]) {
                    let what = format!("{what}: failed ({err}) but changed the set: {edit:?}");
                    same(doc.set(), &before, &what)?;
                    prop_assert_eq!(doc.history().state(), state_before);
                }
            }
            Op::Undo(c) => {
                let result = doc.undo(&ctxs[*c]);
                prop_assert!(result.is_ok(), "{}: undo failed: {:?}", what, result);
            }
            Op::Redo(c) => {
                let result = doc.redo(&ctxs[*c]);
                prop_assert!(result.is_ok(), "{}: redo failed: {:?}", what, result);
            }
            Op::Seal => doc.seal_history(),
            Op::MarkSaved => {
                doc.mark_saved();
                saved = doc.set().clone();
            }
        }
        invariants(&doc, &what)?;
        // Views cache what they derive by these revisions.
        if doc.set().revision() == before.revision() {
            same(
                doc.set(),
                &before,
                &format!("{what}: changed without a new revision"),
            )?;
        }
        if doc.set().anchors_revision() == before.anchors_revision() {
            let spans =
                |set: &AnnotationSet| set.claims().iter().map(Claim::span).collect::<Vec<_>>();
            prop_assert_eq!(
                spans(doc.set()),
                spans(&before),
                "{}: claims moved without a new anchors revision",
                what
            );
        }
        let state = doc.history().state();
        match states.get(&state) {
            Some(known) => same(
                doc.set(),
                known,
                &format!("{what}: state {state} came back"),
            )?,
            None => {
                states.insert(state, doc.set().clone());
            }
        }
        if !doc.is_dirty() {
            same(
                doc.set(),
                &saved,
                &format!("{what}: clean but not as saved"),
            )?;
        }
    }

    let edited = doc.set().clone();
    let edited_state = doc.history().state();
    let mut undone = 0;
    loop {
        match doc.undo(&ctxs[undone % 3]) {
            Ok(Some(_)) => undone += 1,
            Ok(None) => break,
            Err(err) => return Err(TestCaseError::fail(format!("undo {undone} failed: {err}"))),
        }
        invariants(&doc, &format!("undo {undone}"))?;
    }
    same(doc.set(), &start, "after undoing everything")?;
    prop_assert!(!doc.history().can_undo());
    for i in 0..undone {
        let result = doc.redo(&ctxs[(i + 1) % 3]);
        prop_assert!(
            matches!(result, Ok(Some(_))),
            "redo {} of {}: {:?}",
            i,
            undone,
            result
        );
        invariants(&doc, &format!("redo {i}"))?;
    }
    same(doc.set(), &edited, "after redoing everything")?;
    prop_assert_eq!(doc.history().state(), edited_state);
    saves_and_reopens(&edited)
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config(1500))]

    /// Edits, undos and redos from an empty set on the reference article, or
    /// from the example annotations that ship with it.
    #[test]
    fn edits_undo_and_redo_keep_the_model_consistent(
        example in any::<bool>(),
        ops in prop::collection::vec(op(), 1..80),
    ) {
        let set = if example { example_set() } else {
            let mut set = AnnotationSet::new(Article::new("Peace talks", &article_text()));
            set.article_source = Some("a.txt".into());
            set
        };
        run(set, &ops)?;
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// The same from a loaded set with parties and claims, on the article or
    /// with the article missing (claims shown over stand-in excerpts).
    #[test]
    fn edits_on_loaded_sets_keep_the_model_consistent(
        start in set_gen(),
        missing in prop::bool::weighted(0.4),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        // Sets as files hold them: ids that a file can carry.
        let mut set = build_set(&SetGen { raw_ids: false, ..start });
        set.article_source = Some("a.txt".into());
        set.contributors = set.all_contributors();
        if missing {
            set = with_missing_article(&set);
        }
        run(set, &ops)?;
    }

    /// save → load → the same set, and saving it again gives the same bytes.
    #[test]
    fn saving_and_loading_gives_the_same_set(g in set_gen()) {
        let mut set = build_set(&g);
        let first = match format::to_ron_with(&set, Some("a.txt"), g.embed) {
            Ok(text) => text,
            // Saving may refuse ids factmark never makes (so a file it could
            // not open again is never written); anything else must save.
            Err(_) if g.raw_ids => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("save: {e}"))),
        };
        let parsed = format::from_ron(&first)
            .map_err(|e| TestCaseError::fail(format!("load: {e}\n{first}")))?;
        // A merge writes the parsed file back: the same bytes too.
        let rewritten = parsed.to_ron().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(&rewritten, &first);
        let article = if g.embed {
            let embedded = parsed.embedded_article();
            prop_assert!(embedded.is_some(), "the article text was not carried");
            embedded.unwrap_or_else(|| Article::new("", ""))
        } else {
            Article::new("", set.article.text())
        };
        let (loaded, report) = parsed.bind(article);
        prop_assert!(report.fingerprint_matches);
        prop_assert_eq!(
            (report.exact, report.moved, report.fuzzy, report.unplaced),
            (set.claims().len(), 0, 0, 0)
        );
        // What the file records: where the article is, and everyone who worked on it.
        set.article_source = Some("a.txt".into());
        set.contributors = set.all_contributors();
        prop_assert_eq!(loaded.article.title(), set.article.title());
        prop_assert_eq!(loaded.parties(), set.parties());
        same(&loaded, &set, "after save and load")?;
        loaded.check_invariants().map_err(TestCaseError::fail)?;
        let second = format::to_ron_with(&loaded, Some("a.txt"), g.embed)
            .map_err(|e| TestCaseError::fail(format!("second save: {e}")))?;
        prop_assert_eq!(second, first);
    }
}

// ---------------------------------------------------------------------------
// Regressions: the smallest cases of bugs these properties found

fn example_doc() -> (Document, ClaimId, ClaimId) {
    let doc = Document::new(example_set());
    let ids: Vec<ClaimId> = doc.set().claims().iter().map(|c| c.id.clone()).collect();
    match ids.as_slice() {
        [a, b, ..] => (doc.clone(), a.clone(), b.clone()),
        _ => panic!("the example has fewer than two claims"),
    }
}

/// `PutClaim` took a claim that `AddClaim` refuses (here a fuzzy match shown
/// past the end of the article); deleting it then could not be undone.
#[test]
fn a_claim_put_back_must_be_placed_like_a_new_one() {
    let ctx = &contexts()[0];
    let (mut doc, id, _) = example_doc();
    let before = doc.set().clone();
    let n = doc.set().article.char_count();
    let mut claim = doc
        .set()
        .claim(&id)
        .cloned()
        .unwrap_or_else(|| panic!("claim"));
    claim.anchor_state = AnchorState::Fuzzy {
        at: n..n + 3,
        score: 0.8,
    };
    let result = doc.apply(Edit::PutClaim(Box::new(claim.clone())), ctx);
    assert!(result.is_err(), "a fuzzy span past the end was accepted");
    // The same for a claim that says it sits exactly on a quote that is not there.
    claim.anchor_state = AnchorState::Exact;
    claim.anchor.exact.push('~');
    let result = doc.apply(Edit::PutClaim(Box::new(claim)), ctx);
    assert!(result.is_err(), "a stale exact anchor was accepted");
    assert_eq!(doc.set(), &before);
    // And over a missing article, where new claims cannot be placed at all.
    let mut missing = Document::new(with_missing_article(&before));
    let mut claim = missing
        .set()
        .claim(&id)
        .cloned()
        .unwrap_or_else(|| panic!("claim"));
    claim.anchor_state = AnchorState::Exact;
    let result = missing.apply(Edit::PutClaim(Box::new(claim)), ctx);
    assert!(
        result.is_err(),
        "an exact claim over a stand-in was accepted"
    );
    missing
        .apply(Edit::RemoveClaim(id), ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(missing.undo(ctx), Ok(Some(_))));
}

/// Deleting one claim of a merge-conflict pair left the other naming it, and
/// the saved file then refused to open.
#[test]
fn deleting_one_side_of_a_conflict_resolves_it_and_undo_restores_it() {
    let ctx = &contexts()[0];
    let (mut doc, a, b) = example_doc();
    for (id, other) in [(&a, &b), (&b, &a)] {
        let mut claim = doc
            .set()
            .claim(id)
            .cloned()
            .unwrap_or_else(|| panic!("claim"));
        claim.conflict = Some(other.clone());
        doc.apply(Edit::PutClaim(Box::new(claim)), ctx)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let paired = doc.set().clone();
    doc.apply(Edit::RemoveClaim(b.clone()), ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    let kept = doc.set().claim(&a).map(|c| c.conflict.clone());
    assert_eq!(
        kept,
        Some(None),
        "the conflict mark goes with the other claim"
    );
    let file = format::to_ron(doc.set(), Some("a.txt")).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = format::from_ron(&file) {
        panic!("the saved file does not open: {e}");
    }
    assert!(matches!(doc.undo(ctx), Ok(Some(_))));
    assert_eq!(doc.set(), &paired);
}

/// A claim put back naming a conflict partner that is not there (here one the
/// same batch deleted) would be saved to a file that never opens again.
#[test]
fn a_claim_cannot_name_a_missing_conflict_partner() {
    let ctx = &contexts()[0];
    let (mut doc, a, b) = example_doc();
    let before = doc.set().clone();
    let mut claim = doc
        .set()
        .claim(&a)
        .cloned()
        .unwrap_or_else(|| panic!("claim"));
    claim.conflict = Some(b.clone());
    let batch = Edit::Batch(vec![
        Edit::RemoveClaim(b),
        Edit::PutClaim(Box::new(claim.clone())),
    ]);
    assert!(doc.apply(batch, ctx).is_err());
    claim.conflict = Some(ClaimId("c-nope".into()));
    assert!(doc.apply(Edit::PutClaim(Box::new(claim)), ctx).is_err());
    assert_eq!(doc.set(), &before);
    assert!(!doc.history().can_undo());
}

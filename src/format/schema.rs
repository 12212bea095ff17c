//! The on-disk shape of a factmark file (versions 1 to 4: version 2 adds
//! conflict marks, version 3 the article's details and verdicts, version 4
//! the publisher, the rating scale and parties' kinds). These records are separate from the model so the file
//! format can evolve (and migrate) on its own. Every record refuses fields it
//! does not know: a field a newer factmark wrote would otherwise be dropped
//! silently by the next save or merge.

use super::limits::{self, Counted};
use jiff::Timestamp;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Just the header, read first so a newer version is refused before the rest is parsed.
#[derive(Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileV1 {
    pub format: String,
    pub version: u32,
    pub article: ArticleRecord,
    /// Everyone who worked on the file, sorted.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "contributors"
    )]
    pub contributors: Vec<String>,
    /// Who publishes the fact-checks (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<PublisherRecord>,
    #[serde(default, deserialize_with = "parties")]
    pub parties: Vec<PartyRecord>,
    /// The rating scale, when it is not the default one (version 4).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "ratings"
    )]
    pub ratings: Option<Vec<RatingRecord>>,
    #[serde(default, deserialize_with = "claims")]
    pub claims: Vec<ClaimRecord>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    pub title: String,
    #[serde(default)]
    pub source: Option<String>,
    pub sha256: String,
    pub chars: usize,
    /// The normalised article text, when saved "with article" so that a
    /// colleague without the article can open the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where, when and by whom it was published, and its web page (version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<DetailsRecord>,
}

/// An article's details (see `model::ArticleDetails`); each is absent when
/// not known.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct DetailsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageRecord>,
    /// Details a merge found changed differently on both sides: detail name
    /// to their value (the field holds ours).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "detail_conflicts"
    )]
    pub conflicts: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    /// The page file, relative to the annotation file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<Timestamp>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartyRecord {
    pub id: String,
    pub name: String,
    pub color: String,
    /// Absent for an organisation (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PartyKindRecord>,
    /// Written only by merges with conflicts (file version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<PartyConflictRecord>,
}

/// `Person(job_title: "…")`, or `Organization` in a conflict mark.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum PartyKindRecord {
    Organization,
    Person {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        job_title: String,
    },
}

/// How two merged versions of a party disagree: `Theirs(name: …, color: …)`
/// (the party record holds ours) or `Deleted` (one side deleted it).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum PartyConflictRecord {
    Theirs {
        name: String,
        color: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<PartyKindRecord>,
    },
    Deleted,
}

/// One rating of the scale (version 4).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RatingRecord {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u32>,
    pub color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<RatingConflictRecord>,
}

/// How two merged versions of a rating disagree, as for a party.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum RatingConflictRecord {
    Theirs {
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<u32>,
        color: String,
    },
    Deleted,
}

/// The publisher profile (version 4); `theirs`, the other side's profile,
/// is written by a merge where both sides changed it differently (and
/// carries no `theirs` of its own).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct PublisherRecord {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claim_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Box<PublisherRecord>>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnchorRecord {
    pub start: usize,
    pub end: usize,
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub enum StatusRecord {
    Unreviewed,
    Agreed,
    Disputed,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub enum StanceRecord {
    Agrees,
    Disputes,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRecord {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub supports: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    pub id: String,
    pub anchor: AnchorRecord,
    pub status: StatusRecord,
    /// True when a person chose the status; false when stances suggested it.
    #[serde(default)]
    pub status_chosen: bool,
    #[serde(default)]
    pub claimant: Option<String>,
    #[serde(default, deserialize_with = "stances")]
    pub stances: BTreeMap<String, StanceRecord>,
    #[serde(default)]
    pub note: String,
    #[serde(default, deserialize_with = "evidence")]
    pub evidence: Vec<EvidenceRecord>,
    /// The fact-checker's verdict (file version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<VerdictRecord>,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub created: Timestamp,
    #[serde(default)]
    pub modified: Timestamp,
    /// Written only by merges with conflicts (file version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
}

/// A verdict: the id of a rating on the scale, and why.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VerdictRecord {
    pub rating: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

// Lists are read through counting visitors (see `limits`): a list stops with
// an error at its limit instead of growing with whatever the file holds.

fn contributors<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_seq(CountedSeq(Counted::Contributors, PhantomData))
}

fn parties<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PartyRecord>, D::Error> {
    d.deserialize_seq(CountedSeq(Counted::Parties, PhantomData))
}

fn ratings<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<RatingRecord>>, D::Error> {
    d.deserialize_option(CountedOption(Counted::Ratings, PhantomData))
}

fn claims<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ClaimRecord>, D::Error> {
    d.deserialize_seq(CountedSeq(Counted::Claims, PhantomData))
}

fn evidence<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<EvidenceRecord>, D::Error> {
    d.deserialize_seq(CountedSeq(Counted::Evidence, PhantomData))
}

fn stances<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, StanceRecord>, D::Error> {
    d.deserialize_map(CountedMap(Counted::Stances, PhantomData))
}

fn detail_conflicts<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    d.deserialize_map(CountedMap(Counted::DetailConflicts, PhantomData))
}

struct CountedSeq<T>(Counted, PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CountedSeq<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The length hint comes from the file: never reserve by it.
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            limits::count_item(self.0, out.len()).map_err(de::Error::custom)?;
            out.push(item);
        }
        Ok(out)
    }
}

/// `Some([...])`: a list that may be absent, counted as it is read.
struct CountedOption<T>(Counted, PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for CountedOption<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("None or Some(a list)")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(CountedSeq(self.0, PhantomData)).map(Some)
    }
}

struct CountedMap<V>(Counted, PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for CountedMap<V> {
    type Value = BTreeMap<String, V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut entries = 0;
        while let Some((key, value)) = map.next_entry()? {
            limits::count_item(self.0, entries).map_err(de::Error::custom)?;
            entries += 1;
            out.insert(key, value);
        }
        Ok(out)
    }
}

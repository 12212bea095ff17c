//! The on-disk shape of a factmark file, version 1. These records are separate
//! from the model so the file format can evolve (and migrate) on its own.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Just the header, read first so a newer version is refused before the rest is parsed.
#[derive(Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct FileV1 {
    pub format: String,
    pub version: u32,
    pub article: ArticleRecord,
    /// Everyone who worked on the file, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<String>,
    #[serde(default)]
    pub parties: Vec<PartyRecord>,
    #[serde(default)]
    pub claims: Vec<ClaimRecord>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
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
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PartyRecord {
    pub id: String,
    pub name: String,
    pub color: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
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
pub struct EvidenceRecord {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub supports: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ClaimRecord {
    pub id: String,
    pub anchor: AnchorRecord,
    pub status: StatusRecord,
    /// True when a person chose the status; false when stances suggested it.
    #[serde(default)]
    pub status_chosen: bool,
    #[serde(default)]
    pub claimant: Option<String>,
    #[serde(default)]
    pub stances: BTreeMap<String, StanceRecord>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceRecord>,
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

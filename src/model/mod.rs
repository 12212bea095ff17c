//! The domain model: an article, its parties and claims, and the [`Edit`]s that
//! change them. Knows nothing of egui, files or clocks.

pub mod agreement;
mod article;
mod claim;
pub mod compare;
mod counts;
mod details;
mod document;
mod edit;
mod history;
pub mod merge;
mod overlay;
mod resolve;
mod verdict;

pub use article::{Article, fingerprint, fingerprint_bytes, normalize_text};
pub use claim::{
    Anchor, AnchorState, CONTEXT_CHARS, Claim, ClaimId, Evidence, PARTY_PALETTE, Party,
    PartyConflict, PartyId, PartyKind, Rgb, Stance, Status, StatusOrigin, is_invisible_format,
    one_line, one_line_marked, suggested_status,
};
pub use counts::{AnchorCounts, Counts};
pub use details::{
    ArticleDetails, Detail, PageSource, TextDirection, When, normalize_when, parse_when,
};
pub use document::Document;
pub use edit::{Edit, EditContext, EditError};
pub use history::History;
pub use overlay::{Overlay, OverlaySpan};
pub use resolve::{ClaimResolution, VersionChoice};
pub use verdict::{
    Publisher, Rating, RatingConflict, RatingId, Verdict, default_scale, scale_span,
};

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// The fingerprint of an article that could not be found. A set keeps it so
/// that saving writes back what the file said, while it shows a stand-in text.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingArticle {
    pub sha256: String,
    pub chars: usize,
}

/// A name made into an id or a file name: its letters and digits in lower
/// case, words joined by hyphens ("Ukraine's MFA" → "ukraine-s-mfa");
/// empty when it has none.
pub fn slug(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// `range` widened to whole grapheme clusters, so a claim never ends inside
/// an emoji with its skin tone or a consonant with its vowel sign. Only the
/// chars around the ends are looked at, whatever the article's length.
fn whole_graphemes(article: &Article, range: Range<usize>) -> Range<usize> {
    /// Longer than any cluster real text has (a family emoji is 8 chars).
    const AROUND: usize = 64;
    let snap = |at: usize, forward: bool| {
        let lo = at.saturating_sub(AROUND);
        let hi = (at + AROUND).min(article.char_count());
        let window = article.slice(lo..hi);
        let local = crate::text::segment::snap_to_graphemes(window, at - lo..at - lo);
        lo + if forward { local.end } else { local.start }
    };
    snap(range.start, false)..snap(range.end, true)
}

/// Widens each claim placed exactly or moved whose quote cuts a grapheme
/// cluster (another tool's offsets may, as UTF-16 or byte offsets do) to
/// whole clusters, its quote and context taken anew from `article`.
pub fn snap_to_graphemes(article: &Article, claims: &mut [Claim]) {
    for claim in claims {
        if !matches!(
            claim.anchor_state,
            AnchorState::Exact | AnchorState::Moved { .. }
        ) {
            continue;
        }
        let range = claim.anchor.range();
        let whole = whole_graphemes(article, range.clone());
        if whole != range {
            claim.anchor = Anchor::capture(article, whole);
        }
    }
}

/// Revision numbers are unique across all annotation sets in the process, so a
/// cache keyed by one can never be mistaken for another document's.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// An article with its parties and claims: what one annotation file holds.
#[derive(Clone, Debug)]
pub struct AnnotationSet {
    pub article: Article,
    /// Where the article was found, as recorded in the file (relative path).
    pub article_source: Option<String>,
    /// Where, when and by whom the article was published, and its page.
    pub details: ArticleDetails,
    /// Set when the article is missing and `article` is a stand-in built from
    /// the claims' quotes: claims can be reviewed but not placed.
    pub missing_article: Option<MissingArticle>,
    /// Everyone recorded as having worked on the file (claim authors are
    /// added when it is written, see [`Self::all_contributors`]).
    pub contributors: BTreeSet<String>,
    /// Who publishes the fact-checks (empty until someone says).
    pub publisher: Publisher,
    parties: Vec<Party>,
    /// The rating scale verdicts are given on, in the publisher's order.
    ratings: Vec<Rating>,
    /// Kept in text order (see `Claim::order_key`).
    claims: Vec<Claim>,
    /// Claim id -> index into `claims`; rebuilt whenever the order changes.
    index: HashMap<ClaimId, usize>,
    /// Bumped on every change, so views can cache what they derive.
    revision: u64,
    /// Bumped when claims are added, removed or re-anchored: what the highlight
    /// overlay depends on. Status or note edits leave it alone.
    anchors_revision: u64,
}

impl PartialEq for AnnotationSet {
    fn eq(&self, other: &Self) -> bool {
        self.article == other.article
            && self.article_source == other.article_source
            && self.details == other.details
            && self.missing_article == other.missing_article
            && self.contributors == other.contributors
            && self.publisher == other.publisher
            && self.parties == other.parties
            && self.ratings == other.ratings
            && self.claims == other.claims
    }
}

impl AnnotationSet {
    pub fn new(article: Article) -> Self {
        Self {
            article,
            article_source: None,
            details: ArticleDetails::default(),
            missing_article: None,
            contributors: BTreeSet::new(),
            publisher: Publisher::default(),
            parties: Vec::new(),
            ratings: default_scale().to_vec(),
            claims: Vec::new(),
            index: HashMap::new(),
            revision: next_revision(),
            anchors_revision: next_revision(),
        }
    }

    /// Builds a set from already-validated parts (used by the file loader).
    pub fn from_parts(article: Article, parties: Vec<Party>, claims: Vec<Claim>) -> Self {
        let mut set = Self::new(article);
        set.parties = parties;
        set.claims = claims;
        set.resort();
        set.anchors_revision = next_revision();
        set
    }

    /// A set whose article is missing. The text shown is one paragraph per
    /// claim, its quote in its recorded context, so the claims can still be
    /// read and reviewed; their stored anchors and the fingerprint are kept
    /// untouched for when the article is found.
    pub fn with_missing_article(
        title: &str,
        fingerprint: MissingArticle,
        parties: Vec<Party>,
        mut claims: Vec<Claim>,
    ) -> Self {
        claims.sort_by_key(|c| (c.anchor.start, c.anchor.end));
        let mut text = String::new();
        let mut spans = Vec::with_capacity(claims.len());
        let mut chars = 0;
        for claim in &claims {
            let a = &claim.anchor;
            let start = chars + 1 + a.prefix.chars().count();
            let end = start + a.exact.chars().count();
            // Context lines are joined so each excerpt reads as one paragraph.
            let (prefix, suffix) = (a.prefix.replace('\n', " "), a.suffix.replace('\n', " "));
            for piece in ["…", &prefix, &a.exact, &suffix, "…\n\n"] {
                text.push_str(piece);
                chars += piece.chars().count();
            }
            spans.push(start..end);
        }
        let article = Article::new(title, &text);
        for (claim, at) in claims.iter_mut().zip(spans) {
            // Normalising (CR to LF) could only shift a hostile file's pieces;
            // such a claim is listed as unplaced rather than shown wrongly.
            claim.anchor_state = if at.end <= article.char_count()
                && at.start < at.end
                && article.slice(at.clone()) == claim.anchor.exact
            {
                AnchorState::Excerpt { at }
            } else {
                AnchorState::Orphaned
            };
        }
        let mut set = Self::from_parts(article, parties, claims);
        set.missing_article = Some(fingerprint);
        set
    }

    /// The fingerprint and length (chars) of the article the claims belong to.
    pub fn article_fingerprint(&self) -> (&str, usize) {
        match &self.missing_article {
            Some(missing) => (&missing.sha256, missing.chars),
            None => (self.article.sha256(), self.article.char_count()),
        }
    }

    /// Recorded contributors plus every claim's author.
    pub fn all_contributors(&self) -> BTreeSet<String> {
        let authors = self.claims.iter().map(|c| c.author.trim());
        let mut all = self.contributors.clone();
        all.extend(authors.filter(|a| !a.is_empty()).map(str::to_owned));
        all
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    pub fn party(&self, id: &PartyId) -> Option<&Party> {
        self.parties.iter().find(|p| &p.id == id)
    }

    /// The rating scale, in the publisher's order.
    pub fn ratings(&self) -> &[Rating] {
        &self.ratings
    }

    pub fn rating(&self, id: &RatingId) -> Option<&Rating> {
        self.ratings.iter().find(|r| &r.id == id)
    }

    /// Replaces the scale (the file loader, which has checked it, and
    /// tests); every verdict must name one of its ratings.
    pub fn set_ratings(&mut self, ratings: Vec<Rating>) {
        self.ratings = ratings;
        self.bump_revision();
    }

    /// A verdict's rating label, for lists and reports ("no verdict" when
    /// none; the id if the scale lacks it).
    pub fn verdict_label<'a>(&'a self, verdict: Option<&'a Verdict>) -> &'a str {
        match verdict {
            None => "no verdict",
            Some(v) => self
                .rating(&v.rating)
                .map_or(v.rating.0.as_str(), |r| &r.label),
        }
    }

    /// How many claims have a verdict rated `rating`.
    pub fn claims_rated(&self, rating: &RatingId) -> usize {
        self.claims
            .iter()
            .filter(|c| c.verdict.as_ref().is_some_and(|v| &v.rating == rating))
            .count()
    }

    /// A party's name, or its id when the set has no such party.
    pub fn party_name(&self, id: &PartyId) -> String {
        self.party(id)
            .map_or_else(|| id.0.clone(), |p| p.name.clone())
    }

    /// Claims in text order, unplaced claims last.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    pub fn claim(&self, id: &ClaimId) -> Option<&Claim> {
        self.index.get(id).map(|&i| &self.claims[i])
    }

    /// Position of a claim in [`Self::claims`].
    pub fn claim_position(&self, id: &ClaimId) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Changes whenever claim positions or anchors change (see [`Overlay`]).
    pub fn anchors_revision(&self) -> u64 {
        self.anchors_revision
    }

    pub(crate) fn bump_revision(&mut self) {
        self.revision = next_revision();
    }

    fn claim_mut(&mut self, id: &ClaimId) -> Option<&mut Claim> {
        let i = *self.index.get(id)?;
        self.claims.get_mut(i)
    }

    fn take_claim(&mut self, id: &ClaimId) -> Option<Claim> {
        let at = self.index.remove(id)?;
        let claim = self.claims.remove(at);
        self.anchors_revision = next_revision();
        // Shift positions in place: no id clones, so an edit stays cheap at 10,000 claims.
        for i in self.index.values_mut().filter(|i| **i > at) {
            *i -= 1;
        }
        Some(claim)
    }

    fn insert_claim(&mut self, claim: Claim) {
        let at = self
            .claims
            .partition_point(|c| c.order_key() < claim.order_key());
        for i in self.index.values_mut().filter(|i| **i >= at) {
            *i += 1;
        }
        self.index.insert(claim.id.clone(), at);
        self.claims.insert(at, claim);
        self.anchors_revision = next_revision();
    }

    /// Replaces a claim, in place when its position in text order is unchanged.
    fn put_claim(&mut self, claim: Claim) -> Option<Claim> {
        let at = *self.index.get(&claim.id)?;
        if self.claims[at].order_key() == claim.order_key() {
            return Some(std::mem::replace(&mut self.claims[at], claim));
        }
        let old = self.take_claim(&claim.id)?;
        self.insert_claim(claim);
        Some(old)
    }

    fn resort(&mut self) {
        self.claims
            .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        self.index = self
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
    }

    /// Placed claims that cover char `offset`, innermost (shortest) first.
    pub fn claims_at(&self, offset: usize) -> Vec<&Claim> {
        let mut hits: Vec<&Claim> = self
            .claims
            .iter()
            .map_while(|c| c.span().filter(|s| s.start <= offset).map(|s| (c, s)))
            .filter(|(_, s)| offset < s.end)
            .map(|(c, _)| c)
            .collect();
        hits.sort_by_key(|c| c.span().map_or(0, |s| s.len()));
        hits
    }

    /// Claims whose anchor is not placed in this article.
    pub fn unplaced_claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|c| !c.anchor_state.is_placed())
    }

    /// How many claims mention `party` (claimant, stance or evidence).
    pub fn claims_using_party(&self, party: &PartyId) -> usize {
        self.claims.iter().filter(|c| c.uses_party(party)).count()
    }

    /// A fresh claim over `range`, ready for [`Edit::AddClaim`].
    pub fn new_claim(&self, range: Range<usize>, ctx: &EditContext) -> Result<Claim, EditError> {
        if self.missing_article.is_some() {
            return Err(EditError::ArticleMissing);
        }
        if range.start >= range.end || range.end > self.article.char_count() {
            return Err(EditError::InvalidAnchor);
        }
        let anchor = Anchor::capture(&self.article, whole_graphemes(&self.article, range));
        let seed = format!("{}:{}:{}:{}", ctx.author, ctx.now, anchor.start, anchor.end);
        let id = self.unused_claim_id(&seed);
        Ok(Claim {
            id,
            anchor,
            anchor_state: AnchorState::Exact,
            status: Status::Unreviewed,
            status_origin: StatusOrigin::Suggested,
            claimant: None,
            stances: Default::default(),
            note: String::new(),
            evidence: Vec::new(),
            verdict: None,
            author: ctx.author.clone(),
            created: ctx.now,
            modified: ctx.now,
            conflict: None,
        })
    }

    /// A party named `name`, with an id derived from the name and the next palette colour.
    pub fn new_party(&self, name: &str) -> Party {
        Party::named(name, &self.parties)
    }

    /// Checks what every edit must preserve: claims in text order with unique
    /// ids and an index that agrees, unique named parties, every party and
    /// conflict a claim names present, and every claim placed the way
    /// [`Edit::AddClaim`] would accept it (so deleting it can be undone).
    /// For tests; says what is wrong.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        for pair in self.claims.windows(2) {
            if pair[0].order_key() >= pair[1].order_key() {
                return Err(format!(
                    "claims {} and {} are out of text order (or share an id)",
                    pair[0].id, pair[1].id
                ));
            }
        }
        if self.index.len() != self.claims.len() {
            return Err(format!(
                "the index has {} entries for {} claims",
                self.index.len(),
                self.claims.len()
            ));
        }
        for (i, claim) in self.claims.iter().enumerate() {
            if self.index.get(&claim.id) != Some(&i) {
                return Err(format!(
                    "the index puts claim {} at {:?}, it is at {i}",
                    claim.id,
                    self.index.get(&claim.id)
                ));
            }
        }
        let mut party_ids = BTreeSet::new();
        for party in &self.parties {
            if !party_ids.insert(&party.id) {
                return Err(format!("party id {} is used twice", party.id));
            }
            if party.name.trim().is_empty() {
                return Err(format!("party {} has no name", party.id));
            }
            if !party.conflict_names_filled() {
                return Err(format!("party {}'s other version has no name", party.id));
            }
        }
        let mut rating_ids = BTreeSet::new();
        for rating in &self.ratings {
            if !rating_ids.insert(&rating.id) {
                return Err(format!("rating id {} is used twice", rating.id));
            }
            if rating.label.trim().is_empty() {
                return Err(format!("rating {} has no label", rating.id));
            }
        }
        let missing = self.missing_article.is_some();
        for claim in &self.claims {
            if let Some(verdict) = &claim.verdict
                && !rating_ids.contains(&verdict.rating)
            {
                return Err(format!(
                    "claim {} is rated {}, which the scale lacks",
                    claim.id, verdict.rating
                ));
            }
            for party in claim.named_parties() {
                if !party_ids.contains(party) {
                    return Err(format!("claim {} names unknown party {party}", claim.id));
                }
            }
            if let Some(other) = &claim.conflict
                && !self.index.contains_key(other)
            {
                return Err(format!(
                    "claim {} conflicts with {other}, which does not exist",
                    claim.id
                ));
            }
            let anchor = &claim.anchor;
            let placed = self.validate_placement(claim).is_ok();
            if !placed {
                return Err(format!(
                    "claim {} is {} at {:?} but its anchor {}..{} {:?} does not fit {}",
                    claim.id,
                    claim.anchor_state.label(),
                    claim.span(),
                    anchor.start,
                    anchor.end,
                    anchor.exact,
                    if missing {
                        "the stand-in article"
                    } else {
                        "the article"
                    }
                ));
            }
        }
        Ok(())
    }

    fn unused_claim_id(&self, seed: &str) -> ClaimId {
        // FNV-1a: a short, stable hash; collisions are resolved by re-hashing.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        loop {
            for byte in seed.bytes().chain(hash.to_le_bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            let id = ClaimId(format!("c-{:08x}", hash as u32));
            if self.claim(&id).is_none() {
                return id;
            }
        }
    }
}

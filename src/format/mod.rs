//! Annotation files: the RON schema, its version check, conversion to and from
//! the model, atomic saving, clear load errors, three-way merges of files and
//! documents ([`merge_files`], [`merge_into`]) and finding the files of an
//! article ([`annotations_for_article`]).
//!
//! Output is deterministic: the same annotation set always gives the same
//! bytes (LF newlines, claims in text order, maps sorted), so git diffs stay
//! small and saving an unchanged file rewrites identical bytes. A file is
//! written as the oldest version that can hold it, and read only when
//! everything in it is understood: a field this version does not know is
//! refused, never dropped by the next save.

pub mod access;
mod details;
pub mod find;
mod io;
mod known;
pub mod limits;
mod merging;
pub mod recovery;
mod review;
mod schema;
pub mod store;

pub use find::{Belongs, Candidate, annotations_for_article};
pub use io::{
    ArticleOrigin, Backup, LoadedFile, Saved, article_title_from_path, backup_path, is_web_page,
    load_annotations, load_annotations_with, load_article, read_bounded, read_text,
    read_text_bounded, relative_path, resolve_source, save_annotations, write_atomic,
};
pub use known::{REFERENCE_ARTICLE, known_article};
pub use limits::{MAX_FILE_BYTES, check_article_text};
pub use merging::{MergedFile, MergedInto, merge_files, merge_into};
pub use schema::FileV1;

use crate::anchor;
use crate::model::{
    Anchor, AnchorState, AnnotationSet, Article, ArticleDetails, Claim, ClaimId, Counts, Evidence,
    MissingArticle, Party, PartyConflict, PartyId, PartyKind, Publisher, Rating, RatingId, Stance,
    Status, StatusOrigin, Verdict,
};
use limits::quoted;
use schema::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The `format` field every factmark file starts with.
pub const FORMAT_NAME: &str = "factmark";
/// The newest file version this program reads. Files are written as version 1
/// unless they hold merge conflict marks (on claims or parties), which need
/// version 2 (so a program that cannot show conflicts refuses the file
/// instead of hiding them), the article's details or verdicts, which need
/// version 3, or a publisher, a scale of its own or a person among the
/// parties, which need version 4.
pub const FORMAT_VERSION: u32 = 4;

/// Why a file could not be opened or saved. Every variant reads as a sentence.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not UTF-8 text (first bad byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
    #[error("line {line}, column {col}: {message}")]
    Syntax {
        line: usize,
        col: usize,
        message: String,
    },
    #[error("this is not a factmark file (format is \"{0}\", expected \"factmark\")")]
    WrongFormat(String),
    #[error(
        "this file was written by a newer factmark (file version {found}, this program reads up to \
         {FORMAT_VERSION}); update factmark to open it — the file was not changed"
    )]
    NewerVersion { found: u32 },
    #[error("file version {0} is not valid")]
    BadVersion(u32),
    #[error("invalid file: {0}")]
    Invalid(String),
    /// Beyond one of the documented [`limits`]: too large, too many, too long.
    #[error("{0}")]
    OverLimit(String),
    /// Refused for safety (see [`access`]); the message says why and what to do.
    #[error("{0}")]
    Refused(String),
    /// Claims are merged on the article's text, and it is missing (see [`merge_into`]).
    #[error("locate the article first: claims are merged on its text")]
    ArticleMissing,
    /// An error in one of several files, named by what it is to the user.
    #[error("{what}: {source}")]
    Within {
        what: &'static str,
        source: Box<FormatError>,
    },
}

impl FormatError {
    /// This error as one in `what` ("the file on disk").
    pub fn within(self, what: &'static str) -> Self {
        FormatError::Within {
            what,
            source: Box::new(self),
        }
    }
}

/// How an annotation file's claims fit the article it was opened with: the
/// set's [`Counts`] that a banner shows, and how the binding went.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BindReport {
    /// The file's fingerprint equals the article's.
    pub fingerprint_matches: bool,
    pub exact: usize,
    pub moved: usize,
    pub fuzzy: usize,
    /// Claims not shown in the article (orphaned).
    pub unplaced: usize,
    /// Claims a merge marked as conflicting.
    pub conflicts: usize,
    /// Parties a merge marked as conflicting.
    pub party_conflicts: usize,
    /// Article details a merge marked as conflicting.
    pub detail_conflicts: usize,
    /// Unplaced claims that were never searched for: re-anchoring stopped at
    /// its work limit (a pathological file, see [`anchor`]).
    pub unsearched: usize,
    /// The text the claims were made on was known, so they were mapped
    /// through a diff of it and the article, not searched for.
    pub through_diff: bool,
}

impl BindReport {
    /// The report on a set whose claims were just placed and counted.
    fn new(fingerprint_matches: bool, counts: &Counts, unsearched: usize) -> Self {
        Self {
            fingerprint_matches,
            exact: counts.anchors.exact,
            moved: counts.anchors.moved,
            fuzzy: counts.anchors.fuzzy,
            unplaced: counts.anchors.orphaned,
            conflicts: counts.claim_conflicts,
            party_conflicts: counts.party_conflicts,
            detail_conflicts: counts.detail_conflicts,
            unsearched,
            through_diff: false,
        }
    }

    /// A one-line summary for a banner, or `None` when everything matched.
    pub fn banner(&self) -> Option<String> {
        let mut conflicts = match self.conflicts {
            0 => String::new(),
            n => format!(" {n} claims carry merge conflicts: pick a version in the editor."),
        };
        if self.party_conflicts > 0 {
            conflicts.push_str(&format!(
                " {} parties carry merge conflicts: resolve them in Edit > Parties.",
                self.party_conflicts
            ));
        }
        if self.detail_conflicts > 0 {
            conflicts.push_str(&format!(
                " {} article details carry merge conflicts: choose in Article details.",
                self.detail_conflicts
            ));
        }
        if self.fingerprint_matches && self.moved + self.fuzzy + self.unplaced == 0 {
            return (!conflicts.is_empty()).then(|| conflicts.trim_start().to_owned());
        }
        let head = if self.fingerprint_matches {
            "Some claims did not sit where the file said."
        } else if self.through_diff {
            "The article text differs from the one these annotations were made on; that \
             version is known, so every claim was followed through the changes."
        } else {
            "The article text differs from the one these annotations were made on."
        };
        let unsearched = match self.unsearched {
            0 => String::new(),
            n => format!(
                " {n} of the unplaced were not searched for: the file holds more than \
                 re-anchoring does in the time it allows."
            ),
        };
        Some(format!(
            "{head} {} claims in place, {} found elsewhere, {} changed and awaiting your \
             confirmation, {} unplaced (kept in the file).{unsearched}{conflicts}",
            self.exact, self.moved, self.fuzzy, self.unplaced
        ))
    }
}

/// A parsed file, checked for internal consistency but not yet tied to an article.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedFile {
    pub title: String,
    pub source: Option<String>,
    pub sha256: String,
    pub chars: usize,
    /// The article text, when the file carries it.
    pub embedded: Option<String>,
    /// The text the claims were made on, when it is known apart from the
    /// file: the version open in the app, or one kept in the data folder.
    /// Used only when its fingerprint is the file's.
    pub known_text: Option<String>,
    pub details: ArticleDetails,
    pub contributors: BTreeSet<String>,
    pub publisher: Publisher,
    pub parties: Vec<Party>,
    pub ratings: Vec<Rating>,
    pub claims: Vec<Claim>,
}

impl ParsedFile {
    /// Writes the file back out (as a merge does), keeping an embedded article.
    pub fn to_ron(&self) -> Result<String, FormatError> {
        let article = ArticleRecord {
            title: self.title.clone(),
            source: self.source.clone(),
            sha256: self.sha256.clone(),
            chars: self.chars,
            text: self.embedded.clone(),
            details: details::to_record(&self.details),
        };
        render(
            article,
            &self.contributors,
            &self.publisher,
            &self.parties,
            &self.ratings,
            &self.claims,
        )
    }

    /// What a merge takes from this file.
    pub fn side(&self) -> crate::model::merge::Side<'_> {
        crate::model::merge::Side {
            details: &self.details,
            publisher: &self.publisher,
            parties: &self.parties,
            ratings: &self.ratings,
            claims: &self.claims,
        }
    }

    /// The claims and parties of `set`, ready to be bound to a new version of
    /// its article (the article changed on disk).
    pub fn from_set(set: &AnnotationSet) -> Self {
        let (sha256, chars) = set.article_fingerprint();
        Self {
            title: set.article.title().to_owned(),
            source: set.article_source.clone(),
            sha256: sha256.to_owned(),
            chars,
            embedded: None,
            known_text: set
                .missing_article
                .is_none()
                .then(|| set.article.text().to_owned()),
            details: set.details.clone(),
            contributors: set.contributors.clone(),
            publisher: set.publisher.clone(),
            parties: set.parties().to_vec(),
            ratings: set.ratings().to_vec(),
            claims: set.claims().to_vec(),
        }
    }

    /// The article the file carries, if any. [`from_ron`] has checked it
    /// against the limits; a text put here otherwise is checked again, and
    /// one over the limits is treated as not carried.
    pub fn embedded_article(&self) -> Option<Article> {
        let text = self.embedded.as_deref()?;
        limits::check_article_text(text).ok()?;
        Some(Article::new(self.title.clone(), text))
    }

    /// Shows the claims over a stand-in text when the article cannot be found:
    /// every claim is listed with its quote and context, nothing is re-placed.
    pub fn bind_missing(self) -> (AnnotationSet, BindReport) {
        let fingerprint = MissingArticle {
            sha256: self.sha256,
            chars: self.chars,
        };
        let mut set = AnnotationSet::with_missing_article(
            &self.title,
            fingerprint,
            self.parties,
            self.claims,
        );
        set.set_ratings(self.ratings);
        set.publisher = self.publisher;
        set.article_source = self.source;
        set.details = self.details;
        set.contributors = self.contributors;
        let report = BindReport::new(false, &set.counts(), 0);
        (set, report)
    }

    /// The text the claims were made on, when the file carries it or it is
    /// otherwise known (see [`Self::known_text`]), checked by fingerprint.
    fn text_made_on(&self) -> Option<&str> {
        [self.embedded.as_deref(), self.known_text.as_deref()]
            .into_iter()
            .flatten()
            .find(|text| crate::model::fingerprint(text) == self.sha256)
    }

    /// Ties the claims to `article`, re-placing any whose text moved: through
    /// a diff when the text they were made on is known, else by searching.
    pub fn bind(self, article: Article) -> (AnnotationSet, BindReport) {
        let mut article = article;
        if !self.title.is_empty() {
            article.set_title(self.title.clone());
        }
        let fingerprint_matches = article.sha256() == self.sha256;
        let made_on = (!fingerprint_matches)
            .then(|| self.text_made_on())
            .flatten()
            .map(|text| Article::new("", text));
        let mut claims = self.claims;
        let unsearched = match &made_on {
            Some(old) => anchor::place_claims_through_diff(old, &article, &mut claims).1,
            None => anchor::place_claims(&article, &mut claims),
        };
        let mut set = AnnotationSet::from_parts(article, self.parties, claims);
        set.set_ratings(self.ratings);
        set.publisher = self.publisher;
        set.article_source = self.source;
        set.details = self.details;
        set.contributors = self.contributors;
        let mut report = BindReport::new(fingerprint_matches, &set.counts(), unsearched);
        report.through_diff = made_on.is_some();
        (set, report)
    }
}

fn ron_options() -> ron::Options {
    // Deep nesting is never legitimate in our schema; refuse it early.
    ron::Options::default().with_recursion_limit(limits::MAX_NESTING)
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .escape_strings(true)
        .depth_limit(4)
}

/// Serialises an annotation set; `source` is the article path relative to the file.
pub fn to_ron(set: &AnnotationSet, source: Option<&str>) -> Result<String, FormatError> {
    to_ron_with(set, source, false)
}

/// [`to_ron`], optionally carrying the article text in the file (never a
/// stand-in for a missing article).
pub fn to_ron_with(
    set: &AnnotationSet,
    source: Option<&str>,
    embed_article: bool,
) -> Result<String, FormatError> {
    let (sha256, chars) = set.article_fingerprint();
    let embed = embed_article && set.missing_article.is_none();
    let article = ArticleRecord {
        title: set.article.title().to_owned(),
        source: source.map(str::to_owned),
        sha256: sha256.to_owned(),
        chars,
        text: embed.then(|| set.article.text().to_owned()),
        details: details::to_record(&set.details),
    };
    render(
        article,
        &set.all_contributors(),
        &set.publisher,
        set.parties(),
        set.ratings(),
        set.claims(),
    )
}

fn render(
    article: ArticleRecord,
    contributors: &BTreeSet<String>,
    publisher: &Publisher,
    parties: &[Party],
    ratings: &[Rating],
    claims: &[Claim],
) -> Result<String, FormatError> {
    let conflicts =
        claims.iter().any(|c| c.conflict.is_some()) || parties.iter().any(|p| p.conflict.is_some());
    let publisher = review::publisher_record(publisher);
    let ratings = review::ratings_record(ratings);
    let people = parties.iter().map(|p| {
        p.kind != PartyKind::Organization
            || matches!(&p.conflict, Some(PartyConflict::Theirs { kind, .. }) if *kind != PartyKind::Organization)
    });
    let version = if review::needs_version_4(&publisher, &ratings, people) {
        4
    } else if article.details.is_some() || claims.iter().any(|c| c.verdict.is_some()) {
        3
    } else if conflicts {
        2
    } else {
        1
    };
    let file = FileV1 {
        format: FORMAT_NAME.to_owned(),
        version,
        article,
        contributors: contributors.iter().cloned().collect(),
        publisher,
        parties: parties.iter().map(party_record).collect(),
        ratings,
        claims: claims.iter().map(claim_record).collect(),
    };
    // Never write what could not be read back: a save over a limit fails
    // with the reason, and the work stays open.
    limits::check_file(&file)?;
    // Plain structs of strings and numbers should always serialise; if they
    // ever do not, the save fails with a message and nothing is written.
    let mut text = ron::Options::default()
        .to_string_pretty(&file, pretty())
        .map_err(|e| FormatError::Invalid(format!("could not write the annotations: {e}")))?;
    text.push('\n');
    limits::check_written_size(text.len())?;
    Ok(text)
}

fn party_record(party: &Party) -> PartyRecord {
    PartyRecord {
        id: party.id.0.clone(),
        name: party.name.clone(),
        color: party.color.to_hex(),
        kind: review::kind_record(&party.kind),
        conflict: party.conflict.as_ref().map(|c| match c {
            PartyConflict::Theirs { name, color, kind } => PartyConflictRecord::Theirs {
                name: name.clone(),
                color: color.to_hex(),
                kind: review::kind_record(kind),
            },
            PartyConflict::Deleted => PartyConflictRecord::Deleted,
        }),
    }
}

fn claim_record(claim: &Claim) -> ClaimRecord {
    ClaimRecord {
        id: claim.id.0.clone(),
        anchor: AnchorRecord {
            start: claim.anchor.start,
            end: claim.anchor.end,
            exact: claim.anchor.exact.clone(),
            prefix: claim.anchor.prefix.clone(),
            suffix: claim.anchor.suffix.clone(),
        },
        status: match claim.status {
            Status::Unreviewed => StatusRecord::Unreviewed,
            Status::Agreed => StatusRecord::Agreed,
            Status::Disputed => StatusRecord::Disputed,
        },
        status_chosen: claim.status_origin == StatusOrigin::Chosen,
        claimant: claim.claimant.as_ref().map(|p| p.0.clone()),
        stances: claim
            .stances
            .iter()
            .map(|(p, s)| {
                let stance = match s {
                    Stance::Agrees => StanceRecord::Agrees,
                    Stance::Disputes => StanceRecord::Disputes,
                };
                (p.0.clone(), stance)
            })
            .collect(),
        note: claim.note.clone(),
        verdict: claim.verdict.as_ref().map(|v| VerdictRecord {
            rating: v.rating.0.clone(),
            explanation: v.explanation.clone(),
        }),
        evidence: claim
            .evidence
            .iter()
            .map(|e| EvidenceRecord {
                url: e.url.clone(),
                quote: e.quote.clone(),
                supports: e.supports.as_ref().map(|p| p.0.clone()),
            })
            .collect(),
        author: claim.author.clone(),
        created: claim.created,
        modified: claim.modified,
        conflict: claim.conflict.as_ref().map(|c| c.0.clone()),
    }
}

fn syntax_error(err: ron::error::SpannedError) -> FormatError {
    use ron::error::Error;
    let message = match &err.code {
        Error::ExceededRecursionLimit => format!(
            "brackets are nested more than {} deep; factmark files never nest that deep",
            limits::MAX_NESTING
        ),
        Error::Eof => "the file ends too early (is it cut short?)".to_owned(),
        Error::NoSuchStructField { found, outer, .. } => format!(
            "{} has a field `{found}` this version of factmark does not know; a newer \
             factmark may have written it. The file was not opened, so nothing in it is \
             lost, and it was not changed",
            outer
                .as_deref()
                .map_or("the file".to_owned(), |o| format!("`{o}`"))
        ),
        Error::Message(message) => message.clone(),
        code => code.to_string(),
    };
    FormatError::Syntax {
        line: err.span.start.line,
        col: err.span.start.col,
        message: plain_message(&message),
    }
}

/// A parser message for people: the schema's type names replaced by what they
/// are, control characters escaped (a message may quote the file, and may be
/// printed to a terminal) and the length bounded.
fn plain_message(message: &str) -> String {
    const NAMES: [(&str, &str); 18] = [
        ("FileV1", "the file"),
        ("Header", "the file"),
        ("ArticleRecord", "the article"),
        ("DetailsRecord", "the article's details"),
        ("PageRecord", "the article's page"),
        ("PartyRecord", "a party"),
        ("PartyConflictRecord", "a party's conflict mark"),
        ("PartyKindRecord", "a party's kind"),
        ("RatingRecord", "a rating"),
        ("RatingConflictRecord", "a rating's conflict mark"),
        ("PublisherRecord", "the publisher"),
        ("Theirs", "a party's other version"),
        ("ClaimRecord", "a claim"),
        ("VerdictRecord", "a verdict"),
        ("AnchorRecord", "an anchor"),
        ("EvidenceRecord", "an evidence item"),
        ("StatusRecord", "a status"),
        ("StanceRecord", "a stance"),
    ];
    const SHOWN: usize = 300;
    let mut plain = message.to_owned();
    for (name, noun) in NAMES {
        for kind in ["struct ", "enum ", ""] {
            plain = plain.replace(&format!("{kind}`{name}`"), noun);
        }
    }
    let mut out = String::with_capacity(plain.len().min(SHOWN + 8));
    for (i, c) in plain.chars().enumerate() {
        if i == SHOWN {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses and validates a file's text. Never panics; on error nothing is
/// kept. Everything in the file is held to the [`limits`].
pub fn from_ron(text: &str) -> Result<ParsedFile, FormatError> {
    // A byte-order mark (some editors add one) is not part of the RON text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FormatError::Invalid("the file is empty".to_owned()));
    }
    // One pass in the common case; the header is only parsed on its own when the
    // full parse fails, to say "newer version" or "not factmark" instead of a
    // syntax error about a field this version does not know.
    let (parsed, exceeded) = limits::parse_counted(|| ron_options().from_str::<FileV1>(text));
    match parsed {
        Ok(file) => {
            check_header(&file.format, file.version)?;
            check_marks_fit_version(&file)?;
            limits::check_file(&file)?;
            from_record(file)
        }
        Err(err) => {
            if let Ok(header) = ron_options().from_str::<Header>(text) {
                check_header(&header.format, header.version)?;
            }
            match exceeded {
                Some(message) => Err(FormatError::OverLimit(format!(
                    "line {}, column {}: {message}",
                    err.span.start.line, err.span.start.col
                ))),
                None => Err(syntax_error(err)),
            }
        }
    }
}

fn check_header(format: &str, version: u32) -> Result<(), FormatError> {
    if format != FORMAT_NAME {
        // Shown as the file has it, escaped and cut short (see `limits::quoted`).
        let shown = limits::quoted(format);
        let shown = &shown[1..shown.len() - 1];
        return Err(FormatError::WrongFormat(shown.to_owned()));
    }
    match version {
        0 => Err(FormatError::BadVersion(0)),
        v if v > FORMAT_VERSION => Err(FormatError::NewerVersion { found: v }),
        _ => Ok(()),
    }
}

/// Conflict marks need version 2: a program that reads only version 1 would
/// open such a file and hide its conflicts. Details and verdicts need
/// version 3; the publisher, a scale and parties' kinds version 4.
fn check_marks_fit_version(file: &FileV1) -> Result<(), FormatError> {
    if file.version < 4 {
        let person = file.parties.iter().find(|p| p.kind.is_some());
        let what = match (&file.publisher, &file.ratings, person) {
            (Some(_), _, _) => Some("a publisher".to_owned()),
            (None, Some(_), _) => Some("a rating scale".to_owned()),
            (None, None, Some(p)) => Some(format!("the kind of party {}", quoted(&p.id))),
            (None, None, None) => None,
        };
        if let Some(what) = what {
            return Err(FormatError::Invalid(format!(
                "the file says it is version {} but records {what}, which only version 4 files \
                 hold (was it edited by hand?); the file was not changed",
                file.version
            )));
        }
    }
    if file.version < 3 {
        let rated = file.claims.iter().find(|c| c.verdict.is_some());
        let what = match (&file.article.details, rated) {
            (Some(_), _) => Some("the article's details".to_owned()),
            (None, Some(claim)) => Some(format!("a verdict on claim {}", quoted(&claim.id))),
            (None, None) => None,
        };
        if let Some(what) = what {
            return Err(FormatError::Invalid(format!(
                "the file says it is version {} but records {what}, which only version 3 files \
                 hold (was it edited by hand?); the file was not changed",
                file.version
            )));
        }
    }
    if file.version >= 2 {
        return Ok(());
    }
    let claim = file.claims.iter().find(|c| c.conflict.is_some());
    let party = file.parties.iter().find(|p| p.conflict.is_some());
    let marked = match (claim, party) {
        (Some(claim), _) => format!("claim {}", quoted(&claim.id)),
        (None, Some(party)) => format!("party {}", quoted(&party.id)),
        (None, None) => return Ok(()),
    };
    Err(FormatError::Invalid(format!(
        "the file says it is version 1 but {marked} carries a merge conflict mark, which only \
         version 2 files hold (was it edited by hand?); the file was not changed"
    )))
}

fn from_record(file: FileV1) -> Result<ParsedFile, FormatError> {
    let invalid = |msg: String| FormatError::Invalid(msg);
    let mut party_ids = HashSet::new();
    let mut parties = Vec::with_capacity(file.parties.len());
    for p in file.parties {
        if p.name.trim().is_empty() {
            return Err(invalid(format!("party {} has no name", quoted(&p.id))));
        }
        review::unique_id("party", &p.id, &mut party_ids)?;
        let colour = |hex: &str| review::colour_of("party", &p.id, hex);
        let color = colour(&p.color)?;
        let conflict = match &p.conflict {
            None => None,
            Some(PartyConflictRecord::Deleted) => Some(PartyConflict::Deleted),
            Some(PartyConflictRecord::Theirs { name, color, kind }) => {
                if name.trim().is_empty() {
                    return Err(invalid(format!(
                        "party {}'s other version has no name",
                        quoted(&p.id)
                    )));
                }
                Some(PartyConflict::Theirs {
                    name: name.clone(),
                    color: colour(color)?,
                    kind: review::kind_from(kind.clone()),
                })
            }
        };
        parties.push(Party {
            id: PartyId(p.id),
            name: p.name,
            color,
            kind: review::kind_from(p.kind),
            conflict,
        });
    }
    let party = |claim: &str, id: String| -> Result<PartyId, FormatError> {
        if party_ids.contains(&id) {
            Ok(PartyId(id))
        } else {
            Err(invalid(format!(
                "claim {} refers to party {}, which the file does not define",
                quoted(claim),
                quoted(&id)
            )))
        }
    };
    let ratings = review::ratings_from(file.ratings)?;
    let mut claim_ids = HashSet::new();
    let mut claims = Vec::with_capacity(file.claims.len());
    for c in file.claims {
        if c.id.is_empty() || !claim_ids.insert(c.id.clone()) {
            return Err(invalid(format!(
                "claim id {} is empty or used twice",
                quoted(&c.id)
            )));
        }
        let claimant = c.claimant.map(|p| party(&c.id, p)).transpose()?;
        let mut stances = BTreeMap::new();
        for (p, s) in c.stances {
            let stance = match s {
                StanceRecord::Agrees => Stance::Agrees,
                StanceRecord::Disputes => Stance::Disputes,
            };
            stances.insert(party(&c.id, p)?, stance);
        }
        let mut evidence = Vec::with_capacity(c.evidence.len());
        for e in c.evidence {
            let supports = e.supports.map(|p| party(&c.id, p)).transpose()?;
            evidence.push(Evidence {
                url: e.url,
                quote: e.quote,
                supports,
            });
        }
        let verdict = match c.verdict {
            None => None,
            Some(v) => {
                let rating = RatingId(v.rating);
                if !ratings.iter().any(|r| r.id == rating) {
                    return Err(invalid(format!(
                        "claim {} has the verdict {}, which is not a rating of the scale",
                        quoted(&c.id),
                        quoted(&rating.0)
                    )));
                }
                Some(Verdict {
                    rating,
                    explanation: v.explanation,
                })
            }
        };
        claims.push(Claim {
            id: ClaimId(c.id),
            anchor: Anchor {
                start: c.anchor.start,
                end: c.anchor.end,
                exact: c.anchor.exact,
                prefix: c.anchor.prefix,
                suffix: c.anchor.suffix,
            },
            anchor_state: AnchorState::Exact,
            status: match c.status {
                StatusRecord::Unreviewed => Status::Unreviewed,
                StatusRecord::Agreed => Status::Agreed,
                StatusRecord::Disputed => Status::Disputed,
            },
            status_origin: if c.status_chosen {
                StatusOrigin::Chosen
            } else {
                StatusOrigin::Suggested
            },
            claimant,
            stances,
            note: c.note,
            evidence,
            verdict,
            author: c.author,
            created: c.created,
            modified: c.modified,
            conflict: c.conflict.map(ClaimId),
        });
    }
    for claim in &claims {
        if let Some(other) = &claim.conflict
            && !claim_ids.contains(&other.0)
        {
            return Err(invalid(format!(
                "claim {} is marked as conflicting with {}, which the file does not contain",
                quoted(&claim.id.0),
                quoted(&other.0)
            )));
        }
    }
    let details = file
        .article
        .details
        .map(details::from_record)
        .transpose()?
        .unwrap_or_default();
    Ok(ParsedFile {
        details,
        title: file.article.title,
        source: file.article.source,
        sha256: file.article.sha256,
        chars: file.article.chars,
        embedded: file.article.text,
        known_text: None,
        contributors: file
            .contributors
            .into_iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
        publisher: review::publisher_from(file.publisher)?,
        parties,
        ratings,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_says_when_claims_were_not_searched_for() {
        let report = BindReport {
            exact: 2,
            unplaced: 5,
            unsearched: 3,
            ..BindReport::default()
        };
        let banner = report.banner().unwrap_or_default();
        assert!(banner.contains("5 unplaced"), "{banner}");
        assert!(
            banner.contains("3 of the unplaced were not searched for"),
            "{banner}"
        );
        let searched = BindReport {
            unsearched: 0,
            ..report
        };
        assert!(!searched.banner().unwrap_or_default().contains("searched"));
    }
}

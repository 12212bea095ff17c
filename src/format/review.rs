//! The publisher, the rating scale and parties' kinds on disk (file
//! version 4), and their checks on reading. The default scale is not
//! written: a file that never changed it says nothing about it, so it
//! diffs and merges cleanly and takes a later default.

use super::FormatError;
use super::limits::quoted;
use super::schema::{PartyKindRecord, PublisherRecord, RatingConflictRecord, RatingRecord};
use crate::model::{PartyKind, Publisher, Rating, RatingConflict, RatingId, Rgb, default_scale};
use std::collections::HashSet;

/// Whether anything here needs version 4.
pub(super) fn needs_version_4(
    publisher: &Option<PublisherRecord>,
    ratings: &Option<Vec<RatingRecord>>,
    kinds: impl IntoIterator<Item = bool>,
) -> bool {
    publisher.is_some() || ratings.is_some() || kinds.into_iter().any(|k| k)
}

pub(super) fn publisher_record(publisher: &Publisher) -> Option<PublisherRecord> {
    (!publisher.is_empty()).then(|| PublisherRecord {
        name: publisher.name.clone(),
        url: publisher.url.clone(),
        claim_url: publisher.claim_url.clone(),
        theirs: publisher
            .conflict
            .as_deref()
            .and_then(publisher_record)
            .map(Box::new),
    })
}

/// The publisher a file records (none: an empty profile). Their version in
/// a conflict mark is one version: a mark inside it is refused.
pub(super) fn publisher_from(record: Option<PublisherRecord>) -> Result<Publisher, FormatError> {
    let Some(record) = record else {
        return Ok(Publisher::default());
    };
    let theirs = match record.theirs {
        Some(theirs) if theirs.theirs.is_some() => {
            return Err(FormatError::Invalid(
                "the publisher's other version carries another version; a merge never \
                 writes that (was the file edited by hand?)"
                    .to_owned(),
            ));
        }
        Some(theirs) => Some(Box::new(publisher_from(Some(*theirs))?)),
        None => None,
    };
    Ok(Publisher {
        name: record.name,
        url: record.url,
        claim_url: record.claim_url,
        conflict: theirs,
    })
}

/// `None` for the default scale.
pub(super) fn ratings_record(ratings: &[Rating]) -> Option<Vec<RatingRecord>> {
    (ratings != default_scale()).then(|| ratings.iter().map(rating_record).collect())
}

fn rating_record(rating: &Rating) -> RatingRecord {
    RatingRecord {
        id: rating.id.0.clone(),
        label: rating.label.clone(),
        value: rating.value,
        color: rating.color.to_hex(),
        conflict: rating.conflict.as_ref().map(|c| match c {
            RatingConflict::Theirs {
                label,
                value,
                color,
            } => RatingConflictRecord::Theirs {
                label: label.clone(),
                value: *value,
                color: color.to_hex(),
            },
            RatingConflict::Deleted => RatingConflictRecord::Deleted,
        }),
    }
}

/// The scale a file records (the default one when it records none),
/// checked: unique ids, a label on every rating and every other version,
/// colours as `#rrggbb`.
pub(super) fn ratings_from(records: Option<Vec<RatingRecord>>) -> Result<Vec<Rating>, FormatError> {
    let Some(records) = records else {
        return Ok(default_scale().to_vec());
    };
    let invalid = |msg: String| FormatError::Invalid(msg);
    let mut ids = HashSet::new();
    let mut ratings = Vec::with_capacity(records.len());
    for r in records {
        unique_id("rating", &r.id, &mut ids)?;
        let colour = |hex: &str| colour_of("rating", &r.id, hex);
        let conflict = match &r.conflict {
            None => None,
            Some(RatingConflictRecord::Deleted) => Some(RatingConflict::Deleted),
            Some(RatingConflictRecord::Theirs {
                label,
                value,
                color,
            }) => Some(RatingConflict::Theirs {
                label: label.clone(),
                value: *value,
                color: colour(color)?,
            }),
        };
        let rating = Rating {
            id: RatingId(r.id.clone()),
            label: r.label.clone(),
            value: r.value,
            color: colour(&r.color)?,
            conflict,
        };
        if !rating.is_labelled() {
            return Err(invalid(format!(
                "rating {} (or its other version) has no label",
                quoted(&r.id)
            )));
        }
        ratings.push(rating);
    }
    Ok(ratings)
}

/// Records `id` of a `kind` ("party", "rating") as seen; an empty or
/// repeated one is refused.
pub(super) fn unique_id(
    kind: &str,
    id: &str,
    seen: &mut HashSet<String>,
) -> Result<(), FormatError> {
    if id.is_empty() || !seen.insert(id.to_owned()) {
        return Err(FormatError::Invalid(format!(
            "{kind} id {} is empty or used twice",
            quoted(id)
        )));
    }
    Ok(())
}

/// The colour `hex` of `kind` `id`, which must be `#rrggbb`.
pub(super) fn colour_of(kind: &str, id: &str, hex: &str) -> Result<Rgb, FormatError> {
    Rgb::from_hex(hex).ok_or_else(|| {
        FormatError::Invalid(format!(
            "{kind} {} has colour {}, expected #rrggbb",
            quoted(id),
            quoted(hex)
        ))
    })
}

/// `None` for an organisation, which is what a party without a kind is.
pub(super) fn kind_record(kind: &PartyKind) -> Option<PartyKindRecord> {
    match kind {
        PartyKind::Organization => None,
        PartyKind::Person { job_title } => Some(PartyKindRecord::Person {
            job_title: job_title.clone(),
        }),
    }
}

pub(super) fn kind_from(record: Option<PartyKindRecord>) -> PartyKind {
    match record {
        None | Some(PartyKindRecord::Organization) => PartyKind::Organization,
        Some(PartyKindRecord::Person { job_title }) => PartyKind::Person { job_title },
    }
}

//! An article's details in the file (`article.details`, file version 3) and
//! back, each value checked as the model would accept it.

use super::FormatError;
use super::limits::quoted;
use super::schema::{DetailsRecord, PageRecord};
use crate::model::{ArticleDetails, Detail, PageSource};

/// The record for `details`, `None` when nothing is known (so files without
/// details stay at the version they were).
pub fn to_record(details: &ArticleDetails) -> Option<DetailsRecord> {
    if details.is_empty() {
        return None;
    }
    let mut record = DetailsRecord::default();
    for (detail, value) in details.known() {
        *slot(&mut record, detail) = Some(value.to_owned());
    }
    record.page = details.page.as_ref().map(|page| PageRecord {
        file: page.file.clone(),
        sha256: page.sha256.clone(),
        fetched_from: page.fetched_from.clone(),
        fetched_at: page.fetched_at,
    });
    record.conflicts = details
        .conflicts
        .iter()
        .map(|(d, theirs)| (d.key().to_owned(), theirs.clone()))
        .collect();
    Some(record)
}

/// The details a record holds; a value the app could not have stored (two
/// lines, an unknown direction, a conflict on an unknown detail) is refused
/// with what and where.
pub fn from_record(record: DetailsRecord) -> Result<ArticleDetails, FormatError> {
    let invalid = |what: String| FormatError::Invalid(format!("the article's {what}"));
    let mut details = ArticleDetails::default();
    let mut record = record;
    for detail in Detail::ALL {
        if let Some(value) = slot(&mut record, detail).take() {
            if !detail.accepts(&value) {
                return Err(invalid(format!(
                    "{} is {}, which is not a value it can have",
                    detail.key(),
                    quoted(&value)
                )));
            }
            details.set(detail, value);
        }
    }
    for (key, theirs) in record.conflicts {
        let detail = Detail::from_key(&key).ok_or_else(|| {
            invalid(format!(
                "details mark {} as conflicting, which is not an article detail",
                quoted(&key)
            ))
        })?;
        if !detail.accepts(&theirs) {
            return Err(invalid(format!(
                "{}'s other version is {}, which is not a value it can have",
                detail.key(),
                quoted(&theirs)
            )));
        }
        details.conflicts.insert(detail, theirs);
    }
    details.page = record.page.map(|page| PageSource {
        file: page.file,
        sha256: page.sha256,
        fetched_from: page.fetched_from,
        fetched_at: page.fetched_at,
    });
    Ok(details)
}

fn slot(record: &mut DetailsRecord, detail: Detail) -> &mut Option<String> {
    match detail {
        Detail::Url => &mut record.url,
        Detail::Byline => &mut record.byline,
        Detail::SiteName => &mut record.site_name,
        Detail::Published => &mut record.published,
        Detail::Modified => &mut record.modified,
        Detail::Lang => &mut record.lang,
        Detail::Dir => &mut record.dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ArticleDetails {
        let mut details = ArticleDetails::default();
        details.set(Detail::Url, "https://example.org/a".into());
        details.set(Detail::Byline, "Erin Cunningham".into());
        details.set(Detail::Dir, "rtl".into());
        details.conflicts.insert(Detail::Byline, "E. C.".into());
        details.page = Some(PageSource {
            file: Some("a.html".into()),
            sha256: "ab".repeat(32),
            fetched_from: Some("https://example.org/a?x".into()),
            fetched_at: Some(jiff::Timestamp::UNIX_EPOCH),
        });
        details
    }

    #[test]
    fn details_round_trip_and_nothing_known_writes_nothing() {
        let details = sample();
        let record = to_record(&details).unwrap_or_default();
        assert_eq!(record.byline.as_deref(), Some("Erin Cunningham"));
        assert_eq!(record.published, None);
        assert_eq!(from_record(record).ok(), Some(details));
        assert_eq!(to_record(&ArticleDetails::default()), None);
    }

    #[test]
    fn values_the_app_could_not_store_are_refused_with_where() {
        let bad = [
            DetailsRecord {
                dir: Some("sideways".into()),
                ..DetailsRecord::default()
            },
            DetailsRecord {
                byline: Some("two\nlines".into()),
                ..DetailsRecord::default()
            },
            DetailsRecord {
                conflicts: [("colour".to_owned(), "x".to_owned())].into(),
                ..DetailsRecord::default()
            },
        ];
        for (record, word) in bad.into_iter().zip(["dir", "byline", "colour"]) {
            let err = from_record(record).map(|_| ()).unwrap_err().to_string();
            assert!(err.contains(word), "{err}");
        }
    }
}

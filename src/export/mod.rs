//! Claims leaving factmark in other people's formats: schema.org
//! ClaimReview for publishing a fact-check ([`claimreview`], also as
//! Google's markup page), a table for spreadsheets ([`csv`]), a report for
//! an editor ([`html`], [`markdown`]), and W3C Web Annotation and brat
//! standoff for other annotation tools ([`w3c`], [`brat`]). Each
//! is a pure function of the annotation set; the command line writes the
//! result.

pub mod brat;
pub mod claimreview;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod w3c;

use crate::format;
use crate::model::{AnnotationSet, Publisher};
use std::path::{Path, PathBuf};

/// The formats claims can leave in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Claimreview,
    MarkupPage,
    W3c,
    Brat,
    Html,
    Md,
    Csv,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Claimreview,
        Format::MarkupPage,
        Format::W3c,
        Format::Brat,
        Format::Html,
        Format::Md,
        Format::Csv,
    ];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Format::Claimreview => "ClaimReview (schema.org JSON-LD)",
            Format::MarkupPage => "ClaimReview markup page (Google Fact Check Tools)",
            Format::W3c => "W3C Web Annotation (JSON-LD)",
            Format::Brat => "brat standoff (.ann beside .txt)",
            Format::Html => "Report (HTML)",
            Format::Md => "Report (Markdown)",
            Format::Csv => "Table (CSV)",
        }
    }

    /// The file name ending it is written with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Claimreview | Format::MarkupPage | Format::W3c => "json",
            Format::Brat => "ann",
            Format::Html => "html",
            Format::Md => "md",
            Format::Csv => "csv",
        }
    }

    /// Whether it names who publishes the fact-check.
    pub fn needs_publisher(self) -> bool {
        matches!(self, Format::Claimreview | Format::MarkupPage)
    }

    /// What it leaves out, for "…, N left out".
    fn left_out(self) -> &'static str {
        if self.needs_publisher() {
            "without a verdict"
        } else {
            "not placed in the article"
        }
    }
}

/// `set` in `format`, published by `publisher` (the file's own publisher
/// when `None`); a format that needs a publisher says so when there is none.
pub fn export(
    set: &AnnotationSet,
    format: Format,
    publisher: Option<&Publisher>,
) -> Result<Exported, String> {
    if format.needs_publisher() {
        let publisher = publisher.unwrap_or(&set.publisher);
        if publisher.name.trim().is_empty() || publisher.claim_url.trim().is_empty() {
            return Err(
                "a ClaimReview names who publishes it: give the publisher's name and \
                        each review's address (with {id} for the claim id)"
                    .to_owned(),
            );
        }
        if !publisher.claim_url.contains("{id}") {
            return Err(format!(
                "the review address {} has no {{id}}: every review needs its own address",
                publisher.claim_url
            ));
        }
        return Ok(match format {
            Format::MarkupPage => claimreview::markup_page(set, publisher),
            _ => claimreview::export(set, publisher),
        });
    }
    Ok(match format {
        Format::W3c => w3c::export(set),
        Format::Brat => brat::export(set),
        Format::Html => html::export(set),
        Format::Md => markdown::export(set),
        _ => csv::export(set),
    })
}

/// Writes an export to `path` (for brat, the article beside it as `.txt`,
/// which brat reads with it) and says what went out. Never writes over
/// one of the `protected` files (the annotation file, its article).
pub fn write(
    path: &Path,
    format: Format,
    exported: &Exported,
    set: &AnnotationSet,
    protected: &[&Path],
) -> Result<String, String> {
    let failed = |p: &Path, e: format::FormatError| format!("could not write {}: {e}", p.display());
    let text: PathBuf = path.with_extension("txt");
    let writes: Vec<&Path> = if format == Format::Brat {
        vec![path, &text]
    } else {
        vec![path]
    };
    let same = |a: &Path, b: &Path| {
        a == b
            || (std::fs::canonicalize(a).ok())
                .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if let Some(target) = writes.iter().find(|w| protected.iter().any(|p| same(w, p))) {
        return Err(format!(
            "{} is the annotation file or its article: choose another name",
            target.display()
        ));
    }
    if format == Format::Brat {
        format::write_atomic(&text, set.article.text().as_bytes()).map_err(|e| failed(&text, e))?;
    }
    format::write_atomic(path, exported.text.as_bytes()).map_err(|e| failed(path, e))?;
    Ok(exported.report(format))
}

/// An export's text, and how many claims it holds and left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
    pub written: usize,
    /// Claims the format has no place for (a ClaimReview needs a verdict).
    pub skipped: usize,
}

impl Exported {
    /// "2 claims exported, 6 without a verdict left out".
    pub fn report(&self, format: Format) -> String {
        let mut report = format!("{} claims exported", self.written);
        if self.skipped > 0 {
            report.push_str(&format!(
                ", {} {} left out",
                self.skipped,
                format.left_out()
            ));
        }
        report
    }
}

/// An absolute http(s) address: the only kind an export links to.
fn is_web_address(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// The article's details a report shows, known ones only: label and value.
fn reported_details(set: &AnnotationSet) -> Vec<(&'static str, &str)> {
    use crate::model::Detail;
    [
        Detail::Url,
        Detail::Byline,
        Detail::SiteName,
        Detail::Published,
        Detail::Modified,
    ]
    .into_iter()
    .map(|d| (d.label(), set.details.get(d)))
    .filter(|(_, value)| !value.is_empty())
    .collect()
}

/// "8 (4 disputed, 3 agreed, 1 unreviewed; 2 with a verdict)".
fn claims_summary(set: &AnnotationSet) -> String {
    use crate::model::Status;
    let counts = set.counts();
    format!(
        "{} ({} disputed, {} agreed, {} unreviewed; {} with a verdict)",
        counts.claims,
        counts.status(Status::Disputed),
        counts.status(Status::Agreed),
        counts.status(Status::Unreviewed),
        set.claims().iter().filter(|c| c.verdict.is_some()).count()
    )
}

/// A value on one line, each run of white space one space (kept at the
/// ends, where context meets its quote): its own line breaks would end a
/// list item, a quote or a table row of a report.
fn flat(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn flat_keeps_one_space_where_there_was_any() {
        assert_eq!(super::flat("But "), "But ");
        assert_eq!(super::flat("a\n\n  b"), "a b");
        assert_eq!(super::flat("\nc"), " c");
    }
}

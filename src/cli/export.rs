//! `factmark export FILE.ron --to FORMAT [-o OUT]`: the claims in another
//! format (see `crate::export`). The report line (how many claims went out,
//! how many had no place) goes to standard error, the export to standard
//! output or OUT.

use crate::export::{self, Exported, Publisher};
use crate::format;
use std::path::Path;

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

/// The publisher named on the command line; its site is the template's
/// origin.
pub fn publisher(name: Option<String>, template: Option<String>) -> Option<Publisher> {
    let (name, claim_url) = (name?, template?);
    let url = url::Url::parse(&claim_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    Some(Publisher {
        name,
        url,
        claim_url,
    })
}

/// The export's text for standard output (empty when written to `out`) and
/// the report line.
pub fn run(
    file: &Path,
    to: Format,
    out: Option<&Path>,
    publisher: Option<Publisher>,
) -> Result<(String, String), String> {
    let loaded =
        format::load_annotations(file, None).map_err(|e| format!("{}: {e}", file.display()))?;
    let set = &loaded.set;
    let exported: Exported = match to {
        Format::Claimreview | Format::MarkupPage => {
            let publisher = publisher.ok_or(
                "a ClaimReview names who publishes it: give --publisher NAME and \
                 --publisher-url TEMPLATE (with {id} for the claim id)",
            )?;
            if !publisher.claim_url.contains("{id}") {
                return Err(format!(
                    "--publisher-url {} has no {{id}}: every review needs its own address",
                    publisher.claim_url
                ));
            }
            if to == Format::MarkupPage {
                export::claimreview::markup_page(set, &publisher)
            } else {
                export::claimreview::export(set, &publisher)
            }
        }
        Format::Brat => {
            // brat reads the text beside its standoff file, under the same name.
            let out =
                out.ok_or("brat needs -o OUT.ann: the article is written beside it as OUT.txt")?;
            let text = out.with_extension("txt");
            format::write_atomic(&text, set.article.text().as_bytes())
                .map_err(|e| format!("could not write {}: {e}", text.display()))?;
            export::brat::export(set)
        }
        Format::Html => export::html::export(set),
        Format::Csv => export::csv::export(set),
        Format::Md => export::markdown::export(set),
        Format::W3c => export::w3c::export(set),
    };
    let mut report = format!("{} claims exported", exported.written);
    if exported.skipped > 0 {
        let why = match to {
            Format::Claimreview | Format::MarkupPage => "without a verdict",
            _ => "not placed in the article",
        };
        report.push_str(&format!(", {} {why} left out", exported.skipped));
    }
    report.push('\n');
    match out {
        Some(path) => {
            format::write_atomic(path, exported.text.as_bytes())
                .map_err(|e| format!("could not write {}: {e}", path.display()))?;
            Ok((String::new(), report))
        }
        None => Ok((exported.text, report)),
    }
}

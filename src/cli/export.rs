//! `factmark export FILE.ron --to FORMAT [-o OUT]`: the claims in another
//! format (see `crate::export`). The report line (how many claims went out,
//! how many had no place) goes to standard error, the export to standard
//! output or OUT.

use crate::export::{self, Format};
use crate::format;
use crate::model::Publisher;
use std::path::Path;

/// What the command line says of the publisher: each given part overrides
/// the file's profile.
#[derive(Default)]
pub struct PublisherOverride {
    pub name: Option<String>,
    /// The review address template; the publisher's site becomes its origin.
    pub claim_url: Option<String>,
}

impl PublisherOverride {
    /// The file's publisher with the command line's parts put in.
    fn over(self, file: &Publisher) -> Publisher {
        let mut publisher = file.clone();
        if let Some(template) = self.claim_url {
            publisher.url = Publisher::site_of(&template);
            publisher.claim_url = template;
        }
        if let Some(name) = self.name {
            publisher.name = name;
        }
        publisher
    }
}

/// The export's text for standard output (empty when written to `out`) and
/// the report line.
pub fn run(
    file: &Path,
    to: Format,
    out: Option<&Path>,
    publisher: PublisherOverride,
) -> Result<(String, String), String> {
    let loaded =
        format::load_annotations(file, None).map_err(|e| format!("{}: {e}", file.display()))?;
    let set = &loaded.set;
    let publisher = publisher.over(&set.publisher);
    let exported = export::export(set, to, Some(&publisher)).map_err(|why| {
        if to.needs_publisher() {
            format!("{why} (--publisher NAME --publisher-url TEMPLATE)")
        } else {
            why
        }
    })?;
    match out {
        Some(path) => {
            let mut protected = vec![file];
            protected.extend(loaded.article.path());
            let report = export::write(path, to, &exported, set, &protected)?;
            Ok((String::new(), report + "\n"))
        }
        None if to == Format::Brat => {
            Err("brat needs -o OUT.ann: the article is written beside it as OUT.txt".into())
        }
        None => Ok((exported.text.clone(), exported.report(to) + "\n")),
    }
}

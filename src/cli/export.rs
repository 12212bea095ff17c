//! `factmark export FILE.ron --to FORMAT [-o OUT]`: the claims in another
//! format (see `crate::export`). The report line (how many claims went out,
//! how many had no place) goes to standard error, the export to standard
//! output or OUT.

use crate::export::{self, Format, Publisher};
use crate::format;
use std::path::Path;

/// The publisher named on the command line; its site is the template's
/// origin.
pub fn publisher(name: Option<String>, template: Option<String>) -> Option<Publisher> {
    Some(Publisher::new(name?, template?))
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
    let exported = export::export(set, to, publisher.as_ref()).map_err(|why| {
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

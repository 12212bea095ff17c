//! `factmark import FILE --article ARTICLE -o OUT.ron`: annotations from
//! another tool (W3C Web Annotation or Hypothesis JSON) as an annotation
//! file on ARTICLE, each claim placed by its quote. Never writes over an
//! existing file.

use crate::format;
use crate::import;
use std::fmt::Write as _;
use std::path::Path;

pub fn run(file: &Path, article_path: &Path, out: &Path) -> Result<String, String> {
    if out.exists() {
        return Err(format!("{} exists: choose a new name", out.display()));
    }
    let json = format::read_text(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let article = format::load_article(article_path)
        .map_err(|e| format!("{}: {e}", article_path.display()))?;
    let imported =
        import::import(&json, article).map_err(|e| format!("{}: {e}", file.display()))?;
    format::save_annotations(out, &imported.set, Some(article_path), false)
        .map_err(|e| format!("could not write {}: {e}", out.display()))?;
    let a = imported.set.counts().anchors;
    let mut report = format!(
        "{} annotations read, {} claims written to {}: {} exact, {} moved, {} fuzzy, {} not found\n",
        imported.annotations,
        imported.set.claims().len(),
        out.display(),
        a.exact,
        a.moved,
        a.fuzzy,
        a.orphaned
    );
    for (what, n) in &imported.left_out {
        let _ = writeln!(report, "left out: {n} × {what}");
    }
    Ok(report)
}

//! `factmark reanchor FILE.ron ARTICLE.txt [--json]`

use super::Shown;
use crate::anchor;
use crate::format;
use crate::model::{Anchor, AnchorState};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Serialize)]
struct ClaimReport<'a> {
    id: &'a str,
    state: &'static str,
    old_start: usize,
    old_end: usize,
    new_start: Option<usize>,
    new_end: Option<usize>,
    score: f32,
    quote: &'a str,
}

#[derive(Serialize, Default)]
struct Counts {
    exact: usize,
    moved: usize,
    fuzzy: usize,
    orphaned: usize,
    /// Orphaned without being searched for: the work allowed ran out.
    unsearched: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    claims: Vec<ClaimReport<'a>>,
    counts: Counts,
}

/// Re-anchors without changing any file and renders the report.
pub fn run(file: &Path, article: &Path, json: bool) -> Result<String, String> {
    let parsed = super::read_file(file)?;
    let article = format::load_article(article).map_err(|e| e.to_string())?;
    let anchors: Vec<&Anchor> = parsed.claims.iter().map(|c| &c.anchor).collect();
    let placements = anchor::locate_all(&article, &anchors);
    let mut counts = Counts {
        unsearched: placements.unsearched,
        ..Counts::default()
    };
    let mut claims = Vec::with_capacity(placements.located.len());
    for (claim, found) in parsed.claims.iter().zip(&placements.located) {
        match found.state {
            AnchorState::Exact => counts.exact += 1,
            AnchorState::Moved { .. } => counts.moved += 1,
            AnchorState::Fuzzy { .. } => counts.fuzzy += 1,
            AnchorState::Orphaned | AnchorState::Excerpt { .. } => counts.orphaned += 1,
        }
        claims.push(ClaimReport {
            id: &claim.id.0,
            state: found.state.label(),
            old_start: claim.anchor.start,
            old_end: claim.anchor.end,
            new_start: found.range.as_ref().map(|r| r.start),
            new_end: found.range.as_ref().map(|r| r.end),
            score: found.score,
            quote: &claim.anchor.exact,
        });
    }
    if json {
        let report = Report { claims, counts };
        return serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .map_err(|e| format!("could not write JSON: {e}"));
    }
    let mut out = String::new();
    for c in claims.iter().filter(|c| c.state != "exact") {
        let new = match (c.new_start, c.new_end) {
            (Some(s), Some(e)) => format!("{s}..{e}"),
            _ => "-".to_owned(),
        };
        let quote: String = c.quote.chars().take(60).collect();
        let _ = writeln!(
            out,
            "{} {:<8} {}..{} -> {new} score={:.2} \"{}\"",
            Shown(c.id),
            c.state,
            c.old_start,
            c.old_end,
            c.score,
            Shown(&quote.replace('\n', " "))
        );
    }
    let _ = writeln!(
        out,
        "exact={} moved={} fuzzy={} orphaned={}",
        counts.exact, counts.moved, counts.fuzzy, counts.orphaned
    );
    if counts.unsearched > 0 {
        let _ = writeln!(
            out,
            "{} of the orphaned claims were not searched for: re-anchoring stopped at its work \
             limit on this pathological file (periodic text, thousands of nested quotes or huge \
             contexts); they are kept with their stored anchors",
            counts.unsearched
        );
    }
    Ok(out)
}

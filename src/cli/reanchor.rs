//! `factmark reanchor FILE.ron ARTICLE.txt [--old OLD.txt] [--json]`: where
//! each claim lands in another version of the article. When the text the
//! claims were made on is known (carried in the file, or given as OLD), they
//! are followed through a diff of the two texts; otherwise searched for.

use super::{Shown, hidden};
use crate::anchor;
use crate::format;
use crate::model::{Anchor, AnchorCounts};
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
    /// What the article holds at the new place, when a diff found the
    /// quote's text edited there.
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<String>,
}

/// The JSON listing's counts (the article is real: no claim is an excerpt).
#[derive(Serialize)]
struct Counts {
    exact: usize,
    moved: usize,
    fuzzy: usize,
    orphaned: usize,
    /// Orphaned without being searched for: the work allowed ran out.
    unsearched: usize,
    /// Claims the user is asked about: fuzzy ones to confirm, orphaned ones
    /// to place again or let go.
    needing_review: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    claims: Vec<ClaimReport<'a>>,
    counts: Counts,
    /// The claims were followed through a diff of the old and new text.
    through_diff: bool,
}

/// Re-anchors without changing any file and renders the report, as JSON
/// (safe to print as it is, see [`to_json`]) or as lines for [`super::printable`].
pub fn run(file: &Path, article: &Path, old: Option<&Path>, json: bool) -> Result<String, String> {
    let parsed = super::read_file(file)?;
    let article = format::load_article(article).map_err(|e| e.to_string())?;
    let made_on = match old {
        Some(path) => {
            let old = format::load_article(path).map_err(|e| e.to_string())?;
            if old.sha256() != parsed.sha256 {
                return Err(format!(
                    "{} is not the text these annotations were made on (its fingerprint \
                     differs from the one the file records)",
                    path.display()
                ));
            }
            Some(old)
        }
        None => parsed
            .embedded_article()
            .filter(|a| a.sha256() == parsed.sha256),
    };
    let anchors: Vec<&Anchor> = parsed.claims.iter().map(|c| &c.anchor).collect();
    let (placements, changes) = match &made_on {
        Some(old) => {
            let diffed = anchor::place_through_diff(old, &article, &anchors);
            (diffed.placements, diffed.changes)
        }
        None => (anchor::locate_all(&article, &anchors), Vec::new()),
    };
    let states = AnchorCounts::of(placements.located.iter().map(|found| &found.state));
    let counts = Counts {
        exact: states.exact,
        moved: states.moved,
        fuzzy: states.fuzzy,
        orphaned: states.orphaned,
        unsearched: placements.unsearched,
        needing_review: placements.needing_review(),
    };
    let claims: Vec<ClaimReport> = parsed
        .claims
        .iter()
        .zip(&placements.located)
        .enumerate()
        .map(|(i, (claim, found))| ClaimReport {
            id: &claim.id.0,
            state: found.state.label(),
            old_start: claim.anchor.start,
            old_end: claim.anchor.end,
            new_start: found.range.as_ref().map(|r| r.start),
            new_end: found.range.as_ref().map(|r| r.end),
            score: found.score,
            quote: &claim.anchor.exact,
            now: changes.get(i).cloned().flatten().map(|change| change.new),
        })
        .collect();
    let through_diff = made_on.is_some();
    if json {
        return to_json(&Report {
            claims,
            counts,
            through_diff,
        });
    }
    let mut out = String::new();
    for c in claims.iter().filter(|c| c.state != "exact") {
        let new = match (c.new_start, c.new_end) {
            (Some(s), Some(e)) => format!("{s}..{e}"),
            _ => "-".to_owned(),
        };
        let quote: String = c.quote.chars().take(60).collect();
        let _ = write!(
            out,
            "{} {:<8} {}..{} -> {new} score={:.2} \"{}\"",
            Shown(c.id),
            c.state,
            c.old_start,
            c.old_end,
            c.score,
            Shown(&quote.replace('\n', " "))
        );
        if let Some(now) = &c.now {
            let now: String = now.chars().take(60).collect();
            let _ = write!(out, " now \"{}\"", Shown(&now.replace('\n', " ")));
        }
        out.push('\n');
    }
    if through_diff {
        out.push_str("followed through a diff: the text the claims were made on is known\n");
    }
    let _ = writeln!(
        out,
        "needing review: {} of {} claims ({} to confirm, {} orphaned)",
        counts.needing_review,
        claims.len(),
        counts.fuzzy,
        counts.orphaned
    );
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

/// The report as pretty JSON that is safe to print: every control or
/// invisible char that serde_json leaves as it is (DEL, C1 controls such as
/// U+009B, which a terminal may take for an escape sequence, bidi overrides,
/// zero-width marks) is written as a `\uXXXX` escape, so the output parses
/// to the same value and carries no such char. It must not go through
/// [`super::printable`], whose escapes are not JSON.
fn to_json(report: &Report) -> Result<String, String> {
    let json =
        serde_json::to_string_pretty(report).map_err(|e| format!("could not write JSON: {e}"))?;
    let mut out = String::with_capacity(json.len() + 1);
    for c in json.chars() {
        // serde_json escapes the chars below U+0020 itself: a raw line break
        // is the layout's own.
        if hidden(c) && c != '\n' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any char, with the ones a terminal acts on or hides made common.
    fn text() -> impl Strategy<Value = String> {
        let tricky = prop_oneof![
            (0x80u32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            Just('\u{7f}'),
            Just('\u{1b}'),
            Just('\u{202e}'),
            Just('\u{2028}'),
            Just('\u{e0041}'),
            Just('"'),
            Just('\\'),
        ];
        prop::collection::vec(prop_oneof![any::<char>(), tricky], 0..24)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn json_output_parses_back_and_hides_nothing(id in text(), quote in text(), now in text()) {
            let report = Report {
                claims: vec![ClaimReport {
                    id: &id,
                    state: "fuzzy",
                    old_start: 0,
                    old_end: 1,
                    new_start: None,
                    new_end: Some(2),
                    score: 0.5,
                    quote: &quote,
                    now: Some(now.clone()),
                }],
                counts: Counts { exact: 0, moved: 0, fuzzy: 1, orphaned: 0, unsearched: 0, needing_review: 1 },
                through_diff: true,
            };
            let out = to_json(&report).unwrap_or_default();
            prop_assert!(!out.chars().any(|c| hidden(c) && c != '\n'), "{out:?}");
            let value: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out:?}"));
            prop_assert_eq!(value["claims"][0]["id"].as_str(), Some(id.as_str()));
            prop_assert_eq!(value["claims"][0]["quote"].as_str(), Some(quote.as_str()));
            prop_assert_eq!(value["claims"][0]["now"].as_str(), Some(now.as_str()));
        }
    }
}

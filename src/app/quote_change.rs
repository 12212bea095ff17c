//! A quote whose text changed, drawn as what it was and what it says now,
//! with what changed marked on each: the words and letters taken out on the
//! old text, those put in on the new ([`crate::anchor::quote_changes`]), so
//! a changed figure in a long quote is seen at a glance.

use super::{bidi_layout, theme};
use crate::anchor::quote_changes;
use crate::model::one_line_marked;
use egui::cache::{ComputerMut, FrameCache};
use std::ops::Range;

/// What changed between a quote's old and new text, as char ranges of each.
type Changes = Vec<(Range<usize>, Range<usize>)>;

/// Diffs a changed quote; egui's frame cache keeps each diff while its row
/// is shown, so it is computed once, not every frame.
#[derive(Default)]
struct QuoteDiffer;

impl ComputerMut<(&str, &str), Changes> for QuoteDiffer {
    fn compute(&mut self, (was, now): (&str, &str)) -> Changes {
        quote_changes(was, now)
    }
}

type QuoteDiffs = FrameCache<Changes, QuoteDiffer>;

/// Draws "Was: “…”" and "Now: “…”", each at most `max_chars` chars (a long
/// quote shown from a little before its first change), one row each when
/// `one_row`, else wrapped.
pub fn was_and_now(ui: &mut egui::Ui, was: &str, now: &str, max_chars: usize, one_row: bool) {
    let (removed, inserted): (Vec<Range<usize>>, Vec<Range<usize>>) = ui.ctx().memory_mut(|m| {
        m.caches
            .cache::<QuoteDiffs>()
            .get((was, now))
            .iter()
            .cloned()
            .unzip()
    });
    let (taken_out, put_in) = theme::change_colors(ui.visuals().dark_mode);
    let format = egui::TextFormat::simple(
        egui::TextStyle::Body.resolve(ui.style()),
        ui.visuals().text_color(),
    );
    for (label, text, marks, color) in [
        ("Was", was, removed, taken_out),
        ("Now", now, inserted, put_in),
    ] {
        let (line, marks) = one_line_marked(text, max_chars, &marks);
        let prefix = format!("{label}: “");
        let shift = prefix.chars().count();
        let marks: Vec<Range<usize>> = marks
            .into_iter()
            .map(|m| m.start + shift..m.end + shift)
            .collect();
        bidi_layout::highlighted_label(
            ui,
            &format!("{prefix}{line}”"),
            &format,
            (&marks, color),
            one_row,
        );
    }
}

//! The Review changed claims window: every claim re-anchoring found only
//! approximately (its text changed, or its context), with what it was and
//! what the article says there now, how sure the match is, and one click to
//! confirm it or go to it. Matches at or above a chosen score are confirmed
//! together in one undoable step, after the list has been seen.

use super::intent::Intent;
use super::quote_change;
use crate::anchor::BULK_CONFIRM_SCORE;
use crate::model::{AnchorState, AnnotationSet, ClaimId};
use egui::RichText;

/// How much of each quote a row shows.
const QUOTE_CHARS: usize = 120;

pub struct ReviewWindow {
    pub open: bool,
    /// Matches scoring at least this are confirmed by *Confirm all*.
    threshold: f32,
}

impl Default for ReviewWindow {
    fn default() -> Self {
        Self {
            open: false,
            threshold: BULK_CONFIRM_SCORE,
        }
    }
}

impl ReviewWindow {
    pub fn show(&mut self, ctx: &egui::Context, set: &AnnotationSet) -> Vec<Intent> {
        let mut actions = Vec::new();
        if !self.open {
            return actions;
        }
        // Borrowed, not copied: only the rows in view are turned into text.
        let fuzzy: Vec<(&ClaimId, &str, &str, f32)> = set
            .claims()
            .iter()
            .filter_map(|c| match &c.anchor_state {
                AnchorState::Fuzzy { at, score } => Some((
                    &c.id,
                    c.anchor.exact.as_str(),
                    set.article.slice(at.clone()),
                    *score,
                )),
                _ => None,
            })
            .collect();
        let mut open = self.open;
        egui::Window::new("Review changed claims")
            .open(&mut open)
            .default_width(640.0)
            .show(ctx, |ui| {
                if fuzzy.is_empty() {
                    ui.label("No claim is waiting for confirmation: every placed claim sits on its own text.");
                    return;
                }
                ui.label(format!(
                    "{} claims were found where their text changed (or the text around them). \
                     Confirm each, or all those at least as close as you choose, in one step \
                     (Ctrl+Z undoes it).",
                    fuzzy.len()
                ));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::Slider::new(&mut self.threshold, 0.7..=1.0)
                            .text("closeness at least")
                            .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
                    );
                    let above = fuzzy
                        .iter()
                        .filter(|(_, _, _, s)| *s >= self.threshold)
                        .count();
                    let confirm =
                        ui.add_enabled(above > 0, egui::Button::new(format!("Confirm all {above}")));
                    if confirm.clicked()
                        && let Some(edit) = set.confirm_placements(self.threshold)
                    {
                        let message = format!("Confirmed {above} changed claims");
                        actions.push(Intent::Step(edit, message));
                    }
                });
                ui.separator();
                // Only the rows in view are drawn: thousands of changed
                // claims stay quick to scroll.
                let row_height = 3.0 * ui.text_style_height(&egui::TextStyle::Body) + 14.0;
                egui::ScrollArea::vertical().max_height(420.0).show_rows(
                    ui,
                    row_height,
                    fuzzy.len(),
                    |ui, rows| {
                        for (id, was, now, score) in &fuzzy[rows] {
                            let close = *score >= self.threshold;
                            ui.horizontal(|ui| {
                                let tag = RichText::new(format!("{:.0}%", score * 100.0));
                                ui.label(if close { tag.strong() } else { tag.weak() });
                                if ui.small_button("Confirm").clicked()
                                    && let Ok(edit) = set.confirm_placement(id)
                                {
                                    actions.push(Intent::Step(edit, "Claim confirmed".into()));
                                }
                                if ui.small_button("Go to").clicked() {
                                    actions.push(Intent::Select {
                                        claim: Some((*id).clone()),
                                        scroll: true,
                                    });
                                }
                            });
                            quote_change::was_and_now(ui, was, now, QUOTE_CHARS, true);
                        }
                    },
                );
            });
        self.open = open;
        actions
    }
}

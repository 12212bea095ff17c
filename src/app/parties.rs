//! The parties window: create, rename, recolour and delete parties. Deleting a
//! party that claims use asks first and says exactly what will be cleared. A
//! party a merge marked as conflicting is tagged, shows the other version and
//! is resolved with one click (undoable).

use super::within;
use crate::format::limits;
use crate::model::{
    AnnotationSet, Document, Edit, Party, PartyConflict, PartyId, PartyResolution, Rgb,
};
use egui::RichText;

/// Width of a party's name field in the Parties window, in points.
const NAME_FIELD_WIDTH: f32 = 240.0;

#[derive(Default)]
pub struct PartiesWindow {
    pub open: bool,
    new_name: String,
    /// The name field being edited, so it may be empty while typing.
    renaming: Option<(PartyId, String)>,
    confirm_delete: Option<PartyId>,
    /// The new-party field was submitted with Enter: it keeps the focus.
    refocus_new: bool,
}

impl PartiesWindow {
    /// Whether the delete question is up (a modal dialog).
    pub fn modal_open(&self) -> bool {
        self.confirm_delete.is_some()
    }

    /// Returns the edits made, and whether a name field was left (so typing
    /// in it later starts a new undo step).
    pub fn show(&mut self, ctx: &egui::Context, doc: &Document) -> (Vec<Edit>, bool) {
        let mut edits = Vec::new();
        let mut seal = false;
        let set = doc.set();
        let mut open = self.open;
        egui::Window::new("Parties")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(
                    "Parties assert, agree with or dispute claims: countries, people, outlets.",
                );
                egui::Grid::new("parties-grid")
                    .num_columns(4)
                    .striped(true)
                    .show(ui, |ui| {
                        for party in set.parties() {
                            let mut rgb = party.color.0;
                            let colour = egui::color_picker::color_edit_button_srgb(ui, &mut rgb);
                            let label = format!("Colour of {}", party.name);
                            colour.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::ColorWell, true, &label)
                            });
                            if colour.changed() {
                                edits.push(Edit::RecolorParty {
                                    party: party.id.clone(),
                                    color: Rgb(rgb),
                                });
                            }
                            let mut name = match &self.renaming {
                                Some((id, text)) if id == &party.id => text.clone(),
                                _ => party.name.clone(),
                            };
                            // A fixed width: a grid cell would otherwise give the
                            // field last frame's column width (once about 4 chars).
                            let field = ui.add_sized(
                                [NAME_FIELD_WIDTH, ui.spacing().interact_size.y],
                                egui::TextEdit::singleline(&mut name)
                                    .char_limit(within(limits::MAX_NAME_BYTES))
                                    .hint_text("party name"),
                            );
                            if field.changed() {
                                if !name.trim().is_empty() {
                                    edits.push(Edit::RenameParty {
                                        party: party.id.clone(),
                                        name: name.clone(),
                                    });
                                }
                                self.renaming = Some((party.id.clone(), name));
                            }
                            if field.lost_focus() {
                                self.renaming = None;
                                seal = true;
                            }
                            let uses = set.claims_using_party(&party.id);
                            ui.label(RichText::new(format!("{uses} claims")).weak());
                            if ui.button("Delete").clicked() {
                                if uses == 0 {
                                    edits.push(Edit::RemoveParty(party.id.clone()));
                                } else {
                                    self.confirm_delete = Some(party.id.clone());
                                }
                            }
                            ui.end_row();
                            if party.conflict.is_some() {
                                edits.extend(conflict_row(ui, set, party));
                                ui.end_row();
                            }
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.new_name)
                            .char_limit(within(limits::MAX_NAME_BYTES))
                            .hint_text("New party name"),
                    );
                    if std::mem::take(&mut self.refocus_new) {
                        field.request_focus();
                    }
                    let submitted =
                        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (ui.button("Add").clicked() || submitted) && !self.new_name.trim().is_empty()
                    {
                        edits.push(Edit::AddParty {
                            party: set.new_party(&self.new_name),
                            index: None,
                        });
                        self.new_name.clear();
                        // Enter adds the party and leaves the field ready for the next.
                        self.refocus_new = submitted;
                    }
                });
            });
        self.open = open;

        if let Some(id) = self.confirm_delete.clone() {
            let name = set.party_name(&id);
            let uses = set.claims_using_party(&id);
            let modal = egui::Modal::new(egui::Id::unique("delete-party")).show(ctx, |ui| {
                ui.set_max_width(440.0);
                ui.heading(format!("Delete “{name}”?"));
                ui.label(format!(
                    "{uses} claims mention {name}. Deleting it removes {name} as their claimant, \
                     removes {name}'s stances (statuses suggested by stances are recomputed) and \
                     unlinks evidence that supports {name}. The claims themselves stay. \
                     Ctrl+Z undoes all of it."
                ));
                ui.horizontal(|ui| {
                    let delete = ui
                        .button(RichText::new("Delete party").color(ui.visuals().error_fg_color))
                        .clicked();
                    let cancel = ui.button("Cancel").clicked();
                    (delete, cancel)
                })
                .inner
            });
            let (delete, cancel) = modal.inner;
            if delete {
                edits.push(Edit::RemoveParty(id));
            }
            if delete || cancel || modal.should_close() {
                self.confirm_delete = None;
            }
        }
        (edits, seal)
    }
}

/// The row under a party a merge marked: what the other side has, and the
/// edit that resolves it when a button is clicked.
fn conflict_row(ui: &mut egui::Ui, set: &AnnotationSet, party: &Party) -> Option<Edit> {
    let resolve = |how| set.resolve_party_conflict(&party.id, how).ok();
    let error = ui.visuals().error_fg_color;
    ui.label(RichText::new("conflict").color(error).strong());
    let mut edit = None;
    match &party.conflict {
        Some(PartyConflict::Theirs { name, color }) => {
            ui.horizontal(|ui| {
                ui.label("Other version:");
                egui::color_picker::show_color(
                    ui,
                    egui::Color32::from_rgb(color.0[0], color.0[1], color.0[2]),
                    egui::vec2(14.0, 14.0),
                );
                ui.label(format!("“{name}” ({})", color.to_hex()));
            });
            ui.horizontal(|ui| {
                let keep = ui.button("Keep mine").on_hover_text(format!(
                    "Keep “{}” ({}) and forget the other version",
                    party.name,
                    party.color.to_hex()
                ));
                if keep.clicked() {
                    edit = resolve(PartyResolution::KeepMine);
                }
                let take = ui.button("Take theirs").on_hover_text(format!(
                    "Rename and recolour to “{name}” ({})",
                    color.to_hex()
                ));
                if take.clicked() {
                    edit = resolve(PartyResolution::TakeTheirs);
                }
            });
        }
        Some(PartyConflict::Deleted) => {
            ui.label("Deleted on one side of a merge, changed or still used on the other.");
            let keep = ui
                .button("Keep it")
                .on_hover_text("Keep the party; Delete above removes it instead");
            if keep.clicked() {
                edit = resolve(PartyResolution::KeepMine);
            }
        }
        None => {}
    }
    edit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationSet, Article, EditContext};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn ctx() -> EditContext {
        EditContext {
            author: "tester".into(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    /// Shows the window on `doc`, clicks the button labelled `click` and
    /// returns the edits made.
    fn click(doc: &Document, click: &str, expect_shown: &[&str]) -> Vec<Edit> {
        let mut window = PartiesWindow {
            open: true,
            ..Default::default()
        };
        let mut edits = Vec::new();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(800.0, 600.0))
            .build_ui(|ui| edits.extend(window.show(ui.ctx(), doc).0));
        harness.run();
        for shown in expect_shown {
            harness.get_by_label_contains(shown);
        }
        harness.get_by_label(click).click();
        harness.run();
        drop(harness);
        edits
    }

    fn marked(conflict: PartyConflict) -> Document {
        let mut set = AnnotationSet::new(Article::new("t", "text"));
        let party = Party {
            id: PartyId("eu".into()),
            name: "EU".into(),
            color: Rgb([1, 2, 3]),
            conflict: Some(conflict),
        };
        set.apply(Edit::AddParty { party, index: None }, &ctx())
            .unwrap_or_else(|e| panic!("{e}"));
        Document::new(set)
    }

    #[test]
    fn a_conflicting_party_shows_both_versions_and_resolves_in_one_undoable_step() {
        let theirs = PartyConflict::Theirs {
            name: "European Union".into(),
            color: Rgb([4, 5, 6]),
        };
        let shown = ["conflict", "“European Union” (#040506)"];
        for (button, name, color) in [
            ("Take theirs", "European Union", Rgb([4, 5, 6])),
            ("Keep mine", "EU", Rgb([1, 2, 3])),
        ] {
            let mut doc = marked(theirs.clone());
            let before = doc.set().clone();
            let edits = click(&doc, button, &shown);
            assert_eq!(edits.len(), 1, "{button}: one edit");
            for edit in edits {
                doc.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
            }
            let party = &doc.set().parties()[0];
            assert_eq!(
                (party.name.as_str(), party.color, &party.conflict),
                (name, color, &None),
                "{button}"
            );
            doc.undo(&ctx()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(doc.set(), &before, "{button}: undone");
        }
        let mut doc = marked(PartyConflict::Deleted);
        let edits = click(&doc, "Keep it", &["Deleted on one side"]);
        for edit in edits {
            doc.apply(edit, &ctx()).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(doc.set().parties()[0].conflict, None);
    }
}

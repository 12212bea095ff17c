//! The parties window: create, rename, recolour and delete parties. Deleting a
//! party that claims use asks first and says exactly what will be cleared.

use super::within;
use crate::format::limits;
use crate::model::{Document, Edit, PartyId, Rgb};
use egui::RichText;

#[derive(Default)]
pub struct PartiesWindow {
    pub open: bool,
    new_name: String,
    /// The name field being edited, so it may be empty while typing.
    renaming: Option<(PartyId, String)>,
    confirm_delete: Option<PartyId>,
}

impl PartiesWindow {
    /// Returns the edits made, and whether a name field was left (so typing
    /// in it later starts a new undo step).
    pub fn show(&mut self, ctx: &egui::Context, doc: &Document) -> (Vec<Edit>, bool) {
        let mut edits = Vec::new();
        let mut seal = false;
        let set = doc.set();
        let mut open = self.open;
        egui::Window::new("Parties")
            .open(&mut open)
            .default_width(420.0)
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
                            let field = ui.add(
                                egui::TextEdit::singleline(&mut name)
                                    .char_limit(within(limits::MAX_NAME_BYTES))
                                    .hint_text("party name")
                                    .desired_width(160.0),
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
                        }
                    });
                ui.separator();
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.new_name)
                            .char_limit(within(limits::MAX_NAME_BYTES))
                            .hint_text("New party name"),
                    );
                    let submitted =
                        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (ui.button("Add").clicked() || submitted) && !self.new_name.trim().is_empty()
                    {
                        edits.push(Edit::AddParty {
                            party: set.new_party(&self.new_name),
                            index: None,
                        });
                        self.new_name.clear();
                    }
                });
            });
        self.open = open;

        if let Some(id) = self.confirm_delete.clone() {
            let name = set
                .party(&id)
                .map_or_else(|| id.0.clone(), |p| p.name.clone());
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

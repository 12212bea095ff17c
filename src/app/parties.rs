//! The parties window: create, rename, recolour, describe (organisation, or
//! person with a job title) and delete parties. Deleting a
//! party that claims use asks first and says exactly what will be cleared. A
//! party a merge marked as conflicting is tagged, shows the other version and
//! is resolved with one click (undoable).

use super::list_row;
use super::within;
use crate::format::limits;
use crate::model::{
    AnnotationSet, Document, Edit, Party, PartyConflict, PartyId, PartyKind, VersionChoice,
};
use egui::RichText;

/// Width of a person's job title field, in points.
const JOB_TITLE_WIDTH: f32 = 160.0;

#[derive(Default)]
pub struct PartiesWindow {
    pub open: bool,
    new_name: String,
    /// The name field being edited (party id, text), so it may be empty
    /// while typing.
    renaming: Option<(String, String)>,
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
            .default_width(720.0)
            .show(ctx, |ui| {
                ui.label(
                    "Parties assert, agree with or dispute claims: countries, people, outlets.",
                );
                egui::Grid::new("parties-grid")
                    .num_columns(5)
                    .striped(true)
                    .show(ui, |ui| {
                        for party in set.parties() {
                            let row = list_row::colour_and_name(
                                ui,
                                &mut self.renaming,
                                &party.id.0,
                                &party.name,
                                party.color,
                                "party name",
                            );
                            if let Some(color) = row.color {
                                edits.push(Edit::RecolorParty {
                                    party: party.id.clone(),
                                    color,
                                });
                            }
                            if let Some(name) = row.name {
                                edits.push(Edit::RenameParty {
                                    party: party.id.clone(),
                                    name,
                                });
                            }
                            let (kind, left) = kind_field(ui, party);
                            edits.extend(kind.map(|kind| Edit::SetPartyKind {
                                party: party.id.clone(),
                                kind,
                            }));
                            seal |= row.left || left;
                            let uses = set.claims_using_party(&party.id);
                            ui.label(RichText::new(list_row::claims(uses)).weak());
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
                    "{name} is named on {}. Deleting it removes {name} as their claimant, \
                     removes {name}'s stances (statuses suggested by stances are recomputed) and \
                     unlinks evidence that supports {name}. The claims themselves stay. \
                     Ctrl+Z undoes all of it.",
                    list_row::claims(uses)
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

/// A party's kind, and a person's job title beside it; returns the new kind
/// when it changed, and whether the job title field lost the focus.
fn kind_field(ui: &mut egui::Ui, party: &Party) -> (Option<PartyKind>, bool) {
    let mut kind = None;
    let mut left = false;
    ui.horizontal(|ui| {
        let person = matches!(party.kind, PartyKind::Person { .. });
        egui::ComboBox::from_id_salt(("party-kind", &party.id.0))
            .selected_text(if person { "Person" } else { "Organisation" })
            .show_ui(ui, |ui| {
                if ui.selectable_label(!person, "Organisation").clicked() && person {
                    kind = Some(PartyKind::Organization);
                }
                if ui.selectable_label(person, "Person").clicked() && !person {
                    kind = Some(PartyKind::Person {
                        job_title: String::new(),
                    });
                }
            })
            .response
            .on_hover_text("Published fact-checks name a claimant as a person or an organisation");
        if let PartyKind::Person { job_title } = &party.kind {
            let mut title = job_title.clone();
            let field = ui.add_sized(
                [JOB_TITLE_WIDTH, ui.spacing().interact_size.y],
                egui::TextEdit::singleline(&mut title)
                    .char_limit(within(limits::MAX_NAME_BYTES))
                    .hint_text("job title"),
            );
            if field.changed() {
                kind = Some(PartyKind::Person { job_title: title });
            }
            left = field.lost_focus();
        }
    });
    (kind, left)
}

/// The row under a party a merge marked: what the other side has, and the
/// edit that resolves it when a button is clicked.
fn conflict_row(ui: &mut egui::Ui, set: &AnnotationSet, party: &Party) -> Option<Edit> {
    let resolve = |how| set.resolve_party_conflict(&party.id, how).ok();
    let error = ui.visuals().error_fg_color;
    ui.label(RichText::new("conflict").color(error).strong());
    let mut edit = None;
    match &party.conflict {
        Some(PartyConflict::Theirs { name, color, kind }) => {
            let theirs = Party::describe_version(name, *color, kind);
            ui.horizontal(|ui| {
                ui.label("Other version:");
                egui::color_picker::show_color(
                    ui,
                    egui::Color32::from_rgb(color.0[0], color.0[1], color.0[2]),
                    egui::vec2(14.0, 14.0),
                );
                ui.label(&theirs);
            });
            ui.horizontal(|ui| {
                let keep = ui.button("Keep mine").on_hover_text(format!(
                    "Keep {} and forget the other version",
                    Party::describe_version(&party.name, party.color, &party.kind)
                ));
                if keep.clicked() {
                    edit = resolve(VersionChoice::KeepMine);
                }
                let take = ui
                    .button("Take theirs")
                    .on_hover_text(format!("Change it to {theirs}"));
                if take.clicked() {
                    edit = resolve(VersionChoice::TakeTheirs);
                }
            });
        }
        Some(PartyConflict::Deleted) => {
            ui.label("Deleted on one side of a merge, changed or still used on the other.");
            let keep = ui
                .button("Keep it")
                .on_hover_text("Keep the party; Delete above removes it instead");
            if keep.clicked() {
                edit = resolve(VersionChoice::KeepMine);
            }
        }
        None => {}
    }
    edit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationSet, Article, EditContext, Rgb};
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
            kind: PartyKind::Organization,
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
            kind: PartyKind::Person {
                job_title: "Commission".into(),
            },
        };
        let shown = ["conflict", "“European Union” (#040506, person, Commission)"];
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

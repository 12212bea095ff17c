//! The Publisher and rating scale window: who publishes the file's
//! fact-checks (name, site, each review's address) and the scale verdicts
//! are given on (labels, numbers, colours; add, change, delete). Both are
//! stored in the file, so a desk shares them; every change is an undoable
//! edit. A rating or a publisher a merge marked shows the other version and
//! is resolved with one click.

use super::list_row;
use super::within;
use crate::format::limits;
use crate::model::{
    AnnotationSet, Document, Edit, Publisher, Rating, RatingConflict, RatingId, VersionChoice,
};
use egui::RichText;

/// Height of the scrolling list of ratings, in points (ten rows or so).
const SCALE_HEIGHT: f32 = 300.0;

#[derive(Default)]
pub struct PublishingWindow {
    pub open: bool,
    new_label: String,
    /// The label field being edited (rating id, text).
    relabelling: Option<(String, String)>,
    confirm_delete: Option<RatingId>,
}

impl PublishingWindow {
    /// Whether the delete question is up (a modal dialog).
    pub fn modal_open(&self) -> bool {
        self.confirm_delete.is_some()
    }

    /// Returns the edits made, and whether a field was left (so typing in it
    /// later starts a new undo step). `desk` is the publisher from the
    /// preferences, offered for a file that names none.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        desk: &Publisher,
    ) -> (Vec<Edit>, bool) {
        let mut edits = Vec::new();
        let mut seal = false;
        let set = doc.set();
        let mut open = self.open;
        egui::Window::new("Publisher and rating scale")
            .open(&mut open)
            .default_width(640.0)
            .show(ctx, |ui| {
                ui.heading("Publisher");
                seal |= publisher_fields(ui, set, desk, &mut edits);
                ui.separator();
                ui.heading("Rating scale");
                ui.label(
                    "The verdicts you give, truest first. A number places a rating on the \
                     scale for ClaimReview (higher is truer); leave it empty for a rating off \
                     the scale, such as Unproven.",
                );
                // Only the ratings scroll: adding one stays in reach.
                egui::ScrollArea::vertical()
                    .max_height(SCALE_HEIGHT)
                    .show(ui, |ui| seal |= self.scale_grid(ui, set, &mut edits));
                self.new_rating(ui, set, &mut edits);
            });
        self.open = open;
        if let Some(edit) = self.delete_question(ctx, set) {
            edits.push(edit);
        }
        (edits, seal)
    }

    fn scale_grid(
        &mut self,
        ui: &mut egui::Ui,
        set: &AnnotationSet,
        edits: &mut Vec<Edit>,
    ) -> bool {
        let mut seal = false;
        egui::Grid::new("scale-grid")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                for rating in set.ratings() {
                    let row = list_row::colour_and_name(
                        ui,
                        &mut self.relabelling,
                        &rating.id.0,
                        &rating.label,
                        rating.color,
                        "rating label",
                    );
                    let mut changed = rating.clone();
                    if let Some(color) = row.color {
                        changed.color = color;
                    }
                    if let Some(label) = row.name {
                        changed.label = label;
                    }
                    seal |= row.left;
                    changed.value = number_field(ui, rating);
                    if changed != *rating {
                        edits.push(Edit::PutRating(changed));
                    }
                    let uses = set.claims_rated(&rating.id);
                    ui.label(RichText::new(list_row::claims(uses)).weak());
                    if ui.button("Delete").clicked() {
                        if uses == 0 {
                            edits.push(Edit::RemoveRating(rating.id.clone()));
                        } else {
                            self.confirm_delete = Some(rating.id.clone());
                        }
                    }
                    ui.end_row();
                    if rating.conflict.is_some() {
                        edits.extend(conflict_row(ui, set, rating));
                        ui.end_row();
                    }
                }
            });
        seal
    }

    fn new_rating(&mut self, ui: &mut egui::Ui, set: &AnnotationSet, edits: &mut Vec<Edit>) {
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.new_label)
                    .char_limit(within(limits::MAX_NAME_BYTES))
                    .hint_text("New rating label"),
            );
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let full = set.ratings().len() >= limits::MAX_RATINGS;
            let add = ui.add_enabled(!full, egui::Button::new("Add"));
            if (add.clicked() || submitted) && !full && !self.new_label.trim().is_empty() {
                edits.push(Edit::AddRating {
                    rating: Rating::labelled(&self.new_label, set.ratings()),
                    index: None,
                });
                self.new_label.clear();
                if submitted {
                    field.request_focus();
                }
            }
        });
    }

    fn delete_question(&mut self, ctx: &egui::Context, set: &AnnotationSet) -> Option<Edit> {
        let id = self.confirm_delete.clone()?;
        let label = set.rating(&id).map_or(id.0.clone(), |r| r.label.clone());
        let uses = set.claims_rated(&id);
        let modal = egui::Modal::new(egui::Id::unique("delete-rating")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading(format!("Delete “{label}”?"));
            ui.label(format!(
                "Rated {label}: {}. Deleting the rating takes their verdicts and \
                 explanations away; the claims themselves stay. Ctrl+Z undoes all of it.",
                list_row::claims(uses)
            ));
            ui.horizontal(|ui| {
                let delete = ui
                    .button(RichText::new("Delete rating").color(ui.visuals().error_fg_color))
                    .clicked();
                (delete, ui.button("Cancel").clicked())
            })
            .inner
        });
        let (delete, cancel) = modal.inner;
        if delete || cancel || modal.should_close() {
            self.confirm_delete = None;
        }
        delete.then_some(Edit::RemoveRating(id))
    }
}

/// A rating's number on the scale, or none: a small text field, since an
/// empty value means "off the scale".
fn number_field(ui: &mut egui::Ui, rating: &Rating) -> Option<u32> {
    let mut text = rating.value.map_or_else(String::new, |v| v.to_string());
    let field = ui.add(
        egui::TextEdit::singleline(&mut text)
            .desired_width(48.0)
            .char_limit(4)
            .hint_text("—"),
    );
    let field =
        field.on_hover_text("Its number on the scale (higher is truer); empty: off the scale");
    if !field.changed() {
        return rating.value;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The publisher's name, site and review address; returns whether a field
/// was left.
fn publisher_fields(
    ui: &mut egui::Ui,
    set: &AnnotationSet,
    desk: &Publisher,
    edits: &mut Vec<Edit>,
) -> bool {
    let publisher = &set.publisher;
    let mut changed = publisher.clone();
    let mut left = false;
    egui::Grid::new("publisher-grid")
        .num_columns(2)
        .show(ui, |ui| {
            let rows: [(&str, &str, &mut String); 3] = [
                ("Name", "Example Checks", &mut changed.name),
                ("Site", "https://factcheck.example", &mut changed.url),
                (
                    "Each review's address",
                    "https://factcheck.example/story#{id}",
                    &mut changed.claim_url,
                ),
            ];
            for (label, hint, value) in rows {
                let label = ui.label(label);
                let field = ui
                    .add(
                        egui::TextEdit::singleline(value)
                            .char_limit(within(limits::MAX_URL_BYTES))
                            .hint_text(hint)
                            .desired_width(420.0),
                    )
                    .labelled_by(label.id);
                left |= field.lost_focus();
                ui.end_row();
            }
        });
    ui.label(RichText::new("{id} in the review's address stands for the claim's id.").weak());
    if changed.url.trim().is_empty() && changed.claim_url != publisher.claim_url {
        // A site left empty follows the review address.
        changed.url = Publisher::site_of(&changed.claim_url);
    }
    if publisher.is_empty() && !desk.is_empty() {
        let fill = ui.button(format!("Use {} (from the Preferences)", desk.name));
        if fill.clicked() {
            changed = desk.clone();
        }
    }
    if let Some(theirs) = &publisher.conflict {
        let error = ui.visuals().error_fg_color;
        ui.label(RichText::new("conflict").color(error).strong());
        ui.label(format!(
            "Other version: “{}”, {}, reviews at {}",
            theirs.name, theirs.url, theirs.claim_url
        ));
        ui.horizontal(|ui| {
            if ui.button("Keep mine").clicked() {
                edits.extend(set.resolve_publisher_conflict(VersionChoice::KeepMine).ok());
            }
            if ui.button("Take theirs").clicked() {
                edits.extend(
                    set.resolve_publisher_conflict(VersionChoice::TakeTheirs)
                        .ok(),
                );
            }
        });
    }
    if changed != *publisher {
        edits.push(Edit::SetPublisher(changed));
    }
    left
}

/// The row under a rating a merge marked: the other version, and the edit
/// that resolves it when a button is clicked.
fn conflict_row(ui: &mut egui::Ui, set: &AnnotationSet, rating: &Rating) -> Option<Edit> {
    let resolve = |how| set.resolve_rating_conflict(&rating.id, how).ok();
    let error = ui.visuals().error_fg_color;
    ui.label(RichText::new("conflict").color(error).strong());
    let mut edit = None;
    match &rating.conflict {
        Some(RatingConflict::Theirs {
            label,
            value,
            color,
        }) => {
            ui.label(format!(
                "Other version: {}",
                Rating::describe_version(label, *value, *color)
            ));
            ui.horizontal(|ui| {
                if ui.button("Keep mine").clicked() {
                    edit = resolve(VersionChoice::KeepMine);
                }
                if ui.button("Take theirs").clicked() {
                    edit = resolve(VersionChoice::TakeTheirs);
                }
            });
        }
        Some(RatingConflict::Deleted) => {
            ui.label("Deleted on one side of a merge, changed or still used on the other.");
            if ui.button("Keep it").clicked() {
                edit = resolve(VersionChoice::KeepMine);
            }
        }
        None => {}
    }
    edit
}

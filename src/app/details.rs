//! The Article details window: where, when and by whom the article was
//! published, as a page gave them or as the fact-checker fills them in. Each
//! field edits one [`Detail`] (typing is one undo step per field); a value
//! that does not look right gets a hint under it but is kept. A detail a
//! merge marked as conflicting shows the other version and is resolved with
//! one click (undoable). The page the text was extracted from is shown, not
//! edited.

use super::intent::Intent;
use super::within;
use crate::format::limits;
use crate::model::{ArticleDetails, Detail, Edit, TextDirection};
use egui::RichText;

/// Width of a detail's field, in points.
const FIELD_WIDTH: f32 = 360.0;

#[derive(Default)]
pub struct DetailsWindow {
    pub open: bool,
}

impl DetailsWindow {
    /// `page_pending`: a fetched page waits to be kept beside the next save.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        details: &ArticleDetails,
        page_pending: bool,
    ) -> Vec<Intent> {
        let mut intents = Vec::new();
        let mut open = self.open;
        egui::Window::new("Article details")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(
                    "What a published fact-check cites: where, when and by whom the article \
                     appeared. Taken from a web page when it has them; fill in the rest.",
                );
                egui::Grid::new("details-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for detail in Detail::ALL {
                            detail_row(ui, details, detail, &mut intents);
                        }
                    });
                if let Some(page) = &details.page {
                    ui.separator();
                    ui.label(RichText::new("Extracted from a web page").strong());
                    if let Some(url) = &page.fetched_from {
                        let when = page.fetched_at.map_or_else(String::new, |t| {
                            format!(" on {}", t.strftime("%Y-%m-%d %H:%M UTC"))
                        });
                        ui.label(format!("Fetched from {url}{when}"));
                    }
                    match &page.file {
                        Some(file) => ui.label(format!("Kept as {file}")),
                        None if page_pending => {
                            ui.label("Kept beside the annotations when they are saved")
                        }
                        None => ui.label("The page itself was not kept"),
                    };
                    ui.label(
                        RichText::new(format!("SHA-256 {}", page.sha256))
                            .weak()
                            .small(),
                    );
                }
            });
        self.open = open;
        intents
    }
}

/// A detail's label and field, a hint when its value does not look right,
/// and the other version when a merge left it in conflict.
fn detail_row(
    ui: &mut egui::Ui,
    details: &ArticleDetails,
    detail: Detail,
    intents: &mut Vec<Intent>,
) {
    let value = details.get(detail);
    let changed = detail_field(ui, detail, value, |ui| {
        if detail == Detail::Url && detail.check(value).is_none() && !value.is_empty() {
            let open = ui.small_button("Open in browser");
            if open.on_hover_text(value).clicked() {
                intents.push(Intent::OpenLink(value.to_owned()));
            }
        }
        if let Some(theirs) = details.conflicts.get(&detail) {
            conflict_row(ui, detail, value, theirs, intents);
        }
    });
    match changed {
        Some(Change::Typed(value)) => intents.push(Intent::Edit(Edit::SetDetail { detail, value })),
        Some(Change::Chosen(value)) => intents.push(Intent::Step(
            Edit::SetDetail { detail, value },
            format!("{} changed", detail.label()),
        )),
        Some(Change::Left) => intents.push(Intent::Seal),
        None => {}
    }
}

/// What the user did to a detail's field.
pub enum Change {
    /// Typed: the new value (one undo step per field while typing).
    Typed(String),
    /// Chose from a list: the new value (a step of its own).
    Chosen(String),
    /// Left the field.
    Left,
}

/// One grid row: the detail's label, its field (a choice for the text
/// direction), a hint when the value does not look right, then `below`.
pub fn detail_field(
    ui: &mut egui::Ui,
    detail: Detail,
    value: &str,
    below: impl FnOnce(&mut egui::Ui),
) -> Option<Change> {
    let label = ui.label(detail.label());
    let change = ui
        .vertical(|ui| {
            let change = if detail == Detail::Dir {
                direction_choice(ui, value, label.id).map(Change::Chosen)
            } else {
                let mut text = value.to_owned();
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut text)
                            .char_limit(within(limits::MAX_URL_BYTES))
                            .hint_text(hint(detail))
                            .desired_width(FIELD_WIDTH),
                    )
                    .labelled_by(label.id);
                if field.changed() {
                    Some(Change::Typed(text))
                } else {
                    field.lost_focus().then_some(Change::Left)
                }
            };
            if let Some(problem) = detail.check(value) {
                ui.label(
                    RichText::new(format!("Check: {problem}"))
                        .small()
                        .color(ui.visuals().warn_fg_color),
                );
            }
            below(ui);
            change
        })
        .inner;
    ui.end_row();
    change
}

fn hint(detail: Detail) -> &'static str {
    match detail {
        Detail::Url => "https://…",
        Detail::Byline => "who wrote it",
        Detail::SiteName => "the outlet",
        Detail::Published | Detail::Modified => "2015-07-24 or 2015-07-24T05:36:09+01:00",
        Detail::Lang => "en, fr, pt-BR…",
        Detail::Dir => "",
    }
}

/// The text direction as a choice; the new value when another is chosen.
fn direction_choice(ui: &mut egui::Ui, value: &str, label: egui::Id) -> Option<String> {
    let current = TextDirection::parse(value);
    let name = |dir: Option<TextDirection>| match dir {
        None => "From the text",
        Some(TextDirection::Ltr) => "Left to right",
        Some(TextDirection::Rtl) => "Right to left",
    };
    let mut chosen = current;
    egui::ComboBox::from_id_salt(ui.make_persistent_id("text-direction"))
        .selected_text(name(current))
        .show_ui(ui, |ui| {
            for dir in [None, Some(TextDirection::Ltr), Some(TextDirection::Rtl)] {
                ui.selectable_value(&mut chosen, dir, name(dir));
            }
        })
        .response
        .labelled_by(label);
    (chosen != current).then(|| chosen.map_or_else(String::new, |d| d.key().to_owned()))
}

fn conflict_row(
    ui: &mut egui::Ui,
    detail: Detail,
    mine: &str,
    theirs: &str,
    intents: &mut Vec<Intent>,
) {
    let shown = |v: &str| {
        if v.is_empty() {
            "(none)".to_owned()
        } else {
            format!("“{v}”")
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Conflict")
                .strong()
                .color(ui.visuals().warn_fg_color),
        );
        ui.label(format!("theirs: {}", shown(theirs)));
        let resolve = |value: &str, whose: &str| {
            Intent::Step(
                Edit::PutDetail {
                    detail,
                    value: value.to_owned(),
                    conflict: None,
                },
                format!("{}: kept {whose}", detail.label()),
            )
        };
        if ui.small_button("Keep mine").clicked() {
            intents.push(resolve(mine, "mine"));
        }
        if ui.small_button("Take theirs").clicked() {
            intents.push(resolve(theirs, "theirs"));
        }
    });
}

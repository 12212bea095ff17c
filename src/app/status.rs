//! The status bar (legend, saved state, file, counts, what is being done,
//! the latest notice), the shortcuts window and the preferences window.

use super::command;
use super::intent::Intent;
use super::notice::{Notice, Severity};
use super::prefs::Prefs;
use super::{FactmarkApp, jobs, theme, within};
use crate::format::limits;
use crate::model::Status;
use egui::Ui;

/// What the status bar shows, taken from the app before drawing.
pub struct StatusInput {
    dirty: bool,
    file: String,
    autosave_problem: Option<String>,
    claims: usize,
    by_status: [(Status, usize); 3],
    unplaced: usize,
    /// Claims and parties a merge marked.
    conflicts: usize,
    read_percent: usize,
    busy: Option<(jobs::JobId, String, bool)>,
    notice: Option<Notice>,
}

impl StatusInput {
    pub fn of(app: &FactmarkApp) -> Self {
        let set = app.state.doc.set();
        let counts = &app.counts.1;
        let chars = set.article.char_count().max(1);
        Self {
            dirty: app.state.doc.is_dirty(),
            file: app.state.annotation_path.as_ref().map_or_else(
                || "no annotation file yet".to_owned(),
                |p| p.display().to_string(),
            ),
            autosave_problem: app.autosave.problem.clone(),
            claims: set.claims().len(),
            by_status: Status::ALL.map(|s| (s, counts.status(s))),
            unplaced: counts.anchors.orphaned,
            conflicts: counts.conflicts(),
            read_percent: 100 * app.view.top_char().min(chars) / chars,
            busy: app.jobs.busy().map(|r| {
                let label = match r.progress() {
                    Some(progress) => format!("{}: {progress}", r.label),
                    None => r.label.clone(),
                };
                (r.id, label, r.cancellable)
            }),
            notice: app.notices.status().cloned(),
        }
    }
}

pub fn status_bar(ui: &mut Ui, input: &StatusInput) -> Vec<Intent> {
    let mut intents = Vec::new();
    ui.horizontal_wrapped(|ui| {
        legend(ui);
        ui.separator();
        ui.label(if input.dirty {
            "• unsaved changes"
        } else {
            "saved"
        });
        if let Some(problem) = &input.autosave_problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.separator();
        ui.add(egui::Label::new(&input.file).truncate());
        ui.separator();
        let [(_, unreviewed), (_, agreed), (_, disputed)] = input.by_status;
        ui.label(format!(
            "{}: {disputed} disputed, {agreed} agreed, {unreviewed} unreviewed",
            super::count(input.claims, "claim", "claims"),
        ));
        ui.label(format!("{}% into the article", input.read_percent))
            .on_hover_text("How far the top of the view is into the text");
        if input.unplaced > 0 {
            ui.separator();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} unplaced", input.unplaced),
            );
        }
        if input.conflicts > 0 {
            ui.separator();
            ui.colored_label(
                ui.visuals().error_fg_color,
                super::count(input.conflicts, "merge conflict", "merge conflicts"),
            );
        }
        if let Some((id, label, cancellable)) = &input.busy {
            ui.separator();
            ui.spinner();
            // Before the label, which grows as the job reports progress: the
            // button stays where the pointer is going.
            if *cancellable && ui.small_button("Cancel").clicked() {
                intents.push(Intent::Cancel(*id));
            }
            // One line, cut: a long address or a growing progress line would
            // otherwise wrap the bar and move the button from under the pointer.
            let text = format!("{label}…");
            ui.add(egui::Label::new(&text).truncate())
                .on_hover_text(text);
        }
        if let Some(notice) = &input.notice {
            ui.separator();
            let text = egui::RichText::new(notice.text.lines().next().unwrap_or_default());
            let text = match notice.severity {
                Severity::Info => text.weak(),
                Severity::Warning => text.color(ui.visuals().warn_fg_color),
                Severity::Error => text.color(ui.visuals().error_fg_color),
            };
            ui.add(egui::Label::new(text).truncate());
        }
    });
    intents
}

fn legend(ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    for status in Status::ALL {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter()
            .rect_filled(rect, 2.0, theme::status_color(status, dark));
        ui.label(status.label());
    }
}

/// Every shortcut, from the command registry.
pub fn help_window(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (keys, label, what) in command::shortcut_rows() {
                    ui.label(egui::RichText::new(keys).monospace());
                    ui.label(label);
                    ui.label(egui::RichText::new(what).weak());
                    ui.end_row();
                }
            });
            ui.add_space(4.0);
            ui.label(
                egui::RichText::new(
                    "Single-letter keys act while the article or the claim list has the focus \
                     (click it first), never while you type in a field. Esc closes this window.",
                )
                .weak(),
            );
        });
}

pub fn prefs_window(
    ctx: &egui::Context,
    open: &mut bool,
    prefs: &mut Prefs,
    fonts: &mut super::fonts::ArticleFonts,
) {
    egui::Window::new("Preferences").open(open).show(ctx, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label("Your name (recorded on new claims):");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut prefs.author)
                        .char_limit(within(limits::MAX_NAME_BYTES))
                        .hint_text("author name"),
                )
                .labelled_by(label.id);
            if field.changed() {
                prefs.author_confirmed = !prefs.author.trim().is_empty();
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Article font:");
            let shown = prefs
                .article_font
                .as_deref()
                .unwrap_or("Built-in (Ubuntu Light)");
            egui::ComboBox::from_id_salt("article-font")
                .selected_text(shown)
                .height(320.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut prefs.article_font, None, "Built-in (Ubuntu Light)");
                    match fonts.families() {
                        None => {
                            ui.label("Looking for installed fonts…");
                        }
                        Some(families) => {
                            for family in families {
                                let chosen = prefs.article_font.as_deref() == Some(family);
                                if ui.selectable_label(chosen, family).clicked() {
                                    prefs.article_font = Some(family.clone());
                                }
                            }
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if let Some(problem) = &fonts.problem {
            ui.label(egui::RichText::new(problem).color(ui.visuals().error_fg_color));
        }
        ui.label(
            egui::RichText::new(
                "Scripts the font lacks are drawn with the system's fonts for them.",
            )
            .weak(),
        );
        ui.add(egui::Slider::new(&mut prefs.font_size, 9.0..=40.0).text("Article text size"));
        ui.separator();
        ui.label(egui::RichText::new("Your desk's publisher").strong());
        ui.label("Offered for files that name no publisher (ClaimReview exports).");
        egui::Grid::new("prefs-publisher")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, hint, value) in [
                    ("Name", "Example Checks", &mut prefs.publisher_name),
                    (
                        "Each review's address",
                        "https://factcheck.example/story#{id}",
                        &mut prefs.publisher_url,
                    ),
                ] {
                    let label = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .char_limit(within(limits::MAX_URL_BYTES))
                            .hint_text(hint)
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                }
            });
    });
}

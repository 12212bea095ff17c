//! File → Export…: which format, where to write it, and for a ClaimReview
//! who publishes it (remembered in the preferences, so a desk types it
//! once). The export itself runs as a job.

use super::intent::Intent;
use crate::export::{Format, Publisher};
use egui::RichText;
use std::path::PathBuf;

#[derive(Default)]
pub struct ExportDialog {
    open: bool,
    format: Option<Format>,
    path: String,
    /// Where the file it is made from lives, to suggest a name beside it.
    stem: PathBuf,
    problem: Option<String>,
}

impl ExportDialog {
    pub fn modal_open(&self) -> bool {
        self.open
    }

    /// Opens the dialog; the export is suggested beside `stem` (the
    /// annotation file, or the article, without its extension).
    pub fn start(&mut self, stem: PathBuf) {
        let format = self.format.unwrap_or(Format::Html);
        *self = Self {
            open: true,
            format: Some(format),
            path: suggested(&stem, format),
            stem,
            problem: None,
        };
    }

    /// Why the last export failed, shown in the dialog.
    pub fn problem(&mut self, why: String) {
        self.open = true;
        self.problem = Some(why);
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        publisher_name: &mut String,
        publisher_url: &mut String,
    ) -> Vec<Intent> {
        let mut intents = Vec::new();
        if !self.open {
            return intents;
        }
        let mut format = self.format.unwrap_or(Format::Html);
        let modal = egui::Modal::new(egui::Id::unique("export-dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("Export the claims");
            for choice in Format::ALL {
                ui.radio_value(&mut format, choice, choice.label());
            }
            ui.add_space(6.0);
            let label = ui.label("Path");
            ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text("where to write it")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            if format.needs_publisher() {
                ui.add_space(4.0);
                ui.label(RichText::new("Who publishes the fact-check").strong());
                let label = ui.label("Publisher");
                ui.add(
                    egui::TextEdit::singleline(publisher_name)
                        .hint_text("Example Checks")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                let label = ui.label("Each review's address ({id} is the claim)");
                ui.add(
                    egui::TextEdit::singleline(publisher_url)
                        .hint_text("https://factcheck.example/story#{id}")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            }
            if let Some(problem) = &self.problem {
                ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| (ui.button("Export").clicked(), ui.button("Cancel").clicked()))
                .inner
        });
        if Some(format) != self.format {
            // A new format: the suggested name follows, unless it was typed.
            if self.path == suggested(&self.stem, self.format.unwrap_or(format)) {
                self.path = suggested(&self.stem, format);
            }
            self.format = Some(format);
        }
        let (export, cancel) = modal.inner;
        if cancel || (modal.should_close() && !export) {
            self.open = false;
        } else if export {
            let path = self.path.trim();
            if path.is_empty() {
                self.problem = Some("Say where to write it".into());
                return intents;
            }
            let publisher = (format.needs_publisher()).then(|| {
                Publisher::new(
                    publisher_name.trim().to_owned(),
                    publisher_url.trim().to_owned(),
                )
            });
            if publisher.as_ref().is_some_and(|p| p.name.is_empty()) {
                self.problem = Some("Name the publisher".into());
                return intents;
            }
            self.open = false;
            self.problem = None;
            intents.push(Intent::Export {
                format,
                path: PathBuf::from(path),
                publisher,
            });
        }
        intents
    }
}

fn suggested(stem: &std::path::Path, format: Format) -> String {
    stem.with_extension(format.extension())
        .display()
        .to_string()
}

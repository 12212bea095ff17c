//! File → Export…: which format, where to write it, and for a ClaimReview
//! who publishes it. The publisher is the file's (saved into it when typed
//! here, so a desk shares it); a file naming none is offered the one in the
//! preferences, which remember the last one used. The export itself runs as
//! a job.

use super::intent::Intent;
use super::prefs::Prefs;
use crate::export::Format;
use crate::model::{Edit, Publisher};
use egui::RichText;
use std::path::PathBuf;

#[derive(Default)]
pub struct ExportDialog {
    open: bool,
    format: Option<Format>,
    path: String,
    /// Where the file it is made from lives, to suggest a name beside it.
    stem: PathBuf,
    /// The publisher's name and review address as typed.
    publisher_name: String,
    publisher_url: String,
    problem: Option<String>,
}

impl ExportDialog {
    pub fn modal_open(&self) -> bool {
        self.open
    }

    /// Opens the dialog; the export is suggested beside `stem` (the
    /// annotation file, or the article, without its extension), published
    /// by the file's `publisher`, else the preferences'.
    pub fn start(&mut self, stem: PathBuf, publisher: &Publisher, prefs: &Prefs) {
        let format = self.format.unwrap_or(Format::Html);
        let (publisher_name, publisher_url) = if publisher.name.trim().is_empty() {
            (prefs.publisher_name.clone(), prefs.publisher_url.clone())
        } else {
            (publisher.name.clone(), publisher.claim_url.clone())
        };
        *self = Self {
            open: true,
            format: Some(format),
            path: suggested(&stem, format),
            stem,
            publisher_name,
            publisher_url,
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
        publisher: &Publisher,
        prefs: &mut Prefs,
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
                    egui::TextEdit::singleline(&mut self.publisher_name)
                        .hint_text("Example Checks")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                let label = ui.label("Each review's address ({id} is the claim)");
                ui.add(
                    egui::TextEdit::singleline(&mut self.publisher_url)
                        .hint_text("https://factcheck.example/story#{id}")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                ui.label(
                    RichText::new(
                        "Saved in the annotation file. Edit > Publisher and rating scale… \
                         changes the site and the ratings.",
                    )
                    .weak(),
                );
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
            if format.needs_publisher() {
                let (name, claim_url) = (self.publisher_name.trim(), self.publisher_url.trim());
                if name.is_empty() {
                    self.problem = Some("Name the publisher".into());
                    return intents;
                }
                let mut typed = publisher.clone();
                if typed.claim_url != claim_url {
                    typed.url = Publisher::site_of(claim_url);
                }
                (typed.name, typed.claim_url) = (name.to_owned(), claim_url.to_owned());
                (prefs.publisher_name, prefs.publisher_url) =
                    (typed.name.clone(), typed.claim_url.clone());
                if typed != *publisher {
                    let message = format!("Publisher {name} saved in the file");
                    intents.push(Intent::Step(Edit::SetPublisher(typed), message));
                }
            }
            self.open = false;
            self.problem = None;
            intents.push(Intent::Export {
                format,
                path: PathBuf::from(path),
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

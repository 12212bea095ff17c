//! File → New article from text: a title, the text (typed, pasted, or taken
//! from the clipboard when the dialog opens) and what is known of where it
//! was published. Creating it replaces the open document (asking first about
//! unsaved work); its first save writes the text beside the annotations.

use super::details::{Change, detail_field};
use super::files::{self, NewArticle, Opening};
use super::intent::Intent;
use super::within;
use crate::format::limits;
use crate::model::{ArticleDetails, Detail};
use egui::RichText;

/// Texts longer than this are not shown in an editable field.
const EDITABLE_TEXT_BYTES: usize = 64 * 1024;

#[derive(Default)]
pub struct NewArticleDialog {
    open: bool,
    title: String,
    text: String,
    details: ArticleDetails,
    problem: Option<String>,
    /// Focus the text field next frame, and paste the clipboard into it.
    paste: bool,
    focus_title: bool,
}

impl NewArticleDialog {
    pub fn modal_open(&self) -> bool {
        self.open
    }

    /// Opens the dialog empty, or with the clipboard's text in it.
    pub fn start(&mut self, from_clipboard: bool) {
        *self = Self {
            open: true,
            paste: from_clipboard,
            focus_title: !from_clipboard,
            ..Self::default()
        };
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Vec<Intent> {
        let mut intents = Vec::new();
        if !self.open {
            return intents;
        }
        let modal = egui::Modal::new(egui::Id::unique("new-article")).show(ctx, |ui| {
            ui.set_width(640.0_f32.min(ctx.content_rect().width() - 64.0));
            ui.heading("New article from text");
            ui.label(
                "Paste or type the article. Its first save keeps the text beside the annotations.",
            );
            ui.add_space(6.0);
            let label = ui.label(RichText::new("Title").strong());
            let title = ui
                .add(
                    egui::TextEdit::singleline(&mut self.title)
                        .char_limit(within(limits::MAX_TITLE_BYTES))
                        .hint_text("the article's headline")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus_title) {
                title.request_focus();
            }
            let label = ui.label(RichText::new("Text").strong());
            if self.text.len() > EDITABLE_TEXT_BYTES {
                // A book-length paste is kept as pasted: laying it out in a
                // field would make every frame slow.
                ui.label(format!(
                    "{} KB pasted: too long to edit here. Edit the article file after saving.",
                    self.text.len() / 1024
                ));
            } else {
                let text = egui::ScrollArea::vertical()
                    .id_salt("new-article-text")
                    .max_height(260.0)
                    .show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(&mut self.text)
                                .hint_text(
                                    "the article's text, paragraphs separated by blank lines",
                                )
                                .desired_rows(10)
                                .desired_width(f32::INFINITY),
                        )
                    })
                    .inner
                    .labelled_by(label.id);
                if std::mem::take(&mut self.paste) {
                    // The clipboard's text arrives as a paste into the focused field.
                    text.request_focus();
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
                }
            }
            ui.horizontal(|ui| {
                if ui
                    .button("Paste from clipboard")
                    .on_hover_text("Replace the text with what is on the clipboard")
                    .clicked()
                {
                    self.text.clear();
                    self.paste = true;
                }
                if self.text.len() <= EDITABLE_TEXT_BYTES {
                    let words = self.text.split_whitespace().count();
                    ui.label(RichText::new(format!("{words} words")).weak());
                }
            });
            egui::CollapsingHeader::new("Where it was published")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("new-article-details")
                        .num_columns(2)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            for detail in Detail::ALL {
                                let value = self.details.get(detail).to_owned();
                                match detail_field(ui, detail, &value, |_| {}) {
                                    Some(Change::Typed(value) | Change::Chosen(value))
                                        if detail.accepts(&value) =>
                                    {
                                        self.details.set(detail, value);
                                    }
                                    Some(_) => {}
                                    None => {}
                                }
                            }
                        });
                });
            if let Some(problem) = &self.problem {
                ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let create = ui.button("Create").clicked();
                let cancel = ui.button("Cancel").clicked();
                (create, cancel)
            })
            .inner
        });
        let (create, cancel) = modal.inner;
        if cancel || (modal.should_close() && !create) {
            self.open = false;
        } else if create {
            let new = NewArticle {
                title: self.title.trim().to_owned(),
                text: self.text.clone(),
                details: self.details.clone(),
            };
            // Checked here, so a problem is shown where it can be fixed.
            match files::check_new_article(&new) {
                Ok(()) => {
                    self.open = false;
                    intents.push(Intent::Open(Opening::Text(Box::new(new))));
                }
                Err(problem) => self.problem = Some(problem),
            }
        }
        intents
    }
}

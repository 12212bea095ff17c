//! The parts of a frame around the views: the article pane and its
//! notices, the overlap popup, the error dialog, which part has the
//! keyboard, shortcuts, dropped files, the theme and the window title.

use super::command::{Command, Focus};
use super::files::Opening;
use super::intent::Intent;
use super::{
    ClaimList, FactmarkApp, FindBar, ThemeChoice, article_view, claim_list, command, dialogs,
    fonts, theme, within,
};
use crate::format::limits;
use crate::model::{ClaimId, Detail, Edit, Overlay};
use egui::{Key, RichText, Ui};
use std::path::PathBuf;

impl FactmarkApp {
    pub(super) fn article_pane(&mut self, ui: &mut Ui, intents: &mut Vec<Intent>) {
        self.article_notice(ui, intents);
        if let Some(banner) = self.state.banner.clone() {
            let dismissed = theme::notice_frame(ui.visuals())
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            egui::RichText::new("!")
                                .strong()
                                .color(ui.visuals().warn_fg_color),
                        );
                        ui.label(banner);
                        let waiting = self.state.doc.set().counts().anchors.fuzzy;
                        if waiting > 0 && ui.small_button(format!("Review {waiting}…")).clicked()
                        {
                            self.review.open = true;
                        }
                        ui.small_button("Dismiss")
                            .on_hover_text("The list still tags each claim")
                            .clicked()
                    })
                    .inner
                })
                .inner;
            if dismissed {
                self.state.banner = None;
            }
        }
        ui.horizontal(|ui| {
            let label = ui.label("Title");
            let mut title = self.state.doc.set().article.title().to_owned();
            let field = egui::TextEdit::singleline(&mut title)
                .char_limit(within(limits::MAX_TITLE_BYTES))
                .font(egui::TextStyle::Heading)
                .hint_text("article title")
                .desired_width(f32::INFINITY);
            let response = ui.add(field).labelled_by(label.id);
            if response.changed() {
                intents.push(Intent::Edit(Edit::SetTitle(title)));
            }
            if response.lost_focus() {
                intents.push(Intent::Seal);
                // Enter ends the title; the focus goes to the text, not the menu.
                if ui.input(|i| i.key_pressed(Key::Enter))
                    && let Some(id) = self.view.focus_id()
                {
                    ui.memory_mut(|m| m.request_focus(id));
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            let missing = self.state.doc.set().missing_article.is_some();
            let new_claim = egui::Button::new("+ New claim").shortcut_text("Ctrl+Enter");
            let why_not = if missing {
                "The article is missing: locate it to add claims"
            } else {
                "Select text in the article first"
            };
            if ui
                .add_enabled(self.can(Command::NewClaim), new_claim)
                .on_hover_text("Turn the selected text into a claim")
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                intents.push(Intent::Run(Command::NewClaim));
            }
            ui.separator();
            let find_label = ui.label("Find");
            if std::mem::take(&mut self.find.focus) {
                // Ctrl+F again: the old query is selected before this frame's
                // keys reach the field, so what is typed replaces it.
                let chars = self.find.query.chars().count();
                dialogs::select_all(ui.ctx(), FindBar::id(), chars);
            }
            let output = egui::TextEdit::singleline(&mut self.find.query)
                .id(FindBar::id())
                .hint_text("text in the article (Ctrl+F)")
                .desired_width(200.0)
                .show(ui);
            let find_response = egui::Response::clone(&output.response).labelled_by(find_label.id);
            let submitted = find_response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if submitted || ui.button("Find next").clicked() {
                intents.push(Intent::Run(Command::FindNext));
                if submitted {
                    find_response.request_focus();
                }
            }
            ui.separator();
            let details = &self.state.doc.set().details;
            let conflicts = details.conflicts.len();
            let label = if conflicts > 0 {
                format!("Details… ({conflicts} to resolve)")
            } else {
                "Details…".to_owned()
            };
            if ui
                .button(label)
                .on_hover_text(Command::ShowDetails.spec().tooltip)
                .clicked()
            {
                intents.push(Intent::Run(Command::ShowDetails));
            }
            let mut known: Vec<&str> = [Detail::Byline, Detail::SiteName, Detail::Published]
                .into_iter()
                .map(|d| details.get(d))
                .filter(|v| !v.is_empty())
                .collect();
            // A site that credits itself ("BBC News · BBC News") is named once.
            known.dedup();
            if !known.is_empty() {
                ui.label(RichText::new(known.join(" · ")).weak());
            }
        });
        ui.separator();
        // Rebuilt here, right before it is drawn: edits applied last frame may
        // have added or removed claims.
        if self.overlay_revision != Some(self.state.doc.set().anchors_revision()) {
            self.overlay = Overlay::build(self.state.doc.set());
            self.overlay_revision = Some(self.state.doc.set().anchors_revision());
        }
        let input = article_view::ViewInput {
            set: self.state.doc.set(),
            overlay: &self.overlay,
            selected_claim: self.selected.as_ref(),
            font_size: self.prefs.font_size,
            font_family: fonts::article_family(self.fonts.loaded()),
        };
        let out = self.view.show(ui, &input);
        if let Some((offset, pos)) = out.clicked {
            let hits: Vec<ClaimId> = self
                .state
                .doc
                .set()
                .claims_at(offset)
                .iter()
                .map(|c| c.id.clone())
                .collect();
            match hits.len() {
                0 => intents.push(Intent::Select {
                    claim: None,
                    scroll: false,
                }),
                1 => intents.push(Intent::Select {
                    claim: hits.into_iter().next(),
                    scroll: false,
                }),
                _ => self.overlap_menu = Some((pos, hits)),
            }
        }
    }

    /// Above a stand-in article: why it is one, and the ways out.
    pub(super) fn article_notice(&mut self, ui: &mut Ui, intents: &mut Vec<Intent>) {
        use crate::format::ArticleOrigin;
        let Some(origin) = &self.state.unlocated else {
            return;
        };
        let (message, confirm) = match origin {
            ArticleOrigin::Unconfirmed {
                named,
                resolved,
                doubt,
            } => (
                format!(
                    "This file names its article as {}, which leads to {}. It was not read \
                     because {}: a file from someone else must not open your private files. \
                     The claims are shown with their quotes and context; the article pane is \
                     read-only.",
                    named.display(),
                    resolved.display(),
                    doubt.reason()
                ),
                Some((named.clone(), resolved.clone())),
            ),
            ArticleOrigin::Missing(Some(path)) => (
                format!(
                    "The article was not found at {}. The claims are shown with their quotes and \
                     context; the article pane is read-only until you locate it.",
                    path.display()
                ),
                None,
            ),
            _ => (
                "The file names no article. The claims are shown with their quotes and context; \
                 the article pane is read-only until you locate it."
                    .to_owned(),
                None,
            ),
        };
        theme::notice_frame(ui.visuals()).show(ui, |ui| {
            ui.label(message);
            ui.horizontal(|ui| {
                if ui.button("Locate article…").clicked() {
                    intents.push(Intent::Run(Command::LocateArticle));
                }
                if let Some((named, resolved)) = confirm
                    && ui
                        .button("Read it anyway")
                        .on_hover_text(format!(
                            "Read {} as the article: only if you trust this file",
                            resolved.display()
                        ))
                        .clicked()
                {
                    intents.push(Intent::ReadArticle {
                        named,
                        accept: Some(resolved),
                    });
                }
            });
        });
    }

    pub(super) fn overlap_popup(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        let Some((pos, ids)) = self.overlap_menu.clone() else {
            return;
        };
        let mut chosen = None;
        let area = egui::Area::new(egui::Id::unique("overlap-menu"))
            .order(egui::Order::Foreground)
            .fixed_pos(pos + egui::vec2(4.0, 8.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new("Overlapping claims").weak());
                    for id in &ids {
                        if let Some(claim) = self.state.doc.set().claim(id) {
                            let text = format!(
                                "{} · {}",
                                claim.status.label(),
                                claim_list::shorten(&claim.anchor.exact, 60)
                            );
                            if ui.button(text).clicked() {
                                chosen = Some(id.clone());
                            }
                        }
                    }
                });
            });
        let clicked_elsewhere =
            ctx.input(|i| i.pointer.any_pressed()) && !area.response.contains_pointer();
        if chosen.is_some() {
            intents.push(Intent::Select {
                claim: chosen,
                scroll: false,
            });
            self.overlap_menu = None;
        } else if clicked_elsewhere {
            self.overlap_menu = None;
        }
    }

    pub(super) fn error_dialog(&mut self, ctx: &egui::Context) {
        let Some(message) = self.notices.error().map(str::to_owned) else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("error-modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Something went wrong");
            ui.label(message);
            ui.add_space(8.0);
            ui.button("OK").clicked()
        });
        if modal.inner || modal.should_close() {
            self.notices.dismiss_error();
        }
    }

    /// Whether a modal dialog is up: the window's keys then wait.
    pub(super) fn modal_open(&self) -> bool {
        self.dialogs.modal_open()
            || self.notices.error().is_some()
            || self.watcher.change.is_some()
            || !self.autosave.offers.is_empty()
            || self.parties.modal_open()
            || self.publishing.modal_open()
            || self.new_article.modal_open()
            || self.export.modal_open()
    }

    /// A text field behind a dialog keeps no keyboard focus: what is typed
    /// while a dialog is up goes to the dialog, or nowhere.
    pub(super) fn surrender_focus_behind_dialogs(&self, ctx: &egui::Context) {
        let Some(focused) = ctx.memory(|m| m.focused()) else {
            return;
        };
        let behind = ctx
            .read_response(focused)
            .is_some_and(|r| !ctx.memory(|m| m.is_above_modal_layer(r.layer_id)));
        if behind {
            ctx.memory_mut(|m| m.surrender_focus(focused));
        }
    }

    /// Where the keyboard focus is, for deciding which shortcuts may act.
    pub(super) fn focus(&self, ctx: &egui::Context) -> Focus {
        let focused = ctx.memory(|m| m.focused());
        let typing =
            focused.is_some_and(|id| egui::text_edit::TextEditState::load(ctx, id).is_some());
        let content = focused
            .is_some_and(|id| Some(id) == self.view.focus_id() || id == ClaimList::focus_id());
        Focus {
            typing,
            content,
            dialog: self.modal_open(),
            clicked: ctx.input(|i| i.pointer.any_pressed()),
        }
    }

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        // Esc closes the window on top (the dialogs close themselves).
        if !self.modal_open() && ctx.input(|i| i.key_pressed(Key::Escape)) {
            let closed = std::mem::take(&mut self.help_open)
                || std::mem::take(&mut self.prefs_open)
                || self.overlap_menu.take().is_some()
                || self.dialogs.close_prompt()
                || std::mem::take(&mut self.parties.open)
                || std::mem::take(&mut self.publishing.open)
                || std::mem::take(&mut self.review.open);
            if closed {
                ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape));
            }
        }
        let focus = self.focus(ctx);
        if focus.allows(command::Scope::Content) && focus.content {
            let list_focused = ctx.memory(|m| m.focused()) == Some(ClaimList::focus_id());
            if list_focused {
                for (key, command) in [
                    (Key::ArrowDown, Command::NextClaim),
                    (Key::ArrowUp, Command::PreviousClaim),
                ] {
                    if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                        intents.push(Intent::Run(command));
                    }
                }
            }
        }
        let pressed = command::pressed(ctx, self.focus(ctx));
        // Find acts at once: the field must have the focus before it is drawn.
        for command in pressed {
            if command == Command::Find {
                self.run(ctx, command);
            } else {
                intents.push(Intent::Run(command));
            }
        }
    }

    /// Dropped files open like File → Open; closing with unsaved work asks first.
    pub(super) fn drops_and_close(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().find(|p| !p.as_os_str().is_empty()) {
            intents.push(Intent::Open(Opening::File(path)));
        }
        if ctx.input(|i| i.viewport().close_requested())
            && self.state.doc.is_dirty()
            && !self.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialogs.ask_unsaved_before_close();
        }
    }

    pub(super) fn apply_theme(&self, ctx: &egui::Context) {
        let wanted = match self.prefs.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        };
        if ctx.options(|o| o.theme_preference) != wanted {
            ctx.set_theme(wanted);
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.state.doc.is_dirty() {
            "● "
        } else {
            ""
        };
        // Names and titles come from files: the window system gets one plain,
        // short line (no escapes, line breaks or bidi overrides).
        let title = format!(
            "{marker}{} — {} — factmark",
            crate::model::one_line(&self.state.file_name(), 80),
            crate::model::one_line(self.state.doc.set().article.title(), 120)
        );
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

//! The egui application. Views own small state structs and turn user input into
//! [`Edit`]s; the one place edits are applied is [`FactmarkApp::apply`], so undo,
//! redo and the dirty flag need nothing from the views.

mod article_view;
mod autosave;
mod claim_editor;
mod claim_list;
mod compare;
mod disk_watch;
mod files;
mod parties;
mod prefs;
mod theme;

pub use article_view::{ArticleView, TextSelection};
pub use files::Startup;
pub use prefs::{Prefs, ThemeChoice};

use crate::format::limits;
use crate::model::{ClaimId, Document, Edit, EditContext, Overlay, Status};
use claim_editor::ClaimEditor;
use claim_list::ClaimList;
use egui::{Key, KeyboardShortcut, Modifiers, Ui};
use files::Files;
use parties::PartiesWindow;

/// How many chars a text field may hold so its UTF-8 stays within `bytes`
/// (the file limits are in bytes; a char takes at most 4): typing stops at
/// the limit instead of the save failing later.
fn within(bytes: usize) -> usize {
    bytes / 4
}

/// The whole application state.
pub struct FactmarkApp {
    doc: Document,
    overlay: Overlay,
    /// Anchors revision the overlay was built for (`None`: rebuild).
    overlay_revision: Option<u64>,
    selected: Option<ClaimId>,
    view: ArticleView,
    list: ClaimList,
    editor: ClaimEditor,
    parties: PartiesWindow,
    /// A colleague's file open beside mine.
    compare: Option<compare::CompareView>,
    files: Files,
    autosave: autosave::Autosave,
    pub prefs: Prefs,
    find: FindBar,
    /// A click landed on several overlapping claims: choose one.
    overlap_menu: Option<(egui::Pos2, Vec<ClaimId>)>,
    help_open: bool,
    prefs_open: bool,
    /// One-line feedback in the status bar.
    status_line: String,
    window_title: String,
}

/// The find-in-article field above the text.
#[derive(Default)]
struct FindBar {
    query: String,
    focus_requested: bool,
}

impl FactmarkApp {
    /// Builds the app and opens what `startup` names.
    pub fn new(startup: Startup, prefs: Prefs) -> Self {
        let autosave = autosave::Autosave::new(startup.data_dir.clone());
        let (files, doc, message) = Files::start(startup);
        let mut app = Self {
            overlay: Overlay::build(doc.set()),
            overlay_revision: Some(doc.set().anchors_revision()),
            doc,
            selected: None,
            view: ArticleView::default(),
            list: ClaimList::default(),
            editor: ClaimEditor::default(),
            parties: PartiesWindow::default(),
            compare: None,
            files,
            autosave,
            prefs,
            find: FindBar::default(),
            overlap_menu: None,
            help_open: false,
            prefs_open: false,
            status_line: String::new(),
            window_title: String::new(),
        };
        if let Some(message) = message {
            app.files.report(message);
        }
        if let Some(path) = app
            .files
            .annotation_path
            .clone()
            .or_else(|| app.files.article_path.clone())
        {
            app.prefs.remember(path);
        }
        app
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn selected_claim(&self) -> Option<&ClaimId> {
        self.selected.as_ref()
    }

    pub fn view(&self) -> &ArticleView {
        &self.view
    }

    /// The annotation file currently open, if any.
    pub fn annotation_path(&self) -> Option<&std::path::Path> {
        self.files.annotation_path.as_deref()
    }

    /// The error shown to the user right now, if any.
    pub fn error_message(&self) -> Option<&str> {
        self.files.error.as_deref()
    }

    fn edit_context(&self) -> EditContext {
        let now = jiff::Timestamp::now();
        EditContext {
            author: self.prefs.author.clone(),
            now: jiff::Timestamp::from_second(now.as_second()).unwrap_or(now),
        }
    }

    /// The one place user edits reach the model; false (with the reason in
    /// the status bar) when the edit could not be made.
    fn apply(&mut self, edit: Edit) -> bool {
        let ctx = self.edit_context();
        let label = edit.label();
        match self.doc.apply(edit, &ctx) {
            Ok(()) => true,
            Err(err) => {
                self.status_line = format!("Could not {label}: {err}");
                false
            }
        }
    }

    /// Applies a whole decision (a merge, a compare choice) as its own undo
    /// step; false (with the reason in the status bar) when it could not be made.
    fn apply_step(&mut self, edit: Edit, message: String) -> bool {
        self.doc.seal_history();
        let applied = self.apply(edit);
        if applied {
            self.doc.seal_history();
            self.status_line = message;
        }
        applied
    }

    fn undo(&mut self) {
        self.history_step(Document::undo, "undo", "Undid");
    }

    fn redo(&mut self) {
        self.history_step(Document::redo, "redo", "Redid");
    }

    fn history_step(
        &mut self,
        step: fn(
            &mut Document,
            &EditContext,
        ) -> Result<Option<&'static str>, crate::model::EditError>,
        verb: &str,
        done: &str,
    ) {
        let ctx = self.edit_context();
        self.status_line = match step(&mut self.doc, &ctx) {
            Ok(Some(label)) => format!("{done} {label}"),
            Ok(None) => format!("Nothing to {verb}"),
            Err(err) => format!("Could not {verb}: {err}"),
        };
        self.drop_stale_selection();
    }

    fn drop_stale_selection(&mut self) {
        if let Some(id) = &self.selected
            && self.doc.set().claim(id).is_none()
        {
            self.selected = None;
        }
    }

    /// Turns the current (or last) text selection into a claim and selects it.
    pub fn create_claim_from_selection(&mut self) {
        let Some(range) = self.view.claim_range() else {
            self.status_line = "Select some text in the article first".to_owned();
            return;
        };
        if self.doc.set().article.slice(range.clone()).len() > limits::MAX_QUOTE_BYTES {
            self.status_line = format!(
                "A claim's quote can be at most {} KB; select less text",
                limits::MAX_QUOTE_BYTES / 1024
            );
            return;
        }
        let ctx = self.edit_context();
        match self.doc.set().new_claim(range, &ctx) {
            Ok(claim) => {
                let id = claim.id.clone();
                self.apply(Edit::AddClaim(Box::new(claim)));
                self.select_claim(Some(id), false);
                self.view.clear_selection();
                self.status_line =
                    "Claim added — set its status with A (agreed) or D (disputed)".to_owned();
            }
            Err(err) => self.status_line = err.to_string(),
        }
    }

    /// Selects a claim and scrolls the article to it (a click in the claim list).
    pub fn jump_to_claim(&mut self, id: &ClaimId) {
        self.select_claim(Some(id.clone()), true);
    }

    /// Selects article text and scrolls to it (what Find does).
    pub fn select_text(&mut self, range: std::ops::Range<usize>) {
        self.view.select(range);
    }

    fn set_selected_status(&mut self, status: Status) {
        if let Some(id) = self.selected.clone() {
            self.apply(Edit::SetStatus { claim: id, status });
        }
    }

    fn delete_selected_claim(&mut self) {
        if let Some(id) = self.selected.take() {
            self.apply(Edit::RemoveClaim(id));
            self.status_line = "Claim deleted (Ctrl+Z brings it back)".to_owned();
        }
    }

    /// Selects a claim; `scroll` also brings it into view in the article.
    fn select_claim(&mut self, id: Option<ClaimId>, scroll: bool) {
        if scroll
            && let Some(claim) = id.as_ref().and_then(|id| self.doc.set().claim(id))
            && let Some(span) = claim.span()
        {
            self.view.scroll_to(span.start);
        }
        if self.selected != id {
            self.doc.seal_history();
        }
        self.list.reveal(id.clone());
        self.selected = id;
    }

    fn step_selection(&mut self, delta: isize) {
        let visible = self.list.visible_claims(&self.doc);
        if visible.is_empty() {
            return;
        }
        let claims = self.doc.set().claims();
        let current = self
            .selected
            .as_ref()
            .and_then(|id| visible.iter().position(|&i| &claims[i].id == id));
        let next = match current {
            Some(at) => (at as isize + delta).clamp(0, visible.len() as isize - 1) as usize,
            None if delta > 0 => 0,
            None => visible.len() - 1,
        };
        let id = claims[visible[next]].id.clone();
        self.select_claim(Some(id), true);
    }

    /// Draws one frame. `eframe` and the UI tests both call this.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.apply_theme(ui.ctx());
        self.handle_file_results(ui.ctx());
        self.handle_shortcuts(ui);
        self.files.handle_drops_and_close(ui.ctx(), &self.doc);
        self.update_title(ui.ctx());

        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("claim-list")
            .resizable(true)
            .default_size(330.0)
            .min_size(220.0)
            .show(ui, |ui| {
                if let Some(pick) = self.list.show(ui, &self.doc, self.selected.as_ref()) {
                    self.select_claim(Some(pick), true);
                }
            });
        egui::Panel::right("claim-editor")
            .resizable(true)
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| {
                let edits =
                    self.editor
                        .show(ui, &self.doc, self.selected.as_ref(), &mut self.parties);
                self.handle_editor_actions(edits);
            });
        egui::CentralPanel::default().show(ui, |ui| self.article_pane(ui));

        let (party_edits, seal) = self.parties.show(ui.ctx(), &self.doc);
        for edit in party_edits {
            self.apply(edit);
        }
        if seal {
            self.doc.seal_history();
        }
        self.compare_window(ui.ctx());
        self.overlap_popup(ui.ctx());
        self.help_window(ui.ctx());
        self.prefs_window(ui.ctx());
        self.files.dialogs(ui.ctx(), &mut self.doc, &mut self.prefs);
        self.restore_prompt(ui.ctx());
        self.autosave.tick(
            ui.ctx(),
            &self.doc,
            autosave::Belongs {
                saved: self.files.annotation_path.as_deref(),
                article: self.files.article_path.as_deref(),
            },
        );
    }

    fn restore_prompt(&mut self, ctx: &egui::Context) {
        match autosave::restore_prompt(ctx, &self.autosave.offers) {
            Some(autosave::RestoreChoice::Restore(recovery)) => match recovery.restore() {
                Ok((set, _)) => {
                    self.doc = self.files.adopt_recovered(&recovery, set);
                    self.autosave.adopt(&recovery);
                    self.after_open("Unsaved work restored".to_owned());
                }
                Err(err) => self.files.report(format!(
                    "Could not restore {}: {err}\n\nThe recovery file was kept.",
                    recovery.file.display()
                )),
            },
            Some(autosave::RestoreChoice::Discard(file)) => {
                if let Err(err) = self.autosave.discard_offer(&file) {
                    self.files.report(err);
                }
            }
            Some(autosave::RestoreChoice::Later) => self.autosave.offers.clear(),
            None => {}
        }
    }

    /// Resets the views for a document that replaced the old one.
    fn after_open(&mut self, message: String) {
        // Their claims were placed on the article that was open.
        self.compare = None;
        self.selected = None;
        self.view.reset();
        self.overlay_revision = None;
        self.list = ClaimList::default();
        self.status_line = message;
    }

    fn compare_window(&mut self, ctx: &egui::Context) {
        let Some(view) = self.compare.as_mut() else {
            return;
        };
        let actions = view.show(ctx, self.doc.set());
        if !view.open {
            self.compare = None;
        }
        for action in actions {
            match action {
                compare::Action::Apply(edit, message) => {
                    self.apply_step(edit, message);
                }
                compare::Action::Jump(id) => self.jump_to_claim(&id),
                compare::Action::ShowText(range) => self.select_text(range),
                compare::Action::Message(text) => self.status_line = text,
            }
        }
    }

    fn open_compare(&mut self, path: &std::path::Path) {
        match compare::CompareView::open(path, self.doc.set()) {
            Ok(view) => {
                self.status_line = format!("Comparing with {}", view.path().display());
                self.compare = Some(view);
            }
            Err(err) => self
                .files
                .report(format!("Could not compare with {}: {err}", path.display())),
        }
    }

    fn handle_editor_actions(&mut self, actions: Vec<claim_editor::Action>) {
        for action in actions {
            match action {
                claim_editor::Action::Edit(edit) => {
                    self.apply(edit);
                }
                claim_editor::Action::Seal => self.doc.seal_history(),
                claim_editor::Action::Delete => self.delete_selected_claim(),
                claim_editor::Action::ScrollTo(offset) => self.view.scroll_to(offset),
                claim_editor::Action::Reattach => self.reattach_selected(),
                claim_editor::Action::Message(text) => self.status_line = text,
            }
        }
    }

    /// Moves the selected (unplaced) claim to the current text selection.
    fn reattach_selected(&mut self) {
        let (Some(id), Some(range)) = (self.selected.clone(), self.view.claim_range()) else {
            self.status_line =
                "Select the claim's text in the article, then press Re-attach".to_owned();
            return;
        };
        let anchor = crate::model::Anchor::capture(&self.doc.set().article, range);
        self.apply(Edit::SetAnchor { claim: id, anchor });
    }

    fn article_pane(&mut self, ui: &mut Ui) {
        self.files.article_notice(ui, &mut self.doc);
        if let Some(banner) = self.files.banner.clone() {
            let dismissed = theme::notice_frame(ui.visuals())
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            egui::RichText::new("!")
                                .strong()
                                .color(ui.visuals().warn_fg_color),
                        );
                        ui.label(banner);
                        ui.small_button("Dismiss")
                            .on_hover_text("The list still tags each claim")
                            .clicked()
                    })
                    .inner
                })
                .inner;
            if dismissed {
                self.files.banner = None;
            }
        }
        ui.horizontal(|ui| {
            let label = ui.label("Title");
            let mut title = self.doc.set().article.title().to_owned();
            let field = egui::TextEdit::singleline(&mut title)
                .char_limit(within(limits::MAX_TITLE_BYTES))
                .font(egui::TextStyle::Heading)
                .hint_text("article title")
                .desired_width(f32::INFINITY);
            let response = ui.add(field).labelled_by(label.id);
            if response.changed() {
                self.apply(Edit::SetTitle(title));
            }
            if response.lost_focus() {
                self.doc.seal_history();
            }
        });
        ui.horizontal_wrapped(|ui| {
            let has_selection = self.view.claim_range().is_some();
            let missing = self.doc.set().missing_article.is_some();
            let new_claim = egui::Button::new("+ New claim").shortcut_text("Ctrl+Enter");
            let why_not = if missing {
                "The article is missing: locate it to add claims"
            } else {
                "Select text in the article first"
            };
            if ui
                .add_enabled(has_selection && !missing, new_claim)
                .on_hover_text("Turn the selected text into a claim")
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                self.create_claim_from_selection();
            }
            ui.separator();
            let find_label = ui.label("Find");
            let find = egui::TextEdit::singleline(&mut self.find.query)
                .hint_text("text in the article (Ctrl+F)")
                .desired_width(200.0);
            let find_response = ui.add(find).labelled_by(find_label.id);
            if self.find.focus_requested {
                find_response.request_focus();
                self.find.focus_requested = false;
            }
            let submitted = find_response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if submitted || ui.button("Find next").clicked() {
                self.find_next();
                if submitted {
                    find_response.request_focus();
                }
            }
        });
        ui.separator();
        // Rebuilt here, right before it is drawn: the panels drawn earlier in this
        // frame may have added or removed claims.
        if self.overlay_revision != Some(self.doc.set().anchors_revision()) {
            self.overlay = Overlay::build(self.doc.set());
            self.overlay_revision = Some(self.doc.set().anchors_revision());
        }
        let input = article_view::ViewInput {
            set: self.doc.set(),
            overlay: &self.overlay,
            selected_claim: self.selected.as_ref(),
            font_size: self.prefs.font_size,
        };
        let out = self.view.show(ui, &input);
        if let Some((offset, pos)) = out.clicked {
            let hits: Vec<ClaimId> = self
                .doc
                .set()
                .claims_at(offset)
                .iter()
                .map(|c| c.id.clone())
                .collect();
            match hits.len() {
                0 => self.select_claim(None, false),
                1 => self.select_claim(hits.into_iter().next(), false),
                _ => self.overlap_menu = Some((pos, hits)),
            }
        }
    }

    fn find_next(&mut self) {
        let from = self.view.selection.map_or(0, |s| s.range().start + 1);
        match self.doc.set().article.find(&self.find.query, from) {
            Some(range) => {
                self.view.select(range);
                self.status_line =
                    format!("Found “{}” — Ctrl+Enter makes it a claim", self.find.query);
            }
            None if self.find.query.is_empty() => {}
            None => self.status_line = format!("“{}” is not in the article", self.find.query),
        }
    }

    fn overlap_popup(&mut self, ctx: &egui::Context) {
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
                        if let Some(claim) = self.doc.set().claim(id) {
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
            self.select_claim(chosen, false);
            self.overlap_menu = None;
        } else if clicked_elsewhere || ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.overlap_menu = None;
        }
    }

    /// True when a text field has keyboard focus, so single letters must type.
    fn typing(ctx: &egui::Context) -> bool {
        ctx.memory(|m| m.focused())
            .is_some_and(|id| egui::text_edit::TextEditState::load(ctx, id).is_some())
    }

    fn handle_shortcuts(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let shortcut = |mods: Modifiers, key: Key| KeyboardShortcut::new(mods, key);
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        // Check the Shift variants first: consume_shortcut ignores extra Shift.
        let pressed =
            |mods: Modifiers, key: Key| ctx.input_mut(|i| i.consume_shortcut(&shortcut(mods, key)));
        if pressed(cmd_shift, Key::S) {
            self.files.ask_save_as();
        } else if pressed(cmd, Key::S) {
            self.save();
        }
        if pressed(cmd_shift, Key::Z) || pressed(cmd, Key::Y) {
            self.redo();
        } else if pressed(cmd, Key::Z) {
            self.undo();
        }
        if pressed(cmd, Key::O) {
            self.files.ask_open();
        }
        if pressed(cmd, Key::Enter) {
            self.create_claim_from_selection();
        }
        if pressed(cmd, Key::F) {
            self.find.focus_requested = true;
        }
        if pressed(Modifiers::NONE, Key::F3) {
            self.find_next();
        }
        if pressed(cmd, Key::Plus) || pressed(cmd, Key::Equals) {
            self.prefs.font_size = (self.prefs.font_size + 1.0).min(40.0);
        }
        if pressed(cmd, Key::Minus) {
            self.prefs.font_size = (self.prefs.font_size - 1.0).max(9.0);
        }
        if pressed(Modifiers::NONE, Key::F1) {
            self.help_open = !self.help_open;
        }
        if Self::typing(&ctx) {
            return;
        }
        // Single keys act on the selected claim while no text field has focus.
        if pressed(Modifiers::NONE, Key::A) {
            self.set_selected_status(Status::Agreed);
        }
        if pressed(Modifiers::NONE, Key::D) {
            self.set_selected_status(Status::Disputed);
        }
        if pressed(Modifiers::NONE, Key::U) {
            self.set_selected_status(Status::Unreviewed);
        }
        if pressed(Modifiers::NONE, Key::N) {
            self.create_claim_from_selection();
        }
        if pressed(Modifiers::NONE, Key::Delete) || pressed(Modifiers::NONE, Key::Backspace) {
            self.delete_selected_claim();
        }
        if pressed(Modifiers::NONE, Key::CloseBracket) || pressed(Modifiers::NONE, Key::J) {
            self.step_selection(1);
        }
        if pressed(Modifiers::NONE, Key::OpenBracket) || pressed(Modifiers::NONE, Key::K) {
            self.step_selection(-1);
        }
        if pressed(Modifiers::NONE, Key::Questionmark) {
            self.help_open = !self.help_open;
        }
    }

    /// Saves to the open annotation file, or asks where when there is none.
    fn save(&mut self) {
        match self.files.annotation_path.clone() {
            Some(path) => {
                if let Some(message) = self.files.save_to(&path, &mut self.doc, &mut self.prefs) {
                    self.status_line = message;
                }
            }
            _ => self.files.ask_save_as(),
        }
    }

    fn handle_file_results(&mut self, ctx: &egui::Context) {
        for outcome in self.files.take_outcomes(&mut self.doc, &mut self.prefs) {
            match outcome {
                files::Outcome::Opened(message) => self.after_open(message),
                files::Outcome::Discarded => self.autosave.discard_current(),
                files::Outcome::Message(message) => self.status_line = message,
                files::Outcome::Compare(path) => self.open_compare(&path),
                files::Outcome::Merge {
                    edit,
                    message,
                    disk,
                } => {
                    if !self.apply_step(edit, message) {
                        let why = std::mem::take(&mut self.status_line);
                        self.files.merge_failed(disk, &why);
                    }
                }
                files::Outcome::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            }
        }
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        let wanted = match self.prefs.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        };
        if ctx.options(|o| o.theme_preference) != wanted {
            ctx.set_theme(wanted);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let name = self
            .files
            .annotation_path
            .as_ref()
            .or(self.files.article_path.as_ref())
            .and_then(|p| p.file_name())
            .map_or_else(
                || "untitled".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
        let marker = if self.doc.is_dirty() { "● " } else { "" };
        // Names and titles come from files: the window system gets one plain,
        // short line (no escapes, line breaks or bidi overrides).
        let title = format!(
            "{marker}{} — {} — factmark",
            crate::model::one_line(&name, 80),
            crate::model::one_line(self.doc.set().article.title(), 120)
        );
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    /// The window title as last sent (tests read the unsaved marker here).
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                    .clicked()
                {
                    self.files.ask_open();
                    ui.close();
                }
                ui.menu_button("Open recent", |ui| {
                    if self.prefs.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in self.prefs.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.files.request_open(path, &self.doc);
                            ui.close();
                        }
                    }
                });
                if ui
                    .button("Reload article")
                    .on_hover_text("Read the article again (after it changed on disk) and re-anchor the claims")
                    .clicked()
                {
                    self.files.reload_article(&mut self.doc);
                    ui.close();
                }
                if ui
                    .button("Compare with a colleague's file…")
                    .on_hover_text("See where their claims differ from yours and take what is right")
                    .clicked()
                {
                    self.files.ask_compare();
                    ui.close();
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text("Ctrl+S"))
                    .clicked()
                {
                    self.save();
                    ui.close();
                }
                if ui
                    .add(egui::Button::new("Save as…").shortcut_text("Ctrl+Shift+S"))
                    .clicked()
                {
                    self.files.ask_save_as();
                    ui.close();
                }
                let embed = ui
                    .checkbox(&mut self.files.embed_article, "Save with article")
                    .on_hover_text(
                        "Carry the article text in the annotation file, for colleagues who do not have it",
                    );
                if embed.changed() {
                    // The file on disk no longer says what the user asked for.
                    self.doc.mark_unsaved();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                    ui.close();
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = match self.doc.history().undo_label() {
                    Some(label) => format!("Undo {label}"),
                    None => "Undo".to_owned(),
                };
                let redo = match self.doc.history().redo_label() {
                    Some(label) => format!("Redo {label}"),
                    None => "Redo".to_owned(),
                };
                let can_undo = self.doc.history().can_undo();
                if ui
                    .add_enabled(can_undo, egui::Button::new(undo).shortcut_text("Ctrl+Z"))
                    .clicked()
                {
                    self.undo();
                }
                let can_redo = self.doc.history().can_redo();
                if ui
                    .add_enabled(
                        can_redo,
                        egui::Button::new(redo).shortcut_text("Ctrl+Shift+Z"),
                    )
                    .clicked()
                {
                    self.redo();
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("New claim from selection").shortcut_text("Ctrl+Enter"))
                    .clicked()
                {
                    self.create_claim_from_selection();
                    ui.close();
                }
                let has_claim = self.selected.is_some();
                if ui
                    .add_enabled(
                        has_claim,
                        egui::Button::new("Delete claim").shortcut_text("Del"),
                    )
                    .clicked()
                {
                    self.delete_selected_claim();
                    ui.close();
                }
                ui.separator();
                if ui.button("Parties…").clicked() {
                    self.parties.open = true;
                    ui.close();
                }
                if ui.button("Preferences…").clicked() {
                    self.prefs_open = true;
                    ui.close();
                }
            });
            ui.menu_button("View", |ui| {
                ui.label("Theme");
                ui.radio_value(&mut self.prefs.theme, ThemeChoice::System, "Follow system");
                ui.radio_value(&mut self.prefs.theme, ThemeChoice::Light, "Light");
                ui.radio_value(&mut self.prefs.theme, ThemeChoice::Dark, "Dark");
                ui.separator();
                if ui
                    .add(egui::Button::new("Larger text").shortcut_text("Ctrl++"))
                    .clicked()
                {
                    self.prefs.font_size = (self.prefs.font_size + 1.0).min(40.0);
                }
                if ui
                    .add(egui::Button::new("Smaller text").shortcut_text("Ctrl+-"))
                    .clicked()
                {
                    self.prefs.font_size = (self.prefs.font_size - 1.0).max(9.0);
                }
            });
            ui.menu_button("Help", |ui| {
                if ui
                    .add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1"))
                    .clicked()
                {
                    self.help_open = true;
                    ui.close();
                }
            });
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            legend(ui);
            ui.separator();
            let set = self.doc.set();
            let dirty = if self.doc.is_dirty() {
                "• unsaved changes"
            } else {
                "saved"
            };
            let file = self.files.annotation_path.as_ref().map_or_else(
                || "no annotation file yet".to_owned(),
                |p| p.display().to_string(),
            );
            ui.label(dirty);
            if let Some(problem) = &self.autosave.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
            ui.separator();
            ui.label(file);
            ui.separator();
            let count = |s: Status| set.claims().iter().filter(|c| c.status == s).count();
            ui.label(format!(
                "{} claims: {} disputed, {} agreed, {} unreviewed",
                set.claims().len(),
                count(Status::Disputed),
                count(Status::Agreed),
                count(Status::Unreviewed)
            ));
            let chars = set.article.char_count().max(1);
            let read = 100 * self.view.top_char().min(chars) / chars;
            ui.label(format!("{read}% into the article"))
                .on_hover_text("How far the top of the view is into the text");
            let unplaced = set.unplaced_claims().count();
            if unplaced > 0 {
                ui.separator();
                ui.colored_label(ui.visuals().warn_fg_color, format!("{unplaced} unplaced"));
            }
            if !self.status_line.is_empty() {
                ui.separator();
                ui.label(egui::RichText::new(&self.status_line).weak());
            }
        });
    }

    fn help_window(&mut self, ctx: &egui::Context) {
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.help_open)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(egui::RichText::new(*keys).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
    }

    fn prefs_window(&mut self, ctx: &egui::Context) {
        egui::Window::new("Preferences")
            .open(&mut self.prefs_open)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("Your name (recorded on new claims):");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.prefs.author)
                            .char_limit(within(limits::MAX_NAME_BYTES))
                            .hint_text("author name"),
                    );
                });
                ui.add(
                    egui::Slider::new(&mut self.prefs.font_size, 9.0..=40.0)
                        .text("Article text size"),
                );
            });
    }
}

/// Every shortcut, as listed in the help window and the README.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Ctrl+O",
        "Open an article (.txt/.md) or annotation file (.ron)",
    ),
    ("Ctrl+S", "Save annotations"),
    ("Ctrl+Shift+S", "Save annotations as…"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    ("Ctrl+Enter, N", "New claim from the selected text"),
    (
        "A / D / U",
        "Mark the selected claim Agreed / Disputed / Unreviewed",
    ),
    ("Delete, Backspace", "Delete the selected claim"),
    ("J or ], K or [", "Next / previous claim in the list"),
    ("Ctrl+F, F3", "Find in article, find next"),
    (
        "Shift+arrows, Ctrl+Shift+arrows",
        "Extend the selection by char / word (click the text first)",
    ),
    ("Home / End", "Start / end of paragraph"),
    ("Double-click", "Select a word"),
    ("Ctrl+A, Ctrl+C", "Select all / copy the selected text"),
    ("Ctrl+ + / Ctrl+ -", "Larger / smaller article text"),
    ("Esc", "Clear the selection"),
    ("F1, ?", "Show this list"),
];

fn legend(ui: &mut Ui) {
    let dark = ui.visuals().dark_mode;
    for status in Status::ALL {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
        ui.painter()
            .rect_filled(rect, 2.0, theme::status_color(status, dark));
        ui.label(status.label());
    }
}

impl eframe::App for FactmarkApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        FactmarkApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Prefs::STORAGE_KEY, &self.prefs);
    }
}

/// Starts the native window.
pub fn run(startup: Startup) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("factmark")
            .with_app_id("factmark")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |cc| {
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, Prefs::STORAGE_KEY))
                .unwrap_or_default();
            Ok(Box::new(FactmarkApp::new(startup, prefs)))
        }),
    )
}
